//! The scan: the matches among a range of calls, cut in chunks that every core claims in turn
//! for a long range, then ranked best first by a counting sort on the score.

use std::cmp::Reverse;
use std::ops::Range;
use std::sync::atomic::{AtomicUsize, Ordering};

use nucleo_matcher::pattern::Pattern;
use nucleo_matcher::{Config, Matcher, Utf32Str};

use super::haystacks::{Haystacks, Span};
use super::prefilter::Prefilter;
use super::{Corpus, Match, NOT_A_MATCH, Search, SearchField, Source};
use crate::domain::calls::CallId;

/// A scan thread's own matcher and results, kept between keystrokes.
#[derive(Debug, Clone)]
pub(super) struct Worker {
    matcher: Matcher,
    part: Part,
}

/// The matches one thread found, chunk by chunk, in list order within each chunk.
#[derive(Debug, Clone, Default)]
pub(super) struct Part {
    matches: Vec<Match>,
    /// (first list index of the chunk, its range in `matches`).
    chunks: Vec<(usize, Range<usize>)>,
}

impl Search {
    /// Appends the matches among the calls in `range` to `out`, in list order. A long range
    /// is cut in chunks that the threads claim one at a time, so a thread the OS runs late
    /// (or never starts) just takes fewer of them.
    pub(super) fn scan(
        &mut self,
        ids: &[CallId],
        range: Range<usize>,
        narrowing: bool,
        defer: bool,
        out: &mut Vec<Match>,
    ) {
        let scanner = Scanner {
            haystacks: &self.haystacks,
            ids,
            scorer: Scorer {
                pattern: &self.compiled,
                exact: &self.exact,
                prefilter: &self.prefilter,
            },
            only: narrowing.then_some(self.rank.as_slice()),
            defer,
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
    pub(super) fn rescan(&mut self, corpus: Corpus<'_>) {
        let mut found = std::mem::take(&mut self.scratch);
        found.clear();
        if self.is_active() {
            self.scan(corpus.ids, 0..corpus.len(), false, true, &mut found);
        }
        self.install(found, corpus);
    }

    /// Ranks `found` and makes them the current matches for `corpus`. When none holds the
    /// words whole, the fuzzy hits are shown, so those a deferred scan left [`UNSCORED`] are
    /// scored first.
    pub(super) fn install(&mut self, mut found: Vec<Match>, corpus: Corpus<'_>) {
        if found.iter().any(|m| m.score == UNSCORED)
            && !found.iter().any(|m| self.prefilter.is_exact(m.score))
        {
            found = self.score_fuzzy(&found, corpus);
        }
        let spare = std::mem::take(&mut self.matches);
        let (matches, spare) = rank(found, spare, &mut self.counts);
        self.scratch = spare;
        // Fuzzy hits are kept (a narrower pattern rescans them) but shown only when no call
        // holds the words whole; ranked best first, the exact ones come first.
        let exact = matches
            .iter()
            .take_while(|m| self.prefilter.is_exact(m.score))
            .count();
        self.shown = if exact > 0 { exact } else { matches.len() };
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

    /// The calls of `found` scored in full (fuzzy hits included), in list order; a call the
    /// deferred scan let through that nucleo does not match is dropped. `rank` is used to
    /// mark them, and must be rebuilt after.
    fn score_fuzzy(&mut self, found: &[Match], corpus: Corpus<'_>) -> Vec<Match> {
        self.rank.clear();
        self.rank.resize(corpus.len(), NOT_A_MATCH);
        for m in found {
            if let Some(slot) = self.rank.get_mut(m.index) {
                *slot = 0;
            }
        }
        let mut scored = Vec::with_capacity(found.len());
        self.scan(corpus.ids, 0..corpus.len(), true, false, &mut scored);
        scored
    }
}

/// The score of a fuzzy hit a deferred scan did not ask nucleo for: it is hidden while any
/// call holds the words whole (see [`Scanner::score`]). No real score is 0 (a matched char
/// scores 16), and scoring a call again gives the same answer anyway.
pub(super) const UNSCORED: u32 = 0;

/// Calls per chunk of a parallel scan: small enough to even out threads the OS runs late,
/// large enough that claiming one is noise.
pub(super) const CHUNK: usize = 4096;

/// Scans over fewer calls stay on one thread.
pub(super) const PARALLEL_MIN: usize = 16_384;

/// Threads a scan uses at most, however many cores there are.
pub(super) const MAX_THREADS: usize = 8;

impl Part {
    fn clear(&mut self) {
        self.matches.clear();
        self.chunks.clear();
    }
}

/// What one field's text is worth for a pattern.
#[derive(Clone, Copy)]
pub(super) struct Scorer<'a> {
    /// The pattern as typed, each word fuzzy.
    pub(super) pattern: &'a Pattern,
    /// The same words, each to be found whole (nucleo's substring atoms).
    pub(super) exact: &'a Pattern,
    pub(super) prefilter: &'a Prefilter,
}

impl Scorer<'_> {
    /// `None` when `text` does not match; a field holding every word whole is worth its best
    /// such place's score lifted above every fuzzy hit ([`Prefilter::exact`]), else nucleo's
    /// fuzzy score. A field that lacks a char the needle needs is not handed to nucleo.
    pub(super) fn value(
        &self,
        text: Utf32Str<'_>,
        span: Span,
        matcher: &mut Matcher,
    ) -> Option<u32> {
        let filter = self.prefilter;
        if filter.needs & !span.chars != 0 {
            return None;
        }
        self.whole(text, span, matcher)
            .or_else(|| self.pattern.score(text, matcher))
    }

    /// The value of `text` when it holds every word whole, else `None` (it may still be a
    /// fuzzy hit).
    pub(super) fn whole(
        &self,
        text: Utf32Str<'_>,
        span: Span,
        matcher: &mut Matcher,
    ) -> Option<u32> {
        let filter = self.prefilter;
        if filter.needs & !span.chars != 0 {
            return None;
        }
        if filter.starts_a_word(text, span.word_starts) {
            return Some(filter.best());
        }
        if let Some(one) = filter.one_char(text, span) {
            return one.map(|score| filter.exact(score));
        }
        let whole = match filter.holds(text) {
            Some(false) => None,
            _ => self.exact.score(text, matcher),
        };
        whole.map(|score| filter.exact(score))
    }
}

/// What a scan reads, shared by its threads.
#[derive(Clone, Copy)]
pub(super) struct Scanner<'a> {
    pub(super) haystacks: &'a Haystacks,
    /// The store slot of each list row.
    pub(super) ids: &'a [CallId],
    pub(super) scorer: Scorer<'a>,
    /// When narrowing: the previous ranks, and only the calls ranked there are looked at.
    pub(super) only: Option<&'a [u32]>,
    /// Fuzzy hits are not scored, only let through [`UNSCORED`] (see [`Scanner::score`]).
    pub(super) defer: bool,
}

