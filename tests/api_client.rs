//! The API client against the real embedded server over HTTP on 127.0.0.1, plus a raw TCP
//! peer for the answers our server never gives (HTML from a proxy, bodies without a length).

use std::time::Duration;

use callconsole::api::{
    ApiClient, ApiError, ClientOptions, ListQuery, StatsQuery, UpdateVoiceCall, VoiceCall,
};
use callconsole::config::secret::Secret;
use callconsole::server::{self, RunningServer, ServerOptions};
use callconsole::ui::format::exchange;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

#[path = "support/bodies.rs"]
mod bodies;

async fn demo_server(legacy_stats_only: bool) -> RunningServer {
    server::start(ServerOptions {
        port: 0,
        token: "test-token".into(),
        data_file: None,
        import_json: None,
        seed_count: None,
        legacy_stats_only,
        faults: Vec::new(),
    })
    .await
    .expect("server starts")
}

fn client_for(base: &str, token: &str) -> ApiClient {
    let url = url::Url::parse(base).expect("url");
    ApiClient::new(ClientOptions::new(url, Secret::new(token))).expect("client")
}

fn query(page: u32, per_page: u32) -> ListQuery {
    ListQuery {
        page,
        per_page,
        ..ListQuery::default()
    }
}

fn uids(calls: &[VoiceCall]) -> Vec<String> {
    calls.iter().filter_map(|c| c.uid.clone()).collect()
}

#[tokio::test]
async fn lists_pages_newest_first() {
    let server = demo_server(false).await;
    let client = client_for(&server.base_url(), server.token());
    let first = client.list(&query(1, 10)).await;
    assert_eq!(first.exchange.status, Some(200));
    assert!(first.exchange.path.contains("page=1"));
    let first = first.result.expect("page 1");
    assert_eq!(first.calls.len(), 10);
    assert_eq!(first.unreadable, 0);
    let second = client.list(&query(2, 10)).await.result.expect("page 2");
    assert_eq!(second.calls.len(), 10);
    let (a, b) = (uids(&first.calls), uids(&second.calls));
    assert!(a.iter().all(|u| !b.contains(u)), "pages do not overlap");
    let times: Vec<_> = first
        .calls
        .iter()
        .chain(&second.calls)
        .map(|c| c.created().expect("time"))
        .collect();
    assert!(times.windows(2).all(|w| w[0] >= w[1]), "newest first");

    let asc = ListQuery {
        sort: Some("created_at:asc".into()),
        ..query(1, 5)
    };
    let asc = client.list(&asc).await.result.expect("asc");
    assert!(asc.calls[0].created() < first.calls[0].created());

    // 320 demo calls: the 4th page of 100 is short, which is how the end is found.
    let last = client.list(&query(4, 100)).await.result.expect("page 4");
    assert_eq!(last.calls.len(), server.call_count() - 300);
}

#[tokio::test]
async fn filters_go_to_the_server() {
    let server = demo_server(false).await;
    let client = client_for(&server.base_url(), server.token());
    let missed = ListQuery {
        filters: vec![("status".into(), None, "MISSED".into())],
        ..query(1, 100)
    };
    let page = client.list(&missed).await.result.expect("missed");
    assert!(!page.calls.is_empty());
    assert!(
        page.calls
            .iter()
            .all(|c| c.status.as_ref().map(|s| s.as_str()) == Some("MISSED"))
    );

    let outbound = ListQuery {
        filters: vec![("direction".into(), None, "OUTBOUND".into())],
        ..query(1, 100)
    };
    let page = client.list(&outbound).await.result.expect("outbound");
    assert!(!page.calls.is_empty());
    assert!(
        page.calls
            .iter()
            .all(|c| c.direction.as_ref().map(|d| d.as_str()) == Some("OUTBOUND"))
    );

    let since = (chrono::Utc::now() - chrono::TimeDelta::days(2))
        .format("%Y-%m-%d")
        .to_string();
    let recent = ListQuery {
        filters: vec![("created_at".into(), Some("gte".into()), since.clone())],
        ..query(1, 100)
    };
    let page = client.list(&recent).await.result.expect("recent");
    assert!(!page.calls.is_empty());
    assert!(
        page.calls
            .iter()
            .all(|c| c.created_at.as_deref().is_some_and(|t| t[..10] >= *since))
    );
}

