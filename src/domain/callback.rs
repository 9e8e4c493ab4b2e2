//! A call-back and what came of it: the three outcomes, the outbound call record each one
//! creates (`POST /v3/communication/voice_calls`, the OpenAPI's `CreateVoiceCall`), checked by
//! the same rules as the form before anything is sent, and how a recorded call-back reads
//! back from the call log. The console's `c` and `calls create` both build their body here.

use crate::api::model::StatusKind;
use crate::api::{CallFields, CreateVoiceCall};
use crate::domain::fields::{self, FieldId};
use crate::domain::rules;

mod record;
pub use record::{RecordError, post_or_find, read_back_query, record, settle};

/// What happened when we called back.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Outcome {
    /// We spoke to them: their waiting calls are handled.
    Reached,
    /// Nobody answered; we left a voicemail.
    Voicemail,
    /// Nobody answered.
    NoAnswer,
}

/// What every recorded call-back's summary starts with, so any console (a colleague's too)
/// can tell the outcomes apart: "no answer" and "left voicemail" share the status `MISSED`.
const SUMMARY_PREFIX: &str = "Call-back: ";

/// The provider and rate a call-back record carries: the API requires both, and a call placed
/// from a desk phone has no provider's price.
pub const PROVIDER: &str = "VONAGE";
pub const RATE: &str = "0";
/// The `source_id` of every record this console creates.
pub const SOURCE_ID: &str = "callconsole";

impl Outcome {
    pub const ALL: [Outcome; 3] = [Outcome::Reached, Outcome::Voicemail, Outcome::NoAnswer];

    /// As scripts write it (`calls create --outcome`).
    pub fn name(self) -> &'static str {
        match self {
            Outcome::Reached => "reached",
            Outcome::Voicemail => "voicemail",
            Outcome::NoAnswer => "no-answer",
        }
    }

    /// As a person reads it: "tried 2×, last 10:42 (no answer)".
    pub fn label(self) -> &'static str {
        match self {
            Outcome::Reached => "reached",
            Outcome::Voicemail => "left voicemail",
            Outcome::NoAnswer => "no answer",
        }
    }

    /// `--outcome` as typed; `None` for anything else.
    pub fn parse(text: &str) -> Option<Outcome> {
        match text.trim().to_ascii_lowercase().replace('_', "-").as_str() {
            "reached" => Some(Outcome::Reached),
            "voicemail" | "left-voicemail" => Some(Outcome::Voicemail),
            "no-answer" | "noanswer" => Some(Outcome::NoAnswer),
            _ => None,
        }
    }

    /// The status of the outbound record.
    pub fn status(self) -> &'static str {
        match self {
            Outcome::Reached => "ANSWERED_BY_STAFF",
            Outcome::Voicemail | Outcome::NoAnswer => "MISSED",
        }
    }

    /// The outcome an outbound call records: from a call-back's summary, else its status
    /// (answered = reached, missed = no answer). `None` for an inbound call or another status.
    pub fn of<C: CallFields + ?Sized>(call: &C) -> Option<Outcome> {
        if call.direction() != Some("OUTBOUND") {
            return None;
        }
        let from_summary = call
            .call_summary()
            .and_then(|s| s.strip_prefix(SUMMARY_PREFIX))
            .and_then(|rest| {
                Outcome::ALL
                    .into_iter()
                    .find(|o| rest.starts_with(o.label()))
            });
        from_summary.or(match call.status_kind() {
            Some(StatusKind::Answered) => Some(Outcome::Reached),
            Some(StatusKind::Missed) => Some(Outcome::NoAnswer),
            _ => None,
        })
    }
}

/// One call-back to record: everything the `CreateVoiceCall` body needs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CallBack {
    pub outcome: Outcome,
    /// Our number: the one they called.
    pub from_number: String,
    /// Theirs, E.164.
    pub to_number: String,
    /// Me: who called back.
    pub staff_uid: String,
    pub client_uid: String,
    pub business_uid: String,
    /// What the user typed about the call, if anything.
    pub note: Option<String>,
    /// Whole seconds, when known.
    pub duration: Option<u64>,
    /// Chosen once per call-back ([`fresh_external_uuid`]) and kept with it, so sending it
    /// again can find the record a lost answer may have created.
    pub external_uuid: String,
}

impl CallBack {
    /// The summary the record carries: the outcome, then the note.
    pub fn summary(&self) -> String {
        let mut s = format!("{SUMMARY_PREFIX}{}", self.outcome.label());
        if let Some(note) = self
            .note
            .as_deref()
            .map(str::trim)
            .filter(|n| !n.is_empty())
        {
            s.push_str(". ");
            s.push_str(note);
        }
        s
    }

