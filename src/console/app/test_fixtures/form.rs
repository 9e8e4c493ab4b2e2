//! Calls as the list sends them and with a full body, the answers of the conflict check and
//! the PUT, and helpers that drive the form (the fixtures of the form, drafts, prompts and
//! submission tests).

pub use std::time::Duration;

pub use crossterm::event::KeyCode;
pub use reqwest::Method;
pub use serde_json::{Value, json};

pub use crate::api::error::ServerMessage;
pub use crate::api::model::{Direction, Status};
pub use crate::api::{Answer, ApiError, CallPage, Exchange, VoiceCall};
pub use crate::config::Config;
pub use crate::console::app::drafts::DRAFT_DELAY;
pub use crate::console::app::{App, Prompt, Session, Stage, UpdateFields};
pub use crate::console::form::Form;
pub use crate::console::msg::{Effect, Msg, RequestId};
pub use crate::domain::fields::{self, FieldId};
pub use crate::persist::drafts::Draft;
pub use crate::test_support::{ctrl, draw, key, list_rows, now, screen_text, utc};

pub const LATER: &str = "2026-11-24T15:00:01+00:00";
pub const THEIRS_AT: &str = "2026-11-24T14:59:00+00:00";

pub fn session(staff_uid: Option<&str>, update_fields: UpdateFields) -> Session {
    let api_label = "demo server 127.0.0.1:40000".to_string();
    let (staff_uid, default_country) = (staff_uid.map(str::to_string), Some("US".to_string()));
    Session {
        demo: true,
        api_label,
        config: Config {
            page_size: 20,
            staff_uid,
            update_fields,
            default_country,
            refresh_secs: 0,
            // These tests are about single calls: one row each (grouping has its own tests).
            group_by_caller: false,
            ..Config::default()
        },
        ..Session::default()
    }
}

pub const STATUSES: [&str; 3] = ["MISSED", "VOICEMAIL_RECEIVED", "SOMETHING_NEW"];

/// A call as the list sends it: no rate, price, provider or recording id.
pub fn call(i: usize) -> VoiceCall {
    let created = (now() - chrono::TimeDelta::minutes((i as i64) * 47 + 3)).to_rfc3339();
    VoiceCall {
        uid: Some(format!("call-{i:04}")),
        created_at: Some(created.clone()),
        updated_at: Some(created),
        duration: Some((i as i64 * 37) % 400),
        status: Some(Status(STATUSES[i % STATUSES.len()].into())),
        direction: Some(Direction("INBOUND".into())),
        staff_uid: Some("staff-ana".into()),
        client_uid: Some(format!("client-{:02}", i % 13)),
        from_number: Some(format!("+1415555{:04}", 100 + i)),
        to_number: Some("+14155550100".into()),
        call_summary: Some(format!("Caller {i} asked about rescheduling")),
        external_app_name: Some("my.pa".into()),
        external_app_url: Some(format!("https://app.example.com/calls/{i}")),
        source_id: Some(format!("src-{i}")),
        external_uuid: Some(format!("ext-{i}")),
        ..Default::default()
    }
}

/// A call with everything the PUT body needs.
pub fn full(i: usize) -> VoiceCall {
    let mut c = call(i);
    c.rate = Some("0.05".into());
    c.price = Some("1.50".into());
    c.provider = Some("VONAGE".into());
    c.recording_id = Some(format!("rec-{i}"));
    c
}

/// `c` changed by `f`.
pub fn with(mut c: VoiceCall, f: impl FnOnce(&mut VoiceCall)) -> VoiceCall {
    f(&mut c);
    c
}

pub fn answer<T>(method: Method, path: String, result: Result<T, ApiError>) -> Answer<T> {
    let (status, ms) = match &result {
        Ok(_) => (Some(200), if method == Method::PUT { 34 } else { 12 }),
        Err(e) => (e.status(), 5),
    };
    let elapsed = Duration::from_millis(ms);
    Answer {
        exchange: Exchange {
            method,
            path,
            status,
            elapsed,
            attempts: 1,
        },
        result,
    }
}

pub fn path_of(uid: &str) -> String {
    format!("/v3/communication/voice_calls/{uid}")
}

pub fn server_error(status: u16, messages: &[(Option<&str>, &str)]) -> ApiError {
    let messages = messages
        .iter()
        .map(|(field, text)| ServerMessage {
            code: None,
            message: Some(text.to_string()),
            field: field.map(str::to_string),
        })
        .collect();
    ApiError::Server { status, messages }
}

