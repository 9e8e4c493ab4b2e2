//! The dialogs as drawn at 80 × 24 and 60 × 20: the waiting draft, the change to many calls,
//! the form's leave question and the staff uid question each show their keys on the last
//! line inside the box, and times in words.

use crate::console::app::test_fixtures::{follow_up, form};
use crate::test_support::{draw, key, screen_text};
use crossterm::event::KeyCode;

const SIZES: [(u16, u16); 2] = [(80, 24), (60, 20)];

/// The keys are drawn whole on the box's last line inside: the row under them is the box's
/// bottom border.
fn keys_on_last_line(text: &str, keys: &str) {
    let lines: Vec<&str> = text.lines().collect();
    let at = lines
        .iter()
        .position(|l| l.contains(keys))
        .unwrap_or_else(|| panic!("{keys:?} not drawn:\n{text}"));
    // The box's left border: the last one before the keys (the form's may be further left).
    let keys_at = lines[at].find(keys).unwrap_or(0);
    let border = lines[at][..keys_at].rfind('│').unwrap_or(0);
    let column = lines[at][..border].chars().count();
    let below = lines.get(at + 1).copied().unwrap_or_default();
    assert_eq!(
        below.chars().nth(column),
        Some('└'),
        "{keys:?} is not the last line inside the box:\n{text}"
    );
}

/// The screen's words in order, borders left out: what reads on, wrapped or not.
fn words(text: &str) -> String {
    text.replace('│', " ")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// An app with a draft of call 0 saved at `saved_at` waiting (its question is up).
fn draft_waiting(saved_at: &str) -> crate::console::app::App {
    let mut values = form::fields::prefill(&form::full(0)).0;
    values.insert(form::FieldId::CallSummary, "from the draft".into());
    let draft = form::Draft::new(
        "call-0000",
        saved_at.into(),
        form::full(0).updated_at,
        &values,
    );
    let session = form::session(Some("staff-ana"), form::UpdateFields::All);
    let app = form::loaded_with(vec![form::full(0)], session, vec![draft]);
    assert!(app.prompt().is_some());
    app
}

#[test]
fn snapshot_draft_prompt_says_when_in_words_and_shows_its_keys() {
    for (w, h) in SIZES {
        let app = draft_waiting("2026-11-24T14:50:35.921179685+00:00");
        let terminal = draw(&app, w, h);
        let text = screen_text(&terminal);
        assert!(words(&text).contains("(saved today 14:50)"), "{text}");
        assert!(!text.contains("2026-11-24T"), "{text}");
        keys_on_last_line(&text, "decide later");
        insta::assert_snapshot!(format!("draft_prompt_{w}x{h}"), terminal.backend());
    }
    let text = screen_text(&draw(&draft_waiting("2026-11-23T08:05:00+00:00"), 60, 20));
    assert!(words(&text).contains("yesterday 08:05"), "{text}");
}

#[test]
fn snapshot_bulk_confirmation_shows_its_keys() {
    for (w, h) in SIZES {
        let mut app =
            follow_up::loaded_with(follow_up::bulk_session(), (w, h), follow_up::calls(0..12));
        app.update(key(KeyCode::Char('V')));
        assert!(app.update(key(KeyCode::Char('h'))).is_empty());
        assert!(app.prompt().is_some());
        let terminal = draw(&app, w, h);
        let text = screen_text(&terminal);
        assert!(text.contains("12 calls will change"), "{text}");
        keys_on_last_line(&text, "n / Esc cancel");
        insta::assert_snapshot!(format!("bulk_confirm_{w}x{h}"), terminal.backend());
    }
}

#[test]
fn snapshot_leave_question_shows_its_keys() {
    for (w, h) in SIZES {
        let mut app = form::loaded(vec![form::full(0)]);
        form::edit_summary(&mut app, "changed");
        app.update(key(KeyCode::Esc));
        assert!(form::form(&app).leaving());
        let terminal = draw(&app, w, h);
        let text = screen_text(&terminal);
        assert!(text.contains("Unsent changes"), "{text}");
        keys_on_last_line(&text, "other keys: stay");
        insta::assert_snapshot!(format!("leave_question_{w}x{h}"), terminal.backend());
    }
}

#[test]
fn the_staff_uid_question_shows_its_keys_at_60_columns() {
    let session = form::session(None, form::UpdateFields::All);
    let mut app = form::loaded_with(vec![form::full(0)], session, Vec::new());
    app.update(key(KeyCode::Char('h')));
    assert!(app.prompt().is_some(), "h without a staff uid asks for one");
    let text = screen_text(&draw(&app, 60, 20));
    keys_on_last_line(&text, "skip this");
}
