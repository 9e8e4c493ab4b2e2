//! The bars that take the keys: `/` search as you type (n / N walk the matches) and the `f`
//! filter (status, direction, date, staff), applied to the open tab and sent to the server.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use tui_input::Input;
use tui_input::backend::crossterm::EventHandler;

use super::App;
use crate::console::keys::Action;
use crate::console::msg::Effect;
use crate::domain::rules;
use crate::domain::search::Corpus;
use crate::domain::views::{DateRange, ViewFilter};

/// A bar at the bottom that takes the keys.
#[derive(Debug, Clone)]
pub enum Bar {
    /// `/`: the pattern as typed; matching runs on every change.
    Search {
        input: Input,
    },
    Filter(FilterBar),
}

/// Every status a filter can ask for, in the documents' order.
pub const FILTER_STATUSES: [&str; 7] = [
    "MISSED",
    "VOICEMAIL_RECEIVED",
    rules::VOICEMAIL_ALT,
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
            statuses[i] = f.statuses.iter().any(|x| x == s);
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
    // ---- the bars ----

    pub(super) fn open_filter_bar(&mut self) -> Vec<Effect> {
        let bar = FilterBar::from_filter(&self.tab().settings.filter);
        self.set_bar(Bar::Filter(bar));
        Vec::new()
    }

    pub(super) fn open_search_bar(&mut self) -> Vec<Effect> {
        self.set_bar(Bar::Search {
            input: Input::new(self.search.pattern().to_string()),
        });
        Vec::new()
    }

    pub(super) fn on_bar_key(&mut self, key: KeyEvent) -> Vec<Effect> {
        match self.take_bar() {
            Some(Bar::Search { input }) => self.on_search_key(key, input),
            Some(Bar::Filter(bar)) => self.on_filter_key(key, bar),
            None => Vec::new(),
        }
    }

    fn on_search_key(&mut self, key: KeyEvent, mut input: Input) -> Vec<Effect> {
        match key.code {
            KeyCode::Esc => {
                self.search.clear();
                self.clear_notice();
                Vec::new()
            }
            KeyCode::Enter => {
                // The pattern stays: n / N walk the matches.
                if !self.search.pattern().is_empty() {
                    self.info(self.match_summary());
                }
                Vec::new()
            }
            _ => {
                let before = input.value().to_string();
                input.handle_event(&crossterm::event::Event::Key(key));
                let pattern = input.value().to_string();
                self.set_bar(Bar::Search { input });
                if pattern == before {
                    return Vec::new();
                }
                let corpus = Corpus::new(&self.store, &self.tabs[self.active].list);
                self.search.set_pattern(&pattern, corpus);
                match self.search.matches().first().map(|m| m.index) {
                    Some(index) => self.go_to(index),
                    None => Vec::new(),
                }
            }
        }
    }

    pub(super) fn on_search_paste(&mut self, text: &str) -> Vec<Effect> {
        let Some(Bar::Search { input }) = self.bar_mut() else {
            return Vec::new();
        };
        let line = crate::domain::sanitize::single_line(text);
        let value = format!("{}{}", input.value(), line);
        *input = Input::new(value.clone());
        let corpus = Corpus::new(&self.store, &self.tabs[self.active].list);
        self.search.set_pattern(&value, corpus);
        match self.search.matches().first().map(|m| m.index) {
            Some(index) => self.go_to(index),
            None => Vec::new(),
        }
    }

    fn match_summary(&self) -> String {
        let n = self.search.matches().len();
        let pattern = self.search.pattern();
        match n {
            0 => format!("no loaded call matches \"{pattern}\""),
            1 => format!("1 call matches \"{pattern}\""),
            n => format!(
                "{n} calls match \"{pattern}\" — {} next, {} previous, best first",
                self.hint(Action::SearchNext),
                self.hint(Action::SearchPrev)
            ),
        }
    }

    pub(super) fn jump_to_match(&mut self, forward: bool) -> Vec<Effect> {
        if self.search.pattern().is_empty() {
            self.warn("no search: / starts one");
            return Vec::new();
        }
        let from = self.list().selected_index();
        let target = if forward {
            self.search.next(from)
        } else {
            self.search.prev(from)
        };
        match target {
            Some(index) => {
                let position = self
                    .search
                    .matches()
                    .iter()
                    .position(|m| m.index == index)
                    .map_or(0, |p| p + 1);
                self.info(format!(
                    "match {position} of {} for \"{}\"",
                    self.search.matches().len(),
                    self.search.pattern()
                ));
                self.go_to(index)
            }
            None => {
                self.info(self.match_summary());
                Vec::new()
            }
        }
    }

    /// Puts the cursor on row `index` of the open tab.
    pub(super) fn go_to(&mut self, index: usize) -> Vec<Effect> {
        let rows = self.rows();
        let before = self.list().selected_index();
        self.list_mut().select(index, rows);
        self.after_move(before)
    }

    fn on_filter_key(&mut self, key: KeyEvent, mut bar: FilterBar) -> Vec<Effect> {
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
