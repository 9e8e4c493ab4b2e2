//! The event loop end to end, in a pseudo-terminal: time moves while the user types, and what
//! was asked to be written just before quitting is on disk when the process has exited.

mod common;

use std::time::{Duration, Instant};

use callconsole::server::{self, ServerOptions};
use common::Session;

/// A refresh fires on its timer while a key arrives every 200 ms: the clock is not a side
/// effect of idle input (the old loop only ticked after 5 s without a key, so it never did).
#[test]
fn a_refresh_fires_while_keys_arrive_every_200_ms() {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .expect("runtime");
    let server = rt
        .block_on(server::start(ServerOptions {
            port: 0,
            token: "t".into(),
            data_file: None,
            import_json: None,
            seed_count: Some(40),
            legacy_stats_only: false,
            faults: Vec::new(),
        }))
        .expect("server");
    let base = server.base_url();
    let mut s = Session::start_in(
        tempfile::tempdir().expect("tempdir"),
        &[],
        &[
            ("CALLCONSOLE_BASE_URL", &base),
            ("CALLCONSOLE_TOKEN", "t"),
            ("CALLCONSOLE_REFRESH_SECS", "1"),
        ],
        30,
        130,
    );
    s.wait_for("the first rows", |sc| sc.contains("▶"));
    // Everything the start asked for has been sent by the time its answer is drawn.
    let at_start = server.requests("GET");
    let deadline = Instant::now() + Duration::from_secs(30);
    // `j` and `k` move the cursor: harmless, and each one is input the loop must handle.
    let mut keys = ["j", "k"].iter().cycle();
    // A refresh asks for the open tab's first page and the counts: two GETs each.
    while server.requests("GET") < at_start + 4 {
        assert!(
            Instant::now() < deadline,
            "no refresh while typing: {} GETs at the start, {} after 30 s of keys; screen:\n{}",
            at_start,
            server.requests("GET"),
            s.screen()
        );
        s.send(keys.next().expect("cycle"));
        std::thread::sleep(Duration::from_millis(200));
    }
    s.send("q");
    assert!(s.wait_exit().success());
}

fn data_dir(home: &std::path::Path) -> std::path::PathBuf {
    home.join("data/callconsole")
}

/// Ctrl-c with an edit open asks for the draft and quits in the same turn; the write is done
/// off the UI thread, and the process waits for it before it exits.
#[test]
fn a_draft_asked_for_right_before_quitting_is_on_disk() {
    let dir = tempfile::tempdir().expect("tempdir");
    let data = dir.path().join("calls.json").to_string_lossy().into_owned();
    let mut s = Session::start_in(dir, &["--demo", "--data", &data], &[], 30, 130);
    s.wait_for("the list", |sc| sc.contains("▶"));
    s.send("e");
    s.wait_for("the form", |sc| sc.contains("Edit call"));
    // Ctrl-e to the end of the summary, the text, and Ctrl-c at once: before the draft timer.
    s.send("\x05-kept-at-quit\x03");
    assert!(s.wait_exit().success());
    let drafts: Vec<String> = std::fs::read_dir(data_dir(s.dir.path()).join("drafts-demo"))
        .expect("the drafts dir")
        .filter_map(Result::ok)
        .filter_map(|e| std::fs::read_to_string(e.path()).ok())
        .collect();
    assert!(
        drafts.iter().any(|d| d.contains("-kept-at-quit")),
        "the draft is on disk: {drafts:?}"
    );
}

/// The UI state is written after a short wait (tab switches come in bursts), and whatever
/// still waits is written before the process exits.
#[test]
fn a_tab_switched_to_just_before_quitting_is_remembered() {
    let dir = tempfile::tempdir().expect("tempdir");
    let data = dir.path().join("calls.json").to_string_lossy().into_owned();
    let mut s = Session::start_in(dir, &["--demo", "--data", &data], &[], 30, 130);
    s.wait_for("the list", |sc| sc.contains("▶"));
    s.send("2q");
    assert!(s.wait_exit().success());
    let state = std::fs::read_to_string(data_dir(s.dir.path()).join("state-demo.json"))
        .expect("the state file is written at exit");
    let state: serde_json::Value = serde_json::from_str(&state).expect("json");
    assert_eq!(state["active"], "all", "{state}");
    // Nothing but the files themselves: no temp file left behind.
    let names: Vec<String> = std::fs::read_dir(data_dir(s.dir.path()))
        .expect("data dir")
        .filter_map(Result::ok)
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    assert!(names.iter().all(|n| !n.starts_with(".tmp")), "{names:?}");
}
