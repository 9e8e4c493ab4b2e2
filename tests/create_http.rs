//! Recording a call-back over real HTTP: the embedded server's `POST
//! /v3/communication/voice_calls` (the body it receives for each outcome, what it stores and
//! lists, its 422s, its idempotent re-send) and the client's read-back of a POST whose answer
//! was lost (`domain::callback::record`).

use std::time::Duration;

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use callconsole::api::{ApiClient, ClientOptions, VoiceCall};
use callconsole::config::secret::Secret;
use callconsole::domain::callback::{self, CallBack, Outcome, RecordError};
use callconsole::server::RunningServer;

#[path = "support/bodies.rs"]
mod bodies;
#[path = "support/http.rs"]
mod http;

use http::CALLS;

async fn server(faults: &[&str]) -> RunningServer {
    let mut opts = http::options(20);
    opts.faults = faults.iter().map(|f| f.parse().expect("fault")).collect();
    http::start(opts).await
}

fn client(server: &RunningServer) -> ApiClient {
    let mut opts = ClientOptions::new(
        url::Url::parse(&server.base_url()).expect("url"),
        Secret::new(server.token()),
    );
    opts.retry_base = Duration::from_millis(10);
    ApiClient::new(opts).expect("client")
}

/// A call-back to a number no seeded call has.
fn callback(server: &RunningServer, outcome: Outcome, to: &str) -> CallBack {
    CallBack {
        outcome,
        from_number: "+14155550100".into(),
        to_number: to.into(),
        staff_uid: "staff-9".into(),
        client_uid: "client-9".into(),
        business_uid: server.business_uid(),
        note: Some("Rebooked to Monday".into()),
        duration: Some(125),
        external_uuid: callback::fresh_external_uuid(),
    }
}

fn last_post(server: &RunningServer) -> Value {
    let bodies = server.post_bodies();
    serde_json::from_slice(bodies.last().expect("a POST body")).expect("JSON body")
}

/// A raw POST with the server's token.
async fn post(server: &RunningServer, body: &Value) -> (StatusCode, Value) {
    http::send(server, Method::POST, CALLS, Some(body)).await
}

async fn total(server: &RunningServer) -> u64 {
    let (status, stats) = http::get(server, &format!("{CALLS}/reports/voice_call_stats")).await;
    assert_eq!(status, StatusCode::OK, "{stats}");
    stats["data"]["total_voice_calls"].as_u64().expect("total")
}

#[tokio::test]
async fn each_outcome_posts_the_contracts_body_and_the_call_is_stored_and_listed() {
    let server = server(&[]).await;
    let client = client(&server);
    let before = server.call_count();
    let counted = total(&server).await;
    for (i, outcome) in Outcome::ALL.into_iter().enumerate() {
        let to = format!("+1415555099{i}");
        let cb = callback(&server, outcome, &to);
        let made: VoiceCall = callback::record(&client, &cb).await.expect("recorded");

        let sent = last_post(&server);
        assert_eq!(sent["direction"], "OUTBOUND");
        assert_eq!(sent["status"], outcome.status());
        assert!(sent["rate"].is_string(), "rate is a string: {sent}");
        assert_eq!(sent["duration"], json!(125), "duration is a number");
        assert_eq!(sent["provider"], "VONAGE");
        assert_eq!(sent["from_number"], "+14155550100");
        assert_eq!(sent["to_number"], to.as_str());
        assert_eq!(sent["business_uid"], server.business_uid().as_str());
        assert_eq!(sent["external_uuid"], cb.external_uuid.as_str());
        let expected_status = match outcome {
            Outcome::Reached => "ANSWERED_BY_STAFF",
            Outcome::Voicemail | Outcome::NoAnswer => "MISSED",
        };
        assert_eq!(sent["status"], expected_status);

        // The answer, a GET and the list all show the same new call.
        let uid = made.uid.clone().expect("a uid");
        assert_eq!(
            made.external_uuid.as_deref(),
            Some(cb.external_uuid.as_str())
        );
        assert!(made.created_at.is_some() && made.created_at == made.updated_at);
        let (status, got) = http::get(&server, &format!("{CALLS}/{uid}")).await;
        assert_eq!(status, StatusCode::OK, "{got}");
        let got = &got["data"];
        assert_eq!(got["direction"], "OUTBOUND");
        assert_eq!(got["status"], expected_status);
        assert_eq!(got["duration"], json!(125));
        assert_eq!(got["call_summary"], cb.summary().as_str());
        assert_eq!(got["to_number"], to.as_str());
        let listed = http::list(
            &server,
            &format!("filter[to_number]={}", to.replace('+', "%2B")),
        )
        .await;
        assert_eq!(http::uids(&listed), std::slice::from_ref(&uid));
        let newest = http::list(&server, "sort=created_at:desc&per_page=1").await;
        assert_eq!(http::uids(&newest), [uid], "the newest call");
        assert_eq!(
            Outcome::of(
                &serde_json::from_value::<callconsole::api::VoiceCall>(got.clone())
                    .expect("a call")
            ),
            Some(outcome),
            "the outcome reads back"
        );
    }
    assert_eq!(server.call_count(), before + 3);
    assert_eq!(total(&server).await, counted + 3, "the stats count them");
}

