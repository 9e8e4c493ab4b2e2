//! Clicks and the wheel, placed by the view (`ui::hit`) as the runtime does, then through
//! `update`.

use crate::console::app::test_fixtures::screen::*;

/// A left click at (`x`, `y`) on a `size` screen: what the view says it landed on (as the
/// runtime asks it), then what `update` does with that. `None` when it landed on nothing.
fn click(app: &mut App, size: (u16, u16), x: u16, y: u16) -> Option<Vec<Effect>> {
    let msg = crate::test_support::click_at(app, size, x, y)?;
    Some(app.update(msg))
}

#[test]
fn a_click_selects_the_call_under_it_where_the_list_is_scrolled() {
    let size = (120, 14); // 10 rows: title, header, then calls from line 2
    let mut app = loaded(size);
    click(&mut app, size, 40, 5).expect("a call row");
    assert_eq!(app.list().selected_index(), 3);
    app.update(key(KeyCode::PageDown));
    assert_eq!((app.list().offset(), app.list().selected_index()), (3, 12));
    click(&mut app, size, 40, 3).expect("a call row");
    assert_eq!(
        app.list().selected_index(),
        4,
        "the second row shown, not the second call"
    );
    // The table header, the status bar and the key hints are not calls.
    for y in [1, 12, 13] {
        assert!(click(&mut app, size, 40, y).is_none(), "line {y}");
    }
    assert_eq!(app.list().selected_index(), 4);
}

#[test]
fn a_click_below_the_last_call_does_nothing() {
    let size = (120, 30); // 26 rows for 20 calls
    let mut app = loaded(size);
    assert!(click(&mut app, size, 40, 2 + 20).is_none());
    click(&mut app, size, 40, 2 + 19).expect("the last call");
    assert_eq!(app.list().selected_index(), 19);
}

#[test]
fn a_click_on_a_tab_label_opens_that_view() {
    let size = (120, 14);
    let mut app = loaded(size);
    let x = column_of(&app, size, 0, " 3 Missed");
    let effects = click(&mut app, size, x + 2, 0).expect("a tab");
    assert_eq!(app.active_index(), 2);
    assert!(
        fetch_of(&effects).is_some(),
        "the new view's first page: {effects:?}"
    );
    // Past the last label there is no tab.
    assert!(click(&mut app, size, 119, 0).is_none());
}

#[test]
fn the_wheel_scrolls_the_list_and_drags_the_cursor() {
    let mut app = loaded((120, 14));
    app.update(Msg::Scroll(crate::console::msg::Wheel::Down));
    assert_eq!((app.list().offset(), app.list().selected_index()), (3, 3));
    app.update(Msg::Scroll(crate::console::msg::Wheel::Up));
    assert_eq!((app.list().offset(), app.list().selected_index()), (0, 3));
}

#[test]
fn clicks_do_not_reach_the_list_under_help_or_with_the_mouse_off() {
    let size = (120, 14);
    let mut app = loaded(size);
    app.update(key(KeyCode::Char('?')));
    click(&mut app, size, 40, 5).expect("the view still finds the row under help");
    app.update(Msg::Scroll(crate::console::msg::Wheel::Down));
    assert_eq!(
        app.list().selected_index(),
        0,
        "help has the keys and the mouse"
    );
    let mut s = session(20);
    s.config.mouse = false;
    let (mut app, effects) = App::new(s, now(), utc(), list_rows(size.1), Vec::new());
    let (req, page) = fetch_of(&effects).expect("page 1");
    app.update(Msg::PageLoaded {
        req,
        page,
        answer: ok_answer(1, page_of(0..20)),
    });
    click(&mut app, size, 40, 5).expect("a call row");
    app.update(Msg::Scroll(crate::console::msg::Wheel::Down));
    assert_eq!(app.list().selected_index(), 0, "mouse = false");
}

#[test]
fn a_click_on_the_detail_pane_picks_no_call() {
    let size = (100, 14); // narrower than the split: the pane replaces the list
    let mut app = loaded(size);
    app.update(key(KeyCode::Enter));
    assert!(click(&mut app, size, 40, 5).is_none());
    let wide = (160, 14); // beside the list: its left part is still the list
    let mut app = loaded(wide);
    app.update(key(KeyCode::Enter));
    assert!(click(&mut app, wide, 150, 5).is_none(), "the pane");
    click(&mut app, wide, 10, 5).expect("the list beside it");
    assert_eq!(app.list().selected_index(), 3);
}
