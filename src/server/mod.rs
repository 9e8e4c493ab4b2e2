//! The embedded voice-calls API server: the same contract as the vendor's API, on 127.0.0.1,
//! for demo mode and for tests over real HTTP.

mod faults;
mod handlers;
mod ingredients;
mod query;
pub mod seed;
mod store;
mod validate;

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, PoisonError, RwLock};
use std::time::Duration;

use axum::Router;
use axum::routing::get;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

use faults::FaultState;
pub use faults::{Fault, FaultKind};
use store::{Persister, Store};

/// How long edits wait before they are written, so a burst of PUTs (marking many calls
/// handled) becomes one write of the data file.
const WRITE_DELAY: Duration = Duration::from_millis(200);

/// How long `shutdown` waits for open connections before cutting them.
const SHUTDOWN_GRACE: Duration = Duration::from_secs(5);

/// What to start.
#[derive(Debug, Clone)]
pub struct ServerOptions {
    /// 0 picks a free port; the server always binds 127.0.0.1.
    pub port: u16,
    /// The bearer token every request must carry.
    pub token: String,
    /// Where calls persist (JSON); `None` keeps them in memory only.
    pub data_file: Option<PathBuf>,
    /// `Some(n)`: start from `n` freshly generated calls, replacing the data file's contents.
    /// `None`: load the data file if it exists, else generate the default demo set and write it.
    pub seed_count: Option<usize>,
    /// Tests: serve the stats report only at the legacy path; the newer path answers 404.
    pub legacy_stats_only: bool,
    /// Injected faults (`serve --fault`); empty for a well-behaved server.
    pub faults: Vec<Fault>,
}

/// Why the server could not start.
#[derive(Debug, thiserror::Error)]
pub enum ServerError {
    #[error(
        "cannot listen on 127.0.0.1:{port}: {source}; choose another port, or 0 to pick a free one"
    )]
    Bind { port: u16, source: std::io::Error },
    #[error(
        "cannot read the demo data file {}: {source}; check its permissions or choose another file",
        path.display()
    )]
    DataUnreadable {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error(
        "the demo data file {} is not valid demo data ({reason}); delete it to start again from \
         freshly generated calls",
        path.display()
    )]
    DataCorrupt { path: PathBuf, reason: String },
    #[error(
        "cannot write the demo data file {}: {source}; check that its folder is writable or \
         choose another file",
        path.display()
    )]
    DataWrite {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("cannot generate demo calls: {0}")]
    Seed(String),
    #[error("the demo server's background task failed: {0}")]
    Task(String),
}

/// What the handlers share.
#[derive(Debug)]
pub(crate) struct AppState {
    /// A std lock: handlers never hold it across an await, and it is cheaper than tokio's.
    store: RwLock<Store>,
    token: String,
    legacy_stats_only: bool,
    persist: Option<Persister>,
    /// Tests: take a PUT that leaves fields out as "keep their values" (a server that takes
    /// `update_fields = "changed"`), instead of refusing it as the contract says.
    partial_updates: AtomicBool,
    /// Tests: answer with the documented read object only, as the vendor's API does: `rate`,
    /// `price`, `provider` and `recording_id` are stored but never sent back.
    read_object_only: AtomicBool,
}

/// A started server. Dropping it stops accepting requests; `shutdown` also waits for the last
/// edits to reach the data file.
#[derive(Debug)]
pub struct RunningServer {
    addr: SocketAddr,
    state: Arc<AppState>,
    faults: Arc<FaultState>,
    stop_http: Option<oneshot::Sender<()>>,
    http: Option<JoinHandle<()>>,
    stop_writer: Option<oneshot::Sender<()>>,
    writer: Option<JoinHandle<()>>,
}

impl RunningServer {
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// `http://127.0.0.1:PORT`, without a trailing slash.
    pub fn base_url(&self) -> String {
        format!("http://{}", self.addr)
    }

    pub fn token(&self) -> &str {
        &self.state.token
    }

    /// How many calls the store holds.
    pub fn call_count(&self) -> usize {
        self.state
            .store
            .read()
            .unwrap_or_else(PoisonError::into_inner)
            .len()
    }

