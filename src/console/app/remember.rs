//! Remembering what was sent: a confirmed save's values for the fields the API never sends
//! back (`rate`, `price`, `recording_id`) are kept in the store, so the next form, `h` or
//! start begins from them, and written to the data dir. Still no I/O.

use serde_json::Value;

use super::App;
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
}
