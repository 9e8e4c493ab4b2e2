//! Editing: the form's keys, the save pipeline (read the call, then the save policy's
//! conflict check, then PUT), drafts, quick "mark handled" and undo. Still no I/O:
//! everything leaves as an effect; what may be sent is [`crate::domain::save`]'s to say.

use std::time::Duration;

use crossterm::event::{KeyCode, KeyEvent};
use serde_json::Value;
use tui_input::Input;
use tui_input::backend::crossterm::EventHandler;

use super::App;
use crate::api::{Answer, ApiError, VoiceCall};
use crate::console::form::{Form, FormAction};
use crate::console::keys::Action;
use crate::console::msg::{Effect, RequestId};
use crate::domain::fields::{self, FieldId};
use crate::domain::save::{self, BodyError, Verdict};
use crate::persist::drafts::Draft;

/// How long a form must be still before its draft is written.
pub const DRAFT_DELAY: Duration = Duration::from_millis(500);

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
    /// The server's copy changed since the edit began: the user decides.
    Conflict { theirs: Box<VoiceCall> },
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
}

/// A question shown over the screen.
#[derive(Debug, Clone)]
pub enum Prompt {
    /// A draft of this call is waiting: restore or discard it.
    Draft { uid: String },
    /// Whose name goes in "handled by": asked once when `staff_uid` is not configured.
    StaffUid { input: Input },
    /// Values for fields the API does not send back, asked once per session before a bulk
    /// "handled" (or set under `[defaults]` in the config).
    FillIn {
        fields: Vec<FieldId>,
        inputs: Vec<Input>,
        focus: usize,
        error: Option<String>,
    },
    /// A bulk action on many calls: go ahead?
    ConfirmBatch { batch: Box<super::Batch> },
}

impl App {
    // ---- opening and leaving the form ----

    pub(super) fn open_form_for_selected(&mut self) -> Vec<Effect> {
        let Some(call) = self.list().selected().cloned() else {
            return Vec::new();
        };
        let uid = call.uid.clone().unwrap_or_default();
        if self.drafts.contains_key(&uid) {
            self.ask(Prompt::Draft { uid });
            return Vec::new();
        }
        self.set_form(Form::open(
            call,
            None,
            self.session.config.default_country.clone(),
        ));
        Vec::new()
    }

    pub(super) fn on_form_key(&mut self, key: KeyEvent) -> Vec<Effect> {
        if let Some(Stage::Conflict { theirs }) = self.submission.as_ref().map(|s| &s.stage) {
            let theirs = (**theirs).clone();
            return self.on_conflict_key(key, theirs);
        }
        if self.saving_form() {
            // What is on screen is what is being sent: edits wait for the answer.
            self.info("saving… the form unlocks when the server answers");
            return Vec::new();
        }
        let Some(form) = self.form_mut() else {
            return Vec::new();
        };
        match form.on_key(key) {
            FormAction::Nothing => Vec::new(),
            FormAction::Changed => self.schedule_draft(),
            FormAction::Submit => self.submit_form(),
            FormAction::OpenEditor => vec![Effect::OpenEditor {
                text: form.value(FieldId::CallSummary).to_string(),
            }],
            FormAction::Leave { discard } => self.leave_form(discard),
        }
    }

    /// A save of the open form is out (checking or sending).
    fn saving_form(&self) -> bool {
        match (self.form(), &self.submission) {
            (Some(form), Some(sub)) => {
                sub.uid == form.uid() && !matches!(sub.stage, Stage::Conflict { .. })
            }
            _ => false,
        }
    }

    pub(super) fn on_paste(&mut self, text: &str) -> Vec<Effect> {
        if self.saving_form() {
            return Vec::new();
        }
        match self.form_mut().map(|f| f.on_paste(text)) {
            Some(FormAction::Changed) => self.schedule_draft(),
            _ => Vec::new(),
        }
    }

    pub(super) fn on_editor_done(&mut self, result: Result<String, String>) -> Vec<Effect> {
        match (result, self.form_mut()) {
            (Ok(text), Some(form)) => {
                // Editors add a final newline; the summary does not want it. What the file
                // holds is cleaned like pasted text: it is drawn and sent to the server.
                let text = crate::domain::sanitize::clean(text.trim_end_matches('\n')).into_owned();
                if text == form.value(FieldId::CallSummary) {
                    return Vec::new();
                }
                form.set_value(FieldId::CallSummary, text);
                self.schedule_draft()
            }
            (Err(e), _) => {
                self.error(format!("editor: {e}"));
                Vec::new()
            }
            (Ok(_), None) => Vec::new(),
        }
    }

