//! Fuzzy search over the loaded calls: `App::update` feeds it each keystroke, the draw code only
//! reads the ranked matches and asks for highlights of the few rows on screen.
//!
//! How it matches:
//! - Each searchable field ([`SearchField::ALL`]) is matched on its own, so letters are never
//!   scattered across fields; a call's score is its best field's score.
//! - Words separated by spaces must all match within that one field (`\ ` matches a space).
//!   No other syntax (`^`, `'`, `!`, `$` are literal): a console user pasting a summary
//!   fragment should not trip over operators.
//! - Smart case (an upper-case letter makes the word case-sensitive) and Latin normalisation
//!   (`e` finds `é`), as nucleo does.
//! - A pattern of only digits, spaces and `()+-.` is a phone number: it is reduced to its digits
//!   so `(415) 555-0148` finds `+14155550148`.
//! - An empty (or all-space) pattern matches nothing.
//!
//! `n`/`N` walk the matches in **ranked** order (best first), wrapping, not in list order: with
//! fuzzy matching the next row in time is often a weak hit, while the next-best hit is what the
//! user is after. From a row that is not a match, `n` goes to the best match and `N` to the
//! weakest.
//!
//! Speed (the budget is a slice of one `App::update` with 100 000 calls loaded; `cargo bench
//! --bench search` times each keystroke beside the bare nucleo matcher over the same strings,
//! in the same run, and reports both and their ratio):
//! - Typing one more character only rescans the previous matches, since a longer pattern can
//!   only narrow them.
//! - The text is packed once into one arena, with each field's set of characters; a field
//!   lacking a needle char is not handed to nucleo at all (for a phone number, the summaries).
//! - A one-word needle found whole at the start of a word scores the most any field can, so
//!   that field is settled by a plain scan instead of nucleo's matrix, and once a field has
//!   that top score no later field is scored (it could only tie, and ties go to the earlier).
//! - A scan of many calls is cut into chunks that every core claims in turn (the baseline
//!   stays on one thread); the matches are then ranked by a counting sort on the score.
//!
//! None of this changes a score or the ranking: tests compare every result with the bare
//! matcher's, on seeded calls and on random text built to trip case folding, normalisation
//! and word starts.

mod haystacks;
mod highlight;
mod prefilter;
mod scan;

use nucleo_matcher::pattern::{AtomKind, CaseMatching, Normalization, Pattern};
use nucleo_matcher::{Config, Matcher};

use crate::api::VoiceCall;
use crate::domain::calls::{CallId, CallList, CallStore, ListView};

use haystacks::Haystacks;
pub use highlight::Highlighter;
use prefilter::Prefilter;
use scan::{MAX_THREADS, PARALLEL_MIN, Part, Scanner, Worker};

/// A call field the search looks at.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SearchField {
    From,
    To,
    Client,
    Summary,
    Uid,
    ExternalUuid,
    SourceId,
}

impl SearchField {
    /// Every searched field; on equal scores the earlier field is reported.
    pub const ALL: [SearchField; 7] = [
        SearchField::From,
        SearchField::To,
        SearchField::Client,
        SearchField::Summary,
        SearchField::Uid,
        SearchField::ExternalUuid,
        SearchField::SourceId,
    ];

    /// This field's text in `call`, if the server sent it.
    pub fn text(self, call: &VoiceCall) -> Option<&str> {
        match self {
            SearchField::From => call.from_number.as_deref(),
            SearchField::To => call.to_number.as_deref(),
            SearchField::Client => call.client_uid.as_deref(),
            SearchField::Summary => call.call_summary.as_deref(),
            SearchField::Uid => call.uid.as_deref(),
            SearchField::ExternalUuid => call.external_uuid.as_deref(),
            SearchField::SourceId => call.source_id.as_deref(),
        }
    }
}

/// One matching call.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Match {
    /// Position in the call list.
    pub index: usize,
    /// Higher is better; only comparable within one pattern.
    pub score: u32,
    /// The field that gave the score, the one to highlight first.
    pub field: SearchField,
}

/// Marks a list index that is not a match in `Search::rank`.
const NOT_A_MATCH: u32 = u32::MAX;

