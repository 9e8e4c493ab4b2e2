//! Which characters of a visible row the pattern matched, for the list to draw them.

use nucleo_matcher::pattern::Pattern;
use nucleo_matcher::{Matcher, Utf32Str};

use super::{SearchField, fold_final_sigma};
use crate::api::CallFields;
use crate::domain::people::People;

/// The matched characters of a few calls, for drawing (see
/// [`Search::highlighter`](super::Search::highlighter)).
pub struct Highlighter<'a> {
    pub(super) pattern: &'a Pattern,
    /// The words to be found whole: where a field holds them, those are what is marked.
    pub(super) exact: &'a Pattern,
    /// The names the list shows, as the search matched them.
    pub(super) people: &'a People,
    pub(super) matcher: Matcher,
    /// Reused across rows, so a frame allocates nothing per row but the answer.
    pub(super) chars: Vec<char>,
}

impl Highlighter<'_> {
    /// Positions to highlight in `field`'s text of `call`, ascending; empty when that field
    /// does not match. Where the field holds the words whole, those places are marked (the
    /// best of them, a word start first), else nucleo's fuzzy alignment. Positions count
    /// graphemes, nucleo's unit, which are chars for any text without combining marks. Runs
    /// the matcher again, so ask for visible rows only.
    pub fn positions<C: CallFields + ?Sized>(&mut self, call: &C, field: SearchField) -> Vec<u32> {
        let mut positions = Vec::new();
        let Some(text) = field.text(call, self.people) else {
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
        for pattern in [self.exact, self.pattern] {
            if pattern
                .indices(haystack, &mut self.matcher, &mut positions)
                .is_some()
            {
                break;
            }
            // A later word may fail after earlier ones pushed their positions.
            positions.clear();
        }
        positions.sort_unstable();
        positions.dedup();
        positions
    }
}
