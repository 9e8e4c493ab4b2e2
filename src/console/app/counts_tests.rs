//! The tab counts and the oldest call waiting, through `update`.

use crate::console::app::Level;
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
            // The inbox: the report's MISSED counts outbound calls nobody answered too, so
            // it counts what is loaded (nothing yet).
            None,
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
    let effects = crate::test_support::scroll_to_end(&mut app);
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
        app.tab_count(2).as_deref(),
        Some("4"),
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

/// A report whose counts lie (`count` stands for the first status's count and the total).
fn lying(count: &str) -> Stats {
    let body = format!(
        r#"{{"status_counts":[{{"status":"MISSED","count":{count}}},
            {{"status":"VOICEMAIL","count":2}},{{"status":"ANSWERED_BY_STAFF","count":5}}],
            "total_voice_calls":{count}}}"#
    );
    serde_json::from_str(&body).expect("a report")
}

#[test]
fn a_report_that_lies_counts_nothing_and_says_so_once() {
    for lie in ["-3", "100000000000000000000", "2.5", r#""many""#] {
        let (mut app, effects) = start(session(), (120, 14));
        let (page_req, _) = list_fetch(&effects);
        app.update(page_loaded(page_req, 1, (0..3).map(call).collect()));
        let stats_req = stats_fetch(&effects).expect("counts asked for");
        app.update(Msg::StatsLoaded {
            req: stats_req,
            answer: answer(Method::GET, "/stats", Ok(lying(lie))),
        });
        // The tabs count what is loaded, as with no report; none takes a number from it.
        assert_eq!(app.tab_count(0).as_deref(), Some("3"), "{lie}");
        for i in 0..6 {
            assert_eq!(
                app.view_count(i).and_then(|c| c.total),
                None,
                "{lie} tab {i}"
            );
        }
        let notice = app.notice().unwrap_or_default().to_string();
        assert!(notice.contains("counts are not usable"), "{lie}: {notice}");
        assert_eq!(app.notice_full().map(|n| n.level), Some(Level::Warning));
        // Asked again (after a save, say) and still lying: not said again; after a report
        // that can be believed, a lie is news again.
        let report = |app: &mut App, stats: Stats| {
            app.clear_notice();
            let req = stats_fetch(&app.fetch_counts()).expect("asked again");
            app.update(Msg::StatsLoaded {
                req,
                answer: answer(Method::GET, "/stats", Ok(stats)),
            });
            app.notice().map(str::to_string)
        };
        assert_eq!(report(&mut app, lying(lie)), None, "{lie}");
        assert_eq!(report(&mut app, lying("1")), None, "{lie}");
        assert_eq!(
            app.tab_count(0).as_deref(),
            Some("3"),
            "MISSED 1 + VOICEMAIL 2"
        );
        assert!(report(&mut app, lying(lie)).is_some(), "{lie}");
    }
}

#[test]
fn a_status_change_leaves_an_invalid_count_invalid() {
    let (mut app, effects) = start(session(), (120, 14));
    let req = stats_fetch(&effects).expect("counts asked for");
    app.update(Msg::StatsLoaded {
        req,
        answer: answer(Method::GET, "/stats", Ok(lying("-3"))),
    });
    app.count_moved(
        Some(&Status("MISSED".into())),
        Some(&Status("VOICEMAIL".into())),
    );
    app.count_moved(
        Some(&Status("ANSWERED_BY_STAFF".into())),
        Some(&Status("MISSED".into())),
    );
    let Some(Remote::Loaded(stats)) = &app.reports.counts else {
        panic!("loaded");
    };
    let counts: Vec<Option<Count>> = stats.status_counts.iter().map(|c| c.count).collect();
    assert_eq!(
        counts,
        [
            Some(Count::Invalid),
            Some(Count::Valid(3)),
            Some(Count::Valid(4))
        ]
    );
}

#[test]
fn snapshot_stats_view_with_lying_counts() {
    let (mut app, effects) = start(session(), (120, 14));
    let (page_req, _) = list_fetch(&effects);
    app.update(page_loaded(page_req, 1, (0..3).map(call).collect()));
    let effects = app.update(key(KeyCode::Char('t')));
    let reqs: Vec<RequestId> = effects
        .iter()
        .filter_map(|e| match e {
            Effect::FetchStats { req, .. } => Some(*req),
            _ => None,
        })
        .collect();
    for (req, lie) in reqs
        .into_iter()
        .zip(["-3", "100000000000000000000", r#""many""#])
    {
        app.update(Msg::StatsLoaded {
            req,
            answer: answer(Method::GET, "/stats", Ok(lying(lie))),
        });
    }
    let screen = crate::test_support::draw(&app, 120, 14);
    let text = format!("{:?}", screen.backend());
    assert!(!text.contains("9223372036854775807"), "{text}");
    insta::assert_snapshot!(screen.backend());
}
