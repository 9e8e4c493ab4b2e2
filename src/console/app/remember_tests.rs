//! What a bulk action keeps of the values it sent (`rate`, `price`, `recording_id`): every
//! confirmed call's, written once when the batch ends; one cut short by quitting leaves them
//! for the runtime to write before the process exits.

use crate::console::app::test_fixtures::follow_up::*;

fn writes(effects: &[Effect]) -> Vec<&crate::domain::remembered::Remembered> {
    effects
        .iter()
        .filter_map(|e| match e {
            Effect::SaveRemembered(r) => Some(r),
            _ => None,
        })
        .collect()
}

/// Answers one call of the batch as saved; what that message returned.
fn save(app: &mut App, sent: &BatchSend) -> Vec<Effect> {
    let i = uid_index(&sent.uid);
    app.update(checked(sent, Ok(call(i)), Ok(handled_copy(i))))
}

#[test]
fn a_bulk_writes_what_it_sent_once_when_it_ends() {
    let mut app = loaded_with(bulk_session(), (120, 14), calls(0..6));
    app.update(key(KeyCode::Char('V')));
    let first = app.update(key(KeyCode::Char('h')));
    assert!(writes(&first).is_empty());
    let mut queue = batch_sends(&first);
    let mut written = Vec::new();
    let mut answered = 0;
    while let Some(sent) = queue.pop() {
        let out = save(&mut app, &sent);
        answered += 1;
        queue.extend(batch_sends(&out));
        written.extend(writes(&out).into_iter().cloned());
    }
    assert_eq!(answered, 6);
    assert!(!app.batch().is_some_and(|b| b.running()));
    assert_eq!(written.len(), 1, "one write for the whole batch");
    let kept: Vec<&String> = written[0].calls.keys().collect();
    assert_eq!(
        kept,
        (0..6)
            .map(uid)
            .collect::<Vec<_>>()
            .iter()
            .collect::<Vec<_>>()
    );
    assert_eq!(written[0].calls[&uid(3)].values["rate"], "0.05");
    assert_eq!(
        app.take_unwritten_remembered(),
        None,
        "nothing left to write"
    );
}

#[test]
fn a_bulk_cut_short_by_quitting_leaves_what_it_sent_for_the_exit() {
    let mut app = loaded_with(bulk_session(), (120, 14), calls(0..6));
    app.update(key(KeyCode::Char('V')));
    let sends = batch_sends(&app.update(key(KeyCode::Char('h'))));
    let out = save(&mut app, &sends[0]);
    assert!(writes(&out).is_empty(), "not per call");
    app.update(key(KeyCode::Char('q')));
    app.update(key(KeyCode::Char('q')));
    assert!(app.should_quit());
    let left = app
        .take_unwritten_remembered()
        .expect("kept, not yet written");
    assert_eq!(left.calls.keys().collect::<Vec<_>>(), [&sends[0].uid]);
    assert_eq!(app.take_unwritten_remembered(), None, "taken once");
}
