//! Quitting without dropping a write: `q` while a save or a bulk action is out waits for the
//! writes already sent to answer (saying so, and a second `q` abandons them), stops a bulk
//! action's calls not yet sent, and leaves a report for the terminal after the console is
//! gone of anything not confirmed. Still no I/O.

use super::{App, BatchKind, Failure, ItemState, Prompt, Stage};
use crate::console::keys::Action;
use crate::console::msg::Effect;

/// Where quitting stands, and whether the user agreed to quit with edits only in memory.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(super) struct Quitting {
    stage: Quit,
    /// Asked and answered yes: quit although some edits could not be saved as drafts (they
    /// are printed after).
    pub(super) unsaved_ok: bool,
}

/// How far quitting has gone.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
enum Quit {
    #[default]
    No,
    /// Asked to quit with writes out: quits when they have answered.
    Finishing,
    /// The runtime stops after this message.
    Now,
}

impl App {
    /// `q` (and every other way the user asks to quit): at once when nothing is being
    /// written; otherwise the writes already sent are finished first, and a second `q` while
    /// they are leaves them unconfirmed (and says so after the console has gone).
    pub(super) fn request_quit(&mut self) -> Vec<Effect> {
        if self.quit.stage == Quit::Finishing {
            self.quit.stage = Quit::Now;
            return Vec::new();
        }
        // An edit that exists only in memory is not dropped without asking.
        let only_in_memory = self.edits_only_in_memory();
        if !self.quit.unsaved_ok
            && let Some((_, why)) = only_in_memory.first()
        {
            self.ask(Prompt::QuitUnsaved {
                edits: only_in_memory.len(),
                why: why.clone(),
            });
            return Vec::new();
        }
        self.stop_queued_writes();
        let out = self.writes_out();
        if out == 0 {
            self.quit.stage = Quit::Now;
            return Vec::new();
        }
        self.quit.stage = Quit::Finishing;
        self.warn(format!(
            "finishing {out} save{}… {} again to quit without waiting",
            if out == 1 { "" } else { "s" },
            self.hint(Action::Quit)
        ));
        Vec::new()
    }

    /// The terminal went away or a signal came: quit now; what is unanswered is reported.
    pub(super) fn quit_now(&mut self) {
        self.stop_queued_writes();
        self.quit.stage = Quit::Now;
    }

    /// Whether the user is being asked before quitting (then nothing is written yet).
    pub(super) fn quit_pending(&self) -> bool {
        self.quit.stage == Quit::No
    }

    pub fn should_quit(&self) -> bool {
        self.quit.stage == Quit::Now
    }

    /// Called after every message: the last write out answered, so the quit asked for
    /// happens.
    pub(super) fn quit_when_written(&mut self) {
        if self.quit.stage == Quit::Finishing && self.writes_out() == 0 {
            self.quit.stage = Quit::Now;
        }
    }

    /// Writes sent that have not answered: the single save (not one waiting on the user's
    /// conflict decision) and a bulk action's calls in flight.
    fn writes_out(&self) -> usize {
        let single = self
            .submission
            .as_ref()
            .is_some_and(|s| !matches!(s.stage, Stage::Conflict { .. }));
        let bulk = self.batch.as_ref().map_or(0, |b| {
            b.items
                .iter()
                .filter(|i| matches!(i.state, ItemState::Sending { .. }))
                .count()
        });
        usize::from(single) + bulk + self.callbacks.sending()
    }

    /// A bulk action's calls not yet sent are not sent: quitting stops it where it is.
    fn stop_queued_writes(&mut self) {
        if let Some(batch) = self.batch.as_mut() {
            for item in &mut batch.items {
                if item.state == ItemState::Queued {
                    item.state = ItemState::Failed(Failure::Stopped);
                }
            }
        }
    }

    /// What the user must know once the console has gone: writes sent that never answered
    /// (they may or may not have been saved) and a bulk action stopped before its end. One
    /// line each, for stderr; empty when every write was confirmed.
    pub fn exit_report(&self) -> Vec<String> {
        let mut lines: Vec<String> = self
            .edits_only_in_memory()
            .iter()
            .map(|(draft, why)| self.unsent_edit_line(draft, why))
            .collect();
        lines.extend(self.call_back_report());
        let check = |uid: &str| {
            format!(
                "call {uid}: sent, but the console quit before the server answered — it may or may \
                 not be saved; `callconsole calls show {uid}` says what the server holds"
            )
        };
        if let Some(sub) = &self.submission {
            match sub.stage {
                Stage::Saving { .. } => lines.push(check(&sub.uid)),
                // Not sent yet: the form's draft (or nothing, for `h`) is what is left.
                Stage::Checking { .. } => lines.push(format!(
                    "call {}: not saved (the console quit before sending it)",
                    sub.uid
                )),
                Stage::Conflict { .. } => {}
            }
        }
        if let Some(batch) = &self.batch {
            let verb = match batch.kind {
                BatchKind::Handled => "marking handled",
                BatchKind::Undo => "undoing",
            };
            for item in &batch.items {
                if matches!(item.state, ItemState::Sending { .. }) {
                    lines.push(check(&item.uid));
                }
            }
            let stopped: Vec<&str> = batch
                .items
                .iter()
                .filter(|i| i.state == ItemState::Failed(Failure::Stopped))
                .map(|i| i.uid.as_str())
                .collect();
            if !stopped.is_empty() {
                let done = batch
                    .items
                    .iter()
                    .filter(|i| i.state == ItemState::Done)
                    .count();
                lines.push(format!(
                    "{verb}: {done}/{} done, {} not sent (the console quit first): {}",
                    batch.items.len(),
                    stopped.len(),
                    stopped.join(", ")
                ));
            }
        }
        lines
    }
}

#[cfg(test)]
#[path = "quit_tests.rs"]
mod tests;
