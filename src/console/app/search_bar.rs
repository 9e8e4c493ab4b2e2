//! The `/` search bar: search as you type over the open tab's calls, Enter keeps the pattern,
//! and n / N walk the matches.

use crossterm::event::{KeyCode, KeyEvent};
use tui_input::Input;
use tui_input::backend::crossterm::EventHandler;

use super::{App, Bar};
use crate::console::keys::Action;
use crate::console::msg::Effect;
use crate::domain::search::Corpus;

impl App {
    pub(super) fn open_search_bar(&mut self) -> Vec<Effect> {
        self.set_bar(Bar::Search {
            input: Input::new(self.search.pattern().to_string()),
        });
        Vec::new()
    }

    pub(super) fn on_search_key(&mut self, key: KeyEvent, mut input: Input) -> Vec<Effect> {
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
                let corpus = Corpus::new(&self.store, &self.tabs[self.active].list, &self.people);
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
        let corpus = Corpus::new(&self.store, &self.tabs[self.active].list, &self.people);
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
}

#[cfg(test)]
#[path = "search_bar_tests.rs"]
mod tests;
