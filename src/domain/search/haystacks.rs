//! The packed haystacks: every searched field of every call in one arena, each with the set
//! of characters it holds, so the scan reads memory front to back and skips fields cheaply.

use nucleo_matcher::Utf32Str;
use nucleo_matcher::chars::{normalize, to_lower_case};

use super::{SearchField, fold_final_sigma};
use crate::api::VoiceCall;
use crate::domain::calls::{CallId, CallStore};

/// Every searched field of every call, packed back to back in nucleo's form. Matching the
/// calls' own strings meant a cache miss per field (700 000 scattered heap strings for 100 000
/// calls) and cost more than the matching itself; one sequential arena is several times
/// faster, for about the size of the text (the bench measures 41 MB in all per 100 000 calls).
#[derive(Debug, Clone, Default)]
pub(super) struct Haystacks {
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
pub(super) struct Span {
    start: u32,
    /// The top bit says the text is in `wide`.
    len: u32,
    /// The characters the text holds: a field lacking one the needle needs is not scored.
    pub(super) chars: CharSet,
    /// The ASCII letters and digits that start a word (first, or after whitespace).
    pub(super) word_starts: CharSet,
}

const WIDE: u32 = 1 << 31;

/// A set of characters, folded so that whenever nucleo could match a needle char against a
/// text char, the needle char's bit is in the text's set: one bit per ASCII letter (either
/// case) or digit, the other ASCII characters sharing 27 bits, one bit for all of non-ASCII.
/// A needle char in a text's set may still not be there; one outside it certainly is not.
pub(super) type CharSet = u64;

const NON_ASCII: CharSet = 1 << 63;

/// The bit of each ASCII char.
pub(super) const ASCII_BITS: [CharSet; 128] = {
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

pub(super) fn char_bit(c: char) -> CharSet {
    if c.is_ascii() {
        ASCII_BITS[c as usize]
    } else {
        NON_ASCII
    }
}

pub(super) fn ascii_chars(text: &[u8]) -> CharSet {
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
pub(super) fn word_starts(text: &[u8]) -> CharSet {
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
impl Haystacks {
    pub(super) fn clear(&mut self) {
        self.ascii.clear();
        self.wide.clear();
        self.spans.clear();
    }

    /// Slots packed so far.
    fn slots(&self) -> usize {
        self.spans.len() / FIELDS
    }

    /// Packs the store's slots after the ones already packed (a freed slot packs as empty).
    pub(super) fn extend(&mut self, store: &CallStore) {
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
    pub(super) fn repack(&mut self, slot: usize, call: Option<&VoiceCall>) {
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

    /// The bytes the arena holds, for [`Search::heap_bytes`](super::Search::heap_bytes).
    pub(super) fn heap_bytes(&self) -> usize {
        self.ascii.capacity()
            + self.wide.capacity() * size_of::<char>()
            + self.spans.capacity() * size_of::<Span>()
    }

    /// The fields of the call in `slot`.
    pub(super) fn fields(&self, slot: usize) -> &[Span] {
        self.spans
            .get(slot * FIELDS..(slot + 1) * FIELDS)
            .unwrap_or_default()
    }

    pub(super) fn text(&self, span: Span) -> Utf32Str<'_> {
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
