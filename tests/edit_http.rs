//! The edit pipeline (form → conflict check → PUT) driven through `App::update`, with its
//! effects performed by the real client against the embedded server over HTTP.

use callconsole::api::CallFields;
use callconsole::api::{ApiClient, VoiceCall};
use callconsole::console::app::{App, Stage, UpdateFields};
use callconsole::console::msg::Msg;
use callconsole::ui::format::exchange;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use serde_json::json;

#[path = "support/drive.rs"]
mod drive;
#[path = "support/edit.rs"]
mod edit;

use edit::*;

#[tokio::test]
async fn the_body_sent_is_the_contract_and_is_stored() {
    let (_server, client, mut app) = setup(UpdateFields::All).await;
    let uid = app
        .selected_call()
        .and_then(|c| c.uid().map(str::to_string))
        .expect("uid");
    let mut puts = Vec::new();
    open_and_fill(&mut app, &client, &mut puts).await;
    press(&mut app, &client, &mut puts, vec![ctrl('s')]).await;
    assert!(
        app.form().is_none(),
        "closed after success: {:?}",
        app.notice()
    );
    let [body] = puts.as_slice() else {
        panic!("one PUT, got {puts:?}")
    };
    assert_eq!(body["rate"], json!("0.05"));
    assert_eq!(body["price"], json!("1.50"));
    assert!(body["duration"].is_u64());
    assert_eq!(body["provider"], json!("VONAGE"));
    assert_eq!(
        body.as_object().map(|o| o.len()),
        Some(16),
        "every required field, no empty optional one"
    );
    let stored: VoiceCall = client.get(&uid).await.result.expect("get");
    assert_eq!(stored.rate.as_deref(), Some("0.05"));
    assert_eq!(stored.recording_id.as_deref(), Some("rec-9"));
    assert_eq!(
        app.list().find(&uid).map(|c| c.to_call()),
        Some(stored),
        "the row shows the server's copy"
    );
    assert!(
        app.last_request()
            .is_some_and(|l| exchange(&l.exchange).contains("→ 200 OK"))
    );
}

#[tokio::test]
async fn a_server_refusal_lands_beside_the_field() {
    // A server that needs the full body, asked for only the changed fields: it names the rest.
    let (_server, client, mut app) = setup(UpdateFields::Changed).await;
    let mut puts = Vec::new();
    open_and_fill(&mut app, &client, &mut puts).await;
    press(&mut app, &client, &mut puts, vec![ctrl('s')]).await;
    assert_eq!(puts.len(), 1);
    let sent = puts[0].as_object().expect("object");
    assert!(
        sent.contains_key("rate") && !sent.contains_key("staff_uid"),
        "only changed fields: {sent:?}"
    );
    let form = app.form().expect("form stays open with the user's values");
    assert_eq!(
        form.value(callconsole::domain::fields::FieldId::Rate),
        "0.05"
    );
    let staff = form
        .server_error(callconsole::domain::fields::FieldId::StaffUid)
        .expect("named");
    assert!(staff.starts_with("staff_uid"), "{staff}");
    assert!(
        app.last_request()
            .and_then(|l| l.error.as_ref())
            .and_then(|e| e.status())
            == Some(422)
    );
}

#[tokio::test]
async fn a_change_by_someone_else_is_a_conflict_not_an_overwrite() {
    let (_server, client, mut app) = setup(UpdateFields::All).await;
    let uid = app
        .selected_call()
        .and_then(|c| c.uid().map(str::to_string))
        .expect("uid");
    let mut puts = Vec::new();
    open_and_fill(&mut app, &client, &mut puts).await;

    // Someone else saves the call meanwhile.
    let mut theirs = client.get(&uid).await.result.expect("get");
    theirs.call_summary = Some("Changed at the front desk".into());
    let other = callconsole::domain::fields::validate(&{
        let (mut v, _) = callconsole::domain::fields::prefill(&theirs);
        v.insert(callconsole::domain::fields::FieldId::Rate, "0".into());
        v.insert(callconsole::domain::fields::FieldId::Price, "0".into());
        v.insert(
            callconsole::domain::fields::FieldId::RecordingId,
            "rec-other".into(),
        );
        v
    })
    .expect("valid");
    client
        .update(&uid, &other)
        .await
        .result
        .expect("their save");

    press(&mut app, &client, &mut puts, vec![ctrl('s')]).await;
    assert!(puts.is_empty(), "nothing sent");
    assert!(matches!(
        app.submission().map(|s| &s.stage),
        Some(Stage::Conflict { .. })
    ));

    // Reload: their summary comes in, my rate stays.
    press(&mut app, &client, &mut puts, vec![key(KeyCode::Char('r'))]).await;
    let form = app.form().expect("form");
    use callconsole::domain::fields::FieldId;
    assert_eq!(
        form.value(FieldId::CallSummary),
        "Changed at the front desk"
    );
    assert_eq!(form.value(FieldId::Rate), "0.05");
    press(&mut app, &client, &mut puts, vec![ctrl('s')]).await;
    assert_eq!(puts.len(), 1, "sent after the reload");
    let stored = client.get(&uid).await.result.expect("get");
    assert_eq!(
        stored.call_summary.as_deref(),
        Some("Changed at the front desk")
    );
    assert_eq!(stored.rate.as_deref(), Some("0.05"));
}

