//! Fault injection for the embedded server (`serve --fault SPEC`): slow, failing, dripping,
//! cut-off, oversized, HTML and compressed answers and lying stats, so the client's handling
//! of a bad network or server can be tested and reproduced, on every path or only on some
//! (`:path=/platform/v1/clients`). Also the request log the tests read. What each fault does
//! to an answer is in `answers.rs`.

use std::collections::{BTreeMap, VecDeque};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use axum::body::{Body, Bytes};
use axum::extract::{Request, State};
use axum::http::{HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use serde_json::Value;

mod answers;
use answers::{drip, envelope, gzip, html_page, huge, lying_stats, truncate};

/// The largest request body the log keeps; update bodies are a few hundred bytes.
const LOG_BODY_LIMIT: usize = 1024 * 1024;
/// PUT and POST bodies kept for the tests; older ones are forgotten so a long demo stays
/// small.
const LOG_BODIES: usize = 200;
/// Requests kept in the log of paths ([`SeenRequest`]); older ones are forgotten.
const LOG_REQUESTS: usize = 10_000;

/// What a fault does to a request.
#[derive(Debug, Clone, PartialEq)]
pub enum FaultKind {
    /// Wait this long before answering.
    Latency(Duration),
    /// Answer with this status and an error envelope instead of running the handler.
    Status(u16),
    /// Put `Retry-After: N` on 429 and 503 answers.
    RetryAfter(u64),
    /// Write the body one byte at a time, this long apart.
    Drip(Duration),
    /// Cut the JSON body off half way (with a matching Content-Length).
    Truncate,
    /// A body over the client's cap; `length: false` sends it chunked, with no Content-Length.
    Huge { length: bool },
    /// A proxy's HTML error page with status 502.
    Html,
    /// The body gzipped, with `Content-Encoding` set to this label (`None`: no header).
    Gzip { label: Option<String> },
    /// The stats report's first status count and its total replaced by this JSON value.
    StatsCount(Value),
}

/// One `--fault` value: what, how often, and for which requests.
#[derive(Debug, Clone, PartialEq)]
pub struct Fault {
    pub kind: FaultKind,
    /// The fraction of matching requests it applies to (spread evenly, first one included).
    pub rate: f64,
    /// Only requests with this method; `None` is every request.
    pub method: Option<Method>,
    /// Only requests whose path starts with this; `None` is every path.
    pub path: Option<String>,
    /// The first this many matching requests go through untouched (a page loads, then the
    /// next request fails).
    pub skip: u64,
    /// Latency only: wait after the handler ran, so the change lands but the answer is late.
    pub after: bool,
}

impl std::str::FromStr for Fault {
    type Err = String;

    /// `latency=2s`, `status=503:rate=0.5`, `retry-after=3`, `drip`, `drip=50ms`, `truncate`,
    /// `huge`, `huge=chunked`, `html`, `gzip`, `gzip=none`, `gzip=br`, `stats-count=-3`; any
    /// of them `:rate=F`, `:method=PUT`, `:skip=N`, `:path=/platform/v1/clients`; latency
    /// `:after`.
    fn from_str(spec: &str) -> Result<Self, Self::Err> {
        let mut parts = spec.split(':');
        let head = parts.next().unwrap_or_default().trim();
        let (name, value) = match head.split_once('=') {
            Some((n, v)) => (n.trim(), Some(v.trim())),
            None => (head, None),
        };
        let need = |what: &str| {
            value.ok_or_else(|| format!("\"{name}\" needs a value, e.g. \"{name}={what}\""))
        };
        let kind = match name {
            "latency" => FaultKind::Latency(duration(need("2s")?)?),
            "status" => {
                let v = need("503")?;
                match v.parse::<u16>() {
                    Ok(code) if (100..=599).contains(&code) => FaultKind::Status(code),
                    _ => return Err(format!("\"{v}\" is not an HTTP status (100 to 599)")),
                }
            }
            "retry-after" => {
                let v = need("3")?;
                FaultKind::RetryAfter(
                    v.parse()
                        .map_err(|_| format!("\"{v}\" is not a whole number of seconds"))?,
                )
            }
            "drip" => FaultKind::Drip(value.map_or(Ok(Duration::from_millis(100)), duration)?),
            "truncate" => FaultKind::Truncate,
            "huge" => match value {
                None | Some("length") => FaultKind::Huge { length: true },
                Some("chunked") => FaultKind::Huge { length: false },
                Some(v) => return Err(format!("\"{v}\" is not \"length\" or \"chunked\"")),
            },
            "html" => FaultKind::Html,
            "gzip" => FaultKind::Gzip {
                label: match value {
                    None => Some("gzip".to_string()),
                    Some("none") => None,
                    Some(label) => Some(label.to_string()),
                },
            },
            "stats-count" => {
                let v = need("-3")?;
                FaultKind::StatsCount(serde_json::from_str(v).map_err(|_| {
                    format!("\"{v}\" is not a JSON value like -3, 1e20, 2.5 or \"many\"")
                })?)
            }
            _ => {
                return Err(format!(
                    "unknown fault \"{name}\"; use latency=2s, status=503, retry-after=3, drip, \
                     truncate, huge, html, gzip, gzip=none or stats-count=-3 (options \
                     :rate=0.5 :method=PUT :skip=1 :path=/platform/v1 :after)"
                ));
            }
        };
        let mut fault = Fault {
            kind,
            rate: 1.0,
            method: None,
            path: None,
            skip: 0,
            after: false,
        };
        for option in parts {
            match option.trim().split_once('=') {
                Some(("rate", v)) => match v.parse::<f64>() {
                    Ok(r) if (0.0..=1.0).contains(&r) => fault.rate = r,
                    _ => return Err(format!("rate \"{v}\" is not a number from 0 to 1")),
                },
                Some(("method", v)) => {
                    fault.method = Some(
                        Method::from_bytes(v.to_ascii_uppercase().as_bytes())
                            .map_err(|_| format!("\"{v}\" is not an HTTP method"))?,
                    );
                }
                Some(("path", v)) if v.starts_with('/') => fault.path = Some(v.to_string()),
                Some(("path", v)) => {
                    return Err(format!(
                        "path \"{v}\" must start with /, like path=/platform/v1/clients"
                    ));
                }
                Some(("skip", v)) => {
                    fault.skip = v
                        .parse()
                        .map_err(|_| format!("skip \"{v}\" is not a whole number of requests"))?;
                }
                None if option.trim() == "after" => fault.after = true,
                _ => {
                    return Err(format!(
                        "unknown option \"{option}\"; use rate=0.5, method=PUT, skip=1, \
                         path=/platform/v1 or after"
                    ));
                }
            }
        }
        Ok(fault)
    }
}

/// `2s`, `500ms`, or a bare number of seconds.
fn duration(text: &str) -> Result<Duration, String> {
    let bad = || format!("\"{text}\" is not a duration like 2s or 500ms");
    if let Some(ms) = text.strip_suffix("ms") {
        return ms
            .trim()
            .parse()
            .map(Duration::from_millis)
            .map_err(|_| bad());
    }
    let secs = text.strip_suffix('s').unwrap_or(text).trim();
    secs.parse::<f64>()
        .ok()
        .filter(|s| s.is_finite() && *s >= 0.0)
        .map(Duration::from_secs_f64)
        .ok_or_else(bad)
}

/// The faults and what the server has seen, shared by every request.
#[derive(Debug, Default)]
pub(crate) struct FaultState {
    log: Mutex<RequestLog>,
}

#[derive(Debug, Default)]
struct RequestLog {
    /// Under the log's lock so they can be switched on a running server.
    faults: Vec<Fault>,
    by_method: BTreeMap<String, usize>,
    /// How many requests each fault matched (by method), for its `rate`.
    matched: Vec<u64>,
    /// PUT and POST bodies, with their method.
    bodies: VecDeque<(Method, Bytes)>,
    seen: VecDeque<SeenRequest>,
    /// Beside each of `seen`: the paths of the requests being handled when it arrived, its
    /// own included (how many were out at once, for the tests of a client's pace).
    alongside: VecDeque<Vec<String>>,
    /// The requests being handled now, by a number of their own.
    handling: BTreeMap<u64, String>,
    arrived: u64,
}

/// One request as the server received it, for tests that check what was asked and how.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SeenRequest {
    pub method: String,
    pub path: String,
    /// The raw query string, if any.
    pub query: Option<String>,
    /// The `X-On-Behalf-Of` header, if sent.
    pub on_behalf_of: Option<String>,
}

