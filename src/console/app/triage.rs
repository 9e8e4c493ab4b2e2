//! Triage: switching tabs, refreshing without moving the user, the counts and the stats view,
//! the sort picker, and selecting rows. Still no I/O.

use crossterm::event::{KeyCode, KeyEvent};

use super::{App, Overlay, Remote};
use crate::api::model::StatusKind;
use crate::api::{Answer, CallPage, ListQuery, Stats, StatsQuery, VoiceCall};
use crate::console::keys::Action;
use crate::console::msg::{Effect, RequestId};
use crate::domain::views::{SortColumn, TabId};
use crate::persist::state::UiState;

/// Periods of the stats view: today, 7 days, 30 days.
pub const STATS_PERIODS: [(&str, i64); 3] = [("today", 1), ("7 days", 7), ("30 days", 30)];

impl App {
    // ---- tabs ----

    pub(super) fn switch_tab(&mut self, index: usize) -> Vec<Effect> {
        if index >= self.tabs.len() || index == self.active {
            return Vec::new();
        }
        self.active = index;
        self.search.clear();
        self.detail_scroll = 0;
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
        effects.extend(self.fetch_transcript_if_shown());
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
        })
    }

    // ---- staying current ----

    /// `r` and the timer: merge the open tab's first page, update the counts.
    pub(super) fn refresh(&mut self) -> Vec<Effect> {
        self.last_refresh = self.now;
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
        let query = match tab.query(1, self.session.config.page_size, self.now, self.tz) {
            Ok(q) => q,
            Err(_) => return Vec::new(),
        };
        let req = self.requests.start(super::Purpose::Refresh { tab: index });
        self.tabs[index].refreshing = Some(req);
        vec![Effect::FetchPage { req, query }]
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
        let id = tab.id;
        let added = tab.list.merge_top(
            &mut self.store,
            page.calls,
            |c| id.admits(c),
            whole_view,
            rows,
        );
        let store = &self.store;
        let added: Vec<&VoiceCall> = added.iter().filter_map(|id| store.get(*id)).collect();
        let mut effects = Vec::new();
        if !was_empty && !added.is_empty() {
            let new_missed = added.iter().any(|c| {
                matches!(
                    c.status.as_ref().map(|s| s.kind()),
                    Some(StatusKind::Missed | StatusKind::Voicemail)
                )
            });
            let added: Vec<String> = added.iter().filter_map(|c| c.uid.clone()).collect();
            tab.new_uids.extend(added.iter().cloned());
            if tab.selecting_all {
                tab.selected.extend(added.iter().cloned());
            }
            let n = added.len();
            self.info(format!(
                "{n} new call{} since the last refresh (marked ●)",
                if n == 1 { "" } else { "s" }
            ));
            if new_missed && self.session.config.bell_on_new_missed {
                effects.push(Effect::Bell);
            }
        }
        // The selection stays as chosen; calls that left the view leave it too.
        let tab = &mut self.tabs[index];
        let list = &tab.list;
        let store = &self.store;
        tab.selected.retain(|uid| list.contains_uid(store, uid));
        tab.new_uids.retain(|uid| list.contains_uid(store, uid));
        effects
    }

    /// Asks for the all-time report behind the tab counts and for the oldest call waiting.
    pub(super) fn fetch_counts(&mut self) -> Vec<Effect> {
        let mut effects = Vec::new();
        if !matches!(self.counts, Some(Remote::Loading { .. })) {
            let req = self.requests.start(super::Purpose::Counts);
            self.counts = Some(Remote::Loading { req });
            effects.push(Effect::FetchStats {
                req,
                query: StatsQuery::default(),
            });
        }
        if !matches!(self.oldest, Some(Remote::Loading { .. })) {
            let req = self.requests.start(super::Purpose::Oldest);
            let statuses = TabId::FollowUp.statuses().join(",");
            self.oldest = Some(Remote::Loading { req });
            effects.push(Effect::FetchPage {
                req,
                query: ListQuery {
                    page: 1,
                    per_page: 1,
                    sort: Some("created_at:asc".into()),
                    filters: vec![("status".into(), None, statuses)],
                },
            });
        }
        effects
    }

    pub(super) fn on_oldest(&mut self, req: RequestId, answer: Answer<CallPage>) -> Vec<Effect> {
        if self.oldest != Some(Remote::Loading { req }) {
            return self.stale(&answer.exchange, answer.result.as_ref().err());
        }
        let Answer { exchange, result } = answer;
        match result {
            Ok(page) => {
                self.record_background(exchange, None);
                self.oldest = Some(Remote::Loaded(page.calls.into_iter().next()));
            }
            Err(error) => {
                self.oldest = Some(Remote::Failed(error.clone()));
                self.record_background(exchange, Some(error));
            }
        }
        Vec::new()
    }

    /// The report behind the tab counts answered: asked in the background, so only a
    /// failure reaches the status bar.
    pub(super) fn on_counts(&mut self, req: RequestId, answer: Answer<Stats>) -> Vec<Effect> {
        if self.counts != Some(Remote::Loading { req }) {
            return self.stale(&answer.exchange, answer.result.as_ref().err());
        }
        let Answer { exchange, result } = answer;
        let error = result.as_ref().err().cloned();
        self.counts = Some(Remote::from(result));
        self.record_background(exchange, error);
        Vec::new()
    }

    /// One period of the stats view answered.
    pub(super) fn on_stats_period(
        &mut self,
        period: usize,
        req: RequestId,
        answer: Answer<Stats>,
    ) -> Vec<Effect> {
        let current = self.stats_view.get(period).cloned().flatten();
        if current != Some(Remote::Loading { req }) {
            return self.stale(&answer.exchange, answer.result.as_ref().err());
        }
        let Answer { exchange, result } = answer;
        let error = result.as_ref().err().cloned();
        self.stats_view[period] = Some(Remote::from(result));
        self.record(exchange, error);
        Vec::new()
    }

    /// `t`: counts per status for today, 7 and 30 days.
    pub(super) fn open_stats_view(&mut self) -> Vec<Effect> {
        self.set_overlay(Overlay::Stats);
        let today = self.now.with_timezone(&self.tz).date_naive();
        let mut effects = Vec::new();
        for (i, (_, days)) in STATS_PERIODS.iter().enumerate() {
            let req = self.requests.start(super::Purpose::Stats { period: i });
            self.stats_view[i] = Some(Remote::Loading { req });
            let start = today - chrono::TimeDelta::days(days - 1);
            effects.push(Effect::FetchStats {
                req,
                query: StatsQuery {
                    start_date: Some(start.format("%Y-%m-%d").to_string()),
                    end_date: Some(today.format("%Y-%m-%d").to_string()),
                    status: None,
                },
            });
        }
        effects
    }

    // ---- selection ----

    pub(super) fn toggle_select(&mut self) -> Vec<Effect> {
        let Some(uid) = self.list().selected().and_then(|c| c.uid.clone()) else {
            return Vec::new();
        };
        let tab = &mut self.tabs[self.active];
        if !tab.selected.remove(&uid) {
            tab.selected.insert(uid);
        }
        let n = tab.selected.len();
        self.info(format!("{n} selected — {}", self.selection_hint()));
        self.move_by(1)
    }

    /// What to do with a selection, with the keys in force.
    pub(super) fn selection_hint(&self) -> String {
        format!(
            "{} marks them handled, Esc clears",
            self.hint(Action::Handled)
        )
    }

    /// `V`: every call matching the filter, including pages not loaded yet.
    pub(super) fn select_all(&mut self) -> Vec<Effect> {
        let store = &self.store;
        let tab = &mut self.tabs[self.active];
        tab.selected = tab
            .list
            .ids()
            .iter()
            .filter_map(|id| store.get(*id).and_then(|c| c.uid.clone()))
            .collect();
        let complete = matches!(tab.list.paging, crate::domain::calls::Paging::Complete);
        tab.selecting_all = !complete;
        let n = tab.selected.len();
        self.info(if complete {
            format!(
                "all {n} calls in this view selected — {}",
                self.selection_hint()
            )
        } else {
            format!("{n} selected; loading the rest of this view to select them too…")
        });
        self.fetch_more_if_near_end()
    }

    // ---- sort ----

    pub(super) fn on_sort_key(&mut self, key: KeyEvent, index: usize) -> Vec<Effect> {
        let n = SortColumn::ALL.len();
        match key.code {
            KeyCode::Esc | KeyCode::Char('q') => {
                self.set_overlay(Overlay::None);
                Vec::new()
            }
            KeyCode::Down | KeyCode::Char('j') | KeyCode::Tab => {
                self.set_overlay(Overlay::SortPicker {
                    index: (index + 1) % n,
                });
                Vec::new()
            }
            KeyCode::Up | KeyCode::Char('k') | KeyCode::BackTab => {
                self.set_overlay(Overlay::SortPicker {
                    index: (index + n - 1) % n,
                });
                Vec::new()
            }
            KeyCode::Enter | KeyCode::Char(' ') => {
                self.set_overlay(Overlay::None);
                let column = SortColumn::ALL[index.min(n - 1)];
                let sort = &mut self.tabs[self.active].settings.sort;
                if sort.column == column {
                    return Vec::new();
                }
                sort.column = column;
                self.resorted()
            }
            _ => Vec::new(),
        }
    }

    pub(super) fn reverse_sort(&mut self) -> Vec<Effect> {
        let sort = &mut self.tabs[self.active].settings.sort;
        sort.desc = !sort.desc;
        self.resorted()
    }

    fn resorted(&mut self) -> Vec<Effect> {
        self.info(format!(
            "sorted {}",
            self.tabs[self.active].settings.sort.describe()
        ));
        let mut effects = vec![self.save_state()];
        effects.extend(self.load_tab_from_start());
        effects
    }
}

/// Calls selected in the open tab, in list order, that are loaded.
pub(super) fn selected_calls(app: &App) -> Vec<VoiceCall> {
    let tab = &app.tabs[app.active];
    tab.list
        .ids()
        .iter()
        .filter_map(|id| app.store.get(*id))
        .filter(|c| c.uid.as_ref().is_some_and(|u| tab.selected.contains(u)))
        .cloned()
        .collect()
}

#[cfg(test)]
#[path = "triage_tests.rs"]
mod tests;
