//! What the console sent for the fields the API never sends back (`rate`, `price`,
//! `recording_id`), per call: the next form, `h` or `calls update` on that call starts from
//! them instead of asking again. Kept in the data dir between runs (`persist::remembered`);
//! only the newest [`KEPT`] calls are kept, so it never grows without bound.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::api::VoiceCall;
use crate::domain::fields::FieldId;

/// How many calls' values are kept: the newest sent win.
pub const KEPT: usize = 5_000;

/// One call's values by field name, and when they were sent (RFC 3339), which decides what
/// is kept.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Sent {
    pub values: BTreeMap<String, String>,
    pub at: String,
}

/// Per call uid, the values last sent for the fields the API never sends back.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Remembered {
    pub calls: BTreeMap<String, Sent>,
}

impl Remembered {
    /// A PUT `body` for call `uid` was confirmed at `at`: its values for the fields the API
    /// never sends back are kept (an empty one forgets the value: nothing is known then).
    /// Returns whether anything changed, so the file is only written when it did.
    pub fn note(&mut self, uid: &str, body: &Value, at: &str) -> bool {
        let mut changed = false;
        for f in FieldId::ALL.into_iter().filter(|f| !f.sent_back()) {
            let Some(value) = body.get(f.name()) else {
                continue;
            };
            let value = value.as_str().unwrap_or_default().trim().to_string();
            let entry = self.calls.entry(uid.to_string()).or_default();
            let before = entry.values.get(f.name()).cloned();
            if value.is_empty() {
                entry.values.remove(f.name());
            } else {
                entry.values.insert(f.name().to_string(), value.clone());
            }
            if before.as_deref() != Some(value.as_str()).filter(|v| !v.is_empty()) {
                changed = true;
                entry.at = at.to_string();
            }
        }
        // Only this call's entry can have been emptied here: no other is ever kept empty
        // ([`Remembered::forget_empty`] when a file is read). Going through every entry for
        // each call a bulk action confirmed made a bulk of n calls O(n²) (past KEPT calls,
        // each note still sorts their times).
        if self
            .calls
            .get(uid)
            .is_some_and(|sent| sent.values.is_empty())
        {
            self.calls.remove(uid);
        }
        if self.calls.len() > KEPT {
            let mut times: Vec<&str> = self.calls.values().map(|s| s.at.as_str()).collect();
            times.sort_unstable();
            let cut = times[self.calls.len() - KEPT].to_string();
            self.calls.retain(|_, sent| sent.at >= cut);
        }
        changed
    }

    /// Drops the calls with no value kept (a file written by hand, or by an older version),
    /// so [`Remembered::note`] need only look at the call it is given.
    pub fn forget_empty(&mut self) {
        self.calls.retain(|_, sent| !sent.values.is_empty());
    }

    /// Gives `call` the values last sent for what the server did not send; what the server
    /// did send is never replaced.
    pub fn fill(&self, call: &mut VoiceCall) {
        let Some(sent) = call.uid.as_deref().and_then(|uid| self.calls.get(uid)) else {
            return;
        };
        for (name, value) in &sent.values {
            let slot = match FieldId::from_name(name) {
                Some(FieldId::Rate) => &mut call.rate,
                Some(FieldId::Price) => &mut call.price,
                Some(FieldId::RecordingId) => &mut call.recording_id,
                _ => continue,
            };
            if slot.as_deref().is_none_or(str::is_empty) {
                *slot = Some(value.clone());
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn call(uid: &str) -> VoiceCall {
        VoiceCall {
            uid: Some(uid.into()),
            ..VoiceCall::default()
        }
    }

    #[test]
    fn what_was_sent_fills_what_the_server_did_not_send() {
        let mut r = Remembered::default();
        let body = serde_json::json!({
            "rate": "0.07", "price": "2.10", "recording_id": "rec-9", "call_summary": "x"
        });
        assert!(r.note("c1", &body, "2026-11-30T10:00:00Z"));
        assert!(!r.note("c1", &body, "2026-11-30T10:05:00Z"), "nothing new");
        let mut c = call("c1");
        c.price = Some("9.99".into());
        r.fill(&mut c);
        assert_eq!(c.rate.as_deref(), Some("0.07"));
        assert_eq!(c.price.as_deref(), Some("9.99"), "the server's value stays");
        assert_eq!(c.recording_id.as_deref(), Some("rec-9"));
        let mut other = call("c2");
        r.fill(&mut other);
        assert_eq!(other.rate, None);
        // A partial body keeps the rest; an emptied value is forgotten.
        assert!(r.note(
            "c1",
            &serde_json::json!({"rate": ""}),
            "2026-11-30T11:00:00Z"
        ));
        let mut c = call("c1");
        r.fill(&mut c);
        assert_eq!(c.rate, None);
        assert_eq!(c.recording_id.as_deref(), Some("rec-9"));
    }

    #[test]
    fn only_the_newest_calls_are_kept() {
        let mut r = Remembered::default();
        for i in 0..KEPT + 3 {
            let at = format!("2026-11-30T10:00:{:02}.{i:06}Z", i / 1000);
            r.note(&format!("c{i}"), &serde_json::json!({"rate": "1"}), &at);
        }
        assert_eq!(r.calls.len(), KEPT);
        assert!(!r.calls.contains_key("c0"), "the oldest went");
        assert!(r.calls.contains_key(&format!("c{}", KEPT + 2)));
    }

    /// A call with no value kept is dropped when the file is taken in, and noting a call
    /// leaves none behind; noting one looks at no other call.
    #[test]
    fn no_call_is_kept_without_a_value() {
        let mut r = Remembered::default();
        r.calls.insert("empty".into(), Sent::default());
        r.note(
            "c1",
            &serde_json::json!({"rate": "1"}),
            "2026-11-30T10:00:00Z",
        );
        let mut store = crate::domain::calls::CallStore::new();
        store.set_remembered(r);
        assert_eq!(
            store.remembered().calls.keys().collect::<Vec<_>>(),
            ["c1"],
            "the empty one went when taken in"
        );
        let mut r = store.remembered().clone();
        assert!(r.note(
            "c1",
            &serde_json::json!({"rate": ""}),
            "2026-11-30T10:01:00Z"
        ));
        assert!(r.calls.is_empty(), "emptied, then forgotten");
    }
}