impl FaultState {
    pub(crate) fn new(faults: Vec<Fault>) -> Self {
        let matched = vec![0; faults.len()];
        Self {
            log: Mutex::new(RequestLog {
                faults,
                matched,
                ..RequestLog::default()
            }),
        }
    }

    /// Replaces the faults; the new ones count matching requests from zero. The request
    /// counts and bodies are kept.
    pub(crate) fn set_faults(&self, faults: Vec<Fault>) {
        let mut log = self.log.lock().unwrap_or_else(PoisonError::into_inner);
        log.matched = vec![0; faults.len()];
        log.faults = faults;
    }

    pub(crate) fn requests(&self, method: &str) -> usize {
        let log = self.log.lock().unwrap_or_else(PoisonError::into_inner);
        log.by_method
            .get(&method.to_ascii_uppercase())
            .copied()
            .unwrap_or(0)
    }

    /// The bodies of the requests with `method` (PUT or POST), oldest first.
    pub(crate) fn bodies(&self, method: &Method) -> Vec<Bytes> {
        let log = self.log.lock().unwrap_or_else(PoisonError::into_inner);
        log.bodies
            .iter()
            .filter(|(m, _)| m == method)
            .map(|(_, b)| b.clone())
            .collect()
    }

    /// The requests (the last 10 000) whose path starts with `prefix`, oldest first.
    pub(crate) fn seen(&self, prefix: &str) -> Vec<SeenRequest> {
        let log = self.log.lock().unwrap_or_else(PoisonError::into_inner);
        log.seen
            .iter()
            .filter(|r| r.path.starts_with(prefix))
            .cloned()
            .collect()
    }

