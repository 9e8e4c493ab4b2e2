//! Paging: asking for a tab's pages (infinite scroll one page at a time, the whole view several
//! pages at a time, a fresh start after a new filter or sort) and taking their answers in page
//! order, dropping any that are no longer current.

use super::App;
use crate::api::CallFields;
use crate::api::{Answer, CallPage};
use crate::console::msg::{Effect, RequestId};
use crate::domain::calls::{CallList, Flight, PackedCall, Paging};

impl App {
    /// Infinite scroll: within a screen of the end, ask for the next page — unless one is out
    /// or everything is loaded. While the whole view is wanted (select all), keep
    /// `max_in_flight` pages out at once instead (fewer once the server asked to slow down): a bulk load is bound by round trips, and
    /// ordinary scrolling stays at one page so a browse never hammers the server. A failed
    /// page is retried here too, because this only runs on a user's move or a page's answer,
    /// never on a failure.
    pub(super) fn fetch_more_if_near_end(&mut self) -> Vec<Effect> {
        self.sync_groups();
        let tab = &self.tabs[self.active];
        let bulk = tab.selecting_all || self.loading_to_end(self.active);
        let near_end = match self.grouped() {
            Some(groups) => groups.near_end(self.rows()),
            None => tab.list.near_end(self.rows()),
        };
        if !bulk && !near_end {
            return Vec::new();
        }
        let window = if bulk {
            self.page_window(self.active)
        } else {
            1
        };
        let mut effects = Vec::new();
        loop {
            let (next, idle) = match &self.tabs[self.active].list.paging {
                Paging::Idle { next } => (*next, true),
                Paging::Failed { page, .. } => (*page, true),
                Paging::Loading(flight) if flight.len() < window => (flight.next_page(), false),
                Paging::Loading(_) | Paging::Complete => break,
            };
            if self.past_load_limit(next) {
                // Told once the pages before it are in, when the load has really stopped.
                if idle {
                    self.stop_at_load_limit(next);
                }
                break;
            }
            match self.fetch_page(next) {
                Some(effect) => effects.push(effect),
                None => break,
            }
        }
        effects
    }

    /// Whether `page` starts past `load_limit`: a server whose pages never end (each with
    /// new calls) would otherwise have `V` or `G` load until memory runs out.
    pub(super) fn past_load_limit(&self, page: u32) -> bool {
        let per_page = u64::from(self.session.config.page_size);
        u64::from(page.saturating_sub(1)) * per_page >= self.session.config.load_limit
    }

    /// The open tab's load stops at `load_limit` before `next`: say what happened and what to
    /// do, once (a move near the end asks again and finds the same).
    fn stop_at_load_limit(&mut self, next: u32) {
        // The far end (`G`) still comes: past the limit it is the only way to the end.
        let far = self.to_end.far_end.get(&self.active).copied();
        self.stop_to_end(self.active);
        if let Some(req) = far {
            self.to_end.far_end.insert(self.active, req);
        }
        let tab = &mut self.tabs[self.active];
        let selected = std::mem::take(&mut tab.selecting_all).then_some(tab.selected.len());
        let (n, pages) = (tab.list.len(), next - 1);
        let also = match selected {
            Some(s) => format!("; {s} of them selected, not the rest of the view"),
            None => String::new(),
        };
        let text = format!(
            "stopped loading at {n} calls ({pages} pages), the load limit{also}: narrow the view \
             with a filter ({}), or raise load_limit in the config",
            self.hint(crate::console::keys::Action::Filter)
        );
        if self.notice() != Some(text.as_str()) {
            self.warn(text);
        }
    }

    /// Asks for `page` of the open tab: the page after those already out, or the first of a
    /// new flight (any request still out for the old one becomes stale).
    pub(super) fn fetch_page(&mut self, page: u32) -> Option<Effect> {
        let per_page = self.session.config.page_size;
        let (now, zone) = (self.clock.now, self.clock.zones.shown());
        let query = match self.tabs[self.active].query(page, per_page, now, zone) {
            Ok(q) => q,
            Err(message) => {
                self.warn(message);
                self.end_flight(self.active, Paging::Complete);
                return None;
            }
        };
        let req = self
            .requests
            .start(super::Purpose::Page { tab: self.active }, self.clock.now);
        let tab = &mut self.tabs[self.active];
        tab.loaded = true;
        match &mut tab.list.paging {
            Paging::Loading(flight) if flight.next_page() == page => flight.push(req),
            _ => self.end_flight(self.active, Paging::Loading(Flight::new(page, req))),
        }
        Some(Effect::FetchPage { req, query })
    }

    /// Empties the open tab and asks for its first page (new filter or sort).
    pub(super) fn load_tab_from_start(&mut self) -> Vec<Effect> {
        let tab = &mut self.tabs[self.active];
        tab.list = CallList::default();
        tab.selected.clear();
        tab.selecting_all = false;
        tab.new_uids.clear();
        tab.refreshing = None;
        self.fresh_page_pace(self.active);
        self.stop_to_end(self.active);
        self.search.clear();
        self.forget_unlisted();
        self.fetch_page(1).into_iter().collect()
    }

