//! Everything that can go wrong talking to the API, as one typed error whose `Display` says
//! what failed in words a user can act on.

use serde::Deserialize;
use serde_json::Value;

use crate::domain::sanitize;

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

/// A failed API request. Its `Display` is always clean, one-line text: parts of it (a
/// redirect's `Location`, a transport error's wording, a decoder's complaint quoting a value)
/// come from the other side, and error text ends up in the status bar, on stderr and in logs.
#[derive(Debug, Clone, PartialEq)]
pub enum ApiError {
    /// The server answered with the error envelope (any status, including a 200 with
    /// `"success": false`).
    Server {
        status: u16,
        messages: Vec<ServerMessage>,
    },
    /// The server answered with something that is not JSON (a proxy's HTML error page).
    NonJson { status: u16, snippet: String },
    /// JSON, but not the shape the contract promises.
    Shape { status: u16, detail: String },
    /// A compressed body the client cannot read: one in an encoding it does not decode
    /// (`Content-Encoding: br`), or gzip bytes sent without saying so (`encoding: None`).
    Compressed {
        status: u16,
        encoding: Option<String>,
    },
    /// The body passed the size cap.
    TooLarge { limit_mib: u64 },
    /// Could not connect within the connect timeout.
    ConnectTimeout { host: String, secs: u64 },
    /// The whole request took longer than allowed.
    Timeout { secs: u64 },
    /// Connection refused, DNS failure, TLS failure, reset…
    Connect { host: String, detail: String },
    /// A redirect we refuse to follow.
    Redirect { status: u16, location: String },
    /// A 429/503 whose `Retry-After` is longer than we wait automatically.
    RetryLater { status: u16, until: String },
    /// A 429 (or a 502/503/504 with `Retry-After`) handed back to a batch at once instead of
    /// being waited out by the client ([`super::ClientOptions::hand_back_slow_down`]): nothing
    /// was done; try again after `wait`, with fewer requests out.
    SlowDown {
        status: u16,
        wait: std::time::Duration,
    },
    /// A PUT got no answer, and reading the call back showed someone else's change: it was
    /// not sent again, so nothing was overwritten.
    PutConflict,
    /// A PUT got no answer, and reading the call back failed too: it may or may not have
    /// landed, so it was not sent again and "nothing was saved" would be a guess.
    PutUnconfirmed,
    /// Anything else on the wire.
    Network(String),
    /// Nothing was sent: the request could not name what it asks for (an empty id, a
    /// number without digits). Says what was missing.
    NotSent(String),
}

impl std::fmt::Display for ApiError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let text = self.raw_text();
        f.write_str(&sanitize::single_line(&sanitize::clean(&text)))
    }
}

