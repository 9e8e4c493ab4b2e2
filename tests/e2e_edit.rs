//! End to end, editing: the real binary in a pseudo-terminal against a real `callconsole
//! serve` process; what the server stored is checked through its API.

mod common;

use std::process::Command;

use callconsole::api::{ApiClient, ClientOptions, ListQuery, VoiceCall};
use callconsole::config::secret::Secret;
use callconsole::server::{self, RunningServer, ServerOptions};
use common::Session;

const TOKEN: &str = "e2e-token";

/// The demo API in this process, so the test can count what reached it; with a client for
/// checking what it stored.
fn serve() -> (tokio::runtime::Runtime, RunningServer, ApiClient) {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(1)
        .enable_all()
        .build()
        .expect("rt");
    let server = rt
        .block_on(server::start(ServerOptions {
            port: 0,
            token: TOKEN.into(),
            data_file: None,
            import_json: None,
            seed_count: Some(320),
            legacy_stats_only: false,
            faults: Vec::new(),
        }))
        .expect("server");
    let client = ApiClient::new(ClientOptions::new(
        url::Url::parse(&server.base_url()).expect("url"),
        Secret::new(TOKEN),
    ))
    .expect("client");
    (rt, server, client)
}

fn newest(rt: &tokio::runtime::Runtime, client: &ApiClient) -> Vec<VoiceCall> {
    let q = ListQuery {
        page: 1,
        per_page: 50,
        ..ListQuery::default()
    };
    rt.block_on(client.list(&q)).result.expect("list").calls
}

fn get(rt: &tokio::runtime::Runtime, client: &ApiClient, uid: &str) -> VoiceCall {
    rt.block_on(client.get(uid)).result.expect("get")
}

#[test]
fn mark_a_missed_call_handled_through_the_form() {
    let (rt, server, client) = serve();
    let base = server.base_url();
    let calls = newest(&rt, &client);
    // Among the first rows, so the cursor moving to it shows on screen without a scroll.
    let index = calls
        .iter()
        .take(20)
        .position(|c| c.status.as_ref().map(|s| s.as_str()) == Some("MISSED"))
        .expect("a missed call among the first 20");
    let uid = calls[index].uid.clone().expect("uid");

    let dir = tempfile::tempdir().expect("tempdir");
    let mut s = Session::start_in(
        dir,
        &[],
        &[
            ("CALLCONSOLE_BASE_URL", &base),
            ("CALLCONSOLE_TOKEN", TOKEN),
        ],
        40,
        140,
    );
    s.wait_for("the list", |sc| sc.contains("▶"));
    // The All view lists the calls newest first, as `newest` read them.
    s.send("2");
    // The All view's own count (every call the server holds), its first page in.
    let screen = s.wait_for("the All view", |sc| {
        sc.contains("of 320 calls · more below") && sc.contains("▶")
    });
    let top = common::selected_row(&screen).expect("a selected row");
    s.send(&"j".repeat(index));
    s.wait_for("the cursor on the missed call", |sc| {
        common::selected_row(sc) == Some(top + index)
    });
    s.send("e");
    s.wait_for("the form", |sc| sc.contains(&format!("Edit call {uid}")));
    // status is the 6th field; open its list, jump with M to MISSED_CALL_HANDLED, pick it.
    s.send(&"\t".repeat(5));
    s.send("\r");
    s.send("M");
    s.send("\r");
    s.wait_for("the status picked", |sc| {
        sc.contains("◀ MISSED_CALL_HANDLED ▶")
    });
    s.send("\t0.05\t1.50");
    // provider, source_id, duration, summary, url, app name → recording_id
    s.send(&"\t".repeat(7));
    s.send("rec-e2e");
    s.send("\t\tstaff-e2e");
    s.wait_for("no errors left", |sc| sc.contains("Ready to send"));
    s.send("\x13"); // Ctrl-s
    let short: String = uid.chars().take(8).collect();
    s.wait_for("the 200 in the status bar", |sc| {
        sc.contains(&format!("PUT …/voice_calls/{short}")) && sc.contains("→ 200 OK")
    });

    let stored = get(&rt, &client, &uid);
    assert_eq!(
        stored.status.as_ref().map(|s| s.as_str()),
        Some("MISSED_CALL_HANDLED")
    );
    assert_eq!(stored.rate.as_deref(), Some("0.05"));
    assert_eq!(stored.price.as_deref(), Some("1.50"));
    assert_eq!(stored.recording_id.as_deref(), Some("rec-e2e"));
    assert_eq!(stored.handled_by_staff_uid.as_deref(), Some("staff-e2e"));
    assert!(stored.handled_at.is_some());

    // An invalid number is refused in the form; the server hears nothing.
    let puts = server.requests("PUT");
    s.send("e");
    s.wait_for("the form again", |sc| {
        sc.contains(&format!("Edit call {uid}"))
    });
    s.send("\t\t\x15"); // from_number, Ctrl-u clears it
    s.send("12345");
    s.wait_for("the rule beside the field", |sc| {
        sc.contains("from_number must be E.164")
    });
    s.send("\x13");
    s.wait_for("the refusal", |sc| {
        sc.contains("not sent: 1 field needs fixing")
    });
    s.send("\x1b"); // Esc: unsent changes → asks
    s.wait_for("the leave question", |sc| sc.contains("Unsent changes"));
    s.send("d");
    s.wait_for("the list again", |sc| sc.contains("changes discarded"));
    s.send("q");
    assert!(s.wait_exit().success());
    // The console is gone: whatever it sent has been sent.
    assert_eq!(server.requests("PUT"), puts, "no update reached the server");
    let after = get(&rt, &client, &uid);
    assert_eq!(
        after.updated_at, stored.updated_at,
        "no request reached the server"
    );
    assert_eq!(after.from_number, stored.from_number);
}

