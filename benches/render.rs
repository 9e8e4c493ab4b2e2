//! The in-process speed figures of issue 6: one frame of the console (200×50) with 100 000 and
//! 1 000 calls loaded, and a key press plus the frame it causes (j, k, PgDn, G, tab switch) with
//! 100 000 loaded, each beside a bare ratatui `Table` of just the visible rows measured in the
//! same run. Drawing must cost the screen, not the data.
//!
//! A plain sampling loop rather than divan, because the targets are percentiles: every sample
//! is one timed frame, app and baseline samples alternate in blocks so that whatever else the
//! machine is doing lands on both, and the median, p95 and p99 of each are reported.
//!
//! Run with `cargo bench --bench render`. With `CALLCONSOLE_BENCH_OUT=<file>` one JSON object
//! per figure is appended to that file as well; `CALLCONSOLE_BENCH_SAMPLES` changes the number
//! of samples per figure (default 2000), and `CALLCONSOLE_BENCH_CLOCK=cpu` makes the JSON carry
//! this thread's CPU time per sample instead of wall-clock time (both are printed).

use std::time::Instant;

use callconsole::api::VoiceCall;
use callconsole::console::msg::{Effect, Msg};
use callconsole::domain::views::needs_follow_up;
use callconsole::ui::layout::list_rows;
use crossterm::event::KeyCode;

#[path = "render/drawn.rs"]
mod drawn;
#[path = "render/fixture.rs"]
mod fixture;
#[path = "render/report.rs"]
mod report;
#[path = "render/sampling.rs"]
mod sampling;

use callconsole::domain::views::TabId;
use drawn::{Baseline, Console};
use fixture::{answer_page, app_on, app_with, ch, key, page_answer, seeded_calls, waiting};
use report::report;
use sampling::{Clock, Figure, Sample, Side, interleave};

const SIZE: (u16, u16) = (200, 50);
const DEFAULT_SAMPLES: usize = 2000;
/// Samples of one side before switching to the other.
const BLOCK: usize = 50;
/// Untimed frames of each side before sampling starts (caches, allocator).
const WARMUP: usize = 100;
const BASELINE_LABEL: &str = "bare ratatui Table of the visible rows";

/// A key figure: `sample` presses keys on the console (untimed set-up first when it needs
/// one) and returns the timing of the key and its frame; the baseline draws the window at the
/// offset `base_offset` gives for each sample.
fn key_figure(
    (row, label): (&'static str, &'static str),
    samples: usize,
    console: &mut Console,
    baseline: &mut Baseline<'_>,
    mut sample: impl FnMut(&mut Console) -> Sample,
    mut base_offset: impl FnMut() -> usize,
) -> Figure {
    let mut app_side = || sample(console);
    let mut base_side = || baseline.timed_frame_at(base_offset());
    let times = interleave(samples, &mut [&mut app_side, &mut base_side]);
    Figure {
        row,
        label,
        app: Side::of(&times[0]),
        baseline: Side::of(&times[1]),
    }
}

/// Where the baseline window goes for a key figure: `by` rows on each time (j, k, PgDn) ...
fn step(by: usize, wrap: usize) -> impl FnMut() -> usize {
    let mut offset = 0;
    move || {
        offset = (offset + by) % wrap;
        offset
    }
}

/// ... or between the top and `far` down (G, tab switch), so every frame redraws every row.
fn flip(far: usize) -> impl FnMut() -> usize {
    let mut at_far = false;
    move || {
        at_far = !at_far;
        if at_far { far } else { 0 }
    }
}

/// How far the baseline window jumps when the key jumps.
const FAR: usize = 50_000;
const TAB_LABEL: &str = "tab switch ([ / ]: All, 100 000 calls ↔ Needs follow-up) + frame, 200×50";
const GROUPED_J_LABEL: &str =
    "j (down) + frame, Needs follow-up one row per caller, 100 000 waiting calls, 200×50";
const GROUPED_G_LABEL: &str = "G (to the last caller) + frame, Needs follow-up one row per caller, 100 000 waiting calls, 200×50";
/// Samples of the refresh reply: each costs a whole merge, so fewer.
const REFRESH_SAMPLES: usize = 30;

