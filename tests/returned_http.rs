//! "Already returned?" driven through `App::update`, its effects performed by the real client
//! against the embedded server over HTTP: the server holds a missed call and a later answered
//! outbound call to the same number; the console asks for the later calls, flags the missed
//! call, and `A` then `y` leaves exactly that call handled on the server.

use std::time::Duration;

use callconsole::api::{ApiClient, ClientOptions, VoiceCall};
use callconsole::config::Config;
use callconsole::config::secret::Secret;
use callconsole::console::app::{App, Prompt, Session};
use callconsole::console::msg::Msg;
use callconsole::domain::views::TabId;
use callconsole::persist::state::UiState;
use callconsole::server::{self, RunningServer, ServerOptions};
use chrono::{TimeDelta, Utc};
use crossterm::event::KeyCode;
use serde_json::json;

#[path = "support/drive.rs"]
mod drive;
#[path = "support/triage.rs"]
mod triage;

use triage::{key, perform, press};

const THEIRS: &str = "+14155550148";
const OTHER: &str = "+14155550199";
const OURS: &str = "+14155550100";

/// A call in the server's data-file layout, `minutes` ago.
fn record(
    uid: &str,
    direction: &str,
    status: &str,
    number: &str,
    minutes: i64,
) -> serde_json::Value {
    let at = (Utc::now() - TimeDelta::minutes(minutes))
        .to_rfc3339_opts(chrono::SecondsFormat::Millis, true);
    let (from, to) = if direction == "OUTBOUND" {
        (OURS, number)
    } else {
        (number, OURS)
    };
    json!({
        "uid": uid,
        "created_at": at,
        "updated_at": at,
        "duration": 0,
        "status": status,
        "direction": direction,
        "staff_uid": "staff-grace",
        "client_uid": "client-1",
        "from_number": from,
        "to_number": to,
        "call_summary": match (direction, status) {
            ("OUTBOUND", "ANSWERED_BY_STAFF") => "Call-back: reached",
            ("OUTBOUND", _) => "Call-back: no answer",
            _ => "Asked about rescheduling",
        },
        "recording": null,
        "external_app_url": format!("https://app.example.com/calls/{uid}"),
        "external_app_name": "my.pa",
        "source_id": "test",
        "external_uuid": format!("ext-{uid}"),
        "handled_by_staff_uid": null,
        "handled_at": null,
        "deleted_at": null,
        "transcript_status": null
    })
}

/// A server holding exactly these calls, and a client for it.
async fn server_with(
    dir: &tempfile::TempDir,
    calls: Vec<serde_json::Value>,
) -> (RunningServer, ApiClient) {
    let json_file = dir.path().join("calls.json");
    std::fs::write(
        &json_file,
        serde_json::to_vec(&json!({"version": 1, "calls": calls})).expect("json"),
    )
    .expect("write");
    let server = server::start(ServerOptions {
        port: 0,
        token: "t".into(),
        data_file: Some(dir.path().join("calls.sqlite3")),
        import_json: Some(json_file),
        seed_count: None,
        legacy_stats_only: false,
        faults: Vec::new(),
    })
    .await
    .expect("server");
    let mut opts = ClientOptions::new(
        url::Url::parse(&server.base_url()).expect("url"),
        Secret::new("t"),
    );
    opts.retry_base = Duration::from_millis(10);
    (server, ApiClient::new(opts).expect("client"))
}

async fn status_of(client: &ApiClient, uid: &str) -> (Option<String>, Option<String>) {
    let call: VoiceCall = client.get(uid).await.result.expect("get");
    (
        call.status.map(|s| s.as_str().to_string()),
        call.handled_by_staff_uid,
    )
}

#[tokio::test]
async fn a_missed_call_returned_later_is_flagged_and_a_marks_exactly_it_handled() {
    let dir = tempfile::tempdir().expect("dir");
    let (_server, client) = server_with(
        &dir,
        vec![
            record("missed", "INBOUND", "MISSED", THEIRS, 120),
            record("other", "INBOUND", "MISSED", OTHER, 90),
            record("tried", "OUTBOUND", "MISSED", OTHER, 80),
            record("called-back", "OUTBOUND", "ANSWERED_BY_STAFF", THEIRS, 60),
            record("again", "INBOUND", "VOICEMAIL_RECEIVED", THEIRS, 30),
        ],
    )
    .await;
    let session = Session {
        demo: true,
        api_label: "test".into(),
        config: Config {
            page_size: 100,
            staff_uid: Some("staff-me".into()),
            refresh_secs: 0,
            defaults: drive::handled_defaults(),
            // One row per call: the flag is on the missed call's own row (a caller's row
            // reads its newest call, which called again after the return).
            group_by_caller: false,
            ..Config::default()
        },
        ..Session::default()
    };
    let state = UiState {
        active: Some(TabId::FollowUp),
        ..UiState::default()
    };
    let (mut app, effects) = App::with_state(
        session,
        Utc::now(),
        callconsole::domain::zone::Zone::utc(),
        callconsole::ui::layout::list_rows(40),
        Vec::new(),
        state,
    );
    perform(&mut app, &client, effects).await;
    let flagged = |app: &App, uid: &str| {
        app.store()
            .by_uid(uid)
            .and_then(|c| app.returned_flag(c))
            .map(|f| app.returned_text(&f))
    };
    for uid in ["missed", "other", "again"] {
        assert!(app.list().find(uid).is_some(), "{uid} waits");
    }
    assert_eq!(flagged(&app, "missed"), None, "not known yet");

    // The clock's tick asks for the later calls; the missed call is flagged.
    press(&mut app, &client, vec![Msg::Tick(Utc::now())]).await;
    let text = flagged(&app, "missed").expect("the missed call looks returned");
    assert!(text.starts_with("looks returned (outbound "), "{text}");
    assert_eq!(
        flagged(&app, "other"),
        None,
        "an unanswered try is no return"
    );
    assert_eq!(flagged(&app, "again"), None, "it called after the return");
    assert!(app.store().by_uid("called-back").is_some());
    let screen = drive::screen(&app, 200, 40).join("\n");
    assert!(screen.contains("looks returned (outbound"), "{screen}");

    // A, then y: exactly that call is handled on the server.
    press(&mut app, &client, vec![key(KeyCode::Char('A'))]).await;
    assert!(
        matches!(app.prompt(), Some(Prompt::ConfirmReturned { uids }) if uids == &["missed".to_string()]),
        "{:?}",
        app.prompt()
    );
    press(&mut app, &client, vec![key(KeyCode::Char('y'))]).await;
    let why = format!(
        "{:?} {:?} {:?}",
        app.notice(),
        app.prompt(),
        app.batch().map(|b| b
            .failures()
            .map(|(u, w)| format!("{u}: {w}"))
            .collect::<Vec<_>>())
    );
    assert_eq!(
        status_of(&client, "missed").await,
        (Some("MISSED_CALL_HANDLED".into()), Some("staff-me".into())),
        "{why}"
    );
    for uid in ["other", "again"] {
        assert_eq!(status_of(&client, uid).await.1, None, "{uid} untouched");
    }
    assert_eq!(
        status_of(&client, "other").await.0.as_deref(),
        Some("MISSED")
    );
    assert!(
        app.list().find("missed").is_none(),
        "it left Needs follow-up"
    );
    assert!(app.list().find("again").is_some());
}
