//! How often a waiting caller has been tried: the call-back records (outbound calls whose
//! outcome reads back with [`Outcome::of`]) to their number made after their newest waiting
//! call, as a row says it: "tried 2×, last 10:42 (no answer)". [`tries`] is the rule;
//! [`TriesIndex`] answers it for any number in the store, learning what changed from the
//! store's generation and journal (as the search does), so drawing a row costs a range query.

use std::collections::{BTreeSet, HashMap};
use std::ops::Bound;

use chrono::{DateTime, Utc};

use crate::api::{CallFields, VoiceCall};
use crate::domain::callback::Outcome;
use crate::domain::calls::{CallId, CallStore};
use crate::domain::handling;
use crate::domain::interner::Interner;
use crate::domain::views::other_party;
use crate::domain::when;
use crate::domain::zone::Zone;

/// The call-backs to one waiting caller since their newest waiting call.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tries {
    pub count: usize,
    /// When the newest one was made.
    pub last_at: DateTime<Utc>,
    /// What came of it.
    pub last: Outcome,
}

impl Tries {
    /// "tried 2×, last 10:42 (no answer)"; the day too when it was not today.
    pub fn describe(&self, now: DateTime<Utc>, zone: &Zone) -> String {
        let at = if zone.date(self.last_at) == zone.date(now) {
            zone.local(self.last_at).format("%H:%M").to_string()
        } else {
            crate::domain::when::list_time_as(Some(self.last_at), now, zone, false)
        };
        format!("tried {}×, last {at} ({})", self.count, self.last.label())
    }
}

/// A caller's waiting call: inbound, missed or voicemail, nobody handled it.
fn waiting<C: CallFields + ?Sized>(call: &C) -> bool {
    handling::check(call).is_ok()
}

/// A call-back record: outbound, with an outcome.
fn call_back<C: CallFields + ?Sized>(call: &C) -> Option<Outcome> {
    Outcome::of(call)
}

/// How a call is filed here: a waiting call's caller, a call-back's callee, with its time;
/// `None` for every other call (and one without a time, which no rule can place).
fn filed_under<C: CallFields + ?Sized>(call: &C, numbers: &mut Interner) -> Option<Filed> {
    let kind = if waiting(call) {
        Kind::Waiting
    } else if call_back(call).is_some() {
        Kind::Back
    } else {
        return None;
    };
    let number = other_party(call).map(str::trim).filter(|n| !n.is_empty())?;
    Some(Filed {
        kind,
        number: numbers.id(number),
        at: when::micros(call.created()?),
    })
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Waiting,
    Back,
}

#[derive(Debug, Clone, PartialEq, Eq)]
struct Filed {
    kind: Kind,
    number: u32,
    /// The call's time ([`when::micros`]).
    at: i64,
}

/// The tries at `number` among `calls`: the call-back records to it made after the newest
/// waiting call from it. `None` when nothing of theirs waits, or nobody tried since.
pub fn tries<'a>(calls: impl IntoIterator<Item = &'a VoiceCall>, number: &str) -> Option<Tries> {
    let number = number.trim();
    let theirs: Vec<&VoiceCall> = calls
        .into_iter()
        .filter(|c| other_party(c).map(str::trim) == Some(number))
        .collect();
    let newest_waiting = theirs
        .iter()
        .filter(waiting)
        .filter_map(|c| c.created())
        .max()?;
    let mut found: Option<Tries> = None;
    for call in &theirs {
        let (Some(outcome), Some(at)) = (call_back(call), call.created()) else {
            continue;
        };
        if at <= newest_waiting {
            continue;
        }
        found = Some(match found {
            None => Tries {
                count: 1,
                last_at: at,
                last: outcome,
            },
            Some(t) if at > t.last_at => Tries {
                count: t.count + 1,
                last_at: at,
                last: outcome,
            },
            Some(t) => Tries {
                count: t.count + 1,
                ..t
            },
        });
    }
    found
}

/// Calls by time, each by its slot.
type ByTime = BTreeSet<(i64, CallId)>;

/// One number's waiting calls and the call-backs to it.
#[derive(Debug, Clone, Default)]
struct Number {
    waiting: ByTime,
    backs: ByTime,
}

/// [`tries`] for every number in the store: each number's waiting calls and call-backs by
/// time, kept up to date from the store's journal (a page of calls costs its own calls), and
/// the tries read when a row asks (a range of the call-backs after the newest waiting call).
#[derive(Debug, Clone, Default)]
pub struct TriesIndex {
    /// The store's generation and slot count when last looked at.
    generation: u64,
    slots_seen: usize,
    started: bool,
    /// How each slot is filed.
    filed: Vec<Option<Filed>>,
    /// The numbers filed under, by id.
    names: Interner,
    numbers: HashMap<u32, Number>,
}

impl TriesIndex {
    /// The tries at `number`, if any.
    pub fn of(&self, number: &str, store: &CallStore) -> Option<Tries> {
        let theirs = self.numbers.get(&self.names.get(number.trim())?)?;
        let &(newest_waiting, _) = theirs.waiting.last()?;
        let mut after = theirs.backs.range((
            Bound::Excluded((newest_waiting, CallId::from_index(usize::MAX))),
            Bound::Unbounded,
        ));
        let &(last_at, last_id) = after.next_back()?;
        let last = store.get(last_id).and_then(call_back)?;
        Some(Tries {
            count: after.count() + 1,
            last_at: when::from_micros(last_at),
            last,
        })
    }

    /// Catches up with what changed in `store` since the last look: only the calls changed
    /// or added are filed again.
    pub fn sync(&mut self, store: &CallStore) {
        if self.started
            && store.generation() == self.generation
            && store.slot_count() == self.slots_seen
        {
            return;
        }
        let journal: Option<Vec<CallId>> = store
            .changed_since(self.generation)
            .filter(|_| self.started)
            .map(Iterator::collect);
        let changed: Vec<CallId> = match journal {
            Some(mut changed) => {
                changed.extend((self.slots_seen..store.slot_count()).map(CallId::from_index));
                changed
            }
            None => {
                *self = Self::default();
                (0..store.slot_count()).map(CallId::from_index).collect()
            }
        };
        self.started = true;
        self.generation = store.generation();
        self.slots_seen = store.slot_count();
        self.filed.resize(store.slot_count(), None);
        for id in changed {
            let now = store.get(id).and_then(|c| filed_under(c, &mut self.names));
            let Some(slot) = self.filed.get_mut(id.index()) else {
                continue;
            };
            if let Some(was) = slot.take()
                && let Some(number) = self.numbers.get_mut(&was.number)
            {
                match was.kind {
                    Kind::Waiting => number.waiting.remove(&(was.at, id)),
                    Kind::Back => number.backs.remove(&(was.at, id)),
                };
                if number.waiting.is_empty() && number.backs.is_empty() {
                    self.numbers.remove(&was.number);
                }
            }
            if let Some(filed) = &now {
                let number = self.numbers.entry(filed.number).or_default();
                match filed.kind {
                    Kind::Waiting => number.waiting.insert((filed.at, id)),
                    Kind::Back => number.backs.insert((filed.at, id)),
                };
            }
            *slot = now;
        }
    }
}

#[cfg(test)]
#[path = "tries_tests.rs"]
mod tests;
