//! A list page read straight into what the caller keeps of each call: every record read in
//! place ([`CallRecord`], its text borrowed from the page) and handed over as it is read, so
//! the console packs its copy of a call without a `VoiceCall` and its strings in between.

use serde::Deserializer;
use serde::de::{DeserializeSeed, Error as _, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde_json::value::RawValue;

use super::{CallPage, CallRecord, lenient};

impl<C> CallPage<C> {
    /// Reads a page from the `data` text, handing each call record to `make` as it is read.
    /// What this reader does not take in its stride (a member sent twice, say) is read by
    /// [`CallPage::from_json`] and each of its calls handed to `make` alike: the same page,
    /// and the same errors, either way.
    pub fn from_json_with(
        data: &str,
        mut make: impl FnMut(&CallRecord<'_>) -> C,
    ) -> Result<Self, String> {
        if data.trim_ascii_start().starts_with('{') {
            let mut de = serde_json::Deserializer::from_str(data);
            if let Ok(page) = (DataSeed { make: &mut make }).deserialize(&mut de)
                && de.end().is_ok()
            {
                return Ok(page);
            }
        }
        Ok(CallPage::from_json(data)?.map(|call| make(&CallRecord::of(&call))))
    }
}

/// `data` of a list answer: its `voice_calls` read, the rest skipped.
struct DataSeed<'m, F> {
    make: &'m mut F,
}

impl<'de, C, F: FnMut(&CallRecord<'_>) -> C> DeserializeSeed<'de> for DataSeed<'_, F> {
    type Value = CallPage<C>;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_map(self)
    }
}

impl<'de, C, F: FnMut(&CallRecord<'_>) -> C> Visitor<'de> for DataSeed<'_, F> {
    type Value = CallPage<C>;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("the data of a list answer")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut page = None;
        while let Some(VoiceCallsKey(is_list)) = map.next_key()? {
            if !is_list {
                map.next_value::<IgnoredAny>()?;
            } else if page.is_some() {
                // Sent twice: left to the slow reader, which keeps the last one.
                return Err(A::Error::duplicate_field("voice_calls"));
            } else {
                page = Some(map.next_value_seed(RecordsSeed {
                    make: &mut *self.make,
                })?);
            }
        }
        page.ok_or_else(|| A::Error::missing_field("voice_calls"))
    }
}

/// Whether a member of `data` is `voice_calls`.
struct VoiceCallsKey(bool);

impl<'de> serde::Deserialize<'de> for VoiceCallsKey {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Name;
        impl Visitor<'_> for Name {
            type Value = VoiceCallsKey;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a member name")
            }
            fn visit_str<E>(self, v: &str) -> Result<VoiceCallsKey, E> {
                Ok(VoiceCallsKey(v == "voice_calls"))
            }
        }
        d.deserialize_identifier(Name)
    }
}

/// `voice_calls`, each record handed to `make` as it is read.
struct RecordsSeed<'m, F> {
    make: &'m mut F,
}

impl<'de, C, F: FnMut(&CallRecord<'_>) -> C> DeserializeSeed<'de> for RecordsSeed<'_, F> {
    type Value = CallPage<C>;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_seq(self)
    }
}

impl<'de, C, F: FnMut(&CallRecord<'_>) -> C> Visitor<'de> for RecordsSeed<'_, F> {
    type Value = CallPage<C>;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("a list of call records")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut a: A) -> Result<Self::Value, A::Error> {
        let mut page = CallPage {
            calls: Vec::with_capacity(a.size_hint().unwrap_or(100).min(1000)),
            unreadable: 0,
        };
        while let Some(record) = a.next_element_seed(RecordSeed {
            make: &mut *self.make,
        })? {
            match record {
                Some(call) => page.calls.push(call),
                None => page.unreadable += 1,
            }
        }
        Ok(page)
    }
}

/// One entry of `voice_calls`: made into a call, or `None` for something that is not an
/// object at all (as [`lenient::object`] reads it for a `VoiceCall`).
struct RecordSeed<'m, F> {
    make: &'m mut F,
}

impl<'de, C, F: FnMut(&CallRecord<'_>) -> C> DeserializeSeed<'de> for RecordSeed<'_, F> {
    type Value = Option<C>;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        Ok(lenient::object::<D, CallRecord<'de>>(d)?.map(|record| (self.make)(&record)))
    }
}

impl<C> CallPage<C> {
    /// A whole list answer read in one pass: the envelope's `success` and `status` looked
    /// at, and its one `data` read as [`CallPage::from_json_with`] reads it, each record
    /// handed to `make`. `None` for anything but that plain case (a failure, no `data` or two,
    /// a `data` that is not a page): the caller reads such a body the usual way, the envelope
    /// first and then `data`, which says what is wrong with it. Saves finding `data` in the
    /// text before reading it, a second pass over every page.
    pub(crate) fn from_envelope_with(
        body: &str,
        mut make: impl FnMut(&CallRecord<'_>) -> C,
    ) -> Option<Self> {
        let mut de = serde_json::Deserializer::from_str(body);
        let page = (EnvelopeSeed { make: &mut make })
            .deserialize(&mut de)
            .ok()?;
        de.end().ok()?;
        page
    }
}

/// A list answer's envelope: `Some(page)` when it carries one `data` and does not say it
/// failed (`success: false`, or the legacy `status: "Error"`, as `body::interpret` reads them).
struct EnvelopeSeed<'m, F> {
    make: &'m mut F,
}

impl<'de, C, F: FnMut(&CallRecord<'_>) -> C> DeserializeSeed<'de> for EnvelopeSeed<'_, F> {
    type Value = Option<CallPage<C>>;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_map(self)
    }
}

impl<'de, C, F: FnMut(&CallRecord<'_>) -> C> Visitor<'de> for EnvelopeSeed<'_, F> {
    type Value = Option<CallPage<C>>;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("a list answer")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let (mut page, mut success, mut status) = (None, None, None);
        while let Some(EnvelopeKey(key)) = map.next_key()? {
            match key {
                Some(Envelope::Data) if page.is_some() => {
                    return Err(A::Error::duplicate_field("data"));
                }
                Some(Envelope::Data) => {
                    page = Some(map.next_value_seed(DataSeed {
                        make: &mut *self.make,
                    })?);
                }
                // The last one counts, as in `body::interpret`'s map of the members.
                Some(Envelope::Success) => success = Some(map.next_value::<&RawValue>()?),
                Some(Envelope::Status) => status = Some(map.next_value::<&RawValue>()?),
                None => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        let failed = success.is_some_and(|v| v.get() == "false")
            || status.is_some_and(|v| v.get().eq_ignore_ascii_case(r#""error""#));
        Ok(page.filter(|_| !failed))
    }
}

/// The envelope's members this reader looks at.
enum Envelope {
    Data,
    Success,
    Status,
}

struct EnvelopeKey(Option<Envelope>);

impl<'de> serde::Deserialize<'de> for EnvelopeKey {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Name;
        impl Visitor<'_> for Name {
            type Value = EnvelopeKey;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a member name")
            }
            fn visit_str<E>(self, v: &str) -> Result<EnvelopeKey, E> {
                Ok(EnvelopeKey(match v {
                    "data" => Some(Envelope::Data),
                    "success" => Some(Envelope::Success),
                    "status" => Some(Envelope::Status),
                    _ => None,
                }))
            }
        }
        d.deserialize_identifier(Name)
    }
}
