//! HTTP handlers: the bearer check, the five voice-call endpoints and the JSON error envelope
//! every failure is answered with.

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::sync::atomic::Ordering;
use std::sync::{Arc, PoisonError};

use axum::Json;
use axum::body::Bytes;
use axum::extract::rejection::{BytesRejection, PathRejection};
use axum::extract::{Path, RawQuery, Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use chrono::Utc;
use serde::Serialize;
use serde_json::Value;

use super::AppState;
use super::query::{self, QueryError, SortField, SortKey};
use super::seed;
use super::store::{Call, next_updated_at, to_millis};
use super::validate::{self, FieldError};
use crate::domain::rules;

/// A failure answered as `{"success":false,"errors":[...]}` with a JSON content type.
#[derive(Debug)]
pub struct ApiError {
    status: StatusCode,
    errors: Vec<ErrorEntry>,
}

#[derive(Debug, Serialize)]
struct ErrorEntry {
    code: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    field: Option<&'static str>,
    message: String,
}

impl ApiError {
    pub fn new(status: StatusCode, code: &'static str, message: impl Into<String>) -> Self {
        Self {
            status,
            errors: vec![ErrorEntry {
                code,
                field: None,
                message: message.into(),
            }],
        }
    }

    fn fields(errors: Vec<FieldError>) -> Self {
        Self {
            status: StatusCode::UNPROCESSABLE_ENTITY,
            errors: errors
                .into_iter()
                .map(|e| ErrorEntry {
                    code: "invalid_field",
                    field: Some(e.field),
                    message: e.message,
                })
                .collect(),
        }
    }

    fn not_found(uid: &str) -> Self {
        Self::new(
            StatusCode::NOT_FOUND,
            "not_found",
            format!("voice call \"{uid}\" not found"),
        )
    }

    fn internal(message: impl Into<String>) -> Self {
        Self::new(StatusCode::INTERNAL_SERVER_ERROR, "internal_error", message)
    }
}

impl From<QueryError> for ApiError {
    fn from(e: QueryError) -> Self {
        Self::new(
            StatusCode::UNPROCESSABLE_ENTITY,
            "invalid_parameter",
            e.message,
        )
    }
}

#[derive(Serialize)]
struct Failure {
    success: bool,
    errors: Vec<ErrorEntry>,
}

/// Typed envelopes keep the vendor's field order (`json!` would sort the keys).
#[derive(Serialize)]
struct Success<T> {
    success: bool,
    data: T,
}

#[derive(Serialize)]
struct CallPage<'a> {
    voice_calls: Vec<Cow<'a, Call>>,
}

/// A call as answered (see [`Call::as_read`]).
fn as_read<'a>(state: &AppState, call: &'a Call) -> Cow<'a, Call> {
    call.as_read(state.read_object_only.load(Ordering::Relaxed))
}

#[derive(Serialize)]
struct StatusCount<'a> {
    status: &'a str,
    count: u64,
}

#[derive(Serialize)]
struct Stats<'a> {
    status_counts: Vec<StatusCount<'a>>,
    total_voice_calls: u64,
    start_date: String,
    end_date: String,
}

#[derive(Serialize)]
struct Transcript {
    transcript_uid: String,
    status: &'static str,
    transcript: Option<Vec<seed::Line>>,
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let body = Failure {
            success: false,
            errors: self.errors,
        };
        let mut response = (self.status, Json(body)).into_response();
        if self.status == StatusCode::UNAUTHORIZED {
            response
                .headers_mut()
                .insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
        }
        response
    }
}

fn ok<T: Serialize>(data: T) -> Response {
    Json(Success {
        success: true,
        data,
    })
    .into_response()
}

/// Requires `Authorization: Bearer <token>` on every request, known route or not.
pub async fn auth(State(state): State<Arc<AppState>>, request: Request, next: Next) -> Response {
    let given = request
        .headers()
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split_once(' '))
        .filter(|(scheme, _)| scheme.eq_ignore_ascii_case("bearer"))
        .map(|(_, token)| token.trim());
    match given {
        None | Some("") => ApiError::new(
            StatusCode::UNAUTHORIZED,
            "unauthorized",
            "missing bearer token: send Authorization: Bearer <token>",
        )
        .into_response(),
        Some(t) if t != state.token => {
            ApiError::new(StatusCode::UNAUTHORIZED, "unauthorized", "invalid token").into_response()
        }
        Some(_) => next.run(request).await,
    }
}

pub async fn not_found(request: Request) -> ApiError {
    ApiError::new(
        StatusCode::NOT_FOUND,
        "not_found",
        format!(
            "no such endpoint: {} {}",
            request.method(),
            request.uri().path()
        ),
    )
}

pub async fn method_not_allowed(request: Request) -> ApiError {
    ApiError::new(
        StatusCode::METHOD_NOT_ALLOWED,
        "method_not_allowed",
        format!(
            "{} is not supported on {}",
            request.method(),
            request.uri().path()
        ),
    )
}

