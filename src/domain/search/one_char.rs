//! A one-character needle (every search's first keystroke, where nearly every call matches)
//! scored with a plain loop instead of nucleo: the same score nucleo-matcher 0.3.1 gives
//! (`substring_match_1_ascii`, `Config::DEFAULT`), stopping at the best bonus the field's char
//! sets allow, and a bound that lets a field be skipped when it cannot beat the call's best.

use super::haystacks::{Span, WORD_BITS, ascii_chars};

/// nucleo's scores: a matched char, and the bonus for what precedes it (a one-char match
/// counts its bonus twice, as every first char does).
const SCORE_MATCH: u32 = 16;
const BONUS_WHITE: u32 = 10;
const BONUS_DELIMITER: u32 = 9;
const BONUS_BOUNDARY: u32 = 8;
const BONUS_CAMEL: u32 = 5;

/// nucleo's `Config::DEFAULT` delimiters.
const DELIMITERS: &[u8] = b"/,:;|";

/// nucleo's char classes for ASCII, in its order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Class {
    Whitespace,
    NonWord,
    Delimiter,
    Lower,
    Upper,
    Number,
}

fn class(b: u8) -> Class {
    if b.is_ascii_lowercase() {
        Class::Lower
    } else if b.is_ascii_uppercase() {
        Class::Upper
    } else if b.is_ascii_digit() {
        Class::Number
    } else if b.is_ascii_whitespace() {
        Class::Whitespace
    } else if DELIMITERS.contains(&b) {
        Class::Delimiter
    } else {
        Class::NonWord
    }
}

/// nucleo's `Config::bonus_for`.
fn bonus(prev: Class, class: Class) -> u32 {
    if class > Class::Delimiter {
        match prev {
            Class::Whitespace => return BONUS_WHITE,
            Class::Delimiter => return BONUS_DELIMITER,
            Class::NonWord => return BONUS_BOUNDARY,
            _ => {}
        }
    }
    if prev == Class::Lower && class == Class::Upper
        || prev != Class::Number && class == Class::Number
    {
        BONUS_CAMEL
    } else if class == Class::Whitespace {
        BONUS_WHITE
    } else if class == Class::NonWord {
        BONUS_BOUNDARY
    } else {
        0
    }
}

/// A needle of one ASCII char, as nucleo holds it.
#[derive(Debug, Clone, Copy)]
pub(super) struct OneChar {
    c: u8,
    /// The other case that matches (smart case, a lower-case letter), else `c`.
    alt: u8,
}

impl OneChar {
    /// `needle` is one atom's text; `ignore_case` as nucleo's smart case sets it.
    pub(super) fn of(needle: &[u8], ignore_case: bool) -> Option<Self> {
        let &[c] = needle else {
            return None;
        };
        let alt = if ignore_case && c.is_ascii_lowercase() {
            c.to_ascii_uppercase()
        } else {
            c
        };
        Some(OneChar { c, alt })
    }

    /// The best bonus a field can give: a letter or digit gets the word-start bonus only
    /// where a word starts with it (known for ASCII text), and the delimiter bonus only where one of nucleo's
    /// delimiters may be (the char set shares their bits with a few other chars).
    fn cap(self, span: Span) -> u32 {
        if !self.c.is_ascii_alphanumeric()
            || !span.is_ascii()
            || span.word_starts & WORD_BITS[usize::from(self.c & 0x7f)] != 0
        {
            BONUS_WHITE
        } else if span.chars & ascii_chars(DELIMITERS) != 0 {
            BONUS_DELIMITER
        } else {
            BONUS_BOUNDARY
        }
    }

    /// The most nucleo can score for this char in a field like `span`.
    pub(super) fn bound(self, span: Span) -> u32 {
        SCORE_MATCH + 2 * self.cap(span)
    }

    /// nucleo's score for this char in the ASCII `text` of `span`: its best place's bonus.
    /// The text is read 16 bytes at a time, each block's places found at once (compares
    /// the compiler turns into vector code), so only the places themselves cost more.
    pub(super) fn score(self, text: &[u8], span: Span) -> Option<u32> {
        let cap = self.cap(span);
        let mut best: Option<u32> = None;
        let (blocks, rest) = text.as_chunks::<16>();
        let mut base = 0;
        for block in blocks {
            if self.best_in(text, base, self.places(block), cap, &mut best) {
                break;
            }
            base += 16;
        }
        if best.is_none_or(|b| b < cap) {
            self.best_in(text, base, self.places(rest), cap, &mut best);
        }
        best.map(|b| SCORE_MATCH + 2 * b)
    }

    /// Bit `j` set where `block[j]` is this char.
    fn places(self, block: &[u8]) -> u32 {
        block.iter().enumerate().fold(0, |mask, (j, &b)| {
            mask | (u32::from(b == self.c || b == self.alt) << j)
        })
    }

    /// Raises `best` to the best bonus among the places in `mask` (offsets from `base`);
    /// true once it reaches `cap`.
    fn best_in(
        self,
        text: &[u8],
        base: usize,
        mut mask: u32,
        cap: u32,
        best: &mut Option<u32>,
    ) -> bool {
        while mask != 0 {
            let i = base + mask.trailing_zeros() as usize;
            mask &= mask - 1;
            let prev = match i.checked_sub(1).and_then(|p| text.get(p)) {
                Some(&p) => class(p),
                None => Class::Whitespace,
            };
            let bonus = bonus(prev, class(text.get(i).copied().unwrap_or(self.c)));
            if best.is_none_or(|x| bonus > x) {
                *best = Some(bonus);
                if bonus >= cap {
                    return true;
                }
            }
        }
        false
    }
}
