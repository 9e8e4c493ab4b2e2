//! HTTP preconditions on a PUT, so a change based on a copy someone has changed since is
//! refused by the server itself instead of landing over theirs: `If-Match` against the call's
//! `ETag` (its `updated_at` to the millisecond: exact) and `If-Unmodified-Since` against its
//! `updated_at` (an HTTP date: to the second). Checked inside the write's transaction; a
//! failed one is a 412 and nothing is written.

use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use chrono::{DateTime, Utc};

use super::handlers::ApiError;
use super::store::Call;

/// The call's entity tag: its `updated_at` in milliseconds, which every write moves.
pub fn etag(call: &Call) -> String {
    format!("\"{}\"", call.updated_at.timestamp_millis())
}

/// The `ETag` header for a call's answer.
pub fn etag_header(call: &Call) -> Option<HeaderValue> {
    HeaderValue::from_str(&etag(call)).ok()
}

/// The preconditions a PUT came with.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Preconditions {
    if_match: Option<Vec<String>>,
    if_unmodified_since: Option<DateTime<Utc>>,
}

impl Preconditions {
    /// Read from the request's headers; a date that does not parse is a 400 naming it.
    pub fn from_headers(headers: &HeaderMap) -> Result<Self, ApiError> {
        let text = |name: header::HeaderName| {
            headers
                .get(name)
                .and_then(|v| v.to_str().ok())
                .map(str::trim)
                .map(str::to_string)
        };
        let if_match = text(header::IF_MATCH).map(|v| {
            v.split(',')
                .map(|t| t.trim().trim_start_matches("W/").to_string())
                .collect()
        });
        let if_unmodified_since = match text(header::IF_UNMODIFIED_SINCE) {
            None => None,
            Some(v) => Some(
                DateTime::parse_from_rfc2822(&v)
                    .map(|t| t.with_timezone(&Utc))
                    .map_err(|_| {
                        ApiError::new(
                            StatusCode::BAD_REQUEST,
                            "invalid_precondition",
                            format!(
                                "If-Unmodified-Since must be an HTTP date like \"Tue, 01 Dec 2026 09:30:00 GMT\" (got \"{}\")",
                                crate::domain::sanitize::quoted(&v).trim_matches('"')
                            ),
                        )
                    })?,
            ),
        };
        Ok(Self {
            if_match,
            if_unmodified_since,
        })
    }

    /// Whether `call` as the server holds it still meets them; a 412 saying so when not.
    pub fn check(&self, call: &Call) -> Result<(), ApiError> {
        let tag = etag(call);
        let matched = self
            .if_match
            .as_ref()
            .is_none_or(|tags| tags.iter().any(|t| t == "*" || *t == tag));
        // HTTP dates have whole seconds: the call counts as unmodified through the second
        // the client names.
        let unmodified = self
            .if_unmodified_since
            .is_none_or(|since| call.updated_at.timestamp() <= since.timestamp());
        if matched && unmodified {
            return Ok(());
        }
        Err(ApiError::new(
            StatusCode::PRECONDITION_FAILED,
            "precondition_failed",
            format!(
                "call {} changed at {} since the copy this change is based on; not saved — read it again",
                call.uid,
                call.updated_at
                    .to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
            ),
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_http_date_round_trips() {
        let t = DateTime::parse_from_rfc3339("2026-12-01T09:30:05.250Z")
            .unwrap()
            .with_timezone(&Utc);
        let text = crate::api::http_date(t);
        assert_eq!(text, "Tue, 01 Dec 2026 09:30:05 GMT");
        let mut h = HeaderMap::new();
        h.insert(header::IF_UNMODIFIED_SINCE, text.parse().unwrap());
        let p = Preconditions::from_headers(&h).unwrap();
        assert_eq!(
            p.if_unmodified_since.map(|t| t.timestamp()),
            Some(t.timestamp())
        );
        h.insert(header::IF_UNMODIFIED_SINCE, "yesterday".parse().unwrap());
        assert!(Preconditions::from_headers(&h).is_err());
    }
}
