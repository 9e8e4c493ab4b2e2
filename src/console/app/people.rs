//! The people behind the uids on screen: which names to ask for as calls arrive (in the
//! background, a few at a time: the screen never waits), what the answers change, and how a
//! call's client and handler read to a person. An endpoint this token may not use turns that
//! kind of name off with one notice, never an error per row.

use crate::api::{Answer, CallFields, CallPage};
use crate::domain::people::{BusinessCard, ClientCard, Lookup, Me, People, StaffCard};
use crate::domain::people_lookup;

use super::{App, Effect, Purpose};

impl App {
    /// What is known about people (names shown in the list, the detail pane and the form).
    pub fn people(&self) -> &People {
        &self.people
    }

    /// Names kept from the last run (`persist::people`): shown at once, asked for again
    /// only when no longer fresh.
    pub fn set_people(&mut self, people: People) {
        self.people.adopt(people);
    }

    /// A call as a sentence names it, by its uid: "Emily Carter's call", "the call with
    /// +14155550148", and only when nothing else is known "call 9283b7ac".
    pub fn call_words(&self, uid: &str) -> String {
        match self.store.by_uid(uid) {
            Some(call) => self.people.call_words(call),
            None => self.people.call_words(&crate::api::VoiceCall {
                uid: Some(uid.to_string()),
                ..crate::api::VoiceCall::default()
            }),
        }
    }

    /// How the clients of a page that answered are found, before it is taken apart.
    pub(super) fn clients_in<C: CallFields>(&self, answer: &Answer<CallPage<C>>) -> Vec<Lookup> {
        if !self.session.people {
            return Vec::new();
        }
        answer.result.as_ref().map_or_else(
            |_| Vec::new(),
            |page| page.calls.iter().filter_map(Lookup::of).collect(),
        )
    }

    /// Clients of calls that arrived: those not known (or no longer fresh) are queued and
    /// the next few asked for.
    pub(super) fn want_names(&mut self, lookups: Vec<Lookup>) -> Vec<Effect> {
        if !self.session.people || lookups.is_empty() {
            return Vec::new();
        }
        self.people.want(lookups, self.clock.now);
        self.ask_for_names()
    }

    fn ask_for_names(&mut self) -> Vec<Effect> {
        self.people_pace_done();
        let limit = self.people_window();
        self.people
            .next_to_ask_within(limit)
            .into_iter()
            .map(|lookup| Effect::FetchClient {
                req: self.requests.start(Purpose::Client, self.clock.now),
                lookup,
            })
            .collect()
    }

    /// Who I am (and then the roster of my business): asked at start, and on `r` when it
    /// did not answer then.
    pub(super) fn fetch_me(&mut self) -> Vec<Effect> {
        if !self.session.people || self.requests.any(&Purpose::Me) {
            return Vec::new();
        }
        vec![Effect::FetchMe {
            req: self.requests.start(Purpose::Me, self.clock.now),
        }]
    }

    /// `r`: every name is due again (those known stay shown until the answers come), and
    /// the view's clients are asked for.
    pub(super) fn refresh_names(&mut self) -> Vec<Effect> {
        if !self.session.people {
            return Vec::new();
        }
        self.people.make_due();
        let lookups: Vec<Lookup> = self
            .list()
            .calls()
            .into_iter()
            .filter_map(Lookup::of)
            .collect();
        let mut effects = self.want_names(lookups);
        // Who I am, if that did not answer at start; else the roster, due again.
        if self.people.me.is_none() {
            effects.extend(self.fetch_me());
        } else {
            effects.extend(self.fetch_roster());
        }
        effects
    }

    fn fetch_roster(&mut self) -> Vec<Effect> {
        let Some(business_uid) = self
            .people
            .me
            .as_ref()
            .and_then(|me| me.business_uid.clone())
        else {
            return Vec::new();
        };
        if !self.people.ask_roster(self.clock.now) {
            return Vec::new();
        }
        vec![Effect::FetchRoster {
            req: self.requests.start(Purpose::Roster, self.clock.now),
            business_uid,
        }]
    }

