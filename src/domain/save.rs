//! The save policy: whether a call may be written, and what is sent. Every write of a call —
//! the form (and its overwrite after a conflict), `h`, bulk, undo and `calls update` — builds
//! its body here and is checked here against the server's copy ("send only if it is as we saw
//! it"); a PUT that got no answer is read back here, with what the change was based on passed
//! in, so the API client keeps nothing about calls.

use std::borrow::Cow;
use std::time::Instant;

use serde::Deserialize;
use serde_json::Value;

use crate::api::model::{Status, StatusKind, parse_time};
use crate::api::{Answer, ApiClient, ApiError, Put, VoiceCall};
use crate::config::UpdateFields;
use crate::domain::fields::{self, FieldId, Values};

// ---- the body ----

/// Why no body could be sent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BodyError {
    /// These fields break their rule, in form order.
    Invalid(Vec<(FieldId, String)>),
    /// Only the changed fields go (`update_fields = "changed"`) and none changed.
    NothingChanged,
}

/// The full body (all 17 fields) from `values`, each checked by the field table's rule.
pub fn full_body(values: &Values) -> Result<Value, Vec<(FieldId, String)>> {
    let body = fields::validate(values)?;
    // A struct of strings and numbers always encodes; `Null` is never sent (it holds no
    // field, so the server would refuse it).
    Ok(serde_json::to_value(&body).unwrap_or(Value::Null))
}

/// The PUT body for `update_fields`: every field, or only those in `changed`. Every field
/// sent is checked by its rule; a partial body checks only what it sends, since the fields
/// it leaves out keep the server's values (and those the API never sends back, `rate`,
/// `price`, `recording_id`, need not be known to change a summary).
pub fn body(values: &Values, changed: &[FieldId], mode: UpdateFields) -> Result<Value, BodyError> {
    if mode == UpdateFields::All {
        return full_body(values).map_err(BodyError::Invalid);
    }
    if changed.is_empty() {
        return Err(BodyError::NothingChanged);
    }
    let errors: Vec<(FieldId, String)> = match fields::validate(values) {
        Ok(_) => Vec::new(),
        Err(errors) => errors
            .into_iter()
            .filter(|(f, _)| changed.contains(f))
            .collect(),
    };
    if !errors.is_empty() {
        return Err(BodyError::Invalid(errors));
    }
    let mut json = serde_json::to_value(fields::assemble(values)).unwrap_or(Value::Null);
    {
        if let Value::Object(map) = &mut json {
            map.retain(|k, _| changed.iter().any(|f| f.name() == k));
            // A cleared optional field is left out of a full body; a partial one must say
            // so, since leaving it out would keep the old value.
            for f in changed {
                map.entry(f.name()).or_insert(Value::Null);
            }
        }
    }
    Ok(json)
}

/// Un-handling clears the handler, so no call needs follow-up while naming who handled it:
/// when the values about to be sent have a status other than `MISSED_CALL_HANDLED` and a
/// `handled_by_staff_uid`, the handler is cleared, unless it is among `kept` (the user set it
/// in this same change). Says whether it cleared one. The server clears `handled_at` itself.
/// The form, undo and `calls update` all call this before building the body.
pub fn unhandle(values: &mut Values, kept: &[FieldId]) -> bool {
    let handled = values
        .get(&FieldId::Status)
        .is_some_and(|s| Status(s.clone()).kind() == StatusKind::Handled);
    let handler = values
        .get(&FieldId::HandledByStaffUid)
        .is_some_and(|h| !h.is_empty());
    if handled || !handler || kept.contains(&FieldId::HandledByStaffUid) {
        return false;
    }
    values.insert(FieldId::HandledByStaffUid, String::new());
    true
}

/// The body the edit form sends: `values` as the form holds them, `changed` the fields the
/// user changed since the form's base. Un-handling clears the handler first ([`unhandle`]).
pub fn edit_body(
    mut values: Values,
    mut changed: Vec<FieldId>,
    mode: UpdateFields,
) -> Result<Value, BodyError> {
    if unhandle(&mut values, &changed) {
        changed.push(FieldId::HandledByStaffUid);
    }
    body(&values, &changed, mode)
}

