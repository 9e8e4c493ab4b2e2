//! The people behind the uids: clients by id, the staff roster and who "me" is. What to ask
//! the API for, what it answered and when, and lookups by id (never by scanning calls). No
//! I/O: the console asks through effects and hands the answers here; `persist::people` keeps
//! this between runs.
//!
//! A client is asked for once and kept for [`CLIENT_TTL`]; one the API could not find is
//! remembered as unknown for [`UNKNOWN_TTL`], so it is not asked for on every page; the roster
//! is kept for [`ROSTER_TTL`]. A refresh (`r`) makes everything due again while the names
//! known so far stay on screen until the new answers come.

use std::collections::{BTreeMap, HashSet, VecDeque};

use chrono::{DateTime, TimeDelta, Utc};
use serde::{Deserialize, Serialize};

use crate::api::CallFields;
use crate::domain::fields::FieldId;
use crate::domain::journal::Journal;
use crate::domain::views::other_party;

mod cards;
pub use cards::{BusinessCard, ClientCard, Lookup, LookupRef, Me, StaffCard};

/// How long a client's name is trusted before it is asked for again.
pub const CLIENT_TTL: TimeDelta = TimeDelta::days(1);
/// How long a client the API could not find is not asked for again.
pub const UNKNOWN_TTL: TimeDelta = TimeDelta::hours(1);
/// How long the staff roster is trusted.
pub const ROSTER_TTL: TimeDelta = TimeDelta::hours(1);
/// At most this many client lookups out at once where no `max_in_flight` is given (the
/// scripting commands); also how many "not found" in a row turn the lookups off.
pub const IN_FLIGHT: usize = 4;

/// An answer and when it came; `value: None` is "the API has no such one".
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
struct Known<T> {
    at: DateTime<Utc>,
    value: Option<T>,
    /// Due again whatever its age (a refresh asked for it).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    due: bool,
}

impl<T> Known<T> {
    fn fresh(&self, now: DateTime<Utc>, ttl: TimeDelta) -> bool {
        !self.due && now - self.at < ttl && self.at <= now
    }
}

/// Which kinds of lookup the API refused outright (404 on the endpoint, 403 for this token):
/// names of that kind are off for this run, said once.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Off {
    pub clients: bool,
    pub staff: bool,
}

/// A name that changed, as [`People::changed_since`] tells it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NameChange {
    /// This client's name.
    Client(String),
    /// Any name on the staff roster.
    Roster,
}

/// Name changes told one by one; an index further behind reads every name again.
const NAMES_JOURNAL: usize = 1024;

/// The journal of name changes, left out of comparisons: two `People` that know the same
/// names are equal, whatever order they learnt them in.
#[derive(Debug, Clone, Default)]
struct Names(Journal<NameChange, NAMES_JOURNAL>);

impl PartialEq for Names {
    fn eq(&self, _: &Self) -> bool {
        true
    }
}

impl Eq for Names {}

/// Everything known about people, keyed by id.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct People {
    clients: BTreeMap<String, Known<ClientCard>>,
    /// A number asked for (calls without `client_uid`): the id of the client who has it.
    numbers: BTreeMap<String, Known<String>>,
    staff: BTreeMap<String, StaffCard>,
    roster_at: Option<DateTime<Utc>>,
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    roster_due: bool,
    /// The business's time zone (its name) as it last answered: the next run shows times in
    /// it from the first frame, before the business is asked again.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub business_zone: Option<String>,
    /// Lookups waiting to be asked for, oldest first (this run only).
    #[serde(skip)]
    queue: VecDeque<Lookup>,
    /// Lookups waiting or out, so none is queued twice.
    #[serde(skip)]
    waiting: HashSet<Lookup>,
    /// How many client lookups are out now.
    #[serde(skip)]
    asking: usize,
    #[serde(skip)]
    roster_asking: bool,
    #[serde(skip)]
    pub off: Off,
    /// Who I am, once the API said (asked again each run).
    #[serde(skip)]
    pub me: Option<Me>,
    /// Client lookups in a row that found no such client (this run).
    #[serde(skip)]
    unknown_streak: usize,
    /// The names that changed, for indexes over them (the search).
    #[serde(skip)]
    journal: Names,
}

