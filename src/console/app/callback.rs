//! Calling back: `c` on a call starts a call to the other party (`Effect::Dial`, the
//! `dial_command` or the desktop's `tel:` handler) and asks how it went; the answer is recorded
//! as an outbound call (`Effect::CreateCall`, the body from `domain::callback`), "reached"
//! then marks the caller's waiting calls handled as one bulk action (one undo step). A
//! call-back not yet recorded — the user chose "later", or the POST failed — stays pending with
//! its `external_uuid`: `c` on that caller offers it again, the status bar says how many wait,
//! and quitting lists them. Still no I/O.

use tui_input::Input;

use super::{App, Prompt, Purpose};
use crate::api::CallFields;
use crate::api::{Answer, VoiceCall};
use crate::console::keys::Action;
use crate::console::msg::{Effect, RequestId};
use crate::domain::callback::{CallBack, Outcome, fresh_external_uuid};
use crate::domain::calls::PackedCall;
use crate::domain::dial::{self, AfterDial};
use crate::domain::handling;
use crate::domain::views::other_party;

/// The call-backs started and not yet recorded, one per caller.
#[derive(Debug, Clone, Default)]
pub(super) struct CallBacks {
    pending: Vec<PendingCallBack>,
}

/// A call-back started with `c` whose outcome is not recorded yet.
#[derive(Debug, Clone, PartialEq)]
pub struct PendingCallBack {
    /// Theirs, E.164: who was called.
    pub number: String,
    /// Ours: the number they called.
    pub from_number: String,
    /// The waiting call's client, when it named one.
    pub client_uid: Option<String>,
    /// How they read in a sentence: their name, else the number.
    pub who: String,
    /// Chosen once, sent with every try, so a re-send finds a record a lost answer created.
    pub external_uuid: String,
    pub state: CallBackState,
}

/// Where a pending call-back stands.
#[derive(Debug, Clone, PartialEq)]
pub enum CallBackState {
    /// Dialled; how it went is not recorded yet ("later").
    Open,
    /// Its record is being sent.
    Sending {
        req: RequestId,
        outcome: Outcome,
        note: Option<String>,
    },
    /// Sending it failed, in the server's words: kept, to be sent again as it was.
    Failed {
        outcome: Outcome,
        note: Option<String>,
        error: String,
    },
}

/// The outcome question's state (the prompt `c` opens).
#[derive(Debug, Clone)]
pub struct OutcomeAsk {
    /// Whose call-back: its [`PendingCallBack::number`].
    pub number: String,
    pub who: String,
    pub choice: Option<Outcome>,
    pub note: Input,
    /// Typing goes to the note (after an outcome key, or Tab).
    pub in_note: bool,
    pub error: Option<String>,
}

impl CallBacks {
    fn find(&self, number: &str) -> Option<&PendingCallBack> {
        self.pending.iter().find(|p| p.number == number)
    }

    fn find_mut(&mut self, number: &str) -> Option<&mut PendingCallBack> {
        self.pending.iter_mut().find(|p| p.number == number)
    }

    /// Records being sent: writes out, which a quit waits for.
    pub(super) fn sending(&self) -> usize {
        self.pending
            .iter()
            .filter(|p| matches!(p.state, CallBackState::Sending { .. }))
            .count()
    }
}

/// Our number on a call: the one they called (inbound), the one we called from (outbound).
fn our_number<C: CallFields + ?Sized>(call: &C) -> Option<&str> {
    if call.direction() == Some("OUTBOUND") {
        call.from_number()
    } else {
        call.to_number()
    }
}

impl App {
    /// The call-backs not yet recorded.
    pub fn call_backs(&self) -> &[PendingCallBack] {
        &self.callbacks.pending
    }

    /// "1 call-back to record: c", while any waits for its outcome.
    pub fn call_back_hint(&self) -> Option<String> {
        let n = self
            .callbacks
            .pending
            .iter()
            .filter(|p| !matches!(p.state, CallBackState::Sending { .. }))
            .count();
        (n > 0).then(|| {
            format!(
                "{n} call-back{} to record: {}",
                if n == 1 { "" } else { "s" },
                self.hint(Action::CallBack)
            )
        })
    }

    /// The tries at a waiting call's caller since it came, for its row.
    pub fn tries_at<C: CallFields + ?Sized>(
        &self,
        call: &C,
    ) -> Option<crate::domain::tries::Tries> {
        handling::check(call).ok()?;
        self.tries.of(other_party(call)?, &self.store)
    }

    /// The other party's number in E.164 (national forms through `default_country`), as
    /// `y` copies it and `c` dials it.
    pub(super) fn e164_of<C: CallFields + ?Sized>(&self, call: &C) -> Option<String> {
        let number = other_party(call).map(str::trim).filter(|n| !n.is_empty())?;
        Some(
            self.session
                .config
                .default_country
                .as_deref()
                .and_then(|country| crate::domain::fields::normalise_phone(number, country))
                .unwrap_or_else(|| number.to_string()),
        )
    }

