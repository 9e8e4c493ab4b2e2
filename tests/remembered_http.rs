//! What the console sends for the fields the API never sends back, judged against the
//! embedded server: once sent for a call, `rate`, `price` and `recording_id` are kept in the
//! data dir and the next run's `h` sends them without asking; with `update_fields =
//! "changed"` neither `h` nor the form asks for them at all.

use callconsole::api::ApiClient;
use callconsole::api::CallFields;
use callconsole::config::{Config, UpdateFields};
use callconsole::console::app::{App, Session};
use callconsole::console::msg::Msg;
use callconsole::domain::views::TabId;
use callconsole::persist::remembered::RememberedStore;
use callconsole::persist::state::UiState;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use serde_json::json;

#[path = "support/bodies.rs"]
mod bodies;
#[path = "support/drive.rs"]
mod drive;

use drive::Driver;

/// A console on Needs follow-up with no `[defaults]`: nothing is known of the fields the API
/// never sends back but what was sent before (`remembered`, from `data_dir`).
async fn console(
    driver: &mut Driver,
    mode: UpdateFields,
    data_dir: Option<&std::path::Path>,
) -> App {
    let session = Session {
        demo: true,
        api_label: "test".into(),
        config: Config {
            page_size: 100,
            staff_uid: Some("staff-me".into()),
            refresh_secs: 0,
            update_fields: mode,
            ..Config::default()
        },
        ..Session::default()
    };
    let (mut app, effects) = App::with_state(
        session,
        chrono::Utc::now(),
        callconsole::domain::zone::Zone::utc(),
        callconsole::ui::layout::list_rows(40),
        Vec::new(),
        UiState {
            active: Some(TabId::FollowUp),
            ..UiState::default()
        },
    );
    if let Some(dir) = data_dir {
        let (remembered, problem) = RememberedStore::in_dir(dir, false).load();
        assert_eq!(problem, None);
        app.set_remembered(remembered);
    }
    driver.perform(&mut app, effects).await;
    app
}

fn key(code: KeyCode) -> Msg {
    Msg::Key(KeyEvent::new(code, KeyModifiers::NONE))
}

fn ctrl(c: char) -> Msg {
    Msg::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::CONTROL))
}

fn typed(text: &str) -> Vec<Msg> {
    text.chars().map(|c| key(KeyCode::Char(c))).collect()
}

async fn press(driver: &mut Driver, app: &mut App, msgs: Vec<Msg>) -> Vec<serde_json::Value> {
    let mut puts = Vec::new();
    for msg in msgs {
        let effects = app.update(msg);
        puts.extend(driver.perform(app, effects).await);
    }
    puts
}

fn first_uid(app: &App) -> String {
    app.selected_call()
        .and_then(|c| c.uid().map(str::to_string))
        .expect("a call under the cursor")
}

async fn on_server(client: &ApiClient, uid: &str) -> callconsole::api::VoiceCall {
    client.get(uid).await.result.expect("get")
}

