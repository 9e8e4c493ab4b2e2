//! What the API sends and takes. Reading is forgiving — any field may be missing, `null` or of
//! the wrong type, unknown fields are ignored, unknown enum strings are kept as they are — and
//! every string is sanitised here, once, as it enters the program. Writing is exact:
//! `UpdateVoiceCall` serialises as the OpenAPI says.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

mod fields;
mod lenient;
mod page;
mod people;
mod record;
pub(super) mod record_page;
pub use fields::{CallFields, CallSource, Text, voice_call_of};
pub use page::CallPage;
pub(super) use people::list_of;
pub use people::{Business, Client, Staff, UserInfo};
pub use record::CallRecord;

/// A call's status exactly as the server spelled it. Known spellings are classified by
/// [`Status::kind`]; anything else is kept and shown as it is.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Status(pub String);

/// What a status means for triage.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StatusKind {
    Incoming,
    Answered,
    Provider,
    Missed,
    Voicemail,
    Handled,
    Unknown,
}

impl Status {
    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn kind(&self) -> StatusKind {
        status_kind(&self.0)
    }
}

/// What a status spelled `status` means for triage.
pub fn status_kind(status: &str) -> StatusKind {
    match status {
        "INCOMING_CALL" => StatusKind::Incoming,
        "ANSWERED_BY_STAFF" => StatusKind::Answered,
        "ANSWERED_BY_CALLS_PROVIDER" => StatusKind::Provider,
        "MISSED" => StatusKind::Missed,
        "VOICEMAIL_RECEIVED" | "VOICEMAIL" => StatusKind::Voicemail,
        "MISSED_CALL_HANDLED" => StatusKind::Handled,
        _ => StatusKind::Unknown,
    }
}

/// A call's direction exactly as the server spelled it (`INBOUND`, `OUTBOUND`, or anything
/// else, kept).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Direction(pub String);

impl Direction {
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// True only for the documented spellings.
    pub fn is_known(&self) -> bool {
        crate::domain::rules::is_known_direction(&self.0)
    }
}

/// Recording details attached to a call.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Recording {
    #[serde(default, deserialize_with = "lenient::string")]
    pub uid: Option<String>,
    #[serde(default, rename = "recordingUrl", deserialize_with = "lenient::string")]
    pub recording_url: Option<String>,
    #[serde(default, deserialize_with = "lenient::int")]
    pub size: Option<i64>,
    #[serde(default, deserialize_with = "lenient::int")]
    pub duration: Option<i64>,
    #[serde(default, deserialize_with = "lenient::boolean")]
    pub recording_played: Option<bool>,
    #[serde(default, deserialize_with = "lenient::string")]
    pub recording_type: Option<String>,
}

/// One call record as read from the API. Every field is optional: the server may leave any of
/// them out. `rate`, `price`, `provider` and `recording_id` are not in the documented read
/// object but are kept when a server sends them.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct VoiceCall {
    #[serde(default, deserialize_with = "lenient::string")]
    pub uid: Option<String>,
    #[serde(default, deserialize_with = "lenient::string")]
    pub created_at: Option<String>,
    #[serde(default, deserialize_with = "lenient::string")]
    pub updated_at: Option<String>,
    #[serde(default, deserialize_with = "lenient::int")]
    pub duration: Option<i64>,
    #[serde(default, deserialize_with = "lenient::status")]
    pub status: Option<Status>,
    #[serde(default, deserialize_with = "lenient::direction")]
    pub direction: Option<Direction>,
    #[serde(default, deserialize_with = "lenient::string")]
    pub staff_uid: Option<String>,
    #[serde(default, deserialize_with = "lenient::string")]
    pub client_uid: Option<String>,
    #[serde(default, deserialize_with = "lenient::string")]
    pub from_number: Option<String>,
    #[serde(default, deserialize_with = "lenient::string")]
    pub to_number: Option<String>,
    #[serde(default, deserialize_with = "lenient::string")]
    pub call_summary: Option<String>,
    /// Boxed: most calls have none, and the list holds many calls.
    #[serde(default, deserialize_with = "lenient::object")]
    pub recording: Option<Box<Recording>>,
    #[serde(default, deserialize_with = "lenient::string")]
    pub external_app_url: Option<String>,
    #[serde(default, deserialize_with = "lenient::string")]
    pub external_app_name: Option<String>,
    #[serde(default, deserialize_with = "lenient::string")]
    pub source_id: Option<String>,
    #[serde(default, deserialize_with = "lenient::string")]
    pub external_uuid: Option<String>,
    #[serde(default, deserialize_with = "lenient::string")]
    pub handled_by_staff_uid: Option<String>,
    #[serde(default, deserialize_with = "lenient::string")]
    pub handled_at: Option<String>,
    #[serde(default, deserialize_with = "lenient::string")]
    pub deleted_at: Option<String>,
    #[serde(default, deserialize_with = "lenient::string")]
    pub transcript_status: Option<String>,
    #[serde(default, deserialize_with = "lenient::string")]
    pub rate: Option<String>,
    #[serde(default, deserialize_with = "lenient::string")]
    pub price: Option<String>,
    #[serde(default, deserialize_with = "lenient::string")]
    pub provider: Option<String>,
    #[serde(default, deserialize_with = "lenient::string")]
    pub recording_id: Option<String>,
}

