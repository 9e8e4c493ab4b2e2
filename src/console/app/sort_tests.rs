//! Sorting through `update`: `S` reverses, the picker chooses the column; both reload.

use crate::console::app::test_fixtures::follow_up::*;

#[test]
fn capital_s_reverses_the_sort_and_reloads() {
    let mut app = loaded_with(session(), (120, 14), calls(0..5));
    let effects = app.update(key(KeyCode::Char('S')));
    let (_, query) = list_fetch(&effects);
    assert_eq!(query.sort.as_deref(), Some("created_at:asc"));
    assert_eq!(query.page, 1);
    assert_eq!(filter_of(&query, "status", None), Some(FOLLOW_UP));
    assert!(!app.tab().settings.sort.desc);
    assert_eq!(saved_states(&effects).len(), 1);
    let effects = app.update(key(KeyCode::Char('S')));
    assert_eq!(
        list_fetch(&effects).1.sort.as_deref(),
        Some("created_at:desc")
    );
}

#[test]
fn the_sort_picker_chooses_the_next_column() {
    let mut app = loaded_with(session(), (120, 14), calls(0..5));
    assert!(app.update(key(KeyCode::Char('s'))).is_empty());
    assert_eq!(app.overlay(), Overlay::SortPicker { index: 0 });
    app.update(key(KeyCode::Char('j')));
    assert_eq!(app.overlay(), Overlay::SortPicker { index: 1 });
    let effects = app.update(key(KeyCode::Enter));
    assert_eq!(app.overlay(), Overlay::None);
    let (_, query) = list_fetch(&effects);
    assert_eq!(query.sort.as_deref(), Some("updated_at:desc"));
    assert_eq!(saved_states(&effects).len(), 1);

    // Picking the column already in use sends nothing.
    app.update(key(KeyCode::Char('s')));
    assert_eq!(app.overlay(), Overlay::SortPicker { index: 1 });
    assert!(app.update(key(KeyCode::Enter)).is_empty());
    // Esc leaves it.
    app.update(key(KeyCode::Char('s')));
    app.update(key(KeyCode::Char('k')));
    assert!(app.update(key(KeyCode::Esc)).is_empty());
    assert_eq!(app.overlay(), Overlay::None);
    assert_eq!(app.tab().settings.sort.param(), "updated_at:desc");
}
