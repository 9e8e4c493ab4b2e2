//! Writes `h` and `u` make, judged by what the embedded server holds afterwards: `h` only
//! handles calls that wait for a call back, a colleague's handling stays theirs, every call
//! keeps its own recording, and undo works after the calls left every view.

use callconsole::api::CallFields;
use std::collections::BTreeSet;

use callconsole::console::msg::{Effect, Msg};
use callconsole::domain::views::TabId;
use crossterm::event::KeyCode;

#[path = "support/bodies.rs"]
mod bodies;
#[path = "support/drive.rs"]
mod drive;
#[path = "support/triage.rs"]
mod triage;

use triage::{key, perform, press, server_calls, setup};

/// `V` then `h` on All: only inbound missed calls and voicemails nobody handled are marked;
/// answered, incoming, outbound and already handled calls keep every field, and the status bar
/// says how many were skipped and why.
#[tokio::test]
async fn h_only_handles_calls_that_need_handling() {
    let (_server, client, mut app) = setup(300, TabId::All).await;
    let before = server_calls(&client, Vec::new()).await;
    press(
        &mut app,
        &client,
        vec![key(KeyCode::Char('V')), key(KeyCode::Char('h'))],
    )
    .await;
    let notice = app.notice().unwrap_or_default().to_string();
    assert!(notice.contains("skipped"), "{notice}");
    press(&mut app, &client, vec![key(KeyCode::Char('y'))]).await;
    let after = server_calls(&client, Vec::new()).await;
    let mut handled = 0;
    for was in &before {
        let now = after.iter().find(|c| c.uid == was.uid).expect("same calls");
        let waiting = matches!(
            was.status.as_ref().map(|s| s.as_str()),
            Some("MISSED" | "VOICEMAIL_RECEIVED" | "VOICEMAIL")
        ) && was
            .direction
            .as_ref()
            .is_some_and(|d| d.as_str() == "INBOUND");
        if waiting {
            handled += 1;
            assert_eq!(
                now.status.as_ref().map(|s| s.as_str()),
                Some("MISSED_CALL_HANDLED")
            );
            assert_eq!(now.handled_by_staff_uid.as_deref(), Some("staff-me"));
        } else {
            assert_eq!(now.status, was.status, "{:?} keeps its status", was.uid);
            assert_eq!(now.handled_by_staff_uid, was.handled_by_staff_uid);
            assert_eq!(now.handled_at, was.handled_at);
            assert_eq!(now.updated_at, was.updated_at, "{:?} untouched", was.uid);
        }
    }
    assert!(handled > 0 && handled < before.len());
}

/// A single `h` on a call a colleague handled is refused, saying who and when; nothing is sent
/// and their handling stays. A bulk `h` that would touch none says so and sends nothing.
#[tokio::test]
async fn a_colleagues_handling_stays_theirs() {
    let (_server, client, mut app) = setup(300, TabId::Handled).await;
    let theirs = app
        .list()
        .calls()
        .into_iter()
        .find(|c| c.handled_by_staff_uid().is_some_and(|s| s != "staff-me"))
        .cloned()
        .expect("a call a colleague handled");
    let uid = theirs.uid().map(str::to_string).expect("uid");
    let index = app
        .list()
        .calls()
        .iter()
        .position(|c| c.uid() == Some(uid.as_str()))
        .expect("listed");
    for _ in 0..index {
        press(&mut app, &client, vec![key(KeyCode::Char('j'))]).await;
    }
    let effects = app.update(key(KeyCode::Char('h')));
    assert!(
        effects.is_empty(),
        "nothing is asked of the server: {effects:?}"
    );
    let notice = app.notice().unwrap_or_default().to_string();
    let by = theirs
        .handled_by_staff_uid()
        .map(str::to_string)
        .unwrap_or_default();
    assert!(
        notice.contains("already handled by") && notice.contains(&by),
        "{notice}"
    );
    let now = client.get(&uid).await.result.expect("read back");
    assert_eq!(
        now.handled_by_staff_uid.as_deref(),
        theirs.handled_by_staff_uid()
    );
    assert_eq!(now.updated_at.as_deref(), theirs.updated_at());

    // Every call here is handled already: a bulk h sends nothing.
    let effects = app.update(key(KeyCode::Char('V')));
    perform(&mut app, &client, effects).await;
    let effects = app.update(key(KeyCode::Char('h')));
    assert!(
        !effects
            .iter()
            .any(|e| matches!(e, Effect::CheckAndPut { .. } | Effect::PutCall { .. })),
        "{effects:?}"
    );
    assert!(app.prompt().is_none(), "nothing to confirm");
    let notice = app.notice().unwrap_or_default().to_string();
    assert!(notice.starts_with("nothing sent"), "{notice}");
}

