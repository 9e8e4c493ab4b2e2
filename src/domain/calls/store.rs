//! The one copy of every loaded call, keyed by uid. Views (tabs) hold [`CallId`]s into it,
//! never copies: a save, a refresh or a bulk reply updates the call here and every view sees
//! it. Derived indexes (the search) learn what changed from the generation number and the
//! journal, not from the code that changed it.

use std::collections::HashSet;

use super::shared::SharedTexts;
use super::uids::Uids;
use super::{Incoming, PackedCall, packed_call};
use crate::api::model::parse_time;
use crate::api::{CallFields, VoiceCall};
use crate::domain::journal::Journal;
use crate::domain::remembered::Remembered;

/// A slot in the store. Stable while any view lists the call; a freed slot is reused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct CallId(u32);

impl CallId {
    /// The slot's position, for indexes kept beside the store.
    pub fn index(self) -> usize {
        self.0 as usize
    }

    /// The id of slot `index`, for indexes kept beside the store.
    pub(crate) fn from_index(index: usize) -> Self {
        CallId(u32::try_from(index).unwrap_or(u32::MAX))
    }
}

/// Changes remembered one by one; an index further behind than this repacks in full.
const JOURNAL_MAX: usize = 4096;

/// Every loaded call, once.
#[derive(Debug, Clone, Default)]
pub struct CallStore {
    slots: Vec<Option<PackedCall>>,
    by_uid: Uids,
    free: Vec<CallId>,
    /// The slots changed, under a generation bumped on every change to a call already in a
    /// slot (a new slot at the end is not a change to anything an index holds).
    journal: Journal<CallId, JOURNAL_MAX>,
    /// What was sent for the fields the API never sends back: every call coming in is given
    /// them, so the form and `h` start from them.
    remembered: Remembered,
    /// Copies that may be out of date in ways `updated_at` cannot show (the list cached at
    /// the last exit, a copy a check just found stale): the server's next copy replaces them
    /// whatever its `updated_at` says (a server reset, or a clock moved back).
    provisional: HashSet<CallId>,
    /// The texts many calls hold alike (status, direction, line, staff…), each kept once.
    shared: SharedTexts,
}

impl CallStore {
    pub fn new() -> Self {
        Self::default()
    }

