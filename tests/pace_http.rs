//! The console's pace against the embedded server over HTTP, as the server saw it: select all
//! and a bulk action keep `max_in_flight` requests out at once, and a server answering 429
//! with `Retry-After` halves that for the rest of the batch while every page still loads
//! and every call is still saved.

use callconsole::api::CallFields;
use std::collections::BTreeSet;

use callconsole::api::CALLS_PATH;
use callconsole::console::app::App;
use callconsole::domain::calls::Paging;
use callconsole::domain::views::TabId;
use callconsole::server::RunningServer;
use crossterm::event::KeyCode;

#[path = "support/bodies.rs"]
mod bodies;
#[path = "support/drive.rs"]
mod drive;
#[path = "support/triage.rs"]
mod triage;

use triage::{follow_up, key, server_calls, setup_with};

/// Presses `code` and performs what follows as the runtime would, timers included.
async fn press_live(app: &mut App, client: &callconsole::api::ApiClient, code: KeyCode) {
    let effects = app.update(key(code));
    drive::Driver::new(client).perform_live(app, effects).await;
}

/// The list requests (pages) the server saw, each with how many were out at once then.
fn pages_seen(server: &RunningServer) -> Vec<(String, usize)> {
    server
        .seen_alongside(CALLS_PATH)
        .into_iter()
        .filter(|(r, _)| r.path == CALLS_PATH)
        .map(|(r, n)| (r.query.unwrap_or_default(), n))
        .collect()
}

/// The single-call requests (a bulk action's GET and PUT, `…/voice_calls/{uid}`) and how
/// many were out at once. The server counts everything under the prefix; the stats report
/// and transcripts are slowed by no fault, so they come and go between the calls'.
fn calls_seen(server: &RunningServer) -> Vec<(String, usize)> {
    let prefix = format!("{CALLS_PATH}/");
    server
        .seen_alongside(&prefix)
        .into_iter()
        .filter(|(r, _)| !r.path[prefix.len()..].contains('/'))
        .map(|(r, n)| (format!("{} {}", r.method, r.path), n))
        .collect()
}

/// Pages 2 on were each asked for once (`twice`: that one twice), none skipped.
fn assert_each_page_once(seen: &[(String, usize)], twice: Option<&str>) {
    let mut pages: Vec<u32> = seen
        .iter()
        .filter_map(|(q, _)| page_of(q)?.parse().ok())
        .collect();
    pages.sort_unstable();
    let mut expected: Vec<u32> = (2..=*pages.last().expect("pages")).collect();
    if let Some(p) = twice {
        expected.push(p.parse().expect("page"));
        expected.sort_unstable();
    }
    assert_eq!(pages, expected, "{seen:?}");
}

fn most(seen: &[(String, usize)]) -> usize {
    seen.iter().map(|(_, n)| *n).max().unwrap_or(0)
}

/// The query's `page=N`.
fn page_of(query: &str) -> Option<String> {
    query
        .split('&')
        .find_map(|kv| kv.strip_prefix("page="))
        .map(str::to_string)
}

async fn assert_all_selected(app: &App, client: &callconsole::api::ApiClient, total: usize) {
    let expected: Vec<String> = server_calls(client, Vec::new())
        .await
        .into_iter()
        .map(|c| c.uid.expect("uid"))
        .collect();
    assert_eq!(expected.len(), total);
    let listed: Vec<String> = app
        .list()
        .calls()
        .iter()
        .map(|c| c.uid().expect("uid").to_string())
        .collect();
    assert_eq!(listed, expected, "every page loaded, once, in order");
    let everything: BTreeSet<String> = expected.into_iter().collect();
    assert_eq!(app.selected_uids(), everything);
    assert_eq!(app.list().paging, Paging::Complete);
}

/// Every page slow enough that the requests sent together are out together at the server.
fn slow_pages() -> String {
    format!("latency=60ms:path={CALLS_PATH}")
}