#[tokio::test]
async fn a_broken_body_is_a_422_naming_each_field_and_creates_nothing() {
    let server = server(&[]).await;
    let before = server.call_count();
    let cb = callback(&server, Outcome::Reached, "+14155550990");
    let mut body = serde_json::to_value(cb.body().expect("valid")).expect("json");
    body["to_number"] = json!("415 555");
    body["rate"] = json!(0);
    body["direction"] = json!("outbound");
    body["business_uid"] = json!("another-business");
    body["duration"] = json!("2:05");
    body.as_object_mut().expect("object").remove("provider");
    let (status, answer) = post(&server, &body).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{answer}");
    assert_eq!(answer["success"], false);
    let mut named: Vec<&str> = answer["errors"]
        .as_array()
        .expect("errors")
        .iter()
        .map(|e| e["field"].as_str().expect("a field"))
        .collect();
    named.sort_unstable();
    assert_eq!(
        named,
        [
            "business_uid",
            "direction",
            "duration",
            "provider",
            "rate",
            "to_number"
        ]
    );
    assert!(
        answer["errors"]
            .as_array()
            .expect("errors")
            .iter()
            .all(|e| e["message"]
                .as_str()
                .is_some_and(|m| m.starts_with(e["field"].as_str().unwrap_or("?")))),
        "{answer}"
    );
    let (status, _) = post(&server, &json!([1, 2])).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(server.call_count(), before, "nothing created");

    // Through the client: the server's refusal, by field, and nothing to send again.
    let client = client(&server);
    let wrong_business = CallBack {
        business_uid: "another-business".into(),
        ..cb
    };
    let refused = callback::record::<VoiceCall>(&client, &wrong_business)
        .await
        .expect_err("refused");
    assert!(matches!(refused, RecordError::Refused(_)), "{refused:?}");
    let fields: Vec<String> = refused.fields().into_iter().map(|(f, _)| f).collect();
    assert_eq!(fields, ["business_uid"]);
    assert!(!refused.send_again());
    assert_eq!(server.call_count(), before, "nothing created");
    assert_eq!(server.requests("POST"), 3);
}

#[tokio::test]
async fn the_same_external_uuid_twice_creates_one_call() {
    let server = server(&[]).await;
    let before = server.call_count();
    let cb = callback(&server, Outcome::NoAnswer, "+14155550991");
    let body = serde_json::to_value(cb.body().expect("valid")).expect("json");
    let (first, a) = post(&server, &body).await;
    let (second, b) = post(&server, &body).await;
    assert_eq!((first, second), (StatusCode::OK, StatusCode::OK), "{a} {b}");
    assert_eq!(a["data"]["uid"], b["data"]["uid"]);
    assert_eq!(a["data"], b["data"], "the same call answered");
    assert_eq!(server.call_count(), before + 1);
    let listed = http::list(&server, "filter[to_number]=%2B14155550991").await;
    assert_eq!(listed.len(), 1);
}

#[tokio::test]
async fn a_post_whose_answer_was_lost_is_found_by_the_read_back_and_not_made_twice() {
    // The server creates the call, then the answer is cut off half way.
    let server = server(&["truncate:method=POST"]).await;
    let client = client(&server);
    let before = server.call_count();
    let cb = callback(&server, Outcome::Reached, "+14155550992");
    let made: VoiceCall = callback::record(&client, &cb)
        .await
        .expect("found by the read-back");
    assert_eq!(
        made.external_uuid.as_deref(),
        Some(cb.external_uuid.as_str())
    );
    assert_eq!(server.requests("POST"), 1, "never sent again");
    assert_eq!(server.call_count(), before + 1);
    let looked = server.seen(CALLS);
    let read = looked.last().expect("the read-back");
    assert_eq!(read.method, "GET");
    let query = read.query.as_deref().unwrap_or_default();
    assert!(
        query.contains("filter%5Bto_number%5D=%2B14155550992")
            && query.contains("sort=created_at%3Adesc"),
        "{query}"
    );

    // Sent again (the console offers a kept outcome again): still one call.
    server.set_faults(Vec::new());
    let again: VoiceCall = callback::record(&client, &cb).await.expect("answered");
    assert_eq!(again.uid, made.uid);
    assert_eq!(server.call_count(), before + 1);
}

#[tokio::test]
async fn a_post_that_created_nothing_says_send_again_and_then_records_once() {
    // A proxy's 502: the server never saw it.
    let server = server(&["status=502:method=POST"]).await;
    let client = client(&server);
    let before = server.call_count();
    let cb = callback(&server, Outcome::Voicemail, "+14155550993");
    let lost = callback::record::<VoiceCall>(&client, &cb)
        .await
        .expect_err("not recorded");
    assert!(matches!(lost, RecordError::NotRecorded(_)), "{lost:?}");
    assert!(lost.send_again());
    assert!(lost.to_string().contains("send it again"), "{lost}");
    assert_eq!(server.requests("POST"), 1, "a POST is never retried");
    assert_eq!(server.call_count(), before);

    // The list cannot be read either: not known, and said so.
    server.set_faults(vec![
        "status=502:method=POST".parse().expect("fault"),
        "status=500:method=GET".parse().expect("fault"),
    ]);
    let unknown = callback::record::<VoiceCall>(&client, &cb)
        .await
        .expect_err("unconfirmed");
    assert!(
        matches!(unknown, RecordError::Unconfirmed { .. }),
        "{unknown:?}"
    );
    assert!(!unknown.send_again());

    server.set_faults(Vec::new());
    let made: VoiceCall = callback::record(&client, &cb).await.expect("recorded");
    assert!(made.uid.is_some());
    assert_eq!(server.call_count(), before + 1);
}

#[tokio::test]
async fn a_post_without_the_token_is_refused_and_creates_nothing() {
    let server = server(&[]).await;
    let before = server.call_count();
    let cb = callback(&server, Outcome::Reached, "+14155550994");
    callconsole::api::client::install_tls();
    let resp = reqwest::Client::new()
        .post(format!("{}{CALLS}", server.base_url()))
        .json(&cb.body().expect("valid"))
        .send()
        .await
        .expect("request");
    assert_eq!(resp.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(server.call_count(), before);
}
