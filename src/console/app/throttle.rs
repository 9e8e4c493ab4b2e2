//! How many requests a batch keeps out at once: `max_in_flight` from the settings, the one
//! number the pages of `V` and `G`, a bulk action's calls and the name lookups all start
//! from; and a server asking to slow down (429, or `Retry-After`) lowering it for the rest
//! of that batch. The runtime hands such an answer back at once (`Msg::SlowDown`, with the
//! effect to perform again); the request stays out, keeps its place in the batch, and is
//! sent again after the wait the server asked for (`Effect::Retry`), longer each time the
//! same request is slowed down again, until [`MAX_SLOW_DOWNS`], when it fails as any
//! answer would; and not before fewer than the lowered limit are out beside it. Still no
//! I/O.

use std::collections::{BTreeMap, HashMap};
use std::time::Duration;

use super::{App, Purpose};
use crate::api::retry::RETRY_AFTER_CAP;
use crate::api::{Answer, ApiError, Exchange};
use crate::console::msg::{Effect, Msg, RequestId};
use crate::domain::calls::Paging;
use crate::domain::save::Outcome;

/// A request slowed down this many times fails with the server's answer.
pub const MAX_SLOW_DOWNS: u32 = 6;
/// How soon a request whose wait is over looks again for room under its batch's limit.
const RECHECK: Duration = Duration::from_millis(50);

/// The limits lowered by a server that asked to slow down, per batch.
#[derive(Debug, Clone, Default)]
pub struct Throttle {
    /// A tab's page load (`V`, `G`), by tab.
    pages: BTreeMap<usize, usize>,
    /// The bulk action running.
    bulk: Option<usize>,
    /// The name lookups, until none is left to ask.
    people: Option<usize>,
    /// How often each request out was slowed down.
    slowed: HashMap<RequestId, u32>,
}

/// Which batch a request belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Batch {
    Pages(usize),
    Bulk,
    People,
}

impl App {
    /// `max_in_flight`, as configured.
    pub(super) fn max_in_flight(&self) -> usize {
        self.session.config.max_in_flight.max(1)
    }

    /// Pages tab `tab` keeps out while it loads in bulk.
    pub(super) fn page_window(&self, tab: usize) -> usize {
        self.throttle
            .pages
            .get(&tab)
            .copied()
            .unwrap_or_else(|| self.max_in_flight())
    }

    /// Calls a bulk action keeps out.
    pub(super) fn bulk_window(&self) -> usize {
        self.throttle.bulk.unwrap_or_else(|| self.max_in_flight())
    }

    /// Name lookups kept out.
    pub(super) fn people_window(&self) -> usize {
        self.throttle.people.unwrap_or_else(|| self.max_in_flight())
    }

    /// A new load of tab `tab`'s pages in bulk starts at the full pace.
    pub(super) fn fresh_page_pace(&mut self, tab: usize) {
        self.throttle.pages.remove(&tab);
    }

    /// A new bulk action starts at the full pace.
    pub(super) fn fresh_bulk_pace(&mut self) {
        self.throttle.bulk = None;
    }

    /// The name lookups start at the full pace again once none is left to ask.
    pub(super) fn people_pace_done(&mut self) {
        if self.people.is_idle() {
            self.throttle.people = None;
        }
    }

    /// The server asked to slow down request `req`: its batch keeps half as many out (at
    /// least one) from now on, and `retry` is performed again after the wait.
    pub(super) fn on_slow_down(
        &mut self,
        req: RequestId,
        exchange: Exchange,
        error: ApiError,
        retry: Box<Effect>,
    ) -> Vec<Effect> {
        self.log_only(&exchange, Some(&error));
        let Some(purpose) = self.requests.purpose(req).cloned() else {
            return Vec::new(); // not asked by this console, or already given up
        };
        let batch = match purpose {
            Purpose::Page { tab } => Some(Batch::Pages(tab)),
            Purpose::BatchItem => Some(Batch::Bulk),
            Purpose::Client => Some(Batch::People),
            _ => None,
        };
        if !self.still_wanted(req, batch) {
            self.requests.finish(req);
            self.throttle.slowed.remove(&req);
            return Vec::new();
        }
        // Requests answered since are no longer counted.
        let requests = &self.requests;
        self.throttle
            .slowed
            .retain(|r, _| requests.purpose(*r).is_some());
        let n = self.throttle.slowed.entry(req).or_default();
        *n += 1;
        let n = *n;
        if n > MAX_SLOW_DOWNS {
            self.throttle.slowed.remove(&req);
            return match given_up(req, exchange, error, *retry) {
                Some(msg) => self.dispatch(msg),
                None => Vec::new(),
            };
        }
        if let Some(batch) = batch {
            self.slow_down(batch);
        }
        let asked = match error {
            ApiError::SlowDown { wait, .. } => wait,
            _ => Duration::ZERO,
        };
        // The server's wait the first time; twice as long each time it asks again.
        let after = asked
            .saturating_mul(1 << (n - 1).min(16))
            .min(RETRY_AFTER_CAP);
        vec![Effect::Retry {
            req,
            after,
            effect: retry,
        }]
    }

