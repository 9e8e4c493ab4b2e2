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

use std::fmt::Write as _;
use std::io::Write as _;
use std::time::{Duration, Instant};

use callconsole::api::{Answer, CallPage, Exchange, VoiceCall};
use callconsole::app::{App, Session};
use callconsole::config::Config;
use callconsole::msg::{Effect, Msg};
use callconsole::state::UiState;
use callconsole::tabs::{TabId, needs_follow_up};
use callconsole::ui::Screen;
use callconsole::ui::layout::list_rows;
use callconsole::ui::theme::Theme;
use chrono::{DateTime, FixedOffset, Utc};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::layout::Constraint;
use ratatui::widgets::{Cell, Row, Table};

const SIZE: (u16, u16) = (200, 50);
const DEFAULT_SAMPLES: usize = 2000;
/// Samples of one side before switching to the other.
const BLOCK: usize = 50;
/// Untimed frames of each side before sampling starts (caches, allocator).
const WARMUP: usize = 100;
const BASELINE_LABEL: &str = "bare ratatui Table of the visible rows";

fn now() -> DateTime<Utc> {
    DateTime::parse_from_rfc3339("2026-03-02T10:00:00Z")
        .map(|t| t.with_timezone(&Utc))
        .expect("a fixed date")
}

/// The seeded demo calls, through the same JSON the client reads, so strings and missing
/// fields look like the real thing.
fn seeded_calls(n: usize) -> Vec<VoiceCall> {
    callconsole::server::seed::generate(n, now())
        .expect("the seed generator works")
        .iter()
        .map(|c| serde_json::to_value(c).expect("a seeded call serialises"))
        .map(|v| serde_json::from_value(v).expect("a seeded call reads back"))
        .collect()
}

fn page_answer(calls: Vec<VoiceCall>) -> Answer<CallPage> {
    Answer {
        exchange: Exchange {
            method: reqwest::Method::GET,
            path: "/v3/communication/voice_calls?page=1".into(),
            status: Some(200),
            elapsed: Duration::from_millis(5),
            attempts: 1,
        },
        result: Ok(CallPage {
            calls,
            unreadable: 0,
        }),
    }
}

/// The page request among `effects`, answered with `calls`.
fn answer_page(app: &mut App, effects: &[Effect], calls: Vec<VoiceCall>) {
    let (req, page) = effects
        .iter()
        .find_map(|e| match e {
            Effect::FetchPage { req, query } if query.per_page > 1 => Some((*req, query.page)),
            _ => None,
        })
        .expect("a list page is asked for");
    app.update(Msg::PageLoaded {
        req,
        page,
        answer: page_answer(calls),
    });
}

/// The console on its "All" tab with `calls` loaded as one page.
fn app_with(calls: Vec<VoiceCall>) -> App {
    let session = Session {
        demo: true,
        api_label: "bench".into(),
        config: Config {
            page_size: 100,
            refresh_secs: 0,
            ..Config::default()
        },
        ..Session::default()
    };
    let tz = FixedOffset::east_opt(0).expect("UTC is an offset");
    let state = UiState {
        active: Some(TabId::All),
        ..UiState::default()
    };
    let (mut app, effects) =
        App::with_state(session, now(), tz, list_rows(SIZE.1), Vec::new(), state);
    answer_page(&mut app, &effects, calls);
    app
}

/// One timed sample: wall-clock time, and the CPU time of this thread, which leaves out the
/// time the scheduler gave to other processes (on a loaded 2-core machine that is most of the
/// tail).
#[derive(Clone, Copy)]
struct Sample {
    wall: Duration,
    cpu: Duration,
}

fn thread_cpu() -> Duration {
    #[cfg(unix)]
    {
        let t = rustix::time::clock_gettime(rustix::time::ClockId::ThreadCPUTime);
        Duration::new(
            u64::try_from(t.tv_sec).unwrap_or_default(),
            u32::try_from(t.tv_nsec).unwrap_or_default(),
        )
    }
    #[cfg(not(unix))]
    Duration::ZERO
}

