//! `G`'s far end through `App::update`: the view's last calls shown after a gap one answer
//! after the key, the middle filling the gap, Esc, a server that did not reverse the order,
//! the load limit (one row per caller: `far_callers_tests.rs`).

use crossterm::event::KeyCode;

use crate::api::CallFields;
use crate::console::app::App;
use crate::console::app::test_fixtures::pages::{
    self, far_end_answer, far_end_fetch, page_answer, page_fetches as fetches,
};
use crate::console::msg::{Effect, RequestId};
use crate::domain::calls::Paging;
use crate::test_support::key;

const PER_PAGE: usize = 20;
const TOTAL: usize = 7 * PER_PAGE + 5;
const OLDEST: &str = "call-0144";

fn started() -> App {
    pages::started_with(PER_PAGE, TOTAL, 3, |c| c.group_by_caller = false)
}

fn cursor_uid(app: &App) -> Option<String> {
    app.list()
        .selected()
        .and_then(|c| c.uid().map(str::to_string))
}

/// Every row's uid from the top (the gap as `…`).
fn rows(app: &App) -> Vec<String> {
    let list = app.list();
    (0..list.row_count())
        .map(|r| list.get(r).map_or("…".into(), |c| c.uid_str().to_string()))
        .collect()
}

/// Answers the page requests out, in order, and those they ask for, until none is out.
fn answer_all(app: &mut App, mut out: Vec<(RequestId, u32)>) -> Vec<Effect> {
    let mut last = Vec::new();
    while !out.is_empty() {
        let (req, page) = out.remove(0);
        last = app.update(page_answer(req, page, PER_PAGE, TOTAL));
        out.extend(fetches(&last));
    }
    last
}

#[test]
fn g_shows_the_oldest_call_one_answer_later_and_the_middle_fills_the_gap() {
    let mut app = started();
    let effects = app.update(key(KeyCode::Char('G')));
    let far = far_end_fetch(&effects).expect("the far end asked for at once");
    let out = fetches(&effects);
    assert_eq!(out.iter().map(|o| o.1).collect::<Vec<_>>(), vec![2, 3, 4]);
    app.update(far_end_answer(far, PER_PAGE, TOTAL));
    assert_eq!(
        cursor_uid(&app).as_deref(),
        Some(OLDEST),
        "the oldest call, now"
    );
    let shown = rows(&app);
    assert_eq!(shown.len(), PER_PAGE + 1 + PER_PAGE);
    assert_eq!(shown[PER_PAGE], "…");
    assert_eq!(
        shown[PER_PAGE + 1],
        "call-0125",
        "the far end in the view's order"
    );
    let words = app.gap_words().expect("a gap row");
    assert!(words.contains("loading (Esc stops)"), "{words}");
    // The middle arrives; the cursor stays on the oldest call.
    answer_all(&mut app, out);
    assert_eq!(app.list().paging, Paging::Complete);
    assert_eq!(app.list().gap_row(), None);
    let expected: Vec<String> = (0..TOTAL).map(|n| format!("call-{n:04}")).collect();
    assert_eq!(
        rows(&app),
        expected,
        "the server's view, in order, each call once"
    );
    assert_eq!(cursor_uid(&app).as_deref(), Some(OLDEST));
    assert_eq!(app.notice(), Some("at the end of this view: 145 calls"));
}

#[test]
fn a_cursor_moved_within_the_far_end_stays_on_its_call_when_the_gap_fills() {
    let mut app = started();
    let effects = app.update(key(KeyCode::Char('G')));
    app.update(far_end_answer(
        far_end_fetch(&effects).unwrap(),
        PER_PAGE,
        TOTAL,
    ));
    for _ in 0..3 {
        app.update(key(KeyCode::Char('k')));
    }
    assert_eq!(cursor_uid(&app).as_deref(), Some("call-0141"));
    answer_all(&mut app, fetches(&effects));
    assert_eq!(app.list().paging, Paging::Complete);
    assert_eq!(cursor_uid(&app).as_deref(), Some("call-0141"));
}

#[test]
fn esc_keeps_the_far_end_and_g_again_resumes_the_middle() {
    let mut app = started();
    let effects = app.update(key(KeyCode::Char('G')));
    app.update(far_end_answer(
        far_end_fetch(&effects).unwrap(),
        PER_PAGE,
        TOTAL,
    ));
    app.update(key(KeyCode::Esc));
    assert!(matches!(app.list().paging, Paging::Idle { .. }));
    assert_eq!(
        cursor_uid(&app).as_deref(),
        Some(OLDEST),
        "the far end stays"
    );
    let words = app.gap_words().expect("a gap row");
    assert!(words.contains("not loaded — G loads them"), "{words}");
    // Walking up onto the gap row selects no call, and asks for the next page there, as
    // scrolling to the end of a list does.
    let mut out = Vec::new();
    for _ in 0..PER_PAGE {
        out.extend(fetches(&app.update(key(KeyCode::Char('k')))));
    }
    assert!(app.list().on_gap());
    assert!(app.list().selected().is_none());
    assert_eq!(
        out.iter().map(|o| o.1).collect::<Vec<_>>(),
        vec![2],
        "one page"
    );
    let again = app.update(key(KeyCode::Char('G')));
    assert_eq!(
        far_end_fetch(&again),
        None,
        "the far end is not asked for twice"
    );
    assert_eq!(cursor_uid(&app).as_deref(), Some(OLDEST));
    out.extend(fetches(&again));
    assert!(
        out.len() > 1,
        "the middle loads again, several pages at a time"
    );
    answer_all(&mut app, out);
    assert_eq!(app.list().paging, Paging::Complete);
    assert_eq!(app.list().len(), TOTAL);
}

