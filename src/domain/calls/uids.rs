//! The store's index from uid to slot. It keeps no copy of the uids: each entry is the slot,
//! found by the uid's hash and confirmed against the uid the slot holds (about 9 bytes a call
//! where a map of owned uids took about 90), with 32 bits of that hash beside it, so growing
//! the table never reads every call's uid again (it did: 6.5% of the console's CPU while
//! loading 100 000 calls, perf).

use std::hash::BuildHasher;

use hashbrown::HashTable;

use super::{CallId, PackedCall};
use crate::api::CallFields;

#[derive(Debug, Clone, Default)]
pub(super) struct Uids {
    /// Each slot, with the 32 bits of its uid's hash the table is ordered by.
    table: HashTable<(CallId, u32)>,
    hasher: std::collections::hash_map::RandomState,
}

/// The uid held in slot `id`.
fn uid_at(slots: &[Option<PackedCall>], id: CallId) -> Option<&str> {
    slots.get(id.index())?.as_ref()?.uid()
}

/// The table's hash of an entry, from the 32 bits kept: spread over 64 bits, so both the
/// bucket (low bits) and the tag (top bits) come from them.
fn spread(short: u32) -> u64 {
    u64::from(short).wrapping_mul(0x9E37_79B9_7F4A_7C15)
}

impl Uids {
    /// The 32 bits of `uid`'s hash kept beside its slot.
    fn short(&self, uid: &str) -> u32 {
        (self.hasher.hash_one(uid) >> 32) as u32
    }

    /// The slot holding `uid`, among `slots`.
    pub(super) fn get(&self, slots: &[Option<PackedCall>], uid: &str) -> Option<CallId> {
        let short = self.short(uid);
        self.table
            .find(spread(short), |(id, s)| {
                *s == short && uid_at(slots, *id) == Some(uid)
            })
            .map(|(id, _)| *id)
    }

    /// Files slot `id` under the uid it holds (call after the call is in its slot; a uid
    /// held by one slot only).
    pub(super) fn insert(&mut self, slots: &[Option<PackedCall>], id: CallId) {
        let Some(uid) = uid_at(slots, id) else {
            return;
        };
        let short = self.short(uid);
        self.table
            .insert_unique(spread(short), (id, short), |(_, s)| spread(*s));
    }

    /// Forgets slot `id`, filed under `uid` (call before the slot is emptied).
    pub(super) fn remove(&mut self, uid: &str, id: CallId) {
        if let Ok(entry) = self
            .table
            .find_entry(spread(self.short(uid)), |(other, _)| *other == id)
        {
            entry.remove();
        }
    }
}
