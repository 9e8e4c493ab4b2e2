//! The server's call shape: the strict stored/answered `Call`, its timestamps, and reading the
//! older JSON data file (imported once into the database, see `db.rs`).

use std::collections::HashSet;

use chrono::{DateTime, SecondsFormat, TimeDelta, Utc};
use serde::{Deserialize, Serialize};

/// Version of the older JSON data-file layout; a file with another version is refused, not
/// guessed at.
const FILE_VERSION: u32 = 1;

/// One voice call as the server stores and answers it (the OpenAPI `VoiceCall`, in its order).
/// `rate`, `price`, `provider` and `recording_id` are not part of the documented read object,
/// so they stay out of the JSON until a PUT has supplied them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Call {
    pub uid: String,
    #[serde(with = "ts")]
    pub created_at: DateTime<Utc>,
    #[serde(with = "ts")]
    pub updated_at: DateTime<Utc>,
    pub duration: u64,
    pub status: String,
    pub direction: String,
    pub staff_uid: String,
    pub client_uid: String,
    pub from_number: String,
    pub to_number: String,
    pub call_summary: String,
    pub recording: Option<Recording>,
    pub external_app_url: String,
    pub external_app_name: String,
    pub source_id: String,
    pub external_uuid: String,
    pub handled_by_staff_uid: Option<String>,
    #[serde(with = "ts_opt")]
    pub handled_at: Option<DateTime<Utc>>,
    #[serde(with = "ts_opt")]
    pub deleted_at: Option<DateTime<Utc>>,
    pub transcript_status: Option<TranscriptStatus>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rate: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub price: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub provider: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub recording_id: Option<String>,
}

/// The OpenAPI `VoiceCallRecording`; `recordingUrl` is camelCase in the vendor's schema.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Recording {
    pub uid: String,
    #[serde(rename = "recordingUrl")]
    pub recording_url: String,
    pub size: u64,
    pub duration: u64,
    pub recording_played: bool,
    pub recording_type: RecordingType,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum RecordingType {
    Call,
    Voicemail,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum TranscriptStatus {
    InProgress,
    Done,
    Failed,
}

impl Call {
    /// The call as answered. With `read_object_only` (the vendor's read object, which a
    /// test can switch on), the fields that object lacks are left out even once stored.
    pub fn as_read(&self, read_object_only: bool) -> std::borrow::Cow<'_, Call> {
        if !read_object_only {
            return std::borrow::Cow::Borrowed(self);
        }
        let mut call = self.clone();
        call.rate = None;
        call.price = None;
        call.provider = None;
        call.recording_id = None;
        std::borrow::Cow::Owned(call)
    }
}

impl TranscriptStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::InProgress => "IN_PROGRESS",
            Self::Done => "DONE",
            Self::Failed => "FAILED",
        }
    }
}

/// The vendor writes timestamps as RFC 3339 with milliseconds and `Z`; so do we, always.
pub fn format_ts(t: &DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Millis, true)
}

/// Drops sub-millisecond precision so a stored time survives a round trip through the file.
pub fn to_millis(t: DateTime<Utc>) -> DateTime<Utc> {
    DateTime::from_timestamp_millis(t.timestamp_millis()).unwrap_or(t)
}

mod ts {
    use super::*;

    pub fn serialize<S: serde::Serializer>(t: &DateTime<Utc>, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&format_ts(t))
    }

    pub fn deserialize<'de, D: serde::Deserializer<'de>>(d: D) -> Result<DateTime<Utc>, D::Error> {
        let text = String::deserialize(d)?;
        DateTime::parse_from_rfc3339(&text)
            .map(|t| t.with_timezone(&Utc))
            .map_err(|e| serde::de::Error::custom(format!("bad timestamp \"{text}\": {e}")))
    }
}

mod ts_opt {
    use super::*;

    pub fn serialize<S: serde::Serializer>(
        t: &Option<DateTime<Utc>>,
        s: S,
    ) -> Result<S::Ok, S::Error> {
        match t {
            Some(t) => s.serialize_str(&format_ts(t)),
            None => s.serialize_none(),
        }
    }

