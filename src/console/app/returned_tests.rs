//! "Already returned?" through `update`: the later calls asked for once Needs follow-up's
//! pages are in, the flags they set, and `A` marking exactly the flagged calls handled in one
//! undo step.

use crate::api::CallFields;
use crate::console::app::test_fixtures::follow_up::*;
use crate::domain::returned::{PAGES, Via};

/// A later call with `number`, `minutes` before the fixtures' now.
fn later(uid: &str, direction: &str, status: &str, number: &str, minutes: i64) -> VoiceCall {
    let created = (now() - chrono::TimeDelta::minutes(minutes)).to_rfc3339();
    let (from, to) = match direction {
        "OUTBOUND" => ("+14155550100", number),
        _ => (number, "+14155550100"),
    };
    VoiceCall {
        uid: Some(uid.into()),
        created_at: Some(created.clone()),
        updated_at: Some(created),
        status: Some(Status(status.into())),
        direction: Some(Direction(direction.into())),
        staff_uid: Some("staff-grace".into()),
        from_number: Some(from.into()),
        to_number: Some(to.into()),
        ..VoiceCall::default()
    }
}

fn number_of(i: usize) -> String {
    call(i).from_number.expect("a number")
}

fn returns_page(req: RequestId, page: u32, calls: Vec<VoiceCall>) -> Msg {
    Msg::PageLoaded {
        req,
        page,
        answer: answer(
            Method::GET,
            "/v3/communication/voice_calls?filter[status]=ANSWERED_BY_STAFF",
            Ok(CallPage {
                calls,
                unreadable: 0,
            }),
        ),
    }
}

fn the_returns_fetch(effects: &[Effect]) -> (RequestId, ListQuery) {
    match returns_fetches(effects).as_slice() {
        [one] => one.clone(),
        other => panic!("expected one request for later calls, got {other:?}"),
    }
}

fn flag_of(app: &App, i: usize) -> Option<(Via, Option<String>)> {
    let call = app.store().by_uid(&uid(i))?;
    app.returned_flag(call).map(|f| (f.via, f.uid.clone()))
}

#[test]
fn the_flag_appears_when_a_later_call_arrives_and_a_marks_exactly_the_flagged_calls() {
    let mut app = loaded_with(bulk_session(), (120, 14), calls(0..4));
    // Nothing asked until the clock ticks: a load's pages make one request.
    let effects = app.update(Msg::Tick(now()));
    let (req, query) = the_returns_fetch(&effects);
    assert_eq!(query.page, 1);
    assert_eq!(query.sort.as_deref(), Some("created_at:desc"));
    assert_eq!(filter_of(&query, "status", None), Some("ANSWERED_BY_STAFF"));
    let oldest = call(3).created().expect("created");
    assert_eq!(
        filter_of(&query, "created_at", Some("gte")),
        Some(
            oldest
                .to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
                .as_str()
        ),
        "since the oldest waiting call"
    );
    assert!(
        returns_fetches(&app.update(Msg::Tick(now()))).is_empty(),
        "asked once"
    );

    // With none flagged, A says so.
    app.update(key(KeyCode::Char('A')));
    assert!(app.prompt().is_none());
    assert!(
        app.notice().is_some_and(|n| n.contains("looks returned")),
        "{:?}",
        app.notice()
    );

    // call 1 was called back and answered; call 2 called again and staff answered; call 3's
    // number was reached before it called. (The server sends answered calls only; an
    // unanswered one is left out by the domain's own tests.)
    let page = vec![
        later("out-1", "OUTBOUND", "ANSWERED_BY_STAFF", &number_of(1), 10),
        later("in-2", "INBOUND", "ANSWERED_BY_STAFF", &number_of(2), 20),
        later(
            "early-3",
            "OUTBOUND",
            "ANSWERED_BY_STAFF",
            &number_of(3),
            300,
        ),
    ];
    assert!(app.update(returns_page(req, 1, page)).is_empty());
    assert_eq!(flag_of(&app, 0), None);
    assert_eq!(
        flag_of(&app, 1),
        Some((Via::Outbound, Some("out-1".into())))
    );
    assert_eq!(flag_of(&app, 2), Some((Via::Answered, Some("in-2".into()))));
    assert_eq!(flag_of(&app, 3), None);
    assert!(app.store().by_uid("out-1").is_some(), "held in the store");
    let flag = app.returned_flag(&call(1)).expect("call 1 is flagged");
    assert_eq!(
        app.returned_text(&flag),
        "looks returned (outbound 14:50 by staff-grac…)"
    );

    // A asks first; n sends nothing.
    app.update(key(KeyCode::Char('A')));
    match app.prompt() {
        Some(Prompt::ConfirmReturned { uids }) => assert_eq!(uids, &vec![uid(1), uid(2)]),
        other => panic!("expected the confirm prompt, got {other:?}"),
    }
    assert!(app.update(key(KeyCode::Char('n'))).is_empty());
    assert!(app.prompt().is_none());

    // y: the bulk handled path, for exactly the flagged calls.
    app.update(key(KeyCode::Char('A')));
    let effects = app.update(key(KeyCode::Char('y')));
    let sends = batch_sends(&effects);
    assert_eq!(uids_of(&sends), vec![uid(1), uid(2)], "{effects:?}");
    for sent in &sends {
        assert_eq!(sent.body["status"], "MISSED_CALL_HANDLED");
        assert_eq!(sent.body["handled_by_staff_uid"], "staff-ana");
        let i = uid_index(&sent.uid);
        app.update(checked(sent, Ok(call(i)), Ok(handled_copy(i))));
    }
    assert_eq!(
        app.batch().map(Batch::progress).as_deref(),
        Some("handled 2/2")
    );
    assert_eq!(flag_of(&app, 1), None, "handled: no longer flagged");
    let left: Vec<String> = app
        .list()
        .calls()
        .iter()
        .filter_map(|c| c.uid().map(str::to_string))
        .collect();
    assert_eq!(left, vec![uid(0), uid(3)]);

    // One undo step puts both back, and the flags with them.
    let effects = app.update(key(KeyCode::Char('u')));
    let sends = batch_sends(&effects);
    assert_eq!(
        uids_of(&sends).into_iter().collect::<BTreeSet<_>>(),
        [uid(1), uid(2)].into_iter().collect()
    );
    for sent in &sends {
        let i = uid_index(&sent.uid);
        let mut back = call(i);
        back.updated_at = Some("2026-11-24T15:00:02+00:00".into());
        app.update(checked(sent, Ok(handled_copy(i)), Ok(back)));
    }
    assert_eq!(
        app.batch().map(Batch::progress).as_deref(),
        Some("undone 2/2")
    );
    assert!(flag_of(&app, 1).is_some() && flag_of(&app, 2).is_some());
}