impl People {
    /// The client's name, when known.
    pub fn client_name(&self, id: &str) -> Option<&str> {
        self.client(id)?.name.as_deref()
    }

    /// Who the call was with, as a person reads it: the client's name when known, else the
    /// other party's number; never a bare uid.
    pub fn client_label<'a, C: CallFields + ?Sized>(&'a self, call: &'a C) -> Option<&'a str> {
        let by_number = || {
            let number = other_party(call)?;
            let id = self.numbers.get(number)?.value.as_deref()?;
            self.client_name(id)
        };
        call.client_uid()
            .and_then(|id| self.client_name(id))
            .or_else(by_number)
            .or_else(|| other_party(call))
    }

    /// Who handled the call: the staff member's name when the roster has them, else the uid.
    pub fn handler_label<'a, C: CallFields + ?Sized>(&'a self, call: &'a C) -> Option<&'a str> {
        Some(self.staff_label(call.handled_by_staff_uid()?))
    }

    /// A member of staff as shown: their name when the roster has them, else the uid.
    pub fn staff_label<'a>(&'a self, uid: &'a str) -> &'a str {
        self.staff_name(uid).unwrap_or(uid)
    }

    /// Bumped whenever a name changes (a client's arrives or changes, a new roster).
    pub fn generation(&self) -> u64 {
        self.journal.0.generation()
    }

