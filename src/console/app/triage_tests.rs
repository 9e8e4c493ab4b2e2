//! Triage driven through `App::update`: tabs and their counts, the filter and search bars, the
//! sort picker, selection, bulk "handled" and its undo, transcripts, refresh and the request
//! log. Every test feeds messages and looks at the model and the effects that come back.

use std::collections::BTreeSet;
use std::time::Duration;

use crossterm::event::KeyCode;
use reqwest::Method;
use serde_json::Value;

use crate::api::error::ServerMessage;
use crate::api::model::{Direction, Status, StatusCount};
use crate::api::{Answer, ApiError, CallPage, Exchange, ListQuery, Stats, Transcript, VoiceCall};
use crate::config::Config;
use crate::console::app::{App, Bar, Batch, BatchKind, Mode, Overlay, Prompt, Remote, Session};
use crate::console::msg::{Effect, Msg, RequestId};
use crate::domain::calls::Paging;
use crate::domain::fields::FieldId;
use crate::domain::save::{self, Outcome, Verdict};
use crate::domain::views::TabId;
use crate::persist::state::UiState;
use crate::test_support::{ctrl, key, list_rows, now, utc};

const FOLLOW_UP: &str = "MISSED,VOICEMAIL_RECEIVED,VOICEMAIL";
const LATER: &str = "2026-11-24T15:00:01+00:00";
const THEIRS_AT: &str = "2026-11-24T14:59:00+00:00";

// ---- building calls, pages and answers ----

fn session() -> Session {
    Session {
        demo: true,
        api_label: "demo server 127.0.0.1:40000".into(),
        config: Config {
            page_size: 20,
            refresh_secs: 0,
            ..Config::default()
        },
        ..Session::default()
    }
}

