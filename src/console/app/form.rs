//! The edit form as a mode: opening it on the selected call, its keys (and a paste or the
//! `$EDITOR` text), and leaving it — kept as a draft, or discarded. Still no I/O.

use crossterm::event::KeyEvent;

use super::{App, Prompt, Stage};
use crate::api::CallFields;
use crate::console::form::{Form, FormAction};
use crate::console::msg::Effect;
use crate::domain::calls::PackedCall;
use crate::domain::fields::FieldId;

impl App {
    pub(super) fn open_form_for_selected(&mut self) -> Vec<Effect> {
        let Some(call) = self.list().selected().map(PackedCall::to_call) else {
            return Vec::new();
        };
        let uid = call.uid().map(str::to_string).unwrap_or_default();
        if uid.trim().is_empty() {
            self.warn(format!("not opened: {}", crate::domain::handling::NO_UID));
            return Vec::new();
        }
        if self.drafts.by_uid.contains_key(&uid) {
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
        if let Some(Stage::Conflict { theirs, scroll }) = self.submission.as_ref().map(|s| &s.stage)
        {
            let (theirs, scroll) = ((**theirs).clone(), *scroll);
            return self.on_conflict_key(key, theirs, scroll);
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
            self.drafts.by_uid.remove(&uid);
            self.drafts.unsaved.remove(&uid);
            self.info("changes discarded");
            return vec![Effect::DeleteDraft { uid }];
        }
        if form.is_dirty() {
            self.warn("edit kept as a draft; e on the call offers it again");
            return vec![self.draft_of(&form)];
        }
        Vec::new()
    }

    /// Ctrl-c (`at_once` false: writes already sent are finished first, as for `q`) or a
    /// signal or a lost terminal (`at_once`): an open form's edit is written before the app
    /// goes.
    pub(super) fn quit_saving_draft(&mut self, at_once: bool) -> Vec<Effect> {
        let mut effects = if at_once {
            self.quit_now();
            Vec::new()
        } else {
            let effects = self.request_quit();
            if self.quit_pending() {
                // Asked first (an edit only in memory): the form stays as it is.
                return effects;
            }
            effects
        };
        effects.extend(match self.take_form() {
            Some(form) if form.is_dirty() => vec![self.draft_of(&form)],
            _ => Vec::new(),
        });
        effects
    }
}

#[cfg(test)]
#[path = "form_tests.rs"]
mod tests;
