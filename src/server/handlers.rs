//! HTTP handlers: the voice-call endpoints and the JSON error envelope every failure is
//! answered with (the bearer check and the fallbacks are in `gate.rs`, the POST that creates
//! a call in `create.rs`).

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::sync::Arc;
use std::sync::atomic::Ordering;

use axum::Json;
use axum::body::Bytes;
use axum::extract::rejection::{BytesRejection, PathRejection};
use axum::extract::{Path, RawQuery, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use chrono::Utc;
use serde::Serialize;
use serde_json::Value;

use super::AppState;
use super::preconditions::{self, Preconditions};
use super::query::{self, QueryError};
use super::store::{Call, next_updated_at, to_millis};
use super::validate::{self, FieldError};
use super::{db, db_query, seed};
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

    pub(super) fn fields(errors: Vec<FieldError>) -> Self {
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

    /// The database could not be read.
    pub(super) fn storage(e: rusqlite::Error) -> Self {
        Self::internal(format!("the server cannot read its database: {e}"))
    }

    /// A write that did not commit: never answered 200, so the client knows it was not kept.
    pub(super) fn not_saved(e: rusqlite::Error) -> Self {
        Self::new(
            StatusCode::INTERNAL_SERVER_ERROR,
            "not_saved",
            format!(
                "the change was NOT saved: the server cannot write its database ({e}); free disk \
                 space or make the file writable, then send it again"
            ),
        )
    }
}

/// Runs `f` on the database on a blocking thread: SQLite is synchronous and a commit waits
/// for the disk, which must not stall the runtime's threads (tests run many servers at once).
pub(super) async fn with_db<T: Send + 'static>(
    state: &Arc<AppState>,
    f: impl FnOnce(&mut rusqlite::Connection) -> Result<T, ApiError> + Send + 'static,
) -> Result<T, ApiError> {
    let state = state.clone();
    tokio::task::spawn_blocking(move || f(&mut state.db()))
        .await
        .map_err(|e| ApiError::internal(format!("the database task failed: {e}")))?
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

pub(super) fn ok<T: Serialize>(data: T) -> Response {
    Json(Success {
        success: true,
        data,
    })
    .into_response()
}

/// A malformed path segment (bad percent-encoding) still gets the JSON envelope.
pub(super) fn path_uid(uid: Result<Path<String>, PathRejection>) -> Result<String, ApiError> {
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
    let marks = state.clone();
    let page = with_db(&state, move |db| {
        let mut marks = marks
            .page_marks
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        db_query::page_bodies(db, &q, &mut marks).map_err(ApiError::storage)
    })
    .await?;
    let page = page
        .iter()
        .map(|text| db::parse_body(text))
        .collect::<Result<Vec<_>, _>>()
        .map_err(ApiError::storage)?;
    let voice_calls = page.iter().map(|c| as_read(&state, c)).collect();
    Ok(ok(CallPage { voice_calls }))
}

pub async fn get_one(
    State(state): State<Arc<AppState>>,
    uid: Result<Path<String>, PathRejection>,
) -> Result<Response, ApiError> {
    let uid = path_uid(uid)?;
    let call = find(&state, uid).await?;
    Ok(with_etag(&call, ok(as_read(&state, &call))))
}

/// The call with this uid, or the 404 naming it.
async fn find(state: &Arc<AppState>, uid: String) -> Result<Call, ApiError> {
    with_db(state, move |db| {
        db::get(db, &uid)
            .map_err(ApiError::storage)?
            .ok_or_else(|| ApiError::not_found(&uid))
    })
    .await
}

pub async fn put_one(
    State(state): State<Arc<AppState>>,
    uid: Result<Path<String>, PathRejection>,
    headers: axum::http::HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Result<Response, ApiError> {
    let uid = path_uid(uid)?;
    let pre = Preconditions::from_headers(&headers)?;
    let obj = body_object(body, "UpdateVoiceCall")?;
    let partial = state.partial_updates.load(Ordering::Relaxed);
    let read_only = state.read_object_only.load(Ordering::Relaxed);
    // Read, change and write in one transaction, committed before the answer: a 200 means
    // the edit is on disk.
    let answer = with_db(&state, move |db| {
        let tx = db
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)
            .map_err(ApiError::not_saved)?;
        // An unknown call is a 404 even when the body is also wrong: the URL is the first error.
        let mut call = db::get(&tx, &uid)
            .map_err(ApiError::storage)?
            .ok_or_else(|| ApiError::not_found(&uid))?;
        // Based on the copy the client names, or refused (412) with nothing written.
        pre.check(&call)?;
        if partial {
            apply_partial(&mut call, obj)?;
        } else {
            let update = validate::validate_update(&obj).map_err(ApiError::fields)?;
            apply_update(&mut call, update);
        }
        db::update(&tx, &call).map_err(ApiError::not_saved)?;
        tx.commit().map_err(ApiError::not_saved)?;
        Ok(call)
    })
    .await?;
    Ok(with_etag(&answer, ok(answer.as_read(read_only))))
}

/// A request body that must be a JSON object (a `schema`, named in the messages).
pub(super) fn body_object(
    body: Result<Bytes, BytesRejection>,
    schema: &str,
) -> Result<serde_json::Map<String, Value>, ApiError> {
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
            format!("the request body is not valid JSON ({e}); send an {schema} object"),
        )
    })?;
    match value {
        Value::Object(obj) => Ok(obj),
        _ => Err(ApiError::new(
            StatusCode::BAD_REQUEST,
            "invalid_json",
            format!("the request body must be a JSON object (an {schema})"),
        )),
    }
}

/// A call's answer carries its `ETag`, for a later `If-Match`.
pub(super) fn with_etag(call: &Call, mut response: Response) -> Response {
    if let Some(tag) = preconditions::etag_header(call) {
        response.headers_mut().insert(header::ETAG, tag);
    }
    response
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
    let call = find(&state, uid.clone()).await?;
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
    let query = q.clone();
    let rows = with_db(&state, move |db| {
        db_query::stats(db, &query).map_err(ApiError::storage)
    })
    .await?;
    let mut counts: BTreeMap<(usize, &str), u64> = BTreeMap::new();
    let first = rows.iter().map(|r| r.first).min();
    let last = rows.iter().map(|r| r.last).max();
    for r in &rows {
        *counts
            .entry((status_rank(&r.status), r.status.as_str()))
            .or_insert(0) += r.count;
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
