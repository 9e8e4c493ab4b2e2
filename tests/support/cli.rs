//! Shared by the tests of the scripting commands: run the real binary against a
//! `callconsole serve` process with a home of its own, and read back what the server holds.
// Each test binary that includes this uses a different part of it.
#![allow(dead_code)]

use std::process::Command;

use serde_json::Value;

use callconsole::api::{ApiClient, ClientOptions, VoiceCall};
use callconsole::config::secret::Secret;

use crate::common::Server;

pub const TOKEN: &str = "cli-token";

pub struct Output {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

/// Runs `callconsole ARGS` against `server` with a home of its own (no user config or data).
pub fn cc(server: &Server, args: &[&str], env: &[(&str, &str)]) -> Output {
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

pub fn ok(server: &Server, args: &[&str]) -> String {
    let out = cc(server, args, &[]);
    assert_eq!(out.code, 0, "{args:?}: {}", out.stderr);
    out.stdout
}

pub fn json(server: &Server, args: &[&str]) -> Vec<Value> {
    let text = ok(server, args);
    match serde_json::from_str(&text).expect("json") {
        Value::Array(items) => items,
        other => panic!("not an array: {other}"),
    }
}

/// What the server holds now, read with the library's client rather than the binary.
pub fn get(server: &Server, uid: &str) -> VoiceCall {
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

pub fn field<'a>(call: &'a Value, name: &str) -> &'a str {
    call.get(name).and_then(Value::as_str).unwrap_or("")
}

/// The uid of the newest call with `status`.
pub fn newest_with(server: &Server, status: &str) -> String {
    let calls = json(
        server,
        &["calls", "list", "--status", status, "--format", "json"],
    );
    field(calls.first().expect("a call with that status"), "uid").to_string()
}

/// The fields the API never sends back, given so an update may be sent.
pub const GIVEN: [&str; 6] = [
    "--field",
    "rate=0",
    "--field",
    "price=0",
    "--field",
    "recording_id=r1",
];

/// RFC 4180 records (quoted fields may hold commas, quotes and line breaks).
pub fn parse_csv(text: &str) -> Vec<Vec<String>> {
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
