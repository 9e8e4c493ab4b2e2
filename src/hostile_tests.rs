//! Hostile text drawn on every screen: a call whose fields and whose server error messages
//! carry terminal escape sequences (ESC, OSC 52 clipboard writes, OSC 8 links, C1 controls,
//! bidi overrides) goes through the real JSON readers, then the list, the detail pane, the
//! form and the status bar are drawn: no cell may hold a control or bidi character.

use std::time::Duration;

use reqwest::Method;
use serde_json::{Value, json};

use crate::api::{Answer, ApiError, CallPage, Exchange, VoiceCall};
use crate::config::Config;
use crate::console::app::{App, Session, UpdateFields};
use crate::console::msg::{Effect, Msg};
use crate::domain::sanitize::is_unsafe;
use crate::test_support::{ctrl, draw, key, list_rows, now, screen_text, utc};

/// The OSC 52 payload (base64 of `rm -rf ~`): it must never reach the screen.
const CLIPBOARD: &str = "cm0gLXJmIH4=";

/// A server record with a payload in every kind of field the screens show.
pub fn hostile_record() -> Value {
    json!({
        "uid": "call-evil",
        "created_at": "2026-11-24T14:30:00.000Z",
        "updated_at": "2026-11-24T14:30:00.000Z",
        "duration": 125,
        "status": "MISSED",
        "direction": "INBOUND",
        "staff_uid": "staff-ana",
        "client_uid": "client\u{1b}[2J\u{1b}[H-\u{9b}31m7\u{202e}xe.fdp",
        "from_number": format!("+1415\u{1b}]52;c;{CLIPBOARD}\u{7}5550148"),
        "to_number": "+1415\u{9d}0;pwned\u{9c}5550100",
        "call_summary": format!(
            "Refund\u{1b}]8;;https://evil.example/\u{1b}\\ click \u{1b}]8;;\u{1b}\\please\u{1b}P+q\u{1b}\\ \u{90}dcs\u{9c}\u{1b}]52;c;{CLIPBOARD}\u{1b}\\now\u{2066}\u{200f}\u{7f}\u{85}done"
        ),
        "external_app_name": "my\u{1b}_apc\u{1b}\\.pa",
        "external_app_url": "https://app.example.com/\u{1b}[6n",
        "source_id": "src\u{9f}apc\u{9c}-1",
        "external_uuid": "ext\u{98}sos\u{9c}-1",
        "rate": "0.05",
        "price": "1.50",
        "provider": "VONAGE\u{1b}^pm\u{1b}\\",
        "recording_id": "rec-1",
        "transcript_status": "DONE"
    })
}

/// The same error envelope a hostile server answers a PUT with.
pub fn hostile_error_body() -> Vec<u8> {
    serde_json::to_vec(&json!({"success": false, "errors": [
        {"code": "invalid", "field": "to_number",
         "message": format!("to_number\u{1b}]52;c;{CLIPBOARD}\u{7} is \u{9b}1mnot\u{202e} reachable")},
        {"code": "x\u{1b}[31m", "message": "price \u{1b}]0;title\u{7}must not exceed 100\u{2069}"}
    ]}))
    .expect("json")
}

fn answer<T>(method: Method, path: &str, result: Result<T, ApiError>) -> Answer<T> {
    Answer {
        exchange: Exchange {
            method,
            path: path.to_string(),
            status: Some(if result.is_ok() { 200 } else { 422 }),
            elapsed: Duration::from_millis(7),
            attempts: 1,
        },
        result,
    }
}

/// Every cell of the screen: none may hold a control or bidi character, nor the payload.
fn assert_clean(app: &App, what: &str) -> String {
    let terminal = draw(app, 160, 40);
    let buffer = terminal.backend().buffer();
    for cell in buffer.content() {
        let bad: Vec<char> = cell
            .symbol()
            .chars()
            .filter(|&c| c.is_control() || is_unsafe(c))
            .collect();
        assert!(bad.is_empty(), "{what}: a cell holds {bad:?}");
    }
    let text = screen_text(&terminal);
    for payload in [CLIPBOARD, "evil.example", "pwned", "title"] {
        assert!(!text.contains(payload), "{what}: {payload} shown:\n{text}");
    }
    text
}

#[test]
fn hostile_text_is_drawn_clean_in_list_detail_form_and_status_bar() {
    let session = Session {
        demo: true,
        api_label: "demo".into(),
        config: Config {
            page_size: 20,
            staff_uid: Some("staff-ana".into()),
            update_fields: UpdateFields::All,
            default_country: Some("US".into()),
            refresh_secs: 0,
            ..Config::default()
        },
        ..Session::default()
    };
    let (mut app, effects) = App::new(session, now(), utc(), list_rows(40), Vec::new());
    let Some(Effect::FetchPage { req, query }) = effects.first() else {
        panic!("first page not requested: {effects:?}");
    };
    let page = CallPage::from_data(&json!({"voice_calls": [hostile_record()]})).expect("page");
    app.update(Msg::PageLoaded {
        req: *req,
        page: query.page,
        answer: answer(Method::GET, "/v3/communication/voice_calls", Ok(page)),
    });
    let list = assert_clean(&app, "list");
    // The readable rest of the text is still there: the sanitiser removed only the payloads.
    assert!(list.contains("Refund"), "{list}");

    app.update(key(crossterm::event::KeyCode::Enter));
    assert!(app.detail_open());
    let detail = assert_clean(&app, "detail");
    assert!(detail.contains("+14155550148"), "{detail}");

    app.update(key(crossterm::event::KeyCode::Char('e')));
    assert!(app.form().is_some(), "the form opens");
    assert_clean(&app, "form");

    // Pasted text can carry the same payloads (copied from a web page).
    use crate::domain::fields::FieldId;
    while app.form().map(|f| f.focus()) != Some(FieldId::CallSummary) {
        app.update(key(crossterm::event::KeyCode::Tab));
    }
    app.update(ctrl('u'));
    let pasted = format!("Refund\u{1b}]52;c;{CLIPBOARD}\u{7} ok\u{202e}\u{9b}2J");
    app.update(Msg::Paste(pasted));
    let summary = app
        .form()
        .map(|f| f.value(FieldId::CallSummary).to_string());
    assert_eq!(summary.as_deref(), Some("Refund ok"));
    assert_clean(&app, "form after a paste");

    let uid = "call-evil";
    let effects = app.update(ctrl('s'));
    let [Effect::FetchCall { req, .. }] = effects.as_slice() else {
        panic!("no conflict check: {effects:?}");
    };
    let current: VoiceCall = serde_json::from_value(hostile_record()).expect("call");
    let path = format!("/v3/communication/voice_calls/{uid}");
    let effects = app.update(Msg::CallFetched {
        req: *req,
        answer: answer(Method::GET, &path, Ok(current)),
        etag: None,
    });
    let [Effect::PutCall { req, .. }] = effects.as_slice() else {
        panic!("no PUT: {effects:?}");
    };
    let error = ApiError::from_body(422, &hostile_error_body());
    app.update(Msg::Saved {
        req: *req,
        answer: answer(Method::PUT, &path, Err(error)),
    });
    let form = app.form().expect("the form stays open");
    let beside = form.server_error(FieldId::ToNumber).unwrap_or("");
    assert_eq!(beside, "to_number is not reachable");
    assert!(app.notice().is_some_and(|n| n.contains("must not exceed")));
    let screen = assert_clean(&app, "form with server errors");
    assert!(screen.contains("not reachable"), "{screen}");
}
