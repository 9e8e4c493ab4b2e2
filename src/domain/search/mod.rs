//! Fuzzy search over the loaded calls: `App::update` feeds it each keystroke, the draw code only
//! reads the ranked matches and asks for highlights of the few rows on screen.
//!
//! How it matches:
//! - Each searchable field ([`SearchField::ALL`]) is matched on its own, so letters are never
//!   scattered across fields; a call's score is its best field's score. The people behind a
//!   call are fields too: its client's name, its handler's name (as the list shows them, from
//!   [`People`], looked up by id) and its client's uid.
//! - A field that holds every word whole (contiguous, as typed) ranks above every fuzzy hit,
//!   and among those a word found at the start of a word ranks first (nucleo's bonus). Fuzzy
//!   hits (the letters in order, scattered) are shown only when no call holds the words
//!   whole: `emily` finds Emily Carter, not a summary whose words happen to spell it.
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
//! - Each person (a client, a member of staff) is packed and scored once per keystroke, not
//!   once per call; a call holds their keys. A name that arrives is learnt from the
//!   [`People`] generation and journal as the store's changes are: only calls whose person now
//!   scores differently are scored again.
//! - A one-word needle found whole at the start of a word scores the most any field can, so
//!   that field is settled by a plain scan instead of nucleo's matrix, and once a field has
//!   that top score no later field is scored (it could only tie, and ties go to the earlier).
//! - A fuzzy hit is scored only when fuzzy hits are shown (no call holds the words whole):
//!   until then a call whose fields may only match fuzzily is kept unscored, for a narrower
//!   pattern to rescan, and nucleo's matrix never runs for it.
//! - A one-char needle (the first keystroke) is scored as nucleo would, without it: each
//!   field read 16 bytes at a time, and skipped when it cannot beat its call's best so far.
//! - A scan of many calls is cut into chunks that every core claims in turn (the baseline
//!   stays on one thread); the matches are then ranked by a counting sort on the score.
//!
//! None of this changes a score or the ranking: tests compare every result with the bare
//! matcher's (its substring and fuzzy scores per field), on seeded calls and on random text
//! built to trip case folding, normalisation and word starts.

mod catch_up;
mod haystacks;
mod highlight;
mod one_char;
mod prefilter;
mod scan;

use nucleo_matcher::pattern::{AtomKind, CaseMatching, Normalization, Pattern};
use nucleo_matcher::{Config, Matcher};

use crate::api::{CallFields, Text};
use crate::domain::calls::{CallId, CallList, CallStore};
use crate::domain::people::People;

use catch_up::Stale;
use haystacks::{Haystacks, Rescore};
pub use highlight::Highlighter;
use prefilter::Prefilter;
use scan::{MAX_THREADS, PARALLEL_MIN, Part, Worker};

/// A call field the search looks at.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SearchField {
    From,
    To,
    /// The client's name, when known.
    Client,
    /// Who handled the call: the staff member's name, else their uid (as the list shows it).
    HandledBy,
    Summary,
    Uid,
    ExternalUuid,
    SourceId,
    /// The client's uid.
    ClientUid,
}

/// Where the index keeps a field's text: per call, or once per person (see `haystacks`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Source {
    /// The call's own, the `k`-th packed for each call.
    Call(usize),
    /// The client's name (`0`) or uid (`1`).
    Client(usize),
    /// The handler's label.
    Staff,
}

impl SearchField {
    /// Every searched field; on equal scores the earlier field is reported.
    pub const ALL: [SearchField; 9] = [
        SearchField::From,
        SearchField::To,
        SearchField::Client,
        SearchField::HandledBy,
        SearchField::Summary,
        SearchField::Uid,
        SearchField::ExternalUuid,
        SearchField::SourceId,
        SearchField::ClientUid,
    ];

    /// This field's text for `call`, if there is one: the call's own as the server sent it,
    /// a person's name as `people` knows it.
    pub fn text<'a, C: CallFields + ?Sized>(
        self,
        call: &'a C,
        people: &'a People,
    ) -> Option<&'a str> {
        match self {
            SearchField::From => call.from_number(),
            SearchField::To => call.to_number(),
            SearchField::Client => people.client_name(call.client_uid()?),
            SearchField::HandledBy => people.handler_label(call),
            SearchField::Summary => call.call_summary(),
            SearchField::Uid => call.uid(),
            SearchField::ExternalUuid => call.text(Text::ExternalUuid),
            SearchField::SourceId => call.text(Text::SourceId),
            SearchField::ClientUid => call.client_uid(),
        }
    }

    const fn source(self) -> Source {
        match self {
            SearchField::From => Source::Call(0),
            SearchField::To => Source::Call(1),
            SearchField::Summary => Source::Call(2),
            SearchField::Uid => Source::Call(3),
            SearchField::ExternalUuid => Source::Call(4),
            SearchField::SourceId => Source::Call(5),
            SearchField::Client => Source::Client(0),
            SearchField::ClientUid => Source::Client(1),
            SearchField::HandledBy => Source::Staff,
        }
    }
}