/// A session that can mark calls handled without asking anything.
fn bulk_session() -> Session {
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
fn call_with(i: usize, status: &str) -> VoiceCall {
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

/// A call that needs a follow-up: missed or a voicemail, alternately.
fn call(i: usize) -> VoiceCall {
    call_with(
        i,
        if i.is_multiple_of(2) {
            "MISSED"
        } else {
            "VOICEMAIL_RECEIVED"
        },
    )
}

fn calls(range: std::ops::Range<usize>) -> Vec<VoiceCall> {
    range.map(call).collect()
}

fn uid(i: usize) -> String {
    format!("call-{i:04}")
}

fn exchange(method: Method, path: &str, status: Option<u16>) -> Exchange {
    Exchange {
        method,
        path: path.to_string(),
        status,
        elapsed: Duration::from_millis(12),
        attempts: 1,
    }
}

fn answer<T>(method: Method, path: &str, result: Result<T, ApiError>) -> Answer<T> {
    let status = match &result {
        Ok(_) => Some(200),
        Err(e) => e.status(),
    };
    Answer {
        exchange: exchange(method, path, status),
        result,
    }
}

fn server_error(status: u16, text: &str) -> ApiError {
    ApiError::Server {
        status,
        messages: vec![ServerMessage {
            code: None,
            message: Some(text.into()),
            field: None,
        }],
    }
}

fn list_path(page: u32) -> String {
    format!("/v3/communication/voice_calls?page={page}&per_page=20")
}

fn page_loaded(req: RequestId, page: u32, calls: Vec<VoiceCall>) -> Msg {
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

fn call_path(uid: &str) -> String {
    format!("/v3/communication/voice_calls/{uid}")
}

/// What the runtime answers for one call of a bulk action (`Effect::CheckAndPut`): the GET
/// finds `theirs`; the PUT goes out only when the save policy's check allows, and answers
/// `put`.
fn checked(
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

fn transcript(req: RequestId, uid: &str, status: &str) -> Msg {
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

fn stats(counts: &[(&str, i64)], total: Option<i64>) -> Stats {
    Stats {
        status_counts: counts
            .iter()
            .map(|(s, n)| StatusCount {
                status: Some(s.to_string()),
                count: Some(*n),
            })
            .collect(),
        total_voice_calls: total,
        ..Stats::default()
    }
}

// ---- reading effects ----

/// The list page requests (not the one-row "oldest" query).
fn list_fetches(effects: &[Effect]) -> Vec<(RequestId, ListQuery)> {
    effects
        .iter()
        .filter_map(|e| match e {
            Effect::FetchPage { req, query } if query.per_page > 1 => Some((*req, query.clone())),
            _ => None,
        })
        .collect()
}

/// The one list page asked for.
fn list_fetch(effects: &[Effect]) -> (RequestId, ListQuery) {
    match list_fetches(effects).as_slice() {
        [one] => one.clone(),
        other => panic!("expected one list page request, got {other:?} in {effects:?}"),
    }
}

fn oldest_fetch(effects: &[Effect]) -> Option<(RequestId, ListQuery)> {
    effects.iter().find_map(|e| match e {
        Effect::FetchPage { req, query } if query.per_page == 1 => Some((*req, query.clone())),
        _ => None,
    })
}

fn stats_fetch(effects: &[Effect]) -> Option<RequestId> {
    effects.iter().find_map(|e| match e {
        Effect::FetchStats { req, .. } => Some(*req),
        _ => None,
    })
}

fn saved_states(effects: &[Effect]) -> Vec<&UiState> {
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
struct BatchSend {
    req: RequestId,
    uid: String,
    expected: Option<String>,
    body: Value,
}

fn batch_sends(effects: &[Effect]) -> Vec<BatchSend> {
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

fn uids_of(sends: &[BatchSend]) -> Vec<String> {
    sends.iter().map(|s| s.uid.clone()).collect()
}

fn transcript_fetches(effects: &[Effect]) -> Vec<(RequestId, String)> {
    effects
        .iter()
        .filter_map(|e| match e {
            Effect::FetchTranscript { req, uid } => Some((*req, uid.clone())),
            _ => None,
        })
        .collect()
}

fn filter_of<'a>(query: &'a ListQuery, field: &str, op: Option<&str>) -> Option<&'a str> {
    query
        .filters
        .iter()
        .find(|(f, o, _)| f == field && o.as_deref() == op)
        .map(|(_, _, v)| v.as_str())
}

// ---- driving the app ----

fn type_str(app: &mut App, text: &str) -> Vec<Effect> {
    let mut effects = Vec::new();
    for c in text.chars() {
        effects.extend(app.update(key(KeyCode::Char(c))));
    }
    effects
}

fn selected_uid(app: &App) -> Option<String> {
    app.selected_call().and_then(|c| c.uid.clone())
}

fn selection(app: &App) -> Vec<String> {
    app.tab().selected.iter().cloned().collect()
}

/// A new app on a `size` screen and the effects it started with.
fn start(session: Session, size: (u16, u16)) -> (App, Vec<Effect>) {
    App::new(session, now(), utc(), list_rows(size.1), Vec::new())
}

/// An app with `calls` as the open tab's first page. Asserts nothing more was asked for.
fn loaded_with(session: Session, size: (u16, u16), calls: Vec<VoiceCall>) -> App {
    let (mut app, effects) = start(session, size);
    let (req, query) = list_fetch(&effects);
    let more = app.update(page_loaded(req, query.page, calls));
    assert!(list_fetches(&more).is_empty(), "{more:?}");
    app
}

// ---- 1. tabs ----

#[test]
fn starts_on_needs_follow_up_with_its_statuses() {
    let (app, effects) = start(session(), (120, 30));
    assert_eq!(app.active_index(), 0);
    assert_eq!(app.tab().id, TabId::FollowUp);
    let (_, query) = list_fetch(&effects);
    assert_eq!(
        query.filters,
        vec![("status".to_string(), None, FOLLOW_UP.to_string())]
    );
    assert_eq!(query.page, 1);
    assert_eq!(query.per_page, 20);
    assert_eq!(query.sort.as_deref(), Some("created_at:desc"));
}

#[test]
fn number_keys_switch_tabs_with_their_own_queries_and_save_the_state() {
    let mut app = loaded_with(session(), (120, 14), calls(0..5));

    let effects = app.update(key(KeyCode::Char('2')));
    assert_eq!(app.active_index(), 1);
    assert_eq!(app.tab().id, TabId::All);
    let (_, query) = list_fetch(&effects);
    assert!(
        filter_of(&query, "status", None).is_none(),
        "All asks for any status: {query:?}"
    );
    assert!(query.filters.is_empty(), "{query:?}");
    let states = saved_states(&effects);
    assert_eq!(states.len(), 1, "{effects:?}");
    assert_eq!(states[0].active, Some(TabId::All));

    let effects = app.update(key(KeyCode::Char('6')));
    assert_eq!(app.tab().id, TabId::Outbound);
    let (_, query) = list_fetch(&effects);
    assert_eq!(
        query.filters,
        vec![("direction".to_string(), None, "OUTBOUND".to_string())]
    );
    assert_eq!(saved_states(&effects)[0].active, Some(TabId::Outbound));

    // The same tab again does nothing.
    assert!(app.update(key(KeyCode::Char('6'))).is_empty());
}

#[test]
fn brackets_cycle_through_the_tabs_both_ways() {
    let (mut app, _) = start(session(), (120, 14));
    app.update(key(KeyCode::Char(']')));
    assert_eq!(app.tab().id, TabId::All);
    app.update(key(KeyCode::Char(']')));
    assert_eq!(app.tab().id, TabId::Missed);
    app.update(key(KeyCode::Char('[')));
    app.update(key(KeyCode::Char('[')));
    assert_eq!(app.tab().id, TabId::FollowUp);
    let effects = app.update(key(KeyCode::Char('[')));
    assert_eq!(app.tab().id, TabId::Outbound, "wraps to the last tab");
    assert_eq!(saved_states(&effects)[0].active, Some(TabId::Outbound));
    let effects = app.update(key(KeyCode::Char(']')));
    assert_eq!(app.tab().id, TabId::FollowUp, "wraps to the first tab");
    assert_eq!(saved_states(&effects)[0].active, Some(TabId::FollowUp));
}

#[test]
fn each_tab_keeps_its_own_selection_and_cursor() {
    let mut app = loaded_with(session(), (120, 14), calls(0..8));
    app.update(key(KeyCode::Char('j')));
    app.update(key(KeyCode::Char('j')));
    app.update(key(KeyCode::Char(' '))); // selects call 2, moves to 3
    assert_eq!(selection(&app), vec![uid(2)]);
    assert_eq!(app.list().selected_index(), 3);

    let effects = app.update(key(KeyCode::Char('2')));
    let (req, query) = list_fetch(&effects);
    app.update(page_loaded(req, query.page, calls(10..15)));
    assert!(
        app.tab().selected.is_empty(),
        "tab 2 starts with nothing selected"
    );
    app.update(key(KeyCode::Char(' ')));
    assert_eq!(selection(&app), vec![uid(10)]);
    assert_eq!(app.list().selected_index(), 1);

    let effects = app.update(key(KeyCode::Char('1')));
    assert_eq!(app.tab().id, TabId::FollowUp);
    assert_eq!(saved_states(&effects).len(), 1);
    assert_eq!(
        selection(&app),
        vec![uid(2)],
        "tab 1's selection is still there"
    );
    assert_eq!(app.list().selected_index(), 3, "and so is its cursor");
    assert_eq!(selected_uid(&app), Some(uid(3)));
    // Coming back to a loaded tab refreshes it (merged, not reloaded).
    let (req, query) = list_fetch(&effects);
    assert_eq!(query.page, 1);
    app.update(page_loaded(req, 1, calls(0..8)));
    assert_eq!(selection(&app), vec![uid(2)]);
    assert_eq!(selected_uid(&app), Some(uid(3)));

    app.update(key(KeyCode::Char('2')));
    assert_eq!(selection(&app), vec![uid(10)], "tab 2 kept its own");
    assert_eq!(app.list().selected_index(), 1);
}

// ---- 2. counts ----

#[test]
fn tab_counts_come_from_the_report_and_outbound_from_what_is_loaded() {
    let (mut app, effects) = start(session(), (120, 14));
    let stats_req = stats_fetch(&effects).expect("counts asked for at start");
    for i in 1..6 {
        assert_eq!(app.tab_count(i), None, "nothing known yet for tab {i}");
    }
    app.update(Msg::StatsLoaded {
        req: stats_req,
        answer: answer(
            Method::GET,
            "/v3/communication/voice_calls/stats",
            Ok(stats(
                &[
                    ("MISSED", 4),
                    ("VOICEMAIL_RECEIVED", 2),
                    ("VOICEMAIL", 1),
                    ("MISSED_CALL_HANDLED", 9),
                    ("ANSWERED_BY_STAFF", 20),
                ],
                Some(36),
            )),
        ),
    });
    let counts: Vec<Option<String>> = (0..6).map(|i| app.tab_count(i)).collect();
    assert_eq!(
        counts,
        vec![
            Some("7".to_string()), // MISSED + VOICEMAIL_RECEIVED + VOICEMAIL
            Some("36".to_string()),
            Some("4".to_string()),
            Some("3".to_string()),
            Some("9".to_string()),
            None, // Outbound: not counted by the report, and not loaded yet
        ]
    );

    // Outbound falls back to the loaded list, with `+` while more pages exist.
    let effects = app.update(key(KeyCode::Char('6')));
    let (req, _) = list_fetch(&effects);
    let outbound: Vec<VoiceCall> = (0..20)
        .map(|i| {
            let mut c = call_with(i, "ANSWERED_BY_STAFF");
            c.direction = Some(Direction("OUTBOUND".into()));
            c
        })
        .collect();
    app.update(page_loaded(req, 1, outbound.clone()));
    assert_eq!(app.tab_count(5).as_deref(), Some("20+"));
    let effects = app.update(key(KeyCode::End));
    let (req, query) = list_fetch(&effects);
    assert_eq!(query.page, 2);
    app.update(page_loaded(req, 2, {
        let mut more: Vec<VoiceCall> = outbound[..3].to_vec();
        for (n, c) in more.iter_mut().enumerate() {
            c.uid = Some(format!("out-{n}"));
        }
        more
    }));
    assert_eq!(app.tab_count(5).as_deref(), Some("23"), "complete: no +");
    assert_eq!(
        app.tab_count(0).as_deref(),
        Some("7"),
        "others still from the report"
    );
}

#[test]
fn a_tab_whose_first_page_is_loading_shows_no_count() {
    let (app, _) = start(session(), (120, 14));
    assert!(matches!(app.list().paging, Paging::Loading { .. }));
    assert_eq!(app.tab_count(0), None);
}

#[test]
fn an_answer_to_another_request_does_not_set_the_counts() {
    let (mut app, effects) = start(session(), (120, 14));
    let stats_req = stats_fetch(&effects).expect("counts asked for");
    app.update(Msg::StatsLoaded {
        req: RequestId(stats_req.0 + 100),
        answer: answer(Method::GET, "/stats", Ok(stats(&[("MISSED", 4)], Some(4)))),
    });
    assert_eq!(app.tab_count(2), None);
}

#[test]
fn the_oldest_call_waiting_comes_from_a_one_row_query() {
    let (mut app, effects) = start(session(), (120, 14));
    let (req, query) = oldest_fetch(&effects).expect("oldest asked for at start");
    assert_eq!(query.per_page, 1);
    assert_eq!(query.page, 1);
    assert_eq!(query.sort.as_deref(), Some("created_at:asc"));
    assert_eq!(filter_of(&query, "status", None), Some(FOLLOW_UP));
    assert!(app.oldest_unhandled().is_none());
    let old = call(99);
    let effects = app.update(page_loaded(req, 1, vec![old.clone()]));
    assert!(effects.is_empty(), "{effects:?}");
    assert_eq!(app.oldest_unhandled(), Some(&old));
    assert!(app.list().is_empty(), "the one row is not a list page");
}

// ---- 3. filters and sort ----

#[test]
fn the_filter_bar_builds_a_query_from_statuses_direction_and_date() {
    let mut app = loaded_with(session(), (120, 14), calls(0..5));
    let effects = app.update(key(KeyCode::Char('2')));
    let (req, _) = list_fetch(&effects);
    app.update(page_loaded(req, 1, calls(0..5)));

    assert!(app.update(key(KeyCode::Char('f'))).is_empty());
    assert!(matches!(app.bar(), Some(Bar::Filter(_))));
    app.update(key(KeyCode::Char(' '))); // MISSED
    app.update(key(KeyCode::Char('l')));
    app.update(key(KeyCode::Char('l')));
    app.update(key(KeyCode::Char(' '))); // VOICEMAIL
    app.update(key(KeyCode::Tab));
    app.update(key(KeyCode::Right)); // INBOUND
    app.update(key(KeyCode::Right)); // OUTBOUND
    app.update(key(KeyCode::Tab));
    assert!(
        type_str(&mut app, "7d").is_empty(),
        "nothing is sent while typing"
    );
    match app.bar() {
        Some(Bar::Filter(bar)) => {
            assert_eq!(bar.focus, 2);
            assert_eq!(bar.direction, 2);
            assert_eq!(bar.date.value(), "7d");
            assert_eq!(bar.statuses[0..3], [true, false, true]);
        }
        other => panic!("filter bar expected, got {other:?}"),
    }
    let effects = app.update(key(KeyCode::Enter));
    assert!(app.bar().is_none(), "Enter applies and closes the bar");
    let (_, query) = list_fetch(&effects);
    assert_eq!(query.page, 1);
    assert_eq!(filter_of(&query, "status", None), Some("MISSED,VOICEMAIL"));
    assert_eq!(filter_of(&query, "direction", None), Some("OUTBOUND"));
    assert_eq!(
        filter_of(&query, "created_at", Some("gte")),
        Some("2026-11-18T00:00:00Z"),
        "7 days counting today, in the user's time zone"
    );
    assert!(filter_of(&query, "created_at", Some("lt")).is_none());
    assert_eq!(saved_states(&effects).len(), 1);
    let state = saved_states(&effects)[0];
    assert_eq!(
        state.tabs[&TabId::All].filter.statuses,
        vec!["MISSED".to_string(), "VOICEMAIL".to_string()]
    );
    assert!(app.list().is_empty(), "the view starts again");
}

#[test]
fn the_filter_bar_staff_row_and_a_date_range() {
    let (mut app, _) = start(session(), (120, 14));
    app.update(key(KeyCode::Char('f')));
    app.update(key(KeyCode::BackTab)); // up from status wraps to staff
    type_str(&mut app, "staff-bo");
    app.update(key(KeyCode::BackTab)); // date
    type_str(&mut app, "2026-11-01..2026-11-02");
    let effects = app.update(key(KeyCode::Enter));
    let (_, query) = list_fetch(&effects);
    assert_eq!(filter_of(&query, "staff_uid", None), Some("staff-bo"));
    assert_eq!(
        filter_of(&query, "created_at", Some("gte")),
        Some("2026-11-01T00:00:00Z")
    );
    assert_eq!(
        filter_of(&query, "created_at", Some("lt")),
        Some("2026-11-03T00:00:00Z")
    );
    assert_eq!(
        filter_of(&query, "status", None),
        Some(FOLLOW_UP),
        "the tab's own statuses still apply"
    );
}

#[test]
fn a_bad_date_keeps_the_bar_open_with_an_error_and_sends_nothing() {
    let mut app = loaded_with(session(), (120, 14), calls(0..5));
    app.update(key(KeyCode::Char('f')));
    app.update(key(KeyCode::Tab));
    app.update(key(KeyCode::Tab));
    type_str(&mut app, "yesterday");
    let effects = app.update(key(KeyCode::Enter));
    assert!(effects.is_empty(), "{effects:?}");
    match app.bar() {
        Some(Bar::Filter(bar)) => {
            let error = bar.error.as_deref().expect("an error is shown");
            assert!(error.contains("yesterday"), "{error}");
            assert_eq!(bar.focus, 2, "the cursor is on the date");
            assert_eq!(bar.date.value(), "yesterday", "what was typed stays");
        }
        other => panic!("filter bar expected, got {other:?}"),
    }
    assert!(app.tab().settings.filter.is_empty());
    assert_eq!(app.list().len(), 5, "the list is untouched");
    // Typing again clears the error.
    app.update(key(KeyCode::Backspace));
    match app.bar() {
        Some(Bar::Filter(bar)) => assert!(bar.error.is_none()),
        other => panic!("filter bar expected, got {other:?}"),
    }
}

#[test]
fn esc_leaves_the_filter_unchanged_and_ctrl_x_clears_it() {
    let (mut app, _) = start(session(), (120, 14));
    app.update(key(KeyCode::Char('2')));
    app.update(key(KeyCode::Char('f')));
    app.update(key(KeyCode::Char(' ')));
    app.update(key(KeyCode::Enter));
    assert_eq!(
        app.tab().settings.filter.statuses,
        vec!["MISSED".to_string()]
    );

    // Esc: what was toggled is forgotten, nothing is sent.
    app.update(key(KeyCode::Char('f')));
    app.update(key(KeyCode::Char('l')));
    app.update(key(KeyCode::Char(' ')));
    let effects = app.update(key(KeyCode::Esc));
    assert!(effects.is_empty(), "{effects:?}");
    assert!(app.bar().is_none());
    assert_eq!(
        app.tab().settings.filter.statuses,
        vec!["MISSED".to_string()]
    );
    assert_eq!(app.notice(), Some("filter unchanged"));

    // The bar opens on the current filter.
    app.update(key(KeyCode::Char('f')));
    match app.bar() {
        Some(Bar::Filter(bar)) => assert_eq!(bar.statuses[0..2], [true, false]),
        other => panic!("filter bar expected, got {other:?}"),
    }
    let effects = app.update(ctrl('x'));
    assert!(app.bar().is_none());
    assert!(app.tab().settings.filter.is_empty());
    let (_, query) = list_fetch(&effects);
    assert!(query.filters.is_empty(), "{query:?}");
    assert_eq!(app.notice(), Some("filter cleared"));
}

#[test]
fn capital_s_reverses_the_sort_and_reloads() {
    let mut app = loaded_with(session(), (120, 14), calls(0..5));
    let effects = app.update(key(KeyCode::Char('S')));
    let (_, query) = list_fetch(&effects);
    assert_eq!(query.sort.as_deref(), Some("created_at:asc"));
    assert_eq!(query.page, 1);
    assert_eq!(filter_of(&query, "status", None), Some(FOLLOW_UP));
    assert!(!app.tab().settings.sort.desc);
    assert_eq!(saved_states(&effects).len(), 1);
    let effects = app.update(key(KeyCode::Char('S')));
    assert_eq!(
        list_fetch(&effects).1.sort.as_deref(),
        Some("created_at:desc")
    );
}

#[test]
fn the_sort_picker_chooses_the_next_column() {
    let mut app = loaded_with(session(), (120, 14), calls(0..5));
    assert!(app.update(key(KeyCode::Char('s'))).is_empty());
    assert_eq!(app.overlay(), Overlay::SortPicker { index: 0 });
    app.update(key(KeyCode::Char('j')));
    assert_eq!(app.overlay(), Overlay::SortPicker { index: 1 });
    let effects = app.update(key(KeyCode::Enter));
    assert_eq!(app.overlay(), Overlay::None);
    let (_, query) = list_fetch(&effects);
    assert_eq!(query.sort.as_deref(), Some("updated_at:desc"));
    assert_eq!(saved_states(&effects).len(), 1);

    // Picking the column already in use sends nothing.
    app.update(key(KeyCode::Char('s')));
    assert_eq!(app.overlay(), Overlay::SortPicker { index: 1 });
    assert!(app.update(key(KeyCode::Enter)).is_empty());
    // Esc leaves it.
    app.update(key(KeyCode::Char('s')));
    app.update(key(KeyCode::Char('k')));
    assert!(app.update(key(KeyCode::Esc)).is_empty());
    assert_eq!(app.overlay(), Overlay::None);
    assert_eq!(app.tab().settings.sort.param(), "updated_at:desc");
}

// ---- 4. selection ----

#[test]
fn space_selects_and_moves_down_and_esc_clears() {
    let mut app = loaded_with(session(), (120, 14), calls(0..5));
    app.update(key(KeyCode::Char(' ')));
    assert_eq!(selection(&app), vec![uid(0)]);
    assert_eq!(app.list().selected_index(), 1);
    app.update(key(KeyCode::Char(' ')));
    app.update(key(KeyCode::Char(' ')));
    assert_eq!(app.tab().selected.len(), 3);
    assert_eq!(app.list().selected_index(), 3);
    // Space on a selected call unselects it.
    app.update(key(KeyCode::Char('k')));
    app.update(key(KeyCode::Char(' ')));
    assert_eq!(selection(&app), vec![uid(0), uid(1)]);
    app.update(key(KeyCode::Esc));
    assert!(app.tab().selected.is_empty());
    assert_eq!(app.notice(), Some("selection cleared"));
}

#[test]
fn select_all_takes_the_loaded_calls_and_the_pages_still_to_come() {
    let mut app = loaded_with(session(), (120, 14), calls(0..20));
    let effects = app.update(key(KeyCode::Char('V')));
    assert_eq!(app.tab().selected.len(), 20);
    assert!(app.tab().selecting_all);
    let out = list_fetches(&effects);
    let pages: Vec<u32> = out.iter().map(|(_, q)| q.page).collect();
    assert_eq!(
        pages,
        vec![2, 3, 4, 5],
        "the rest of the view, four pages at a time"
    );
    let more = app.update(page_loaded(out[0].0, 2, calls(20..40)));
    assert_eq!(app.tab().selected.len(), 40);
    let (_, query) = list_fetch(&more);
    assert_eq!(query.page, 6, "and keeps coming while selecting all");
    app.update(page_loaded(out[1].0, 3, calls(40..43)));
    assert_eq!(app.tab().selected.len(), 43);
    assert!(!app.tab().selecting_all, "everything is here");
    assert_eq!(app.list().paging, Paging::Complete);
}

#[test]
fn select_all_on_a_complete_view_asks_for_nothing() {
    let mut app = loaded_with(session(), (120, 14), calls(0..5));
    let effects = app.update(key(KeyCode::Char('V')));
    assert!(list_fetches(&effects).is_empty(), "{effects:?}");
    assert_eq!(app.tab().selected.len(), 5);
    assert!(!app.tab().selecting_all);
}

// ---- 5. bulk handled and undo ----

/// The server's copy after a PUT: handled, newer, and (like the PUT body) with every field.
fn handled_copy(i: usize) -> VoiceCall {
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

fn uid_index(uid: &str) -> usize {
    uid.trim_start_matches("call-").parse().expect("call uid")
}

#[test]
fn bulk_handled_runs_four_at_a_time_checks_each_and_reports_failures() {
    let mut app = loaded_with(bulk_session(), (120, 14), calls(0..6));
    app.update(key(KeyCode::Char('V')));
    assert_eq!(app.tab().selected.len(), 6);

    let effects = app.update(key(KeyCode::Char('h')));
    let sends = batch_sends(&effects);
    assert_eq!(effects.len(), 4, "four calls go out first: {effects:?}");
    assert_eq!(uids_of(&sends), vec![uid(0), uid(1), uid(2), uid(3)]);
    assert_eq!(app.batch().map(|b| b.kind), Some(BatchKind::Handled));
    assert!(app.busy());
    // Each carries the handled body and the version the change is based on.
    let body = &sends[0].body;
    assert_eq!(body["status"], "MISSED_CALL_HANDLED");
    assert_eq!(body["handled_by_staff_uid"], "staff-ana");
    assert_eq!(body["rate"], "0.05");
    assert_eq!(body["price"], "1.50");
    assert_eq!(body["provider"], "VONAGE");
    assert_eq!(body["recording_id"], "rec-default");
    assert_eq!(sends[0].expected, call(0).updated_at);

    // call 0: still as loaded → saved; its slot goes to the next queued call.
    let out = app.update(checked(&sends[0], Ok(call(0)), Ok(handled_copy(0))));
    let s4 = batch_sends(&out);
    assert_eq!(uids_of(&s4), vec![uid(4)], "{out:?}");
    assert_eq!(
        app.list()
            .find(&uid(0))
            .and_then(|c| c.status.as_ref())
            .map(Status::as_str),
        Some("MISSED_CALL_HANDLED")
    );

    // call 1: changed by someone else → not saved, and the row shows their version.
    let mut theirs = call(1);
    theirs.updated_at = Some(THEIRS_AT.into());
    theirs.call_summary = Some("they changed it".into());
    let out = app.update(checked(&sends[1], Ok(theirs), Ok(handled_copy(1))));
    let s5 = batch_sends(&out);
    assert_eq!(uids_of(&s5), vec![uid(5)]);
    assert_eq!(
        app.list()
            .find(&uid(1))
            .and_then(|c| c.call_summary.as_deref()),
        Some("they changed it"),
        "the row shows their version"
    );
    let why: Vec<(String, String)> = app
        .batch()
        .expect("batch")
        .failures()
        .map(|(u, w)| (u.to_string(), w.to_string()))
        .collect();
    assert_eq!(why.len(), 1, "{why:?}");
    assert_eq!(why[0].0, uid(1));
    assert!(why[0].1.starts_with("changed on the server"), "{why:?}");

    // call 2's PUT fails; nothing is left to start.
    let out = app.update(checked(
        &sends[2],
        Ok(call(2)),
        Err(server_error(500, "boom")),
    ));
    assert!(batch_sends(&out).is_empty(), "{out:?}");

    app.update(checked(&sends[3], Ok(call(3)), Ok(handled_copy(3))));
    app.update(checked(&s4[0], Ok(call(4)), Ok(handled_copy(4))));
    assert!(app.batch().is_some_and(|b| b.running()));
    app.update(checked(&s5[0], Ok(call(5)), Ok(handled_copy(5))));

    let batch = app.batch().expect("the batch is kept");
    assert!(!batch.running());
    assert_eq!(batch.progress(), "handled 4/6, 2 failed");
    let failed: BTreeSet<&str> = batch.failures().map(|(u, _)| u).collect();
    assert_eq!(
        failed,
        [uid(1).as_str(), uid(2).as_str()].into_iter().collect()
    );
    assert_eq!(app.overlay(), Overlay::Failures);
    assert_eq!(
        selection(&app),
        vec![uid(1), uid(2)],
        "the failed calls stay selected"
    );
    assert!(!app.busy());

    // Esc closes the failures; u undoes the four that were done.
    app.update(key(KeyCode::Esc));
    assert_eq!(app.overlay(), Overlay::None);
    let effects = app.update(key(KeyCode::Char('u')));
    let sends = batch_sends(&effects);
    assert_eq!(
        uids_of(&sends).into_iter().collect::<BTreeSet<_>>(),
        [uid(0), uid(3), uid(4), uid(5)].into_iter().collect(),
        "{effects:?}"
    );
    assert_eq!(app.batch().map(|b| b.kind), Some(BatchKind::Undo));
    for sent in &sends {
        let i = uid_index(&sent.uid);
        assert_eq!(
            sent.body["status"],
            call(i)
                .status
                .as_ref()
                .map(Status::as_str)
                .unwrap_or_default(),
            "the old status goes back"
        );
        assert!(
            sent.body
                .get("handled_by_staff_uid")
                .is_none_or(Value::is_null),
            "handled by is cleared: {}",
            sent.body
        );
        assert_eq!(sent.expected, handled_copy(i).updated_at);
        let mut back = call(i);
        back.updated_at = Some("2026-11-24T15:00:02+00:00".into());
        app.update(checked(sent, Ok(handled_copy(i)), Ok(back)));
    }
    let batch = app.batch().expect("undo batch kept");
    assert_eq!(batch.progress(), "undone 4/4");
    assert_eq!(
        app.list()
            .find(&uid(0))
            .and_then(|c| c.status.as_ref())
            .map(Status::as_str),
        Some("MISSED")
    );
    assert_eq!(app.notice(), Some("undone 4/4"));
}

/// The save policy's "already holds it" is the bulk's too, as it is the form's: an earlier
/// try that got no answer landed after all, so nothing is sent and the call is done (and
/// undoable), not reported as someone else's change.
#[test]
fn a_bulk_call_already_as_the_change_makes_it_is_done_without_a_put() {
    let mut app = loaded_with(bulk_session(), (120, 14), calls(0..2));
    app.update(key(KeyCode::Char('V')));
    let sends = batch_sends(&app.update(key(KeyCode::Char('h'))));
    assert_eq!(uids_of(&sends), vec![uid(0), uid(1)]);
    let msg = checked(
        &sends[0],
        Ok(handled_copy(0)),
        Err(server_error(500, "never sent")),
    );
    assert!(
        matches!(
            &msg,
            Msg::CheckedAndPut {
                outcome: Outcome::AlreadyHolds,
                ..
            }
        ),
        "{msg:?}"
    );
    app.update(msg);
    app.update(checked(&sends[1], Ok(call(1)), Ok(handled_copy(1))));
    assert_eq!(
        app.batch().map(Batch::progress).as_deref(),
        Some("handled 2/2")
    );
    assert_eq!(app.notice(), Some("handled 2/2 — u undoes"));
    let undo = batch_sends(&app.update(key(KeyCode::Char('u'))));
    assert_eq!(uids_of(&undo), vec![uid(0), uid(1)], "both are undoable");
    assert_eq!(undo[0].expected, handled_copy(0).updated_at);
}

#[test]
fn bulk_undo_works_when_the_server_does_not_echo_the_unsent_fields() {
    let mut app = loaded_with(bulk_session(), (120, 14), calls(0..2));
    app.update(key(KeyCode::Char('V')));
    let sends = batch_sends(&app.update(key(KeyCode::Char('h'))));
    assert_eq!(sends.len(), 2);
    for sent in &sends {
        let i = uid_index(&sent.uid);
        // The API's read object: handled, but without rate, price, provider, recording_id.
        let mut c = call(i);
        c.status = Some(Status("MISSED_CALL_HANDLED".into()));
        c.handled_by_staff_uid = Some("staff-ana".into());
        c.updated_at = Some(LATER.into());
        app.update(checked(sent, Ok(call(i)), Ok(c)));
    }
    assert_eq!(
        app.batch().map(|b| b.progress()).as_deref(),
        Some("handled 2/2")
    );
    let effects = app.update(key(KeyCode::Char('u')));
    let batch = app.batch().expect("undo batch");
    assert_eq!(batch.kind, BatchKind::Undo);
    assert_eq!(
        batch.failures().count(),
        0,
        "{:?}",
        batch.failures().collect::<Vec<_>>()
    );
    assert_eq!(batch_sends(&effects).len(), 2, "{effects:?}");
}

#[test]
fn over_ten_selected_asks_first_and_n_sends_nothing() {
    let mut app = loaded_with(bulk_session(), (120, 30), calls(0..12));
    app.update(key(KeyCode::Char('V')));
    assert_eq!(app.tab().selected.len(), 12);
    let effects = app.update(key(KeyCode::Char('h')));
    assert!(effects.is_empty(), "{effects:?}");
    match app.prompt() {
        Some(Prompt::ConfirmBatch { batch }) => assert_eq!(batch.items.len(), 12),
        other => panic!("confirm expected, got {other:?}"),
    }
    assert!(app.update(key(KeyCode::Char('n'))).is_empty());
    assert!(app.prompt().is_none());
    assert!(app.batch().is_none(), "nothing started");
    assert_eq!(app.tab().selected.len(), 12, "the selection stays");

    app.update(key(KeyCode::Char('h')));
    // Another key leaves the question up.
    assert!(app.update(key(KeyCode::Char('x'))).is_empty());
    assert!(matches!(app.prompt(), Some(Prompt::ConfirmBatch { .. })));
    let effects = app.update(key(KeyCode::Char('y')));
    assert!(app.prompt().is_none());
    assert_eq!(batch_sends(&effects).len(), 4, "{effects:?}");
    assert_eq!(effects.len(), 4);
    assert_eq!(app.batch().map(|b| b.items.len()), Some(12));
}

#[test]
fn without_defaults_a_fill_in_prompt_asks_for_the_missing_fields_first() {
    let mut session = session();
    session.config.staff_uid = Some("staff-ana".into());
    let mut app = loaded_with(session, (120, 14), calls(0..3));
    app.update(key(KeyCode::Char('V')));
    let effects = app.update(key(KeyCode::Char('h')));
    assert!(effects.is_empty(), "{effects:?}");
    match app.prompt() {
        Some(Prompt::FillIn { fields, inputs, .. }) => {
            assert_eq!(
                fields,
                &vec![FieldId::Rate, FieldId::Price, FieldId::RecordingId],
                "provider has its only value already"
            );
            assert_eq!(inputs.len(), 3);
        }
        other => panic!("fill-in expected, got {other:?}"),
    }
    assert!(app.batch().is_none());

    // A bad rate keeps the prompt with a message.
    type_str(&mut app, "abc");
    app.update(key(KeyCode::Tab));
    type_str(&mut app, "1.50");
    app.update(key(KeyCode::Tab));
    type_str(&mut app, "rec-9");
    assert!(app.update(key(KeyCode::Enter)).is_empty());
    match app.prompt() {
        Some(Prompt::FillIn { error, focus, .. }) => {
            assert!(
                error.as_deref().is_some_and(|e| e.contains("rate")),
                "{error:?}"
            );
            assert_eq!(*focus, 0);
        }
        other => panic!("fill-in expected, got {other:?}"),
    }
    for _ in 0..3 {
        app.update(key(KeyCode::Backspace));
    }
    type_str(&mut app, "0.07");
    let effects = app.update(key(KeyCode::Enter));
    assert!(app.prompt().is_none());
    let sends = batch_sends(&effects);
    assert_eq!(sends.len(), 3, "{effects:?}");
    assert_eq!(
        app.session().config.defaults.get(FieldId::Rate),
        Some("0.07"),
        "kept for the session"
    );
    let body = &sends[0].body;
    assert_eq!(body["rate"], "0.07");
    assert_eq!(body["price"], "1.50");
    assert_eq!(body["recording_id"], "rec-9");
}

#[test]
fn h_while_a_bulk_action_runs_starts_nothing_more() {
    let mut app = loaded_with(bulk_session(), (120, 14), calls(0..3));
    app.update(key(KeyCode::Char('V')));
    assert_eq!(batch_sends(&app.update(key(KeyCode::Char('h')))).len(), 3);
    app.update(key(KeyCode::Char('V')));
    assert!(app.update(key(KeyCode::Char('h'))).is_empty());
    assert!(app.notice().is_some_and(|n| n.contains("still running")));
}

#[test]
fn failures_stay_selected_in_the_tab_the_batch_ran_in() {
    let mut app = loaded_with(bulk_session(), (120, 14), calls(0..2));
    app.update(key(KeyCode::Char('V')));
    let sends = batch_sends(&app.update(key(KeyCode::Char('h'))));
    let effects = app.update(key(KeyCode::Char('2')));
    let (req, _) = list_fetch(&effects);
    app.update(page_loaded(req, 1, calls(10..12)));
    // call 0 saved; call 1 gone from the server, so never sent.
    app.update(checked(&sends[0], Ok(call(0)), Ok(handled_copy(0))));
    app.update(checked(
        &sends[1],
        Err(server_error(404, "gone")),
        Ok(handled_copy(1)),
    ));
    assert_eq!(
        app.batch().map(|b| b.progress()).as_deref(),
        Some("handled 1/2, 1 failed")
    );
    assert!(
        app.tab().selected.is_empty(),
        "tab 2 had nothing to do with it"
    );
    app.update(key(KeyCode::Esc));
    app.update(key(KeyCode::Char('1')));
    assert_eq!(selection(&app), vec![uid(1)]);
}

// ---- 6. transcript ----

#[test]
fn the_detail_pane_fetches_the_transcript_and_polls_while_in_progress() {
    let mut app = loaded_with(session(), (160, 40), calls(0..5));
    let effects = app.update(key(KeyCode::Enter));
    assert!(app.detail_open());
    let fetches = transcript_fetches(&effects);
    assert_eq!(fetches.len(), 1, "{effects:?}");
    let (req, u) = fetches[0].clone();
    assert_eq!(u, uid(0));
    assert!(matches!(app.transcript(), Some((u, Remote::Loading { .. })) if *u == uid(0)));

    let effects = app.update(transcript(req, &uid(0), "IN_PROGRESS"));
    assert_eq!(
        effects,
        vec![Effect::ScheduleTranscript {
            uid: uid(0),
            delay: Duration::from_secs(5)
        }]
    );
    let effects = app.update(Msg::TranscriptDue { uid: uid(0) });
    let again = transcript_fetches(&effects);
    assert_eq!(again.len(), 1, "{effects:?}");
    assert_eq!(again[0].1, uid(0));
    assert_ne!(again[0].0, req, "a new request");

    let effects = app.update(transcript(again[0].0, &uid(0), "DONE"));
    assert!(effects.is_empty(), "DONE stops the polling: {effects:?}");
    assert!(
        app.update(Msg::TranscriptDue { uid: uid(0) }).is_empty(),
        "a timer left over asks for nothing"
    );
    match app.transcript() {
        Some((u, Remote::Loaded(t))) => {
            assert_eq!(*u, uid(0));
            assert_eq!(t.status.as_deref(), Some("DONE"));
        }
        other => panic!("loaded transcript expected, got {other:?}"),
    }
}

#[test]
fn a_failed_transcript_is_kept_as_loaded_with_its_status() {
    let mut app = loaded_with(session(), (160, 40), calls(0..5));
    let (req, _) = transcript_fetches(&app.update(key(KeyCode::Enter)))[0].clone();
    let effects = app.update(transcript(req, &uid(0), "FAILED"));
    assert!(effects.is_empty(), "no polling: {effects:?}");
    match app.transcript() {
        Some((u, Remote::Loaded(t))) => {
            assert_eq!(*u, uid(0));
            assert_eq!(t.status.as_deref(), Some("FAILED"));
        }
        other => panic!("loaded transcript expected, got {other:?}"),
    }
    assert!(app.update(Msg::TranscriptDue { uid: uid(0) }).is_empty());
}

#[test]
fn moving_on_drops_a_stale_transcript_answer() {
    let mut app = loaded_with(session(), (160, 40), calls(0..5));
    let (first, _) = transcript_fetches(&app.update(key(KeyCode::Enter)))[0].clone();
    let effects = app.update(key(KeyCode::Char('j')));
    let moved = transcript_fetches(&effects);
    assert_eq!(moved.len(), 1, "{effects:?}");
    assert_eq!(moved[0].1, uid(1));

    let effects = app.update(transcript(first, &uid(0), "DONE"));
    assert!(effects.is_empty());
    assert!(
        matches!(app.transcript(), Some((u, Remote::Loading { req })) if *u == uid(1) && *req == moved[0].0),
        "{:?}",
        app.transcript()
    );
    // A poll for a call no longer shown asks for nothing either.
    assert!(app.update(Msg::TranscriptDue { uid: uid(0) }).is_empty());

    app.update(transcript(moved[0].0, &uid(1), "DONE"));
    assert!(matches!(app.transcript(), Some((u, Remote::Loaded(_))) if *u == uid(1)));
}

#[test]
fn a_closed_detail_pane_stops_polling() {
    let mut app = loaded_with(session(), (160, 40), calls(0..5));
    let (req, _) = transcript_fetches(&app.update(key(KeyCode::Enter)))[0].clone();
    app.update(transcript(req, &uid(0), "IN_PROGRESS"));
    app.update(key(KeyCode::Enter));
    assert!(!app.detail_open());
    assert!(app.update(Msg::TranscriptDue { uid: uid(0) }).is_empty());
}

// ---- 7. refresh ----

fn refreshing_session(bell: bool) -> Session {
    let mut session = session();
    session.config.refresh_secs = 30;
    session.config.bell_on_new_missed = bell;
    session
}

/// Ticks until the refresh timer fires; returns the refresh request.
fn timer_refresh(app: &mut App) -> RequestId {
    let early = app.update(Msg::Tick(now() + chrono::TimeDelta::seconds(29)));
    assert!(list_fetches(&early).is_empty(), "not yet: {early:?}");
    let effects = app.update(Msg::Tick(now() + chrono::TimeDelta::seconds(30)));
    let (req, query) = list_fetch(&effects);
    assert_eq!(query.page, 1);
    assert_eq!(filter_of(&query, "status", None), Some(FOLLOW_UP));
    req
}

#[test]
fn the_refresh_timer_merges_new_calls_and_keeps_the_selected_call_on_its_line() {
    let mut app = loaded_with(refreshing_session(false), (120, 14), calls(0..20));
    for _ in 0..3 {
        app.update(key(KeyCode::Char('j')));
    }
    app.update(key(KeyCode::Char(' '))); // select call 3, cursor to call 4
    let line = app.list().selected_index() - app.list().offset();
    assert_eq!(selected_uid(&app), Some(uid(4)));

    let req = timer_refresh(&mut app);
    let mut fresh = vec![call(100), call(101)];
    fresh.extend(calls(0..18));
    let effects = app.update(page_loaded(req, 1, fresh));
    assert!(!effects.contains(&Effect::Bell), "bell is off");
    assert_eq!(app.list().calls()[0].uid.as_deref(), Some("call-0100"));
    assert_eq!(app.list().len(), 22);
    assert_eq!(
        selected_uid(&app),
        Some(uid(4)),
        "the same call stays selected"
    );
    assert_eq!(
        app.list().selected_index() - app.list().offset(),
        line,
        "on the same screen line"
    );
    assert_eq!(selection(&app), vec![uid(3)], "the selection is kept");
    let new: BTreeSet<&str> = app.tab().new_uids.iter().map(String::as_str).collect();
    assert_eq!(new, ["call-0100", "call-0101"].into_iter().collect());
    assert!(app.notice().is_some_and(|n| n.starts_with("2 new calls")));

    // The timer starts again from the refresh.
    let later = app.update(Msg::Tick(now() + chrono::TimeDelta::seconds(45)));
    assert!(list_fetches(&later).is_empty(), "{later:?}");
    let again = app.update(Msg::Tick(now() + chrono::TimeDelta::seconds(60)));
    assert_eq!(list_fetches(&again).len(), 1, "{again:?}");
}

#[test]
fn a_new_missed_call_rings_the_bell_when_asked() {
    let mut app = loaded_with(refreshing_session(true), (120, 14), calls(0..5));
    let req = timer_refresh(&mut app);
    let mut fresh = vec![call_with(100, "MISSED")];
    fresh.extend(calls(0..5));
    let effects = app.update(page_loaded(req, 1, fresh));
    assert!(effects.contains(&Effect::Bell), "{effects:?}");
    assert!(app.tab().new_uids.contains("call-0100"));
}

#[test]
fn no_bell_when_nothing_new_was_missed() {
    let mut app = loaded_with(refreshing_session(true), (120, 14), calls(0..5));
    let req = timer_refresh(&mut app);
    let effects = app.update(page_loaded(req, 1, calls(0..5)));
    assert!(!effects.contains(&Effect::Bell), "{effects:?}");
    assert!(app.tab().new_uids.is_empty());
}

#[test]
fn refresh_secs_zero_never_refreshes() {
    let mut app = loaded_with(session(), (120, 14), calls(0..5));
    let effects = app.update(Msg::Tick(now() + chrono::TimeDelta::hours(3)));
    assert!(list_fetches(&effects).is_empty(), "{effects:?}");
}

// ---- 8. search ----

/// Calls 2, 5 and 8 are from London numbers; the rest from San Francisco.
fn searchable() -> Vec<VoiceCall> {
    let mut list = calls(0..10);
    for (n, i) in [2, 5, 8].into_iter().enumerate() {
        list[i].from_number = Some(format!("+44207946000{}", n + 1));
    }
    list
}

#[test]
fn typing_a_number_in_the_search_bar_selects_the_matching_call() {
    let mut app = loaded_with(session(), (120, 14), searchable());
    assert!(app.update(key(KeyCode::Char('/'))).is_empty());
    assert!(matches!(app.bar(), Some(Bar::Search { .. })));
    type_str(&mut app, "+442079460002");
    assert_eq!(selected_uid(&app), Some(uid(5)));
    assert_eq!(app.search().matches().len(), 1);
    assert_eq!(app.search().pattern(), "+442079460002");
}

#[test]
fn n_and_capital_n_walk_the_matches_and_esc_in_the_bar_clears_the_pattern() {
    let mut app = loaded_with(session(), (120, 14), searchable());
    app.update(key(KeyCode::Char('/')));
    type_str(&mut app, "2079460");
    assert_eq!(app.search().matches().len(), 3);
    let first = app.list().selected_index();
    assert!([2, 5, 8].contains(&first), "{first}");
    app.update(key(KeyCode::Enter));
    assert!(app.bar().is_none(), "Enter closes the bar");
    assert_eq!(app.search().pattern(), "2079460", "the pattern stays");

    let mut visited = vec![first];
    for _ in 0..2 {
        app.update(key(KeyCode::Char('n')));
        visited.push(app.list().selected_index());
    }
    let distinct: BTreeSet<usize> = visited.iter().copied().collect();
    assert_eq!(distinct, [2, 5, 8].into_iter().collect(), "{visited:?}");
    app.update(key(KeyCode::Char('n')));
    assert_eq!(app.list().selected_index(), first, "n wraps around");
    app.update(key(KeyCode::Char('N')));
    assert_eq!(app.list().selected_index(), visited[2], "N goes back");
    app.update(key(KeyCode::Char('N')));
    assert_eq!(app.list().selected_index(), visited[1]);

    app.update(key(KeyCode::Char('/')));
    match app.bar() {
        Some(Bar::Search { input }) => assert_eq!(input.value(), "2079460"),
        other => panic!("search bar expected, got {other:?}"),
    }
    app.update(key(KeyCode::Esc));
    assert!(app.bar().is_none());
    assert_eq!(app.search().pattern(), "");
    assert!(app.search().matches().is_empty());
    let at = app.list().selected_index();
    app.update(key(KeyCode::Char('n')));
    assert_eq!(app.list().selected_index(), at, "no search, no move");
    assert_eq!(app.notice(), Some("no search: / starts one"));
}

#[test]
fn a_search_with_no_match_leaves_the_cursor() {
    let mut app = loaded_with(session(), (120, 14), searchable());
    app.update(key(KeyCode::Char('j')));
    app.update(key(KeyCode::Char('/')));
    type_str(&mut app, "zzzq");
    assert!(app.search().matches().is_empty());
    assert_eq!(app.list().selected_index(), 1);
}

// ---- 9. request log ----

#[test]
fn every_answer_is_logged_and_l_opens_the_log() {
    let (mut app, effects) = start(session(), (120, 14));
    assert!(app.log().is_empty());
    let (page_req, _) = list_fetch(&effects);
    let stats_req = stats_fetch(&effects).expect("stats");
    let (oldest_req, _) = oldest_fetch(&effects).expect("oldest");
    app.update(page_loaded(page_req, 1, calls(0..3)));
    app.update(Msg::StatsLoaded {
        req: stats_req,
        answer: answer(
            Method::GET,
            "/v3/communication/voice_calls/stats",
            Err(server_error(503, "try later")),
        ),
    });
    app.update(Msg::PageLoaded {
        req: oldest_req,
        page: 1,
        answer: answer(
            Method::GET,
            "/v3/communication/voice_calls?page=1&per_page=1&sort=created_at:asc",
            Ok(CallPage::default()),
        ),
    });
    let log: Vec<(Method, String, Option<u16>, bool)> = app
        .log()
        .iter()
        .map(|e| {
            (
                e.exchange.method.clone(),
                e.exchange.path.clone(),
                e.exchange.status,
                e.error.is_some(),
            )
        })
        .collect();
    assert_eq!(
        log,
        vec![
            (Method::GET, list_path(1), Some(200), false),
            (
                Method::GET,
                "/v3/communication/voice_calls/stats".to_string(),
                Some(503),
                true
            ),
            (
                Method::GET,
                "/v3/communication/voice_calls?page=1&per_page=1&sort=created_at:asc".to_string(),
                Some(200),
                false
            ),
        ]
    );
    assert!(app.log().iter().all(|e| e.at == now()));
    assert!(
        matches!(app.tab_count(0), Some(n) if n == "3"),
        "counts failed: the list's own"
    );
    assert!(app.oldest_unhandled().is_none(), "nobody waiting");

    assert!(app.update(key(KeyCode::Char('L'))).is_empty());
    assert_eq!(app.overlay(), Overlay::Log { scroll: 0 });
    app.update(key(KeyCode::Char('k')));
    assert_eq!(app.overlay(), Overlay::Log { scroll: 1 });
    app.update(key(KeyCode::Char('x')));
    assert_eq!(app.overlay(), Overlay::None);
}

#[test]
fn bulk_requests_are_logged_with_their_method() {
    let mut app = loaded_with(bulk_session(), (120, 14), calls(0..1));
    app.update(key(KeyCode::Char(' ')));
    // The only call, selected: h acts on the selection.
    let sends = batch_sends(&app.update(key(KeyCode::Char('h'))));
    assert_eq!(sends.len(), 1);
    let before = app.log().len();
    app.update(checked(&sends[0], Ok(call(0)), Ok(handled_copy(0))));
    let methods: Vec<Method> = app
        .log()
        .iter()
        .skip(before)
        .map(|e| e.exchange.method.clone())
        .collect();
    assert_eq!(methods, vec![Method::GET, Method::PUT]);
}

#[test]
fn an_answer_for_a_call_the_batch_is_not_waiting_for_changes_nothing() {
    let mut app = loaded_with(bulk_session(), (120, 14), calls(0..1));
    app.update(key(KeyCode::Char(' ')));
    let sends = batch_sends(&app.update(key(KeyCode::Char('h'))));
    app.update(checked(&sends[0], Ok(call(0)), Ok(handled_copy(0))));
    assert_eq!(app.notice(), Some("handled 1/1 — u undoes"));
    app.update(key(KeyCode::Esc));
    let notice = app.notice().map(str::to_string);
    // The same answer again, as for a request the batch is not waiting for.
    let out = app.update(checked(&sends[0], Ok(call(0)), Ok(handled_copy(0))));
    assert!(out.is_empty(), "the batch is not finished again: {out:?}");
    assert_eq!(app.notice().map(str::to_string), notice);
    assert_eq!(app.overlay(), Overlay::None);
}

// ---- one store: every view sees one copy; undo from before- and after-images ----

/// Two views list the same calls; a save through one of them is what both show, and the call
/// is held once.
#[test]
fn a_save_is_seen_by_every_view_from_one_copy() {
    let mut app = loaded_with(bulk_session(), (120, 14), calls(0..4));
    let effects = app.update(key(KeyCode::Char('2')));
    let (req, query) = list_fetch(&effects);
    app.update(page_loaded(req, query.page, calls(0..4)));
    assert_eq!(
        app.store().len(),
        4,
        "the calls both views list are held once"
    );

    // Mark call 1 handled from the All view.
    app.update(key(KeyCode::Char('j')));
    app.update(key(KeyCode::Char(' ')));
    let effects = app.update(key(KeyCode::Char('h')));
    let sends = batch_sends(&effects);
    assert_eq!(uids_of(&sends), vec![uid(1)]);
    app.update(checked(&sends[0], Ok(call(1)), Ok(handled_copy(1))));

    for view in [app.view(0), app.view(1)] {
        let status = view.find(&uid(1)).and_then(|c| c.status.clone());
        assert_eq!(
            status.as_ref().map(Status::as_str),
            Some("MISSED_CALL_HANDLED"),
            "every view shows the saved copy"
        );
    }
    assert_eq!(app.store().len(), 4);
}

/// Select two, `h`, a refresh drops them from Needs follow-up, and another view's load frees
/// them from the store: `u` still undoes both, based on what the change made of them.
#[test]
fn undo_works_after_the_calls_left_every_view() {
    let mut app = loaded_with(bulk_session(), (120, 14), calls(0..4));
    app.update(key(KeyCode::Char(' ')));
    app.update(key(KeyCode::Char(' ')));
    let effects = app.update(key(KeyCode::Char('h')));
    let sends = batch_sends(&effects);
    assert_eq!(uids_of(&sends), vec![uid(0), uid(1)]);
    for (i, sent) in sends.iter().enumerate() {
        app.update(checked(sent, Ok(call(i)), Ok(handled_copy(i))));
    }
    // The refresh: the server no longer lists them here.
    let effects = app.update(key(KeyCode::Char('r')));
    let (req, _) = list_fetch(&effects);
    app.update(page_loaded(req, 1, calls(2..4)));
    assert!(app.list().find(&uid(0)).is_none() && app.list().find(&uid(1)).is_none());
    // Another view loads from scratch: calls no view lists are forgotten.
    let effects = app.update(key(KeyCode::Char('6')));
    let (req, query) = list_fetch(&effects);
    app.update(page_loaded(req, query.page, Vec::new()));
    app.update(key(KeyCode::Char('1')));
    assert!(app.store().by_uid(&uid(0)).is_none(), "no longer held");

    let effects = app.update(key(KeyCode::Char('u')));
    let sends = batch_sends(&effects);
    assert_eq!(uids_of(&sends), vec![uid(0), uid(1)], "{effects:?}");
    for sent in &sends {
        let i = uid_index(&sent.uid);
        let old = call(i).status.map(|s| s.as_str().to_string());
        assert_eq!(
            sent.body["status"].as_str(),
            old.as_deref(),
            "the old status goes back"
        );
        assert_eq!(
            sent.expected,
            handled_copy(uid_index(&sent.uid)).updated_at,
            "only while the server holds what the change made"
        );
    }
}

/// An undo the server did not take (it was down) stays on the history: `u` tries it again.
/// One someone else changed since is dropped, since undoing it would overwrite them.
#[test]
fn a_failed_undo_stays_undoable() {
    let mut app = loaded_with(bulk_session(), (120, 14), calls(0..4));
    app.update(key(KeyCode::Char(' ')));
    app.update(key(KeyCode::Char(' ')));
    let sends = batch_sends(&app.update(key(KeyCode::Char('h'))));
    for (i, sent) in sends.iter().enumerate() {
        app.update(checked(sent, Ok(call(i)), Ok(handled_copy(i))));
    }
    let undo = batch_sends(&app.update(key(KeyCode::Char('u'))));
    assert_eq!(undo.len(), 2);
    // Call 0: the server is down. Call 1: a colleague changed it since.
    app.update(checked(
        &undo[0],
        Err(server_error(503, "down")),
        Ok(call(0)),
    ));
    let mut theirs = handled_copy(1);
    theirs.updated_at = Some("2026-11-24T15:30:00+00:00".into());
    app.update(checked(&undo[1], Ok(theirs), Ok(call(1))));
    assert!(!app.batch().is_some_and(|b| b.running()));
    assert!(
        app.notice().is_some_and(|n| n.contains("u tries")),
        "{:?}",
        app.notice()
    );
    app.update(key(KeyCode::Esc));

    // One call left: undone on its own, with the same check.
    let effects = app.update(key(KeyCode::Char('u')));
    let fetched: Vec<(RequestId, String)> = effects
        .iter()
        .filter_map(|e| match e {
            Effect::FetchCall { req, uid } => Some((*req, uid.clone())),
            _ => None,
        })
        .collect();
    assert_eq!(fetched.len(), 1, "{effects:?}");
    assert_eq!(fetched[0].1, uid(0), "only the one not undone");
    let path = call_path(&uid(0));
    let effects = app.update(Msg::CallFetched {
        req: fetched[0].0,
        answer: answer(Method::GET, &path, Ok(handled_copy(0))),
    });
    let put = effects
        .iter()
        .find_map(|e| match e {
            Effect::PutCall { req, .. } => Some(*req),
            _ => None,
        })
        .expect("the undo is sent");
    app.update(Msg::Saved {
        req: put,
        answer: answer(Method::PUT, &path, Ok(call(0))),
    });
    app.update(key(KeyCode::Char('u')));
    assert_eq!(app.notice(), Some("nothing to undo"));
}

/// A bulk action that ends with failures while the form is open does not open the failures
/// window over the form: the form keeps the keys and is what is drawn; the notice says where
/// the failed calls are.
#[test]
fn the_failures_window_never_opens_over_a_form() {
    let mut app = loaded_with(bulk_session(), (120, 30), calls(0..4));
    app.update(key(KeyCode::Char(' ')));
    app.update(key(KeyCode::Char(' ')));
    let sends = batch_sends(&app.update(key(KeyCode::Char('h'))));
    assert_eq!(sends.len(), 2);
    app.update(key(KeyCode::Char('e')));
    assert!(app.form().is_some(), "the form opens while the batch runs");
    app.update(checked(&sends[0], Ok(call(0)), Ok(handled_copy(0))));
    app.update(checked(
        &sends[1],
        Err(server_error(503, "down")),
        Ok(call(1)),
    ));
    assert!(!app.batch().is_some_and(|b| b.running()));
    assert_eq!(app.overlay(), Overlay::None, "not drawn over the form");
    assert!(matches!(app.mode(), Mode::Form(_)));
    assert!(
        app.notice().is_some_and(|n| n.contains("1 failed")),
        "{:?}",
        app.notice()
    );
    // Keys still go to the form: typing edits it rather than acting on the list.
    let before = app.form().map(|f| f.is_dirty());
    app.update(key(KeyCode::Char('x')));
    assert_ne!(
        app.form().map(|f| f.is_dirty()),
        before,
        "the form took the key"
    );
    let text = crate::test_support::screen_text(&crate::test_support::draw(&app, 120, 30));
    assert!(!text.contains("not changed"), "no failures window: {text}");
}

/// A prompt is asked over the form and gives it back when answered.
#[test]
fn a_prompt_over_the_form_gives_it_back() {
    let mut app = loaded_with(bulk_session(), (120, 30), calls(0..2));
    app.update(key(KeyCode::Char('e')));
    assert!(app.form().is_some());
    app.ask(Prompt::ConfirmBatch {
        batch: Box::new(Batch {
            kind: BatchKind::Handled,
            items: Vec::new(),
            tab: 0,
        }),
    });
    assert!(
        app.prompt().is_some() && app.form().is_some(),
        "both, one over the other"
    );
    app.update(key(KeyCode::Esc));
    assert!(app.prompt().is_none());
    assert!(matches!(app.mode(), Mode::Form(_)), "the form is back");
}

/// A call without a transcript (404) is not an error: the pane says so, dimmed, and the
/// status bar keeps what it showed. Another failure is an error in both.
#[test]
fn a_call_without_a_transcript_is_not_an_error() {
    let mut app = loaded_with(session(), (160, 40), calls(0..5));
    let (req, _) = transcript_fetches(&app.update(key(KeyCode::Enter)))[0].clone();
    let path = format!("/v3/communication/voice_calls/{}/transcript", uid(0));
    app.update(Msg::TranscriptLoaded {
        req,
        uid: uid(0),
        answer: answer(
            Method::GET,
            &path,
            Err::<Transcript, _>(server_error(404, "voice call has no transcript")),
        ),
    });
    assert!(matches!(app.transcript(), Some((_, Remote::Failed(e))) if e.status() == Some(404)));
    assert!(
        app.last_request().is_none_or(|r| r.error.is_none()),
        "the status bar shows no error: {:?}",
        app.last_request()
    );
    let text = crate::test_support::screen_text(&crate::test_support::draw(&app, 160, 40));
    assert!(text.contains("no transcript for this call"), "{text}");

    let (req, _) = transcript_fetches(&app.update(key(KeyCode::Char('j'))))[0].clone();
    let path = format!("/v3/communication/voice_calls/{}/transcript", uid(1));
    app.update(Msg::TranscriptLoaded {
        req,
        uid: uid(1),
        answer: answer(
            Method::GET,
            &path,
            Err::<Transcript, _>(server_error(500, "boom")),
        ),
    });
    assert!(app.last_request().is_some_and(|r| r.error.is_some()));
}

/// A reply whose id the console never gave out, or gave out for something else, changes
/// nothing: it is routed by its id, and only logged.
#[test]
fn a_reply_is_routed_by_its_request_id() {
    let mut app = loaded_with(session(), (120, 30), calls(0..5));
    let before = app.list().len();
    let stranger = RequestId(9_999);
    app.update(page_loaded(stranger, 1, calls(10..15)));
    assert_eq!(
        app.list().len(),
        before,
        "an unknown id's page is not taken"
    );
    let logged = app.log().len();
    // The counts' report id answering as a page is not taken as a page either.
    let (_, effects) = start(session(), (120, 30));
    let counts = stats_fetch(&effects).expect("counts asked");
    let (mut fresh, _) = start(session(), (120, 30));
    fresh.update(page_loaded(counts, 1, calls(0..3)));
    assert!(
        fresh.list().is_empty(),
        "a report's id does not load a page"
    );
    assert!(app.log().len() >= logged);
}
