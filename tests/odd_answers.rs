//! Odd answers read honestly, against the fault-injecting embedded server over HTTP: a gzip
//! body is decoded when the server says so and named (never shown as bytes) when it does not
//! or uses an encoding the client cannot read; a stats report whose counts lie reads
//! "invalid" and counts nothing.

use callconsole::api::{ApiClient, ApiError, ListQuery, UpdateVoiceCall, VoiceCall};
use callconsole::config::Config;
use callconsole::console::app::{App, Remote, Session};
use callconsole::console::msg::{Effect, Msg};
use callconsole::domain::save;
use callconsole::domain::views::TabId;
use callconsole::persist::state::UiState;
use callconsole::server::RunningServer;
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

#[path = "support/drive.rs"]
mod drive;

#[path = "support/bodies.rs"]
mod bodies;

fn page() -> ListQuery {
    ListQuery {
        per_page: 5,
        ..ListQuery::default()
    }
}

/// Text that reached the user: no replacement characters (bytes read as text) and nothing
/// a terminal would act on.
fn assert_readable(text: &str) {
    assert!(!text.contains('\u{fffd}'), "mojibake: {text:?}");
    assert!(!text.chars().any(char::is_control), "controls: {text:?}");
}

#[tokio::test]
async fn a_gzipped_answer_the_server_declares_is_decoded() {
    let (server, client) = drive::server_and_client(Some(5), &["gzip"]).await;
    let page = client.list(&page()).await.result.expect("decoded");
    assert_eq!(page.calls.len(), 5);
    let uid = page.calls[0].uid.clone().expect("uid");
    let call = client.get(&uid).await.result.expect("decoded");
    assert_eq!(call.uid.as_deref(), Some(uid.as_str()));
    assert_eq!(server.requests("GET"), 2, "each read once");
}

#[tokio::test]
async fn a_compressed_body_the_client_cannot_read_is_named_not_shown() {
    for (faults, status, says) in [
        (
            &["gzip=none"][..],
            200,
            "HTTP 200: the server sent a compressed body (gzip) without saying so",
        ),
        (
            &["gzip=br"][..],
            200,
            "HTTP 200: the server sent a compressed body (Content-Encoding \"br\") the console \
             cannot read",
        ),
        // An error page, compressed: named too, and still retried as a 502.
        (
            &["html", "gzip=none"][..],
            502,
            "HTTP 502: the server sent a compressed body (gzip)",
        ),
    ] {
        let (server, client) = drive::server_and_client(Some(5), faults).await;
        let err = client.list(&page()).await.result.expect_err("unreadable");
        assert!(
            matches!(err, ApiError::Compressed { status: s, .. } if s == status),
            "{faults:?}: {err:?}"
        );
        let text = err.to_string();
        assert!(text.starts_with(says), "{faults:?}: {text}");
        assert_readable(&text);
        let tries = if status == 502 { 3 } else { 1 };
        assert_eq!(server.requests("GET"), tries, "{faults:?}");
    }
}

/// A PUT the server took whose answer cannot be read (compressed unannounced) is read back,
/// like one cut off: the save is reported done, not failed, and not sent twice.
#[tokio::test]
async fn a_put_answered_with_an_unreadable_compressed_body_is_read_back() {
    let (server, client) = drive::server_and_client(Some(5), &["gzip=none:method=PUT"]).await;
    let call: VoiceCall = client.list(&page()).await.result.expect("list").calls[0].clone();
    let body = UpdateVoiceCall {
        call_summary: "saved, answer compressed".into(),
        ..bodies::complete_body(&call)
    };
    let uid = call.uid.as_deref().expect("uid");
    let body = serde_json::to_value(&body).expect("body");
    let saved: VoiceCall = save::put(&client, uid, &body, call.updated_at.as_deref())
        .await
        .result
        .expect("read back as saved");
    assert_eq!(
        saved.call_summary.as_deref(),
        Some("saved, answer compressed")
    );
    assert_eq!(server.requests("PUT"), 1, "sent once");
}

fn key(c: char) -> Msg {
    Msg::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE))
}

/// The console on the follow-up tab, its start-up requests answered by a server with
/// `faults`.
async fn console(faults: &[&str]) -> (RunningServer, ApiClient, App) {
    let (server, client) = drive::server_and_client(Some(40), faults).await;
    let session = Session {
        demo: true,
        api_label: "test".into(),
        config: Config {
            page_size: 50,
            refresh_secs: 0,
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
    drive::perform(&mut app, &client, effects).await;
    (server, client, app)
}

async fn press(app: &mut App, client: &ApiClient, c: char) {
    let effects: Vec<Effect> = app.update(key(c));
    drive::perform(app, client, effects).await;
}

#[tokio::test]
async fn a_refresh_answered_with_unannounced_gzip_says_so_on_screen() {
    let (server, client, mut app) = console(&[]).await;
    let listed = app.list().len();
    assert!(listed > 3, "calls on screen");
    server.set_faults(drive::parse_faults(&["gzip=none"]));
    press(&mut app, &client, 'r').await;
    let screen = drive::screen(&app, 200, 30).join("\n");
    assert!(screen.contains("compressed body (gzip)"), "{screen}");
    assert!(!screen.contains('\u{fffd}'), "{screen}");
    assert_eq!(app.list().len(), listed, "the calls on screen stay");
}

#[tokio::test]
async fn stats_that_lie_read_invalid_and_the_tabs_count_what_is_loaded() {
    for lie in ["-3", "100000000000000000000", "2.5", "\"many\""] {
        let fault = format!("stats-count={lie}");
        let (_server, client, mut app) = console(&[&fault]).await;
        let loaded = app.list().len();
        assert!(loaded > 3, "{lie}: calls on screen");
        // The tabs: what is loaded, no count from the report.
        assert_eq!(app.tab_count(0), Some(loaded.to_string()), "{lie}");
        for i in 0..6 {
            assert_eq!(
                app.view_count(i).and_then(|c| c.total),
                None,
                "{lie} tab {i}"
            );
        }
        let notice = app.notice().unwrap_or_default();
        assert!(notice.contains("counts are not usable"), "{lie}: {notice}");
        // The stats view: the lying row and the total read "invalid", the others as sent.
        press(&mut app, &client, 't').await;
        assert!(
            app.stats_view()
                .iter()
                .all(|p| matches!(p, Some(Remote::Loaded(_)))),
            "{lie}: {:?}",
            app.stats_view()
        );
        let notice = app.notice().unwrap_or_default();
        assert!(
            notice.contains("stats report is not usable"),
            "{lie}: {notice}"
        );
        let screen = drive::screen(&app, 160, 30).join("\n");
        assert!(screen.contains("total invalid"), "{lie}:\n{screen}");
        // The report's first row (the one that lies), under the periods' names.
        let first = screen
            .lines()
            .skip_while(|l| !l.contains("30 days"))
            .nth(1)
            .unwrap_or_default();
        assert_eq!(
            first.matches("invalid").count(),
            3,
            "{lie}: {first}\n{screen}"
        );
        for never in ["9223372036854775807", "18446744073709551615", "many"] {
            assert!(!screen.contains(never), "{lie}: {never}\n{screen}");
        }
    }
}
