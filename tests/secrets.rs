//! The token, end to end: where it is taken from, which config files are refused, which files
//! the app creates and with what mode, `callconsole doctor`, and a scan showing the token
//! string never reaches stdout, stderr, the log, a draft or the state file — with every log
//! level on.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use common::Session;

struct Output {
    code: i32,
    stdout: String,
    stderr: String,
}

/// Runs `callconsole ARGS` with `home` as its home (no user config, data or token) and `env`.
fn run(home: &Path, args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_callconsole"));
    cmd.args(args).current_dir(home);
    for k in [
        "CALLCONSOLE_CONFIG",
        "CALLCONSOLE_TOKEN",
        "CALLCONSOLE_BASE_URL",
        "CALLCONSOLE_STAFF_UID",
        "CALLCONSOLE_ON_BEHALF_OF",
        "CALLCONSOLE_LOG",
        "RUST_LOG",
    ] {
        cmd.env_remove(k);
    }
    cmd.env("HOME", home)
        .env("XDG_CONFIG_HOME", home.join("config"))
        .env("XDG_DATA_HOME", home.join("data"));
    for (k, v) in env {
        cmd.env(k, v);
    }
    let out = cmd.output().expect("runs");
    let result = Output {
        code: out.status.code().expect("exit code, not a signal"),
        stdout: String::from_utf8(out.stdout).expect("utf8 stdout"),
        stderr: String::from_utf8(out.stderr).expect("utf8 stderr"),
    };
    assert!(!result.stderr.contains("panicked"), "{}", result.stderr);
    result
}

fn data_dir(home: &Path) -> PathBuf {
    home.join("data/callconsole")
}

#[cfg(unix)]
fn mode(path: &Path) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(path)
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
        .permissions()
        .mode()
        & 0o777
}

#[cfg(unix)]
fn write_config(path: &Path, text: &str, mode: u32) {
    use std::os::unix::fs::PermissionsExt;
    std::fs::write(path, text).expect("write config");
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).expect("chmod");
}

/// The lines of `doctor`'s output, each checked to start with `ok`, `note` or `problem`:
/// config, token, base_url, api, userinfo, staff, clients, data dir.
fn doctor_lines(out: &Output) -> Vec<&str> {
    let lines: Vec<&str> = out.stdout.lines().collect();
    assert_eq!(lines.len(), 8, "one line per check:\n{}", out.stdout);
    for line in &lines {
        assert!(
            line.starts_with("ok ") || line.starts_with("note ") || line.starts_with("problem "),
            "{line}"
        );
    }
    lines
}

#[test]
fn doctor_is_all_ok_against_a_server_and_reports_a_wrong_token() {
    let token = "doctor-token-7c1e";
    let server = common::serve(token, 5);
    let home = tempfile::tempdir().expect("tempdir");
    let env = [
        ("CALLCONSOLE_BASE_URL", server.base.as_str()),
        ("CALLCONSOLE_TOKEN", token),
    ];
    let out = run(home.path(), &["doctor"], &env);
    assert_eq!(out.code, 0, "{}{}", out.stdout, out.stderr);
    let lines = doctor_lines(&out);
    assert!(lines.iter().all(|l| l.starts_with("ok ")), "{lines:#?}");
    assert!(
        lines[1].contains("from CALLCONSOLE_TOKEN (…7c1e)"),
        "{}",
        lines[1]
    );
    assert!(
        lines[2].contains("http") && lines[2].contains("this machine"),
        "{}",
        lines[2]
    );
    assert!(
        lines[3].contains("per_page=1") && lines[3].contains("200"),
        "{}",
        lines[3]
    );
    // Which people endpoints answer: the demo token is a staff member's.
    for (line, what, path) in [
        (lines[4], "userinfo", "GET /oauth/userinfo answered 200"),
        (lines[5], "staff", "/staffs?status=all answered 200"),
        (lines[6], "clients", "GET /platform/v1/clients"),
    ] {
        assert!(
            line.starts_with(&format!("ok       {what}")) && line.contains(path),
            "{line}"
        );
    }
    assert!(lines[4].contains("Bayview Physio"), "{}", lines[4]);
    assert!(lines[5].contains("12 staff (10 active)"), "{}", lines[5]);
    assert!(lines[7].contains("writable"), "{}", lines[7]);

    let wrong = run(
        home.path(),
        &["doctor"],
        &[
            ("CALLCONSOLE_BASE_URL", server.base.as_str()),
            ("CALLCONSOLE_TOKEN", "wrong-token-0000"),
        ],
    );
    assert_eq!(wrong.code, 1, "{}", wrong.stdout);
    let lines = doctor_lines(&wrong);
    let api = lines[3];
    assert!(
        api.starts_with("problem") && api.contains("401") && api.contains("check the token"),
        "{api}"
    );
    for line in &lines[4..7] {
        assert!(
            line.starts_with("note") && line.contains("not checked"),
            "{line}"
        );
    }
    assert!(wrong.stderr.contains("1 problem"), "{}", wrong.stderr);
}

