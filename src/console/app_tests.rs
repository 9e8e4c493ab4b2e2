//! `update` driven by messages — the first page, paging, stale replies, resizing, the list
//! cached at the last exit — and `TestBackend` snapshots of the screens, with the search hits
//! marked in the list.

use crate::api::CallFields;
use crate::console::app::test_fixtures::follow_up::arrived;
use crate::console::app::test_fixtures::screen::*;

#[test]
fn starts_by_asking_for_the_newest_page() {
    let (_app, effects) = App::new(session(20), now(), utc(), list_rows(30), Vec::new());
    match effects.as_slice() {
        [
            Effect::FetchPage { query, .. },
            Effect::FetchStats { .. },
            Effect::FetchPage { .. },
        ] => {
            assert_eq!(query.page, 1);
            assert_eq!(query.per_page, 20);
            assert_eq!(query.sort.as_deref(), Some("created_at:desc"));
        }
        other => panic!("unexpected effects {other:?}"),
    }
}

#[test]
fn reaching_the_end_loads_the_next_page_once() {
    let mut app = loaded((120, 14));
    let effects = crate::test_support::scroll_to_end(&mut app);
    assert_eq!(app.list().selected_index(), 19);
    let (req, page) = fetch_of(&effects).expect("next page requested");
    assert_eq!(page, 2);
    assert!(app.busy());
    // More moves while it is out do not ask again.
    assert!(app.update(key(KeyCode::Char('k'))).is_empty());
    assert!(app.update(key(KeyCode::Char('j'))).is_empty());
    app.update(Msg::PageLoaded {
        req,
        page,
        answer: ok_answer(2, page_of(20..40)),
    });
    assert_eq!(app.list().len(), 40);
    assert_eq!(
        app.list().selected_index(),
        19,
        "the cursor stays where it was"
    );
    assert_eq!(app.list().paging, Paging::Idle { next: 3 });
}

#[test]
fn a_short_page_means_everything_is_loaded() {
    let mut app = loaded((120, 14));
    let (req, page) = fetch_of(&crate::test_support::scroll_to_end(&mut app)).expect("page 2");
    app.update(Msg::PageLoaded {
        req,
        page,
        answer: ok_answer(2, page_of(20..25)),
    });
    assert_eq!(app.list().paging, Paging::Complete);
    assert!(
        app.update(key(KeyCode::End)).is_empty(),
        "nothing more to ask for"
    );
    assert_eq!(app.list().selected_index(), 24);
}

#[test]
fn a_small_first_page_fills_the_screen() {
    let (mut app, effects) = App::new(session(5), now(), utc(), list_rows(30), Vec::new());
    let (req, page) = fetch_of(&effects).expect("page 1");
    let more = app.update(Msg::PageLoaded {
        req,
        page,
        answer: ok_answer(1, page_of(0..5)),
    });
    assert_eq!(
        fetch_of(&more).map(|(_, p)| p),
        Some(2),
        "5 rows do not fill 26"
    );
}

#[test]
fn stale_replies_are_dropped() {
    let mut app = loaded((120, 14));
    let (old_req, old_page) =
        fetch_of(&crate::test_support::scroll_to_end(&mut app)).expect("page 2");
    // Reversing the sort starts the view again from page 1.
    let (new_req, new_page) =
        fetch_of(&app.update(key(KeyCode::Char('S')))).expect("reload in the new order");
    assert_eq!(new_page, 1);
    assert_ne!(old_req, new_req);
    // The page-2 answer arrives after the reload was asked for: ignored.
    app.update(Msg::PageLoaded {
        req: old_req,
        page: old_page,
        answer: ok_answer(2, page_of(20..40)),
    });
    assert_eq!(app.list().len(), 0);
    assert_eq!(
        app.list().paging,
        Paging::Loading(crate::domain::calls::Flight::new(1, new_req))
    );
    app.update(Msg::PageLoaded {
        req: new_req,
        page: 1,
        answer: ok_answer(1, page_of(0..3)),
    });
    assert_eq!(app.list().len(), 3);
}

