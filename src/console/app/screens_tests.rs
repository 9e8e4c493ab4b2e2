//! The main screen and its overlays at the sizes a user has (80×24, 60×20): tabs and the
//! footer's essential keys fit, help scrolls, the request log keeps its window full and wraps,
//! the failures name callers, and stale markers say what is true.

use crate::console::app::test_fixtures::follow_up as fu;
use crate::console::app::test_fixtures::screen::*;
use crate::test_support::screen_text;

/// The screen as text.
fn text(app: &App, size: (u16, u16)) -> String {
    screen_text(&draw(app, size.0, size.1))
}

/// Every tab number and the keys to get help and to quit are on screen.
fn assert_essentials(screen: &str) {
    let lines: Vec<&str> = screen.lines().collect();
    for n in 1..=6 {
        assert!(lines[0].contains(&n.to_string()), "tab {n}: {screen}");
    }
    let footer = lines.last().expect("footer");
    assert!(footer.contains("? keys"), "{screen}");
    assert!(footer.contains("q quit"), "{screen}");
}

/// An app whose tabs have big counts, as on a busy day, with its first page loaded.
fn busy(size: (u16, u16)) -> App {
    let (mut app, effects) = App::new(session(20), now(), utc(), list_rows(size.1), Vec::new());
    let (req, page) = fetch_of(&effects).expect("first page asked for");
    app.update(Msg::PageLoaded {
        req,
        page,
        answer: ok_answer(1, page_of(0..20)),
    });
    let stats_req = fu::stats_fetch(&effects).expect("counts asked for");
    app.update(Msg::StatsLoaded {
        req: stats_req,
        answer: fu::answer(
            Method::GET,
            "/v3/communication/voice_calls/stats",
            Ok(fu::stats(
                &[
                    ("MISSED", 1_204),
                    ("VOICEMAIL_RECEIVED", 310),
                    ("MISSED_CALL_HANDLED", 4_812),
                    ("ANSWERED_BY_STAFF", 9_050),
                ],
                Some(15_376),
            )),
        ),
    });
    app
}

#[test]
fn snapshot_main_80x24() {
    let app = busy((80, 24));
    assert_essentials(&text(&app, (80, 24)));
    insta::assert_snapshot!(draw(&app, 80, 24).backend());
}

#[test]
fn snapshot_main_60x20() {
    let app = busy((60, 20));
    let screen = text(&app, (60, 20));
    assert_essentials(&screen);
    assert!(screen.contains("│2 All 15k│"), "counts compact: {screen}");
    insta::assert_snapshot!(draw(&app, 60, 20).backend());
}

#[test]
fn snapshot_detail_60x20() {
    let mut app = busy((60, 20));
    app.update(key(KeyCode::Enter));
    assert!(app.detail_open());
    let screen = text(&app, (60, 20));
    assert!(
        screen.lines().last().is_some_and(|l| l.contains("? keys")),
        "{screen}"
    );
    insta::assert_snapshot!(draw(&app, 60, 20).backend());
}

#[test]
fn a_click_finds_the_tab_under_it_at_every_width() {
    for size in [(160, 24), (80, 24), (60, 20)] {
        let app = busy(size);
        let screen = text(&app, size);
        let title = screen.lines().next().expect("title");
        // Tab 4 starts after the third separator.
        let x = title
            .chars()
            .enumerate()
            .filter(|(_, c)| *c == '│')
            .nth(2)
            .map(|(i, _)| i + 1)
            .expect("tab 4 drawn");
        let x = u16::try_from(x).expect("narrow");
        assert!(
            matches!(
                crate::test_support::click_at(&app, size, x, 0),
                Some(Msg::Click(crate::console::msg::Target::Tab(3)))
            ),
            "{size:?}: {title}"
        );
    }
}

#[test]
fn snapshot_help() {
    let mut app = loaded((100, 30));
    app.update(key(KeyCode::Char('?')));
    insta::assert_snapshot!(draw(&app, 100, 30).backend());
}

#[test]
fn snapshot_help_in_two_columns_where_all_fit() {
    let mut app = loaded((160, 30));
    app.update(key(KeyCode::Char('?')));
    let screen = text(&app, (160, 30));
    assert!(!screen.contains("more below"), "{screen}");
    insta::assert_snapshot!(draw(&app, 160, 30).backend());
}

