//! `update` driven by messages, and `TestBackend` snapshots of the screens.

use std::time::Duration;

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::style::Modifier;
use reqwest::Method;

use super::*;
use crate::api::error::ServerMessage;
use crate::api::model::{Direction, Recording, Status};
use crate::api::{Answer, ApiError, CallPage, Exchange};
use crate::test_support::{draw, key, list_rows, now, utc};

fn session(page_size: u32) -> Session {
    Session {
        demo: true,
        api_label: "demo server 127.0.0.1:40000".into(),
        config: Config {
            page_size,
            staff_uid: None,
            update_fields: UpdateFields::All,
            default_country: None,
            refresh_secs: 0,
            ..Config::default()
        },
        ..Session::default()
    }
}

const STATUSES: [&str; 7] = [
    "MISSED",
    "ANSWERED_BY_STAFF",
    "VOICEMAIL_RECEIVED",
    "MISSED_CALL_HANDLED",
    "ANSWERED_BY_CALLS_PROVIDER",
    "INCOMING_CALL",
    "SOMETHING_NEW",
];

/// A call `minutes_ago` minutes before `now()`, with fields that vary by `i`.
fn call(i: usize) -> VoiceCall {
    let created = now() - chrono::TimeDelta::minutes((i as i64) * 47 + 3);
    VoiceCall {
        uid: Some(format!("call-{i:04}")),
        created_at: Some(created.to_rfc3339()),
        updated_at: Some(created.to_rfc3339()),
        duration: Some((i as i64 * 37) % 400),
        status: Some(Status(STATUSES[i % STATUSES.len()].into())),
        direction: Some(Direction(
            if i % 4 == 3 { "OUTBOUND" } else { "INBOUND" }.into(),
        )),
        staff_uid: Some("staff-ana".into()),
        client_uid: Some(format!("client-{:02}", i % 13)),
        from_number: Some(format!("+1415555{:04}", 100 + i)),
        to_number: Some("+14155550100".into()),
        call_summary: Some(format!(
            "Caller {i} asked about rescheduling a cleaning appointment"
        )),
        handled_by_staff_uid: (i % 7 == 3).then(|| "staff-bo".into()),
        recording: (i % 2 == 1).then(|| {
            Box::new(Recording {
                uid: Some(format!("rec-{i}")),
                recording_url: Some(format!("https://rec.example.com/{i}.mp3")),
                size: Some(204_800),
                duration: Some(95),
                recording_played: Some(false),
                recording_type: Some("CALL".into()),
            })
        }),
        transcript_status: Some("DONE".into()),
        external_app_name: Some("my.pa".into()),
        external_app_url: Some(format!("https://app.example.com/calls/{i}")),
        source_id: Some(format!("src-{i}")),
        external_uuid: Some(format!("ext-{i}")),
        ..Default::default()
    }
}

fn page_of(range: std::ops::Range<usize>) -> CallPage {
    CallPage {
        calls: range.map(call).collect(),
        unreadable: 0,
    }
}

fn ok_answer(page: u32, data: CallPage) -> Answer<CallPage> {
    Answer {
        exchange: Exchange {
            method: Method::GET,
            path: format!(
                "/v3/communication/voice_calls?page={page}&per_page=20&sort=created_at:desc"
            ),
            status: Some(200),
            elapsed: Duration::from_millis(12),
            attempts: 1,
        },
        result: Ok(data),
    }
}

/// The list page asked for, if exactly one (the counts and the one-row "oldest" query that
/// go with a first load are not list pages).
fn fetch_of(effects: &[Effect]) -> Option<(RequestId, u32)> {
    let pages: Vec<_> = effects
        .iter()
        .filter_map(|e| match e {
            Effect::FetchPage { req, query } if query.per_page > 1 => Some((*req, query.page)),
            _ => None,
        })
        .collect();
    match pages.as_slice() {
        [one] => Some(*one),
        _ => None,
    }
}

