//! Tabs through `update`: each has its own query, cursor and selection, the choice is saved,
//! and the refresh timer merges new calls without moving the user.

use crate::api::CallFields;
use crate::console::app::test_fixtures::follow_up::*;

#[test]
fn starts_on_needs_follow_up_with_its_statuses() {
    let (app, effects) = start(session(), (120, 30));
    assert_eq!(app.active_index(), 0);
    assert_eq!(app.tab().id, TabId::FollowUp);
    let (_, query) = list_fetch(&effects);
    assert_eq!(
        query.filters,
        vec![
            ("status".to_string(), None, FOLLOW_UP.to_string()),
            ("direction".to_string(), None, "INBOUND".to_string())
        ]
    );
    assert_eq!(query.page, 1);
    assert_eq!(query.per_page, 20);
    assert_eq!(query.sort.as_deref(), Some("created_at:desc"));
}

#[test]
fn number_keys_switch_tabs_with_their_own_queries_and_save_the_state() {
    let mut app = loaded_with(session(), (120, 14), calls(0..5));

    let effects = app.update(key(KeyCode::Char('2')));
    assert_eq!(app.active_index(), 1);
    assert_eq!(app.tab().id, TabId::All);
    let (_, query) = list_fetch(&effects);
    assert!(
        filter_of(&query, "status", None).is_none(),
        "All asks for any status: {query:?}"
    );
    assert!(query.filters.is_empty(), "{query:?}");
    let states = saved_states(&effects);
    assert_eq!(states.len(), 1, "{effects:?}");
    assert_eq!(states[0].active, Some(TabId::All));

    let effects = app.update(key(KeyCode::Char('6')));
    assert_eq!(app.tab().id, TabId::Outbound);
    let (_, query) = list_fetch(&effects);
    assert_eq!(
        query.filters,
        vec![("direction".to_string(), None, "OUTBOUND".to_string())]
    );
    assert_eq!(saved_states(&effects)[0].active, Some(TabId::Outbound));

    // The same tab again does nothing.
    assert!(app.update(key(KeyCode::Char('6'))).is_empty());
}

#[test]
fn brackets_cycle_through_the_tabs_both_ways() {
    let (mut app, _) = start(session(), (120, 14));
    app.update(key(KeyCode::Char(']')));
    assert_eq!(app.tab().id, TabId::All);
    app.update(key(KeyCode::Char(']')));
    assert_eq!(app.tab().id, TabId::Missed);
    app.update(key(KeyCode::Char('[')));
    app.update(key(KeyCode::Char('[')));
    assert_eq!(app.tab().id, TabId::FollowUp);
    let effects = app.update(key(KeyCode::Char('[')));
    assert_eq!(app.tab().id, TabId::Outbound, "wraps to the last tab");
    assert_eq!(saved_states(&effects)[0].active, Some(TabId::Outbound));
    let effects = app.update(key(KeyCode::Char(']')));
    assert_eq!(app.tab().id, TabId::FollowUp, "wraps to the first tab");
    assert_eq!(saved_states(&effects)[0].active, Some(TabId::FollowUp));
}

#[test]
fn each_tab_keeps_its_own_selection_and_cursor() {
    let mut app = loaded_with(session(), (120, 14), calls(0..8));
    app.update(key(KeyCode::Char('j')));
    app.update(key(KeyCode::Char('j')));
    app.update(key(KeyCode::Char(' '))); // selects call 2, moves to 3
    assert_eq!(selection(&app), vec![uid(2)]);
    assert_eq!(app.list().selected_index(), 3);

    let effects = app.update(key(KeyCode::Char('2')));
    let (req, query) = list_fetch(&effects);
    app.update(page_loaded(req, query.page, calls(10..15)));
    assert!(
        app.tab().selected.is_empty(),
        "tab 2 starts with nothing selected"
    );
    app.update(key(KeyCode::Char(' ')));
    assert_eq!(selection(&app), vec![uid(10)]);
    assert_eq!(app.list().selected_index(), 1);

    let effects = app.update(key(KeyCode::Char('1')));
    assert_eq!(app.tab().id, TabId::FollowUp);
    assert_eq!(saved_states(&effects).len(), 1);
    assert_eq!(
        selection(&app),
        vec![uid(2)],
        "tab 1's selection is still there"
    );
    assert_eq!(app.list().selected_index(), 3, "and so is its cursor");
    assert_eq!(selected_uid(&app), Some(uid(3)));
    // Coming back to a loaded tab refreshes it (merged, not reloaded).
    let (req, query) = list_fetch(&effects);
    assert_eq!(query.page, 1);
    app.update(page_loaded(req, 1, calls(0..8)));
    assert_eq!(selection(&app), vec![uid(2)]);
    assert_eq!(selected_uid(&app), Some(uid(3)));

    app.update(key(KeyCode::Char('2')));
    assert_eq!(selection(&app), vec![uid(10)], "tab 2 kept its own");
    assert_eq!(app.list().selected_index(), 1);
}

