//! `G`'s far end: beside loading the rest of the view (`to_end.rs`), `G` asks the server for
//! the view's other end, its first page in the reversed order (`sort=…:asc` for a view sorted
//! `…:desc`), and the list shows it after a gap row at once, the cursor on the view's last
//! call, one round trip after the key. The pages in between fill the gap as they come; when
//! the last is in, the list is the server's pages alone (`CallList::drop_tail`). Shown one
//! row per caller, the far end's callers come after the gap, still gathering
//! (`far_callers.rs`). Past the load limit the gap never fills, and says so. Not for a sort
//! whose reversal is not the other end (the server puts calls never handled last both ways).

use std::cmp::Ordering;

use super::{App, Purpose};
use crate::api::{Answer, CallPage, VoiceCall};
use crate::console::keys::Action;
use crate::console::msg::{Effect, RequestId};
use crate::domain::calls::Paging;
use crate::domain::views::{Sort, SortColumn};

impl App {
    /// Asks for the far end of the open tab, when `G` loads to its end and it can help.
    pub(super) fn fetch_far_end(&mut self) -> Option<Effect> {
        let i = self.active;
        let tab = &self.tabs[i];
        // Past the load limit too: the gap never fills there, and says why.
        let wanted = tab.list.paging != Paging::Complete
            && tab.list.gap_row().is_none()
            && !self.to_end.far_end.contains_key(&i)
            && tab.settings.sort.column != SortColumn::HandledAt
            && tab.list.len() >= self.session.config.page_size as usize;
        if !wanted {
            return None;
        }
        let (now, zone) = (self.clock.now, self.clock.zones.shown());
        let mut query = tab
            .query(1, self.session.config.page_size, now, zone)
            .ok()?;
        let sort = tab.settings.sort;
        query.sort = Some(
            Sort {
                desc: !sort.desc,
                ..sort
            }
            .param(),
        );
        let req = self.requests.start(Purpose::FarEnd { tab: i }, now);
        self.to_end.far_end.insert(i, req);
        Some(Effect::FetchPage { req, query })
    }

    /// The far end of tab `tab` answered: shown after the gap, unless the view moved on
    /// (stopped, reloaded, complete) or the answer is not the view's other end.
    pub(super) fn on_far_end(
        &mut self,
        tab: usize,
        req: RequestId,
        answer: Answer<CallPage>,
    ) -> Vec<Effect> {
        if self.to_end.far_end.get(&tab) != Some(&req) {
            return self.stale(&answer.exchange, answer.result.as_ref().err());
        }
        self.to_end.far_end.remove(&tab);
        let Answer { exchange, result } = answer;
        let page = match result {
            Ok(page) => page,
            Err(error) => {
                // The pages in between still come; only the shortcut is lost.
                self.record_background(exchange, Some(error));
                return Vec::new();
            }
        };
        self.record_background(exchange, None);
        self.note_unreadable(page.unreadable);
        let view = &self.tabs[tab];
        let still = matches!(view.list.paging, Paging::Loading(_) | Paging::Idle { .. });
        let Some(calls) = still.then(|| self.far_end_calls(tab, page.calls)).flatten() else {
            return Vec::new();
        };
        let rows = self.rows();
        // The cursor follows to the far end only from where `G` put it (the last row then;
        // pages may have come in below it since).
        let put = self.to_end.put.remove(&tab);
        let at_end = tab == self.active && {
            let (_, cursor) = self.row_window();
            cursor + 1 >= self.row_count() || put == Some(self.tabs[tab].list.selected_id())
        };
        let list = &mut self.tabs[tab].list;
        if list.set_tail(&mut self.store, calls, rows) == 0 {
            return Vec::new();
        }
        self.to_end.far_shown.insert(tab);
        if self.loading_to_end(tab) {
            self.tell_to_end(tab);
        }
        if tab != self.active || !at_end {
            return Vec::new();
        }
        let keys = self.to_end.keys();
        self.to_end.far_put.insert(tab, keys);
        self.move_by(isize::MAX / 2)
    }

    /// The far end's calls in the view's order: the reversed page turned round (calls the
    /// order ties keep the server's order), or `None` when the server did not sort it the
    /// reversed way, or it sorts before what is loaded (not the view's other end).
    fn far_end_calls(&self, tab: usize, mut calls: Vec<VoiceCall>) -> Option<Vec<VoiceCall>> {
        let sort = self.tabs[tab].settings.sort;
        let reversed = calls
            .windows(2)
            .all(|w| sort.compare(&w[0], &w[1]) != Ordering::Less);
        if !reversed {
            return None; // the server did not sort it the reversed way
        }
        calls.sort_by(|a, b| sort.compare(a, b));
        let list = &self.tabs[tab].list;
        let last = list.ids().last().and_then(|id| self.store.get(*id));
        let after_loaded = |c: &VoiceCall| {
            let listed = c
                .uid
                .as_deref()
                .is_some_and(|u| list.contains_uid(&self.store, u));
            listed || last.is_none_or(|l| sort.compare(c, l) != Ordering::Less)
        };
        // A call that sorts before the last one loaded, and is not listed: not the other end.
        calls.iter().all(after_loaded).then_some(calls)
    }

    /// What the gap row before the far end says: how many calls it stands for (when the
    /// server's count says) and whether they are loading, or why they never will.
    pub fn gap_words(&self) -> Option<String> {
        let calls = self.gap_calls()?;
        Some(match self.gap_state() {
            GapState::Loading => format!("⋯ {calls} loading (Esc stops) ⋯"),
            GapState::Stopped => format!(
                "⋯ {calls} not loaded — {} loads them ⋯",
                self.hint(Action::Bottom)
            ),
            GapState::AtLimit => format!(
                "⋯ {calls} not loaded: past the load limit ({} calls) — narrow the view with \
                 a filter ({}), or raise load_limit ⋯",
                self.session.config.load_limit,
                self.hint(Action::Filter)
            ),
        })
    }

    /// How many calls the open tab's gap stands for (`2850 calls`, else `more calls`);
    /// `None` without a gap.
    pub(super) fn gap_calls(&self) -> Option<String> {
        self.list().gap_row()?;
        Some(match self.gap_missing() {
            Some(n) => format!("{n} call{}", if n == 1 { "" } else { "s" }),
            None => "more calls".to_string(),
        })
    }

    /// How many calls the open tab's gap stands for, when the server's count says (not
    /// when it is behind the list).
    pub(super) fn gap_missing(&self) -> Option<u64> {
        let listed = self.list().calls_listed() as u64;
        self.view_count(self.active)
            .and_then(|c| c.total)
            .map(|t| t.saturating_sub(listed))
            .filter(|n| *n > 0)
    }

    /// Whether the open tab's calls in the gap are loading, stopped, or past the load limit.
    pub(super) fn gap_state(&self) -> GapState {
        match self.list().paging {
            Paging::Loading(_) if self.loading_to_end(self.active) => GapState::Loading,
            Paging::Idle { next } if self.past_load_limit(next) => GapState::AtLimit,
            _ => GapState::Stopped,
        }
    }
}

/// What is happening to the calls a gap row stands for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum GapState {
    Loading,
    /// Esc, a failure, or scrolling one page at a time: `G` loads them.
    Stopped,
    /// The load stopped at `load_limit`: they never load.
    AtLimit,
}

#[cfg(test)]
#[path = "far_end_tests.rs"]
mod tests;
