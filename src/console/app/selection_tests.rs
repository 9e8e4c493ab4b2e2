//! Selecting through `update`: Space, `V` (pages still to come included) and Esc.

use crate::console::app::test_fixtures::follow_up::*;

#[test]
fn space_selects_and_moves_down_and_esc_clears() {
    let mut app = loaded_with(session(), (120, 14), calls(0..5));
    app.update(key(KeyCode::Char(' ')));
    assert_eq!(selection(&app), vec![uid(0)]);
    assert_eq!(app.list().selected_index(), 1);
    app.update(key(KeyCode::Char(' ')));
    app.update(key(KeyCode::Char(' ')));
    assert_eq!(app.tab().selected.len(), 3);
    assert_eq!(app.list().selected_index(), 3);
    // Space on a selected call unselects it.
    app.update(key(KeyCode::Char('k')));
    app.update(key(KeyCode::Char(' ')));
    assert_eq!(selection(&app), vec![uid(0), uid(1)]);
    app.update(key(KeyCode::Esc));
    assert!(app.tab().selected.is_empty());
    assert_eq!(app.notice(), Some("selection cleared"));
}

#[test]
fn select_all_takes_the_loaded_calls_and_the_pages_still_to_come() {
    let mut app = loaded_with(session(), (120, 14), calls(0..20));
    let effects = app.update(key(KeyCode::Char('V')));
    assert_eq!(app.tab().selected.len(), 20);
    assert!(app.tab().selecting_all);
    let out = list_fetches(&effects);
    let pages: Vec<u32> = out.iter().map(|(_, q)| q.page).collect();
    assert_eq!(
        pages,
        vec![2, 3, 4, 5],
        "the rest of the view, four pages at a time"
    );
    let more = app.update(page_loaded(out[0].0, 2, calls(20..40)));
    assert_eq!(app.tab().selected.len(), 40);
    let (_, query) = list_fetch(&more);
    assert_eq!(query.page, 6, "and keeps coming while selecting all");
    app.update(page_loaded(out[1].0, 3, calls(40..43)));
    assert_eq!(app.tab().selected.len(), 43);
    assert!(!app.tab().selecting_all, "everything is here");
    assert_eq!(app.list().paging, Paging::Complete);
}

#[test]
fn select_all_on_a_complete_view_asks_for_nothing() {
    let mut app = loaded_with(session(), (120, 14), calls(0..5));
    let effects = app.update(key(KeyCode::Char('V')));
    assert!(list_fetches(&effects).is_empty(), "{effects:?}");
    assert_eq!(app.tab().selected.len(), 5);
    assert!(!app.tab().selecting_all);
}