#[test]
fn refresh_merges_new_calls_without_moving_the_cursor() {
    let mut app = loaded((120, 14));
    app.update(key(KeyCode::Char('j')));
    app.update(key(KeyCode::Char('j')));
    let before_row = app.list().selected_index() - app.list().offset();
    let effects = app.update(key(KeyCode::Char('r')));
    let req = effects
        .iter()
        .find_map(|e| match e {
            Effect::FetchPage { req, query } if query.per_page > 1 => Some(*req),
            _ => None,
        })
        .expect("refresh asks for page 1");
    let mut fresh = vec![arrived(call(100), 2), arrived(call(101), 1)];
    fresh.extend((0..18).map(call));
    app.update(Msg::PageLoaded {
        req,
        page: 1,
        answer: ok_answer(
            1,
            CallPage {
                calls: fresh,
                unreadable: 0,
            },
        ),
    });
    assert_eq!(app.list().calls()[0].uid(), Some("call-0100"));
    assert!(
        app.list().find("call-0009").is_some(),
        "a voicemail still waiting stays"
    );
    assert!(
        app.list().find("call-0001").is_none(),
        "an answered call does not belong in Needs follow-up and leaves it"
    );
    assert_eq!(
        app.selected_call().and_then(|c| c.uid()),
        Some("call-0002"),
        "the same call stays selected"
    );
    assert_eq!(
        app.list().selected_index() - app.list().offset(),
        before_row
    );
    assert!(
        app.tab().new_uids.contains("call-0100"),
        "new calls are marked"
    );
    app.update(key(KeyCode::Char('g')));
    assert!(
        !app.tab().new_uids.contains("call-0100"),
        "seen once selected"
    );
}

#[test]
fn a_failed_page_is_reported_and_retried_on_the_next_move() {
    let mut app = loaded((120, 14));
    let (req, page) = fetch_of(&crate::test_support::scroll_to_end(&mut app)).expect("page 2");
    let error = ApiError::Server {
        status: 503,
        messages: vec![ServerMessage {
            code: Some("unavailable".into()),
            message: Some("try later".into()),
            field: None,
        }],
    };
    let mut answer = ok_answer(2, CallPage::default());
    answer.exchange.status = Some(503);
    answer.result = Err(error.clone());
    app.update(Msg::PageLoaded { req, page, answer });
    assert!(matches!(app.list().paging, Paging::Failed { page: 2, .. }));
    assert_eq!(
        app.last_request().and_then(|l| l.error.clone()),
        Some(error)
    );
    let retry = app.update(key(KeyCode::Char('k')));
    assert_eq!(fetch_of(&retry).map(|(_, p)| p), Some(2));
}

#[test]
fn unreadable_records_are_counted_not_fatal() {
    let (mut app, effects) = App::new(session(20), now(), utc(), list_rows(30), Vec::new());
    let (req, page) = fetch_of(&effects).expect("page 1");
    let data = CallPage {
        calls: vec![call(0)],
        unreadable: 2,
    };
    app.update(Msg::PageLoaded {
        req,
        page,
        answer: ok_answer(1, data),
    });
    assert_eq!(app.list().len(), 1);
    assert!(app.notice().is_some_and(|n| n.starts_with("2 records")));
}

#[test]
fn first_load_failure_says_how_to_retry() {
    let (mut app, effects) = App::new(session(20), now(), utc(), list_rows(12), Vec::new());
    let (req, page) = fetch_of(&effects).expect("page 1");
    let mut answer = ok_answer(1, CallPage::default());
    answer.exchange.status = None;
    answer.result = Err(ApiError::Connect {
        host: "api.vcita.biz".into(),
        detail: "connection refused".into(),
    });
    app.update(Msg::PageLoaded { req, page, answer });
    let terminal = draw(&app, 100, 12);
    let screen: String = terminal
        .backend()
        .buffer()
        .content()
        .iter()
        .map(|c| c.symbol())
        .collect();
    assert!(
        screen.contains("Could not load calls: cannot reach api.vcita.biz"),
        "{screen}"
    );
    assert!(screen.contains("Press r to try again"));
    let retry = app.update(key(KeyCode::Char('r')));
    assert_eq!(fetch_of(&retry).map(|(_, p)| p), Some(1));
}

