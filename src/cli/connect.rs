//! Reaching the API: the configured account, or the embedded demo server when no token is
//! configured or `--demo` is given. The console and the scripting commands share it, so both
//! talk to the same place the same way.

use std::hash::{BuildHasher, Hasher};
use std::path::PathBuf;

use crate::api::{ApiClient, ClientOptions};
use crate::config::secret::Secret;
use crate::config::{self, Config};
use crate::server::{self, RunningServer, ServerOptions};

/// Where the demo server keeps its calls, and how it starts.
#[derive(Debug, Clone, Default)]
pub struct DemoOptions {
    /// `--demo`: use the demo server even with a token.
    pub force: bool,
    /// `--data FILE`.
    pub data: Option<PathBuf>,
    /// `--seed-count N`.
    pub seed_count: Option<usize>,
    /// `--fault SPEC`: the demo server misbehaves on purpose.
    pub faults: Vec<crate::server::Fault>,
}

/// A client ready to use, and the demo server behind it when there is one (stop it with
/// [`RunningServer::shutdown`] so the last edits reach its file).
#[derive(Debug)]
pub struct Connection {
    pub client: ApiClient,
    pub demo_server: Option<RunningServer>,
    /// What the status line calls the other end.
    pub label: String,
}

impl Connection {
    pub fn is_demo(&self) -> bool {
        self.demo_server.is_some()
    }

    /// Stops the demo server, if any, letting its open requests finish.
    pub async fn close(self) {
        if let Some(server) = self.demo_server {
            server.shutdown().await;
        }
    }
}

/// The demo database used unless `--data` or `--seed-count` says otherwise.
pub fn default_demo_data() -> PathBuf {
    config::data_dir().join("demo-calls.sqlite3")
}

/// The JSON data file older versions kept the demo calls in; imported into a new demo
/// database the first time, so nobody's demo edits are lost in the upgrade.
pub fn legacy_demo_data() -> PathBuf {
    config::data_dir().join("demo-calls.json")
}

/// A token nobody else can guess, for the embedded server of this session.
fn session_token() -> String {
    let a = std::collections::hash_map::RandomState::new()
        .build_hasher()
        .finish();
    let b = std::collections::hash_map::RandomState::new()
        .build_hasher()
        .finish();
    format!("demo-{a:016x}{b:016x}")
}

/// Builds the client; in demo mode starts the embedded server first. The error says what
/// failed, for the user.
pub async fn connect(config: &Config, demo: &DemoOptions) -> Result<Connection, String> {
    let mut demo_server = None;
    let (base_url, token, label) = match (&config.token, demo.force) {
        (Some(_), false) if !demo.faults.is_empty() => {
            return Err(
                "--fault makes the embedded demo server misbehave; with a token the real API is used and it would do nothing: add --demo, or drop --fault"
                    .to_string(),
            );
        }
        (Some((token, source)), false) => {
            // Which token is in use, so a user with two accounts can tell; never more of it
            // than its last 4 characters.
            let label = format!(
                "{} · {} token {}",
                config.base_url.host_str().unwrap_or("API"),
                source.short(),
                token.hint()
            );
            (config.base_url.clone(), token.clone(), label)
        }
        _ => {
            let data_file = match (&demo.data, demo.seed_count) {
                (Some(path), _) => Some(path.clone()),
                (None, Some(_)) => None,
                (None, None) => Some(default_demo_data()),
            };
            let server = server::start(ServerOptions {
                port: 0,
                token: session_token(),
                import_json: data_file
                    .as_ref()
                    .filter(|_| demo.data.is_none())
                    .map(|_| legacy_demo_data()),
                data_file,
                seed_count: demo.seed_count,
                legacy_stats_only: false,
                faults: demo.faults.clone(),
            })
            .await
            .map_err(|e| format!("cannot start the demo server: {e}"))?;
            let url = url::Url::parse(&server.base_url())
                .map_err(|e| format!("demo server address: {e}"))?;
            let token = Secret::new(server.token());
            let label = format!("demo server {}", server.addr());
            demo_server = Some(server);
            (url, token, label)
        }
    };
    let mut options = ClientOptions::new(base_url, token);
    options.on_behalf_of = config.on_behalf_of.clone();
    let client = ApiClient::new(options).map_err(|e| e.to_string())?;
    Ok(Connection {
        client,
        demo_server,
        label,
    })
}
