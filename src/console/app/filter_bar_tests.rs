//! The filter bar through `update`: the query it builds, a bad value, Esc and Ctrl-x.

use super::FILTER_STATUSES;
use crate::console::app::test_fixtures::follow_up::*;

#[test]
fn the_filter_bar_builds_a_query_from_statuses_direction_and_date() {
    let mut app = loaded_with(session(), (120, 14), calls(0..5));
    let effects = app.update(key(KeyCode::Char('2')));
    let (req, _) = list_fetch(&effects);
    app.update(page_loaded(req, 1, calls(0..5)));

    assert!(app.update(key(KeyCode::Char('f'))).is_empty());
    assert!(matches!(app.bar(), Some(Bar::Filter(_))));
    app.update(key(KeyCode::Char(' '))); // MISSED
    app.update(key(KeyCode::Char('l')));
    app.update(key(KeyCode::Char(' '))); // voicemail: one choice for both spellings
    app.update(key(KeyCode::Tab));
    app.update(key(KeyCode::Right)); // INBOUND
    app.update(key(KeyCode::Right)); // OUTBOUND
    app.update(key(KeyCode::Tab));
    assert!(
        type_str(&mut app, "7d").is_empty(),
        "nothing is sent while typing"
    );
    match app.bar() {
        Some(Bar::Filter(bar)) => {
            assert_eq!(bar.focus, 2);
            assert_eq!(bar.direction, 2);
            assert_eq!(bar.date.value(), "7d");
            assert_eq!(bar.statuses[0..3], [true, true, false]);
        }
        other => panic!("filter bar expected, got {other:?}"),
    }
    let effects = app.update(key(KeyCode::Enter));
    assert!(app.bar().is_none(), "Enter applies and closes the bar");
    let (_, query) = list_fetch(&effects);
    assert_eq!(query.page, 1);
    assert_eq!(
        filter_of(&query, "status", None),
        Some("MISSED,VOICEMAIL_RECEIVED,VOICEMAIL"),
        "a filter on voicemail asks for both vendor spellings"
    );
    assert_eq!(filter_of(&query, "direction", None), Some("OUTBOUND"));
    assert_eq!(
        filter_of(&query, "created_at", Some("gte")),
        Some("2026-11-18T00:00:00Z"),
        "7 days counting today, in the user's time zone"
    );
    assert!(filter_of(&query, "created_at", Some("lt")).is_none());
    assert_eq!(saved_states(&effects).len(), 1);
    let state = saved_states(&effects)[0];
    assert_eq!(
        state.tabs[&TabId::All].filter.statuses,
        vec!["MISSED".to_string(), "VOICEMAIL_RECEIVED".to_string()]
    );
    assert!(app.list().is_empty(), "the view starts again");
}

#[test]
fn a_saved_filter_on_either_voicemail_spelling_opens_as_the_one_voicemail_choice() {
    let mut app = loaded_with(session(), (120, 14), calls(0..5));
    app.update(key(KeyCode::Char('2')));
    app.tabs[app.active].settings.filter.statuses = vec!["VOICEMAIL".to_string()];
    app.update(key(KeyCode::Char('f')));
    match app.bar() {
        Some(Bar::Filter(bar)) => {
            assert_eq!(FILTER_STATUSES[1], "VOICEMAIL_RECEIVED");
            assert_eq!(bar.statuses, [false, true, false, false, false, false]);
        }
        other => panic!("filter bar expected, got {other:?}"),
    }
}

#[test]
fn the_filter_bar_staff_row_and_a_date_range() {
    let (mut app, _) = start(session(), (120, 14));
    app.update(key(KeyCode::Char('f')));
    app.update(key(KeyCode::BackTab)); // up from status wraps to staff
    type_str(&mut app, "staff-bo");
    app.update(key(KeyCode::BackTab)); // date
    type_str(&mut app, "2026-11-01..2026-11-02");
    let effects = app.update(key(KeyCode::Enter));
    let (_, query) = list_fetch(&effects);
    assert_eq!(filter_of(&query, "staff_uid", None), Some("staff-bo"));
    assert_eq!(
        filter_of(&query, "created_at", Some("gte")),
        Some("2026-11-01T00:00:00Z")
    );
    assert_eq!(
        filter_of(&query, "created_at", Some("lt")),
        Some("2026-11-03T00:00:00Z")
    );
    assert_eq!(
        filter_of(&query, "status", None),
        Some(FOLLOW_UP),
        "the tab's own statuses still apply"
    );
}

