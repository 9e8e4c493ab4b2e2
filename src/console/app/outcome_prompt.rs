//! The outcome question's keys, asked right after `c`: `r` reached, `v` left voicemail, `n` no
//! answer, then an optional one-line note; Enter records, Esc is "later" (the call-back stays
//! pending and `c` on that caller offers it again). Tab moves between the choice and the note.

use crossterm::event::{Event, KeyCode, KeyEvent};
use tui_input::backend::crossterm::EventHandler;

use super::callback::OutcomeAsk;
use super::{App, Prompt};
use crate::console::keys::Action;
use crate::console::msg::Effect;
use crate::domain::callback::Outcome;

/// The outcome a key chooses, while the choice has the keys.
pub fn outcome_key(code: KeyCode) -> Option<Outcome> {
    match code {
        KeyCode::Char('r') => Some(Outcome::Reached),
        KeyCode::Char('v') => Some(Outcome::Voicemail),
        KeyCode::Char('n') => Some(Outcome::NoAnswer),
        _ => None,
    }
}

impl App {
    pub(super) fn on_outcome_key(
        &mut self,
        key: KeyEvent,
        mut ask: Box<OutcomeAsk>,
    ) -> Vec<Effect> {
        match key.code {
            KeyCode::Esc => {
                self.info(format!(
                    "the call-back to {} waits to be recorded: {} on their call",
                    ask.who,
                    self.hint(Action::CallBack)
                ));
                return Vec::new();
            }
            KeyCode::Enter => {
                let Some(outcome) = ask.choice else {
                    ask.error = Some("choose how it went first: r, v or n".to_string());
                    self.ask(Prompt::Outcome(ask));
                    return Vec::new();
                };
                let note = Some(ask.note.value().trim().to_string()).filter(|n| !n.is_empty());
                match self.record_call_back(&ask.number, outcome, note) {
                    Ok(effects) => return effects,
                    Err(message) => ask.error = Some(message),
                }
            }
            KeyCode::Tab | KeyCode::BackTab | KeyCode::Up | KeyCode::Down => {
                ask.in_note = !ask.in_note;
            }
            code if !ask.in_note => match outcome_key(code) {
                Some(outcome) => {
                    ask.choice = Some(outcome);
                    ask.in_note = true;
                    ask.error = None;
                }
                None => {
                    ask.error = Some("r reached, v left voicemail, n no answer".to_string());
                }
            },
            _ => {
                ask.note.handle_event(&Event::Key(key));
            }
        }
        self.ask(Prompt::Outcome(ask));
        Vec::new()
    }

    /// Pasted text in the outcome question goes to its note, on one line.
    pub(super) fn paste_into_outcome(&mut self, text: &str) -> Vec<Effect> {
        if let Some(Prompt::Outcome(mut ask)) = self.take_prompt() {
            let line = crate::domain::sanitize::single_line(text);
            let value = format!("{}{line}", ask.note.value());
            ask.note = tui_input::Input::new(value);
            ask.in_note = true;
            self.ask(Prompt::Outcome(ask));
        }
        Vec::new()
    }
}
