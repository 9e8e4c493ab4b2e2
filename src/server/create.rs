//! `POST /v3/communication/voice_calls`: records a call (a call-back's outcome), faithful to
//! the vendor's `CreateVoiceCall`, and idempotent on its `external_uuid`.

use std::sync::Arc;
use std::sync::atomic::Ordering;

use axum::body::Bytes;
use axum::extract::State;
use axum::extract::rejection::BytesRejection;
use axum::response::Response;
use chrono::Utc;

use super::AppState;
use super::db;
use super::handlers::{ApiError, body_object, ok, with_db, with_etag};
use super::store::{Call, to_millis};
use super::validate;
use crate::api::CreateVoiceCall;

/// Creates a call from a `CreateVoiceCall` body and answers it as `{"success":true,
/// "data":{VoiceCall}}` with a new uid and `created_at`/`updated_at` now, committed before
/// the answer (a 200 means on disk), so the list lists it and the stats report counts it.
///
/// Beyond the vendor's schema, two optional fields are taken: `call_summary` (a string) and
/// `duration` (whole seconds, a JSON number), each held to the field table's rule. The
/// product's brief records a call-back's note and length, and the schema has no place for
/// them; a body without them is the vendor's and is taken as it is (summary empty, duration 0).
///
/// A body whose `external_uuid` the server already holds is a re-send of one whose answer was
/// lost: it is answered with the call the first one created (200), and nothing is created.
/// Broken fields are a 422 naming each one, in the PUT's envelope; `business_uid` must be
/// this server's business (the one `/oauth/userinfo` names).
pub async fn create_one(
    State(state): State<Arc<AppState>>,
    body: Result<Bytes, BytesRejection>,
) -> Result<Response, ApiError> {
    let obj = body_object(body, "CreateVoiceCall")?;
    let business_uid = state.business_uid();
    let create = validate::validate_create(&obj, &business_uid).map_err(ApiError::fields)?;
    let read_only = state.read_object_only.load(Ordering::Relaxed);
    // Looked up and written in one transaction, committed before the answer: two re-sends
    // racing each other still create one call.
    let call = with_db(&state, move |db| {
        let tx = db
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)
            .map_err(ApiError::not_saved)?;
        if let Some(held) =
            db::by_external_uuid(&tx, &create.external_uuid).map_err(ApiError::storage)?
        {
            tracing::info!(
                uid = held.uid,
                "POST with an external_uuid already held: answered with that call"
            );
            return Ok(held);
        }
        let call = new_call(create);
        db::insert(&tx, &call).map_err(ApiError::not_saved)?;
        tx.commit().map_err(ApiError::not_saved)?;
        Ok(call)
    })
    .await?;
    Ok(with_etag(&call, ok(call.as_read(read_only))))
}

/// The stored call for a checked body: a new uid, made and last changed now.
fn new_call(c: CreateVoiceCall) -> Call {
    let now = to_millis(Utc::now());
    let handled = c.status == "MISSED_CALL_HANDLED";
    Call {
        uid: crate::domain::callback::random_uuid(),
        created_at: now,
        updated_at: now,
        duration: c.duration.unwrap_or(0),
        status: c.status,
        direction: c.direction,
        staff_uid: c.staff_uid,
        client_uid: c.client_uid,
        from_number: c.from_number,
        to_number: c.to_number,
        call_summary: c.call_summary.unwrap_or_default(),
        recording: None,
        external_app_url: String::new(),
        external_app_name: String::new(),
        source_id: c.source_id,
        external_uuid: c.external_uuid,
        handled_by_staff_uid: None,
        handled_at: handled.then_some(now),
        deleted_at: None,
        transcript_status: None,
        rate: Some(c.rate),
        price: None,
        provider: Some(c.provider),
        recording_id: None,
    }
}
