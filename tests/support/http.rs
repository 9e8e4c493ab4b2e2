//! Shared by the tests that talk HTTP to the embedded server in-process: its options, starting
//! it, and requests that check the JSON envelope on the way back.
// Each test binary that includes this uses a different part of it.
#![allow(dead_code)]

use callconsole::server::{self, RunningServer, ServerOptions};
use reqwest::StatusCode;
use serde_json::Value;

use super::bodies;

pub const CALLS: &str = "/v3/communication/voice_calls";

pub fn options(seed: usize) -> ServerOptions {
    ServerOptions {
        port: 0,
        token: "test-token".into(),
        data_file: None,
        import_json: None,
        seed_count: Some(seed),
        legacy_stats_only: false,
        faults: Vec::new(),
    }
}

pub async fn start(opts: ServerOptions) -> RunningServer {
    server::start(opts).await.expect("server starts")
}

pub async fn send(
    server: &RunningServer,
    method: reqwest::Method,
    path: &str,
    body: Option<&Value>,
) -> (StatusCode, Value) {
    let mut req = {
        callconsole::api::client::install_tls();
        reqwest::Client::new()
    }
    .request(method, format!("{}{path}", server.base_url()))
    .bearer_auth(server.token())
    .header("X-On-Behalf-Of", "biz-123");
    if let Some(b) = body {
        req = req.json(b);
    }
    let resp = req.send().await.expect("request");
    let status = resp.status();
    let ct = resp.headers()[reqwest::header::CONTENT_TYPE]
        .to_str()
        .expect("ASCII content type")
        .to_string();
    assert!(
        ct.starts_with("application/json"),
        "{path}: content type {ct}"
    );
    (status, resp.json().await.expect("JSON body"))
}

pub async fn get(server: &RunningServer, path: &str) -> (StatusCode, Value) {
    send(server, reqwest::Method::GET, path, None).await
}

pub async fn list(server: &RunningServer, query: &str) -> Vec<Value> {
    let (status, body) = get(server, &format!("{CALLS}?{query}")).await;
    assert_eq!(status, StatusCode::OK, "{query}: {body}");
    assert_eq!(body["success"], true);
    body["data"]["voice_calls"]
        .as_array()
        .expect("voice_calls array")
        .clone()
}

pub fn uids(calls: &[Value]) -> Vec<String> {
    calls
        .iter()
        .map(|c| c["uid"].as_str().expect("uid string").to_string())
        .collect()
}

pub fn first_error(body: &Value) -> &str {
    assert_eq!(body["success"], false, "{body}");
    body["errors"][0]["message"]
        .as_str()
        .expect("error message")
}

/// A valid UpdateVoiceCall body built from a call as the server answered it.
pub fn update_body(call: &Value) -> Value {
    let call = serde_json::from_value(call.clone()).expect("a call");
    serde_json::to_value(bodies::complete_body(&call)).expect("json")
}