#[test]
fn resize_tells_the_list_its_new_height() {
    let mut app = loaded((120, 30));
    app.update(key(KeyCode::PageDown));
    assert_eq!(
        app.list().selected_index(),
        19,
        "a page of 25 ends at the last call"
    );
    app.update(key(KeyCode::Char('g')));
    app.update(Msg::Resize {
        list_rows: list_rows(14),
    });
    app.update(key(KeyCode::PageDown));
    assert_eq!(app.list().selected_index(), 9, "10 rows now: a page is 9");
}

#[test]
fn the_last_list_is_drawn_at_once_then_replaced_by_the_servers() {
    let (mut app, effects) = App::new(session(20), now(), utc(), list_rows(14), Vec::new());
    let (req, page) = fetch_of(&effects).expect("first page still asked for");
    let mut cached = app.cache_snapshot();
    cached.calls = (0..5).map(call).collect();
    // A cache saved for another view is not used.
    let mut other = cached.clone();
    other.tab = crate::domain::views::TabId::Handled;
    app.show_cached(other);
    assert!(app.list().is_empty());
    app.show_cached(cached);
    assert_eq!(app.list().len(), 5);
    let screen = crate::test_support::screen_text(&draw(&app, 120, 14));
    assert!(screen.contains("cached list from today 15:00"), "{screen}");
    assert!(screen.contains("+14155550104"), "{screen}");
    app.update(Msg::PageLoaded {
        req,
        page,
        answer: ok_answer(1, page_of(10..14)),
    });
    assert_eq!(app.cached_since(), None);
    assert_eq!(
        app.list().len(),
        4,
        "the server's list replaces the cached one"
    );
    assert_eq!(app.cache_snapshot().calls.len(), 4);
}

#[test]
fn snapshot_list() {
    let mut app = loaded((150, 16));
    app.update(key(KeyCode::Char('j')));
    insta::assert_snapshot!(draw(&app, 150, 16).backend());
}

#[test]
fn snapshot_list_narrow() {
    let app = loaded((80, 12));
    insta::assert_snapshot!(draw(&app, 80, 12).backend());
}

#[test]
fn snapshot_detail_beside_the_list() {
    let mut app = loaded((160, 40));
    app.update(key(KeyCode::Char('j')));
    app.update(key(KeyCode::Enter));
    insta::assert_snapshot!(draw(&app, 160, 40).backend());
}

#[test]
fn snapshot_status_bar_with_server_error() {
    let mut app = loaded((120, 10));
    let (req, page) = fetch_of(&crate::test_support::scroll_to_end(&mut app)).expect("page 2");
    let mut answer = ok_answer(2, CallPage::default());
    answer.exchange.status = Some(401);
    answer.result = Err(ApiError::Server {
        status: 401,
        messages: vec![ServerMessage {
            code: Some("unauthorized".into()),
            message: Some("invalid token".into()),
            field: None,
        }],
    });
    app.update(Msg::PageLoaded { req, page, answer });
    let terminal = draw(&app, 120, 10);
    let status_line: String = (0..120)
        .map(|x| terminal.backend().buffer()[(x, 8)].symbol().to_string())
        .collect();
    assert!(
        status_line.contains("→ 401 Unauthorized in 12 ms: invalid token"),
        "{status_line}"
    );
    insta::assert_snapshot!(terminal.backend());
}

#[test]
fn snapshot_filter_bar_with_a_bad_date() {
    let mut app = loaded((120, 24));
    for msg in [
        key(KeyCode::Char('f')),
        key(KeyCode::Char(' ')),
        key(KeyCode::Tab),
        key(KeyCode::Tab),
        key(KeyCode::Char('y')),
        key(KeyCode::Char('d')),
        key(KeyCode::Enter),
    ] {
        app.update(msg);
    }
    assert!(app.bar().is_some(), "a bad date keeps the bar open");
    insta::assert_snapshot!(draw(&app, 120, 24).backend());
}

