//! The caller rows edited in place when a few calls leave the list, join it, move in it or
//! change: a bulk action's answers each take one call out of Needs follow-up, and building
//! the rows again over the whole list for each of them cost a share of the bulk. An edit
//! does what [`Groups::build`] would (the tests compare the two after every change), with
//! no call read but the ones that changed and their groups' other calls; what is left is
//! moving the positions after the edit along by one, as the list's own `Vec` does.

use super::{Group, Groups, NO_TIME, NOT_LISTED, UNREAD, caller_of};
use crate::api::CallFields;
use crate::api::model::StatusKind;
use crate::domain::calls::{CallId, CallList, CallStore};
use crate::domain::people::{Lookup, LookupRef};

/// More calls than this leaving, joining or changing at once: the rows are built again.
const MAX_EDITS: usize = 32;

impl Groups {
    /// Forgets the times of the calls the store changed since `since`; the changed calls the
    /// rows hold (their caller, time or status may have changed), or `None` when the store
    /// cannot say (the rows are built again).
    pub(super) fn listed_changed(&mut self, store: &CallStore, since: u64) -> Option<Vec<CallId>> {
        let Some(changed) = store.changed_since(since) else {
            self.times.clear();
            return None;
        };
        let mut listed = Vec::new();
        for id in changed {
            if let Some(t) = self.times.get_mut(id.index()) {
                *t = UNREAD;
            }
            if self
                .slot_pos
                .get(id.index())
                .is_some_and(|pos| *pos != NOT_LISTED)
            {
                listed.push(id);
            }
        }
        listed.sort_unstable();
        listed.dedup();
        Some(listed)
    }

    /// The group of this caller, if any.
    pub(super) fn group_by(&self, key: Option<LookupRef<'_>>) -> Option<usize> {
        let handle = match key? {
            LookupRef::Client(k) => self.by_client.get(k),
            LookupRef::Number(k) => self.by_number.get(k),
        }?;
        self.handles.get(*handle as usize).copied()
    }

    /// A handle for a new group at index `g`, and this caller's map pointing to it.
    pub(super) fn new_handle(&mut self, key: Option<LookupRef<'_>>, g: usize) -> u32 {
        let handle = match self.free_handles.pop() {
            Some(h) => {
                self.handles[h as usize] = g;
                h
            }
            None => {
                self.handles.push(g);
                u32::try_from(self.handles.len() - 1).unwrap_or(u32::MAX)
            }
        };
        match key {
            Some(LookupRef::Client(k)) => self.by_client.insert(k.to_string(), handle),
            Some(LookupRef::Number(k)) => self.by_number.insert(k.to_string(), handle),
            None => None,
        };
        handle
    }

    /// Brings the rows from the list they were built from (`self.ids`) to `list` by edits,
    /// when the two differ by a few calls leaving, joining or moving, and `changed` (the
    /// listed calls the store changed) is short. `false` (nothing done) when they do not:
    /// the rows are built again.
    pub(super) fn edit(&mut self, list: &CallList, store: &CallStore, changed: &[CallId]) -> bool {
        let (old, new) = (&self.ids[..], list.ids());
        let start = old.iter().zip(new).take_while(|(a, b)| a == b).count();
        let end = old[start..]
            .iter()
            .rev()
            .zip(new[start..].iter().rev())
            .take_while(|(a, b)| a == b)
            .count();
        let (gone, came) = (&old[start..old.len() - end], &new[start..new.len() - end]);
        let n = gone.len();
        // One call moved: the two middles are each other turned by one.
        let moved = if n > 1
            && n == came.len()
            && gone[1..] == came[..n - 1]
            && gone[0] == came[n - 1]
        {
            Some((start, start + n - 1, gone[0]))
        } else if n > 1 && n == came.len() && gone[..n - 1] == came[1..] && gone[n - 1] == came[0] {
            Some((start + n - 1, start, came[0]))
        } else {
            None
        };
        let came: Vec<CallId> = match moved {
            Some(_) => Vec::new(),
            None if n + came.len() + changed.len() > MAX_EDITS => return false,
            None => came.to_vec(),
        };
        if self.slot_pos.len() < store.slot_count() {
            self.slot_pos.resize(store.slot_count(), NOT_LISTED);
        }
        let mut fresh = came.clone();
        if let Some((from, to, id)) = moved {
            self.remove_at(from, store);
            self.insert_at(to, id, store);
            fresh.push(id);
        } else {
            for at in (start..start + n).rev() {
                self.remove_at(at, store);
            }
            for (i, id) in came.into_iter().enumerate() {
                self.insert_at(start + i, id, store);
            }
        }
        // A call still listed that changed: out of its group and in again, read afresh.
        for id in changed.iter().filter(|id| !fresh.contains(id)) {
            let Some(&pos) = self.slot_pos.get(id.index()) else {
                continue;
            };
            if pos != NOT_LISTED {
                self.remove_at(pos as usize, store);
                self.insert_at(pos as usize, *id, store);
            }
        }
        true
    }

