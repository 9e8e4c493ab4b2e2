//! Undo: each change this session made is kept as before- and after-images ([`Change`]), and
//! `u` puts back the last one — one call through the one submission, a bulk action's calls as
//! a batch — only while the server still holds what the change made.

use serde_json::Value;

use super::bulk::{BatchItem, ItemState};
use super::{App, Batch, BatchKind, Origin};
use crate::api::VoiceCall;
use crate::config::HandledDefaults;
use crate::console::msg::Effect;
use crate::domain::fields;
use crate::domain::save;

/// One change this session made to one call: the call before it, and as the server held it
/// after. Undo sends `before` back only while the server still holds `after`.
#[derive(Debug, Clone, PartialEq)]
pub struct Change {
    pub before: VoiceCall,
    pub after: VoiceCall,
}

/// The body that puts `current` back as `before` was; fields the old copy lacked keep what
/// the server has now.
pub(super) fn undo_body(
    before: &VoiceCall,
    current: &VoiceCall,
    defaults: &HandledDefaults,
) -> Result<Value, String> {
    let (mut values, missing) = fields::prefill(before);
    let (now_values, still_missing) = fields::prefill(current);
    for f in missing {
        // The API never sends some fields back: the values the change itself used are the
        // best there is.
        let value = if still_missing.contains(&f) {
            defaults.get(f)
        } else {
            now_values.get(&f).map(String::as_str)
        };
        if let Some(v) = value {
            values.insert(f, v.to_string());
        }
    }
    save::unhandle(&mut values, &[]);
    match save::full_body(&values) {
        Ok(body) => Ok(body),
        Err(errors) => {
            let (f, m) = &errors[0];
            Err(format!("cannot undo: {} ({m})", f.name()))
        }
    }
}

impl App {
    /// `u`: the last change, or every call of the last bulk action.
    pub(super) fn undo_last(&mut self) -> Vec<Effect> {
        let Some(group) = self.history.last().cloned() else {
            self.info("nothing to undo");
            return Vec::new();
        };
        if let [change] = group.as_slice() {
            return self.undo_single(change.clone());
        }
        if self.batch.as_ref().is_some_and(Batch::running) {
            self.warn("a bulk action is still running; wait for it to finish");
            return Vec::new();
        }
        let mut items = Vec::new();
        for Change { before, after } in group {
            let uid = before.uid.clone().unwrap_or_default();
            // Based on the copy this session's change produced, whatever is loaded now: the
            // conflict check then refuses if anyone changed the call since.
            let (body, expected, state) =
                match undo_body(&before, &after, &self.session.config.defaults) {
                    Ok(body) => (body, after.updated_at.clone(), ItemState::Queued),
                    Err(e) => (
                        Value::Null,
                        None,
                        ItemState::Failed(super::bulk::Failure::Invalid(e)),
                    ),
                };
            items.push(BatchItem {
                uid,
                body: std::sync::Arc::new(body),
                expected,
                before,
                after: Some(after),
                state,
            });
        }
        self.history.pop();
        self.confirm_or_start(Batch::new(BatchKind::Undo, items, self.active))
    }

    /// `u` on a single change: put that call back as it was, while the server still holds
    /// what the change made of it (whatever any view lists now).
    pub(super) fn undo_single(&mut self, change: super::Change) -> Vec<Effect> {
        let uid = change.before.uid.clone().unwrap_or_default();
        match undo_body(&change.before, &change.after, &self.session.config.defaults) {
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

#[cfg(test)]
#[path = "undo_tests.rs"]
mod tests;
