//! The questions asked over the screen (a waiting draft, whose name goes in "handled by", the
//! fill-in values, a bulk action's go-ahead) and where each answer leads.

use crossterm::event::{KeyCode, KeyEvent};
use tui_input::Input;

use super::App;
use super::staff_picker::StaffPicker;
use crate::console::msg::Effect;
use crate::domain::fields::FieldId;

/// A question shown over the screen.
#[derive(Debug, Clone)]
pub enum Prompt {
    /// A draft of this call is waiting: restore or discard it.
    Draft { uid: String },
    /// Whose name goes in "handled by": asked once when `staff_uid` is not configured (and
    /// the API did not say who the token belongs to). With the roster known, typing filters
    /// it by name and Enter picks the highlighted one; without it, a uid is typed.
    StaffUid { picker: StaffPicker },
    /// Values for fields the API does not send back, asked once per session before a bulk
    /// "handled" (or set under `[defaults]` in the config).
    FillIn {
        fields: Vec<FieldId>,
        inputs: Vec<Input>,
        focus: usize,
        error: Option<String>,
        /// The calls the values will be used for (number and time), so nobody types one
        /// value believing it goes to other calls.
        applies_to: Vec<String>,
    },
    /// A bulk action on many calls: go ahead?
    ConfirmBatch { batch: Box<super::Batch> },
    /// Mark the calls that look returned handled (`returned.rs`)?
    ConfirmReturned { uids: Vec<String> },
    /// Quit although these edits could not be saved as drafts (they are printed after)?
    QuitUnsaved { edits: usize, why: String },
    /// How did the call-back go (`c`)? Reached, left voicemail or no answer, and a note.
    Outcome(Box<super::OutcomeAsk>),
}

impl App {
    pub(super) fn on_prompt_key(&mut self, key: KeyEvent) -> Vec<Effect> {
        match self.take_prompt() {
            Some(Prompt::Draft { uid }) => match key.code {
                KeyCode::Char('r') | KeyCode::Enter => self.restore_draft(&uid),
                KeyCode::Char('d') => {
                    self.drafts.by_uid.remove(&uid);
                    let words = self.call_words(&uid);
                    self.info(format!("draft for {words} discarded"));
                    vec![Effect::DeleteDraft { uid }]
                }
                KeyCode::Esc => Vec::new(),
                _ => {
                    self.ask(Prompt::Draft { uid });
                    Vec::new()
                }
            },
            Some(Prompt::StaffUid { mut picker }) => {
                match key.code {
                    KeyCode::Esc => return Vec::new(),
                    KeyCode::Enter => return self.pick_staff(picker),
                    // Tab goes down the list, as in any list of choices.
                    KeyCode::Tab => {
                        picker.on_key(KeyEvent::from(KeyCode::Down), &self.people);
                    }
                    KeyCode::BackTab => {
                        picker.on_key(KeyEvent::from(KeyCode::Up), &self.people);
                    }
                    _ => {
                        picker.on_key(key, &self.people);
                    }
                }
                self.ask(Prompt::StaffUid { picker });
                Vec::new()
            }
            Some(Prompt::FillIn {
                fields,
                inputs,
                focus,
                applies_to,
                ..
            }) => self.on_fill_in_key(key, fields, inputs, focus, applies_to),
            Some(Prompt::QuitUnsaved { edits, why }) => match key.code {
                KeyCode::Char('y') | KeyCode::Enter => {
                    self.quit.unsaved_ok = true;
                    self.request_quit()
                }
                KeyCode::Char('n') | KeyCode::Esc => {
                    self.info("not quitting; the edit is still here");
                    Vec::new()
                }
                _ => {
                    self.ask(Prompt::QuitUnsaved { edits, why });
                    Vec::new()
                }
            },
            Some(Prompt::ConfirmBatch { batch }) => match key.code {
                KeyCode::Char('y') | KeyCode::Enter => self.start_batch(*batch),
                KeyCode::Char('n') | KeyCode::Esc => {
                    self.warn("nothing sent");
                    Vec::new()
                }
                _ => {
                    self.ask(Prompt::ConfirmBatch { batch });
                    Vec::new()
                }
            },
            Some(Prompt::Outcome(ask)) => self.on_outcome_key(key, ask),
            Some(Prompt::ConfirmReturned { uids }) => self.on_confirm_returned_key(key, uids),
            None => Vec::new(),
        }
    }
}

impl App {
    /// Enter in "Who is handling it?": the highlighted member of staff when the roster is
    /// known (a name that matches no one is refused: free text never becomes a handler),
    /// else a typed uid of the right shape.
    fn pick_staff(&mut self, mut picker: StaffPicker) -> Vec<Effect> {
        match picker.pick(&self.people, "your staff uid") {
            Ok(Some(uid)) => {
                self.session.config.staff_uid = Some(uid);
                self.info("add staff_uid to config.toml to skip this question");
                self.mark_handled()
            }
            Ok(None) => Vec::new(),
            Err(message) => {
                self.error(message);
                self.ask(Prompt::StaffUid { picker });
                Vec::new()
            }
        }
    }
}

#[cfg(test)]
#[path = "prompts_tests.rs"]
mod tests;

#[cfg(test)]
#[path = "dialogs_tests.rs"]
mod dialogs_tests;
