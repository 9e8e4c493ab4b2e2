//! The varied page the screens are drawn from: 20 calls of every status and direction, and an
//! app with them loaded (the fixtures of `app_tests`, `input_tests`, `mouse_tests` and
//! `notice_tests`).

pub use std::time::Duration;

pub use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
pub use ratatui::style::Modifier;
pub use reqwest::Method;

pub use crate::api::error::ServerMessage;
pub use crate::api::model::{Direction, Recording, Status};
pub use crate::api::{Answer, ApiError, CallPage, Exchange, VoiceCall};
pub use crate::config::Config;
pub use crate::console::app::{App, Level, Overlay, Session, UpdateFields};
pub use crate::console::msg::{Effect, Msg, RequestId};
pub use crate::domain::calls::Paging;
pub use crate::test_support::{draw, key, list_rows, now, utc};

pub fn session(page_size: u32) -> Session {
    Session {
        demo: true,
        api_label: "demo server 127.0.0.1:40000".into(),
        config: Config {
            page_size,
            staff_uid: None,
            update_fields: UpdateFields::All,
            default_country: None,
            refresh_secs: 0,
            // These tests are about single calls: one row each (grouping has its own tests).
            group_by_caller: false,
            ..Config::default()
        },
        ..Session::default()
    }
}

pub const STATUSES: [&str; 7] = [
    "MISSED",
    "ANSWERED_BY_STAFF",
    "VOICEMAIL_RECEIVED",
    "MISSED_CALL_HANDLED",
    "ANSWERED_BY_CALLS_PROVIDER",
    "INCOMING_CALL",
    "SOMETHING_NEW",
];

/// A call `minutes_ago` minutes before `now()`, with fields that vary by `i`.
pub fn call(i: usize) -> VoiceCall {
    let created = now() - chrono::TimeDelta::minutes((i as i64) * 47 + 3);
    VoiceCall {
        uid: Some(format!("call-{i:04}")),
        created_at: Some(created.to_rfc3339()),
        updated_at: Some(created.to_rfc3339()),
        duration: Some((i as i64 * 37) % 400),
        status: Some(Status(STATUSES[i % STATUSES.len()].into())),
        direction: Some(Direction(
            if i % 4 == 3 { "OUTBOUND" } else { "INBOUND" }.into(),
        )),
        staff_uid: Some("staff-ana".into()),
        client_uid: Some(format!("client-{:02}", i % 13)),
        from_number: Some(format!("+1415555{:04}", 100 + i)),
        to_number: Some("+14155550100".into()),
        call_summary: Some(format!(
            "Caller {i} asked about rescheduling a cleaning appointment"
        )),
        handled_by_staff_uid: (i % 7 == 3).then(|| "staff-bo".into()),
        recording: (i % 2 == 1).then(|| {
            Box::new(Recording {
                uid: Some(format!("rec-{i}")),
                recording_url: Some(format!("https://rec.example.com/{i}.mp3")),
                size: Some(204_800),
                duration: Some(95),
                recording_played: Some(false),
                recording_type: Some("CALL".into()),
            })
        }),
        transcript_status: Some("DONE".into()),
        external_app_name: Some("my.pa".into()),
        external_app_url: Some(format!("https://app.example.com/calls/{i}")),
        source_id: Some(format!("src-{i}")),
        external_uuid: Some(format!("ext-{i}")),
        ..Default::default()
    }
}

pub fn page_of(range: std::ops::Range<usize>) -> CallPage {
    CallPage {
        calls: range.map(call).collect(),
        unreadable: 0,
    }
}

pub fn ok_answer(page: u32, data: CallPage) -> Answer<CallPage> {
    Answer {
        exchange: Exchange {
            method: Method::GET,
            path: format!(
                "/v3/communication/voice_calls?page={page}&per_page=20&sort=created_at:desc"
            ),
            status: Some(200),
            elapsed: Duration::from_millis(12),
            attempts: 1,
        },
        result: Ok(data),
    }
}

/// The list page asked for, if exactly one (the counts and the one-row "oldest" query that
/// go with a first load are not list pages).
pub fn fetch_of(effects: &[Effect]) -> Option<(RequestId, u32)> {
    let pages: Vec<_> = effects
        .iter()
        .filter_map(|e| match e {
            Effect::FetchPage { req, query } if query.per_page > 1 => Some((*req, query.page)),
            _ => None,
        })
        .collect();
    match pages.as_slice() {
        [one] => Some(*one),
        _ => None,
    }
}

/// An app of the given size with the first page of 20 calls loaded.
pub fn loaded(size: (u16, u16)) -> App {
    let (mut app, effects) = App::new(session(20), now(), utc(), list_rows(size.1), Vec::new());
    let (req, page) = fetch_of(&effects).expect("first page requested");
    let more = app.update(Msg::PageLoaded {
        req,
        page,
        answer: ok_answer(1, page_of(0..20)),
    });
    // 20 calls fill a short screen; a taller one asks for page 2 at once. (The voicemail
    // rows on screen also ask for their transcripts' first lines.)
    let pages = more
        .iter()
        .filter(|e| matches!(e, Effect::FetchPage { .. }))
        .count();
    assert_eq!(pages == 0, list_rows(size.1) < 20, "{more:?}");
    app
}

/// The column where `text` starts on line `y` of the drawn screen.
pub fn column_of(app: &App, size: (u16, u16), y: u16, text: &str) -> u16 {
    let terminal = draw(app, size.0, size.1);
    let buffer = terminal.backend().buffer();
    let cells: Vec<&str> = (0..size.0).map(|x| buffer[(x, y)].symbol()).collect();
    let want: Vec<String> = text.chars().map(String::from).collect();
    let x = cells
        .windows(want.len())
        .position(|w| w.iter().zip(&want).all(|(a, b)| a == b))
        .unwrap_or_else(|| panic!("{text:?} not on line {y}"));
    u16::try_from(x).expect("narrow screen")
}

/// Line `y` from the column under `header` to the end: its text, and the characters drawn
/// in the search hit's style.
pub fn under_header(app: &App, size: (u16, u16), y: u16, header: &str) -> (String, String) {
    let x0 = column_of(app, size, 1, header);
    let terminal = draw(app, size.0, size.1);
    let buffer = terminal.backend().buffer();
    let matched = crate::test_support::matched_style();
    let (mut text, mut marked) = (String::new(), String::new());
    for x in x0..size.0 {
        let cell = &buffer[(x, y)];
        text.push_str(cell.symbol());
        if cell.fg == matched.fg.expect("a colour") && cell.modifier.contains(Modifier::BOLD) {
            marked.push_str(cell.symbol());
        }
    }
    (text, marked)
}
