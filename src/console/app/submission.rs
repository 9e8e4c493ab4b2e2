//! The one save in flight (the form, `h` on one call, `u` on one change): read the call, the
//! save policy's conflict check, then PUT; a conflict the user decides; what saved and failed
//! look like. What may be sent is [`crate::domain::save`]'s to say. Still no I/O.

use crate::domain::handling::{self, Skip};
use serde_json::Value;

use super::{App, Prompt};
use crate::api::CallFields;
use crate::api::{Answer, ApiError, VoiceCall};
use crate::console::form::Form;
use crate::console::keys::Action;
use crate::console::msg::{Effect, RequestId};
use crate::domain::calls::PackedCall;
use crate::domain::fields::FieldId;
use crate::domain::save::{self, BodyError, Verdict};
use crate::domain::when;

/// Where a save came from; decides what success and failure look like.
#[derive(Debug, Clone, PartialEq)]
pub enum Origin {
    /// The edit form.
    Form,
    /// `h` on a call whose full body was known.
    Handled,
    /// `u`: putting a call back as it was.
    Undo,
}

/// Where a save stands.
#[derive(Debug, Clone, PartialEq)]
pub enum Stage {
    /// Fetching the call to see whether someone else changed it.
    Checking { req: RequestId },
    /// The PUT is out.
    Saving { req: RequestId },
    /// The server's copy changed since the edit began: the user decides. `scroll`: rows of
    /// the conflict view scrolled past (the view stops at its last full page).
    Conflict {
        theirs: Box<VoiceCall>,
        scroll: usize,
    },
}

/// The one save in flight.
#[derive(Debug, Clone, PartialEq)]
pub struct Submission {
    pub uid: String,
    pub body: Value,
    /// The `updated_at` the change was based on.
    pub expected: Option<String>,
    pub origin: Origin,
    pub stage: Stage,
    /// The call before this change, for undo.
    pub before: Option<VoiceCall>,
    /// For an undo: the step it undoes, back on the history when the undo does not land.
    pub undoing: Option<super::Change>,
    /// The `ETag` of the copy the check read, when the server sent one: the PUT sends it
    /// as `If-Match`, so a change landing between the check and the PUT is refused (412).
    pub etag: Option<String>,
}

impl App {
    pub(super) fn submit_form(&mut self) -> Vec<Effect> {
        let Some(form) = self.form_mut() else {
            return Vec::new();
        };
        let broken = form.focus_first_broken();
        if broken > 0 {
            self.warn(if broken == 1 {
                "not sent: 1 field needs fixing".to_string()
            } else {
                format!("not sent: {broken} fields need fixing")
            });
            return Vec::new();
        }
        let (values, changed) = (form.values(), form.changed());
        let uid = form.uid().to_string();
        let expected = form.opened_updated_at().map(str::to_string);
        let before = form.base().clone();
        form.clear_server_errors();
        let body = match save::edit_body(values, changed, self.session.config.update_fields) {
            Ok(body) => body,
            Err(BodyError::Invalid(errors)) => {
                self.warn(format!("not sent: {} field(s) need fixing", errors.len()));
                return Vec::new();
            }
            Err(BodyError::NothingChanged) => {
                self.warn("nothing changed; nothing to send");
                return Vec::new();
            }
        };
        self.start_submission(uid, body, expected, Origin::Form, Some(before))
    }

    /// First step of every save: fetch the call for the save policy's check. A second save
    /// of the same call while one is out is refused, not sent twice.
    pub(super) fn start_submission(
        &mut self,
        uid: String,
        body: Value,
        expected: Option<String>,
        origin: Origin,
        before: Option<VoiceCall>,
    ) -> Vec<Effect> {
        if let Some(current) = &self.submission {
            let words = self.call_words(&current.uid);
            self.warn(format!("still saving {words}; wait for its answer"));
            return Vec::new();
        }
        let req = self.requests.start(super::Purpose::Check, self.clock.now);
        self.submission = Some(Submission {
            uid: uid.clone(),
            body,
            expected,
            origin,
            stage: Stage::Checking { req },
            before,
            undoing: None,
            etag: None,
        });
        vec![Effect::FetchCall { req, uid }]
    }

