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

use std::cmp::Reverse;
use std::ops::Range;
use std::sync::atomic::{AtomicUsize, Ordering};

use nucleo_matcher::chars::{normalize, to_lower_case};
use nucleo_matcher::pattern::{AtomKind, CaseMatching, Normalization, Pattern};
use nucleo_matcher::{Config, Matcher, Utf32Str};

use crate::api::VoiceCall;
use crate::domain::calls::{CallId, CallList, CallStore, ListView};

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

/// The matched characters of a few calls, for drawing (see [`Search::highlighter`]).
pub struct Highlighter<'a> {
    pattern: &'a Pattern,
    matcher: Matcher,
    /// Reused across rows, so a frame allocates nothing per row but the answer.
    chars: Vec<char>,
}

impl Highlighter<'_> {
    /// Positions to highlight in `field`'s text of `call`, ascending; empty when that field
    /// does not match. Positions count graphemes, nucleo's unit, which are chars for any text
    /// without combining marks. Runs the matcher again, so ask for visible rows only.
    pub fn positions(&mut self, call: &VoiceCall, field: SearchField) -> Vec<u32> {
        let mut positions = Vec::new();
        let Some(text) = field.text(call) else {
            return positions;
        };
        // The same text the index holds: `ς` folded to `σ`, one char for one, so positions
        // still point into the original.
        let unicode = matches!(Utf32Str::new(text, &mut self.chars), Utf32Str::Unicode(_));
        let haystack = if unicode {
            for c in &mut self.chars {
                *c = fold_final_sigma(*c);
            }
            Utf32Str::Unicode(&self.chars)
        } else {
            Utf32Str::new(text, &mut self.chars)
        };
        if self
            .pattern
            .indices(haystack, &mut self.matcher, &mut positions)
            .is_none()
        {
            // A later word may fail after earlier ones pushed their positions.
            positions.clear();
        }
        positions.sort_unstable();
        positions.dedup();
        positions
    }
}

/// A scan thread's own matcher and results, kept between keystrokes.
#[derive(Debug, Clone)]
struct Worker {
    matcher: Matcher,
    part: Part,
}

