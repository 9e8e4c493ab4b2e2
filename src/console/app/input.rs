//! Where a key goes: to what is drawn on top (a prompt, the form, a bar, an overlay), else
//! through the key map to an action; Esc backs out one step; moving the cursor and what
//! follows a move. Still no I/O.

use crossterm::event::{KeyCode, KeyEvent, KeyEventKind, KeyModifiers};

use super::{App, Bar, Mode, Overlay};
use crate::api::CallFields;
use crate::console::keys::Action;
use crate::console::msg::Effect;
use crate::domain::views::SortColumn;

impl App {
    pub(super) fn on_key(&mut self, key: KeyEvent) -> Vec<Effect> {
        if key.kind == KeyEventKind::Release {
            return Vec::new();
        }
        let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
        if ctrl && key.code == KeyCode::Char('c') {
            return self.quit_saving_draft(false);
        }
        if ctrl && key.code == KeyCode::Char('z') {
            return vec![Effect::Suspend];
        }
        if self.session.crash_key && key.code == KeyCode::F(12) {
            panic!("crash test: F12 pressed with CALLCONSOLE_CRASH_TEST=1");
        }
        // Keys go to what is drawn on top, and only to it.
        let overlay = match &self.mode {
            Mode::Prompt { .. } => return self.on_prompt_key(key),
            Mode::Form(_) => return self.on_form_key(key),
            Mode::Bar(_) => return self.on_bar_key(key),
            Mode::Overlay(overlay) => *overlay,
            Mode::Browse => Overlay::None,
        };
        match overlay {
            Overlay::None => {}
            Overlay::Help { scroll } => return self.on_help_key(key, scroll),
            Overlay::Log { scroll } => return self.on_log_key(key, scroll),
            Overlay::Stats => {
                self.set_overlay(Overlay::None);
                if self.session.config.keys.action(&key) == Some(Action::Quit) {
                    return self.request_quit();
                }
                return Vec::new();
            }
            Overlay::Failures => return self.on_failures_key(key),
            Overlay::SortPicker { index } => return self.on_sort_key(key, index),
        }
        if key.code == KeyCode::Esc {
            return self.on_escape();
        }
        match self.session.config.keys.action(&key) {
            Some(action) => self.on_action(action),
            None => Vec::new(),
        }
    }

    /// `?`: j/k, PgUp/PgDn, g/G scroll the keys when they do not fit; any other key closes
    /// (q still quits). It stops where the last page is full: the box holds two lines more
    /// than the list has rows (`ui::help` draws it so).
    fn on_help_key(&mut self, key: KeyEvent, scroll: usize) -> Vec<Effect> {
        let height = self.rows() + 2;
        let page = height.saturating_sub(1).max(1);
        let max = self.session.config.keys.help_len().saturating_sub(height);
        let scroll = match key.code {
            KeyCode::Char('j') | KeyCode::Down => scroll.saturating_add(1).min(max),
            KeyCode::Char('k') | KeyCode::Up => scroll.saturating_sub(1),
            KeyCode::PageDown => scroll.saturating_add(page).min(max),
            KeyCode::PageUp => scroll.saturating_sub(page),
            KeyCode::Char('g') | KeyCode::Home => 0,
            KeyCode::Char('G') | KeyCode::End => max,
            _ => {
                self.set_overlay(Overlay::None);
                if self.session.config.keys.action(&key) == Some(Action::Quit) {
                    return self.request_quit();
                }
                return Vec::new();
            }
        };
        self.set_overlay(Overlay::Help { scroll });
        Vec::new()
    }