/// Three waiting calls with different recordings, marked handled together: each PUT carries
/// the call's own recording id. A value typed once (or from `[defaults]`) is only for calls
/// the server sent no recording for, and never goes over a call's own.
#[tokio::test]
async fn each_call_keeps_its_own_recording() {
    use callconsole::console::msg::Target;
    let (_server, client, mut app) = setup(300, TabId::FollowUp).await;
    let rows: Vec<(usize, String)> = app
        .list()
        .calls()
        .iter()
        .enumerate()
        .filter(|(_, c)| callconsole::domain::handling::check(c).is_ok())
        .filter_map(|(i, c)| Some((i, c.text(callconsole::api::Text::RecordingUid)?.to_string())))
        .take(3)
        .collect();
    assert_eq!(rows.len(), 3, "three waiting calls with recordings");
    let recordings: BTreeSet<String> = rows.iter().map(|(_, r)| r.clone()).collect();
    assert_eq!(recordings.len(), 3, "three different recordings");
    for (i, _) in &rows {
        press(
            &mut app,
            &client,
            vec![Msg::Click(Target::Row(*i)), key(KeyCode::Char(' '))],
        )
        .await;
    }
    assert_eq!(app.tab().selected.len(), 3);
    let effects = app.update(key(KeyCode::Char('h')));
    let bodies = drive::perform(&mut app, &client, effects).await;
    let sent: BTreeSet<String> = bodies
        .iter()
        .filter_map(|b| b["recording_id"].as_str().map(str::to_string))
        .collect();
    assert_eq!(bodies.len(), 3, "{bodies:?}");
    assert_eq!(
        sent, recordings,
        "each call's own recording, not one value over all"
    );
    assert_eq!(
        app.batch().map(|b| b.progress()).as_deref(),
        Some("handled 3/3")
    );
}

/// Select two, `h`, a refresh drops them from Needs follow-up, then `u`: both are back on the
/// server as they were, although no view lists them any more.
#[tokio::test]
async fn undo_works_after_a_refresh_dropped_the_calls() {
    let (_server, client, mut app) = setup(300, TabId::FollowUp).await;
    let before = server_calls(&client, Vec::new()).await;
    let picked: Vec<String> = app
        .list()
        .calls()
        .iter()
        .filter(|c| callconsole::domain::handling::check(c).is_ok())
        .filter_map(|c| c.uid().map(str::to_string))
        .take(2)
        .collect();
    assert_eq!(picked.len(), 2);
    for uid in &picked {
        let i = app
            .list()
            .calls()
            .iter()
            .position(|c| c.uid() == Some(uid))
            .expect("listed");
        press(
            &mut app,
            &client,
            vec![
                Msg::Click(callconsole::console::msg::Target::Row(i)),
                key(KeyCode::Char(' ')),
            ],
        )
        .await;
    }
    press(&mut app, &client, vec![key(KeyCode::Char('h'))]).await;
    assert_eq!(
        app.batch().map(|b| b.progress()).as_deref(),
        Some("handled 2/2")
    );
    press(&mut app, &client, vec![key(KeyCode::Char('r'))]).await;
    for uid in &picked {
        assert!(app.list().find(uid).is_none(), "{uid} left the view");
    }
    press(&mut app, &client, vec![key(KeyCode::Char('u'))]).await;
    assert_eq!(
        app.batch().map(|b| b.progress()).as_deref(),
        Some("undone 2/2"),
        "{:?}",
        app.notice()
    );
    for uid in &picked {
        let was = before
            .iter()
            .find(|c| c.uid.as_ref() == Some(uid))
            .expect("seeded");
        let now = client.get(uid).await.result.expect("read back");
        assert_eq!(now.status, was.status, "{uid} is back");
        assert_eq!(now.handled_by_staff_uid, was.handled_by_staff_uid);
    }
    press(&mut app, &client, vec![key(KeyCode::Char('u'))]).await;
    assert_eq!(
        app.notice(),
        Some("nothing to undo"),
        "no older step undone by mistake"
    );
}

/// "Who is handling it?" takes a staff uid, not a name: `Maya` is refused with nothing sent,
/// a uid is what the server then holds as the handler.
#[tokio::test]
async fn the_handler_asked_for_is_a_uid_not_a_name() {
    let (server, client, app) = setup(60, TabId::FollowUp).await;
    // The same console, but nobody told it whose staff uid it runs as.
    let mut session_without_me = app.session().clone();
    session_without_me.config.staff_uid = None;
    let uid = app
        .selected_call()
        .and_then(|c| c.uid().map(str::to_string))
        .expect("a call");
    let (mut app, effects) = callconsole::console::app::App::new(
        session_without_me,
        chrono::Utc::now(),
        callconsole::domain::zone::Zone::utc(),
        callconsole::ui::layout::list_rows(40),
        Vec::new(),
    );
    perform(&mut app, &client, effects).await;
    let puts = server.requests("PUT");
    let mut keys = vec![key(KeyCode::Char('h'))];
    keys.extend("Maya".chars().map(|c| key(KeyCode::Char(c))));
    keys.push(key(KeyCode::Enter));
    press(&mut app, &client, keys).await;
    assert_eq!(server.requests("PUT"), puts, "nothing sent");
    assert!(app.prompt().is_some(), "still asking");
    assert!(
        app.notice()
            .is_some_and(|n| n.contains("looks like a name")),
        "{:?}",
        app.notice()
    );
    let mut keys = vec![Msg::Key(crossterm::event::KeyEvent::new(
        KeyCode::Char('u'),
        crossterm::event::KeyModifiers::CONTROL,
    ))];
    keys.extend("staff-42".chars().map(|c| key(KeyCode::Char(c))));
    keys.push(key(KeyCode::Enter));
    press(&mut app, &client, keys).await;
    let held = client.get(&uid).await.result.expect("get");
    assert_eq!(held.handled_by_staff_uid.as_deref(), Some("staff-42"));
}
