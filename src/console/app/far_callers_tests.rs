//! `G` in Needs follow-up shown one row per caller, through `App::update`: the far end's
//! callers after a gap one answer after the key, the cursor on the last row, what the keys
//! do on a caller still gathering, and the rows a full load gives once the gap fills.

use crossterm::event::KeyCode;

use crate::api::model::Status;
use crate::api::{CallFields, VoiceCall};
use crate::config::Config;
use crate::console::app::test_fixtures::pages::{
    self, answer_of, far_end_fetch, page_fetches as fetches, waiting_call,
};
use crate::console::app::{App, Session};
use crate::console::msg::{Effect, Msg, RequestId};
use crate::domain::calls::{Paging, Row as GroupRow};
use crate::test_support::{key, list_rows, now, utc};

const PER_PAGE: usize = 20;
const TOTAL: usize = 7 * PER_PAGE + 5;

/// Who call `n` (`call-0000` the newest) is from: five callers all through the first 100
/// calls (`A…`), three from there on (`B…`, in the middle and the far end), `C` only in the
/// far end, and the oldest call from `A0`, whose row stands at the top.
fn caller(n: usize) -> String {
    match n {
        144 => "A0".into(),
        130 | 140 => "C".into(),
        n if n >= 100 => format!("B{}", n % 3),
        n => format!("A{}", n % 5),
    }
}

fn call(n: usize) -> VoiceCall {
    let who = caller(n);
    let (kind, k) = who.split_at(1);
    let id = (kind.as_bytes()[0] - b'A') as usize * 10 + k.parse::<usize>().unwrap_or(0);
    let number = format!("+1415555{id:04}");
    VoiceCall {
        from_number: Some(number),
        status: Some(Status("MISSED".into())),
        ..waiting_call(n)
    }
}

fn page(req: RequestId, page: u32) -> Msg {
    let start = (page as usize - 1) * PER_PAGE;
    answer_of(
        req,
        page,
        (start..(start + PER_PAGE).min(TOTAL)).map(call).collect(),
    )
}

/// The view's first page oldest first: its far end.
fn far_end(req: RequestId) -> Msg {
    answer_of(req, 1, (TOTAL - PER_PAGE..TOTAL).rev().map(call).collect())
}

/// Needs follow-up grouped by caller, its first page in, `G` pressed and the far end in.
fn at_far_end() -> (App, Vec<(RequestId, u32)>) {
    let config = Config {
        page_size: PER_PAGE as u32,
        refresh_secs: 0,
        max_in_flight: 3,
        staff_uid: Some("staff-1".into()),
        update_fields: crate::config::UpdateFields::Changed,
        ..Config::default()
    };
    let session = Session {
        demo: true,
        api_label: "demo".into(),
        config,
        ..Session::default()
    };
    let (mut app, effects) = App::new(session, now(), utc(), list_rows(14), Vec::new());
    let first = fetches(&effects)[0];
    // Five callers fill less than a screen: the next page is asked for at once.
    let mut out = fetches(&app.update(page(first.0, first.1)));
    assert!(app.grouped().is_some());
    assert_eq!(app.list().len(), PER_PAGE);
    let effects = app.update(key(KeyCode::Char('G')));
    let far = far_end_fetch(&effects).expect("the far end asked for, one row per caller too");
    out.extend(fetches(&effects));
    out.extend(fetches(&app.update(far_end(far))));
    (app, out)
}

/// Each row: a caller's row as `[callers' call numbers]` (`+` while gathering), a call by
/// its number, the gap as `…`.
fn rows(app: &App) -> Vec<String> {
    let groups = app.grouped().expect("one row per caller");
    let list = app.list();
    let num = |pos: usize| {
        list.get(pos).map_or("?".into(), |c| {
            c.uid_str().trim_start_matches("call-0").to_string()
        })
    };
    groups
        .rows()
        .iter()
        .map(|row| match *row {
            GroupRow::Group(g) => {
                let members = groups.group(g).expect("group").members();
                let calls: Vec<String> = members.iter().map(|p| num(*p)).collect();
                let more = if groups.gathering(g) { "+" } else { "" };
                format!("[{}]{more}", calls.join(" "))
            }
            GroupRow::Call { at, member } => {
                format!("{}{}", if member { "  " } else { "" }, num(at))
            }
            GroupRow::Gap => "…".into(),
        })
        .collect()
}

