//! Acting on many calls: `h` on a selection marks every selected call handled. At most
//! `max_in_flight` calls are out at once (fewer once the server asked to slow down), each through the same save policy as the form
//! ([`crate::domain::save`]: GET, the conflict check, then PUT), so a colleague's change is
//! never overwritten. The check and the save of one call run in one background task
//! ([`Effect::CheckAndPut`]), which says what it did. Still no I/O here.

use std::sync::Arc;

use crossterm::event::KeyEvent;
use serde_json::Value;
use tui_input::Input;

use super::selection::selected_calls;
use super::{App, Change, Overlay, Prompt};
use crate::api::{Answer, ApiError, VoiceCall};
use crate::console::keys::Action;
use crate::console::msg::{Effect, RequestId};
use crate::domain::fields::{FieldId, Values};
use crate::domain::handling::{self, Skipped};
use crate::domain::save::Outcome;

/// A bulk action on more calls than this asks first.
pub const CONFIRM_OVER: usize = 10;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BatchKind {
    Handled,
    Undo,
}

#[derive(Debug, Clone, PartialEq)]
pub enum ItemState {
    Queued,
    /// Being read, checked and (when unchanged) saved.
    Sending {
        req: RequestId,
    },
    Done,
    Failed(Failure),
}

/// Why one call of a bulk action was not changed. Typed, so what follows can tell a
/// colleague's change (never retried over) from a server that did not answer.
#[derive(Debug, Clone, PartialEq)]
pub enum Failure {
    /// The request failed or the server refused it.
    Api(ApiError),
    /// Someone else changed the call since it was loaded: not overwritten.
    Changed,
    /// The change could not be built from what is known of the call.
    Invalid(String),
    /// The answer could not be matched to what was sent.
    NotSent,
    /// The console quit before this call's turn came: nothing was sent.
    Stopped,
}

impl std::fmt::Display for Failure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Failure::Api(e) => write!(f, "{e}"),
            Failure::Changed => f.write_str(
                "changed on the server since it was loaded; not overwritten — its row now shows that version",
            ),
            Failure::Invalid(why) => f.write_str(why),
            Failure::NotSent => f.write_str("not sent"),
            Failure::Stopped => f.write_str("not sent: the console quit first"),
        }
    }
}

/// One call of a bulk action.
#[derive(Debug, Clone, PartialEq)]
pub struct BatchItem {
    pub uid: String,
    /// What is sent; taken once the call is confirmed (it is noted then, never sent again).
    /// Shared with the effect that sends it, so starting a call copies no body.
    pub body: Arc<Value>,
    /// The `updated_at` the change was based on.
    pub expected: Option<String>,
    /// The call before the change, for undo.
    pub before: VoiceCall,
    /// Handled: the server's copy once saved. Undo: the copy being undone, so an undo that
    /// does not land can be tried again.
    pub after: Option<VoiceCall>,
    pub state: ItemState,
}

/// A bulk action and where each of its calls stands.
#[derive(Debug, Clone, PartialEq)]
pub struct Batch {
    pub kind: BatchKind,
    pub items: Vec<BatchItem>,
    /// The tab it was started from: its failures are selected there.
    pub tab: usize,
    /// The items out (`Sending`), by index: an answer finds its call, and the pace counts
    /// what is out, without going through every call of the batch.
    out: Vec<usize>,
    /// No call before this one waits to be sent.
    next: usize,
}

impl Batch {
    pub fn done(&self) -> usize {
        self.items
            .iter()
            .filter(|i| i.state == ItemState::Done)
            .count()
    }

    pub fn failures(&self) -> impl Iterator<Item = (&str, &Failure)> {
        self.items.iter().filter_map(|i| match &i.state {
            ItemState::Failed(why) => Some((i.uid.as_str(), why)),
            _ => None,
        })
    }

