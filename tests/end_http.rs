//! `G` reaches the real end of a view over HTTP: one press loads the rest of Needs follow-up
//! from the embedded server, several pages at a time, and the cursor lands on the view's
//! oldest call as the server holds it; with a round trip to wait, the view's far end (asked
//! for in the reversed order) is on screen while the middle still loads.

use callconsole::api::CALLS_PATH;
use callconsole::api::CallFields;
use std::collections::HashMap;

use callconsole::domain::calls::{Paging, Row};
use callconsole::domain::people::Lookup;
use callconsole::domain::views::TabId;
use crossterm::event::KeyCode;

#[path = "support/bodies.rs"]
mod bodies;
#[path = "support/drive.rs"]
mod drive;
#[path = "support/triage.rs"]
mod triage;

use triage::{follow_up, key, server_calls, setup_with};

#[tokio::test]
async fn one_g_lands_on_the_oldest_waiting_call() {
    let (server, client, mut app) = setup_with(6_000, TabId::FollowUp, |c| {
        c.group_by_caller = false;
        c.page_size = 50;
    })
    .await;
    let expected = server_calls(&client, follow_up()).await;
    assert!(expected.len() > 400, "{}", expected.len());
    assert_eq!(app.list().len(), 50, "one page until asked");
    let before = server.seen(CALLS_PATH).len();
    let effects = app.update(key(KeyCode::Char('G')));
    drive::Driver::new(&client)
        .perform_live(&mut app, effects)
        .await;
    assert_eq!(app.list().paging, Paging::Complete);
    assert_eq!(app.list().len(), expected.len(), "the whole view");
    assert_eq!(app.list().selected_index(), expected.len() - 1);
    let oldest = expected.last().and_then(|c| c.uid.clone());
    assert_eq!(
        app.list()
            .selected()
            .and_then(|c| c.uid().map(str::to_string)),
        oldest,
        "the cursor on the oldest waiting call"
    );
    let pages = expected.len().div_ceil(50);
    let asked = server.seen(CALLS_PATH).len() - before;
    assert!(asked >= pages - 1, "{asked} requests for {pages} pages");
}

/// What the screen showed when the far end first came.
struct FarEnd {
    cursor: Option<String>,
    complete: bool,
    loaded: usize,
    gap_line: Option<usize>,
    cursor_line: Option<usize>,
}

#[tokio::test]
async fn with_a_round_trip_the_oldest_call_shows_before_the_middle_is_in() {
    let (server, client, mut app) = setup_with(6_000, TabId::FollowUp, |c| {
        c.group_by_caller = false;
        c.page_size = 20;
    })
    .await;
    let expected = server_calls(&client, follow_up()).await;
    let pages = expected.len().div_ceil(20);
    assert!(
        pages > 12,
        "{pages} pages: several round trips at 4 in flight"
    );
    let oldest = expected.last().and_then(|c| c.uid.clone());
    // Every answer a round trip away from now on.
    server.set_faults(drive::parse_faults(&["latency=100ms"]));
    let mut far: Option<FarEnd> = None;
    let effects = app.update(key(KeyCode::Char('G')));
    drive::Driver::new(&client)
        .perform_live_watching(&mut app, effects, |app| {
            if far.is_some() || app.list().gap_row().is_none() {
                return;
            }
            let screen = drive::screen(app, 120, 40);
            far = Some(FarEnd {
                cursor: app.list().selected().map(|c| c.uid_str().to_string()),
                complete: app.list().paging == Paging::Complete,
                loaded: app.list().len(),
                gap_line: screen
                    .iter()
                    .position(|l| l.contains("calls loading (Esc stops)")),
                cursor_line: screen.iter().position(|l| l.contains('▶')),
            });
        })
        .await;
    let far = far.expect("the far end was shown");
    assert_eq!(
        far.cursor, oldest,
        "the cursor on the oldest call of the view"
    );
    assert!(
        !far.complete && far.loaded < expected.len() - 20,
        "{} loaded",
        far.loaded
    );
    let (gap, cursor) = (
        far.gap_line.expect("gap row"),
        far.cursor_line.expect("cursor"),
    );
    assert!(gap < cursor, "the gap above the oldest call on screen");
    let asked_reversed = server
        .seen(CALLS_PATH)
        .into_iter()
        .filter_map(|r| r.query)
        .filter(|q| q.contains("created_at%3Aasc") && q.contains("per_page=20"))
        .count();
    assert_eq!(
        asked_reversed, 1,
        "one request for the far end, a page of it"
    );
    // The middle came: the list is the server's view, in order, each call once.
    assert_eq!(app.list().paging, Paging::Complete);
    assert_eq!(app.list().gap_row(), None);
    let listed: Vec<Option<String>> = app
        .list()
        .calls()
        .iter()
        .map(|c| c.uid().map(str::to_string))
        .collect();
    let wanted: Vec<Option<String>> = expected.iter().map(|c| c.uid.clone()).collect();
    assert_eq!(listed, wanted);
    assert_eq!(
        app.list().selected().map(|c| c.uid_str().to_string()),
        oldest,
        "still on the oldest call"
    );
}