/// The matches one thread found, chunk by chunk, in list order within each chunk.
#[derive(Debug, Clone, Default)]
struct Part {
    matches: Vec<Match>,
    /// (first list index of the chunk, its range in `matches`).
    chunks: Vec<(usize, Range<usize>)>,
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

/// Every searched field of every call, packed back to back in nucleo's form. Matching the
/// calls' own strings meant a cache miss per field (700 000 scattered heap strings for 100 000
/// calls) and cost more than the matching itself; one sequential arena is several times
/// faster, for about the size of the text (the bench measures 41 MB in all per 100 000 calls).
#[derive(Debug, Clone, Default)]
struct Haystacks {
    /// ASCII texts, nearly all of them.
    ascii: Vec<u8>,
    /// The others, as nucleo segments them (first char of each grapheme).
    wide: Vec<char>,
    /// `FIELDS` spans per call, in `SearchField::ALL` order.
    spans: Vec<Span>,
    /// Scratch for segmenting a non-ASCII text.
    chars: Vec<char>,
}

const FIELDS: usize = SearchField::ALL.len();

/// Where one field's text lives; an absent field is an empty span, which nothing matches.
#[derive(Debug, Clone, Copy, Default)]
struct Span {
    start: u32,
    /// The top bit says the text is in `wide`.
    len: u32,
    /// The characters the text holds: a field lacking one the needle needs is not scored.
    chars: CharSet,
    /// The ASCII letters and digits that start a word (first, or after whitespace).
    word_starts: CharSet,
}

const WIDE: u32 = 1 << 31;

/// A set of characters, folded so that whenever nucleo could match a needle char against a
/// text char, the needle char's bit is in the text's set: one bit per ASCII letter (either
/// case) or digit, the other ASCII characters sharing 27 bits, one bit for all of non-ASCII.
/// A needle char in a text's set may still not be there; one outside it certainly is not.
type CharSet = u64;

const NON_ASCII: CharSet = 1 << 63;

/// The bit of each ASCII char.
const ASCII_BITS: [CharSet; 128] = {
    let mut bits = [0; 128];
    let mut b = 0;
    while b < 128 {
        let c = (b as u8).to_ascii_lowercase();
        bits[b] = if c.is_ascii_lowercase() {
            1 << (c - b'a')
        } else if c.is_ascii_digit() {
            1 << (26 + c - b'0')
        } else {
            1 << (36 + c % 27)
        };
        b += 1;
    }
    bits
};

fn char_bit(c: char) -> CharSet {
    if c.is_ascii() {
        ASCII_BITS[c as usize]
    } else {
        NON_ASCII
    }
}

fn ascii_chars(text: &[u8]) -> CharSet {
    text.iter()
        .fold(0, |set, &b| set | ASCII_BITS[usize::from(b & 0x7f)])
}

/// Nucleo compares a needle char with a text char as is, lower-cased, normalised (`é` → `e`)
/// or both, depending on the needle: every form goes in.
fn wide_chars(text: &[char]) -> CharSet {
    text.iter().fold(0, |set, &c| {
        let plain = normalize(c);
        set | char_bit(c)
            | char_bit(to_lower_case(c))
            | char_bit(plain)
            | char_bit(to_lower_case(plain))
    })
}

/// The letters and digits that start a word of `text`, where nucleo gives its biggest bonus:
/// first in the text, or after whitespace.
fn word_starts(text: &[u8]) -> CharSet {
    let mut set = 0;
    let mut after_space = true;
    for &b in text {
        if after_space && b.is_ascii_alphanumeric() {
            set |= ASCII_BITS[usize::from(b & 0x7f)];
        }
        after_space = b.is_ascii_whitespace();
    }
    set
}

/// The most one needle char can add to a score with nucleo's default config: `SCORE_MATCH`
/// (16) plus the biggest bonus (10, a word start after whitespace; a run of consecutive chars
/// carries its first char's bonus). The first char's bonus counts twice.
const TOP_PER_CHAR: u32 = 16 + 10;
const TOP_FIRST_EXTRA: u32 = 10;

/// What is known about a compiled pattern that settles a field without nucleo.
#[derive(Debug, Clone, Default)]
struct Prefilter {
    /// Chars a field must hold to match: every char of every word, since all words must
    /// match within one field. Needle chars are already in the form nucleo compares.
    needs: CharSet,
    /// The highest score a field can get; once one has it, no later field can win.
    top: u32,
    /// A one-word ASCII needle that starts with a letter or digit, else empty. Where it
    /// appears whole at the start of a word, nucleo's best alignment is that one and scores
    /// `top`: found with a plain scan instead of nucleo's matrix.
    word: Vec<u8>,
    /// Smart case: no upper-case letter in `word`.
    ignore_case: bool,
}

impl Prefilter {
    fn of(pattern: &Pattern) -> Self {
        let mut filter = Prefilter::default();
        for atom in &pattern.atoms {
            let len = match atom.needle_text() {
                Utf32Str::Ascii(bytes) => {
                    filter.needs |= ascii_chars(bytes);
                    bytes.len()
                }
                Utf32Str::Unicode(chars) => {
                    filter.needs |= chars.iter().fold(0, |set, &c| set | char_bit(c));
                    chars.len()
                }
            };
            let len = u32::try_from(len).unwrap_or(u32::MAX);
            filter.top = filter
                .top
                .saturating_add(len.saturating_mul(TOP_PER_CHAR))
                .saturating_add(TOP_FIRST_EXTRA);
        }
        if let [atom] = pattern.atoms.as_slice()
            && let Utf32Str::Ascii(word) = atom.needle_text()
            && word.first().is_some_and(u8::is_ascii_alphanumeric)
            // Past these nucleo may fall back to its greedy matcher, which can miss the best
            // alignment.
            && word.len() <= MAX_WORD
        {
            filter.ignore_case = !word.iter().any(u8::is_ascii_uppercase);
            filter.word = word.to_vec();
        }
        filter
    }