    /// The names changed after generation `since`, or `None` when that is too long ago to
    /// say (the caller reads every name again).
    pub fn changed_since(&self, since: u64) -> Option<impl Iterator<Item = &NameChange> + '_> {
        self.journal.0.since(since)
    }

    /// Names kept from the last run replace those known; what this run learnt about the API
    /// (`off`, `me`) stays, and every name counts as changed.
    pub fn adopt(&mut self, kept: People) {
        let (off, me, journal) = (self.off, self.me.take(), std::mem::take(&mut self.journal));
        *self = kept;
        self.off = off;
        self.me = me;
        self.journal = journal;
        self.journal.0.everything();
    }

    /// What is known of a client, when the API found them.
    pub fn client(&self, id: &str) -> Option<&ClientCard> {
        self.clients.get(id)?.value.as_ref()
    }

    /// The id of the client the API found with this number, when one was asked for.
    pub fn client_by_number(&self, number: &str) -> Option<&str> {
        self.numbers.get(number.trim())?.value.as_deref()
    }

    /// Whether the API said it has no client `id` (the client panel then goes by number).
    pub fn client_unknown(&self, id: &str) -> bool {
        self.clients.get(id).is_some_and(|k| k.value.is_none())
    }

    /// A member of staff's name, when the roster has them.
    pub fn staff_name(&self, uid: &str) -> Option<&str> {
        self.staff.get(uid).map(|s| s.name.as_str())
    }

    /// The roster by name (active first, then the rest), for pickers.
    pub fn roster(&self) -> Vec<&StaffCard> {
        let mut all: Vec<&StaffCard> = self.staff.values().collect();
        all.sort_by(|a, b| {
            (!a.active, a.name.to_lowercase()).cmp(&(!b.active, b.name.to_lowercase()))
        });
        all
    }

    /// How calls that just arrived find their clients ([`Lookup::of`]): those not known, or
    /// no longer fresh, wait to be asked for (each once, in the order they came). Returns
    /// whether any was added.
    pub fn want(&mut self, lookups: impl IntoIterator<Item = Lookup>, now: DateTime<Utc>) -> bool {
        if self.off.clients {
            return false;
        }
        let mut added = false;
        for lookup in lookups {
            let (Lookup::Client(key) | Lookup::Number(key)) = &lookup;
            if key.trim().is_empty() || self.waiting.contains(&lookup) || self.fresh(&lookup, now) {
                continue;
            }
            self.waiting.insert(lookup.clone());
            self.queue.push_back(lookup);
            added = true;
        }
        added
    }

    fn fresh(&self, lookup: &Lookup, now: DateTime<Utc>) -> bool {
        let ttl = |found: bool| if found { CLIENT_TTL } else { UNKNOWN_TTL };
        match lookup {
            Lookup::Client(id) => self
                .clients
                .get(id)
                .is_some_and(|k| k.fresh(now, ttl(k.value.is_some()))),
            Lookup::Number(n) => self
                .numbers
                .get(n)
                .is_some_and(|k| k.fresh(now, ttl(k.value.is_some()))),
        }
    }

    /// The next lookups to ask the API for: as many as keeps [`IN_FLIGHT`] out. They count as
    /// out until [`People::learned`] or [`People::failed`].
    pub fn next_to_ask(&mut self) -> Vec<Lookup> {
        self.next_to_ask_within(IN_FLIGHT)
    }

    /// [`People::next_to_ask`], keeping at most `limit` out (the console's `max_in_flight`,
    /// lowered when the server asks to slow down).
    pub fn next_to_ask_within(&mut self, limit: usize) -> Vec<Lookup> {
        let mut ask = Vec::new();
        while self.asking < limit.max(1) && !self.off.clients {
            let Some(lookup) = self.queue.pop_front() else {
                break;
            };
            // Answered while it waited (learned some other way): nothing to ask.
            if !self.waiting.contains(&lookup) {
                continue;
            }
            self.asking += 1;
            ask.push(lookup);
        }
        ask
    }

    /// Client lookups out (asked for, not yet answered).
    pub fn asking(&self) -> usize {
        self.asking
    }

    /// No lookup is out and none waits its turn.
    pub fn is_idle(&self) -> bool {
        self.asking == 0 && self.queue.is_empty()
    }

    /// The API answered `lookup`: the client's card, or `None` when it has no such client
    /// (or nobody with that number).
    pub fn learned(&mut self, lookup: &Lookup, card: Option<ClientCard>, now: DateTime<Utc>) {
        self.answered(lookup);
        self.unknown_streak = if card.is_some() {
            0
        } else {
            self.unknown_streak + 1
        };
        fn known<T>(value: Option<T>, at: DateTime<Utc>) -> Known<T> {
            Known {
                at,
                value,
                due: false,
            }
        }
        let found = |card: &Option<ClientCard>| card.as_ref().and_then(|c| c.name.clone());
        match lookup {
            Lookup::Client(id) => {
                if self.client_name(id) != found(&card).as_deref() {
                    self.journal.0.record(NameChange::Client(id.clone()));
                }
                self.clients.insert(id.clone(), known(card, now));
            }
            Lookup::Number(number) => {
                let id = card.as_ref().and_then(|c| c.id.clone());
                if let (Some(id), Some(card)) = (&id, card) {
                    if self.client_name(id) != card.name.as_deref() {
                        self.journal.0.record(NameChange::Client(id.clone()));
                    }
                    self.clients.insert(id.clone(), known(Some(card), now));
                }
                self.numbers.insert(number.clone(), known(id, now));
            }
        }
    }

    /// The API answered for client `id` (a [`Lookup::Client`]).
    pub fn learned_client(&mut self, id: &str, card: Option<ClientCard>, now: DateTime<Utc>) {
        self.learned(&Lookup::Client(id.to_string()), card, now);
    }

    /// The lookup failed for a reason that may pass (the network, a 5xx, a 429 after its
    /// retries): it is no longer out, and is asked for again with the next calls.
    pub fn failed(&mut self, lookup: &Lookup) {
        self.answered(lookup);
    }

    fn answered(&mut self, lookup: &Lookup) {
        if self.waiting.remove(lookup) {
            self.asking = self.asking.saturating_sub(1);
        }
    }

    /// Every client asked for so far was "not found", and none was ever found: the lookup
    /// itself is not there (a server without it answers every path 404), not the clients.
    pub fn clients_never_found(&self) -> bool {
        self.unknown_streak >= IN_FLIGHT && self.clients_known() == 0
    }

    /// Client lookups are refused for this token or server (404 on the endpoint, 403): none
    /// is asked for again this run, and none waits.
    pub fn clients_off(&mut self) {
        self.off.clients = true;
        self.queue.clear();
        self.waiting.clear();
        self.asking = 0;
    }

    /// Whether the roster should be asked for now (and it then counts as out).
    pub fn ask_roster(&mut self, now: DateTime<Utc>) -> bool {
        if self.off.staff || self.roster_asking {
            return false;
        }
        let fresh = self
            .roster_at
            .is_some_and(|at| !self.roster_due && now - at < ROSTER_TTL && at <= now);
        self.roster_asking = !fresh;
        !fresh
    }

    /// The roster answered: it replaces the one kept.
    pub fn learned_roster(&mut self, staff: Vec<StaffCard>, now: DateTime<Utc>) {
        self.roster_asking = false;
        self.roster_due = false;
        self.roster_at = Some(now);
        let staff: BTreeMap<String, StaffCard> =
            staff.into_iter().map(|s| (s.uid.clone(), s)).collect();
        let same_names = staff.len() == self.staff.len()
            && staff
                .iter()
                .all(|(uid, s)| self.staff_name(uid) == Some(s.name.as_str()));
        if !same_names {
            self.journal.0.record(NameChange::Roster);
        }
        self.staff = staff;
    }

    /// The roster could not be read this time.
    pub fn roster_failed(&mut self) {
        self.roster_asking = false;
    }

    /// A refresh: every client and the roster are due again; what is known stays shown until
    /// the answers come.
    pub fn make_due(&mut self) {
        for k in self.clients.values_mut() {
            k.due = true;
        }
        for k in self.numbers.values_mut() {
            k.due = true;
        }
        self.roster_due = true;
    }

    /// The active staff whose names match `query` (case-insensitive): names with a word
    /// starting with it first, then names containing it, each by name. An empty query
    /// matches everyone active. These are the ones a call may be handed to.
    pub fn find_staff(&self, query: &str) -> Vec<&StaffCard> {
        self.matching_staff(query, true)
    }

    /// Everyone on the roster whose name matches `query`, as [`People::find_staff`] ranks
    /// them, former staff after the active: calls they handled are still there to be found.
    pub fn find_any_staff(&self, query: &str) -> Vec<&StaffCard> {
        self.matching_staff(query, false)
    }

    fn matching_staff(&self, query: &str, active_only: bool) -> Vec<&StaffCard> {
        let q = query.trim().to_lowercase();
        let mut found: Vec<(bool, bool, &StaffCard)> = self
            .roster()
            .into_iter()
            .filter(|s| s.active || !active_only)
            .filter_map(|s| {
                let name = s.name.to_lowercase();
                let word_start = name.split_whitespace().any(|w| w.starts_with(&q));
                (word_start || name.contains(&q)).then_some((!s.active, !word_start, s))
            })
            .collect();
        // Stable: each group keeps the roster's order by name.
        found.sort_by_key(|(former, later, _)| (*former, *later));
        found.into_iter().map(|(_, _, s)| s).collect()
    }

    /// The person a uid field's value names (`client_uid`, `staff_uid`,
    /// `handled_by_staff_uid`), for showing beside the uid wherever it is shown.
    pub fn name_for(&self, field: FieldId, value: &str) -> Option<&str> {
        let value = value.trim();
        match field {
            FieldId::ClientUid => self.client_name(value),
            FieldId::StaffUid | FieldId::HandledByStaffUid => self.staff_name(value),
            _ => None,
        }
    }

    /// A call as a sentence names it: "Emily Carter's call", else "the call with
    /// +14155550148", else (nothing else known) "call 9283b7ac", never a whole uid.
    pub fn call_words<C: CallFields + ?Sized>(&self, call: &C) -> String {
        if let Some(name) = call.client_uid().and_then(|id| self.client_name(id)) {
            return format!("{name}'s call");
        }
        if let Some(number) = other_party(call).filter(|n| !n.trim().is_empty()) {
            return format!("the call with {number}");
        }
        let uid: String = call.uid_str().chars().take(8).collect();
        if uid.is_empty() {
            "the call".to_string()
        } else {
            format!("call {uid}")
        }
    }

    /// Nothing waits to be asked for and nothing is out: a good moment to keep what is known.
    pub fn settled(&self) -> bool {
        self.asking == 0 && self.queue.is_empty() && !self.roster_asking
    }

    /// My name as the roster has it, else my email.
    pub fn my_name(&self) -> Option<&str> {
        let me = self.me.as_ref()?;
        me.staff_uid
            .as_deref()
            .and_then(|uid| self.staff_name(uid))
            .or(me.email.as_deref())
    }

    /// How many clients are known by name (for the README's "what is kept" and tests).
    pub fn clients_known(&self) -> usize {
        self.clients.values().filter(|k| k.value.is_some()).count()
    }
}

#[cfg(test)]
#[path = "people_tests.rs"]
mod tests;
