//! The embedded API server over real HTTP on 127.0.0.1, writing and keeping: PUT validation
//! and storage, the database across restarts and between them, writes it cannot keep, where the calls come from at
//! start, and a port already in use.

use callconsole::server::{self, ServerError, ServerOptions};
use reqwest::StatusCode;
use serde_json::json;

#[path = "support/bodies.rs"]
mod bodies;
#[path = "support/http.rs"]
mod http;

use http::{CALLS, get, list, options, send, start, update_body};

#[tokio::test]
async fn put_stores_the_update_and_tracks_handling() {
    let server = start(options(60)).await;
    let call = list(&server, "filter[status]=MISSED&per_page=1").await[0].clone();
    let uid = call["uid"].as_str().unwrap();
    let path = format!("{CALLS}/{uid}");

    let mut body = update_body(&call);
    body["status"] = json!("MISSED_CALL_HANDLED");
    body["handled_by_staff_uid"] = json!("staff-me");
    body["call_summary"] = json!("Called back, booked Friday.");
    let (status, answer) = send(&server, reqwest::Method::PUT, &path, Some(&body)).await;
    assert_eq!(status, StatusCode::OK, "{answer}");
    let stored = &answer["data"];
    assert_eq!(stored["status"], "MISSED_CALL_HANDLED");
    assert_eq!(stored["handled_by_staff_uid"], "staff-me");
    // Every field as sent, the ones the API does not send back included.
    for (field, value) in body.as_object().expect("object") {
        assert_eq!(&stored[field], value, "{field}");
    }
    let updated = stored["updated_at"].as_str().unwrap().to_string();
    assert!(updated.as_str() > call["updated_at"].as_str().unwrap());
    assert!(updated.ends_with('Z') && updated.len() == 24, "{updated}");
    let handled_at = stored["handled_at"]
        .as_str()
        .expect("handled_at set")
        .to_string();

    let (_, again) = get(&server, &path).await;
    assert_eq!(&again["data"], stored);

    // Still handled: handled_at stays; updated_at still moves forward.
    let (_, second) = send(&server, reqwest::Method::PUT, &path, Some(&body)).await;
    assert_eq!(second["data"]["handled_at"], handled_at.as_str());
    assert!(second["data"]["updated_at"].as_str().unwrap() > updated.as_str());

    // Undo: back to MISSED without a handler clears both.
    body["status"] = json!("MISSED");
    body.as_object_mut().unwrap().remove("handled_by_staff_uid");
    let (_, undone) = send(&server, reqwest::Method::PUT, &path, Some(&body)).await;
    assert!(undone["data"]["handled_at"].is_null());
    assert!(undone["data"]["handled_by_staff_uid"].is_null());
    server.shutdown().await;
}

#[tokio::test]
async fn put_rejects_bad_bodies_field_by_field() {
    let server = start(options(10)).await;
    let call = list(&server, "per_page=1").await[0].clone();
    let path = format!("{CALLS}/{}", call["uid"].as_str().unwrap());

    let mut body = update_body(&call);
    body["from_number"] = json!("415");
    body["rate"] = json!(0.05);
    let (status, answer) = send(&server, reqwest::Method::PUT, &path, Some(&body)).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(
        answer["errors"],
        json!([
            {"code": "invalid_field", "field": "from_number", "message": "from_number must be E.164, like +14155550148 (got \"415\")"},
            {"code": "invalid_field", "field": "rate", "message": "rate must be a string like \"0.05\" (got 0.05)"}
        ])
    );
    let (_, unchanged) = get(&server, &path).await;
    assert_eq!(unchanged["data"], call, "a rejected PUT changes nothing");

    let raw = {
        callconsole::api::client::install_tls();
        reqwest::Client::new()
    }
    .put(format!("{}{path}", server.base_url()))
    .bearer_auth(server.token())
    .body("{not json")
    .send()
    .await
    .unwrap();
    assert_eq!(raw.status(), StatusCode::BAD_REQUEST);
    let (status, _) = send(&server, reqwest::Method::PUT, &path, Some(&json!([1]))).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    let (status, _) = send(
        &server,
        reqwest::Method::PUT,
        &format!("{CALLS}/nope"),
        Some(&update_body(&call)),
    )
    .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    server.shutdown().await;
}

#[tokio::test]
async fn edits_survive_a_restart() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("nested/calls.json");
    let server = start(ServerOptions {
        data_file: Some(file.clone()),
        ..options(30)
    })
    .await;
    assert!(file.exists(), "seeded data is written at start");
    let call = list(&server, "per_page=1").await[0].clone();
    let path = format!("{CALLS}/{}", call["uid"].as_str().unwrap());
    let mut body = update_body(&call);
    body["call_summary"] = json!("Edited before the restart.");
    let (status, _) = send(&server, reqwest::Method::PUT, &path, Some(&body)).await;
    assert_eq!(status, StatusCode::OK);
    server.shutdown().await;

    let server = start(ServerOptions {
        data_file: Some(file.clone()),
        seed_count: None,
        ..options(0)
    })
    .await;
    assert_eq!(server.call_count(), 30);
    let (_, after) = get(&server, &path).await;
    assert_eq!(after["data"]["call_summary"], "Edited before the restart.");
    assert_eq!(after["data"]["price"], "1.50");
    server.shutdown().await;

    // A file that is no database, nor the older JSON layout, is refused, not overwritten.
    std::fs::write(&file, "{\"version\":1,\"calls\":[{\"uid\":").unwrap();
    let err = server::start(ServerOptions {
        data_file: Some(file.clone()),
        seed_count: None,
        ..options(0)
    })
    .await
    .expect_err("corrupt file refused");
    assert!(matches!(err, ServerError::DataCorrupt { .. }));
    let msg = err.to_string();
    assert!(
        msg.contains(&file.display().to_string()) && msg.contains("delete it"),
        "{msg}"
    );
}