/// Times `work`.
fn timed(work: impl FnOnce()) -> Sample {
    let (cpu, wall) = (thread_cpu(), Instant::now());
    work();
    let wall = wall.elapsed();
    Sample {
        wall,
        cpu: thread_cpu().saturating_sub(cpu),
    }
}

fn key(code: KeyCode) -> Msg {
    Msg::Key(KeyEvent::new(code, KeyModifiers::NONE))
}

fn ch(c: char) -> Msg {
    key(KeyCode::Char(c))
}

fn terminal() -> Terminal<TestBackend> {
    Terminal::new(TestBackend::new(SIZE.0, SIZE.1)).expect("a test terminal")
}

/// The console and the terminal it draws into.
struct Console {
    app: App,
    theme: Theme,
    term: Terminal<TestBackend>,
}

impl Console {
    fn new(app: App) -> Self {
        Self {
            app,
            theme: Theme::new(false),
            term: terminal(),
        }
    }

    fn draw(&mut self) {
        let (app, theme) = (&self.app, &self.theme);
        self.term
            .draw(|f| f.render_widget(Screen { app, theme }, f.area()))
            .expect("a test terminal draws");
    }

    /// Update with `msg`, then draw: what one key costs.
    fn press(&mut self, msg: Msg) {
        drop(self.app.update(msg));
        self.draw();
    }

    fn timed_frame(&mut self) -> Sample {
        timed(|| self.draw())
    }

    fn timed_press(&mut self, msg: Msg) -> Sample {
        timed(|| self.press(msg))
    }

    fn cursor(&self) -> usize {
        self.app.list().selected_index()
    }

    fn len(&self) -> usize {
        self.app.list().len()
    }
}

/// The baseline: a bare `Table` (no styles, no selection) with the console's columns at 200
/// wide, a header, and the rows that fit, straight from the call fields.
struct Baseline<'a> {
    calls: &'a [VoiceCall],
    term: Terminal<TestBackend>,
    rows: usize,
    offset: usize,
}

impl<'a> Baseline<'a> {
    fn new(calls: &'a [VoiceCall]) -> Self {
        Self {
            calls,
            term: terminal(),
            rows: list_rows(SIZE.1),
            offset: 0,
        }
    }

    fn draw(&mut self) {
        let end = (self.offset + self.rows).min(self.calls.len());
        let visible = &self.calls[self.offset.min(end)..end];
        let s = |v: &'a Option<String>| v.as_deref().unwrap_or("");
        self.term
            .draw(|f| {
                let rows = visible.iter().map(|c| {
                    Row::new([
                        Cell::from(""),
                        Cell::from(s(&c.created_at)),
                        Cell::from(s(&c.updated_at)),
                        Cell::from(c.direction.as_ref().map_or("", |d| d.as_str())),
                        Cell::from(c.status.as_ref().map_or("", |d| d.as_str())),
                        Cell::from(s(&c.from_number)),
                        Cell::from(s(&c.to_number)),
                        Cell::from(s(&c.client_uid)),
                        Cell::from(c.duration.unwrap_or_default().to_string()),
                        Cell::from(s(&c.handled_by_staff_uid)),
                        Cell::from(s(&c.call_summary)),
                    ])
                });
                let header = Row::new([
                    "",
                    "Time",
                    "Age",
                    "Dir",
                    "Status",
                    "From",
                    "To",
                    "Client",
                    "Dur",
                    "Handled by",
                    "Summary",
                ]);
                let widths = [1, 12, 6, 4, 14, 16, 16, 14, 7, 12]
                    .map(Constraint::Length)
                    .into_iter()
                    .chain([Constraint::Fill(1)]);
                f.render_widget(Table::new(rows, widths).header(header), f.area());
            })
            .expect("a test terminal draws");
    }

    /// One frame with the window starting at `offset`, timed.
    fn timed_frame_at(&mut self, offset: usize) -> Sample {
        self.offset = offset.min(self.calls.len().saturating_sub(self.rows));
        timed(|| self.draw())
    }
}

