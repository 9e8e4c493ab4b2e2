//! The embedded voice-calls API server: the same contract as the vendor's API, on 127.0.0.1,
//! for demo mode and for tests over real HTTP. Beside the voice calls it answers the vendor's
//! legacy people endpoints (clients, the staff roster, the business, `/oauth/userinfo`) for
//! the demo business (`legacy.rs`, `people.rs`).

mod create;
mod db;
mod db_query;
mod faults;
mod gate;
mod handlers;
mod ingredients;
mod legacy;
mod page_marks;
mod people;
mod preconditions;
mod query;
mod recordings;
pub mod seed;
mod store;
mod validate;

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, PoisonError, RwLock};
use std::time::Duration;

use axum::Router;
use axum::routing::get;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

use faults::FaultState;
pub use faults::{Fault, FaultKind, SeenRequest};
use rusqlite::Connection;

/// How long `shutdown` waits for open connections before cutting them.
const SHUTDOWN_GRACE: Duration = Duration::from_secs(5);

/// What to start.
#[derive(Debug, Clone)]
pub struct ServerOptions {
    /// 0 picks a free port; the server always binds 127.0.0.1.
    pub port: u16,
    /// The bearer token every request must carry.
    pub token: String,
    /// The SQLite database calls persist in; `None` keeps them in memory only.
    pub data_file: Option<PathBuf>,
    /// An older JSON data file to import when `data_file` is a new database (demo mode's
    /// `demo-calls.json`); ignored when it does not exist.
    pub import_json: Option<PathBuf>,
    /// `Some(n)`: start from `n` freshly generated calls, replacing the database's contents.
    /// `None`: open the database if it holds calls, else seed it with the default demo set.
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
    /// The one connection, behind a std lock taken only inside `spawn_blocking` (see
    /// `handlers::with_db`): a commit waits for the disk, which must not stall the runtime.
    db: Mutex<Connection>,
    /// Where the list's pages already answered start and end, so a deep page is read from
    /// there (`page_marks`); locked only while `db` is.
    page_marks: Mutex<page_marks::PageMarks>,
    token: String,
    legacy_stats_only: bool,
    /// Tests: take a PUT that leaves fields out as "keep their values" (a server that takes
    /// `update_fields = "changed"`), instead of refusing it as the contract says.
    partial_updates: AtomicBool,
    /// Tests: answer with the documented read object only, as the vendor's API does: `rate`,
    /// `price`, `provider` and `recording_id` are stored but never sent back.
    read_object_only: AtomicBool,
    /// The demo business, its staff and clients, for the legacy people endpoints.
    people: RwLock<people::People>,
}

impl AppState {
    fn db(&self) -> std::sync::MutexGuard<'_, Connection> {
        self.db.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// The demo business's uid: the only business this server holds calls for.
    fn business_uid(&self) -> String {
        self.people
            .read()
            .unwrap_or_else(PoisonError::into_inner)
            .business_uid
            .clone()
    }
}

/// A started server. Every acknowledged edit is already committed to the database, so
/// dropping it loses nothing; `shutdown` also lets open requests finish.
#[derive(Debug)]
pub struct RunningServer {
    addr: SocketAddr,
    state: Arc<AppState>,
    faults: Arc<FaultState>,
    stop_http: Option<oneshot::Sender<()>>,
    http: Option<JoinHandle<()>>,
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

    /// How many calls the database holds (0 if it cannot be read).
    pub fn call_count(&self) -> usize {
        db::count(&self.state.db()).unwrap_or(0)
    }

    /// Tests: makes the database refuse writes (`PRAGMA query_only`), as a read-only file or
    /// a full disk would, so a PUT meets a commit that fails; `false` allows them again.
    pub fn refuse_writes(&self, on: bool) {
        if let Err(e) = self.state.db().pragma_update(None, "query_only", on) {
            tracing::error!("demo server: cannot switch query_only: {e}");
        }
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
        self.faults.bodies(&axum::http::Method::PUT)
    }

    /// The bodies of the POSTs received (calls created), oldest first (the last 200).
    pub fn post_bodies(&self) -> Vec<axum::body::Bytes> {
        self.faults.bodies(&axum::http::Method::POST)
    }

    /// The requests received whose path starts with `prefix` (`"/platform/v1/clients"`),
    /// oldest first, of the last 10 000: how many lookups went out, with which query and
    /// `X-On-Behalf-Of`. A fault's answer counts too.
    pub fn seen(&self, prefix: &str) -> Vec<SeenRequest> {
        self.faults.seen(prefix)
    }

    /// [`RunningServer::seen`], each with how many requests under `prefix` were being
    /// handled when it arrived, itself included: a client's pace, as the server saw it.
    pub fn seen_alongside(&self, prefix: &str) -> Vec<(SeenRequest, usize)> {
        self.faults.seen_alongside(prefix)
    }

