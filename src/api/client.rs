//! The HTTP client: one `reqwest::Client`, reused, that sends the bearer token on every
//! request (and the directory header where the API declares it), caps bodies, refuses redirects, and turns every answer
//! into either typed data or an [`ApiError`], together with an [`Exchange`] for the status bar.

use std::fmt;
use std::sync::Arc;
use std::time::Duration;

use reqwest::Method;
use url::Url;

use super::CALLS_PATH;
use super::body::{
    ReadError, decode, interpret, interpret_bare, interpret_page, is_page, read_capped, read_page,
    undecoded_encoding,
};
use super::error::ApiError;
use super::model::{
    CallPage, CallRecord, CallSource, CreateVoiceCall, Stats, Transcript, UpdateVoiceCall,
    VoiceCall,
};
use super::retry::{Sent, Tried};
use crate::config::secret::Secret;

// The request and answer types live in request.rs; callers keep naming them `api::client::…`.
pub use super::request::{Answer, Exchange, ListQuery, MAX_PER_PAGE, StatsQuery};
use super::request::{encode, join_path, path_segment};

/// Largest body we read; a page of 100 calls is ~100 KiB, so this only stops a runaway server.
pub const MAX_BODY: usize = 8 * 1024 * 1024;
pub const CONNECT_TIMEOUT: Duration = Duration::from_secs(5);
pub const REQUEST_TIMEOUT: Duration = Duration::from_secs(30);
/// How long the answer's head (status and headers) may take: a server that takes a request
/// and then says nothing is given up on well before the whole request's timeout.
pub const HEADERS_TIMEOUT: Duration = Duration::from_secs(10);
/// The first retry waits about this long, the second twice as long.
pub const RETRY_BASE: Duration = Duration::from_millis(200);
/// Tries per request, the first included.
pub const MAX_ATTEMPTS: u8 = 3;

const STATS_PATH: &str = "/v3/communication/voice_calls/reports/voice_call_stats";
const LEGACY_STATS_PATH: &str = "/v3/communication/reports/voice_call_stats";

/// How to reach the API.
#[derive(Debug, Clone)]
pub struct ClientOptions {
    pub base_url: Url,
    pub token: Secret,
    /// A directory token's business (config `on_behalf_of`): sent as `X-On-Behalf-Of` on the
    /// voice-call requests and on the people endpoints that declare it
    /// ([`super::people::sends_on_behalf_of`]). `None` for a staff or app token.
    pub on_behalf_of: Option<String>,
    pub connect_timeout: Duration,
    /// The whole request, body included.
    pub timeout: Duration,
    /// Until the answer's status and headers have come.
    pub headers_timeout: Duration,
    pub max_body: usize,
    /// Backoff before the first retry (doubling, with jitter); tests make it small.
    pub retry_base: Duration,
    /// Tries per GET or PUT, the first included; 1 turns retries off.
    pub max_attempts: u8,
    /// A 429, or a retryable answer with `Retry-After`, is handed back at once as
    /// [`ApiError::SlowDown`] instead of being waited out here: a batch that keeps several
    /// requests out lowers its pace before it retries ([`ApiClient::pacing`]).
    pub hand_back_slow_down: bool,
}

impl ClientOptions {
    pub fn new(base_url: Url, token: Secret) -> Self {
        Self {
            base_url,
            token,
            on_behalf_of: None,
            connect_timeout: CONNECT_TIMEOUT,
            timeout: REQUEST_TIMEOUT,
            headers_timeout: HEADERS_TIMEOUT,
            max_body: MAX_BODY,
            retry_base: RETRY_BASE,
            max_attempts: MAX_ATTEMPTS,
            hand_back_slow_down: false,
        }
    }
}

/// Makes ring the process's TLS provider (see Cargo.toml), for this client and any other
/// `reqwest::Client` built in the process (tests build their own); later calls do nothing.
pub fn install_tls() {
    let _ = rustls::crypto::ring::default_provider().install_default();
}

/// The API client. Cheap to clone: clones share one connection pool.
#[derive(Clone)]
pub struct ApiClient {
    /// Built on its own thread (loading the system's certificates takes a while), so the
    /// console's first frame never waits for it; the first request does, if it has to.
    http: tokio::sync::watch::Receiver<Option<Result<reqwest::Client, String>>>,
    pub(super) opts: Arc<ClientOptions>,
    /// `Authorization: Bearer …`, built once (marked sensitive, so it is never logged);
    /// `None` when the token cannot be a header value. Built from `opts.token`: anything
    /// that ever changes the token must build this again.
    auth: Option<reqwest::header::HeaderValue>,
}