/// The search state: pattern, ranked matches and what is needed to update them cheaply.
#[derive(Debug, Clone)]
pub struct Search {
    /// As typed.
    pattern: String,
    /// What is actually matched: the digits of a phone pattern, else the pattern as typed.
    needle: String,
    compiled: Pattern,
    /// Best first, ties by list index.
    matches: Vec<Match>,
    /// For each list index, its position in `matches` or `NOT_A_MATCH`: O(1) membership and
    /// O(1) n/N. Invariant: exactly the indices in `matches` are set.
    rank: Vec<u32>,
    /// The list `matches` describe: its generation and length when last scanned.
    scanned: (u64, usize),
    /// The store generation `haystacks` were last brought up to; `None` before the first pack.
    packed: Option<u64>,
    /// The searched text of every call in the store, by slot.
    haystacks: Haystacks,
    /// What settles a field for `compiled` without nucleo.
    prefilter: Prefilter,
    matcher: Matcher,
    /// One per extra thread of a parallel scan, made on the first one.
    workers: Vec<Worker>,
    /// Threads a scan may use, this one included.
    threads: usize,
    /// Scans over fewer calls than this stay on this thread: a spawn costs more.
    parallel_min: usize,
    /// This thread's share of a parallel scan.
    part: Part,
    /// Reused by ranking, so a keystroke allocates nothing.
    scratch: Vec<Match>,
    counts: Vec<usize>,
}

/// What a search runs over: the store's calls, in the order one view lists them. The search
/// tells from the store's and the list's generations what changed since it last looked.
#[derive(Clone, Copy)]
pub struct Corpus<'a> {
    pub store: &'a CallStore,
    pub ids: &'a [CallId],
    /// The list's [`CallList::generation`].
    pub generation: u64,
}

impl<'a> Corpus<'a> {
    pub fn new(store: &'a CallStore, list: &'a CallList) -> Self {
        Self {
            store,
            ids: list.ids(),
            generation: list.generation(),
        }
    }

    fn len(&self) -> usize {
        self.ids.len()
    }
}

impl<'a> From<ListView<'a>> for Corpus<'a> {
    fn from(view: ListView<'a>) -> Self {
        Corpus::new(view.store, view.list)
    }
}

/// How far the matches are behind the corpus.
enum Stale {
    /// Nothing changed.
    Fresh,
    /// Rows were appended from `from` on, and these calls changed.
    Grew { from: usize, changed: Vec<CallId> },
    /// Anything else: every row is scanned again.
    All,
}

/// Changed calls rescored one by one; past this many, everything is scanned again.
const RESCORE_MAX: usize = 256;
impl Default for Search {
    fn default() -> Self {
        Self::new()
    }
}

impl Search {
    pub fn new() -> Self {
        Self {
            pattern: String::new(),
            needle: String::new(),
            compiled: Pattern::default(),
            matches: Vec::new(),
            rank: Vec::new(),
            scanned: (0, 0),
            packed: None,
            haystacks: Haystacks::default(),
            prefilter: Prefilter::default(),
            matcher: Matcher::new(Config::DEFAULT),
            workers: Vec::new(),
            threads: std::thread::available_parallelism()
                .map_or(1, std::num::NonZero::get)
                .min(MAX_THREADS),
            parallel_min: PARALLEL_MIN,
            part: Part::default(),
            scratch: Vec::new(),
            counts: Vec::new(),
        }
    }

    /// A search that splits any scan of `parallel_min` calls or more over `threads` threads
    /// (at most `MAX_THREADS`), so tests can force the parallel path on small lists.
    #[cfg(test)]
    fn with_threads(threads: usize, parallel_min: usize) -> Self {
        Self {
            threads: threads.clamp(1, MAX_THREADS),
            parallel_min,
            ..Self::new()
        }
    }

    /// Roughly how much memory the search holds, for diagnostics: mostly the packed copy of
    /// the searched text.
    pub fn heap_bytes(&self) -> usize {
        self.haystacks.heap_bytes()
            + (self.matches.capacity() + self.scratch.capacity()) * size_of::<Match>()
            + self.rank.capacity() * size_of::<u32>()
    }

    /// The pattern as typed.
    pub fn pattern(&self) -> &str {
        &self.pattern
    }

    /// True when a pattern with something to match is set (it may still match nothing).
    pub fn is_active(&self) -> bool {
        !self.compiled.atoms.is_empty()
    }

    /// Recomputes the matches for `pattern` over `corpus`. When the pattern only grew (the
    /// user typed one more character) over an unchanged corpus, only the previous matches are
    /// rescanned.
    pub fn set_pattern(&mut self, pattern: &str, corpus: Corpus<'_>) {
        let needle = needle_of(pattern);
        let stale = self.catch_up(corpus);
        // A longer needle can only narrow the matches: every word of the old needle is a
        // subsequence of the matching word of the new one. A trailing `\` is the exception,
        // since `\` + space turns into a literal space.
        let narrows = self.is_active()
            && matches!(stale, Stale::Fresh)
            && needle.starts_with(self.needle.as_str())
            && !self.needle.ends_with('\\');
        self.pattern.clear();
        self.pattern.push_str(pattern);
        if needle != self.needle {
            self.compiled = Pattern::new(
                &needle,
                CaseMatching::Smart,
                Normalization::Smart,
                AtomKind::Fuzzy,
            );
            self.prefilter = Prefilter::of(&self.compiled);
            self.needle = needle;
        }
        if narrows {
            // Walk the previous matches in list order, not ranked order: the arena is then
            // read front to back.
            let mut kept = std::mem::take(&mut self.scratch);
            kept.clear();
            self.scan(corpus.ids, 0..self.rank.len(), true, &mut kept);
            self.install(kept, corpus);
        } else {
            self.rescan(corpus);
        }
    }