    pub fn deserialize<'de, D: serde::Deserializer<'de>>(
        d: D,
    ) -> Result<Option<DateTime<Utc>>, D::Error> {
        let text: Option<String> = Option::deserialize(d)?;
        text.map(|text| {
            DateTime::parse_from_rfc3339(&text)
                .map(|t| t.with_timezone(&Utc))
                .map_err(|e| serde::de::Error::custom(format!("bad timestamp \"{text}\": {e}")))
        })
        .transpose()
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FileIn {
    version: u32,
    calls: Vec<Call>,
}

/// Parses an older JSON data file (`{"version":1,"calls":[...]}`); the error text says what is
/// wrong inside it. Duplicate uids are refused: they would make GET and PUT ambiguous.
pub fn calls_from_file_bytes(bytes: &[u8]) -> Result<Vec<Call>, String> {
    let file: FileIn = serde_json::from_slice(bytes).map_err(|e| e.to_string())?;
    if file.version != FILE_VERSION {
        return Err(format!(
            "version {} is not the supported version {FILE_VERSION}",
            file.version
        ));
    }
    let mut seen = HashSet::with_capacity(file.calls.len());
    if let Some(c) = file.calls.iter().find(|c| !seen.insert(c.uid.as_str())) {
        return Err(format!("the uid \"{}\" appears twice", c.uid));
    }
    Ok(file.calls)
}

/// The next `updated_at`: now, but strictly after the previous value so clients that compare
/// timestamps always see an edit as newer, even two edits within one millisecond.
pub fn next_updated_at(previous: DateTime<Utc>, now: DateTime<Utc>) -> DateTime<Utc> {
    let now = to_millis(now);
    if now > previous {
        now
    } else {
        previous + TimeDelta::milliseconds(1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn call(uid: &str, secs: i64) -> Call {
        let t = DateTime::from_timestamp(1_700_000_000 + secs, 0).unwrap();
        Call {
            uid: uid.into(),
            created_at: t,
            updated_at: t,
            duration: 0,
            status: "MISSED".into(),
            direction: "INBOUND".into(),
            staff_uid: "s".into(),
            client_uid: "c".into(),
            from_number: "+14155550100".into(),
            to_number: "+14155550101".into(),
            call_summary: "x".into(),
            recording: None,
            external_app_url: "https://a.example/".into(),
            external_app_name: "my.pa".into(),
            source_id: "src".into(),
            external_uuid: "ext".into(),
            handled_by_staff_uid: None,
            handled_at: None,
            deleted_at: None,
            transcript_status: None,
            rate: None,
            price: None,
            provider: None,
            recording_id: None,
        }
    }

    #[test]
    fn json_shape_omits_unknown_update_fields_and_uses_millis() {
        let mut c = call("a", 0);
        let v = serde_json::to_value(&c).unwrap();
        assert_eq!(v["created_at"], "2023-11-14T22:13:20.000Z");
        assert!(v["handled_at"].is_null() && v["deleted_at"].is_null());
        assert!(v.get("rate").is_none() && v.get("recording_id").is_none());
        c.rate = Some("0.05".into());
        let v = serde_json::to_value(&c).unwrap();
        assert_eq!(v["rate"], "0.05");
    }

    #[test]
    fn old_json_file_reads_and_corruption_is_refused() {
        let text = serde_json::json!({"version": 1, "calls": [call("a", 1), call("b", 2)]});
        let calls = calls_from_file_bytes(text.to_string().as_bytes()).unwrap();
        assert_eq!(calls, [call("a", 1), call("b", 2)]);
        let twice = serde_json::json!({"version": 1, "calls": [call("a", 1), call("a", 2)]});
        let err = calls_from_file_bytes(twice.to_string().as_bytes()).unwrap_err();
        assert!(err.contains("\"a\" appears twice"), "{err}");
        assert!(calls_from_file_bytes(b"{\"version\":2,\"calls\":[]}").is_err());
        assert!(calls_from_file_bytes(b"not json").is_err());
    }

    #[test]
    fn updated_at_always_moves_forward() {
        let t = DateTime::from_timestamp_millis(1_700_000_000_000).unwrap();
        assert_eq!(next_updated_at(t, t), t + TimeDelta::milliseconds(1));
        let later = t + TimeDelta::seconds(5);
        assert_eq!(next_updated_at(t, later), later);
    }
}
