//! The fields many calls hold alike, kept once: a call's status, direction, its staff member
//! and handler, the app and provider that logged it, its transcript's status and its
//! recording's type. A business has a handful of each, so many calls hold each combination
//! of them; each combination is packed once ([`SharedText`]) and every call holding it points
//! at it. The numbers stay with each call: an outbound call's `to_number` is
//! the client called, and with it in, many calls had a combination of their own, which cost
//! more than it saved (measured: 77.3 MB with it, 76.8 MB without, 100 000 calls loaded).

use std::hash::{BuildHasher, Hash, Hasher};
use std::sync::Arc;

use hashbrown::HashTable;

use crate::api::Text;

/// The fields kept in a [`SharedText`], in the order they are packed there.
pub(super) const SHARED: [Text; 8] = [
    Text::Status,
    Text::Direction,
    Text::StaffUid,
    Text::ExternalAppName,
    Text::HandledByStaffUid,
    Text::TranscriptStatus,
    Text::RecordingType,
    Text::Provider,
];

/// One combination of the [`SHARED`] fields' texts, back to back, with where each ends. An
/// absent field packs as empty: the call's own presence mask says which it is.
#[derive(Debug, PartialEq, Eq)]
pub(super) struct SharedText {
    text: Box<str>,
    pub(super) ends: [u16; SHARED.len()],
}

impl SharedText {
    /// The texts `field` gives for the [`SHARED`] fields (in that order), packed: the copy
    /// some call already points at when there is one (`shared_known.rs`), so packing a call
    /// away from the store allocates nothing for a combination held already. `None` when
    /// together they pass 64 KiB.
    pub(super) fn of<'a>(field: impl Fn(Text) -> Option<&'a str>) -> Option<Arc<SharedText>> {
        super::shared_known::shared_of(field)
    }

    /// A new copy of the texts `field` gives (see [`SharedText::of`]).
    pub(super) fn build<'a>(field: impl Fn(Text) -> Option<&'a str>) -> Option<Arc<SharedText>> {
        let total = SHARED.iter().filter_map(|f| field(*f)).map(str::len).sum();
        let mut text = String::with_capacity(total);
        let mut ends = [0u16; SHARED.len()];
        for (k, f) in SHARED.iter().enumerate() {
            text.push_str(field(*f).unwrap_or(""));
            ends[k] = u16::try_from(text.len()).ok()?;
        }
        Some(Arc::new(SharedText {
            text: text.into_boxed_str(),
            ends,
        }))
    }

    /// The `k`-th of the [`SHARED`] fields.
    pub(super) fn get(&self, k: usize) -> Option<&str> {
        let start = if k == 0 { 0 } else { *self.ends.get(k - 1)? };
        self.text
            .get(usize::from(start)..usize::from(*self.ends.get(k)?))
    }
}

/// The combinations held, each once. One per store; a combination no call holds any more is
/// let go when the table has doubled since it was last swept.
#[derive(Debug, Default)]
pub struct SharedTexts {
    table: HashTable<Arc<SharedText>>,
    hasher: std::collections::hash_map::RandomState,
    /// Entries after the last sweep: the next one runs when the table holds twice as many.
    swept_at: usize,
}

fn hash_of(hasher: &impl BuildHasher, text: &str, ends: &[u16]) -> u64 {
    let mut h = hasher.build_hasher();
    text.hash(&mut h);
    ends.hash(&mut h);
    h.finish()
}

/// A copy of a store starts a table of its own: sharing the original's would keep every
/// combination either one holds alive in both (the calls copied keep theirs either way).
impl Clone for SharedTexts {
    fn clone(&self) -> Self {
        Self::default()
    }
}

/// Below this many entries the table is never swept: it is too small to matter.
pub(super) const SWEEP_FROM: usize = 1024;

