//! Already returned? Needs follow-up loads only waiting calls, so once its pages are in (and on
//! every refresh of it) the later calls that could be returns are asked for: answered by
//! staff since its oldest waiting call, newest first, a few pages at most, one out at a time.
//! They go into the store like any page (so All lists them too) and are held there while the
//! flags need them. `domain::returned` keeps the flags; `A` marks every flagged call of the
//! view handled through the bulk path (conflict check, one undo step), once confirmed. Still
//! no I/O.

use chrono::{DateTime, Utc};
use crossterm::event::{KeyCode, KeyEvent};

use super::{App, Prompt, Purpose};
use crate::api::CallFields;
use crate::api::{Answer, CallPage};
use crate::console::msg::{Effect, RequestId};
use crate::domain::calls::{CallId, CallList, Paging};
use crate::domain::returned::{self, Flag, PAGES, Returned};
use crate::domain::views::TabId;

/// The flags, and the later calls asked for to set them.
#[derive(Debug, Clone, Default)]
pub(super) struct Returns {
    /// Which waiting calls in the store look returned.
    pub(super) index: Returned,
    /// The later calls the last ask brought, kept in the store while no view lists them.
    held: CallList,
    load: Load,
    /// A page (false) or a refresh (true) of Needs follow-up came: ask on the next tick.
    due: Option<bool>,
}

/// Where asking for the later calls stands.
#[derive(Debug, Clone, Default, PartialEq)]
enum Load {
    #[default]
    Idle,
    /// Page `page` of the calls since `since` is out.
    Loading {
        req: RequestId,
        page: u32,
        since: DateTime<Utc>,
    },
    /// The calls since `since` are in; `more` when there were more than were asked for.
    Done { since: DateTime<Utc>, more: bool },
}

impl Returns {
    pub(super) fn new(country: Option<String>) -> Self {
        Self {
            index: Returned::new(country),
            ..Self::default()
        }
    }

    /// The later calls held in the store for the flags.
    pub(super) fn held(&self) -> impl Iterator<Item = CallId> + '_ {
        self.held.ids().iter().copied()
    }
}

impl App {
    /// Why `call` looks returned, if it does.
    pub fn returned_flag<C: CallFields + ?Sized>(&self, call: &C) -> Option<Flag> {
        let id = self.store.id_of(call.uid()?)?;
        self.returns.index.flag(id, &self.store)
    }

    /// `looks returned (outbound 10:42 by Grace)`, for the row and the detail pane.
    pub fn returned_text(&self, flag: &Flag) -> String {
        flag.text(&self.people, self.clock.now, self.zone())
    }

    /// The open view's calls that look returned, in list order.
    fn returned_in_view(&self) -> Vec<String> {
        let tab = &self.tabs[self.active];
        tab.list
            .ids()
            .iter()
            .filter(|id| self.returns.index.flag(**id, &self.store).is_some())
            .filter_map(|id| {
                self.store
                    .get(*id)
                    .and_then(|c| c.uid().map(str::to_string))
            })
            .collect()
    }

    /// After a page or a refresh of tab `tab` (`again`): when it is Needs follow-up, the
    /// later calls are asked for on the clock's next tick, so the pages of one load (or a
    /// refresh on top) make one request, sent once the view's pages are in.
    pub(super) fn and_returns(
        &mut self,
        tab: usize,
        again: bool,
        effects: Vec<Effect>,
    ) -> Vec<Effect> {
        if self.tabs.get(tab).is_some_and(|t| t.id == TabId::FollowUp) {
            self.returns.due = Some(again || self.returns.due == Some(true));
        }
        effects
    }

    /// The clock ticked: the later calls since Needs follow-up's oldest waiting call, when a
    /// page or refresh of it came since the last look — unless they were asked for that far
    /// back already and no refresh came.
    pub(super) fn ask_returns_if_due(&mut self) -> Vec<Effect> {
        let Some(again) = self.returns.due else {
            return Vec::new();
        };
        let Some(t) = self.tabs.iter().find(|t| t.id == TabId::FollowUp) else {
            return Vec::new();
        };
        if matches!(t.list.paging, Paging::Loading(_)) {
            return Vec::new(); // its last page brings it due again
        }
        self.returns.due = None;
        let oldest = t
            .list
            .ids()
            .iter()
            .filter_map(|id| self.store.get(*id))
            .filter(|c| crate::domain::handling::check(c).is_ok())
            .filter_map(|c| c.created())
            .min();
        let Some(since) = oldest else {
            return Vec::new();
        };
        let covered = match self.returns.load {
            Load::Loading { since: s, .. } | Load::Done { since: s, .. } => s <= since,
            Load::Idle => false,
        };
        if covered && !again {
            return Vec::new();
        }
        self.fetch_returns(1, since).into_iter().collect()
    }

