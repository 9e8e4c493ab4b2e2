//! Calls that need a follow-up, the pages and answers the server sends, and readers for the
//! effects `update` returns (the fixtures of the tabs, counts, bars, sort, selection, bulk,
//! undo, transcript, request log, mode and routing tests).

use crate::api::CallFields;
pub use std::collections::BTreeSet;
pub use std::time::Duration;

pub use crossterm::event::KeyCode;
pub use reqwest::Method;
pub use serde_json::Value;

pub use crate::api::error::ServerMessage;
pub use crate::api::model::{Count, Direction, Status, StatusCount};
pub use crate::api::{
    Answer, ApiError, CallPage, Exchange, ListQuery, Stats, Transcript, VoiceCall,
};
pub use crate::config::Config;
pub use crate::console::app::{App, Bar, Batch, BatchKind, Mode, Overlay, Prompt, Remote, Session};
pub use crate::console::msg::{Effect, Msg, RequestId};
pub use crate::domain::calls::Paging;
pub use crate::domain::fields::FieldId;
pub use crate::domain::save::{self, Outcome, Verdict};
pub use crate::domain::views::TabId;
pub use crate::persist::state::UiState;
pub use crate::test_support::{ctrl, key, list_rows, now, utc};

pub const FOLLOW_UP: &str = "MISSED,VOICEMAIL_RECEIVED,VOICEMAIL";
pub const LATER: &str = "2026-11-24T15:00:01+00:00";
pub const THEIRS_AT: &str = "2026-11-24T14:59:00+00:00";

pub fn session() -> Session {
    Session {
        demo: true,
        api_label: "demo server 127.0.0.1:40000".into(),
        config: Config {
            page_size: 20,
            refresh_secs: 0,
            // These tests are about single calls: one row each (grouping has its own tests).
            group_by_caller: false,
            ..Config::default()
        },
        ..Session::default()
    }
}

/// A session that can mark calls handled without asking anything.
pub fn bulk_session() -> Session {
    let mut session = session();
    session.config.staff_uid = Some("staff-ana".into());
    for (f, v) in [
        (FieldId::Rate, "0.05"),
        (FieldId::Price, "1.50"),
        (FieldId::Provider, "VONAGE"),
        (FieldId::RecordingId, "rec-default"),
    ] {
        session.config.defaults.set(f, v.to_string());
    }
    session
}

