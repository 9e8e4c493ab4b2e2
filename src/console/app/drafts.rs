//! Drafts: an unsent edit is written after the form has been still for [`DRAFT_DELAY`], when
//! the form is left or the console stops, and offered again (restore or discard) at start and
//! on `e`. Writing is an effect the runtime performs.

use std::time::Duration;

use super::{App, Prompt};
use crate::api::{Answer, VoiceCall};
use crate::console::form::Form;
use crate::console::msg::Effect;
use crate::persist::drafts::Draft;
use std::collections::BTreeMap;

/// How long a form must be still before its draft is written.
pub const DRAFT_DELAY: Duration = Duration::from_millis(500);

/// Drafts on disk, by call uid, and the debounce of the open form's draft.
#[derive(Debug, Clone, Default)]
pub(super) struct Drafts {
    pub(super) by_uid: BTreeMap<String, Draft>,
    /// Bumped on every form change; only the newest debounce timer writes.
    pub(super) generation: u64,
}

impl App {
    /// The open form's unsent edit, as a draft (written when the console has to stop).
    pub fn pending_draft(&self) -> Option<Draft> {
        let form = self.form().filter(|f| f.is_dirty())?;
        Some(draft_from(form, &self.clock.now.to_rfc3339()))
    }

    pub(super) fn draft_of(&mut self, form: &Form) -> Effect {
        let draft = draft_from(form, &self.clock.now.to_rfc3339());
        self.drafts.by_uid.insert(draft.uid.clone(), draft.clone());
        Effect::WriteDraft(draft)
    }

    pub(super) fn schedule_draft(&mut self) -> Vec<Effect> {
        self.drafts.generation += 1;
        vec![Effect::ScheduleDraft {
            generation: self.drafts.generation,
            delay: DRAFT_DELAY,
        }]
    }

    pub(super) fn on_draft_due(&mut self, generation: u64) -> Vec<Effect> {
        if generation != self.drafts.generation {
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
        if let Some(uid) = self.drafts.by_uid.keys().next().cloned() {
            self.ask(Prompt::Draft { uid });
        }
    }

    pub(super) fn restore_draft(&mut self, uid: &str) -> Vec<Effect> {
        let Some(draft) = self.drafts.by_uid.get(uid).cloned() else {
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
        let when = crate::domain::when::spoken_time(&draft.saved_at, self.clock.now, self.clock.tz);
        self.info(format!("draft from {when} restored"));
    }

    pub(super) fn on_draft_call(&mut self, uid: String, answer: Answer<VoiceCall>) -> Vec<Effect> {
        let Answer { exchange, result } = answer;
        match result {
            Ok(call) => {
                self.record(exchange, None);
                if let Some(draft) = self.drafts.by_uid.get(&uid).cloned() {
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
}

fn draft_from(form: &Form, saved_at: &str) -> Draft {
    Draft::new(
        form.uid(),
        saved_at.to_string(),
        form.opened_updated_at().map(str::to_string),
        &form.values(),
    )
}

#[cfg(test)]
#[path = "drafts_tests.rs"]
mod tests;
