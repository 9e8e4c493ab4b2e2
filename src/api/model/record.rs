//! One call of a list page read in place: each text field borrowed from the page's text when
//! the JSON string needs no unescaping and is already clean, owned only when it does not (an
//! escape, a control character removed, a number where text belongs). The same lenient
//! readers as [`VoiceCall`]'s (`lenient.rs`), so a record reads as the same call either way;
//! what the store packs straight from the page, without a `VoiceCall` in between.

use std::borrow::Cow;
use std::marker::PhantomData;

use serde::de::{IgnoredAny, MapAccess, Visitor};
use serde::{Deserialize, Deserializer};

use super::{CallFields, CallSource, Text, VoiceCall, lenient};

/// A call record of a list page, its text borrowed from the page where it can be.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct CallRecord<'a> {
    /// Each text field at its [`Text`]'s place.
    text: [Option<Cow<'a, str>>; Text::ALL.len()],
    duration: Option<i64>,
    recording: Option<Numbers>,
}

/// A recording's numbers and flag (its text is in [`CallRecord::text`]).
#[derive(Debug, Clone, Copy, Default, PartialEq)]
struct Numbers {
    size: Option<i64>,
    duration: Option<i64>,
    played: Option<bool>,
}

impl<'a> CallRecord<'a> {
    /// A call already read, its text borrowed from it.
    pub fn of(call: &'a VoiceCall) -> Self {
        CallRecord {
            text: Text::ALL.map(|f| call.text(f).map(Cow::Borrowed)),
            duration: call.duration,
            recording: call.recording.as_deref().map(|r| Numbers {
                size: r.size,
                duration: r.duration,
                played: r.recording_played,
            }),
        }
    }
}

impl CallFields for CallRecord<'_> {
    fn text(&self, field: Text) -> Option<&str> {
        self.text[field as usize].as_deref()
    }

    fn duration(&self) -> Option<i64> {
        self.duration
    }

    fn has_recording(&self) -> bool {
        self.recording.is_some()
    }

    fn recording_played(&self) -> Option<bool> {
        self.recording?.played
    }
}

impl CallSource for CallRecord<'_> {
    fn recording_size(&self) -> Option<i64> {
        self.recording?.size
    }

    fn recording_duration(&self) -> Option<i64> {
        self.recording?.duration
    }

    fn to_voice_call(&self) -> VoiceCall {
        super::fields::voice_call_of(self)
    }
}

/// A member of a call record, by its name as [`VoiceCall`] spells it.
enum Member {
    Text(Text),
    Duration,
    Recording,
    Other,
}

impl Member {
    fn of(name: &str) -> Self {
        Member::Text(match name {
            "uid" => Text::Uid,
            "created_at" => Text::CreatedAt,
            "updated_at" => Text::UpdatedAt,
            "duration" => return Member::Duration,
            "status" => Text::Status,
            "direction" => Text::Direction,
            "staff_uid" => Text::StaffUid,
            "client_uid" => Text::ClientUid,
            "from_number" => Text::FromNumber,
            "to_number" => Text::ToNumber,
            "call_summary" => Text::CallSummary,
            "recording" => return Member::Recording,
            "external_app_url" => Text::ExternalAppUrl,
            "external_app_name" => Text::ExternalAppName,
            "source_id" => Text::SourceId,
            "external_uuid" => Text::ExternalUuid,
            "handled_by_staff_uid" => Text::HandledByStaffUid,
            "handled_at" => Text::HandledAt,
            "deleted_at" => Text::DeletedAt,
            "transcript_status" => Text::TranscriptStatus,
            "rate" => Text::Rate,
            "price" => Text::Price,
            "provider" => Text::Provider,
            "recording_id" => Text::RecordingId,
            _ => return Member::Other,
        })
    }
}

impl<'de> Deserialize<'de> for Member {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Name;
        impl Visitor<'_> for Name {
            type Value = Member;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a member name")
            }
            fn visit_str<E>(self, v: &str) -> Result<Member, E> {
                Ok(Member::of(v))
            }
        }
        d.deserialize_identifier(Name)
    }
}

/// A text member's value, read by [`lenient::cow_string`].
struct LenientText<'a>(Option<Cow<'a, str>>);

impl<'de> Deserialize<'de> for LenientText<'de> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        lenient::cow_string(d).map(LenientText)
    }
}

/// `duration`, read by [`lenient::int`].
struct LenientInt(Option<i64>);

impl<'de> Deserialize<'de> for LenientInt {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        lenient::int(d).map(LenientInt)
    }
}

/// `recording`, read by [`lenient::object`] as [`Recording`] is.
struct LenientRecording<'a>(Option<RecordingRecord<'a>>);

impl<'de> Deserialize<'de> for LenientRecording<'de> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        lenient::object(d).map(LenientRecording)
    }
}

/// [`Recording`], its text borrowed. Derived as `Recording` is, so a member sent twice is an
/// error here too, and the page is read again the slow way, as it is for a `VoiceCall`.
#[derive(Deserialize)]
struct RecordingRecord<'a> {
    #[serde(borrow, default, deserialize_with = "lenient::cow_string")]
    uid: Option<Cow<'a, str>>,
    #[serde(
        borrow,
        default,
        rename = "recordingUrl",
        deserialize_with = "lenient::cow_string"
    )]
    recording_url: Option<Cow<'a, str>>,
    #[serde(default, deserialize_with = "lenient::int")]
    size: Option<i64>,
    #[serde(default, deserialize_with = "lenient::int")]
    duration: Option<i64>,
    #[serde(default, deserialize_with = "lenient::boolean")]
    recording_played: Option<bool>,
    #[serde(borrow, default, deserialize_with = "lenient::cow_string")]
    recording_type: Option<Cow<'a, str>>,
}

impl<'de: 'a, 'a> Deserialize<'de> for CallRecord<'a> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_map(RecordVisitor(PhantomData))
    }
}

struct RecordVisitor<'a>(PhantomData<&'a ()>);

impl<'de: 'a, 'a> Visitor<'de> for RecordVisitor<'a> {
    type Value = CallRecord<'a>;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("a call record")
    }

    /// A member sent twice: the last one counts, as when the page is read as a tree.
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut record = CallRecord::default();
        while let Some(member) = map.next_key::<Member>()? {
            match member {
                Member::Text(field) => {
                    record.text[field as usize] = map.next_value::<LenientText>()?.0;
                }
                Member::Duration => record.duration = map.next_value::<LenientInt>()?.0,
                Member::Recording => {
                    let recording = map.next_value::<LenientRecording>()?.0;
                    let (uid, url, kind) = match recording {
                        Some(r) => {
                            record.recording = Some(Numbers {
                                size: r.size,
                                duration: r.duration,
                                played: r.recording_played,
                            });
                            (r.uid, r.recording_url, r.recording_type)
                        }
                        None => {
                            record.recording = None;
                            (None, None, None)
                        }
                    };
                    record.text[Text::RecordingUid as usize] = uid;
                    record.text[Text::RecordingUrl as usize] = url;
                    record.text[Text::RecordingType as usize] = kind;
                }
                Member::Other => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        Ok(record)
    }
}

#[cfg(test)]
#[path = "record_tests.rs"]
mod tests;
