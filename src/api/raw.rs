//! The same requests as the typed client, answering with the server's own JSON objects, for
//! scripts that want what the server sent rather than our reading of it.

use reqwest::Method;
use serde_json::Value;

use super::CALLS_PATH;
use super::body::{Data, is_object, tree};
use super::client::{Answer, ApiClient, ListQuery, call_path};
use super::error::ApiError;

impl ApiClient {
    /// `GET /v3/communication/voice_calls`: one page as the `data` object, checked to hold a
    /// `voice_calls` list.
    pub async fn list_json(&self, query: &ListQuery) -> Answer<Value> {
        self.send(Method::GET, CALLS_PATH, &query.pairs(), None)
            .await
            .map(|(status, data)| {
                let data = tree(status, &data)?;
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

    /// `GET /v3/communication/voice_calls/{uid}`: the call object as sent.
    pub async fn get_json(&self, uid: &str) -> Answer<Value> {
        self.send(Method::GET, &call_path(uid), &[], None)
            .await
            .map(object)
    }
}

pub(super) fn object((status, data): (u16, Data)) -> Result<Value, ApiError> {
    if is_object(&data) {
        tree(status, &data)
    } else {
        Err(ApiError::Shape {
            status,
            detail: "\"data\" is not an object".to_string(),
        })
    }
}
