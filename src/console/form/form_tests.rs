//! `Form` alone: keys and pastes in, values, focus, messages and `FormAction`s out.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::*;
use crate::api::model::{Direction, Status};
use crate::domain::rules;

/// A call the server sent in full: nothing is missing, every rule passes.
fn full_call() -> VoiceCall {
    VoiceCall {
        uid: Some("call-0001".into()),
        updated_at: Some("2026-11-24T14:00:00+00:00".into()),
        staff_uid: Some("staff-ana".into()),
        client_uid: Some("client-01".into()),
        from_number: Some("+14155550148".into()),
        to_number: Some("+14155550100".into()),
        direction: Some(Direction("INBOUND".into())),
        status: Some(Status("MISSED".into())),
        rate: Some("0.05".into()),
        price: Some("1.50".into()),
        provider: Some("VONAGE".into()),
        source_id: Some("src-1".into()),
        duration: Some(125),
        call_summary: Some("Asked about the invoice".into()),
        external_app_url: Some("https://app.example.com/calls/1".into()),
        external_app_name: Some("my.pa".into()),
        recording_id: Some("rec-1".into()),
        external_uuid: Some("ext-1".into()),
        handled_by_staff_uid: None,
        ..Default::default()
    }
}

/// The same call as the list endpoint sends it: none of the fields the API never sends back.
fn read_call() -> VoiceCall {
    let mut call = serde_json::to_value(full_call()).expect("json");
    for f in FieldId::ALL.into_iter().filter(|f| !f.sent_back()) {
        call[f.name()] = serde_json::Value::Null;
    }
    serde_json::from_value(call).expect("a call")
}

fn open(call: VoiceCall) -> Form {
    Form::open(call, None, None)
}

fn press(form: &mut Form, code: KeyCode) -> FormAction {
    form.on_key(KeyEvent::new(code, KeyModifiers::NONE))
}

fn ctrl(form: &mut Form, c: char) -> FormAction {
    form.on_key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::CONTROL))
}

fn type_str(form: &mut Form, text: &str) {
    for c in text.chars() {
        press(form, KeyCode::Char(c));
    }
}

fn focus_on(form: &mut Form, field: FieldId) {
    for _ in 0..FieldId::ALL.len() {
        if form.focus() == field {
            return;
        }
        press(form, KeyCode::Tab);
    }
    assert_eq!(form.focus(), field, "Tab never reached the field");
}

#[test]
fn opens_prefilled_in_field_order_with_focus_on_the_first_field() {
    let form = open(full_call());
    assert_eq!(form.uid(), "call-0001");
    assert_eq!(form.focus(), FieldId::StaffUid);
    assert_eq!(form.opened_updated_at(), Some("2026-11-24T14:00:00+00:00"));
    assert_eq!(form.value(FieldId::FromNumber), "+14155550148");
    assert_eq!(form.value(FieldId::Duration), "125");
    assert_eq!(form.value(FieldId::Status), "MISSED");
    assert_eq!(form.value(FieldId::HandledByStaffUid), "");
    assert!(!form.is_dirty());
    assert!(form.broken().is_empty(), "{:?}", form.broken());
    assert_eq!(form.values().len(), 17);
}

#[test]
fn fields_the_server_did_not_send_are_marked_and_provider_starts_at_vonage() {
    let form = open(read_call());
    assert_eq!(form.value(FieldId::Provider), "VONAGE");
    for f in [FieldId::Rate, FieldId::Price, FieldId::RecordingId] {
        assert!(form.is_missing(f));
        assert_eq!(form.value(f), "");
        assert_eq!(
            form.message(f).as_deref(),
            Some("required — not provided by the server")
        );
    }
    assert_eq!(
        form.broken(),
        vec![FieldId::Rate, FieldId::Price, FieldId::RecordingId]
    );
    assert!(!form.is_missing(FieldId::FromNumber));
}