#[test]
fn a_killed_edit_comes_back_as_a_draft() {
    let dir = tempfile::tempdir().expect("tempdir");
    let data = dir.path().join("calls.json");
    let data = data.to_str().expect("utf-8 path").to_string();
    let args = ["--demo", "--data", data.as_str()];
    let home = dir.path().to_path_buf();
    let mut s = Session::start_in(dir, &args, &[], 30, 130);
    s.wait_for("the list", |sc| sc.contains("▶"));
    s.send("e");
    s.wait_for("the form", |sc| sc.contains("Edit call"));
    s.send("\x05-draft-test"); // Ctrl-e: end of staff_uid, then type
    s.wait_for("the typed text", |sc| sc.contains("-draft-test"));
    // The draft is written within a second of the last change.
    common::wait_until("the draft on disk", || {
        common::any_json_holds(&home.join("data"), "-draft-test")
    });
    let pid = s.child.process_id().expect("pid");
    let status = Command::new("kill")
        .args(["-9", &pid.to_string()])
        .status()
        .expect("kill");
    assert!(status.success());
    let _ = s.wait_exit();

    let dir = s.into_dir();
    let mut again = Session::start_in(dir, &args, &[], 30, 130);
    again.wait_for("the draft offer", |sc| sc.contains("Unsent edit waiting"));
    again.send("r");
    let screen = again.wait_for("the restored form", |sc| sc.contains("Edit call"));
    assert!(screen.contains("-draft-test"), "{screen}");
    again.send("\x03");
    assert!(again.wait_exit().success());
}

