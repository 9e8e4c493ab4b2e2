//! Prompts through `update`: whose name goes in "handled by" is asked once.

use crate::console::app::test_fixtures::form::*;

#[test]
fn h_without_a_staff_uid_asks_once() {
    let s = session(None, UpdateFields::All);
    let mut app = loaded_with(vec![full(0)], s, Vec::new());
    assert!(app.update(ch('h')).is_empty());
    assert!(matches!(app.prompt(), Some(Prompt::StaffUid { .. })));
    type_str(&mut app, "bad uid");
    assert!(app.update(key(KeyCode::Enter)).is_empty());
    assert!(
        matches!(app.prompt(), Some(Prompt::StaffUid { .. })),
        "refused"
    );
    // A name is not a uid: "Maya" was once saved as the handler.
    app.update(ctrl('u'));
    type_str(&mut app, "Maya");
    assert!(app.update(key(KeyCode::Enter)).is_empty(), "nothing sent");
    assert!(matches!(app.prompt(), Some(Prompt::StaffUid { .. })));
    assert!(
        app.notice()
            .is_some_and(|n| n.contains("looks like a name")),
        "{:?}",
        app.notice()
    );
    app.update(ctrl('u'));
    type_str(&mut app, "staff-zed");
    let req = fetch_req(&app.update(key(KeyCode::Enter)), "call-0000");
    assert!(app.prompt().is_none());
    assert_eq!(app.session().config.staff_uid.as_deref(), Some("staff-zed"));
    let (_, body) = put_of(&fetched(&mut app, req, full(0)));
    assert_eq!(body["handled_by_staff_uid"], "staff-zed");
}
