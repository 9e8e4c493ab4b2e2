//! The server refuses a change based on a copy someone changed since (HTTP preconditions),
//! and the client asks it to: a colleague's change that lands between the console's check and
//! its PUT is never written over, judged by what the embedded server holds.

use callconsole::api::{ApiError, VoiceCall};
use callconsole::domain::save;
use serde_json::Value;

#[path = "support/bodies.rs"]
mod bodies;
#[path = "support/drive.rs"]
mod drive;

async fn first_call(client: &callconsole::api::ApiClient) -> VoiceCall {
    let page = client.list(&Default::default()).await.result.expect("list");
    page.calls.into_iter().next().expect("a call")
}

fn body(call: &VoiceCall, summary: &str) -> Value {
    let mut body = bodies::complete_body(call);
    body.call_summary = summary.to_string();
    serde_json::to_value(body).expect("json")
}

/// The console read the call, a colleague changed it (within the same second, even), then the
/// console's PUT goes out based on what it read, with the tag it came with: the server answers
/// 412, the console calls it a conflict, and the server still holds the colleague's change.
#[tokio::test]
async fn a_change_that_lands_between_the_check_and_the_put_is_not_written_over() {
    let (_server, client) = drive::server_and_client(Some(20), &[]).await;
    let listed = first_call(&client).await;
    let uid = listed.uid.clone().expect("uid");
    // The console's check: the call and its tag.
    let (check, etag) = client.get_json_tagged(&uid).await;
    let read: VoiceCall = serde_json::from_value(check.result.expect("read")).expect("a call");
    assert!(etag.is_some(), "the server tags what it answers");
    // The colleague, after the console's check.
    client
        .update(
            &uid,
            &bodies::complete_body(&VoiceCall {
                call_summary: Some("theirs".into()),
                ..read.clone()
            }),
        )
        .await
        .result
        .expect("their save");
    let mine: callconsole::api::Answer<VoiceCall> = save::put_tagged(
        &client,
        &uid,
        &body(&read, "mine"),
        read.updated_at.as_deref(),
        etag.as_deref(),
    )
    .await;
    assert_eq!(mine.exchange.status, Some(412));
    assert_eq!(mine.result.expect_err("refused"), ApiError::PutConflict);
    let now = client.get(&uid).await.result.expect("get");
    assert_eq!(now.call_summary.as_deref(), Some("theirs"), "theirs kept");
}

/// The server's side of it, over raw HTTP: an `ETag` on every call it answers, `If-Match`
/// with it passes and with an old one fails, `If-Unmodified-Since` before the last change
/// fails, a date that is not one is a 400; nothing is written by a refused PUT.
#[tokio::test]
async fn the_server_checks_if_match_and_if_unmodified_since() {
    let (server, client) = drive::server_and_client(Some(20), &[]).await;
    let read = first_call(&client).await;
    let uid = read.uid.clone().expect("uid");
    let url = format!("{}/v3/communication/voice_calls/{uid}", server.base_url());
    let http = reqwest::Client::new();
    let got = http.get(&url).bearer_auth("t").send().await.expect("get");
    let tag = got
        .headers()
        .get("etag")
        .and_then(|v| v.to_str().ok())
        .map(str::to_string)
        .expect("an ETag");
    let put = |summary: &str, header: (&'static str, String)| {
        http.put(&url)
            .bearer_auth("t")
            .header(header.0, header.1)
            .json(&body(&read, summary))
            .send()
    };
    let ok = put("first", ("if-match", tag.clone())).await.expect("put");
    assert_eq!(ok.status().as_u16(), 200);
    let new_tag = ok
        .headers()
        .get("etag")
        .and_then(|v| v.to_str().ok())
        .map(str::to_string);
    assert!(
        new_tag.is_some() && new_tag.as_deref() != Some(tag.as_str()),
        "a new tag"
    );

    let stale = put("second", ("if-match", tag)).await.expect("put");
    assert_eq!(stale.status().as_u16(), 412);
    let envelope: Value = stale.json().await.expect("json");
    assert!(
        envelope.to_string().contains("precondition_failed"),
        "{envelope}"
    );

    let long_ago = "Mon, 01 Jan 2024 00:00:00 GMT".to_string();
    let old = put("third", ("if-unmodified-since", long_ago))
        .await
        .expect("put");
    assert_eq!(old.status().as_u16(), 412);
    let junk = put("fourth", ("if-unmodified-since", "soon".into()))
        .await
        .expect("put");
    assert_eq!(junk.status().as_u16(), 400);

    let now = client.get(&uid).await.result.expect("get");
    assert_eq!(
        now.call_summary.as_deref(),
        Some("first"),
        "no refused PUT was written"
    );
}
