//! Hostile text end to end: `callconsole serve` holds a call whose fields carry terminal
//! escape payloads (OSC 52 clipboard write, OSC 8 link, DCS, APC, PM, SOS, C1 CSI/OSC, bidi
//! overrides). The console in a pseudo-terminal shows it, and the bytes it wrote hold none of
//! those sequences; the CLI's table and text output hold no control characters, and its JSON
//! output is exactly the server's.

mod common;

use std::process::Command;

use serde_json::{Value, json};

use common::{Server, Session};

const TOKEN: &str = "hostile-token";
/// base64 of `rm -rf ~`: the OSC 52 payload that must never reach the terminal.
const CLIPBOARD: &str = "cm0gLXJmIH4=";

fn hostile_call() -> Value {
    json!({
        "uid": "call-evil",
        "created_at": "2026-11-24T14:30:00.000Z",
        "updated_at": "2026-11-24T14:30:00.000Z",
        "duration": 125,
        "status": "MISSED",
        "direction": "INBOUND",
        "staff_uid": "staff-ana",
        "client_uid": "client\u{1b}[2J\u{1b}[H-\u{9b}31m7\u{202e}xe.fdp",
        "from_number": format!("+1415\u{1b}]52;c;{CLIPBOARD}\u{7}5550148"),
        "to_number": "+1415\u{9d}0;pwned\u{9c}5550100",
        "call_summary": format!(
            "Refund\u{1b}]8;;https://evil.example/\u{1b}\\ click \u{1b}]8;;\u{1b}\\please\u{1b}P+q\u{1b}\\ \u{90}dcs\u{9c}\u{1b}]52;c;{CLIPBOARD}\u{1b}\\now\u{2066}\u{200f}\u{7f}\u{85}done\u{1b}_apc\u{1b}\\\u{1b}^pm\u{1b}\\\u{1b}Xsos\u{1b}\\\u{98}sos\u{9c}"
        ),
        "recording": null,
        "external_app_url": "https://app.example.com/\u{1b}[6n",
        "external_app_name": "my\u{1b}_apc\u{1b}\\.pa",
        "source_id": "src\u{9f}apc\u{9c}-1",
        "external_uuid": "ext\u{98}sos\u{9c}-1",
        "handled_by_staff_uid": null,
        "handled_at": null,
        "deleted_at": null,
        "transcript_status": null
    })
}

/// `callconsole serve` on the hostile data file; killed when dropped.
fn serve_hostile() -> Server {
    let dir = tempfile::tempdir().expect("tempdir");
    let data = dir.path().join("calls.json");
    let file = json!({"version": 1, "calls": [hostile_call()]});
    std::fs::write(&data, serde_json::to_vec(&file).expect("json")).expect("data file");
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_callconsole"));
    cmd.args(["serve", "--port", "0", "--token", TOKEN, "--data"])
        .arg(&data)
        .env("HOME", dir.path())
        .env("XDG_DATA_HOME", dir.path().join("data"));
    common::start_serve(cmd, TOKEN, Some(dir))
}

/// What in `text` could drive a terminal: controls (newline aside) and bidi overrides.
fn controls(text: &str) -> Vec<char> {
    text.chars()
        .filter(|&c| (c.is_control() && c != '\n') || callconsole::domain::sanitize::is_unsafe(c))
        .collect()
}

/// `text` without the console's own OSC 8 links (the detail pane's `tel:` numbers: an id and
/// a URI of digits only, or the close): any other string sequence is still seen.
fn without_tel_links(text: &str) -> String {
    let ours = |seq: &str| {
        let digits = |s: &str| !s.is_empty() && s.chars().all(|c| c.is_ascii_digit());
        seq == "\u{1b}]8;;\u{1b}\\"
            || seq
                .strip_prefix("\u{1b}]8;id=tel")
                .and_then(|s| s.strip_suffix("\u{1b}\\"))
                .and_then(|s| s.split_once(";tel:"))
                .is_some_and(|(id, uri)| digits(id) && digits(uri.strip_prefix('+').unwrap_or(uri)))
    };
    let mut out = String::new();
    let mut rest = text;
    while let Some(i) = rest.find("\u{1b}]8;") {
        out.push_str(&rest[..i]);
        let tail = &rest[i..];
        match tail.find("\u{1b}\\").map(|e| e + 2) {
            Some(end) if ours(&tail[..end]) => rest = &tail[end..],
            _ => {
                out.push_str(&tail[..4]);
                rest = &tail[4..];
            }
        }
    }
    out.push_str(rest);
    out
}