fn refreshing_session(bell: bool) -> Session {
    let mut session = session();
    session.config.refresh_secs = 30;
    session.config.bell_on_new_missed = bell;
    session
}

/// Ticks until the refresh timer fires; returns the refresh request.
fn timer_refresh(app: &mut App) -> RequestId {
    let early = app.update(Msg::Tick(now() + chrono::TimeDelta::seconds(29)));
    assert!(list_fetches(&early).is_empty(), "not yet: {early:?}");
    let effects = app.update(Msg::Tick(now() + chrono::TimeDelta::seconds(30)));
    let (req, query) = list_fetch(&effects);
    assert_eq!(query.page, 1);
    assert_eq!(filter_of(&query, "status", None), Some(FOLLOW_UP));
    req
}

#[test]
fn the_refresh_timer_merges_new_calls_and_keeps_the_selected_call_on_its_line() {
    let mut app = loaded_with(refreshing_session(false), (120, 14), calls(0..20));
    for _ in 0..3 {
        app.update(key(KeyCode::Char('j')));
    }
    app.update(key(KeyCode::Char(' '))); // select call 3, cursor to call 4
    let line = app.list().selected_index() - app.list().offset();
    assert_eq!(selected_uid(&app), Some(uid(4)));

    let req = timer_refresh(&mut app);
    let mut fresh = vec![arrived(call(100), 2), arrived(call(101), 1)];
    fresh.extend(calls(0..18));
    let effects = app.update(page_loaded(req, 1, fresh));
    assert!(!effects.contains(&Effect::Bell), "bell is off");
    assert_eq!(app.list().calls()[0].uid(), Some("call-0100"));
    assert_eq!(app.list().len(), 22);
    assert_eq!(
        selected_uid(&app),
        Some(uid(4)),
        "the same call stays selected"
    );
    assert_eq!(
        app.list().selected_index() - app.list().offset(),
        line,
        "on the same screen line"
    );
    assert_eq!(selection(&app), vec![uid(3)], "the selection is kept");
    let new: BTreeSet<&str> = app.tab().new_uids.iter().map(String::as_str).collect();
    assert_eq!(new, ["call-0100", "call-0101"].into_iter().collect());
    assert!(app.notice().is_some_and(|n| n.starts_with("2 new calls")));

    // The timer starts again from the refresh.
    let later = app.update(Msg::Tick(now() + chrono::TimeDelta::seconds(45)));
    assert!(list_fetches(&later).is_empty(), "{later:?}");
    let again = app.update(Msg::Tick(now() + chrono::TimeDelta::seconds(60)));
    assert_eq!(list_fetches(&again).len(), 1, "{again:?}");
}

#[test]
fn a_new_missed_call_rings_the_bell_when_asked() {
    let mut app = loaded_with(refreshing_session(true), (120, 14), calls(0..5));
    let req = timer_refresh(&mut app);
    let mut fresh = vec![call_with(100, "MISSED")];
    fresh.extend(calls(0..5));
    let effects = app.update(page_loaded(req, 1, fresh));
    assert!(effects.contains(&Effect::Bell), "{effects:?}");
    assert!(app.tab().new_uids.contains("call-0100"));
}

#[test]
fn no_bell_when_nothing_new_was_missed() {
    let mut app = loaded_with(refreshing_session(true), (120, 14), calls(0..5));
    let req = timer_refresh(&mut app);
    let effects = app.update(page_loaded(req, 1, calls(0..5)));
    assert!(!effects.contains(&Effect::Bell), "{effects:?}");
    assert!(app.tab().new_uids.is_empty());
}

#[test]
fn refresh_secs_zero_never_refreshes() {
    let mut app = loaded_with(session(), (120, 14), calls(0..5));
    let effects = app.update(Msg::Tick(now() + chrono::TimeDelta::hours(3)));
    assert!(list_fetches(&effects).is_empty(), "{effects:?}");
}
