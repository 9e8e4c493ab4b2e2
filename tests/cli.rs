//! The scripting commands end to end: the real binary against a real `callconsole serve`
//! process, checked by exit code, stdout and stderr, and by what the server then holds.

mod common;

use std::process::Command;

use serde_json::Value;

use callconsole::api::{ApiClient, ClientOptions, VoiceCall};
use callconsole::secret::Secret;
use common::Server;

const TOKEN: &str = "cli-token";

struct Output {
    code: i32,
    stdout: String,
    stderr: String,
}

/// Runs `callconsole ARGS` against `server` with a home of its own (no user config or data).
fn cc(server: &Server, args: &[&str], env: &[(&str, &str)]) -> Output {
    let home = tempfile::tempdir().expect("tempdir");
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_callconsole"));
    cmd.args(args).current_dir(home.path());
    for k in [
        "CALLCONSOLE_CONFIG",
        "CALLCONSOLE_STAFF_UID",
        "CALLCONSOLE_ON_BEHALF_OF",
        "CALLCONSOLE_LOG",
    ] {
        cmd.env_remove(k);
    }
    cmd.env("HOME", home.path())
        .env("XDG_CONFIG_HOME", home.path().join("config"))
        .env("XDG_DATA_HOME", home.path().join("data"))
        .env("CALLCONSOLE_BASE_URL", &server.base)
        .env("CALLCONSOLE_TOKEN", &server.token);
    for (k, v) in env {
        cmd.env(k, v);
    }
    let out = cmd.output().expect("runs");
    let result = Output {
        code: out.status.code().expect("exit code, not a signal"),
        stdout: String::from_utf8(out.stdout).expect("utf8 stdout"),
        stderr: String::from_utf8(out.stderr).expect("utf8 stderr"),
    };
    assert!(
        !result.stderr.contains("panicked"),
        "a panic: {}",
        result.stderr
    );
    result
}

fn ok(server: &Server, args: &[&str]) -> String {
    let out = cc(server, args, &[]);
    assert_eq!(out.code, 0, "{args:?}: {}", out.stderr);
    out.stdout
}

fn json(server: &Server, args: &[&str]) -> Vec<Value> {
    let text = ok(server, args);
    match serde_json::from_str(&text).expect("json") {
        Value::Array(items) => items,
        other => panic!("not an array: {other}"),
    }
}

/// What the server holds now, read with the library's client rather than the binary.
fn get(server: &Server, uid: &str) -> VoiceCall {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("rt");
    let client = ApiClient::new(ClientOptions::new(
        url::Url::parse(&server.base).expect("url"),
        Secret::new(TOKEN),
    ))
    .expect("client");
    rt.block_on(client.get(uid)).result.expect("get")
}

fn field<'a>(call: &'a Value, name: &str) -> &'a str {
    call.get(name).and_then(Value::as_str).unwrap_or("")
}

/// The uid of the newest call with `status`.
fn newest_with(server: &Server, status: &str) -> String {
    let calls = json(
        server,
        &["calls", "list", "--status", status, "--format", "json"],
    );
    field(calls.first().expect("a call with that status"), "uid").to_string()
}

/// RFC 4180 records (quoted fields may hold commas, quotes and line breaks).
fn parse_csv(text: &str) -> Vec<Vec<String>> {
    let mut records = Vec::new();
    let (mut record, mut cell) = (Vec::new(), String::new());
    let mut chars = text.chars().peekable();
    let mut quoted = false;
    while let Some(c) = chars.next() {
        match (quoted, c) {
            (true, '"') if chars.peek() == Some(&'"') => {
                chars.next();
                cell.push('"');
            }
            (true, '"') => quoted = false,
            (true, c) => cell.push(c),
            (false, '"') => quoted = true,
            (false, ',') => record.push(std::mem::take(&mut cell)),
            (false, '\r') => {}
            (false, '\n') => {
                record.push(std::mem::take(&mut cell));
                records.push(std::mem::take(&mut record));
            }
            (false, c) => cell.push(c),
        }
    }
    assert!(cell.is_empty() && record.is_empty(), "unterminated record");
    records
}

