//! The edit form through `update`: its keys, the editor, a click or the wheel on its fields;
//! and `TestBackend` snapshots of the form screens (120 × 26, fixed clock, UTC).

use crate::console::app::test_fixtures::form::*;

#[test]
fn form_keys_move_focus_cycle_pickers_and_keep_an_unknown_value() {
    let mut app = loaded(vec![full(0), full(1), full(2)]);
    app.update(ch('j'));
    app.update(ch('j'));
    assert!(app.update(ch('e')).is_empty());
    assert_eq!(form(&app).uid(), "call-0002");
    assert_eq!(form(&app).focus(), FieldId::StaffUid);
    app.update(key(KeyCode::Tab));
    app.update(key(KeyCode::Down));
    assert_eq!(form(&app).focus(), FieldId::FromNumber);
    app.update(key(KeyCode::BackTab));
    assert_eq!(form(&app).focus(), FieldId::ClientUid);
    // Call 2's status is not a documented one: shown as it is, not an error, sent back.
    tab_to(&mut app, FieldId::Status);
    assert_eq!(form(&app).value(FieldId::Status), "SOMETHING_NEW");
    assert_eq!(form(&app).message(FieldId::Status), None);
    let mut unchanged = app.clone();
    edit_summary(&mut unchanged, "new summary");
    let (_, body) = submit_through_check(&mut unchanged, full(2));
    assert_eq!(body["status"], "SOMETHING_NEW");
    // Cycling replaces it.
    assert!(scheduled(&app.update(key(KeyCode::Right))));
    assert_eq!(form(&app).value(FieldId::Status), "INCOMING_CALL");
    app.update(key(KeyCode::Right));
    assert_eq!(form(&app).value(FieldId::Status), "ANSWERED_BY_STAFF");
    app.update(key(KeyCode::Left));
    assert_eq!(form(&app).value(FieldId::Status), "INCOMING_CALL");
}

#[test]
fn readline_keys_and_ctrl_n_work_in_text_fields_through_update() {
    let national = with(full(0), |c| c.from_number = Some("(415) 555-0148".into()));
    let mut app = loaded(vec![national]);
    app.update(ch('e'));
    tab_to(&mut app, FieldId::FromNumber);
    assert!(scheduled(&app.update(ctrl('n'))));
    assert_eq!(form(&app).value(FieldId::FromNumber), "+14155550148");

    let name = |app: &App| form(app).value(FieldId::ExternalAppName).to_string();
    tab_to(&mut app, FieldId::ExternalAppName);
    app.update(ctrl('a'));
    type_str(&mut app, "<");
    app.update(ctrl('e'));
    type_str(&mut app, "> end");
    assert_eq!(name(&app), "<my.pa> end");
    app.update(ctrl('w'));
    assert_eq!(name(&app), "<my.pa> ");
    app.update(ctrl('a'));
    app.update(key(KeyCode::Right));
    app.update(ctrl('k'));
    assert_eq!(name(&app), "<");
    app.update(ctrl('u'));
    assert_eq!(name(&app), "");
    assert_eq!(form(&app).focus(), FieldId::ExternalAppName);
    assert!(!app.should_quit());
}

#[test]
fn ctrl_o_edits_the_summary_in_the_editor() {
    let mut app = loaded(vec![full(0)]);
    app.update(ch('e'));
    let text = "Caller 0 asked about rescheduling".to_string();
    assert_eq!(app.update(ctrl('o')), vec![Effect::OpenEditor { text }]);
    let done = Msg::EditorDone {
        result: Ok("line one\nline two\n".into()),
    };
    assert!(scheduled(&app.update(done)));
    assert_eq!(form(&app).value(FieldId::CallSummary), "line one\nline two");
}

