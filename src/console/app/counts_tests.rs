//! The tab counts and the oldest call waiting, through `update`.

use crate::console::app::test_fixtures::follow_up::*;

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
