//! `PUT /v3/communication/voice_call_recordings/{uid}`: marks a call's recording played (or
//! not). Setting a flag to a value is idempotent, so it is retried like any PUT.

use reqwest::Method;
use serde::Serialize;

use super::body::decode;
use super::client::{Answer, ApiClient};
use super::model::VoiceCall;
use super::request::{encode, path_segment};

/// Path of the recordings collection.
pub const RECORDINGS_PATH: &str = "/v3/communication/voice_call_recordings";

/// The `UpdateVoiceCallRecording` body.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct UpdateVoiceCallRecording {
    pub recording_played: bool,
}

impl ApiClient {
    /// `PUT …/voice_call_recordings/{uid}` with `{"recording_played": played}`; the answer is
    /// the call the recording belongs to.
    pub async fn recording_played(&self, uid: &str, played: bool) -> Answer<VoiceCall> {
        let path = format!("{RECORDINGS_PATH}/{}", path_segment(uid));
        let body = UpdateVoiceCallRecording {
            recording_played: played,
        };
        let bytes = match encode(Method::PUT, &path, &body) {
            Ok(b) => b,
            Err(failed) => return failed,
        };
        self.send(Method::PUT, &path, &[], Some(bytes))
            .await
            .map(decode::<VoiceCall>)
    }
}
