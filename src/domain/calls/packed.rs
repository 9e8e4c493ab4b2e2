//! One call as the store keeps it: its own text in one allocation, the end of each field in
//! a small table, the fields many calls hold alike in a copy they share (`shared.rs`), and its
//! numbers beside them. A [`VoiceCall`] holds 25 optional strings, each
//! its own allocation with a 24-byte header: 100 000 of them took about 145 MB in the memory
//! bench's baseline, 100 000 packed calls about 71 MB (BENCHMARKS.md, runtime included).
//! Fields are read in place through [`CallFields`];
//! [`PackedCall::to_call`] gives the API's struct back, field for field, for the code that
//! edits or sends a call.

use std::sync::Arc;

use super::shared::{SHARED, SharedText, SharedTexts};
use crate::api::model::voice_call_of;
use crate::api::{CallFields, CallSource, Text, VoiceCall};

/// The store's copy of one call.
#[derive(Debug, Clone, PartialEq)]
pub struct PackedCall(Inner);

#[derive(Debug, Clone, PartialEq)]
enum Inner {
    Small(Small),
    /// A call whose own text, or whose shared fields' text, passes 64 KiB is kept as it
    /// came: it is not worth a wider table.
    Big(Box<VoiceCall>),
}

#[derive(Debug, Clone, PartialEq)]
struct Small {
    /// Every present text field of its own (not [`SHARED`]), back to back in [`Text::ALL`]
    /// order.
    text: Box<str>,
    /// Where each of its own fields' text ends in `text` (an absent field ends where the one
    /// before it does).
    ends: [u16; OWN],
    /// Bit `i` for `Text::ALL[i]` present, then the `*_BIT`s below.
    present: u32,
    /// The [`SHARED`] fields' texts, held once for every call that has the same.
    shared: Arc<SharedText>,
    duration: i64,
    recording_size: i64,
    recording_duration: i64,
}

const TEXTS: usize = Text::ALL.len();
/// The fields a call keeps in its own text.
const OWN: usize = TEXTS - SHARED.len();
/// Where `Text::ALL[i]` is kept: in the shared text (`true`) or the call's own, and its
/// place among those.
const PLACE: [(bool, usize); TEXTS] = {
    let mut place = [(false, 0); TEXTS];
    let (mut own, mut i) = (0, 0);
    while i < TEXTS {
        let mut k = 0;
        while k < SHARED.len() && SHARED[k] as usize != Text::ALL[i] as usize {
            k += 1;
        }
        place[i] = if k < SHARED.len() {
            (true, k)
        } else {
            own += 1;
            (false, own - 1)
        };
        i += 1;
    }
    place
};
const DURATION_BIT: u32 = 1 << 25;
const RECORDING_SIZE_BIT: u32 = 1 << 26;
const RECORDING_DURATION_BIT: u32 = 1 << 27;
const RECORDING_BIT: u32 = 1 << 28;
const PLAYED_BIT: u32 = 1 << 29;
const PLAYED_TRUE_BIT: u32 = 1 << 30;

