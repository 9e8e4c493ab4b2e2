//! The client panel in the detail pane: who the shown call was with (name, phone, email,
//! status) and their other calls, newest first, each with its status and who handled it — so
//! "she already called back twice" is seen before calling. Asked for only for the call the
//! pane shows (a list request filtered by `client_uid`, else by `from_number`, one small
//! page), kept per caller for the session; `r` asks again. A failure is the panel's to show,
//! never the status bar's nor an error per row. Still no I/O.

use std::collections::HashMap;

use super::{App, Effect, Purpose, Remote};
use crate::api::CallFields;
use crate::api::{Answer, ApiError, CallPage, VoiceCall};
use crate::console::msg::RequestId;
use crate::domain::caller::{Caller, other_calls};
use crate::domain::calls::PackedCall;
use crate::domain::people::ClientCard;

/// What the panels asked for this session, by caller and by number.
#[derive(Debug, Clone, Default)]
pub(super) struct Panels {
    calls: HashMap<Caller, Remote<Vec<VoiceCall>>>,
    by_phone: HashMap<String, Remote<Vec<ClientCard>>>,
}

/// Who the caller is, as far as the panel knows.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Card<'a> {
    Known(&'a ClientCard),
    /// Their name is still being asked for.
    Pending,
    /// The API has no client with this number.
    NotFound,
    /// Looking them up by number failed.
    Failed(&'a ApiError),
    /// Client names are off for this session (the API refused the lookup).
    Off,
}

/// A caller's other calls, as far as the panel knows.
#[derive(Debug, Clone, PartialEq)]
pub enum Calls<'a> {
    Loading,
    /// Newest first: the loaded copy of each where the console has one (it may be newer
    /// than the panel's page); `more` when they have more calls than listed.
    Loaded {
        calls: Vec<VoiceCall>,
        more: bool,
    },
    Failed(&'a ApiError),
}

/// The client panel as the view draws it.
#[derive(Debug, Clone, PartialEq)]
pub struct ClientPanel<'a> {
    pub caller: Caller,
    pub card: Card<'a>,
    pub calls: Calls<'a>,
}

impl App {
    /// The client panel of the call the detail pane shows; `None` when names are not looked
    /// up, or the call has neither a client nor a number.
    pub fn client_panel(&self) -> Option<ClientPanel<'_>> {
        if !self.session.people {
            return None;
        }
        let call = self.selected_call()?;
        let caller = Caller::of(call, &self.people)?;
        let panels = &self.detail.panels;
        let card = match &caller {
            Caller::Client(id) => match self.people.client(id) {
                Some(card) => Card::Known(card),
                None if self.people.off.clients => Card::Off,
                None => Card::Pending,
            },
            Caller::Number(number) => match panels.by_phone.get(number) {
                Some(Remote::Loaded(found)) => found.first().map_or(Card::NotFound, Card::Known),
                Some(Remote::Failed(e)) => Card::Failed(e),
                _ if self.people.off.clients => Card::Off,
                _ => Card::Pending,
            },
        };
        let calls = match panels.calls.get(&caller) {
            Some(Remote::Loaded(page)) => {
                let (others, more) = other_calls(page, call.uid());
                let calls = others
                    .into_iter()
                    .map(|c| {
                        c.uid
                            .as_deref()
                            .and_then(|uid| self.store.by_uid(uid))
                            .map_or_else(|| c.clone(), PackedCall::to_call)
                    })
                    .collect();
                Calls::Loaded { calls, more }
            }
            Some(Remote::Failed(e)) => Calls::Failed(e),
            // Out, or asked on the pane's next move.
            Some(Remote::Loading { .. }) | None => Calls::Loading,
        };
        Some(ClientPanel {
            caller,
            card,
            calls,
        })
    }

    /// With the pane open: the shown call's caller's calls (and, for a caller known only by
    /// number, the clients with that number), unless the session already has them.
    pub(super) fn fetch_client_panel_if_shown(&mut self) -> Vec<Effect> {
        if !self.session.people || !self.detail.open {
            return Vec::new();
        }
        let Some(caller) = self
            .selected_call()
            .and_then(|call| Caller::of(call, &self.people))
        else {
            return Vec::new();
        };
        let now = self.clock.now;
        let mut effects = Vec::new();
        if !self.detail.panels.calls.contains_key(&caller) {
            let req = self.requests.start(
                Purpose::CallerCalls {
                    caller: caller.clone(),
                },
                now,
            );
            self.detail
                .panels
                .calls
                .insert(caller.clone(), Remote::Loading { req });
            effects.push(Effect::FetchPage {
                req,
                query: caller.query(),
            });
        }
        if let Caller::Number(number) = caller
            && !self.people.off.clients
            && !self.detail.panels.by_phone.contains_key(&number)
        {
            let req = self.requests.start(
                Purpose::ClientsByPhone {
                    number: number.clone(),
                },
                now,
            );
            self.detail
                .panels
                .by_phone
                .insert(number.clone(), Remote::Loading { req });
            effects.push(Effect::FindClientsByPhone { req, number });
        }
        effects
    }

    /// A caller's calls answered. Kept even when the pane moved on: it is theirs for the
    /// session.
    pub(super) fn on_caller_calls(
        &mut self,
        caller: Caller,
        req: RequestId,
        answer: Answer<CallPage>,
    ) -> Vec<Effect> {
        // The request log has it; the panel, not the status bar, says how it went.
        self.log_only(&answer.exchange, answer.result.as_ref().err());
        if let Some(slot) = self.detail.panels.calls.get_mut(&caller)
            && *slot == (Remote::Loading { req })
        {
            *slot = answer.result.map(|page| page.calls).into();
        }
        Vec::new()
    }

    /// The clients with a number answered.
    pub(super) fn on_clients_found(
        &mut self,
        number: String,
        req: RequestId,
        answer: Answer<Vec<ClientCard>>,
    ) -> Vec<Effect> {
        self.log_only(&answer.exchange, answer.result.as_ref().err());
        if let Some(slot) = self.detail.panels.by_phone.get_mut(&number)
            && *slot == (Remote::Loading { req })
        {
            *slot = answer.result.into();
        }
        Vec::new()
    }

    /// `r`: every panel is asked for again (the shown one now, the others when shown).
    pub(super) fn refresh_panels(&mut self) -> Vec<Effect> {
        self.detail.panels = Panels::default();
        self.fetch_client_panel_if_shown()
    }
}

#[cfg(test)]
#[path = "client_panel_tests.rs"]
mod tests;
