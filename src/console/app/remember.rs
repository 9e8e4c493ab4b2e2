//! Remembering what was sent: a confirmed save's values for the fields the API never sends
//! back (`rate`, `price`, `recording_id`) are kept in the store, so the next form, `h` or
//! start begins from them, and written to the data dir: at once for a single save, once at
//! its end for a bulk action (a copy of the whole file per call made a bulk of 1 000 spend
//! most of its CPU copying and freeing it). Still no I/O.

use serde_json::Value;

use super::App;
use crate::api::VoiceCall;
use crate::console::msg::Effect;
use crate::domain::remembered::Remembered;

impl App {
    /// What earlier runs sent, read from the data dir at start, before any call is loaded.
    pub fn set_remembered(&mut self, remembered: Remembered) {
        self.store.set_remembered(remembered);
    }

    /// The server confirmed `body` for call `uid`: keep its values for the fields it never
    /// sends back; the file is written when something new was kept.
    pub(super) fn note_sent(&mut self, uid: &str, body: &Value) -> Option<Effect> {
        let at = self.clock.now.to_rfc3339();
        self.store
            .note_sent(uid, body, &at)
            .then(|| Effect::SaveRemembered(self.store.remembered().clone()))
    }

    /// [`App::note_sent`] for one call of a bulk action: kept in the store at once (the next
    /// call's body may need it), written by [`App::write_noted`] when the batch ends.
    /// `next` is the server's copy of the call, put in the store right after
    /// (`App::update_everywhere`): it is given the values then, so the held copy is not
    /// packed again for them first (`CallStore::note_sent_before_update`).
    pub(super) fn note_sent_in_batch(&mut self, uid: &str, body: &Value, next: &VoiceCall) {
        let at = self.clock.now.to_rfc3339();
        if self.store.note_sent_before_update(uid, body, &at, next) {
            self.remembered_unwritten = true;
        }
    }

    /// Writes what [`App::note_sent_in_batch`] kept, if anything.
    pub(super) fn write_noted(&mut self) -> Option<Effect> {
        self.take_unwritten_remembered().map(Effect::SaveRemembered)
    }

    /// What was kept but not written yet (a bulk action cut short by quitting): the runtime
    /// writes it before the process exits.
    pub fn take_unwritten_remembered(&mut self) -> Option<Remembered> {
        std::mem::take(&mut self.remembered_unwritten).then(|| self.store.remembered().clone())
    }
}

#[cfg(test)]
#[path = "remember_tests.rs"]
mod tests;
