//! How long one search keystroke takes over 100 000 loaded calls: the budget is a slice of
//! one `App::update`. Run with `cargo bench --bench search`.
//!
//! The calls carry the demo's people: every client and staff member the seeded calls name is
//! known by name, so the client's and the handler's names are searched as in the console.
//!
//! Every figure is set beside a baseline measured in the same run: the bare nucleo matcher
//! (`Pattern::score`) over the same field strings of the same calls (the names copied into
//! each call's fields), packed once into one arena as ours are, on one thread, for the same
//! needle, keeping each call's best field score and nothing else (no ranking, no state, no
//! check for words found whole). Our search may split its scan across threads, skip fields
//! that cannot match and score each person once rather than once per call; the baseline does
//! none of that, so a ratio below 1 is what those buy. For a phone number both match its
//! digits (what our search matches), and the extending keystroke's baseline scores all calls
//! since the bare matcher keeps no state.
//!
//! With `CALLCONSOLE_BENCH_OUT=<file>` the binary only runs its own paired loop (app and
//! baseline alternating, so load from other processes hits both alike) and appends one JSON
//! line per figure to that file; without it, the same table is printed and divan runs after.

use std::fmt::Write as _;
use std::hint::black_box;
use std::io::Write as _;
use std::sync::LazyLock;
use std::time::Instant;

use callconsole::api::VoiceCall;
use callconsole::domain::calls::{CallList, CallStore};
use callconsole::domain::people::People;
use callconsole::domain::search::{Corpus, Search, SearchField};
use chrono::{DateTime, Utc};
use divan::Bencher;
use nucleo_matcher::pattern::{AtomKind, CaseMatching, Normalization, Pattern};
use nucleo_matcher::{Config, Matcher, Utf32Str};

const CALLS: usize = 100_000;

/// The seeded demo calls, through the same JSON the client reads, so strings and missing
/// fields look like the real thing.
static LOADED: LazyLock<Vec<VoiceCall>> = LazyLock::new(|| {
    let now = DateTime::parse_from_rfc3339("2026-03-02T10:00:00Z")
        .map(|t| t.with_timezone(&Utc))
        .unwrap_or_default();
    let calls = callconsole::server::seed::generate(CALLS, now).unwrap_or_default();
    calls
        .iter()
        .filter_map(|c| serde_json::to_value(c).ok())
        .filter_map(|v| serde_json::from_value(v).ok())
        .collect()
});

/// The demo's clients and staff, every one known by name (none with
/// `CALLCONSOLE_BENCH_NO_NAMES=1`, to see what the names cost).
static PEOPLE: LazyLock<People> = LazyLock::new(|| {
    if std::env::var_os("CALLCONSOLE_BENCH_NO_NAMES").is_some() {
        return People::default();
    }
    let (clients, staff) = callconsole::server::seed::people().unwrap_or_default();
    People::known_by_name(&clients, &staff, DateTime::<Utc>::UNIX_EPOCH)
});

static BARE: LazyLock<Bare> = LazyLock::new(|| Bare::new(&LOADED, &PEOPLE));

/// The same calls as the console holds them: once in a store, listed by one view.
static LISTED: LazyLock<(CallStore, CallList)> = LazyLock::new(|| {
    let mut store = CallStore::new();
    let mut list = CallList::default();
    list.append(&mut store, LOADED.clone());
    (store, list)
});

fn corpus() -> Corpus<'static> {
    let (store, list) = &*LISTED;
    Corpus::new(store, list, &PEOPLE)
}

/// One reported figure: a keystroke and what the baseline matches for it.
struct Row {
    id: &'static str,
    label: &'static str,
    /// The pattern already matched before the timed keystroke.
    before: &'static str,
    pattern: &'static str,
    /// What the bare matcher is given: the same needle our search matches.
    bare_needle: &'static str,
}

const ROWS: [Row; 3] = [
    Row {
        id: "search_first_key",
        label: "search: first keystroke, 100k calls",
        before: "",
        pattern: "e",
        bare_needle: "e",
    },
    Row {
        id: "search_extend_key",
        label: "search: extending keystroke (resc -> resch), 100k calls",
        before: "resc",
        pattern: "resch",
        bare_needle: "resch",
    },
    Row {
        id: "search_phone",
        label: "search: phone number pasted, 100k calls",
        before: "",
        pattern: "(415) 555-0110",
        bare_needle: "4155550110",
    },
];

