//! The store's index from uid to slot. It keeps no copy of the uids: each entry is the slot,
//! found by the uid's hash and confirmed against the uid the slot holds (about 9 bytes a call
//! where a map of owned uids took about 90).

use std::hash::BuildHasher;

use hashbrown::HashTable;

use super::{CallId, PackedCall};
use crate::api::CallFields;

#[derive(Debug, Clone, Default)]
pub(super) struct Uids {
    table: HashTable<CallId>,
    hasher: std::collections::hash_map::RandomState,
}

/// The uid held in slot `id`.
fn uid_at(slots: &[Option<PackedCall>], id: CallId) -> Option<&str> {
    slots.get(id.index())?.as_ref()?.uid()
}

impl Uids {
    /// The slot holding `uid`, among `slots`.
    pub(super) fn get(&self, slots: &[Option<PackedCall>], uid: &str) -> Option<CallId> {
        let hash = self.hasher.hash_one(uid);
        self.table
            .find(hash, |id| uid_at(slots, *id) == Some(uid))
            .copied()
    }

    /// Files slot `id` under the uid it holds (call after the call is in its slot; a uid
    /// held by one slot only).
    pub(super) fn insert(&mut self, slots: &[Option<PackedCall>], id: CallId) {
        let Some(uid) = uid_at(slots, id) else {
            return;
        };
        let hasher = &self.hasher;
        let hash = hasher.hash_one(uid);
        self.table.insert_unique(hash, id, |other| {
            hasher.hash_one(uid_at(slots, *other).unwrap_or(""))
        });
    }

    /// Forgets slot `id`, filed under `uid` (call before the slot is emptied).
    pub(super) fn remove(&mut self, uid: &str, id: CallId) {
        let hash = self.hasher.hash_one(uid);
        if let Ok(entry) = self.table.find_entry(hash, |other| *other == id) {
            entry.remove();
        }
    }
}
