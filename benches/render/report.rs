//! The figures as the bench prints them: a table per clock, the targets each one passes or
//! misses, and the JSON lines appended to `CALLCONSOLE_BENCH_OUT`.

use std::fmt::Write as _;
use std::io::Write as _;

use crate::sampling::{Clock, Figure, Side};
use crate::{BASELINE_LABEL, BLOCK};

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

pub fn report(figures: &[Figure], refresh: &Side, samples: usize, clock: Clock) {
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
