//! Counts: the all-time report behind the tab counts, the oldest call still waiting, and the
//! stats view (`t`: counts per status for today, 7 and 30 days). Still no I/O.

use super::{App, Overlay, Remote};
use crate::api::VoiceCall;
use crate::api::model::{Count, Status, StatusCount};
use crate::api::{Answer, CallPage, ListQuery, Stats, StatsQuery};
use crate::console::msg::{Effect, RequestId};
use crate::domain::calls::Paging;
use crate::domain::views::TabId;

/// Periods of the stats view: today, 7 days, 30 days.
pub const STATS_PERIODS: [(&str, i64); 3] = [("today", 1), ("7 days", 7), ("30 days", 30)];

/// Why a report's count is not believed, as notices say it.
const WHY_UNUSABLE: &str = "a count is negative, fractional, too large or not a number";

/// What the server reports beside the lists.
#[derive(Debug, Clone, Default)]
pub(super) struct Reports {
    /// The all-time report behind the tab counts.
    pub(super) counts: Option<Remote<Stats>>,
    /// The oldest call still needing a follow-up.
    pub(super) oldest: Option<Remote<Option<VoiceCall>>>,
    /// The stats view's three periods.
    pub(super) stats_view: [Option<Remote<Stats>>; 3],
    /// The user was told the server's counts cannot be believed; said again only after a
    /// report that could be.
    told_unusable: bool,
}

/// How many calls a view holds: the one source of the tab's count and the status bar's.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ViewCount {
    /// The server's count, where its report can say (a filtered view's cannot).
    pub total: Option<u64>,
    /// Calls loaded into the list.
    pub loaded: usize,
    /// Every page is in.
    pub complete: bool,
    /// The callers among the loaded calls, where the view shows one row per caller.
    pub callers: Option<usize>,
}

impl ViewCount {
    /// The count as the tab shows it: the server's, else what is loaded (`+` when more
    /// pages exist).
    pub fn shown(&self) -> String {
        match self.total {
            Some(n) => n.to_string(),
            None if self.complete => self.loaded.to_string(),
            None => format!("{}+", self.loaded),
        }
    }

    /// The callers as the tab shows them (`+` when more pages exist), where the view shows
    /// one row per caller.
    pub fn callers_shown(&self) -> Option<String> {
        let n = self.callers?;
        Some(if self.complete {
            n.to_string()
        } else {
            format!("{n}+")
        })
    }

    /// `12 · 31 calls` where the view shows one row per caller, else the calls (`31`).
    pub fn in_words(&self) -> String {
        let calls = self.shown();
        match self.callers_shown() {
            Some(callers) => {
                let plural = if calls == "1" { "" } else { "s" };
                format!("{callers} · {calls} call{plural}")
            }
            None => calls,
        }
    }
}

impl App {
    /// How many calls tab `index` holds; `None` until its first page is in.
    pub fn view_count(&self, index: usize) -> Option<ViewCount> {
        let tab = self.tabs.get(index)?;
        // The report counts whole views; a filtered view counts what it lists.
        let total = match &self.reports.counts {
            Some(Remote::Loaded(stats)) if tab.settings.filter.is_empty() => {
                tab.id.count_from(stats)
            }
            _ => None,
        };
        // Without the report, nothing to count until the first page is in.
        let waiting = tab.list.is_empty() && matches!(tab.list.paging, Paging::Loading { .. });
        if total.is_none() && (!tab.loaded || waiting) {
            return None;
        }
        Some(ViewCount {
            total,
            loaded: tab.list.calls_listed(),
            complete: matches!(tab.list.paging, Paging::Complete),
            callers: self.callers_in(index),
        })
    }

    /// The count shown on tab `index` (see [`ViewCount::shown`]).
    pub fn tab_count(&self, index: usize) -> Option<String> {
        self.view_count(index).map(|c| c.shown())
    }

    /// Asks for the all-time report behind the tab counts and for the oldest call waiting.
    pub(super) fn fetch_counts(&mut self) -> Vec<Effect> {
        let mut effects = Vec::new();
        if !matches!(self.reports.counts, Some(Remote::Loading { .. })) {
            let req = self.requests.start(super::Purpose::Counts, self.clock.now);
            self.reports.counts = Some(Remote::Loading { req });
            effects.push(Effect::FetchStats {
                req,
                query: StatsQuery::default(),
            });
        }
        if !matches!(self.reports.oldest, Some(Remote::Loading { .. })) {
            let req = self.requests.start(super::Purpose::Oldest, self.clock.now);
            // The inbox's own limits: its statuses and direction.
            let inbox = TabId::FollowUp;
            let mut filters = vec![("status".into(), None, inbox.statuses().join(","))];
            filters.extend(
                inbox
                    .direction()
                    .map(|d| ("direction".to_string(), None, d.to_string())),
            );
            self.reports.oldest = Some(Remote::Loading { req });
            effects.push(Effect::FetchPage {
                req,
                query: ListQuery {
                    page: 1,
                    per_page: 1,
                    sort: Some("created_at:asc".into()),
                    filters,
                },
            });
        }
        effects
    }

