//! Which calls `h` may mark handled: inbound missed calls and voicemails that nobody has
//! handled yet. One rule for the single `h` and the bulk one, so neither rewrites an answered
//! call, an outbound call, or a colleague's handling; and what marking one handled sends, for
//! `h`, bulk and `calls create --outcome reached` alike.

use serde_json::Value;

use crate::api::model::StatusKind;
use crate::api::{CallFields, VoiceCall};
use crate::config::{HandledDefaults, UpdateFields};
use crate::domain::fields::{self, FieldId, Values};
use crate::domain::save;

/// The call as "handled by `staff`"; the fields the API did not send take `defaults` (the
/// caller fills in remembered values first).
pub fn handled_values(call: &VoiceCall, staff: &str, defaults: &HandledDefaults) -> Values {
    let (mut values, missing) = fields::prefill(call);
    values.insert(FieldId::Status, "MISSED_CALL_HANDLED".into());
    values.insert(FieldId::HandledByStaffUid, staff.to_string());
    for f in missing {
        if let Some(v) = defaults.get(f) {
            values.insert(f, v.to_string());
        }
    }
    values
}

/// What marking `call` handled by `staff` sends: with `update_fields = "changed"` only the
/// status and the handler; otherwise the whole body, which needs the fields the API never
/// sends back. `Err`: the fields that break their rule.
pub fn handled_body(
    call: &VoiceCall,
    staff: &str,
    defaults: &HandledDefaults,
    mode: UpdateFields,
) -> Result<Value, Vec<(FieldId, String)>> {
    let values = handled_values(call, staff, defaults);
    let changed = [FieldId::Status, FieldId::HandledByStaffUid];
    match save::body(&values, &changed, mode) {
        Ok(body) => Ok(body),
        Err(save::BodyError::Invalid(errors)) => Err(errors),
        // Two fields always change here; kept total all the same.
        Err(save::BodyError::NothingChanged) => Err(Vec::new()),
    }
}

/// Why a call is not marked handled.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Skip {
    /// Someone (maybe this user) handled it already: it stays theirs.
    Handled {
        by: Option<String>,
        at: Option<String>,
    },
    /// An outbound call: there is nobody to call back.
    Outbound,
    /// Answered, incoming, or a status this console does not know: nothing waits.
    NotWaiting { status: String },
    /// The server sent it without a uid: it can be read but not changed (there is no address
    /// to send a change to).
    NoUid,
}

/// The message for a call that came without a uid, wherever a change to it is asked for.
pub const NO_UID: &str =
    "this call came from the server without a uid: it can be read but not changed";

/// `Ok` when `h` may mark `call` handled.
pub fn check<C: CallFields + ?Sized>(call: &C) -> Result<(), Skip> {
    if call.uid().is_none_or(|u| u.trim().is_empty()) {
        return Err(Skip::NoUid);
    }
    let kind = call.status_kind();
    if kind == Some(StatusKind::Handled) {
        let given = |t: Option<&str>| t.filter(|s| !s.is_empty()).map(str::to_string);
        return Err(Skip::Handled {
            by: given(call.handled_by_staff_uid()),
            at: given(call.handled_at()),
        });
    }
    if call.direction() == Some("OUTBOUND") {
        return Err(Skip::Outbound);
    }
    match kind {
        Some(StatusKind::Missed | StatusKind::Voicemail) => Ok(()),
        _ => Err(Skip::NotWaiting {
            status: call.status().unwrap_or("no status").to_string(),
        }),
    }
}

impl Skip {
    /// Why one call is not marked handled, as a clause: "already handled by staff-2".
    pub fn reason(&self) -> String {
        match self {
            Skip::Handled { by: Some(by), .. } => format!("already handled by {by}"),
            Skip::Handled { by: None, .. } => "already handled".to_string(),
            Skip::Outbound => "an outbound call (nobody to call back)".to_string(),
            Skip::NotWaiting { status } => {
                format!("not a missed call or voicemail ({status})")
            }
            Skip::NoUid => NO_UID.to_string(),
        }
    }
}

