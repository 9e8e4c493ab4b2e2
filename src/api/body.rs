//! Reading an answer's body: capped in size, then checked to be the API's `success: true`
//! envelope (or the legacy endpoints' `status: "OK"` one, or userinfo's bare object) and
//! decoded, each failure as an [`ApiError`] that says what was wrong.

use std::borrow::Cow;
use std::collections::HashMap;

use serde::de::DeserializeOwned;
use serde_json::Value;
use serde_json::value::RawValue;

use super::error::ApiError;
use super::model::record_page::{self, Restartable, envelope_records};
use super::model::{CallPage, CallRecord};

/// An answer's `data` as the exact JSON text the server sent: the body itself, and where
/// `data` sits in it (no copy). Each caller reads it straight into what it needs, so a page of
/// a hundred calls is never built as a `Value` tree first.
#[derive(Debug)]
pub(super) struct Data {
    body: String,
    range: std::ops::Range<usize>,
    /// A list page's whole body, its envelope not read yet ([`interpret_page`]): read by
    /// [`read_page`], or [`located`] first.
    envelope: bool,
    /// `data` as a tree, when it was read whole already (a PUT's answer, [`interpret`]): the
    /// caller that wants the tree takes it ([`into_tree`]) instead of reading it again.
    read: Option<Value>,
}

impl Data {
    pub(super) fn get(&self) -> &str {
        debug_assert!(
            !self.envelope,
            "a list page's body is read by read_page, or located first"
        );
        &self.body[self.range.clone()]
    }

    fn whole(body: String) -> Self {
        Self {
            range: 0..body.len(),
            body,
            envelope: false,
            read: None,
        }
    }
}

/// Whether the answer to `method path` is a page of the call list, read by [`read_page`].
pub(super) fn is_page(method: &reqwest::Method, path: &str) -> bool {
    method == reqwest::Method::GET && path == super::CALLS_PATH
}

/// [`interpret`] for a page of the call list: a successful answer that looks like a JSON
/// object is kept whole, for [`read_page`] to read its envelope and its calls in one pass.
/// Anything else is read by [`interpret`] at once.
pub(super) fn interpret_page(status: u16, bytes: Vec<u8>) -> Result<(u16, Data), ApiError> {
    if bytes.starts_with(&GZIP_MAGIC)
        || !(200..300).contains(&status)
        || !bytes.trim_ascii_start().starts_with(b"{")
    {
        return interpret(status, bytes, false);
    }
    match String::from_utf8(bytes) {
        Ok(body) => Ok((
            status,
            Data {
                range: 0..body.len(),
                body,
                envelope: true,
                read: None,
            },
        )),
        Err(e) => interpret(status, e.into_bytes(), false),
    }
}

