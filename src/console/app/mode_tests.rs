//! The one mode: what takes the keys is what is drawn on top.

use crate::console::app::test_fixtures::follow_up::*;

/// A bulk action that ends with failures while the form is open does not open the failures
/// window over the form: the form keeps the keys and is what is drawn; the notice says where
/// the failed calls are.
#[test]
fn the_failures_window_never_opens_over_a_form() {
    let mut app = loaded_with(bulk_session(), (120, 30), calls(0..4));
    app.update(key(KeyCode::Char(' ')));
    app.update(key(KeyCode::Char(' ')));
    let sends = batch_sends(&app.update(key(KeyCode::Char('h'))));
    assert_eq!(sends.len(), 2);
    app.update(key(KeyCode::Char('e')));
    assert!(app.form().is_some(), "the form opens while the batch runs");
    app.update(checked(&sends[0], Ok(call(0)), Ok(handled_copy(0))));
    app.update(checked(
        &sends[1],
        Err(server_error(503, "down")),
        Ok(call(1)),
    ));
    assert!(!app.batch().is_some_and(|b| b.running()));
    assert_eq!(app.overlay(), Overlay::None, "not drawn over the form");
    assert!(matches!(app.mode(), Mode::Form(_)));
    assert!(
        app.notice().is_some_and(|n| n.contains("1 failed")),
        "{:?}",
        app.notice()
    );
    // Keys still go to the form: typing edits it rather than acting on the list.
    let before = app.form().map(|f| f.is_dirty());
    app.update(key(KeyCode::Char('x')));
    assert_ne!(
        app.form().map(|f| f.is_dirty()),
        before,
        "the form took the key"
    );
    let text = crate::test_support::screen_text(&crate::test_support::draw(&app, 120, 30));
    assert!(!text.contains("not changed"), "no failures window: {text}");
}

/// A prompt is asked over the form and gives it back when answered.
#[test]
fn a_prompt_over_the_form_gives_it_back() {
    let mut app = loaded_with(bulk_session(), (120, 30), calls(0..2));
    app.update(key(KeyCode::Char('e')));
    assert!(app.form().is_some());
    app.ask(Prompt::ConfirmBatch {
        batch: Box::new(Batch::new(BatchKind::Handled, Vec::new(), 0)),
    });
    assert!(
        app.prompt().is_some() && app.form().is_some(),
        "both, one over the other"
    );
    app.update(key(KeyCode::Esc));
    assert!(app.prompt().is_none());
    assert!(matches!(app.mode(), Mode::Form(_)), "the form is back");
}
