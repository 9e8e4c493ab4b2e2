//! The client against the fault-injecting embedded server: for each fault, what the caller
//! sees, how many requests the server got, and that no change was lost or overwritten.

use std::time::{Duration, Instant};

use callconsole::api::{
    Answer, ApiClient, ApiError, ClientOptions, ListQuery, UpdateVoiceCall, VoiceCall,
};
use callconsole::config::secret::Secret;
use callconsole::domain::save;
use callconsole::server::{self, RunningServer, ServerOptions};
use callconsole::ui::format::exchange_short;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

#[path = "support/bodies.rs"]
mod bodies;

async fn faulty(faults: &[&str]) -> RunningServer {
    server::start(ServerOptions {
        port: 0,
        token: "t".into(),
        data_file: None,
        import_json: None,
        seed_count: Some(5),
        legacy_stats_only: false,
        faults: faults.iter().map(|f| f.parse().expect("fault")).collect(),
    })
    .await
    .expect("server starts")
}

/// A client with fast retries; `tune` changes the rest.
fn client(base: &str, tune: impl FnOnce(&mut ClientOptions)) -> ApiClient {
    let mut opts = ClientOptions::new(url::Url::parse(base).expect("url"), Secret::new("t"));
    opts.retry_base = Duration::from_millis(10);
    tune(&mut opts);
    ApiClient::new(opts).expect("client")
}

fn page() -> ListQuery {
    ListQuery {
        per_page: 5,
        ..ListQuery::default()
    }
}

/// The first call, read with a well-behaved client so faults on GET do not get in the way.
async fn first_call(server: &RunningServer) -> VoiceCall {
    let plain = client(&server.base_url(), |_| {});
    let calls = plain.list(&page()).await.result.expect("list").calls;
    calls.into_iter().next().expect("a call")
}

fn body(call: &VoiceCall, summary: &str) -> UpdateVoiceCall {
    UpdateVoiceCall {
        status: "MISSED_CALL_HANDLED".into(),
        call_summary: summary.into(),
        handled_by_staff_uid: call.staff_uid.clone(),
        ..bodies::complete_body(call)
    }
}

/// Saves `body` the way the console does, through the save policy: the change is based on
/// `call` as it was read, which is what a PUT that gets no answer is read back against.
async fn save_as_read(
    c: &ApiClient,
    call: &VoiceCall,
    body: &UpdateVoiceCall,
) -> Answer<VoiceCall> {
    let uid = call.uid.as_deref().expect("uid");
    let body = serde_json::to_value(body).expect("body");
    save::put(c, uid, &body, call.updated_at.as_deref()).await
}

#[tokio::test]
async fn a_503_is_tried_three_times_then_reported() {
    let server = faulty(&["status=503"]).await;
    let answer = client(&server.base_url(), |_| {}).list(&page()).await;
    let err = answer.result.expect_err("503");
    assert_eq!(err.to_string(), "HTTP 503: injected fault: HTTP 503");
    assert_eq!(answer.exchange.attempts, 3);
    let shown = exchange_short(&answer.exchange);
    assert!(shown.ends_with("after 3 tries"), "{shown}");
    assert_eq!(server.requests("GET"), 3);
}

#[tokio::test]
async fn one_failure_in_two_is_hidden_by_a_retry() {
    let server = faulty(&["status=503:rate=0.5"]).await;
    let answer = client(&server.base_url(), |_| {}).list(&page()).await;
    assert_eq!(answer.result.expect("second try").calls.len(), 5);
    assert_eq!(answer.exchange.attempts, 2);
    assert_eq!(server.requests("GET"), 2);
}

#[tokio::test]
async fn client_errors_are_never_retried() {
    let server = faulty(&["status=404:method=GET"]).await;
    let c = client(&server.base_url(), |_| {});
    let err = c.get("nope").await.result.expect_err("404");
    assert_eq!(err.status(), Some(404));
    assert_eq!(server.requests("GET"), 1);

    let bad = serde_json::json!({"status": "NOT_A_STATUS"});
    let answer = c.update_raw("whatever", &bad).await;
    assert!(
        matches!(answer.result, Err(ref e) if e.status() == Some(422) || e.status() == Some(404))
    );
    assert_eq!(answer.exchange.attempts, 1);
    assert_eq!(server.requests("PUT"), 1);
}