    /// `handled 12/40, 1 failed`, for the status bar.
    pub fn progress(&self) -> String {
        let verb = match self.kind {
            BatchKind::Handled => "handled",
            BatchKind::Undo => "undone",
        };
        let failed = self.failures().count();
        let mut text = format!("{verb} {}/{}", self.done(), self.items.len());
        if failed > 0 {
            text.push_str(&format!(", {failed} failed"));
        }
        text
    }
}

impl App {
    /// The call as "handled by `staff`", with remembered values for what the API did not send.
    pub(super) fn handled_values(&self, call: &VoiceCall, staff: &str) -> Values {
        handling::handled_values(call, staff, &self.session.config.defaults)
    }

    /// What `h` sends for a call: with `update_fields = "changed"` only the status and the
    /// handler, nothing else asked for; otherwise the whole body, which needs the fields the
    /// API never sends back (remembered, else `[defaults]`). `Err`: the fields that break
    /// their rule.
    pub(super) fn handled_body(
        &self,
        call: &VoiceCall,
        staff: &str,
    ) -> Result<Value, Vec<(FieldId, String)>> {
        let config = &self.session.config;
        handling::handled_body(call, staff, &config.defaults, config.update_fields)
    }

    /// `h`: the selection if there is one, else the caller's calls on a group row, else the
    /// call under the cursor.
    pub(super) fn mark_handled(&mut self) -> Vec<Effect> {
        if self.tabs[self.active].selected.is_empty() {
            if let Some(effects) = self.mark_group_handled() {
                return effects;
            }
            return self.mark_selected_handled();
        }
        self.mark_calls_handled(selected_calls(self))
    }

    /// Marks `calls` handled as one bulk action (one undo step): those waiting for a call
    /// back, each checked against the server's copy first.
    pub(super) fn mark_calls_handled(&mut self, calls: Vec<VoiceCall>) -> Vec<Effect> {
        if self.batch.as_ref().is_some_and(Batch::running) {
            self.warn("a bulk action is still running; wait for it to finish");
            return Vec::new();
        }
        let Some(staff) = self.session.config.staff_uid.clone() else {
            self.ask(Prompt::StaffUid {
                picker: super::StaffPicker::handler(),
            });
            return Vec::new();
        };
        let mut items = Vec::new();
        let mut skipped = Skipped::default();
        let mut needed: Vec<FieldId> = Vec::new();
        let mut applies_to = Vec::new();
        let mut refused = Vec::new();
        for call in calls {
            // Only waiting inbound calls: never an answered or outbound call, never a
            // colleague's handling (the same rule as the single `h`).
            if let Err(skip) = handling::check(&call) {
                skipped.add(&skip, &staff);
                continue;
            }
            let uid = call.uid.clone().unwrap_or_default();
            match self.handled_body(&call, &staff) {
                Ok(body) => items.push(BatchItem {
                    uid,
                    body: Arc::new(body),
                    expected: call.updated_at.clone(),
                    before: call,
                    after: None,
                    state: ItemState::Queued,
                }),
                Err(errors) if errors.iter().all(|(f, _)| !f.sent_back()) => {
                    applies_to.push(self.call_label(&call));
                    for (f, _) in errors {
                        if !needed.contains(&f) {
                            needed.push(f);
                        }
                    }
                }
                Err(errors) => {
                    let (f, m) = &errors[0];
                    refused.push((uid, format!("{}: {m} — fix it with e", f.name())));
                }
            }
        }
        if !needed.is_empty() {
            needed.sort();
            self.ask(Prompt::FillIn {
                inputs: needed.iter().map(|_| Input::default()).collect(),
                fields: needed,
                focus: 0,
                error: None,
                applies_to,
            });
            return Vec::new();
        }
        items.extend(refused.into_iter().map(|(uid, why)| BatchItem {
            uid,
            body: Arc::new(Value::Null),
            expected: None,
            before: VoiceCall::default(),
            after: None,
            state: ItemState::Failed(Failure::Invalid(why)),
        }));
        if items.is_empty() {
            self.warn(format!(
                "nothing sent: none of the selected calls waits for a call back ({})",
                skipped.describe()
            ));
            return Vec::new();
        }
        if skipped.total() > 0 {
            self.warn(skipped.describe());
        }
        self.confirm_or_start(Batch::new(BatchKind::Handled, items, self.active))
    }

