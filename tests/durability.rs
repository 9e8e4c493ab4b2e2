//! An acknowledged save is on disk: writers race the real `callconsole serve` binary, it is
//! killed outright (SIGKILL, nothing of its own runs) at a moment picked at random, and every
//! update it answered 200 to is there after a restart on the same database. Also: SIGHUP
//! stops it cleanly, as SIGTERM does.

#[path = "support/bodies.rs"]
mod bodies;
mod common;

use std::collections::HashMap;
use std::path::Path;
use std::process::Command;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

const TOKEN: &str = "durable-token";
const CALLS: &str = "/v3/communication/voice_calls";
const WRITERS: usize = 6;
const ROUNDS: usize = 3;

fn serve(file: &Path, seed: Option<usize>) -> common::Server {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_callconsole"));
    cmd.args(["serve", "--port", "0", "--token", TOKEN, "--data"])
        .arg(file);
    if let Some(n) = seed {
        cmd.args(["--seed-count", &n.to_string()]);
    }
    common::start_serve(cmd, TOKEN, None)
}

fn client() -> reqwest::Client {
    callconsole::api::client::install_tls();
    reqwest::Client::builder()
        .timeout(Duration::from_secs(10))
        .build()
        .expect("client")
}

async fn calls(http: &reqwest::Client, base: &str) -> Vec<Value> {
    let mut all = Vec::new();
    for page in 1.. {
        let v: Value = http
            .get(format!(
                "{base}{CALLS}?per_page=100&page={page}&sort=created_at:desc"
            ))
            .bearer_auth(TOKEN)
            .send()
            .await
            .expect("list")
            .json()
            .await
            .expect("json");
        let got = v["data"]["voice_calls"].as_array().expect("calls").clone();
        if got.is_empty() {
            return all;
        }
        all.extend(got);
    }
    all
}

fn summary_of(call: &Value) -> String {
    call["call_summary"]
        .as_str()
        .unwrap_or_default()
        .to_string()
}

/// What one writer knows: the last summary acknowledged per call, and the one it had sent
/// without an answer when the server died (it may or may not have been committed).
#[derive(Default)]
struct Writer {
    acked: HashMap<String, String>,
    in_flight: Option<(String, String)>,
}

/// Sends updates to its own calls, one at a time, until a request fails (the server died).
async fn write_until_killed(
    http: reqwest::Client,
    base: String,
    mine: Vec<Value>,
    tag: String,
    acks: Arc<AtomicUsize>,
) -> Writer {
    let mut w = Writer::default();
    for n in 0.. {
        let call = &mine[n % mine.len()];
        let uid = call["uid"].as_str().expect("uid").to_string();
        let summary = format!("{tag} update {n}");
        let parsed = serde_json::from_value(call.clone()).expect("a call");
        let mut body = serde_json::to_value(bodies::complete_body(&parsed)).expect("json");
        body["call_summary"] = json!(summary);
        w.in_flight = Some((uid.clone(), summary.clone()));
        let sent = http
            .put(format!("{base}{CALLS}/{uid}"))
            .bearer_auth(TOKEN)
            .json(&body)
            .send()
            .await;
        match sent {
            Ok(resp) if resp.status() == reqwest::StatusCode::OK => {
                w.acked.insert(uid, summary);
                w.in_flight = None;
                acks.fetch_add(1, Ordering::SeqCst);
            }
            Ok(resp) => panic!("a PUT was answered {}", resp.status()),
            Err(_) => return w,
        }
    }
    w
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_acknowledged_update_survives_kill_9() {
    let dir = tempfile::tempdir().expect("tempdir");
    let file = dir.path().join("calls.sqlite3");
    let http = client();
    // uid -> the summary that must be there, and what else may be (an unanswered write).
    let mut must: HashMap<String, String> = HashMap::new();
    let mut may: HashMap<String, String> = HashMap::new();
    let mut total_acked = 0;
    for round in 0..ROUNDS {
        let server = serve(&file, (round == 0).then_some(200));
        let base = server.base.clone();
        let all = calls(&http, &base).await;
        assert_eq!(all.len(), 200, "round {round}: the database holds the seed");
        check(&all, &must, &may, round);
        // What the server holds now passed the check: it is the baseline from here on.
        must = all
            .iter()
            .map(|c| (c["uid"].as_str().expect("uid").to_string(), summary_of(c)))
            .collect();
        may.clear();

        let acks = Arc::new(AtomicUsize::new(0));
        let per = all.len() / WRITERS;
        let tasks: Vec<_> = (0..WRITERS)
            .map(|i| {
                let mine = all[i * per..(i + 1) * per].to_vec();
                let tag = format!("round {round} writer {i}");
                tokio::spawn(write_until_killed(
                    http.clone(),
                    base.clone(),
                    mine,
                    tag,
                    acks.clone(),
                ))
            })
            .collect();
        // The moment is a count of acknowledged writes, picked at random: writes are in
        // flight on every writer then, some answered, some not.
        let kill_after = fastrand::usize(20..120);
        let deadline = Instant::now() + Duration::from_secs(30);
        while acks.load(Ordering::SeqCst) < kill_after {
            assert!(Instant::now() < deadline, "the writers stalled");
            tokio::time::sleep(Duration::from_millis(2)).await;
        }
        drop(server); // SIGKILL
        for task in tasks {
            let w = task.await.expect("writer");
            total_acked += w.acked.len();
            must.extend(w.acked);
            if let Some((uid, summary)) = w.in_flight {
                may.insert(uid, summary);
            }
        }
    }
    let server = serve(&file, None);
    let all = calls(&http, &server.base).await;
    check(&all, &must, &may, ROUNDS);
    assert!(
        total_acked >= ROUNDS * 20,
        "{total_acked} writes acknowledged"
    );
}

/// Every call has its last acknowledged summary, or the one written but unanswered.
fn check(
    all: &[Value],
    must: &HashMap<String, String>,
    may: &HashMap<String, String>,
    round: usize,
) {
    let stored: HashMap<&str, String> = all
        .iter()
        .map(|c| (c["uid"].as_str().expect("uid"), summary_of(c)))
        .collect();
    let lost: Vec<_> = must
        .iter()
        .filter(|(uid, summary)| {
            let now = stored.get(uid.as_str());
            now != Some(*summary) && now != may.get(*uid)
        })
        .collect();
    assert!(
        lost.is_empty(),
        "after round {round}: {} acknowledged updates lost, e.g. {:?}",
        lost.len(),
        lost.first()
    );
}

#[cfg(unix)]
#[test]
fn sighup_stops_serve_cleanly() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut server = serve(&dir.path().join("calls.sqlite3"), Some(10));
    let sent = Command::new("kill")
        .args(["-HUP", &server.id().to_string()])
        .status()
        .expect("kill");
    assert!(sent.success());
    let status = server.wait_exit();
    assert!(
        status.success(),
        "serve ended by SIGHUP without a clean stop: {status}"
    );
}