    /// True when `text` holds `word` whole at the start of a word, so its score is `top`.
    fn starts_a_word(&self, text: Utf32Str<'_>, word_starts: CharSet) -> bool {
        let (Some(&first), Utf32Str::Ascii(text)) = (self.word.first(), text) else {
            return false;
        };
        if word_starts & ASCII_BITS[usize::from(first & 0x7f)] == 0 || text.len() > MAX_TEXT {
            return false;
        }
        // The set folds case, so it settles a one-letter word only when case is ignored.
        if self.word.len() == 1 && self.ignore_case {
            return true;
        }
        let same = |h: &u8, w: &u8| {
            if self.ignore_case {
                h.to_ascii_lowercase() == *w
            } else {
                h == w
            }
        };
        // Each place the first letter occurs (found with memchr, not byte by byte) that starts
        // a word and goes on with the rest of the word.
        let upper = first.to_ascii_uppercase();
        let mut from = 0;
        while let Some(found) = match self.ignore_case && upper != first {
            true => memchr::memchr2(first, upper, &text[from..]),
            false => memchr::memchr(first, &text[from..]),
        } {
            let i = from + found;
            let starts_word = i == 0 || text[i - 1].is_ascii_whitespace();
            if starts_word
                && text
                    .get(i..i + self.word.len())
                    .is_some_and(|t| t.iter().zip(&self.word).all(|(h, w)| same(h, w)))
            {
                return true;
            }
            from = i + 1;
        }
        false
    }
}

/// Bounds for the whole-word shortcut, well inside nucleo's matrix limits (100 KiB of cells,
/// 2048 chars): within them nucleo always runs its optimal matcher.
const MAX_WORD: usize = 32;
const MAX_TEXT: usize = 1024;

impl Haystacks {
    fn clear(&mut self) {
        self.ascii.clear();
        self.wide.clear();
        self.spans.clear();
    }

    /// Slots packed so far.
    fn slots(&self) -> usize {
        self.spans.len() / FIELDS
    }

    /// Packs the store's slots after the ones already packed (a freed slot packs as empty).
    fn extend(&mut self, store: &CallStore) {
        let from = self.slots();
        self.spans
            .reserve(store.slot_count().saturating_sub(from) * FIELDS);
        for slot in from..store.slot_count() {
            let call = store.get(slot_id(slot));
            for field in SearchField::ALL {
                let span = self.pack(call.and_then(|c| field.text(c)).unwrap_or(""));
                self.spans.push(span);
            }
        }
    }

    /// Repacks one slot in place; its old text stays behind as garbage until the next full
    /// pack, a few hundred bytes per edited call.
    fn repack(&mut self, slot: usize, call: Option<&VoiceCall>) {
        for (k, field) in SearchField::ALL.into_iter().enumerate() {
            let span = self.pack(call.and_then(|c| field.text(c)).unwrap_or(""));
            if let Some(s) = self.spans.get_mut(slot * FIELDS + k) {
                *s = span;
            }
        }
    }

    fn pack(&mut self, text: &str) -> Span {
        // Offsets are u32 to keep spans small; past 2 GiB of text a field is left
        // unsearchable rather than wrapped into another field's text.
        match Utf32Str::new(text, &mut self.chars) {
            Utf32Str::Ascii(bytes) => {
                let (Ok(start), Ok(len)) =
                    (u32::try_from(self.ascii.len()), u32::try_from(bytes.len()))
                else {
                    return Span::default();
                };
                if len >= WIDE {
                    return Span::default();
                }
                self.ascii.extend_from_slice(bytes);
                Span {
                    start,
                    len,
                    chars: ascii_chars(bytes),
                    word_starts: word_starts(bytes),
                }
            }
            Utf32Str::Unicode(chars) => {
                let (Ok(start), Ok(len)) =
                    (u32::try_from(self.wide.len()), u32::try_from(chars.len()))
                else {
                    return Span::default();
                };
                if len >= WIDE {
                    return Span::default();
                }
                let from = self.wide.len();
                self.wide.extend(chars.iter().map(|&c| fold_final_sigma(c)));
                Span {
                    start,
                    len: len | WIDE,
                    chars: wide_chars(&self.wide[from..]),
                    word_starts: 0,
                }
            }
        }
    }

    /// The fields of the call in `slot`.
    fn fields(&self, slot: usize) -> &[Span] {
        self.spans
            .get(slot * FIELDS..(slot + 1) * FIELDS)
            .unwrap_or_default()
    }

    fn text(&self, span: Span) -> Utf32Str<'_> {
        let start = span.start as usize;
        let len = (span.len & !WIDE) as usize;
        if span.len & WIDE == 0 {
            Utf32Str::Ascii(self.ascii.get(start..start + len).unwrap_or_default())
        } else {
            Utf32Str::Unicode(self.wide.get(start..start + len).unwrap_or_default())
        }
    }
}