fn main() {
    let samples = std::env::var("CALLCONSOLE_BENCH_SAMPLES")
        .ok()
        .and_then(|s| s.parse::<usize>().ok())
        .filter(|n| *n > 0)
        .unwrap_or(DEFAULT_SAMPLES);
    let clock = match std::env::var("CALLCONSOLE_BENCH_CLOCK").as_deref() {
        Ok("cpu") => Clock::Cpu,
        _ => Clock::Wall,
    };
    let started = Instant::now();
    let calls = seeded_calls(100_000);
    assert_eq!(calls.len(), 100_000, "the seed generator gives every call");
    let rows = list_rows(SIZE.1);

    // The "Needs follow-up" tab's list, for switching tabs.
    let follow_up: Vec<VoiceCall> = calls.iter().filter(needs_follow_up).cloned().collect();
    let follow_up_count = follow_up.len();

    let mut big = Console::new(app_with(calls.clone()));
    let mut small = Console::new(app_with(calls[..1_000].to_vec()));
    // Load "Needs follow-up" too, then come back to "All" (which refreshes it), so the tab
    // switch goes between two full lists.
    let effects = big.app.update(ch('1'));
    answer_page(&mut big.app, &effects, follow_up);
    assert_eq!(big.app.list().len(), follow_up_count);
    let effects = big.app.update(ch('2'));
    answer_page(&mut big.app, &effects, calls[..100].to_vec());
    big.draw();
    assert_eq!(big.len(), 100_000, "the All tab holds every call");
    assert_eq!(small.len(), 1_000);
    let setup = started.elapsed();

    let mut figures = Vec::new();
    let mut baseline = Baseline::new(&calls);

    // Both frame figures in one interleaved run, so their ratio compares like with like.
    {
        let mut big_side = || big.timed_frame();
        let mut small_side = || small.timed_frame();
        let mut base_side = || baseline.timed_frame_at(0);
        let times = interleave(
            samples,
            &mut [&mut big_side, &mut small_side, &mut base_side],
        );
        let base = Side::of(&times[2]);
        figures.push(Figure {
            row: "render_100k",
            label: "frame render, 100 000 calls, 200×50",
            app: Side::of(&times[0]),
            baseline: base,
        });
        figures.push(Figure {
            row: "render_1k",
            label: "frame render, 1 000 calls, 200×50",
            app: Side::of(&times[1]),
            baseline: base,
        });
    }

    big.press(ch('g'));
    figures.push(key_figure(
        ("key_j", "j (down) + frame, 100 000 calls, 200×50"),
        samples,
        &mut big,
        &mut baseline,
        |c| {
            if c.cursor() + 2 * rows >= c.len() {
                c.press(ch('g'));
            }
            c.timed_press(ch('j'))
        },
        step(1, FAR),
    ));

    big.press(ch('G'));
    figures.push(key_figure(
        ("key_k", "k (up) + frame, 100 000 calls, 200×50"),
        samples,
        &mut big,
        &mut baseline,
        |c| {
            if c.cursor() < 2 * rows {
                c.press(ch('G'));
            }
            c.timed_press(ch('k'))
        },
        step(1, FAR),
    ));

    big.press(ch('g'));
    figures.push(key_figure(
        ("key_pgdn", "PgDn + frame, 100 000 calls, 200×50"),
        samples,
        &mut big,
        &mut baseline,
        |c| {
            if c.cursor() + 3 * rows >= c.len() {
                c.press(ch('g'));
            }
            c.timed_press(key(KeyCode::PageDown))
        },
        step(rows, FAR),
    ));

    figures.push(key_figure(
        ("key_G", "G (to the last of 100 000) + frame, 200×50"),
        samples,
        &mut big,
        &mut baseline,
        |c| {
            // Back to the top (drawn, untimed), so every G really jumps and redraws.
            c.press(ch('g'));
            c.timed_press(ch('G'))
        },
        flip(FAR),
    ));

    // Not a row of the table: the refresh a tab switch (or the timer) starts comes
    // back as its own message, merged into the 100 000 and drawn.
    big.press(ch('g'));
    let refresh: Vec<Sample> = (0..REFRESH_SAMPLES)
        .map(|_| {
            let effects = big.app.update(ch('r'));
            let (req, page) = effects
                .iter()
                .find_map(|e| match e {
                    Effect::FetchPage { req, query } if query.per_page > 1 => {
                        Some((*req, query.page))
                    }
                    _ => None,
                })
                .expect("r refreshes the first page");
            let msg = Msg::PageLoaded {
                req,
                page,
                answer: page_answer(calls[..100].to_vec()),
            };
            big.timed_press(msg)
        })
        .collect();
    let refresh = Side::of(&refresh);

    let mut next = true;
    figures.push(key_figure(
        ("key_tab", TAB_LABEL),
        samples,
        &mut big,
        &mut baseline,
        |c| {
            // From All to Needs follow-up and back.
            let t = c.timed_press(ch(if next { '[' } else { ']' }));
            next = !next;
            t
        },
        flip(FAR),
    ));

    // An idle console redraws every second (ages, timers): with a search typed, each frame
    // also marks the matched letters of the rows on screen.
    big.press(ch('2'));
    big.press(ch('g'));
    for c in "/resc".chars() {
        big.press(ch(c));
    }
    big.press(key(KeyCode::Enter));
    figures.push(key_figure(
        (
            "render_search",
            "frame render with a search typed (resc), 100 000 calls, 200×50",
        ),
        samples,
        &mut big,
        &mut baseline,
        |c| c.timed_frame(),
        || 0,
    ));

    // Needs follow-up with 100 000 waiting calls, one row per caller: the rows are built when
    // the list changes, never per key or per frame.
    let mut grouped = Console::new(app_on(TabId::FollowUp, waiting(&calls)));
    grouped.draw();
    let callers = grouped.len();
    assert!(
        callers < 100_000 && grouped.app.grouped().is_some(),
        "the waiting calls fold by caller"
    );
    grouped.press(ch('g'));
    figures.push(key_figure(
        ("key_j_grouped", GROUPED_J_LABEL),
        samples,
        &mut grouped,
        &mut baseline,
        |c| {
            if c.cursor() + 2 * rows >= c.len() {
                c.press(ch('g'));
            }
            c.timed_press(ch('j'))
        },
        step(1, FAR),
    ));
    figures.push(key_figure(
        ("key_G_grouped", GROUPED_G_LABEL),
        samples,
        &mut grouped,
        &mut baseline,
        |c| {
            c.press(ch('g'));
            c.timed_press(ch('G'))
        },
        flip(FAR),
    ));

    report(&figures, &refresh, samples, clock);
    println!("the 100 000 waiting calls fold into {callers} caller rows");
    println!("Needs follow-up holds {follow_up_count} of the 100 000 calls");
    println!(
        "set-up {:.1} s, total {:.1} s",
        setup.as_secs_f64(),
        started.elapsed().as_secs_f64()
    );
}
