//! Shared by the tests that drive `App::update` against the real embedded server: start a
//! server, and perform effects the way the runtime does (network only), feeding answers back.
#![allow(dead_code)]

use std::time::Duration;

use callconsole::api::{ApiClient, ClientOptions};
use callconsole::app::App;
use callconsole::form::fields::FieldId;
use callconsole::msg::{Effect, Msg};
use callconsole::runtime;
use callconsole::secret::Secret;
use callconsole::server::{self, RunningServer, ServerOptions};

/// An in-process server with token `t` (and faults, if any), and a client with fast retries.
pub async fn server_and_client(
    seed_count: Option<usize>,
    faults: &[&str],
) -> (RunningServer, ApiClient) {
    server_and_client_with(seed_count, faults, |_| {}).await
}

/// The same, with the client's options changed by `tune` (a shorter timeout, say).
pub async fn server_and_client_with(
    seed_count: Option<usize>,
    faults: &[&str],
    tune: impl FnOnce(&mut ClientOptions),
) -> (RunningServer, ApiClient) {
    let server = server::start(ServerOptions {
        port: 0,
        token: "t".into(),
        data_file: None,
        seed_count,
        legacy_stats_only: false,
        faults: parse_faults(faults),
    })
    .await
    .expect("server");
    let mut opts = ClientOptions::new(
        url::Url::parse(&server.base_url()).expect("url"),
        Secret::new("t"),
    );
    opts.retry_base = Duration::from_millis(10);
    tune(&mut opts);
    let client = ApiClient::new(opts).expect("client");
    (server, client)
}

/// `serve --fault` specs, as the server takes them.
pub fn parse_faults(specs: &[&str]) -> Vec<server::Fault> {
    specs.iter().map(|f| f.parse().expect("fault")).collect()
}

/// The whole screen as the runtime would draw it, one string per row.
pub fn screen(app: &App, width: u16, height: u16) -> Vec<String> {
    let mut terminal = ratatui::Terminal::new(ratatui::backend::TestBackend::new(width, height))
        .expect("terminal");
    let theme = callconsole::ui::theme::Theme::new(false);
    terminal
        .draw(|f| f.render_widget(callconsole::ui::Screen { app, theme: &theme }, f.area()))
        .expect("draw");
    let buffer = terminal.backend().buffer();
    (0..buffer.area.height)
        .map(|y| {
            (0..buffer.area.width)
                .map(|x| buffer[(x, y)].symbol())
                .collect()
        })
        .collect()
}

/// Values for the fields the API never sends back, as `[defaults]` would give them: the
/// field table's examples.
pub fn handled_defaults() -> std::collections::BTreeMap<FieldId, String> {
    FieldId::ALL
        .into_iter()
        .filter(|f| !f.sent_back())
        .map(|f| (f, f.example().to_string()))
        .collect()
}

/// Performs effects until none are left; returns the PUT bodies that were sent.
pub async fn perform(
    app: &mut App,
    client: &ApiClient,
    mut effects: Vec<Effect>,
) -> Vec<serde_json::Value> {
    let mut puts = Vec::new();
    while let Some(effect) = effects.pop() {
        let msg = match effect {
            Effect::FetchPage { req, query } => Msg::PageLoaded {
                req,
                page: query.page,
                answer: client.list(&query).await,
            },
            Effect::FetchCall { req, uid } => Msg::CallFetched {
                req,
                answer: client.get(&uid).await,
            },
            Effect::CheckAndPut {
                req,
                uid,
                expected,
                body,
            } => {
                let msg =
                    runtime::check_and_put(client, req, &uid, expected.as_deref(), &body).await;
                if matches!(&msg, Msg::CheckedAndPut { saved: Some(_), .. }) {
                    puts.push(body);
                }
                msg
            }
            Effect::PutCall { req, uid, body } => {
                puts.push(body.clone());
                Msg::Saved {
                    req,
                    answer: client.update_raw(&uid, &body).await,
                }
            }
            Effect::FetchStats { req, query } => Msg::StatsLoaded {
                req,
                answer: client.stats(&query).await,
            },
            _ => continue,
        };
        effects.extend(app.update(msg));
    }
    puts
}