    /// Brings the matches up to date with `corpus` after anything changed it (a page
    /// appended, a refresh, a save): what changed is read from the generations, so the code
    /// that changed the calls need not say. Costs nothing when nothing changed, and nothing
    /// while no pattern is set.
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
                    let changed: std::collections::HashSet<CallId> = changed.into_iter().collect();
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
                        pattern: &self.compiled,
                        prefilter: &self.prefilter,
                        only: None,
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
                self.scan(corpus.ids, from..corpus.len(), false, &mut matches);
                self.install(matches, corpus);
            }
        }
    }

    /// Packs what the store added or changed since the last look, and says how far the
    /// matches are behind.
    fn catch_up(&mut self, corpus: Corpus<'_>) -> Stale {
        let store = corpus.store;
        let mut changed = Vec::new();
        let whole = match self.packed {
            None => true,
            Some(generation) if generation == store.generation() => false,
            Some(generation) => match store.changed_since(generation) {
                Some(ids) => {
                    changed.extend(ids);
                    false
                }
                None => true,
            },
        };
        if whole {
            self.haystacks.clear();
        }
        changed.sort_unstable();
        changed.dedup();
        for id in &changed {
            self.haystacks.repack(id.index(), store.get(*id));
        }
        self.haystacks.extend(store);
        self.packed = Some(store.generation());
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

    /// Drops the pattern and every match.
    pub fn clear(&mut self) {
        self.pattern.clear();
        self.needle.clear();
        self.compiled = Pattern::default();
        self.matches.clear();
        self.rank.clear();
    }

    /// Ranked best first, ties by list index.
    pub fn matches(&self) -> &[Match] {
        &self.matches
    }

    /// Whether the call at list `index` matches. O(1).
    pub fn is_match(&self, index: usize) -> bool {
        self.position(index).is_some()
    }

    /// The match for the call at list `index`, if it matches. O(1).
    pub fn match_at(&self, index: usize) -> Option<&Match> {
        self.position(index).and_then(|p| self.matches.get(p))
    }

    /// `n`: the list index of the next match in ranked order after the call at `from_index`,
    /// wrapping; the best match when that call is not a match.
    pub fn next(&self, from_index: usize) -> Option<usize> {
        let last = self.matches.len().checked_sub(1)?;
        let pos = match self.position(from_index) {
            Some(p) if p < last => p + 1,
            _ => 0,
        };
        Some(self.matches[pos].index)
    }

    /// `N`: the list index of the previous match in ranked order before the call at
    /// `from_index`, wrapping; the weakest match when that call is not a match.
    pub fn prev(&self, from_index: usize) -> Option<usize> {
        let last = self.matches.len().checked_sub(1)?;
        let pos = match self.position(from_index) {
            Some(p) if p > 0 => p - 1,
            _ => last,
        };
        Some(self.matches[pos].index)
    }

    /// What draws the matched characters of the rows on screen, with only `&self` (the
    /// view's borrow); `None` while no pattern is set. It makes its own matcher, about 135 KB
    /// zeroed, so make one per frame and ask it for each visible row.
    pub fn highlighter(&self) -> Option<Highlighter<'_>> {
        self.is_active().then(|| Highlighter {
            pattern: &self.compiled,
            matcher: Matcher::new(Config::DEFAULT),
            chars: Vec::new(),
        })
    }

    fn position(&self, index: usize) -> Option<usize> {
        match self.rank.get(index) {
            Some(&p) if p != NOT_A_MATCH => Some(p as usize),
            _ => None,
        }
    }
}

/// What to match for what the user typed: a phone-like pattern becomes its digits.
fn needle_of(pattern: &str) -> String {
    let phone_like = pattern.bytes().any(|b| b.is_ascii_digit())
        && pattern
            .bytes()
            .all(|b| b.is_ascii_digit() || b" ()+-.".contains(&b));
    if phone_like {
        pattern.chars().filter(char::is_ascii_digit).collect()
    } else {
        pattern.chars().map(fold_final_sigma).collect()
    }
}

/// `ς` as `σ`, in the index and in the needle alike. It is the same letter at a word's end,
/// and nucleo-matcher 0.3.1 mis-scores text that holds both (its optimal scorer asserts).
fn fold_final_sigma(c: char) -> char {
    if c == 'ς' { 'σ' } else { c }
}

#[cfg(test)]
#[path = "search_tests.rs"]
mod tests;
