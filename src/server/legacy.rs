//! The vendor's legacy endpoints for people, as `people.swagger.json` and
//! `userinfo.swagger.json` describe them: `GET /platform/v1/clients` (paged, `search_by`),
//! `…/clients/{id}`, `…/businesses/{uid}`, `…/businesses/{uid}/staffs[/{id}]` and
//! `GET /oauth/userinfo`. They answer `{"status":"OK","data":…}` (userinfo: the bare object),
//! and their errors are `{"status":"Error","error":"…"}`, or `{"error":"Unauthorized"}` for a
//! missing or wrong token — not the voice-call API's `{"success":false,"errors":[…]}`.

use std::sync::{Arc, PoisonError, RwLockReadGuard};

use axum::Json;
use axum::extract::rejection::PathRejection;
use axum::extract::{Path, RawQuery, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use serde_json::Value;

use super::AppState;
use super::people::{People, Record, flag, same_number, text};
use super::query::{parse_date, whole_number};

/// Whether a path belongs to the legacy API (and so gets its error shapes).
pub fn is_legacy(path: &str) -> bool {
    path.starts_with("/platform/") || path.starts_with("/oauth/")
}

/// A failure in the legacy shapes.
#[derive(Debug)]
pub struct LegacyError {
    status: StatusCode,
    error: String,
}

impl LegacyError {
    pub fn new(status: StatusCode, error: impl Into<String>) -> Self {
        Self {
            status,
            error: error.into(),
        }
    }

    fn unprocessable(error: impl Into<String>) -> Self {
        Self::new(StatusCode::UNPROCESSABLE_ENTITY, error)
    }

    fn not_found(error: impl Into<String>) -> Self {
        Self::new(StatusCode::NOT_FOUND, error)
    }
}

impl IntoResponse for LegacyError {
    fn into_response(self) -> Response {
        if self.status == StatusCode::UNAUTHORIZED {
            return unauthorized();
        }
        let body = Failure {
            status: "Error",
            error: self.error,
        };
        (self.status, Json(body)).into_response()
    }
}

/// What the legacy endpoints answer without a valid token.
pub fn unauthorized() -> Response {
    let mut response = (
        StatusCode::UNAUTHORIZED,
        Json(serde_json::json!({"error": "Unauthorized"})),
    )
        .into_response();
    response
        .headers_mut()
        .insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
    response
}

#[derive(Serialize)]
struct Failure {
    status: &'static str,
    error: String,
}

#[derive(Serialize)]
struct Success<T> {
    status: &'static str,
    data: T,
}

fn ok<T: Serialize>(data: T) -> Response {
    Json(Success { status: "OK", data }).into_response()
}

fn people(state: &AppState) -> RwLockReadGuard<'_, People> {
    state.people.read().unwrap_or_else(PoisonError::into_inner)
}

fn segment(path: Result<Path<String>, PathRejection>) -> Result<String, LegacyError> {
    path.map(|Path(s)| s)
        .map_err(|e| LegacyError::new(e.status(), format!("bad id in the path: {e}")))
}

/// The business the path names, or the 404 naming it.
fn check_business(people: &People, uid: &str) -> Result<(), LegacyError> {
    if uid == people.business_uid {
        Ok(())
    } else {
        Err(LegacyError::not_found(format!(
            "business \"{uid}\" not found"
        )))
    }
}

/// `GET /platform/v1/clients/{client_id}` → `data.client`.
pub async fn client(
    State(state): State<Arc<AppState>>,
    id: Result<Path<String>, PathRejection>,
) -> Result<Response, LegacyError> {
    let id = segment(id)?;
    let client = people(&state).client(&id).cloned();
    match client {
        Some(client) => Ok(ok(serde_json::json!({ "client": client }))),
        None => Err(LegacyError::not_found(format!("client \"{id}\" not found"))),
    }
}

/// What `GET /platform/v1/clients` is asked for.
#[derive(Debug, Default)]
struct ClientsQuery {
    page: usize,
    per_page: usize,
    search_by: Option<String>,
    search_term: Option<String>,
    updated_gte: Option<String>,
    updated_lte: Option<String>,
}

const SEARCH_BY: &str = "email, uid, phone or updated_at";

fn parse_clients(raw: &str) -> Result<ClientsQuery, LegacyError> {
    let mut q = ClientsQuery {
        page: 1,
        per_page: 25,
        ..ClientsQuery::default()
    };
    let bad = |e: super::query::QueryError| LegacyError::unprocessable(e.message);
    for (key, value) in url::form_urlencoded::parse(raw.as_bytes()) {
        match key.as_ref() {
            "page" => q.page = whole_number("page", &value, 10_000).map_err(bad)?,
            "per_page" => q.per_page = whole_number("per_page", &value, 100).map_err(bad)?,
            "search_by" => match value.as_ref() {
                "email" | "uid" | "phone" | "updated_at" => q.search_by = Some(value.into()),
                other => {
                    return Err(LegacyError::unprocessable(format!(
                        "search_by must be {SEARCH_BY} (got \"{other}\")"
                    )));
                }
            },
            "search_term" => q.search_term = Some(value.into()),
            k @ ("updated_at[gte]" | "updated_at[lte]") => {
                if parse_date(&value).is_none() {
                    return Err(LegacyError::unprocessable(format!(
                        "{k} must be a date like 2019-01-01 (got \"{value}\")"
                    )));
                }
                if k.ends_with("[gte]") {
                    q.updated_gte = Some(value.into());
                } else {
                    q.updated_lte = Some(value.into());
                }
            }
            _ => {}
        }
    }
    let needs_term = matches!(q.search_by.as_deref(), Some("email" | "uid" | "phone"));
    if needs_term && q.search_term.as_deref().is_none_or(|t| t.trim().is_empty()) {
        return Err(LegacyError::unprocessable(
            "search_term is required with search_by=email, uid or phone",
        ));
    }
    Ok(q)
}