/// One matching call.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Match {
    /// Position in the call list.
    pub index: usize,
    /// Higher is better; only comparable within one pattern. A call holding every word whole
    /// scores above every fuzzy hit.
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
    /// The same words, each to be found whole.
    exact: Pattern,
    /// Best first, ties by list index; fuzzy hits included even when hidden.
    matches: Vec<Match>,
    /// How many of `matches` are shown: the exact ones when there are any, else all.
    shown: usize,
    /// For each list index, its position in `matches` or `NOT_A_MATCH`: O(1) membership and
    /// O(1) n/N. Invariant: exactly the indices in `matches` are set.
    rank: Vec<u32>,
    /// The list `matches` describe: its generation and length when last scanned.
    scanned: (u64, usize),
    /// The store and people generations `haystacks` were last brought up to; `None` before
    /// the first pack.
    packed: Option<(u64, u64)>,
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

/// What a search runs over: the store's calls, in the order one view lists them, and the
/// names of the people behind them. The search tells from the store's, the list's and the
/// people's generations what changed since it last looked.
#[derive(Clone, Copy)]
pub struct Corpus<'a> {
    pub store: &'a CallStore,
    pub ids: &'a [CallId],
    /// The list's [`CallList::generation`].
    pub generation: u64,
    pub people: &'a People,
}

impl<'a> Corpus<'a> {
    pub fn new(store: &'a CallStore, list: &'a CallList, people: &'a People) -> Self {
        Self {
            store,
            ids: list.ids(),
            generation: list.generation(),
            people,
        }
    }

    fn len(&self) -> usize {
        self.ids.len()
    }
}

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
            exact: Pattern::default(),
            matches: Vec::new(),
            shown: 0,
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
            let compile =
                |kind| Pattern::new(&needle, CaseMatching::Smart, Normalization::Smart, kind);
            self.compiled = compile(AtomKind::Fuzzy);
            self.exact = compile(AtomKind::Substring);
            self.prefilter = Prefilter::of(&self.compiled);
            self.needle = needle;
            // Each person once, for the scan to read: for a narrower pattern only those who
            // matched before can match.
            self.score_keys(
                if narrows {
                    Rescore::Matched
                } else {
                    Rescore::All
                },
                &[],
                &[],
            );
        }
        if narrows {
            // Walk the previous matches in list order, not ranked order: the arena is then
            // read front to back.
            let mut kept = std::mem::take(&mut self.scratch);
            kept.clear();
            self.scan(corpus.ids, 0..self.rank.len(), true, true, &mut kept);
            self.install(kept, corpus);
        } else {
            self.rescan(corpus);
        }
    }

    /// Drops the pattern and every match.
    pub fn clear(&mut self) {
        self.pattern.clear();
        self.needle.clear();
        self.compiled = Pattern::default();
        self.exact = Pattern::default();
        self.matches.clear();
        self.shown = 0;
        self.rank.clear();
    }

    /// Ranked best first, ties by list index: the calls holding every word whole, or when
    /// none does, the fuzzy hits.
    pub fn matches(&self) -> &[Match] {
        self.matches.get(..self.shown).unwrap_or_default()
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
        let last = self.shown.checked_sub(1)?;
        let pos = match self.position(from_index) {
            Some(p) if p < last => p + 1,
            _ => 0,
        };
        Some(self.matches[pos].index)
    }

    /// `N`: the list index of the previous match in ranked order before the call at
    /// `from_index`, wrapping; the weakest match when that call is not a match.
    pub fn prev(&self, from_index: usize) -> Option<usize> {
        let last = self.shown.checked_sub(1)?;
        let pos = match self.position(from_index) {
            Some(p) if p > 0 => p - 1,
            _ => last,
        };
        Some(self.matches[pos].index)
    }

    /// What draws the matched characters of the rows on screen, with only `&self` (the
    /// view's borrow) and the names the list shows; `None` while no pattern is set. It makes
    /// its own matcher, about 135 KB zeroed, so make one per frame and ask it for each
    /// visible row.
    pub fn highlighter<'a>(&'a self, people: &'a People) -> Option<Highlighter<'a>> {
        self.is_active().then(|| Highlighter {
            pattern: &self.compiled,
            exact: &self.exact,
            people,
            matcher: Matcher::new(Config::DEFAULT),
            chars: Vec::new(),
        })
    }

    /// A shown match's position in `matches`.
    fn position(&self, index: usize) -> Option<usize> {
        match self.rank.get(index) {
            Some(&p) if p != NOT_A_MATCH && (p as usize) < self.shown => Some(p as usize),
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