    /// The POST body, or every broken field by its name with the form's message for it.
    pub fn body(&self) -> Result<CreateVoiceCall, Vec<(&'static str, String)>> {
        let summary = self.summary();
        let checks = [
            (FieldId::StaffUid, self.staff_uid.as_str()),
            (FieldId::ClientUid, self.client_uid.as_str()),
            (FieldId::FromNumber, self.from_number.as_str()),
            (FieldId::ToNumber, self.to_number.as_str()),
            (FieldId::CallSummary, summary.as_str()),
            (FieldId::ExternalUuid, self.external_uuid.as_str()),
        ];
        let mut errors: Vec<(&'static str, String)> = checks
            .into_iter()
            .filter_map(|(f, v)| fields::check(f, v).map(|m| (f.name(), m)))
            .collect();
        if let Err(m) = rules::check_uid("business_uid", &self.business_uid) {
            errors.push(("business_uid", m));
        }
        if !errors.is_empty() {
            return Err(errors);
        }
        Ok(CreateVoiceCall {
            staff_uid: self.staff_uid.clone(),
            client_uid: self.client_uid.clone(),
            from_number: self.from_number.clone(),
            to_number: self.to_number.clone(),
            direction: "OUTBOUND".into(),
            status: self.outcome.status().into(),
            rate: RATE.into(),
            provider: PROVIDER.into(),
            source_id: SOURCE_ID.into(),
            external_uuid: self.external_uuid.clone(),
            business_uid: self.business_uid.clone(),
            call_summary: Some(summary),
            duration: self.duration,
        })
    }
}

/// A new `external_uuid` for a call-back record: a random (version 4) UUID.
pub fn fresh_external_uuid() -> String {
    random_uuid()
}

/// A random (version 4) UUID: a call-back's `external_uuid`, and the uid the embedded server
/// gives a call it creates.
pub fn random_uuid() -> String {
    let hi = fastrand::u64(..);
    let lo = fastrand::u64(..);
    let hi = (hi & 0xffff_ffff_ffff_0fff) | 0x0000_0000_0000_4000;
    let lo = (lo & 0x3fff_ffff_ffff_ffff) | 0x8000_0000_0000_0000;
    format!(
        "{:08x}-{:04x}-{:04x}-{:04x}-{:012x}",
        hi >> 32,
        (hi >> 16) & 0xffff,
        hi & 0xffff,
        lo >> 48,
        lo & 0xffff_ffff_ffff
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::{Direction, Status, VoiceCall};

    fn reached() -> CallBack {
        CallBack {
            outcome: Outcome::Reached,
            from_number: "+14155550901".into(),
            to_number: "+14155550148".into(),
            staff_uid: "staff-1".into(),
            client_uid: "client-1".into(),
            business_uid: "biz-1".into(),
            note: Some("  Rebooked to Monday ".into()),
            duration: Some(125),
            external_uuid: fresh_external_uuid(),
        }
    }

    #[test]
    fn each_outcome_makes_an_outbound_body_of_the_contracts_types() {
        for outcome in Outcome::ALL {
            let cb = CallBack {
                outcome,
                ..reached()
            };
            let body = serde_json::to_value(cb.body().expect("valid")).expect("json");
            assert_eq!(body["direction"], "OUTBOUND");
            assert_eq!(body["status"], outcome.status());
            assert_eq!(body["rate"], "0", "rate is a string");
            assert_eq!(body["provider"], "VONAGE");
            assert_eq!(body["duration"], 125, "duration is a number");
            assert_eq!(body["from_number"], "+14155550901");
            assert_eq!(body["to_number"], "+14155550148");
            let summary = body["call_summary"].as_str().expect("a summary");
            assert!(summary.ends_with(". Rebooked to Monday"), "{summary}");
        }
        let no_note = CallBack {
            note: None,
            duration: None,
            ..reached()
        };
        let body = serde_json::to_value(no_note.body().expect("valid")).expect("json");
        assert_eq!(body["call_summary"], "Call-back: reached");
        assert!(body.get("duration").is_none(), "no duration when unknown");
    }

    #[test]
    fn broken_fields_are_each_named_and_nothing_is_built() {
        let cb = CallBack {
            to_number: "415 555".into(),
            client_uid: String::new(),
            business_uid: "has space".into(),
            ..reached()
        };
        let errors = cb.body().expect_err("refused");
        let names: Vec<&str> = errors.iter().map(|(f, _)| *f).collect();
        assert_eq!(names, ["client_uid", "to_number", "business_uid"]);
    }

    #[test]
    fn an_outcome_reads_back_from_the_record_and_else_from_its_status() {
        for outcome in Outcome::ALL {
            let cb = CallBack {
                outcome,
                ..reached()
            };
            let call = VoiceCall {
                direction: Some(Direction("OUTBOUND".into())),
                status: Some(Status(outcome.status().into())),
                call_summary: Some(cb.summary()),
                ..VoiceCall::default()
            };
            assert_eq!(Outcome::of(&call), Some(outcome));
            assert_eq!(Outcome::parse(outcome.name()), Some(outcome));
        }
        let colleagues = VoiceCall {
            direction: Some(Direction("OUTBOUND".into())),
            status: Some(Status("MISSED".into())),
            call_summary: Some("Tried her mobile".into()),
            ..VoiceCall::default()
        };
        assert_eq!(Outcome::of(&colleagues), Some(Outcome::NoAnswer));
        let inbound = VoiceCall {
            direction: Some(Direction("INBOUND".into())),
            ..colleagues
        };
        assert_eq!(Outcome::of(&inbound), None);
        assert_eq!(Outcome::parse("maybe"), None);
    }

    #[test]
    fn fresh_external_uuids_are_version_4_and_differ() {
        let a = fresh_external_uuid();
        let b = fresh_external_uuid();
        assert_ne!(a, b);
        assert_eq!(a.len(), 36);
        assert_eq!(&a[14..15], "4");
        assert!(matches!(&a[19..20], "8" | "9" | "a" | "b"), "{a}");
    }
}