impl ClientsQuery {
    fn matches(&self, client: &Record) -> bool {
        let term = self.search_term.as_deref().unwrap_or("").trim();
        let found = match self.search_by.as_deref() {
            Some("email") => text(client, "email").is_some_and(|e| e.eq_ignore_ascii_case(term)),
            Some("uid") => text(client, "id") == Some(term),
            Some("phone") => ["mobile_phone", "normalized_phone"]
                .iter()
                .filter_map(|k| text(client, k))
                .any(|n| same_number(term, n)),
            _ => true,
        };
        // Compared by date: the stored time starts with its `YYYY-MM-DD`.
        let updated = text(client, "updated_at").unwrap_or("");
        let day = updated.get(..10).unwrap_or(updated);
        found
            && self.updated_gte.as_deref().is_none_or(|d| day >= d)
            && self.updated_lte.as_deref().is_none_or(|d| day <= d)
    }
}

/// `GET /platform/v1/clients`: a page of `data.clients`, searched by email, uid, phone (any
/// common spelling of the number) or `updated_at[gte|lte]`.
pub async fn clients(
    State(state): State<Arc<AppState>>,
    RawQuery(raw): RawQuery,
) -> Result<Response, LegacyError> {
    let q = parse_clients(raw.as_deref().unwrap_or(""))?;
    let page: Vec<Record> = people(&state)
        .clients
        .iter()
        .filter(|c| q.matches(c))
        .skip((q.page - 1) * q.per_page)
        .take(q.per_page)
        .cloned()
        .collect();
    Ok(ok(serde_json::json!({ "clients": page })))
}

/// `GET /platform/v1/businesses/{business_uid}` → `data.business.business` (and the admin).
pub async fn business(
    State(state): State<Arc<AppState>>,
    uid: Result<Path<String>, PathRejection>,
) -> Result<Response, LegacyError> {
    let uid = segment(uid)?;
    let people = people(&state);
    check_business(&people, &uid)?;
    Ok(ok(serde_json::json!({ "business": people.business })))
}

/// `GET /platform/v1/businesses/{business_uid}/staffs?status=active|all` → `data.staff`,
/// booleans as strings; `active` (the default) leaves out inactive and deleted staff.
pub async fn staffs(
    State(state): State<Arc<AppState>>,
    uid: Result<Path<String>, PathRejection>,
    RawQuery(raw): RawQuery,
) -> Result<Response, LegacyError> {
    let uid = segment(uid)?;
    let mut all = false;
    for (key, value) in url::form_urlencoded::parse(raw.as_deref().unwrap_or("").as_bytes()) {
        if key == "status" {
            all = match value.as_ref() {
                "all" => true,
                "active" => false,
                other => {
                    return Err(LegacyError::unprocessable(format!(
                        "status must be active or all (got \"{other}\")"
                    )));
                }
            };
        }
    }
    let people = people(&state);
    check_business(&people, &uid)?;
    let staff: Vec<&Record> = people
        .staff
        .iter()
        .filter(|s| all || (flag(s, "active") != Some(false) && flag(s, "deleted") != Some(true)))
        .collect();
    Ok(ok(serde_json::json!({ "staff": staff })))
}

/// `GET /platform/v1/businesses/{business_uid}/staffs/{staff_uid}` → `data.staff`, a list of
/// one, as the vendor answers it.
pub async fn staff_one(
    State(state): State<Arc<AppState>>,
    ids: Result<Path<(String, String)>, PathRejection>,
) -> Result<Response, LegacyError> {
    let (uid, staff_uid) = ids
        .map(|Path(ids)| ids)
        .map_err(|e| LegacyError::new(e.status(), format!("bad id in the path: {e}")))?;
    let people = people(&state);
    check_business(&people, &uid)?;
    match people.staff_member(&staff_uid) {
        Some(member) => Ok(ok(serde_json::json!({ "staff": [member] }))),
        None => Err(LegacyError::not_found(format!(
            "staff \"{staff_uid}\" not found"
        ))),
    }
}

/// `GET /oauth/userinfo`: who the token belongs to, as a bare object (no envelope).
pub async fn userinfo(State(state): State<Arc<AppState>>) -> Response {
    Json(Value::Object(people(&state).userinfo.clone())).into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_clients_query_is_checked_by_name() {
        let q = parse_clients("search_by=phone&search_term=%2B14155550148&per_page=5&page=2")
            .expect("query");
        assert_eq!((q.page, q.per_page), (2, 5));
        assert_eq!(q.search_term.as_deref(), Some("+14155550148"));
        for (raw, says) in [
            ("per_page=500", "per_page"),
            ("page=0", "page"),
            ("search_by=name&search_term=x", "search_by must be"),
            ("search_by=phone", "search_term is required"),
            ("updated_at[gte]=yesterday", "updated_at[gte]"),
        ] {
            let e = parse_clients(raw).expect_err(raw);
            assert!(e.error.contains(says), "{raw}: {}", e.error);
            assert_eq!(e.status, StatusCode::UNPROCESSABLE_ENTITY);
        }
    }
}
