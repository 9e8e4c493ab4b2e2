//! What a request asks for (the list and stats parameters) and what it gives back: an
//! [`Answer`], the data or the error, with the [`Exchange`] the status bar shows.

use std::time::Duration;

use reqwest::Method;

use super::error::ApiError;

/// The API's own ceiling for `per_page`.
pub const MAX_PER_PAGE: u32 = 100;

/// What one request looked like from the outside: the data the status bar and the request log
/// show (`ui::format::exchange` words it).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Exchange {
    pub method: Method,
    /// Path and query, unencoded for reading (`…/voice_calls?page=2&filter[status]=MISSED`).
    pub path: String,
    /// `None` when no answer came (network error, timeout).
    pub status: Option<u16>,
    pub elapsed: Duration,
    /// How many times it was sent (retries included).
    pub attempts: u8,
}

/// A request's outcome: what was exchanged, and the data or the error.
#[derive(Debug, Clone, PartialEq)]
pub struct Answer<T> {
    pub exchange: Exchange,
    pub result: Result<T, ApiError>,
}

impl<T> Answer<T> {
    /// The same exchange, its data read on by `f`.
    pub fn map<U>(self, f: impl FnOnce(T) -> Result<U, ApiError>) -> Answer<U> {
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
    pub(super) fn pairs(&self) -> Vec<(String, String)> {
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

/// `text` as one path segment: every byte but the unreserved ones (RFC 3986: letters, digits,
/// `-._~`) percent-encoded, so an odd uid cannot walk to another path and a space is `%20`.
/// (Form encoding, used before, wrote a space as `+`, which in a path is a plus: another uid.)
pub(super) fn path_segment(text: &str) -> String {
    use std::fmt::Write as _;
    let mut out = String::with_capacity(text.len());
    for b in text.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            out.push(char::from(b));
        } else {
            let _ = write!(out, "%{b:02X}");
        }
    }
    out
}

/// Keeps a base URL's own path prefix (`https://proxy/api` + `/v3/…`).
pub(super) fn join_path(base: &str, path: &str) -> String {
    format!("{}{}", base.trim_end_matches('/'), path)
}

/// A request body as JSON, or the answer that says it could not be encoded (nothing sent).
pub(super) fn encode<T>(
    method: Method,
    path: &str,
    body: &impl serde::Serialize,
) -> Result<Vec<u8>, Answer<T>> {
    serde_json::to_vec(body).map_err(|e| Answer {
        exchange: Exchange {
            method,
            path: path.to_string(),
            status: None,
            elapsed: Duration::ZERO,
            attempts: 0,
        },
        result: Err(ApiError::Network(format!("cannot encode the body: {e}"))),
    })
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
}
