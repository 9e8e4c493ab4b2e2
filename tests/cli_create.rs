//! `calls create` end to end: the real binary against a real `callconsole serve` process.
//! Each outcome's record as the server holds it; `reached` marks exactly that caller's waiting
//! calls handled (judged by what the server holds); bad input exits 2 with nothing sent.

#[path = "support/cli.rs"]
mod cli;
mod common;

use serde_json::{Value, json};

use cli::{TOKEN, cc, field};
use common::Server;

const CALLS: &str = "/v3/communication/voice_calls";
/// Our number: the one the callers below called.
const OURS: &str = "+14155550199";
/// The caller called back, and another caller whose calls must stay as they are.
const THEM: &str = "+12125550981";
const OTHER: &str = "+12125550982";

fn rt() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("rt")
}

fn request(server: &Server, method: reqwest::Method, path: &str, body: Option<&Value>) -> Value {
    rt().block_on(async {
        callconsole::api::client::install_tls();
        let mut req = reqwest::Client::new()
            .request(method, format!("{}{path}", server.base))
            .bearer_auth(&server.token);
        if let Some(body) = body {
            req = req.json(body);
        }
        let resp = req.send().await.expect("request");
        assert!(resp.status().is_success(), "{path}: {}", resp.status());
        resp.json().await.expect("json")
    })
}

fn business(server: &Server) -> String {
    me_and_business(server).1
}

/// `sub` and `business_uid` of the server's token.
fn me_and_business(server: &Server) -> (String, String) {
    let info = request(server, reqwest::Method::GET, "/oauth/userinfo", None);
    let text = |k: &str| info[k].as_str().expect(k).to_string();
    (text("sub"), text("business_uid"))
}

/// An inbound call from `from` to our number, as the provider records one: created, then
/// given what the create body has no place for (its app link, price, recording); its uid.
fn inbound(server: &Server, from: &str, status: &str) -> String {
    let mut body = json!({
        "staff_uid": "staff-desk", "client_uid": "client-them", "from_number": from,
        "to_number": OURS, "direction": "INBOUND", "status": status, "rate": "0",
        "provider": "VONAGE", "source_id": "test",
        "external_uuid": format!("in-{}", fastrand::u64(..)),
        "business_uid": business(server), "call_summary": "Called about a booking", "duration": 0
    });
    let made = request(server, reqwest::Method::POST, CALLS, Some(&body));
    let uid = made["data"]["uid"].as_str().expect("uid").to_string();
    let full = body.as_object_mut().expect("object");
    full.remove("business_uid");
    for (k, v) in [
        ("price", json!("0")),
        ("recording_id", json!("rec-1")),
        ("external_app_url", json!("https://provider.example/call/1")),
        ("external_app_name", json!("Provider")),
    ] {
        full.insert(k.to_string(), v);
    }
    if status == "MISSED_CALL_HANDLED" {
        full.insert("handled_by_staff_uid".into(), json!("staff-colleague"));
    }
    request(
        server,
        reqwest::Method::PUT,
        &format!("{CALLS}/{uid}"),
        Some(&body),
    );
    uid
}

fn call(server: &Server, uid: &str) -> Value {
    request(
        server,
        reqwest::Method::GET,
        &format!("{CALLS}/{uid}"),
        None,
    )["data"]
        .clone()
}

fn calls_to(server: &Server, number: &str) -> Vec<Value> {
    let path = format!(
        "{CALLS}?per_page=100&filter[to_number]={}",
        number.replace('+', "%2B")
    );
    request(server, reqwest::Method::GET, &path, None)["data"]["voice_calls"]
        .as_array()
        .expect("calls")
        .clone()
}

fn total(server: &Server) -> u64 {
    let stats = request(
        server,
        reqwest::Method::GET,
        &format!("{CALLS}/reports/voice_call_stats"),
        None,
    );
    stats["data"]["total_voice_calls"].as_u64().expect("total")
}