/// A malformed path segment (bad percent-encoding) still gets the JSON envelope.
fn path_uid(uid: Result<Path<String>, PathRejection>) -> Result<String, ApiError> {
    uid.map(|Path(uid)| uid).map_err(|e| {
        ApiError::new(
            e.status(),
            "bad_request",
            format!("bad voice call uid in the path: {e}"),
        )
    })
}

pub async fn list(
    State(state): State<Arc<AppState>>,
    RawQuery(raw): RawQuery,
) -> Result<Response, ApiError> {
    let q = query::parse_list(raw.as_deref().unwrap_or(""))?;
    let store = state.store.read().unwrap_or_else(PoisonError::into_inner);
    let calls = store.calls();
    let skip = (q.page - 1) * q.per_page;
    let matching = |c: &&Call| q.filters.matches(c);
    // The store is newest-first, so the console's usual created_at sort needs no sorting at
    // all: walk, filter, skip, take. That keeps deep pages cheap with 100 000 calls.
    let page: Vec<&Call> = match q.sort.as_slice() {
        [
            SortKey {
                field: SortField::CreatedAt,
                desc: true,
            },
        ] => calls
            .iter()
            .filter(matching)
            .skip(skip)
            .take(q.per_page)
            .collect(),
        [
            SortKey {
                field: SortField::CreatedAt,
                desc: false,
            },
        ] => calls
            .iter()
            .rev()
            .filter(matching)
            .skip(skip)
            .take(q.per_page)
            .collect(),
        keys => {
            let mut hits: Vec<&Call> = calls.iter().filter(matching).collect();
            // A stable sort keeps newest-first as the final tie-break, so pages never overlap.
            hits.sort_by(|a, b| {
                keys.iter()
                    .map(|k| k.compare(a, b))
                    .find(|o| o.is_ne())
                    .unwrap_or(std::cmp::Ordering::Equal)
            });
            hits.into_iter().skip(skip).take(q.per_page).collect()
        }
    };
    let voice_calls = page.into_iter().map(|c| as_read(&state, c)).collect();
    Ok(ok(CallPage { voice_calls }))
}

pub async fn get_one(
    State(state): State<Arc<AppState>>,
    uid: Result<Path<String>, PathRejection>,
) -> Result<Response, ApiError> {
    let uid = path_uid(uid)?;
    let store = state.store.read().unwrap_or_else(PoisonError::into_inner);
    store
        .get(&uid)
        .map(|c| ok(as_read(&state, c)))
        .ok_or_else(|| ApiError::not_found(&uid))
}

pub async fn put_one(
    State(state): State<Arc<AppState>>,
    uid: Result<Path<String>, PathRejection>,
    body: Result<Bytes, BytesRejection>,
) -> Result<Response, ApiError> {
    let uid = path_uid(uid)?;
    let body = body.map_err(|e| {
        ApiError::new(
            e.status(),
            "bad_request",
            format!("cannot read the request body: {e}"),
        )
    })?;
    let value: Value = serde_json::from_slice(&body).map_err(|e| {
        ApiError::new(
            StatusCode::BAD_REQUEST,
            "invalid_json",
            format!("the request body is not valid JSON ({e}); send an UpdateVoiceCall object"),
        )
    })?;
    let Value::Object(obj) = value else {
        return Err(ApiError::new(
            StatusCode::BAD_REQUEST,
            "invalid_json",
            "the request body must be a JSON object (an UpdateVoiceCall)",
        ));
    };
    let answer = {
        let mut store = state.store.write().unwrap_or_else(PoisonError::into_inner);
        // An unknown call is a 404 even when the body is also wrong: the URL is the first error.
        let call = store
            .get_mut(&uid)
            .ok_or_else(|| ApiError::not_found(&uid))?;
        if state.partial_updates.load(Ordering::Relaxed) {
            apply_partial(call, obj)?;
        } else {
            let update = validate::validate_update(&obj).map_err(ApiError::fields)?;
            apply_update(call, update);
        }
        as_read(&state, call).into_owned()
    };
    if let Some(p) = &state.persist {
        p.mark_dirty();
    }
    Ok(ok(answer))
}

/// A partial PUT (when the server takes them): the fields the body leaves out keep the
/// call's values; the merged whole is checked and applied like a full body. A field the call
/// never had (`rate` and the like, until a PUT supplied them) and the body leaves out stays
/// unset.
fn apply_partial(
    call: &mut Call,
    mut body: serde_json::Map<String, Value>,
) -> Result<(), ApiError> {
    let stored = serde_json::to_value(&*call).unwrap_or(Value::Null);
    let mut unset = Vec::new();
    for field in &crate::domain::fields::FIELDS {
        if body.contains_key(field.name) {
            continue;
        }
        match stored.get(field.name) {
            Some(v) => {
                body.insert(field.name.to_string(), v.clone());
            }
            None => {
                // Stands in only for the check; put back as unset below.
                body.insert(field.name.to_string(), Value::from(field.example));
                unset.push(field.name);
            }
        }
    }
    let update = validate::validate_update(&body).map_err(ApiError::fields)?;
    let before = call.clone();
    apply_update(call, update);
    for name in unset {
        match name {
            "rate" => call.rate = before.rate.clone(),
            "price" => call.price = before.price.clone(),
            "provider" => call.provider = before.provider.clone(),
            "recording_id" => call.recording_id = before.recording_id.clone(),
            _ => {}
        }
    }
    Ok(())
}

