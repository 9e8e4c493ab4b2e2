//! A list page read straight into what the caller keeps of each call: every record read in
//! place ([`CallRecord`], its text borrowed from the page) and handed over as it is read, so
//! the console packs its copy of a call without a `VoiceCall` and its strings in between.
//! The readers hand each record to a `&mut dyn FnMut` ([`Sink`]), so they are compiled once
//! whatever the caller makes of a record (the binary's size is held to 10 MiB).

use serde::Deserializer;
use serde::de::{DeserializeSeed, Error as _, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde_json::value::RawValue;

use super::{CallPage, CallRecord, lenient};

/// Where the readers hand each call record as they read it.
type Sink<'m> = &'m mut dyn FnMut(&CallRecord<'_>);

/// What a page's calls are handed to: `Some` record, or `None` for "start over" (what was
/// handed before is to be dropped).
pub(crate) type Restartable<'m> = &'m mut dyn FnMut(Option<&CallRecord<'_>>);

impl<C> CallPage<C> {
    /// Reads a page from the `data` text, handing each call record to `make` as it is read.
    /// What this reader does not take in its stride (a member sent twice, say) is read as a
    /// tree ([`CallPage::from_data`]) and each of its calls handed to `make` alike: the same
    /// page, and the same errors, either way.
    pub fn from_json_with(
        data: &str,
        mut make: impl FnMut(&CallRecord<'_>) -> C,
    ) -> Result<Self, String> {
        let mut calls = Vec::with_capacity(100);
        let unreadable = page_records(data, &mut |record| match record {
            Some(record) => calls.push(make(record)),
            None => calls.clear(),
        })?;
        Ok(CallPage { calls, unreadable })
    }

    /// A whole list answer read in one pass: the envelope's `success` and `status` looked
    /// at, and its one `data` read as [`CallPage::from_json_with`] reads it, each record
    /// handed to `make`. `None` for anything but that plain case (a failure, no `data` or two,
    /// a `data` that is not a page): the caller reads such a body the usual way, the envelope
    /// first and then `data`, which says what is wrong with it. Saves finding `data` in the
    /// text before reading it, a second pass over every page. (The client reads pages by
    /// `body::read_page`, through [`envelope_records`]; this is the same for tests.)
    #[cfg(test)]
    pub(crate) fn from_envelope_with(
        body: &str,
        mut make: impl FnMut(&CallRecord<'_>) -> C,
    ) -> Option<Self> {
        let mut calls = Vec::with_capacity(100);
        let unreadable = envelope_records(body, &mut |r| calls.push(make(r)))?;
        Some(CallPage { calls, unreadable })
    }
}

/// [`CallPage::from_json_with`] for any caller, compiled once: each record handed to `sink`,
/// and how many were not objects. When the reader in place gives up, `sink` is told to start
/// over and the page is read as a tree.
pub(crate) fn page_records(data: &str, sink: Restartable<'_>) -> Result<usize, String> {
    if let Some(unreadable) = records_in(data, &mut |record| sink(Some(record))) {
        return Ok(unreadable);
    }
    sink(None);
    let page = CallPage::from_tree(data)?;
    for call in &page.calls {
        sink(Some(&CallRecord::of(call)));
    }
    Ok(page.unreadable)
}

/// `data`'s records handed to `sink`; how many were not objects, or `None` when this reader
/// does not take the text in its stride (what was handed over then is to be dropped).
fn records_in(data: &str, sink: Sink<'_>) -> Option<usize> {
    if !data.trim_ascii_start().starts_with('{') {
        return None;
    }
    let mut de = serde_json::Deserializer::from_str(data);
    let unreadable = (DataSeed { sink }).deserialize(&mut de).ok()?;
    de.end().ok()?;
    Some(unreadable)
}

/// [`records_in`] for a whole answer body, envelope and all.
pub(crate) fn envelope_records(body: &str, sink: Sink<'_>) -> Option<usize> {
    let mut de = serde_json::Deserializer::from_str(body);
    let unreadable = (EnvelopeSeed { sink }).deserialize(&mut de).ok()?;
    de.end().ok()?;
    unreadable
}

/// `data` of a list answer: its `voice_calls` read, the rest skipped.
struct DataSeed<'m> {
    sink: Sink<'m>,
}

impl<'de> DeserializeSeed<'de> for DataSeed<'_> {
    type Value = usize;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<usize, D::Error> {
        d.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for DataSeed<'_> {
    type Value = usize;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("the data of a list answer")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<usize, A::Error> {
        let mut unreadable = None;
        while let Some(VoiceCallsKey(is_list)) = map.next_key()? {
            if !is_list {
                map.next_value::<IgnoredAny>()?;
            } else if unreadable.is_some() {
                // Sent twice: left to the slow reader, which keeps the last one.
                return Err(A::Error::duplicate_field("voice_calls"));
            } else {
                unreadable = Some(map.next_value_seed(RecordsSeed {
                    sink: &mut *self.sink,
                })?);
            }
        }
        unreadable.ok_or_else(|| A::Error::missing_field("voice_calls"))
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

/// `voice_calls`, each record handed to the sink as it is read; how many were not objects.
struct RecordsSeed<'m> {
    sink: Sink<'m>,
}

impl<'de> DeserializeSeed<'de> for RecordsSeed<'_> {
    type Value = usize;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<usize, D::Error> {
        d.deserialize_seq(self)
    }
}

impl<'de> Visitor<'de> for RecordsSeed<'_> {
    type Value = usize;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("a list of call records")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut a: A) -> Result<usize, A::Error> {
        let mut unreadable = 0;
        while let Some(record) = a.next_element::<Record>()? {
            match record.0 {
                Some(record) => (self.sink)(&record),
                None => unreadable += 1,
            }
        }
        Ok(unreadable)
    }
}

/// One entry of `voice_calls`: a record, or `None` for something that is not an object at
/// all (as [`lenient::object`] reads it for a `VoiceCall`).
struct Record<'a>(Option<CallRecord<'a>>);

impl<'de> serde::Deserialize<'de> for Record<'de> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        lenient::object(d).map(Record)
    }
}

/// A list answer's envelope: how many records of its `data` were not objects, or `None`
/// when it says it failed (`success: false`, or the legacy `status: "Error"`, as
/// `body::interpret` reads them) or has no `data`.
struct EnvelopeSeed<'m> {
    sink: Sink<'m>,
}

impl<'de> DeserializeSeed<'de> for EnvelopeSeed<'_> {
    type Value = Option<usize>;

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for EnvelopeSeed<'_> {
    type Value = Option<usize>;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("a list answer")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let (mut unreadable, mut success, mut status) = (None, None, None);
        while let Some(EnvelopeKey(key)) = map.next_key()? {
            match key {
                Some(Envelope::Data) if unreadable.is_some() => {
                    return Err(A::Error::duplicate_field("data"));
                }
                Some(Envelope::Data) => {
                    unreadable = Some(map.next_value_seed(DataSeed {
                        sink: &mut *self.sink,
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
        Ok(unreadable.filter(|_| !failed))
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