/// The form sends rate, price and recording id for a call; the next run, reading the data
/// dir, marks that call handled with `h` at once, sending the same values, asking nothing.
#[tokio::test]
async fn values_sent_once_are_not_asked_for_again() {
    let (server, client) = drive::server_and_client(Some(300), &[]).await;
    // As the vendor's API: what a PUT stored of these is never sent back.
    server.answer_read_object_only(true);
    let mut driver = Driver::new(&client);
    let mut app = console(&mut driver, UpdateFields::All, None).await;
    let uid = first_uid(&app);
    // e, then Tab to rate (the 7th field), price, and on to recording_id (the 15th).
    let mut keys = vec![key(KeyCode::Char('e'))];
    keys.extend((0..6).map(|_| key(KeyCode::Tab)));
    keys.extend(typed("0.07"));
    keys.push(key(KeyCode::Tab));
    keys.extend(typed("2.10"));
    keys.extend((0..7).map(|_| key(KeyCode::Tab)));
    // Whatever the call's own recording gave it, this value instead.
    keys.push(ctrl('u'));
    keys.extend(typed("rec-kept"));
    keys.push(ctrl('s'));
    let puts = press(&mut driver, &mut app, keys).await;
    assert_eq!(puts.len(), 1, "one save: {:?}", app.notice());
    assert_eq!(
        (
            &puts[0]["rate"],
            &puts[0]["price"],
            &puts[0]["recording_id"]
        ),
        (&json!("0.07"), &json!("2.10"), &json!("rec-kept"))
    );
    let held = on_server(&client, &uid).await;
    assert_eq!(held.rate, None, "the server does not send it back");
    let file = RememberedStore::in_dir(driver.data_dir.path(), false);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(file.path())
            .expect("kept on disk")
            .permissions()
            .mode();
        assert_eq!(mode & 0o077, 0, "private: {mode:o}");
    }

    // A run without that data dir cannot know them: `h` must ask (the form opens on them).
    let mut elsewhere = Driver::new(&client);
    let dir = elsewhere.data_dir.path().to_path_buf();
    let mut app = console(&mut elsewhere, UpdateFields::All, Some(&dir)).await;
    let puts = press(&mut elsewhere, &mut app, vec![key(KeyCode::Char('h'))]).await;
    assert!(
        puts.is_empty() && app.form().is_some(),
        "asked, nothing sent"
    );

    // The next run: a new console on the same data dir.
    let mut next = Driver::new(&client);
    let mut app = console(&mut next, UpdateFields::All, Some(driver.data_dir.path())).await;
    assert_eq!(first_uid(&app), uid);
    let puts = press(&mut next, &mut app, vec![key(KeyCode::Char('h'))]).await;
    assert!(app.form().is_none(), "no form opened to ask for them");
    assert_eq!(puts.len(), 1, "sent at once: {:?}", app.notice());
    assert_eq!(
        (
            &puts[0]["rate"],
            &puts[0]["price"],
            &puts[0]["recording_id"]
        ),
        (&json!("0.07"), &json!("2.10"), &json!("rec-kept")),
        "sent again as they were"
    );
    let held = on_server(&client, &uid).await;
    assert_eq!(
        held.status.as_ref().map(|s| s.as_str()),
        Some("MISSED_CALL_HANDLED")
    );
}

/// With `update_fields = "changed"`, `h` sends the status and the handler only, and asks for
/// nothing the server never sent.
#[tokio::test]
async fn h_sends_only_what_it_changes_when_told_to() {
    let (server, client) = drive::server_and_client(Some(300), &[]).await;
    server.accept_partial_updates(true);
    let mut driver = Driver::new(&client);
    let mut app = console(&mut driver, UpdateFields::Changed, None).await;
    let uid = first_uid(&app);
    let was = on_server(&client, &uid).await;
    let puts = press(&mut driver, &mut app, vec![key(KeyCode::Char('h'))]).await;
    assert!(
        app.form().is_none() && app.prompt().is_none(),
        "nothing asked"
    );
    assert_eq!(puts.len(), 1, "{:?}", app.notice());
    let mut sent: Vec<&str> = puts[0]
        .as_object()
        .expect("object")
        .keys()
        .map(String::as_str)
        .collect();
    sent.sort_unstable();
    assert_eq!(sent, ["handled_by_staff_uid", "status"]);
    let held = on_server(&client, &uid).await;
    assert_eq!(
        held.status.as_ref().map(|s| s.as_str()),
        Some("MISSED_CALL_HANDLED")
    );
    assert_eq!(held.call_summary, was.call_summary, "the rest untouched");
}

