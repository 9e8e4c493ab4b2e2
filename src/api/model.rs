//! What the API sends and takes. Reading is forgiving — any field may be missing, `null` or of
//! the wrong type, unknown fields are ignored, unknown enum strings are kept as they are — and
//! every string is sanitised here, once, as it enters the program. Writing is exact:
//! `UpdateVoiceCall` serialises as the OpenAPI says.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Deserializer, Serialize};
use serde_json::Value;

use crate::sanitize;

/// Lenient field readers: a wrong type becomes "absent", never a failed page.
mod lenient {
    use super::*;

    /// Text as it arrives, cleaned; a number or a boolean as its JSON spelling; anything else
    /// (null, a list, an object) is absent. Read straight from the input by a visitor: no
    /// intermediate `Value`, at most one allocation per string.
    pub fn string<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
        d.deserialize_any(Text)
    }

    /// A whole number, or a string holding one; a fraction is rounded.
    pub fn int<'de, D: Deserializer<'de>>(d: D) -> Result<Option<i64>, D::Error> {
        d.deserialize_any(Int)
    }

    /// What every lenient reader does with null (absent), `Some` (read through) and a list
    /// where a scalar or an object belongs (skipped, absent).
    macro_rules! absent_when_null_or_a_list {
        () => {
            fn visit_unit<E>(self) -> Result<Self::Value, E> {
                Ok(None)
            }
            fn visit_none<E>(self) -> Result<Self::Value, E> {
                Ok(None)
            }
            fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
                d.deserialize_any(self)
            }
            fn visit_seq<A: serde::de::SeqAccess<'de>>(
                self,
                a: A,
            ) -> Result<Self::Value, A::Error> {
                skip_seq(a)
            }
        };
    }

    /// Ignores a list or an object that sits where a scalar belongs, and reads it as absent.
    fn skip_seq<'de, A: serde::de::SeqAccess<'de>, T>(mut a: A) -> Result<Option<T>, A::Error> {
        while a.next_element::<serde::de::IgnoredAny>()?.is_some() {}
        Ok(None)
    }

    fn skip_map<'de, A: serde::de::MapAccess<'de>, T>(mut a: A) -> Result<Option<T>, A::Error> {
        while a
            .next_entry::<serde::de::IgnoredAny, serde::de::IgnoredAny>()?
            .is_some()
        {}
        Ok(None)
    }

    struct Text;

    impl<'de> serde::de::Visitor<'de> for Text {
        type Value = Option<String>;

        fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
            f.write_str("any JSON value")
        }
        fn visit_str<E>(self, v: &str) -> Result<Self::Value, E> {
            Ok(Some(sanitize::clean(v).into_owned()))
        }
        fn visit_string<E>(self, v: String) -> Result<Self::Value, E> {
            Ok(Some(match sanitize::clean(&v) {
                std::borrow::Cow::Owned(cleaned) => cleaned,
                std::borrow::Cow::Borrowed(_) => v,
            }))
        }
        fn visit_bool<E>(self, v: bool) -> Result<Self::Value, E> {
            Ok(Some(v.to_string()))
        }
        fn visit_i64<E>(self, v: i64) -> Result<Self::Value, E> {
            Ok(Some(v.to_string()))
        }
        fn visit_u64<E>(self, v: u64) -> Result<Self::Value, E> {
            Ok(Some(v.to_string()))
        }
        fn visit_f64<E>(self, v: f64) -> Result<Self::Value, E> {
            Ok(serde_json::Number::from_f64(v).map(|n| n.to_string()))
        }
        absent_when_null_or_a_list!();
        fn visit_map<A: serde::de::MapAccess<'de>>(self, a: A) -> Result<Self::Value, A::Error> {
            skip_map(a)
        }
    }

    struct Int;

    impl<'de> serde::de::Visitor<'de> for Int {
        type Value = Option<i64>;

        fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
            f.write_str("any JSON value")
        }
        fn visit_str<E>(self, v: &str) -> Result<Self::Value, E> {
            Ok(v.trim().parse().ok())
        }
        fn visit_bool<E>(self, _: bool) -> Result<Self::Value, E> {
            Ok(None)
        }
        fn visit_i64<E>(self, v: i64) -> Result<Self::Value, E> {
            Ok(Some(v))
        }
        fn visit_u64<E>(self, v: u64) -> Result<Self::Value, E> {
            Ok(Some(i64::try_from(v).unwrap_or(i64::MAX)))
        }
        fn visit_f64<E>(self, v: f64) -> Result<Self::Value, E> {
            Ok(Some(v.round() as i64))
        }
        absent_when_null_or_a_list!();
        fn visit_map<A: serde::de::MapAccess<'de>>(self, a: A) -> Result<Self::Value, A::Error> {
            skip_map(a)
        }
    }

    pub fn float<'de, D: Deserializer<'de>>(d: D) -> Result<Option<f64>, D::Error> {
        Ok(match Value::deserialize(d)? {
            Value::Number(n) => n.as_f64(),
            Value::String(s) => s.trim().parse().ok(),
            _ => None,
        })
    }

    pub fn boolean<'de, D: Deserializer<'de>>(d: D) -> Result<Option<bool>, D::Error> {
        Ok(match Value::deserialize(d)? {
            Value::Bool(b) => Some(b),
            _ => None,
        })
    }

    /// An object read as `T`, straight from the input; anything else is absent.
    pub fn object<'de, D, T>(d: D) -> Result<Option<T>, D::Error>
    where
        D: Deserializer<'de>,
        T: Deserialize<'de>,
    {
        d.deserialize_any(Object(std::marker::PhantomData))
    }

    struct Object<T>(std::marker::PhantomData<T>);

    impl<'de, T: Deserialize<'de>> serde::de::Visitor<'de> for Object<T> {
        type Value = Option<T>;

        fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
            f.write_str("any JSON value")
        }
        fn visit_map<A: serde::de::MapAccess<'de>>(self, a: A) -> Result<Self::Value, A::Error> {
            T::deserialize(serde::de::value::MapAccessDeserializer::new(a)).map(Some)
        }
        fn visit_str<E>(self, _: &str) -> Result<Self::Value, E> {
            Ok(None)
        }
        fn visit_bool<E>(self, _: bool) -> Result<Self::Value, E> {
            Ok(None)
        }
        fn visit_i64<E>(self, _: i64) -> Result<Self::Value, E> {
            Ok(None)
        }
        fn visit_u64<E>(self, _: u64) -> Result<Self::Value, E> {
            Ok(None)
        }
        fn visit_f64<E>(self, _: f64) -> Result<Self::Value, E> {
            Ok(None)
        }
        absent_when_null_or_a_list!();
    }

    pub fn status<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Status>, D::Error> {
        Ok(string(d)?.map(Status))
    }

    pub fn direction<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Direction>, D::Error> {
        Ok(string(d)?.map(Direction))
    }
}

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
        match self.0.as_str() {
            "INCOMING_CALL" => StatusKind::Incoming,
            "ANSWERED_BY_STAFF" => StatusKind::Answered,
            "ANSWERED_BY_CALLS_PROVIDER" => StatusKind::Provider,
            "MISSED" => StatusKind::Missed,
            "VOICEMAIL_RECEIVED" | "VOICEMAIL" => StatusKind::Voicemail,
            "MISSED_CALL_HANDLED" => StatusKind::Handled,
            _ => StatusKind::Unknown,
        }
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
        crate::rules::is_known_direction(&self.0)
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
        self.created_at.as_deref().and_then(parse_time)
    }

    /// The uid, or "" when the server left it out.
    pub fn uid_str(&self) -> &str {
        self.uid.as_deref().unwrap_or("")
    }
}

