//! The same requests as the typed client, answering with the server's own JSON objects: for
//! scripts that want what the server sent rather than our reading of it, and for the save
//! policy, which compares a call with the body it sends.

use reqwest::Method;
use serde_json::Value;

use super::CALLS_PATH;
use super::body::{Data, into_tree, is_object, located, tree};
use super::client::{Answer, ApiClient, ListQuery, call_path};
use super::error::ApiError;

impl ApiClient {
    /// `GET /v3/communication/voice_calls`: one page as the `data` object, checked to hold a
    /// `voice_calls` list.
    pub async fn list_json(&self, query: &ListQuery) -> Answer<Value> {
        self.send(Method::GET, CALLS_PATH, &query.pairs(), None)
            .await
            .map(|(status, data)| {
                let data = tree(status, &located(status, data)?)?;
                if data.get("voice_calls").is_some_and(Value::is_array) {
                    Ok(data)
                } else {
                    Err(ApiError::Shape {
                        status,
                        detail: "the answer has no data.voice_calls list".to_string(),
                    })
                }
            })
    }

    /// `PUT …/voice_calls/{uid}` of a JSON body, tried at most `tries` times, and only again
    /// where it surely did not apply (the connection never opened; 429, 502, 503, 504). The
    /// call object comes back as the server sent it. When the PUT went out and no readable
    /// answer came, [`Put::unanswered`] says so: what that means is the save policy's to
    /// find out ([`crate::domain::save::read_back`]); the client keeps nothing about calls.
    pub async fn put_call(
        &self,
        uid: &str,
        body: &Value,
        tries: u8,
        based_on: Option<&str>,
        etag: Option<&str>,
    ) -> Put {
        let bytes = serde_json::to_vec(body).unwrap_or_default();
        // The server refuses it (412) when the call changed after the copy it is based on:
        // exactly with the `ETag` that copy came with, else to the second by its time. A
        // change landing between the check and this PUT is then not written over.
        let mut headers: Vec<(reqwest::header::HeaderName, String)> = based_on
            .and_then(super::model::parse_time)
            .map(|t| (reqwest::header::IF_UNMODIFIED_SINCE, http_date(t)))
            .into_iter()
            .collect();
        if let Some(tag) = etag {
            headers.push((reqwest::header::IF_MATCH, tag.to_string()));
        }
        let (answer, unanswered) = self
            .send_tries(
                Method::PUT,
                &call_path(uid),
                &[],
                Some(bytes),
                tries,
                &headers,
            )
            .await;
        Put {
            answer: answer.map(object),
            unanswered,
        }
    }

    /// `GET …/voice_calls/{uid}` once, never retried: reading a call back after a PUT that
    /// got no answer, where a second failure already says enough.
    pub async fn get_json_once(&self, uid: &str) -> Answer<Value> {
        self.send_tries(Method::GET, &call_path(uid), &[], None, 1, &[])
            .await
            .0
            .map(object)
    }

    /// [`ApiClient::get_json`], with the `ETag` the answer came with (for `If-Match`).
    pub async fn get_json_tagged(&self, uid: &str) -> (Answer<Value>, Option<String>) {
        let tries = self.opts.max_attempts;
        let (answer, _, etag) = self
            .send_tagged(Method::GET, &call_path(uid), &[], None, tries, &[])
            .await;
        (answer.map(object), etag)
    }

    /// `GET /v3/communication/voice_calls/{uid}`: the call object as sent.
    pub async fn get_json(&self, uid: &str) -> Answer<Value> {
        self.send(Method::GET, &call_path(uid), &[], None)
            .await
            .map(object)
    }
}

/// How a PUT ended, as far as the wire can tell.
#[derive(Debug)]
pub struct Put {
    pub answer: Answer<Value>,
    /// It went out and no readable answer came: it may have landed.
    pub unanswered: bool,
}

pub(super) fn object((status, data): (u16, Data)) -> Result<Value, ApiError> {
    if is_object(&data) {
        into_tree(status, data)
    } else {
        Err(ApiError::Shape {
            status,
            detail: "\"data\" is not an object".to_string(),
        })
    }
}

/// `t` as an HTTP date (`If-Unmodified-Since`): `Tue, 01 Dec 2026 09:30:05 GMT`.
pub fn http_date(t: chrono::DateTime<chrono::Utc>) -> String {
    t.format("%a, %d %b %Y %H:%M:%S GMT").to_string()
}