#[test]
fn doctor_notes_people_endpoints_that_do_not_answer_and_still_exits_0() {
    let token = "doctor-token-41aa";
    let mut serve = Command::new(env!("CARGO_BIN_EXE_callconsole"));
    serve.args([
        "serve",
        "--port",
        "0",
        "--token",
        token,
        "--seed-count",
        "5",
    ]);
    serve.args([
        "--fault",
        "status=403:path=/oauth",
        "--fault",
        "status=404:path=/platform/v1",
    ]);
    let server = common::start_serve(serve, token, None);
    let home = tempfile::tempdir().expect("tempdir");
    let env = [
        ("CALLCONSOLE_BASE_URL", server.base.as_str()),
        ("CALLCONSOLE_TOKEN", token),
    ];
    let out = run(home.path(), &["doctor"], &env);
    assert_eq!(out.code, 0, "{}{}", out.stdout, out.stderr);
    let lines = doctor_lines(&out);
    assert!(lines[3].starts_with("ok       api"), "{}", lines[3]);
    let userinfo = lines[4];
    assert!(
        userinfo.starts_with("note     userinfo") && userinfo.contains("HTTP 403"),
        "{userinfo}"
    );
    // Without userinfo or on_behalf_of there is no business to ask the roster of.
    assert!(
        lines[5].starts_with("note     staff") && lines[5].contains("set on_behalf_of"),
        "{}",
        lines[5]
    );
    assert!(
        lines[6].starts_with("note     clients")
            && lines[6].contains("HTTP 404")
            && lines[6].contains("clients show as numbers"),
        "{}",
        lines[6]
    );
}

#[test]
fn doctor_without_a_token_says_demo_mode() {
    let home = tempfile::tempdir().expect("tempdir");
    let out = run(home.path(), &["doctor"], &[]);
    assert_eq!(out.code, 0, "{}{}", out.stdout, out.stderr);
    let lines = doctor_lines(&out);
    assert!(lines[1].contains("demo mode"), "{}", lines[1]);
    assert!(lines[2].contains("https"), "{}", lines[2]);
    for line in &lines[3..7] {
        assert!(
            line.starts_with("ok") && line.contains("demo mode"),
            "{line}"
        );
    }
}

#[cfg(unix)]
#[test]
fn a_config_with_a_token_that_others_can_read_is_refused() {
    let server = common::serve("file-token-5d6e", 5);
    let home = tempfile::tempdir().expect("tempdir");
    let path = home.path().join("callconsole.toml");
    let path_s = path.to_str().expect("utf-8").to_string();
    write_config(&path, "token = \"file-token-5d6e\"\n", 0o644);
    let env = [("CALLCONSOLE_BASE_URL", server.base.as_str())];
    let args = ["--config", path_s.as_str(), "calls", "list"];

    let out = run(home.path(), &args, &env);
    assert_eq!(out.code, 2, "{}", out.stderr);
    assert!(
        out.stderr.contains(&path_s)
            && out.stderr.contains("0644")
            && out.stderr.contains(&format!("chmod 600 {path_s}")),
        "{}",
        out.stderr
    );
    assert!(out.stdout.is_empty(), "nothing listed: {}", out.stdout);
    assert!(!out.stderr.contains("file-token"), "{}", out.stderr);

    let doctor = run(home.path(), &["--config", &path_s, "doctor"], &env);
    assert_eq!(doctor.code, 1);
    assert!(
        doctor.stdout.starts_with("problem  config"),
        "{}",
        doctor.stdout
    );
    assert!(doctor.stdout.contains("chmod 600"), "{}", doctor.stdout);

    write_config(&path, "token = \"file-token-5d6e\"\n", 0o600);
    assert_eq!(run(home.path(), &args, &env).code, 0);
    let doctor = run(home.path(), &["--config", &path_s, "doctor"], &env);
    assert_eq!(doctor.code, 0, "{}", doctor.stdout);
    assert!(
        doctor.stdout.contains("from config file (…5d6e)"),
        "{}",
        doctor.stdout
    );
}