/// A call as the list sends it (no rate, price, provider or recording id), with `status`.
pub fn call_with(i: usize, status: &str) -> VoiceCall {
    let created = (now() - chrono::TimeDelta::minutes((i as i64) * 47 + 3)).to_rfc3339();
    VoiceCall {
        uid: Some(format!("call-{i:04}")),
        created_at: Some(created.clone()),
        updated_at: Some(created),
        duration: Some((i as i64 * 37) % 400),
        status: Some(Status(status.into())),
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

/// `call` as a refresh finds it: it came in `seconds` after the fixtures' now, so it sorts
/// above every call loaded before.
pub fn arrived(mut call: VoiceCall, seconds: i64) -> VoiceCall {
    let created = (now() + chrono::TimeDelta::seconds(seconds)).to_rfc3339();
    call.created_at = Some(created.clone());
    call.updated_at = Some(created);
    call
}

/// A call that needs a follow-up: missed or a voicemail, alternately.
pub fn call(i: usize) -> VoiceCall {
    call_with(
        i,
        if i.is_multiple_of(2) {
            "MISSED"
        } else {
            "VOICEMAIL_RECEIVED"
        },
    )
}

pub fn calls(range: std::ops::Range<usize>) -> Vec<VoiceCall> {
    range.map(call).collect()
}

pub fn uid(i: usize) -> String {
    format!("call-{i:04}")
}

pub fn exchange(method: Method, path: &str, status: Option<u16>) -> Exchange {
    Exchange {
        method,
        path: path.to_string(),
        status,
        elapsed: Duration::from_millis(12),
        attempts: 1,
    }
}

pub fn answer<T>(method: Method, path: &str, result: Result<T, ApiError>) -> Answer<T> {
    let status = match &result {
        Ok(_) => Some(200),
        Err(e) => e.status(),
    };
    Answer {
        exchange: exchange(method, path, status),
        result,
    }
}

pub fn server_error(status: u16, text: &str) -> ApiError {
    ApiError::Server {
        status,
        messages: vec![ServerMessage {
            code: None,
            message: Some(text.into()),
            field: None,
        }],
    }
}

pub fn list_path(page: u32) -> String {
    format!("/v3/communication/voice_calls?page={page}&per_page=20")
}

pub fn page_loaded(req: RequestId, page: u32, calls: Vec<VoiceCall>) -> Msg {
    Msg::PageLoaded {
        req,
        page,
        answer: answer(
            Method::GET,
            &list_path(page),
            Ok(CallPage {
                calls,
                unreadable: 0,
            }),
        ),
    }
}

pub fn call_path(uid: &str) -> String {
    format!("/v3/communication/voice_calls/{uid}")
}

/// What the runtime answers for one call of a bulk action (`Effect::CheckAndPut`): the GET
/// finds `theirs`; the PUT goes out only when the save policy's check allows, and answers
/// `put`.
pub fn checked(
    sent: &BatchSend,
    theirs: Result<VoiceCall, ApiError>,
    put: Result<VoiceCall, ApiError>,
) -> Msg {
    let path = call_path(&sent.uid);
    let check = answer(Method::GET, &path, theirs);
    let outcome = match &check.result {
        Ok(t) => match save::check_call(t, sent.expected.as_deref(), &sent.body) {
            Verdict::Send => Outcome::Sent(Box::new(answer(Method::PUT, &path, put))),
            Verdict::AlreadyHolds => Outcome::AlreadyHolds,
            Verdict::Conflict => Outcome::Conflict,
        },
        Err(_) => Outcome::NotRead,
    };
    Msg::CheckedAndPut {
        req: sent.req,
        check,
        outcome,
    }
}

pub fn transcript(req: RequestId, uid: &str, status: &str) -> Msg {
    let path = format!("/v3/communication/voice_calls/{uid}/transcript");
    Msg::TranscriptLoaded {
        req,
        uid: uid.to_string(),
        answer: answer(
            Method::GET,
            &path,
            Ok(Transcript {
                transcript_uid: Some(format!("tr-{uid}")),
                status: Some(status.into()),
                transcript: None,
            }),
        ),
    }
}

pub fn stats(counts: &[(&str, u64)], total: Option<u64>) -> Stats {
    Stats {
        status_counts: counts
            .iter()
            .map(|(s, n)| StatusCount {
                status: Some(s.to_string()),
                count: Some(Count::Valid(*n)),
            })
            .collect(),
        total_voice_calls: total.map(Count::Valid),
        ..Stats::default()
    }
}

/// The list page requests (not the one-row "oldest" query, nor the later calls asked for to
/// tell which calls look returned: see [`returns_fetches`]).
pub fn list_fetches(effects: &[Effect]) -> Vec<(RequestId, ListQuery)> {
    effects
        .iter()
        .filter_map(|e| match e {
            Effect::FetchPage { req, query }
                if query.per_page > 1 && !crate::domain::returned::is_query(query) =>
            {
                Some((*req, query.clone()))
            }
            _ => None,
        })
        .collect()
}

/// The requests for the later calls that could be returns (`console::app::returned`).
pub fn returns_fetches(effects: &[Effect]) -> Vec<(RequestId, ListQuery)> {
    effects
        .iter()
        .filter_map(|e| match e {
            Effect::FetchPage { req, query } if crate::domain::returned::is_query(query) => {
                Some((*req, query.clone()))
            }
            _ => None,
        })
        .collect()
}

/// The one list page asked for.
pub fn list_fetch(effects: &[Effect]) -> (RequestId, ListQuery) {
    match list_fetches(effects).as_slice() {
        [one] => one.clone(),
        other => panic!("expected one list page request, got {other:?} in {effects:?}"),
    }
}

pub fn oldest_fetch(effects: &[Effect]) -> Option<(RequestId, ListQuery)> {
    effects.iter().find_map(|e| match e {
        Effect::FetchPage { req, query } if query.per_page == 1 => Some((*req, query.clone())),
        _ => None,
    })
}

pub fn stats_fetch(effects: &[Effect]) -> Option<RequestId> {
    effects.iter().find_map(|e| match e {
        Effect::FetchStats { req, .. } => Some(*req),
        _ => None,
    })
}

pub fn saved_states(effects: &[Effect]) -> Vec<&UiState> {
    effects
        .iter()
        .filter_map(|e| match e {
            Effect::SaveState(s) => Some(s),
            _ => None,
        })
        .collect()
}

/// One call of a bulk action handed to the runtime.
#[derive(Debug, Clone)]
pub struct BatchSend {
    pub req: RequestId,
    pub uid: String,
    pub expected: Option<String>,
    pub body: std::sync::Arc<Value>,
}

pub fn batch_sends(effects: &[Effect]) -> Vec<BatchSend> {
    effects
        .iter()
        .filter_map(|e| match e {
            Effect::CheckAndPut {
                req,
                uid,
                expected,
                body,
            } => Some(BatchSend {
                req: *req,
                uid: uid.clone(),
                expected: expected.clone(),
                body: body.clone(),
            }),
            _ => None,
        })
        .collect()
}

pub fn uids_of(sends: &[BatchSend]) -> Vec<String> {
    sends.iter().map(|s| s.uid.clone()).collect()
}

pub fn transcript_fetches(effects: &[Effect]) -> Vec<(RequestId, String)> {
    effects
        .iter()
        .filter_map(|e| match e {
            Effect::FetchTranscript { req, uid } => Some((*req, uid.clone())),
            _ => None,
        })
        .collect()
}

pub fn filter_of<'a>(query: &'a ListQuery, field: &str, op: Option<&str>) -> Option<&'a str> {
    query
        .filters
        .iter()
        .find(|(f, o, _)| f == field && o.as_deref() == op)
        .map(|(_, _, v)| v.as_str())
}