/// Printed with the others, not written to `CALLCONSOLE_BENCH_OUT` (no target of its own).
const MORE_ROWS: [Row; 1] = [Row {
    id: "search_name",
    label: "search: a client's name typed (emil -> emily), 100k calls",
    before: "emil",
    pattern: "emily",
    bare_needle: "emily",
}];

const BASELINE_LABEL: &str = "bare nucleo matcher, same strings";
const WARMUP: usize = 3;
const SAMPLES: usize = 60;

fn main() {
    assert_eq!(
        LOADED.len(),
        CALLS,
        "the seed generator should give every call"
    );
    let mut matcher = Matcher::new(Config::DEFAULT);
    let mut bare_out = Vec::new();
    for pattern in ["e", "resc", "resch", "(415) 555-0110", "emily", "qzxjv"] {
        let ours = after(pattern).matches().len();
        let needle = if pattern.starts_with('(') {
            "4155550110"
        } else {
            pattern
        };
        BARE.scan(needle, &mut matcher, &mut bare_out);
        let whole = BARE.whole(needle, &mut matcher);
        let expected = if whole > 0 { whole } else { bare_out.len() };
        assert_eq!(
            ours, expected,
            "our search should show the calls holding {pattern:?} whole, else every fuzzy hit"
        );
        println!(
            "{pattern:?} matches {ours} calls (fuzzily {})",
            bare_out.len()
        );
    }
    println!("search memory: {} MB", after("e").heap_bytes() / 1_000_000);
    if let Some(id) = std::env::var_os("CALLCONSOLE_BENCH_PROFILE") {
        profile(&id.to_string_lossy());
        return;
    }

    let out = std::env::var_os("CALLCONSOLE_BENCH_OUT").filter(|p| !p.is_empty());
    let mut lines = String::new();
    println!(
        "\n{:<18} {:>30} {:>30} {:>12}",
        "row", "app median/p95/p99 ms", "bare median/p95/p99 ms", "ratio median"
    );
    for (k, row) in ROWS.iter().chain(&MORE_ROWS).enumerate() {
        let (app, bare) = paired(row, &mut matcher, &mut bare_out);
        println!(
            "{:<18} {:>30} {:>30} {:>11.2}x",
            row.id,
            format!("{:.2} / {:.2} / {:.2}", app.median, app.p95, app.p99),
            format!("{:.2} / {:.2} / {:.2}", bare.median, bare.p95, bare.p99),
            app.median / bare.median
        );
        if k >= ROWS.len() {
            continue;
        }
        let _ = writeln!(
            lines,
            r#"{{"row":"{}","label":"{}","unit":"ms","app":{},"baseline":{},"baseline_label":"{}"}}"#,
            row.id,
            row.label,
            app.json(),
            bare.json(),
            BASELINE_LABEL
        );
    }
    if let Some(path) = out {
        let mut file = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(&path)
            .expect("CALLCONSOLE_BENCH_OUT should name a writable file");
        file.write_all(lines.as_bytes())
            .expect("the figures should be written to CALLCONSOLE_BENCH_OUT");
        return;
    }
    println!();
    divan::main();
}

/// `CALLCONSOLE_BENCH_PROFILE=<row id>`: only that row's keystroke, 300 times and no
/// baseline, for a profiler to see (`perf record`).
fn profile(id: &str) {
    let Some(row) = ROWS.iter().chain(&MORE_ROWS).find(|r| r.id == id) else {
        panic!(
            "CALLCONSOLE_BENCH_PROFILE should name a row: search_first_key, search_extend_key, search_phone or search_name"
        );
    };
    let mut search = after(row.before);
    let start = Instant::now();
    for _ in 0..300 {
        search.set_pattern(row.before, corpus());
        search.set_pattern(black_box(row.pattern), corpus());
        black_box(search.matches().len());
    }
    println!(
        "{id}: {:.2} ms per pair of keystrokes",
        start.elapsed().as_secs_f64() * 1e3 / 300.0
    );
}

/// A search that has already matched `pattern`, as after the previous keystroke.
fn after(pattern: &str) -> Search {
    let mut search = Search::new();
    search.set_pattern(pattern, corpus());
    search
}