    /// Calls held.
    pub fn len(&self) -> usize {
        self.slots.len() - self.free.len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Slots in use or free: indexes kept beside the store are this long.
    pub fn slot_count(&self) -> usize {
        self.slots.len()
    }

    pub fn get(&self, id: CallId) -> Option<&PackedCall> {
        self.slots.get(id.index()).and_then(Option::as_ref)
    }

    /// The slot holding the call with this uid.
    pub fn id_of(&self, uid: &str) -> Option<CallId> {
        self.by_uid.get(&self.slots, uid)
    }

    /// The call with this uid, if loaded.
    pub fn by_uid(&self, uid: &str) -> Option<&PackedCall> {
        self.id_of(uid).and_then(|id| self.get(id))
    }

    /// Puts the server's copy of a call in its slot (the same slot as before for a known
    /// uid), and returns that slot. A call without a uid always gets a slot of its own.
    pub fn upsert(&mut self, call: impl Incoming) -> CallId {
        let packed = call.into_packed(&self.remembered);
        self.upsert_packed(packed)
    }

    /// [`CallStore::upsert`] once the call is packed (one copy of this for either form).
    fn upsert_packed(&mut self, mut packed: PackedCall) -> CallId {
        packed.share(&mut self.shared);
        if let Some(id) = packed.uid().and_then(|u| self.id_of(u)) {
            if self.get(id) != Some(&packed) && !self.is_older(id, &packed) {
                self.slots[id.index()] = Some(packed);
                self.changed(id);
            }
            self.provisional.remove(&id);
            return id;
        }
        let id = match self.free.pop() {
            Some(id) => {
                self.slots[id.index()] = Some(packed);
                self.changed(id);
                id
            }
            None => {
                // Past u32::MAX calls a terminal console has long run out of memory.
                let id = CallId(u32::try_from(self.slots.len()).unwrap_or(u32::MAX));
                self.slots.push(Some(packed));
                id
            }
        };
        self.by_uid.insert(&self.slots, id);
        id
    }

    /// Puts a newer copy where the call is already held; `None` (and nothing stored) when it
    /// is not, since a call no view lists has no place here.
    pub fn update(&mut self, call: &VoiceCall) -> Option<CallId> {
        let id = self.id_of(call.uid.as_deref()?)?;
        let mut call = call.clone();
        self.remembered.fill(&mut call);
        let mut packed = packed_call(&call);
        packed.share(&mut self.shared);
        if self.get(id) != Some(&packed) && !self.is_older(id, &packed) {
            self.slots[id.index()] = Some(packed);
            self.changed(id);
        }
        self.provisional.remove(&id);
        Some(id)
    }

    /// Whether `call` is an older copy than the one held: a page asked for before a save
    /// can answer after it, and must not put the call back as it was.
    fn is_older(&self, id: CallId, call: &PackedCall) -> bool {
        self.is_older_at(id, call.updated_at())
    }

    /// [`CallStore::is_older`] for a copy whose `updated_at` is `updated_at`.
    fn is_older_at(&self, id: CallId, updated_at: Option<&str>) -> bool {
        if self.provisional.contains(&id) {
            return false;
        }
        let held = self
            .get(id)
            .and_then(|c| c.updated_at())
            .and_then(parse_time);
        match (held, updated_at.and_then(parse_time)) {
            (Some(held), Some(incoming)) => incoming < held,
            _ => false,
        }
    }

    /// The server's next copy of this call replaces the one held, whatever its `updated_at`
    /// (see `provisional`).
    pub fn mark_provisional(&mut self, uid: &str) {
        if let Some(id) = self.id_of(uid) {
            self.provisional.insert(id);
        }
    }

    /// What was sent for the fields the API never sends back, as kept so far.
    pub fn remembered(&self) -> &Remembered {
        &self.remembered
    }

    /// Starts from what earlier runs sent (read from the data dir at start).
    pub fn set_remembered(&mut self, mut remembered: Remembered) {
        remembered.forget_empty();
        self.remembered = remembered;
    }

    /// A PUT `body` for call `uid` was confirmed at `at`: its values for the fields the API
    /// never sends back are kept, and the call held gets them at once. Returns whether
    /// anything new was kept (so it is worth writing to disk).
    pub fn note_sent(&mut self, uid: &str, body: &serde_json::Value, at: &str) -> bool {
        if !self.remembered.note(uid, body, at) {
            return false;
        }
        if let Some(id) = self.id_of(uid)
            && let Some(Some(held)) = self.slots.get_mut(id.index())
        {
            let mut call = held.to_call();
            self.remembered.fill(&mut call);
            let mut packed = packed_call(&call);
            packed.share(&mut self.shared);
            if *held != packed {
                *held = packed;
                self.changed(id);
            }
        }
        true
    }

    /// [`CallStore::note_sent`] when the server's copy `next` of the call is put in its slot
    /// right after ([`CallStore::update`]), which gives it the values noted: the held copy is
    /// packed again with them only when `next` will not replace it (an older copy, another
    /// call's). What is held in the end is the same either way; a bulk action's call is then
    /// packed once instead of twice.
    pub fn note_sent_before_update(
        &mut self,
        uid: &str,
        body: &serde_json::Value,
        at: &str,
        next: &VoiceCall,
    ) -> bool {
        let replaced = next.uid.as_deref() == Some(uid)
            && self
                .id_of(uid)
                .is_some_and(|id| !self.is_older_at(id, next.updated_at.as_deref()));
        if !replaced {
            return self.note_sent(uid, body, at);
        }
        self.remembered.note(uid, body, at)
    }

    /// Frees every slot not in `live` (the calls some view still lists).
    pub fn retain(&mut self, live: &HashSet<CallId>) {
        for i in 0..self.slots.len() {
            let id = CallId(i as u32);
            if live.contains(&id) {
                continue;
            }
            if let Some(call) = self.slots[i].take() {
                if let Some(uid) = call.uid() {
                    self.by_uid.remove(uid, id);
                }
                self.free.push(id);
                self.provisional.remove(&id);
                self.changed(id);
            }
        }
    }

    /// Bumped whenever a held call changes.
    pub fn generation(&self) -> u64 {
        self.journal.generation()
    }

    /// The slots changed after generation `since`, or `None` when that is too long ago to
    /// say (the caller starts over).
    pub fn changed_since(&self, since: u64) -> Option<impl Iterator<Item = CallId> + '_> {
        Some(self.journal.since(since)?.copied())
    }