    /// The call at list position `p` leaves: later positions move up one.
    fn remove_at(&mut self, p: usize, store: &CallStore) {
        let id = self.ids.remove(p);
        let g = self.group_of.remove(p);
        // Another call stays the group's newest and oldest, and a group without a voicemail
        // keeps none: its calls are read again only when the call leaving may have been one.
        let group = &self.groups[g];
        let retally = group.newest.0 == p || group.oldest.0 == p || group.voicemail;
        self.slot_pos[id.index()] = NOT_LISTED;
        self.number_from(p);
        let members = &mut self.groups[g].members;
        if let Ok(i) = members.binary_search(&p) {
            members.remove(i);
        }
        for group in &mut self.groups {
            shift(group, |pos| pos > p, |pos| pos - 1);
        }
        if self.groups[g].members.is_empty() {
            self.drop_group(g);
            return;
        }
        if retally {
            self.tally(g, store);
        }
        self.reorder(g);
    }

    /// The call `id` joins the list at position `p`: later positions move down one.
    fn insert_at(&mut self, p: usize, id: CallId, store: &CallStore) {
        self.ids.insert(p, id);
        self.number_from(p);
        for group in &mut self.groups {
            shift(group, |pos| pos >= p, |pos| pos + 1);
        }
        let call = store.get(id);
        let at = call.map_or(NO_TIME, |c| self.time_of(id, c));
        let voicemail = call.and_then(|c| c.status_kind()) == Some(StatusKind::Voicemail);
        let key = call.and_then(caller_of);
        if let Some(g) = self.group_by(key) {
            let members = &mut self.groups[g].members;
            let i = members.partition_point(|m| *m < p);
            members.insert(i, p);
            self.group_of.insert(p, g);
            self.tally(g, store);
            self.reorder(g);
            return;
        }
        // A caller of its own, where its first call stands.
        let g = self.groups.partition_point(|h| h.members[0] < p);
        for of in &mut self.group_of {
            if *of >= g {
                *of += 1;
            }
        }
        self.group_of.insert(p, g);
        let handle = self.new_handle(key, g);
        self.groups
            .insert(g, Group::new(key, (p, at, voicemail), handle));
        self.renumber_handles(g + 1);
    }

    /// Each call's list position from `p` on, after the list moved them.
    fn number_from(&mut self, p: usize) {
        for (pos, id) in self.ids.iter().enumerate().skip(p) {
            self.slot_pos[id.index()] = u32::try_from(pos).unwrap_or(NOT_LISTED);
        }
    }

    /// Works group `g`'s newest and oldest call and its voicemail out again from its calls,
    /// as building it would.
    fn tally(&mut self, g: usize, store: &CallStore) {
        let group = &self.groups[g];
        let (key, handle) = (group.key.clone(), group.handle);
        let members = std::mem::take(&mut self.groups[g].members);
        let mut tallied: Option<Group> = None;
        for &pos in &members {
            let id = self.ids[pos];
            let call = store.get(id);
            let at = call.map_or(NO_TIME, |c| self.time_of(id, c));
            let voicemail = call.and_then(|c| c.status_kind()) == Some(StatusKind::Voicemail);
            match tallied.as_mut() {
                Some(t) => t.add(pos, at, voicemail),
                None => tallied = Some(Group::new(None, (pos, at, voicemail), handle)),
            }
        }
        let Some(mut tallied) = tallied else {
            return;
        };
        tallied.key = key;
        tallied.members = members;
        self.groups[g] = tallied;
    }

    /// Group `g` stands where its first call stands: moved there when that changed.
    fn reorder(&mut self, g: usize) {
        let first = self.groups[g].members[0];
        let up = g > 0 && self.groups[g - 1].members[0] > first;
        let down = self.groups.get(g + 1).is_some_and(|h| h.members[0] < first);
        if !up && !down {
            return;
        }
        let group = self.groups.remove(g);
        let to = self.groups.partition_point(|h| h.members[0] < first);
        self.groups.insert(to, group);
        for i in g.min(to)..=g.max(to) {
            let group = &self.groups[i];
            self.handles[group.handle as usize] = i;
            for &m in &group.members {
                self.group_of[m] = i;
            }
        }
    }

    /// Group `g` has no calls left: it goes, and the groups after it move up one.
    fn drop_group(&mut self, g: usize) {
        let group = self.groups.remove(g);
        match &group.key {
            Some(Lookup::Client(k)) => self.by_client.remove(k),
            Some(Lookup::Number(k)) => self.by_number.remove(k),
            None => None,
        };
        self.free_handles.push(group.handle);
        for of in &mut self.group_of {
            if *of > g {
                *of -= 1;
            }
        }
        self.renumber_handles(g);
    }

    /// The handles of the groups from `g` on, after they moved.
    fn renumber_handles(&mut self, g: usize) {
        for (i, group) in self.groups.iter().enumerate().skip(g) {
            self.handles[group.handle as usize] = i;
        }
    }
}

/// A caller's key as the maps are searched by.
pub(super) fn borrowed(key: &Lookup) -> LookupRef<'_> {
    match key {
        Lookup::Client(k) => LookupRef::Client(k),
        Lookup::Number(k) => LookupRef::Number(k),
    }
}

/// Moves the group's positions that `moves` picks (those after a place: they are the last
/// of its calls) with `by`.
fn shift(group: &mut Group, moves: impl Fn(usize) -> bool, by: impl Fn(usize) -> usize) {
    let from = group.members.partition_point(|m| !moves(*m));
    for m in &mut group.members[from..] {
        *m = by(*m);
    }
    if moves(group.newest.0) {
        group.newest.0 = by(group.newest.0);
    }
    if moves(group.oldest.0) {
        group.oldest.0 = by(group.oldest.0);
    }
}

#[cfg(test)]
#[path = "groups_edit_tests.rs"]
mod tests;