/// A list page's calls, each made by `make` from its record read in place. A body kept whole
/// by [`interpret_page`] is read in one pass when it is the plain case; otherwise (and for
/// anything odd) its envelope is read by [`interpret`] first, with the same errors as ever.
pub(super) fn read_page<C>(
    status: u16,
    data: Data,
    mut make: impl FnMut(&CallRecord<'_>) -> C,
) -> Result<CallPage<C>, ApiError> {
    let mut calls = Vec::with_capacity(100);
    let unreadable = page_records(status, data, &mut |record| match record {
        Some(record) => calls.push(make(record)),
        None => calls.clear(),
    })?;
    Ok(CallPage { calls, unreadable })
}

/// [`read_page`] for any caller, compiled once (the binary's size is held to 10 MiB).
fn page_records(status: u16, data: Data, sink: Restartable<'_>) -> Result<usize, ApiError> {
    if data.envelope
        && let Some(unreadable) = envelope_records(&data.body, &mut |record| sink(Some(record)))
    {
        return Ok(unreadable);
    }
    sink(None);
    let data = located(status, data)?;
    record_page::page_records(data.get(), sink).map_err(|detail| ApiError::Shape { status, detail })
}

/// A list page's `data`, its envelope read by [`interpret`] when [`interpret_page`] kept the
/// body whole: for the callers that read `data` the usual way.
pub(super) fn located(status: u16, data: Data) -> Result<Data, ApiError> {
    if data.envelope {
        Ok(interpret(status, data.body.into_bytes(), false)?.1)
    } else {
        Ok(data)
    }
}

/// The answer body as the contract describes it: a `success: true` envelope carrying `data`.
/// With `whole`, `data` is also read through at once (a PUT's answer: one that cannot be read
/// must show here, so the retry layer reads the call back); otherwise the caller's own reading
/// finds any fault inside it.
pub(super) fn interpret(status: u16, bytes: Vec<u8>, whole: bool) -> Result<(u16, Data), ApiError> {
    // Gzip the client was not told of (a declared one arrives decoded): named, not quoted.
    if bytes.starts_with(&GZIP_MAGIC) {
        return Err(ApiError::Compressed {
            status,
            encoding: None,
        });
    }
    if !(200..300).contains(&status) {
        return Err(ApiError::from_body(status, &bytes));
    }
    // The usual answer: an object whose members are kept as text, `data` found in place.
    let bytes = match String::from_utf8(bytes) {
        Ok(body) => {
            match find_data(&body) {
                Some(Ok(range)) if range.is_empty() => return Err(no_data(status)),
                Some(Ok(range)) => {
                    let mut data = Data {
                        body,
                        range,
                        envelope: false,
                        read: None,
                    };
                    if whole {
                        data.read = Some(tree(status, &data)?);
                    }
                    return Ok((status, data));
                }
                Some(Err(())) => return Err(ApiError::from_body(status, body.as_bytes())),
                None => {}
            }
            body.into_bytes()
        }
        Err(e) => e.into_bytes(),
    };
    // Anything else is read as a tree, to say what is wrong with it.
    let value: Value = match serde_json::from_slice(&bytes) {
        Ok(v) => v,
        // Cut off, or nested past serde_json's depth limit: say so rather than quote it.
        Err(e) if bytes.trim_ascii_start().starts_with(b"{") => {
            return Err(ApiError::Shape {
                status,
                detail: format!("the answer is not valid JSON ({e})"),
            });
        }
        Err(_) => return Err(ApiError::from_body(status, &bytes)),
    };
    if says_failure(&value) {
        return Err(ApiError::from_body(status, &bytes));
    }
    match value {
        Value::Object(mut map) => match map.remove("data") {
            Some(data) => Ok((status, Data::whole(data.to_string()))),
            None => Err(no_data(status)),
        },
        _ => Err(ApiError::Shape {
            status,
            detail: "the answer is not a JSON object".to_string(),
        }),
    }
}

/// `"success": false` (the voice-call API) or `"status": "Error"` (the legacy endpoints).
fn says_failure(value: &Value) -> bool {
    value.get("success").and_then(Value::as_bool) == Some(false)
        || value
            .get("status")
            .and_then(Value::as_str)
            .is_some_and(|s| s.eq_ignore_ascii_case("error"))
}

/// An answer that is not wrapped in an envelope (`GET /oauth/userinfo`, OpenID's bare
/// object): the whole body is the data, once it is a JSON object that does not say it failed.
pub(super) fn interpret_bare(status: u16, bytes: Vec<u8>) -> Result<(u16, Data), ApiError> {
    if !(200..300).contains(&status) {
        return Err(ApiError::from_body(status, &bytes));
    }
    let value: Value = match serde_json::from_slice(&bytes) {
        Ok(v) => v,
        Err(e) if bytes.trim_ascii_start().starts_with(b"{") => {
            return Err(ApiError::Shape {
                status,
                detail: format!("the answer is not valid JSON ({e})"),
            });
        }
        Err(_) => return Err(ApiError::from_body(status, &bytes)),
    };
    if !value.is_object() {
        return Err(ApiError::Shape {
            status,
            detail: "the answer is not a JSON object".to_string(),
        });
    }
    if says_failure(&value) || value.get("error").is_some() {
        return Err(ApiError::from_body(status, &bytes));
    }
    // The bytes were just read as JSON, so they are UTF-8.
    let body = String::from_utf8_lossy(&bytes).into_owned();
    Ok((status, Data::whole(body)))
}

/// How every gzip stream starts (RFC 1952): no JSON or text body can.
const GZIP_MAGIC: [u8; 2] = [0x1f, 0x8b];

/// The answer's `Content-Encoding` when it is one the client has not decoded: gzip is
/// asked for and decoded on the way in (its header is gone by then), so any other value
/// but `identity` means a body that cannot be read.
pub(super) fn undecoded_encoding(headers: &reqwest::header::HeaderMap) -> Option<String> {
    let value = headers.get(reqwest::header::CONTENT_ENCODING)?;
    let text = String::from_utf8_lossy(value.as_bytes());
    let text = text.trim();
    (!text.is_empty() && !text.eq_ignore_ascii_case("identity")).then(|| text.to_string())
}

/// Where `data` is in a body that is a JSON object: `Some(Err(()))` when it says
/// `success: false`, an empty range when it has no `data`, `None` when it is not an object.
fn find_data(body: &str) -> Option<Result<std::ops::Range<usize>, ()>> {
    let members = serde_json::from_str::<HashMap<Cow<str>, &RawValue>>(body).ok()?;
    if members.get("success").is_some_and(|v| v.get() == "false")
        || members
            .get("status")
            .is_some_and(|v| v.get().eq_ignore_ascii_case(r#""error""#))
    {
        return Some(Err(()));
    }
    let start = body.as_ptr() as usize;
    Some(Ok(members.get("data").map_or(0..0, |data| {
        let at = data.get().as_ptr() as usize - start;
        at..at + data.get().len()
    })))
}

fn no_data(status: u16) -> ApiError {
    ApiError::Shape {
        status,
        detail: "the answer has no \"data\"".to_string(),
    }
}

/// Whether `data` is a JSON object (its text starts with `{`).
pub(super) fn is_object(data: &Data) -> bool {
    data.get().trim_ascii_start().starts_with('{')
}

/// `data` as a tree, for the callers that look things up in it. Finding `data` skipped over
/// its insides, so this is where a broken escape or nesting past serde_json's limit shows.
pub(super) fn tree(status: u16, data: &Data) -> Result<Value, ApiError> {
    serde_json::from_str(data.get()).map_err(|e| ApiError::Shape {
        status,
        detail: format!("the answer is not valid JSON ({e})"),
    })
}

/// [`tree`], taking the tree [`interpret`] already read when there is one.
pub(super) fn into_tree(status: u16, data: Data) -> Result<Value, ApiError> {
    match data.read {
        Some(read) => Ok(read),
        None => tree(status, &data),
    }
}

pub(super) fn decode<T: DeserializeOwned>((status, data): (u16, Data)) -> Result<T, ApiError> {
    if !is_object(&data) {
        return Err(ApiError::Shape {
            status,
            detail: "\"data\" is not an object".to_string(),
        });
    }
    // Straight from the text; a tree in between only when that fails (a member sent twice is
    // an error for a derived reader, while a tree keeps the last one, as before).
    match serde_json::from_str(data.get()) {
        Ok(value) => Ok(value),
        Err(_) => serde_json::from_value(tree(status, &data)?).map_err(|e| ApiError::Shape {
            status,
            detail: e.to_string(),
        }),
    }
}

pub(super) enum ReadError {
    TooLarge,
    Transport(reqwest::Error),
}

/// Reads the body chunk by chunk and stops past `max`, whether or not a length was declared.
pub(super) async fn read_capped(
    mut resp: reqwest::Response,
    max: usize,
) -> Result<Vec<u8>, ReadError> {
    if resp.content_length().is_some_and(|n| n > max as u64) {
        return Err(ReadError::TooLarge);
    }
    // Sized once from the declared length (a page of calls is ~100 KB): no regrowing.
    let mut buf = Vec::with_capacity(resp.content_length().map_or(0, |n| n as usize).min(max));
    while let Some(chunk) = resp.chunk().await.map_err(ReadError::Transport)? {
        if buf.len() + chunk.len() > max {
            return Err(ReadError::TooLarge);
        }
        buf.extend_from_slice(&chunk);
    }
    Ok(buf)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn success_false_with_200_is_an_error() {
        let body = br#"{"success":false,"errors":[{"code":"x","message":"nope"}]}"#;
        let err = interpret(200, body.to_vec(), false).expect_err("must fail");
        assert_eq!(err.to_string(), "HTTP 200: nope");
        assert!(interpret(200, br#"{"success":true}"#.to_vec(), false).is_err());
        assert!(interpret(200, br#"{"success":true,"data":{"a":1}}"#.to_vec(), false).is_ok());
        let (_, data) = interpret(
            200,
            br#" {"data": {"a": [1, "x"]}, "data": {"b": 2}} "#.to_vec(),
            false,
        )
        .expect("last member wins, as in a tree");
        assert_eq!(data.get(), r#"{"b": 2}"#);
        let err = interpret(200, b"[1]".to_vec(), false).expect_err("not an object");
        assert!(err.to_string().contains("not a JSON object"), "{err}");
        let err = interpret(200, br#"{"data": {"#.to_vec(), false).expect_err("cut off");
        assert!(err.to_string().contains("not valid JSON"), "{err}");
        // Half a surrogate pair inside `data`: finding `data` skips over it; reading it whole
        // (as for a PUT's answer) or decoding it says the answer is broken.
        let broken = br#"{"success":true,"data":{"uid":"a","call_summary":"\ud83d"}}"#;
        let err = interpret(200, broken.to_vec(), true).expect_err("read whole");
        assert!(err.to_string().contains("not valid JSON"), "{err}");
        let answer = interpret(200, broken.to_vec(), false).expect("found");
        let err = decode::<serde_json::Value>(answer).expect_err("decoded");
        assert!(err.to_string().contains("not valid JSON"), "{err}");
    }

    /// A PUT's answer is read as a tree once, to know it can be read; that tree is the one
    /// its caller gets, the same as reading `data`'s text again would give.
    #[test]
    fn a_put_answer_read_whole_hands_over_the_tree_it_read() {
        let body = br#"{"success":true,"data":{"uid":"a","n":[1.5,{"b":null}],"uid":"b"}}"#;
        let (status, whole) = interpret(200, body.to_vec(), true).expect("read whole");
        assert!(whole.read.is_some(), "kept");
        let (_, found) = interpret(200, body.to_vec(), false).expect("found");
        assert!(found.read.is_none(), "not read whole");
        let expected = tree(200, &found).expect("tree");
        assert_eq!(expected["uid"], "b", "the last member wins");
        assert_eq!(into_tree(status, whole).expect("kept tree"), expected);
        assert_eq!(into_tree(200, found).expect("read now"), expected);
    }

    #[test]
    fn the_legacy_envelope_reads_and_its_failure_is_an_error() {
        let (_, data) = interpret(200, br#"{"status":"OK","data":{"a":1}}"#.to_vec(), false)
            .expect("legacy success");
        assert_eq!(data.get(), r#"{"a":1}"#);
        let err = interpret(200, br#"{"status":"Error","error":"nope"}"#.to_vec(), false)
            .expect_err("legacy failure on a 200");
        assert_eq!(err.to_string(), "HTTP 200: nope");
        let (_, data) =
            interpret_bare(200, br#"{"sub":"s1","type":"staff"}"#.to_vec()).expect("bare object");
        assert_eq!(data.get(), r#"{"sub":"s1","type":"staff"}"#);
        let err = interpret_bare(200, br#"{"error":"Unauthorized"}"#.to_vec()).expect_err("error");
        assert_eq!(err.to_string(), "HTTP 200: Unauthorized");
        let err = interpret_bare(401, br#"{"error":"Unauthorized"}"#.to_vec()).expect_err("401");
        assert_eq!(err.status(), Some(401));
        assert!(interpret_bare(200, b"[1]".to_vec()).is_err());
        assert!(interpret_bare(200, b"{\"sub\":".to_vec()).is_err());
    }
}