fn apply_update(call: &mut Call, u: crate::api::UpdateVoiceCall) {
    let now = to_millis(Utc::now());
    let was_handled = call.status == "MISSED_CALL_HANDLED";
    let is_handled = u.status == "MISSED_CALL_HANDLED";
    if is_handled && !was_handled {
        call.handled_at = Some(now);
    } else if !is_handled {
        call.handled_at = None;
    }
    call.updated_at = next_updated_at(call.updated_at, now);
    call.staff_uid = u.staff_uid;
    call.client_uid = u.client_uid;
    call.from_number = u.from_number;
    call.to_number = u.to_number;
    call.direction = u.direction;
    call.status = u.status;
    call.rate = Some(u.rate);
    call.price = Some(u.price);
    call.provider = Some(u.provider);
    call.source_id = u.source_id;
    call.duration = u.duration;
    call.call_summary = u.call_summary;
    call.external_app_url = u.external_app_url;
    call.external_app_name = u.external_app_name;
    call.recording_id = Some(u.recording_id);
    call.external_uuid = u.external_uuid;
    // PUT replaces: leaving the field out clears it, which is how a client undoes "handled".
    call.handled_by_staff_uid = u.handled_by_staff_uid;
}

pub async fn transcript(
    State(state): State<Arc<AppState>>,
    uid: Result<Path<String>, PathRejection>,
) -> Result<Response, ApiError> {
    let uid = path_uid(uid)?;
    let call = {
        let store = state.store.read().unwrap_or_else(PoisonError::into_inner);
        store
            .get(&uid)
            .cloned()
            .ok_or_else(|| ApiError::not_found(&uid))?
    };
    let Some(status) = call.transcript_status else {
        return Err(ApiError::new(
            StatusCode::NOT_FOUND,
            "not_found",
            format!("voice call \"{uid}\" has no transcript"),
        ));
    };
    let lines = match status {
        super::store::TranscriptStatus::Done => {
            Some(seed::transcript(&call).map_err(ApiError::internal)?)
        }
        _ => None,
    };
    Ok(ok(Transcript {
        transcript_uid: seed::transcript_uid(&call),
        status: status.as_str(),
        transcript: lines,
    }))
}

pub async fn stats(
    State(state): State<Arc<AppState>>,
    RawQuery(raw): RawQuery,
) -> Result<Response, ApiError> {
    if state.legacy_stats_only {
        return Err(ApiError::new(
            StatusCode::NOT_FOUND,
            "not_found",
            "no such endpoint: GET /v3/communication/voice_calls/reports/voice_call_stats",
        ));
    }
    stats_legacy(State(state), RawQuery(raw)).await
}

/// The report at the older path; the newer path shares it unless tests turned that one off.
pub async fn stats_legacy(
    State(state): State<Arc<AppState>>,
    RawQuery(raw): RawQuery,
) -> Result<Response, ApiError> {
    let q = query::parse_stats(raw.as_deref().unwrap_or(""))?;
    let store = state.store.read().unwrap_or_else(PoisonError::into_inner);
    let mut counts: BTreeMap<(usize, &str), u64> = BTreeMap::new();
    let (mut first, mut last) = (None, None);
    for c in store.calls() {
        let day = c.created_at.date_naive();
        if q.start_date.is_some_and(|s| day < s) || q.end_date.is_some_and(|e| day > e) {
            continue;
        }
        if q.status.as_ref().is_some_and(|s| *s != c.status) {
            continue;
        }
        first = Some(first.map_or(day, |f: chrono::NaiveDate| f.min(day)));
        last = Some(last.map_or(day, |l: chrono::NaiveDate| l.max(day)));
        *counts
            .entry((status_rank(&c.status), c.status.as_str()))
            .or_insert(0) += 1;
    }
    // An explicitly asked-for status is always reported, even at zero.
    if let Some(s) = &q.status {
        counts.entry((status_rank(s), s.as_str())).or_insert(0);
    }
    let today = Utc::now().date_naive();
    let start = q.start_date.or(first).unwrap_or(today);
    let end = q.end_date.or(last).unwrap_or(today);
    let total: u64 = counts.values().sum();
    let status_counts = counts
        .into_iter()
        .map(|((_, status), count)| StatusCount { status, count })
        .collect();
    Ok(ok(Stats {
        status_counts,
        total_voice_calls: total,
        start_date: start.format("%Y-%m-%d").to_string(),
        end_date: end.format("%Y-%m-%d").to_string(),
    }))
}

/// Orders report rows as the documents list statuses; stray spellings go last.
fn status_rank(status: &str) -> usize {
    rules::STATUSES
        .iter()
        .position(|s| *s == status)
        .unwrap_or(if status == rules::VOICEMAIL_ALT {
            rules::STATUSES.len()
        } else {
            usize::MAX
        })
}
