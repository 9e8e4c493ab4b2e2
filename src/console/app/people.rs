//! The people behind the uids on screen: which client names to ask for as calls arrive,
//! what the answers change, and how a call's client and handler read to a person.

use crate::api::VoiceCall;
use crate::domain::people::People;
use crate::domain::views::other_party;

use super::App;

impl App {
    /// What is known about people (names shown in the list, the detail pane and the form).
    pub fn people(&self) -> &People {
        &self.people
    }

    /// Names kept from the last run (`persist::people`): shown at once, asked for again
    /// only when no longer fresh.
    pub fn set_people(&mut self, people: People) {
        let off = self.people.off;
        self.people = people;
        self.people.off = off;
    }

    /// Who the call was with, as a person reads it: the client's name when known, else the
    /// other party's number; never a bare uid.
    pub fn client_label<'a>(&'a self, call: &'a VoiceCall) -> Option<&'a str> {
        call.client_uid
            .as_deref()
            .and_then(|id| self.people.client_name(id))
            .or_else(|| other_party(call))
    }

    /// Who handled the call: the staff member's name when the roster has them, else the uid.
    pub fn handler_label<'a>(&'a self, call: &'a VoiceCall) -> Option<&'a str> {
        let uid = call.handled_by_staff_uid.as_deref()?;
        Some(self.people.staff_name(uid).unwrap_or(uid))
    }

    /// A staff uid as a person reads it: the name when the roster has it, else the uid.
    pub fn staff_label<'a>(&'a self, uid: &'a str) -> &'a str {
        self.people.staff_name(uid).unwrap_or(uid)
    }
}