/// The rows a full load of the view gives: each caller where their newest call stands.
fn full_rows() -> Vec<String> {
    let mut order: Vec<String> = Vec::new();
    let mut calls: std::collections::HashMap<String, Vec<String>> = Default::default();
    for n in 0..TOTAL {
        let who = caller(n);
        if !calls.contains_key(&who) {
            order.push(who.clone());
        }
        calls.entry(who).or_default().push(format!("{n:03}"));
    }
    order
        .iter()
        .map(|who| match calls[who].as_slice() {
            [one] => one.clone(),
            many => format!("[{}]", many.join(" ")),
        })
        .collect()
}

fn answer_all(app: &mut App, mut out: Vec<(RequestId, u32)>) {
    while !out.is_empty() {
        let (req, p) = out.remove(0);
        let effects = app.update(page(req, p));
        out.extend(fetches(&effects));
    }
}

fn puts(effects: &[Effect]) -> usize {
    effects
        .iter()
        .filter(|e| {
            matches!(
                e,
                Effect::FetchCall { .. } | Effect::PutCall { .. } | Effect::CheckAndPut { .. }
            )
        })
        .count()
}

#[test]
fn g_shows_the_far_ends_callers_after_a_gap_with_the_cursor_on_the_last_row() {
    let (app, _) = at_far_end();
    let shown = rows(&app);
    let gap = shown.iter().position(|r| r == "…").expect("a gap row");
    assert_eq!(
        gap, 5,
        "the five callers of the first page above it: {shown:?}"
    );
    // The far end's callers, where each one's first far call stands; A0's oldest call is
    // not repeated (their row stands above).
    let b = |r: usize| -> String {
        (125..TOTAL)
            .filter(|n| caller(*n) == format!("B{r}"))
            .map(|n| format!("{n:03}"))
            .collect::<Vec<_>>()
            .join(" ")
    };
    assert_eq!(
        shown[gap + 1..],
        [
            format!("[{}]+", b(2)),
            format!("[{}]+", b(0)),
            format!("[{}]+", b(1)),
            "[130 140]+".to_string(),
        ],
        "{shown:?}"
    );
    let groups = app.grouped().unwrap();
    assert_eq!(
        groups.selected_index(),
        shown.len() - 1,
        "the cursor on the last row"
    );
    assert_eq!(
        app.list().selected().map(|c| c.uid_str()),
        Some("call-0130")
    );
    let words = app.gap_words().expect("gap words");
    assert!(words.contains("loading (Esc stops)"), "{words}");
    let screen = crate::test_support::screen_text(&crate::test_support::draw(&app, 120, 20));
    assert!(
        screen.contains("2+× Missed"),
        "marked as gathering:\n{screen}"
    );
}

#[test]
fn a_gathering_callers_calls_are_not_marked_or_selected_all_at_once() {
    let (mut app, _) = at_far_end();
    let effects = app.update(key(KeyCode::Char('h')));
    assert_eq!(puts(&effects), 0, "{effects:?}");
    let notice = app.notice().unwrap_or_default().to_string();
    assert!(
        notice.starts_with("not marking ")
            && notice.contains("still loading; wait for them")
            && notice.contains("Enter lists the 2 found so far"),
        "{notice}"
    );
    app.update(key(KeyCode::Char(' ')));
    assert!(
        app.selected_uids().is_empty(),
        "Space selected part of a caller"
    );
    assert!(
        app.notice()
            .unwrap_or_default()
            .starts_with("not selecting ")
    );
    // Enter lists the calls found so far; one of them is exactly itself.
    app.update(key(KeyCode::Enter));
    let shown = rows(&app);
    assert_eq!(shown[shown.len() - 3..], ["[130 140]+", "  130", "  140"]);
    app.update(key(KeyCode::Char('j')));
    app.update(key(KeyCode::Char('j')));
    assert_eq!(
        app.list().selected().map(|c| c.uid_str()),
        Some("call-0140")
    );
    let effects = app.update(key(KeyCode::Char('h')));
    assert_eq!(
        puts(&effects),
        1,
        "one call is marked: {effects:?} {:?}",
        app.notice()
    );
}