#[test]
fn tab_down_and_enter_move_forward_backtab_and_up_move_back_wrapping() {
    let mut form = open(full_call());
    assert_eq!(press(&mut form, KeyCode::Tab), FormAction::Nothing);
    assert_eq!(form.focus(), FieldId::ClientUid);
    press(&mut form, KeyCode::Down);
    assert_eq!(form.focus(), FieldId::FromNumber);
    press(&mut form, KeyCode::Enter);
    assert_eq!(
        form.focus(),
        FieldId::ToNumber,
        "Enter in a text field moves on"
    );
    press(&mut form, KeyCode::BackTab);
    assert_eq!(form.focus(), FieldId::FromNumber);
    press(&mut form, KeyCode::Up);
    press(&mut form, KeyCode::Up);
    assert_eq!(form.focus(), FieldId::StaffUid);
    press(&mut form, KeyCode::Up);
    assert_eq!(
        form.focus(),
        FieldId::HandledByStaffUid,
        "wraps to the last"
    );
    press(&mut form, KeyCode::Tab);
    assert_eq!(form.focus(), FieldId::StaffUid, "wraps to the first");
    assert!(!form.is_dirty(), "moving changes nothing");
}

#[test]
fn arrows_cycle_a_picker_and_wrap() {
    let mut form = open(full_call());
    focus_on(&mut form, FieldId::Direction);
    assert_eq!(press(&mut form, KeyCode::Right), FormAction::Changed);
    assert_eq!(form.value(FieldId::Direction), "OUTBOUND");
    press(&mut form, KeyCode::Right);
    assert_eq!(form.value(FieldId::Direction), "INBOUND", "wraps");
    press(&mut form, KeyCode::Left);
    assert_eq!(form.value(FieldId::Direction), "OUTBOUND");

    focus_on(&mut form, FieldId::Status);
    let mut seen = vec![form.value(FieldId::Status).to_string()];
    for _ in 0..rules::STATUSES.len() {
        press(&mut form, KeyCode::Right);
        seen.push(form.value(FieldId::Status).to_string());
    }
    assert_eq!(
        seen.first(),
        seen.last(),
        "a full turn comes back: {seen:?}"
    );
    for s in rules::STATUSES {
        assert!(seen.iter().any(|v| v == s), "{s} never offered");
    }
}

#[test]
fn a_letter_jumps_to_the_next_choice_starting_with_it() {
    let mut form = open(full_call());
    focus_on(&mut form, FieldId::Status);
    assert_eq!(form.value(FieldId::Status), "MISSED");
    assert_eq!(press(&mut form, KeyCode::Char('m')), FormAction::Changed);
    assert_eq!(form.value(FieldId::Status), "MISSED_CALL_HANDLED");
    press(&mut form, KeyCode::Char('m'));
    assert_eq!(form.value(FieldId::Status), "MISSED");
    press(&mut form, KeyCode::Char('v'));
    assert_eq!(form.value(FieldId::Status), "VOICEMAIL_RECEIVED");
    assert_eq!(press(&mut form, KeyCode::Char('z')), FormAction::Nothing);
    assert_eq!(form.value(FieldId::Status), "VOICEMAIL_RECEIVED");
}

#[test]
fn enter_opens_the_picker_list_to_choose_from() {
    let mut form = open(full_call());
    focus_on(&mut form, FieldId::Status);
    let at = rules::STATUSES
        .iter()
        .position(|s| *s == "MISSED")
        .expect("MISSED listed");
    assert_eq!(press(&mut form, KeyCode::Enter), FormAction::Nothing);
    assert_eq!(form.picker(), Some(at), "opens on the current value");
    press(&mut form, KeyCode::Down);
    assert_eq!(form.picker(), Some(at + 1));
    assert_eq!(
        form.value(FieldId::Status),
        "MISSED",
        "moving only highlights"
    );
    press(&mut form, KeyCode::Up);
    press(&mut form, KeyCode::Up);
    assert_eq!(form.picker(), Some(at - 1));
    assert_eq!(press(&mut form, KeyCode::Enter), FormAction::Changed);
    assert_eq!(form.picker(), None);
    assert_eq!(form.value(FieldId::Status), rules::STATUSES[at - 1]);
    assert_eq!(
        form.focus(),
        FieldId::Status,
        "Enter in the list does not move on"
    );

    // Esc closes the list and keeps the value.
    press(&mut form, KeyCode::Enter);
    press(&mut form, KeyCode::Down);
    assert_eq!(press(&mut form, KeyCode::Esc), FormAction::Nothing);
    assert_eq!(form.picker(), None);
    assert_eq!(form.value(FieldId::Status), rules::STATUSES[at - 1]);
    assert!(!form.leaving(), "that Esc closed the list, not the form");
}