    /// How many requests with this method (`"GET"`, `"PUT"`) the server has received,
    /// including ones a fault answered.
    pub fn requests(&self, method: &str) -> usize {
        self.faults.requests(method)
    }

    /// Switches the injected faults on a running server (an empty list turns them off), so a
    /// test can load a page from a healthy server and then see the next request fail.
    pub fn set_faults(&self, faults: Vec<Fault>) {
        self.faults.set_faults(faults);
    }

    /// Switches partial updates on a running server: a PUT that leaves fields out keeps their
    /// values, as a server taking `update_fields = "changed"` does. Off (the contract: every
    /// field required) unless a test turns it on.
    pub fn accept_partial_updates(&self, on: bool) {
        self.state.partial_updates.store(on, Ordering::Relaxed);
    }

    /// Switches the vendor's read object on a running server: answers leave out `rate`,
    /// `price`, `provider` and `recording_id` even once a PUT stored them, as the real API's
    /// do. Off (they are echoed once stored, so tests can read back what was written) unless
    /// a test turns it on.
    pub fn answer_read_object_only(&self, on: bool) {
        self.state.read_object_only.store(on, Ordering::Relaxed);
    }

    /// The bodies of the PUTs received, oldest first (the last 200).
    pub fn put_bodies(&self) -> Vec<axum::body::Bytes> {
        self.faults.put_bodies()
    }

    /// Stops accepting requests, lets open ones finish, then writes pending edits to disk.
    pub async fn shutdown(mut self) {
        if let Some(stop) = self.stop_http.take() {
            let _ = stop.send(());
        }
        if let Some(mut http) = self.http.take()
            && tokio::time::timeout(SHUTDOWN_GRACE, &mut http)
                .await
                .is_err()
        {
            tracing::warn!(
                "demo server: connections still open after {SHUTDOWN_GRACE:?}, closing them"
            );
            http.abort();
        }
        if let Some(stop) = self.stop_writer.take() {
            let _ = stop.send(());
        }
        if let Some(writer) = self.writer.take()
            && let Err(e) = writer.await
        {
            tracing::error!("demo server: the data writer failed: {e}");
        }
    }
}

impl Drop for RunningServer {
    fn drop(&mut self) {
        // Without `shutdown` we cannot wait, but we can still ask both tasks to finish; the
        // writer flushes on its way out if the runtime lets it.
        if let Some(stop) = self.stop_http.take() {
            let _ = stop.send(());
        }
        if let Some(stop) = self.stop_writer.take() {
            let _ = stop.send(());
        }
    }
}

/// Starts the server on 127.0.0.1 and returns once it accepts connections.
pub async fn start(opts: ServerOptions) -> Result<RunningServer, ServerError> {
    let store = initial_store(opts.seed_count, opts.data_file.clone()).await?;
    let listener = tokio::net::TcpListener::bind(("127.0.0.1", opts.port))
        .await
        .map_err(|source| ServerError::Bind {
            port: opts.port,
            source,
        })?;
    let addr = listener.local_addr().map_err(|source| ServerError::Bind {
        port: opts.port,
        source,
    })?;

    let state = Arc::new(AppState {
        store: RwLock::new(store),
        token: opts.token,
        legacy_stats_only: opts.legacy_stats_only,
        persist: opts.data_file.map(Persister::new),
        partial_updates: AtomicBool::new(false),
        read_object_only: AtomicBool::new(false),
    });

    let (stop_writer, writer) = if state.persist.is_some() {
        let (tx, rx) = oneshot::channel();
        (Some(tx), Some(tokio::spawn(writer_task(state.clone(), rx))))
    } else {
        (None, None)
    };

    let (stop_http, stopped) = oneshot::channel::<()>();
    let faults = Arc::new(FaultState::new(opts.faults));
    let app = router(state.clone()).layer(axum::middleware::from_fn_with_state(
        faults.clone(),
        faults::layer,
    ));
    let http = tokio::spawn(async move {
        let served = axum::serve(listener, app)
            .with_graceful_shutdown(async move {
                let _ = stopped.await;
            })
            .await;
        if let Err(e) = served {
            tracing::error!("demo server stopped: {e}");
        }
    });
    tracing::info!("demo API listening on http://{addr}");
    Ok(RunningServer {
        addr,
        state,
        faults,
        stop_http: Some(stop_http),
        http: Some(http),
        stop_writer,
        writer,
    })
}