/// One page of the list: the calls that could be read, and how many records could not.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct CallPage {
    pub calls: Vec<VoiceCall>,
    /// Records that were not JSON objects at all; the rest of the page still lists.
    pub unreadable: usize,
}

impl CallPage {
    /// Reads `data.voice_calls` record by record, so one bad record never hides the others.
    pub fn from_data(data: &Value) -> Result<Self, String> {
        let list = data
            .get("voice_calls")
            .and_then(Value::as_array)
            .ok_or_else(|| "the answer has no data.voice_calls list".to_string())?;
        let mut page = CallPage::default();
        for record in list {
            match record {
                Value::Object(_) => match VoiceCall::deserialize(record) {
                    Ok(call) => page.calls.push(call),
                    Err(_) => page.unreadable += 1,
                },
                _ => page.unreadable += 1,
            }
        }
        Ok(page)
    }
}

impl CallPage {
    /// Reads a page from the `data` text as the server sent it, straight into calls. Anything
    /// that reader does not take in its stride (a member sent twice, say) is read again by
    /// [`CallPage::from_data`], which says what is wrong or lists what it can.
    pub fn from_json(data: &str) -> Result<Self, String> {
        if data.trim_ascii_start().starts_with('{')
            && let Ok(Direct { voice_calls }) = serde_json::from_str::<Direct>(data)
        {
            return Ok(voice_calls.0);
        }
        let data: Value = serde_json::from_str(data)
            .map_err(|e| format!("the answer is not valid JSON ({e})"))?;
        Self::from_data(&data)
    }
}

