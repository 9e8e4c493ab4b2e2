//! Setting the bench up: the seeded calls, a page answer for them, the console loaded with
//! them, and the key messages the figures press.

use std::time::Duration;

use callconsole::api::{Answer, CallPage, Exchange, VoiceCall};
use callconsole::config::Config;
use callconsole::console::app::{App, Session};
use callconsole::console::msg::{Effect, Msg};
use callconsole::domain::people::People;
use callconsole::domain::views::TabId;
use callconsole::persist::state::UiState;
use callconsole::ui::layout::list_rows;
use chrono::{DateTime, Utc};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use crate::SIZE;

fn now() -> DateTime<Utc> {
    DateTime::parse_from_rfc3339("2026-03-02T10:00:00Z")
        .map(|t| t.with_timezone(&Utc))
        .expect("a fixed date")
}

/// The seeded demo calls, through the same JSON the client reads, so strings and missing
/// fields look like the real thing.
pub fn seeded_calls(n: usize) -> Vec<VoiceCall> {
    callconsole::server::seed::generate(n, now())
        .expect("the seed generator works")
        .iter()
        .map(|c| serde_json::to_value(c).expect("a seeded call serialises"))
        .map(|v| serde_json::from_value(v).expect("a seeded call reads back"))
        .collect()
}

pub fn page_answer(calls: Vec<VoiceCall>) -> Answer<CallPage> {
    Answer {
        exchange: Exchange {
            method: reqwest::Method::GET,
            path: "/v3/communication/voice_calls?page=1".into(),
            status: Some(200),
            elapsed: Duration::from_millis(5),
            attempts: 1,
        },
        result: Ok(CallPage {
            calls,
            unreadable: 0,
        }),
    }
}

/// The page request among `effects`, answered with `calls`.
pub fn answer_page(app: &mut App, effects: &[Effect], calls: Vec<VoiceCall>) {
    let (req, page) = effects
        .iter()
        .find_map(|e| match e {
            Effect::FetchPage { req, query } if query.per_page > 1 => Some((*req, query.page)),
            _ => None,
        })
        .expect("a list page is asked for");
    app.update(Msg::PageLoaded {
        req,
        page,
        answer: page_answer(calls),
    });
}

/// The console on its "All" tab with `calls` loaded as one page, every client and staff
/// member they name known by name (as after the names have arrived).
pub fn app_with(calls: Vec<VoiceCall>) -> App {
    app_on(TabId::All, calls)
}

/// `calls` made to wait for a call back (inbound, missed, nobody handled them yet), as a
/// Needs follow-up of that size would list them.
pub fn waiting(calls: &[VoiceCall]) -> Vec<VoiceCall> {
    calls
        .iter()
        .map(|c| VoiceCall {
            status: Some(callconsole::api::model::Status("MISSED".into())),
            direction: Some(callconsole::api::model::Direction("INBOUND".into())),
            handled_by_staff_uid: None,
            handled_at: None,
            ..c.clone()
        })
        .collect()
}

/// As [`app_with`], on tab `tab` (Needs follow-up shows one row per caller, the default).
pub fn app_on(tab: TabId, calls: Vec<VoiceCall>) -> App {
    let session = Session {
        demo: true,
        api_label: "bench".into(),
        config: Config {
            page_size: 100,
            refresh_secs: 0,
            ..Config::default()
        },
        ..Session::default()
    };
    let tz = callconsole::domain::zone::Zone::utc();
    let state = UiState {
        active: Some(tab),
        ..UiState::default()
    };
    let (mut app, effects) =
        App::with_state(session, now(), tz, list_rows(SIZE.1), Vec::new(), state);
    let (clients, staff) = callconsole::server::seed::people().expect("the demo's people");
    app.set_people(People::known_by_name(&clients, &staff, now()));
    answer_page(&mut app, &effects, calls);
    app
}

pub fn key(code: KeyCode) -> Msg {
    Msg::Key(KeyEvent::new(code, KeyModifiers::NONE))
}

pub fn ch(c: char) -> Msg {
    key(KeyCode::Char(c))
}
