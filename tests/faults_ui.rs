//! A fault seen from the console: `App::update` driven against the fault-injecting server,
//! its effects performed by the real client. The user is told what failed, the calls already
//! on screen stay, the keys keep working, and nothing is changed behind their back.

use callconsole::api::ApiClient;
use callconsole::app::{App, Session};
use callconsole::msg::{Effect, Msg};
use callconsole::server::RunningServer;
use callconsole::state::UiState;
use callconsole::tabs::TabId;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

#[path = "support/drive.rs"]
mod drive;

async fn setup(faults: &[&str]) -> (RunningServer, ApiClient, App) {
    let (server, client) = drive::server_and_client(Some(40), faults).await;
    let session = Session {
        demo: true,
        page_size: 50,
        api_label: "test".into(),
        staff_uid: Some("staff-me".into()),
        refresh_secs: 0,
        defaults: drive::handled_defaults(),
        ..Session::default()
    };
    let state = UiState {
        active: Some(TabId::FollowUp),
        ..UiState::default()
    };
    let tz = chrono::FixedOffset::east_opt(0).expect("utc");
    let (mut app, effects) = App::with_state(
        session,
        chrono::Utc::now(),
        tz,
        (120, 30),
        Vec::new(),
        state,
    );
    perform(&mut app, &client, effects).await;
    (server, client, app)
}

async fn perform(app: &mut App, client: &ApiClient, effects: Vec<Effect>) {
    drive::perform(app, client, effects).await;
}

fn key(c: char) -> Msg {
    Msg::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE))
}

#[tokio::test]
async fn a_failing_save_is_reported_after_its_retries_and_nothing_is_lost() {
    let (server, client, mut app) = setup(&["status=503:method=PUT"]).await;
    let listed = app.list().len();
    assert!(listed > 2, "calls on screen");
    let uid = app
        .selected_call()
        .and_then(|c| c.uid.clone())
        .expect("uid");
    let before = client.get(&uid).await.result.expect("get");

    let effects = app.update(key('h'));
    perform(&mut app, &client, effects).await;

    // Told what failed, after the retries.
    let last = app.last_request().expect("a request");
    assert_eq!(last.exchange.attempts, 3, "{}", last.exchange);
    assert!(
        last.exchange.to_string().contains("after 3 tries"),
        "{}",
        last.exchange
    );
    let notice = app.notice().unwrap_or_default();
    assert!(notice.contains("503"), "{notice}");
    assert_eq!(server.requests("PUT"), 3, "three tries, no more");
    // Nothing changed on the server, nothing vanished from the screen.
    let after = client.get(&uid).await.result.expect("get");
    assert_eq!(after.updated_at, before.updated_at);
    assert_eq!(app.list().len(), listed);
    assert_eq!(
        app.selected_call().and_then(|c| c.status.clone()),
        before.status,
        "the row still shows the server's state"
    );
    // The console keeps answering keys.
    let row = app.list().selected_index();
    app.update(key('j'));
    assert_eq!(app.list().selected_index(), row + 1);
}

#[tokio::test]
async fn a_server_asking_to_wait_long_is_not_retried_and_says_until_when() {
    let (server, client, mut app) = setup(&["status=503:method=PUT", "retry-after=120"]).await;
    let listed = app.list().len();
    let effects = app.update(key('h'));
    perform(&mut app, &client, effects).await;
    let notice = app.notice().unwrap_or_default();
    assert!(notice.contains("wait until"), "{notice}");
    assert_eq!(server.requests("PUT"), 1);
    assert_eq!(app.list().len(), listed);
}
