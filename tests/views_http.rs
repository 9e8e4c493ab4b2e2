//! The views agree with the server after every change, judged against the embedded server:
//! a call handled here leaves Needs follow-up and joins Handled at its place at once, the tab
//! and the status bar count the same, and a refresh keeps a view in its order.

use callconsole::api::CallFields;
use callconsole::console::app::App;
use callconsole::domain::views::TabId;
use crossterm::event::KeyCode;

#[path = "support/bodies.rs"]
mod bodies;
#[path = "support/drive.rs"]
mod drive;
#[path = "support/triage.rs"]
mod triage;

use triage::{follow_up, key, press, server_calls, setup};

/// The uids a view lists, in its order.
fn uids(app: &App, tab: TabId) -> Vec<String> {
    app.view(tab.index())
        .calls()
        .iter()
        .filter_map(|c| c.uid().map(str::to_string))
        .collect()
}

/// Whether a view lists its calls newest first, as its sort says.
fn newest_first(app: &App, tab: TabId) -> bool {
    let times: Vec<_> = app
        .view(tab.index())
        .calls()
        .iter()
        .map(|c| c.created())
        .collect();
    times.windows(2).all(|w| w[0] >= w[1])
}

/// `h` on a waiting call: the call leaves Needs follow-up at once (the next call comes under
/// the cursor), the tab's count, the status bar's and the server's are one number, and the
/// Handled view, already loaded, lists the call where its time puts it.
#[tokio::test]
async fn a_handled_call_moves_views_and_the_counts_agree() {
    let (_server, client, mut app) = setup(300, TabId::FollowUp).await;
    // Open Handled once so it is loaded, then come back.
    press(
        &mut app,
        &client,
        vec![key(KeyCode::Char('5')), key(KeyCode::Char('1'))],
    )
    .await;
    assert!(newest_first(&app, TabId::Handled));
    let listed = uids(&app, TabId::FollowUp);
    let uid = listed[0].clone();
    press(&mut app, &client, vec![key(KeyCode::Char('h'))]).await;
    let waiting = server_calls(&client, follow_up()).await.len();
    assert_eq!(waiting, listed.len() - 1, "the server holds it handled");

    assert!(
        !uids(&app, TabId::FollowUp).contains(&uid),
        "a handled call leaves Needs follow-up"
    );
    assert_eq!(
        app.selected_call()
            .and_then(|c| c.uid().map(str::to_string)),
        Some(listed[1].clone()),
        "the next call comes under the cursor"
    );
    assert_eq!(app.tab_count(0), Some(waiting.to_string()));
    let screen = drive::screen(&app, 140, 30).join("\n");
    assert!(
        screen.contains(&format!("{waiting} calls")),
        "the status bar counts what the tab counts ({waiting}):\n{screen}"
    );
    assert!(
        uids(&app, TabId::Handled).contains(&uid),
        "the Handled view lists it"
    );
    assert!(newest_first(&app, TabId::Handled), "at its place by time");
}

/// A colleague handles an old call; the refresh brings it into Handled, which stays newest
/// first (a refresh used to put every new call on top, whatever its time).
#[tokio::test]
async fn a_refresh_keeps_the_view_in_its_order() {
    let (_server, client, mut app) = setup(300, TabId::Handled).await;
    assert!(newest_first(&app, TabId::Handled));
    let oldest = server_calls(&client, follow_up())
        .await
        .into_iter()
        .filter(|c| {
            c.direction
                .as_ref()
                .is_some_and(|d| d.as_str() == "INBOUND")
        })
        .min_by_key(|c| c.created())
        .expect("an old waiting call");
    let mut body = bodies::complete_body(&oldest);
    body.status = "MISSED_CALL_HANDLED".into();
    body.handled_by_staff_uid = Some("staff-colleague".into());
    client
        .update(oldest.uid.as_deref().expect("uid"), &body)
        .await
        .result
        .expect("the colleague's save");

    press(&mut app, &client, vec![key(KeyCode::Char('r'))]).await;
    let listed = uids(&app, TabId::Handled);
    let uid = oldest.uid.clone().expect("uid");
    assert!(
        newest_first(&app, TabId::Handled),
        "the refresh kept newest first"
    );
    assert_ne!(listed.first(), Some(&uid), "an old call is not put on top");
}
