//! Sorting the open tab: the sort picker (`s`) chooses the column, `S` reverses it; either
//! saves the choice and reloads the tab from its first page.

use crossterm::event::{KeyCode, KeyEvent};

use super::{App, Overlay};
use crate::console::msg::Effect;
use crate::domain::views::SortColumn;

impl App {
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

#[cfg(test)]
#[path = "sort_tests.rs"]
mod tests;