#[test]
fn list_filters_pages_and_prints_every_format() {
    let server = common::serve(TOKEN, 250);

    // --limit spans pages of 100, newest first, no call twice.
    let calls = json(
        &server,
        &["calls", "list", "--limit", "130", "--format", "json"],
    );
    assert_eq!(calls.len(), 130);
    let mut uids: Vec<&str> = calls.iter().map(|c| field(c, "uid")).collect();
    let created: Vec<&str> = calls.iter().map(|c| field(c, "created_at")).collect();
    assert!(created.windows(2).all(|w| w[0] >= w[1]), "newest first");
    uids.sort_unstable();
    uids.dedup();
    assert_eq!(uids.len(), 130, "no call twice");
    assert_eq!(
        json(&server, &["calls", "list", "--format", "json"]).len(),
        25,
        "default limit"
    );

    // Statuses: repeated and comma-separated, any case; every row has one of them.
    let asked = ["MISSED", "VOICEMAIL_RECEIVED", "MISSED_CALL_HANDLED"];
    let rows = json(
        &server,
        &[
            "calls",
            "list",
            "--status",
            "missed,voicemail_received",
            "--status",
            "MISSED_CALL_HANDLED",
            "--limit",
            "250",
            "--format",
            "json",
        ],
    );
    assert!(!rows.is_empty());
    assert!(rows.len() < 250, "a filter that filters nothing");
    assert!(
        rows.iter().all(|c| asked.contains(&field(c, "status"))),
        "{rows:?}"
    );

    // --since: a cutoff the server applies.
    let future = json(
        &server,
        &["calls", "list", "--since", "2999-01-01", "--format", "json"],
    );
    assert!(future.is_empty());
    let week = json(
        &server,
        &[
            "calls", "list", "--since", "7d", "--limit", "250", "--format", "json",
        ],
    );
    let cutoff = chrono::Utc::now() - chrono::TimeDelta::days(7) - chrono::TimeDelta::minutes(1);
    assert!(!week.is_empty() && week.len() < 250);
    for c in &week {
        let t = chrono::DateTime::parse_from_rfc3339(field(c, "created_at")).expect("time");
        assert!(
            t >= cutoff,
            "{} is older than 7 days",
            field(c, "created_at")
        );
    }

    // Table: a header, one aligned row per call, all OUTBOUND.
    let table = ok(
        &server,
        &["calls", "list", "--direction", "outbound", "--limit", "7"],
    );
    let lines: Vec<&str> = table.lines().collect();
    assert_eq!(lines.len(), 8, "{table}");
    assert!(
        lines[0].starts_with("CREATED") && lines[0].ends_with("UID"),
        "{table}"
    );
    let uid_at = lines[0].find("UID").expect("UID column");
    for row in &lines[1..] {
        assert!(row.contains(" OUTBOUND "), "{row}");
        assert_eq!(row.len() - uid_at, 36, "a uid in the last column: {row}");
    }

    // CSV: a header and one record per call, each with the asked status.
    let csv = ok(
        &server,
        &[
            "calls", "list", "--status", "MISSED", "--limit", "9", "--format", "csv",
        ],
    );
    let records = parse_csv(&csv);
    assert_eq!(records[0][0], "uid");
    let status_col = records[0]
        .iter()
        .position(|h| h == "status")
        .expect("status");
    assert_eq!(records.len(), 10, "{csv}");
    for r in &records[1..] {
        assert_eq!(r.len(), records[0].len(), "{r:?}");
        assert_eq!(r[status_col], "MISSED");
    }
}

#[test]
fn show_prints_text_or_the_servers_object() {
    let server = common::serve(TOKEN, 60);
    let listed = json(
        &server,
        &["calls", "list", "--limit", "1", "--format", "json"],
    );
    let uid = field(&listed[0], "uid").to_string();

    let shown: Value =
        serde_json::from_str(&ok(&server, &["calls", "show", &uid, "--format", "json"]))
            .expect("json");
    assert_eq!(shown, listed[0], "the server's object, untouched");

    let text = ok(&server, &["calls", "show", &uid]);
    assert!(text.lines().any(|l| l == format!("uid: {uid}")), "{text}");
    let status = format!("status: {}", field(&shown, "status"));
    assert!(text.lines().any(|l| l == status), "{text}");
    assert!(text.lines().all(|l| l.contains(": ")), "{text}");

    let missing = cc(&server, &["calls", "show", "no-such-call"], &[]);
    assert_eq!(missing.code, 1);
    assert!(missing.stderr.contains("404"), "{}", missing.stderr);
}

