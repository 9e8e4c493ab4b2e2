//! One row per caller in Needs follow-up, through `update`: `z` switches it, the counts
//! count callers and calls, Enter expands a group, Space selects its calls, `h` handles
//! exactly its calls as one undo step, a search jump reveals a folded call, a click picks a
//! row; and the grouped inbox as drawn.

use crate::console::app::test_fixtures::follow_up::*;
use crate::console::msg::Target;
use crate::test_support::{draw, screen_text};

/// Emily called three times (calls 0, 2, 3), Ben once (1), Ana once (4); newest first.
fn inbox() -> Vec<VoiceCall> {
    [
        (0, "client-emily"),
        (1, "client-ben"),
        (2, "client-emily"),
        (3, "client-emily"),
        (4, "client-ana"),
    ]
    .into_iter()
    .map(|(i, client)| VoiceCall {
        client_uid: Some(client.into()),
        ..call(i)
    })
    .collect()
}

fn grouped(mut session: Session) -> Session {
    session.config.group_by_caller = true;
    session
}

fn inbox_app(size: (u16, u16)) -> App {
    let mut app = loaded_with(grouped(bulk_session()), size, inbox());
    app.set_people(crate::test_support::people_knowing(
        &[
            ("client-emily", "Emily Carter"),
            ("client-ben", "Ben Okafor"),
        ],
        &[],
    ));
    app
}

fn rows(app: &App) -> usize {
    app.row_count()
}

#[test]
fn z_switches_between_one_row_per_caller_and_one_per_call() {
    let mut app = inbox_app((120, 20));
    assert!(app.group_by_caller(), "on by default");
    assert_eq!(rows(&app), 3, "Emily, Ben, Ana");
    assert_eq!(
        selected_uid(&app),
        Some(uid(0)),
        "a group stands for its newest call"
    );
    app.update(key(KeyCode::Char('j')));
    assert_eq!(selected_uid(&app), Some(uid(1)));

    let effects = app.update(key(KeyCode::Char('z')));
    assert!(!app.group_by_caller());
    assert_eq!(rows(&app), 5, "one row per call");
    assert_eq!(
        selected_uid(&app),
        Some(uid(1)),
        "the cursor stays on its call"
    );
    assert_eq!(app.list().selected_index(), 1);
    assert_eq!(saved_states(&effects)[0].group_by_caller, Some(false));
    assert!(app.notice().is_some_and(|n| n.contains("one row per call")));

    // Ungrouped, j moves over calls: Emily's second call is next.
    app.update(key(KeyCode::Char('j')));
    assert_eq!(selected_uid(&app), Some(uid(2)));
    let effects = app.update(key(KeyCode::Char('z')));
    assert_eq!(rows(&app), 3);
    assert_eq!(app.row_window().1, 0, "call 2 is folded in Emily's row");
    assert_eq!(selected_uid(&app), Some(uid(0)));
    assert_eq!(
        saved_states(&effects)[0].group_by_caller,
        None,
        "back to the setting: nothing to remember"
    );
}

#[test]
fn the_remembered_choice_wins_over_the_setting() {
    let state = UiState {
        group_by_caller: Some(false),
        ..UiState::default()
    };
    let (app, _) = App::with_state(
        grouped(session()),
        now(),
        utc(),
        list_rows(20),
        Vec::new(),
        state,
    );
    assert!(!app.group_by_caller());
}

#[test]
fn counts_count_callers_and_calls() {
    let app = inbox_app((120, 20));
    let count = app.view_count(0).expect("count");
    assert_eq!(count.callers, Some(3));
    assert_eq!(count.in_words(), "3 · 5 calls");
    assert_eq!(
        app.tab_count(0).as_deref(),
        Some("5"),
        "the calls, as before"
    );
    let screen = screen_text(&draw(&app, 160, 20));
    let title = screen.lines().next().unwrap_or_default();
    assert!(title.contains("Needs follow-up 3 · 5 calls"), "{screen}");
    assert!(
        screen.contains("3 callers · 5 calls"),
        "the status bar: {screen}"
    );
    let narrow = screen_text(&draw(&app, 60, 20));
    let title = narrow.lines().next().unwrap_or_default();
    assert!(title.contains("3·5"), "{narrow}");
    // Other tabs and the ungrouped view count calls only.
    assert_eq!(app.view_count(1).and_then(|c| c.callers), None);
    let mut app = app;
    app.update(key(KeyCode::Char('z')));
    assert_eq!(app.view_count(0).expect("count").in_words(), "5");
}

#[test]
fn enter_expands_a_group_and_keeps_its_meaning_on_a_call() {
    let mut app = inbox_app((120, 20));
    app.update(key(KeyCode::Enter));
    assert!(!app.detail_open(), "Enter on a group expands it");
    assert_eq!(rows(&app), 6, "Emily's row and her three calls under it");
    assert_eq!(app.row_window().1, 0, "the cursor stays on the group");
    app.update(key(KeyCode::Char('j')));
    app.update(key(KeyCode::Char('j')));
    assert_eq!(selected_uid(&app), Some(uid(2)));
    app.update(key(KeyCode::Enter));
    assert!(app.detail_open(), "Enter on a call opens the detail pane");
    app.update(key(KeyCode::Esc));
    app.update(key(KeyCode::Char('g')));
    app.update(key(KeyCode::Enter));
    assert_eq!(rows(&app), 3, "folded again");
    app.update(key(KeyCode::Char('G')));
    assert_eq!(selected_uid(&app), Some(uid(4)));
}

