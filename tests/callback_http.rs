//! Calling back against the embedded server, through `update` and the runtime's own
//! `Performer`: `c` with `dial_command = "true"`, an outcome, Enter; the record is created on
//! the server, and "reached" marks exactly that caller's waiting calls handled.

#[path = "support/drive.rs"]
mod drive;
#[path = "support/triage.rs"]
mod triage;

use callconsole::api::CallFields;
use callconsole::api::{ApiClient, VoiceCall};
use callconsole::config::Config;
use callconsole::console::app::{App, Session};
use callconsole::domain::callback::Outcome;
use callconsole::domain::views::other_party;
use callconsole::persist::state::UiState;
use callconsole::server::RunningServer;
use crossterm::event::KeyCode;
use triage::{follow_up, key, perform, press, server_calls};

/// A console on Needs follow-up, dialling with `true`, that learns who it is (and its
/// business) from userinfo as it does at start.
async fn setup() -> (RunningServer, ApiClient, App) {
    let (server, client) = drive::server_and_client(Some(60), &[]).await;
    let config = Config {
        page_size: 100,
        staff_uid: Some("staff-me".into()),
        refresh_secs: 0,
        defaults: drive::handled_defaults(),
        dial_command: Some("true".into()),
        ..Config::default()
    };
    let session = Session {
        demo: true,
        api_label: "test".into(),
        config,
        people: true,
        ..Session::default()
    };
    let (mut app, effects) = App::with_state(
        session,
        chrono::Utc::now(),
        callconsole::domain::zone::Zone::utc(),
        callconsole::ui::layout::list_rows(40),
        Vec::new(),
        UiState::default(),
    );
    perform(&mut app, &client, effects).await;
    let me = app.people().me.clone().expect("userinfo answered");
    assert_eq!(me.business_uid, Some(server.business_uid()));
    (server, client, app)
}

fn from(number: &str) -> Vec<(String, Option<String>, String)> {
    let mut filters = follow_up();
    filters.push(("from_number".into(), None, number.into()));
    filters
}

fn outbound_to(calls: &[VoiceCall], number: &str) -> Vec<VoiceCall> {
    calls
        .iter()
        .filter(|c| c.direction.as_ref().map(|d| d.as_str()) == Some("OUTBOUND"))
        .filter(|c| c.to_number.as_deref() == Some(number))
        .cloned()
        .collect()
}

#[tokio::test]
async fn reached_records_the_call_back_and_handles_exactly_that_callers_waiting_calls() {
    let (_server, client, mut app) = setup().await;
    let top = app.selected_call().cloned().expect("a waiting call");
    let number = other_party(&top).expect("a number").to_string();
    let theirs_before = server_calls(&client, from(&number)).await;
    let all_waiting_before = server_calls(&client, follow_up()).await;
    assert!(!theirs_before.is_empty());
    let all_before = server_calls(&client, Vec::new()).await;

    press(
        &mut app,
        &client,
        vec![
            key(KeyCode::Char('c')),
            key(KeyCode::Char('r')),
            key(KeyCode::Enter),
        ],
    )
    .await;

    assert!(
        app.call_backs().is_empty(),
        "recorded: {:?}",
        app.call_backs()
    );
    let theirs_after = server_calls(&client, from(&number)).await;
    assert!(
        theirs_after.is_empty(),
        "none of their calls waits: {theirs_after:?}"
    );
    let others_after = server_calls(&client, follow_up()).await;
    assert_eq!(
        others_after.len(),
        all_waiting_before.len() - theirs_before.len(),
        "every other caller's calls still wait"
    );
    let all_after = server_calls(&client, Vec::new()).await;
    let records = outbound_to(&all_after, &number);
    let before = outbound_to(&all_before, &number).len();
    assert_eq!(records.len(), before + 1, "one record created");
    let record = records
        .iter()
        .find(|c| {
            Outcome::of(c) == Some(Outcome::Reached) && c.staff_uid.as_deref() == Some("staff-me")
        })
        .expect("the reached record");
    assert_eq!(
        record.from_number.as_deref(),
        top.to_number(),
        "from the number they called"
    );
    assert!(
        app.store()
            .by_uid(record.uid.as_deref().unwrap_or_default())
            .is_some(),
        "stored in the console"
    );
    // The console shows the caller gone from Needs follow-up.
    assert!(
        app.list()
            .calls()
            .iter()
            .all(|c| other_party(c) != Some(number.as_str())),
        "their row left the inbox"
    );
}

#[tokio::test]
async fn no_answer_records_the_try_and_leaves_the_calls_waiting() {
    let (_server, client, mut app) = setup().await;
    let top = app.selected_call().cloned().expect("a waiting call");
    let number = other_party(&top).expect("a number").to_string();
    let waiting_before = server_calls(&client, from(&number)).await.len();

    press(
        &mut app,
        &client,
        vec![
            key(KeyCode::Char('c')),
            key(KeyCode::Char('n')),
            key(KeyCode::Enter),
        ],
    )
    .await;

    assert!(
        app.call_backs().is_empty(),
        "recorded: {:?}",
        app.call_backs()
    );
    assert_eq!(
        server_calls(&client, from(&number)).await.len(),
        waiting_before,
        "nothing handled"
    );
    let tries = app.tries_at(&top).expect("tried");
    assert_eq!((tries.count, tries.last), (1, Outcome::NoAnswer));
}