/// The conflict check's GET answers with `c`.
pub fn fetched(app: &mut App, req: RequestId, c: VoiceCall) -> Vec<Effect> {
    let path = path_of(c.uid.as_deref().unwrap_or(""));
    app.update(Msg::CallFetched {
        req,
        answer: answer(Method::GET, path, Ok(c)),
        etag: None,
    })
}

/// The PUT answers with `result`.
pub fn saved(app: &mut App, req: RequestId, result: Result<VoiceCall, ApiError>) -> Vec<Effect> {
    let answer = answer(Method::PUT, path_of("call-0000"), result);
    app.update(Msg::Saved { req, answer })
}

/// An app with `calls` loaded (fewer than a page, so nothing more is asked for).
pub fn loaded_with(calls: Vec<VoiceCall>, session: Session, drafts: Vec<Draft>) -> App {
    let (mut app, effects) = App::new(session, now(), utc(), list_rows(26), drafts);
    let Some(Effect::FetchPage { req, query }) = effects.first() else {
        panic!("first page not requested: {effects:?}");
    };
    let path = "/v3/communication/voice_calls?page=1&per_page=20".to_string();
    let answer = answer(
        Method::GET,
        path,
        Ok(CallPage {
            calls,
            unreadable: 0,
        }),
    );
    let more = app.update(Msg::PageLoaded {
        req: *req,
        page: query.page,
        answer,
    });
    assert!(more.is_empty(), "{more:?}");
    app
}

pub fn loaded(calls: Vec<VoiceCall>) -> App {
    loaded_with(
        calls,
        session(Some("staff-ana"), UpdateFields::All),
        Vec::new(),
    )
}

pub fn ch(c: char) -> Msg {
    key(KeyCode::Char(c))
}

pub fn type_str(app: &mut App, text: &str) {
    for c in text.chars() {
        app.update(ch(c));
    }
}

pub fn form(app: &App) -> &Form {
    app.form().expect("the form is open")
}

pub fn stage(app: &App) -> Option<&Stage> {
    app.submission().map(|s| &s.stage)
}

pub fn scheduled(effects: &[Effect]) -> bool {
    matches!(effects, [Effect::ScheduleDraft { delay, .. }] if *delay == DRAFT_DELAY)
}

pub fn delete_draft(uid: &str) -> Vec<Effect> {
    vec![Effect::DeleteDraft { uid: uid.into() }]
}

pub fn tab_to(app: &mut App, field: FieldId) {
    while form(app).focus() != field {
        app.update(key(KeyCode::Tab));
    }
}

/// Opens the selected call's form (unless open) and replaces its summary with `text`.
pub fn edit_summary(app: &mut App, text: &str) -> Vec<Effect> {
    if app.form().is_none() {
        assert!(app.update(ch('e')).is_empty());
    }
    tab_to(app, FieldId::CallSummary);
    app.update(ctrl('u'));
    app.update(Msg::Paste(text.into()))
}

pub fn fetch_req(effects: &[Effect], uid: &str) -> RequestId {
    match effects {
        [Effect::FetchCall { req, uid: u }] if u == uid => *req,
        other => panic!("expected one FetchCall of {uid}, got {other:?}"),
    }
}

pub fn put_of(effects: &[Effect]) -> (RequestId, Value) {
    match effects {
        [Effect::PutCall { req, body, .. }] => (*req, body.clone()),
        other => panic!("expected one PutCall, got {other:?}"),
    }
}

/// Ctrl-s, then the check answers with `server_copy`: the PUT's request and body.
pub fn submit_through_check(app: &mut App, server_copy: VoiceCall) -> (RequestId, Value) {
    let uid = server_copy.uid.clone().unwrap_or_default();
    let req = fetch_req(&app.update(ctrl('s')), &uid);
    assert!(matches!(stage(app), Some(Stage::Checking { .. })));
    put_of(&fetched(app, req, server_copy))
}

/// Submits an edit of the summary; the check finds someone else changed it and source_id.
pub fn into_conflict() -> (App, VoiceCall) {
    let mut app = loaded(vec![full(0)]);
    edit_summary(&mut app, "mine");
    let req = fetch_req(&app.update(ctrl('s')), "call-0000");
    let theirs = with(full(0), |c| {
        c.updated_at = Some(THEIRS_AT.into());
        c.source_id = Some("src-theirs".into());
        c.call_summary = Some("theirs".into());
    });
    let effects = fetched(&mut app, req, theirs.clone());
    assert!(effects.is_empty(), "nothing is sent: {effects:?}");
    assert!(matches!(stage(&app), Some(Stage::Conflict { .. })));
    assert!(!app.busy());
    let notice = "someone else changed this call: r reload, o overwrite, c cancel";
    assert_eq!(app.notice(), Some(notice));
    (app, theirs)
}
