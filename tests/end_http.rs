//! `G` reaches the real end of a view over HTTP: one press loads the rest of Needs follow-up
//! from the embedded server, several pages at a time, and the cursor lands on the view's
//! oldest call as the server holds it; with a round trip to wait, the view's far end (asked
//! for in the reversed order) is on screen while the middle still loads.

use callconsole::api::CALLS_PATH;
use callconsole::api::CallFields;
use callconsole::domain::calls::Paging;
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
