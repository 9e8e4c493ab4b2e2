//! The prefilter: what a compiled pattern needs of a field before nucleo is worth running,
//! and the whole-word shortcut that scores a field the top score without nucleo's matrix.

use nucleo_matcher::Utf32Str;
use nucleo_matcher::pattern::Pattern;

use super::haystacks::{CharSet, Span, WORD_BITS, WordSet, ascii_chars, char_bit};
use super::one_char::OneChar;

/// The most one needle char can add to a score with nucleo's default config: `SCORE_MATCH`
/// (16) plus the biggest bonus (10, a word start after whitespace; a run of consecutive chars
/// carries its first char's bonus). The first char's bonus counts twice.
const TOP_PER_CHAR: u32 = 16 + 10;
const TOP_FIRST_EXTRA: u32 = 10;

/// What is known about a compiled pattern that settles a field without nucleo.
#[derive(Debug, Clone, Default)]
pub(super) struct Prefilter {
    /// Chars a field must hold to match: every char of every word, since all words must
    /// match within one field. Needle chars are already in the form nucleo compares.
    pub(super) needs: CharSet,
    /// The highest score nucleo can give a field (fuzzy or not).
    pub(super) top: u32,
    /// A one-word ASCII needle that starts with a letter or digit, else empty. Where it
    /// appears whole at the start of a word, nucleo's best alignment is that one and scores
    /// `top`: found with a plain scan instead of nucleo's matrix.
    word: Vec<u8>,
    /// Smart case: no upper-case letter in `word`.
    ignore_case: bool,
    /// Every word of the needle when all are ASCII (else empty): an ASCII field that lacks
    /// one of them whole is not handed to nucleo's substring matcher, which most fields are
    /// not (it builds a searcher for every field it is given).
    words: Vec<Whole>,
    /// A needle of one ASCII char, scored without nucleo.
    one: Option<OneChar>,
}

/// One ASCII word of the needle, to find whole.
#[derive(Debug, Clone)]
struct Whole {
    /// The word as is, with its searcher built once.
    finder: memchr::memmem::Finder<'static>,
    /// Smart case and a letter in the word: letters then match either case.
    ignore_case: bool,
}

impl Prefilter {
    pub(super) fn of(pattern: &Pattern) -> Self {
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
        filter.words = pattern
            .atoms
            .iter()
            .map_while(|atom| match atom.needle_text() {
                Utf32Str::Ascii(word) if !word.is_empty() => Some(Whole {
                    finder: memchr::memmem::Finder::new(word).into_owned(),
                    ignore_case: word.iter().any(u8::is_ascii_lowercase)
                        && !word.iter().any(u8::is_ascii_uppercase),
                }),
                _ => None,
            })
            .collect();
        if filter.words.len() != pattern.atoms.len() {
            filter.words.clear();
        }
        if let [atom] = pattern.atoms.as_slice()
            && let Utf32Str::Ascii(word) = atom.needle_text()
            && word.first().is_some_and(u8::is_ascii_alphanumeric)
            // Past these nucleo may fall back to its greedy matcher, which can miss the best
            // alignment.
            && word.len() <= MAX_WORD
            && nucleo_finds_whole(word)
        {
            filter.ignore_case = !word.iter().any(u8::is_ascii_uppercase);
            filter.word = word.to_vec();
        }
        if let [atom] = pattern.atoms.as_slice()
            && let Utf32Str::Ascii(needle) = atom.needle_text()
        {
            let ignore_case = !needle.iter().any(u8::is_ascii_uppercase);
            filter.one = OneChar::of(needle, ignore_case);
        }
        filter
    }

    /// nucleo's score for a one-char needle in an ASCII `text` (whole and fuzzy are the
    /// same then); `None` when that takes nucleo.
    pub(super) fn one_char(&self, text: Utf32Str<'_>, span: Span) -> Option<Option<u32>> {
        match (self.one, text) {
            (Some(one), Utf32Str::Ascii(text)) => Some(one.score(text, span)),
            _ => None,
        }
    }

    /// The most a field like `span` can be worth: below `best` only for a one-char needle.
    pub(super) fn bound(&self, span: Span) -> u32 {
        match self.one {
            Some(one) => self.exact(one.bound(span)),
            None => self.best(),
        }
    }

    /// What a field whose every word appears whole (contiguous) scoring `score` is worth:
    /// more than any fuzzy hit, which is worth nucleo's score, at most `top`.
    pub(super) fn exact(&self, score: u32) -> u32 {
        score.saturating_add(self.top).saturating_add(1)
    }

    /// The most a field can be worth (every word whole at a word start); once one has it, no
    /// later field can win.
    pub(super) fn best(&self) -> u32 {
        self.exact(self.top)
    }

    /// Whether a field or call worth `value` holds every word whole.
    pub(super) fn is_exact(&self, value: u32) -> bool {
        value > self.top
    }

