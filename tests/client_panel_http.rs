//! The client panel against the embedded server, through `update` and the runtime's own
//! `Performer`: opening the detail pane asks for the caller's calls (`filter[client_uid]`,
//! or `filter[from_number]` for a call without a client the API knows, whom the clients
//! search by phone then names), and the panel lists that caller's other calls newest first,
//! each with its status and who handled it.

use callconsole::api::CallFields;
use callconsole::api::{ApiClient, VoiceCall};
use callconsole::config::Config;
use callconsole::console::app::{App, Calls, Card, Session};
use callconsole::console::msg::Msg;
use callconsole::domain::views::TabId;
use callconsole::persist::state::UiState;
use callconsole::server::RunningServer;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use serde_json::json;

#[path = "support/bodies.rs"]
mod bodies;
#[path = "support/drive.rs"]
mod drive;
#[path = "support/triage.rs"]
mod triage;

use drive::Driver;

fn key(code: KeyCode) -> Msg {
    Msg::Key(KeyEvent::new(code, KeyModifiers::NONE))
}

/// A console with names on, on the All tab, its first page and the names loaded.
async fn console(client: &ApiClient) -> (App, Driver) {
    let session = Session {
        demo: true,
        api_label: "test".into(),
        config: Config {
            page_size: 100,
            refresh_secs: 0,
            ..Config::default()
        },
        people: true,
        ..Session::default()
    };
    let state = UiState {
        active: Some(TabId::All),
        ..UiState::default()
    };
    let (mut app, effects) = App::with_state(
        session,
        chrono::Utc::now(),
        callconsole::domain::zone::Zone::utc(),
        callconsole::ui::layout::list_rows(60),
        Vec::new(),
        state,
    );
    let mut driver = Driver::new(client);
    driver.perform(&mut app, effects).await;
    (app, driver)
}

/// Moves the cursor to the call `uid` and opens the detail pane, performing what that asks.
async fn show(app: &mut App, driver: &mut Driver, uid: &str) {
    let index = app
        .list()
        .calls()
        .iter()
        .position(|c| c.uid() == Some(uid))
        .expect("the call is listed");
    for _ in 0..index {
        let effects = app.update(key(KeyCode::Down));
        driver.perform(app, effects).await;
    }
    assert_eq!(app.selected_call().and_then(|c| c.uid()), Some(uid));
    let effects = app.update(key(KeyCode::Enter));
    driver.perform(app, effects).await;
}

/// The list requests the server saw with `filter[field]`: their decoded query pairs.
fn panel_requests(server: &RunningServer, field: &str) -> Vec<Vec<(String, String)>> {
    let filter = format!("filter[{field}]");
    server
        .seen("/v3/communication/voice_calls")
        .into_iter()
        .filter_map(|r| r.query)
        .map(|q| {
            url::form_urlencoded::parse(q.as_bytes())
                .into_owned()
                .collect::<Vec<_>>()
        })
        .filter(|pairs| pairs.iter().any(|(k, _)| *k == filter))
        .collect()
}

fn value<'a>(pairs: &'a [(String, String)], key: &str) -> Option<&'a str> {
    pairs
        .iter()
        .find(|(k, _)| k == key)
        .map(|(_, v)| v.as_str())
}

/// What the panel should list: the server's calls that `keep`, but `shown`, newest first.
fn expected(all: &[VoiceCall], shown: &str, keep: impl Fn(&VoiceCall) -> bool) -> Vec<String> {
    let mut want: Vec<&VoiceCall> = all
        .iter()
        .filter(|c| keep(c) && c.uid.as_deref() != Some(shown))
        .collect();
    want.sort_by_key(|c| std::cmp::Reverse(c.created()));
    want.iter().take(10).filter_map(|c| c.uid.clone()).collect()
}

fn listed(app: &App) -> Vec<String> {
    match app.client_panel().expect("a panel").calls {
        Calls::Loaded { calls, .. } => calls.iter().filter_map(|c| c.uid.clone()).collect(),
        other => panic!("the other calls are loaded, got {other:?}"),
    }
}

