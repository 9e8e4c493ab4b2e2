//! The fill-in prompt's keys: values for the fields the API never sends back, asked once per
//! session before a bulk "handled" and kept in the session's defaults.

use crossterm::event::{KeyCode, KeyEvent};
use tui_input::Input;
use tui_input::backend::crossterm::EventHandler;

use super::{App, Prompt};
use crate::console::msg::Effect;
use crate::domain::fields::{self, FieldId};

impl App {
    /// The fill-in prompt: values for fields the server did not send, kept for the session.
    pub(super) fn on_fill_in_key(
        &mut self,
        key: KeyEvent,
        fields_: Vec<FieldId>,
        mut inputs: Vec<Input>,
        focus: usize,
        applies_to: Vec<String>,
    ) -> Vec<Effect> {
        let n = fields_.len().max(1);
        let mut focus = focus.min(n - 1);
        match key.code {
            KeyCode::Esc => {
                self.warn("not sent");
                return Vec::new();
            }
            KeyCode::Tab | KeyCode::Down => focus = (focus + 1) % n,
            KeyCode::BackTab | KeyCode::Up => focus = (focus + n - 1) % n,
            KeyCode::Enter => {
                for (i, f) in fields_.iter().enumerate() {
                    let value = inputs[i].value().trim().to_string();
                    if let Some(message) = fields::check(*f, &value) {
                        self.ask(Prompt::FillIn {
                            fields: fields_,
                            inputs,
                            focus: i,
                            error: Some(message),
                            applies_to,
                        });
                        return Vec::new();
                    }
                }
                for (i, f) in fields_.iter().enumerate() {
                    self.session
                        .config
                        .defaults
                        .set(*f, inputs[i].value().trim().to_string());
                }
                return self.mark_handled();
            }
            _ => {
                if let Some(input) = inputs.get_mut(focus) {
                    input.handle_event(&crossterm::event::Event::Key(key));
                }
            }
        }
        self.ask(Prompt::FillIn {
            fields: fields_,
            inputs,
            focus,
            error: None,
            applies_to,
        });
        Vec::new()
    }
}

#[cfg(test)]
#[path = "fill_in_tests.rs"]
mod tests;