impl PackedCall {
    /// The store's copy of `call`. Its [`SHARED`] fields get a copy of their own, until the
    /// store swaps it for the one its calls share ([`PackedCall::share`]): a call can be
    /// packed where its page is read, away from the store.
    pub fn new<C: CallSource + ?Sized>(call: &C) -> Self {
        let total: usize = Text::ALL
            .iter()
            .filter(|f| !PLACE[**f as usize].0)
            .filter_map(|f| call.text(*f))
            .map(str::len)
            .sum();
        let common = (total <= usize::from(u16::MAX))
            .then(|| SharedText::of(|f| call.text(f)))
            .flatten();
        let Some(common) = common else {
            return PackedCall(Inner::Big(Box::new(call.to_voice_call())));
        };
        let mut text = String::with_capacity(total);
        let mut ends = [0u16; OWN];
        let mut present = 0u32;
        for (i, field) in Text::ALL.iter().enumerate() {
            let t = call.text(*field);
            if t.is_some() {
                present |= 1 << i;
            }
            if let (false, k) = PLACE[i] {
                text.push_str(t.unwrap_or(""));
                // Fits: the total was checked above.
                ends[k] = u16::try_from(text.len()).unwrap_or(u16::MAX);
            }
        }
        let mut int = |v: Option<i64>, bit: u32| match v {
            Some(v) => {
                present |= bit;
                v
            }
            None => 0,
        };
        let duration = int(call.duration(), DURATION_BIT);
        let recording_size = int(call.recording_size(), RECORDING_SIZE_BIT);
        let recording_duration = int(call.recording_duration(), RECORDING_DURATION_BIT);
        if call.has_recording() {
            present |= RECORDING_BIT;
            if let Some(played) = call.recording_played() {
                present |= PLAYED_BIT | if played { PLAYED_TRUE_BIT } else { 0 };
            }
        }
        PackedCall(Inner::Small(Small {
            text: text.into_boxed_str(),
            ends,
            present,
            shared: common,
            duration,
            recording_size,
            recording_duration,
        }))
    }

    /// Holds its [`SHARED`] fields in the copy `shared` keeps for every call that has the
    /// same (the store does this with every call it takes).
    pub(super) fn share(&mut self, shared: &mut SharedTexts) {
        if let Inner::Small(s) = &mut self.0 {
            s.shared = shared.adopt(Arc::clone(&s.shared));
        }
    }

    /// The call as the API's struct, every field as it was packed.
    pub fn to_call(&self) -> VoiceCall {
        match &self.0 {
            Inner::Big(call) => (**call).clone(),
            Inner::Small(_) => voice_call_of(self),
        }
    }
}

impl CallSource for PackedCall {
    fn recording_size(&self) -> Option<i64> {
        match &self.0 {
            Inner::Big(call) => call.recording_size(),
            Inner::Small(s) => (s.present & RECORDING_SIZE_BIT != 0).then_some(s.recording_size),
        }
    }

    fn recording_duration(&self) -> Option<i64> {
        match &self.0 {
            Inner::Big(call) => call.recording_duration(),
            Inner::Small(s) => {
                (s.present & RECORDING_DURATION_BIT != 0).then_some(s.recording_duration)
            }
        }
    }

    fn to_voice_call(&self) -> VoiceCall {
        self.to_call()
    }
}

impl CallFields for PackedCall {
    fn text(&self, field: Text) -> Option<&str> {
        let s = match &self.0 {
            Inner::Big(call) => return call.text(field),
            Inner::Small(s) => s,
        };
        let i = field as usize;
        if s.present & (1 << i) == 0 {
            return None;
        }
        match PLACE[i] {
            (true, k) => s.shared.get(k),
            (false, k) => {
                let start = if k == 0 { 0 } else { s.ends[k - 1] };
                s.text.get(usize::from(start)..usize::from(s.ends[k]))
            }
        }
    }

    fn duration(&self) -> Option<i64> {
        match &self.0 {
            Inner::Big(call) => call.duration,
            Inner::Small(s) => (s.present & DURATION_BIT != 0).then_some(s.duration),
        }
    }

    fn has_recording(&self) -> bool {
        match &self.0 {
            Inner::Big(call) => call.recording.is_some(),
            Inner::Small(s) => s.present & RECORDING_BIT != 0,
        }
    }

