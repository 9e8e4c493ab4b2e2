//! Triage driven through `App::update`, its effects performed by the real client against the
//! embedded server over HTTP: filters and sort reach the server, the counts match its data,
//! a bulk "handled" changes exactly the selected calls, and select all loads the whole view
//! once, in the server's order, with several pages in flight.

use callconsole::api::CallFields;
use std::collections::BTreeSet;

use callconsole::api::{ApiClient, CALLS_PATH, VoiceCall};
use callconsole::console::app::{App, Prompt};
use callconsole::console::msg::{Effect, Msg};
use callconsole::domain::calls::Paging;
use callconsole::domain::views::TabId;
use crossterm::event::KeyCode;

#[path = "support/bodies.rs"]
mod bodies;
#[path = "support/drive.rs"]
mod drive;
#[path = "support/triage.rs"]
mod triage;

use triage::{follow_up, key, press, server_calls, setup, setup_with};

#[tokio::test]
async fn counts_match_the_servers_data() {
    let (_server, client, app) = setup(400, TabId::FollowUp).await;
    let waiting = server_calls(&client, follow_up()).await.len();
    let all = server_calls(&client, Vec::new()).await.len();
    assert!(waiting > 0);
    assert_eq!(app.tab_count(0), Some(waiting.to_string()));
    assert_eq!(app.tab_count(1), Some(all.to_string()));
    assert_eq!(
        app.list().len(),
        waiting,
        "the view lists every waiting call"
    );
    let missed = server_calls(&client, vec![("status".into(), None, "MISSED".into())])
        .await
        .len();
    assert_eq!(app.tab_count(2), Some(missed.to_string()));
    let oldest = server_calls(&client, follow_up())
        .await
        .into_iter()
        .filter_map(|c| c.created())
        .min();
    assert_eq!(app.oldest_unhandled().and_then(|c| c.created()), oldest);
}

#[tokio::test]
async fn filters_and_sort_reach_the_server() {
    let (_server, client, mut app) = setup(300, TabId::All).await;
    // f, Space ticks MISSED (the first status), Tab to direction, → INBOUND, Enter applies.
    press(
        &mut app,
        &client,
        vec![
            key(KeyCode::Char('f')),
            key(KeyCode::Char(' ')),
            key(KeyCode::Tab),
            key(KeyCode::Right),
            key(KeyCode::Enter),
        ],
    )
    .await;
    let expected = server_calls(
        &client,
        vec![
            ("status".into(), None, "MISSED".into()),
            ("direction".into(), None, "INBOUND".into()),
        ],
    )
    .await;
    assert!(!expected.is_empty());
    let listed: Vec<_> = app
        .list()
        .calls()
        .iter()
        .map(|c| c.uid().map(str::to_string))
        .collect();
    let wanted: Vec<_> = expected.iter().map(|c| c.uid.clone()).collect();
    assert_eq!(listed, wanted, "the server filtered, newest first");
    assert!(
        app.list()
            .calls()
            .iter()
            .all(|c| { c.status() == Some("MISSED") && c.direction() == Some("INBOUND") })
    );
    // S: oldest first, sent as sort=created_at:asc.
    press(&mut app, &client, vec![key(KeyCode::Char('S'))]).await;
    let mut wanted = wanted;
    wanted.reverse();
    let listed: Vec<_> = app
        .list()
        .calls()
        .iter()
        .map(|c| c.uid().map(str::to_string))
        .collect();
    assert_eq!(listed, wanted);
    let last = app.log().back().expect("logged").exchange.path.clone();
    assert!(last.contains("sort=created_at:asc"), "{last}");
    assert!(last.contains("filter[status]=MISSED"), "{last}");
}

