//! `PUT /v3/communication/voice_call_recordings/{uid}`: the `UpdateVoiceCallRecording` body
//! (`{"recording_played": bool}`) sets whether the call's recording was played. The call
//! whose recording has that uid is changed (its `updated_at` moves) and committed in one
//! transaction before the answer, the `VoiceCall` envelope, as a call's PUT is.

use std::sync::Arc;
use std::sync::atomic::Ordering;

use axum::body::Bytes;
use axum::extract::rejection::{BytesRejection, PathRejection};
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use chrono::Utc;
use serde_json::Value;

use super::AppState;
use super::db;
use super::handlers::{ApiError, ok, path_uid, with_db, with_etag};
use super::store::{next_updated_at, to_millis};
use super::validate::FieldError;

/// The one field of `UpdateVoiceCallRecording`.
const FIELD: &str = "recording_played";

/// `recording_played` from the body: present and a JSON boolean, or the 422's field error.
fn played(body: &serde_json::Map<String, Value>) -> Result<bool, FieldError> {
    match body.get(FIELD) {
        Some(Value::Bool(b)) => Ok(*b),
        None => Err(FieldError {
            field: FIELD,
            message: format!("{FIELD} is required: send true or false"),
        }),
        Some(other) => Err(FieldError {
            field: FIELD,
            message: format!("{FIELD} must be true or false (a JSON boolean), not {other}"),
        }),
    }
}

pub async fn put_recording(
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
    let Ok(Value::Object(obj)) = serde_json::from_slice::<Value>(&body) else {
        return Err(ApiError::new(
            StatusCode::BAD_REQUEST,
            "invalid_json",
            "the request body must be a JSON object (an UpdateVoiceCallRecording: \
             {\"recording_played\": true})",
        ));
    };
    let read_only = state.read_object_only.load(Ordering::Relaxed);
    let call = with_db(&state, move |db| {
        let tx = db
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)
            .map_err(ApiError::not_saved)?;
        // An unknown recording is a 404 even when the body is also wrong: the URL comes first.
        let mut call = db::get_by_recording(&tx, &uid)
            .map_err(ApiError::storage)?
            .ok_or_else(|| {
                ApiError::new(
                    StatusCode::NOT_FOUND,
                    "not_found",
                    format!("voice call recording \"{uid}\" not found"),
                )
            })?;
        let played = played(&obj).map_err(|e| ApiError::fields(vec![e]))?;
        if let Some(recording) = call.recording.as_mut() {
            recording.recording_played = played;
        }
        call.updated_at = next_updated_at(call.updated_at, to_millis(Utc::now()));
        db::update(&tx, &call).map_err(ApiError::not_saved)?;
        tx.commit().map_err(ApiError::not_saved)?;
        Ok(call)
    })
    .await?;
    Ok(with_etag(&call, ok(call.as_read(read_only))))
}