    fn leave_form(&mut self, discard: bool) -> Vec<Effect> {
        let Some(form) = self.take_form() else {
            return Vec::new();
        };
        let uid = form.uid().to_string();
        if discard {
            self.drafts.remove(&uid);
            self.info("changes discarded");
            return vec![Effect::DeleteDraft { uid }];
        }
        if form.is_dirty() {
            self.warn("edit kept as a draft; e on the call offers it again");
            return vec![self.draft_of(&form)];
        }
        Vec::new()
    }

    /// Ctrl-c / a signal: an open form's edit is written before the app goes.
    pub(super) fn quit_saving_draft(&mut self) -> Vec<Effect> {
        self.quit = true;
        match self.take_form() {
            Some(form) if form.is_dirty() => vec![self.draft_of(&form)],
            _ => Vec::new(),
        }
    }

    // ---- drafts ----

    /// The open form's unsent edit, as a draft (written when the console has to stop).
    pub fn pending_draft(&self) -> Option<Draft> {
        let form = self.form().filter(|f| f.is_dirty())?;
        Some(draft_from(form, &self.now.to_rfc3339()))
    }

    fn draft_of(&mut self, form: &Form) -> Effect {
        let draft = draft_from(form, &self.now.to_rfc3339());
        self.drafts.insert(draft.uid.clone(), draft.clone());
        Effect::WriteDraft(draft)
    }

    fn schedule_draft(&mut self) -> Vec<Effect> {
        self.draft_generation += 1;
        vec![Effect::ScheduleDraft {
            generation: self.draft_generation,
            delay: DRAFT_DELAY,
        }]
    }

    pub(super) fn on_draft_due(&mut self, generation: u64) -> Vec<Effect> {
        if generation != self.draft_generation {
            return Vec::new(); // a newer change restarted the timer
        }
        match self.take_form() {
            Some(form) => {
                let effect = if form.is_dirty() {
                    Some(self.draft_of(&form))
                } else {
                    None
                };
                self.set_form(form);
                effect.into_iter().collect()
            }
            None => Vec::new(),
        }
    }

    pub(super) fn on_draft_written(&mut self, uid: String, error: Option<String>) -> Vec<Effect> {
        if let Some(e) = error {
            self.error(format!(
                "draft NOT saved for call {uid}: {e} — the edit is still here, in memory"
            ));
        }
        Vec::new()
    }

    /// Offers the oldest waiting draft, if any.
    pub(super) fn offer_next_draft(&mut self) {
        if let Some(uid) = self.drafts.keys().next().cloned() {
            self.ask(Prompt::Draft { uid });
        }
    }

    // ---- prompts ----

    pub(super) fn on_prompt_key(&mut self, key: KeyEvent) -> Vec<Effect> {
        match self.take_prompt() {
            Some(Prompt::Draft { uid }) => match key.code {
                KeyCode::Char('r') | KeyCode::Enter => self.restore_draft(&uid),
                KeyCode::Char('d') => {
                    self.drafts.remove(&uid);
                    self.info(format!("draft for call {uid} discarded"));
                    vec![Effect::DeleteDraft { uid }]
                }
                KeyCode::Esc => Vec::new(),
                _ => {
                    self.ask(Prompt::Draft { uid });
                    Vec::new()
                }
            },
            Some(Prompt::StaffUid { mut input }) => match key.code {
                KeyCode::Esc => Vec::new(),
                KeyCode::Enter => {
                    let value = input.value().trim().to_string();
                    if let Some(message) = fields::check(FieldId::StaffUid, &value) {
                        self.error(message.replace("staff_uid", "your staff uid"));
                        self.ask(Prompt::StaffUid { input });
                        return Vec::new();
                    }
                    self.session.config.staff_uid = Some(value);
                    self.info("add staff_uid to config.toml to skip this question");
                    self.mark_handled()
                }
                _ => {
                    input.handle_event(&crossterm::event::Event::Key(key));
                    self.ask(Prompt::StaffUid { input });
                    Vec::new()
                }
            },
            Some(Prompt::FillIn {
                fields,
                inputs,
                focus,
                ..
            }) => self.on_fill_in_key(key, fields, inputs, focus),
            Some(Prompt::ConfirmBatch { batch }) => match key.code {
                KeyCode::Char('y') | KeyCode::Enter => self.start_batch(*batch),
                KeyCode::Char('n') | KeyCode::Esc => {
                    self.warn("nothing sent");
                    Vec::new()
                }
                _ => {
                    self.ask(Prompt::ConfirmBatch { batch });
                    Vec::new()
                }
            },
            None => Vec::new(),
        }
    }