/// Moves the cursor to the first loaded call with `status`; its uid.
async fn select_first(
    app: &mut App,
    client: &ApiClient,
    puts: &mut Vec<serde_json::Value>,
    status: &str,
) -> String {
    let calls = app.list().calls();
    let index = calls
        .iter()
        .position(|c| c.status() == Some(status))
        .unwrap_or_else(|| panic!("a loaded {status} call"));
    let uid = calls[index].uid().map(str::to_string).expect("uid");
    let moves = (0..index).map(|_| key(KeyCode::Char('j'))).collect();
    press(app, client, puts, moves).await;
    assert_eq!(
        app.selected_call()
            .and_then(|c| c.uid().map(str::to_string)),
        Some(uid.clone())
    );
    uid
}

#[tokio::test]
async fn un_handling_in_the_form_clears_the_handler() {
    // Issue 13, point 10: setting a handled call back to MISSED kept its handler.
    let (_server, client, mut app) = setup(UpdateFields::All).await;
    let mut puts = Vec::new();
    let uid = select_first(&mut app, &client, &mut puts, "MISSED_CALL_HANDLED").await;
    let before = client.get(&uid).await.result.expect("get");
    assert!(before.handled_by_staff_uid.is_some() && before.handled_at.is_some());
    open_and_fill(&mut app, &client, &mut puts).await;
    // recording_id → status, then the picker's next M: MISSED.
    let mut msgs: Vec<Msg> = (0..9)
        .map(|_| Msg::Key(KeyEvent::new(KeyCode::BackTab, KeyModifiers::SHIFT)))
        .collect();
    msgs.push(key(KeyCode::Char('m')));
    press(&mut app, &client, &mut puts, msgs).await;
    use callconsole::domain::fields::FieldId;
    assert_eq!(app.form().map(|f| f.value(FieldId::Status)), Some("MISSED"));
    press(&mut app, &client, &mut puts, vec![ctrl('s')]).await;
    assert!(app.form().is_none(), "saved: {:?}", app.notice());
    let [body] = puts.as_slice() else {
        panic!("one PUT, got {puts:?}")
    };
    assert!(
        body.get("handled_by_staff_uid").is_none_or(|v| v.is_null()),
        "{body}"
    );
    let now = client.get(&uid).await.result.expect("get");
    assert_eq!(now.status.map(|s| s.0).as_deref(), Some("MISSED"));
    assert_eq!(now.handled_by_staff_uid, None);
    assert_eq!(now.handled_at, None);
}

#[tokio::test]
async fn undoing_a_handled_call_clears_the_handler() {
    let (_server, client, mut app) = setup(UpdateFields::All).await;
    let mut puts = Vec::new();
    let uid = select_first(&mut app, &client, &mut puts, "MISSED").await;
    open_and_fill(&mut app, &client, &mut puts).await;
    // recording_id → status: handled; → handled by: me.
    let mut msgs: Vec<Msg> = (0..9)
        .map(|_| Msg::Key(KeyEvent::new(KeyCode::BackTab, KeyModifiers::SHIFT)))
        .collect();
    msgs.push(key(KeyCode::Char('m')));
    msgs.extend((0..11).map(|_| key(KeyCode::Tab)));
    msgs.extend(typed("staff-me"));
    msgs.push(ctrl('s'));
    press(&mut app, &client, &mut puts, msgs).await;
    assert!(app.form().is_none(), "saved: {:?}", app.notice());
    let handled = client.get(&uid).await.result.expect("get");
    assert_eq!(
        handled.status.map(|s| s.0).as_deref(),
        Some("MISSED_CALL_HANDLED")
    );
    assert_eq!(handled.handled_by_staff_uid.as_deref(), Some("staff-me"));

    press(&mut app, &client, &mut puts, vec![key(KeyCode::Char('u'))]).await;
    assert_eq!(puts.len(), 2, "the undo was sent: {:?}", app.notice());
    let now = client.get(&uid).await.result.expect("get");
    assert_eq!(now.status.map(|s| s.0).as_deref(), Some("MISSED"));
    assert_eq!(now.handled_by_staff_uid, None);
    assert_eq!(now.handled_at, None);
}
