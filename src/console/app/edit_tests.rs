//! Editing driven through `App::update`: form keys, the save pipeline (check, PUT, failures,
//! conflicts), drafts, quick actions; and `TestBackend` snapshots of the form screens.

use reqwest::Method;
use serde_json::json;

use super::*;
use crate::api::error::ServerMessage;
use crate::api::model::{Direction, Status};
use crate::api::{CallPage, Exchange};
use crate::config::Config;
use crate::console::app::{Session, UpdateFields};
use crate::console::msg::Msg;
use crate::test_support::{ctrl, draw, key, list_rows, now, screen_text, utc};

const LATER: &str = "2026-11-24T15:00:01+00:00";
const THEIRS_AT: &str = "2026-11-24T14:59:00+00:00";

fn session(staff_uid: Option<&str>, update_fields: UpdateFields) -> Session {
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
            ..Config::default()
        },
        ..Session::default()
    }
}

const STATUSES: [&str; 3] = ["MISSED", "VOICEMAIL_RECEIVED", "SOMETHING_NEW"];

/// A call as the list sends it: no rate, price, provider or recording id.
fn call(i: usize) -> VoiceCall {
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
fn full(i: usize) -> VoiceCall {
    let mut c = call(i);
    c.rate = Some("0.05".into());
    c.price = Some("1.50".into());
    c.provider = Some("VONAGE".into());
    c.recording_id = Some(format!("rec-{i}"));
    c
}

/// `c` changed by `f`.
fn with(mut c: VoiceCall, f: impl FnOnce(&mut VoiceCall)) -> VoiceCall {
    f(&mut c);
    c
}

fn answer<T>(method: Method, path: String, result: Result<T, ApiError>) -> Answer<T> {
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

fn path_of(uid: &str) -> String {
    format!("/v3/communication/voice_calls/{uid}")
}

fn server_error(status: u16, messages: &[(Option<&str>, &str)]) -> ApiError {
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
fn fetched(app: &mut App, req: RequestId, c: VoiceCall) -> Vec<Effect> {
    let path = path_of(c.uid.as_deref().unwrap_or(""));
    app.update(Msg::CallFetched {
        req,
        answer: answer(Method::GET, path, Ok(c)),
    })
}

/// The PUT answers with `result`.
fn saved(app: &mut App, req: RequestId, result: Result<VoiceCall, ApiError>) -> Vec<Effect> {
    let answer = answer(Method::PUT, path_of("call-0000"), result);
    app.update(Msg::Saved { req, answer })
}

/// An app with `calls` loaded (fewer than a page, so nothing more is asked for).
fn loaded_with(calls: Vec<VoiceCall>, session: Session, drafts: Vec<Draft>) -> App {
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

fn loaded(calls: Vec<VoiceCall>) -> App {
    loaded_with(
        calls,
        session(Some("staff-ana"), UpdateFields::All),
        Vec::new(),
    )
}

fn ch(c: char) -> Msg {
    key(KeyCode::Char(c))
}

fn type_str(app: &mut App, text: &str) {
    for c in text.chars() {
        app.update(ch(c));
    }
}

fn form(app: &App) -> &Form {
    app.form().expect("the form is open")
}

fn stage(app: &App) -> Option<&Stage> {
    app.submission().map(|s| &s.stage)
}

fn scheduled(effects: &[Effect]) -> bool {
    matches!(effects, [Effect::ScheduleDraft { delay, .. }] if *delay == DRAFT_DELAY)
}

fn delete_draft(uid: &str) -> Vec<Effect> {
    vec![Effect::DeleteDraft { uid: uid.into() }]
}

fn tab_to(app: &mut App, field: FieldId) {
    while form(app).focus() != field {
        app.update(key(KeyCode::Tab));
    }
}

/// Opens the selected call's form (unless open) and replaces its summary with `text`.
fn edit_summary(app: &mut App, text: &str) -> Vec<Effect> {
    if app.form().is_none() {
        assert!(app.update(ch('e')).is_empty());
    }
    tab_to(app, FieldId::CallSummary);
    app.update(ctrl('u'));
    app.update(Msg::Paste(text.into()))
}

fn fetch_req(effects: &[Effect], uid: &str) -> RequestId {
    match effects {
        [Effect::FetchCall { req, uid: u }] if u == uid => *req,
        other => panic!("expected one FetchCall of {uid}, got {other:?}"),
    }
}

fn put_of(effects: &[Effect]) -> (RequestId, Value) {
    match effects {
        [Effect::PutCall { req, body, .. }] => (*req, body.clone()),
        other => panic!("expected one PutCall, got {other:?}"),
    }
}

/// Ctrl-s, then the check answers with `server_copy`: the PUT's request and body.
fn submit_through_check(app: &mut App, server_copy: VoiceCall) -> (RequestId, Value) {
    let uid = server_copy.uid.clone().unwrap_or_default();
    let req = fetch_req(&app.update(ctrl('s')), &uid);
    assert!(matches!(stage(app), Some(Stage::Checking { .. })));
    put_of(&fetched(app, req, server_copy))
}

#[test]
fn form_keys_move_focus_cycle_pickers_and_keep_an_unknown_value() {
    let mut app = loaded(vec![full(0), full(1), full(2)]);
    app.update(ch('j'));
    app.update(ch('j'));
    assert!(app.update(ch('e')).is_empty());
    assert_eq!(form(&app).uid(), "call-0002");
    assert_eq!(form(&app).focus(), FieldId::StaffUid);
    app.update(key(KeyCode::Tab));
    app.update(key(KeyCode::Down));
    assert_eq!(form(&app).focus(), FieldId::FromNumber);
    app.update(key(KeyCode::BackTab));
    assert_eq!(form(&app).focus(), FieldId::ClientUid);
    // Call 2's status is not a documented one: shown as it is, not an error, sent back.
    tab_to(&mut app, FieldId::Status);
    assert_eq!(form(&app).value(FieldId::Status), "SOMETHING_NEW");
    assert_eq!(form(&app).message(FieldId::Status), None);
    let mut unchanged = app.clone();
    edit_summary(&mut unchanged, "new summary");
    let (_, body) = submit_through_check(&mut unchanged, full(2));
    assert_eq!(body["status"], "SOMETHING_NEW");
    // Cycling replaces it.
    assert!(scheduled(&app.update(key(KeyCode::Right))));
    assert_eq!(form(&app).value(FieldId::Status), "INCOMING_CALL");
    app.update(key(KeyCode::Right));
    assert_eq!(form(&app).value(FieldId::Status), "ANSWERED_BY_STAFF");
    app.update(key(KeyCode::Left));
    assert_eq!(form(&app).value(FieldId::Status), "INCOMING_CALL");
}

#[test]
fn submit_is_refused_while_invalid_and_nothing_is_sent() {
    let mut app = loaded(vec![call(0)]);
    app.update(ch('e'));
    tab_to(&mut app, FieldId::ExternalUuid);
    assert!(app.update(ctrl('s')).is_empty());
    assert!(app.submission().is_none());
    assert_eq!(form(&app).focus(), FieldId::Rate, "first broken field");
    assert_eq!(app.notice(), Some("not sent: 3 fields need fixing"));
}

#[test]
fn a_successful_save_closes_the_form_replaces_the_row_and_deletes_the_draft() {
    let mut app = loaded(vec![full(0), full(1)]);
    edit_summary(&mut app, "Rescheduled to Friday");
    let (req, body) = submit_through_check(&mut app, full(0));
    assert!(app.busy());
    assert!(matches!(stage(&app), Some(Stage::Saving { req: r }) if *r == req));
    // The contract's types: decimals stay strings, duration is a number.
    assert_eq!(body["rate"], Value::String("0.05".into()));
    assert_eq!(body["price"], Value::String("1.50".into()));
    assert_eq!(body["duration"], json!(0));
    assert_eq!(body["call_summary"], "Rescheduled to Friday");
    assert_eq!(body.as_object().map(|o| o.len()), Some(16), "no handled_by");

    let returned = with(full(0), |c| {
        c.call_summary = Some("Rescheduled to Friday".into());
        c.updated_at = Some(LATER.into());
    });
    assert_eq!(
        saved(&mut app, req, Ok(returned)),
        delete_draft("call-0000")
    );
    assert!(app.form().is_none());
    assert!(app.submission().is_none());
    assert!(!app.busy());
    let row = app.list().find("call-0000").expect("row kept");
    assert_eq!(row.call_summary.as_deref(), Some("Rescheduled to Friday"));
    assert_eq!(row.updated_at.as_deref(), Some(LATER));
    assert_eq!(app.notice(), Some("saved call call-000"));
    let screen = screen_text(&draw(&app, 120, 26));
    let status = "PUT …/voice_calls/call-0000 → 200 OK in 34 ms";
    assert!(screen.contains(status), "{screen}");
}

#[test]
fn a_422_puts_each_message_beside_its_field_and_keeps_the_values() {
    let mut app = loaded(vec![full(0)]);
    edit_summary(&mut app, "mine");
    let (req, _) = submit_through_check(&mut app, full(0));
    let error = server_error(
        422,
        &[
            (Some("to_number"), "to_number is not reachable"),
            (None, "price must not exceed 100"),
        ],
    );
    assert!(saved(&mut app, req, Err(error)).is_empty());
    let f = form(&app);
    assert_eq!(
        f.server_error(FieldId::ToNumber),
        Some("to_number is not reachable")
    );
    let named_in_text = f.server_error(FieldId::Price);
    assert_eq!(named_in_text, Some("price must not exceed 100"));
    assert_eq!(f.focus(), FieldId::ToNumber);
    assert_eq!(f.value(FieldId::CallSummary), "mine");
    assert!(app.submission().is_none());
    let notice = app.notice().unwrap_or("");
    assert!(
        notice.starts_with("the server refused the change: HTTP 422"),
        "{notice}"
    );
}

#[test]
fn a_401_or_403_says_the_token_was_rejected() {
    for status in [401, 403] {
        let mut app = loaded(vec![full(0)]);
        edit_summary(&mut app, "mine");
        let (req, _) = submit_through_check(&mut app, full(0));
        saved(
            &mut app,
            req,
            Err(server_error(status, &[(None, "invalid token")])),
        );
        let expected = format!(
            "token rejected (HTTP {status}): check CALLCONSOLE_TOKEN or token in config.toml"
        );
        assert_eq!(app.notice(), Some(expected.as_str()));
        assert_eq!(form(&app).general_errors(), [expected]);
        assert_eq!(form(&app).value(FieldId::CallSummary), "mine");
    }
}

#[test]
fn a_network_error_keeps_the_form_and_ctrl_s_retries() {
    let mut app = loaded(vec![full(0)]);
    edit_summary(&mut app, "mine");
    let (req, _) = submit_through_check(&mut app, full(0));
    assert!(saved(&mut app, req, Err(ApiError::Timeout { secs: 10 })).is_empty());
    let expected = "no answer within 10 s: the request timed out — nothing was saved; \
                    Ctrl-s tries again";
    assert_eq!(app.notice(), Some(expected));
    assert_eq!(form(&app).value(FieldId::CallSummary), "mine");
    assert!(app.submission().is_none());
    // The check itself can fail the same way.
    let req = fetch_req(&app.update(ctrl('s')), "call-0000");
    let refused = ApiError::Connect {
        host: "127.0.0.1".into(),
        detail: "refused".into(),
    };
    let answer = answer(Method::GET, path_of("call-0000"), Err(refused));
    assert!(app.update(Msg::CallFetched { req, answer }).is_empty());
    assert!(app.form().is_some());
    assert!(app.submission().is_none());
    let (_, body) = submit_through_check(&mut app, full(0));
    assert_eq!(body["call_summary"], "mine");
}

#[test]
fn an_unanswered_save_that_met_a_colleagues_change_says_so_and_keeps_the_form() {
    let mut app = loaded(vec![full(0)]);
    edit_summary(&mut app, "mine");
    let (req, _) = submit_through_check(&mut app, full(0));
    assert!(saved(&mut app, req, Err(ApiError::PutConflict)).is_empty());
    let notice = app.notice().unwrap_or_default().to_string();
    assert!(notice.contains("not overwritten"), "{notice}");
    assert!(
        !notice.contains("tries again"),
        "retrying blindly is not the advice: {notice}"
    );
    assert_eq!(form(&app).value(FieldId::CallSummary), "mine");
}

#[test]
fn an_unconfirmed_save_says_it_may_have_landed_and_keeps_the_form() {
    let mut app = loaded(vec![full(0)]);
    edit_summary(&mut app, "mine");
    let (req, _) = submit_through_check(&mut app, full(0));
    assert!(saved(&mut app, req, Err(ApiError::PutUnconfirmed)).is_empty());
    let notice = app.notice().unwrap_or_default().to_string();
    assert!(notice.contains("it may have been saved"), "{notice}");
    assert!(
        notice.contains("saving again checks the server first"),
        "{notice}"
    );
    assert!(!notice.contains("nothing was saved"), "{notice}");
    assert_eq!(form(&app).general_errors(), [notice]);
    assert_eq!(form(&app).value(FieldId::CallSummary), "mine");
}

#[test]
fn a_second_ctrl_s_while_saving_is_not_sent_twice_and_stale_answers_are_dropped() {
    let mut app = loaded(vec![full(0)]);
    edit_summary(&mut app, "mine");
    let check = fetch_req(&app.update(ctrl('s')), "call-0000");
    assert!(app.update(ctrl('s')).is_empty(), "while checking");
    assert_eq!(
        app.notice(),
        Some("saving… the form unlocks when the server answers")
    );
    let (put, _) = put_of(&fetched(&mut app, check, full(0)));
    assert!(app.update(ctrl('s')).is_empty(), "while the PUT is out");
    // A repeated check answer, or a PUT answer for another request, changes nothing.
    assert!(fetched(&mut app, check, full(0)).is_empty());
    assert!(saved(&mut app, RequestId(put.0 + 100), Ok(full(0))).is_empty());
    assert!(app.form().is_some());
    assert!(matches!(stage(&app), Some(Stage::Saving { req }) if *req == put));
}

#[test]
fn the_form_is_locked_while_saving_so_nothing_typed_is_lost() {
    let mut app = loaded(vec![full(0)]);
    edit_summary(&mut app, "sent");
    let (put, _) = submit_through_check(&mut app, full(0));
    assert!(
        !scheduled(&edit_summary(&mut app, "typed after Ctrl-s")),
        "keys are refused while the PUT is out"
    );
    let shown = app
        .form()
        .map(|f| f.value(FieldId::CallSummary).to_string());
    assert_eq!(
        shown.as_deref(),
        Some("sent"),
        "what is on screen is what was sent"
    );
    assert!(app.notice().is_some_and(|n| n.starts_with("saving")));
    saved(
        &mut app,
        put,
        Ok(with(full(0), |c| c.call_summary = Some("sent".into()))),
    );
    assert!(app.form().is_none(), "closed after success");
}

/// Submits an edit of the summary; the check finds someone else changed it and source_id.
fn into_conflict() -> (App, VoiceCall) {
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

#[test]
fn conflict_reload_takes_theirs_and_keeps_my_edits_on_top() {
    let (mut app, theirs) = into_conflict();
    assert!(scheduled(&app.update(ch('r'))));
    assert!(app.submission().is_none());
    let f = form(&app);
    assert_eq!(f.value(FieldId::CallSummary), "mine");
    assert_eq!(f.value(FieldId::SourceId), "src-theirs");
    assert_eq!(f.opened_updated_at(), Some(THEIRS_AT));
    // Sending now passes the check against their copy.
    let (_, body) = submit_through_check(&mut app, theirs);
    assert_eq!(body["source_id"], "src-theirs");
    assert_eq!(body["call_summary"], "mine");
}

#[test]
fn conflict_overwrite_sends_my_body() {
    let (mut app, _) = into_conflict();
    let effects = app.update(ch('o'));
    // Based on their version now: an unanswered PUT is read back against it.
    assert!(
        matches!(effects.as_slice(), [Effect::PutCall { expected: Some(at), .. }] if at == THEIRS_AT),
        "{effects:?}"
    );
    let (req, body) = put_of(&effects);
    assert_eq!(body["call_summary"], "mine");
    assert_eq!(body["source_id"], "src-0");
    assert!(matches!(stage(&app), Some(Stage::Saving { req: r }) if *r == req));
}

#[test]
fn conflict_cancel_sends_nothing_and_keeps_the_form() {
    let (mut app, _) = into_conflict();
    assert!(app.update(ch('c')).is_empty());
    assert!(app.submission().is_none());
    assert_eq!(form(&app).value(FieldId::CallSummary), "mine");
    assert_eq!(app.notice(), Some("not sent; the form is as you left it"));
}

#[test]
fn changes_schedule_a_draft_and_only_the_newest_timer_writes_it() {
    let mut app = loaded(vec![full(0)]);
    let generation = |e: &[Effect]| match e {
        [Effect::ScheduleDraft { generation, delay }] if *delay == DRAFT_DELAY => *generation,
        other => panic!("expected ScheduleDraft, got {other:?}"),
    };
    let g1 = generation(&edit_summary(&mut app, "one"));
    let g2 = generation(&app.update(Msg::Paste(" two".into())));
    assert!(g2 > g1);
    assert!(
        app.update(Msg::DraftDue { generation: g1 }).is_empty(),
        "older timer"
    );
    let effects = app.update(Msg::DraftDue { generation: g2 });
    let [Effect::WriteDraft(draft)] = effects.as_slice() else {
        panic!("expected WriteDraft, got {effects:?}");
    };
    assert_eq!(draft.uid, "call-0000");
    assert_eq!(draft.saved_at, now().to_rfc3339());
    assert_eq!(draft.opened_updated_at, full(0).updated_at);
    assert_eq!(draft.field_values(), form(&app).values());
    assert_eq!(draft.values["call_summary"], "one two");
    assert!(app.drafts().contains_key("call-0000"));
}

#[test]
fn ctrl_c_with_a_dirty_form_writes_the_draft_before_quitting() {
    let mut app = loaded(vec![full(0)]);
    edit_summary(&mut app, "unsent");
    let effects = app.update(ctrl('c'));
    assert!(app.should_quit());
    let summary = |d: &Draft| d.values["call_summary"] == "unsent";
    assert!(matches!(effects.as_slice(), [Effect::WriteDraft(d)] if summary(d)));
    let mut clean = loaded(vec![full(0)]);
    clean.update(ch('e'));
    assert!(clean.update(ctrl('c')).is_empty());
    assert!(clean.should_quit());
}

#[test]
fn esc_on_a_dirty_form_asks_then_k_keeps_or_d_discards_the_draft() {
    let mut app = loaded(vec![full(0)]);
    edit_summary(&mut app, "unsent");
    assert!(app.update(key(KeyCode::Esc)).is_empty());
    assert!(form(&app).leaving());
    let effects = app.update(ch('k'));
    assert!(matches!(effects.as_slice(), [Effect::WriteDraft(d)] if d.uid == "call-0000"));
    assert!(app.form().is_none());

    let mut app = loaded(vec![full(0)]);
    edit_summary(&mut app, "unsent");
    app.update(key(KeyCode::Esc));
    assert_eq!(app.update(ch('d')), delete_draft("call-0000"));
    assert!(app.form().is_none());
    assert!(app.drafts().is_empty());
}

fn draft_of_call0(summary: &str) -> Draft {
    let mut values = fields::prefill(&full(0)).0;
    values.insert(FieldId::CallSummary, summary.into());
    let saved_at = "2026-11-24T14:50:00+00:00".to_string();
    Draft::new("call-0000", saved_at, full(0).updated_at, &values)
}

fn with_draft(summary: &str) -> App {
    let s = session(Some("staff-ana"), UpdateFields::All);
    loaded_with(vec![full(0)], s, vec![draft_of_call0(summary)])
}

#[test]
fn a_waiting_draft_is_offered_at_start_and_r_restores_it() {
    let mut app = with_draft("from the draft");
    assert!(matches!(app.prompt(), Some(Prompt::Draft { uid }) if uid == "call-0000"));
    assert!(app.update(ch('j')).is_empty());
    assert!(app.prompt().is_some(), "other keys leave the question up");
    assert!(app.update(ch('r')).is_empty());
    assert!(app.prompt().is_none());
    assert_eq!(form(&app).value(FieldId::CallSummary), "from the draft");
    assert_eq!(form(&app).changed(), vec![FieldId::CallSummary]);
}

#[test]
fn restoring_a_draft_for_a_call_not_loaded_fetches_it_first() {
    let s = session(Some("staff-ana"), UpdateFields::All);
    let drafts = vec![draft_of_call0("from the draft")];
    let (mut app, _) = App::new(s, now(), utc(), list_rows(26), drafts);
    let req = fetch_req(&app.update(ch('r')), "call-0000");
    assert!(app.form().is_none());
    fetched(&mut app, req, full(0));
    assert_eq!(form(&app).value(FieldId::CallSummary), "from the draft");
}

#[test]
fn e_on_a_call_with_a_draft_offers_it_and_d_discards_it() {
    let mut app = with_draft("x");
    app.update(key(KeyCode::Esc)); // not now
    assert!(app.prompt().is_none());
    app.update(ch('e'));
    assert!(app.form().is_none());
    assert!(matches!(app.prompt(), Some(Prompt::Draft { uid }) if uid == "call-0000"));
    assert_eq!(app.update(ch('d')), delete_draft("call-0000"));
    assert!(app.prompt().is_none());
    assert!(app.drafts().is_empty());
    // Opening the call now starts from the server's values, no question.
    app.update(ch('e'));
    assert!(app.prompt().is_none());
    assert_eq!(
        form(&app).value(FieldId::CallSummary),
        "Caller 0 asked about rescheduling"
    );
}

#[test]
fn h_with_a_full_body_checks_then_puts_and_u_puts_the_previous_values_back() {
    let mut app = loaded(vec![full(0)]);
    let req = fetch_req(&app.update(ch('h')), "call-0000");
    assert!(app.form().is_none(), "no form needed");
    let effects = fetched(&mut app, req, full(0));
    assert!(
        matches!(effects.as_slice(), [Effect::PutCall { expected, .. }] if *expected == full(0).updated_at),
        "the PUT says what the change was based on: {effects:?}"
    );
    let (put, body) = put_of(&effects);
    assert_eq!(body["status"], "MISSED_CALL_HANDLED");
    assert_eq!(body["handled_by_staff_uid"], "staff-ana");
    let handled = with(full(0), |c| {
        c.status = Some(Status("MISSED_CALL_HANDLED".into()));
        c.handled_by_staff_uid = Some("staff-ana".into());
        c.updated_at = Some(LATER.into());
    });
    saved(&mut app, put, Ok(handled.clone()));
    assert_eq!(
        app.notice(),
        Some("marked call call-000 handled (u undoes)")
    );

    let req = fetch_req(&app.update(ch('u')), "call-0000");
    let (put, body) = put_of(&fetched(&mut app, req, handled));
    assert_eq!(body["status"], "MISSED");
    assert!(body.get("handled_by_staff_uid").is_none(), "{body}");
    saved(&mut app, put, Ok(full(0)));
    assert_eq!(
        app.notice(),
        Some("undone: call call-000 is back as it was")
    );
    assert!(app.update(ch('u')).is_empty());
    assert_eq!(app.notice(), Some("nothing to undo"));
}

#[test]
fn h_on_a_call_changed_elsewhere_sends_nothing() {
    let mut app = loaded(vec![full(0)]);
    let req = fetch_req(&app.update(ch('h')), "call-0000");
    let moved = with(full(0), |c| c.updated_at = Some(THEIRS_AT.into()));
    assert!(fetched(&mut app, req, moved).is_empty());
    assert!(app.submission().is_none());
    let notice = app.notice().unwrap_or("");
    assert!(
        notice.starts_with("not sent: someone else changed this call"),
        "{notice}"
    );
}

#[test]
fn h_without_rate_or_price_opens_the_form_on_the_first_missing_field() {
    let mut app = loaded(vec![call(0)]);
    let effects = app.update(ch('h'));
    assert!(scheduled(&effects), "{effects:?}");
    let f = form(&app);
    assert_eq!(f.value(FieldId::Status), "MISSED_CALL_HANDLED");
    assert_eq!(f.value(FieldId::HandledByStaffUid), "staff-ana");
    assert_eq!(f.focus(), FieldId::Rate);
    assert!(app.submission().is_none());
}

#[test]
fn h_without_a_staff_uid_asks_once() {
    let s = session(None, UpdateFields::All);
    let mut app = loaded_with(vec![full(0)], s, Vec::new());
    assert!(app.update(ch('h')).is_empty());
    assert!(matches!(app.prompt(), Some(Prompt::StaffUid { .. })));
    type_str(&mut app, "bad uid");
    assert!(app.update(key(KeyCode::Enter)).is_empty());
    assert!(
        matches!(app.prompt(), Some(Prompt::StaffUid { .. })),
        "refused"
    );
    app.update(ctrl('u'));
    type_str(&mut app, "staff-zed");
    let req = fetch_req(&app.update(key(KeyCode::Enter)), "call-0000");
    assert!(app.prompt().is_none());
    assert_eq!(app.session().config.staff_uid.as_deref(), Some("staff-zed"));
    let (_, body) = put_of(&fetched(&mut app, req, full(0)));
    assert_eq!(body["handled_by_staff_uid"], "staff-zed");
}

#[test]
fn u_after_a_form_save_sends_the_values_from_before_it() {
    let mut app = loaded(vec![full(0)]);
    edit_summary(&mut app, "changed");
    let (put, _) = submit_through_check(&mut app, full(0));
    let after = with(full(0), |c| {
        c.call_summary = Some("changed".into());
        c.updated_at = Some(LATER.into());
    });
    saved(&mut app, put, Ok(after.clone()));
    let req = fetch_req(&app.update(ch('u')), "call-0000");
    let (_, body) = put_of(&fetched(&mut app, req, after));
    assert_eq!(body["call_summary"], "Caller 0 asked about rescheduling");
}

#[test]
fn update_fields_changed_sends_only_the_changed_fields() {
    let s = session(Some("staff-ana"), UpdateFields::Changed);
    let mut app = loaded_with(vec![full(0)], s, Vec::new());
    app.update(ch('e'));
    assert!(app.update(ctrl('s')).is_empty(), "nothing changed");
    assert_eq!(app.notice(), Some("nothing changed; nothing to send"));
    edit_summary(&mut app, "only this");
    tab_to(&mut app, FieldId::Duration);
    app.update(ctrl('u'));
    type_str(&mut app, "2:05");
    let (_, body) = submit_through_check(&mut app, full(0));
    assert_eq!(body, json!({"call_summary": "only this", "duration": 125}));
}

#[test]
fn update_fields_changed_sends_a_cleared_handled_by() {
    let s = session(Some("staff-ana"), UpdateFields::Changed);
    let handled = with(full(0), |c| {
        c.handled_by_staff_uid = Some("staff-bo".into())
    });
    let mut app = loaded_with(vec![handled.clone()], s, Vec::new());
    app.update(ch('e'));
    tab_to(&mut app, FieldId::HandledByStaffUid);
    app.update(ctrl('u'));
    let (_, body) = submit_through_check(&mut app, handled);
    assert_ne!(body, json!({}), "an empty PUT changes nothing");
}

#[test]
fn readline_keys_and_ctrl_n_work_in_text_fields_through_update() {
    let national = with(full(0), |c| c.from_number = Some("(415) 555-0148".into()));
    let mut app = loaded(vec![national]);
    app.update(ch('e'));
    tab_to(&mut app, FieldId::FromNumber);
    assert!(scheduled(&app.update(ctrl('n'))));
    assert_eq!(form(&app).value(FieldId::FromNumber), "+14155550148");

    let name = |app: &App| form(app).value(FieldId::ExternalAppName).to_string();
    tab_to(&mut app, FieldId::ExternalAppName);
    app.update(ctrl('a'));
    type_str(&mut app, "<");
    app.update(ctrl('e'));
    type_str(&mut app, "> end");
    assert_eq!(name(&app), "<my.pa> end");
    app.update(ctrl('w'));
    assert_eq!(name(&app), "<my.pa> ");
    app.update(ctrl('a'));
    app.update(key(KeyCode::Right));
    app.update(ctrl('k'));
    assert_eq!(name(&app), "<");
    app.update(ctrl('u'));
    assert_eq!(name(&app), "");
    assert_eq!(form(&app).focus(), FieldId::ExternalAppName);
    assert!(!app.should_quit());
}

#[test]
fn ctrl_o_edits_the_summary_in_the_editor() {
    let mut app = loaded(vec![full(0)]);
    app.update(ch('e'));
    let text = "Caller 0 asked about rescheduling".to_string();
    assert_eq!(app.update(ctrl('o')), vec![Effect::OpenEditor { text }]);
    let done = Msg::EditorDone {
        result: Ok("line one\nline two\n".into()),
    };
    assert!(scheduled(&app.update(done)));
    assert_eq!(form(&app).value(FieldId::CallSummary), "line one\nline two");
}

// ---- snapshots (120 × 26, fixed clock, UTC) ----

/// A call lacking rate/price/provider/recording_id, with a broken from_number.
fn broken_form() -> App {
    let broken = with(call(0), |c| c.from_number = Some("415-555".into()));
    let mut app = loaded(vec![broken]);
    app.update(ch('e'));
    app.update(ctrl('s'));
    app
}

#[test]
fn snapshot_form_clean() {
    let mut app = loaded(vec![full(0)]);
    app.update(ch('e'));
    let terminal = draw(&app, 120, 26);
    assert!(screen_text(&terminal).contains("Edit call call-0000"));
    insta::assert_snapshot!(terminal.backend());
}

#[test]
fn snapshot_form_with_errors() {
    let terminal = draw(&broken_form(), 120, 26);
    let text = screen_text(&terminal);
    assert!(text.contains("4 fields need fixing"), "{text}");
    assert!(text.contains("✗ from_number must be E.164"), "{text}");
    assert!(
        text.contains("✗ required — not provided by the server"),
        "{text}"
    );
    insta::assert_snapshot!(terminal.backend());
}

#[test]
fn a_field_message_is_shown_whole_at_120_columns() {
    let text = screen_text(&draw(&broken_form(), 120, 26));
    assert!(
        text.contains("from_number must be E.164, like +14155550148"),
        "{text}"
    );
}

#[test]
fn snapshot_form_saving() {
    let mut app = loaded(vec![full(0)]);
    edit_summary(&mut app, "Rescheduled to Friday");
    submit_through_check(&mut app, full(0));
    let terminal = draw(&app, 120, 26);
    assert!(screen_text(&terminal).contains("│Saving… "));
    insta::assert_snapshot!(terminal.backend());
}

#[test]
fn snapshot_conflict() {
    let (app, _) = into_conflict();
    let terminal = draw(&app, 120, 26);
    let text = screen_text(&terminal);
    assert!(
        text.contains("Someone else changed this call — nothing was sent"),
        "{text}"
    );
    assert!(text.contains("src-theirs"), "{text}");
    insta::assert_snapshot!(terminal.backend());
}

#[test]
fn a_click_on_a_field_focuses_it_and_the_wheel_moves_between_fields() {
    use crate::console::msg::{Target, Wheel};
    let size = (120, 30); // the 26 list rows `loaded` was told
    let mut app = loaded(vec![full(0)]);
    app.update(ch('e'));
    let screen = screen_text(&draw(&app, size.0, size.1));
    let line = |field: FieldId| {
        let y = screen
            .lines()
            .position(|l| l.contains(&format!(" {} ", field.name())));
        u16::try_from(y.expect("the field is drawn")).expect("short screen")
    };
    let at = |y| match crate::test_support::click_at(&app, size, 30, y) {
        Some(Msg::Click(target)) => Some(target),
        _ => None,
    };
    assert_eq!(
        at(line(FieldId::ToNumber)),
        Some(Target::Field(FieldId::ToNumber))
    );
    assert_eq!(at(0), None, "the tabs do not switch under the form");
    assert_eq!(at(line(FieldId::ALL[16]) + 1), None, "below the last field");
    app.update(Msg::Click(Target::Field(FieldId::ToNumber)));
    assert_eq!(form(&app).focus(), FieldId::ToNumber);
    app.update(Msg::Scroll(Wheel::Down));
    assert_eq!(
        form(&app).focus(),
        FieldId::ALL[FieldId::ToNumber.index() + 1]
    );
    app.update(Msg::Scroll(Wheel::Up));
    app.update(Msg::Scroll(Wheel::Up));
    assert_eq!(
        form(&app).focus(),
        FieldId::ALL[FieldId::ToNumber.index() - 1]
    );
    // A click outside the form's fields, or on the list's place, changes nothing.
    app.update(Msg::Click(Target::Row(0)));
    app.update(Msg::Click(Target::Tab(1)));
    assert_eq!(app.active_index(), 0);
    assert_eq!(
        form(&app).focus(),
        FieldId::ALL[FieldId::ToNumber.index() - 1]
    );
}