#[tokio::test]
async fn a_422_is_sent_once() {
    let server = faulty(&[]).await;
    let call = first_call(&server).await;
    let uid = call.uid.clone().expect("uid");
    let mut broken = body(&call, "x");
    broken.status = "NOT_A_STATUS".into();
    let err = client(&server.base_url(), |_| {})
        .update(&uid, &broken)
        .await
        .result
        .expect_err("422");
    assert_eq!(err.status(), Some(422), "{err}");
    assert_eq!(server.requests("PUT"), 1);
}

#[tokio::test]
async fn retry_after_is_waited_out() {
    let server = faulty(&["status=503:rate=0.5", "retry-after=1"]).await;
    let started = Instant::now();
    let answer = client(&server.base_url(), |_| {}).list(&page()).await;
    assert!(answer.result.is_ok(), "{:?}", answer.result);
    // The backoff alone is ~10 ms: only the header explains a second's wait.
    assert!(
        started.elapsed() >= Duration::from_secs(1),
        "{:?}",
        started.elapsed()
    );
    assert_eq!(server.requests("GET"), 2);
}

#[tokio::test]
async fn retry_after_past_a_minute_is_not_waited_and_says_until_when() {
    let server = faulty(&["status=429", "retry-after=120"]).await;
    let started = Instant::now();
    let answer = client(&server.base_url(), |_| {}).list(&page()).await;
    let text = answer.result.expect_err("429").to_string();
    assert!(
        text.starts_with("HTTP 429: the server asked to wait until ")
            && text.ends_with("; try again then"),
        "{text}"
    );
    let until = text
        .trim_start_matches("HTTP 429: the server asked to wait until ")
        .trim_end_matches("; try again then");
    assert!(
        chrono::NaiveTime::parse_from_str(until, "%H:%M:%S").is_ok(),
        "{until}"
    );
    assert!(started.elapsed() < Duration::from_secs(2));
    assert_eq!(server.requests("GET"), 1);
}

#[tokio::test]
async fn a_retried_put_sends_the_identical_body_and_lands_once() {
    let server = faulty(&["status=503:rate=0.5:method=PUT"]).await;
    let call = first_call(&server).await;
    let uid = call.uid.clone().expect("uid");
    let answer = client(&server.base_url(), |_| {})
        .update(&uid, &body(&call, "called back"))
        .await;
    let saved = answer.result.expect("saved on the second try");
    assert_eq!(saved.call_summary.as_deref(), Some("called back"));
    assert_eq!(answer.exchange.attempts, 2);
    let bodies = server.put_bodies();
    assert_eq!(bodies.len(), 2);
    assert_eq!(bodies[0], bodies[1]);
}

#[tokio::test]
async fn an_unanswered_put_that_landed_is_a_success_without_a_second_put() {
    // The change is applied, then the answer is held past the client's timeout.
    let server = faulty(&["latency=2s:method=PUT:after"]).await;
    let call = first_call(&server).await;
    let c = client(&server.base_url(), |o| {
        o.timeout = Duration::from_millis(400)
    });
    let saved = save_as_read(&c, &call, &body(&call, "landed"))
        .await
        .result
        .expect("the check shows it landed");
    assert_eq!(saved.call_summary.as_deref(), Some("landed"));
    assert_eq!(server.requests("PUT"), 1);
}

