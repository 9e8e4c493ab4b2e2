//! The edit pipeline (form → conflict check → PUT) driven through `App::update`, with its
//! effects performed by the real client against the embedded server over HTTP.

use callconsole::api::CallFields;
use callconsole::api::{ApiClient, ClientOptions, VoiceCall};
use callconsole::config::Config;
use callconsole::config::secret::Secret;
use callconsole::console::app::{App, Session, Stage, UpdateFields};
use callconsole::console::msg::{Effect, Msg};
use callconsole::domain::views::TabId;
use callconsole::persist::state::UiState;
use callconsole::server::{self, RunningServer, ServerOptions};
use callconsole::ui::format::exchange;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use serde_json::json;

async fn setup(update_fields: UpdateFields) -> (RunningServer, ApiClient, App) {
    let server = server::start(ServerOptions {
        port: 0,
        token: "t".into(),
        data_file: None,
        import_json: None,
        seed_count: None,
        legacy_stats_only: false,
        faults: Vec::new(),
    })
    .await
    .expect("server");
    let url = url::Url::parse(&server.base_url()).expect("url");
    let client = ApiClient::new(ClientOptions::new(url, Secret::new("t"))).expect("client");
    let session = Session {
        demo: true,
        api_label: "test".into(),
        config: Config {
            page_size: 50,
            staff_uid: Some("staff-me".into()),
            update_fields,
            default_country: Some("US".into()),
            ..Config::default()
        },
        ..Session::default()
    };
    let tz = callconsole::domain::zone::Zone::utc();
    // The All view: every call, whatever its status.
    let state = UiState {
        active: Some(TabId::All),
        ..UiState::default()
    };
    let (mut app, effects) = App::with_state(
        session,
        chrono::Utc::now(),
        tz,
        callconsole::ui::layout::list_rows(40),
        Vec::new(),
        state,
    );
    let mut puts = Vec::new();
    perform(&mut app, &client, effects, &mut puts).await;
    assert!(app.list().len() >= 50);
    (server, client, app)
}

#[path = "support/drive.rs"]
mod drive;

/// Performs effects like the runtime does (network only), feeding answers back; collects the
/// PUT bodies that were sent.
async fn perform(
    app: &mut App,
    client: &ApiClient,
    effects: Vec<Effect>,
    puts: &mut Vec<serde_json::Value>,
) {
    puts.extend(drive::perform(app, client, effects).await);
}

fn key(code: KeyCode) -> Msg {
    Msg::Key(KeyEvent::new(code, KeyModifiers::NONE))
}

fn ctrl(c: char) -> Msg {
    Msg::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::CONTROL))
}

async fn press(
    app: &mut App,
    client: &ApiClient,
    puts: &mut Vec<serde_json::Value>,
    msgs: Vec<Msg>,
) {
    for msg in msgs {
        let effects = app.update(msg);
        perform(app, client, effects, puts).await;
    }
}

fn typed(text: &str) -> Vec<Msg> {
    text.chars().map(|c| key(KeyCode::Char(c))).collect()
}

/// Opens the form on the selected call and fills the four fields the read object lacks.
async fn open_and_fill(app: &mut App, client: &ApiClient, puts: &mut Vec<serde_json::Value>) {
    let mut msgs = vec![key(KeyCode::Char('e'))];
    msgs.extend((0..6).map(|_| key(KeyCode::Tab))); // → rate
    msgs.extend(typed("0.05"));
    msgs.push(key(KeyCode::Tab));
    msgs.extend(typed("1.50"));
    msgs.extend((0..7).map(|_| key(KeyCode::Tab))); // → recording_id
    msgs.extend(typed("rec-9"));
    press(app, client, puts, msgs).await;
    assert!(
        app.form().is_some_and(|f| f.broken().is_empty()),
        "form is complete"
    );
}

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

/// A colleague saves the call over HTTP meanwhile: `change` applied to the server's copy
/// (the fields the API never sends back at the table's examples, so the body is whole).
async fn colleague_saves(
    client: &ApiClient,
    uid: &str,
    change: impl FnOnce(&mut callconsole::domain::fields::Values),
) {
    use callconsole::domain::fields;
    let theirs = client.get(uid).await.result.expect("get");
    let (mut values, missing) = fields::prefill(&theirs);
    for f in missing {
        values.insert(f, f.example().to_string());
    }
    change(&mut values);
    let body = fields::validate(&values).expect("valid");
    client.update(uid, &body).await.result.expect("their save");
}

