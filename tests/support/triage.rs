//! Shared by the tests that drive triage through `App::update` against the embedded server:
//! a console on a seeded server, keys, and what the server holds.
#![allow(dead_code)]

use callconsole::api::{ApiClient, ListQuery, VoiceCall};
use callconsole::config::Config;
use callconsole::console::app::{App, Session};
use callconsole::console::msg::{Effect, Msg};
use callconsole::domain::views::TabId;
use callconsole::persist::state::UiState;
use callconsole::server::RunningServer;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::drive;

pub async fn setup(seed_count: usize, tab: TabId) -> (RunningServer, ApiClient, App) {
    setup_with(seed_count, tab, |_| {}).await
}

/// [`setup`], with the settings changed by `tune` (a smaller load limit, say).
pub async fn setup_with(
    seed_count: usize,
    tab: TabId,
    tune: impl FnOnce(&mut Config),
) -> (RunningServer, ApiClient, App) {
    let (server, client) = drive::server_and_client(Some(seed_count), &[]).await;
    let mut config = Config {
        page_size: 100,
        staff_uid: Some("staff-me".into()),
        refresh_secs: 0,
        defaults: drive::handled_defaults(),
        ..Config::default()
    };
    tune(&mut config);
    let session = Session {
        demo: true,
        api_label: "test".into(),
        config,
        ..Session::default()
    };
    let tz = callconsole::domain::zone::Zone::utc();
    let state = UiState {
        active: Some(tab),
        ..UiState::default()
    };
    let (mut app, effects) = App::with_state(
        session,
        chrono::Utc::now(),
        tz,
        callconsole::ui::layout::list_rows(40),
        Vec::new(),
        state,
    );
    perform(&mut app, &client, effects).await;
    (server, client, app)
}

/// Performs the network effects like the runtime does, feeding the answers back.
pub async fn perform(app: &mut App, client: &ApiClient, effects: Vec<Effect>) {
    drive::perform(app, client, effects).await;
}

pub fn key(code: KeyCode) -> Msg {
    Msg::Key(KeyEvent::new(code, KeyModifiers::NONE))
}

pub async fn press(app: &mut App, client: &ApiClient, msgs: Vec<Msg>) {
    for msg in msgs {
        let effects = app.update(msg);
        perform(app, client, effects).await;
    }
}

/// Every call the server holds that matches `filters`, by paging through the list.
pub async fn server_calls(
    client: &ApiClient,
    filters: Vec<(String, Option<String>, String)>,
) -> Vec<VoiceCall> {
    let mut all = Vec::new();
    for page in 1.. {
        let q = ListQuery {
            page,
            per_page: 100,
            filters: filters.clone(),
            ..ListQuery::default()
        };
        let calls = client.list(&q).await.result.expect("list").calls;
        let n = calls.len();
        all.extend(calls);
        if n < 100 {
            break;
        }
    }
    all
}

pub fn follow_up() -> Vec<(String, Option<String>, String)> {
    vec![
        (
            "status".into(),
            None,
            "MISSED,VOICEMAIL_RECEIVED,VOICEMAIL".into(),
        ),
        ("direction".into(), None, "INBOUND".into()),
    ]
}