#[tokio::test]
async fn an_unanswered_put_overtaken_by_a_colleague_is_a_conflict_not_an_overwrite() {
    // Each PUT is applied at once and its answer held for 3 s; mine gives up after 1.5 s.
    let server = faulty(&["latency=3s:method=PUT:after"]).await;
    let call = first_call(&server).await;
    let uid = call.uid.clone().expect("uid");
    let mine = client(&server.base_url(), |o| {
        o.timeout = Duration::from_millis(1500)
    });
    let theirs = client(&server.base_url(), |_| {});

    let (my_body, their_body) = (body(&call, "mine"), body(&call, "theirs"));
    let (mine_read, u2) = (call.clone(), uid.clone());
    let my_put = tokio::spawn(async move { save_as_read(&mine, &mine_read, &my_body).await });
    // Theirs lands after mine, while my answer is still held back: once the server holds
    // mine (a condition, not a guess at how long that takes).
    let reader = client(&server.base_url(), |_| {});
    loop {
        let now = reader.get(&uid).await.result.expect("get");
        if now.call_summary.as_deref() == Some("mine") {
            break;
        }
        tokio::task::yield_now().await;
    }
    let their_put = tokio::spawn(async move { theirs.update(&u2, &their_body).await });

    let err = my_put.await.expect("task").result.expect_err("conflict");
    assert_eq!(err, ApiError::PutConflict);
    assert!(err.to_string().contains("not overwritten"), "{err}");
    assert_eq!(server.requests("PUT"), 2, "mine was not sent again");
    their_put.await.expect("task").result.expect("theirs saved");
    let now = client(&server.base_url(), |_| {})
        .get(&uid)
        .await
        .result
        .expect("get");
    assert_eq!(now.call_summary.as_deref(), Some("theirs"));
}

#[tokio::test]
async fn an_unanswered_put_that_did_not_land_is_sent_again_unchanged() {
    // The first PUT is held before the handler, past the client's timeout; the check finds
    // the call untouched, so the same body goes again.
    let server = faulty(&["latency=2s:method=PUT:rate=0.5"]).await;
    let call = first_call(&server).await;
    let c = client(&server.base_url(), |o| {
        o.timeout = Duration::from_millis(400)
    });
    let answer = save_as_read(&c, &call, &body(&call, "second try")).await;
    let saved = answer.result.expect("saved by the retry");
    assert_eq!(saved.call_summary.as_deref(), Some("second try"));
    assert_eq!(answer.exchange.attempts, 2);
    let bodies = server.put_bodies();
    assert_eq!(bodies.len(), 2);
    assert_eq!(bodies[0], bodies[1]);
}

#[tokio::test]
async fn an_unanswered_put_whose_read_back_fails_may_have_landed_and_is_not_sent_again() {
    let server = faulty(&[]).await;
    let call = first_call(&server).await;
    let uid = call.uid.clone().expect("uid");
    let c = client(&server.base_url(), |o| {
        o.timeout = Duration::from_millis(400)
    });
    let gets = server.requests("GET");
    // The change lands and its answer is held past the timeout; the read-back then fails.
    server.set_faults(vec![
        "latency=2s:method=PUT:after".parse().expect("fault"),
        "status=503:method=GET".parse().expect("fault"),
    ]);
    let answer = save_as_read(&c, &call, &body(&call, "maybe")).await;
    let err = answer.result.expect_err("cannot know");
    assert_eq!(err, ApiError::PutUnconfirmed);
    let text = err.to_string();
    assert!(text.contains("it may have been saved"), "{text}");
    assert!(
        text.contains("saving again checks the server first"),
        "{text}"
    );
    assert_eq!(server.requests("PUT"), 1, "not sent again");
    assert_eq!(server.requests("GET") - gets, 1, "one read-back");
    // It had in fact landed: the advice to check before saving again is the right one.
    server.set_faults(Vec::new());
    let now = c.get(&uid).await.result.expect("get");
    assert_eq!(now.call_summary.as_deref(), Some("maybe"));
}

#[tokio::test]
async fn a_dripping_server_hits_the_total_timeout() {
    let server = faulty(&["drip=50ms"]).await;
    let started = Instant::now();
    let answer = client(&server.base_url(), |o| o.timeout = Duration::from_secs(1))
        .list(&page())
        .await;
    let err = answer.result.expect_err("timeout");
    assert_eq!(err, ApiError::Timeout { secs: 1 });
    assert_eq!(
        err.to_string(),
        "no answer within 1 s: the request timed out"
    );
    assert_eq!(server.requests("GET"), 3);
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "{:?}",
        started.elapsed()
    );
}

#[tokio::test]
async fn latency_under_the_timeout_is_only_slow() {
    let server = faulty(&["latency=300ms"]).await;
    let started = Instant::now();
    let answer = client(&server.base_url(), |_| {}).list(&page()).await;
    assert!(answer.result.is_ok());
    assert!(started.elapsed() >= Duration::from_millis(300));
    assert_eq!(server.requests("GET"), 1);
}