    /// The requests (the last 10 000) whose path starts with `prefix`, oldest first, each with
    /// how many requests whose path starts with `prefix` were being handled when it arrived,
    /// itself included: the most a client kept out at once, and when.
    pub(crate) fn seen_alongside(&self, prefix: &str) -> Vec<(SeenRequest, usize)> {
        let log = self.log.lock().unwrap_or_else(PoisonError::into_inner);
        log.seen
            .iter()
            .zip(&log.alongside)
            .filter(|(r, _)| r.path.starts_with(prefix))
            .map(|(r, paths)| {
                let n = paths.iter().filter(|p| p.starts_with(prefix)).count();
                (r.clone(), n)
            })
            .collect()
    }

    /// Counts the request and picks the faults that apply to it.
    #[cfg(test)]
    fn record(&self, method: &Method, seen: SeenRequest, body: Option<Bytes>) -> Vec<Fault> {
        let (active, number) = self.record_numbered(method, seen, body);
        let mut log = self.log.lock().unwrap_or_else(PoisonError::into_inner);
        log.handling.remove(&number);
        active
    }

    /// Counts the request and picks the faults that apply to it; the request counts as being
    /// handled until the [`Handling`] made with its number is dropped.
    fn record_numbered(
        &self,
        method: &Method,
        seen: SeenRequest,
        body: Option<Bytes>,
    ) -> (Vec<Fault>, u64) {
        let mut log = self.log.lock().unwrap_or_else(PoisonError::into_inner);
        *log.by_method.entry(method.to_string()).or_default() += 1;
        if log.seen.len() >= LOG_REQUESTS {
            log.seen.pop_front();
            log.alongside.pop_front();
        }
        let path = seen.path.clone();
        log.arrived += 1;
        let number = log.arrived;
        log.handling.insert(number, path.clone());
        let alongside = log.handling.values().cloned().collect();
        log.alongside.push_back(alongside);
        log.seen.push_back(seen);
        if let Some(body) = body {
            if log.bodies.len() >= LOG_BODIES {
                log.bodies.pop_front();
            }
            log.bodies.push_back((method.clone(), body));
        }
        let log = &mut *log;
        let mut active = Vec::new();
        for (fault, matched) in log.faults.iter().zip(log.matched.iter_mut()) {
            if fault.method.as_ref().is_some_and(|m| m != method)
                || fault
                    .path
                    .as_ref()
                    .is_some_and(|p| !path.starts_with(p.as_str()))
            {
                continue;
            }
            *matched += 1;
            let Some(n) = matched.checked_sub(fault.skip).filter(|n| *n > 0) else {
                continue;
            };
            // Deterministic spread: request n is hit when ceil(n·rate) steps up, so rate 0.5
            // fails the 1st, 3rd, 5th… and a retry right after a failure goes through.
            let n = n as f64;
            if (n * fault.rate).ceil() > ((n - 1.0) * fault.rate).ceil() {
                active.push(fault.clone());
            }
        }
        (active, number)
    }
}

