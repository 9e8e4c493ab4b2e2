//! Already returned? A waiting call (an inbound missed call or voicemail nobody handled,
//! [`handling::check`]) followed later by a call with the same number that reached them — an
//! outbound call answered ([`Outcome::of`] says reached), or an inbound call a member of staff
//! answered — looks returned, flagged with the earliest such call. The index is kept beside
//! the store: calls by number (E.164, [`phone::comparable`]), brought up to date from the
//! store's generation and journal, looking again only at the numbers whose calls changed. The
//! list asks it one map lookup per row, never a scan per frame.

use std::collections::{BTreeSet, HashMap};
use std::ops::Bound;

use chrono::{DateTime, Utc};

use crate::api::model::StatusKind;
use crate::api::{CallFields, ListQuery};
use crate::domain::callback::Outcome;
use crate::domain::calls::{CallId, CallStore};
use crate::domain::handling;
use crate::domain::interner::Interner;
use crate::domain::people::People;
use crate::domain::phone;
use crate::domain::views::{needs_follow_up, other_party};
use crate::domain::when;
use crate::domain::zone::Zone;

/// How the later call reached them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Via {
    /// We called them and they answered.
    Outbound,
    /// They called again and a member of staff answered.
    Answered,
}

/// Why a waiting call looks returned: the earliest later call that reached them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Flag {
    pub via: Via,
    pub at: DateTime<Utc>,
    /// Who called them back, or answered.
    pub staff_uid: Option<String>,
    /// The later call.
    pub uid: Option<String>,
}

/// A uid is shown cut to this many characters when no name is known for it.
const UID_SHOWN: usize = 10;

impl Flag {
    /// `outbound 10:42 by Grace`, `answered yesterday 08:05 by staff-9f3…`: the time in
    /// `zone` (only the clock when it is today), the member of staff by name when known.
    pub fn what(&self, people: &People, now: DateTime<Utc>, zone: &Zone) -> String {
        let via = match self.via {
            Via::Outbound => "outbound",
            Via::Answered => "answered",
        };
        let mut text = format!("{via} {}", clock(self.at, now, zone));
        if let Some(uid) = self
            .staff_uid
            .as_deref()
            .map(str::trim)
            .filter(|u| !u.is_empty())
        {
            let who = people
                .staff_name(uid)
                .map_or_else(|| short(uid), str::to_string);
            text.push_str(" by ");
            text.push_str(&who);
        }
        text
    }

    /// `looks returned (outbound 10:42 by Grace)`.
    pub fn text(&self, people: &People, now: DateTime<Utc>, zone: &Zone) -> String {
        format!("looks returned ({})", self.what(people, now, zone))
    }

    /// `out 10:42`, `ans yesterday 08:05`: where a row has little room.
    pub fn short(&self, now: DateTime<Utc>, zone: &Zone) -> String {
        let via = match self.via {
            Via::Outbound => "out",
            Via::Answered => "ans",
        };
        format!("{via} {}", clock(self.at, now, zone))
    }
}

/// `10:42` today, `yesterday 08:05`, then as the list says a time.
fn clock(at: DateTime<Utc>, now: DateTime<Utc>, zone: &Zone) -> String {
    let spoken = when::spoken_time(&at.to_rfc3339(), now, zone);
    spoken.strip_prefix("today ").unwrap_or(&spoken).to_string()
}

fn short(uid: &str) -> String {
    match uid.char_indices().nth(UID_SHOWN) {
        Some((end, _)) => format!("{}…", &uid[..end]),
        None => uid.to_string(),
    }
}

/// The most pages of later calls asked for (one after another) at a time: the newest ones
/// are what matters.
pub const PAGES: u32 = 4;

/// The list request for the calls since `since` that could be returns: answered by staff
/// (an outbound call answered is one, an inbound call answered by staff the other), newest
/// first. The filters the views already send, so the real API and the embedded server both
/// take them.
pub fn query(since: DateTime<Utc>, page: u32, per_page: u32) -> ListQuery {
    ListQuery {
        page,
        per_page,
        sort: Some("created_at:desc".to_string()),
        filters: vec![
            ("status".to_string(), None, "ANSWERED_BY_STAFF".to_string()),
            (
                "created_at".to_string(),
                Some("gte".to_string()),
                since.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
            ),
        ],
    }
}

/// Whether `query` is one [`query`] made.
pub fn is_query(query: &ListQuery) -> bool {
    matches!(
        query.filters.as_slice(),
        [(status, None, answered), (created, Some(gte), _)]
            if status == "status" && answered == "ANSWERED_BY_STAFF"
                && created == "created_at" && gte == "gte"
    ) && query.sort.as_deref() == Some("created_at:desc")
}