#[tokio::test]
async fn a_bulk_of_50_marks_exactly_those_50() {
    // Space on 50 rows picks 50 calls: one row per call (grouping has its own test).
    let (_server, client, mut app) =
        setup_with(900, TabId::FollowUp, |c| c.group_by_caller = false).await;
    assert!(app.list().len() > 60, "enough waiting calls to pick from");
    let before = server_calls(&client, Vec::new()).await;
    let mut msgs: Vec<Msg> = (0..50).map(|_| key(KeyCode::Char(' '))).collect();
    msgs.push(key(KeyCode::Char('h')));
    press(&mut app, &client, msgs).await;
    assert!(
        matches!(app.prompt(), Some(Prompt::ConfirmBatch { .. })),
        "more than 10 asks first"
    );
    let selected: BTreeSet<String> = app.selected_uids();
    assert_eq!(selected.len(), 50);
    // Outbound calls in the view (call-back attempts) have nobody to call back: skipped.
    let chosen: BTreeSet<String> = selected
        .iter()
        .filter(|uid| {
            before.iter().any(|b| {
                b.uid.as_ref() == Some(*uid)
                    && b.direction
                        .as_ref()
                        .is_some_and(|d| d.as_str() == "INBOUND")
            })
        })
        .cloned()
        .collect();
    assert!(chosen.len() > 10, "mostly inbound calls");
    press(&mut app, &client, vec![key(KeyCode::Char('y'))]).await;
    let n = chosen.len();
    assert_eq!(
        app.batch().map(|b| b.progress()),
        Some(format!("handled {n}/{n}"))
    );

    let after = server_calls(&client, Vec::new()).await;
    let handled_by_me: BTreeSet<String> = after
        .iter()
        .filter(|c| c.handled_by_staff_uid.as_deref() == Some("staff-me"))
        .filter_map(|c| c.uid.clone())
        .collect();
    assert_eq!(handled_by_me, chosen, "exactly the selected calls");
    for c in &after {
        let uid = c.uid.clone().unwrap_or_default();
        let was = before.iter().find(|b| b.uid == c.uid).expect("same calls");
        if chosen.contains(&uid) {
            assert_eq!(
                c.status.as_ref().map(|s| s.as_str()),
                Some("MISSED_CALL_HANDLED")
            );
        } else {
            assert_eq!(c.updated_at, was.updated_at, "{uid} untouched");
        }
    }
    // The count of waiting calls dropped by as many.
    let waiting = server_calls(&client, follow_up()).await.len();
    assert_eq!(app.tab_count(0), Some(waiting.to_string()));

    // u undoes the whole batch (confirmed, as it is more than 10).
    press(
        &mut app,
        &client,
        vec![key(KeyCode::Char('u')), key(KeyCode::Char('y'))],
    )
    .await;
    let undone = server_calls(&client, Vec::new()).await;
    assert!(
        undone
            .iter()
            .all(|c| c.handled_by_staff_uid.as_deref() != Some("staff-me")),
        "every call is back as it was"
    );
    for c in &undone {
        let was = before.iter().find(|b| b.uid == c.uid).expect("same calls");
        assert_eq!(c.status, was.status);
    }
}

/// A colleague marks `call` handled, from another console.
async fn colleague_handles(client: &ApiClient, call: &VoiceCall) {
    let body = callconsole::api::UpdateVoiceCall {
        status: "MISSED_CALL_HANDLED".into(),
        handled_by_staff_uid: Some("colleague".into()),
        ..bodies::complete_body(call)
    };
    let uid = call.uid.as_deref().expect("uid");
    client
        .update(uid, &body)
        .await
        .result
        .expect("the colleague's save");
}

/// A colleague handled one of the selected calls after it was loaded: the bulk action
/// leaves it as they left it and marks the others; the call it skipped, handled now, leaves
/// the view and the selection with it.
#[tokio::test]
async fn a_bulk_never_overwrites_a_call_a_colleague_changed() {
    let (_server, client, mut app) = setup(300, TabId::FollowUp).await;
    let listed: Vec<VoiceCall> = app.list().calls()[..3]
        .iter()
        .map(|c| c.to_call())
        .collect();
    let msgs = (0..3).map(|_| key(KeyCode::Char(' '))).collect();
    press(&mut app, &client, msgs).await;
    colleague_handles(&client, &listed[1]).await;
    press(&mut app, &client, vec![key(KeyCode::Char('h'))]).await;
    assert_eq!(
        app.batch().map(|b| b.progress()).as_deref(),
        Some("handled 2/3, 1 failed")
    );
    let uid = |c: &VoiceCall| c.uid.clone().expect("uid");
    assert!(
        app.batch()
            .is_some_and(|b| b.failures().any(|(u, _)| u == uid(&listed[1]))),
        "the skipped call is among the failures"
    );
    assert!(
        app.tab().selected.is_empty() && app.list().find(&uid(&listed[1])).is_none(),
        "handled by the colleague, it left Needs follow-up, and no selection is left unseen"
    );
    let after = server_calls(&client, Vec::new()).await;
    let by = |c: &VoiceCall| {
        after
            .iter()
            .find(|a| a.uid == c.uid)
            .and_then(|a| a.handled_by_staff_uid.clone())
    };
    assert_eq!(by(&listed[0]).as_deref(), Some("staff-me"));
    assert_eq!(by(&listed[1]).as_deref(), Some("colleague"), "theirs kept");
    assert_eq!(by(&listed[2]).as_deref(), Some("staff-me"));
}

