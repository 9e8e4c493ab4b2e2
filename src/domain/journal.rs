//! A generation number and a journal of what changed: how a derived index (the search) learns
//! what changed in what it derives from (the call store, the names known) without the code
//! that changed it saying so.

/// The last `MAX` changes, each stamped with the generation it made. An index remembers the
/// generation it last looked at and asks what changed since; past the journal, it starts over.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Journal<K, const MAX: usize> {
    /// Bumped on every change.
    generation: u64,
    /// `(generation, what)` of each change after `base`, oldest first.
    entries: Vec<(u64, K)>,
    base: u64,
}

impl<K, const MAX: usize> Default for Journal<K, MAX> {
    fn default() -> Self {
        Self {
            generation: 0,
            entries: Vec::new(),
            base: 0,
        }
    }
}

impl<K, const MAX: usize> Journal<K, MAX> {
    pub fn generation(&self) -> u64 {
        self.generation
    }

    /// `what` changed. When the journal is full its older half is forgotten, not all of it:
    /// an index that looked a moment ago (a page of calls ago) still learns only what changed
    /// since, instead of starting over.
    pub fn record(&mut self, what: K) {
        self.generation += 1;
        if self.entries.len() >= MAX {
            let dropped = (MAX / 2).max(1);
            self.base = self.entries[dropped - 1].0;
            self.entries.drain(..dropped);
        }
        self.entries.push((self.generation, what));
    }

    /// Everything changed: whoever looked before starts over.
    pub fn everything(&mut self) {
        self.generation += 1;
        self.entries.clear();
        self.base = self.generation;
    }

    /// What changed after generation `since`, or `None` when that is too long ago to say
    /// (the caller starts over).
    pub fn since(&self, since: u64) -> Option<impl Iterator<Item = &K> + '_> {
        (since >= self.base).then(|| {
            let start = self.entries.partition_point(|(g, _)| *g <= since);
            self.entries[start..].iter().map(|(_, what)| what)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn changes_are_told_since_a_generation_until_the_journal_is_too_short() {
        let mut j: Journal<u32, 3> = Journal::default();
        let start = j.generation();
        j.record(1);
        j.record(2);
        let seen: Vec<u32> = j.since(start).expect("journal").copied().collect();
        assert_eq!(seen, [1, 2]);
        let mid = j.generation() - 1;
        assert_eq!(
            j.since(mid).expect("journal").copied().collect::<Vec<_>>(),
            [2]
        );
        assert_eq!(j.since(j.generation()).expect("journal").count(), 0);
        j.record(3);
        j.record(4); // past MAX: the older half (1) is forgotten
        assert!(j.since(start).is_none(), "too long ago");
        assert_eq!(
            j.since(start + 1)
                .expect("a look after 1 still learns the rest")
                .copied()
                .collect::<Vec<_>>(),
            [2, 3, 4]
        );
        let recent = j.generation() - 1;
        assert_eq!(
            j.since(recent)
                .expect("journal")
                .copied()
                .collect::<Vec<_>>(),
            [4]
        );
        j.everything();
        assert!(j.since(recent).is_none());
        assert_eq!(j.since(j.generation()).expect("journal").count(), 0);
    }
}