#[test]
fn an_unknown_value_is_shown_as_is_and_kept_until_another_is_picked() {
    let call = VoiceCall {
        status: Some(Status("SOMETHING_NEW".into())),
        ..full_call()
    };
    let mut form = open(call);
    assert_eq!(form.value(FieldId::Status), "SOMETHING_NEW");
    assert_eq!(form.message(FieldId::Status), None, "not an error");
    focus_on(&mut form, FieldId::Status);
    // Typing a letter no choice starts with, and opening/closing the list, keep it.
    press(&mut form, KeyCode::Char('z'));
    press(&mut form, KeyCode::Enter);
    press(&mut form, KeyCode::Esc);
    assert_eq!(form.values()[&FieldId::Status], "SOMETHING_NEW");
    assert!(!form.is_dirty());
    press(&mut form, KeyCode::Left);
    assert_eq!(form.value(FieldId::Status), rules::STATUSES[5]);
    assert_eq!(form.changed(), vec![FieldId::Status]);
}

#[test]
fn typing_edits_the_focused_text_field_and_validates_as_it_goes() {
    let mut form = open(full_call());
    focus_on(&mut form, FieldId::FromNumber);
    assert_eq!(press(&mut form, KeyCode::Char('x')), FormAction::Changed);
    assert_eq!(form.value(FieldId::FromNumber), "+14155550148x");
    let message = form.message(FieldId::FromNumber).expect("broken");
    assert!(
        message.starts_with("from_number must be E.164"),
        "{message}"
    );
    assert_eq!(form.broken(), vec![FieldId::FromNumber]);
    assert_eq!(form.changed(), vec![FieldId::FromNumber]);
    assert_eq!(press(&mut form, KeyCode::Backspace), FormAction::Changed);
    assert!(form.broken().is_empty());
    assert!(!form.is_dirty(), "back to what it opened with");
    // A key that changes nothing asks for nothing.
    assert_eq!(press(&mut form, KeyCode::End), FormAction::Nothing);
}

#[test]
fn readline_keys_work_in_text_fields() {
    let mut form = open(full_call());
    focus_on(&mut form, FieldId::SourceId);
    assert_eq!(form.value(FieldId::SourceId), "src-1");
    ctrl(&mut form, 'a');
    type_str(&mut form, "X");
    assert_eq!(form.value(FieldId::SourceId), "Xsrc-1", "Ctrl-a: start");
    ctrl(&mut form, 'e');
    type_str(&mut form, "Y");
    assert_eq!(form.value(FieldId::SourceId), "Xsrc-1Y", "Ctrl-e: end");
    type_str(&mut form, " two words");
    assert_eq!(ctrl(&mut form, 'w'), FormAction::Changed);
    assert_eq!(
        form.value(FieldId::SourceId),
        "Xsrc-1Y two ",
        "Ctrl-w: word"
    );
    ctrl(&mut form, 'a');
    press(&mut form, KeyCode::Right);
    assert_eq!(ctrl(&mut form, 'k'), FormAction::Changed);
    assert_eq!(form.value(FieldId::SourceId), "X", "Ctrl-k: to the end");
    ctrl(&mut form, 'y');
    assert_eq!(
        form.value(FieldId::SourceId),
        "Xsrc-1Y two ",
        "Ctrl-y: yank"
    );
    assert_eq!(ctrl(&mut form, 'u'), FormAction::Changed);
    assert_eq!(form.value(FieldId::SourceId), "", "Ctrl-u: the line");
    assert_eq!(
        form.focus(),
        FieldId::SourceId,
        "no readline key moved focus"
    );
}