#[test]
fn a_click_on_a_field_focuses_it_and_the_wheel_moves_between_fields() {
    use crate::console::msg::{Target, Wheel};
    let size = (120, 30); // the 26 list rows `loaded` was told
    let mut app = loaded(vec![full(0)]);
    app.update(ch('e'));
    let screen = screen_text(&draw(&app, size.0, size.1));
    let line = |field: FieldId| {
        let y = screen
            .lines()
            .position(|l| l.contains(&format!(" {} ", field.name())));
        u16::try_from(y.expect("the field is drawn")).expect("short screen")
    };
    let at = |y| match crate::test_support::click_at(&app, size, 30, y) {
        Some(Msg::Click(target)) => Some(target),
        _ => None,
    };
    assert_eq!(
        at(line(FieldId::ToNumber)),
        Some(Target::Field(FieldId::ToNumber))
    );
    assert_eq!(at(0), None, "the tabs do not switch under the form");
    assert_eq!(at(line(FieldId::ALL[16]) + 1), None, "below the last field");
    app.update(Msg::Click(Target::Field(FieldId::ToNumber)));
    assert_eq!(form(&app).focus(), FieldId::ToNumber);
    app.update(Msg::Scroll(Wheel::Down));
    assert_eq!(
        form(&app).focus(),
        FieldId::ALL[FieldId::ToNumber.index() + 1]
    );
    app.update(Msg::Scroll(Wheel::Up));
    app.update(Msg::Scroll(Wheel::Up));
    assert_eq!(
        form(&app).focus(),
        FieldId::ALL[FieldId::ToNumber.index() - 1]
    );
    // A click outside the form's fields, or on the list's place, changes nothing.
    app.update(Msg::Click(Target::Row(0)));
    app.update(Msg::Click(Target::Tab(1)));
    assert_eq!(app.active_index(), 0);
    assert_eq!(
        form(&app).focus(),
        FieldId::ALL[FieldId::ToNumber.index() - 1]
    );
}

#[test]
fn a_pasted_line_break_is_in_the_body_the_form_sends() {
    // As a test sends it, as a terminal sends it (CR), and as Windows copies it.
    for pasted in [
        "line one\nline two",
        "line one\rline two",
        "line one\r\nline two",
    ] {
        let mut app = loaded(vec![full(0)]);
        edit_summary(&mut app, pasted);
        let (_, body) = submit_through_check(&mut app, full(0));
        assert_eq!(body["call_summary"], "line one\nline two", "{pasted:?}");
    }
}

/// A call lacking rate/price/provider/recording_id, with a broken from_number.
fn broken_form() -> App {
    let broken = with(call(0), |c| c.from_number = Some("415-555".into()));
    let mut app = loaded(vec![broken]);
    app.update(ch('e'));
    app.update(ctrl('s'));
    app
}

#[test]
fn snapshot_form_clean() {
    let mut app = loaded(vec![full(0)]);
    app.update(ch('e'));
    let terminal = draw(&app, 120, 26);
    assert!(screen_text(&terminal).contains("Edit call call-0000"));
    insta::assert_snapshot!(terminal.backend());
}

#[test]
fn snapshot_form_with_errors() {
    let terminal = draw(&broken_form(), 120, 26);
    let text = screen_text(&terminal);
    assert!(text.contains("4 fields need fixing"), "{text}");
    assert!(text.contains("✗ from_number must be E.164"), "{text}");
    assert!(
        text.contains("✗ required — not provided by the server"),
        "{text}"
    );
    insta::assert_snapshot!(terminal.backend());
}

#[test]
fn a_field_message_is_shown_whole_at_120_columns() {
    let text = screen_text(&draw(&broken_form(), 120, 26));
    assert!(
        text.contains("from_number must be E.164, like +14155550148"),
        "{text}"
    );
}

#[test]
fn snapshot_form_saving() {
    let mut app = loaded(vec![full(0)]);
    edit_summary(&mut app, "Rescheduled to Friday");
    submit_through_check(&mut app, full(0));
    let terminal = draw(&app, 120, 26);
    assert!(screen_text(&terminal).contains("│Saving… "));
    insta::assert_snapshot!(terminal.backend());
}

#[test]
fn snapshot_conflict() {
    let (app, _) = into_conflict();
    let terminal = draw(&app, 120, 26);
    let text = screen_text(&terminal);
    assert!(
        text.contains("Someone else changed this call — nothing was sent"),
        "{text}"
    );
    assert!(text.contains("src-theirs"), "{text}");
    insta::assert_snapshot!(terminal.backend());
}

/// The broken call's form with a long summary typed in: one field changed, one message too
/// long to sit beside its value at 80 columns or less.
fn edited_broken_form() -> App {
    let mut app = broken_form();
    edit_summary(
        &mut app,
        "Wants the Friday slot moved to Monday morning; call back after 10",
    );
    tab_to(&mut app, FieldId::FromNumber);
    app
}