#[test]
fn snapshot_help_80x24_scrolls_with_a_more_below_marker() {
    let mut app = loaded((80, 24));
    app.update(key(KeyCode::Char('?')));
    let top = text(&app, (80, 24));
    assert!(top.contains("more below"), "{top}");
    insta::assert_snapshot!("help_80x24_top", draw(&app, 80, 24).backend());
    app.update(key(KeyCode::Char('G')));
    let end = text(&app, (80, 24));
    assert!(!end.contains("more below"), "{end}");
    assert!(end.contains("more above"), "{end}");
    assert!(
        end.contains("quit (an open edit is kept as a draft)"),
        "{end}"
    );
    insta::assert_snapshot!("help_80x24_end", draw(&app, 80, 24).backend());
}

#[test]
fn snapshot_help_60x20_wraps_between_words() {
    let mut app = loaded((60, 20));
    app.update(key(KeyCode::Char('?')));
    let screen = text(&app, (60, 20));
    // A description too long for the column goes on under itself, whole words only.
    assert!(screen.contains("open / close the detail"), "{screen}");
    insta::assert_snapshot!(draw(&app, 60, 20).backend());
}

#[test]
fn snapshot_request_log() {
    let mut app = loaded((120, 12));
    app.update(key(KeyCode::Char('L')));
    let screen = text(&app, (120, 12));
    assert!(
        screen.contains("GET /v3/communication/voice_calls?page=1&per_page=20"),
        "{screen}"
    );
    insta::assert_snapshot!(draw(&app, 120, 12).backend());
}

/// An app with `n` more requests logged, the i-th for page i+2.
fn with_requests(size: (u16, u16), n: usize) -> App {
    let mut app = loaded(size);
    for i in 0..n {
        app.log_only(
            &Exchange {
                method: Method::GET,
                path: format!("/v3/communication/voice_calls?page={}&per_page=20", i + 2),
                status: Some(200),
                elapsed: Duration::from_millis(9),
                attempts: 1,
            },
            None,
        );
    }
    app
}

#[test]
fn the_log_reaches_its_first_request_and_the_window_stays_full() {
    use crate::console::app::log_scroll_max;
    assert_eq!(log_scroll_max(50), 49, "back to the first request");
    assert_eq!(log_scroll_max(0), 0);

    let size = (80, 24);
    let mut app = with_requests(size, 49); // 50 in all
    app.update(key(KeyCode::Char('L')));
    app.update(key(KeyCode::Char('g')));
    assert_eq!(app.overlay(), Overlay::Log { scroll: 49 });
    app.update(key(KeyCode::PageUp));
    assert_eq!(
        app.overlay(),
        Overlay::Log { scroll: 49 },
        "PgUp stops there too"
    );
    app.update(key(KeyCode::Char('j')));
    assert_eq!(app.overlay(), Overlay::Log { scroll: 48 });
    app.update(key(KeyCode::Char('g')));
    let screen = text(&app, size);
    // The box's 20 inner lines (rows 2 to 21) all hold a request, the oldest on top.
    let inner: Vec<&str> = screen.lines().skip(2).take(20).collect();
    assert!(
        inner
            .iter()
            .all(|l| l.split('│').nth(1).is_some_and(|t| !t.trim().is_empty())),
        "the window is full: {screen}"
    );
    assert!(inner[0].contains("page=1&"), "the oldest on top: {screen}");
    insta::assert_snapshot!(draw(&app, 80, 24).backend());
}

#[test]
fn snapshot_request_log_60x20_wraps_long_lines() {
    let size = (60, 20);
    let mut app = with_requests(size, 3);
    app.log_only(
        &Exchange {
            method: Method::PUT,
            path: "/v3/communication/voice_calls/call-0003".into(),
            status: Some(422),
            elapsed: Duration::from_millis(31),
            attempts: 1,
        },
        Some(&ApiError::Server {
            status: 422,
            messages: vec![ServerMessage {
                code: Some("invalid".into()),
                message: Some(
                    "recording_id must be the uid of a recording, e.g. rec-1ce7 (got \"x\")".into(),
                ),
                field: Some("recording_id".into()),
            }],
        }),
    );
    app.update(key(KeyCode::Char('L')));
    let screen = text(&app, size);
    assert!(
        screen.contains("(got \"x\")"),
        "the end of a long line is on screen: {screen}"
    );
    insta::assert_snapshot!(draw(&app, 60, 20).backend());
}

/// Two calls marked handled at once: the first changed by a colleague meanwhile, the second
/// refused by the server.
fn with_failures(size: (u16, u16)) -> App {
    let mut app = fu::loaded_with(fu::bulk_session(), size, fu::calls(0..2));
    app.update(key(KeyCode::Char('V')));
    let sends = fu::batch_sends(&app.update(key(KeyCode::Char('h'))));
    assert_eq!(sends.len(), 2);
    let mut theirs = fu::call(0);
    theirs.updated_at = Some(fu::THEIRS_AT.into());
    app.update(fu::checked(&sends[0], Ok(theirs), Ok(fu::handled_copy(0))));
    app.update(fu::checked(
        &sends[1],
        Ok(fu::call(1)),
        Err(fu::server_error(503, "try again later")),
    ));
    assert_eq!(app.overlay(), Overlay::Failures);
    app
}

