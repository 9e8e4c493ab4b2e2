//! Undoing a bulk action through `update`: from the before- and after-images, whatever the
//! views list now, and a failed undo stays undoable.

use crate::console::app::test_fixtures::follow_up::*;

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
        etag: None,
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
