//! Paging: asking for a tab's pages (infinite scroll, a fresh start after a new filter or
//! sort) and taking their answers, dropping any that are no longer current.

use super::{App, Remote};
use crate::api::{Answer, CallPage};
use crate::calls::{CallList, Paging};
use crate::msg::{Effect, RequestId};

impl App {
    /// Infinite scroll: within a screen of the end, ask for the next page — unless one is out
    /// or everything is loaded. A failed page is retried here too, because this only runs on
    /// a user's move, never in a loop.
    pub(super) fn fetch_more_if_near_end(&mut self) -> Vec<Effect> {
        let tab = &self.tabs[self.active];
        if !tab.list.near_end(self.rows()) && !tab.selecting_all {
            return Vec::new();
        }
        let next = match &tab.list.paging {
            Paging::Idle { next } => *next,
            Paging::Failed { page, .. } => *page,
            Paging::Loading { .. } | Paging::Complete => return Vec::new(),
        };
        self.fetch_page(next).into_iter().collect()
    }

    /// Starts a page request for the open tab; an older one still out becomes stale.
    pub(super) fn fetch_page(&mut self, page: u32) -> Option<Effect> {
        let per_page = self.session.page_size;
        let (now, tz) = (self.now, self.tz);
        let query = match self.tabs[self.active].query(page, per_page, now, tz) {
            Ok(q) => q,
            Err(message) => {
                self.notice = Some(message);
                self.tabs[self.active].list.paging = Paging::Complete;
                return None;
            }
        };
        let req = self.next_req();
        let tab = &mut self.tabs[self.active];
        tab.loaded = true;
        tab.list.paging = Paging::Loading { req, page };
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
        self.search.clear();
        self.fetch_page(1).into_iter().collect()
    }

    pub(super) fn on_page(
        &mut self,
        req: RequestId,
        page: u32,
        answer: Answer<CallPage>,
    ) -> Vec<Effect> {
        if let Some(Remote::Loading { req: r }) = &self.oldest
            && *r == req
        {
            return self.on_oldest(answer);
        }
        if let Some(i) = self.tabs.iter().position(|t| t.refreshing == Some(req)) {
            return self.on_refreshed(i, answer);
        }
        let Some(i) = self
            .tabs
            .iter()
            .position(|t| t.list.paging == (Paging::Loading { req, page }))
        else {
            // Stale: superseded by a refresh or a newer request. It was sent, so it is logged.
            self.log_only(&answer.exchange, answer.result.as_ref().err());
            return Vec::new();
        };
        let Answer { exchange, result } = answer;
        match result {
            Ok(CallPage { calls, unreadable }) => {
                self.record(exchange, None);
                let full = calls.len() >= self.session.page_size as usize;
                self.note_unreadable(unreadable);
                let rows = self.rows();
                let tab = &mut self.tabs[i];
                if tab.selecting_all {
                    tab.selected
                        .extend(calls.iter().filter_map(|c| c.uid.clone()));
                }
                if page == 1 {
                    tab.list.replace(calls, rows);
                } else {
                    tab.list.append(calls);
                }
                let mut all_selected = None;
                tab.list.paging = if full {
                    Paging::Idle { next: page + 1 }
                } else {
                    if std::mem::take(&mut tab.selecting_all) {
                        all_selected = Some(tab.selected.len());
                    }
                    Paging::Complete
                };
                if let Some(n) = all_selected
                    && i == self.active
                {
                    self.notice = Some(format!(
                        "all {n} calls in this view selected — h marks them handled, Esc clears"
                    ));
                }
                if i == self.active {
                    if page == 1 {
                        self.cached_since = None; // the server's list replaces the cached one
                    }
                    if self.search.is_active() {
                        let calls = self.tabs[i].list.calls();
                        if page == 1 {
                            self.search.refresh(calls);
                        } else {
                            self.search.appended(calls);
                        }
                    }
                    let mut effects = self.fetch_more_if_near_end();
                    if page == 1 {
                        effects.extend(self.fetch_transcript_if_shown());
                    }
                    return effects;
                }
                Vec::new()
            }
            Err(error) => {
                self.record(exchange, Some(error.clone()));
                let tab = &mut self.tabs[i];
                tab.selecting_all = false;
                tab.list.paging = Paging::Failed { page, error };
                Vec::new()
            }
        }
    }
}
