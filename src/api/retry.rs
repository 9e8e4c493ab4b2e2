//! When to try a request again: connection errors, 502/503/504 and 429, with exponential
//! backoff and jitter, honouring `Retry-After` up to a minute. A PUT that went out and got no
//! readable answer is never sent again here: the caller is told, and the save policy
//! ([`crate::domain::save`]) reads the call back to learn what it means.

use std::time::{Duration, Instant};

use chrono::{DateTime, Local, Utc};
use reqwest::Method;

use super::body::Data;
use super::client::{Answer, ApiClient, Exchange};
use super::error::ApiError;

/// The longest `Retry-After` we wait out on the user's behalf.
pub const RETRY_AFTER_CAP: Duration = Duration::from_secs(60);

/// Statuses that mean "the server (or a proxy) is overloaded or restarting: try again".
pub(super) fn retryable_status(status: u16) -> bool {
    matches!(status, 429 | 502 | 503 | 504)
}

/// `base · 2^(attempt-1)`, ± 25 % so clients that failed together do not retry together.
///
/// The jitter comes from `fastrand` (already in the build through `tempfile`): a seeded
/// per-thread generator, so two calls in the same nanosecond still differ. A backoff crate
/// would also want to own the retry loop, and ours has to stop for `Retry-After` and for
/// reading an unanswered PUT back, so only the number is borrowed.
pub(super) fn backoff(base: Duration, attempt: u8) -> Duration {
    let exp = base.saturating_mul(1u32 << attempt.saturating_sub(1).min(16));
    exp.mul_f64(0.75 + 0.5 * fastrand::f64())
}

/// What a `Retry-After` header asks for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Wait {
    /// Wait this long, then retry.
    For(Duration),
    /// Longer than we wait automatically: the time (local, `HH:MM:SS`) to tell the user.
    Until(String),
}

/// Reads `Retry-After` as seconds or as an HTTP date; `None` when it is neither.
pub(super) fn retry_after(value: &str, now: DateTime<Utc>) -> Option<Wait> {
    let value = value.trim();
    let wait = match value.parse::<u64>() {
        Ok(secs) => Duration::from_secs(secs),
        Err(_) => {
            let at = DateTime::parse_from_rfc2822(value)
                .ok()?
                .with_timezone(&Utc);
            (at - now).to_std().unwrap_or(Duration::ZERO)
        }
    };
    if wait <= RETRY_AFTER_CAP {
        return Some(Wait::For(wait));
    }
    let until = now + chrono::Duration::from_std(wait).ok()?;
    Some(Wait::Until(
        until.with_timezone(&Local).format("%H:%M:%S").to_string(),
    ))
}

impl ApiClient {
    /// Sends a request, retrying GET and PUT as `retry` allows, and reads the envelope:
    /// `Ok((status, data))` on success.
    pub(super) async fn send(
        &self,
        method: Method,
        path: &str,
        query: &[(String, String)],
        body: Option<Vec<u8>>,
    ) -> Answer<(u16, Data)> {
        let tries = self.opts.max_attempts;
        self.send_tries(method, path, query, body, tries, &[])
            .await
            .0
    }

    /// [`ApiClient::send`] with at most `tries` tries; also says whether a PUT or POST went
    /// out and got no readable answer (then it was not tried again).
    pub(super) async fn send_tries(
        &self,
        method: Method,
        path: &str,
        query: &[(String, String)],
        body: Option<Vec<u8>>,
        tries: u8,
        headers: &[(reqwest::header::HeaderName, String)],
    ) -> (Answer<(u16, Data)>, bool) {
        let (answer, unanswered, _) = self
            .send_tagged(method, path, query, body, tries, headers)
            .await;
        (answer, unanswered)
    }

    /// [`ApiClient::send_tries`], also giving the last answer's `ETag`.
    pub(super) async fn send_tagged(
        &self,
        method: Method,
        path: &str,
        query: &[(String, String)],
        body: Option<Vec<u8>>,
        tries: u8,
        headers: &[(reqwest::header::HeaderName, String)],
    ) -> (Answer<(u16, Data)>, bool, Option<String>) {
        let display_path = if query.is_empty() {
            path.to_string()
        } else {
            let q: Vec<String> = query.iter().map(|(k, v)| format!("{k}={v}")).collect();
            format!("{path}?{}", q.join("&"))
        };
        let started = Instant::now();
        let mut attempts = 0u8;
        let mut unanswered = false;
        let mut etag;
        let (status, result) = loop {
            attempts += 1;
            let tried = self
                .exchange(method.clone(), path, query, body.clone(), headers)
                .await;
            let more = attempts < tries;
            etag = tried.etag.clone();
            match self.next_step(&method, attempts, tried) {
                Step::Done(status, result) => break (status, result),
                Step::Unanswered(status, result) => {
                    unanswered = true;
                    break (status, result);
                }
                Step::Retry(status, result, _) if !more => break (status, result),
                Step::Retry(_, _, wait) => tokio::time::sleep(wait).await,
            }
        };
        let answer = Answer {
            exchange: Exchange {
                method,
                path: display_path,
                status,
                elapsed: started.elapsed(),
                attempts,
            },
            result,
        };
        (answer, unanswered, etag)
    }