#[tokio::test]
async fn select_all_keeps_max_in_flight_pages_out_one_or_eight() {
    for limit in [1, 8] {
        let (server, client, mut app) = setup_with(2_000, TabId::All, |c| {
            c.max_in_flight = limit;
            c.page_size = 100;
        })
        .await;
        server.set_faults(drive::parse_faults(&[&slow_pages()]));
        let before = pages_seen(&server).len();
        press_live(&mut app, &client, KeyCode::Char('V')).await;
        let seen = pages_seen(&server).split_off(before);
        assert_all_selected(&app, &client, 2_000).await;
        assert_each_page_once(&seen, None);
        assert_eq!(most(&seen), limit, "max_in_flight = {limit}: {seen:?}");
    }
}

#[tokio::test]
async fn a_429_during_select_all_halves_the_pace_and_loses_no_page() {
    let (server, client, mut app) = setup_with(2_000, TabId::All, |c| {
        c.max_in_flight = 4;
        c.page_size = 50;
    })
    .await;
    // The third page asked for after the first is answered 429, "retry after 1 s", once.
    let throttle = format!("status=429:path={CALLS_PATH}:skip=2:rate=0.01");
    server.set_faults(drive::parse_faults(&[
        &slow_pages(),
        &throttle,
        "retry-after=1",
    ]));
    let before = pages_seen(&server).len();
    press_live(&mut app, &client, KeyCode::Char('V')).await;
    let seen = pages_seen(&server).split_off(before);
    assert_all_selected(&app, &client, 2_000).await;
    let slowed = page_of(&seen[2].0).expect("page");
    let retried = seen
        .iter()
        .skip(3)
        .position(|(q, _)| page_of(q).as_deref() == Some(slowed.as_str()))
        .map(|i| i + 3)
        .unwrap_or_else(|| panic!("page {slowed} asked again: {seen:?}"));
    assert_eq!(most(&seen[..3]), 3, "three out before the 429: {seen:?}");
    let after = &seen[retried..];
    assert!(after.len() > 10, "most pages come after the wait: {seen:?}");
    assert_eq!(most(after), 2, "two at a time after the 429: {seen:?}");
    assert_each_page_once(&seen, Some(&slowed));
    let log = app.log();
    assert!(
        log.iter().any(|e| e.exchange.status == Some(429)),
        "the 429 is in the request log"
    );
}

#[tokio::test]
async fn a_429_during_a_bulk_action_halves_the_pace_and_saves_every_call() {
    let (server, client, mut app) = setup_with(400, TabId::FollowUp, |c| {
        c.max_in_flight = 4;
    })
    .await;
    press_live(&mut app, &client, KeyCode::Char('V')).await;
    let selected = app.selected_uids();
    assert!(selected.len() > 30, "{}", selected.len());
    let calls = format!("{CALLS_PATH}/");
    server.set_faults(drive::parse_faults(&[
        &format!("latency=40ms:path={calls}"),
        &format!("status=429:method=PUT:path={calls}:skip=3:rate=0.001"),
        "retry-after=1",
    ]));
    let before = calls_seen(&server).len();
    press_live(&mut app, &client, KeyCode::Char('h')).await;
    // Over ten calls: the console asks first.
    press_live(&mut app, &client, KeyCode::Char('y')).await;
    let batch = app.batch().expect("a batch ran");
    assert!(!batch.running());
    assert_eq!(batch.failures().count(), 0, "{:?}", batch.progress());
    assert_eq!(batch.done(), selected.len());
    let waiting: BTreeSet<String> = server_calls(&client, follow_up())
        .await
        .into_iter()
        .filter_map(|c| c.uid)
        .collect();
    assert!(
        waiting.is_disjoint(&selected),
        "every selected call saved handled on the server"
    );
    let seen = calls_seen(&server).split_off(before);
    let puts: Vec<usize> = (0..seen.len())
        .filter(|i| seen[*i].0.starts_with("PUT"))
        .collect();
    let slowed = &seen[puts[3]].0;
    let retried = (puts[3] + 1..seen.len())
        .find(|i| seen[*i].0 == *slowed)
        .unwrap_or_else(|| panic!("{slowed} sent again: {seen:?}"));
    assert_eq!(most(&seen[..puts[3]]), 4, "four at a time first: {seen:?}");
    let after = &seen[retried..];
    assert!(after.len() > 10, "{seen:?}");
    assert_eq!(most(after), 2, "two at a time after the 429: {seen:?}");
}
