//! `PUT /v3/communication/voice_call_recordings/{uid}` against the embedded server: it marks
//! the call's recording played (committed, the call's `updated_at` moved), refuses an unknown
//! recording (404) and a body without a boolean `recording_played` (422); the client's
//! `recording_played` and the console's `O` send it, `O` only once per recording.

use callconsole::api::CallFields;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

#[path = "support/bodies.rs"]
mod bodies;
#[path = "support/drive.rs"]
mod drive;
#[path = "support/http.rs"]
mod http;
#[path = "support/triage.rs"]
mod triage;

const RECORDINGS: &str = "/v3/communication/voice_call_recordings";

/// The first call in the server's list that has a recording not yet played.
async fn unplayed(server: &callconsole::server::RunningServer) -> Value {
    http::list(server, "per_page=100")
        .await
        .into_iter()
        .find(|c| c["recording"]["recording_played"] == false)
        .expect("a call with an unplayed recording")
}

#[tokio::test]
async fn put_sets_played_commits_and_answers_the_call() {
    let server = http::start(http::options(60)).await;
    let call = unplayed(&server).await;
    let uid = call["uid"].as_str().expect("uid");
    let rec = call["recording"]["uid"].as_str().expect("recording uid");
    let (status, body) = http::send(
        &server,
        Method::PUT,
        &format!("{RECORDINGS}/{rec}"),
        Some(&json!({"recording_played": true})),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["success"], true);
    assert_eq!(body["data"]["uid"], uid, "the answer is the call");
    assert_eq!(body["data"]["recording"]["recording_played"], true);
    assert!(
        body["data"]["updated_at"].as_str() > call["updated_at"].as_str(),
        "updated_at moves: {} then {}",
        call["updated_at"],
        body["data"]["updated_at"]
    );
    let (_, read) = http::get(&server, &format!("{}/{uid}", http::CALLS)).await;
    assert_eq!(read["data"]["recording"]["recording_played"], true, "kept");
    assert_eq!(read["data"]["updated_at"], body["data"]["updated_at"]);
    // And back: false is a value too.
    let (status, body) = http::send(
        &server,
        Method::PUT,
        &format!("{RECORDINGS}/{rec}"),
        Some(&json!({"recording_played": false})),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["data"]["recording"]["recording_played"], false);
}

#[tokio::test]
async fn unknown_recordings_bad_bodies_and_no_token_are_refused() {
    let server = http::start(http::options(30)).await;
    let call = unplayed(&server).await;
    let rec = call["recording"]["uid"].as_str().expect("recording uid");
    let path = format!("{RECORDINGS}/{rec}");

    let (status, body) = http::send(
        &server,
        Method::PUT,
        &format!("{RECORDINGS}/rec-nope"),
        Some(&json!({"recording_played": true})),
    )
    .await;
    assert_eq!(status, StatusCode::NOT_FOUND, "{body}");
    assert!(http::first_error(&body).contains("rec-nope"), "{body}");

    for bad in [
        json!({}),
        json!({"recording_played": "yes"}),
        json!({"recording_played": 1}),
    ] {
        let (status, body) = http::send(&server, Method::PUT, &path, Some(&bad)).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{bad}: {body}");
        assert_eq!(body["errors"][0]["field"], "recording_played", "{body}");
        assert!(http::first_error(&body).contains("true or false"), "{body}");
    }
    let (_, read) = http::get(
        &server,
        &format!("{}/{}", http::CALLS, call["uid"].as_str().unwrap_or("")),
    )
    .await;
    assert_eq!(read["data"], call, "a refused PUT changes nothing");

    let resp = reqwest::Client::new()
        .put(format!("{}{path}", server.base_url()))
        .json(&json!({"recording_played": true}))
        .send()
        .await
        .expect("request");
    assert_eq!(resp.status(), StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn the_client_marks_a_recording_played() {
    let (server, client) = drive::server_and_client(Some(40), &[]).await;
    let call = unplayed(&server).await;
    let rec = call["recording"]["uid"].as_str().expect("recording uid");
    let answer = client.recording_played(rec, true).await;
    let got = answer.result.expect("played");
    assert_eq!(got.uid.as_deref(), call["uid"].as_str());
    assert_eq!(
        got.recording.as_ref().and_then(|r| r.recording_played),
        Some(true)
    );
    let missing = client.recording_played("rec-nope", true).await;
    assert_eq!(missing.result.err().and_then(|e| e.status()), Some(404));
}

/// The console's `O` on an unplayed voicemail, pressed twice before the server answers: one
/// PUT reaches the server, which then holds the recording played; the answer's call is the
/// one shown, and a third `O` sends nothing more.
#[tokio::test]
async fn the_consoles_o_sends_the_put_once_even_pressed_twice() {
    use callconsole::domain::views::TabId;
    use crossterm::event::KeyCode;

    let (server, client, mut app) = triage::setup(200, TabId::FollowUp).await;
    let index = app
        .list()
        .calls()
        .iter()
        .position(|c| c.recording_played() == Some(false))
        .expect("an unplayed voicemail waiting");
    let keys = (0..index)
        .map(|_| triage::key(KeyCode::Char('j')))
        .collect();
    triage::press(&mut app, &client, keys).await;
    let call = app.selected_call().expect("selected").to_call();
    let rec = call
        .recording
        .as_ref()
        .and_then(|r| r.uid.clone())
        .expect("recording uid");

    let mut effects = app.update(triage::key(KeyCode::Char('O')));
    effects.extend(app.update(triage::key(KeyCode::Char('O'))));
    let mut driver = drive::Driver::new(&client);
    driver.perform(&mut app, effects).await;
    assert_eq!(driver.host.opened.len(), 2, "opened both times");

    let seen = server.seen(RECORDINGS);
    assert_eq!(seen.len(), 1, "{seen:?}");
    assert_eq!(seen[0].method, "PUT");
    assert_eq!(seen[0].path, format!("{RECORDINGS}/{rec}"));
    let bodies = server.put_bodies();
    let body: Value = serde_json::from_slice(bodies.last().expect("a body")).expect("json");
    assert_eq!(body, json!({"recording_played": true}));
    let (_, held) = http::get(
        &server,
        &format!("{}/{}", http::CALLS, call.uid.as_deref().unwrap_or("")),
    )
    .await;
    assert_eq!(held["data"]["recording"]["recording_played"], true);
    let shown = app.selected_call().expect("still selected");
    assert_eq!(shown.uid(), call.uid.as_deref());
    assert_eq!(
        shown.recording_played(),
        Some(true),
        "the answer's call is shown"
    );

    let effects = app.update(triage::key(KeyCode::Char('O')));
    driver.perform(&mut app, effects).await;
    assert_eq!(server.seen(RECORDINGS).len(), 1, "played: not sent again");
}
