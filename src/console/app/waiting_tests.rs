//! A slow request, driven through `App::update` with the clock's ticks: the status bar says
//! what it waits for and for how long, the count moves with the clock, and Esc stops a list
//! load that waits (a page, the first page, a refresh) and leaves the list usable.

use chrono::TimeDelta;

use crate::console::app::test_fixtures::follow_up::*;
use crate::console::app::{Wait, Waiting};
use crate::test_support::{draw, screen_text};

const SIZE: (u16, u16) = (100, 16);

fn tick(seconds: i64) -> Msg {
    Msg::Tick(now() + TimeDelta::seconds(seconds))
}

/// The status bar and the keys line.
fn bottom(app: &App) -> String {
    let screen = screen_text(&draw(app, SIZE.0, SIZE.1));
    let lines: Vec<&str> = screen.lines().collect();
    lines[lines.len() - 2..].join("\n")
}

/// A full first page, the cursor scrolled to its end, and the next page asked for.
fn waiting_for_page_two() -> (App, RequestId) {
    let mut app = loaded_with(session(), SIZE, calls(0..20));
    let (req, query) = list_fetch(&crate::test_support::scroll_to_end(&mut app));
    assert_eq!(query.page, 2);
    (app, req)
}

#[test]
fn a_slow_page_shows_how_long_it_has_waited_and_the_count_moves_with_the_clock() {
    let (mut app, req) = waiting_for_page_two();
    app.update(tick(1));
    assert_eq!(app.waiting(), None, "a quick answer shows no count");
    assert!(!bottom(&app).contains("loading page"), "{}", bottom(&app));
    app.update(tick(7));
    assert_eq!(
        app.waiting(),
        Some(Waiting {
            what: Wait::Page { tab: 0, page: 2 },
            secs: 7
        })
    );
    insta::assert_snapshot!("slow_page_after_7s", bottom(&app));
    app.update(tick(12));
    assert!(
        bottom(&app).contains("loading page 2… 12s"),
        "{}",
        bottom(&app)
    );
    app.update(page_loaded(req, 2, calls(20..40)));
    assert_eq!(app.waiting(), None);
    assert!(!bottom(&app).contains("loading page"), "{}", bottom(&app));
}

#[test]
fn a_slow_save_says_saving_and_how_long() {
    let mut app = loaded_with(bulk_session(), SIZE, calls(0..5));
    let effects = app.update(key(KeyCode::Char('h')));
    let check = effects
        .iter()
        .find_map(|e| match e {
            Effect::FetchCall { req, .. } => Some(*req),
            _ => None,
        })
        .expect("the call is read first");
    app.update(tick(3));
    assert_eq!(app.waiting().map(|w| w.what), Some(Wait::Check));
    let effects = app.update(Msg::CallFetched {
        req: check,
        answer: answer(Method::GET, &call_path(&uid(0)), Ok(call(0))),
        etag: None,
    });
    assert!(
        effects.iter().any(|e| matches!(e, Effect::PutCall { .. })),
        "{effects:?}"
    );
    app.update(tick(4));
    assert_eq!(app.waiting(), None, "the PUT was sent a second ago");
    app.update(tick(75));
    insta::assert_snapshot!("slow_save_after_72s", bottom(&app));
}

/// The oldest wait is the one shown; a page for another tab names that tab.
#[test]
fn the_longest_wait_is_shown_and_another_tabs_page_names_its_tab() {
    let (mut app, _) = waiting_for_page_two();
    app.update(tick(5));
    let effects = app.update(key(KeyCode::Char('2')));
    assert!(!list_fetches(&effects).is_empty(), "tab 2 loads");
    app.update(tick(9));
    assert_eq!(
        app.waiting(),
        Some(Waiting {
            what: Wait::Page { tab: 0, page: 2 },
            secs: 9
        })
    );
    assert!(
        bottom(&app).contains("loading page 2 of Follow-up… 9s"),
        "{}",
        bottom(&app)
    );
}