    fn on_action(&mut self, action: Action) -> Vec<Effect> {
        let rows = self.rows();
        let page = rows.saturating_sub(1).max(1) as isize;
        match action {
            Action::Quit => self.request_quit(),
            Action::Help => {
                self.set_overlay(Overlay::Help { scroll: 0 });
                Vec::new()
            }
            Action::Down => self.move_by(1),
            Action::Up => self.move_by(-1),
            Action::PageDown => self.move_by(page),
            Action::PageUp => self.move_by(-page),
            Action::Top => self.move_by(isize::MIN / 2),
            Action::Bottom => self.go_to_end(),
            // Enter on a caller's row lists their calls under it (or folds them again).
            Action::ToggleDetail if self.toggle_group() => Vec::new(),
            Action::ToggleDetail => {
                self.detail.open = !self.detail.open;
                self.detail.scroll = 0;
                let rows = self.rows();
                self.list_mut().scroll_into_view(rows);
                self.fetch_detail_if_shown()
            }
            Action::DetailDown if self.detail.open => {
                self.detail.scroll = self.detail.scroll.saturating_add(1);
                Vec::new()
            }
            Action::DetailUp if self.detail.open => {
                self.detail.scroll = self.detail.scroll.saturating_sub(1);
                Vec::new()
            }
            Action::DetailDown | Action::DetailUp => Vec::new(),
            Action::Refresh => {
                let mut effects = self.refresh();
                effects.extend(self.refresh_names());
                effects.extend(self.refresh_panels());
                effects
            }
            Action::Edit => self.open_form_for_selected(),
            Action::Handled => self.mark_handled(),
            Action::Undo => self.undo_last(),
            Action::Filter => self.open_filter_bar(),
            Action::Search => self.open_search_bar(),
            Action::SearchNext => self.jump_to_match(true),
            Action::SearchPrev => self.jump_to_match(false),
            Action::Sort => {
                let current = self.tab().settings.sort.column;
                let index = SortColumn::ALL
                    .iter()
                    .position(|c| *c == current)
                    .unwrap_or(0);
                self.set_overlay(Overlay::SortPicker { index });
                Vec::new()
            }
            Action::SortReverse => self.reverse_sort(),
            Action::ToggleSelect => self.toggle_select(),
            Action::SelectAll => self.select_all(),
            Action::NextTab => self.switch_tab((self.active + 1) % self.tabs.len()),
            Action::PrevTab => {
                self.switch_tab((self.active + self.tabs.len() - 1) % self.tabs.len())
            }
            Action::Tab1 => self.switch_tab(0),
            Action::Tab2 => self.switch_tab(1),
            Action::Tab3 => self.switch_tab(2),
            Action::Tab4 => self.switch_tab(3),
            Action::Tab5 => self.switch_tab(4),
            Action::Tab6 => self.switch_tab(5),
            Action::OpenUrl => self.open_external(false),
            Action::OpenRecording => {
                let mut effects = self.open_external(true);
                if effects.iter().any(|e| matches!(e, Effect::OpenUrl { .. })) {
                    effects.extend(self.mark_played_on_open());
                }
                effects
            }
            Action::CopyNumber => self.copy_number(),
            Action::CallBack => self.call_back(),
            Action::RequestLog => {
                self.set_overlay(Overlay::Log { scroll: 0 });
                Vec::new()
            }
            Action::Stats => self.open_stats_view(),
            Action::AcceptReturned => self.accept_returned(),
            Action::GroupByCaller => self.toggle_grouping(),
        }
    }

    /// Esc backs out one step: a load that waits (see [`App::stop_loads`]), then the detail
    /// pane, then the selection, then the notice.
    fn on_escape(&mut self) -> Vec<Effect> {
        if self.stop_loads() {
            return Vec::new();
        }
        if self.detail.open {
            self.detail.open = false;
        } else if !self.tabs[self.active].selected.is_empty() {
            let tab = &mut self.tabs[self.active];
            // Let the memory go too: `V` over 100 000 calls left about 1 MB behind a clear.
            tab.selected = Default::default();
            tab.selecting_all = false;
            self.info("selection cleared");
            return Vec::new();
        } else if !self.search.pattern().is_empty() {
            self.search.clear();
        }
        self.clear_notice();
        let rows = self.rows();
        self.list_mut().scroll_into_view(rows);
        Vec::new()
    }

    pub(super) fn move_by(&mut self, delta: isize) -> Vec<Effect> {
        let rows = self.rows();
        let before = self.list().selected_index();
        if !self.on_rows(|g, list, rows| g.move_by(delta, list, rows)) {
            self.list_mut().move_by(delta, rows);
        }
        self.after_move(before)
    }

    /// After the cursor moved: the new row counts as seen, the detail pane follows it, and
    /// the next page is asked for near the end.
    pub(super) fn after_move(&mut self, before: usize) -> Vec<Effect> {
        let mut effects = Vec::new();
        if self.list().selected_index() != before {
            self.detail.scroll = 0;
            effects.extend(self.fetch_detail_if_shown());
        }
        if let Some(uid) = self
            .list()
            .selected()
            .and_then(|c| c.uid().map(str::to_string))
        {
            self.tabs[self.active].new_uids.remove(&uid);
        }
        effects.extend(self.fetch_more_if_near_end());
        effects
    }

    pub(super) fn on_bar_key(&mut self, key: KeyEvent) -> Vec<Effect> {
        match self.take_bar() {
            Some(Bar::Search { input }) => self.on_search_key(key, input),
            Some(Bar::Filter(bar)) => self.on_filter_key(key, bar),
            None => Vec::new(),
        }
    }

    /// Puts the cursor on the call at list position `index` of the open tab (in a tab grouped
    /// by caller, its group is expanded when the call is folded in it).
    pub(super) fn go_to(&mut self, index: usize) -> Vec<Effect> {
        let rows = self.rows();
        let before = self.list().selected_index();
        if !self.on_rows(|g, list, rows| g.reveal(index, list, rows)) {
            self.list_mut().select(index, rows);
        }
        self.after_move(before)
    }

    /// Puts the cursor on screen row `index` (a click): a call, or a caller's row.
    pub(super) fn go_to_row(&mut self, index: usize) -> Vec<Effect> {
        let before = self.list().selected_index();
        if !self.on_rows(|g, list, rows| g.select(index, list, rows)) {
            let rows = self.rows();
            self.list_mut().select(index, rows);
        }
        self.after_move(before)
    }

    /// The key bound to `action`, for a notice that names it.
    pub(super) fn hint(&self, action: Action) -> String {
        self.session.config.keys.hint(action)
    }
}

#[cfg(test)]
#[path = "input_tests.rs"]
mod tests;