    /// A page of tab `tab`'s list answered.
    pub(super) fn on_page(
        &mut self,
        tab: usize,
        req: RequestId,
        page: u32,
        answer: Answer<CallPage<PackedCall>>,
    ) -> Vec<Effect> {
        let arrived = match self.tabs.get_mut(tab).map(|t| &mut t.list.paging) {
            Some(Paging::Loading(flight)) if flight.awaits(req, page) => {
                flight.arrive(req, page, answer).map(|()| tab)
            }
            _ => Err(answer),
        };
        let i = match arrived {
            Ok(i) => i,
            Err(answer) => {
                // Stale: superseded by a refresh, a newer request or the end of the list. It
                // was sent, so it is logged.
                self.log_only(&answer.exchange, answer.result.as_ref().err());
                return Vec::new();
            }
        };
        // An answer ahead of its turn waits in the flight; the ones now in order go in.
        let (mut appended, mut first_page) = (false, false);
        while let Paging::Loading(flight) = &mut self.tabs[i].list.paging
            && let Some((page, answer)) = flight.pop_ready()
        {
            if self.take_page(i, page, answer) {
                appended = true;
                first_page |= page == 1;
            }
        }
        let mut landed = self.after_pages_to_end(i);
        if i != self.active || !appended {
            return landed;
        }
        if first_page {
            self.cached_since = None; // the server's list replaces the cached one
        }
        // A failure waits for the user's next move before it is asked again.
        let failed = matches!(self.tabs[i].list.paging, Paging::Failed { .. });
        let mut effects = if failed {
            Vec::new()
        } else {
            self.fetch_more_if_near_end()
        };
        if first_page {
            effects.extend(self.fetch_detail_if_shown());
        }
        effects.append(&mut landed);
        effects
    }

    /// Appends tab `i`'s next page in order, or ends its load there: a short page means
    /// everything is in, a failure stops at that page. True when calls were appended.
    fn take_page(&mut self, i: usize, page: u32, answer: Answer<CallPage<PackedCall>>) -> bool {
        let Answer { exchange, result } = answer;
        let CallPage { calls, unreadable } = match result {
            Ok(found) => found,
            Err(error) => {
                self.record(exchange, Some(error.clone()));
                self.tabs[i].selecting_all = false;
                self.end_flight(i, Paging::Failed { page, error });
                return false;
            }
        };
        self.record(exchange, None);
        let full = calls.len() >= self.session.config.page_size as usize;
        self.note_unreadable(unreadable);
        let rows = self.rows();
        let tab = &mut self.tabs[i];
        let before = tab.list.len();
        if page == 1 {
            tab.list.replace(&mut self.store, calls, rows);
        } else {
            tab.list.append(&mut self.store, calls);
        }
        if tab.selecting_all {
            let from = if page == 1 { 0 } else { before };
            let store = &self.store;
            tab.selected.extend(
                tab.list.ids()[from.min(tab.list.len())..]
                    .iter()
                    .filter(|id| store.get(**id).and_then(|c| c.uid()).is_some()),
            );
        }
        // A full later page with no call not already listed: a server sending the same page
        // again and again would have `G` and `V` ask for pages for ever.
        if full && page > 1 && tab.list.len() == before {
            tab.selecting_all = false;
            self.end_flight(i, Paging::Complete);
            if i == self.active {
                self.warn(format!(
                    "page {page} from the server held only calls already listed; stopped loading \
                     here ({} reloads)",
                    self.hint(crate::console::keys::Action::Refresh)
                ));
            }
            return true;
        }
        if full {
            if matches!(&tab.list.paging, Paging::Loading(f) if f.is_empty()) {
                tab.list.paging = Paging::Idle { next: page + 1 };
            }
            return true;
        }
        let all_selected = std::mem::take(&mut tab.selecting_all).then_some(tab.selected.len());
        self.end_flight(i, Paging::Complete);
        if let Some(n) = all_selected
            && i == self.active
        {
            self.info(format!(
                "all {n} calls in this view selected — {}",
                self.selection_hint()
            ));
        }
        true
    }

    /// Moves tab `i`'s paging on. Answers held for pages after this point will never be
    /// appended; they are logged, like any stale answer, and the requests still out become
    /// stale.
    pub(super) fn end_flight(&mut self, i: usize, paging: Paging) {
        if paging == Paging::Complete {
            // Every page is in: the list is the server's pages, without the far end.
            let rows = self.rows();
            self.tabs[i].list.drop_tail(rows);
        }
        let old = std::mem::replace(&mut self.tabs[i].list.paging, paging);
        if let Paging::Loading(flight) = old {
            for answer in flight.into_held() {
                self.log_only(&answer.exchange, answer.result.as_ref().err());
            }
        }
    }

    pub(super) fn note_unreadable(&mut self, unreadable: usize) {
        if unreadable > 0 {
            let s = if unreadable == 1 { "" } else { "s" };
            self.warn(format!(
                "{unreadable} record{s} in that page could not be read and {} skipped",
                if unreadable == 1 { "was" } else { "were" }
            ));
        }
    }
}

#[cfg(test)]
#[path = "paging_tests.rs"]
mod tests;
