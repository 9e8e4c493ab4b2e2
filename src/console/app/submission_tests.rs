//! The one save through `update`: refused while invalid, the check then the PUT, what each
//! failure says, the lock while saving, running into a conflict (its keys: `conflict_tests`); `h` on one call and `u` on one change; only
//! the changed fields when configured.

use crate::api::CallFields;
use crate::console::app::test_fixtures::form::*;

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
    let effects = saved(&mut app, req, Ok(returned));
    assert!(
        effects.contains(&delete_draft("call-0000")[0]),
        "{effects:?}"
    );
    // What the server never sends back is kept for the next form and `h`.
    assert!(
        effects.iter().any(|e| matches!(e, Effect::SaveRemembered(r)
            if r.calls.get("call-0000").and_then(|s| s.values.get("rate")).map(String::as_str) == Some("0.05"))),
        "{effects:?}"
    );
    assert!(app.form().is_none());
    assert!(app.submission().is_none());
    assert!(!app.busy());
    let row = app.list().find("call-0000").expect("row kept");
    assert_eq!(row.call_summary(), Some("Rescheduled to Friday"));
    assert_eq!(row.updated_at(), Some(LATER));
    assert_eq!(app.notice(), Some("saved the call with +14155550100"));
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
    assert!(
        app.update(Msg::CallFetched {
            req,
            answer,
            etag: None,
        })
        .is_empty()
    );
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
    // Read again, for the conflict view.
    let effects = saved(&mut app, req, Err(ApiError::PutConflict));
    assert!(
        effects
            .iter()
            .any(|e| matches!(e, Effect::FetchCall { .. })),
        "{effects:?}"
    );
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
        Some("marked the call with +14155550100 handled (u undoes)")
    );

    let req = fetch_req(&app.update(ch('u')), "call-0000");
    let (put, body) = put_of(&fetched(&mut app, req, handled));
    assert_eq!(body["status"], "MISSED");
    assert!(body.get("handled_by_staff_uid").is_none(), "{body}");
    saved(&mut app, put, Ok(full(0)));
    assert_eq!(
        app.notice(),
        Some("undone: the call with +14155550100 is back as it was")
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

/// The server refused the form's PUT on its precondition (a colleague changed the call after
/// the check): the call is read again, which opens the conflict view, and nothing is lost.
#[test]
fn a_refused_precondition_reads_the_call_again_for_the_conflict_view() {
    let mut app = loaded(vec![full(0), full(1)]);
    edit_summary(&mut app, "Rescheduled to Friday");
    let (req, _) = submit_through_check(&mut app, full(0));
    let effects = saved(&mut app, req, Err(ApiError::PutConflict));
    assert!(
        effects
            .iter()
            .any(|e| matches!(e, Effect::FetchCall { uid, .. } if uid == "call-0000")),
        "{effects:?}"
    );
    assert!(matches!(stage(&app), Some(Stage::Checking { .. })));
    assert!(
        app.form().is_some_and(|f| f.is_dirty()),
        "the edit is as it was"
    );
}

#[test]
fn sentences_name_the_client_and_the_handler_not_uids() {
    let theirs = with(full(1), |c| {
        c.status = Some(Status("MISSED_CALL_HANDLED".into()));
        c.handled_by_staff_uid = Some("staff-grace".into());
        c.handled_at = Some("2026-11-24T10:42:00+00:00".into());
    });
    let mut app = loaded(vec![full(0), theirs]);
    app.set_people(crate::test_support::people_knowing(
        &[("client-00", "Emily Carter")],
        &[("staff-ana", "Ana Ruiz"), ("staff-grace", "Grace O'Neill")],
    ));
    let req = fetch_req(&app.update(ch('h')), "call-0000");
    let (put, _) = put_of(&fetched(&mut app, req, full(0)));
    let handled = with(full(0), |c| {
        c.status = Some(Status("MISSED_CALL_HANDLED".into()));
        c.handled_by_staff_uid = Some("staff-ana".into());
        c.updated_at = Some(LATER.into());
    });
    saved(&mut app, put, Ok(handled));
    assert_eq!(
        app.notice(),
        Some("marked Emily Carter's call handled (u undoes)")
    );
    // A colleague's call: who handled it, by name.
    app.update(key(KeyCode::Down));
    assert!(app.update(ch('h')).is_empty());
    assert_eq!(
        app.notice(),
        Some("not marked: already handled by Grace O'Neill today 10:42; it stays theirs")
    );
}
