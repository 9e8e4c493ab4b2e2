//! `G` reaches the real end of a view over HTTP: one press loads the rest of Needs follow-up
//! from the embedded server, several pages at a time, and the cursor lands on the view's
//! oldest call as the server holds it.

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
