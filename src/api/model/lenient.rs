//! Lenient field readers: a wrong type becomes "absent", never a failed page. Strings are
//! sanitised here as they enter the program.

use std::borrow::Cow;

use serde::{Deserialize, Deserializer};
use serde_json::Value;

use super::{Direction, Status};
use crate::domain::sanitize;

/// Text as it arrives, cleaned; a number or a boolean as its JSON spelling; anything else
/// (null, a list, an object) is absent. Read straight from the input by a visitor: no
/// intermediate `Value`, at most one allocation per string.
pub fn string<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    cow_string(d).map(owned)
}

/// Not inlined: one copy for every reader `string` is compiled for (the binary's size is held
/// to 10 MiB).
#[inline(never)]
fn owned(text: Option<Cow<'_, str>>) -> Option<String> {
    text.map(Cow::into_owned)
}

/// [`string`], borrowed from the input when it can be: a JSON string without escapes that
/// is already clean is handed back in place, without an allocation.
pub fn cow_string<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Cow<'de, str>>, D::Error> {
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
        fn visit_seq<A: serde::de::SeqAccess<'de>>(self, a: A) -> Result<Self::Value, A::Error> {
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
    type Value = Option<Cow<'de, str>>;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("any JSON value")
    }
    fn visit_borrowed_str<E>(self, v: &'de str) -> Result<Self::Value, E> {
        Ok(Some(sanitize::clean(v)))
    }
    fn visit_str<E>(self, v: &str) -> Result<Self::Value, E> {
        Ok(Some(Cow::Owned(sanitize::clean(v).into_owned())))
    }
    fn visit_string<E>(self, v: String) -> Result<Self::Value, E> {
        Ok(Some(Cow::Owned(match sanitize::clean(&v) {
            Cow::Owned(cleaned) => cleaned,
            Cow::Borrowed(_) => v,
        })))
    }
    fn visit_bool<E>(self, v: bool) -> Result<Self::Value, E> {
        Ok(Some(Cow::Owned(v.to_string())))
    }
    fn visit_i64<E>(self, v: i64) -> Result<Self::Value, E> {
        Ok(Some(Cow::Owned(v.to_string())))
    }
    fn visit_u64<E>(self, v: u64) -> Result<Self::Value, E> {
        Ok(Some(Cow::Owned(v.to_string())))
    }
    fn visit_f64<E>(self, v: f64) -> Result<Self::Value, E> {
        Ok(serde_json::Number::from_f64(v).map(|n| Cow::Owned(n.to_string())))
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

/// A count ([`super::Count`]): a whole number from 0 to [`super::MAX_COUNT`] (`12.0` too);
/// null or missing is absent; anything else is invalid, not absent, so a report that lies
/// says so instead of reading as 0.
pub fn count<'de, D: Deserializer<'de>>(d: D) -> Result<Option<super::Count>, D::Error> {
    d.deserialize_any(CountVisitor)
}

struct CountVisitor;

impl CountVisitor {
    fn whole(n: u64) -> Option<super::Count> {
        Some(if n <= super::MAX_COUNT {
            super::Count::Valid(n)
        } else {
            super::Count::Invalid
        })
    }
}

impl<'de> serde::de::Visitor<'de> for CountVisitor {
    type Value = Option<super::Count>;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("any JSON value")
    }
    fn visit_i64<E>(self, v: i64) -> Result<Self::Value, E> {
        Ok(u64::try_from(v)
            .ok()
            .map_or(Some(super::Count::Invalid), Self::whole))
    }
    fn visit_u64<E>(self, v: u64) -> Result<Self::Value, E> {
        Ok(Self::whole(v))
    }
    fn visit_f64<E>(self, v: f64) -> Result<Self::Value, E> {
        // `12.0` is twelve; `2.5`, `-1.0` and `1e20` are no count of calls. The bound is
        // checked before the cast, which would otherwise saturate.
        let whole = v.fract() == 0.0 && (0.0..=super::MAX_COUNT as f64).contains(&v);
        Ok(if whole {
            Self::whole(v as u64)
        } else {
            Some(super::Count::Invalid)
        })
    }
    fn visit_str<E>(self, _: &str) -> Result<Self::Value, E> {
        Ok(Some(super::Count::Invalid))
    }
    fn visit_bool<E>(self, _: bool) -> Result<Self::Value, E> {
        Ok(Some(super::Count::Invalid))
    }
    fn visit_unit<E>(self) -> Result<Self::Value, E> {
        Ok(None)
    }
    fn visit_none<E>(self) -> Result<Self::Value, E> {
        Ok(None)
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_any(self)
    }
    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, a: A) -> Result<Self::Value, A::Error> {
        skip_seq::<A, ()>(a)?;
        Ok(Some(super::Count::Invalid))
    }
    fn visit_map<A: serde::de::MapAccess<'de>>(self, a: A) -> Result<Self::Value, A::Error> {
        skip_map::<A, ()>(a)?;
        Ok(Some(super::Count::Invalid))
    }
}

