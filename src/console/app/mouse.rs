//! What clicks and the wheel do, once the view has found what they landed on (`ui::hit`): a
//! tab, a call on the list, a field of the form. Still no I/O.

use super::App;
use crate::console::msg::{Effect, Target, Wheel};

/// How many rows one notch of the mouse wheel scrolls the list.
const WHEEL_ROWS: isize = 3;

impl App {
    /// Clicks and the wheel reach the list or the form, never what is drawn over them (a
    /// prompt, a bar, an overlay), and nothing at all with `mouse = false`.
    fn takes_mouse(&self) -> bool {
        self.session.config.mouse && matches!(self.mode, super::Mode::Browse | super::Mode::Form(_))
    }

    /// A click the view placed (`ui::hit`): a tab or a call on the list, a field in the form.
    pub(super) fn on_click(&mut self, target: Target) -> Vec<Effect> {
        if !self.takes_mouse() {
            return Vec::new();
        }
        if let Some(form) = self.form_mut() {
            // The form covers the list, and the tabs do not switch under it.
            if let Target::Field(field) = target {
                form.set_focus(field);
            }
            return Vec::new();
        }
        match target {
            Target::Tab(index) => self.switch_tab(index),
            Target::Row(index) if index < self.row_count() => self.go_to_row(index),
            Target::Row(_) | Target::Field(_) => Vec::new(),
        }
    }

    /// The wheel scrolls the list (the cursor is dragged along) or moves between form fields.
    pub(super) fn on_wheel(&mut self, wheel: Wheel) -> Vec<Effect> {
        use crate::domain::fields::FieldId;
        if !self.takes_mouse() {
            return Vec::new();
        }
        let down = wheel == Wheel::Down;
        if let Some(form) = self.form_mut() {
            let focus = form.focus().index();
            let next = if down {
                (focus + 1).min(FieldId::ALL.len() - 1)
            } else {
                focus.saturating_sub(1)
            };
            form.set_focus(FieldId::ALL[next]);
            return Vec::new();
        }
        let rows = self.rows();
        let before = self.list().selected_index();
        let delta = if down { WHEEL_ROWS } else { -WHEEL_ROWS };
        if !self.on_rows(|g, list, rows| g.scroll_by(delta, list, rows)) {
            self.list_mut().scroll_by(delta, rows);
        }
        self.after_move(before)
    }
}

#[cfg(test)]
#[path = "mouse_tests.rs"]
mod tests;
