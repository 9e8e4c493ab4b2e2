//! Timing marks for `scripts/bench`. With `CALLCONSOLE_BENCH_LOG=<file>` the console appends
//! one line per mark: `<unix time in µs> <event> [value]`. Wall-clock time, so the script can
//! set it against the moment it started the process. Without the variable nothing is opened
//! and each mark costs one relaxed load.
//!
//! Marks: `first_frame`; `first_page <calls>` (the server's calls on screen, not the cache);
//! `complete <calls>` (every page of the open tab loaded); `batch_done <calls>`; and `turn
//! <µs>`, the time one pass of the loop spent in `update` and drawing.

use std::fs::File;
use std::io::Write;
use std::sync::Mutex;
use std::sync::OnceLock;
use std::time::{SystemTime, UNIX_EPOCH};

static LOG: OnceLock<Option<Mutex<File>>> = OnceLock::new();

fn log() -> Option<&'static Mutex<File>> {
    LOG.get_or_init(|| {
        let path = std::env::var_os("CALLCONSOLE_BENCH_LOG")?;
        File::options()
            .create(true)
            .append(true)
            .open(path)
            .ok()
            .map(Mutex::new)
    })
    .as_ref()
}

/// Whether marks are being written (so callers can skip work that only feeds them).
pub fn enabled() -> bool {
    log().is_some()
}

/// Appends `<now µs> <event> <value>`; errors are ignored — a benchmark aid must never
/// disturb the console.
pub fn mark(event: &str, value: u128) {
    let Some(file) = log() else {
        return;
    };
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_micros())
        .unwrap_or_default();
    // One write per mark: `writeln!` on a `File` makes a system call per piece.
    let line = format!("{now} {event} {value}\n");
    if let Ok(mut file) = file.lock() {
        let _ = file.write_all(line.as_bytes());
    }
}
