//! A fault seen from the console: `App::update` driven against the fault-injecting server,
//! its effects performed by the real client. The user is told what failed, the calls already
//! on screen stay, the keys keep working, and nothing is changed behind their back.

use callconsole::api::CallFields;
use std::time::Duration;

use callconsole::api::{ApiClient, ClientOptions};
use callconsole::config::Config;
use callconsole::console::app::{App, Overlay, Session};
use callconsole::console::msg::{Effect, Msg};
use callconsole::domain::views::TabId;
use callconsole::persist::state::UiState;
use callconsole::server::RunningServer;
use callconsole::ui::format::exchange;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

#[path = "support/drive.rs"]
mod drive;

async fn setup(faults: &[&str]) -> (RunningServer, ApiClient, App) {
    setup_with(faults, |_| {}).await
}

async fn setup_with(
    faults: &[&str],
    tune: impl FnOnce(&mut ClientOptions),
) -> (RunningServer, ApiClient, App) {
    let (server, client) = drive::server_and_client_with(Some(40), faults, tune).await;
    let session = Session {
        demo: true,
        api_label: "test".into(),
        config: Config {
            page_size: 50,
            staff_uid: Some("staff-me".into()),
            refresh_secs: 0,
            defaults: drive::handled_defaults(),
            ..Config::default()
        },
        ..Session::default()
    };
    let state = UiState {
        active: Some(TabId::FollowUp),
        ..UiState::default()
    };
    let tz = callconsole::domain::zone::Zone::utc();
    let (mut app, effects) = App::with_state(
        session,
        chrono::Utc::now(),
        tz,
        callconsole::ui::layout::list_rows(30),
        Vec::new(),
        state,
    );
    perform(&mut app, &client, effects).await;
    (server, client, app)
}

async fn perform(app: &mut App, client: &ApiClient, effects: Vec<Effect>) {
    drive::perform(app, client, effects).await;
}

fn key(c: char) -> Msg {
    Msg::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE))
}

#[tokio::test]
async fn a_failing_save_is_reported_after_its_retries_and_nothing_is_lost() {
    let (server, client, mut app) = setup(&["status=503:method=PUT"]).await;
    let listed = app.list().len();
    assert!(listed > 2, "calls on screen");
    let uid = app
        .selected_call()
        .and_then(|c| c.uid().map(str::to_string))
        .expect("uid");
    let before = client.get(&uid).await.result.expect("get");

    let effects = app.update(key('h'));
    perform(&mut app, &client, effects).await;

    // Told what failed, after the retries.
    let last = app.last_request().expect("a request");
    let shown = exchange(&last.exchange);
    assert_eq!(last.exchange.attempts, 3, "{shown}");
    assert!(shown.contains("after 3 tries"), "{shown}");
    let notice = app.notice().unwrap_or_default();
    assert!(notice.contains("503"), "{notice}");
    assert_eq!(server.requests("PUT"), 3, "three tries, no more");
    // Nothing changed on the server, nothing vanished from the screen.
    let after = client.get(&uid).await.result.expect("get");
    assert_eq!(after.updated_at, before.updated_at);
    assert_eq!(app.list().len(), listed);
    assert_eq!(
        app.selected_call()
            .and_then(|c| c.status().map(str::to_string)),
        before.status.map(|s| s.0),
        "the row still shows the server's state"
    );
    // The console keeps answering keys.
    let row = app.list().selected_index();
    app.update(key('j'));
    assert_eq!(app.list().selected_index(), row + 1);
}

#[tokio::test]
async fn a_server_asking_to_wait_long_is_not_retried_and_says_until_when() {
    let (server, client, mut app) = setup(&["status=503:method=PUT", "retry-after=120"]).await;
    let listed = app.list().len();
    let effects = app.update(key('h'));
    perform(&mut app, &client, effects).await;
    let notice = app.notice().unwrap_or_default();
    assert!(notice.contains("wait until"), "{notice}");
    assert_eq!(server.requests("PUT"), 1);
    assert_eq!(app.list().len(), listed);
}

const WIDTH: u16 = 120;
const HEIGHT: u16 = 30;

