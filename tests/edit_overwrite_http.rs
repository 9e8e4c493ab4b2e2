//! "Overwrite" after a conflict in the edit form, driven through `App::update` against the
//! embedded server: what the server holds afterwards, the colleague's other fields kept, undo,
//! and a change between the check and the save refused.

use callconsole::api::CallFields;
use callconsole::api::{ApiClient, VoiceCall};
use callconsole::console::app::{Stage, UpdateFields};
use callconsole::console::msg::{Effect, Msg};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

#[path = "support/drive.rs"]
mod drive;
#[path = "support/edit.rs"]
mod edit;

use edit::*;

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
