//! Counts: the all-time report behind the tab counts, the oldest call still waiting, and the
//! stats view (`t`: counts per status for today, 7 and 30 days). Still no I/O.

use super::{App, Overlay, Remote};
use crate::api::VoiceCall;
use crate::api::{Answer, CallPage, ListQuery, Stats, StatsQuery};
use crate::console::msg::{Effect, RequestId};
use crate::domain::views::TabId;

/// Periods of the stats view: today, 7 days, 30 days.
pub const STATS_PERIODS: [(&str, i64); 3] = [("today", 1), ("7 days", 7), ("30 days", 30)];

/// What the server reports beside the lists.
#[derive(Debug, Clone, Default)]
pub(super) struct Reports {
    /// The all-time report behind the tab counts.
    pub(super) counts: Option<Remote<Stats>>,
    /// The oldest call still needing a follow-up.
    pub(super) oldest: Option<Remote<Option<VoiceCall>>>,
    /// The stats view's three periods.
    pub(super) stats_view: [Option<Remote<Stats>>; 3],
}

impl App {
    /// Asks for the all-time report behind the tab counts and for the oldest call waiting.
    pub(super) fn fetch_counts(&mut self) -> Vec<Effect> {
        let mut effects = Vec::new();
        if !matches!(self.reports.counts, Some(Remote::Loading { .. })) {
            let req = self.requests.start(super::Purpose::Counts);
            self.reports.counts = Some(Remote::Loading { req });
            effects.push(Effect::FetchStats {
                req,
                query: StatsQuery::default(),
            });
        }
        if !matches!(self.reports.oldest, Some(Remote::Loading { .. })) {
            let req = self.requests.start(super::Purpose::Oldest);
            let statuses = TabId::FollowUp.statuses().join(",");
            self.reports.oldest = Some(Remote::Loading { req });
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
        self.reports.counts = Some(Remote::from(result));
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
        let current = self.reports.stats_view.get(period).cloned().flatten();
        if current != Some(Remote::Loading { req }) {
            return self.stale(&answer.exchange, answer.result.as_ref().err());
        }
        let Answer { exchange, result } = answer;
        let error = result.as_ref().err().cloned();
        self.reports.stats_view[period] = Some(Remote::from(result));
        self.record(exchange, error);
        Vec::new()
    }

    /// `t`: counts per status for today, 7 and 30 days.
    pub(super) fn open_stats_view(&mut self) -> Vec<Effect> {
        self.set_overlay(Overlay::Stats);
        let today = self.clock.now.with_timezone(&self.clock.tz).date_naive();
        let mut effects = Vec::new();
        for (i, (_, days)) in STATS_PERIODS.iter().enumerate() {
            let req = self.requests.start(super::Purpose::Stats { period: i });
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