/// What a bulk `h` skipped, counted by reason, for one line in the status bar.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Skipped {
    pub handled: usize,
    /// Of `handled`: by someone other than the user.
    pub by_others: usize,
    pub outbound: usize,
    pub not_waiting: usize,
    pub no_uid: usize,
}

impl Skipped {
    pub fn add(&mut self, skip: &Skip, me: &str) {
        match skip {
            Skip::Handled { by, .. } => {
                self.handled += 1;
                if by.as_deref() != Some(me) {
                    self.by_others += 1;
                }
            }
            Skip::Outbound => self.outbound += 1,
            Skip::NotWaiting { .. } => self.not_waiting += 1,
            Skip::NoUid => self.no_uid += 1,
        }
    }

    pub fn total(&self) -> usize {
        self.handled + self.outbound + self.not_waiting + self.no_uid
    }

    /// `3 skipped: 2 already handled (1 by someone else), 1 outbound`; empty when none.
    pub fn describe(&self) -> String {
        let mut parts = Vec::new();
        if self.handled > 0 {
            let mut part = format!("{} already handled", self.handled);
            if self.by_others > 0 && self.by_others < self.handled {
                part.push_str(&format!(" ({} by someone else)", self.by_others));
            } else if self.by_others > 0 {
                part.push_str(" by someone else");
            }
            parts.push(part);
        }
        if self.outbound > 0 {
            parts.push(format!("{} outbound (nobody to call back)", self.outbound));
        }
        if self.not_waiting > 0 {
            parts.push(format!(
                "{} not a missed call or voicemail",
                self.not_waiting
            ));
        }
        if self.no_uid > 0 {
            parts.push(format!("{} without a uid (cannot be changed)", self.no_uid));
        }
        if parts.is_empty() {
            return String::new();
        }
        format!("{} skipped: {}", self.total(), parts.join(", "))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::model::{Direction, Status};

    fn call(status: &str, direction: &str) -> VoiceCall {
        VoiceCall {
            uid: Some("c".into()),
            status: Some(Status(status.into())),
            direction: Some(Direction(direction.into())),
            ..Default::default()
        }
    }

    #[test]
    fn only_waiting_inbound_calls_may_be_handled() {
        for (status, direction, ok) in [
            ("MISSED", "INBOUND", true),
            ("VOICEMAIL_RECEIVED", "INBOUND", true),
            ("VOICEMAIL", "INBOUND", true),
            ("MISSED", "OUTBOUND", false),
            ("ANSWERED_BY_STAFF", "INBOUND", false),
            ("INCOMING_CALL", "INBOUND", false),
            ("ANSWERED_BY_CALLS_PROVIDER", "INBOUND", false),
            ("SOMETHING_NEW", "INBOUND", false),
            ("MISSED_CALL_HANDLED", "INBOUND", false),
        ] {
            assert_eq!(
                check(&call(status, direction)).is_ok(),
                ok,
                "{status} {direction}"
            );
        }
        assert_eq!(check(&call("MISSED", "OUTBOUND")), Err(Skip::Outbound));
    }

    #[test]
    fn a_handled_call_says_who_and_when() {
        let mut c = call("MISSED_CALL_HANDLED", "INBOUND");
        c.handled_by_staff_uid = Some("staff-grace".into());
        c.handled_at = Some("2026-11-30T10:42:00Z".into());
        assert_eq!(
            check(&c),
            Err(Skip::Handled {
                by: Some("staff-grace".into()),
                at: Some("2026-11-30T10:42:00Z".into())
            })
        );
    }

    #[test]
    fn skipped_calls_are_counted_by_reason() {
        let mut s = Skipped::default();
        assert_eq!(s.describe(), "");
        s.add(
            &Skip::Handled {
                by: Some("me".into()),
                at: None,
            },
            "me",
        );
        s.add(
            &Skip::Handled {
                by: Some("grace".into()),
                at: None,
            },
            "me",
        );
        s.add(&Skip::Outbound, "me");
        s.add(
            &Skip::NotWaiting {
                status: "ANSWERED_BY_STAFF".into(),
            },
            "me",
        );
        assert_eq!(
            s.describe(),
            "4 skipped: 2 already handled (1 by someone else), 1 outbound (nobody to call back), 1 not a missed call or voicemail"
        );
    }
}