    /// `c`: call the selected call's other party and ask how it went; on a caller whose
    /// call-back is not recorded yet, offer that one again instead.
    pub(super) fn call_back(&mut self) -> Vec<Effect> {
        let Some(call) = self.list().selected().map(PackedCall::to_call) else {
            return Vec::new();
        };
        let Some(number) = self.e164_of(&call) else {
            self.warn("this call has no number to call back");
            return Vec::new();
        };
        if let Some(pending) = self.callbacks.find(&number) {
            let who = pending.who.clone();
            if matches!(pending.state, CallBackState::Sending { .. }) {
                self.info(format!("the call-back to {who} is being recorded…"));
            } else {
                self.offer_outcome(&number);
                self.info(format!(
                    "how did the call-back to {who} go? It is recorded before calling again"
                ));
            }
            return Vec::new();
        }
        let dial = match dial::dial_for(self.session.config.dial_command.as_deref(), &number) {
            Ok(dial) => dial,
            Err(message) => {
                self.error(message);
                return Vec::new();
            }
        };
        let who = self
            .people
            .client_label(&call)
            .filter(|name| *name != other_party(&call).unwrap_or_default())
            .map_or_else(|| number.clone(), str::to_string);
        self.callbacks.pending.push(PendingCallBack {
            number: number.clone(),
            from_number: our_number(&call).unwrap_or_default().trim().to_string(),
            client_uid: call
                .client_uid()
                .map(str::to_string)
                .filter(|c| !c.trim().is_empty()),
            who: who.clone(),
            external_uuid: fresh_external_uuid(),
            state: CallBackState::Open,
        });
        self.offer_outcome(&number);
        self.info(format!("calling {who}…"));
        vec![Effect::Dial { number, dial }]
    }

    /// Asks how the call-back to `number` went, with what is known of it already.
    pub(super) fn offer_outcome(&mut self, number: &str) {
        let Some(pending) = self.callbacks.find(number) else {
            return;
        };
        let (choice, note, error) = match &pending.state {
            CallBackState::Failed {
                outcome,
                note,
                error,
            } => (
                Some(*outcome),
                note.clone().unwrap_or_default(),
                Some(format!("not recorded: {error} — Enter sends it again")),
            ),
            _ => (None, String::new(), None),
        };
        let ask = OutcomeAsk {
            number: number.to_string(),
            who: pending.who.clone(),
            in_note: choice.is_some(),
            choice,
            note: Input::new(note),
            error,
        };
        self.ask(Prompt::Outcome(Box::new(ask)));
    }

    /// The dialler ended: when it failed, the number is copied instead, and the user told.
    pub(super) fn on_dialled(&mut self, number: String, result: Result<(), String>) -> Vec<Effect> {
        match dial::after_dial(&result) {
            AfterDial::Done => Vec::new(),
            AfterDial::CopyInstead { why } => {
                self.warn(format!(
                    "could not dial: {why}; {number} is copied instead — set dial_command in config.toml"
                ));
                vec![Effect::Copy { text: number }]
            }
        }
    }

    /// Enter in the outcome question: the record's body, checked as the form checks it, and
    /// the POST; `Err` is what keeps the question open.
    pub(super) fn record_call_back(
        &mut self,
        number: &str,
        outcome: Outcome,
        note: Option<String>,
    ) -> Result<Vec<Effect>, String> {
        let Some(pending) = self.callbacks.find(number).cloned() else {
            return Err("this call-back was already recorded".to_string());
        };
        let staff = self.session.config.staff_uid.clone();
        let client = pending
            .client_uid
            .clone()
            .or_else(|| self.people.client_by_number(number).map(str::to_string));
        let business = self
            .people
            .me
            .as_ref()
            .and_then(|me| me.business_uid.clone())
            .or_else(|| self.session.config.on_behalf_of.clone());
        let missing = match (&staff, &client, &business) {
            (None, _, _) => Some(
                "who is calling back is not known (the API did not say who you are): set staff_uid in config.toml",
            ),
            (_, None, _) => {
                Some("no client is known for this number: the API requires one for the record")
            }
            (_, _, None) => Some(
                "the business is not known (the API did not say): set on_behalf_of in config.toml",
            ),
            _ => None,
        };
        if let Some(why) = missing {
            return Err(format!("not recorded: {why}"));
        }
        let call_back = CallBack {
            outcome,
            from_number: pending.from_number.clone(),
            to_number: pending.number.clone(),
            staff_uid: staff.unwrap_or_default(),
            client_uid: client.unwrap_or_default(),
            business_uid: business.unwrap_or_default(),
            note: note.clone(),
            duration: None,
            external_uuid: pending.external_uuid.clone(),
        };
        let body = call_back.body().map_err(|errors| {
            let fields: Vec<String> = errors.iter().map(|(f, m)| format!("{f}: {m}")).collect();
            format!("not recorded: {}", fields.join("; "))
        })?;
        let req = self.requests.start(Purpose::CallBack, self.clock.now);
        if let Some(p) = self.callbacks.find_mut(number) {
            p.state = CallBackState::Sending { req, outcome, note };
        }
        self.info(format!(
            "recording the call-back to {}: {}…",
            pending.who,
            outcome.label()
        ));
        Ok(vec![Effect::CreateCall { req, body }])
    }