#[test]
fn a_bad_date_keeps_the_bar_open_with_an_error_and_sends_nothing() {
    let mut app = loaded_with(session(), (120, 14), calls(0..5));
    app.update(key(KeyCode::Char('f')));
    app.update(key(KeyCode::Tab));
    app.update(key(KeyCode::Tab));
    type_str(&mut app, "yesterday");
    let effects = app.update(key(KeyCode::Enter));
    assert!(effects.is_empty(), "{effects:?}");
    match app.bar() {
        Some(Bar::Filter(bar)) => {
            let error = bar.error.as_deref().expect("an error is shown");
            assert!(error.contains("yesterday"), "{error}");
            assert_eq!(bar.focus, 2, "the cursor is on the date");
            assert_eq!(bar.date.value(), "yesterday", "what was typed stays");
        }
        other => panic!("filter bar expected, got {other:?}"),
    }
    assert!(app.tab().settings.filter.is_empty());
    assert_eq!(app.list().len(), 5, "the list is untouched");
    // Typing again clears the error.
    app.update(key(KeyCode::Backspace));
    match app.bar() {
        Some(Bar::Filter(bar)) => assert!(bar.error.is_none()),
        other => panic!("filter bar expected, got {other:?}"),
    }
}

#[test]
fn esc_leaves_the_filter_unchanged_and_ctrl_x_clears_it() {
    let (mut app, _) = start(session(), (120, 14));
    app.update(key(KeyCode::Char('2')));
    app.update(key(KeyCode::Char('f')));
    app.update(key(KeyCode::Char(' ')));
    app.update(key(KeyCode::Enter));
    assert_eq!(
        app.tab().settings.filter.statuses,
        vec!["MISSED".to_string()]
    );

    // Esc: what was toggled is forgotten, nothing is sent.
    app.update(key(KeyCode::Char('f')));
    app.update(key(KeyCode::Char('l')));
    app.update(key(KeyCode::Char(' ')));
    let effects = app.update(key(KeyCode::Esc));
    assert!(effects.is_empty(), "{effects:?}");
    assert!(app.bar().is_none());
    assert_eq!(
        app.tab().settings.filter.statuses,
        vec!["MISSED".to_string()]
    );
    assert_eq!(app.notice(), Some("filter unchanged"));

    // The bar opens on the current filter.
    app.update(key(KeyCode::Char('f')));
    match app.bar() {
        Some(Bar::Filter(bar)) => assert_eq!(bar.statuses[0..2], [true, false]),
        other => panic!("filter bar expected, got {other:?}"),
    }
    let effects = app.update(ctrl('x'));
    assert!(app.bar().is_none());
    assert!(app.tab().settings.filter.is_empty());
    let (_, query) = list_fetch(&effects);
    assert!(query.filters.is_empty(), "{query:?}");
    assert_eq!(app.notice(), Some("filter cleared"));
}

/// The filter bar open on its staff row, with the roster known.
fn on_the_staff_row() -> App {
    let mut app = loaded_with(session(), (100, 24), calls(0..5));
    let mut people = crate::test_support::people_knowing(
        &[],
        &[
            ("staff-grace", "Grace Lee"),
            ("staff-oneill", "Grace O'Neill"),
            ("staff-marcus", "Marcus Bell"),
        ],
    );
    // Someone who left: their calls can still be filtered for.
    let mut roster: Vec<_> = people.roster().into_iter().cloned().collect();
    roster.push(crate::domain::people::StaffCard {
        uid: "staff-old".into(),
        name: "Gracie Old".into(),
        active: false,
        ..Default::default()
    });
    people.learned_roster(roster, now());
    app.set_people(people);
    app.update(key(KeyCode::Char('f')));
    app.update(key(KeyCode::BackTab)); // up from status wraps to staff
    app
}

fn staff_bar(app: &App) -> &super::FilterBar {
    match app.bar() {
        Some(Bar::Filter(bar)) => bar,
        other => panic!("filter bar expected, got {other:?}"),
    }
}

