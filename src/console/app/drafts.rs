//! Drafts: an unsent edit is written after the form has been still for [`DRAFT_DELAY`], when
//! the form is left or the console stops, and offered again (restore or discard) at start and
//! on `e`. Writing is an effect the runtime performs.

use std::time::Duration;

use super::{App, Prompt};
use crate::api::{Answer, VoiceCall};
use crate::console::form::Form;
use crate::console::msg::Effect;
use crate::domain::calls::PackedCall;
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
    /// Calls whose last draft write failed (a full or read-only data dir), with why: their
    /// edit lives only in memory, so quitting asks first and then prints it.
    pub(super) unsaved: BTreeMap<String, String>,
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
        match error {
            Some(e) => {
                let words = self.call_words(&uid);
                self.error(format!(
                    "draft NOT saved for {words}: {e} — the edit is still here, in memory"
                ));
                self.drafts.unsaved.insert(uid, e);
            }
            None => {
                self.drafts.unsaved.remove(&uid);
            }
        }
        Vec::new()
    }

    /// Edits that live only in memory: the open form's (when its draft could not be written)
    /// and those kept as drafts that could not be written. By call uid, with why.
    pub(super) fn edits_only_in_memory(&self) -> Vec<(Draft, String)> {
        let mut edits: Vec<(Draft, String)> = Vec::new();
        if let Some(draft) = self.pending_draft()
            && let Some(why) = self.drafts.unsaved.get(&draft.uid)
        {
            edits.push((draft, why.clone()));
        }
        for (uid, why) in &self.drafts.unsaved {
            if edits.iter().any(|(d, _)| &d.uid == uid) {
                continue;
            }
            if let Some(draft) = self.drafts.by_uid.get(uid) {
                edits.push((draft.clone(), why.clone()));
            }
        }
        edits
    }

    /// One line for the terminal after quitting: the edit's changed fields as JSON, so it can
    /// be sent later with `calls update`.
    pub(super) fn unsent_edit_line(&self, draft: &Draft, why: &str) -> String {
        let values = draft.field_values();
        let loaded = self
            .find_call(&draft.uid)
            .map(|c| crate::domain::fields::prefill(&c.to_call()).0);
        let changed: serde_json::Map<String, serde_json::Value> = values
            .iter()
            .filter(|(f, v)| loaded.as_ref().is_none_or(|l| l.get(f) != Some(*v)))
            .map(|(f, v)| (f.name().to_string(), serde_json::Value::String(v.clone())))
            .collect();
        format!(
            "call {}: edit NOT sent and NOT saved as a draft ({why}); its changes: {} — send them \
             with `callconsole calls update {} --field NAME=VALUE`",
            draft.uid,
            serde_json::Value::Object(changed),
            draft.uid
        )
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
        match self.find_call(uid).map(PackedCall::to_call) {
            Some(call) => {
                self.open_with_draft(call, &draft);
                Vec::new()
            }
            None => {
                // Not loaded yet: fetch it, then open.
                let req = self.requests.start(
                    super::Purpose::DraftCall {
                        uid: uid.to_string(),
                    },
                    self.clock.now,
                );
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
        let when = crate::domain::when::spoken_time(&draft.saved_at, self.clock.now, self.zone());
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
                let words = self.call_words(&uid);
                self.error(format!(
                    "cannot open the draft of {words}: {error}; the draft is kept"
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