    /// The demo business's uid (its people endpoints answer for no other).
    pub fn business_uid(&self) -> String {
        self.people().business_uid.clone()
    }

    /// Tests: adds a client record to what the clients endpoints answer, or replaces the one
    /// with the same `"id"`; it is answered exactly as given (any fields, any values), so a
    /// test can send what a real server might: a name with control characters, no names.
    pub fn put_client(&self, record: serde_json::Map<String, serde_json::Value>) {
        self.people_mut().put_client(record);
    }

    /// Tests: the same for a staff member of the roster (added at its end).
    pub fn put_staff(&self, record: serde_json::Map<String, serde_json::Value>) {
        self.people_mut().put_staff(record);
    }

    /// Tests: what `GET /oauth/userinfo` answers from now on.
    pub fn set_userinfo(&self, record: serde_json::Map<String, serde_json::Value>) {
        self.people_mut().userinfo = record;
    }

    fn people(&self) -> std::sync::RwLockReadGuard<'_, people::People> {
        self.state
            .people
            .read()
            .unwrap_or_else(PoisonError::into_inner)
    }

    fn people_mut(&self) -> std::sync::RwLockWriteGuard<'_, people::People> {
        self.state
            .people
            .write()
            .unwrap_or_else(PoisonError::into_inner)
    }

    /// Stops accepting requests and lets open ones finish (their edits are committed as
    /// they are answered).
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
    }
}

impl Drop for RunningServer {
    fn drop(&mut self) {
        // Without `shutdown` we cannot wait, but we can still stop accepting requests.
        if let Some(stop) = self.stop_http.take() {
            let _ = stop.send(());
        }
    }
}

/// Starts the server on 127.0.0.1 and returns once it accepts connections.
pub async fn start(opts: ServerOptions) -> Result<RunningServer, ServerError> {
    let conn = open_db(opts.seed_count, opts.data_file, opts.import_json).await?;
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

    let ing = ingredients::ingredients().map_err(ServerError::Seed)?;
    let state = Arc::new(AppState {
        people: RwLock::new(people::People::demo(ing)),
        db: Mutex::new(conn),
        page_marks: Mutex::default(),
        token: opts.token,
        legacy_stats_only: opts.legacy_stats_only,
        partial_updates: AtomicBool::new(false),
        read_object_only: AtomicBool::new(false),
    });

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
    })
}

fn router(state: Arc<AppState>) -> Router {
    const CALLS: &str = "/v3/communication/voice_calls";
    Router::new()
        .route(CALLS, get(handlers::list).post(create::create_one))
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
        .route(
            "/v3/communication/voice_call_recordings/{uid}",
            axum::routing::put(recordings::put_recording),
        )
        .route("/platform/v1/clients", get(legacy::clients))
        .route("/platform/v1/clients/{client_id}", get(legacy::client))
        .route(
            "/platform/v1/businesses/{business_uid}",
            get(legacy::business),
        )
        .route(
            "/platform/v1/businesses/{business_uid}/staffs",
            get(legacy::staffs),
        )
        .route(
            "/platform/v1/businesses/{business_uid}/staffs/{staff_uid}",
            get(legacy::staff_one),
        )
        .route("/oauth/userinfo", get(legacy::userinfo))
        .fallback(gate::not_found)
        .method_not_allowed_fallback(gate::method_not_allowed)
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            gate::auth,
        ))
        .with_state(state)
}

/// Opens the database (in memory without a data file) and seeds it when it is new or a seed
/// count is given: one transaction, so a crash mid-seed leaves no half-seeded database.
async fn open_db(
    seed_count: Option<usize>,
    data_file: Option<PathBuf>,
    import_json: Option<PathBuf>,
) -> Result<Connection, ServerError> {
    // File reads and a 100 000-call import are blocking work; keep them off the runtime.
    tokio::task::spawn_blocking(move || {
        let (mut conn, seed) = match &data_file {
            None => (db::open_in_memory()?, true),
            Some(path) => match db::open(path, import_json.as_deref())? {
                db::Opened::Existing(conn) => {
                    // Empty only if a crash came between creating it and the seed's commit.
                    let empty = db::count(&conn).map_err(|e| ServerError::DataCorrupt {
                        path: path.clone(),
                        reason: e.to_string(),
                    })? == 0;
                    (conn, seed_count.is_some() || empty)
                }
                db::Opened::New(conn) => (conn, true),
            },
        };
        if seed {
            let n = seed_count.unwrap_or(seed::DEFAULT_COUNT);
            let calls = seed::generate(n, chrono::Utc::now()).map_err(ServerError::Seed)?;
            db::insert_all(&mut conn, &calls, true).map_err(|e| ServerError::DataWrite {
                path: data_file
                    .clone()
                    .unwrap_or_else(|| PathBuf::from(":memory:")),
                source: std::io::Error::other(e.to_string()),
            })?;
        }
        Ok(conn)
    })
    .await
    .map_err(|e| ServerError::Task(e.to_string()))?
}