    pub(super) fn on_oldest(&mut self, req: RequestId, answer: Answer<CallPage>) -> Vec<Effect> {
        if self.reports.oldest != Some(Remote::Loading { req }) {
            return self.stale(&answer.exchange, answer.result.as_ref().err());
        }
        let Answer { exchange, result } = answer;
        match result {
            Ok(page) => {
                self.record_background(exchange, None);
                self.reports.oldest = Some(Remote::Loaded(page.calls.into_iter().next()));
            }
            Err(error) => {
                self.reports.oldest = Some(Remote::Failed(error.clone()));
                self.record_background(exchange, Some(error));
            }
        }
        Vec::new()
    }

    /// The report behind the tab counts answered: asked in the background, so only a
    /// failure reaches the status bar.
    pub(super) fn on_counts(&mut self, req: RequestId, answer: Answer<Stats>) -> Vec<Effect> {
        if self.reports.counts != Some(Remote::Loading { req }) {
            return self.stale(&answer.exchange, answer.result.as_ref().err());
        }
        let Answer { exchange, result } = answer;
        let error = result.as_ref().err().cloned();
        let usable = result.as_ref().ok().map(Stats::usable);
        self.reports.counts = Some(Remote::from(result));
        self.record_background(exchange, error);
        self.told_of_report(usable);
        Vec::new()
    }

    /// Tells the user, once until a report can be believed again, that the server's counts
    /// cannot be: the tabs count what is loaded. `None` (the report failed) was told as a
    /// failure.
    fn told_of_report(&mut self, usable: Option<bool>) {
        match usable {
            Some(true) => self.reports.told_unusable = false,
            Some(false) if !self.reports.told_unusable => {
                self.reports.told_unusable = true;
                self.warn(format!(
                    "the server's call counts are not usable ({WHY_UNUSABLE}): the tabs count \
                     the calls loaded"
                ));
            }
            _ => {}
        }
    }

    /// One period of the stats view answered.
    pub(super) fn on_stats_period(
        &mut self,
        period: usize,
        req: RequestId,
        answer: Answer<Stats>,
    ) -> Vec<Effect> {
        let current = self.reports.stats_view.get(period).cloned().flatten();
        if current != Some(Remote::Loading { req }) {
            return self.stale(&answer.exchange, answer.result.as_ref().err());
        }
        let Answer { exchange, result } = answer;
        let error = result.as_ref().err().cloned();
        let usable = result.as_ref().ok().map(Stats::usable);
        self.reports.stats_view[period] = Some(Remote::from(result));
        self.record(exchange, error);
        if usable == Some(false) {
            self.warn(format!(
                "the server's stats report is not usable ({WHY_UNUSABLE}): those counts read \
                 invalid"
            ));
        }
        Vec::new()
    }

    /// A call changed status here: the tab counts move with it at once instead of waiting
    /// for the report asked for after the save (which then says what the server holds).
    pub(super) fn count_moved(&mut self, was: Option<&Status>, now: Option<&Status>) {
        let (Some(was), Some(now)) = (was, now) else {
            return;
        };
        let Some(Remote::Loaded(stats)) = &mut self.reports.counts else {
            return;
        };
        if was == now {
            return;
        }
        let mut add = |status: &Status, delta: i64| match stats
            .status_counts
            .iter_mut()
            .find(|c| c.status.as_deref() == Some(status.as_str()))
        {
            // An invalid count stays invalid: moving it would make a number up.
            Some(c) if c.count == Some(Count::Invalid) => {}
            Some(c) => {
                let n = c.count.and_then(Count::valid).unwrap_or(0);
                c.count = Some(Count::Valid(n.saturating_add_signed(delta)));
            }
            None if delta > 0 => stats.status_counts.push(StatusCount {
                status: Some(status.as_str().to_string()),
                count: Some(Count::Valid(delta.unsigned_abs())),
            }),
            None => {}
        };
        add(was, -1);
        add(now, 1);
    }

    /// `t`: counts per status for today, 7 and 30 days.
    pub(super) fn open_stats_view(&mut self) -> Vec<Effect> {
        self.set_overlay(Overlay::Stats);
        let today = self.zone().date(self.clock.now);
        let mut effects = Vec::new();
        for (i, (_, days)) in STATS_PERIODS.iter().enumerate() {
            let req = self
                .requests
                .start(super::Purpose::Stats { period: i }, self.clock.now);
            self.reports.stats_view[i] = Some(Remote::Loading { req });
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
}

#[cfg(test)]
#[path = "counts_tests.rs"]
mod tests;