    pub(super) fn on_call_fetched(
        &mut self,
        req: RequestId,
        answer: Answer<VoiceCall>,
        etag: Option<String>,
    ) -> Vec<Effect> {
        let Some(sub) = self.submission.as_mut() else {
            return Vec::new();
        };
        if sub.stage != (Stage::Checking { req }) {
            return Vec::new();
        }
        sub.etag = etag;
        let Answer { exchange, result } = answer;
        let theirs = match result {
            Ok(theirs) => theirs,
            Err(error) => {
                self.record(exchange, Some(error.clone()));
                return self.save_failed(error);
            }
        };
        self.record(exchange, None);
        let Some(sub) = self.submission.as_ref() else {
            return Vec::new();
        };
        match save::check_call(&theirs, sub.expected.as_deref(), &sub.body) {
            // An earlier try that got no answer landed after all (or a colleague made the
            // very same change): nothing of anyone's would be overwritten, nothing to send.
            Verdict::AlreadyHolds => self.saved(theirs),
            Verdict::Conflict => {
                // Just read from the server: its copy, whatever its time says.
                if let Some(uid) = theirs.uid.as_deref() {
                    self.store.mark_provisional(uid);
                }
                self.update_everywhere(&theirs);
                let form_open = self.form().is_some();
                let Some(sub) = self.submission.as_mut() else {
                    return Vec::new();
                };
                if sub.origin == Origin::Form && form_open {
                    sub.stage = Stage::Conflict {
                        theirs: Box::new(theirs),
                        scroll: 0,
                    };
                    self.warn("someone else changed this call: r reload, o overwrite, c cancel");
                } else {
                    self.submission = None;
                    self.warn(
                        "not sent: someone else changed this call since it was loaded; its row now shows their version",
                    );
                }
                Vec::new()
            }
            Verdict::Send => self.put_submission(),
        }
    }

    /// Sends the submission's body; its `expected` is what an unanswered PUT is read back
    /// against.
    pub(super) fn put_submission(&mut self) -> Vec<Effect> {
        let req = self.requests.start(super::Purpose::Save, self.clock.now);
        let Some(sub) = self.submission.as_mut() else {
            return Vec::new();
        };
        sub.stage = Stage::Saving { req };
        vec![Effect::PutCall {
            req,
            uid: sub.uid.clone(),
            body: sub.body.clone(),
            expected: sub.expected.clone(),
            etag: sub.etag.clone(),
        }]
    }

    pub(super) fn on_saved(&mut self, req: RequestId, answer: Answer<VoiceCall>) -> Vec<Effect> {
        if self.submission.as_ref().map(|s| &s.stage) != Some(&Stage::Saving { req }) {
            return Vec::new();
        }
        let Answer { exchange, result } = answer;
        match result {
            Ok(call) => {
                self.record(exchange, None);
                self.saved(call)
            }
            Err(error) => {
                self.record(exchange, Some(error.clone()));
                self.save_failed(error)
            }
        }
    }

    /// The submission is on the server as `call`: close the form, say so, keep the undo.
    fn saved(&mut self, call: VoiceCall) -> Vec<Effect> {
        let Some(sub) = self.submission.take() else {
            return Vec::new();
        };
        // Kept before the copy goes in, so it is given what the server does not send back.
        let remembered = self.note_sent(&sub.uid, &sub.body);
        self.update_everywhere(&call);
        if self.form().is_some_and(|f| f.uid() == sub.uid) && sub.origin == Origin::Form {
            self.take_form();
        }
        let words = self.people.call_words(&call);
        self.info(match sub.origin {
            Origin::Form => format!("saved {words}"),
            Origin::Handled => {
                format!(
                    "marked {words} handled ({} undoes)",
                    self.hint(Action::Undo)
                )
            }
            Origin::Undo => format!("undone: {words} is back as it was"),
        });
        if sub.origin != Origin::Undo
            && let Some(before) = sub.before
        {
            self.history.push(vec![super::Change {
                before,
                after: call,
            }]);
        }
        self.drafts.by_uid.remove(&sub.uid);
        self.drafts.unsaved.remove(&sub.uid);
        let mut effects: Vec<Effect> = remembered.into_iter().collect();
        effects.push(Effect::DeleteDraft { uid: sub.uid });
        effects.extend(self.fetch_counts());
        effects
    }

