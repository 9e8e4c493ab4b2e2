//! The HTTP client: one `reqwest::Client`, reused, that sends the bearer token (and the
//! directory header) on every request, caps bodies, refuses redirects, and turns every answer
//! into either typed data or an [`ApiError`], together with an [`Exchange`] for the status bar.

use std::fmt;
use std::time::{Duration, Instant};

use reqwest::{Method, StatusCode};
use serde::de::DeserializeOwned;
use serde_json::Value;
use url::Url;

use super::CALLS_PATH;
use super::error::ApiError;
use super::model::{CallPage, Stats, Transcript, UpdateVoiceCall, VoiceCall};
use crate::secret::Secret;

/// Largest body we read; a page of 100 calls is ~100 KiB, so this only stops a runaway server.
pub const MAX_BODY: usize = 8 * 1024 * 1024;
pub const CONNECT_TIMEOUT: Duration = Duration::from_secs(5);
pub const REQUEST_TIMEOUT: Duration = Duration::from_secs(30);
/// The API's own ceiling for `per_page`.
pub const MAX_PER_PAGE: u32 = 100;

const STATS_PATH: &str = "/v3/communication/voice_calls/reports/voice_call_stats";
const LEGACY_STATS_PATH: &str = "/v3/communication/reports/voice_call_stats";

/// How to reach the API.
#[derive(Debug, Clone)]
pub struct ClientOptions {
    pub base_url: Url,
    pub token: Secret,
    pub on_behalf_of: Option<String>,
    pub connect_timeout: Duration,
    pub timeout: Duration,
    pub max_body: usize,
}

impl ClientOptions {
    pub fn new(base_url: Url, token: Secret) -> Self {
        Self {
            base_url,
            token,
            on_behalf_of: None,
            connect_timeout: CONNECT_TIMEOUT,
            timeout: REQUEST_TIMEOUT,
            max_body: MAX_BODY,
        }
    }
}

/// What one request looked like from the outside: for the status bar and the request log.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Exchange {
    pub method: Method,
    /// Path and query, unencoded for reading (`…/voice_calls?page=2&filter[status]=MISSED`).
    pub path: String,
    /// `None` when no answer came (network error, timeout).
    pub status: Option<u16>,
    pub elapsed: Duration,
}

impl fmt::Display for Exchange {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let ms = self.elapsed.as_millis();
        match self.status {
            Some(code) => {
                let reason = StatusCode::from_u16(code)
                    .ok()
                    .and_then(|s| s.canonical_reason())
                    .unwrap_or("");
                write!(
                    f,
                    "{} {} → {code} {reason} in {ms} ms",
                    self.method, self.path
                )
            }
            None => write!(f, "{} {} → no answer after {ms} ms", self.method, self.path),
        }
    }
}

impl Exchange {
    /// The status-bar form: the API prefix folded to `…` and only the `page` and filter
    /// parameters kept, so the answer and its messages fit on one line. The request log
    /// shows the full path.
    pub fn short(&self) -> String {
        let (path, query) = self.path.split_once('?').unwrap_or((&self.path, ""));
        let path = path
            .strip_prefix("/v3/communication")
            .map_or(path.to_string(), |p| format!("…{p}"));
        let kept: Vec<&str> = query
            .split('&')
            .filter(|kv| kv.starts_with("page=") || kv.starts_with("filter["))
            .collect();
        let shown = Exchange {
            path: if kept.is_empty() {
                path
            } else {
                format!("{path}?{}", kept.join("&"))
            },
            ..self.clone()
        };
        shown.to_string()
    }
}

/// A request's outcome: what was exchanged, and the data or the error.
#[derive(Debug, Clone)]
pub struct Answer<T> {
    pub exchange: Exchange,
    pub result: Result<T, ApiError>,
}

impl<T> Answer<T> {
    pub(super) fn map<U>(self, f: impl FnOnce(T) -> Result<U, ApiError>) -> Answer<U> {
        Answer {
            exchange: self.exchange,
            result: self.result.and_then(f),
        }
    }
}