#[test]
fn paste_goes_into_the_focused_field_newlines_only_in_the_summary() {
    let mut form = open(full_call());
    focus_on(&mut form, FieldId::ExternalAppName);
    ctrl(&mut form, 'u');
    assert_eq!(form.on_paste("two\r\nlines"), FormAction::Changed);
    assert_eq!(form.value(FieldId::ExternalAppName), "two lines");
    focus_on(&mut form, FieldId::CallSummary);
    ctrl(&mut form, 'u');
    form.on_paste("first\r\nsecond");
    assert_eq!(form.value(FieldId::CallSummary), "first\nsecond");
    // Terminals send a pasted line break as a lone CR: it is a line break too.
    ctrl(&mut form, 'u');
    form.on_paste("first\rsecond");
    assert_eq!(form.value(FieldId::CallSummary), "first\nsecond");
    assert_eq!(form.message(FieldId::CallSummary), None);
    assert_eq!(form.on_paste(""), FormAction::Nothing);
    focus_on(&mut form, FieldId::Direction);
    assert_eq!(form.on_paste("OUTBOUND"), FormAction::Nothing);
    assert_eq!(
        form.value(FieldId::Direction),
        "INBOUND",
        "pickers take no paste"
    );
}

#[test]
fn ctrl_n_normalises_a_national_number_when_a_country_is_set() {
    let call = VoiceCall {
        from_number: Some("(415) 555-0148".into()),
        ..full_call()
    };
    let mut form = Form::open(call.clone(), None, Some("US".into()));
    assert_eq!(
        form.message(FieldId::FromNumber)
            .as_deref()
            .map(|m| m.ends_with("— Ctrl-n uses +14155550148")),
        Some(true),
        "{:?}",
        form.message(FieldId::FromNumber)
    );
    focus_on(&mut form, FieldId::FromNumber);
    assert_eq!(ctrl(&mut form, 'n'), FormAction::Changed);
    assert_eq!(form.value(FieldId::FromNumber), "+14155550148");
    assert_eq!(form.message(FieldId::FromNumber), None);
    assert_eq!(ctrl(&mut form, 'n'), FormAction::Nothing, "already E.164");

    // Without a country there is nothing to offer.
    let mut form = open(call);
    focus_on(&mut form, FieldId::FromNumber);
    assert_eq!(form.suggestion(FieldId::FromNumber), None);
    assert_eq!(ctrl(&mut form, 'n'), FormAction::Nothing);
    assert_eq!(form.value(FieldId::FromNumber), "(415) 555-0148");
}

#[test]
fn ctrl_s_submits_and_ctrl_o_opens_the_editor_on_the_summary() {
    let mut form = open(full_call());
    focus_on(&mut form, FieldId::Rate);
    assert_eq!(ctrl(&mut form, 's'), FormAction::Submit);
    assert_eq!(form.value(FieldId::Rate), "0.05", "Ctrl-s typed nothing");
    assert_eq!(ctrl(&mut form, 'o'), FormAction::OpenEditor);
    assert_eq!(form.focus(), FieldId::CallSummary);
    assert_eq!(ctrl(&mut form, 'o'), FormAction::OpenEditor);
}

#[test]
fn esc_leaves_a_clean_form_at_once() {
    let mut form = open(full_call());
    assert_eq!(
        press(&mut form, KeyCode::Esc),
        FormAction::Leave { discard: false }
    );
}