#[tokio::test]
async fn the_panel_asks_by_client_uid_and_lists_that_clients_other_calls_newest_first() {
    let (server, client) = drive::server_and_client(Some(300), &[]).await;
    let all = triage::server_calls(&client, Vec::new()).await;
    let (mut app, mut driver) = console(&client).await;
    // Of the calls on screen, the one whose client called most (and had a call handled).
    let count = |id: &str| {
        all.iter()
            .filter(|c| c.client_uid.as_deref() == Some(id))
            .count()
    };
    let handled = |id: &str| {
        all.iter()
            .any(|c| c.client_uid.as_deref() == Some(id) && c.handled_by_staff_uid.is_some())
    };
    let shown = app
        .list()
        .calls()
        .into_iter()
        .filter(|c| c.client_uid().is_some_and(handled))
        .max_by_key(|c| c.client_uid().map_or(0, count))
        .cloned()
        .expect("a call whose client had a call handled");
    let (uid, id) = (
        shown.uid().map(str::to_string).expect("uid"),
        shown.client_uid().map(str::to_string).expect("client"),
    );
    assert!(count(&id) >= 3, "{id} called {} times", count(&id));
    assert!(
        panel_requests(&server, "client_uid").is_empty(),
        "nothing asked before the pane opens"
    );

    show(&mut app, &mut driver, &uid).await;
    let asked = panel_requests(&server, "client_uid");
    let [pairs] = asked.as_slice() else {
        panic!("one request by client_uid: {asked:?}");
    };
    assert_eq!(value(pairs, "filter[client_uid]"), Some(id.as_str()));
    assert_eq!(value(pairs, "sort"), Some("created_at:desc"));
    assert_eq!(value(pairs, "per_page"), Some("11"));
    assert!(panel_requests(&server, "from_number").is_empty());

    let want = expected(&all, &uid, |c| c.client_uid.as_deref() == Some(id.as_str()));
    assert_eq!(listed(&app), want);
    let panel = app.client_panel().expect("a panel");
    let name = client
        .client(&id)
        .await
        .result
        .expect("client")
        .display_name();
    match panel.card {
        Card::Known(card) => assert_eq!(card.name, name),
        other => panic!("the client's card, got {other:?}"),
    }
    let screen = drive::screen(&app, 200, 60).join("\n");
    assert!(
        screen.contains(name.as_deref().expect("a name")),
        "{screen}"
    );
    let handler = all
        .iter()
        .filter(|c| want.contains(c.uid.as_ref().expect("uid")))
        .find_map(|c| c.handled_by_staff_uid.as_deref())
        .and_then(|staff| app.people().staff_name(staff))
        .expect("one of them handled by someone on the roster");
    assert!(screen.contains(&format!("by {handler}")), "{screen}");

    // The same client's panel is kept: back and forth asks only for the next call's client.
    let effects = app.update(key(KeyCode::Down));
    driver.perform(&mut app, effects).await;
    let next = app
        .selected_call()
        .and_then(|c| c.client_uid().map(str::to_string));
    let effects = app.update(key(KeyCode::Up));
    driver.perform(&mut app, effects).await;
    let more = usize::from(next.as_deref() != Some(id.as_str()));
    assert_eq!(panel_requests(&server, "client_uid").len(), 1 + more);
    assert_eq!(listed(&app), want);
}

#[tokio::test]
async fn a_call_without_a_client_the_api_knows_is_followed_by_its_number() {
    let (server, client) = drive::server_and_client(Some(60), &[]).await;
    let number = "+14155559876";
    server.put_client(
        json!({"id": "wendy-1", "first_name": "Wendy", "last_name": "Walker",
               "mobile_phone": number, "customer_status": "lead"})
        .as_object()
        .expect("record")
        .clone(),
    );
    // Three inbound calls from a number the API has no client uid for.
    let all = triage::server_calls(&client, Vec::new()).await;
    let walk_ins: Vec<&VoiceCall> = all
        .iter()
        .filter(|c| {
            c.direction
                .as_ref()
                .is_some_and(|d| d.as_str() == "INBOUND")
        })
        .take(3)
        .collect();
    for call in &walk_ins {
        let mut body = bodies::complete_body(call);
        body.client_uid = "walk-in-0001".into();
        body.from_number = number.into();
        let uid = call.uid.as_deref().expect("uid");
        client.update(uid, &body).await.result.expect("saved");
    }
    let all = triage::server_calls(&client, Vec::new()).await;
    let (mut app, mut driver) = console(&client).await;
    let uid = walk_ins[1].uid.clone().expect("uid");

    show(&mut app, &mut driver, &uid).await;
    assert!(
        panel_requests(&server, "client_uid").is_empty(),
        "a client the API does not know is not asked about"
    );
    let asked = panel_requests(&server, "from_number");
    let [pairs] = asked.as_slice() else {
        panic!("one request by from_number: {asked:?}");
    };
    assert_eq!(value(pairs, "filter[from_number]"), Some(number));
    let searched: Vec<String> = server
        .seen("/platform/v1/clients")
        .into_iter()
        .filter_map(|r| r.query)
        .filter(|q| q.contains("search_by=phone"))
        .collect();
    assert_eq!(searched.len(), 1, "{searched:?}");

    let want = expected(&all, &uid, |c| c.from_number.as_deref() == Some(number));
    assert_eq!(want.len(), 2);
    assert_eq!(listed(&app), want);
    let screen = drive::screen(&app, 200, 60).join("\n");
    assert!(screen.contains("Wendy Walker"), "{screen}");
    assert!(
        screen.contains(&format!("Other calls from {number}")),
        "{screen}"
    );
}