#[cfg(unix)]
#[test]
fn token_command_is_used_after_the_environment_and_its_failure_is_explained() {
    let token = "command-token-3a9b";
    let server = common::serve(token, 5);
    let home = tempfile::tempdir().expect("tempdir");
    let path = home.path().join("c.toml");
    let path_s = path.to_str().expect("utf-8").to_string();
    let base = [("CALLCONSOLE_BASE_URL", server.base.as_str())];

    // Command over file: the file's token is wrong, the command's is right.
    write_config(
        &path,
        &format!("token = \"stale-file-token\"\ntoken_command = \"echo {token}\"\n"),
        0o600,
    );
    let out = run(home.path(), &["--config", &path_s, "doctor"], &base);
    assert_eq!(out.code, 0, "{}", out.stdout);
    assert!(
        out.stdout.contains("from token_command (…3a9b)"),
        "{}",
        out.stdout
    );

    // Environment over command: the command would fail, and is not even run.
    write_config(&path, "token_command = \"exit 9\"\n", 0o600);
    let env = [base[0], ("CALLCONSOLE_TOKEN", token)];
    let out = run(home.path(), &["--config", &path_s, "calls", "list"], &env);
    assert_eq!(out.code, 0, "{}", out.stderr);

    // A failing command is a config error: exit 2, its status and stderr's first line.
    write_config(
        &path,
        "token_command = \"echo 'gpg: decryption failed' >&2; exit 2\"\n",
        0o600,
    );
    let out = run(home.path(), &["--config", &path_s, "calls", "list"], &base);
    assert_eq!(out.code, 2, "{}", out.stderr);
    assert!(
        out.stderr.contains("token_command")
            && out
                .stderr
                .contains("exited with status 2: gpg: decryption failed"),
        "{}",
        out.stderr
    );
}

#[cfg(unix)]
#[test]
fn files_the_app_creates_are_private() {
    let server = common::serve("modes-token-1f2f", 5);
    let home = tempfile::tempdir().expect("tempdir");
    let out = run(home.path(), &["init-config"], &[]);
    assert_eq!(out.code, 0, "{}", out.stderr);
    let config_dir = home.path().join("config/callconsole");
    assert_eq!(mode(&config_dir.join("config.toml")), 0o600);
    assert_eq!(mode(&config_dir), 0o700);

    let env = [
        ("CALLCONSOLE_BASE_URL", server.base.as_str()),
        ("CALLCONSOLE_TOKEN", "modes-token-1f2f"),
    ];
    assert_eq!(run(home.path(), &["calls", "list"], &env).code, 0);
    assert_eq!(mode(&data_dir(home.path())), 0o700);
    assert_eq!(mode(&data_dir(home.path()).join("callconsole.log")), 0o600);
}

/// Every file under `dir`, recursively.
fn files_under(dir: &Path) -> Vec<PathBuf> {
    let mut found = Vec::new();
    let mut todo = vec![dir.to_path_buf()];
    while let Some(d) = todo.pop() {
        for entry in std::fs::read_dir(&d).expect("read_dir").flatten() {
            let path = entry.path();
            if path.is_dir() {
                todo.push(path);
            } else {
                found.push(path);
            }
        }
    }
    found
}