    /// A call as a person tells it apart in a list: who it was with (the client's name, else
    /// the number) and when it came.
    fn call_label(&self, call: &VoiceCall) -> String {
        let number = self.people.client_label(call).unwrap_or("no number");
        let zone = self.zone();
        match call.created() {
            Some(t) => {
                let local = zone.local(t);
                if local.date_naive() == zone.date(self.clock.now) {
                    format!("{number} today {}", local.format("%H:%M"))
                } else {
                    format!("{number} {}", local.format("%b %-d %H:%M"))
                }
            }
            None => number.to_string(),
        }
    }

    pub(super) fn confirm_or_start(&mut self, batch: Batch) -> Vec<Effect> {
        if batch.items.len() > CONFIRM_OVER {
            self.ask(Prompt::ConfirmBatch {
                batch: Box::new(batch),
            });
            return Vec::new();
        }
        self.start_batch(batch)
    }

    pub(super) fn start_batch(&mut self, batch: Batch) -> Vec<Effect> {
        self.batch = Some(batch);
        self.fresh_bulk_pace();
        self.pump()
    }

    /// Starts queued calls until `max_in_flight` are out; ends the batch when none are left.
    fn pump(&mut self) -> Vec<Effect> {
        let mut effects = Vec::new();
        loop {
            let Some(batch) = self.batch.as_ref() else {
                return effects;
            };
            if !batch.running() {
                effects.extend(self.finish_batch());
                return effects;
            }
            if batch.in_flight() >= self.bulk_window() {
                return effects;
            }
            let req = self
                .requests
                .start(super::Purpose::BatchItem, self.clock.now);
            let Some(item) = self.batch.as_mut().and_then(|b| b.send_next(req)) else {
                return effects;
            };
            effects.push(Effect::CheckAndPut {
                req,
                uid: item.uid.clone(),
                expected: item.expected.clone(),
                body: Arc::clone(&item.body),
            });
        }
    }

    /// One call of the batch was read and, when the save policy allowed, saved.
    pub(super) fn on_batch_checked(
        &mut self,
        req: RequestId,
        check: Answer<VoiceCall>,
        outcome: Outcome<VoiceCall>,
    ) -> Vec<Effect> {
        let Answer { exchange, result } = check;
        self.record(exchange, result.as_ref().err().cloned());
        // The PUT's result, or why the save policy sent nothing.
        let put = match outcome {
            Outcome::Sent(answer) => {
                let Answer { exchange, result } = *answer;
                self.record(exchange, result.as_ref().err().cloned());
                Ok(result)
            }
            unsent => Err(unsent),
        };
        // Not one of the running batch's calls: nothing to account for (and a finished batch
        // must not be finished again).
        let Some(item) = self.batch.as_mut().and_then(|b| b.answered(req)) else {
            return Vec::new();
        };
        let mut newer = None;
        let mut confirmed = None;
        let mut forced = None;
        item.state = match (result, put) {
            (Err(e), _) => ItemState::Failed(Failure::Api(e)),
            (Ok(theirs), Err(Outcome::Conflict)) => {
                // Just read from the server: its copy, whatever its time says.
                forced = theirs.uid.clone();
                newer = Some(theirs);
                ItemState::Failed(Failure::Changed)
            }
            // Saved, or already as this change would make it (nothing sent).
            (Ok(call), Err(Outcome::AlreadyHolds)) | (Ok(_), Ok(Ok(call))) => {
                if item.after.is_none() {
                    item.after = Some(call.clone());
                }
                newer = Some(call);
                // Its body is not sent again: what was sent is noted, not copied.
                confirmed = Some((item.uid.clone(), std::mem::take(&mut item.body)));
                ItemState::Done
            }
            (Ok(_), Ok(Err(e))) => ItemState::Failed(Failure::Api(e)),
            (Ok(_), Err(_)) => ItemState::Failed(Failure::NotSent),
        };
        let mut effects = Vec::new();
        if let Some(((uid, body), call)) = confirmed.zip(newer.as_ref()) {
            self.note_sent_in_batch(&uid, &body, call);
        }
        if let Some(uid) = forced {
            self.store.mark_provisional(&uid);
        }
        if let Some(call) = newer {
            self.update_everywhere(&call);
        }
        effects.extend(self.pump());
        effects
    }