#[tokio::test]
async fn gets_one_and_reports_404() {
    let server = demo_server(false).await;
    let client = client_for(&server.base_url(), server.token());
    let listed = client
        .list(&query(1, 1))
        .await
        .result
        .expect("list")
        .calls
        .remove(0);
    let uid = listed.uid.clone().expect("uid");
    let fetched = client.get(&uid).await.result.expect("get");
    assert_eq!(fetched, listed);

    let missing = client.get("no-such-call").await;
    assert_eq!(missing.exchange.status, Some(404));
    let err = missing.result.expect_err("404");
    assert_eq!(err.status(), Some(404));
    assert!(err.to_string().contains("no-such-call"), "{err}");
}

#[tokio::test]
async fn wrong_or_missing_token_is_401() {
    let server = demo_server(false).await;
    let wrong = client_for(&server.base_url(), "not-the-token");
    let err = wrong.list(&query(1, 5)).await.result.expect_err("401");
    assert_eq!(err.status(), Some(401));
    assert!(!err.messages().is_empty());

    let raw = reqwest::get(format!(
        "{}/v3/communication/voice_calls",
        server.base_url()
    ))
    .await
    .expect("raw request");
    assert_eq!(raw.status().as_u16(), 401);
    let body: serde_json::Value = raw.json().await.expect("envelope");
    assert_eq!(body["success"], serde_json::json!(false));
    assert!(body["errors"][0]["message"].is_string());
}

fn body_from(call: &VoiceCall) -> UpdateVoiceCall {
    UpdateVoiceCall {
        status: "MISSED_CALL_HANDLED".into(),
        call_summary: "Called back, booked for Thursday".into(),
        handled_by_staff_uid: call.staff_uid.clone(),
        ..bodies::complete_body(call)
    }
}

#[tokio::test]
async fn put_updates_and_returns_the_stored_call() {
    let server = demo_server(false).await;
    let client = client_for(&server.base_url(), server.token());
    let missed = ListQuery {
        filters: vec![("status".into(), None, "MISSED".into())],
        ..query(1, 1)
    };
    let call = client
        .list(&missed)
        .await
        .result
        .expect("list")
        .calls
        .remove(0);
    let uid = call.uid.clone().expect("uid");
    let body = body_from(&call);
    let answer = client.update(&uid, &body).await;
    assert_eq!(answer.exchange.method, reqwest::Method::PUT);
    assert_eq!(answer.exchange.status, Some(200));
    assert!(exchange(&answer.exchange).contains("→ 200 OK in"));
    let updated = answer.result.expect("put ok");
    assert_eq!(
        updated.status.as_ref().map(|s| s.as_str()),
        Some("MISSED_CALL_HANDLED")
    );
    // Every field as sent, the ones the API does not send back included.
    assert_eq!(bodies::update_body(&updated), body);
    assert!(updated.handled_at.is_some());
    assert!(updated.updated_at > call.updated_at);
    let again = client.get(&uid).await.result.expect("get");
    assert_eq!(again, updated);
}

#[tokio::test]
async fn put_with_broken_fields_is_422_naming_each() {
    let server = demo_server(false).await;
    let client = client_for(&server.base_url(), server.token());
    let call = client
        .list(&query(1, 1))
        .await
        .result
        .expect("list")
        .calls
        .remove(0);
    let mut body = body_from(&call);
    body.from_number = "415-555".into();
    body.rate = "-1".into();
    let err = client
        .update(call.uid.as_deref().expect("uid"), &body)
        .await
        .result
        .expect_err("422");
    assert_eq!(err.status(), Some(422));
    let texts: Vec<&str> = err.messages().iter().map(|m| m.text()).collect();
    assert_eq!(texts.len(), 2, "{texts:?}");
    assert!(
        texts.iter().any(|t| t.starts_with("from_number")),
        "{texts:?}"
    );
    assert!(texts.iter().any(|t| t.starts_with("rate")), "{texts:?}");
    let fields: Vec<_> = err
        .messages()
        .iter()
        .filter_map(|m| m.field.as_deref())
        .collect();
    assert!(fields.contains(&"from_number") && fields.contains(&"rate"));
}