#[test]
fn update_marks_handled_and_stores_given_fields() {
    let server = common::serve(TOKEN, 60);
    let uid = newest_with(&server, "MISSED");
    let out = cc(
        &server,
        &[
            "calls",
            "update",
            &uid,
            "--status",
            "missed_call_handled",
            "--handled-by",
            "me",
            "--field",
            "rate=0.05",
            "--field",
            "price=1.50",
            "--field",
            "recording_id=rec-77",
            "--field",
            "call_summary=Called back, all sorted",
            "--field",
            "duration=2:05",
        ],
        &[("CALLCONSOLE_STAFF_UID", "staff-cli")],
    );
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(
        out.stdout.contains("status: MISSED_CALL_HANDLED"),
        "{}",
        out.stdout
    );

    let now = get(&server, &uid);
    assert_eq!(
        now.status.map(|s| s.0).as_deref(),
        Some("MISSED_CALL_HANDLED")
    );
    assert_eq!(now.handled_by_staff_uid.as_deref(), Some("staff-cli"));
    assert_eq!(now.rate.as_deref(), Some("0.05"));
    assert_eq!(now.price.as_deref(), Some("1.50"));
    assert_eq!(now.recording_id.as_deref(), Some("rec-77"));
    assert_eq!(now.call_summary.as_deref(), Some("Called back, all sorted"));
    assert_eq!(now.duration, Some(125));

    // The server now sends rate and price back, so a second change needs no --field; the
    // current updated_at passes --if-updated-at; JSON output is the server's object.
    let stamp = now.updated_at.clone().expect("updated_at");
    let again = cc(
        &server,
        &[
            "calls",
            "update",
            &uid,
            "--handled-by",
            "staff-2",
            "--if-updated-at",
            &stamp,
            "--format",
            "json",
        ],
        &[],
    );
    assert_eq!(again.code, 0, "{}", again.stderr);
    let printed: Value = serde_json::from_str(&again.stdout).expect("json");
    assert_eq!(field(&printed, "handled_by_staff_uid"), "staff-2");
    assert_eq!(field(&printed, "status"), "MISSED_CALL_HANDLED", "kept");
    assert_eq!(field(&printed, "price"), "1.50", "kept");
}