    /// Decides what follows one try: done, or another try after a wait.
    fn next_step(&self, method: &Method, attempt: u8, tried: Tried) -> Step {
        let Tried {
            status,
            result,
            retry_after,
            sent,
            ..
        } = tried;
        if result.is_ok() {
            return Step::Done(status, result);
        }
        // A POST is never sent twice here: one that went out and got no readable answer (or
        // a 5xx, which may come from a proxy after the server created it) is told to the
        // caller, who looks for it by its `external_uuid` (`domain::callback::record`).
        if *method == Method::POST {
            let unanswered = sent == Sent::Maybe
                || status.is_some_and(|code| code >= 500)
                || unreadable_2xx(status, &result);
            return if unanswered {
                Step::Unanswered(status, result)
            } else {
                Step::Done(status, result)
            };
        }
        // DELETE and friends are not idempotent: one try only.
        if !(*method == Method::GET || *method == Method::PUT) {
            return Step::Done(status, result);
        }
        let backoff = backoff(self.opts.retry_base, attempt);
        // A PUT the server took (2xx) whose answer cannot be read — cut off, too large, not
        // JSON, compressed past reading — is as uncertain as one that got no answer: the
        // caller reads the call back.
        let unreadable_success = *method == Method::PUT && unreadable_2xx(status, &result);
        let sent = if unreadable_success {
            Sent::Maybe
        } else {
            sent
        };
        match (sent, status) {
            (Sent::Answered, Some(code)) if retryable_status(code) => {
                let asked = retry_after.and_then(|v| self::retry_after(&v, chrono::Utc::now()));
                // A batch's request: the server asking to slow down goes back to the batch at
                // once, which lowers its pace and retries after the wait (a 502/503/504
                // without Retry-After is a hiccup, retried here as ever).
                if self.opts.hand_back_slow_down {
                    let wait = match &asked {
                        Some(Wait::For(wait)) => Some(*wait),
                        None if code == 429 => Some(backoff),
                        _ => None,
                    };
                    if let Some(wait) = wait {
                        let error = ApiError::SlowDown { status: code, wait };
                        return Step::Done(status, Err(error));
                    }
                }
                match asked {
                    Some(Wait::Until(until)) => Step::Done(
                        status,
                        Err(ApiError::RetryLater {
                            status: code,
                            until,
                        }),
                    ),
                    Some(Wait::For(wait)) => Step::Retry(status, result, wait),
                    None => Step::Retry(status, result, backoff),
                }
            }
            (Sent::Answered, _) => Step::Done(status, result),
            (Sent::No, _) => Step::Retry(status, result, backoff),
            (Sent::Maybe, _) if *method == Method::GET => Step::Retry(status, result, backoff),
            // It may have landed: sending it again could overwrite a colleague's change
            // made since, so the save policy reads the call back first.
            (Sent::Maybe, _) => Step::Unanswered(status, result),
        }
    }
}

/// A 2xx whose answer cannot be read — cut off, too large, not JSON, compressed past reading:
/// the server took the request, so it is as uncertain as one that got no answer.
fn unreadable_2xx(status: Option<u16>, result: &Result<(u16, Data), ApiError>) -> bool {
    status.is_some_and(|code| (200..300).contains(&code))
        && matches!(
            result,
            Err(ApiError::TooLarge { .. }
                | ApiError::NonJson { .. }
                | ApiError::Shape { .. }
                | ApiError::Compressed { .. })
        )
}

/// One try's outcome.
pub(super) struct Tried {
    pub(super) status: Option<u16>,
    pub(super) result: Result<(u16, Data), ApiError>,
    pub(super) retry_after: Option<String>,
    pub(super) sent: Sent,
    /// The answer's `ETag`, when it sent one (for a later `If-Match`).
    pub(super) etag: Option<String>,
}

impl Tried {
    pub(super) fn failed(status: Option<u16>, sent: Sent, error: ApiError) -> Self {
        Self {
            status,
            result: Err(error),
            retry_after: None,
            etag: None,
            sent,
        }
    }
}

/// Whether the server got the request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Sent {
    /// It answered in full.
    Answered,
    /// The connection never opened: nothing reached it.
    No,
    /// It went out (or partly) and no full answer came: it may have been applied.
    Maybe,
}

enum Step {
    Done(Option<u16>, Result<(u16, Data), ApiError>),
    /// A PUT or POST went out and no readable answer came: not sent again here.
    Unanswered(Option<u16>, Result<(u16, Data), ApiError>),
    /// Not done yet: what to report if no try is left, and how long to wait before the next.
    Retry(Option<u16>, Result<(u16, Data), ApiError>, Duration),
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_with_jitter() {
        let base = Duration::from_millis(200);
        let mut firsts = std::collections::BTreeSet::new();
        for _ in 0..50 {
            let first = backoff(base, 1);
            let second = backoff(base, 2);
            assert!((150..=250).contains(&first.as_millis()), "{first:?}");
            assert!((300..=500).contains(&second.as_millis()), "{second:?}");
            firsts.insert(first);
        }
        // Back to back, in one thread: the waits still spread out.
        assert!(firsts.len() > 10, "{firsts:?}");
    }

    #[test]
    fn retry_after_takes_seconds_and_dates_up_to_a_minute() {
        let now = DateTime::parse_from_rfc3339("2026-11-24T14:02:00Z")
            .expect("now")
            .with_timezone(&Utc);
        assert_eq!(
            retry_after("3", now),
            Some(Wait::For(Duration::from_secs(3)))
        );
        assert_eq!(
            retry_after("Tue, 24 Nov 2026 14:02:30 GMT", now),
            Some(Wait::For(Duration::from_secs(30)))
        );
        let past = retry_after("Tue, 24 Nov 2026 13:00:00 GMT", now);
        assert_eq!(past, Some(Wait::For(Duration::ZERO)));
        let later = now + chrono::Duration::seconds(70);
        let expected = later.with_timezone(&Local).format("%H:%M:%S").to_string();
        assert_eq!(retry_after("70", now), Some(Wait::Until(expected.clone())));
        assert_eq!(
            retry_after("Tue, 24 Nov 2026 14:03:10 GMT", now),
            Some(Wait::Until(expected))
        );
        assert_eq!(retry_after("soon", now), None);
    }
}