#[test]
fn space_on_a_group_selects_its_calls() {
    let mut app = inbox_app((120, 20));
    app.update(key(KeyCode::Char(' ')));
    assert_eq!(selection(&app), vec![uid(0), uid(2), uid(3)]);
    let screen = screen_text(&draw(&app, 120, 20));
    let row = screen
        .lines()
        .find(|l| l.contains("Emily Carter"))
        .unwrap_or_default();
    assert!(
        row.contains('✓'),
        "the caller's row is marked selected: {screen}"
    );
    assert_eq!(
        selected_uid(&app),
        Some(uid(1)),
        "and moves on to the next row"
    );
    app.update(key(KeyCode::Char('k')));
    app.update(key(KeyCode::Char(' ')));
    assert!(
        selection(&app).is_empty(),
        "all selected: Space clears them"
    );
    app.update(key(KeyCode::Char('V')));
    assert_eq!(selection(&app).len(), 5, "V takes every call");
}

#[test]
fn h_on_a_group_handles_exactly_its_calls_as_one_undo_step() {
    let mut app = inbox_app((120, 20));
    let sends = batch_sends(&app.update(key(KeyCode::Char('h'))));
    assert_eq!(uids_of(&sends), vec![uid(0), uid(2), uid(3)]);
    for sent in &sends {
        let i = uid_index(&sent.uid);
        let mut done = handled_copy(i);
        done.client_uid = Some("client-emily".into());
        let mut before = call(i);
        before.client_uid = Some("client-emily".into());
        app.update(checked(sent, Ok(before), Ok(done)));
    }
    assert_eq!(rows(&app), 2, "Emily's row left the view");
    assert_eq!(app.view_count(0).and_then(|c| c.callers), Some(2));
    assert_eq!(
        selected_uid(&app),
        Some(uid(1)),
        "the cursor is on the next caller"
    );

    // One undo step puts all three back.
    let sends = batch_sends(&app.update(key(KeyCode::Char('u'))));
    assert_eq!(
        uids_of(&sends).into_iter().collect::<BTreeSet<_>>(),
        [uid(0), uid(2), uid(3)].into_iter().collect()
    );
}

#[test]
fn h_on_a_callers_single_call_is_the_single_h() {
    let mut app = inbox_app((120, 20));
    app.update(key(KeyCode::Char('j')));
    let effects = app.update(key(KeyCode::Char('h')));
    assert!(batch_sends(&effects).is_empty(), "no bulk for one call");
    assert!(
        effects
            .iter()
            .any(|e| matches!(e, Effect::FetchCall { .. })),
        "the single h checks the call first: {effects:?}"
    );
}

#[test]
fn a_search_jump_opens_the_group_its_match_is_folded_in() {
    let mut app = inbox_app((120, 20));
    app.update(key(KeyCode::Char('/')));
    type_str(&mut app, "Caller 3 asked");
    app.update(key(KeyCode::Enter));
    app.update(key(KeyCode::Char('n')));
    assert_eq!(selected_uid(&app), Some(uid(3)));
    assert_eq!(rows(&app), 6, "Emily's group is open");
}

#[test]
fn a_click_picks_a_row_and_the_wheel_scrolls_rows() {
    let mut app = inbox_app((120, 20));
    app.update(Msg::Click(Target::Row(2)));
    assert_eq!(
        selected_uid(&app),
        Some(uid(4)),
        "the third row is Ana's call"
    );
    app.update(Msg::Click(Target::Row(3)));
    assert_eq!(selected_uid(&app), Some(uid(4)), "no fourth row");
}

#[test]
fn e_on_a_group_edits_its_newest_call() {
    let mut app = inbox_app((120, 20));
    app.update(key(KeyCode::Char('e')));
    assert_eq!(app.form().map(|f| f.uid().to_string()), Some(uid(0)));
}

#[test]
fn snapshot_grouped_inbox_60x20() {
    let mut app = inbox_app((60, 20));
    app.update(key(KeyCode::Enter));
    let screen = screen_text(&draw(&app, 60, 20));
    assert!(screen.contains("Emily Carter"), "{screen}");
    assert!(!screen.contains("client-emily"), "never a uid: {screen}");
    insta::assert_snapshot!(draw(&app, 60, 20).backend());
}

#[test]
fn snapshot_grouped_inbox_100x30() {
    let app = inbox_app((100, 30));
    let screen = screen_text(&draw(&app, 100, 30));
    assert!(
        screen.contains("since 12:36"),
        "since her first call: {screen}"
    );
    assert!(
        screen.contains("▸ 3× Voicemail"),
        "three times, a voicemail among them: {screen}"
    );
    assert!(
        screen.contains("Caller 0 as"),
        "the newest summary: {screen}"
    );
    insta::assert_snapshot!(draw(&app, 100, 30).backend());
}