/// What a call is to the index.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
enum Role {
    #[default]
    None,
    /// `at`: the call's time ([`when::micros`]).
    Waiting {
        number: u32,
        at: i64,
    },
    Return {
        number: u32,
        at: i64,
    },
}

/// How `call` reached the other party, when it did.
pub fn reached<C: CallFields + ?Sized>(call: &C) -> Option<Via> {
    if call.direction() == Some("OUTBOUND") {
        return (Outcome::of(call) == Some(Outcome::Reached)).then_some(Via::Outbound);
    }
    let answered = call.status_kind() == Some(StatusKind::Answered);
    answered.then_some(Via::Answered)
}

fn role<C: CallFields + ?Sized>(call: &C, country: Option<&str>, numbers: &mut Interner) -> Role {
    let (Some(at), Some(number)) = (call.created(), other_party(call)) else {
        return Role::None;
    };
    let number = phone::comparable(number, country);
    if number.is_empty() {
        return Role::None;
    }
    let number = numbers.id(&number);
    let at = when::micros(at);
    if needs_follow_up(call) && handling::check(call).is_ok() {
        Role::Waiting { number, at }
    } else if reached(call).is_some() {
        Role::Return { number, at }
    } else {
        Role::None
    }
}

/// Calls by time ([`when::micros`]), each by its slot.
type ByTime = BTreeSet<(i64, CallId)>;

/// What every call in the store is to "already returned?" (waiting, a return, neither) and the
/// returns by number, kept up to date with the store. A waiting call's flag is looked up when
/// asked for (one range query on its number's returns), never stored: a page of calls costs
/// its own calls, whatever else the store holds.
#[derive(Debug, Clone, Default)]
pub struct Returned {
    /// `default_country`, for national numbers.
    country: Option<String>,
    /// The store's generation and slots when last looked at.
    generation: u64,
    slots_seen: usize,
    roles: Vec<Role>,
    /// The numbers the roles name.
    numbers: Interner,
    returns: HashMap<u32, ByTime>,
}

impl Returned {
    /// National numbers are read as `country`'s (the `default_country` setting).
    pub fn new(country: Option<String>) -> Self {
        Self {
            country,
            ..Self::default()
        }
    }

    /// Why the call in slot `id` looks returned, if it does: the earliest call after it that
    /// reached the same number.
    pub fn flag(&self, id: CallId, store: &CallStore) -> Option<Flag> {
        let Some(Role::Waiting { number, at }) = self.roles.get(id.index()) else {
            return None;
        };
        let &(when, r) = self
            .returns
            .get(number)?
            .range((
                Bound::Excluded((*at, CallId::from_index(usize::MAX))),
                Bound::Unbounded,
            ))
            .next()?;
        let call = store.get(r)?;
        Some(Flag {
            via: reached(call)?,
            at: when::from_micros(when),
            staff_uid: call.staff_uid().map(str::to_string),
            uid: call.uid().map(str::to_string),
        })
    }

    /// Catches up with what changed in `store` since the last look (costs nothing when
    /// nothing did): only the calls that changed are looked at again.
    pub fn sync(&mut self, store: &CallStore) {
        let behind = store.generation() != self.generation || store.slot_count() != self.slots_seen;
        if !behind {
            return;
        }
        let changed: Vec<usize> = match store.changed_since(self.generation) {
            Some(ids) => ids
                .map(CallId::index)
                .chain(self.slots_seen..store.slot_count())
                .collect(),
            None => {
                *self = Self::new(self.country.take());
                (0..store.slot_count()).collect()
            }
        };
        self.generation = store.generation();
        self.slots_seen = store.slot_count();
        if self.roles.len() < store.slot_count() {
            self.roles.resize(store.slot_count(), Role::None);
        }
        for i in changed {
            let new = store.get(CallId::from_index(i)).map_or(Role::None, |c| {
                role(c, self.country.as_deref(), &mut self.numbers)
            });
            let old = std::mem::replace(&mut self.roles[i], new.clone());
            if let Role::Return { number, at } = old
                && let Some(set) = self.returns.get_mut(&number)
            {
                set.remove(&(at, CallId::from_index(i)));
                if set.is_empty() {
                    self.returns.remove(&number);
                }
            }
            if let Role::Return { number, at } = new {
                self.returns
                    .entry(number)
                    .or_default()
                    .insert((at, CallId::from_index(i)));
            }
        }
    }
}

#[cfg(test)]
#[path = "returned_tests.rs"]
mod tests;