    /// A save that did not go through: say why where the user is looking, keep every value.
    fn save_failed(&mut self, error: ApiError) -> Vec<Effect> {
        // The server refused the form's PUT because a colleague changed the call in the
        // meantime: read it again, which shows the conflict view (their version, mine, o/r/c).
        if error == ApiError::PutConflict
            && let Some(sub) = self.submission.as_mut()
            && sub.origin == Origin::Form
            && sub.undoing.is_none()
        {
            let req = self.requests.start(super::Purpose::Check, self.clock.now);
            sub.stage = Stage::Checking { req };
            let uid = sub.uid.clone();
            self.warn(error.to_string());
            return vec![Effect::FetchCall { req, uid }];
        }
        let Some(mut sub) = self.submission.take() else {
            return Vec::new();
        };
        // An undo that did not land can be tried again.
        let undo_kept = match sub.undoing.take() {
            Some(change) => {
                self.history.push(vec![change]);
                true
            }
            None => false,
        };
        let advice = match (&error, error.status()) {
            // Its own message says what happened and what to do; "try again" would be wrong.
            (ApiError::PutConflict | ApiError::PutUnconfirmed | ApiError::RetryLater { .. }, _) => {
                error.to_string()
            }
            (_, Some(401 | 403)) => format!(
                "token rejected (HTTP {}): check CALLCONSOLE_TOKEN or token in config.toml",
                error.status().unwrap_or(401)
            ),
            (_, Some(400 | 422)) => format!("the server refused the change: {error}"),
            (_, Some(_)) => format!("{error} — Ctrl-s tries again"),
            (_, None) => format!("{error} — nothing was saved; Ctrl-s tries again"),
        };
        match self.form_mut() {
            Some(form) if form.uid() == sub.uid => {
                let messages = error
                    .messages()
                    .iter()
                    .map(|m| {
                        let field = m
                            .field
                            .as_deref()
                            .and_then(FieldId::from_name)
                            .or_else(|| field_named_in(m.text()));
                        (field, m.text().to_string())
                    })
                    .collect::<Vec<_>>();
                let has_field = messages.iter().any(|(f, _)| f.is_some());
                if messages.is_empty() || !has_field {
                    let mut general: Vec<(Option<FieldId>, String)> =
                        messages.into_iter().filter(|(f, _)| f.is_none()).collect();
                    if general.is_empty() || error.status().is_some_and(|s| s != 400 && s != 422) {
                        general = vec![(None, advice.clone())];
                    }
                    form.set_server_errors(general);
                } else {
                    form.set_server_errors(messages);
                }
            }
            _ => {}
        }
        self.error(if undo_kept {
            format!("not undone: {advice} — u tries again")
        } else {
            advice
        });
        Vec::new()
    }

    // ---- quick actions ----

    pub(super) fn mark_selected_handled(&mut self) -> Vec<Effect> {
        let Some(call) = self.list().selected().map(PackedCall::to_call) else {
            return Vec::new();
        };
        // The same rule as the bulk `h`: only a waiting inbound call, never a colleague's.
        if let Err(skip) = handling::check(&call) {
            let why = self.refusal(&skip);
            self.warn(why);
            return Vec::new();
        }
        let Some(staff) = self.session.config.staff_uid.clone() else {
            self.ask(Prompt::StaffUid {
                picker: super::StaffPicker::handler(),
            });
            return Vec::new();
        };
        let values = self.handled_values(&call, &staff);
        match self.handled_body(&call, &staff) {
            Ok(body) => {
                let uid = call.uid().map(str::to_string).unwrap_or_default();
                let expected = call.updated_at().map(str::to_string);
                self.start_submission(uid, body, expected, Origin::Handled, Some(call))
            }
            Err(_) => {
                // Not enough is known to send: the form opens with the two fields set and the
                // cursor on the first one still missing.
                let preset = (values, call.updated_at().map(str::to_string));
                let mut form = Form::open(
                    call,
                    Some(preset),
                    self.session.config.default_country.clone(),
                );
                let broken = form.focus_first_broken();
                self.set_form(form);
                self.info(format!(
                    "{broken} field{} the server did not send must be filled before this call can be marked handled",
                    if broken == 1 { "" } else { "s" }
                ));
                self.schedule_draft()
            }
        }
    }
}

impl App {
    /// Why `h` leaves a call alone, in words, with who handled it and when.
    pub(super) fn refusal(&self, skip: &Skip) -> String {
        match skip {
            Skip::Handled { by, at } => {
                let me = self.session.config.staff_uid.as_deref();
                let who = match by.as_deref() {
                    Some(b) if Some(b) == me => "you".to_string(),
                    Some(b) => self.people.staff_label(b).to_string(),
                    None => "someone".to_string(),
                };
                let when = at
                    .as_deref()
                    .map(|at| format!(" {}", when::spoken_time(at, self.clock.now, self.zone())))
                    .unwrap_or_default();
                let theirs = if who == "you" {
                    ""
                } else {
                    "; it stays theirs"
                };
                format!("not marked: already handled by {who}{when}{theirs}")
            }
            Skip::Outbound => "not marked: an outbound call has nobody to call back".into(),
            Skip::NoUid => format!("not marked: {}", handling::NO_UID),
            Skip::NotWaiting { status } => format!(
                "not marked: only missed calls and voicemails are handled, and this call is {status}"
            ),
        }
    }
}

/// The field a server message starts with (`from_number must be …`), if any.
fn field_named_in(text: &str) -> Option<FieldId> {
    let mut all = FieldId::ALL;
    // Longest first, so `handled_by_staff_uid` is not taken for `staff_uid`.
    all.sort_by_key(|f| std::cmp::Reverse(f.name().len()));
    all.into_iter().find(|f| text.starts_with(f.name()))
}

#[cfg(test)]
#[path = "submission_tests.rs"]
mod tests;