/// A list loaded from a healthy server, then `faults` switched on and `r` pressed: what was
/// on screen before the refresh, and how many GETs the server had seen.
struct Refreshed {
    server: RunningServer,
    client: ApiClient,
    app: App,
    uids: Vec<Option<String>>,
    selected: usize,
    gets_before: usize,
}

async fn refresh_into(faults: &[&str], tune: impl FnOnce(&mut ClientOptions)) -> Refreshed {
    let (server, client, mut app) = setup_with(&[], tune).await;
    assert!(app.list().len() > 3, "calls on screen");
    assert!(app.last_request().is_some_and(|r| r.error.is_none()));
    app.update(key('j'));
    let selected = app.list().selected_index();
    let uids = app
        .list()
        .calls()
        .iter()
        .map(|c| c.uid().map(str::to_string))
        .collect();
    let gets_before = server.requests("GET");
    server.set_faults(drive::parse_faults(faults));
    let effects = app.update(key('r'));
    assert!(!effects.is_empty(), "r asks the server again");
    perform(&mut app, &client, effects).await;
    Refreshed {
        server,
        client,
        app,
        uids,
        selected,
        gets_before,
    }
}

impl Refreshed {
    /// GETs the refresh cost: the page, the counts and the oldest call, each with its tries.
    fn gets(&self) -> usize {
        self.server.requests("GET") - self.gets_before
    }

    /// The status bar as the user sees it (the row above the key hints).
    fn status_bar(&self) -> String {
        let rows = drive::screen(&self.app, WIDTH, HEIGHT);
        rows[rows.len() - 2].trim_end().to_string()
    }

    /// The failed refresh left the list exactly as it was, and the console answers keys.
    fn assert_list_kept_and_keys_work(&mut self) {
        let now: Vec<Option<String>> = self
            .app
            .list()
            .calls()
            .iter()
            .map(|c| c.uid().map(str::to_string))
            .collect();
        assert_eq!(now, self.uids, "the calls on screen stay");
        assert_eq!(
            self.app.list().selected_index(),
            self.selected,
            "and the cursor"
        );
        let screen = drive::screen(&self.app, WIDTH, HEIGHT).join("\n");
        assert!(screen.contains('▶'), "rows still drawn:\n{screen}");
        self.app.update(key('j'));
        assert_eq!(self.app.list().selected_index(), self.selected + 1);
        self.app.update(key('?'));
        assert_eq!(self.app.overlay(), Overlay::Help { scroll: 0 });
        self.app.update(key('x'));
        assert_eq!(self.app.overlay(), Overlay::None);
    }

    /// A healthy server again: `r` brings the list back without a restart.
    async fn assert_recovers(&mut self) {
        self.server.set_faults(Vec::new());
        let effects = self.app.update(key('r'));
        perform(&mut self.app, &self.client, effects).await;
        let last = self.app.last_request().expect("a request");
        assert!(last.error.is_none(), "{}", self.status_bar());
        assert_eq!(self.app.list().len(), self.uids.len());
    }
}

#[tokio::test]
async fn a_dripping_server_times_out_says_what_and_keeps_the_list() {
    // One byte every 50 ms: the answer would take minutes; the client gives up after 1 s.
    let mut r = refresh_into(&["drip=50ms"], |o| o.timeout = Duration::from_secs(1)).await;
    let bar = r.status_bar();
    assert!(
        bar.contains(
            "GET …/voice_calls → no answer after 3 tries: no answer within 1 s: the request \
             timed out"
        ),
        "what timed out: {bar}"
    );
    // Page, counts and oldest call, each tried three times.
    assert_eq!(r.gets(), 9);
    r.assert_list_kept_and_keys_work();
    r.assert_recovers().await;
}

#[tokio::test]
async fn a_cut_off_answer_is_reported_once_and_keeps_the_list() {
    let mut r = refresh_into(&["truncate"], |_| {}).await;
    let bar = r.status_bar();
    assert!(
        bar.contains(
            "GET …/voice_calls → 200 OK: HTTP 200: unexpected answer: the answer is not valid JSON"
        ),
        "{bar}"
    );
    // A full answer that is wrong is not retried.
    assert_eq!(r.gets(), 3);
    r.assert_list_kept_and_keys_work();
    r.assert_recovers().await;
}

