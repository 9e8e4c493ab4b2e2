//! The tabs: switching between them (each keeps its own list, cursor and selection, and the
//! choice is saved), and refreshing the open one without moving the user. Still no I/O.

use super::App;
use crate::api::CallFields;
use crate::api::model::StatusKind;
use crate::api::{Answer, CallPage, Status, VoiceCall};
use crate::console::msg::{Effect, RequestId};
use crate::domain::calls::{CallId, PackedCall, Paging};
use crate::persist::state::UiState;

impl App {
    pub(super) fn switch_tab(&mut self, index: usize) -> Vec<Effect> {
        if index >= self.tabs.len() || index == self.active {
            return Vec::new();
        }
        self.active = index;
        self.search.clear();
        self.detail.scroll = 0;
        let mut effects = vec![self.save_state()];
        if self.tabs[index].loaded {
            effects.extend(self.refresh_tab(index));
            // A select all left running in the background goes on where it stopped.
            if self.tabs[index].selecting_all {
                effects.extend(self.fetch_more_if_near_end());
            }
        } else {
            effects.extend(self.load_tab_from_start());
        }
        effects.extend(self.fetch_detail_if_shown());
        effects
    }

    /// What the state file should hold now.
    pub(super) fn save_state(&self) -> Effect {
        Effect::SaveState(UiState {
            active: Some(self.tabs[self.active].id),
            tabs: self
                .tabs
                .iter()
                .map(|t| (t.id, t.settings.clone()))
                .collect(),
            group_by_caller: (self.grouping.on != self.session.config.group_by_caller)
                .then_some(self.grouping.on),
        })
    }

    // ---- staying current ----

    /// `r` and the timer: merge the open tab's first page, update the counts.
    pub(super) fn refresh(&mut self) -> Vec<Effect> {
        self.clock.last_refresh = self.clock.now;
        let mut effects = self.refresh_tab(self.active);
        effects.extend(self.fetch_counts());
        effects
    }

    fn refresh_tab(&mut self, index: usize) -> Vec<Effect> {
        let tab = &self.tabs[index];
        if !tab.loaded || tab.refreshing.is_some() {
            return Vec::new();
        }
        // A list still waiting for its first page just waits.
        if tab.list.is_empty()
            && matches!(
                tab.list.paging,
                crate::domain::calls::Paging::Loading { .. }
            )
        {
            return Vec::new();
        }
        // Its first page never came (Esc stopped it): ask for it as a load, which takes the
        // place of what is listed (the cached list) rather than merging into it.
        if index == self.active && matches!(tab.list.paging, Paging::Idle { next: 1 }) {
            return self.fetch_page(1).into_iter().collect();
        }
        let query = match tab.query(
            1,
            self.session.config.page_size,
            self.clock.now,
            self.clock.zones.shown(),
        ) {
            Ok(q) => q,
            Err(_) => return Vec::new(),
        };
        let req = self
            .requests
            .start(super::Purpose::Refresh { tab: index }, self.clock.now);
        self.tabs[index].refreshing = Some(req);
        vec![Effect::FetchPage { req, query }]
    }

    /// Puts the server's newer copy of a call in the store, where every tab that lists it
    /// sees it; it then leaves the views it no longer belongs in, joins those it now does,
    /// and the counts follow it at once.
    pub(super) fn update_everywhere(&mut self, call: &VoiceCall) {
        let was = call
            .uid
            .as_deref()
            .and_then(|uid| self.store.by_uid(uid))
            .and_then(|held| held.status().map(|s| Status(s.to_string())));
        let Some(id) = self.store.update(call) else {
            return;
        };
        let now = self
            .store
            .get(id)
            .and_then(|held| held.status().map(|s| Status(s.to_string())));
        self.count_moved(was.as_ref(), now.as_ref());
        self.place_in_views(id);
    }

    /// Frees the calls no tab lists any more.
    pub(super) fn forget_unlisted(&mut self) {
        let live: std::collections::HashSet<CallId> = self
            .tabs
            .iter()
            .flat_map(|t| t.list.all_ids())
            .chain(self.returns.held())
            .collect();
        self.store.retain(&live);
    }