/// Opens the form, replaces the summary with `mine`, lets `colleague` save meanwhile, then
/// Ctrl-s (a conflict) and `o`: the server's copy afterwards.
async fn overwrite_after(
    update_fields: UpdateFields,
    mine: &str,
    colleague: impl FnOnce(&mut callconsole::domain::fields::Values),
) -> (VoiceCall, VoiceCall, Vec<serde_json::Value>) {
    overwrite_then(update_fields, mine, colleague, false).await
}

/// [`overwrite_after`], then `u` when `undo`.
async fn overwrite_then(
    update_fields: UpdateFields,
    mine: &str,
    colleague: impl FnOnce(&mut callconsole::domain::fields::Values),
    undo: bool,
) -> (VoiceCall, VoiceCall, Vec<serde_json::Value>) {
    use callconsole::domain::fields::FieldId;
    let (_server, client, mut app) = setup(update_fields).await;
    let uid = app
        .selected_call()
        .and_then(|c| c.uid().map(str::to_string))
        .expect("uid");
    let loaded = client.get(&uid).await.result.expect("get");
    let mut puts = Vec::new();
    open_and_fill(&mut app, &client, &mut puts).await;
    // recording_id → call_summary, cleared (Ctrl-u), then mine.
    let msgs = (0..3)
        .map(|_| Msg::Key(KeyEvent::new(KeyCode::BackTab, KeyModifiers::SHIFT)))
        .collect();
    press(&mut app, &client, &mut puts, msgs).await;
    assert_eq!(app.form().map(|f| f.focus()), Some(FieldId::CallSummary));
    let mut msgs = vec![ctrl('u')];
    msgs.extend(typed(mine));
    press(&mut app, &client, &mut puts, msgs).await;

    colleague_saves(&client, &uid, colleague).await;

    press(&mut app, &client, &mut puts, vec![ctrl('s')]).await;
    assert!(puts.is_empty(), "nothing sent before the decision");
    assert!(matches!(
        app.submission().map(|s| &s.stage),
        Some(Stage::Conflict { .. })
    ));
    press(&mut app, &client, &mut puts, vec![key(KeyCode::Char('o'))]).await;
    assert!(app.form().is_none(), "saved: {:?}", app.notice());
    if undo {
        press(&mut app, &client, &mut puts, vec![key(KeyCode::Char('u'))]).await;
    }
    let now = client.get(&uid).await.result.expect("get");
    (loaded, now, puts)
}

/// Undo after `o` puts back the colleague's version, not the one the form had loaded (which
/// undid their change too).
#[tokio::test]
async fn undo_after_an_overwrite_puts_back_their_version() {
    use callconsole::domain::fields::FieldId;
    let (loaded, now, puts) = overwrite_then(
        UpdateFields::All,
        "Call back Friday",
        |v| {
            v.insert(FieldId::FromNumber, "+14155550123".into());
            v.insert(FieldId::Duration, "65".into());
        },
        true,
    )
    .await;
    assert_eq!(puts.len(), 2, "the overwrite and the undo");
    assert_eq!(now.call_summary, loaded.call_summary, "my change undone");
    assert_eq!(
        now.from_number.as_deref(),
        Some("+14155550123"),
        "their change stays"
    );
    assert_eq!(now.duration, Some(65), "their change stays");
}

#[tokio::test]
async fn overwrite_after_a_conflict_keeps_the_colleagues_other_fields() {
    // Issue 13: `o` re-sent the form's whole body, putting the colleague's from_number and
    // duration back to the values the form had loaded.
    use callconsole::domain::fields::FieldId;
    let (loaded, now, puts) = overwrite_after(UpdateFields::All, "Call back Friday", |v| {
        v.insert(FieldId::FromNumber, "+14155550123".into());
        v.insert(FieldId::Duration, "65".into());
    })
    .await;
    assert_ne!(loaded.from_number.as_deref(), Some("+14155550123"));
    assert_eq!(puts.len(), 1);
    assert_eq!(
        now.call_summary.as_deref(),
        Some("Call back Friday"),
        "mine"
    );
    assert_eq!(
        now.from_number.as_deref(),
        Some("+14155550123"),
        "theirs kept"
    );
    assert_eq!(now.duration, Some(65), "theirs kept");
}