/// An app of the given size with the first page of 20 calls loaded.
fn loaded(size: (u16, u16)) -> App {
    let (mut app, effects) = App::new(session(20), now(), utc(), list_rows(size.1), Vec::new());
    let (req, page) = fetch_of(&effects).expect("first page requested");
    let more = app.update(Msg::PageLoaded {
        req,
        page,
        answer: ok_answer(1, page_of(0..20)),
    });
    // 20 calls fill a short screen; a taller one asks for page 2 at once.
    assert_eq!(more.is_empty(), list_rows(size.1) < 20);
    app
}

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
fn keys_move_the_selection() {
    let mut app = loaded((120, 14)); // 10 rows on screen
    app.update(key(KeyCode::Char('j')));
    app.update(key(KeyCode::Down));
    assert_eq!(app.list().selected_index(), 2);
    app.update(key(KeyCode::Char('k')));
    assert_eq!(app.list().selected_index(), 1);
    app.update(key(KeyCode::PageDown));
    assert_eq!(app.list().selected_index(), 10);
    assert_eq!(app.list().offset(), 1);
    app.update(key(KeyCode::PageUp));
    assert_eq!(app.list().selected_index(), 1);
    app.update(key(KeyCode::Char('g')));
    assert_eq!(app.list().selected_index(), 0);
    app.update(key(KeyCode::Up));
    assert_eq!(app.list().selected_index(), 0, "stays on the first row");
}

