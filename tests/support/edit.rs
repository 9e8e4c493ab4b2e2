//! Shared by the tests that drive the edit form through `App::update` against the embedded
//! server: a console on a seeded server, keys, and the PUT bodies it sent.
#![allow(dead_code)]

use callconsole::api::{ApiClient, ClientOptions};
use callconsole::config::Config;
use callconsole::config::secret::Secret;
use callconsole::console::app::{App, Session, UpdateFields};
use callconsole::console::msg::{Effect, Msg};
use callconsole::domain::views::TabId;
use callconsole::persist::state::UiState;
use callconsole::server::{self, RunningServer, ServerOptions};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

pub async fn setup(update_fields: UpdateFields) -> (RunningServer, ApiClient, App) {
    let server = server::start(ServerOptions {
        port: 0,
        token: "t".into(),
        data_file: None,
        import_json: None,
        seed_count: None,
        legacy_stats_only: false,
        faults: Vec::new(),
    })
    .await
    .expect("server");
    let url = url::Url::parse(&server.base_url()).expect("url");
    let client = ApiClient::new(ClientOptions::new(url, Secret::new("t"))).expect("client");
    let session = Session {
        demo: true,
        api_label: "test".into(),
        config: Config {
            page_size: 50,
            staff_uid: Some("staff-me".into()),
            update_fields,
            default_country: Some("US".into()),
            ..Config::default()
        },
        ..Session::default()
    };
    let tz = callconsole::domain::zone::Zone::utc();
    // The All view: every call, whatever its status.
    let state = UiState {
        active: Some(TabId::All),
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
    let mut puts = Vec::new();
    perform(&mut app, &client, effects, &mut puts).await;
    assert!(app.list().len() >= 50);
    (server, client, app)
}

/// Performs effects like the runtime does (network only), feeding answers back; collects the
/// PUT bodies that were sent.
pub async fn perform(
    app: &mut App,
    client: &ApiClient,
    effects: Vec<Effect>,
    puts: &mut Vec<serde_json::Value>,
) {
    puts.extend(crate::drive::perform(app, client, effects).await);
}

pub fn key(code: KeyCode) -> Msg {
    Msg::Key(KeyEvent::new(code, KeyModifiers::NONE))
}

pub fn ctrl(c: char) -> Msg {
    Msg::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::CONTROL))
}

pub async fn press(
    app: &mut App,
    client: &ApiClient,
    puts: &mut Vec<serde_json::Value>,
    msgs: Vec<Msg>,
) {
    for msg in msgs {
        let effects = app.update(msg);
        perform(app, client, effects, puts).await;
    }
}

pub fn typed(text: &str) -> Vec<Msg> {
    text.chars().map(|c| key(KeyCode::Char(c))).collect()
}

/// Opens the form on the selected call and fills the four fields the read object lacks.
pub async fn open_and_fill(app: &mut App, client: &ApiClient, puts: &mut Vec<serde_json::Value>) {
    let mut msgs = vec![key(KeyCode::Char('e'))];
    msgs.extend((0..6).map(|_| key(KeyCode::Tab))); // → rate
    msgs.extend(typed("0.05"));
    msgs.push(key(KeyCode::Tab));
    msgs.extend(typed("1.50"));
    msgs.extend((0..7).map(|_| key(KeyCode::Tab))); // → recording_id
    msgs.extend(typed("rec-9"));
    press(app, client, puts, msgs).await;
    assert!(
        app.form().is_some_and(|f| f.broken().is_empty()),
        "form is complete"
    );
}