#[test]
fn the_console_writes_none_of_the_payloads() {
    let server = serve_hostile();
    let mut s = Session::start_in(
        tempfile::tempdir().expect("tempdir"),
        &[],
        &[
            ("CALLCONSOLE_BASE_URL", &server.base),
            ("CALLCONSOLE_TOKEN", TOKEN),
        ],
        40,
        160,
    );
    s.wait_for("the hostile call listed", |sc| {
        sc.contains("▶") && sc.contains("Refund")
    });
    s.send("\r");
    let detail = s.wait_for("the detail pane", |sc| sc.contains("+14155550100"));
    assert!(detail.contains("+14155550148"), "{detail}");
    s.send("q");
    s.wait_exit();

    let raw = s.raw.lock().expect("raw").clone();
    let text = without_tel_links(&String::from_utf8_lossy(&raw));
    // The app draws with CSI sequences of its own; string sequences (OSC, DCS, APC, PM, SOS)
    // and C1 controls can only have come from the data.
    for marker in ["\u{1b}]", "\u{1b}P", "\u{1b}_", "\u{1b}^", "\u{1b}X"] {
        assert!(!text.contains(marker), "the app wrote {marker:?}");
    }
    let c1: Vec<char> = text
        .chars()
        .filter(|c| ('\u{80}'..='\u{9f}').contains(c))
        .collect();
    assert!(c1.is_empty(), "C1 controls written: {c1:?}");
    for payload in [CLIPBOARD, "evil.example", "pwned", "\u{202e}", "\u{2066}"] {
        assert!(!text.contains(payload), "{payload:?} reached the terminal");
    }
    // The escape sequences the data held inside CSI (clear screen, cursor report) are gone too:
    // the app never asks for a cursor position report.
    assert!(
        !text.contains("\u{1b}[6n"),
        "a cursor report request was written"
    );
}

fn cli(server: &Server, args: &[&str]) -> String {
    let home = tempfile::tempdir().expect("tempdir");
    let out = Command::new(env!("CARGO_BIN_EXE_callconsole"))
        .args(args)
        .current_dir(home.path())
        .env_remove("CALLCONSOLE_CONFIG")
        .env("HOME", home.path())
        .env("XDG_CONFIG_HOME", home.path().join("config"))
        .env("XDG_DATA_HOME", home.path().join("data"))
        .env("CALLCONSOLE_BASE_URL", &server.base)
        .env("CALLCONSOLE_TOKEN", TOKEN)
        .output()
        .expect("runs");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{args:?}: {stderr}");
    assert!(controls(&stderr).is_empty(), "{args:?} stderr: {stderr:?}");
    String::from_utf8(out.stdout).expect("utf8")
}

#[test]
fn the_cli_prints_clean_tables_and_text_and_exact_json() {
    let server = serve_hostile();
    let shown_clean = |args: &[&str], wanted: &str| {
        let out = cli(&server, args);
        // CSV ends its rows with CRLF, as RFC 4180 says; that CR is ours, not the data's.
        assert!(
            controls(&out.replace("\r\n", "\n")).is_empty(),
            "{args:?}: {out:?}"
        );
        for payload in [CLIPBOARD, "evil.example", "pwned"] {
            assert!(
                !out.contains(payload),
                "{args:?} printed {payload:?}: {out}"
            );
        }
        assert!(out.contains(wanted), "{args:?}: {out}");
    };
    shown_clean(&["calls", "list", "--format", "table"], "+14155550148");
    shown_clean(
        &["calls", "list", "--format", "csv"],
        "Refund click please nowdone",
    );
    shown_clean(
        &["calls", "show", "call-evil"],
        "call_summary: Refund click",
    );

    // JSON is what the server sent, escapes and all (serde_json writes them as \u001b).
    let sent = hostile_call();
    let list: Value =
        serde_json::from_str(&cli(&server, &["calls", "list", "--format", "json"])).expect("json");
    assert_eq!(list.as_array().map(Vec::len), Some(1), "{list}");
    for (key, value) in sent.as_object().expect("object") {
        assert_eq!(&list[0][key], value, "{key}");
    }
    let shown: Value = serde_json::from_str(&cli(
        &server,
        &["calls", "show", "call-evil", "--format", "json"],
    ))
    .expect("json");
    assert_eq!(shown, list[0]);
}
