//! Notices through `update`: each has a level that shows on screen and in the log.

use crate::console::app::test_fixtures::screen::*;

/// Every notice has a level: errors are marked apart from information on screen, with or
/// without colour, and each is logged.
#[test]
fn errors_look_different_from_information() {
    let (mut app, _) = App::new(session(20), now(), utc(), list_rows(20), Vec::new());
    app.update(Msg::DraftWritten {
        uid: "call-0001".into(),
        error: Some("disk full".into()),
    });
    assert_eq!(app.notice_full().map(|n| n.level), Some(Level::Error));
    let text = crate::test_support::screen_text(&draw(&app, 120, 20));
    assert!(text.contains("✖ draft NOT saved"), "{text}");

    app.update(key(KeyCode::Char('n')));
    assert_eq!(app.notice_full().map(|n| n.level), Some(Level::Warning));
    let text = crate::test_support::screen_text(&draw(&app, 120, 20));
    assert!(text.contains("⚠ no search"), "{text}");

    app.update(key(KeyCode::Char('u')));
    assert_eq!(app.notice_full().map(|n| n.level), Some(Level::Info));
    let text = crate::test_support::screen_text(&draw(&app, 120, 20));
    assert!(
        text.contains("nothing to undo") && !text.contains("⚠ nothing"),
        "{text}"
    );
}