#[tokio::test]
async fn an_acknowledged_edit_is_in_the_database_before_the_answer() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("calls.sqlite3");
    let server = start(ServerOptions {
        data_file: Some(file.clone()),
        ..options(5)
    })
    .await;
    let call = list(&server, "per_page=1").await[0].clone();
    let path = format!("{CALLS}/{}", call["uid"].as_str().unwrap());
    let mut body = update_body(&call);
    body["call_summary"] = json!("Committed before the 200.");
    let (status, _) = send(&server, reqwest::Method::PUT, &path, Some(&body)).await;
    assert_eq!(status, StatusCode::OK);
    // A second server on the same file, with the first still running and no shutdown, reads
    // the edit: it was committed when the first answered.
    let other = start(ServerOptions {
        data_file: Some(file.clone()),
        seed_count: None,
        ..options(0)
    })
    .await;
    let (_, after) = get(&other, &path).await;
    assert_eq!(after["data"]["call_summary"], "Committed before the 200.");
    other.shutdown().await;
    server.shutdown().await;
}

#[tokio::test]
async fn a_write_that_cannot_be_kept_is_answered_5xx_not_200() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("calls.sqlite3");
    let server = start(ServerOptions {
        data_file: Some(file.clone()),
        ..options(5)
    })
    .await;
    let call = list(&server, "per_page=1").await[0].clone();
    let path = format!("{CALLS}/{}", call["uid"].as_str().unwrap());
    let mut body = update_body(&call);
    body["call_summary"] = json!("Never kept.");
    server.refuse_writes(true);
    let (status, answer) = send(&server, reqwest::Method::PUT, &path, Some(&body)).await;
    assert!(status.is_server_error(), "{status}: {answer}");
    assert_eq!(answer["success"], false);
    assert_eq!(answer["errors"][0]["code"], "not_saved");
    let message = answer["errors"][0]["message"].as_str().unwrap();
    assert!(message.contains("NOT saved"), "{message}");
    // Nothing changed, and reads still work.
    let (status, now) = get(&server, &path).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(now["data"]["call_summary"], call["call_summary"]);
    server.refuse_writes(false);
    let (status, _) = send(&server, reqwest::Method::PUT, &path, Some(&body)).await;
    assert_eq!(status, StatusCode::OK);
    server.shutdown().await;
}

#[tokio::test]
async fn an_older_json_data_file_is_imported_once() {
    let dir = tempfile::tempdir().unwrap();
    let json_file = dir.path().join("demo-calls.json");
    let source = start(options(7)).await;
    let calls = list(&source, "per_page=100").await;
    source.shutdown().await;
    let mut edited = calls[0].clone();
    edited["call_summary"] = json!("Edited under the JSON file.");
    let mut all = calls.clone();
    all[0] = edited;
    std::fs::write(
        &json_file,
        serde_json::to_vec(&json!({"version": 1, "calls": all})).unwrap(),
    )
    .unwrap();

    // Beside a new database (demo mode's demo-calls.json)…
    let db_file = dir.path().join("demo-calls.sqlite3");
    let server = start(ServerOptions {
        data_file: Some(db_file.clone()),
        import_json: Some(json_file.clone()),
        seed_count: None,
        ..options(0)
    })
    .await;
    assert_eq!(server.call_count(), 7);
    let path = format!("{CALLS}/{}", calls[0]["uid"].as_str().unwrap());
    let (_, got) = get(&server, &path).await;
    assert_eq!(got["data"]["call_summary"], "Edited under the JSON file.");
    server.shutdown().await;
    // …and only the first time: the database is what counts from then on.
    std::fs::write(&json_file, "{\"version\":1,\"calls\":[]}").unwrap();
    let server = start(ServerOptions {
        data_file: Some(db_file.clone()),
        import_json: Some(json_file.clone()),
        seed_count: None,
        ..options(0)
    })
    .await;
    assert_eq!(server.call_count(), 7);
    server.shutdown().await;

    // A JSON data file named by --data itself becomes a database, the JSON kept beside it.
    let named = dir.path().join("calls.json");
    std::fs::write(
        &named,
        serde_json::to_vec(&json!({"version": 1, "calls": calls})).unwrap(),
    )
    .unwrap();
    let server = start(ServerOptions {
        data_file: Some(named.clone()),
        seed_count: None,
        ..options(0)
    })
    .await;
    assert_eq!(server.call_count(), 7);
    server.shutdown().await;
    assert!(dir.path().join("calls.json.v1.json").exists());
}

#[tokio::test]
async fn port_in_use_is_a_clear_error() {
    let server = start(options(1)).await;
    let err = server::start(ServerOptions {
        port: server.addr().port(),
        ..options(1)
    })
    .await
    .expect_err("port taken");
    assert!(matches!(err, ServerError::Bind { .. }));
    assert!(err.to_string().contains("choose another port"), "{err}");
    server.shutdown().await;
}

#[tokio::test]
async fn defaults_to_the_demo_set_in_memory() {
    let server = start(ServerOptions {
        seed_count: None,
        ..options(0)
    })
    .await;
    assert_eq!(server.call_count(), 320);
    assert!(server.base_url().starts_with("http://127.0.0.1:"));
    server.shutdown().await;
}
