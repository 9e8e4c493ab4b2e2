//! Reading an answer's body: capped in size, then checked to be the API's `success: true`
//! envelope and decoded, each failure as an [`ApiError`] that says what was wrong.

use serde::de::DeserializeOwned;
use serde_json::Value;

use super::error::ApiError;

/// The answer body as the contract describes it: a `success: true` envelope carrying `data`.
pub(super) fn interpret(status: u16, bytes: &[u8]) -> Result<(u16, Value), ApiError> {
    if !(200..300).contains(&status) {
        return Err(ApiError::from_body(status, bytes));
    }
    let value: Value = match serde_json::from_slice(bytes) {
        Ok(v) => v,
        // Cut off, or nested past serde_json's depth limit: say so rather than quote it.
        Err(e) if bytes.trim_ascii_start().starts_with(b"{") => {
            return Err(ApiError::Shape {
                status,
                detail: format!("the answer is not valid JSON ({e})"),
            });
        }
        Err(_) => return Err(ApiError::from_body(status, bytes)),
    };
    if value.get("success").and_then(Value::as_bool) == Some(false) {
        return Err(ApiError::from_body(status, bytes));
    }
    match value {
        Value::Object(mut map) => match map.remove("data") {
            Some(data) => Ok((status, data)),
            None => Err(ApiError::Shape {
                status,
                detail: "the answer has no \"data\"".to_string(),
            }),
        },
        _ => Err(ApiError::Shape {
            status,
            detail: "the answer is not a JSON object".to_string(),
        }),
    }
}

pub(super) fn decode<T: DeserializeOwned>((status, data): (u16, Value)) -> Result<T, ApiError> {
    if !data.is_object() {
        return Err(ApiError::Shape {
            status,
            detail: "\"data\" is not an object".to_string(),
        });
    }
    serde_json::from_value(data).map_err(|e| ApiError::Shape {
        status,
        detail: e.to_string(),
    })
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
    let mut buf = Vec::new();
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
        let err = interpret(200, body).expect_err("must fail");
        assert_eq!(err.to_string(), "HTTP 200: nope");
        assert!(interpret(200, br#"{"success":true}"#).is_err());
        assert!(interpret(200, br#"{"success":true,"data":{"a":1}}"#).is_ok());
    }
}
