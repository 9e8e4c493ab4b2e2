//! Answer bodies decoded without a network, by the same steps the client takes after a
//! response arrived: for fuzzing the parsers and for tests that start from bytes.

use super::body::{decode, interpret, interpret_page, read_page};
use super::{ApiError, CallPage, CallRecord, CallSource, VoiceCall};

/// A list answer (`GET …/voice_calls`) with HTTP `status`, as [`super::ApiClient::list`]
/// reads it.
pub fn list_page(status: u16, body: &[u8]) -> Result<CallPage, ApiError> {
    list_page_with(status, body, |record| record.to_voice_call())
}

/// [`list_page`], each call made by `make` from its record read in place, as
/// [`super::ApiClient::list_with`] reads it.
pub fn list_page_with<C>(
    status: u16,
    body: &[u8],
    make: impl FnMut(&CallRecord<'_>) -> C,
) -> Result<CallPage<C>, ApiError> {
    let (status, data) = interpret_page(status, body.to_vec())?;
    read_page(status, data, make)
}

/// A one-call answer (`GET`/`PUT …/voice_calls/{uid}`), as [`super::ApiClient::get`] reads it.
pub fn call(status: u16, body: &[u8]) -> Result<VoiceCall, ApiError> {
    interpret(status, body.to_vec(), false).and_then(decode::<VoiceCall>)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bodies_decode_as_the_client_reads_them() {
        let ok = br#"{"success":true,"data":{"voice_calls":[{"uid":"a\u001b]0;t\u0007b"},3]}}"#;
        let page = list_page(200, ok).expect("page");
        assert_eq!(page.calls[0].uid.as_deref(), Some("ab"));
        assert_eq!(page.unreadable, 1);
        let refused = br#"{"success":false,"errors":[{"message":"no \u009b2Jway"}]}"#;
        assert_eq!(
            list_page(200, refused).map_err(|e| e.to_string()),
            Err("HTTP 200: no way".to_string())
        );
        assert!(matches!(
            call(200, br#"{"success":true,"data":[]}"#),
            Err(ApiError::Shape { .. })
        ));
        assert!(matches!(
            list_page(502, b"<html>"),
            Err(ApiError::NonJson { .. })
        ));
        // Broken text inside a record is reported as such, not read as something else.
        let broken = br#"{"success":true,"data":{"voice_calls":[{"uid":"\ud83d"}]}}"#;
        let err = list_page(200, broken).expect_err("broken escape");
        assert!(err.to_string().contains("not valid JSON"), "{err}");
        let broken = br#"{"success":true,"data":{"uid":"\ud83d"}}"#;
        let err = call(200, broken).expect_err("broken escape");
        assert!(err.to_string().contains("not valid JSON"), "{err}");
    }
}
