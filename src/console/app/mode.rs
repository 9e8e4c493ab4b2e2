//! What takes the keys and is drawn on top, as one enum: two modes can never be half-open at
//! once, and keys always go to what is drawn on top. A prompt is asked over another mode and
//! gives it back when answered, like gitui's popup stack with one level.

use tui_input::Input;

use super::{App, FilterBar, Prompt};
use crate::console::form::Form;

/// What is drawn over the main screen.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Overlay {
    None,
    /// The keys in force, `scroll` rows down from the first.
    Help {
        scroll: usize,
    },
    /// The request log, scrolled `scroll` requests back from the newest.
    Log {
        scroll: usize,
    },
    /// Counts per status for today / 7 / 30 days.
    Stats,
    /// The calls a bulk action could not change.
    Failures,
    /// Choosing the sort column; `index` into `SortColumn::ALL`.
    SortPicker {
        index: usize,
    },
}

/// The console's mode.
#[derive(Debug, Clone, Default)]
pub enum Mode {
    /// The list (and the detail pane): the key map applies.
    #[default]
    Browse,
    /// A bar at the bottom takes the keys: search or filter.
    Bar(Bar),
    /// A window over the list (help, request log, stats, failures, sort picker); never
    /// `Overlay::None`.
    Overlay(Overlay),
    /// The edit form, in place of the list.
    Form(Box<Form>),
    /// A question over `under`, which is back once it is answered.
    Prompt { prompt: Prompt, under: Box<Mode> },
}

/// A bar at the bottom that takes the keys.
#[derive(Debug, Clone)]
pub enum Bar {
    /// `/`: the pattern as typed; matching runs on every change.
    Search {
        input: Input,
    },
    Filter(FilterBar),
}

impl Mode {
    /// The mode under any prompt.
    fn base(&self) -> &Mode {
        match self {
            Mode::Prompt { under, .. } => under.base(),
            other => other,
        }
    }

    fn base_mut(&mut self) -> &mut Mode {
        match self {
            Mode::Prompt { under, .. } => under.base_mut(),
            other => other,
        }
    }
}

impl App {
    pub fn mode(&self) -> &Mode {
        &self.mode
    }

    /// The open form, also while a prompt is asked over it.
    pub fn form(&self) -> Option<&Form> {
        match self.mode.base() {
            Mode::Form(form) => Some(form),
            _ => None,
        }
    }

    pub(super) fn form_mut(&mut self) -> Option<&mut Form> {
        match self.mode.base_mut() {
            Mode::Form(form) => Some(form),
            _ => None,
        }
    }

    /// Opens `form` in place of the list (under a prompt, if one is asked).
    pub(super) fn set_form(&mut self, mut form: Form) {
        form.send_only_changes(self.session.config.update_fields == super::UpdateFields::Changed);
        *self.mode.base_mut() = Mode::Form(Box::new(form));
    }

    /// Closes the form, giving it back.
    pub(super) fn take_form(&mut self) -> Option<Form> {
        let base = self.mode.base_mut();
        match std::mem::take(base) {
            Mode::Form(form) => Some(*form),
            other => {
                *base = other;
                None
            }
        }
    }

    /// The question asked over everything else.
    pub fn prompt(&self) -> Option<&Prompt> {
        match &self.mode {
            Mode::Prompt { prompt, .. } => Some(prompt),
            _ => None,
        }
    }

    /// Asks `prompt` over whatever is open now.
    pub(super) fn ask(&mut self, prompt: Prompt) {
        let under = std::mem::take(&mut self.mode);
        self.mode = Mode::Prompt {
            prompt,
            under: Box::new(under),
        };
    }

    /// Takes the question down, giving back the mode under it.
    pub(super) fn take_prompt(&mut self) -> Option<Prompt> {
        match std::mem::take(&mut self.mode) {
            Mode::Prompt { prompt, under } => {
                self.mode = *under;
                Some(prompt)
            }
            other => {
                self.mode = other;
                None
            }
        }
    }

    /// The search or filter bar taking the keys.
    pub fn bar(&self) -> Option<&Bar> {
        match &self.mode {
            Mode::Bar(bar) => Some(bar),
            _ => None,
        }
    }

    pub(super) fn bar_mut(&mut self) -> Option<&mut Bar> {
        match &mut self.mode {
            Mode::Bar(bar) => Some(bar),
            _ => None,
        }
    }

    pub(super) fn set_bar(&mut self, bar: Bar) {
        self.mode = Mode::Bar(bar);
    }

    pub(super) fn take_bar(&mut self) -> Option<Bar> {
        match std::mem::take(&mut self.mode) {
            Mode::Bar(bar) => Some(bar),
            other => {
                self.mode = other;
                None
            }
        }
    }

    /// The window over the list, `Overlay::None` when there is none.
    pub fn overlay(&self) -> Overlay {
        match &self.mode {
            Mode::Overlay(overlay) => *overlay,
            _ => Overlay::None,
        }
    }

    /// Opens (or, with `Overlay::None`, closes) a window over the list. Only from the list
    /// itself: over a form, a bar or a prompt that takes the keys it would be drawn where the
    /// keys do not go, so it is not opened and `false` says so.
    pub(super) fn set_overlay(&mut self, overlay: Overlay) -> bool {
        match (&self.mode, overlay) {
            (Mode::Browse | Mode::Overlay(_), Overlay::None) => {
                self.mode = Mode::Browse;
                true
            }
            (Mode::Browse | Mode::Overlay(_), overlay) => {
                self.mode = Mode::Overlay(overlay);
                true
            }
            _ => false,
        }
    }
}

#[cfg(test)]
#[path = "mode_tests.rs"]
mod tests;