impl Scanner<'_> {
    /// The best field value of the call at list row `index`, and which field gave it. The
    /// people's fields were scored once per person, before the scan ([`Search::score_keys`]).
    ///
    /// Deferred (`defer`), only the fields holding every word whole are scored: a fuzzy hit
    /// is shown only when no call holds the words whole, which nearly always some call does,
    /// and nucleo's matrix for every fuzzy field was most of a keystroke. A call with no
    /// whole field but one that may match fuzzily ([`Prefilter::may_match`]) is let through
    /// [`UNSCORED`], kept for a narrower pattern to rescan and scored in full only if it
    /// comes to be shown ([`Search::install`]).
    pub(super) fn score(&self, index: usize, matcher: &mut Matcher) -> Option<(u32, SearchField)> {
        let filter = self.scorer.prefilter;
        let best_possible = filter.best();
        let mut best: Option<(u32, SearchField)> = None;
        let mut fuzzy: Option<SearchField> = None;
        let slot = self.ids.get(index)?.index();
        let spans = self.haystacks.fields(slot);
        let [client, staff] = self.haystacks.keys(slot);
        for field in SearchField::ALL {
            let value = match field.source() {
                Source::Call(k) => spans.get(k).and_then(|&span| {
                    // A field that lacks a needle char, or that cannot beat the best so
                    // far (a later field only ties at most, and ties go to the earlier).
                    if filter.needs & !span.chars != 0
                        || best.is_some_and(|(b, _)| b >= filter.bound(span))
                    {
                        return None;
                    }
                    let text = self.haystacks.text(span);
                    if !self.defer {
                        return self.scorer.value(text, span, matcher);
                    }
                    let whole = self.scorer.whole(text, span, matcher);
                    if whole.is_none() && fuzzy.is_none() && filter.may_match(text) {
                        fuzzy = Some(field);
                    }
                    whole
                }),
                Source::Client(text) => self.haystacks.clients.score(client, text),
                Source::Staff => self.haystacks.staff.score(staff, 0),
            };
            if self.defer
                && let Some(value) = value
                && !filter.is_exact(value)
            {
                fuzzy = fuzzy.or(Some(field));
                continue;
            }
            if let Some(value) = value
                && best.is_none_or(|(b, _)| value > b)
            {
                best = Some((value, field));
                // A later field could only tie, and ties go to the earlier field.
                if value >= best_possible {
                    break;
                }
            }
        }
        best.or(fuzzy.map(|field| (UNSCORED, field)))
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
pub(super) fn rank(
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