    pub(super) fn on_client(
        &mut self,
        lookup: Lookup,
        answer: Answer<Option<ClientCard>>,
    ) -> Vec<Effect> {
        self.log_only(&answer.exchange, answer.result.as_ref().err());
        match answer.result {
            Ok(card) => {
                self.people.learned(&lookup, card, self.clock.now);
                if self.people.clients_never_found() && !self.people.off.clients {
                    self.people.clients_off();
                    self.warn(
                        "client names are off for this session: every client lookup answered \"not found\"; numbers are shown instead",
                    );
                }
            }
            // Other lookups still out get the same answer: said once.
            Err(_) if self.people.off.clients => {}
            Err(error) if people_lookup::refused(&error) => {
                self.people.clients_off();
                self.warn(format!(
                    "client names are off for this session: the server refused the client lookup ({error}); numbers are shown instead"
                ));
            }
            Err(_) => self.people.failed(&lookup),
        }
        let mut effects = self.ask_for_names();
        effects.extend(self.keep_people());
        // A client the API does not know: the panel goes by their number instead.
        effects.extend(self.fetch_client_panel_if_shown());
        effects
    }

    pub(super) fn on_roster(&mut self, answer: Answer<Vec<StaffCard>>) -> Vec<Effect> {
        self.log_only(&answer.exchange, answer.result.as_ref().err());
        match answer.result {
            Ok(staff) => self.people.learned_roster(staff, self.clock.now),
            Err(error) if people_lookup::refused(&error) => {
                self.people.roster_failed();
                self.people.off.staff = true;
                self.warn(format!(
                    "staff names are off for this session: the server refused the staff list ({error}); uids are shown instead"
                ));
            }
            Err(_) => self.people.roster_failed(),
        }
        self.keep_people()
    }

    pub(super) fn on_me(&mut self, answer: Answer<Me>) -> Vec<Effect> {
        self.log_only(&answer.exchange, answer.result.as_ref().err());
        // Not knowing who I am is no error of the user's: the log has it, and `h` asks.
        let Ok(me) = answer.result else {
            return Vec::new();
        };
        if self.session.config.staff_uid.is_none() {
            self.session.config.staff_uid = me.staff_uid.clone();
        }
        self.people.me = Some(me);
        let mut effects = self.fetch_roster();
        effects.extend(self.fetch_business());
        effects
    }

    /// The business's record, for its time zone (unless the `time_zone` setting chose one).
    fn fetch_business(&mut self) -> Vec<Effect> {
        let business_uid = self.people.me.as_ref().and_then(|m| m.business_uid.clone());
        let Some(business_uid) = business_uid else {
            return Vec::new();
        };
        if !self.clock.zones.wants_business() || self.requests.any(&Purpose::Business) {
            return Vec::new();
        }
        vec![Effect::FetchBusiness {
            req: self.requests.start(Purpose::Business, self.clock.now),
            business_uid,
        }]
    }

    pub(super) fn on_business(&mut self, answer: Answer<BusinessCard>) -> Vec<Effect> {
        self.log_only(&answer.exchange, answer.result.as_ref().err());
        // Without it times stay in the machine's zone: the log has why.
        let Ok(business) = answer.result else {
            return Vec::new();
        };
        if let Some(me) = self.people.me.as_mut()
            && me.business_name.is_none()
        {
            me.business_name = business.name;
        }
        self.people.business_zone = match &business.zone {
            Some(Ok(zone)) => Some(zone.name().to_string()),
            _ => None,
        };
        let mut effects = self.business_zone(business.zone);
        effects.extend(self.keep_people());
        effects
    }

    /// Writes what is known once nothing is waiting (not after every answer).
    fn keep_people(&self) -> Vec<Effect> {
        if self.people.settled() {
            vec![Effect::SavePeople(Box::new(self.people.clone()))]
        } else {
            Vec::new()
        }
    }
}

#[cfg(test)]
#[path = "people_tests.rs"]
mod tests;