impl SharedTexts {
    /// The copy of `shared`'s texts this table keeps for every call holding the same:
    /// `shared` itself when it is the first.
    pub(super) fn adopt(&mut self, shared: Arc<SharedText>) -> Arc<SharedText> {
        let hash = hash_of(&self.hasher, &shared.text, &shared.ends);
        if let Some(found) = self
            .table
            .find(hash, |s| s.text == shared.text && s.ends == shared.ends)
        {
            return Arc::clone(found);
        }
        if self.table.len() >= SWEEP_FROM && self.table.len() >= 2 * self.swept_at {
            self.table.retain(|s| Arc::strong_count(s) > 1);
            self.swept_at = self.table.len();
        }
        let hasher = &self.hasher;
        self.table.insert_unique(hash, Arc::clone(&shared), |s| {
            hash_of(hasher, &s.text, &s.ends)
        });
        shared
    }

    /// [`SharedText::of`], then [`SharedTexts::adopt`].
    #[cfg(test)]
    pub(super) fn intern<'a>(
        &mut self,
        field: impl Fn(Text) -> Option<&'a str>,
    ) -> Option<Arc<SharedText>> {
        SharedText::of(field).map(|s| self.adopt(s))
    }

    /// Combinations held (some may be held by no call until the next sweep).
    #[cfg(test)]
    pub(super) fn len(&self) -> usize {
        self.table.len()
    }
}

/// The shared fields of an inbound call with `status` and `staff`, for the tests here and
/// in `shared_known.rs`.
#[cfg(test)]
pub(super) fn combo<'a>(
    status: &'a str,
    staff: Option<&'a str>,
) -> impl Fn(Text) -> Option<&'a str> {
    move |f| match f {
        Text::Status => Some(status),
        Text::StaffUid => staff,
        Text::Direction => Some("INBOUND"),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn calls_holding_the_same_fields_share_one_copy() {
        let mut shared = SharedTexts::default();
        let a = shared.intern(combo("MISSED", Some("s1"))).unwrap();
        let b = shared.intern(combo("MISSED", Some("s1"))).unwrap();
        let c = shared.intern(combo("MISSED", Some("s2"))).unwrap();
        assert!(Arc::ptr_eq(&a, &b));
        assert!(!Arc::ptr_eq(&a, &c));
        assert_eq!(shared.len(), 2);
        let k = |t: Text| SHARED.iter().position(|f| *f == t).unwrap();
        assert_eq!(c.get(k(Text::StaffUid)), Some("s2"));
        assert_eq!(c.get(k(Text::Status)), Some("MISSED"));
        assert_eq!(c.get(k(Text::Provider)), Some(""));
    }

    #[test]
    fn the_same_text_split_differently_between_fields_is_another_combination() {
        let mut shared = SharedTexts::default();
        let split = |status: &'static str, direction: &'static str| {
            move |f: Text| match f {
                Text::Status => Some(status),
                Text::Direction => Some(direction),
                _ => None,
            }
        };
        let a = shared.intern(split("MISSED", "INBOUND")).unwrap();
        let b = shared.intern(split("MISSEDI", "NBOUND")).unwrap();
        assert!(!Arc::ptr_eq(&a, &b));
        let k = |t: Text| SHARED.iter().position(|f| *f == t).unwrap();
        assert_eq!(b.get(k(Text::Status)), Some("MISSEDI"));
        assert_eq!(a.get(k(Text::Direction)), Some("INBOUND"));
    }

    #[test]
    fn combinations_no_call_holds_are_let_go() {
        let mut shared = SharedTexts::default();
        let kept = shared.intern(combo("KEPT", None)).unwrap();
        for i in 0..10 * SWEEP_FROM {
            let status = format!("S{i}");
            drop(shared.intern(combo(&status, None)));
        }
        assert!(shared.len() <= 2 * SWEEP_FROM, "{} held", shared.len());
        let again = shared.intern(combo("KEPT", None)).unwrap();
        assert!(
            Arc::ptr_eq(&kept, &again),
            "a combination still held is kept"
        );
    }

    #[test]
    fn fields_past_64_kib_together_are_not_shared() {
        let mut shared = SharedTexts::default();
        let long = "x".repeat(40_000);
        let fields = |f: Text| match f {
            Text::Status | Text::Provider => Some(long.as_str()),
            _ => None,
        };
        assert!(shared.intern(fields).is_none());
    }
}