#[test]
fn when_the_gap_fills_the_rows_are_a_full_loads_and_the_cursor_is_on_the_last() {
    let (mut app, out) = at_far_end();
    // A move within the far end and back: still at the end.
    app.update(key(KeyCode::Char('k')));
    app.update(key(KeyCode::Char('j')));
    answer_all(&mut app, out);
    assert_eq!(app.list().paging, Paging::Complete);
    assert_eq!(app.list().gap_row(), None);
    let shown = rows(&app);
    assert_eq!(shown, full_rows());
    let groups = app.grouped().unwrap();
    assert_eq!(
        groups.selected_index(),
        shown.len() - 1,
        "on the last row: {shown:?}"
    );
}

#[test]
fn a_cursor_moved_up_from_the_end_stays_on_its_caller_as_the_gap_fills() {
    let (mut app, out) = at_far_end();
    for _ in 0..3 {
        app.update(key(KeyCode::Char('k')));
    }
    let on = app.list().selected().map(|c| c.uid_str().to_string());
    assert_eq!(on.as_deref(), Some("call-0125"), "B2's row");
    answer_all(&mut app, out);
    // B2's row moved up to where their newest call stands.
    let groups = app.grouped().unwrap();
    let group = groups.selected_group().expect("a caller's row");
    let newest = app
        .list()
        .get(group.newest())
        .map(|c| c.uid_str().to_string());
    assert_eq!(newest.as_deref(), Some("call-0101"), "{:?}", rows(&app));
}

#[test]
fn turning_one_row_per_caller_on_and_off_keeps_the_far_end() {
    let mut app = pages::started_with(PER_PAGE, TOTAL, 3, |c| c.group_by_caller = false);
    let effects = app.update(key(KeyCode::Char('G')));
    app.update(pages::far_end_answer(
        far_end_fetch(&effects).unwrap(),
        PER_PAGE,
        TOTAL,
    ));
    assert!(app.list().gap_row().is_some());
    app.update(key(KeyCode::Char('z')));
    assert!(app.grouped().is_some_and(|g| g.gap_row().is_some()));
    assert_eq!(
        app.row_count(),
        2 * PER_PAGE + 1,
        "each call its own caller here"
    );
    app.update(key(KeyCode::Char('z')));
    assert_eq!(app.list().gap_row(), Some(PER_PAGE));
}

#[test]
fn after_esc_a_gathering_caller_still_waits_and_g_is_named() {
    let (mut app, _) = at_far_end();
    app.update(key(KeyCode::Esc));
    let words = app.gap_words().expect("the far end stays");
    assert!(words.contains("not loaded — G loads them"), "{words}");
    let effects = app.update(key(KeyCode::Char('h')));
    assert_eq!(puts(&effects), 0, "{effects:?}");
    let notice = app.notice().unwrap_or_default();
    assert!(notice.contains("not loaded; G loads them"), "{notice}");
}

/// A caller whose row stands above the gap while some of their calls came with the far end:
/// `h` on their row would mark only the calls above, so it waits like a far caller's row.
#[test]
fn a_caller_above_with_calls_in_the_far_end_is_not_marked_in_part() {
    let (mut app, _) = at_far_end();
    app.update(key(KeyCode::Char('g')));
    let groups = app.grouped().unwrap();
    assert!(
        groups.on_gathering_group(),
        "the first caller's row is short of their far calls: {:?}",
        rows(&app)
    );
    let effects = app.update(key(KeyCode::Char('h')));
    assert_eq!(puts(&effects), 0, "{effects:?}");
    let notice = app.notice().unwrap_or_default().to_string();
    assert!(notice.starts_with("not marking "), "{notice}");
}