/// `theirs` (the server's copy now) with only the fields in `changed` taken from `mine`:
/// what "overwrite" after a conflict sends, so a field the user never touched keeps the
/// colleague's value instead of going back to the stale one the form loaded. A field both
/// changed takes mine: that is what overwriting means.
pub fn on_top(theirs: &Values, mine: &Values, changed: &[FieldId]) -> Values {
    let mut values = theirs.clone();
    for f in changed {
        values.insert(*f, mine.get(f).cloned().unwrap_or_default());
    }
    values
}

/// Their copy's values after a conflict. A field the API never sends back that their copy
/// lacks is unknown on their side, not changed by them: it takes `mine` (what this console
/// holds for the call), so it is neither shown as their change nor sent empty.
pub fn their_values(theirs: &VoiceCall, mine: &Values) -> Values {
    let (mut values, missing) = fields::prefill(theirs);
    for f in missing {
        values.insert(f, mine.get(&f).cloned().unwrap_or_default());
    }
    values
}

/// The body of "overwrite" after a conflict: [`on_top`] of their copy, then the same body the
/// form would send ([`edit_body`]).
pub fn overwrite_body(
    theirs: &VoiceCall,
    mine: &Values,
    changed: &[FieldId],
    mode: UpdateFields,
) -> Result<Value, BodyError> {
    let their_values = their_values(theirs, mine);
    edit_body(on_top(&their_values, mine, changed), changed.to_vec(), mode)
}

/// One field where my values and the server's differ after a conflict, and who changed it
/// since the form loaded the call.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Differs {
    pub field: FieldId,
    /// I changed it (it is among what "overwrite" sends as mine).
    pub mine: bool,
    /// The server's copy changed it.
    pub theirs: bool,
}

/// The fields where `mine` and `theirs` differ, in form order, each with who changed it
/// since `loaded` (the call as the form opened it). One that both changed keeps mine on
/// overwrite.
pub fn differences(loaded: &Values, mine: &Values, theirs: &Values) -> Vec<Differs> {
    let get = |v: &Values, f: FieldId| v.get(&f).cloned().unwrap_or_default();
    FieldId::ALL
        .into_iter()
        .filter(|f| get(mine, *f) != get(theirs, *f))
        .map(|field| Differs {
            field,
            mine: get(mine, field) != get(loaded, field),
            theirs: get(theirs, field) != get(loaded, field),
        })
        .collect()
}

// ---- the conflict check ----

/// What the server's copy of a call says about sending a change.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    /// Still as the change saw it: send.
    Send,
    /// Changed since, but into exactly what we send (an earlier try that got no answer
    /// landed, or a colleague made the very same change): report it saved, send nothing.
    AlreadyHolds,
    /// Someone else changed it: send nothing; the caller shows their copy.
    Conflict,
}

/// The conflict check, on the server's copy `theirs` (as JSON), the `updated_at` the change
/// was based on, and the body it would send.
pub fn check(theirs: &Value, based_on: Option<&str>, body: &Value) -> Verdict {
    if same_moment(updated_at(theirs), based_on) {
        Verdict::Send
    } else if holds(theirs, body) {
        Verdict::AlreadyHolds
    } else {
        Verdict::Conflict
    }
}

/// [`check`] on a call as the console reads it.
pub fn check_call(theirs: &VoiceCall, based_on: Option<&str>, body: &Value) -> Verdict {
    check(&theirs.json(), based_on, body)
}

/// Whether two `updated_at` stamps are the same: two spellings of one instant are; anything
/// that is not a time must match exactly; a missing stamp matches only a missing one.
pub fn same_moment(a: Option<&str>, b: Option<&str>) -> bool {
    match (a, b) {
        (None, None) => true,
        (Some(a), Some(b)) => match (parse_time(a), parse_time(b)) {
            (Some(x), Some(y)) => x == y,
            _ => a.trim() == b.trim(),
        },
        _ => false,
    }
}

/// Whether the server's copy `call` already holds every field of the PUT body `sent`.
/// Numbers may come back as strings or the other way round, and an empty string as null.
/// A field the API never sends back (the field table says which) cannot be compared when
/// the copy lacks it, or has it as null.
pub fn holds(call: &Value, sent: &Value) -> bool {
    let Some(sent) = sent.as_object() else {
        return false;
    };
    if !call.is_object() {
        return false;
    }
    sent.iter().all(|(key, want)| match call.get(key) {
        None => true,
        Some(Value::Null) if never_sent_back(key) => true,
        Some(got) => want == got || same_number(want, got) || (empty(want) && empty(got)),
    })
}

