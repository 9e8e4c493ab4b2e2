//! Where keys go, through `update`: the key map moves the cursor, opens the detail pane and
//! help, quits; the hints name the keys in force.

use crate::console::app::test_fixtures::screen::*;

#[test]
fn keys_move_the_selection() {
    let mut app = loaded((120, 14)); // 10 rows on screen
    app.update(key(KeyCode::Char('j')));
    app.update(key(KeyCode::Down));
    assert_eq!(app.list().selected_index(), 2);
    app.update(key(KeyCode::Char('k')));
    assert_eq!(app.list().selected_index(), 1);
    app.update(key(KeyCode::PageDown));
    assert_eq!(app.list().selected_index(), 10);
    assert_eq!(app.list().offset(), 1);
    app.update(key(KeyCode::PageUp));
    assert_eq!(app.list().selected_index(), 1);
    app.update(key(KeyCode::Char('g')));
    assert_eq!(app.list().selected_index(), 0);
    app.update(key(KeyCode::Up));
    assert_eq!(app.list().selected_index(), 0, "stays on the first row");
}

#[test]
fn detail_help_and_quit() {
    let mut app = loaded((120, 30));
    app.update(key(KeyCode::Enter));
    assert!(app.detail_open());
    app.update(key(KeyCode::Esc));
    assert!(!app.detail_open());
    app.update(key(KeyCode::Char('?')));
    assert_eq!(app.overlay(), Overlay::Help { scroll: 0 });
    app.update(key(KeyCode::Char('j')));
    assert_eq!(
        app.overlay(),
        Overlay::Help { scroll: 1 },
        "j scrolls the keys that do not fit"
    );
    app.update(key(KeyCode::Char('x')));
    assert_eq!(app.overlay(), Overlay::None);
    assert_eq!(
        app.list().selected_index(),
        0,
        "the keys of help do nothing else"
    );
    assert!(!app.should_quit());
    app.update(Msg::Key(KeyEvent::new(
        KeyCode::Char('c'),
        KeyModifiers::CONTROL,
    )));
    assert!(app.should_quit());
    let mut app = loaded((120, 30));
    app.update(key(KeyCode::Char('q')));
    assert!(app.should_quit());
}

#[test]
fn key_hints_follow_the_key_map_in_force() {
    use crate::console::keys::{KeyBinding, KeyMap};
    let one = |k: &str| KeyBinding::One(k.to_string());
    let table = std::collections::BTreeMap::from([
        ("handled".to_string(), one("x")),
        ("undo".to_string(), one("Ctrl-u")),
        ("detail_down".to_string(), one("Alt-j")),
        ("detail_up".to_string(), one("Alt-k")),
    ]);
    let mut s = session(20);
    s.config.keys = KeyMap::from_config(&table).expect("a valid map");
    let (mut app, effects) = App::new(s, now(), utc(), list_rows(14), Vec::new());
    let (req, page) = fetch_of(&effects).expect("page 1");
    app.update(Msg::PageLoaded {
        req,
        page,
        answer: ok_answer(1, page_of(0..20)),
    });
    let screen = crate::test_support::screen_text(&draw(&app, 120, 14));
    let footer = screen.lines().last().expect("a keys line");
    assert!(footer.contains(" x handled "), "{footer}");
    assert!(footer.contains(" Ctrl-u undo "), "{footer}");
    assert!(!footer.contains(" h handled"), "{footer}");
    // A notice built by `update` names the key in force too.
    app.update(key(KeyCode::Char(' ')));
    assert_eq!(
        app.notice(),
        Some("1 selected — x marks them handled, Esc clears")
    );
    // The detail pane's title and the footer under it.
    app.update(key(KeyCode::Esc));
    app.update(key(KeyCode::Enter));
    let screen = crate::test_support::screen_text(&draw(&app, 160, 14));
    assert!(
        screen.contains("Alt-j/Alt-k scroll · Esc close"),
        "{screen}"
    );
    assert!(
        screen
            .lines()
            .last()
            .is_some_and(|l| l.contains(" Alt-j/Alt-k scroll ")),
        "{screen}"
    );
    // Help lists the keys in force.
    app.update(key(KeyCode::Char('?')));
    let screen = crate::test_support::screen_text(&draw(&app, 160, 40));
    let row = screen
        .lines()
        .find(|l| l.contains("mark selected calls handled"))
        .expect("help lists handled");
    assert!(row.contains(" x "), "{row}");
}