/// A colleague handles two waiting calls: the follow-up view never lists them again, and `r`
/// takes them off the screen (their absence from the fresh page is what says they left).
#[tokio::test]
async fn calls_a_colleague_handled_leave_the_view_on_refresh() {
    let (_server, client, mut app) = setup(300, TabId::FollowUp).await;
    let listed: Vec<VoiceCall> = app
        .list()
        .calls()
        .into_iter()
        .map(|c| c.to_call())
        .collect();
    assert!(listed.len() > 8, "enough waiting calls");
    let theirs = [&listed[2], &listed[5]];
    for call in theirs {
        colleague_handles(&client, call).await;
    }
    press(&mut app, &client, vec![key(KeyCode::Char('r'))]).await;
    let now: Vec<&str> = app
        .list()
        .calls()
        .into_iter()
        .filter_map(|c| c.uid())
        .collect();
    let expected: Vec<&str> = listed
        .iter()
        .enumerate()
        .filter(|(i, _)| *i != 2 && *i != 5)
        .filter_map(|(_, c)| c.uid.as_deref())
        .collect();
    assert_eq!(now, expected, "exactly the two handled calls left");
    let waiting = server_calls(&client, follow_up()).await.len();
    assert_eq!(app.tab_count(0), Some(waiting.to_string()));
}

/// Performs effects the way the runtime does: all at once, each answer fed back as it comes,
/// in whatever order. Returns the most page requests that were out at one time.
async fn perform_concurrently(app: &mut App, client: &ApiClient, effects: Vec<Effect>) -> usize {
    drive::Driver::new(client)
        .perform_concurrently(app, effects)
        .await
}

/// The open view holds every call the server has, once, in its order, all selected.
async fn assert_all_loaded_and_selected(app: &App, client: &ApiClient, total: usize) {
    let expected: Vec<_> = server_calls(client, Vec::new())
        .await
        .into_iter()
        .map(|c| c.uid.expect("uid"))
        .collect();
    assert_eq!(expected.len(), total);
    let listed: Vec<_> = app
        .list()
        .calls()
        .iter()
        .map(|c| c.uid().map(str::to_string).expect("uid"))
        .collect();
    assert_eq!(listed, expected, "every call once, in the server's order");
    let everything: BTreeSet<String> = expected.into_iter().collect();
    assert_eq!(app.selected_uids(), everything);
    assert_eq!(app.list().paging, Paging::Complete);
    assert!(!app.tab().selecting_all);
}

#[tokio::test]
async fn select_all_loads_the_whole_view_several_pages_at_a_time() {
    let (_server, client, mut app) = setup(2_350, TabId::All).await;
    assert_eq!(app.list().len(), 100, "one page until asked for more");
    let effects = app.update(key(KeyCode::Char('V')));
    let most = perform_concurrently(&mut app, &client, effects).await;
    assert_eq!(most, callconsole::config::Config::default().max_in_flight);
    assert_all_loaded_and_selected(&app, &client, 2_350).await;
}

#[tokio::test]
async fn select_all_answered_newest_first_still_lists_in_order() {
    let (_server, client, mut app) = setup(2_350, TabId::All).await;
    // `perform` answers the last request first: every page but the first of a window is early.
    press(&mut app, &client, vec![key(KeyCode::Char('V'))]).await;
    assert_all_loaded_and_selected(&app, &client, 2_350).await;
}

/// A view longer than `load_limit` (a server whose pages do not end, as far as one load
/// goes): select all stops there, says what happened and what to do, and asks for no page
/// past it, then or on the next `G` (which shows the view's far end after a gap instead).
#[tokio::test]
async fn select_all_stops_at_the_load_limit() {
    let (server, client, mut app) = setup_with(2_350, TabId::All, |c| c.load_limit = 1_000).await;
    // List pages only: the voicemail rows shown also ask for their transcripts.
    let pages = || {
        server
            .seen(CALLS_PATH)
            .iter()
            .filter(|r| r.method == "GET" && r.path == CALLS_PATH)
            .count()
    };
    let gets = pages();
    let effects = app.update(key(KeyCode::Char('V')));
    perform_concurrently(&mut app, &client, effects).await;
    assert_eq!(pages() - gets, 9, "pages 2 to 10, no more");
    assert_eq!(app.list().len(), 1_000);
    assert_eq!(app.tab().selected.len(), 1_000);
    assert!(!app.tab().selecting_all);
    assert_eq!(app.list().paging, Paging::Idle { next: 11 });
    let notice = app.notice().unwrap_or_default().to_string();
    assert!(
        notice.starts_with(
            "stopped loading at 1000 calls (10 pages), the load limit; 1000 of them selected"
        ) && notice.contains("narrow the view with a filter (f)"),
        "{notice}"
    );
    press(&mut app, &client, vec![key(KeyCode::Char('G'))]).await;
    // Only the view's far end (its first page oldest first), shown after the gap.
    assert_eq!(pages() - gets, 10, "G asks for no page past the limit");
    let reversed = server
        .seen(CALLS_PATH)
        .into_iter()
        .filter_map(|r| r.query)
        .filter(|q| q.contains("per_page=100&sort=created_at%3Aasc"))
        .collect::<Vec<_>>();
    assert_eq!(reversed.len(), 1, "the far end: {reversed:?}");
    assert_eq!(app.list().len(), 1_000);
    assert_eq!(app.list().gap_row(), Some(1_000));
}