fn router(state: Arc<AppState>) -> Router {
    const CALLS: &str = "/v3/communication/voice_calls";
    Router::new()
        .route(CALLS, get(handlers::list))
        .route(
            &format!("{CALLS}/{{uid}}"),
            get(handlers::get_one).put(handlers::put_one),
        )
        .route(
            &format!("{CALLS}/{{uid}}/transcript"),
            get(handlers::transcript),
        )
        .route(
            &format!("{CALLS}/reports/voice_call_stats"),
            get(handlers::stats),
        )
        .route(
            "/v3/communication/reports/voice_call_stats",
            get(handlers::stats_legacy),
        )
        .fallback(handlers::not_found)
        .method_not_allowed_fallback(handlers::method_not_allowed)
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            handlers::auth,
        ))
        .with_state(state)
}

/// Loads or generates the calls the server starts with, writing freshly generated ones.
async fn initial_store(
    seed_count: Option<usize>,
    data_file: Option<PathBuf>,
) -> Result<Store, ServerError> {
    // File reads and a 100 000-call generation are blocking work; keep them off the runtime.
    tokio::task::spawn_blocking(move || {
        if seed_count.is_none()
            && let Some(path) = &data_file
            && let Some(store) = store::load(path)?
        {
            return Ok(store);
        }
        let n = seed_count.unwrap_or(seed::DEFAULT_COUNT);
        let calls = seed::generate(n, chrono::Utc::now()).map_err(ServerError::Seed)?;
        let store = Store::new(calls).map_err(ServerError::Seed)?;
        if let Some(path) = &data_file {
            write_store(&store, path)?;
        }
        Ok(store)
    })
    .await
    .map_err(|e| ServerError::Task(e.to_string()))?
}

fn write_store(store: &Store, path: &Path) -> Result<(), ServerError> {
    let bytes = store.to_file_bytes().map_err(|e| ServerError::DataWrite {
        path: path.to_path_buf(),
        source: std::io::Error::other(e),
    })?;
    store::write_atomic(path, &bytes).map_err(|source| ServerError::DataWrite {
        path: path.to_path_buf(),
        source,
    })
}

/// Writes the data file after edits, at most once per `WRITE_DELAY`, and once more on stop.
async fn writer_task(state: Arc<AppState>, mut stop: oneshot::Receiver<()>) {
    let Some(persist) = &state.persist else {
        return;
    };
    loop {
        tokio::select! {
            _ = persist.wake.notified() => {
                tokio::select! {
                    _ = tokio::time::sleep(WRITE_DELAY) => flush(&state).await,
                    _ = &mut stop => break,
                }
            }
            _ = &mut stop => break,
        }
    }
    flush(&state).await;
}

async fn flush(state: &Arc<AppState>) {
    let Some(persist) = &state.persist else {
        return;
    };
    if !persist.take_dirty() {
        return;
    }
    let state = state.clone();
    let written = tokio::task::spawn_blocking(move || -> std::io::Result<()> {
        let Some(persist) = &state.persist else {
            return Ok(());
        };
        let bytes = {
            let store = state.store.read().unwrap_or_else(PoisonError::into_inner);
            store.to_file_bytes().map_err(std::io::Error::other)
        };
        let result = bytes.and_then(|b| store::write_atomic(&persist.path, &b));
        result.map_err(|e| {
            persist.restore_dirty();
            std::io::Error::new(e.kind(), format!("{}: {e}", persist.path.display()))
        })
    })
    .await;
    match written {
        Ok(Ok(())) => {}
        Ok(Err(e)) => {
            tracing::error!("demo server: cannot save calls to {e}; will retry on the next edit")
        }
        Err(e) => tracing::error!("demo server: the save task failed: {e}"),
    }
}