/// The id of store slot `slot` (slots are numbered as the store numbers them).
fn slot_id(slot: usize) -> CallId {
    CallId::from_index(slot)
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
        let h = &self.haystacks;
        h.ascii.capacity()
            + h.wide.capacity() * size_of::<char>()
            + h.spans.capacity() * size_of::<Span>()
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

    /// Appends the matches among the calls in `range` to `out`, in list order. A long range
    /// is cut in chunks that the threads claim one at a time, so a thread the OS runs late
    /// (or never starts) just takes fewer of them.
    fn scan(&mut self, ids: &[CallId], range: Range<usize>, narrowing: bool, out: &mut Vec<Match>) {
        let scanner = Scanner {
            haystacks: &self.haystacks,
            ids,
            pattern: &self.compiled,
            prefilter: &self.prefilter,
            only: narrowing.then_some(self.rank.as_slice()),
        };
        let threads = self.threads.min(range.len().div_ceil(CHUNK));
        if threads <= 1 || range.len() < self.parallel_min {
            scanner.run(range, &mut self.matcher, out);
            return;
        }
        while self.workers.len() < threads - 1 {
            self.workers.push(Worker {
                matcher: Matcher::new(Config::DEFAULT),
                part: Part::default(),
            });
        }
        self.part.clear();
        for worker in &mut self.workers {
            worker.part.clear();
        }
        let next = AtomicUsize::new(range.start);
        let end = range.end;
        std::thread::scope(|scope| {
            for worker in self.workers.iter_mut().take(threads - 1) {
                let next = &next;
                // No thread from the OS is no error: the others claim its chunks.
                let _ = std::thread::Builder::new().spawn_scoped(scope, move || {
                    scanner.work(next, end, &mut worker.matcher, &mut worker.part);
                });
            }
            scanner.work(&next, end, &mut self.matcher, &mut self.part);
        });
        // Chunks back in list order: each part's are in order, so merge them.
        let parts: Vec<&Part> = std::iter::once(&self.part)
            .chain(self.workers.iter().map(|w| &w.part))
            .collect();
        let mut cursors = [0; MAX_THREADS];
        loop {
            let mut first: Option<(usize, usize)> = None;
            for (p, part) in parts.iter().enumerate() {
                if let Some((start, _)) = part.chunks.get(cursors[p])
                    && first.is_none_or(|(s, _)| *start < s)
                {
                    first = Some((*start, p));
                }
            }
            let Some((_, p)) = first else {
                break;
            };
            if let Some((_, found)) = parts[p].chunks.get(cursors[p]) {
                out.extend_from_slice(parts[p].matches.get(found.clone()).unwrap_or_default());
            }
            cursors[p] += 1;
        }
    }

    /// Matches every row; `haystacks` must already describe the corpus.
    fn rescan(&mut self, corpus: Corpus<'_>) {
        let mut found = std::mem::take(&mut self.scratch);
        found.clear();
        if self.is_active() {
            self.scan(corpus.ids, 0..corpus.len(), false, &mut found);
        }
        self.install(found, corpus);
    }

    /// Ranks `found` and makes them the current matches for `corpus`.
    fn install(&mut self, found: Vec<Match>, corpus: Corpus<'_>) {
        let spare = std::mem::take(&mut self.matches);
        let (matches, spare) = rank(found, spare, &mut self.counts);
        self.scratch = spare;
        // A fill of a few hundred kilobytes at most: cheaper to get right than tracking which
        // slots the previous matches used.
        self.rank.clear();
        self.rank.resize(corpus.len(), NOT_A_MATCH);
        for (pos, m) in matches.iter().enumerate() {
            // More than u32::MAX matches cannot be loaded in a terminal console; such a row
            // simply reads as "no rank" rather than wrapping.
            if let (Some(slot), Ok(pos)) = (self.rank.get_mut(m.index), u32::try_from(pos)) {
                *slot = pos;
            }
        }
        self.matches = matches;
        self.scanned = (corpus.generation, corpus.len());
    }
}

/// Calls per chunk of a parallel scan: small enough to even out threads the OS runs late,
/// large enough that claiming one is noise.
const CHUNK: usize = 4096;

