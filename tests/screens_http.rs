//! What the main screen says against the real embedded server: a filter on voicemail finds
//! both vendor spellings and the stats count them as one status; "load failed" goes once the
//! server is back and a refresh succeeds.

use callconsole::api::CallFields;
use callconsole::api::{ApiClient, Count};
use callconsole::config::Config;
use callconsole::console::app::{App, Remote, Session};
use callconsole::console::msg::Msg;
use callconsole::domain::views::TabId;
use callconsole::persist::state::UiState;
use callconsole::server::RunningServer;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

#[path = "support/drive.rs"]
mod drive;

async fn setup(seed: usize, faults: &[&str], tab: TabId) -> (RunningServer, ApiClient, App) {
    let (server, client) = drive::server_and_client(Some(seed), faults).await;
    let session = Session {
        demo: true,
        api_label: "test".into(),
        config: Config {
            page_size: 100,
            refresh_secs: 0,
            ..Config::default()
        },
        ..Session::default()
    };
    let state = UiState {
        active: Some(tab),
        ..UiState::default()
    };
    let tz = callconsole::domain::zone::Zone::utc();
    let (mut app, effects) = App::with_state(
        session,
        chrono::Utc::now(),
        tz,
        callconsole::ui::layout::list_rows(30),
        Vec::new(),
        state,
    );
    drive::perform(&mut app, &client, effects).await;
    (server, client, app)
}

fn key(code: KeyCode) -> Msg {
    Msg::Key(KeyEvent::new(code, KeyModifiers::NONE))
}

async fn press(app: &mut App, client: &ApiClient, code: KeyCode) {
    let effects = app.update(key(code));
    drive::perform(app, client, effects).await;
}

fn statuses(app: &App) -> Vec<String> {
    app.list()
        .calls()
        .iter()
        .map(|c| c.status().unwrap_or("—").to_string())
        .collect()
}

#[tokio::test]
async fn a_filter_on_voicemail_lists_both_spellings_and_stats_count_them_as_one() {
    let (_server, client, mut app) = setup(200, &[], TabId::All).await;
    let all = statuses(&app);
    for spelling in ["VOICEMAIL", "VOICEMAIL_RECEIVED"] {
        assert!(all.iter().any(|s| s == spelling), "the seed has {spelling}");
    }
    // f, right to voicemail, Space, Enter.
    for code in [
        KeyCode::Char('f'),
        KeyCode::Char('l'),
        KeyCode::Char(' '),
        KeyCode::Enter,
    ] {
        press(&mut app, &client, code).await;
    }
    let listed = statuses(&app);
    assert!(!listed.is_empty());
    assert!(
        listed
            .iter()
            .all(|s| s == "VOICEMAIL" || s == "VOICEMAIL_RECEIVED"),
        "{listed:?}"
    );
    for spelling in ["VOICEMAIL", "VOICEMAIL_RECEIVED"] {
        assert!(
            listed.iter().any(|s| s == spelling),
            "{spelling} listed too: {listed:?}"
        );
    }

    // The stats: one voicemail row, both spellings counted in it.
    press(&mut app, &client, KeyCode::Char('t')).await;
    let Some(Remote::Loaded(stats)) = &app.stats_view()[2] else {
        panic!("30 days of stats loaded: {:?}", app.stats_view()[2]);
    };
    let raw = |s: &str| {
        stats
            .status_counts
            .iter()
            .filter(|c| c.status.as_deref() == Some(s))
            .filter_map(|c| c.count.and_then(Count::valid))
            .sum::<u64>()
    };
    let rows = callconsole::domain::views::status_counts(stats);
    let voicemail: Vec<&(String, Count)> = rows
        .iter()
        .filter(|(s, _)| s.starts_with("VOICEMAIL"))
        .collect();
    assert_eq!(voicemail.len(), 1, "{rows:?}");
    assert_eq!(
        voicemail[0].1,
        Count::Valid(raw("VOICEMAIL") + raw("VOICEMAIL_RECEIVED"))
    );
    let screen = drive::screen(&app, 160, 30);
    let boxed: Vec<&String> = screen.iter().filter(|l| l.contains('│')).skip(1).collect();
    assert!(boxed.iter().any(|l| l.contains("Voicemail")), "{screen:#?}");
    assert!(
        boxed.iter().all(|l| !l.contains("VOICEMAIL")),
        "one label, no raw spelling: {screen:#?}"
    );
}

#[tokio::test]
async fn load_failed_goes_once_the_server_is_back_and_a_refresh_succeeds() {
    let (server, client, mut app) = setup(40, &["status=503:method=GET"], TabId::All).await;
    let screen = drive::screen(&app, 120, 30).join("\n");
    assert!(screen.contains("load failed"), "{screen}");
    assert!(app.list().is_empty());

    server.set_faults(Vec::new());
    press(&mut app, &client, KeyCode::Char('r')).await;
    assert!(!app.list().is_empty(), "the refresh brought the calls");
    let screen = drive::screen(&app, 120, 30).join("\n");
    assert!(!screen.contains("load failed"), "{screen}");
    assert!(
        screen.contains("40 calls · all loaded"),
        "the refresh was the whole view: {screen}"
    );
}
