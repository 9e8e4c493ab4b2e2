//! The fill-in prompt through `update`: asked before a bulk "handled" when values are missing.

use crate::console::app::test_fixtures::follow_up::*;

#[test]
fn without_defaults_a_fill_in_prompt_asks_for_the_missing_fields_first() {
    let mut session = session();
    session.config.staff_uid = Some("staff-ana".into());
    let mut app = loaded_with(session, (120, 14), calls(0..3));
    app.update(key(KeyCode::Char('V')));
    let effects = app.update(key(KeyCode::Char('h')));
    assert!(effects.is_empty(), "{effects:?}");
    match app.prompt() {
        Some(Prompt::FillIn { fields, inputs, .. }) => {
            assert_eq!(
                fields,
                &vec![FieldId::Rate, FieldId::Price, FieldId::RecordingId],
                "provider has its only value already"
            );
            assert_eq!(inputs.len(), 3);
        }
        other => panic!("fill-in expected, got {other:?}"),
    }
    assert!(app.batch().is_none());

    // A bad rate keeps the prompt with a message.
    type_str(&mut app, "abc");
    app.update(key(KeyCode::Tab));
    type_str(&mut app, "1.50");
    app.update(key(KeyCode::Tab));
    type_str(&mut app, "rec-9");
    assert!(app.update(key(KeyCode::Enter)).is_empty());
    match app.prompt() {
        Some(Prompt::FillIn { error, focus, .. }) => {
            assert!(
                error.as_deref().is_some_and(|e| e.contains("rate")),
                "{error:?}"
            );
            assert_eq!(*focus, 0);
        }
        other => panic!("fill-in expected, got {other:?}"),
    }
    for _ in 0..3 {
        app.update(key(KeyCode::Backspace));
    }
    type_str(&mut app, "0.07");
    let effects = app.update(key(KeyCode::Enter));
    assert!(app.prompt().is_none());
    let sends = batch_sends(&effects);
    assert_eq!(sends.len(), 3, "{effects:?}");
    assert_eq!(
        app.session().config.defaults.get(FieldId::Rate),
        Some("0.07"),
        "kept for the session"
    );
    let body = &sends[0].body;
    assert_eq!(body["rate"], "0.07");
    assert_eq!(body["price"], "1.50");
    assert_eq!(body["recording_id"], "rec-9");
}
