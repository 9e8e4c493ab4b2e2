//! Bulk "handled" through `update`: four at a time, each checked by the save policy, failures
//! reported and kept selected, a big batch asked first; the saved copy is the one every view
//! shows.

use crate::api::CallFields;
use crate::console::app::test_fixtures::follow_up::*;

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
    // The body goes out shared with the batch's own item, not copied for each call.
    let items = &app.batch().expect("batch").items;
    for sent in &sends {
        let item = items.iter().find(|i| i.uid == sent.uid).expect("item");
        assert!(
            std::sync::Arc::ptr_eq(&item.body, &sent.body),
            "{}",
            sent.uid
        );
    }

    // call 0: still as loaded → saved; its slot goes to the next queued call.
    let out = app.update(checked(&sends[0], Ok(call(0)), Ok(handled_copy(0))));
    let s4 = batch_sends(&out);
    assert_eq!(uids_of(&s4), vec![uid(4)], "{out:?}");
    assert_eq!(
        app.store().by_uid(&uid(0)).and_then(|c| c.status()),
        Some("MISSED_CALL_HANDLED")
    );
    assert!(
        app.list().find(&uid(0)).is_none(),
        "a handled call leaves Needs follow-up at once"
    );

    // call 1: changed by someone else → not saved, and the row shows their version.
    let mut theirs = call(1);
    theirs.updated_at = Some(THEIRS_AT.into());
    theirs.call_summary = Some("they changed it".into());
    let out = app.update(checked(&sends[1], Ok(theirs), Ok(handled_copy(1))));
    let s5 = batch_sends(&out);
    assert_eq!(uids_of(&s5), vec![uid(5)]);
    assert_eq!(
        app.list().find(&uid(1)).and_then(|c| c.call_summary()),
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
        app.list().find(&uid(0)).and_then(|c| c.status()),
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

    let status = app
        .view(1)
        .find(&uid(1))
        .and_then(|c| c.status().map(str::to_string));
    assert_eq!(
        status.as_deref(),
        Some("MISSED_CALL_HANDLED"),
        "the All view shows the saved copy"
    );
    assert!(
        app.view(0).find(&uid(1)).is_none(),
        "and it left Needs follow-up, whose filter it no longer matches"
    );
    assert_eq!(app.store().len(), 4);
}

/// A call the server sent without a uid can be read but not changed: `h` and `e` say so and
/// send nothing (`h` used to send a GET to the list's URL), and a bulk `h` never meets it.
#[test]
fn a_call_without_a_uid_is_never_acted_on() {
    let mut nameless = call(0);
    nameless.uid = None;
    let mut app = loaded_with(bulk_session(), (120, 14), vec![nameless, call(1)]);
    let effects = app.update(key(KeyCode::Char('h')));
    assert!(effects.is_empty(), "{effects:?}");
    assert!(
        app.notice().is_some_and(|n| n.contains("without a uid")),
        "{:?}",
        app.notice()
    );
    assert!(app.update(key(KeyCode::Char('e'))).is_empty());
    assert!(app.form().is_none());
    // A selection never takes the call in (Space on it, or `V`), so a bulk `h` never meets it.
    app.update(key(KeyCode::Char(' ')));
    assert!(app.tab().selected.is_empty(), "Space on it selects nothing");
    app.update(key(KeyCode::Char('V')));
    assert_eq!(app.tab().selected.len(), 1);
    let sends = batch_sends(&app.update(key(KeyCode::Char('h'))));
    assert_eq!(uids_of(&sends), vec![uid(1)]);
}