    /// Whether `text` holds every word of the needle whole (as nucleo's substring matcher
    /// compares: for ASCII, case folded under smart case); `None` when that takes nucleo
    /// (text or needle not ASCII).
    pub(super) fn holds(&self, text: Utf32Str<'_>) -> Option<bool> {
        let Utf32Str::Ascii(text) = text else {
            return None;
        };
        if self.words.is_empty() {
            return None;
        }
        Some(self.words.iter().all(|w| w.is_in(text)))
    }

    /// False only when nucleo's fuzzy matcher certainly finds no match in `text`: an ASCII
    /// text lacking some word's letters in order (compared in either case, so smart case
    /// only narrows what this lets through). Cheap next to nucleo's matrix; see
    /// [`Scanner::score`](super::scan::Scanner::score) for why a fuzzy score can wait.
    pub(super) fn may_match(&self, text: Utf32Str<'_>) -> bool {
        let Utf32Str::Ascii(text) = text else {
            return true;
        };
        self.words
            .iter()
            .all(|w| is_subsequence(w.finder.needle(), text))
    }

    /// True when `text` holds `word` whole at the start of a word, so its score is `top`.
    pub(super) fn starts_a_word(&self, text: Utf32Str<'_>, word_starts: WordSet) -> bool {
        let (Some(&first), Utf32Str::Ascii(text)) = (self.word.first(), text) else {
            return false;
        };
        if word_starts & WORD_BITS[usize::from(first & 0x7f)] == 0 || text.len() > MAX_TEXT {
            return false;
        }
        // The set folds case (and digits two to a bit), so it settles a one-letter word only
        // when case is ignored.
        if self.word.len() == 1 && self.ignore_case && first.is_ascii_alphabetic() {
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

/// Whether `word`'s chars appear in `text` in order, ASCII letters in either case.
fn is_subsequence(word: &[u8], mut text: &[u8]) -> bool {
    // A short text (a number, a uid) in one pass: cheaper than a memchr per char. Digits
    // and signs need no case folding (a phone number's digits).
    if text.len() <= 64 && !word.iter().any(u8::is_ascii_alphabetic) {
        let mut want = word.iter();
        let Some(mut c) = want.next() else {
            return true;
        };
        for b in text {
            if b == c {
                match want.next() {
                    Some(next) => c = next,
                    None => return true,
                }
            }
        }
        return false;
    }
    if text.len() <= 64 {
        let mut want = word.iter().map(u8::to_ascii_lowercase);
        let Some(mut c) = want.next() else {
            return true;
        };
        for b in text {
            if b.to_ascii_lowercase() == c {
                match want.next() {
                    Some(next) => c = next,
                    None => return true,
                }
            }
        }
        return false;
    }
    for &c in word {
        let upper = c.to_ascii_uppercase();
        let lower = c.to_ascii_lowercase();
        let found = if upper == lower {
            memchr::memchr(c, text)
        } else {
            memchr::memchr2(lower, upper, text)
        };
        match found {
            Some(i) => text = &text[i + 1..],
            None => return false,
        }
    }
    true
}

/// Whether nucleo's substring search finds `word` wherever it is whole, in either case under
/// smart case. nucleo-matcher 0.3.1 does not when the word is all lower case and its first
/// letter comes third or later (`1\ta-`, `41a`): it then looks for the word as typed, and
/// only in the text cut short by its length less that letter's place, so a place the shortcut
/// would find may score less or not at all there. Such words are left to nucleo.
fn nucleo_finds_whole(word: &[u8]) -> bool {
    let ignore_case = !word.iter().any(u8::is_ascii_uppercase);
    !ignore_case
        || word
            .iter()
            .position(u8::is_ascii_lowercase)
            .is_none_or(|k| k < 2)
}

/// Bounds for the whole-word shortcut, well inside nucleo's matrix limits (100 KiB of cells,
/// 2048 chars): within them nucleo always runs its optimal matcher.
const MAX_WORD: usize = 32;
const MAX_TEXT: usize = 1024;

impl Whole {
    fn is_in(&self, text: &[u8]) -> bool {
        let word = self.finder.needle();
        if !self.ignore_case {
            return self.finder.find(text).is_some();
        }
        // Each place the first char occurs (either case, found with memchr) that goes on
        // with the rest of the word.
        let Some(&first) = word.first() else {
            return true;
        };
        let upper = first.to_ascii_uppercase();
        let mut from = 0;
        while let Some(found) = match upper != first {
            true => memchr::memchr2(first, upper, &text[from..]),
            false => memchr::memchr(first, &text[from..]),
        } {
            let i = from + found;
            if text
                .get(i..i + word.len())
                .is_some_and(|t| t.eq_ignore_ascii_case(word))
            {
                return true;
            }
            from = i + 1;
        }
        false
    }
}