    fn restore_draft(&mut self, uid: &str) -> Vec<Effect> {
        let Some(draft) = self.drafts.get(uid).cloned() else {
            return Vec::new();
        };
        match self.find_call(uid).cloned() {
            Some(call) => {
                self.open_with_draft(call, &draft);
                Vec::new()
            }
            None => {
                // Not loaded yet: fetch it, then open.
                let req = self.requests.start(super::Purpose::DraftCall {
                    uid: uid.to_string(),
                });
                vec![Effect::FetchCall {
                    req,
                    uid: uid.to_string(),
                }]
            }
        }
    }

    fn open_with_draft(&mut self, call: VoiceCall, draft: &Draft) {
        let preset = (draft.field_values(), draft.opened_updated_at.clone());
        self.set_form(Form::open(
            call,
            Some(preset),
            self.session.config.default_country.clone(),
        ));
        self.info(format!("draft from {} restored", draft.saved_at));
    }

    // ---- saving ----

    fn submit_form(&mut self) -> Vec<Effect> {
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
        let values = form.values();
        let changed = form.changed();
        let uid = form.uid().to_string();
        let expected = form.opened_updated_at().map(str::to_string);
        let before = form.base().clone();
        form.clear_server_errors();
        let body = match save::body(&values, &changed, self.session.config.update_fields) {
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
    fn start_submission(
        &mut self,
        uid: String,
        body: Value,
        expected: Option<String>,
        origin: Origin,
        before: Option<VoiceCall>,
    ) -> Vec<Effect> {
        if let Some(current) = &self.submission {
            self.warn(format!(
                "still saving call {}; wait for its answer",
                current.uid
            ));
            return Vec::new();
        }
        let req = self.requests.start(super::Purpose::Check);
        self.submission = Some(Submission {
            uid: uid.clone(),
            body,
            expected,
            origin,
            stage: Stage::Checking { req },
            before,
            undoing: None,
        });
        vec![Effect::FetchCall { req, uid }]
    }

    pub(super) fn on_call_fetched(
        &mut self,
        req: RequestId,
        answer: Answer<VoiceCall>,
    ) -> Vec<Effect> {
        if self.submission.as_ref().map(|s| &s.stage) != Some(&Stage::Checking { req }) {
            return Vec::new();
        }
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
                self.update_everywhere(&theirs);
                let form_open = self.form().is_some();
                let Some(sub) = self.submission.as_mut() else {
                    return Vec::new();
                };
                if sub.origin == Origin::Form && form_open {
                    sub.stage = Stage::Conflict {
                        theirs: Box::new(theirs),
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
    fn put_submission(&mut self) -> Vec<Effect> {
        let req = self.requests.start(super::Purpose::Save);
        let Some(sub) = self.submission.as_mut() else {
            return Vec::new();
        };
        sub.stage = Stage::Saving { req };
        vec![Effect::PutCall {
            req,
            uid: sub.uid.clone(),
            body: sub.body.clone(),
            expected: sub.expected.clone(),
        }]
    }

    pub(super) fn on_draft_call(&mut self, uid: String, answer: Answer<VoiceCall>) -> Vec<Effect> {
        let Answer { exchange, result } = answer;
        match result {
            Ok(call) => {
                self.record(exchange, None);
                if let Some(draft) = self.drafts.get(&uid).cloned() {
                    self.open_with_draft(call, &draft);
                }
            }
            Err(error) => {
                self.error(format!(
                    "cannot open the draft's call {uid}: {error}; the draft is kept"
                ));
                self.record(exchange, Some(error));
            }
        }
        Vec::new()
    }

    fn on_conflict_key(&mut self, key: KeyEvent, theirs: VoiceCall) -> Vec<Effect> {
        match key.code {
            KeyCode::Char('r') => {
                self.submission = None;
                if let Some(form) = self.form_mut() {
                    form.rebase(theirs);
                }
                self.info("their version loaded, your edits kept on top; Ctrl-s sends");
                self.schedule_draft()
            }
            KeyCode::Char('o') => {
                let Some(sub) = self.submission.as_mut() else {
                    return Vec::new();
                };
                // Based on their version now: a PUT that gets no answer is read back
                // against it.
                sub.expected = theirs.updated_at.clone();
                self.put_submission()
            }
            KeyCode::Char('c') | KeyCode::Esc => {
                self.submission = None;
                self.warn("not sent; the form is as you left it");
                Vec::new()
            }
            _ => Vec::new(),
        }
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
        self.update_everywhere(&call);
        if self.form().is_some_and(|f| f.uid() == sub.uid) && sub.origin == Origin::Form {
            self.take_form();
        }
        self.info(match sub.origin {
            Origin::Form => format!("saved call {}", short(&sub.uid)),
            Origin::Handled => {
                format!(
                    "marked call {} handled ({} undoes)",
                    short(&sub.uid),
                    self.hint(Action::Undo)
                )
            }
            Origin::Undo => format!("undone: call {} is back as it was", short(&sub.uid)),
        });
        if sub.origin != Origin::Undo
            && let Some(before) = sub.before
        {
            self.history.push(vec![super::Change {
                before,
                after: call,
            }]);
        }
        self.drafts.remove(&sub.uid);
        let mut effects = vec![Effect::DeleteDraft { uid: sub.uid }];
        effects.extend(self.fetch_counts());
        effects
    }

    /// A save that did not go through: say why where the user is looking, keep every value.
    fn save_failed(&mut self, error: ApiError) -> Vec<Effect> {
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
        let Some(call) = self.list().selected().cloned() else {
            return Vec::new();
        };
        let Some(staff) = self.session.config.staff_uid.clone() else {
            self.ask(Prompt::StaffUid {
                input: Input::default(),
            });
            return Vec::new();
        };
        let values = self.handled_values(&call, &staff);
        match save::full_body(&values) {
            Ok(body) => {
                let uid = call.uid.clone().unwrap_or_default();
                let expected = call.updated_at.clone();
                self.start_submission(uid, body, expected, Origin::Handled, Some(call))
            }
            Err(_) => {
                // Not enough is known to send: the form opens with the two fields set and the
                // cursor on the first one still missing.
                let preset = (values, call.updated_at.clone());
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

    /// `u` on a single change: put that call back as it was, while the server still holds
    /// what the change made of it (whatever any view lists now).
    pub(super) fn undo_single(&mut self, change: super::Change) -> Vec<Effect> {
        let uid = change.before.uid.clone().unwrap_or_default();
        match super::batch::undo_body(&change.before, &change.after, &self.session.config.defaults)
        {
            Ok(body) => {
                let expected = change.after.updated_at.clone();
                let effects = self.start_submission(uid, body, expected, Origin::Undo, None);
                if let Some(sub) = self.submission.as_mut()
                    && sub.origin == Origin::Undo
                    && sub.undoing.is_none()
                {
                    sub.undoing = Some(change);
                    self.history.pop();
                }
                effects
            }
            Err(message) => {
                self.error(message);
                Vec::new()
            }
        }
    }
}

fn draft_from(form: &Form, saved_at: &str) -> Draft {
    Draft::new(
        form.uid(),
        saved_at.to_string(),
        form.opened_updated_at().map(str::to_string),
        &form.values(),
    )
}

/// The field a server message starts with (`from_number must be …`), if any.
fn field_named_in(text: &str) -> Option<FieldId> {
    let mut all = FieldId::ALL;
    // Longest first, so `handled_by_staff_uid` is not taken for `staff_uid`.
    all.sort_by_key(|f| std::cmp::Reverse(f.name().len()));
    all.into_iter().find(|f| text.starts_with(f.name()))
}

fn short(uid: &str) -> String {
    uid.chars().take(8).collect()
}

#[cfg(test)]
#[path = "edit_tests.rs"]
mod tests;