impl std::error::Error for ApiError {}

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
    /// The message before cleaning; only `Display` may show it.
    fn raw_text(&self) -> String {
        match self {
            Self::Server { status, messages } => format!("HTTP {status}: {}", join(messages)),
            Self::NonJson { status, snippet } => {
                format!("HTTP {status}: non-JSON response: {snippet}")
            }
            Self::Shape { status, detail } => format!("HTTP {status}: unexpected answer: {detail}"),
            Self::Compressed {
                status,
                encoding: Some(encoding),
            } => format!(
                "HTTP {status}: the server sent a compressed body (Content-Encoding {}) the \
                 console cannot read: it reads gzip or plain JSON",
                sanitize::quoted(encoding)
            ),
            Self::Compressed {
                status,
                encoding: None,
            } => format!(
                "HTTP {status}: the server sent a compressed body (gzip) without saying so \
                 (no Content-Encoding): the console cannot read it"
            ),
            Self::TooLarge { limit_mib } => format!(
                "response larger than {limit_mib} MiB; refusing to read it (try a smaller page size)"
            ),
            Self::ConnectTimeout { host, secs } => {
                format!("timed out connecting to {host} after {secs} s: is the API reachable?")
            }
            Self::Timeout { secs } => format!("no answer within {secs} s: the request timed out"),
            Self::Connect { host, detail } => format!("cannot reach {host}: {detail}"),
            Self::Redirect { status, location } => {
                // Cleaned before quoting: `{:?}` would only escape a payload, still showing it.
                let location = sanitize::clean(location);
                format!(
                    "HTTP {status}: redirected to \"{location}\"; not followed (check base_url)"
                )
            }
            Self::RetryLater { status, until } => {
                format!("HTTP {status}: the server asked to wait until {until}; try again then")
            }
            Self::SlowDown { status, wait } => format!(
                "HTTP {status}: the server asked to slow down; trying again in {:.1} s",
                wait.as_secs_f64()
            ),
            Self::PutConflict => "the call changed on the server after the copy this change \
                                  was based on; it was not overwritten: reload it, check, and \
                                  save again if needed"
                .to_string(),
            // Not "press r": a refresh does not update a row whose new status took it out of
            // the view. Every save reads the call first, so trying again is the safe check.
            Self::PutUnconfirmed => "no answer to the save and the call could not be read \
                                     back — it may have been saved; saving again checks the \
                                     server first and will not overwrite it"
                .to_string(),
            Self::Network(detail) => format!("network error: {detail}"),
            Self::NotSent(reason) => format!("not sent: {reason}"),
        }
    }

    /// The HTTP status, when the server answered at all.
    pub fn status(&self) -> Option<u16> {
        match self {
            Self::Server { status, .. }
            | Self::NonJson { status, .. }
            | Self::Shape { status, .. }
            | Self::Compressed { status, .. }
            | Self::Redirect { status, .. }
            | Self::RetryLater { status, .. }
            | Self::SlowDown { status, .. } => Some(*status),
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
        match serde_json::from_slice::<Value>(body) {
            Ok(value) => Self::Server {
                status,
                messages: messages_in(&value),
            },
            Err(_) => Self::NonJson {
                status,
                snippet: snippet(body),
            },
        }
    }
}

/// The messages of an error body, in each shape the vendor uses: the voice-call API's
/// `{"success":false,"errors":[{"code","message"}]}`, and the legacy endpoints'
/// `{"status":"Error","error":"…"}` and `{"error":"Unauthorized"}` (an `error` object with
/// `code`/`message`, or a lone `message`, are read too).
fn messages_in(value: &Value) -> Vec<ServerMessage> {
    #[derive(Deserialize)]
    struct Envelope {
        #[serde(default)]
        errors: Vec<ServerMessage>,
    }
    let mut messages = serde_json::from_value::<Envelope>(value.clone())
        .map(|e| e.errors)
        .unwrap_or_default();
    if messages.is_empty() {
        let text = |v: &Value| v.as_str().map(str::to_string);
        let lone = |message: Option<String>| ServerMessage {
            code: None,
            message,
            field: None,
        };
        match value.get("error") {
            Some(Value::String(error)) => messages.push(lone(Some(error.clone()))),
            Some(error @ Value::Object(_)) => messages.extend(
                serde_json::from_value::<ServerMessage>(error.clone())
                    .ok()
                    .filter(|m| m.code.is_some() || m.message.is_some()),
            ),
            _ => {}
        }
        if messages.is_empty()
            && let Some(message) = value.get("message").and_then(text)
        {
            messages.push(lone(Some(message)));
        }
    }
    messages.into_iter().map(ServerMessage::sanitised).collect()
}