fn never_sent_back(key: &str) -> bool {
    FieldId::from_name(key).is_some_and(|f| !f.sent_back())
}

fn same_number(a: &Value, b: &Value) -> bool {
    let num = |v: &Value| match v {
        Value::Number(n) => n.as_f64(),
        Value::String(s) => s.trim().parse::<f64>().ok(),
        _ => None,
    };
    matches!((num(a), num(b)), (Some(x), Some(y)) if (x - y).abs() < 1e-9)
}

fn empty(v: &Value) -> bool {
    v.is_null() || v.as_str() == Some("")
}

fn updated_at(call: &Value) -> Option<&str> {
    call.get("updated_at").and_then(Value::as_str)
}

// ---- an unanswered PUT ----

/// What reading a call back says about a PUT that got no (readable) answer.
#[derive(Debug, Clone, PartialEq)]
pub enum ReadBack {
    /// The call holds what was sent: the PUT landed.
    Saved(Value),
    /// Someone else changed the call since the change was based on it: not sent again, so
    /// nothing of theirs is overwritten.
    Conflict(Value),
    /// The call could not be read back: whether the PUT landed cannot be known.
    Unconfirmed,
    /// The call is untouched since the change was based on it: the PUT did not land, and
    /// the same body may go again.
    SendAgain,
}

/// The pure half of [`read_back`]: what the call read back (`theirs`) says. Without a
/// `based_on` "not applied" cannot be told from "changed by someone": that reads as a
/// conflict, the safe side.
pub fn settle(theirs: Value, based_on: Option<&str>, sent: &Value) -> ReadBack {
    if holds(&theirs, sent) {
        ReadBack::Saved(theirs)
    } else if based_on.is_some() && same_moment(updated_at(&theirs), based_on) {
        ReadBack::SendAgain
    } else {
        ReadBack::Conflict(theirs)
    }
}

/// A PUT of `sent` to call `uid` got no answer, or one that could not be read: reads the
/// call back once to learn whether it landed, before anything is sent again.
pub async fn read_back(
    client: &ApiClient,
    uid: &str,
    sent: &Value,
    based_on: Option<&str>,
) -> ReadBack {
    let theirs = match client.get_json_once(uid).await.result {
        Ok(theirs) => theirs,
        Err(e) => {
            tracing::warn!(uid, "unanswered PUT: reading the call back failed too: {e}");
            return ReadBack::Unconfirmed;
        }
    };
    let settled = settle(theirs, based_on, sent);
    match &settled {
        ReadBack::Saved(_) => {
            tracing::info!(
                uid,
                "unanswered PUT had landed; the call holds what was sent"
            );
        }
        ReadBack::Conflict(_) => {
            tracing::warn!(
                uid,
                "unanswered PUT: the call changed since; not sent again"
            );
        }
        ReadBack::Unconfirmed | ReadBack::SendAgain => {}
    }
    settled
}

// ---- sending ----

/// How a caller reads a call: typed for the console, as the server's own JSON for scripts.
pub trait Reading: Sized {
    /// The call from the server's JSON object (`status` for the error, when it is not one).
    fn read(status: u16, json: Value) -> Result<Self, ApiError>;
    /// The call as JSON, for the conflict check.
    fn json(&self) -> Cow<'_, Value>;
}

impl Reading for Value {
    fn read(_: u16, json: Value) -> Result<Self, ApiError> {
        Ok(json)
    }

    fn json(&self) -> Cow<'_, Value> {
        Cow::Borrowed(self)
    }
}

impl Reading for VoiceCall {
    fn read(status: u16, json: Value) -> Result<Self, ApiError> {
        VoiceCall::deserialize(json).map_err(|e| ApiError::Shape {
            status,
            detail: e.to_string(),
        })
    }

    fn json(&self) -> Cow<'_, Value> {
        Cow::Owned(serde_json::to_value(self).unwrap_or(Value::Null))
    }
}

fn read_as<C: Reading>(answer: Answer<Value>) -> Answer<C> {
    let status = answer.exchange.status.unwrap_or(200);
    answer.map(|json| C::read(status, json))
}