#[test]
fn a_far_end_the_server_did_not_sort_the_reversed_way_is_not_shown() {
    let mut app = started();
    let effects = app.update(key(KeyCode::Char('G')));
    let far = far_end_fetch(&effects).unwrap();
    // A server that ignores `sort=`: calls of the view, newest first, not its far end.
    app.update(page_answer(far, 3, PER_PAGE, TOTAL));
    assert_eq!(app.list().gap_row(), None);
    assert_eq!(app.list().selected_index(), PER_PAGE - 1);
}

#[test]
fn space_selects_a_call_of_the_far_end_and_it_stays_selected_when_the_gap_fills() {
    let mut app = started();
    let effects = app.update(key(KeyCode::Char('G')));
    app.update(far_end_answer(
        far_end_fetch(&effects).unwrap(),
        PER_PAGE,
        TOTAL,
    ));
    app.update(key(KeyCode::Char(' ')));
    assert_eq!(
        app.selected_uids().into_iter().collect::<Vec<_>>(),
        [OLDEST]
    );
    answer_all(&mut app, fetches(&effects));
    assert_eq!(
        app.selected_uids().into_iter().collect::<Vec<_>>(),
        [OLDEST]
    );
}

#[test]
fn the_gap_row_says_what_it_stands_for_between_the_calls_and_the_far_end() {
    let mut app = started();
    let effects = app.update(key(KeyCode::Char('G')));
    app.update(far_end_answer(
        far_end_fetch(&effects).unwrap(),
        PER_PAGE,
        TOTAL,
    ));
    // Up over the far end and the gap, onto the last call loaded from the top.
    for _ in 0..PER_PAGE + 1 {
        app.update(key(KeyCode::Char('k')));
    }
    let screen = crate::test_support::screen_text(&crate::test_support::draw(&app, 100, 20));
    let lines: Vec<&str> = screen.lines().collect();
    let gap = lines
        .iter()
        .position(|l| l.contains("more calls loading (Esc stops)"))
        .unwrap_or_else(|| panic!("no gap row on screen:\n{screen}"));
    // A call above it (the cursor's) and the far end's below it.
    assert!(
        lines[gap - 1].contains("▶") && lines[gap - 1].contains("Missed"),
        "{screen}"
    );
    assert!(lines[gap + 1].contains("Missed"), "{screen}");
}

#[test]
fn a_cursor_moved_away_before_the_far_end_came_stays_there() {
    let mut app = started();
    let effects = app.update(key(KeyCode::Char('G')));
    app.update(key(KeyCode::Char('g')));
    app.update(far_end_answer(
        far_end_fetch(&effects).unwrap(),
        PER_PAGE,
        TOTAL,
    ));
    assert!(app.list().gap_row().is_some());
    assert_eq!(
        app.list().selected_index(),
        0,
        "the far end listed, the cursor left alone"
    );
}

#[test]
fn a_far_end_that_comes_after_one_row_per_caller_was_turned_on_is_listed_by_caller() {
    let mut app = started();
    let effects = app.update(key(KeyCode::Char('G')));
    app.update(key(KeyCode::Char('z')));
    // Even when it comes while another view is open.
    app.update(key(KeyCode::Char('2')));
    app.update(far_end_answer(
        far_end_fetch(&effects).unwrap(),
        PER_PAGE,
        TOTAL,
    ));
    app.update(key(KeyCode::Char('1')));
    let groups = app.grouped().expect("one row per caller");
    assert_eq!(groups.gap_row(), Some(PER_PAGE), "the far end after a gap");
    assert_eq!(app.row_count(), 2 * PER_PAGE + 1);
}

#[test]
fn past_the_load_limit_g_shows_the_far_end_and_the_gap_says_why_it_stays() {
    // The far end answering before the pages up to the limit, and after them.
    for far_first in [true, false] {
        let mut app = pages::started_with(PER_PAGE, TOTAL, 3, |c| {
            c.group_by_caller = false;
            c.load_limit = 3 * PER_PAGE as u64;
        });
        let effects = app.update(key(KeyCode::Char('G')));
        let far = far_end_fetch(&effects).expect("the far end asked for");
        let out = fetches(&effects);
        assert_eq!(out.iter().map(|o| o.1).collect::<Vec<_>>(), vec![2, 3]);
        if far_first {
            app.update(far_end_answer(far, PER_PAGE, TOTAL));
        }
        assert!(
            answer_all(&mut app, out).is_empty(),
            "nothing past the limit"
        );
        if !far_first {
            app.update(far_end_answer(far, PER_PAGE, TOTAL));
        }
        assert_eq!(app.list().paging, Paging::Idle { next: 4 });
        assert_eq!(
            cursor_uid(&app).as_deref(),
            Some(OLDEST),
            "far first: {far_first}"
        );
        assert_eq!(app.list().row_count(), 3 * PER_PAGE + 1 + PER_PAGE);
        let words = app.gap_words().expect("a gap row");
        assert_eq!(
            words,
            "⋯ more calls not loaded: past the load limit (60 calls) — narrow the view with a \
             filter (f), or raise load_limit ⋯"
        );
        // G again asks for nothing: the far end is there, the middle stays at the limit.
        let again = app.update(key(KeyCode::Char('G')));
        assert!(fetches(&again).is_empty() && far_end_fetch(&again).is_none());
        assert_eq!(cursor_uid(&app).as_deref(), Some(OLDEST));
    }
}
