//! Everything that can go wrong talking to the API, as one typed error whose `Display` says
//! what failed in words a user can act on.

use serde::Deserialize;

use crate::sanitize;

/// One entry of the error envelope `{"success":false,"errors":[{"code","message"}]}`.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct ServerMessage {
    #[serde(default)]
    pub code: Option<String>,
    #[serde(default)]
    pub message: Option<String>,
    /// Not in the vendor's envelope, but sent by our embedded server: the field it is about.
    #[serde(default)]
    pub field: Option<String>,
}

impl ServerMessage {
    /// The text to show: the message, else the code.
    pub fn text(&self) -> &str {
        self.message
            .as_deref()
            .or(self.code.as_deref())
            .unwrap_or("(no message)")
    }

    fn sanitised(self) -> Self {
        let clean =
            |o: Option<String>| o.map(|s| sanitize::single_line(&sanitize::clean(&s)).into_owned());
        Self {
            code: clean(self.code),
            message: clean(self.message),
            field: clean(self.field),
        }
    }
}

/// A failed API request.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ApiError {
    /// The server answered with the error envelope (any status, including a 200 with
    /// `"success": false`).
    #[error("HTTP {status}: {}", join(messages))]
    Server {
        status: u16,
        messages: Vec<ServerMessage>,
    },
    /// The server answered with something that is not JSON (a proxy's HTML error page).
    #[error("HTTP {status}: non-JSON response: {snippet}")]
    NonJson { status: u16, snippet: String },
    /// JSON, but not the shape the contract promises.
    #[error("HTTP {status}: unexpected answer: {detail}")]
    Shape { status: u16, detail: String },
    /// The body passed the size cap.
    #[error("response larger than {limit_mib} MiB; refusing to read it (try a smaller page size)")]
    TooLarge { limit_mib: u64 },
    /// Could not connect within the connect timeout.
    #[error("timed out connecting to {host} after {secs} s: is the API reachable?")]
    ConnectTimeout { host: String, secs: u64 },
    /// The whole request took longer than allowed.
    #[error("no answer within {secs} s: the request timed out")]
    Timeout { secs: u64 },
    /// Connection refused, DNS failure, TLS failure, reset…
    #[error("cannot reach {host}: {detail}")]
    Connect { host: String, detail: String },
    /// A redirect we refuse to follow.
    #[error("HTTP {status}: redirected to {location:?}; not followed (check base_url)")]
    Redirect { status: u16, location: String },
    /// A 429/503 whose `Retry-After` is longer than we wait automatically.
    #[error("HTTP {status}: the server asked to wait until {until}; try again then")]
    RetryLater { status: u16, until: String },
    /// A PUT got no answer, and reading the call back showed someone else's change: it was
    /// not sent again, so nothing was overwritten.
    #[error(
        "no answer to the save, and the call has changed on the server since; it was not \
         overwritten: reload it, check, and save again if needed"
    )]
    PutConflict,
    /// Anything else on the wire.
    #[error("network error: {0}")]
    Network(String),
}

fn join(messages: &[ServerMessage]) -> String {
    if messages.is_empty() {
        return "the server gave no reason".to_string();
    }
    messages
        .iter()
        .map(ServerMessage::text)
        .collect::<Vec<_>>()
        .join("; ")
}

impl ApiError {
    /// The HTTP status, when the server answered at all.
    pub fn status(&self) -> Option<u16> {
        match self {
            Self::Server { status, .. }
            | Self::NonJson { status, .. }
            | Self::Shape { status, .. }
            | Self::Redirect { status, .. }
            | Self::RetryLater { status, .. } => Some(*status),
            _ => None,
        }
    }

    /// The server's own messages (empty for transport errors).
    pub fn messages(&self) -> &[ServerMessage] {
        match self {
            Self::Server { messages, .. } => messages,
            _ => &[],
        }
    }

    /// Builds the error for a body that claims failure, or that is not JSON.
    pub(crate) fn from_body(status: u16, body: &[u8]) -> Self {
        #[derive(Deserialize)]
        struct Envelope {
            #[serde(default)]
            errors: Vec<ServerMessage>,
        }
        match serde_json::from_slice::<serde_json::Value>(body) {
            Ok(value) => {
                let messages = serde_json::from_value::<Envelope>(value)
                    .map(|e| e.errors.into_iter().map(ServerMessage::sanitised).collect())
                    .unwrap_or_default();
                Self::Server { status, messages }
            }
            Err(_) => Self::NonJson {
                status,
                snippet: snippet(body),
            },
        }
    }
}

/// The start of a body, made printable, for error messages.
pub(crate) fn snippet(body: &[u8]) -> String {
    const MAX: usize = 120;
    let text = String::from_utf8_lossy(&body[..body.len().min(MAX * 4)]);
    let clean = sanitize::clean(&text);
    let one_line: String = sanitize::single_line(&clean)
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    if one_line.chars().count() > MAX {
        format!("{}…", one_line.chars().take(MAX).collect::<String>())
    } else if one_line.is_empty() {
        "(empty body)".to_string()
    } else {
        one_line
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn envelope_is_parsed_with_every_message() {
        let body = br#"{"success":false,"errors":[{"code":"a","message":"first"},{"code":"b"}]}"#;
        let e = ApiError::from_body(422, body);
        assert_eq!(e.status(), Some(422));
        assert_eq!(e.messages().len(), 2);
        assert_eq!(e.to_string(), "HTTP 422: first; b");
    }

    #[test]
    fn html_is_reported_with_its_start() {
        let body = b"<html><head><title>502 Bad Gateway</title></head>\n<body>nginx</body></html>";
        let e = ApiError::from_body(502, body);
        let text = e.to_string();
        assert!(
            text.starts_with("HTTP 502: non-JSON response: <html>"),
            "{text}"
        );
        assert!(!text.contains('\n'));
    }

    #[test]
    fn hostile_messages_are_cleaned() {
        let body = br#"{"success":false,"errors":[{"message":"bad\u001b]0;pwned\u0007 thing"}]}"#;
        assert_eq!(
            ApiError::from_body(400, body).to_string(),
            "HTTP 400: bad thing"
        );
    }
}
