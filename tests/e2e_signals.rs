//! Signals, Ctrl-z and the end of the terminal, in a pseudo-terminal: the terminal is given
//! back (alternate screen left, cursor shown, mouse and bracketed paste off), an open edit is
//! saved as a draft, and the process is gone within a second.

mod common;

use std::process::Command;
use std::time::{Duration, Instant};

use common::Session;

/// The bytes that give the terminal back, as crossterm writes them.
const RESTORE: [(&str, &str); 4] = [
    ("\x1b[?1000l", "mouse capture off"),
    ("\x1b[?2004l", "bracketed paste off"),
    ("\x1b[?1049l", "alternate screen left"),
    ("\x1b[?25h", "cursor shown"),
];

fn drafts_in(dir: &std::path::Path) -> Vec<String> {
    let drafts = dir.join("data/callconsole/drafts-demo");
    std::fs::read_dir(drafts)
        .map(|d| {
            d.filter_map(Result::ok)
                .filter_map(|e| std::fs::read_to_string(e.path()).ok())
                .collect()
        })
        .unwrap_or_default()
}

/// The demo console with the first call's form open and `typed` added to the summary (Ctrl-e
/// goes to the end of the field), not yet written as a draft.
fn editing_with(typed: &str) -> Session {
    let dir = tempfile::tempdir().expect("tempdir");
    let data = dir.path().join("calls.json").to_string_lossy().into_owned();
    let mut s = Session::start_in(dir, &["--demo", "--data", &data], &[], 30, 130);
    s.wait_for("the list", |sc| sc.contains("▶"));
    s.send("e");
    s.wait_for("the form", |sc| sc.contains("Edit call"));
    s.send(&format!("\x05{typed}"));
    s.wait_for("the typed text", |sc| sc.contains(typed));
    s
}

/// Opens the form, types, sends `signal` at once (before the draft timer), and checks.
fn signal_with_an_open_edit(signal: &str) {
    let mut s = editing_with(&format!("-{signal}"));
    let pid = s.child.process_id().expect("pid").to_string();
    let sent = Instant::now();
    assert!(
        Command::new("kill")
            .args([&format!("-{signal}"), &pid])
            .status()
            .expect("kill")
            .success()
    );
    let status = s.wait_exit();
    let took = sent.elapsed();
    assert!(
        took < Duration::from_secs(1),
        "{signal}: exit took {took:?}"
    );
    assert!(status.success(), "{signal}: {status:?}");
    // What it wrote last may still be on its way to the reader.
    let raw = s.wait_output(&format!("{signal}: the terminal given back"), 0, |out| {
        RESTORE.iter().all(|(bytes, _)| out.contains(bytes))
    });
    for (bytes, what) in RESTORE {
        assert!(raw.contains(bytes), "{signal}: {what} missing");
    }
    let dir = s.into_dir();
    let drafts = drafts_in(dir.path());
    assert!(
        drafts.iter().any(|d| d.contains(&format!("-{signal}"))),
        "{signal}: the edit was saved as a draft: {drafts:?}"
    );
}

#[test]
fn sigterm_saves_the_draft_and_restores_the_terminal() {
    signal_with_an_open_edit("TERM");
}

#[test]
fn sigint_saves_the_draft_and_restores_the_terminal() {
    signal_with_an_open_edit("INT");
}

/// What the terminal closing sends.
#[test]
fn sighup_saves_the_draft_and_restores_the_terminal() {
    signal_with_an_open_edit("HUP");
}

/// The window closes: no signal sent by hand, the master side of the terminal simply goes
/// away (the kernel then hangs the terminal up: SIGHUP, and EIO on every read and write).
#[test]
fn the_terminal_closing_saves_the_draft_and_exits_cleanly() {
    let mut s = editing_with("-closed");
    let closed = s.close_terminal();
    let status = s.wait_exit();
    let took = closed.elapsed();
    let dir = s.into_dir();
    let drafts = drafts_in(dir.path());
    let log = std::fs::read_to_string(dir.path().join("data/callconsole/callconsole.log"))
        .unwrap_or_default();
    assert!(took < Duration::from_secs(1), "exit took {took:?}");
    assert!(
        status.success(),
        "a clean exit: {status:?}; drafts {drafts:?}; log:\n{log}"
    );
    assert!(
        drafts.iter().any(|d| d.contains("-closed")),
        "the edit was saved as a draft: {drafts:?}"
    );
    assert!(!log.contains("panic"), "{log}");
}

#[test]
fn ctrl_z_gives_the_terminal_back_and_redraws_on_return() {
    let mut s = Session::start(&["--demo"], 24, 120);
    s.wait_for("the list", |sc| sc.contains("▶"));
    let before = s.raw.lock().expect("raw").len();
    s.send("\x1a"); // Ctrl-z
    // A job-control shell stops us here and `fg` continues; under this test harness the
    // process group has no shell, so the stop is skipped (POSIX: orphaned groups ignore
    // SIGTSTP) and the console comes straight back — either way it must redraw.
    let pid = s.child.process_id().expect("pid").to_string();
    s.wait_output("the alternate screen left", before, |out| {
        out.contains("\x1b[?1049l")
    });
    let _ = Command::new("kill").args(["-CONT", &pid]).status();
    let screen = s.wait_for("the redrawn list", |sc| {
        sc.contains("▶") && sc.contains("calls ·")
    });
    assert!(screen.contains("Needs follow-up"), "{screen}");
    let raw = String::from_utf8_lossy(&s.raw.lock().expect("raw")[before..]).into_owned();
    let left = raw.find("\x1b[?1049l").expect("left the alternate screen");
    let back = raw.rfind("\x1b[?1049h").expect("came back to it");
    assert!(left < back, "left, then came back");
    s.send("j");
    s.send("q");
    assert!(s.wait_exit().success());
}

#[test]
fn a_crash_gives_the_terminal_back_and_keeps_the_open_edit() {
    let dir = tempfile::tempdir().expect("tempdir");
    let data = dir.path().join("calls.json").to_string_lossy().into_owned();
    let mut s = Session::start_in(
        dir,
        &["--demo", "--data", &data],
        &[("CALLCONSOLE_CRASH_TEST", "1")],
        30,
        130,
    );
    s.wait_for("the list", |sc| sc.contains("▶"));
    s.send("e");
    s.wait_for("the form", |sc| sc.contains("Edit call"));
    s.send("\x05-crash");
    s.wait_for("the typed text", |sc| sc.contains("-crash"));
    let sent = Instant::now();
    s.send("\x1b[24~"); // F12: the deliberate panic
    let status = s.wait_exit();
    let took = sent.elapsed();
    assert!(took < Duration::from_secs(1), "exit took {took:?}");
    assert!(!status.success(), "a crash is not a clean exit: {status:?}");
    let raw = s.wait_output("the terminal given back", 0, |out| {
        RESTORE.iter().all(|(bytes, _)| out.contains(bytes)) && out.contains("saved as a draft")
    });
    for (bytes, what) in RESTORE {
        assert!(raw.contains(bytes), "{what} missing");
    }
    assert!(
        raw.contains("saved as a draft"),
        "the user is told the edit is kept"
    );
    let dir = s.into_dir();
    assert!(
        drafts_in(dir.path()).iter().any(|d| d.contains("-crash")),
        "the edit was saved as a draft"
    );
}