#[tokio::test]
async fn truncated_json_is_a_clear_error_sent_once() {
    let server = faulty(&["truncate"]).await;
    let text = client(&server.base_url(), |_| {})
        .list(&page())
        .await
        .result
        .expect_err("cut off")
        .to_string();
    assert!(
        text.starts_with("HTTP 200: unexpected answer: the answer is not valid JSON (EOF"),
        "{text}"
    );
    assert_eq!(server.requests("GET"), 1);
}

/// The server saved the change but its answer cannot be read (cut off, or past the cap): the
/// call is read back, and the save reported as done, not as an error inviting a second try.
#[tokio::test]
async fn a_put_whose_answer_cannot_be_read_is_read_back_and_reported_saved() {
    for fault in [
        "truncate:method=PUT",
        "huge:method=PUT",
        "huge=chunked:method=PUT",
    ] {
        let server = faulty(&[fault]).await;
        let call = first_call(&server).await;
        let c = client(&server.base_url(), |_| {});
        let saved = save_as_read(&c, &call, &body(&call, "saved, answer unreadable"))
            .await
            .result
            .unwrap_or_else(|e| panic!("{fault}: {e}"));
        assert_eq!(
            saved.call_summary.as_deref(),
            Some("saved, answer unreadable"),
            "{fault}"
        );
        assert_eq!(server.requests("PUT"), 1, "{fault}: sent once");
    }
}

#[tokio::test]
async fn an_html_error_page_is_retried_then_quoted() {
    let server = faulty(&["html"]).await;
    let text = client(&server.base_url(), |_| {})
        .list(&page())
        .await
        .result
        .expect_err("502")
        .to_string();
    assert!(
        text.starts_with("HTTP 502: non-JSON response: <html> <head><title>502 Bad Gateway"),
        "{text}"
    );
    assert_eq!(server.requests("GET"), 3);
}

#[tokio::test]
async fn huge_bodies_are_refused_with_and_without_a_length() {
    for fault in ["huge", "huge=chunked"] {
        let server = faulty(&[fault]).await;
        let err = client(&server.base_url(), |_| {})
            .list(&page())
            .await
            .result
            .expect_err("too large");
        assert_eq!(
            err.to_string(),
            "response larger than 8 MiB; refusing to read it (try a smaller page size)",
            "{fault}"
        );
        assert_eq!(server.requests("GET"), 1, "{fault}");
    }
}

#[tokio::test]
async fn json_nested_ten_thousand_deep_is_a_clear_error() {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let base = format!("http://{}", listener.local_addr().expect("addr"));
    let body = format!(
        r#"{{"success":true,"data":{}{}}}"#,
        "[".repeat(10_000),
        "]".repeat(10_000)
    );
    tokio::spawn(async move {
        while let Ok((mut sock, _)) = listener.accept().await {
            let mut buf = vec![0u8; 16 * 1024];
            let _ = sock.read(&mut buf).await;
            let head = format!(
                "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
                body.len()
            );
            let _ = sock.write_all(head.as_bytes()).await;
            let _ = sock.write_all(body.as_bytes()).await;
            let _ = sock.shutdown().await;
        }
    });
    let text = client(&base, |_| {})
        .list(&page())
        .await
        .result
        .expect_err("too deep")
        .to_string();
    assert!(text.contains("recursion limit exceeded"), "{text}");
}

#[test]
fn a_bad_fault_spec_exits_2_and_says_why() {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_callconsole"))
        .args(["serve", "--port", "0", "--fault", "teapot"])
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("unknown fault \"teapot\""), "{stderr}");
}

/// A server that takes a request and then sends nothing is given up on when the answer's head
/// is late (10 s by default), not only when the whole request's 30 s are over.
#[tokio::test]
async fn an_answer_that_never_starts_is_given_up_on_its_head() {
    let server = faulty(&["latency=30s:method=GET"]).await;
    let c = client(&server.base_url(), |o| {
        o.headers_timeout = Duration::from_secs(1);
        o.max_attempts = 1;
    });
    let err = c.list(&page()).await.result.expect_err("no answer");
    assert_eq!(err, ApiError::Timeout { secs: 1 }, "{err}");
    assert!(err.to_string().contains("no answer within 1 s"), "{err}");
}