    /// The wait is over: the request goes again, if its batch still wants it, once fewer
    /// than its limit are out beside it (those sent before the server asked to slow down
    /// may still be out).
    pub(super) fn on_retry_due(&mut self, req: RequestId, effect: Box<Effect>) -> Vec<Effect> {
        let batch = match self.requests.purpose(req) {
            Some(Purpose::Page { tab }) => Some(Batch::Pages(*tab)),
            Some(Purpose::BatchItem) => Some(Batch::Bulk),
            Some(Purpose::Client) => Some(Batch::People),
            Some(_) => None,
            None => return Vec::new(),
        };
        if !self.still_wanted(req, batch) {
            self.requests.finish(req);
            self.throttle.slowed.remove(&req);
            return Vec::new();
        }
        if let Some(batch) = batch
            && self.out_beside(req, batch) >= self.window(batch)
        {
            return vec![Effect::Retry {
                req,
                after: RECHECK,
                effect,
            }];
        }
        vec![*effect]
    }

    fn window(&self, batch: Batch) -> usize {
        match batch {
            Batch::Pages(tab) => self.page_window(tab),
            Batch::Bulk => self.bulk_window(),
            Batch::People => self.people_window(),
        }
    }

    /// The requests of `batch` at the server beside `req`.
    fn out_beside(&self, req: RequestId, batch: Batch) -> usize {
        match batch {
            Batch::Pages(tab) => match self.tabs.get(tab).map(|t| &t.list.paging) {
                Some(Paging::Loading(f)) => f.out().filter(|(_, r)| *r != req).count(),
                _ => 0,
            },
            Batch::Bulk => self.batch.as_ref().map_or(0, |b| {
                b.items
                    .iter()
                    .filter(|i| matches!(i.state, super::ItemState::Sending { req: r } if r != req))
                    .count()
            }),
            Batch::People => self.people.asking().saturating_sub(1),
        }
    }

    /// Whether the batch `req` belongs to still waits on it: a page load stopped (Esc, a new
    /// filter) or a bulk action that ended does not.
    fn still_wanted(&self, req: RequestId, batch: Option<Batch>) -> bool {
        match batch {
            Some(Batch::Pages(tab)) => self.tabs.get(tab).is_some_and(
                |t| matches!(&t.list.paging, Paging::Loading(f) if f.out().any(|(_, r)| r == req)),
            ),
            Some(Batch::Bulk) => self.batch.as_ref().is_some_and(|b| {
                b.items
                    .iter()
                    .any(|i| i.state == super::ItemState::Sending { req })
            }),
            Some(Batch::People) | None => true,
        }
    }

    /// Halves `batch`'s limit (at least one) and says so, once per change.
    fn slow_down(&mut self, batch: Batch) {
        let now = self.window(batch);
        let lower = (now / 2).max(1);
        let slot = match batch {
            Batch::Pages(tab) => self.throttle.pages.entry(tab).or_insert(now),
            Batch::Bulk => self.throttle.bulk.get_or_insert(now),
            Batch::People => self.throttle.people.get_or_insert(now),
        };
        if *slot == lower {
            return;
        }
        *slot = lower;
        let what = match batch {
            Batch::Pages(_) => "pages",
            Batch::Bulk => "calls",
            Batch::People => "name lookups",
        };
        self.warn(format!(
            "server asked to slow down: {what} {lower} at a time"
        ));
    }
}

/// The answer a request slowed down too often gets: the server's, as a failure.
fn given_up(req: RequestId, exchange: Exchange, error: ApiError, effect: Effect) -> Option<Msg> {
    Some(match effect {
        Effect::FetchPage { query, .. } => Msg::PageLoaded {
            req,
            page: query.page,
            answer: Answer {
                exchange,
                result: Err(error),
            },
        },
        Effect::CheckAndPut { .. } => Msg::CheckedAndPut {
            req,
            check: Answer {
                exchange,
                result: Err(error),
            },
            outcome: Outcome::NotRead,
        },
        Effect::FetchClient { lookup, .. } => Msg::ClientLoaded {
            req,
            lookup,
            answer: Answer {
                exchange,
                result: Err(error),
            },
        },
        _ => return None,
    })
}

#[cfg(test)]
#[path = "throttle_tests.rs"]
mod tests;
