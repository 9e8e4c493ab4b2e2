//! The call-back loop end to end: the real binary in a pseudo-terminal on its demo data. A
//! caller's row in Needs follow-up, `c` (the dial command is `true`, which starts nothing),
//! "reached": their row leaves the inbox, and the outbound call recorded appears in All.

mod common;

use common::{Session, selected_line};

/// The demo's client names, from the seed the embedded server serves.
fn client_names() -> Vec<String> {
    let seed: serde_json::Value =
        serde_json::from_str(include_str!("../assets/demo/seed.json")).expect("seed");
    seed["clients"]
        .as_array()
        .expect("clients")
        .iter()
        .filter_map(|p| p["name"].as_str().map(str::to_string))
        .collect()
}

/// The rows of the list: below the title and the header, above the status and key bars.
fn rows(screen: &str) -> Vec<&str> {
    let lines: Vec<&str> = screen.lines().collect();
    let end = lines.len().saturating_sub(2);
    lines.get(2..end).map(<[&str]>::to_vec).unwrap_or_default()
}

#[test]
fn a_caller_called_back_and_reached_leaves_the_inbox_and_the_call_is_recorded() {
    let dir = tempfile::tempdir().expect("dir");
    let mut s = Session::start_in(
        dir,
        &["--demo"],
        &[("CALLCONSOLE_DIAL_COMMAND", "true")],
        30,
        200,
    );
    let clients = client_names();
    let name_in = |line: &str| clients.iter().find(|n| line.contains(n.as_str())).cloned();
    // A caller's row: several waiting calls folded into one, by name.
    s.wait_for("a caller's row with their name", |sc| {
        rows(sc)
            .iter()
            .any(|r| r.contains("▸ 2×") && name_in(r).is_some())
    });
    let mut screen = s.screen();
    for _ in 0..40 {
        if selected_line(&screen).contains('▸') {
            break;
        }
        let before = selected_line(&screen);
        s.send("j");
        screen = s.wait_for("the cursor to move", |sc| selected_line(sc) != before);
    }
    let row = selected_line(&screen);
    assert!(row.contains('▸'), "a caller's row is selected:\n{screen}");
    let caller = name_in(&row).expect("the caller's name on their row");

    s.send("c");
    s.wait_for("the outcome question", |sc| {
        sc.contains("reached") && sc.contains("no answer")
    });
    s.send("r");
    s.send("\r");
    // Marking their calls handled needs what the API never sends back (rate, price, recording
    // id); the demo asks once, as `h` does.
    s.wait_for(
        "the question for the fields the server did not send",
        |sc| sc.contains("Fields the server did not send"),
    );
    s.send("0\t0\tnone\r");
    let screen = s.wait_for("the caller's row to leave the inbox", |sc| {
        !rows(sc).iter().any(|r| r.contains(caller.as_str())) && !sc.contains("left voicemail")
    });
    assert!(
        !screen.contains("Call-back:"),
        "the inbox lists no outbound call:\n{screen}"
    );

    // All: the call-back, outbound, to that caller, recorded as reached.
    s.send("2");
    s.wait_for("the recorded call-back in All", |sc| {
        rows(sc).iter().any(|r| {
            r.contains("OUT") && r.contains(caller.as_str()) && r.contains("Call-back: reached")
        })
    });
    s.send("q");
    let status = s.wait_exit();
    assert!(status.success(), "exit status {status:?}");
}
