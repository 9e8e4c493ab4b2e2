//! Quitting with writes out, through `update`: the writes already sent are finished, a bulk
//! action's calls not yet sent are stopped, and the report says what was not confirmed.

use crate::console::app::test_fixtures::follow_up::*;

#[test]
fn q_during_a_bulk_finishes_what_is_out_and_stops_the_rest() {
    let mut app = loaded_with(bulk_session(), (120, 14), calls(0..6));
    app.update(key(KeyCode::Char('V')));
    let sends = batch_sends(&app.update(key(KeyCode::Char('h'))));
    assert_eq!(sends.len(), 4, "four out, two queued");

    app.update(key(KeyCode::Char('q')));
    assert!(!app.should_quit(), "four saves are out");
    assert!(
        app.notice()
            .is_some_and(|n| n.contains("finishing 4 saves")),
        "{:?}",
        app.notice()
    );
    for (i, send) in sends.iter().enumerate() {
        let out = app.update(checked(send, Ok(call(i)), Ok(handled_copy(i))));
        assert!(batch_sends(&out).is_empty(), "nothing more is sent after q");
        assert_eq!(app.should_quit(), i == 3, "quits when the last answered");
    }
    let report = app.exit_report();
    assert_eq!(report.len(), 1, "{report:?}");
    assert!(
        report[0].contains("4/6 done, 2 not sent") && report[0].contains(&uid(5)),
        "{report:?}"
    );
}

#[test]
fn a_second_q_quits_at_once_and_names_the_unanswered() {
    let mut app = loaded_with(bulk_session(), (120, 14), calls(0..2));
    app.update(key(KeyCode::Char('V')));
    let sends = batch_sends(&app.update(key(KeyCode::Char('h'))));
    assert_eq!(sends.len(), 2);
    app.update(key(KeyCode::Char('q')));
    assert!(!app.should_quit());
    app.update(key(KeyCode::Char('q')));
    assert!(app.should_quit());
    let report = app.exit_report();
    assert_eq!(report.len(), 2, "{report:?}");
    assert!(report.iter().all(|l| l.contains("may or may not be saved")));
}

#[test]
fn q_with_nothing_out_quits_and_reports_nothing() {
    let mut app = loaded_with(bulk_session(), (120, 14), calls(0..2));
    app.update(key(KeyCode::Char('q')));
    assert!(app.should_quit());
    assert!(app.exit_report().is_empty());
}

#[test]
fn an_edit_only_in_memory_is_asked_about_then_printed() {
    use crate::console::app::Prompt;
    use crate::console::msg::Msg;
    let mut app = loaded_with(bulk_session(), (120, 14), calls(0..2));
    app.update(key(KeyCode::Char('e')));
    // To the summary (the 12th field), then some text.
    for _ in 0..11 {
        app.update(key(KeyCode::Tab));
    }
    for c in " kept".chars() {
        app.update(key(KeyCode::Char(c)));
    }
    app.update(Msg::DraftWritten {
        uid: uid(0),
        error: Some("No space left on device".into()),
    });
    let ctrl_c = || {
        Msg::Key(crossterm::event::KeyEvent::new(
            KeyCode::Char('c'),
            crossterm::event::KeyModifiers::CONTROL,
        ))
    };
    app.update(ctrl_c());
    assert!(!app.should_quit(), "asked first");
    assert!(matches!(
        app.prompt(),
        Some(Prompt::QuitUnsaved { edits: 1, .. })
    ));
    app.update(key(KeyCode::Char('n')));
    assert!(
        app.form().is_some_and(|f| f.is_dirty()),
        "the edit is as it was"
    );
    app.update(ctrl_c());
    app.update(key(KeyCode::Char('y')));
    assert!(app.should_quit());
    let report = app.exit_report();
    assert_eq!(report.len(), 1, "{report:?}");
    assert!(
        report[0].contains("NOT saved as a draft")
            && report[0].contains("No space left on device")
            && report[0].contains("kept\"")
            && report[0].contains("\"call_summary\""),
        "{report:?}"
    );
}
