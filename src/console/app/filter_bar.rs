//! The `f` filter bar: status, direction, date and staff, applied to the open tab with Enter
//! and sent to the server; a bad value keeps the bar open and says why. The staff row picks
//! from the roster by name (the shared [`StaffPicker`]); its uid is what is sent.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use tui_input::Input;
use tui_input::backend::crossterm::EventHandler;

use super::staff_picker::StaffPicker;
use super::{App, Bar};
use crate::console::msg::Effect;
use crate::domain::people::People;
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
    /// Whose calls: picked from the roster by name, or a typed uid without one.
    pub staff: StaffPicker,
    /// Why Enter did not apply.
    pub error: Option<String>,
}

pub const DIRECTIONS: [&str; 3] = ["any", "INBOUND", "OUTBOUND"];
/// The rows a bad value sends the cursor back to.
const ROW_DATE: usize = 2;
pub const ROW_STAFF: usize = 3;

impl FilterBar {
    fn from_filter(f: &ViewFilter, people: &People) -> Self {
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
            staff: StaffPicker::filter(f.staff.as_deref(), people),
            error: None,
        }
    }

    /// The filter as typed, or the row that is wrong and why.
    fn parse(&mut self, people: &People) -> Result<ViewFilter, (usize, String)> {
        let date = match self.date.value().trim() {
            "" => None,
            text => Some(DateRange::parse(text).map_err(|e| (ROW_DATE, e))?),
        };
        let staff = self
            .staff
            .pick(people, "staff")
            .map_err(|e| (ROW_STAFF, e))?;
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
        let bar = FilterBar::from_filter(&self.tab().settings.filter, &self.people);
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
                return match bar.parse(&self.people) {
                    Ok(filter) => self.apply_filter(filter),
                    Err((row, e)) => {
                        bar.error = Some(e);
                        bar.focus = row;
                        self.set_bar(Bar::Filter(bar));
                        Vec::new()
                    }
                };
            }
            KeyCode::Char('x') if ctrl => {
                return self.apply_filter(ViewFilter::default());
            }
            // Tab on the staff row picks the highlighted name before moving on; a name that
            // matches no one stays, with why.
            KeyCode::Tab if bar.focus == ROW_STAFF => match bar.staff.pick(&self.people, "staff") {
                Ok(_) => {
                    bar.error = None;
                    bar.focus = 0;
                }
                Err(e) => bar.error = Some(e),
            },
            // While names are listed, ↑/↓ move among them.
            KeyCode::Up | KeyCode::Down
                if bar.focus == ROW_STAFF && bar.staff.listing(&self.people) =>
            {
                bar.staff.on_key(key, &self.people);
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
                    bar.staff.on_key(key, &self.people);
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
            format!("filter: {}", tab.settings.filter.describe(&self.people))
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