/// A request being handled: counted in [`FaultState::seen_alongside`] until dropped.
struct Handling {
    state: Arc<FaultState>,
    number: u64,
}

impl Drop for Handling {
    fn drop(&mut self) {
        let mut log = self
            .state
            .log
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        log.handling.remove(&self.number);
    }
}

/// The middleware: counts every request, then applies the faults that hit it.
pub(crate) async fn layer(
    State(state): State<Arc<FaultState>>,
    req: Request,
    next: Next,
) -> Response {
    let method = req.method().clone();
    let path = req.uri().path().to_string();
    let seen = SeenRequest {
        method: method.to_string(),
        path: path.clone(),
        query: req.uri().query().map(str::to_string),
        on_behalf_of: req
            .headers()
            .get("x-on-behalf-of")
            .and_then(|v| v.to_str().ok())
            .map(str::to_string),
    };
    let (req, body) = if method == Method::PUT || method == Method::POST {
        let (parts, body) = req.into_parts();
        match axum::body::to_bytes(body, LOG_BODY_LIMIT).await {
            Ok(bytes) => (
                Request::from_parts(parts, Body::from(bytes.clone())),
                Some(bytes),
            ),
            Err(_) => return StatusCode::PAYLOAD_TOO_LARGE.into_response(),
        }
    } else {
        (req, None)
    };
    let (active, number) = state.record_numbered(&method, seen, body);
    let _handling = Handling {
        state: Arc::clone(&state),
        number,
    };
    if active.is_empty() {
        return next.run(req).await;
    }
    for fault in &active {
        if let FaultKind::Latency(d) = fault.kind
            && !fault.after
        {
            tokio::time::sleep(d).await;
        }
    }
    let status_fault = active.iter().find_map(|f| match f.kind {
        FaultKind::Status(code) => Some(code),
        FaultKind::Html => Some(502),
        _ => None,
    });
    let html = active.iter().any(|f| f.kind == FaultKind::Html);
    let mut response = match status_fault {
        Some(code) if html => html_page(code),
        Some(code) => envelope(code, &path),
        None => next.run(req).await,
    };
    for fault in &active {
        if let FaultKind::Latency(d) = fault.kind
            && fault.after
        {
            tokio::time::sleep(d).await;
        }
    }
    let code = response.status().as_u16();
    for fault in &active {
        response = match &fault.kind {
            FaultKind::RetryAfter(secs) if code == 429 || code == 503 => {
                let mut r = response;
                r.headers_mut()
                    .insert(header::RETRY_AFTER, HeaderValue::from(*secs));
                r
            }
            FaultKind::Drip(gap) => drip(response, *gap).await,
            FaultKind::Truncate => truncate(response).await,
            FaultKind::Huge { length } => huge(*length),
            FaultKind::StatsCount(count) => lying_stats(response, count).await,
            _ => response,
        };
    }
    // Last, so it packs the body every other fault made.
    for fault in &active {
        if let FaultKind::Gzip { label } = &fault.kind {
            response = gzip(response, label.as_deref()).await;
        }
    }
    response
}

#[cfg(test)]
#[path = "faults_tests.rs"]
mod tests;
