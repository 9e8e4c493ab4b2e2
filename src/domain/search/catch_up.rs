//! Keeping up: what changed since the search last looked (calls in the store, rows in the
//! list, names of the people behind them), learnt from generations and journals, and the
//! matches brought up to date at the least cost.

use std::collections::HashSet;

use nucleo_matcher::Utf32Str;

use super::haystacks::{Rescore, Span};
use super::scan::{Scanner, Scorer};
use super::{Corpus, Match, Search};
use crate::domain::calls::CallId;

/// How far the matches are behind the corpus.
pub(super) enum Stale {
    /// Nothing changed.
    Fresh,
    /// Rows were appended from `from` on, and these calls changed.
    Grew { from: usize, changed: Vec<CallId> },
    /// Anything else: every row is scanned again.
    All,
}

/// Changed calls rescored one by one; past this many, everything is scanned again.
const RESCORE_MAX: usize = 256;

impl Search {
    /// Brings the matches up to date with `corpus` after anything changed it (a page
    /// appended, a refresh, a save, a name that arrived): what changed is read from the
    /// generations, so the code that changed the calls need not say. Costs nothing when
    /// nothing changed, and nothing while no pattern is set.
    pub fn sync(&mut self, corpus: Corpus<'_>) {
        if !self.is_active() {
            return;
        }
        match self.catch_up(corpus) {
            Stale::Fresh => {}
            Stale::All => self.rescan(corpus),
            Stale::Grew { from, changed } => {
                let mut matches = std::mem::take(&mut self.matches);
                if !changed.is_empty() {
                    // Rows of calls that changed are scored again, wherever they are listed.
                    let changed: HashSet<CallId> = changed.into_iter().collect();
                    let rows: Vec<usize> = corpus.ids[..from]
                        .iter()
                        .enumerate()
                        .filter(|(_, id)| changed.contains(id))
                        .map(|(row, _)| row)
                        .collect();
                    matches.retain(|m| rows.binary_search(&m.index).is_err());
                    let scanner = Scanner {
                        haystacks: &self.haystacks,
                        ids: corpus.ids,
                        scorer: Scorer {
                            pattern: &self.compiled,
                            exact: &self.exact,
                            prefilter: &self.prefilter,
                        },
                        only: None,
                        defer: true,
                    };
                    for row in rows {
                        if let Some((score, field)) = scanner.score(row, &mut self.matcher) {
                            matches.push(Match {
                                index: row,
                                score,
                                field,
                            });
                        }
                    }
                }
                self.scan(corpus.ids, from..corpus.len(), false, true, &mut matches);
                self.install(matches, corpus);
            }
        }
    }

    /// Packs what the store added or changed and the names that changed since the last
    /// look, and says how far the matches are behind.
    pub(super) fn catch_up(&mut self, corpus: Corpus<'_>) -> Stale {
        let (store, people) = (corpus.store, corpus.people);
        let mut changed = Vec::new();
        let whole = match self.packed {
            None => true,
            Some((generation, _)) if generation == store.generation() => false,
            Some((generation, _)) => match store.changed_since(generation) {
                Some(ids) => {
                    changed.extend(ids);
                    false
                }
                None => true,
            },
        };
        let (mut renamed_clients, mut renamed_staff) = (Vec::new(), Vec::new());
        if whole {
            self.haystacks.clear();
        } else if let Some((_, names)) = self.packed
            && names != people.generation()
        {
            (renamed_clients, renamed_staff) = self.haystacks.rename(people, names);
        }
        changed.sort_unstable();
        changed.dedup();
        for id in &changed {
            self.haystacks.repack(id.index(), store.get(*id), people);
        }
        self.haystacks.extend(store, people);
        self.packed = Some((store.generation(), people.generation()));
        if self.is_active() {
            // A renamed person whose score changed changes the calls they are on; one whose
            // score did not (the new name does not match either) changes nothing.
            let (clients, staff) =
                self.score_keys(Rescore::Renamed, &renamed_clients, &renamed_staff);
            if !clients.is_empty() || !staff.is_empty() {
                changed.extend(self.haystacks.slots_of(&clients, &staff));
                changed.sort_unstable();
                changed.dedup();
            }
        }
        let (generation, len) = self.scanned;
        if whole || generation != corpus.generation || corpus.len() < len {
            Stale::All
        } else if changed.is_empty() && corpus.len() == len {
            Stale::Fresh
        } else if changed.len() > RESCORE_MAX {
            Stale::All
        } else {
            Stale::Grew { from: len, changed }
        }
    }

    /// Scores each person once for the current pattern (those never scored, and those
    /// `which` says), so the scan reads their scores; returns the clients and staff scored
    /// before whose score changed (ascending keys).
    pub(super) fn score_keys(
        &mut self,
        which: Rescore,
        renamed_clients: &[u32],
        renamed_staff: &[u32],
    ) -> (Vec<u32>, Vec<u32>) {
        if !self.is_active() {
            return (Vec::new(), Vec::new());
        }
        let scorer = Scorer {
            pattern: &self.compiled,
            exact: &self.exact,
            prefilter: &self.prefilter,
        };
        let matcher = &mut self.matcher;
        let mut value = |text: Utf32Str<'_>, span: Span| scorer.value(text, span, matcher);
        let clients = self
            .haystacks
            .score_keys(false, renamed_clients, which, &mut value);
        let staff = self
            .haystacks
            .score_keys(true, renamed_staff, which, &mut value);
        (clients, staff)
    }
}