#[test]
fn snapshot_form_narrow_wraps_messages_and_marks_changes() {
    for (w, h) in [(80, 24), (60, 20)] {
        let terminal = draw(&edited_broken_form(), w, h);
        let text = screen_text(&terminal);
        // The message is whole, wrapped under the value, not cut at the border.
        let words: String = text
            .lines()
            .map(|l| l.trim_matches(|c| c == '│' || c == ' '))
            .collect::<Vec<_>>()
            .join(" ");
        let message = r#"✗ from_number must be E.164, like +14155550148 (got "415-555")"#;
        assert!(words.contains(message), "{text}");
        assert!(text.contains("▶ from_number"), "{text}");
        // The key line says what the changed mark means; the changed summary carries it.
        assert!(text.contains("└ * changed · "), "{text}");
        let mut on_summary = edited_broken_form();
        tab_to(&mut on_summary, FieldId::CallSummary);
        let summary = screen_text(&draw(&on_summary, w, h));
        assert!(summary.contains("▶ call_summary        * "), "{summary}");
        assert!(
            summary.contains("  source_id             src-0"),
            "{summary}"
        );
        insta::assert_snapshot!(format!("form_errors_{w}x{h}"), terminal.backend());
    }
}

#[test]
fn snapshot_picker_list_is_drawn_over_the_rows_below_with_the_value_marked() {
    for (w, h) in [(80, 24), (60, 20)] {
        let mut app = loaded(vec![full(0)]);
        app.update(ch('e'));
        tab_to(&mut app, FieldId::Status);
        app.update(key(KeyCode::Enter));
        app.update(key(KeyCode::Down));
        assert_eq!(
            form(&app).picker(),
            Some(3),
            "MISSED is the third option, the highlight moved past it"
        );
        let terminal = draw(&app, w, h);
        let text = screen_text(&terminal);
        for option in crate::domain::rules::STATUSES {
            assert!(text.contains(option), "{option} hidden:\n{text}");
        }
        assert!(
            text.contains("│ ● MISSED "),
            "the value now set is marked:\n{text}"
        );
        // The highlighted option is reversed (every cell on screen is one column wide).
        let (y, line) = text
            .lines()
            .enumerate()
            .find(|(_, l)| l.contains("ANSWERED_BY_CALLS_PROVIDER"))
            .expect("the highlighted option is drawn");
        let at = line.find("ANSWERED_BY_CALLS_PROVIDER").unwrap_or(0);
        let x = line[..at].chars().count();
        let cell = &terminal.backend().buffer()[(x as u16, y as u16)];
        assert!(cell.modifier.contains(ratatui::style::Modifier::REVERSED));
        assert!(text.contains("Enter pick · Esc"), "{text}");
        insta::assert_snapshot!(format!("picker_open_{w}x{h}"), terminal.backend());
    }
}

#[test]
fn snapshot_form_values_use_the_width_there_is() {
    let long = "Wants the Friday slot moved to Monday morning, asked whether the hygienist can also see her daughter";
    let mut app = loaded(vec![full(0)]);
    edit_summary(&mut app, long);
    tab_to(&mut app, FieldId::ExternalAppName);
    let terminal = draw(&app, 160, 26);
    let text = screen_text(&terminal);
    assert!(text.contains(long), "cut short at 160 columns:\n{text}");
    insta::assert_snapshot!(terminal.backend());
}

#[test]
fn a_click_on_a_wrapped_message_focuses_its_field_and_the_rows_below_stay_theirs() {
    use crate::console::msg::Target;
    let app = edited_broken_form();
    let screen = screen_text(&draw(&app, 60, 20));
    let row = |needle: &str| {
        let y = screen.lines().position(|l| l.contains(needle));
        u16::try_from(y.expect("drawn")).expect("short screen")
    };
    let at = |y| match crate::test_support::click_at(&app, (60, 20), 40, y) {
        Some(Msg::Click(Target::Field(f))) => Some(f),
        _ => None,
    };
    assert_eq!(
        at(row(r#"+14155550148 (got "415-555")"#)),
        Some(FieldId::FromNumber)
    );
    assert_eq!(at(row("to_number")), Some(FieldId::ToNumber));
    assert_eq!(at(row("  price ")), Some(FieldId::Price));
}