#[test]
fn a_flag_wins_over_the_environment_and_a_bad_one_exits_2_saying_which() {
    let server = common::serve(TOKEN, 60);
    let uid = newest_with(&server, "MISSED");
    let mut args = vec!["--staff-uid", "staff-flag", "calls", "update", &uid];
    args.extend(["--handled-by", "me"]);
    args.extend(GIVEN);
    let out = cc(&server, &args, &[("CALLCONSOLE_STAFF_UID", "staff-env")]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let now = get(&server, &uid);
    assert_eq!(now.handled_by_staff_uid.as_deref(), Some("staff-flag"));

    let out = cc(
        &server,
        &["--page-size", "500", "calls", "list"],
        &[("CALLCONSOLE_PAGE_SIZE", "20")],
    );
    assert_eq!(out.code, 2, "{}{}", out.stdout, out.stderr);
    assert!(
        out.stderr
            .contains("--page-size: page_size must be between 1 and 100 (got \"500\")"),
        "{}",
        out.stderr
    );
    assert!(out.stdout.is_empty(), "{}", out.stdout);
}

/// Runs an update expected to be refused with `code`; the call must be untouched.
fn refused(server: &Server, uid: &str, args: &[&str], env: &[(&str, &str)], code: i32) -> String {
    let before = get(server, uid);
    let mut all = vec!["calls", "update", uid];
    all.extend_from_slice(args);
    let out = cc(server, &all, env);
    assert_eq!(out.code, code, "{args:?}: {}{}", out.stdout, out.stderr);
    assert!(out.stdout.is_empty(), "{}", out.stdout);
    let after = get(server, uid);
    assert_eq!(after.updated_at, before.updated_at, "nothing was stored");
    assert_eq!(after, before);
    out.stderr
}

const GIVEN: [&str; 6] = [
    "--field",
    "rate=0",
    "--field",
    "price=0",
    "--field",
    "recording_id=r1",
];

#[test]
fn invalid_input_exits_2_and_sends_nothing() {
    let server = common::serve(TOKEN, 60);
    let uid = newest_with(&server, "MISSED");
    let with = |extra: &[&'static str]| -> Vec<&'static str> {
        extra.iter().chain(GIVEN.iter()).copied().collect()
    };

    let e = refused(&server, &uid, &with(&["--status", "lost"]), &[], 2);
    assert!(
        e.contains("--status \"lost\"") && e.contains("MISSED_CALL_HANDLED"),
        "{e}"
    );

    let e = refused(
        &server,
        &uid,
        &with(&["--field", "from_number=123"]),
        &[],
        2,
    );
    assert!(e.contains("from_number must be E.164"), "{e}");
    assert!(e.contains("\"123\"") && e.contains("nothing sent"), "{e}");

    let e = refused(&server, &uid, &with(&["--field", "colour=red"]), &[], 2);
    assert!(e.contains("\"colour\" is not a field"), "{e}");
    assert!(
        e.contains("from_number") && e.contains("handled_by_staff_uid"),
        "{e}"
    );

    let e = refused(&server, &uid, &with(&["--field", "duration=soon"]), &[], 2);
    assert!(e.contains("duration must be whole seconds"), "{e}");

    let e = refused(&server, &uid, &with(&["--handled-by", "me"]), &[], 2);
    assert!(e.contains("staff_uid") && e.contains("--handled-by"), "{e}");

    // Clap's own usage errors: nothing to change at all.
    let e = refused(&server, &uid, &[], &[], 2);
    assert!(e.contains("--status"), "{e}");
}

#[test]
fn fields_the_api_does_not_send_must_be_given() {
    let server = common::serve(TOKEN, 60);
    let uid = newest_with(&server, "MISSED");
    let e = refused(
        &server,
        &uid,
        &["--status", "MISSED_CALL_HANDLED", "--field", "price=2"],
        &[],
        2,
    );
    assert!(e.contains("rate, recording_id"), "{e}");
    assert!(
        e.contains("--field rate=0.05") && e.contains("--field recording_id="),
        "{e}"
    );
    assert!(!e.contains("price"), "price was given: {e}");
}

#[test]
fn a_stale_updated_at_is_a_conflict() {
    let server = common::serve(TOKEN, 60);
    let uid = newest_with(&server, "MISSED");
    let old = "2020-01-01T00:00:00Z";
    let mut args = vec!["--status", "MISSED_CALL_HANDLED", "--if-updated-at", old];
    args.extend(GIVEN);
    let e = refused(&server, &uid, &args, &[], 1);
    assert!(
        e.contains(&format!(
            "call {uid} changed on the server since it was read"
        )),
        "{e}"
    );
    assert!(e.contains(old) && e.contains("nothing sent"), "{e}");
}

#[test]
fn network_failures_exit_1() {
    let server = common::serve(TOKEN, 10);
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("port")
        .port();
    let closed = format!("http://127.0.0.1:{port}");
    let out = cc(
        &server,
        &["calls", "list"],
        &[("CALLCONSOLE_BASE_URL", &closed)],
    );
    assert_eq!(out.code, 1);
    assert!(
        out.stderr.contains("cannot reach 127.0.0.1"),
        "{}",
        out.stderr
    );
    let out = cc(
        &server,
        &["calls", "list"],
        &[("CALLCONSOLE_TOKEN", "wrong")],
    );
    assert_eq!(out.code, 1);
    assert!(out.stderr.contains("HTTP 401"), "{}", out.stderr);
}

#[test]
fn no_token_means_the_demo_server() {
    let server = common::serve(TOKEN, 10);
    let out = cc(
        &server,
        &[
            "--seed-count",
            "12",
            "calls",
            "list",
            "--limit",
            "50",
            "--format",
            "json",
        ],
        &[("CALLCONSOLE_TOKEN", "")],
    );
    assert_eq!(out.code, 0, "{}", out.stderr);
    let calls: Vec<Value> = serde_json::from_str(&out.stdout).expect("json");
    assert_eq!(
        calls.len(),
        12,
        "the embedded demo server's calls, not the other server's"
    );
}

#[test]
fn completions_for_bash() {
    let server = common::serve(TOKEN, 1);
    let script = ok(&server, &["completions", "bash"]);
    assert!(script.contains("callconsole"));
    assert!(script.contains("calls"), "subcommands complete too");
    let out = cc(&server, &["completions", "tcsh"], &[]);
    assert_eq!(out.code, 2);
}

#[test]
fn init_config_writes_a_starter_that_loads_and_never_overwrites() {
    let server = common::serve(TOKEN, 1);
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("conf/config.toml");
    let path_s = path.to_string_lossy().into_owned();
    let out = cc(&server, &["--config", &path_s, "init-config"], &[]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let text = std::fs::read_to_string(&path).expect("written");
    assert!(text.contains("[keys]") && text.contains("refresh_secs"));
    // The starter is all comments: the console loads it as the defaults.
    let listed = cc(
        &server,
        &["--config", &path_s, "calls", "list", "--limit", "1"],
        &[],
    );
    assert_eq!(listed.code, 0, "{}", listed.stderr);
    std::fs::write(&path, "# mine\n").expect("edit");
    let again = cc(&server, &["--config", &path_s, "init-config"], &[]);
    assert_eq!(again.code, 2);
    assert!(again.stderr.contains("already exists"), "{}", again.stderr);
    assert_eq!(std::fs::read_to_string(&path).expect("kept"), "# mine\n");
}