#[test]
fn esc_on_a_dirty_form_asks_keep_or_discard() {
    let mut form = open(full_call());
    type_str(&mut form, "x");
    assert_eq!(press(&mut form, KeyCode::Esc), FormAction::Nothing);
    assert!(form.leaving());
    // Any other key cancels the question and does nothing else.
    assert_eq!(press(&mut form, KeyCode::Char('z')), FormAction::Nothing);
    assert!(!form.leaving());
    assert_eq!(form.value(FieldId::StaffUid), "staff-anax");

    press(&mut form, KeyCode::Esc);
    assert_eq!(
        press(&mut form, KeyCode::Char('k')),
        FormAction::Leave { discard: false }
    );
    let mut form = open(full_call());
    type_str(&mut form, "x");
    press(&mut form, KeyCode::Esc);
    assert_eq!(
        press(&mut form, KeyCode::Char('d')),
        FormAction::Leave { discard: true }
    );
    assert_eq!(form.on_paste("ignored"), FormAction::Nothing);
}

#[test]
fn server_messages_land_beside_their_fields_until_edited() {
    let mut form = open(full_call());
    form.set_server_errors(vec![
        (Some(FieldId::Price), "price is too high".into()),
        (Some(FieldId::FromNumber), "from_number is blocked".into()),
        (None, "try again later".into()),
    ]);
    assert_eq!(form.focus(), FieldId::FromNumber, "first in form order");
    assert_eq!(
        form.message(FieldId::Price).as_deref(),
        Some("price is too high")
    );
    assert_eq!(form.general_errors(), ["try again later".to_string()]);
    assert_eq!(form.broken(), vec![FieldId::FromNumber, FieldId::Price]);
    type_str(&mut form, "9");
    press(&mut form, KeyCode::Backspace);
    assert_eq!(form.server_error(FieldId::FromNumber), None, "edited: gone");
    assert_eq!(form.server_error(FieldId::Price), Some("price is too high"));
    form.clear_server_errors();
    assert!(form.broken().is_empty());
    assert!(form.general_errors().is_empty());
}

#[test]
fn focus_first_broken_counts_and_moves_to_the_first() {
    let mut form = open(read_call());
    focus_on(&mut form, FieldId::ExternalUuid);
    assert_eq!(form.focus_first_broken(), 3);
    assert_eq!(form.focus(), FieldId::Rate);
    let mut clean = open(full_call());
    focus_on(&mut clean, FieldId::ExternalUuid);
    assert_eq!(clean.focus_first_broken(), 0);
    assert_eq!(
        clean.focus(),
        FieldId::ExternalUuid,
        "nothing broken: stays"
    );
}

#[test]
fn a_preset_opens_with_its_values_and_its_updated_at() {
    let mut values = fields::prefill(&full_call()).0;
    values.insert(FieldId::CallSummary, "from the draft".into());
    let form = Form::open(
        full_call(),
        Some((values, Some("2026-01-01T00:00:00+00:00".into()))),
        None,
    );
    assert_eq!(form.value(FieldId::CallSummary), "from the draft");
    assert_eq!(form.opened_updated_at(), Some("2026-01-01T00:00:00+00:00"));
    assert_eq!(form.changed(), vec![FieldId::CallSummary]);
}

#[test]
fn rebase_takes_theirs_and_keeps_my_edits_on_top() {
    let mut form = open(full_call());
    focus_on(&mut form, FieldId::CallSummary);
    ctrl(&mut form, 'u');
    type_str(&mut form, "mine");
    let theirs = VoiceCall {
        updated_at: Some("2026-11-24T14:30:00+00:00".into()),
        call_summary: Some("theirs".into()),
        source_id: Some("src-theirs".into()),
        ..full_call()
    };
    form.rebase(theirs);
    assert_eq!(form.value(FieldId::CallSummary), "mine");
    assert_eq!(form.value(FieldId::SourceId), "src-theirs");
    assert_eq!(form.opened_updated_at(), Some("2026-11-24T14:30:00+00:00"));
    assert_eq!(form.base().source_id.as_deref(), Some("src-theirs"));
    assert_eq!(form.changed(), vec![FieldId::CallSummary]);
}