    /// A call changed here: in every loaded view it leaves, joins or moves as a reload would
    /// show it (a call leaving takes its selection and "new" mark with it).
    pub(super) fn place_in_views(&mut self, id: CallId) {
        let (now, zone, rows) = (self.clock.now, self.zone().clone(), self.rows());
        let Some(uid) = self.store.get(id).and_then(|c| c.uid().map(str::to_string)) else {
            return;
        };
        for tab in self.tabs.iter_mut().filter(|t| t.loaded) {
            let rule = tab.rule(now, &zone);
            let admitted = self.store.get(id).is_some_and(|c| rule.admits(c));
            let complete = matches!(tab.list.paging, Paging::Complete);
            let order = |a: &PackedCall, b: &PackedCall| rule.sort.compare(a, b);
            tab.list
                .place(&self.store, id, admitted, order, complete, rows);
            if !tab.list.contains(id) {
                tab.selected.remove(&id);
                tab.new_uids.remove(&uid);
            }
        }
    }

    pub(super) fn on_refreshed(
        &mut self,
        index: usize,
        req: RequestId,
        answer: Answer<CallPage>,
    ) -> Vec<Effect> {
        if self.tabs.get(index).and_then(|t| t.refreshing) != Some(req) {
            // The tab was reloaded from the start since: this page is not its list any more.
            return self.stale(&answer.exchange, answer.result.as_ref().err());
        }
        self.tabs[index].refreshing = None;
        let Answer { exchange, result } = answer;
        let page = match result {
            Ok(page) => page,
            Err(error) => {
                self.record(exchange, Some(error));
                return Vec::new();
            }
        };
        self.record_background(exchange, None);
        self.note_unreadable(page.unreadable);
        let rows = self.rows();
        let whole_view = page.calls.len() < self.session.config.page_size as usize;
        let tab = &mut self.tabs[index];
        let was_empty = tab.list.is_empty();
        let rule = tab.rule(self.clock.now, self.clock.zones.shown());
        let added = tab.list.merge_top(
            &mut self.store,
            page.calls,
            |c| rule.admits(c),
            whole_view,
            rows,
        );
        // New calls went on top; the view's order puts them where they sort.
        tab.list
            .resort(&self.store, |a, b| rule.sort.compare(a, b), rows);
        // The server answers again, so a page that failed before no longer stands for the
        // list: the refresh was page 1, and a later failed page is asked for again below (or
        // on the next move near the end). A short page is the whole view.
        if let Paging::Failed { page, .. } = tab.list.paging {
            tab.list.paging = match (whole_view, page) {
                (true, _) => Paging::Complete,
                (false, 1) => Paging::Idle { next: 2 },
                (false, page) => Paging::Idle { next: page },
            };
        }
        if index == self.active {
            self.cached_since = None; // the server's first page replaces the cached one
        }
        let store = &self.store;
        let added: Vec<&PackedCall> = added.iter().filter_map(|id| store.get(*id)).collect();
        let mut effects = Vec::new();
        if !was_empty && !added.is_empty() {
            let new_missed = added.iter().any(|c| {
                matches!(
                    c.status_kind(),
                    Some(StatusKind::Missed | StatusKind::Voicemail)
                )
            });
            let notify = self.session.config.notify;
            let notice = notify
                .then(|| super::arrivals::arrivals(&added, &self.people))
                .flatten();
            let added: Vec<String> = added
                .iter()
                .filter_map(|c| c.uid().map(str::to_string))
                .collect();
            tab.new_uids.extend(added.iter().cloned());
            if tab.selecting_all {
                let (list, store) = (&tab.list, &self.store);
                let ids: Vec<_> = added
                    .iter()
                    .filter_map(|uid| list.listed_id(store, uid))
                    .collect();
                tab.selected.extend(ids);
            }
            let n = added.len();
            self.info(format!(
                "{n} new call{} since the last refresh (marked ●)",
                if n == 1 { "" } else { "s" }
            ));
            if new_missed && self.session.config.bell_on_new_missed {
                effects.push(Effect::Bell);
            }
            effects.extend(notice);
        }
        // The selection stays as chosen; calls that left the view leave it too.
        let tab = &mut self.tabs[index];
        let list = &tab.list;
        let store = &self.store;
        tab.selected.retain(|id| list.contains(*id));
        tab.new_uids.retain(|uid| list.contains_uid(store, uid));
        if index == self.active {
            effects.extend(self.fetch_more_if_near_end());
        }
        effects
    }
}

#[cfg(test)]
#[path = "tabs_tests.rs"]
mod tests;
