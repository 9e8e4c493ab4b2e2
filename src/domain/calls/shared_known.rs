//! The combinations of shared fields some call already points at, wherever a call is packed
//! (the page reader's task or the store's thread): a call whose combination is held already is
//! packed pointing at that copy, with nothing allocated for it.
//!
//! Without it every call packed away from the store got a copy of its own, which the store
//! then let go for the copy its calls share: two small blocks freed per call, left scattered
//! between the calls kept. The allocator handed them out again to every later allocation of
//! the process (each frame's cells and rows), and a frame paid for reaching them: every render
//! row rose by about 0.17× bare ratatui with the page readers' merge (benches/NOTES.md).
//!
//! Held weakly: only calls and stores keep a combination alive; an entry whose combination
//! went is dropped when the index has doubled since it was last swept.

use std::hash::{BuildHasher, Hasher};
use std::sync::{Arc, LazyLock, Mutex, PoisonError, Weak};

use hashbrown::HashTable;

use super::shared::{SHARED, SWEEP_FROM, SharedText};
use crate::api::Text;

#[derive(Default)]
struct Known {
    /// Each combination's hash (the table's order), and the combination.
    table: HashTable<(u64, Weak<SharedText>)>,
    hasher: std::collections::hash_map::RandomState,
    /// Entries after the last sweep: the next one runs when the table holds twice as many.
    swept_at: usize,
}

/// One index for the process: the reader's tasks and the store's thread pack the same
/// combinations.
static KNOWN: LazyLock<Mutex<Known>> = LazyLock::new(Mutex::default);

/// The combination `field` gives for the [`SHARED`] fields: the copy a call already points at
/// when there is one, else a new one ([`SharedText::build`]), known from then on. `None` when
/// together they pass 64 KiB.
pub(super) fn shared_of<'a>(field: impl Fn(Text) -> Option<&'a str>) -> Option<Arc<SharedText>> {
    KNOWN
        .lock()
        .unwrap_or_else(PoisonError::into_inner)
        .of(field)
}

impl Known {
    /// [`shared_of`] in this index.
    fn of<'a>(&mut self, field: impl Fn(Text) -> Option<&'a str>) -> Option<Arc<SharedText>> {
        let mut h = self.hasher.build_hasher();
        let mut ends = [0u16; SHARED.len()];
        let mut len = 0;
        for (k, f) in SHARED.iter().enumerate() {
            let text = field(*f).unwrap_or("");
            h.write(text.as_bytes());
            len += text.len();
            ends[k] = u16::try_from(len).ok()?;
        }
        // The ends too: the same text split differently between fields is another combination.
        for end in ends {
            h.write_u16(end);
        }
        let hash = h.finish();
        let mut found = None;
        self.table.find(hash, |(h, held)| {
            if *h != hash {
                return false;
            }
            let Some(held) = held.upgrade() else {
                return false;
            };
            let same = held.ends == ends
                && (SHARED.iter().enumerate())
                    .all(|(k, f)| held.get(k) == Some(field(*f).unwrap_or("")));
            found = same.then_some(held);
            same
        });
        if found.is_some() {
            return found;
        }
        let shared = SharedText::build(&field)?;
        if self.table.len() >= SWEEP_FROM && self.table.len() >= 2 * self.swept_at {
            self.table.retain(|(_, held)| held.strong_count() > 0);
            self.swept_at = self.table.len();
        }
        self.table
            .insert_unique(hash, (hash, Arc::downgrade(&shared)), |(h, _)| *h);
        Some(shared)
    }
}

#[cfg(test)]
mod tests {
    use super::super::shared::combo;
    use super::*;

    // The process's index is shared with the tests running beside: each test's texts are
    // its own.

    #[test]
    fn a_combination_a_call_holds_is_not_copied_again() {
        let held = SharedText::of(combo("KNOWN-HELD", Some("s1"))).unwrap();
        let again = SharedText::of(combo("KNOWN-HELD", Some("s1"))).unwrap();
        assert!(Arc::ptr_eq(&held, &again), "packed again, not pointed at");
        let other = SharedText::of(combo("KNOWN-HELD", Some("s2"))).unwrap();
        assert!(!Arc::ptr_eq(&held, &other));
        // An absent field packs as empty: the call's own mask tells it from "".
        let empty = SharedText::of(combo("KNOWN-HELD", Some(""))).unwrap();
        let absent = SharedText::of(combo("KNOWN-HELD", None)).unwrap();
        assert!(Arc::ptr_eq(&empty, &absent));
    }

    #[test]
    fn the_index_keeps_no_combination_alive() {
        let first = SharedText::of(combo("KNOWN-GONE", None)).unwrap();
        let gone = Arc::downgrade(&first);
        drop(first);
        assert!(gone.upgrade().is_none(), "the index held it");
        let next = SharedText::of(combo("KNOWN-GONE", None)).unwrap();
        assert_eq!(next.get(0), Some("KNOWN-GONE"));
    }

    #[test]
    fn entries_whose_combination_went_are_swept() {
        // An index of its own: the process's is shared with the tests running beside.
        let mut known = Known::default();
        let kept = known.of(combo("KNOWN-KEPT", None)).unwrap();
        for i in 0..4 * SWEEP_FROM {
            drop(known.of(combo(&format!("KNOWN-SWEPT-{i}"), None)));
        }
        assert!(
            known.table.len() <= 2 * SWEEP_FROM,
            "{} entries",
            known.table.len()
        );
        let again = known.of(combo("KNOWN-KEPT", None)).unwrap();
        assert!(
            Arc::ptr_eq(&kept, &again),
            "a combination still held is kept"
        );
    }

    #[test]
    fn fields_past_64_kib_together_are_not_indexed() {
        let long = "x".repeat(40_000);
        let fields = |f: Text| match f {
            Text::Status | Text::Provider => Some(long.as_str()),
            _ => None,
        };
        assert!(SharedText::of(fields).is_none());
    }
}