#[tokio::test]
async fn transcript_and_stats_with_fallback() {
    let server = demo_server(true).await;
    let client = client_for(&server.base_url(), server.token());
    let page = client.list(&query(1, 100)).await.result.expect("list");
    let with_transcript = page
        .calls
        .iter()
        .find(|c| c.transcript_status.as_deref() == Some("DONE"))
        .expect("a call with a transcript");
    let t = client
        .transcript(with_transcript.uid.as_deref().expect("uid"))
        .await
        .result
        .expect("transcript");
    assert_eq!(t.status.as_deref(), Some("DONE"));
    assert!(!t.transcript.unwrap_or_default().is_empty());

    let stats = client.stats(&StatsQuery::default()).await;
    assert!(
        stats
            .exchange
            .path
            .starts_with("/v3/communication/reports/"),
        "fell back: {}",
        stats.exchange.path
    );
    let stats = stats.result.expect("stats");
    let total: u64 = stats
        .status_counts
        .iter()
        .filter_map(|c| c.count.and_then(callconsole::api::Count::valid))
        .sum();
    assert_eq!(
        stats.total_voice_calls,
        Some(callconsole::api::Count::Valid(total))
    );
    assert_eq!(total as usize, server.call_count());
}

/// A one-shot HTTP peer that answers every connection with `response` and hands back what
/// it was sent.
async fn raw_peer(response: Vec<u8>) -> (String, tokio::sync::mpsc::UnboundedReceiver<String>) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind");
    let addr = listener.local_addr().expect("addr");
    let (tx, rx) = tokio::sync::mpsc::unbounded_channel();
    tokio::spawn(async move {
        while let Ok((mut sock, _)) = listener.accept().await {
            let mut buf = vec![0u8; 16 * 1024];
            let n = sock.read(&mut buf).await.unwrap_or(0);
            let _ = tx.send(String::from_utf8_lossy(&buf[..n]).into_owned());
            let _ = sock.write_all(&response).await;
            let _ = sock.shutdown().await;
        }
    });
    (format!("http://{addr}"), rx)
}

fn http(status: &str, headers: &str, body: &str) -> Vec<u8> {
    format!(
        "HTTP/1.1 {status}\r\nContent-Length: {}\r\nConnection: close\r\n{headers}\r\n{body}",
        body.len()
    )
    .into_bytes()
}

#[tokio::test]
async fn html_from_a_proxy_is_a_clear_error() {
    let page = "<html><body><h1>502 Bad Gateway</h1></body></html>";
    let (base, _) = raw_peer(http("502 Bad Gateway", "Content-Type: text/html\r\n", page)).await;
    let err = client_for(&base, "t")
        .list(&query(1, 5))
        .await
        .result
        .expect_err("502");
    let text = err.to_string();
    assert!(
        text.starts_with("HTTP 502: non-JSON response: <html>"),
        "{text}"
    );
}

#[tokio::test]
async fn success_false_on_200_is_an_error_and_headers_are_sent() {
    let body = r#"{"success":false,"errors":[{"code":"quota","message":"daily quota used up"}]}"#;
    let (base, mut seen) =
        raw_peer(http("200 OK", "Content-Type: application/json\r\n", body)).await;
    let url = url::Url::parse(&base).expect("url");
    let mut opts = ClientOptions::new(url, Secret::new("tok-123"));
    opts.on_behalf_of = Some("biz-42".into());
    let client = ApiClient::new(opts).expect("client");
    let err = client.list(&query(1, 5)).await.result.expect_err("failure");
    assert_eq!(err.to_string(), "HTTP 200: daily quota used up");
    let request = seen
        .recv()
        .await
        .expect("request seen")
        .to_ascii_lowercase();
    assert!(
        request.contains("authorization: bearer tok-123"),
        "{request}"
    );
    assert!(request.contains("x-on-behalf-of: biz-42"), "{request}");
    // Answers may come gzipped: the client says so, and decodes them (tests/odd_answers.rs).
    assert!(request.contains("accept-encoding: gzip"), "{request}");
}