impl fmt::Debug for ApiClient {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ApiClient")
            .field("opts", &self.opts)
            .finish()
    }
}

impl ApiClient {
    pub fn new(opts: ClientOptions) -> Result<Self, ApiError> {
        let builder = reqwest::Client::builder()
            .connect_timeout(opts.connect_timeout)
            .timeout(opts.timeout)
            .redirect(reqwest::redirect::Policy::none())
            .user_agent(concat!("callconsole/", env!("CARGO_PKG_VERSION")));
        let (tx, http) = tokio::sync::watch::channel(None);
        let runtime = tokio::runtime::Handle::try_current().ok();
        let build = move || {
            let _entered = runtime.as_ref().map(tokio::runtime::Handle::enter);
            install_tls();
            let built = builder
                .build()
                .map_err(|e| format!("cannot set up HTTP: {e}"));
            let _ = tx.send(Some(built));
        };
        if let Err(e) = std::thread::Builder::new()
            .name("http-setup".into())
            .spawn(build)
        {
            return Err(ApiError::Network(format!("cannot set up HTTP: {e}")));
        }
        Ok(Self {
            http,
            auth: bearer(&opts.token),
            opts: Arc::new(opts),
        })
    }

    /// The same client (one connection pool) for a batch's requests: a server asking to slow
    /// down is handed back as [`ApiError::SlowDown`], for the batch to lower its pace and
    /// retry after the wait (`console::app::throttle`).
    pub fn pacing(&self) -> Self {
        let mut opts = (*self.opts).clone();
        opts.hand_back_slow_down = true;
        Self {
            http: self.http.clone(),
            opts: Arc::new(opts),
            auth: self.auth.clone(),
        }
    }

    /// The HTTP client, once its setup thread has built it.
    async fn http(&self) -> Result<reqwest::Client, String> {
        let mut rx = self.http.clone();
        match rx.wait_for(Option::is_some).await {
            Ok(built) => built
                .clone()
                .unwrap_or_else(|| Err("HTTP setup did not finish".into())),
            Err(_) => Err("HTTP setup stopped before it finished".into()),
        }
    }

    pub fn base_url(&self) -> &Url {
        &self.opts.base_url
    }

    /// `GET /v3/communication/voice_calls`: one page.
    pub async fn list(&self, query: &ListQuery) -> Answer<CallPage> {
        self.list_with(query, |record| record.to_voice_call()).await
    }

