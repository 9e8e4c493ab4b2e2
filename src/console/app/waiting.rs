//! What the console is waiting for: the longest wait among the requests the screen depends
//! on, once it is slow enough to say so (the status bar counts its seconds on the clock's
//! ticks), and Esc stopping a load of the open tab that waits. Still no I/O: the time a
//! request was sent is the clock's time then (`Requests::since`).

use chrono::TimeDelta;

use super::{App, ItemState, Remote, Stage};
use crate::console::keys::Action;
use crate::console::msg::RequestId;
use crate::domain::calls::Paging;

/// A request is slow (its wait is shown, Esc stops a load that waits on it) once it has
/// waited this long by the clock. The clock moves on ticks, every second (every 100 ms while
/// something is out), so a request's start may read up to a second early: 2 s by the clock
/// is at least 1 s in fact, and a quick answer never flashes a count.
pub const SLOW_AFTER: TimeDelta = TimeDelta::seconds(2);

/// What a slow request is for, as the status bar names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Wait {
    /// A page of tab `tab`'s list.
    Page { tab: usize, page: u32 },
    /// The first page of tab `tab`, merged into what is listed.
    Refresh { tab: usize },
    /// Reading a call before saving it.
    Check,
    /// A save: the one save, or a call of a bulk action.
    Save,
    /// The transcript of the call in the detail pane.
    Transcript,
}

/// The longest wait, and for how long, in whole seconds by the clock.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Waiting {
    pub what: Wait,
    pub secs: i64,
}

impl App {
    /// The request out longest among those the screen waits on, once it has waited
    /// [`SLOW_AFTER`]; ties go to the open tab's list.
    pub fn waiting(&self) -> Option<Waiting> {
        self.waits()
            .into_iter()
            .filter_map(|(what, req)| Some((what, self.requests.since(req)?)))
            .min_by_key(|(_, since)| *since)
            .map(|(what, since)| (what, self.clock.now - since))
            .filter(|(_, waited)| *waited >= SLOW_AFTER)
            .map(|(what, waited)| Waiting {
                what,
                secs: waited.num_seconds(),
            })
    }

    /// Every request the screen waits on (what makes the spinner turn), the open tab's first.
    fn waits(&self) -> Vec<(Wait, RequestId)> {
        let mut waits = Vec::new();
        let others = (0..self.tabs.len()).filter(|i| *i != self.active);
        for i in std::iter::once(self.active).chain(others) {
            let tab = &self.tabs[i];
            if let Paging::Loading(flight) = &tab.list.paging {
                waits.extend(
                    flight
                        .out()
                        .map(|(page, req)| (Wait::Page { tab: i, page }, req)),
                );
            }
            if let Some(req) = tab.refreshing {
                waits.push((Wait::Refresh { tab: i }, req));
            }
        }
        match self.submission.as_ref().map(|s| &s.stage) {
            Some(Stage::Checking { req }) => waits.push((Wait::Check, *req)),
            Some(Stage::Saving { req }) => waits.push((Wait::Save, *req)),
            _ => {}
        }
        if let Some(batch) = &self.batch {
            waits.extend(batch.items.iter().filter_map(|item| match item.state {
                ItemState::Sending { req } => Some((Wait::Save, req)),
                _ => None,
            }));
        }
        if let Some((_, Remote::Loading { req })) = &self.detail.transcript
            && self.detail.open
        {
            waits.push((Wait::Transcript, *req));
        }
        waits
    }

    /// Whether `req` is out and has waited [`SLOW_AFTER`].
    fn is_slow(&self, req: RequestId) -> bool {
        self.requests
            .since(req)
            .is_some_and(|since| self.clock.now - since >= SLOW_AFTER)
    }

    /// Esc, before anything else it does: stops the open tab's load of several pages (select
    /// all), or of one page or a refresh that is slow. What still answers is only logged;
    /// scrolling down or the refresh key asks again. True when something stopped.
    pub(super) fn stop_loads(&mut self) -> bool {
        let i = self.active;
        let tab = &self.tabs[i];
        let stop_pages = match &tab.list.paging {
            Paging::Loading(flight) => {
                let several = tab.selecting_all || flight.len() > 1;
                let slow = flight.out().any(|(_, req)| self.is_slow(req));
                (several || slow).then(|| flight.first())
            }
            _ => None,
        };
        let stop_refresh = tab.refreshing.is_some_and(|req| self.is_slow(req));
        if stop_refresh {
            self.tabs[i].refreshing = None;
        }
        let reload = self.hint(Action::Refresh);
        let Some(next) = stop_pages else {
            if stop_refresh {
                self.info(format!("refresh stopped; {reload} asks again"));
            }
            return stop_refresh;
        };
        self.tabs[i].selecting_all = false;
        self.stop_to_end(i);
        self.end_flight(i, Paging::Idle { next });
        let n = self.list().len();
        if next == 1 {
            self.info(format!(
                "loading stopped before the first page came; {reload} asks again"
            ));
        } else {
            self.info(format!(
                "loading stopped at {n} call{}; scrolling down loads more",
                if n == 1 { "" } else { "s" }
            ));
        }
        true
    }
}

#[cfg(test)]
#[path = "waiting_tests.rs"]
mod tests;