/// The cap counts the body as unpacked: 9 MiB of gzipped zeros (a few KiB on the wire) is
/// refused like 9 MiB sent plain.
#[tokio::test]
async fn a_gzip_body_that_unpacks_past_the_cap_is_refused() {
    use std::io::Write as _;
    let mut packed = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    packed
        .write_all(br#"{"success":true,"data":{"voice_calls":[],"pad":""#)
        .expect("gzip");
    packed.write_all(&vec![b'0'; 9 << 20]).expect("gzip");
    let packed = packed.finish().expect("gzip");
    assert!(
        packed.len() < 64 * 1024,
        "{} bytes on the wire",
        packed.len()
    );
    let mut response = format!(
        "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Encoding: gzip\r\n\
         Content-Length: {}\r\nConnection: close\r\n\r\n",
        packed.len()
    )
    .into_bytes();
    response.extend_from_slice(&packed);
    let (base, _) = raw_peer(response).await;
    let err = client_for(&base, "t")
        .list(&query(1, 5))
        .await
        .result
        .expect_err("too large");
    assert!(
        matches!(err, ApiError::TooLarge { limit_mib: 8 }),
        "{err:?}"
    );
}

#[tokio::test]
async fn bodies_past_the_cap_are_refused() {
    // Declared length over the cap.
    let big = format!(
        r#"{{"success":true,"data":{{"voice_calls":[],"pad":"{}"}}}}"#,
        "x".repeat(4096)
    );
    let (base, _) = raw_peer(http("200 OK", "Content-Type: application/json\r\n", &big)).await;
    let mut opts = ClientOptions::new(url::Url::parse(&base).expect("url"), Secret::new("t"));
    opts.max_body = 1024;
    let err = ApiClient::new(opts.clone())
        .expect("client")
        .list(&query(1, 5))
        .await
        .result
        .expect_err("too big");
    assert!(matches!(err, ApiError::TooLarge { .. }), "{err:?}");

    // No length: chunked, stopped while reading.
    let chunk = "x".repeat(512);
    let mut raw =
        String::from("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n");
    for _ in 0..8 {
        raw.push_str(&format!("{:x}\r\n{chunk}\r\n", chunk.len()));
    }
    raw.push_str("0\r\n\r\n");
    let (base, _) = raw_peer(raw.into_bytes()).await;
    opts.base_url = url::Url::parse(&base).expect("url");
    let err = ApiClient::new(opts)
        .expect("client")
        .list(&query(1, 5))
        .await
        .result
        .expect_err("too big");
    assert!(err.to_string().contains("larger than"), "{err}");

    // A real page is far under the real cap.
    let server = demo_server(false).await;
    let page = client_for(&server.base_url(), server.token())
        .list(&query(1, 100))
        .await;
    assert_eq!(page.result.expect("fits").calls.len(), 100);
}

#[tokio::test]
async fn nothing_listening_is_a_connect_error() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let base = format!("http://{}", listener.local_addr().expect("addr"));
    drop(listener);
    let mut opts = ClientOptions::new(url::Url::parse(&base).expect("url"), Secret::new("t"));
    opts.connect_timeout = Duration::from_secs(2);
    let answer = ApiClient::new(opts)
        .expect("client")
        .list(&query(1, 5))
        .await;
    assert_eq!(answer.exchange.status, None);
    let err = answer.result.expect_err("refused");
    assert!(matches!(err, ApiError::Connect { .. }), "{err:?}");
    assert!(exchange(&answer.exchange).contains("no answer after"));
}

#[tokio::test]
async fn a_redirect_to_another_host_is_reported_not_followed() {
    let (base, mut seen) = raw_peer(http(
        "302 Found",
        "Location: https://elsewhere.example/steal\r\n",
        "",
    ))
    .await;
    let err = client_for(&base, "t")
        .list(&query(1, 5))
        .await
        .result
        .expect_err("302");
    let text = err.to_string();
    assert!(
        text.contains("HTTP 302") && text.contains("not followed"),
        "{text}"
    );
    assert!(text.contains("https://elsewhere.example/steal"), "{text}");
    assert!(
        seen.recv().await.is_some(),
        "one request reached the server"
    );
    assert!(
        seen.try_recv().is_err(),
        "and no second one: the redirect was not followed"
    );
}
