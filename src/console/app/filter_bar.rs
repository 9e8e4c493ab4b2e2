//! The `f` filter bar: status, direction, date and staff, applied to the open tab with Enter
//! and sent to the server; a bad value keeps the bar open and says why.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use tui_input::Input;
use tui_input::backend::crossterm::EventHandler;

use super::{App, Bar};
use crate::console::msg::Effect;
use crate::domain::rules;
use crate::domain::views::{DateRange, ViewFilter};

/// Every status a filter can ask for, in the documents' order. Voicemail is one choice: the
/// query asks for both vendor spellings (`rules::spellings`).
pub const FILTER_STATUSES: [&str; 6] = [
    "MISSED",
    "VOICEMAIL_RECEIVED",
    "MISSED_CALL_HANDLED",
    "ANSWERED_BY_STAFF",
    "ANSWERED_BY_CALLS_PROVIDER",
    "INCOMING_CALL",
];

/// The filter being edited (`f`): four rows, applied with Enter.
#[derive(Debug, Clone)]
pub struct FilterBar {
    /// Which row has the keys: 0 status, 1 direction, 2 date, 3 staff.
    pub focus: usize,
    pub statuses: [bool; FILTER_STATUSES.len()],
    pub status_cursor: usize,
    /// 0 any, 1 INBOUND, 2 OUTBOUND.
    pub direction: usize,
    pub date: Input,
    pub staff: Input,
    /// Why Enter did not apply.
    pub error: Option<String>,
}

pub const DIRECTIONS: [&str; 3] = ["any", "INBOUND", "OUTBOUND"];

impl FilterBar {
    fn from_filter(f: &ViewFilter) -> Self {
        let mut statuses = [false; FILTER_STATUSES.len()];
        for (i, s) in FILTER_STATUSES.iter().enumerate() {
            statuses[i] = f
                .statuses
                .iter()
                .any(|x| rules::spellings(x).iter().any(|x| x == s));
        }
        Self {
            focus: 0,
            statuses,
            status_cursor: 0,
            direction: match f.direction.as_deref() {
                Some("INBOUND") => 1,
                Some("OUTBOUND") => 2,
                _ => 0,
            },
            date: Input::new(f.date.as_ref().map(ToString::to_string).unwrap_or_default()),
            staff: Input::new(f.staff.clone().unwrap_or_default()),
            error: None,
        }
    }

    /// The filter as typed, or what is wrong with it.
    fn parse(&self) -> Result<ViewFilter, String> {
        let date = match self.date.value().trim() {
            "" => None,
            text => Some(DateRange::parse(text)?),
        };
        let staff = match self.staff.value().trim() {
            "" => None,
            text => {
                rules::check_uid("staff", text)?;
                Some(text.to_string())
            }
        };
        Ok(ViewFilter {
            statuses: FILTER_STATUSES
                .iter()
                .zip(self.statuses)
                .filter(|(_, on)| *on)
                .map(|(s, _)| s.to_string())
                .collect(),
            direction: (self.direction > 0).then(|| DIRECTIONS[self.direction].to_string()),
            date,
            staff,
        })
    }
}

impl App {
    pub(super) fn open_filter_bar(&mut self) -> Vec<Effect> {
        let bar = FilterBar::from_filter(&self.tab().settings.filter);
        self.set_bar(Bar::Filter(bar));
        Vec::new()
    }

    pub(super) fn on_filter_key(&mut self, key: KeyEvent, mut bar: FilterBar) -> Vec<Effect> {
        let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
        match key.code {
            KeyCode::Esc => {
                self.info("filter unchanged");
                return Vec::new();
            }
            KeyCode::Enter => {
                return match bar.parse() {
                    Ok(filter) => self.apply_filter(filter),
                    Err(e) => {
                        bar.error = Some(e);
                        bar.focus = 2;
                        self.set_bar(Bar::Filter(bar));
                        Vec::new()
                    }
                };
            }
            KeyCode::Char('x') if ctrl => {
                return self.apply_filter(ViewFilter::default());
            }
            KeyCode::Tab | KeyCode::Down => bar.focus = (bar.focus + 1) % 4,
            KeyCode::BackTab | KeyCode::Up => bar.focus = (bar.focus + 3) % 4,
            _ => match bar.focus {
                0 => match key.code {
                    KeyCode::Left | KeyCode::Char('h') => {
                        bar.status_cursor =
                            (bar.status_cursor + FILTER_STATUSES.len() - 1) % FILTER_STATUSES.len()
                    }
                    KeyCode::Right | KeyCode::Char('l') => {
                        bar.status_cursor = (bar.status_cursor + 1) % FILTER_STATUSES.len()
                    }
                    KeyCode::Char(' ') => {
                        let on = &mut bar.statuses[bar.status_cursor];
                        *on = !*on;
                    }
                    _ => {}
                },
                1 => match key.code {
                    KeyCode::Left => bar.direction = (bar.direction + 2) % 3,
                    KeyCode::Right | KeyCode::Char(' ') => bar.direction = (bar.direction + 1) % 3,
                    _ => {}
                },
                2 => {
                    bar.date.handle_event(&crossterm::event::Event::Key(key));
                    bar.error = None;
                }
                _ => {
                    bar.staff.handle_event(&crossterm::event::Event::Key(key));
                    bar.error = None;
                }
            },
        }
        self.set_bar(Bar::Filter(bar));
        Vec::new()
    }

    fn apply_filter(&mut self, filter: ViewFilter) -> Vec<Effect> {
        let tab = &mut self.tabs[self.active];
        if tab.settings.filter == filter {
            self.info("filter unchanged");
            return Vec::new();
        }
        tab.settings.filter = filter;
        let said = if tab.settings.filter.is_empty() {
            "filter cleared".to_string()
        } else {
            format!("filter: {}", tab.settings.filter.describe())
        };
        self.info(said);
        let mut effects = vec![self.save_state()];
        effects.extend(self.load_tab_from_start());
        effects
    }
}

#[cfg(test)]
#[path = "filter_bar_tests.rs"]
mod tests;
