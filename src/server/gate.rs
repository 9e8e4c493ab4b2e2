//! What every request meets before a handler: the bearer check (for every path, the legacy
//! people endpoints' included) and the answers for a path or method nobody serves, each in
//! the error shape of the API the path belongs to.

use std::sync::Arc;

use axum::extract::{Request, State};
use axum::http::{StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use super::AppState;
use super::handlers::ApiError;

/// Requires `Authorization: Bearer <token>` on every request, known route or not.
pub async fn auth(State(state): State<Arc<AppState>>, request: Request, next: Next) -> Response {
    let given = request
        .headers()
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split_once(' '))
        .filter(|(scheme, _)| scheme.eq_ignore_ascii_case("bearer"))
        .map(|(_, token)| token.trim());
    let legacy = super::legacy::is_legacy(request.uri().path());
    match given {
        None | Some("") if legacy => super::legacy::unauthorized(),
        Some(t) if legacy && t != state.token => super::legacy::unauthorized(),
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

pub async fn not_found(request: Request) -> Response {
    let path = request.uri().path();
    let message = format!("no such endpoint: {} {path}", request.method());
    if super::legacy::is_legacy(path) {
        return super::legacy::LegacyError::new(StatusCode::NOT_FOUND, message).into_response();
    }
    ApiError::new(StatusCode::NOT_FOUND, "not_found", message).into_response()
}

pub async fn method_not_allowed(request: Request) -> Response {
    let path = request.uri().path();
    let message = format!("{} is not supported on {path}", request.method());
    if super::legacy::is_legacy(path) {
        let status = StatusCode::METHOD_NOT_ALLOWED;
        return super::legacy::LegacyError::new(status, message).into_response();
    }
    ApiError::new(
        StatusCode::METHOD_NOT_ALLOWED,
        "method_not_allowed",
        message,
    )
    .into_response()
}