#[tokio::test]
async fn overwrite_after_a_conflict_on_the_same_field_keeps_mine() {
    use callconsole::domain::fields::FieldId;
    let (_, now, _) = overwrite_after(UpdateFields::All, "Mine wins", |v| {
        v.insert(FieldId::CallSummary, "Theirs loses".into());
        v.insert(FieldId::SourceId, "src-colleague".into());
    })
    .await;
    assert_eq!(now.call_summary.as_deref(), Some("Mine wins"));
    assert_eq!(now.source_id.as_deref(), Some("src-colleague"));
}

/// The colleague's change lands between the form's check and its PUT, within the same second
/// as the copy the form was based on — where `If-Unmodified-Since` (whole seconds) cannot tell
/// the two apart. The PUT carries the checked copy's `ETag` as `If-Match`: the server refuses
/// it, the form shows the conflict view, and the server still holds the colleague's change.
#[tokio::test]
async fn a_change_between_the_check_and_the_save_is_refused_within_the_same_second() {
    use callconsole::domain::fields::{self, FieldId};
    let colleague = |client: ApiClient, uid: String, summary: &'static str| async move {
        let theirs = client.get(&uid).await.result.expect("get");
        let (mut v, _) = fields::prefill(&theirs);
        v.insert(FieldId::CallSummary, summary.into());
        v.insert(FieldId::Rate, "0".into());
        v.insert(FieldId::Price, "0".into());
        v.insert(FieldId::RecordingId, "rec-other".into());
        let body = fields::validate(&v).expect("valid");
        client.update(&uid, &body).await.result.expect("their save")
    };
    // A second boundary can fall between the colleague's two saves; then the round proves
    // nothing about the same second, and is tried again.
    for _ in 0..10 {
        let (_server, client, mut app) = setup(UpdateFields::All).await;
        let uid = app
            .selected_call()
            .and_then(|c| c.uid().map(str::to_string))
            .expect("uid");
        let mut puts = Vec::new();
        // The colleague's first save; the console loads that copy and edits it.
        let first = colleague(client.clone(), uid.clone(), "first").await;
        press(&mut app, &client, &mut puts, vec![key(KeyCode::Char('r'))]).await;
        open_and_fill(&mut app, &client, &mut puts).await;
        // Ctrl-s: the check reads the call (and its tag) …
        let mut driver = drive::Driver::new(&client);
        let checks = app.update(ctrl('s'));
        let [check @ Effect::FetchCall { .. }] = <[Effect; 1]>::try_from(checks).expect("one")
        else {
            panic!("the save starts with a check");
        };
        let callconsole::console::runtime::Work::Task(task) =
            driver.performer.start(check, &mut driver.host)
        else {
            panic!("the check is a request");
        };
        let fetched = task.await.expect("an answer");
        let put = app.update(fetched);
        assert!(
            matches!(put.as_slice(), [Effect::PutCall { .. }]),
            "the check passed: {put:?}"
        );
        // … the colleague saves again …
        let second = colleague(client.clone(), uid.clone(), "second").await;
        let second_of = |c: &VoiceCall| {
            chrono::DateTime::parse_from_rfc3339(c.updated_at.as_deref().expect("updated_at"))
                .expect("a time")
                .timestamp()
        };
        if second_of(&first) != second_of(&second) {
            continue;
        }
        // … and the console's PUT goes out.
        driver.perform(&mut app, put).await;
        let stored = client.get(&uid).await.result.expect("get");
        assert_eq!(
            stored.call_summary.as_deref(),
            Some("second"),
            "theirs kept"
        );
        assert!(
            matches!(
                app.submission().map(|s| &s.stage),
                Some(Stage::Conflict { .. })
            ),
            "the form shows the conflict: {:?}",
            app.notice()
        );
        return;
    }
    panic!("ten rounds each crossed a second boundary");
}