/// A config with the `[defaults]` an update needs for the fields the API never sends back.
fn config() -> (tempfile::TempDir, String) {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("config.toml");
    std::fs::write(
        &path,
        "default_country = \"US\"\n\n[defaults]\nrate = \"0\"\nprice = \"0\"\nrecording_id = \"none\"\n",
    )
    .expect("config");
    let path = path.to_string_lossy().into_owned();
    (dir, path)
}

/// The caller's calls: two waiting, one already handled, one answered; and another caller's
/// waiting call.
struct Scene {
    waiting: [String; 2],
    handled: String,
    answered: String,
    others: String,
}

fn scene(server: &Server) -> Scene {
    let answered = inbound(server, THEM, "ANSWERED_BY_STAFF");
    let handled = inbound(server, THEM, "MISSED_CALL_HANDLED");
    let waiting = [
        inbound(server, THEM, "MISSED"),
        inbound(server, THEM, "VOICEMAIL"),
    ];
    let others = inbound(server, OTHER, "MISSED");
    Scene {
        waiting,
        handled,
        answered,
        others,
    }
}

#[test]
fn reached_records_the_call_back_and_handles_exactly_that_callers_waiting_calls() {
    let server = common::serve(TOKEN, 20);
    let scene = scene(&server);
    let untouched: Vec<Value> = [&scene.handled, &scene.answered, &scene.others]
        .iter()
        .map(|uid| call(&server, uid))
        .collect();
    let (me, _) = me_and_business(&server);
    let (_dir, path) = config();
    let out = cc(
        &server,
        &[
            "--config",
            &path,
            "calls",
            "create",
            "--outcome",
            "reached",
            "--to",
            "(212) 555-0981",
            "--note",
            "Rebooked to Monday",
            "--duration",
            "2:05",
        ],
        &[],
    );
    assert_eq!(out.code, 0, "{}", out.stderr);
    assert!(out.stdout.contains("direction: OUTBOUND"), "{}", out.stdout);
    for uid in &scene.waiting {
        assert!(
            out.stderr.contains(&format!("handled {uid}")),
            "{}",
            out.stderr
        );
    }

    // The record: from the number they called, to theirs, their client, by me.
    let made = calls_to(&server, THEM);
    assert_eq!(made.len(), 1, "{made:?}");
    let made = &made[0];
    assert_eq!(field(made, "direction"), "OUTBOUND");
    assert_eq!(field(made, "status"), "ANSWERED_BY_STAFF");
    assert_eq!(field(made, "from_number"), OURS);
    assert_eq!(field(made, "client_uid"), "client-them");
    assert_eq!(field(made, "staff_uid"), me);
    assert_eq!(
        field(made, "call_summary"),
        "Call-back: reached. Rebooked to Monday"
    );
    assert_eq!(made["duration"], json!(125));
    assert_eq!(made["rate"], json!("0"));

    // Their waiting calls are handled by me; nothing else changed.
    for uid in &scene.waiting {
        let now = call(&server, uid);
        assert_eq!(field(&now, "status"), "MISSED_CALL_HANDLED", "{uid}");
        assert_eq!(field(&now, "handled_by_staff_uid"), me, "{uid}");
    }
    for before in untouched {
        let uid = field(&before, "uid");
        assert_eq!(call(&server, uid), before, "{uid} untouched");
    }
}