/// Parses an API timestamp; `None` for anything that is not RFC 3339.
pub fn parse_time(s: &str) -> Option<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(s.trim())
        .ok()
        .map(|t| t.with_timezone(&Utc))
}

impl VoiceCall {
    pub fn created(&self) -> Option<DateTime<Utc>> {
        CallFields::created(self)
    }

    /// The uid, or "" when the server left it out.
    pub fn uid_str(&self) -> &str {
        CallFields::uid_str(self)
    }
}

/// One line of a transcript.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct TranscriptEntry {
    #[serde(default, deserialize_with = "lenient::float")]
    pub timestamp: Option<f64>,
    #[serde(default, deserialize_with = "lenient::string")]
    pub speaker_role: Option<String>,
    #[serde(default, deserialize_with = "lenient::string")]
    pub text: Option<String>,
}

/// A call's transcript: its processing status and, when DONE, the entries.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Transcript {
    #[serde(default, deserialize_with = "lenient::string")]
    pub transcript_uid: Option<String>,
    #[serde(default, deserialize_with = "lenient::string")]
    pub status: Option<String>,
    #[serde(default)]
    pub transcript: Option<Vec<TranscriptEntry>>,
}

/// How many calls had one status in the report period.
#[derive(Debug, Clone, PartialEq, Default, Deserialize)]
pub struct StatusCount {
    #[serde(default, deserialize_with = "lenient::string")]
    pub status: Option<String>,
    #[serde(default, deserialize_with = "lenient::count")]
    pub count: Option<Count>,
}

/// The largest count believed: 2^53, the largest whole number every JSON reader holds
/// exactly. Beyond it (10^20, say) a number is the server's error, not a count of calls.
pub const MAX_COUNT: u64 = 1 << 53;

/// A count in the stats report as far as it can be believed. Unlike the call's own fields,
/// which are read forgivingly, a count is taken only as a whole number from 0 to
/// [`MAX_COUNT`]: anything else (negative, fractional, beyond it, text, true) is `Invalid`
/// and shown as such, never rounded, clamped or saturated into a plausible number.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Count {
    Valid(u64),
    Invalid,
}

impl Count {
    /// The number, when it can be believed.
    pub fn valid(self) -> Option<u64> {
        match self {
            Self::Valid(n) => Some(n),
            Self::Invalid => None,
        }
    }

    /// Two counts added up: invalid when either is.
    pub fn plus(self, other: Count) -> Count {
        match (self, other) {
            (Self::Valid(a), Self::Valid(b)) => Self::Valid(a.saturating_add(b)),
            _ => Self::Invalid,
        }
    }
}

/// The stats report: counts per status for a period.
#[derive(Debug, Clone, PartialEq, Default, Deserialize)]
pub struct Stats {
    #[serde(default)]
    pub status_counts: Vec<StatusCount>,
    #[serde(default, deserialize_with = "lenient::count")]
    pub total_voice_calls: Option<Count>,
    #[serde(default, deserialize_with = "lenient::string")]
    pub start_date: Option<String>,
    #[serde(default, deserialize_with = "lenient::string")]
    pub end_date: Option<String>,
}