#[tokio::test]
async fn an_oversized_answer_is_refused_with_or_without_a_length_and_keeps_the_list() {
    for fault in ["huge", "huge=chunked"] {
        let mut r = refresh_into(&[fault], |_| {}).await;
        let bar = r.status_bar();
        assert!(
            bar.contains("GET …/voice_calls → 200 OK: response larger than 8 MiB; refusing to read it (try a smaller page size)"),
            "{fault}: {bar}"
        );
        assert_eq!(r.gets(), 3, "{fault}: not retried");
        r.assert_list_kept_and_keys_work();
        r.assert_recovers().await;
    }
}

#[tokio::test]
async fn a_proxy_error_page_is_quoted_after_its_retries_and_keeps_the_list() {
    let mut r = refresh_into(&["html"], |_| {}).await;
    let bar = r.status_bar();
    assert!(
        bar.contains(
            "GET …/voice_calls → 502 Bad Gateway after 3 tries: HTTP 502: non-JSON response: <html>"
        ),
        "{bar}"
    );
    assert_eq!(
        r.gets(),
        9,
        "a 502 is retried: three requests, three tries each"
    );
    r.assert_list_kept_and_keys_work();
    r.assert_recovers().await;
}

#[tokio::test]
async fn a_save_that_got_no_answer_and_could_not_be_read_back_may_have_landed() {
    let (server, client, mut app) = setup_with(&[], |o| o.timeout = Duration::from_secs(1)).await;
    let uid = app
        .selected_call()
        .and_then(|c| c.uid().map(str::to_string))
        .expect("uid");
    let listed = app.list().len();
    let (gets, puts) = (server.requests("GET"), server.requests("PUT"));
    // The check before the save goes through; the PUT lands but its answer is held past the
    // timeout; the read-back that would tell fails.
    server.set_faults(drive::parse_faults(&[
        "latency=3s:method=PUT:after",
        "status=503:method=GET:skip=1",
    ]));
    let effects = app.update(key('h'));
    perform(&mut app, &client, effects).await;

    let said = "no answer to the save and the call could not be read back — it may have been \
                saved; saving again checks the server first and will not overwrite it";
    assert_eq!(
        app.notice(),
        Some(said),
        "not a generic error, not 'nothing was saved'"
    );
    let rows = drive::screen(&app, WIDTH, HEIGHT);
    let bar = &rows[rows.len() - 2];
    assert!(
        bar.contains("it may have been saved; saving again checks"),
        "{bar}"
    );
    assert_eq!(server.requests("PUT") - puts, 1, "not sent again");
    assert_eq!(
        server.requests("GET") - gets,
        2,
        "the check and the read-back"
    );
    assert_eq!(app.list().len(), listed, "nothing vanished");
    let row = app.list().selected_index();
    app.update(key('j'));
    assert_eq!(app.list().selected_index(), row + 1, "keys still work");
    app.update(key('k'));

    // Doing what it says: trying again reads the call first, finds the change that landed,
    // shows it, and sends nothing.
    server.set_faults(Vec::new());
    let effects = app.update(key('h'));
    perform(&mut app, &client, effects).await;
    assert_eq!(
        server.requests("PUT") - puts,
        1,
        "still one PUT: nothing overwritten"
    );
    let notice = app.notice().unwrap_or_default();
    assert!(
        notice.contains("handled") && !notice.contains("someone else"),
        "its own save that landed is not called someone else's change: {notice}"
    );
    let held = app.store().by_uid(&uid).expect("still held");
    assert_eq!(
        held.handled_by_staff_uid(),
        Some("staff-me"),
        "the console shows it landed"
    );
    assert!(
        app.list().find(&uid).is_none(),
        "and, handled, it left Needs follow-up"
    );
    let now = client.get(&uid).await.result.expect("get");
    assert_eq!(now.handled_by_staff_uid.as_deref(), Some("staff-me"));
}