#[test]
fn the_staff_filter_picks_from_the_roster_by_name_and_sends_the_uid() {
    let mut app = on_the_staff_row();
    assert!(
        type_str(&mut app, "grac").is_empty(),
        "nothing sent while typing"
    );
    let screen = crate::test_support::draw(&app, 100, 24);
    let text = crate::test_support::screen_text(&screen);
    assert!(
        text.contains("Grace Lee") && text.contains("Grace O'Neill"),
        "{text}"
    );
    assert!(text.contains("Gracie Old  (former staff)"), "{text}");
    assert!(!text.contains("Marcus Bell"), "only those matching: {text}");
    insta::assert_snapshot!(screen.backend());

    app.update(key(KeyCode::Down)); // Grace O'Neill
    let effects = app.update(key(KeyCode::Enter));
    assert!(app.bar().is_none(), "Enter picks and applies");
    let (_, query) = list_fetch(&effects);
    assert_eq!(filter_of(&query, "staff_uid", None), Some("staff-oneill"));
    assert_eq!(
        app.tab().settings.filter.staff.as_deref(),
        Some("staff-oneill"),
        "the uid is what is kept"
    );
    assert_eq!(app.notice(), Some("filter: staff Grace O'Neill"));
    let text = crate::test_support::screen_text(&crate::test_support::draw(&app, 160, 24));
    assert!(text.contains("filter: staff Grace O'Neill"), "{text}");
    assert!(!text.contains("staff-oneill"), "no uid: {text}");

    // Opened again, the row reads the name and Enter keeps the same person.
    app.update(key(KeyCode::Char('f')));
    assert_eq!(staff_bar(&app).staff.typed(), "Grace O'Neill");
    assert!(app.update(key(KeyCode::Enter)).is_empty());
    assert_eq!(app.notice(), Some("filter unchanged"));
}

#[test]
fn tab_on_the_staff_row_takes_the_highlighted_name_and_moves_on() {
    let mut app = on_the_staff_row();
    type_str(&mut app, "bell");
    app.update(key(KeyCode::Tab));
    let bar = staff_bar(&app);
    assert_eq!(bar.focus, 0, "on to the next row");
    assert_eq!(bar.staff.typed(), "Marcus Bell");
    assert_eq!(bar.staff.picked(), Some("staff-marcus"));
    let (_, query) = list_fetch(&app.update(key(KeyCode::Enter)));
    assert_eq!(filter_of(&query, "staff_uid", None), Some("staff-marcus"));
}

#[test]
fn the_staff_filter_refuses_free_text() {
    let mut app = on_the_staff_row();
    // A name nobody has, and a uid typed over the roster: neither becomes a filter.
    for typed in ["Maya", "staff-zed"] {
        app.update(ctrl('u'));
        type_str(&mut app, typed);
        for refusing in [KeyCode::Enter, KeyCode::Tab] {
            assert!(app.update(key(refusing)).is_empty(), "nothing sent");
            let bar = staff_bar(&app);
            let error = bar.error.as_deref().expect("says why");
            assert!(
                error.contains("no one on the staff list matches") && error.contains(typed),
                "{error}"
            );
            assert_eq!(bar.focus, super::ROW_STAFF, "the cursor stays on staff");
            assert_eq!(bar.staff.typed(), typed, "what was typed stays");
        }
    }
    assert!(app.tab().settings.filter.is_empty());
}

#[test]
fn without_a_roster_the_staff_filter_takes_a_uid_of_the_right_shape() {
    let (mut app, _) = start(session(), (120, 14));
    app.update(key(KeyCode::Char('f')));
    app.update(key(KeyCode::BackTab));
    type_str(&mut app, "Maya");
    assert!(app.update(key(KeyCode::Enter)).is_empty());
    let error = staff_bar(&app).error.clone().expect("says why");
    assert!(error.contains("looks like a name"), "{error}");
    assert_eq!(staff_bar(&app).focus, super::ROW_STAFF);
    app.update(ctrl('u'));
    type_str(&mut app, "staff-zed");
    let (_, query) = list_fetch(&app.update(key(KeyCode::Enter)));
    assert_eq!(filter_of(&query, "staff_uid", None), Some("staff-zed"));
    assert_eq!(app.notice(), Some("filter: staff staff-zed"));
}
