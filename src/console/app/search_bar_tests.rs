//! The search bar through `update`: typing selects the best match, n / N walk the matches.

use crate::console::app::test_fixtures::follow_up::*;

/// Calls 2, 5 and 8 are from London numbers; the rest from San Francisco.
fn searchable() -> Vec<VoiceCall> {
    let mut list = calls(0..10);
    for (n, i) in [2, 5, 8].into_iter().enumerate() {
        list[i].from_number = Some(format!("+44207946000{}", n + 1));
    }
    list
}

#[test]
fn typing_a_number_in_the_search_bar_selects_the_matching_call() {
    let mut app = loaded_with(session(), (120, 14), searchable());
    assert!(app.update(key(KeyCode::Char('/'))).is_empty());
    assert!(matches!(app.bar(), Some(Bar::Search { .. })));
    type_str(&mut app, "+442079460002");
    assert_eq!(selected_uid(&app), Some(uid(5)));
    assert_eq!(app.search().matches().len(), 1);
    assert_eq!(app.search().pattern(), "+442079460002");
}

#[test]
fn n_and_capital_n_walk_the_matches_and_esc_in_the_bar_clears_the_pattern() {
    let mut app = loaded_with(session(), (120, 14), searchable());
    app.update(key(KeyCode::Char('/')));
    type_str(&mut app, "2079460");
    assert_eq!(app.search().matches().len(), 3);
    let first = app.list().selected_index();
    assert!([2, 5, 8].contains(&first), "{first}");
    app.update(key(KeyCode::Enter));
    assert!(app.bar().is_none(), "Enter closes the bar");
    assert_eq!(app.search().pattern(), "2079460", "the pattern stays");

    let mut visited = vec![first];
    for _ in 0..2 {
        app.update(key(KeyCode::Char('n')));
        visited.push(app.list().selected_index());
    }
    let distinct: BTreeSet<usize> = visited.iter().copied().collect();
    assert_eq!(distinct, [2, 5, 8].into_iter().collect(), "{visited:?}");
    app.update(key(KeyCode::Char('n')));
    assert_eq!(app.list().selected_index(), first, "n wraps around");
    app.update(key(KeyCode::Char('N')));
    assert_eq!(app.list().selected_index(), visited[2], "N goes back");
    app.update(key(KeyCode::Char('N')));
    assert_eq!(app.list().selected_index(), visited[1]);

    app.update(key(KeyCode::Char('/')));
    match app.bar() {
        Some(Bar::Search { input }) => assert_eq!(input.value(), "2079460"),
        other => panic!("search bar expected, got {other:?}"),
    }
    app.update(key(KeyCode::Esc));
    assert!(app.bar().is_none());
    assert_eq!(app.search().pattern(), "");
    assert!(app.search().matches().is_empty());
    let at = app.list().selected_index();
    app.update(key(KeyCode::Char('n')));
    assert_eq!(app.list().selected_index(), at, "no search, no move");
    assert_eq!(app.notice(), Some("no search: / starts one"));
}

#[test]
fn a_search_with_no_match_leaves_the_cursor() {
    let mut app = loaded_with(session(), (120, 14), searchable());
    app.update(key(KeyCode::Char('j')));
    app.update(key(KeyCode::Char('/')));
    type_str(&mut app, "zzzq");
    assert!(app.search().matches().is_empty());
    assert_eq!(app.list().selected_index(), 1);
}