/// Parameters of the list call.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListQuery {
    pub page: u32,
    pub per_page: u32,
    /// e.g. `created_at:desc`
    pub sort: Option<String>,
    /// `(field, operator, value)`: `("status", None, "MISSED")` is `filter[status]=MISSED`,
    /// `("created_at", Some("gte"), "2026-01-01")` is `filter[created_at][gte]=2026-01-01`.
    pub filters: Vec<(String, Option<String>, String)>,
}

impl Default for ListQuery {
    fn default() -> Self {
        Self {
            page: 1,
            per_page: 25,
            sort: Some("created_at:desc".to_string()),
            filters: Vec::new(),
        }
    }
}

impl ListQuery {
    pub(super) fn pairs(&self) -> Vec<(String, String)> {
        let mut pairs = vec![
            ("page".to_string(), self.page.max(1).to_string()),
            (
                "per_page".to_string(),
                self.per_page.clamp(1, MAX_PER_PAGE).to_string(),
            ),
        ];
        if let Some(sort) = &self.sort {
            pairs.push(("sort".to_string(), sort.clone()));
        }
        for (field, op, value) in &self.filters {
            let key = match op {
                Some(op) => format!("filter[{field}][{op}]"),
                None => format!("filter[{field}]"),
            };
            pairs.push((key, value.clone()));
        }
        pairs
    }
}

/// Parameters of the stats report (dates `YYYY-MM-DD`).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct StatsQuery {
    pub start_date: Option<String>,
    pub end_date: Option<String>,
    pub status: Option<String>,
}

impl StatsQuery {
    fn pairs(&self) -> Vec<(String, String)> {
        [
            ("start_date", &self.start_date),
            ("end_date", &self.end_date),
            ("status", &self.status),
        ]
        .into_iter()
        .filter_map(|(k, v)| v.as_ref().map(|v| (k.to_string(), v.clone())))
        .collect()
    }
}