/// PUTs `body` to call `uid`, whose change was based on `updated_at` `based_on`. One that
/// gets no readable answer is read back ([`read_back`]): reported saved when it landed, a
/// conflict when someone changed the call since, unconfirmed when the call cannot be read,
/// and sent again (within the client's tries) only when the call is untouched.
pub async fn put<C: Reading>(
    client: &ApiClient,
    uid: &str,
    body: &Value,
    based_on: Option<&str>,
) -> Answer<C> {
    put_tagged(client, uid, body, based_on, None).await
}

/// [`put`], also sending `If-Match: etag` (the tag of the copy the change is based on).
pub async fn put_tagged<C: Reading>(
    client: &ApiClient,
    uid: &str,
    body: &Value,
    based_on: Option<&str>,
    etag: Option<&str>,
) -> Answer<C> {
    let started = Instant::now();
    let tries = client.tries().max(1);
    let mut attempts = 0u8;
    loop {
        let Put {
            mut answer,
            unanswered,
        } = client
            .put_call(uid, body, tries - attempts, based_on, etag)
            .await;
        attempts = attempts.saturating_add(answer.exchange.attempts);
        answer.exchange.attempts = attempts;
        let settled = if unanswered {
            Some(read_back(client, uid, body, based_on).await)
        } else {
            None
        };
        answer.exchange.elapsed = started.elapsed();
        match settled {
            // The server refused it on its precondition: someone changed the call after the
            // copy this change is based on. Nothing was written.
            None if answer.exchange.status == Some(412) => {
                return failed(answer, ApiError::PutConflict);
            }
            None => return read_as(answer),
            Some(ReadBack::Saved(call)) => {
                // The PUT's own status when it came (an unreadable 2xx), else the read's.
                let status = answer.exchange.status.unwrap_or(200);
                answer.exchange.status = Some(status);
                answer.result = Ok(call);
                return read_as(answer);
            }
            Some(ReadBack::Conflict(_)) => return failed(answer, ApiError::PutConflict),
            Some(ReadBack::Unconfirmed) => return failed(answer, ApiError::PutUnconfirmed),
            Some(ReadBack::SendAgain) if attempts < tries => {
                tokio::time::sleep(client.backoff(attempts)).await;
            }
            Some(ReadBack::SendAgain) => return read_as(answer),
        }
    }
}

fn failed<C>(answer: Answer<Value>, error: ApiError) -> Answer<C> {
    Answer {
        exchange: answer.exchange,
        result: Err(error),
    }
}

/// What [`check_and_put`] did after reading the call.
#[derive(Debug)]
pub enum Outcome<C> {
    /// The call could not be read (the error is in [`Checked::check`]): nothing sent.
    NotRead,
    /// Someone else changed it since: nothing sent; their copy is in [`Checked::check`].
    Conflict,
    /// It already holds what would be sent: nothing sent, and that counts as saved.
    AlreadyHolds,
    /// Sent; the PUT's answer.
    Sent(Box<Answer<C>>),
}

/// A call read, checked and, when the check allows, saved.
#[derive(Debug)]
pub struct Checked<C> {
    /// The read of the call before anything was sent.
    pub check: Answer<C>,
    pub outcome: Outcome<C>,
}

/// Reads call `uid`, and PUTs `body` ([`put`]) only when [`check`] allows: one step for a
/// bulk action's call (in the runtime) and for `calls update`.
pub async fn check_and_put<C: Reading>(
    client: &ApiClient,
    uid: &str,
    based_on: Option<&str>,
    body: &Value,
) -> Checked<C> {
    let (check, etag) = client.get_json_tagged(uid).await;
    let check: Answer<C> = read_as(check);
    let verdict = match &check.result {
        Ok(theirs) => Some(self::check(&theirs.json(), based_on, body)),
        Err(_) => None,
    };
    let outcome = match verdict {
        None => Outcome::NotRead,
        Some(Verdict::Conflict) => Outcome::Conflict,
        Some(Verdict::AlreadyHolds) => Outcome::AlreadyHolds,
        Some(Verdict::Send) => Outcome::Sent(Box::new(
            put_tagged(client, uid, body, based_on, etag.as_deref()).await,
        )),
    };
    Checked { check, outcome }
}

#[cfg(test)]
#[path = "save_tests.rs"]
mod tests;
