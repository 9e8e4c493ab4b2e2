//! Baseline for "RSS with 100 000 calls" and a second one for "load all" (`scripts/bench`):
//! the same client reads every page and keeps the calls in the console's own storage (a
//! `CallStore`, as the console keeps them), with `in_flight` requests out at a time like the
//! console's select-all, and nothing else (no screen, no selection, no indexes, no search);
//! then prints how many calls it holds, its resident memory and how long it took.
//!
//! `cargo run --release --example bench-decode -- <base_url> <token> [per_page] [in_flight]`

use callconsole::api::client::{ApiClient, ClientOptions, ListQuery};
use callconsole::config::secret::Secret;
use callconsole::domain::calls::{CallStore, packed_record};
use futures::StreamExt;

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() -> Result<(), String> {
    let mut args = std::env::args().skip(1);
    let (Some(base), Some(token)) = (args.next(), args.next()) else {
        return Err("usage: bench-decode <base_url> <token> [per_page]".into());
    };
    let per_page = args.next().and_then(|n| n.parse().ok()).unwrap_or(100);
    let base = url::Url::parse(&base).map_err(|e| e.to_string())?;
    let client =
        ApiClient::new(ClientOptions::new(base, Secret::new(token))).map_err(|e| e.to_string())?;
    let in_flight: usize = args.next().and_then(|n| n.parse().ok()).unwrap_or(4);
    let started = std::time::Instant::now();
    let mut calls = CallStore::new();
    // Pages in order, `in_flight` out at once, until the first short page.
    let mut pages = futures::stream::iter(1..)
        .map(|page| {
            let client = &client;
            async move {
                let query = ListQuery {
                    page,
                    per_page,
                    ..ListQuery::default()
                };
                // As the console reads a page: each call packed as it is read.
                client.list_with(&query, packed_record).await.result
            }
        })
        .buffered(in_flight);
    while let Some(got) = pages.next().await {
        let got = got.map_err(|e| e.to_string())?;
        let full = got.calls.len() >= per_page as usize;
        for call in got.calls {
            calls.upsert(call);
        }
        if !full {
            break;
        }
    }
    let took = started.elapsed();
    let status = std::fs::read_to_string("/proc/self/status").map_err(|e| e.to_string())?;
    let rss_kb = status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<u64>().ok())
        .unwrap_or(0);
    println!(
        "calls {} rss_kb {rss_kb} ms {}",
        calls.len(),
        took.as_millis()
    );
    Ok(())
}