    fn fetch_returns(&mut self, page: u32, since: DateTime<Utc>) -> Option<Effect> {
        let req = self.requests.start(Purpose::Returns, self.clock.now);
        self.returns.load = Load::Loading { req, page, since };
        let query = returned::query(since, page, self.session.config.page_size);
        Some(Effect::FetchPage { req, query })
    }

    /// A page of later calls answered: into the store and the views that list them; the next
    /// page asked for while pages are full, up to [`PAGES`].
    pub(super) fn on_returns(&mut self, req: RequestId, answer: Answer<CallPage>) -> Vec<Effect> {
        let (page, since) = match self.returns.load {
            Load::Loading {
                req: r,
                page,
                since,
            } if r == req => (page, since),
            _ => return self.stale(&answer.exchange, answer.result.as_ref().err()),
        };
        let Answer { exchange, result } = answer;
        let calls = match result {
            Ok(found) => {
                self.record_background(exchange, None);
                found.calls
            }
            Err(error) => {
                // The request log and the status bar have it; the next refresh asks again.
                self.record_background(exchange, Some(error));
                self.returns.load = Load::Idle;
                return Vec::new();
            }
        };
        let full = calls.len() >= self.session.config.page_size as usize;
        if page == 1 {
            self.returns.held = CallList::default();
        }
        let uids: Vec<String> = calls.iter().filter_map(|c| c.uid.clone()).collect();
        self.returns.held.append(&mut self.store, calls);
        for uid in uids {
            if let Some(id) = self.store.id_of(&uid) {
                self.place_in_views(id);
            }
        }
        if full && page < PAGES {
            return self.fetch_returns(page + 1, since).into_iter().collect();
        }
        let told = matches!(self.returns.load, Load::Done { since: s, more: true } if s == since);
        self.returns.load = Load::Done { since, more: full };
        if full && !told {
            let n = page as usize * self.session.config.page_size as usize;
            self.info(format!(
                "looked for returned calls among the newest {n} answered calls only; older ones \
                 were not checked"
            ));
        }
        Vec::new()
    }

    /// `A`: every call of the view that looks returned is marked handled, once confirmed.
    pub(super) fn accept_returned(&mut self) -> Vec<Effect> {
        let uids = self.returned_in_view();
        if uids.is_empty() {
            self.info(
                "no call in this view looks returned (a later answered call to or from the same \
                 number flags one)",
            );
            return Vec::new();
        }
        self.ask(Prompt::ConfirmReturned { uids });
        Vec::new()
    }

    pub(super) fn on_confirm_returned_key(
        &mut self,
        key: KeyEvent,
        uids: Vec<String>,
    ) -> Vec<Effect> {
        match key.code {
            KeyCode::Char('y') | KeyCode::Enter => {}
            KeyCode::Char('n') | KeyCode::Esc => {
                self.info("nothing sent");
                return Vec::new();
            }
            _ => {
                self.ask(Prompt::ConfirmReturned { uids });
                return Vec::new();
            }
        }
        if self.batch.as_ref().is_some_and(super::Batch::running) {
            self.warn("a bulk action is still running; wait for it to finish");
            return Vec::new();
        }
        // The bulk `h` on exactly these calls: its questions (who is handling it, the fields
        // the API never sends back) come back to this selection.
        let (list, store) = (&self.tabs[self.active].list, &self.store);
        let listed: std::collections::HashSet<_> = uids
            .into_iter()
            .filter_map(|uid| list.listed_id(store, &uid))
            .collect();
        if listed.is_empty() {
            self.info("those calls are no longer in this view; nothing sent");
            return Vec::new();
        }
        let tab = &mut self.tabs[self.active];
        tab.selected = listed;
        tab.selecting_all = false;
        let effects = self.mark_handled();
        // Already confirmed here: a big batch is not asked about twice.
        if matches!(self.prompt(), Some(Prompt::ConfirmBatch { .. }))
            && let Some(Prompt::ConfirmBatch { batch }) = self.take_prompt()
        {
            return self.start_batch(*batch);
        }
        effects
    }
}

#[cfg(test)]
#[path = "returned_tests.rs"]
mod tests;