#[test]
fn the_summary_can_be_written_in_the_editor() {
    let dir = tempfile::tempdir().expect("tempdir");
    // A stand-in editor: rewrites the file it is given, as a person would in vi.
    let editor = dir.path().join("fake-editor.sh");
    std::fs::write(&editor, "printf 'Rewritten in the editor\\n' > \"$1\"\n").expect("script");
    // Run through sh rather than exec'ing a file just written (ETXTBSY while tests fork).
    let editor = format!("sh {}", editor.to_str().expect("utf-8"));
    let data = dir
        .path()
        .join("calls.json")
        .to_str()
        .expect("utf-8")
        .to_string();
    let mut s = Session::start_in(
        dir,
        &["--demo", "--data", &data],
        &[("EDITOR", &editor), ("VISUAL", &editor)],
        30,
        130,
    );
    s.wait_for("the list", |sc| sc.contains("▶"));
    s.send("e");
    s.wait_for("the form", |sc| sc.contains("Edit call"));
    s.send("\x0f"); // Ctrl-o
    s.wait_for("the edited summary", |sc| {
        sc.contains("Rewritten in the editor")
    });
    s.send("\x03");
    assert!(s.wait_exit().success());
}

/// With the drafts folder blocked, the form says the draft was NOT saved and keeps the edit;
/// quitting asks first, and the edit is printed as JSON once the terminal is back.
#[test]
fn a_draft_that_cannot_be_written_is_reported_and_the_edit_kept() {
    let dir = tempfile::tempdir().expect("tempdir");
    // Where the drafts go is a file, not a folder: every draft write fails (even as root).
    let data_dir = dir.path().join("data/callconsole");
    std::fs::create_dir_all(&data_dir).expect("data dir");
    std::fs::write(data_dir.join("drafts-demo"), "not a folder").expect("blocker");
    let data = dir.path().join("calls.json").to_string_lossy().into_owned();
    let mut s = Session::start_in(dir, &["--demo", "--data", &data], &[], 30, 140);
    s.wait_for("the list", |sc| sc.contains("▶"));
    s.send("e");
    s.wait_for("the form", |sc| sc.contains("Edit call"));
    s.send("\x05-kept");
    let screen = s.wait_for("the draft failure", |sc| sc.contains("draft NOT saved"));
    assert!(
        screen.contains("-kept"),
        "the edit is still in the form:\n{screen}"
    );
    // Quitting asks first, then prints the edit once the terminal is back (issue 14).
    s.send("\x03");
    s.wait_for("the question", |sc| {
        sc.contains("Quit with an unsaved edit?")
    });
    s.send("y");
    assert!(
        !s.wait_exit().success(),
        "an edit kept nowhere is not a clean exit"
    );
    let screen = s.screen();
    assert!(
        screen.contains("-kept\"") && screen.contains("\"staff_uid\""),
        "the edit is on the terminal after exit:\n{screen}"
    );
}

#[test]
fn at_60_by_20_the_picker_list_shows_and_a_pasted_line_break_stays() {
    let dir = tempfile::tempdir().expect("tempdir");
    let data = dir.path().join("calls.json");
    let data = data.to_str().expect("utf-8 path").to_string();
    let mut s = Session::start_in(dir, &["--demo", "--data", data.as_str()], &[], 20, 60);
    s.wait_for("the list", |sc| sc.contains("▶"));
    s.send("e");
    s.wait_for("the form", |sc| sc.contains("Edit call"));
    // status is the 6th field: its list opens over the rows below, every option readable.
    s.send(&"\t".repeat(5));
    s.send("\r");
    s.wait_for("the whole status list", |sc| {
        [
            "INCOMING_CALL",
            "ANSWERED_BY_STAFF",
            "MISSED_CALL_HANDLED",
            "VOICEMAIL_RECEIVED",
        ]
        .iter()
        .all(|o| sc.contains(o))
            && sc.contains("● ")
    });
    s.send("\x1b"); // Esc closes the list
    s.wait_for("the list closed", |sc| !sc.contains("INCOMING_CALL"));
    // call_summary is six fields further; a terminal pastes a line break as CR.
    s.send(&"\t".repeat(6));
    s.send("\x15\x1b[200~line one\rline two\x1b[201~");
    s.wait_for("the pasted break kept", |sc| {
        sc.contains("line one⏎line two")
    });
    s.send("\x03");
    assert!(s.wait_exit().success());
}