/// Esc stops a slow page (`G`'s next one): nothing more is asked, the late answer is only
/// logged, and moving near the end asks for it again.
#[test]
fn esc_stops_a_slow_page() {
    let (mut app, req) = waiting_for_page_two();
    app.update(tick(1));
    app.update(key(KeyCode::Enter));
    app.update(key(KeyCode::Esc));
    assert!(!app.detail_open(), "a quick load: Esc closes the pane");
    assert!(matches!(app.list().paging, Paging::Loading(_)));
    app.update(tick(6));
    let effects = app.update(key(KeyCode::Esc));
    assert!(list_fetches(&effects).is_empty());
    assert_eq!(app.list().paging, Paging::Idle { next: 2 });
    assert_eq!(app.waiting(), None);
    assert!(
        app.notice()
            .is_some_and(|n| n.contains("loading stopped at 20 calls")),
        "{:?}",
        app.notice()
    );
    assert!(!bottom(&app).contains("loading page"), "{}", bottom(&app));
    app.update(page_loaded(req, 2, calls(20..40)));
    assert_eq!(app.list().len(), 20, "a late answer is only logged");
    // The list is usable, and scrolling asks again.
    let again = list_fetch(&app.update(key(KeyCode::Char('k'))));
    assert_eq!(again.1.page, 2);
}

/// Esc stops a slow first page: the status bar says so, the refresh key asks again, and the
/// first request's late answer is dropped.
#[test]
fn esc_stops_a_slow_first_page_and_the_refresh_key_asks_again() {
    let (mut app, effects) = start(session(), SIZE);
    let (first, _) = list_fetch(&effects);
    app.update(tick(4));
    assert!(
        bottom(&app).contains("loading page 1… 4s"),
        "{}",
        bottom(&app)
    );
    app.update(key(KeyCode::Esc));
    assert_eq!(app.list().paging, Paging::Idle { next: 1 });
    insta::assert_snapshot!("first_page_stopped", bottom(&app));
    assert!(
        screen_text(&draw(&app, SIZE.0, SIZE.1)).contains("Loading stopped. Press r to try again."),
        "the list says it is not loading"
    );
    let (again, query) = list_fetch(&app.update(key(KeyCode::Char('r'))));
    assert_eq!(query.page, 1);
    app.update(page_loaded(first, 1, calls(0..20)));
    assert!(
        app.list().is_empty(),
        "the stopped request's answer is dropped"
    );
    app.update(page_loaded(again, 1, calls(0..20)));
    assert_eq!(app.list().len(), 20);
    assert_eq!(app.list().paging, Paging::Idle { next: 2 });
}

/// Esc stops a slow refresh; the next refresh is sent, and the stopped one's answer is only
/// logged.
#[test]
fn esc_stops_a_slow_refresh() {
    let mut app = loaded_with(session(), SIZE, calls(0..5));
    let (refresh, _) = list_fetch(&app.update(key(KeyCode::Char('r'))));
    app.update(tick(3));
    assert_eq!(
        app.waiting().map(|w| w.what),
        Some(Wait::Refresh { tab: 0 })
    );
    app.update(key(KeyCode::Esc));
    assert_eq!(app.waiting(), None);
    assert!(
        app.notice().is_some_and(|n| n.contains("refresh stopped")),
        "{:?}",
        app.notice()
    );
    app.update(page_loaded(
        refresh,
        1,
        vec![arrived(call(90), 10), call(0), call(1)],
    ));
    assert_eq!(
        app.list().len(),
        5,
        "the stopped refresh's answer is dropped"
    );
    assert_eq!(list_fetches(&app.update(key(KeyCode::Char('r')))).len(), 1);
}

/// A cached list whose first page Esc stopped stays marked as cached, no longer "refreshing",
/// and the refresh key loads the first page in its place.
#[test]
fn esc_on_a_cached_list_stops_refreshing_it() {
    let (mut app, effects) = start(session(), SIZE);
    let (first, _) = list_fetch(&effects);
    let mut cached = app.cache_snapshot();
    cached.saved_at = (now() - TimeDelta::minutes(108)).to_rfc3339();
    cached.calls = calls(0..5);
    app.show_cached(cached);
    app.update(tick(3));
    assert!(bottom(&app).contains("refreshing…"), "{}", bottom(&app));
    app.update(key(KeyCode::Esc));
    let bar = bottom(&app);
    assert!(
        bar.contains("cached list from today 13:12 · loading stopped"),
        "{bar}"
    );
    assert!(!bar.contains("refreshing…"), "{bar}");
    assert_eq!(app.list().len(), 5, "the cached calls stay");
    app.update(page_loaded(first, 1, calls(10..30)));
    assert_eq!(
        app.list().len(),
        5,
        "the stopped request's answer is dropped"
    );
    let (again, query) = list_fetch(&app.update(key(KeyCode::Char('r'))));
    assert_eq!(query.page, 1);
    app.update(page_loaded(again, 1, calls(10..30)));
    assert_eq!(app.cached_since(), None);
    assert_eq!(
        app.list().len(),
        20,
        "the server's page replaces the cached list"
    );
}