#[test]
fn accepting_many_asks_once_not_twice() {
    let mut app = loaded_with(bulk_session(), (120, 14), calls(0..12));
    let (req, _) = the_returns_fetch(&app.update(Msg::Tick(now())));
    let page = (0..12)
        .map(|i| {
            later(
                &format!("out-{i}"),
                "OUTBOUND",
                "ANSWERED_BY_STAFF",
                &number_of(i),
                1,
            )
        })
        .collect();
    app.update(returns_page(req, 1, page));
    app.update(key(KeyCode::Char('A')));
    let effects = app.update(key(KeyCode::Char('y')));
    assert!(app.prompt().is_none(), "{:?}", app.prompt());
    assert_eq!(batch_sends(&effects).len(), 4, "the batch starts at once");
    assert_eq!(app.batch().map(|b| b.items.len()), Some(12));
}

#[test]
fn later_calls_are_asked_a_few_pages_at_most_and_again_on_refresh() {
    let mut app = loaded_with(bulk_session(), (120, 14), calls(0..3));
    let (mut req, _) = the_returns_fetch(&app.update(Msg::Tick(now())));
    let full = |page: u32| -> Vec<VoiceCall> {
        (0..20)
            .map(|i| {
                later(
                    &format!("p{page}-{i}"),
                    "INBOUND",
                    "ANSWERED_BY_STAFF",
                    "+14155559999",
                    1,
                )
            })
            .collect()
    };
    for page in 1..PAGES {
        let effects = app.update(returns_page(req, page, full(page)));
        let (next, query) = the_returns_fetch(&effects);
        assert_eq!(query.page, page + 1);
        req = next;
    }
    let effects = app.update(returns_page(req, PAGES, full(PAGES)));
    assert!(
        returns_fetches(&effects).is_empty(),
        "stops at {PAGES} pages"
    );
    assert!(
        app.notice()
            .is_some_and(|n| n.contains("newest 80 answered calls only")),
        "{:?}",
        app.notice()
    );
    // A refresh of the view asks again, from the first page.
    let effects = app.update(key(KeyCode::Char('r')));
    let (req, query) = list_fetch(&effects);
    assert_eq!(query.page, 1);
    app.update(Msg::PageLoaded {
        req,
        page: 1,
        answer: answer(
            Method::GET,
            &list_path(1),
            Ok(CallPage {
                calls: calls(0..3),
                unreadable: 0,
            }),
        ),
    });
    let (_, query) = the_returns_fetch(&app.update(Msg::Tick(now())));
    assert_eq!(query.page, 1);
}

#[test]
fn snapshot_flagged_rows_and_the_question_at_100x30() {
    let mut app = loaded_with(bulk_session(), (100, 30), calls(0..4));
    let (req, _) = the_returns_fetch(&app.update(Msg::Tick(now())));
    let page = vec![
        later("out-1", "OUTBOUND", "ANSWERED_BY_STAFF", &number_of(1), 10),
        later("in-2", "INBOUND", "ANSWERED_BY_STAFF", &number_of(2), 20),
    ];
    app.update(returns_page(req, 1, page));
    insta::assert_snapshot!(crate::test_support::draw(&app, 100, 30).backend());
    app.update(key(KeyCode::Char('A')));
    insta::assert_snapshot!(crate::test_support::draw(&app, 100, 30).backend());
}