    /// The record answered: stored once and placed in the views; "reached" then marks the
    /// caller's waiting calls handled. A failure keeps the call-back, to be sent again.
    pub(super) fn on_call_created(
        &mut self,
        req: RequestId,
        answer: Answer<VoiceCall>,
    ) -> Vec<Effect> {
        let Answer { exchange, result } = answer;
        self.record(exchange, result.as_ref().err().cloned());
        let Some(at) = self
            .callbacks
            .pending
            .iter()
            .position(|p| matches!(p.state, CallBackState::Sending { req: r, .. } if r == req))
        else {
            return Vec::new();
        };
        let CallBackState::Sending { outcome, note, .. } = self.callbacks.pending[at].state.clone()
        else {
            return Vec::new();
        };
        let created = match result {
            Ok(created) => created,
            Err(error) => {
                let pending = &mut self.callbacks.pending[at];
                pending.state = CallBackState::Failed {
                    outcome,
                    note,
                    error: error.to_string(),
                };
                let who = pending.who.clone();
                self.error(format!(
                    "call-back to {who} not recorded: {error} — {} sends it again",
                    self.hint(Action::CallBack)
                ));
                return Vec::new();
            }
        };
        let pending = self.callbacks.pending.remove(at);
        let id = self.store.upsert(created);
        self.place_in_views(id);
        let mut effects = self.fetch_counts();
        if outcome == Outcome::Reached {
            effects.extend(self.handle_waiting_from(&pending));
        } else {
            let tries = self
                .tries_after_record(&pending.number)
                .map(|t| format!("; {}", t.describe(self.clock.now, self.zone())))
                .unwrap_or_default();
            self.info(format!(
                "recorded: {} — {}'s calls still wait{tries}",
                outcome.label(),
                pending.who
            ));
        }
        effects
    }

    /// The tries at `number` as they stand with the store as it is now.
    fn tries_after_record(&mut self, number: &str) -> Option<crate::domain::tries::Tries> {
        self.tries.sync(&self.store);
        self.tries.of(number, &self.store)
    }

    /// "Reached": every waiting call from the caller among the loaded calls is marked
    /// handled by me, as one bulk action (the conflict check, one undo step).
    fn handle_waiting_from(&mut self, pending: &PendingCallBack) -> Vec<Effect> {
        let store = &self.store;
        let waiting: Vec<VoiceCall> = (0..store.slot_count())
            .filter_map(|i| store.get(crate::domain::calls::CallId::from_index(i)))
            .filter(|c| handling::check(c).is_ok())
            .filter(|c| self.e164_of(c).as_deref() == Some(pending.number.as_str()))
            .map(PackedCall::to_call)
            .collect();
        if waiting.is_empty() {
            self.info(format!(
                "recorded: reached {} — nothing of theirs was waiting",
                pending.who
            ));
            return Vec::new();
        }
        let ids: std::collections::HashSet<_> = waiting
            .iter()
            .filter_map(|c| {
                self.tabs[self.active]
                    .list
                    .listed_id(store, c.uid.as_deref()?)
            })
            .collect();
        let n = waiting.len();
        let effects = self.mark_calls_handled(waiting);
        if matches!(self.prompt(), Some(Prompt::FillIn { .. })) {
            // The fill-in goes on with the selection: let it be these calls.
            let tab = &mut self.tabs[self.active];
            tab.selected = ids;
            tab.selecting_all = false;
        } else if self.batch.as_ref().is_some_and(super::Batch::running) {
            self.info(format!(
                "recorded: reached {} — marking their {n} waiting call{} handled…",
                pending.who,
                if n == 1 { "" } else { "s" }
            ));
        }
        effects
    }

    /// What quitting leaves unrecorded: one line each, with the command that records it.
    pub(super) fn call_back_report(&self) -> Vec<String> {
        self.callbacks
            .pending
            .iter()
            .map(|p| {
                let (what, outcome, note) = match &p.state {
                    CallBackState::Open => ("outcome not recorded".to_string(), None, None),
                    CallBackState::Sending { outcome, note, .. } => (
                        "sent, but the console quit before the server answered".to_string(),
                        Some(*outcome),
                        note.as_deref(),
                    ),
                    CallBackState::Failed {
                        outcome,
                        note,
                        error,
                    } => (
                        format!("{} — not recorded: {error}", outcome.label()),
                        Some(*outcome),
                        note.as_deref(),
                    ),
                };
                let name = outcome.map_or("reached|voicemail|no-answer", Outcome::name);
                let note = note
                    .map(|n| format!(" --note {}", shell_words::quote(n)))
                    .unwrap_or_default();
                format!(
                    "call-back to {} ({}): {what}; record it with `callconsole calls create --outcome {name} --to {}{note}`",
                    p.who, p.number, p.number
                )
            })
            .collect()
    }
}

#[cfg(test)]
#[path = "callback_tests.rs"]
mod tests;