/// With `update_fields = "changed"`, the form sends a changed summary without demanding the
/// rate, price and recording id the server never sent.
#[tokio::test]
async fn the_form_asks_only_for_what_changed_when_told_to() {
    let (server, client) = drive::server_and_client(Some(300), &[]).await;
    server.accept_partial_updates(true);
    let mut driver = Driver::new(&client);
    let mut app = console(&mut driver, UpdateFields::Changed, None).await;
    let uid = first_uid(&app);
    // e, Tab to the summary (the 12th field), Ctrl-e to its end, text, Ctrl-s.
    let mut keys = vec![key(KeyCode::Char('e'))];
    keys.extend((0..11).map(|_| key(KeyCode::Tab)));
    keys.push(ctrl('e'));
    keys.extend(typed(" (called back)"));
    keys.push(ctrl('s'));
    let puts = press(&mut driver, &mut app, keys).await;
    assert_eq!(puts.len(), 1, "sent: {:?}", app.notice());
    let sent: Vec<&String> = puts[0].as_object().expect("object").keys().collect();
    assert_eq!(sent, ["call_summary"]);
    let held = on_server(&client, &uid).await;
    assert!(
        held.call_summary
            .as_deref()
            .is_some_and(|s| s.ends_with(" (called back)")),
        "{:?}",
        held.call_summary
    );
}

/// `calls update` keeps what it sent in the same file: a second update of the call, with the
/// same data dir, is not refused for lack of rate, price and recording id, and sends them as
/// they were; with another data dir it is refused as before.
#[tokio::test]
async fn calls_update_keeps_what_it_sent_for_the_next_update() {
    use callconsole::cli::{CallsCommand, ShowFormat, UpdateArgs};

    let (server, client) = drive::server_and_client(Some(60), &[]).await;
    server.answer_read_object_only(true);
    let uid = first_missed(&client).await;
    let home = tempfile::tempdir().expect("tempdir");
    let update = |fields: &[&str], dir: &std::path::Path| {
        let args = UpdateArgs {
            uid: uid.clone(),
            status: None,
            handled_by: None,
            fields: fields.iter().map(|f| f.to_string()).collect(),
            if_updated_at: None,
            format: ShowFormat::Json,
        };
        let client = client.clone();
        let store = RememberedStore::in_dir(dir, false);
        let people = callconsole::persist::people::PeopleStore::in_dir(dir, false);
        async move {
            let (mut out, mut err) = (Vec::new(), Vec::new());
            let ran = callconsole::script::run_calls(
                &CallsCommand::Update(args),
                &client,
                &Config::default(),
                (&store, &people),
                &mut out,
                &mut err,
            )
            .await;
            (ran, String::from_utf8_lossy(&err).into_owned())
        }
    };
    let (ran, err) = update(
        &[
            "rate=0.09",
            "price=3.00",
            "recording_id=rec-cli",
            "call_summary=first",
        ],
        home.path(),
    )
    .await;
    assert!(ran.is_ok(), "{ran:?} {err}");
    let (ran, err) = update(&["call_summary=second"], home.path()).await;
    assert!(ran.is_ok(), "not refused: {ran:?} {err}");
    let bodies = server.put_bodies();
    let last: serde_json::Value =
        serde_json::from_slice(bodies.last().expect("a PUT")).expect("json");
    assert_eq!(
        (
            &last["rate"],
            &last["price"],
            &last["recording_id"],
            &last["call_summary"]
        ),
        (
            &json!("0.09"),
            &json!("3.00"),
            &json!("rec-cli"),
            &json!("second")
        ),
        "sent again as they were"
    );
    let elsewhere = tempfile::tempdir().expect("tempdir");
    let (ran, _) = update(&["call_summary=third"], elsewhere.path()).await;
    assert!(ran.is_err(), "another data dir knows nothing of them");
}

/// The newest missed call the server holds.
async fn first_missed(client: &ApiClient) -> String {
    let query = callconsole::api::ListQuery {
        page: 1,
        per_page: 50,
        filters: vec![("status".into(), None, "MISSED".into())],
        ..Default::default()
    };
    let calls = client.list(&query).await.result.expect("list").calls;
    calls
        .into_iter()
        .find_map(|c| c.uid)
        .expect("a missed call")
}