/// `data` of a list answer, read straight from its text.
#[derive(Deserialize)]
struct Direct {
    voice_calls: Records,
}

/// `voice_calls`, each record read in place into the page.
struct Records(CallPage);

impl<'de> Deserialize<'de> for Records {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_seq(RecordsVisitor)
    }
}

struct RecordsVisitor;

impl<'de> serde::de::Visitor<'de> for RecordsVisitor {
    type Value = Records;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("a list of call records")
    }
    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut a: A) -> Result<Records, A::Error> {
        let mut page = CallPage {
            calls: Vec::with_capacity(a.size_hint().unwrap_or(100).min(1000)),
            unreadable: 0,
        };
        while let Some(record) = a.next_element::<Record>()? {
            match record.0 {
                Some(call) => page.calls.push(call),
                None => page.unreadable += 1,
            }
        }
        Ok(Records(page))
    }
}

/// One entry of `voice_calls`: a call, or `None` for something that is not an object at all.
struct Record(Option<VoiceCall>);

impl<'de> Deserialize<'de> for Record {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        lenient::object(d).map(Record)
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
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct StatusCount {
    #[serde(default, deserialize_with = "lenient::string")]
    pub status: Option<String>,
    #[serde(default, deserialize_with = "lenient::int")]
    pub count: Option<i64>,
}

/// The stats report: counts per status for a period.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Stats {
    #[serde(default)]
    pub status_counts: Vec<StatusCount>,
    #[serde(default, deserialize_with = "lenient::int")]
    pub total_voice_calls: Option<i64>,
    #[serde(default, deserialize_with = "lenient::string")]
    pub start_date: Option<String>,
    #[serde(default, deserialize_with = "lenient::string")]
    pub end_date: Option<String>,
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

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    /// The field readers take the input as it comes (no `Value` in between): read from bytes
    /// and from a `Value`, every odd type gives the same call, and scalars keep their spelling.
    #[test]
    fn field_readers_agree_from_bytes_and_from_values() {
        let text = r#"{"uid": 12, "from_number": true, "to_number": [1, [2]], "staff_uid": 1.5,
            "call_summary": {"a": {"b": 1}}, "client_uid": "c\u001b[31mx", "source_id": -3,
            "external_uuid": 18446744073709551615, "duration": " 42 ", "handled_at": null,
            "recording": {"size": 2.5, "duration": "x", "uid": false}}"#;
        let from_bytes: VoiceCall = serde_json::from_str(text).expect("bytes");
        let value: Value = serde_json::from_str(text).expect("value");
        let from_value = VoiceCall::deserialize(&value).expect("value");
        assert_eq!(from_bytes, from_value);
        assert_eq!(from_bytes.uid.as_deref(), Some("12"));
        assert_eq!(from_bytes.from_number.as_deref(), Some("true"));
        assert_eq!(from_bytes.to_number, None);
        assert_eq!(from_bytes.staff_uid.as_deref(), Some("1.5"));
        assert_eq!(from_bytes.call_summary, None);
        assert_eq!(from_bytes.client_uid.as_deref(), Some("cx"));
        assert_eq!(from_bytes.source_id.as_deref(), Some("-3"));
        assert_eq!(
            from_bytes.external_uuid.as_deref(),
            Some("18446744073709551615")
        );
        assert_eq!(from_bytes.duration, Some(42));
        let recording = from_bytes.recording.expect("recording");
        assert_eq!((recording.size, recording.duration), (Some(3), None));
        assert_eq!(recording.uid.as_deref(), Some("false"));
    }

    #[test]
    fn odd_payloads_still_list() {
        let data = json!({"voice_calls": [
            {"uid": "a", "status": "VOICEMAIL", "direction": "inbound", "duration": -5,
             "created_at": "yesterday", "deleted_at": null, "surprise": {"x": 1}},
            {"uid": null, "duration": "42", "status": 7, "recording": "not an object"},
            {},
            17,
            "text",
            {"uid": "b", "duration": 12.6, "recording": {"uid": "rec-1", "size": "2048"},
             "call_summary": "hi\u{1b}[2Jthere", "from_number": ["+1"]}
        ]});
        let page = CallPage::from_data(&data).expect("page");
        assert_eq!(page.calls.len(), 4);
        assert_eq!(page.unreadable, 2);
        let a = &page.calls[0];
        assert_eq!(
            a.status.as_ref().map(Status::kind),
            Some(StatusKind::Voicemail)
        );
        assert_eq!(a.direction.as_ref().map(Direction::as_str), Some("inbound"));
        assert!(!a.direction.as_ref().is_some_and(Direction::is_known));
        assert_eq!(a.duration, Some(-5));
        assert_eq!(a.created(), None);
        let second = &page.calls[1];
        assert_eq!(second.uid, None);
        assert_eq!(second.duration, Some(42));
        assert_eq!(
            second.status.as_ref().map(Status::kind),
            Some(StatusKind::Unknown)
        );
        assert_eq!(second.recording, None);
        assert_eq!(page.calls[2], VoiceCall::default());
        let b = &page.calls[3];
        assert_eq!(b.duration, Some(13));
        assert_eq!(b.recording.as_ref().and_then(|r| r.size), Some(2048));
        assert_eq!(b.call_summary.as_deref(), Some("hithere"));
        assert_eq!(b.from_number, None);
    }

    #[test]
    fn missing_list_is_an_error() {
        assert!(CallPage::from_data(&json!({"calls": []})).is_err());
        for odd in [
            r#"{"calls": []}"#,
            r#"[[]]"#,
            r#"{"voice_calls": 3}"#,
            "null",
        ] {
            assert!(CallPage::from_json(odd).is_err(), "{odd}");
        }
    }

    /// The direct reader and the tree reader see every page the same way, including records
    /// that are not objects, members sent twice and hostile text.
    #[test]
    fn pages_read_from_text_match_pages_read_from_a_tree() {
        let texts = [
            r#"{"voice_calls": [{"uid": "a", "status": "MISSED", "duration": "7"}, 3, "x",
                [1, {"a": 2}], null, true, 1.5, {}, {"uid": "b\u001b[2J", "recording": 4}],
                "extra": {"voice_calls": 1}}"#,
            r#"{"voice_calls": [{"uid": "a", "uid": "b", "duration": 1}]}"#,
            r#"{"voice_calls": [{"uid": "a"}], "voice_calls": [{"uid": "c"}]}"#,
            r#"{"voice_calls": []}"#,
        ];
        for text in texts {
            let value: Value = serde_json::from_str(text).expect("json");
            let expected = CallPage::from_data(&value).expect("tree");
            assert_eq!(CallPage::from_json(text), Ok(expected), "{text}");
        }
        let page = CallPage::from_json(texts[1]).expect("page");
        assert_eq!(page.calls[0].uid.as_deref(), Some("b"));
        let page = CallPage::from_json(texts[0]).expect("page");
        assert_eq!((page.calls.len(), page.unreadable), (3, 6));
        assert_eq!(page.calls[2].uid.as_deref(), Some("b"));
    }

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
}