/// The start of a body, made printable, for error messages. A body that is not text (not
/// UTF-8, or holding NUL bytes: an image, a compressed or UTF-16 body) is named by its size
/// rather than shown as mojibake.
pub(crate) fn snippet(body: &[u8]) -> String {
    const MAX: usize = 120;
    let start = &body[..body.len().min(MAX * 4)];
    let text = match std::str::from_utf8(start) {
        Ok(text) => text,
        // Cut inside a character at the end: the text before it.
        Err(e) if e.error_len().is_none() => {
            std::str::from_utf8(&start[..e.valid_up_to()]).unwrap_or_default()
        }
        Err(_) => return binary(body.len()),
    };
    if text.contains('\0') {
        return binary(body.len());
    }
    let clean = sanitize::clean(text);
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

fn binary(bytes: usize) -> String {
    format!("a binary body of {bytes} bytes, not text")
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
    fn the_legacy_error_shapes_are_read() {
        let e = ApiError::from_body(401, br#"{"error":"Unauthorized"}"#);
        assert_eq!(e.to_string(), "HTTP 401: Unauthorized");
        let e = ApiError::from_body(404, br#"{"status":"Error","error":"Client not found"}"#);
        assert_eq!(e.to_string(), "HTTP 404: Client not found");
        let e = ApiError::from_body(
            422,
            br#"{"status":"Error","error":{"code":"bad","message":"no\u001b[2J"}}"#,
        );
        assert_eq!(e.to_string(), "HTTP 422: no");
        let e = ApiError::from_body(
            429,
            br#"{"status":"Error","message":"Rate limit exceeded"}"#,
        );
        assert_eq!(e.to_string(), "HTTP 429: Rate limit exceeded");
        let e = ApiError::from_body(500, br#"{"status":"Error"}"#);
        assert_eq!(e.to_string(), "HTTP 500: the server gave no reason");
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
    fn bodies_that_are_not_text_are_named_not_shown() {
        let gzip = [0x1f, 0x8b, 0x08, 0x00, 0xff, 0xfe, 0x80, 0x81, b'{'];
        let text = ApiError::from_body(502, &gzip).to_string();
        assert_eq!(
            text,
            "HTTP 502: non-JSON response: a binary body of 9 bytes, not text"
        );
        let utf16: Vec<u8> = "<html>".encode_utf16().flat_map(u16::to_le_bytes).collect();
        let text = ApiError::from_body(502, &utf16).to_string();
        assert!(
            text.ends_with("a binary body of 12 bytes, not text"),
            "{text}"
        );
        // Text cut inside a character at the snippet's end is still text.
        let long = format!("a{}", "é".repeat(400));
        let text = ApiError::from_body(502, long.as_bytes()).to_string();
        assert!(text.contains("ééé"), "{text}");
        assert!(!text.contains('\u{fffd}'), "{text}");
    }

    #[test]
    fn hostile_messages_are_cleaned() {
        let body = br#"{"success":false,"errors":[{"message":"bad\u001b]0;pwned\u0007 thing"}]}"#;
        assert_eq!(
            ApiError::from_body(400, body).to_string(),
            "HTTP 400: bad thing"
        );
    }

    #[test]
    fn every_kind_of_error_displays_clean() {
        let evil = "x\u{1b}]52;c;ZXZpbA==\u{7}\u{9b}2J\u{202e}y\nz";
        let errors = [
            ApiError::Redirect {
                status: 302,
                location: evil.to_string(),
            },
            ApiError::Shape {
                status: 200,
                detail: evil.to_string(),
            },
            ApiError::Connect {
                host: evil.to_string(),
                detail: evil.to_string(),
            },
            ApiError::Network(evil.to_string()),
            ApiError::NotSent(evil.to_string()),
            ApiError::NonJson {
                status: 502,
                snippet: evil.to_string(),
            },
            ApiError::Server {
                status: 400,
                messages: vec![ServerMessage {
                    code: None,
                    message: Some(evil.to_string()),
                    field: None,
                }],
            },
        ];
        for e in errors {
            let text = e.to_string();
            assert!(
                !text
                    .chars()
                    .any(|c| c.is_control() || sanitize::is_unsafe(c)),
                "{text:?}"
            );
            assert!(!text.contains("ZXZpbA"), "{text:?}");
        }
    }
}