#[test]
fn snapshot_stats_view() {
    let mut app = loaded((120, 24));
    let effects = app.update(key(KeyCode::Char('t')));
    let reqs: Vec<RequestId> = effects
        .iter()
        .filter_map(|e| match e {
            Effect::FetchStats { req, .. } => Some(*req),
            _ => None,
        })
        .collect();
    assert_eq!(reqs.len(), 3, "today, 7 days, 30 days");
    for (i, req) in reqs.into_iter().enumerate() {
        let scale = [1, 6, 25][i];
        let stats = crate::api::Stats {
            status_counts: [
                ("MISSED", 3),
                ("ANSWERED_BY_STAFF", 10),
                ("MISSED_CALL_HANDLED", 4),
                // The vendor's two spellings of voicemail: one row, 2 + 1.
                ("VOICEMAIL_RECEIVED", 2),
                ("VOICEMAIL", 1),
            ]
            .into_iter()
            .map(|(s, n)| crate::api::model::StatusCount {
                status: Some(s.into()),
                count: Some(crate::api::Count::Valid(n * scale)),
            })
            .collect(),
            ..Default::default()
        };
        app.update(Msg::StatsLoaded {
            req,
            answer: Answer {
                exchange: Exchange {
                    method: Method::GET,
                    path: "/v3/communication/voice_calls/reports/voice_call_stats".into(),
                    status: Some(200),
                    elapsed: Duration::from_millis(3),
                    attempts: 1,
                },
                result: Ok(stats),
            },
        });
    }
    insta::assert_snapshot!(draw(&app, 120, 24).backend());
}

/// Typed into the search bar and kept with Enter.
fn search_for(app: &mut App, pattern: &str) {
    app.update(key(KeyCode::Char('/')));
    for c in pattern.chars() {
        app.update(key(KeyCode::Char(c)));
    }
    app.update(key(KeyCode::Enter));
}

#[test]
fn the_search_marks_the_matched_characters_of_the_rows_shown() {
    let size = (150, 16);
    let mut app = loaded(size);
    search_for(&mut app, "resched");
    assert_eq!(app.list().offset(), 0);
    let (text, marked) = under_header(&app, size, 2, "Summary");
    assert!(
        text.starts_with("Caller 0 asked about rescheduling"),
        "{text}"
    );
    assert_eq!(marked, "resched", "only the matched letters, in {text:?}");
    let (_, from) = under_header(&app, size, 2, "From");
    assert_eq!(
        from.chars().filter(|c| c.is_ascii_digit()).count(),
        0,
        "the summary matched, not the number"
    );
    // A number search marks its digits in the From column.
    app.update(key(KeyCode::Esc)); // clears the search
    search_for(&mut app, "0105");
    let line =
        2 + u16::try_from(app.list().selected_index() - app.list().offset()).expect("on screen");
    let (text, marked) = under_header(&app, size, line, "From");
    assert!(text.starts_with("+14155550105"), "{text}");
    assert_eq!(marked, "0105", "{text}");
}

#[test]
fn what_the_cut_drops_is_not_marked() {
    let size = (81, 12); // the summary is cut to 17 columns: "Caller 0 asked a…"
    let mut app = loaded(size);
    search_for(&mut app, "asked about");
    let (text, marked) = under_header(&app, size, 2, "Summary");
    assert!(text.starts_with("Caller 0 asked a…"), "{text:?}");
    assert_eq!(
        marked, "askeda",
        "the \"bout\" past the cut is not drawn, nor is the …"
    );
    app.update(key(KeyCode::Esc)); // clears the search
    search_for(&mut app, "appointment");
    assert!(!app.search().matches().is_empty());
    let (_, marked) = under_header(&app, size, 2, "Summary");
    assert_eq!(marked, "", "every matched letter is past the cut");
}

/// A call of over an hour shows its hours in the Dur column, not cut to `0:20:30`.
#[test]
fn the_dur_column_shows_hours() {
    let (mut app, effects) = App::new(session(20), now(), utc(), list_rows(20), Vec::new());
    let (req, page) = fetch_of(&effects).expect("first page requested");
    let mut long = call(0);
    long.duration = Some(10 * 3600 + 20 * 60 + 30);
    app.update(Msg::PageLoaded {
        req,
        page,
        answer: ok_answer(
            1,
            CallPage {
                calls: vec![long],
                unreadable: 0,
            },
        ),
    });
    let text = crate::test_support::screen_text(&draw(&app, 120, 20));
    assert!(text.contains(" 10:20:30 "), "{text}");
}

#[path = "app/screens_tests.rs"]
mod screens;