pub fn type_str(app: &mut App, text: &str) -> Vec<Effect> {
    let mut effects = Vec::new();
    for c in text.chars() {
        effects.extend(app.update(key(KeyCode::Char(c))));
    }
    effects
}

pub fn selected_uid(app: &App) -> Option<String> {
    app.selected_call()
        .and_then(|c| c.uid().map(str::to_string))
}

pub fn selection(app: &App) -> Vec<String> {
    app.selected_uids().into_iter().collect()
}

/// A new app on a `size` screen and the effects it started with.
pub fn start(session: Session, size: (u16, u16)) -> (App, Vec<Effect>) {
    App::new(session, now(), utc(), list_rows(size.1), Vec::new())
}

/// An app with `calls` as the open tab's first page. Asserts nothing more was asked for.
pub fn loaded_with(session: Session, size: (u16, u16), calls: Vec<VoiceCall>) -> App {
    let (mut app, effects) = start(session, size);
    let (req, query) = list_fetch(&effects);
    let more = app.update(page_loaded(req, query.page, calls));
    assert!(list_fetches(&more).is_empty(), "{more:?}");
    app
}

/// The server's copy after a PUT: handled, newer, and (like the PUT body) with every field.
pub fn handled_copy(i: usize) -> VoiceCall {
    let mut c = call(i);
    c.status = Some(Status("MISSED_CALL_HANDLED".into()));
    c.handled_by_staff_uid = Some("staff-ana".into());
    c.updated_at = Some(LATER.into());
    c.rate = Some("0.05".into());
    c.price = Some("1.50".into());
    c.provider = Some("VONAGE".into());
    c.recording_id = Some("rec-default".into());
    c
}

pub fn uid_index(uid: &str) -> usize {
    uid.trim_start_matches("call-").parse().expect("call uid")
}