/// Each row of the grouped view as the uids it stands for (the gap: none).
fn grouped_rows(app: &callconsole::console::app::App) -> Vec<Vec<String>> {
    let groups = app.grouped().expect("one row per caller");
    let uid = |pos: usize| {
        app.list()
            .get(pos)
            .map_or("?".to_string(), |c| c.uid_str().to_string())
    };
    groups
        .rows()
        .iter()
        .filter_map(|row| match *row {
            Row::Group(g) => Some(groups.group(g)?.members().iter().map(|p| uid(*p)).collect()),
            Row::Call { at, member: false } => Some(vec![uid(at)]),
            Row::Call { member: true, .. } | Row::Gap => None,
        })
        .collect()
}

/// What the grouped screen showed when the far end's callers first came.
struct FarCallers {
    last_row: bool,
    on_far_row: bool,
    complete: bool,
    loaded: usize,
    row_calls: Vec<String>,
    gap_line: Option<usize>,
    cursor_line: Option<usize>,
}

#[tokio::test]
async fn one_row_per_caller_the_last_callers_show_before_the_middle_is_in() {
    let (server, client, mut app) = setup_with(6_000, TabId::FollowUp, |c| {
        c.page_size = 20;
    })
    .await;
    assert!(app.grouped().is_some(), "one row per caller is the default");
    let expected = server_calls(&client, follow_up()).await;
    let pages = expected.len().div_ceil(20);
    assert!(pages > 12, "{pages} pages");
    // A full load's rows: each caller where their newest call stands, their calls in order.
    let mut full: Vec<Vec<String>> = Vec::new();
    let mut row_of: HashMap<Lookup, usize> = HashMap::new();
    for call in &expected {
        let uid = call.uid.clone().expect("uid");
        match Lookup::of(call) {
            Some(who) if row_of.contains_key(&who) => full[row_of[&who]].push(uid),
            who => {
                if let Some(who) = who {
                    row_of.insert(who, full.len());
                }
                full.push(vec![uid]);
            }
        }
    }
    server.set_faults(drive::parse_faults(&["latency=100ms"]));
    let mut far: Option<FarCallers> = None;
    let effects = app.update(key(KeyCode::Char('G')));
    drive::Driver::new(&client)
        .perform_live_watching(&mut app, effects, |app| {
            let Some(groups) = app.grouped().filter(|g| g.gap_row().is_some()) else {
                return;
            };
            if far.is_some() {
                return;
            }
            let screen = drive::screen(app, 120, 40);
            let row_calls = match groups.selected_group() {
                Some(g) => g.members().to_vec(),
                None => vec![app.list().selected_index()],
            };
            far = Some(FarCallers {
                last_row: groups.selected_index() + 1 == groups.len(),
                on_far_row: groups.on_far_row(),
                complete: app.list().paging == Paging::Complete,
                loaded: app.list().len(),
                row_calls: row_calls
                    .iter()
                    .filter_map(|p| app.list().get(*p).map(|c| c.uid_str().to_string()))
                    .collect(),
                gap_line: screen
                    .iter()
                    .position(|l| l.contains("calls loading (Esc stops)")),
                cursor_line: screen.iter().position(|l| l.contains('▶')),
            });
        })
        .await;
    let far = far.expect("the far end's callers were shown");
    assert!(
        far.last_row && far.on_far_row,
        "the cursor on the last row, past the gap"
    );
    assert!(
        !far.complete && far.loaded < expected.len() - 20,
        "{} loaded",
        far.loaded
    );
    let oldest_20: Vec<&str> = expected[expected.len() - 20..]
        .iter()
        .filter_map(|c| c.uid.as_deref())
        .collect();
    assert!(
        !far.row_calls.is_empty()
            && far
                .row_calls
                .iter()
                .all(|u| oldest_20.contains(&u.as_str())),
        "the last row's calls are among the view's oldest: {:?}",
        far.row_calls
    );
    let (gap, cursor) = (
        far.gap_line.expect("gap row"),
        far.cursor_line.expect("cursor"),
    );
    assert!(gap < cursor, "the gap above the last row on screen");
    // The middle came: the rows are a full load's, the cursor on the last.
    assert_eq!(app.list().paging, Paging::Complete);
    let groups = app.grouped().expect("grouped");
    assert_eq!(groups.gap_row(), None);
    assert_eq!(grouped_rows(&app), full);
    assert_eq!(groups.selected_index() + 1, groups.len(), "on the last row");
}

#[tokio::test]
async fn past_the_load_limit_g_still_shows_the_oldest_call_and_the_gap_says_why() {
    let (server, client, mut app) = setup_with(6_000, TabId::FollowUp, |c| {
        c.group_by_caller = false;
        c.page_size = 20;
        c.load_limit = 200;
    })
    .await;
    let expected = server_calls(&client, follow_up()).await;
    assert!(expected.len() > 400, "{}", expected.len());
    let oldest = expected.last().and_then(|c| c.uid.clone());
    server.set_faults(drive::parse_faults(&["latency=50ms"]));
    let effects = app.update(key(KeyCode::Char('G')));
    drive::Driver::new(&client)
        .perform_live(&mut app, effects)
        .await;
    assert_eq!(
        app.list().paging,
        Paging::Idle { next: 11 },
        "stopped at the limit"
    );
    assert_eq!(app.list().len(), 200);
    assert_eq!(
        app.list().selected().map(|c| c.uid_str().to_string()),
        oldest,
        "the cursor on the oldest call of the view"
    );
    // The view's count is not known here (no report for it): "more calls".
    let screen = drive::screen(&app, 140, 40).join("\n");
    assert!(
        screen.contains("⋯ more calls not loaded: past the load limit (200 calls)"),
        "{screen}"
    );
}