pub fn float<'de, D: Deserializer<'de>>(d: D) -> Result<Option<f64>, D::Error> {
    Ok(match Value::deserialize(d)? {
        Value::Number(n) => n.as_f64(),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    })
}

/// `true`/`false`, or the same spelled as a string or a number (`"true"`, `"False"`, `"1"`,
/// `0`), as the legacy people endpoints send their booleans; anything else is absent.
pub fn boolean<'de, D: Deserializer<'de>>(d: D) -> Result<Option<bool>, D::Error> {
    Ok(match Value::deserialize(d)? {
        Value::Bool(b) => Some(b),
        Value::String(s) => match s.trim().to_ascii_lowercase().as_str() {
            "true" | "1" => Some(true),
            "false" | "0" => Some(false),
            _ => None,
        },
        Value::Number(n) => match n.as_u64() {
            Some(1) => Some(true),
            Some(0) => Some(false),
            _ => None,
        },
        _ => None,
    })
}

/// A list of texts (tags), each cleaned; numbers keep their spelling, anything else in the
/// list is skipped, and a non-list is an empty list.
pub fn strings<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<String>, D::Error> {
    Ok(match Value::deserialize(d)? {
        Value::Array(items) => items
            .into_iter()
            .filter_map(|item| match item {
                Value::String(s) => Some(sanitize::clean(&s).into_owned()),
                Value::Number(n) => Some(n.to_string()),
                _ => None,
            })
            .collect(),
        _ => Vec::new(),
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

#[cfg(test)]
mod tests {
    use serde::Deserialize;
    use serde_json::Value;

    use crate::api::model::VoiceCall;

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
    fn booleans_arrive_as_strings_too() {
        #[derive(Deserialize)]
        struct Flags {
            #[serde(default, deserialize_with = "super::boolean")]
            a: Option<bool>,
            #[serde(default, deserialize_with = "super::strings")]
            tags: Vec<String>,
        }
        for (json, want) in [
            (r#"{"a": "true"}"#, Some(true)),
            (r#"{"a": "False"}"#, Some(false)),
            (r#"{"a": "1"}"#, Some(true)),
            (r#"{"a": 0}"#, Some(false)),
            (r#"{"a": true}"#, Some(true)),
            (r#"{"a": "maybe"}"#, None),
            (r#"{"a": null}"#, None),
            (r#"{}"#, None),
        ] {
            let flags: Flags = serde_json::from_str(json).expect(json);
            assert_eq!(flags.a, want, "{json}");
        }
        let flags: Flags =
            serde_json::from_str(r#"{"tags": ["vip\u001b[2J", 7, null, {"x": 1}]}"#).expect("tags");
        assert_eq!(flags.tags, ["vip", "7"]);
        let flags: Flags = serde_json::from_str(r#"{"tags": "vip"}"#).expect("not a list");
        assert!(flags.tags.is_empty());
    }
}
