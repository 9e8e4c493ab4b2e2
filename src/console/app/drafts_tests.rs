//! Drafts through `update`: written after a pause, on Ctrl-c and when the form is left;
//! offered at start and on `e`, restored or discarded.

use crate::console::app::test_fixtures::form::*;

#[test]
fn changes_schedule_a_draft_and_only_the_newest_timer_writes_it() {
    let mut app = loaded(vec![full(0)]);
    let generation = |e: &[Effect]| match e {
        [Effect::ScheduleDraft { generation, delay }] if *delay == DRAFT_DELAY => *generation,
        other => panic!("expected ScheduleDraft, got {other:?}"),
    };
    let g1 = generation(&edit_summary(&mut app, "one"));
    let g2 = generation(&app.update(Msg::Paste(" two".into())));
    assert!(g2 > g1);
    assert!(
        app.update(Msg::DraftDue { generation: g1 }).is_empty(),
        "older timer"
    );
    let effects = app.update(Msg::DraftDue { generation: g2 });
    let [Effect::WriteDraft(draft)] = effects.as_slice() else {
        panic!("expected WriteDraft, got {effects:?}");
    };
    assert_eq!(draft.uid, "call-0000");
    assert_eq!(draft.saved_at, now().to_rfc3339());
    assert_eq!(draft.opened_updated_at, full(0).updated_at);
    assert_eq!(draft.field_values(), form(&app).values());
    assert_eq!(draft.values["call_summary"], "one two");
    assert!(app.drafts().contains_key("call-0000"));
}

#[test]
fn ctrl_c_with_a_dirty_form_writes_the_draft_before_quitting() {
    let mut app = loaded(vec![full(0)]);
    edit_summary(&mut app, "unsent");
    let effects = app.update(ctrl('c'));
    assert!(app.should_quit());
    let summary = |d: &Draft| d.values["call_summary"] == "unsent";
    assert!(matches!(effects.as_slice(), [Effect::WriteDraft(d)] if summary(d)));
    let mut clean = loaded(vec![full(0)]);
    clean.update(ch('e'));
    assert!(clean.update(ctrl('c')).is_empty());
    assert!(clean.should_quit());
}

#[test]
fn esc_on_a_dirty_form_asks_then_k_keeps_or_d_discards_the_draft() {
    let mut app = loaded(vec![full(0)]);
    edit_summary(&mut app, "unsent");
    assert!(app.update(key(KeyCode::Esc)).is_empty());
    assert!(form(&app).leaving());
    let effects = app.update(ch('k'));
    assert!(matches!(effects.as_slice(), [Effect::WriteDraft(d)] if d.uid == "call-0000"));
    assert!(app.form().is_none());

    let mut app = loaded(vec![full(0)]);
    edit_summary(&mut app, "unsent");
    app.update(key(KeyCode::Esc));
    assert_eq!(app.update(ch('d')), delete_draft("call-0000"));
    assert!(app.form().is_none());
    assert!(app.drafts().is_empty());
}

fn draft_of_call0(summary: &str) -> Draft {
    let mut values = fields::prefill(&full(0)).0;
    values.insert(FieldId::CallSummary, summary.into());
    let saved_at = "2026-11-24T14:50:00+00:00".to_string();
    Draft::new("call-0000", saved_at, full(0).updated_at, &values)
}

fn with_draft(summary: &str) -> App {
    let s = session(Some("staff-ana"), UpdateFields::All);
    loaded_with(vec![full(0)], s, vec![draft_of_call0(summary)])
}

#[test]
fn a_waiting_draft_is_offered_at_start_and_r_restores_it() {
    let mut app = with_draft("from the draft");
    assert!(matches!(app.prompt(), Some(Prompt::Draft { uid }) if uid == "call-0000"));
    assert!(app.update(ch('j')).is_empty());
    assert!(app.prompt().is_some(), "other keys leave the question up");
    assert!(app.update(ch('r')).is_empty());
    assert!(app.prompt().is_none());
    assert_eq!(form(&app).value(FieldId::CallSummary), "from the draft");
    assert_eq!(form(&app).changed(), vec![FieldId::CallSummary]);
}

#[test]
fn restoring_a_draft_for_a_call_not_loaded_fetches_it_first() {
    let s = session(Some("staff-ana"), UpdateFields::All);
    let drafts = vec![draft_of_call0("from the draft")];
    let (mut app, _) = App::new(s, now(), utc(), list_rows(26), drafts);
    let req = fetch_req(&app.update(ch('r')), "call-0000");
    assert!(app.form().is_none());
    fetched(&mut app, req, full(0));
    assert_eq!(form(&app).value(FieldId::CallSummary), "from the draft");
}

#[test]
fn e_on_a_call_with_a_draft_offers_it_and_d_discards_it() {
    let mut app = with_draft("x");
    app.update(key(KeyCode::Esc)); // not now
    assert!(app.prompt().is_none());
    app.update(ch('e'));
    assert!(app.form().is_none());
    assert!(matches!(app.prompt(), Some(Prompt::Draft { uid }) if uid == "call-0000"));
    assert_eq!(app.update(ch('d')), delete_draft("call-0000"));
    assert!(app.prompt().is_none());
    assert!(app.drafts().is_empty());
    // Opening the call now starts from the server's values, no question.
    app.update(ch('e'));
    assert!(app.prompt().is_none());
    assert_eq!(
        form(&app).value(FieldId::CallSummary),
        "Caller 0 asked about rescheduling"
    );
}