/// Percentiles of one side of a figure, in microseconds.
#[derive(Clone, Copy)]
struct Summary {
    median: f64,
    p95: f64,
    p99: f64,
    n: usize,
}

impl Summary {
    fn of(samples: impl Iterator<Item = Duration>) -> Self {
        let mut us: Vec<f64> = samples.map(|d| d.as_secs_f64() * 1e6).collect();
        us.sort_by(f64::total_cmp);
        // Nearest rank: the smallest sample with at least that share of them at or below it.
        let rank = |q: f64| {
            let i = (q * us.len() as f64).ceil() as usize;
            us.get(i.saturating_sub(1)).copied().unwrap_or(f64::NAN)
        };
        Self {
            median: rank(0.5),
            p95: rank(0.95),
            p99: rank(0.99),
            n: us.len(),
        }
    }

    fn json(&self) -> String {
        format!(
            r#"{{"median":{:.3},"p95":{:.3},"p99":{:.3},"n":{}}}"#,
            self.median, self.p95, self.p99, self.n
        )
    }
}

/// Both clocks' percentiles of one side.
#[derive(Clone, Copy)]
struct Side {
    wall: Summary,
    cpu: Summary,
}

impl Side {
    fn of(samples: &[Sample]) -> Self {
        Self {
            wall: Summary::of(samples.iter().map(|s| s.wall)),
            cpu: Summary::of(samples.iter().map(|s| s.cpu)),
        }
    }
}

/// Which clock the JSON lines carry.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Clock {
    Wall,
    Cpu,
}

impl Clock {
    fn of(self, side: &Side) -> &Summary {
        match self {
            Clock::Wall => &side.wall,
            Clock::Cpu => &side.cpu,
        }
    }

    fn name(self) -> &'static str {
        match self {
            Clock::Wall => "wall-clock",
            Clock::Cpu => "thread CPU",
        }
    }
}

struct Figure {
    row: &'static str,
    label: &'static str,
    app: Side,
    baseline: Side,
}

impl Figure {
    fn json(&self, clock: Clock) -> String {
        let text = |s: &str| serde_json::to_string(s).expect("a string serialises");
        format!(
            r#"{{"row":{},"label":{},"unit":"us","app":{},"baseline":{},"baseline_label":{}}}"#,
            text(self.row),
            text(self.label),
            clock.of(&self.app).json(),
            clock.of(&self.baseline).json(),
            text(BASELINE_LABEL),
        )
    }
}

/// Runs each side `samples` times, `BLOCK` at a time in turn, after a warm-up; each closure
/// does its own untimed preparation and returns the timing of the work itself.
fn interleave(samples: usize, sides: &mut [&mut dyn FnMut() -> Sample]) -> Vec<Vec<Sample>> {
    for side in sides.iter_mut() {
        for _ in 0..WARMUP {
            side();
        }
    }
    let mut out = vec![Vec::with_capacity(samples); sides.len()];
    while out[0].len() < samples {
        let block = BLOCK.min(samples - out[0].len());
        for (side, times) in sides.iter_mut().zip(out.iter_mut()) {
            for _ in 0..block {
                times.push(side());
            }
        }
    }
    out
}

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
    let follow_up: Vec<VoiceCall> = calls
        .iter()
        .filter(|c| needs_follow_up(c))
        .cloned()
        .collect();
    let follow_up_count = follow_up.len();

    let mut big = Console::new(app_with(calls.clone()));
    let mut small = Console::new(app_with(calls[..1_000].to_vec()));
    // Load "Needs follow-up" too, then come back to "All" (which refreshes it), so the tab
    // switch goes between two full lists.
    let effects = big.app.update(ch('1'));
    answer_page(&mut big.app, &effects, follow_up);
    assert_eq!(big.len(), follow_up_count);
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

    // Not a row of the issue's table: the refresh a tab switch (or the timer) starts comes
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

    report(&figures, &refresh, samples, clock);
    println!("Needs follow-up holds {follow_up_count} of the 100 000 calls");
    println!(
        "set-up {:.1} s, total {:.1} s",
        setup.as_secs_f64(),
        started.elapsed().as_secs_f64()
    );
}