#[test]
fn voicemail_and_no_answer_record_a_missed_call_back_and_handle_nothing() {
    let server = common::serve(TOKEN, 20);
    let scene = scene(&server);
    let waiting: Vec<Value> = scene.waiting.iter().map(|uid| call(&server, uid)).collect();
    let out = cc(
        &server,
        &[
            "calls",
            "create",
            "--outcome",
            "voicemail",
            "--to",
            THEM,
            "--format",
            "json",
        ],
        &[],
    );
    assert_eq!(out.code, 0, "{}", out.stderr);
    let printed: Value = serde_json::from_str(&out.stdout).expect("json");
    assert_eq!(field(&printed, "status"), "MISSED");
    assert_eq!(field(&printed, "call_summary"), "Call-back: left voicemail");
    assert_eq!(field(&printed, "to_number"), THEM);

    let out = cc(
        &server,
        &[
            "calls",
            "create",
            "--outcome",
            "no-answer",
            "--to",
            THEM,
            "--from",
            "+14155550100",
            "--client",
            "client-given",
            "--duration",
            "30",
        ],
        &[],
    );
    assert_eq!(out.code, 0, "{}", out.stderr);
    let made = calls_to(&server, THEM);
    assert_eq!(made.len(), 2, "{made:?}");
    let newest = &made[0];
    assert_eq!(field(newest, "status"), "MISSED");
    assert_eq!(field(newest, "direction"), "OUTBOUND");
    assert_eq!(field(newest, "from_number"), "+14155550100");
    assert_eq!(field(newest, "client_uid"), "client-given");
    assert_eq!(field(newest, "call_summary"), "Call-back: no answer");
    assert_eq!(newest["duration"], json!(30));
    for before in waiting {
        let uid = field(&before, "uid");
        assert_eq!(call(&server, uid), before, "{uid} still waits");
    }
}

#[test]
fn handles_names_the_calls_to_mark_and_a_call_not_waiting_is_refused() {
    let server = common::serve(TOKEN, 20);
    let scene = scene(&server);
    let (_dir, path) = config();
    let still = call(&server, &scene.waiting[1]);
    let handled_before = call(&server, &scene.handled);
    let out = cc(
        &server,
        &[
            "--config",
            &path,
            "calls",
            "create",
            "--outcome",
            "reached",
            "--to",
            THEM,
            "--handles",
            &scene.waiting[0],
            &scene.handled,
        ],
        &[],
    );
    assert_eq!(out.code, 1, "{}", out.stderr);
    assert!(
        out.stderr
            .contains(&format!("handled {}", scene.waiting[0]))
            && out.stderr.contains(&format!(
                "not handled {}: already handled by staff-colleague",
                scene.handled
            )),
        "{}",
        out.stderr
    );
    assert_eq!(
        field(&call(&server, &scene.waiting[0]), "status"),
        "MISSED_CALL_HANDLED"
    );
    assert_eq!(
        call(&server, &scene.waiting[1]),
        still,
        "not named: still waits"
    );
    assert_eq!(call(&server, &scene.handled), handled_before);
    assert_eq!(calls_to(&server, THEM).len(), 1, "recorded once");
}

#[test]
fn bad_input_exits_2_and_sends_nothing() {
    let server = common::serve(TOKEN, 20);
    let before = total(&server);
    let cases: [(&[&str], &str); 6] = [
        (
            &["--outcome", "maybe", "--to", THEM],
            "--outcome \"maybe\" is not an outcome",
        ),
        (
            &["--outcome", "reached", "--to", "555 0981"],
            "default_country",
        ),
        (
            &["--outcome", "reached", "--to", THEM, "--duration", "soon"],
            "--duration must be",
        ),
        (
            &["--outcome", "reached", "--to", THEM, "--client", "a b"],
            "--client must not",
        ),
        (
            &["--outcome", "voicemail", "--to", THEM, "--handles", "x1"],
            "--handles goes with --outcome reached",
        ),
        // Nobody at this number ever called: our number cannot be known.
        (
            &["--outcome", "no-answer", "--to", "+12125550999"],
            "pass --from",
        ),
    ];
    for (args, expect) in cases {
        let mut all = vec!["calls", "create"];
        all.extend_from_slice(args);
        let out = cc(&server, &all, &[]);
        assert_eq!(out.code, 2, "{args:?}: {}", out.stderr);
        assert!(out.stderr.contains(expect), "{args:?}: {}", out.stderr);
        assert!(
            out.stderr.contains("nothing sent"),
            "{args:?}: {}",
            out.stderr
        );
    }
    let out = cc(&server, &["calls", "create", "--to", THEM], &[]);
    assert_eq!(out.code, 2, "a missing --outcome: {}", out.stderr);
    assert_eq!(total(&server), before, "nothing created");
}
