//! How long one search keystroke takes over 100 000 loaded calls: the budget is a slice of
//! one `App::update`. Run with `cargo bench --bench search`.

use std::sync::LazyLock;

use callconsole::api::VoiceCall;
use callconsole::search::Search;
use chrono::{DateTime, Utc};
use divan::Bencher;

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

fn main() {
    assert_eq!(
        LOADED.len(),
        CALLS,
        "the seed generator should give every call"
    );
    for pattern in ["e", "resc", "resch", "(415) 555-0110", "qzxjv"] {
        println!(
            "{pattern:?} matches {} calls",
            after(pattern).matches().len()
        );
    }
    println!("search memory: {} MB", after("e").heap_bytes() / 1_000_000);
    divan::main();
}

/// A search that has already matched `pattern`, as after the previous keystroke.
fn after(pattern: &str) -> Search {
    let mut search = Search::new();
    search.set_pattern(pattern, &LOADED);
    search
}

fn keystroke(bencher: Bencher, before: &str, pattern: &str) {
    bencher
        .with_inputs(|| after(before))
        .bench_local_refs(|search| search.set_pattern(pattern, &LOADED));
}

/// The first character on a list the search has not seen yet: packs the text first.
#[divan::bench(sample_count = 20)]
fn first_keystroke_cold(bencher: Bencher) {
    bencher
        .with_inputs(Search::new)
        .bench_local_refs(|search| search.set_pattern("e", &LOADED));
}

/// The first character: nearly every call matches, so this is the widest scan and sort.
#[divan::bench(sample_count = 20)]
fn first_keystroke(bencher: Bencher) {
    keystroke(bencher, "", "e");
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

/// A whole phone number pasted at once.
#[divan::bench(sample_count = 20)]
fn phone_number(bencher: Bencher) {
    keystroke(bencher, "", "(415) 555-0110");
}

/// Nothing matches: every field of every call is tried and rejected.
#[divan::bench(sample_count = 20)]
fn no_match(bencher: Bencher) {
    keystroke(bencher, "", "qzxjv");
}

/// What one frame asks for: highlights for a screenful of rows.
#[divan::bench(sample_count = 20)]
fn highlight_visible_rows(bencher: Bencher) {
    bencher
        .with_inputs(|| after("resch"))
        .bench_local_refs(|search| {
            let rows: Vec<_> = search.matches().iter().take(50).copied().collect();
            rows.iter()
                .map(|m| search.highlight(&LOADED[m.index], m.field).len())
                .sum::<usize>()
        });
}