/// Scans over fewer calls stay on one thread.
const PARALLEL_MIN: usize = 16_384;

/// Threads a scan uses at most, however many cores there are.
const MAX_THREADS: usize = 8;

impl Part {
    fn clear(&mut self) {
        self.matches.clear();
        self.chunks.clear();
    }
}

/// What a scan reads, shared by its threads.
#[derive(Clone, Copy)]
struct Scanner<'a> {
    haystacks: &'a Haystacks,
    /// The store slot of each list row.
    ids: &'a [CallId],
    pattern: &'a Pattern,
    prefilter: &'a Prefilter,
    /// When narrowing: the previous ranks, and only the calls ranked there are looked at.
    only: Option<&'a [u32]>,
}

impl Scanner<'_> {
    /// The best field score of the call at list row `index`, and which field gave it. A
    /// field that lacks a char the needle needs would score `None`, so it is not handed to
    /// nucleo.
    fn score(&self, index: usize, matcher: &mut Matcher) -> Option<(u32, SearchField)> {
        let filter = self.prefilter;
        let mut best: Option<(u32, SearchField)> = None;
        let slot = self.ids.get(index)?.index();
        for (&span, field) in self.haystacks.fields(slot).iter().zip(SearchField::ALL) {
            if filter.needs & !span.chars != 0 {
                continue;
            }
            let text = self.haystacks.text(span);
            let score = if filter.starts_a_word(text, span.word_starts) {
                Some(filter.top)
            } else {
                self.pattern.score(text, matcher)
            };
            if let Some(score) = score
                && best.is_none_or(|(b, _)| score > b)
            {
                best = Some((score, field));
                // A later field could only tie, and ties go to the earlier field.
                if score >= filter.top {
                    break;
                }
            }
        }
        best
    }

    fn run(&self, range: Range<usize>, matcher: &mut Matcher, out: &mut Vec<Match>) {
        for index in range {
            if let Some(only) = self.only
                && only.get(index).is_none_or(|&r| r == NOT_A_MATCH)
            {
                continue;
            }
            if let Some((score, field)) = self.score(index, matcher) {
                out.push(Match {
                    index,
                    score,
                    field,
                });
            }
        }
    }

    /// Claims chunks of the range left from `next` up to `end` until there are none.
    fn work(&self, next: &AtomicUsize, end: usize, matcher: &mut Matcher, part: &mut Part) {
        loop {
            let start = next.fetch_add(CHUNK, Ordering::Relaxed);
            if start >= end {
                break;
            }
            let from = part.matches.len();
            self.run(start..end.min(start + CHUNK), matcher, &mut part.matches);
            part.chunks.push((start, from..part.matches.len()));
        }
    }
}

/// Orders `found` best first, ties by list index; returns it with a buffer to reuse. A scan
/// yields its matches in list order, and then a counting sort on the score (scores span a
/// few hundred values) is a single pass and keeps list order within a score, where a
/// comparison sort of 100 000 matches took several milliseconds.
fn rank(
    mut found: Vec<Match>,
    mut spare: Vec<Match>,
    counts: &mut Vec<usize>,
) -> (Vec<Match>, Vec<Match>) {
    let in_list_order = found.windows(2).all(|w| w[0].index < w[1].index);
    let (low, high) = found.iter().fold((u32::MAX, 0), |(low, high), m| {
        (low.min(m.score), high.max(m.score))
    });
    let width = high.saturating_sub(low) as usize + 1;
    let Some(&first) = found.first() else {
        return (found, spare);
    };
    if !in_list_order || found.len() < 64 || width > 2 * found.len() + 4096 {
        found.sort_unstable_by_key(|m| (Reverse(m.score), m.index));
        return (found, spare);
    }
    // Slot k counts the matches scoring `high - k`, then becomes where the next one goes.
    counts.clear();
    counts.resize(width, 0);
    for m in &found {
        counts[(high - m.score) as usize] += 1;
    }
    let mut at = 0;
    for slot in counts.iter_mut() {
        let n = *slot;
        *slot = at;
        at += n;
    }
    spare.clear();
    spare.resize(found.len(), first);
    for m in &found {
        let slot = &mut counts[(high - m.score) as usize];
        spare[*slot] = *m;
        *slot += 1;
    }
    (spare, found)
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