#[test]
fn the_failures_name_callers_and_their_times() {
    let app = with_failures((80, 24));
    let screen = text(&app, (80, 24));
    assert!(
        screen.contains("+14155550100 · today 14:57 — changed"),
        "{screen}"
    );
    assert!(screen.contains("+14155550101 · today 14:10 — "), "{screen}");
    assert!(!screen.contains("call-0000"), "no bare uids: {screen}");
    assert!(screen.contains("L shows every request"), "{screen}");
    insta::assert_snapshot!(draw(&app, 80, 24).backend());
    let app = with_failures((60, 20));
    insta::assert_snapshot!("failures_60x20", draw(&app, 60, 20).backend());
}

#[test]
fn the_failures_name_clients_by_name_when_known() {
    let mut app = fu::loaded_with(fu::bulk_session(), (80, 24), fu::calls(0..2));
    app.set_people(crate::test_support::people_knowing(
        &[("client-00", "Emily Carter")],
        &[],
    ));
    app.update(key(KeyCode::Char('V')));
    let sends = fu::batch_sends(&app.update(key(KeyCode::Char('h'))));
    for send in &sends {
        app.update(fu::checked(
            send,
            Ok(fu::call(fu::uid_index(&send.uid))),
            Err(fu::server_error(503, "try again later")),
        ));
    }
    assert_eq!(app.overlay(), Overlay::Failures);
    let screen = text(&app, (80, 24));
    assert!(screen.contains("Emily Carter · today 14:57 — "), "{screen}");
    assert!(
        screen.contains("+14155550101 · today 14:10 — "),
        "the number while the name is not known: {screen}"
    );
    assert!(!screen.contains("client-00"), "no uids: {screen}");
    insta::assert_snapshot!(draw(&app, 80, 24).backend());
}

#[test]
fn every_key_the_failures_advertise_works() {
    // L opens the request log (it only closed the overlay before).
    let mut app = with_failures((80, 24));
    app.update(key(KeyCode::Char('L')));
    assert_eq!(app.overlay(), Overlay::Log { scroll: 0 });
    // h retries the calls that failed, which stayed selected.
    let mut app = with_failures((80, 24));
    let retried = fu::batch_sends(&app.update(key(KeyCode::Char('h'))));
    assert_eq!(fu::uids_of(&retried), vec![fu::uid(0), fu::uid(1)]);
    // Any other key closes.
    let mut app = with_failures((80, 24));
    assert!(app.update(key(KeyCode::Char('x'))).is_empty());
    assert_eq!(app.overlay(), Overlay::None);
}

#[test]
fn the_cached_marker_says_when_the_refresh_failed() {
    let (mut app, effects) = App::new(session(20), now(), utc(), list_rows(24), Vec::new());
    let (req, page) = fetch_of(&effects).expect("first page asked for");
    let mut cached = app.cache_snapshot();
    cached.saved_at = (now() - chrono::TimeDelta::minutes(108)).to_rfc3339();
    cached.calls = (0..5).map(call).collect();
    app.show_cached(cached);
    let screen = text(&app, (80, 24));
    assert!(
        screen.contains("cached list from today 13:12 · refreshing…"),
        "{screen}"
    );
    let mut answer = ok_answer(1, CallPage::default());
    answer.exchange.status = Some(503);
    answer.result = Err(ApiError::Server {
        status: 503,
        messages: Vec::new(),
    });
    app.update(Msg::PageLoaded { req, page, answer });
    let screen = text(&app, (120, 24));
    assert!(!screen.contains("refreshing…"), "{screen}");
    assert!(
        screen.contains("cached list from today 13:12 — refresh failed: "),
        "{screen}"
    );
    insta::assert_snapshot!(draw(&app, 80, 24).backend());
}

/// A warning is read in full at 60 columns: the counts on the right and the last request
/// give way to it (they cut it to "⚠ not marked:" before).
#[test]
fn a_warning_is_read_in_full_at_60_columns() {
    let size = (60, 20);
    let mut app = loaded(size);
    let said = "not marked: an outbound call has nobody to call back";
    app.set_notice(said.to_string());
    let screen = text(&app, size);
    let bar = screen.lines().rev().nth(1).expect("status bar");
    assert!(bar.contains(said), "{bar}");
}