    fn finish_batch(&mut self) -> Vec<Effect> {
        let written = self.write_noted();
        let Some(batch) = self.batch.as_ref() else {
            return Vec::from_iter(written);
        };
        // Handled: what was done can be undone. Undo: what could not be undone (the server
        // did not answer, say) stays undoable; a call someone else changed since does not,
        // since undoing it would overwrite their change.
        let step: Vec<Change> = batch
            .items
            .iter()
            .filter(|i| match batch.kind {
                BatchKind::Handled => i.state == ItemState::Done,
                BatchKind::Undo => {
                    matches!(&i.state, ItemState::Failed(why) if *why != Failure::Changed)
                }
            })
            .filter_map(|i| {
                Some(Change {
                    before: i.before.clone(),
                    after: i.after.clone()?,
                })
            })
            .collect();
        let kept = step.len();
        if !step.is_empty() {
            self.history.push(step);
        }
        let failed: Vec<String> = batch.failures().map(|(uid, _)| uid.to_string()).collect();
        let progress = batch.progress();
        let kind = batch.kind;
        let Some(tab) = self.tabs.get_mut(batch.tab) else {
            return Vec::from_iter(written);
        };
        // The failed calls stay selected for a retry, those still listed: a selection the
        // user cannot see would make the next `h` do nothing visible.
        let (list, store) = (&tab.list, &self.store);
        tab.selected = failed
            .iter()
            .filter_map(|uid| list.listed_id(store, uid))
            .collect();
        tab.selecting_all = false;
        if failed.is_empty() {
            self.info(match kind {
                BatchKind::Handled => format!("{progress} — {} undoes", self.hint(Action::Undo)),
                BatchKind::Undo => progress,
            });
        } else {
            // Over a form or a prompt the list is not what the user is looking at: the
            // failures wait behind the notice.
            let shown = self.set_overlay(Overlay::Failures);
            let retry = self.hint(Action::Handled);
            self.error(match kind {
                BatchKind::Handled if shown => {
                    format!("{progress} — the failed calls stay selected; {retry} retries them")
                }
                BatchKind::Handled => format!(
                    "{progress} — the failed calls stay selected in the list; h there retries them"
                ),
                BatchKind::Undo if kept > 0 => {
                    format!(
                        "{progress} — {} tries the {kept} not undone again",
                        self.hint(Action::Undo)
                    )
                }
                BatchKind::Undo => progress,
            });
        }
        let mut effects = Vec::from_iter(written);
        effects.extend(self.fetch_counts());
        effects.extend(self.fetch_detail_if_shown());
        effects
    }

    pub(super) fn on_failures_key(&mut self, key: KeyEvent) -> Vec<Effect> {
        self.set_overlay(Overlay::None);
        match self.session.config.keys.action(&key) {
            Some(crate::console::keys::Action::Handled) => self.mark_handled(),
            // Advertised in the overlay: every request, failures included.
            Some(crate::console::keys::Action::RequestLog) => {
                self.set_overlay(Overlay::Log { scroll: 0 });
                Vec::new()
            }
            Some(crate::console::keys::Action::Quit) => self.request_quit(),
            _ => Vec::new(),
        }
    }
}

#[path = "bulk_out.rs"]
mod out;

#[cfg(test)]
#[path = "bulk_tests.rs"]
mod tests;
