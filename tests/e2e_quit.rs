//! Quitting never silently drops a write, end to end in a pseudo-terminal against a server
//! whose PUTs are slow: `q` while a bulk "handled" is out finishes it (saying so) before the
//! process exits, and a second `q` quits at once but says, once the terminal is back, which
//! calls may not have been saved.

mod common;

use callconsole::server::{self, RunningServer, ServerOptions};
use common::Session;

const TOKEN: &str = "t";

/// A server whose every PUT waits `latency` before it is applied and answered.
fn slow_puts(rt: &tokio::runtime::Runtime, latency: &str) -> RunningServer {
    rt.block_on(server::start(ServerOptions {
        port: 0,
        token: TOKEN.into(),
        data_file: None,
        import_json: None,
        seed_count: Some(60),
        legacy_stats_only: false,
        faults: vec![
            format!("latency={latency}:method=PUT")
                .parse()
                .expect("fault"),
        ],
    }))
    .expect("server")
}

/// The console on `server`, with a staff uid and the values `h` needs, on Needs follow-up.
fn console(server: &RunningServer) -> Session {
    let dir = tempfile::tempdir().expect("tempdir");
    let config = dir.path().join("config.toml");
    std::fs::write(
        &config,
        "staff_uid = \"staff-e2e\"\nrefresh_secs = 0\n\n[defaults]\nrate = \"0\"\nprice = \"0\"\nrecording_id = \"none\"\n",
    )
    .expect("config");
    let config = config.to_string_lossy().into_owned();
    let base = server.base_url();
    let s = Session::start_in(
        dir,
        &["--config", &config],
        &[
            ("CALLCONSOLE_BASE_URL", &base),
            ("CALLCONSOLE_TOKEN", TOKEN),
        ],
        30,
        150,
    );
    s.wait_for("the list", |sc| sc.contains("▶"));
    s
}

fn client(server: &RunningServer) -> callconsole::api::ApiClient {
    callconsole::api::ApiClient::new(callconsole::api::ClientOptions::new(
        url::Url::parse(&server.base_url()).expect("url"),
        callconsole::config::secret::Secret::new(TOKEN),
    ))
    .expect("client")
}

/// The calls on the first three rows of Needs follow-up, which Space Space Space selects: the
/// newest three waiting, as the server lists them.
fn first_three(server: &RunningServer, rt: &tokio::runtime::Runtime) -> Vec<String> {
    let query = callconsole::api::ListQuery {
        page: 1,
        per_page: 3,
        sort: Some("created_at:desc".into()),
        filters: vec![(
            "status".into(),
            None,
            "MISSED,VOICEMAIL_RECEIVED,VOICEMAIL".into(),
        )],
    };
    let calls = rt
        .block_on(client(server).list(&query))
        .result
        .expect("list")
        .calls;
    calls.into_iter().filter_map(|c| c.uid).collect()
}

fn status_on_server(
    server: &RunningServer,
    rt: &tokio::runtime::Runtime,
    uid: &str,
) -> Option<String> {
    rt.block_on(client(server).get(uid))
        .result
        .expect("get")
        .status
        .map(|s| s.as_str().to_string())
}

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("runtime")
}

/// `q` while three handled marks are out: the console says it is finishing them, exits 0 once
/// they answered, and the server holds all three handled.
#[test]
fn quitting_during_a_bulk_finishes_it_first() {
    let rt = runtime();
    let server = slow_puts(&rt, "1500ms");
    let mut s = console(&server);
    let uids = first_three(&server, &rt);
    s.send("   ");
    s.wait_for("three selected", |sc| sc.contains("3 selected"));
    s.send("h");
    // Out: the PUTs have reached the server, which holds them back.
    common::wait_until("the three PUTs at the server", || {
        server.requests("PUT") >= 3
    });
    s.send("q");
    s.wait_for("the console saying it finishes them", |sc| {
        sc.contains("finishing 3 saves")
    });
    assert!(s.wait_exit().success(), "a finished quit exits 0");
    for uid in &uids {
        assert_eq!(
            status_on_server(&server, &rt, uid).as_deref(),
            Some("MISSED_CALL_HANDLED"),
            "{uid} reached the server"
        );
    }
}

/// A second `q` does not wait: the process exits non-zero and, with the terminal back, names
/// each call whose save had not answered.
#[test]
fn quitting_twice_says_what_may_not_be_saved() {
    let rt = runtime();
    let server = slow_puts(&rt, "5s");
    let mut s = console(&server);
    let uids = first_three(&server, &rt);
    s.send(" ");
    s.wait_for("one selected", |sc| sc.contains("1 selected"));
    s.send("h");
    common::wait_until("the PUT at the server", || server.requests("PUT") >= 1);
    s.send("q");
    s.wait_for("finishing", |sc| sc.contains("finishing 1 save"));
    s.send("q");
    let status = s.wait_exit();
    assert!(
        !status.success(),
        "an unconfirmed write is not a clean exit"
    );
    let screen = s.screen();
    assert!(
        screen.contains(&format!("call {}", uids[0])) && screen.contains("may or may"),
        "the unanswered save is named after the terminal is restored:\n{screen}"
    );
}