/// Times `row`'s keystroke and the baseline alternately, `SAMPLES` of each after a warm-up;
/// which one goes first alternates too.
fn paired(row: &Row, matcher: &mut Matcher, bare_out: &mut Vec<(u32, u32)>) -> (Stats, Stats) {
    let mut search = after(row.before);
    let mut app = Vec::with_capacity(SAMPLES);
    let mut bare = Vec::with_capacity(SAMPLES);
    for i in 0..WARMUP + SAMPLES {
        let time_bare = |matcher: &mut Matcher, bare_out: &mut Vec<(u32, u32)>| {
            let start = Instant::now();
            BARE.scan(black_box(row.bare_needle), matcher, bare_out);
            black_box(bare_out.len());
            start.elapsed().as_secs_f64() * 1e3
        };
        let b_first = i % 2 == 1;
        let b = if b_first {
            Some(time_bare(matcher, bare_out))
        } else {
            None
        };
        search.set_pattern(row.before, corpus());
        let start = Instant::now();
        search.set_pattern(black_box(row.pattern), corpus());
        black_box(search.matches().len());
        let a = start.elapsed().as_secs_f64() * 1e3;
        let b = b.unwrap_or_else(|| time_bare(matcher, bare_out));
        if i >= WARMUP {
            app.push(a);
            bare.push(b);
        }
    }
    (Stats::of(app), Stats::of(bare))
}

struct Stats {
    median: f64,
    p95: f64,
    p99: f64,
    n: usize,
}

impl Stats {
    fn of(mut samples: Vec<f64>) -> Self {
        samples.sort_by(f64::total_cmp);
        let n = samples.len();
        // Nearest rank: the smallest sample with at least q of them at or below it.
        let rank = |q: f64| {
            let k = ((q * n as f64).ceil() as usize).clamp(1, n.max(1));
            samples.get(k - 1).copied().unwrap_or(f64::NAN)
        };
        let median = if n.is_multiple_of(2) && n > 0 {
            (samples[n / 2 - 1] + samples[n / 2]) / 2.0
        } else {
            rank(0.5)
        };
        Self {
            median,
            p95: rank(0.95),
            p99: rank(0.99),
            n,
        }
    }

    fn json(&self) -> String {
        format!(
            r#"{{"median":{:.3},"p95":{:.3},"p99":{:.3},"n":{}}}"#,
            self.median, self.p95, self.p99, self.n
        )
    }
}

/// The baseline's haystacks: every searched field of every call in nucleo's form, packed back
/// to back once, like the search's own, so memory layout favours neither side.
struct Bare {
    ascii: Vec<u8>,
    wide: Vec<char>,
    /// (start, len, is wide), `SearchField::ALL.len()` per call.
    spans: Vec<(usize, usize, bool)>,
}

impl Bare {
    fn new(calls: &[VoiceCall], people: &People) -> Self {
        let mut bare = Bare {
            ascii: Vec::new(),
            wide: Vec::new(),
            spans: Vec::new(),
        };
        let mut buf = Vec::new();
        for call in calls {
            for field in SearchField::ALL {
                let span = match Utf32Str::new(field.text(call, people).unwrap_or(""), &mut buf) {
                    Utf32Str::Ascii(bytes) => {
                        bare.ascii.extend_from_slice(bytes);
                        (bare.ascii.len() - bytes.len(), bytes.len(), false)
                    }
                    Utf32Str::Unicode(chars) => {
                        bare.wide.extend_from_slice(chars);
                        (bare.wide.len() - chars.len(), chars.len(), true)
                    }
                };
                bare.spans.push(span);
            }
        }
        bare
    }

    /// Scores every field of every call for `needle`; `out` gets (call, best score) for each
    /// call that matches, in list order.
    fn scan(&self, needle: &str, matcher: &mut Matcher, out: &mut Vec<(u32, u32)>) {
        self.scan_as(AtomKind::Fuzzy, needle, matcher, out);
    }

    /// How many calls hold `needle`'s words whole in a field (not timed: a check).
    fn whole(&self, needle: &str, matcher: &mut Matcher) -> usize {
        let mut out = Vec::new();
        self.scan_as(AtomKind::Substring, needle, matcher, &mut out);
        out.len()
    }

