//! A set of store slots as one bit each: which calls a list holds. Slots are small numbers
//! handed out from 0, so 100 000 of them take 12.5 KB, where a `HashSet<CallId>` took about
//! 1 MB per list.

use super::CallId;

#[derive(Debug, Clone, Default)]
pub(super) struct SlotSet {
    words: Vec<u64>,
    len: usize,
}

impl SlotSet {
    /// Adds `id`; whether it was not there yet.
    pub(super) fn insert(&mut self, id: CallId) -> bool {
        let (word, bit) = place(id);
        if word >= self.words.len() {
            self.words.resize(word + 1, 0);
        }
        let fresh = self.words[word] & bit == 0;
        self.words[word] |= bit;
        self.len += usize::from(fresh);
        fresh
    }

    pub(super) fn contains(&self, id: CallId) -> bool {
        let (word, bit) = place(id);
        self.words.get(word).is_some_and(|w| w & bit != 0)
    }

    /// Takes `id` out; whether it was there.
    pub(super) fn remove(&mut self, id: CallId) -> bool {
        let (word, bit) = place(id);
        let Some(w) = self.words.get_mut(word) else {
            return false;
        };
        let held = *w & bit != 0;
        *w &= !bit;
        self.len -= usize::from(held);
        held
    }

    pub(super) fn clear(&mut self) {
        *self = Self::default();
    }

    #[cfg(test)]
    pub(super) fn len(&self) -> usize {
        self.len
    }
}

fn place(id: CallId) -> (usize, u64) {
    (id.index() / 64, 1 << (id.index() % 64))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn it_holds_what_a_hash_set_holds() {
        let mut set = SlotSet::default();
        let mut model = HashSet::new();
        let mut seed = 7u64;
        for _ in 0..20_000 {
            seed = seed
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            let id = CallId::from_index((seed >> 33) as usize % 3000);
            match seed % 3 {
                0 => assert_eq!(set.remove(id), model.remove(&id)),
                _ => assert_eq!(set.insert(id), model.insert(id)),
            }
            assert_eq!(set.len(), model.len());
        }
        for i in 0..3100 {
            let id = CallId::from_index(i);
            assert_eq!(set.contains(id), model.contains(&id), "{i}");
        }
        set.clear();
        assert_eq!(set.len(), 0);
        assert!(!set.contains(CallId::from_index(5)));
    }
}
