//! A call coming into the store, in either form it arrives in: the API's struct
//! ([`VoiceCall`]: a save's answer, the list cache, tests), or already packed as its list page
//! was read (the console's pages, `ApiClient::list_with`). Either way it gets what was sent for
//! the fields the API never sends back before it is stored.

use super::PackedCall;
use crate::api::{CallFields, CallRecord, VoiceCall};
use crate::domain::remembered::Remembered;

/// What [`super::CallStore::upsert`] and the lists take.
pub trait Incoming {
    /// The store's copy, with the values `remembered` holds for it filled in.
    fn into_packed(self, remembered: &Remembered) -> PackedCall;
}

impl Incoming for VoiceCall {
    fn into_packed(mut self, remembered: &Remembered) -> PackedCall {
        remembered.fill(&mut self);
        packed_call(&self)
    }
}

/// A list page's record packed as it is read (what the console hands `ApiClient::list_with`).
/// Not inlined, as [`packed_call`] is not: one copy of the packing for each form a call comes
/// in, not one at every place that packs (the binary's size is held to 10 MiB).
#[inline(never)]
pub fn packed_record(record: &CallRecord<'_>) -> PackedCall {
    PackedCall::new(record)
}

/// A `VoiceCall` packed (see [`packed_record`]).
#[inline(never)]
pub fn packed_call(call: &VoiceCall) -> PackedCall {
    PackedCall::new(call)
}

impl Incoming for PackedCall {
    fn into_packed(self, remembered: &Remembered) -> PackedCall {
        // Rare (the calls a save sent values for): unpacked, filled and packed again.
        match self.uid() {
            Some(uid) if remembered.calls.contains_key(uid) => {
                self.to_call().into_packed(remembered)
            }
            _ => self,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::CallPage;
    use crate::domain::calls::CallStore;

    /// A page packed as it is read holds the same copies as the page read into `VoiceCall`s
    /// and packed after: a call with a recording, a bare one, hostile text, one past 64 KiB.
    #[test]
    fn a_page_packed_as_it_is_read_is_the_page_packed_after() {
        let long = "é".repeat(40_000);
        let text = format!(
            r#"{{"voice_calls": [{{"uid": "a", "duration": "12", "status": "VOICEMAIL",
            "call_summary": "caf\u00e9 \u001b[2J✓", "recording": {{"uid": "r", "size": 2.5,
            "recording_played": "false", "recordingUrl": "https://x/1"}}}}, {{}}, 7,
            {{"uid": "big", "call_summary": "{long}"}}]}}"#
        );
        let packed = CallPage::from_json_with(&text, |r| PackedCall::new(r)).expect("packed");
        let owned = CallPage::from_json(&text).expect("owned");
        assert_eq!(packed, owned.clone().map(|c| PackedCall::new(&c)));
        assert_eq!((packed.calls.len(), packed.unreadable), (3, 1));
        let back: Vec<VoiceCall> = packed.calls.iter().map(PackedCall::to_call).collect();
        assert_eq!(back, owned.calls);
    }

    /// What a save sent for the fields the API never sends back reaches a packed call as it
    /// reaches a `VoiceCall`.
    #[test]
    fn a_packed_call_gets_what_was_sent_for_it() {
        let mut remembered = Remembered::default();
        let body = serde_json::json!({"rate": "0.07", "recording_id": "rec-9"});
        assert!(remembered.note("a", &body, "2026-11-30T10:00:00Z"));
        let call = |uid: &str| VoiceCall {
            uid: Some(uid.into()),
            price: Some("1.50".into()),
            ..VoiceCall::default()
        };
        for uid in ["a", "b"] {
            let (mut packed, mut owned) = (CallStore::new(), CallStore::new());
            packed.set_remembered(remembered.clone());
            owned.set_remembered(remembered.clone());
            let p = packed.upsert(PackedCall::new(&call(uid)));
            let o = owned.upsert(call(uid));
            assert_eq!(packed.get(p), owned.get(o), "{uid}");
        }
        let filled = PackedCall::new(&call("a")).into_packed(&remembered);
        assert_eq!(filled.text(crate::api::Text::Rate), Some("0.07"));
        assert_eq!(filled.text(crate::api::Text::Price), Some("1.50"));
    }
}