impl Stats {
    /// Whether every count in it can be believed. One that cannot makes the whole report
    /// unusable for counting: the others come from the same broken source.
    pub fn usable(&self) -> bool {
        self.total_voice_calls != Some(Count::Invalid)
            && self
                .status_counts
                .iter()
                .all(|c| c.count != Some(Count::Invalid))
    }
}

/// The PUT body, exactly as the OpenAPI's `UpdateVoiceCall`: `rate` and `price` are strings,
/// `duration` a number, enums uppercase; `handled_by_staff_uid` is left out when unset.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct UpdateVoiceCall {
    pub staff_uid: String,
    pub client_uid: String,
    pub from_number: String,
    pub to_number: String,
    pub direction: String,
    pub status: String,
    pub rate: String,
    pub price: String,
    pub provider: String,
    pub source_id: String,
    pub duration: u64,
    pub call_summary: String,
    pub external_app_url: String,
    pub external_app_name: String,
    pub recording_id: String,
    pub external_uuid: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub handled_by_staff_uid: Option<String>,
}

/// The POST body that records a call (`CreateVoiceCall` in the OpenAPI): a call-back's
/// outcome. `rate` is a string, enums uppercase. The reference's body has no summary or
/// duration; the brief (PRODUCT.md) sends the note as `call_summary` and the duration when
/// known, so those two are optional and left out when unset.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct CreateVoiceCall {
    pub staff_uid: String,
    pub client_uid: String,
    pub from_number: String,
    pub to_number: String,
    pub direction: String,
    pub status: String,
    pub rate: String,
    pub provider: String,
    pub source_id: String,
    pub external_uuid: String,
    pub business_uid: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub call_summary: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub duration: Option<u64>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn update_body_types_match_the_openapi() {
        let body = UpdateVoiceCall {
            rate: "0.05".into(),
            price: "1.50".into(),
            duration: 125,
            status: "MISSED".into(),
            ..Default::default()
        };
        let v = serde_json::to_value(&body).expect("json");
        assert_eq!(v["rate"], json!("0.05"));
        assert_eq!(v["price"], json!("1.50"));
        assert_eq!(v["duration"], json!(125));
        assert_eq!(v["status"], json!("MISSED"));
        assert!(v.get("handled_by_staff_uid").is_none());
        assert_eq!(v.as_object().map(|o| o.len()), Some(16));
    }

    #[test]
    fn a_count_is_a_whole_number_from_zero_or_invalid() {
        let read = |text: &str| {
            let body =
                format!(r#"{{"status_counts":[{{"count":{text}}}],"total_voice_calls":{text}}}"#);
            let stats: Stats = serde_json::from_str(&body).expect(text);
            let value: serde_json::Value = serde_json::from_str(&body).expect(text);
            let from_value = Stats::deserialize(&value).expect(text);
            assert_eq!(
                stats, from_value,
                "{text}: the same from bytes and from a tree"
            );
            assert_eq!(
                stats.total_voice_calls, stats.status_counts[0].count,
                "{text}"
            );
            stats.total_voice_calls
        };
        for (text, count) in [
            ("0", Some(Count::Valid(0))),
            ("12", Some(Count::Valid(12))),
            ("12.0", Some(Count::Valid(12))),
            ("9007199254740992", Some(Count::Valid(MAX_COUNT))),
            ("null", None),
            ("-3", Some(Count::Invalid)),
            ("-0.5", Some(Count::Invalid)),
            ("2.5", Some(Count::Invalid)),
            ("1e20", Some(Count::Invalid)),
            ("100000000000000000000", Some(Count::Invalid)),
            ("9223372036854775807", Some(Count::Invalid)),
            ("9007199254740993", Some(Count::Invalid)),
            (r#""12""#, Some(Count::Invalid)),
            (r#""many""#, Some(Count::Invalid)),
            ("true", Some(Count::Invalid)),
            ("[1]", Some(Count::Invalid)),
            (r#"{"n":1}"#, Some(Count::Invalid)),
        ] {
            assert_eq!(read(text), count, "{text}");
        }
        let absent: Stats = serde_json::from_str(r#"{"status_counts":[{}]}"#).expect("absent");
        assert_eq!(absent.status_counts[0].count, None);
        assert!(absent.usable(), "nothing said is no lie");
        let lie: Stats =
            serde_json::from_str(r#"{"status_counts":[{"count":1},{"count":-1}]}"#).expect("lie");
        assert!(!lie.usable());
    }
}
