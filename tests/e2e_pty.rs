//! End to end: the real binary in a pseudo-terminal, in demo mode. Types keys, reads the
//! screen through a terminal emulator, and checks the terminal is given back clean.

mod common;

use std::time::Duration;

use common::{Session, selected_line};

#[test]
fn browse_demo_calls_and_quit_cleanly() {
    let mut s = Session::start(&["--demo"], 30, 140);
    let screen = s.wait_for("the first rows", |sc| {
        sc.contains("▶") && sc.contains("calls ·")
    });
    assert!(screen.contains("DEMO"), "DEMO badge shown:\n{screen}");
    assert!(
        screen.contains("GET …/voice_calls?page=1 → 200 OK"),
        "status bar shows the request:\n{screen}"
    );
    let first = selected_line(&screen);

    s.send("j");
    let screen = s.wait_for("the cursor to move", |sc| selected_line(sc) != first);
    let second = selected_line(&screen);
    assert!(!second.is_empty());

    s.send("\r");
    s.wait_for("the detail pane", |sc| {
        sc.contains("Call detail") && sc.contains("direction")
    });
    // The pane scrolls down to the recording.
    s.send(&"J".repeat(12));
    s.wait_for("the recording part", |sc| sc.contains("Recording"));

    s.send("?");
    s.wait_for("help", |sc| sc.contains("this help"));
    s.send("x");
    s.wait_for("help to close", |sc| !sc.contains("this help"));

    s.send("q");
    let status = s.wait_exit();
    assert!(status.success(), "exit status {status:?}");
    // Give the reader a moment to take in the last bytes.
    std::thread::sleep(Duration::from_millis(200));
    let parser = s.parser.lock().expect("parser");
    assert!(!parser.screen().alternate_screen(), "alternate screen left");
    assert!(!parser.screen().hide_cursor(), "cursor shown again");
    let raw = s.raw.lock().expect("raw");
    let tail = String::from_utf8_lossy(&raw[raw.len().saturating_sub(200)..]).into_owned();
    assert!(
        tail.contains("\x1b[?1049l"),
        "leaves the alternate screen last: {tail:?}"
    );
}

#[test]
fn end_of_list_loads_more_pages() {
    let mut s = Session::start(&["--demo", "--seed-count", "400"], 24, 120);
    s.wait_for("the first rows", |sc| sc.contains("▶"));
    s.send("G");
    s.wait_for("a second page", |sc| {
        sc.contains("100 calls") || sc.contains("150 calls")
    });
    for _ in 0..10 {
        s.send("G");
        std::thread::sleep(Duration::from_millis(100));
    }
    s.wait_for("all 400 loaded", |sc| sc.contains("400 calls · all loaded"));
    s.send("\x03"); // Ctrl-C quits too
    assert!(s.wait_exit().success());
}

#[test]
fn broken_config_is_reported_before_the_terminal_is_taken() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("config.toml");
    std::fs::write(
        &path,
        "base_url = \"https://api.vcita.biz\"\npage_size = \"lots\"\n",
    )
    .expect("write");
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_callconsole"))
        .arg("--config")
        .arg(&path)
        .env_remove("CALLCONSOLE_TOKEN")
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("line 2"), "{err}");
    assert!(err.contains(&path.display().to_string()), "{err}");
    assert!(
        !String::from_utf8_lossy(&out.stdout).contains("\x1b[?1049h"),
        "terminal untouched"
    );

    std::fs::write(
        &path,
        "base_url = \"http://api.vcita.biz\"\ntoken = \"x\"\n",
    )
    .expect("write");
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_callconsole"))
        .arg("--config")
        .arg(&path)
        .env_remove("CALLCONSOLE_TOKEN")
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("https://"));
}
