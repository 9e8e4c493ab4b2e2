//! A list page read in place, each call packed as it is read (`ApiClient::list_with`, what
//! the console does with every page), holds the same calls as the page read into
//! `VoiceCall`s (`ApiClient::list`): over HTTP against the embedded server, for every page of
//! the demo data and for text a hostile server sends.

use callconsole::api::{ApiClient, CallPage, CallSource, ClientOptions, ListQuery};
use callconsole::config::secret::Secret;
use callconsole::domain::calls::PackedCall;
use callconsole::server::{self, RunningServer, ServerOptions};
use serde_json::json;

async fn start(seed_count: Option<usize>, data_file: Option<std::path::PathBuf>) -> RunningServer {
    server::start(ServerOptions {
        port: 0,
        token: "test-token".into(),
        data_file,
        import_json: None,
        seed_count,
        legacy_stats_only: false,
        faults: Vec::new(),
    })
    .await
    .expect("server starts")
}

fn client_for(server: &RunningServer) -> ApiClient {
    let url = url::Url::parse(&server.base_url()).expect("url");
    ApiClient::new(ClientOptions::new(url, Secret::new(server.token()))).expect("client")
}

/// Every page of the server's list, read both ways; returns how many calls it held.
async fn every_page_reads_the_same(client: &ApiClient) -> usize {
    let mut seen = 0;
    for page in 1.. {
        let query = ListQuery {
            page,
            per_page: 100,
            ..ListQuery::default()
        };
        let owned = client.list(&query).await.result.expect("owned page");
        let packed: CallPage<PackedCall> = client
            .list_with(&query, |record| PackedCall::new(record))
            .await
            .result
            .expect("packed page");
        let records = client
            .list_with(&query, |record| record.to_voice_call())
            .await
            .result
            .expect("records");
        assert_eq!(records, owned, "page {page}");
        assert_eq!(
            packed,
            owned.clone().map(|c| PackedCall::new(&c)),
            "page {page}"
        );
        seen += owned.calls.len();
        if owned.calls.len() < 100 {
            break;
        }
    }
    seen
}

#[tokio::test]
async fn every_demo_page_reads_the_same_packed_as_it_is_read() {
    let server = start(Some(1_250), None).await;
    assert_eq!(every_page_reads_the_same(&client_for(&server)).await, 1_250);
}

#[tokio::test]
async fn hostile_text_reads_the_same_packed_as_it_is_read() {
    let dir = tempfile::tempdir().expect("tempdir");
    let data = dir.path().join("calls.json");
    let call = |uid: &str, text: &str| {
        json!({
            "uid": uid,
            "created_at": "2026-11-24T14:30:00.000Z",
            "updated_at": "2026-11-24T14:30:00.000Z",
            "duration": 125,
            "status": "MISSED",
            "direction": "INBOUND",
            "staff_uid": "staff-ana",
            "client_uid": format!("client{text}"),
            "to_number": "+14155550100",
            "from_number": format!("+1415{text}5550148"),
            "call_summary": format!("Refund {text} \"quoted\" \\ back/slash done"),
            "external_app_url": format!("https://app.example.com/{text}"),
            "external_app_name": format!("app{text}"),
            "source_id": format!("src{text}"),
            "external_uuid": format!("ext{text}"),
            "handled_by_staff_uid": null,
            "handled_at": null,
            "deleted_at": null,
            "transcript_status": null,
            "recording": {
                "uid": format!("rec{text}"),
                "recordingUrl": format!("https://rec.example/{text}"),
                "size": 10,
                "duration": 20,
                "recording_played": false,
                "recording_type": "VOICEMAIL"
            }
        })
    };
    let texts = [
        "\u{1b}[2J\u{1b}[H-\u{9b}31m7\u{202e}xe.fdp",
        "\u{1b}]52;c;cm0gLXJmIH4=\u{7}",
        "\u{9d}0;pwned\u{9c}\t\r\n",
        "Émilie ✓ 東京 🎉",
        "\u{0}\u{7f}\u{85}\u{2066}\u{200f}",
        "plain",
    ];
    let calls: Vec<_> = texts
        .iter()
        .enumerate()
        .map(|(i, text)| call(&format!("call-{i}"), text))
        .collect();
    let file = json!({"version": 1, "calls": calls});
    std::fs::write(&data, serde_json::to_vec(&file).expect("json")).expect("data file");
    let server = start(None, Some(data)).await;
    assert_eq!(
        every_page_reads_the_same(&client_for(&server)).await,
        texts.len()
    );
}

/// The list answer kept whole for the one-pass reader still gives the scripts' raw page its
/// `data` object (`calls list --format json`, the call-back's read-back).
#[tokio::test]
async fn the_raw_page_is_still_the_data_object() {
    let server = start(Some(30), None).await;
    let client = client_for(&server);
    let query = ListQuery {
        page: 1,
        per_page: 10,
        ..ListQuery::default()
    };
    let raw = client.list_json(&query).await.result.expect("raw page");
    let raw: Vec<Option<&str>> = raw["voice_calls"]
        .as_array()
        .expect("a list")
        .iter()
        .map(|c| c["uid"].as_str())
        .collect();
    let page = client.list(&query).await.result.expect("page");
    let uids: Vec<Option<&str>> = page.calls.iter().map(|c| c.uid.as_deref()).collect();
    assert_eq!((raw.len(), raw), (10, uids));
}