#[test]
fn reaching_the_end_loads_the_next_page_once() {
    let mut app = loaded((120, 14));
    let effects = app.update(key(KeyCode::Char('G')));
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
    let (req, page) = fetch_of(&app.update(key(KeyCode::End))).expect("page 2");
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
    let (old_req, old_page) = fetch_of(&app.update(key(KeyCode::End))).expect("page 2");
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
    let mut fresh = vec![call(100), call(101)];
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
    assert_eq!(app.list().calls()[0].uid.as_deref(), Some("call-0100"));
    assert!(
        app.list().find("call-0009").is_some(),
        "a voicemail still waiting stays"
    );
    assert!(
        app.list().find("call-0001").is_none(),
        "an answered call does not belong in Needs follow-up and leaves it"
    );
    assert_eq!(
        app.selected_call().and_then(|c| c.uid.as_deref()),
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
    let (req, page) = fetch_of(&app.update(key(KeyCode::End))).expect("page 2");
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
fn detail_help_and_quit() {
    let mut app = loaded((120, 30));
    app.update(key(KeyCode::Enter));
    assert!(app.detail_open());
    app.update(key(KeyCode::Esc));
    assert!(!app.detail_open());
    app.update(key(KeyCode::Char('?')));
    assert_eq!(app.overlay(), Overlay::Help);
    app.update(key(KeyCode::Char('j')));
    assert_eq!(app.overlay(), Overlay::None);
    assert_eq!(
        app.list().selected_index(),
        0,
        "the key that closes help does nothing else"
    );
    assert!(!app.should_quit());
    app.update(Msg::Key(KeyEvent::new(
        KeyCode::Char('c'),
        KeyModifiers::CONTROL,
    )));
    assert!(app.should_quit());
    let mut app = loaded((120, 30));
    app.update(key(KeyCode::Char('q')));
    assert!(app.should_quit());
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
    let (req, page) = fetch_of(&app.update(key(KeyCode::End))).expect("page 2");
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
fn snapshot_help() {
    let mut app = loaded((100, 30));
    app.update(key(KeyCode::Char('?')));
    insta::assert_snapshot!(draw(&app, 100, 30).backend());
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
            ]
            .into_iter()
            .map(|(s, n)| crate::api::model::StatusCount {
                status: Some(s.into()),
                count: Some(n * scale),
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

#[test]
fn snapshot_request_log() {
    let mut app = loaded((120, 12));
    app.update(key(KeyCode::Char('L')));
    let screen = crate::test_support::screen_text(&draw(&app, 120, 12));
    assert!(
        screen.contains("GET /v3/communication/voice_calls?page=1&per_page=20"),
        "{screen}"
    );
    insta::assert_snapshot!(draw(&app, 120, 12).backend());
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
    assert!(screen.contains("cached list from 15:00"), "{screen}");
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

/// Every notice has a level: errors are marked apart from information on screen, with or
/// without colour, and each is logged.
#[test]
fn errors_look_different_from_information() {
    let (mut app, _) = App::new(session(20), now(), utc(), list_rows(20), Vec::new());
    app.update(Msg::DraftWritten {
        uid: "call-0001".into(),
        error: Some("disk full".into()),
    });
    assert_eq!(app.notice_full().map(|n| n.level), Some(Level::Error));
    let text = crate::test_support::screen_text(&draw(&app, 120, 20));
    assert!(text.contains("✖ draft NOT saved"), "{text}");

    app.update(key(KeyCode::Char('n')));
    assert_eq!(app.notice_full().map(|n| n.level), Some(Level::Warning));
    let text = crate::test_support::screen_text(&draw(&app, 120, 20));
    assert!(text.contains("⚠ no search"), "{text}");

    app.update(key(KeyCode::Char('u')));
    assert_eq!(app.notice_full().map(|n| n.level), Some(Level::Info));
    let text = crate::test_support::screen_text(&draw(&app, 120, 20));
    assert!(
        text.contains("nothing to undo") && !text.contains("⚠ nothing"),
        "{text}"
    );
}

/// A left click at (`x`, `y`) on a `size` screen: what the view says it landed on (as the
/// runtime asks it), then what `update` does with that. `None` when it landed on nothing.
fn click(app: &mut App, size: (u16, u16), x: u16, y: u16) -> Option<Vec<Effect>> {
    let msg = crate::test_support::click_at(app, size, x, y)?;
    Some(app.update(msg))
}

/// The column where `text` starts on line `y` of the drawn screen.
fn column_of(app: &App, size: (u16, u16), y: u16, text: &str) -> u16 {
    let terminal = draw(app, size.0, size.1);
    let buffer = terminal.backend().buffer();
    let cells: Vec<&str> = (0..size.0).map(|x| buffer[(x, y)].symbol()).collect();
    let want: Vec<String> = text.chars().map(String::from).collect();
    let x = cells
        .windows(want.len())
        .position(|w| w.iter().zip(&want).all(|(a, b)| a == b))
        .unwrap_or_else(|| panic!("{text:?} not on line {y}"));
    u16::try_from(x).expect("narrow screen")
}

#[test]
fn a_click_selects_the_call_under_it_where_the_list_is_scrolled() {
    let size = (120, 14); // 10 rows: title, header, then calls from line 2
    let mut app = loaded(size);
    click(&mut app, size, 40, 5).expect("a call row");
    assert_eq!(app.list().selected_index(), 3);
    app.update(key(KeyCode::PageDown));
    assert_eq!((app.list().offset(), app.list().selected_index()), (3, 12));
    click(&mut app, size, 40, 3).expect("a call row");
    assert_eq!(
        app.list().selected_index(),
        4,
        "the second row shown, not the second call"
    );
    // The table header, the status bar and the key hints are not calls.
    for y in [1, 12, 13] {
        assert!(click(&mut app, size, 40, y).is_none(), "line {y}");
    }
    assert_eq!(app.list().selected_index(), 4);
}

#[test]
fn a_click_below_the_last_call_does_nothing() {
    let size = (120, 30); // 26 rows for 20 calls
    let mut app = loaded(size);
    assert!(click(&mut app, size, 40, 2 + 20).is_none());
    click(&mut app, size, 40, 2 + 19).expect("the last call");
    assert_eq!(app.list().selected_index(), 19);
}

#[test]
fn a_click_on_a_tab_label_opens_that_view() {
    let size = (120, 14);
    let mut app = loaded(size);
    let x = column_of(&app, size, 0, " 3 Missed");
    let effects = click(&mut app, size, x + 2, 0).expect("a tab");
    assert_eq!(app.active_index(), 2);
    assert!(
        fetch_of(&effects).is_some(),
        "the new view's first page: {effects:?}"
    );
    // Past the last label there is no tab.
    assert!(click(&mut app, size, 119, 0).is_none());
}

#[test]
fn the_wheel_scrolls_the_list_and_drags_the_cursor() {
    let mut app = loaded((120, 14));
    app.update(Msg::Scroll(crate::console::msg::Wheel::Down));
    assert_eq!((app.list().offset(), app.list().selected_index()), (3, 3));
    app.update(Msg::Scroll(crate::console::msg::Wheel::Up));
    assert_eq!((app.list().offset(), app.list().selected_index()), (0, 3));
}

#[test]
fn clicks_do_not_reach_the_list_under_help_or_with_the_mouse_off() {
    let size = (120, 14);
    let mut app = loaded(size);
    app.update(key(KeyCode::Char('?')));
    click(&mut app, size, 40, 5).expect("the view still finds the row under help");
    app.update(Msg::Scroll(crate::console::msg::Wheel::Down));
    assert_eq!(
        app.list().selected_index(),
        0,
        "help has the keys and the mouse"
    );
    let mut s = session(20);
    s.config.mouse = false;
    let (mut app, effects) = App::new(s, now(), utc(), list_rows(size.1), Vec::new());
    let (req, page) = fetch_of(&effects).expect("page 1");
    app.update(Msg::PageLoaded {
        req,
        page,
        answer: ok_answer(1, page_of(0..20)),
    });
    click(&mut app, size, 40, 5).expect("a call row");
    app.update(Msg::Scroll(crate::console::msg::Wheel::Down));
    assert_eq!(app.list().selected_index(), 0, "mouse = false");
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
fn a_click_on_the_detail_pane_picks_no_call() {
    let size = (100, 14); // narrower than the split: the pane replaces the list
    let mut app = loaded(size);
    app.update(key(KeyCode::Enter));
    assert!(click(&mut app, size, 40, 5).is_none());
    let wide = (160, 14); // beside the list: its left part is still the list
    let mut app = loaded(wide);
    app.update(key(KeyCode::Enter));
    assert!(click(&mut app, wide, 150, 5).is_none(), "the pane");
    click(&mut app, wide, 10, 5).expect("the list beside it");
    assert_eq!(app.list().selected_index(), 3);
}

#[test]
fn key_hints_follow_the_key_map_in_force() {
    use crate::console::keys::{KeyBinding, KeyMap};
    let one = |k: &str| KeyBinding::One(k.to_string());
    let table = std::collections::BTreeMap::from([
        ("handled".to_string(), one("x")),
        ("undo".to_string(), one("Ctrl-u")),
        ("detail_down".to_string(), one("Alt-j")),
        ("detail_up".to_string(), one("Alt-k")),
    ]);
    let mut s = session(20);
    s.config.keys = KeyMap::from_config(&table).expect("a valid map");
    let (mut app, effects) = App::new(s, now(), utc(), list_rows(14), Vec::new());
    let (req, page) = fetch_of(&effects).expect("page 1");
    app.update(Msg::PageLoaded {
        req,
        page,
        answer: ok_answer(1, page_of(0..20)),
    });
    let screen = crate::test_support::screen_text(&draw(&app, 120, 14));
    let footer = screen.lines().last().expect("a keys line");
    assert!(footer.contains(" x handled "), "{footer}");
    assert!(footer.contains(" Ctrl-u undo "), "{footer}");
    assert!(!footer.contains(" h handled"), "{footer}");
    // A notice built by `update` names the key in force too.
    app.update(key(KeyCode::Char(' ')));
    assert_eq!(
        app.notice(),
        Some("1 selected — x marks them handled, Esc clears")
    );
    // The detail pane's title and the footer under it.
    app.update(key(KeyCode::Esc));
    app.update(key(KeyCode::Enter));
    let screen = crate::test_support::screen_text(&draw(&app, 160, 14));
    assert!(
        screen.contains("Alt-j/Alt-k scroll · Esc close"),
        "{screen}"
    );
    assert!(
        screen
            .lines()
            .last()
            .is_some_and(|l| l.contains(" Alt-j/Alt-k scroll ")),
        "{screen}"
    );
    // Help lists the keys in force.
    app.update(key(KeyCode::Char('?')));
    let screen = crate::test_support::screen_text(&draw(&app, 160, 40));
    let row = screen
        .lines()
        .find(|l| l.contains("mark selected calls handled"))
        .expect("help lists handled");
    assert!(row.contains(" x "), "{row}");
}

/// Typed into the search bar and kept with Enter.
fn search_for(app: &mut App, pattern: &str) {
    app.update(key(KeyCode::Char('/')));
    for c in pattern.chars() {
        app.update(key(KeyCode::Char(c)));
    }
    app.update(key(KeyCode::Enter));
}

/// Line `y` from the column under `header` to the end: its text, and the characters drawn
/// in the search hit's style.
fn under_header(app: &App, size: (u16, u16), y: u16, header: &str) -> (String, String) {
    let x0 = column_of(app, size, 1, header);
    let terminal = draw(app, size.0, size.1);
    let buffer = terminal.backend().buffer();
    let matched = crate::test_support::matched_style();
    let (mut text, mut marked) = (String::new(), String::new());
    for x in x0..size.0 {
        let cell = &buffer[(x, y)];
        text.push_str(cell.symbol());
        if cell.fg == matched.fg.expect("a colour") && cell.modifier.contains(Modifier::BOLD) {
            marked.push_str(cell.symbol());
        }
    }
    (text, marked)
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
    let size = (80, 12); // the summary is cut to 17 columns: "Caller 0 asked a…"
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