fn table(out: &mut String, figures: &[Figure], clock: Clock) {
    let _ = writeln!(
        out,
        "\n{} µs per sample:\n{:<12} {:>9} {:>9} {:>9}   {:>9} {:>9} {:>9}   {:>6} {:>6}",
        clock.name(),
        "figure",
        "median",
        "p95",
        "p99",
        "base med",
        "base p95",
        "base p99",
        "×med",
        "×p99"
    );
    for f in figures {
        let (app, base) = (clock.of(&f.app), clock.of(&f.baseline));
        let _ = writeln!(
            out,
            "{:<12} {:>9.1} {:>9.1} {:>9.1}   {:>9.1} {:>9.1} {:>9.1}   {:>6.2} {:>6.2}",
            f.row,
            app.median,
            app.p95,
            app.p99,
            base.median,
            base.p95,
            base.p99,
            app.median / base.median,
            app.p99 / base.p99,
        );
    }
}

fn verdicts(out: &mut String, figures: &[Figure], clock: Clock) {
    let find = |row: &str| figures.iter().find(|f| f.row == row);
    let verdict = |ok: bool| if ok { "pass" } else { "MISS" };
    let _ = writeln!(out, "\ntargets on {} time:", clock.name());
    if let (Some(big), Some(small)) = (find("render_100k"), find("render_1k")) {
        let (app, base, one_k) = (
            clock.of(&big.app),
            clock.of(&big.baseline),
            clock.of(&small.app),
        );
        let ratio = app.median / base.median;
        let scale = app.median / one_k.median;
        let _ = writeln!(
            out,
            "  render(100k) / bare table, medians: {ratio:.2} (≤ 1.5: {})",
            verdict(ratio <= 1.5)
        );
        let _ = writeln!(
            out,
            "  render(100k) / render(1k), medians: {scale:.2} (≤ 1.1: {})",
            verdict(scale <= 1.1)
        );
        let _ = writeln!(
            out,
            "  render(100k) p99: {:.0} µs (≤ 1000: {}; bare table p99 {:.0} µs)",
            app.p99,
            verdict(app.p99 <= 1000.0),
            base.p99
        );
    }
    for f in figures.iter().filter(|f| f.row.starts_with("key_")) {
        let _ = writeln!(
            out,
            "  {} p99: {:.0} µs (≤ 2000: {}; bare table p99 {:.0} µs)",
            f.row,
            clock.of(&f.app).p99,
            verdict(clock.of(&f.app).p99 <= 2000.0),
            clock.of(&f.baseline).p99
        );
    }
}

fn report(figures: &[Figure], refresh: &Side, samples: usize, clock: Clock) {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "\nrender figures: {samples} samples each, app and baseline alternating in blocks of \
         {BLOCK}; baseline = {BASELINE_LABEL}"
    );
    for c in [Clock::Wall, Clock::Cpu] {
        table(&mut out, figures, c);
        verdicts(&mut out, figures, c);
    }
    let _ = writeln!(
        out,
        "\nnot in the table: refresh reply (first page merged into 100 000, + frame), {} \
         samples: wall median {:.0} µs, p99 {:.0} µs; CPU median {:.0} µs, p99 {:.0} µs",
        refresh.wall.n, refresh.wall.median, refresh.wall.p99, refresh.cpu.median, refresh.cpu.p99
    );
    print!("{out}");

    if let Some(path) = std::env::var_os("CALLCONSOLE_BENCH_OUT").filter(|p| !p.is_empty()) {
        let mut lines = String::new();
        for f in figures {
            lines.push_str(&f.json(clock));
            lines.push('\n');
        }
        let written = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(&path)
            .and_then(|mut file| file.write_all(lines.as_bytes()));
        match written {
            Ok(()) => println!(
                "{} figures ({} time) appended to {}",
                figures.len(),
                clock.name(),
                path.to_string_lossy()
            ),
            Err(e) => {
                eprintln!("could not write {}: {e}", path.to_string_lossy());
                std::process::exit(1);
            }
        }
    }
}