#[test]
fn the_token_appears_in_no_output_log_draft_or_state_file() {
    let token = "tok-SCAN-5e3f9a0b7c";
    let wrong = "wrong-SCAN-8d2e41c6aa";
    let server = common::serve(token, 40);
    let home = tempfile::tempdir().expect("tempdir");
    let h = home.path().to_path_buf();
    let verbose = [("CALLCONSOLE_LOG", "trace"), ("RUST_LOG", "trace")];
    let with = |t: &'static str| {
        let mut env = vec![
            ("CALLCONSOLE_BASE_URL", server.base.clone()),
            ("CALLCONSOLE_TOKEN", t.into()),
        ];
        env.extend(verbose.iter().map(|(k, v)| (*k, v.to_string())));
        env
    };
    let mut outputs = Vec::new();
    let mut cc = |args: &[&str], env: Vec<(&'static str, String)>, code: i32| {
        let env: Vec<(&str, &str)> = env.iter().map(|(k, v)| (*k, v.as_str())).collect();
        let out = run(&h, args, &env);
        assert_eq!(out.code, code, "{args:?}: {}{}", out.stdout, out.stderr);
        outputs.push(out.stdout.clone());
        outputs.push(out.stderr.clone());
        out
    };

    let listed = cc(
        &["calls", "list", "--format", "json", "--limit", "3"],
        with(token),
        0,
    );
    let calls: serde_json::Value = serde_json::from_str(&listed.stdout).expect("json");
    let uid = calls[0]["uid"].as_str().expect("uid").to_string();
    cc(
        &[
            "calls",
            "update",
            &uid,
            "--field",
            "call_summary=scanned",
            "--field",
            "rate=0.05",
            "--field",
            "price=1.50",
            "--field",
            "recording_id=rec-scan",
        ],
        with(token),
        0,
    );
    let denied = cc(&["calls", "list"], with(wrong), 1);
    assert!(denied.stderr.contains("401"), "{}", denied.stderr);
    cc(&["doctor"], with(token), 0);
    cc(&["doctor"], with(wrong), 1);

    // The console, for the draft and the state file: switch a tab (state), start an edit and
    // leave it unsent (draft).
    let env: Vec<(&str, String)> = with(token);
    let env: Vec<(&str, &str)> = env.iter().map(|(k, v)| (*k, v.as_str())).collect();
    // Wide enough for the title bar's whole right side: me, the business, its zone, the API.
    let mut s = Session::start_in(home, &[], &env, 30, 180);
    s.wait_for("the list", |sc| sc.contains("▶"));
    s.send("2");
    s.wait_for("the second tab", |sc| sc.contains("All 40"));
    s.send("1");
    s.send("e");
    s.wait_for("the form", |sc| sc.contains("Edit call"));
    s.send("\x05-scan-draft");
    s.wait_for("the typed text", |sc| sc.contains("-scan-draft"));
    // The draft is written within a second of the last change.
    let data = data_dir(s.dir.path());
    common::wait_until("the draft on disk", || {
        common::any_json_holds(&data, "-scan-draft")
    });
    let screen = s.screen();
    s.send("\x03");
    let _ = s.wait_exit();
    let raw = s.raw.lock().expect("raw").clone();
    let home = s.into_dir();

    let files = files_under(home.path());
    let names: Vec<String> = files.iter().map(|p| p.display().to_string()).collect();
    let log = data_dir(home.path()).join("callconsole.log");
    assert!(
        std::fs::metadata(&log).is_ok_and(|m| m.len() > 1000),
        "a verbose log was written: {names:#?}"
    );
    let log_text = std::fs::read_to_string(&log).expect("log");
    assert!(log_text.contains("TRACE"), "trace level reached the log");
    assert!(
        names.iter().any(|n| n.contains("/drafts/")),
        "a draft: {names:#?}"
    );
    assert!(
        names.iter().any(|n| n.ends_with("state.json")),
        "state: {names:#?}"
    );

    // What the console wrote is private too.
    #[cfg(unix)]
    for file in files
        .iter()
        .filter(|f| f.starts_with(data_dir(home.path())))
    {
        assert_eq!(mode(file), 0o600, "{}", file.display());
        let parent = file.parent().expect("parent");
        assert_eq!(mode(parent), 0o700, "{}", parent.display());
    }

    for secret in [token, wrong] {
        for file in &files {
            let bytes = std::fs::read(file).expect("read");
            let text = String::from_utf8_lossy(&bytes);
            assert!(!text.contains(secret), "{secret} in {}", file.display());
        }
        for (i, text) in outputs.iter().enumerate() {
            assert!(!text.contains(secret), "{secret} in output {i}: {text}");
        }
        assert!(
            !String::from_utf8_lossy(&raw).contains(secret),
            "{secret} on the terminal"
        );
        assert!(!screen.contains(secret));
    }
    // The title bar names the source and shows only the last 4 characters.
    assert!(screen.contains("127.0.0.1 · env token …0b7c"), "{screen}");
}

/// The tracing that cannot print the header relies on reqwest marking it sensitive: pinned
/// here, so a reqwest upgrade that stops doing so fails a test instead of leaking.
#[test]
fn the_authorization_header_is_marked_sensitive() {
    let request = {
        callconsole::api::client::install_tls();
        reqwest::Client::new()
    }
    .get("http://127.0.0.1:9/")
    .bearer_auth("header-token-1234")
    .build()
    .expect("request");
    let value = request
        .headers()
        .get(reqwest::header::AUTHORIZATION)
        .expect("header");
    assert!(value.is_sensitive());
    assert!(!format!("{value:?}").contains("header-token"));
}