    fn changed(&mut self, id: CallId) {
        self.journal.record(id);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn call(uid: &str, summary: &str) -> VoiceCall {
        VoiceCall {
            uid: Some(uid.into()),
            call_summary: Some(summary.into()),
            ..Default::default()
        }
    }

    #[test]
    fn calls_holding_the_same_status_and_staff_share_one_copy_of_them() {
        let mut store = CallStore::new();
        for uid in ["a", "b", "c"] {
            let mut c = call(uid, uid);
            c.status = Some(crate::api::Status("MISSED".into()));
            c.staff_uid = Some("staff-1".into());
            store.upsert(c);
        }
        assert_eq!(store.shared.len(), 1);
        let mut other = call("d", "d");
        other.status = Some(crate::api::Status("VOICEMAIL".into()));
        let d = store.upsert(other);
        assert_eq!(store.shared.len(), 2);
        assert_eq!(store.get(d).and_then(|c| c.status()), Some("VOICEMAIL"));
        assert_eq!(
            store.by_uid("a").and_then(|c| c.staff_uid()),
            Some("staff-1")
        );
    }

    #[test]
    fn a_known_uid_keeps_its_slot_and_is_journaled() {
        let mut store = CallStore::new();
        let a = store.upsert(call("a", "one"));
        let b = store.upsert(call("b", "two"));
        assert_ne!(a, b);
        let g = store.generation();
        assert_eq!(g, 0, "new slots are not changes");
        assert_eq!(store.upsert(call("a", "one")), a);
        assert_eq!(store.generation(), g, "the same copy changes nothing");
        assert_eq!(store.upsert(call("a", "uno")), a);
        assert_eq!(
            store.by_uid("a").and_then(|c| c.call_summary()),
            Some("uno")
        );
        let changed: Vec<CallId> = store.changed_since(g).expect("journal").collect();
        assert_eq!(changed, vec![a]);
        assert_eq!(
            store
                .changed_since(store.generation())
                .expect("journal")
                .count(),
            0
        );
    }

    /// A page asked for before a save may answer after it: the saved copy stays.
    #[test]
    fn an_older_copy_never_replaces_a_newer_one() {
        let mut store = CallStore::new();
        let at = |summary: &str, t: &str| VoiceCall {
            updated_at: Some(t.into()),
            ..call("a", summary)
        };
        let a = store.upsert(at("saved", "2026-03-10T10:00:05Z"));
        store.upsert(at("stale page", "2026-03-10T10:00:00Z"));
        store.update(&at("stale reply", "2026-03-10T09:59:00Z"));
        assert_eq!(store.get(a).and_then(|c| c.call_summary()), Some("saved"));
        store.upsert(at("newer", "2026-03-10T10:01:00Z"));
        assert_eq!(store.get(a).and_then(|c| c.call_summary()), Some("newer"));
    }

    /// A copy that may be stale in ways its time cannot show (the cached list of the last run,
    /// a copy a check found changed) takes the server's next copy, even one with an earlier
    /// time (a server reset); after that, the usual order holds again.
    #[test]
    fn a_provisional_copy_takes_the_servers_next_copy_whatever_its_time() {
        let mut store = CallStore::new();
        let at = |summary: &str, t: &str| VoiceCall {
            updated_at: Some(t.into()),
            ..call("a", summary)
        };
        let a = store.upsert(at("cached", "2026-03-10T10:00:05Z"));
        store.mark_provisional("a");
        store.upsert(at("server", "2026-03-10T09:00:00Z"));
        assert_eq!(store.get(a).and_then(|c| c.call_summary()), Some("server"));
        store.update(&at("stale reply", "2026-03-10T08:00:00Z"));
        assert_eq!(
            store.get(a).and_then(|c| c.call_summary()),
            Some("server"),
            "once replaced, older copies are refused again"
        );
    }

    #[test]
    fn uid_less_calls_each_get_a_slot() {
        let mut store = CallStore::new();
        let x = store.upsert(VoiceCall::default());
        let y = store.upsert(VoiceCall::default());
        assert_ne!(x, y);
        assert_eq!(store.len(), 2);
    }

    #[test]
    fn update_only_touches_held_calls() {
        let mut store = CallStore::new();
        assert_eq!(store.update(&call("a", "x")), None);
        assert!(store.is_empty());
        let a = store.upsert(call("a", "x"));
        assert_eq!(store.update(&call("a", "y")), Some(a));
        assert_eq!(store.get(a).and_then(|c| c.call_summary()), Some("y"));
    }

    #[test]
    fn freed_slots_are_reused_and_forgotten() {
        let mut store = CallStore::new();
        let a = store.upsert(call("a", ""));
        let b = store.upsert(call("b", ""));
        store.retain(&HashSet::from([b]));
        assert_eq!(store.len(), 1);
        assert!(store.by_uid("a").is_none() && store.get(a).is_none());
        let c = store.upsert(call("c", ""));
        assert_eq!(c, a, "the free slot is reused");
        assert_eq!(store.slot_count(), 2);
    }

    #[test]
    fn every_uid_finds_its_own_slot_as_slots_are_freed_and_reused() {
        let mut store = CallStore::new();
        let ids: Vec<CallId> = (0..2000)
            .map(|i| store.upsert(call(&format!("u{i}"), "")))
            .collect();
        let live: HashSet<CallId> = ids.iter().copied().step_by(3).collect();
        store.retain(&live);
        for i in 2000..3000 {
            store.upsert(call(&format!("u{i}"), ""));
        }
        for i in 0..3000 {
            let uid = format!("u{i}");
            let held = i >= 2000 || i % 3 == 0;
            let found = store.id_of(&uid);
            assert_eq!(found.is_some(), held, "{uid}");
            if let Some(id) = found {
                assert_eq!(store.get(id).and_then(|c| c.uid()), Some(uid.as_str()));
            }
        }
        assert_eq!(store.slot_count(), 2000, "the freed slots were reused");
    }

    #[test]
    fn an_index_too_far_behind_is_told_to_start_over() {
        let mut store = CallStore::new();
        let a = store.upsert(call("a", "0"));
        for i in 0..JOURNAL_MAX + 10 {
            store.upsert(call("a", &i.to_string()));
        }
        assert!(store.changed_since(0).is_none());
        let recent = store.generation() - 3;
        let changed: Vec<CallId> = store.changed_since(recent).expect("journal").collect();
        assert_eq!(changed, vec![a, a, a]);
    }

    /// A bulk call's values noted before its server copy is stored leave the store as noting
    /// them and then storing that copy did, whether the copy replaces the held one or not.
    #[test]
    fn noting_before_the_update_ends_as_noting_then_updating() {
        let at = |uid: &str, summary: &str, t: &str| VoiceCall {
            updated_at: Some(t.into()),
            ..call(uid, summary)
        };
        let held = at("a", "held", "2026-03-10T10:00:05Z");
        let body = serde_json::json!({"rate": "0.05", "price": "1.50", "summary": "x"});
        let nexts = [
            at("a", "saved", "2026-03-10T10:00:06Z"),
            at("a", "older", "2026-03-10T10:00:00Z"),
            at("a", "held", "2026-03-10T10:00:05Z"),
            at("b", "another call", "2026-03-10T10:00:06Z"),
            VoiceCall {
                rate: Some("0.09".into()),
                ..at("a", "rate sent back", "2026-03-10T10:00:07Z")
            },
        ];
        for provisional in [false, true] {
            for next in &nexts {
                let mut stores = [CallStore::new(), CallStore::new()];
                for store in &mut stores {
                    store.upsert(held.clone());
                    store.upsert(at("b", "b", "2026-03-10T10:00:05Z"));
                    if provisional {
                        store.mark_provisional("a");
                    }
                }
                let [then, before] = &mut stores;
                assert!(then.note_sent("a", &body, "t"));
                then.update(next);
                assert!(before.note_sent_before_update("a", &body, "t", next));
                before.update(next);
                for uid in ["a", "b"] {
                    assert_eq!(then.by_uid(uid), before.by_uid(uid), "{uid} after {next:?}");
                }
                assert!(then.by_uid("a").and_then(|c| c.to_call().rate).is_some());
                assert_eq!(then.remembered(), before.remembered());
                assert!(!before.note_sent_before_update("a", &body, "t", next));
            }
        }
    }
}