    /// [`ApiClient::list`], each call made into `C` by `make` as it is read, from a record
    /// whose text is borrowed from the answer (the console packs its copy straight from it).
    pub async fn list_with<C>(
        &self,
        query: &ListQuery,
        make: impl FnMut(&CallRecord<'_>) -> C,
    ) -> Answer<CallPage<C>> {
        self.send(Method::GET, CALLS_PATH, &query.pairs(), None)
            .await
            .map(|(status, data)| read_page(status, data, make))
    }

    /// `GET /v3/communication/voice_calls/{uid}`.
    pub async fn get(&self, uid: &str) -> Answer<VoiceCall> {
        self.send(Method::GET, &call_path(uid), &[], None)
            .await
            .map(decode::<VoiceCall>)
    }

    /// [`ApiClient::get`], with the `ETag` the answer came with: a change based on this copy
    /// sends it back as `If-Match`.
    pub async fn get_tagged(&self, uid: &str) -> (Answer<VoiceCall>, Option<String>) {
        let tries = self.opts.max_attempts;
        let (answer, _, etag) = self
            .send_tagged(Method::GET, &call_path(uid), &[], None, tries, &[])
            .await;
        (answer.map(decode::<VoiceCall>), etag)
    }

    /// `PUT /v3/communication/voice_calls/{uid}` with the full update body. A plain PUT: one
    /// that went out and got no readable answer is reported as it failed; the console and
    /// `calls update` write through [`crate::domain::save`], which reads such a call back.
    pub async fn update(&self, uid: &str, body: &UpdateVoiceCall) -> Answer<VoiceCall> {
        self.update_raw(uid, body).await
    }

    /// A plain PUT with any serialisable body (see [`ApiClient::update`]).
    pub async fn update_raw(&self, uid: &str, body: &impl serde::Serialize) -> Answer<VoiceCall> {
        let path = call_path(uid);
        let bytes = match encode(Method::PUT, &path, body) {
            Ok(b) => b,
            Err(failed) => return failed,
        };
        self.send(Method::PUT, &path, &[], Some(bytes))
            .await
            .map(decode::<VoiceCall>)
    }

    /// `POST /v3/communication/voice_calls`: records a call (a call-back's outcome). Sent
    /// once and never again here (`retry.rs` retries only GET and PUT): one that went out and
    /// got no answer may have been created, and only a read-back by its `external_uuid` can
    /// say ([`crate::domain::callback`]).
    pub async fn create(&self, body: &CreateVoiceCall) -> Answer<VoiceCall> {
        self.create_once(body).await.0
    }

    /// [`ApiClient::create`], also saying whether the POST went out and got no readable
    /// answer (no answer, one cut off or unreadable, or a 5xx): it may have been created.
    pub async fn create_once(&self, body: &CreateVoiceCall) -> (Answer<VoiceCall>, bool) {
        let bytes = match encode(Method::POST, CALLS_PATH, body) {
            Ok(b) => b,
            Err(failed) => return (failed, false),
        };
        let (answer, unanswered) = self
            .send_tries(Method::POST, CALLS_PATH, &[], Some(bytes), 1, &[])
            .await;
        (answer.map(decode::<VoiceCall>), unanswered)
    }

    /// Tries per GET or PUT, the first included.
    pub fn tries(&self) -> u8 {
        self.opts.max_attempts
    }

    /// How long to wait before try `attempt + 1`.
    pub fn backoff(&self, attempt: u8) -> Duration {
        super::retry::backoff(self.opts.retry_base, attempt)
    }

    /// `GET …/voice_calls/{uid}/transcript`.
    pub async fn transcript(&self, uid: &str) -> Answer<Transcript> {
        let path = format!("{}/transcript", call_path(uid));
        self.send(Method::GET, &path, &[], None)
            .await
            .map(decode::<Transcript>)
    }

    /// The stats report; falls back to the older path when the newer one is not there (404).
    pub async fn stats(&self, query: &StatsQuery) -> Answer<Stats> {
        let pairs = query.pairs();
        let first = self.send(Method::GET, STATS_PATH, &pairs, None).await;
        let answer = match &first.result {
            Err(ApiError::Server { status: 404, .. }) => {
                self.send(Method::GET, LEGACY_STATS_PATH, &pairs, None)
                    .await
            }
            _ => first,
        };
        answer.map(decode::<Stats>)
    }

    /// One try, within the total timeout: reqwest's timeout covers the body too, but the
    /// outer one makes sure a dripping server cannot hold a request past it.
    pub(super) async fn exchange(
        &self,
        method: Method,
        path: &str,
        query: &[(String, String)],
        body: Option<Vec<u8>>,
        headers: &[(reqwest::header::HeaderName, String)],
    ) -> Tried {
        let limit = self.opts.timeout;
        let once = self.exchange_once(method, path, query, body, headers);
        match tokio::time::timeout(limit, once).await {
            Ok(tried) => tried,
            Err(_) => Tried::failed(
                None,
                Sent::Maybe,
                ApiError::Timeout {
                    secs: whole_secs(limit),
                },
            ),
        }
    }

    async fn exchange_once(
        &self,
        method: Method,
        path: &str,
        query: &[(String, String)],
        body: Option<Vec<u8>>,
        headers: &[(reqwest::header::HeaderName, String)],
    ) -> Tried {
        let mut url = self.opts.base_url.clone();
        url.set_path(&join_path(self.opts.base_url.path(), path));
        if !query.is_empty() {
            url.query_pairs_mut().extend_pairs(query);
        }
        let http = match self.http().await {
            Ok(http) => http,
            Err(e) => return Tried::failed(None, Sent::No, ApiError::Network(e)),
        };
        // A write's answer is read through at once: one that cannot be read must show here,
        // so the caller learns it may have landed.
        let is_write = method == Method::PUT || method == Method::POST;
        let page = is_page(&method, path);
        let req = http.request(method, url);
        let mut req = match &self.auth {
            Some(auth) => req.header(reqwest::header::AUTHORIZATION, auth.clone()),
            // A token no header can carry: reqwest's own refusal, as before.
            None => req.bearer_auth(self.opts.token.expose()),
        }
        .header(reqwest::header::ACCEPT, JSON.clone());
        if let Some(uid) = &self.opts.on_behalf_of
            && super::people::sends_on_behalf_of(path)
        {
            req = req.header("X-On-Behalf-Of", uid);
        }
        for (name, value) in headers {
            req = req.header(name.clone(), value.as_str());
        }
        if let Some(bytes) = body {
            req = req
                .header(reqwest::header::CONTENT_TYPE, JSON.clone())
                .body(bytes);
        }
        let head = tokio::time::timeout(self.opts.headers_timeout, req.send()).await;
        let Ok(head) = head else {
            // Sent, and nothing back: for a PUT it may have landed (the read-back decides).
            let secs = whole_secs(self.opts.headers_timeout);
            return Tried::failed(None, Sent::Maybe, ApiError::Timeout { secs });
        };
        let resp = match head {
            Ok(r) => r,
            Err(e) => {
                let sent = if e.is_connect() {
                    Sent::No
                } else {
                    Sent::Maybe
                };
                return Tried::failed(None, sent, self.transport_error(&e));
            }
        };
        let status = resp.status().as_u16();
        let etag = resp
            .headers()
            .get(reqwest::header::ETAG)
            .and_then(|v| v.to_str().ok())
            .map(str::to_string);
        let retry_after = resp
            .headers()
            .get(reqwest::header::RETRY_AFTER)
            .and_then(|v| v.to_str().ok())
            .map(str::to_string);
        if resp.status().is_redirection() {
            let location = resp
                .headers()
                .get(reqwest::header::LOCATION)
                .and_then(|v| v.to_str().ok())
                .unwrap_or("")
                .to_string();
            let error = ApiError::Redirect { status, location };
            return Tried::failed(Some(status), Sent::Answered, error);
        }
        if let Some(encoding) = undecoded_encoding(resp.headers()) {
            let error = ApiError::Compressed {
                status,
                encoding: Some(encoding),
            };
            return Tried::failed(Some(status), Sent::Answered, error);
        }
        let bytes = match read_capped(resp, self.opts.max_body).await {
            Ok(b) => b,
            Err(ReadError::TooLarge) => {
                let limit_mib = (self.opts.max_body / (1024 * 1024)) as u64;
                let error = ApiError::TooLarge { limit_mib };
                return Tried::failed(Some(status), Sent::Answered, error);
            }
            Err(ReadError::Transport(e)) => {
                // The head came but not the body: for a PUT it may well have landed. No
                // status is reported: "200 OK" beside "timed out" would read as success.
                return Tried::failed(None, Sent::Maybe, self.transport_error(&e));
            }
        };
        let result = if super::people::bare_answer(path) {
            interpret_bare(status, bytes)
        } else if page {
            interpret_page(status, bytes)
        } else {
            interpret(status, bytes, is_write)
        };
        Tried {
            status: Some(status),
            result,
            retry_after,
            sent: Sent::Answered,
            etag,
        }
    }

    fn transport_error(&self, e: &reqwest::Error) -> ApiError {
        let host = self
            .opts
            .base_url
            .host_str()
            .unwrap_or("the API")
            .to_string();
        if e.is_timeout() {
            if e.is_connect() {
                ApiError::ConnectTimeout {
                    host,
                    secs: whole_secs(self.opts.connect_timeout),
                }
            } else {
                ApiError::Timeout {
                    secs: whole_secs(self.opts.timeout),
                }
            }
        } else if e.is_connect() {
            ApiError::Connect {
                host,
                detail: root_cause(e),
            }
        } else {
            ApiError::Network(root_cause(e))
        }
    }
}

/// `application/json`, for `Accept` and a body's `Content-Type`.
static JSON: reqwest::header::HeaderValue =
    reqwest::header::HeaderValue::from_static("application/json");

/// The `Authorization` header for `token`, as reqwest's `bearer_auth` builds it.
fn bearer(token: &Secret) -> Option<reqwest::header::HeaderValue> {
    let mut value =
        reqwest::header::HeaderValue::from_str(&format!("Bearer {}", token.expose())).ok()?;
    value.set_sensitive(true);
    Some(value)
}

pub(super) fn call_path(uid: &str) -> String {
    format!("{CALLS_PATH}/{}", path_segment(uid))
}

fn root_cause(e: &reqwest::Error) -> String {
    let mut source: &dyn std::error::Error = e;
    while let Some(next) = source.source() {
        source = next;
    }
    source.to_string()
}

/// A time limit in whole seconds for messages, rounded up: a 400 ms limit is "1 s", never
/// "0 s".
fn whole_secs(limit: Duration) -> u64 {
    limit.as_millis().div_ceil(1000) as u64
}

#[cfg(test)]
#[path = "client_tests.rs"]
mod tests;
