//! Triage driven through `App::update`, its effects performed by the real client against the
//! embedded server over HTTP: filters and sort reach the server, the counts match its data,
//! a bulk "handled" changes exactly the selected calls, and select all loads the whole view
//! once, in the server's order, with several pages in flight.

use std::collections::BTreeSet;

use callconsole::api::{ApiClient, ListQuery, VoiceCall};
use callconsole::config::Config;
use callconsole::console::app::{App, Prompt, Session};
use callconsole::console::msg::{Effect, Msg};
use callconsole::domain::calls::{MAX_IN_FLIGHT, Paging};
use callconsole::domain::views::TabId;
use callconsole::persist::state::UiState;
use callconsole::server::RunningServer;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

#[path = "support/bodies.rs"]
mod bodies;
#[path = "support/drive.rs"]
mod drive;

async fn setup(seed_count: usize, tab: TabId) -> (RunningServer, ApiClient, App) {
    let (server, client) = drive::server_and_client(Some(seed_count), &[]).await;
    let session = Session {
        demo: true,
        api_label: "test".into(),
        config: Config {
            page_size: 100,
            staff_uid: Some("staff-me".into()),
            refresh_secs: 0,
            defaults: drive::handled_defaults(),
            ..Config::default()
        },
        ..Session::default()
    };
    let tz = chrono::FixedOffset::east_opt(0).expect("utc");
    let state = UiState {
        active: Some(tab),
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
    perform(&mut app, &client, effects).await;
    (server, client, app)
}

/// Performs the network effects like the runtime does, feeding the answers back.
async fn perform(app: &mut App, client: &ApiClient, effects: Vec<Effect>) {
    drive::perform(app, client, effects).await;
}

fn key(code: KeyCode) -> Msg {
    Msg::Key(KeyEvent::new(code, KeyModifiers::NONE))
}

async fn press(app: &mut App, client: &ApiClient, msgs: Vec<Msg>) {
    for msg in msgs {
        let effects = app.update(msg);
        perform(app, client, effects).await;
    }
}

/// Every call the server holds that matches `filters`, by paging through the list.
async fn server_calls(
    client: &ApiClient,
    filters: Vec<(String, Option<String>, String)>,
) -> Vec<VoiceCall> {
    let mut all = Vec::new();
    for page in 1.. {
        let q = ListQuery {
            page,
            per_page: 100,
            filters: filters.clone(),
            ..ListQuery::default()
        };
        let calls = client.list(&q).await.result.expect("list").calls;
        let n = calls.len();
        all.extend(calls);
        if n < 100 {
            break;
        }
    }
    all
}

fn follow_up() -> Vec<(String, Option<String>, String)> {
    vec![(
        "status".into(),
        None,
        "MISSED,VOICEMAIL_RECEIVED,VOICEMAIL".into(),
    )]
}

#[tokio::test]
async fn counts_match_the_servers_data() {
    let (_server, client, app) = setup(400, TabId::FollowUp).await;
    let waiting = server_calls(&client, follow_up()).await.len();
    let all = server_calls(&client, Vec::new()).await.len();
    assert!(waiting > 0);
    assert_eq!(app.tab_count(0), Some(waiting.to_string()));
    assert_eq!(app.tab_count(1), Some(all.to_string()));
    assert_eq!(
        app.list().len(),
        waiting,
        "the view lists every waiting call"
    );
    let missed = server_calls(&client, vec![("status".into(), None, "MISSED".into())])
        .await
        .len();
    assert_eq!(app.tab_count(2), Some(missed.to_string()));
    let oldest = server_calls(&client, follow_up())
        .await
        .into_iter()
        .filter_map(|c| c.created())
        .min();
    assert_eq!(app.oldest_unhandled().and_then(|c| c.created()), oldest);
}

#[tokio::test]
async fn filters_and_sort_reach_the_server() {
    let (_server, client, mut app) = setup(300, TabId::All).await;
    // f, Space ticks MISSED (the first status), Tab to direction, → INBOUND, Enter applies.
    press(
        &mut app,
        &client,
        vec![
            key(KeyCode::Char('f')),
            key(KeyCode::Char(' ')),
            key(KeyCode::Tab),
            key(KeyCode::Right),
            key(KeyCode::Enter),
        ],
    )
    .await;
    let expected = server_calls(
        &client,
        vec![
            ("status".into(), None, "MISSED".into()),
            ("direction".into(), None, "INBOUND".into()),
        ],
    )
    .await;
    assert!(!expected.is_empty());
    let listed: Vec<_> = app.list().calls().iter().map(|c| c.uid.clone()).collect();
    let wanted: Vec<_> = expected.iter().map(|c| c.uid.clone()).collect();
    assert_eq!(listed, wanted, "the server filtered, newest first");
    assert!(app.list().calls().iter().all(|c| {
        c.status.as_ref().map(|s| s.as_str()) == Some("MISSED")
            && c.direction.as_ref().map(|d| d.as_str()) == Some("INBOUND")
    }));
    // S: oldest first, sent as sort=created_at:asc.
    press(&mut app, &client, vec![key(KeyCode::Char('S'))]).await;
    let mut wanted = wanted;
    wanted.reverse();
    let listed: Vec<_> = app.list().calls().iter().map(|c| c.uid.clone()).collect();
    assert_eq!(listed, wanted);
    let last = app.log().back().expect("logged").exchange.path.clone();
    assert!(last.contains("sort=created_at:asc"), "{last}");
    assert!(last.contains("filter[status]=MISSED"), "{last}");
}

#[tokio::test]
async fn a_bulk_of_50_marks_exactly_those_50() {
    let (_server, client, mut app) = setup(900, TabId::FollowUp).await;
    assert!(app.list().len() > 60, "enough waiting calls to pick from");
    let before = server_calls(&client, Vec::new()).await;
    let mut msgs: Vec<Msg> = (0..50).map(|_| key(KeyCode::Char(' '))).collect();
    msgs.push(key(KeyCode::Char('h')));
    press(&mut app, &client, msgs).await;
    assert!(
        matches!(app.prompt(), Some(Prompt::ConfirmBatch { .. })),
        "more than 10 asks first"
    );
    let selected: BTreeSet<String> = app.tab().selected.clone().into_iter().collect();
    assert_eq!(selected.len(), 50);
    // Outbound calls in the view (call-back attempts) have nobody to call back: skipped.
    let chosen: BTreeSet<String> = selected
        .iter()
        .filter(|uid| {
            before.iter().any(|b| {
                b.uid.as_ref() == Some(*uid)
                    && b.direction
                        .as_ref()
                        .is_some_and(|d| d.as_str() == "INBOUND")
            })
        })
        .cloned()
        .collect();
    assert!(chosen.len() > 10, "mostly inbound calls");
    press(&mut app, &client, vec![key(KeyCode::Char('y'))]).await;
    let n = chosen.len();
    assert_eq!(
        app.batch().map(|b| b.progress()),
        Some(format!("handled {n}/{n}"))
    );

    let after = server_calls(&client, Vec::new()).await;
    let handled_by_me: BTreeSet<String> = after
        .iter()
        .filter(|c| c.handled_by_staff_uid.as_deref() == Some("staff-me"))
        .filter_map(|c| c.uid.clone())
        .collect();
    assert_eq!(handled_by_me, chosen, "exactly the selected calls");
    for c in &after {
        let uid = c.uid.clone().unwrap_or_default();
        let was = before.iter().find(|b| b.uid == c.uid).expect("same calls");
        if chosen.contains(&uid) {
            assert_eq!(
                c.status.as_ref().map(|s| s.as_str()),
                Some("MISSED_CALL_HANDLED")
            );
        } else {
            assert_eq!(c.updated_at, was.updated_at, "{uid} untouched");
        }
    }
    // The count of waiting calls dropped by as many.
    let waiting = server_calls(&client, follow_up()).await.len();
    assert_eq!(app.tab_count(0), Some(waiting.to_string()));

    // u undoes the whole batch (confirmed, as it is more than 10).
    press(
        &mut app,
        &client,
        vec![key(KeyCode::Char('u')), key(KeyCode::Char('y'))],
    )
    .await;
    let undone = server_calls(&client, Vec::new()).await;
    assert!(
        undone
            .iter()
            .all(|c| c.handled_by_staff_uid.as_deref() != Some("staff-me")),
        "every call is back as it was"
    );
    for c in &undone {
        let was = before.iter().find(|b| b.uid == c.uid).expect("same calls");
        assert_eq!(c.status, was.status);
    }
}

/// A colleague marks `call` handled, from another console.
async fn colleague_handles(client: &ApiClient, call: &VoiceCall) {
    let body = callconsole::api::UpdateVoiceCall {
        status: "MISSED_CALL_HANDLED".into(),
        handled_by_staff_uid: Some("colleague".into()),
        ..bodies::complete_body(call)
    };
    let uid = call.uid.as_deref().expect("uid");
    client
        .update(uid, &body)
        .await
        .result
        .expect("the colleague's save");
}

/// A colleague handled one of the selected calls after it was loaded: the bulk action
/// leaves it as they left it, marks the others, and keeps the one it skipped selected.
#[tokio::test]
async fn a_bulk_never_overwrites_a_call_a_colleague_changed() {
    let (_server, client, mut app) = setup(300, TabId::FollowUp).await;
    let listed: Vec<VoiceCall> = app.list().calls()[..3]
        .iter()
        .map(|c| (*c).clone())
        .collect();
    let msgs = (0..3).map(|_| key(KeyCode::Char(' '))).collect();
    press(&mut app, &client, msgs).await;
    colleague_handles(&client, &listed[1]).await;
    press(&mut app, &client, vec![key(KeyCode::Char('h'))]).await;
    assert_eq!(
        app.batch().map(|b| b.progress()).as_deref(),
        Some("handled 2/3, 1 failed")
    );
    let uid = |c: &VoiceCall| c.uid.clone().expect("uid");
    assert_eq!(
        app.tab().selected.iter().cloned().collect::<Vec<_>>(),
        vec![uid(&listed[1])],
        "the skipped call stays selected"
    );
    let after = server_calls(&client, Vec::new()).await;
    let by = |c: &VoiceCall| {
        after
            .iter()
            .find(|a| a.uid == c.uid)
            .and_then(|a| a.handled_by_staff_uid.clone())
    };
    assert_eq!(by(&listed[0]).as_deref(), Some("staff-me"));
    assert_eq!(by(&listed[1]).as_deref(), Some("colleague"), "theirs kept");
    assert_eq!(by(&listed[2]).as_deref(), Some("staff-me"));
}

/// A colleague handles two waiting calls: the follow-up view never lists them again, and `r`
/// takes them off the screen (their absence from the fresh page is what says they left).
#[tokio::test]
async fn calls_a_colleague_handled_leave_the_view_on_refresh() {
    let (_server, client, mut app) = setup(300, TabId::FollowUp).await;
    let listed: Vec<VoiceCall> = app.list().calls().into_iter().cloned().collect();
    assert!(listed.len() > 8, "enough waiting calls");
    let theirs = [&listed[2], &listed[5]];
    for call in theirs {
        colleague_handles(&client, call).await;
    }
    press(&mut app, &client, vec![key(KeyCode::Char('r'))]).await;
    let now: Vec<&str> = app
        .list()
        .calls()
        .iter()
        .filter_map(|c| c.uid.as_deref())
        .collect();
    let expected: Vec<&str> = listed
        .iter()
        .enumerate()
        .filter(|(i, _)| *i != 2 && *i != 5)
        .filter_map(|(_, c)| c.uid.as_deref())
        .collect();
    assert_eq!(now, expected, "exactly the two handled calls left");
    let waiting = server_calls(&client, follow_up()).await.len();
    assert_eq!(app.tab_count(0), Some(waiting.to_string()));
}

/// Performs effects the way the runtime does: all at once, each answer fed back as it comes,
/// in whatever order. Returns the most page requests that were out at one time.
async fn perform_concurrently(app: &mut App, client: &ApiClient, effects: Vec<Effect>) -> usize {
    drive::Driver::new(client)
        .perform_concurrently(app, effects)
        .await
}

/// The open view holds every call the server has, once, in its order, all selected.
async fn assert_all_loaded_and_selected(app: &App, client: &ApiClient, total: usize) {
    let expected: Vec<_> = server_calls(client, Vec::new())
        .await
        .into_iter()
        .map(|c| c.uid.expect("uid"))
        .collect();
    assert_eq!(expected.len(), total);
    let listed: Vec<_> = app
        .list()
        .calls()
        .iter()
        .map(|c| c.uid.clone().expect("uid"))
        .collect();
    assert_eq!(listed, expected, "every call once, in the server's order");
    let everything: BTreeSet<String> = expected.into_iter().collect();
    assert_eq!(app.tab().selected, everything);
    assert_eq!(app.list().paging, Paging::Complete);
    assert!(!app.tab().selecting_all);
}

#[tokio::test]
async fn select_all_loads_the_whole_view_several_pages_at_a_time() {
    let (_server, client, mut app) = setup(2_350, TabId::All).await;
    assert_eq!(app.list().len(), 100, "one page until asked for more");
    let effects = app.update(key(KeyCode::Char('V')));
    let most = perform_concurrently(&mut app, &client, effects).await;
    assert_eq!(most, MAX_IN_FLIGHT);
    assert_all_loaded_and_selected(&app, &client, 2_350).await;
}

#[tokio::test]
async fn select_all_answered_newest_first_still_lists_in_order() {
    let (_server, client, mut app) = setup(2_350, TabId::All).await;
    // `perform` answers the last request first: every page but the first of a window is early.
    press(&mut app, &client, vec![key(KeyCode::Char('V'))]).await;
    assert_all_loaded_and_selected(&app, &client, 2_350).await;
}

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
        .find(|c| {
            c.handled_by_staff_uid
                .as_deref()
                .is_some_and(|s| s != "staff-me")
        })
        .cloned()
        .expect("a call a colleague handled");
    let uid = theirs.uid.clone().expect("uid");
    let index = app
        .list()
        .calls()
        .iter()
        .position(|c| c.uid.as_deref() == Some(uid.as_str()))
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
    let by = theirs.handled_by_staff_uid.clone().unwrap_or_default();
    assert!(
        notice.contains("already handled by") && notice.contains(&by),
        "{notice}"
    );
    let now = client.get(&uid).await.result.expect("read back");
    assert_eq!(now.handled_by_staff_uid, theirs.handled_by_staff_uid);
    assert_eq!(now.updated_at, theirs.updated_at);

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
        .filter_map(|(i, c)| Some((i, c.recording.as_ref()?.uid.clone()?)))
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
        .filter_map(|c| c.uid.clone())
        .take(2)
        .collect();
    assert_eq!(picked.len(), 2);
    for uid in &picked {
        let i = app
            .list()
            .calls()
            .iter()
            .position(|c| c.uid.as_ref() == Some(uid))
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