    fn recording_played(&self) -> Option<bool> {
        match &self.0 {
            Inner::Big(call) => call.recording_played(),
            Inner::Small(s) => {
                (s.present & PLAYED_BIT != 0).then_some(s.present & PLAYED_TRUE_BIT != 0)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::{Direction, Recording, Status};

    fn full() -> VoiceCall {
        VoiceCall {
            uid: Some("d4dc68c9-bb80-427d-a584-7fb8d8e3917c".into()),
            created_at: Some("2026-12-01T07:03:28.130Z".into()),
            updated_at: Some(String::new()),
            duration: Some(-3),
            status: Some(Status("MISSED".into())),
            direction: Some(Direction("INBOUND".into())),
            staff_uid: None,
            client_uid: Some("ab1b8302".into()),
            from_number: Some("+12125550127".into()),
            to_number: Some("+14155550101".into()),
            call_summary: Some("Émilie rang — twice ✓".into()),
            recording: Some(Box::new(Recording {
                uid: Some("rec-1".into()),
                recording_url: None,
                size: Some(i64::MAX),
                duration: None,
                recording_played: Some(false),
                recording_type: Some("VOICEMAIL".into()),
            })),
            external_app_url: Some("https://x.example/1".into()),
            external_app_name: Some("inTandem Voice".into()),
            source_id: None,
            external_uuid: Some("CON-1".into()),
            handled_by_staff_uid: None,
            handled_at: None,
            deleted_at: None,
            transcript_status: Some("DONE".into()),
            rate: Some("0.10".into()),
            price: None,
            provider: Some("VONAGE".into()),
            recording_id: Some("".into()),
        }
    }

    #[test]
    fn a_call_comes_back_field_for_field() {
        for call in [full(), VoiceCall::default()] {
            let packed = PackedCall::new(&call);
            assert_eq!(packed.to_call(), call);
            for f in Text::ALL {
                assert_eq!(packed.text(f), call.text(f), "{f:?}");
            }
            assert_eq!(packed.duration(), call.duration);
            assert_eq!(packed.has_recording(), call.recording.is_some());
        }
    }

    #[test]
    fn a_recording_without_fields_and_a_played_one_come_back() {
        let mut call = full();
        call.recording = Some(Box::default());
        assert_eq!(PackedCall::new(&call).to_call(), call);
        call.recording.as_mut().unwrap().recording_played = Some(true);
        let packed = PackedCall::new(&call);
        assert_eq!(packed.recording_played(), Some(true));
        assert_eq!(packed.to_call(), call);
    }

    #[test]
    fn a_shared_field_present_but_empty_and_one_absent_share_a_copy_and_read_back_apart() {
        let mut shared = SharedTexts::default();
        let mut empty = full();
        empty.staff_uid = Some(String::new());
        let mut absent = full();
        absent.staff_uid = None;
        let (mut a, mut b) = (PackedCall::new(&empty), PackedCall::new(&absent));
        a.share(&mut shared);
        b.share(&mut shared);
        assert_eq!(shared.len(), 1);
        assert_eq!(a.staff_uid(), Some(""));
        assert_eq!(b.staff_uid(), None);
        assert_eq!((a.to_call(), b.to_call()), (empty, absent));
    }

    #[test]
    fn a_call_whose_shared_fields_pass_64_kib_together_is_kept_whole() {
        let mut call = full();
        call.status = Some(Status("S".repeat(40_000)));
        call.provider = Some("P".repeat(30_000));
        let packed = PackedCall::new(&call);
        assert!(matches!(packed.0, Inner::Big(_)));
        assert_eq!(packed.to_call(), call);
        assert_eq!(packed.text(Text::Provider), call.provider.as_deref());
    }

    #[test]
    fn a_call_past_64_kib_of_text_is_kept_whole() {
        let mut call = full();
        call.call_summary = Some("é".repeat(40_000));
        let packed = PackedCall::new(&call);
        assert!(matches!(packed.0, Inner::Big(_)));
        assert_eq!(packed.to_call(), call);
        assert_eq!(packed.call_summary(), call.call_summary.as_deref());
        // Just under the line stays packed.
        call.call_summary = Some("a".repeat(65_535 - 200));
        let packed = PackedCall::new(&call);
        assert!(matches!(packed.0, Inner::Small(_)));
        assert_eq!(packed.to_call(), call);
    }

    #[test]
    fn the_store_copy_is_small() {
        assert!(std::mem::size_of::<Option<PackedCall>>() <= 96);
    }
}