    fn scan_as(
        &self,
        kind: AtomKind,
        needle: &str,
        matcher: &mut Matcher,
        out: &mut Vec<(u32, u32)>,
    ) {
        let pattern = Pattern::new(needle, CaseMatching::Smart, Normalization::Smart, kind);
        out.clear();
        for (index, fields) in self.spans.chunks_exact(SearchField::ALL.len()).enumerate() {
            let mut best = None;
            for &(start, len, wide) in fields {
                let haystack = if wide {
                    Utf32Str::Unicode(&self.wide[start..start + len])
                } else {
                    Utf32Str::Ascii(&self.ascii[start..start + len])
                };
                if let Some(score) = pattern.score(haystack, matcher) {
                    best = best.max(Some(score));
                }
            }
            if let Some(score) = best {
                out.push((index as u32, score));
            }
        }
    }
}

fn keystroke(bencher: Bencher, before: &str, pattern: &str) {
    bencher
        .with_inputs(|| after(before))
        .bench_local_refs(|search| search.set_pattern(pattern, corpus()));
}

fn bare(bencher: Bencher, needle: &str) {
    let mut matcher = Matcher::new(Config::DEFAULT);
    let mut out = Vec::new();
    LazyLock::force(&BARE);
    bencher.bench_local(|| {
        BARE.scan(black_box(needle), &mut matcher, &mut out);
        out.len()
    });
}

/// The first character on a list the search has not seen yet: packs the text first.
#[divan::bench(sample_count = 20)]
fn first_keystroke_cold(bencher: Bencher) {
    bencher
        .with_inputs(Search::new)
        .bench_local_refs(|search| search.set_pattern("e", corpus()));
}

/// The first character: nearly every call matches, so this is the widest scan and sort.
#[divan::bench(sample_count = 20)]
fn first_keystroke(bencher: Bencher) {
    keystroke(bencher, "", "e");
}

/// Baseline for `first_keystroke`.
#[divan::bench(sample_count = 20)]
fn first_keystroke_bare(bencher: Bencher) {
    bare(bencher, "e");
}

/// Typing a fifth character: only the previous matches are rescanned.
#[divan::bench(sample_count = 20)]
fn extending_keystroke(bencher: Bencher) {
    keystroke(bencher, "resc", "resch");
}

/// The same five characters from scratch (a backspace or a paste), for comparison.
#[divan::bench(sample_count = 20)]
fn five_chars_from_scratch(bencher: Bencher) {
    keystroke(bencher, "", "resch");
}

/// Baseline for `extending_keystroke` and `five_chars_from_scratch`.
#[divan::bench(sample_count = 20)]
fn five_chars_bare(bencher: Bencher) {
    bare(bencher, "resch");
}

/// A whole phone number pasted at once.
#[divan::bench(sample_count = 20)]
fn phone_number(bencher: Bencher) {
    keystroke(bencher, "", "(415) 555-0110");
}

/// Baseline for `phone_number`: its digits.
#[divan::bench(sample_count = 20)]
fn phone_number_bare(bencher: Bencher) {
    bare(bencher, "4155550110");
}

/// A client's name: the people are scored once each, the calls read their scores.
#[divan::bench(sample_count = 20)]
fn client_name(bencher: Bencher) {
    keystroke(bencher, "", "emily");
}

/// Baseline for `client_name`: the name copied into every call's fields.
#[divan::bench(sample_count = 20)]
fn client_name_bare(bencher: Bencher) {
    bare(bencher, "emily");
}

/// Nothing matches: every field of every call is tried and rejected.
#[divan::bench(sample_count = 20)]
fn no_match(bencher: Bencher) {
    keystroke(bencher, "", "qzxjv");
}

/// Baseline for `no_match`.
#[divan::bench(sample_count = 20)]
fn no_match_bare(bencher: Bencher) {
    bare(bencher, "qzxjv");
}

/// What one frame asks for: highlights for a screenful of rows.
#[divan::bench(sample_count = 20)]
fn highlight_visible_rows(bencher: Bencher) {
    bencher
        .with_inputs(|| after("resch"))
        .bench_local_refs(|search| {
            let rows: Vec<_> = search.matches().iter().take(50).copied().collect();
            let mut highlighter = search.highlighter(&PEOPLE).expect("a pattern is set");
            rows.iter()
                .map(|m| highlighter.positions(&LOADED[m.index], m.field).len())
                .sum::<usize>()
        });
}
