//! Every request, as sent and answered: kept in the request log (`L`, scrolled by its keys)
//! and, when the user should see it, as the last request in the status bar.

use chrono::{DateTime, Utc};
use crossterm::event::{KeyCode, KeyEvent};

use super::{App, Overlay};
use crate::api::{ApiError, Exchange};
use crate::console::keys::Action;
use crate::console::msg::Effect;

/// The last request and how it ended, for the status bar.
#[derive(Debug, Clone)]
pub struct LastRequest {
    pub exchange: Exchange,
    pub error: Option<ApiError>,
}

/// One line of the request log (`L`).
#[derive(Debug, Clone)]
pub struct LogEntry {
    pub at: DateTime<Utc>,
    pub exchange: Exchange,
    pub error: Option<String>,
}

/// Requests kept in the log; older ones drop off.
pub const LOG_CAP: usize = 2000;

/// The last request (for the status bar) and the log of every request (`L`).
#[derive(Debug, Clone, Default)]
pub(super) struct RequestLog {
    pub(super) last: Option<LastRequest>,
    pub(super) entries: std::collections::VecDeque<LogEntry>,
}

/// How far back the log scrolls, in requests from the newest: to the oldest one. Long
/// requests wrap onto several lines, which only the view can count, so the view keeps the
/// window full at the oldest end (it draws from the first request down) rather than this
/// stopping short and leaving the first requests out of reach.
pub fn log_scroll_max(entries: usize) -> usize {
    entries.saturating_sub(1)
}

impl App {
    pub(super) fn on_log_key(&mut self, key: KeyEvent, scroll: usize) -> Vec<Effect> {
        let page = self.rows().saturating_sub(2).max(1);
        let max = log_scroll_max(self.log.entries.len());
        let scroll = match key.code {
            KeyCode::Char('k') | KeyCode::Up => scroll.saturating_add(1).min(max),
            KeyCode::Char('j') | KeyCode::Down => scroll.saturating_sub(1),
            KeyCode::PageUp => scroll.saturating_add(page).min(max),
            KeyCode::PageDown => scroll.saturating_sub(page),
            KeyCode::Char('g') | KeyCode::Home => max,
            KeyCode::Char('G') | KeyCode::End => 0,
            _ => {
                self.set_overlay(Overlay::None);
                if self.session.config.keys.action(&key) == Some(Action::Quit) {
                    return self.request_quit();
                }
                return Vec::new();
            }
        };
        self.set_overlay(Overlay::Log { scroll });
        Vec::new()
    }

    /// A request the user did not ask for (counts, a timed refresh): logged, and shown in the
    /// status bar only when it failed, so it never hides the answer to the user's own action —
    /// or when it succeeded where the failure on show happened, since that problem is over.
    pub(super) fn record_background(&mut self, exchange: Exchange, error: Option<ApiError>) {
        let clears = |last: &LastRequest| {
            let endpoint = |e: &Exchange| {
                (
                    e.method.clone(),
                    e.path.split('?').next().map(str::to_owned),
                )
            };
            last.error.is_some() && endpoint(&last.exchange) == endpoint(&exchange)
        };
        if error.is_some() || self.log.last.as_ref().is_some_and(clears) {
            return self.record(exchange, error);
        }
        self.log_only(&exchange, None);
    }

    /// A reply to a request that is no longer current (or never was ours): it was sent, so it
    /// is logged, and nothing else happens.
    pub(super) fn stale(&mut self, exchange: &Exchange, error: Option<&ApiError>) -> Vec<Effect> {
        self.log_only(exchange, error);
        Vec::new()
    }

    pub(super) fn log_only(&mut self, exchange: &Exchange, error: Option<&ApiError>) {
        if self.log.entries.len() >= LOG_CAP {
            self.log.entries.pop_front();
        }
        self.log.entries.push_back(LogEntry {
            at: self.clock.now,
            exchange: exchange.clone(),
            error: error.map(ToString::to_string),
        });
    }

    /// Remembers a request for the status bar and the request log.
    pub(super) fn record(&mut self, exchange: Exchange, error: Option<ApiError>) {
        self.log_only(&exchange, error.as_ref());
        self.log.last = Some(LastRequest { exchange, error });
    }
}

#[cfg(test)]
#[path = "request_log_tests.rs"]
mod tests;