/// The API client. Cheap to clone: clones share one connection pool.
#[derive(Clone)]
pub struct ApiClient {
    http: reqwest::Client,
    opts: std::sync::Arc<ClientOptions>,
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
        let http = reqwest::Client::builder()
            .connect_timeout(opts.connect_timeout)
            .timeout(opts.timeout)
            .redirect(reqwest::redirect::Policy::none())
            .user_agent(concat!("callconsole/", env!("CARGO_PKG_VERSION")))
            .build()
            .map_err(|e| ApiError::Network(format!("cannot set up HTTP: {e}")))?;
        Ok(Self {
            http,
            opts: std::sync::Arc::new(opts),
        })
    }

    pub fn base_url(&self) -> &Url {
        &self.opts.base_url
    }

    /// `GET /v3/communication/voice_calls`: one page.
    pub async fn list(&self, query: &ListQuery) -> Answer<CallPage> {
        self.send(Method::GET, CALLS_PATH, &query.pairs(), None)
            .await
            .map(|(status, data)| {
                CallPage::from_data(&data).map_err(|detail| ApiError::Shape { status, detail })
            })
    }

    /// `GET /v3/communication/voice_calls/{uid}`.
    pub async fn get(&self, uid: &str) -> Answer<VoiceCall> {
        self.send(Method::GET, &call_path(uid), &[], None)
            .await
            .map(decode::<VoiceCall>)
    }

    /// `PUT /v3/communication/voice_calls/{uid}` with the full update body.
    pub async fn update(&self, uid: &str, body: &UpdateVoiceCall) -> Answer<VoiceCall> {
        self.update_raw(uid, body).await
    }

    /// PUT with any serialisable body (the `changed`-fields mode sends a subset).
    pub async fn update_raw(&self, uid: &str, body: &impl serde::Serialize) -> Answer<VoiceCall> {
        let bytes = match serde_json::to_vec(body) {
            Ok(b) => b,
            Err(e) => {
                return Answer {
                    exchange: Exchange {
                        method: Method::PUT,
                        path: call_path(uid),
                        status: None,
                        elapsed: Duration::ZERO,
                    },
                    result: Err(ApiError::Network(format!("cannot encode the body: {e}"))),
                };
            }
        };
        self.send(Method::PUT, &call_path(uid), &[], Some(bytes))
            .await
            .map(decode::<VoiceCall>)
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

    /// Sends one request and reads the envelope: `Ok((status, data))` on success.
    pub(super) async fn send(
        &self,
        method: Method,
        path: &str,
        query: &[(String, String)],
        body: Option<Vec<u8>>,
    ) -> Answer<(u16, Value)> {
        let display_path = if query.is_empty() {
            path.to_string()
        } else {
            let q: Vec<String> = query.iter().map(|(k, v)| format!("{k}={v}")).collect();
            format!("{path}?{}", q.join("&"))
        };
        let started = Instant::now();
        let (status, result) = self.exchange(method.clone(), path, query, body).await;
        Answer {
            exchange: Exchange {
                method,
                path: display_path,
                status,
                elapsed: started.elapsed(),
            },
            result,
        }
    }

    async fn exchange(
        &self,
        method: Method,
        path: &str,
        query: &[(String, String)],
        body: Option<Vec<u8>>,
    ) -> (Option<u16>, Result<(u16, Value), ApiError>) {
        let mut url = self.opts.base_url.clone();
        url.set_path(&join_path(self.opts.base_url.path(), path));
        if !query.is_empty() {
            url.query_pairs_mut().extend_pairs(query);
        }
        let mut req = self
            .http
            .request(method, url)
            .bearer_auth(self.opts.token.expose())
            .header(reqwest::header::ACCEPT, "application/json");
        if let Some(uid) = &self.opts.on_behalf_of {
            req = req.header("X-On-Behalf-Of", uid);
        }
        if let Some(bytes) = body {
            req = req
                .header(reqwest::header::CONTENT_TYPE, "application/json")
                .body(bytes);
        }
        let resp = match req.send().await {
            Ok(r) => r,
            Err(e) => return (None, Err(self.transport_error(&e))),
        };
        let status = resp.status().as_u16();
        if resp.status().is_redirection() {
            let location = resp
                .headers()
                .get(reqwest::header::LOCATION)
                .and_then(|v| v.to_str().ok())
                .unwrap_or("")
                .to_string();
            return (Some(status), Err(ApiError::Redirect { status, location }));
        }
        let bytes = match read_capped(resp, self.opts.max_body).await {
            Ok(b) => b,
            Err(ReadError::TooLarge) => {
                let limit_mib = (self.opts.max_body / (1024 * 1024)) as u64;
                return (Some(status), Err(ApiError::TooLarge { limit_mib }));
            }
            Err(ReadError::Transport(e)) => {
                return (Some(status), Err(self.transport_error(&e)));
            }
        };
        (Some(status), interpret(status, &bytes))
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
                    secs: self.opts.connect_timeout.as_secs(),
                }
            } else {
                ApiError::Timeout {
                    secs: self.opts.timeout.as_secs(),
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

/// The answer body as the contract describes it: a `success: true` envelope carrying `data`.
pub(super) fn interpret(status: u16, bytes: &[u8]) -> Result<(u16, Value), ApiError> {
    if !(200..300).contains(&status) {
        return Err(ApiError::from_body(status, bytes));
    }
    let value: Value = match serde_json::from_slice(bytes) {
        Ok(v) => v,
        Err(_) => return Err(ApiError::from_body(status, bytes)),
    };
    if value.get("success").and_then(Value::as_bool) == Some(false) {
        return Err(ApiError::from_body(status, bytes));
    }
    match value {
        Value::Object(mut map) => match map.remove("data") {
            Some(data) => Ok((status, data)),
            None => Err(ApiError::Shape {
                status,
                detail: "the answer has no \"data\"".to_string(),
            }),
        },
        _ => Err(ApiError::Shape {
            status,
            detail: "the answer is not a JSON object".to_string(),
        }),
    }
}

pub(super) fn decode<T: DeserializeOwned>((status, data): (u16, Value)) -> Result<T, ApiError> {
    if !data.is_object() {
        return Err(ApiError::Shape {
            status,
            detail: "\"data\" is not an object".to_string(),
        });
    }
    serde_json::from_value(data).map_err(|e| ApiError::Shape {
        status,
        detail: e.to_string(),
    })
}

enum ReadError {
    TooLarge,
    Transport(reqwest::Error),
}

/// Reads the body chunk by chunk and stops past `max`, whether or not a length was declared.
async fn read_capped(mut resp: reqwest::Response, max: usize) -> Result<Vec<u8>, ReadError> {
    if resp.content_length().is_some_and(|n| n > max as u64) {
        return Err(ReadError::TooLarge);
    }
    let mut buf = Vec::new();
    while let Some(chunk) = resp.chunk().await.map_err(ReadError::Transport)? {
        if buf.len() + chunk.len() > max {
            return Err(ReadError::TooLarge);
        }
        buf.extend_from_slice(&chunk);
    }
    Ok(buf)
}

pub(super) fn call_path(uid: &str) -> String {
    // Percent-encode the uid so an odd one cannot walk to another path.
    let encoded: String = url::form_urlencoded::byte_serialize(uid.as_bytes()).collect();
    format!("{CALLS_PATH}/{encoded}")
}

/// Keeps a base URL's own path prefix (`https://proxy/api` + `/v3/…`).
fn join_path(base: &str, path: &str) -> String {
    format!("{}{}", base.trim_end_matches('/'), path)
}

fn root_cause(e: &reqwest::Error) -> String {
    let mut source: &dyn std::error::Error = e;
    while let Some(next) = source.source() {
        source = next;
    }
    source.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn query_pairs_follow_the_filter_syntax() {
        let q = ListQuery {
            page: 2,
            per_page: 500,
            sort: Some("created_at:desc".into()),
            filters: vec![
                ("status".into(), None, "MISSED".into()),
                ("created_at".into(), Some("gte".into()), "2026-01-01".into()),
            ],
        };
        let pairs = q.pairs();
        assert!(pairs.contains(&("per_page".into(), "100".into())));
        assert!(pairs.contains(&("filter[status]".into(), "MISSED".into())));
        assert!(pairs.contains(&("filter[created_at][gte]".into(), "2026-01-01".into())));
    }

    #[test]
    fn success_false_with_200_is_an_error() {
        let body = br#"{"success":false,"errors":[{"code":"x","message":"nope"}]}"#;
        let err = interpret(200, body).expect_err("must fail");
        assert_eq!(err.to_string(), "HTTP 200: nope");
        assert!(interpret(200, br#"{"success":true}"#).is_err());
        assert!(interpret(200, br#"{"success":true,"data":{"a":1}}"#).is_ok());
    }

    #[test]
    fn exchange_reads_like_the_status_bar() {
        let ex = Exchange {
            method: Method::PUT,
            path: "/v3/communication/voice_calls/9f1c".into(),
            status: Some(200),
            elapsed: Duration::from_millis(143),
        };
        assert_eq!(
            ex.to_string(),
            "PUT /v3/communication/voice_calls/9f1c → 200 OK in 143 ms"
        );
        assert_eq!(ex.short(), "PUT …/voice_calls/9f1c → 200 OK in 143 ms");
        let list = Exchange {
            method: Method::GET,
            path: "/v3/communication/voice_calls?page=2&per_page=50&sort=created_at:desc&filter[status]=MISSED".into(),
            status: None,
            elapsed: Duration::from_millis(5012),
        };
        assert_eq!(
            list.short(),
            "GET …/voice_calls?page=2&filter[status]=MISSED → no answer after 5012 ms"
        );
    }

    #[test]
    fn uids_cannot_escape_the_path() {
        assert_eq!(
            call_path("a/../b"),
            "/v3/communication/voice_calls/a%2F..%2Fb"
        );
    }
}
