//! One row per caller: a view's calls waiting for a call back folded by who they were with
//! ([`LookupRef`]: the client by id, else the other party's number). A group stands where its first call stands in the
//! view's order (newest first by default, so by its newest call); a group's calls are listed
//! under it, indented, while it is expanded; a caller with one call is a plain call row.
//!
//! Built when the list's rows or a listed call's caller change (the list's and the store's
//! generations, the store's journal), grown in place when a page is appended, and edited in
//! place when a few calls leave, join, move or change (`groups_edit.rs`: a bulk action's
//! answers, one call each): never per frame, never per key press. Its own cursor moves over rows; the list's cursor is kept on
//! the call the row stands for (a group: its newest call), so everything that reads "the
//! call under the cursor" (the detail pane, `e`, paging) keeps working.

use std::collections::{HashMap, HashSet};

use super::{CallId, CallList, CallStore, PackedCall, Window};
use crate::api::CallFields;
use crate::api::model::StatusKind;
use crate::domain::people::{Lookup, LookupRef};

/// Marks a slot that the list does not hold.
const NOT_LISTED: u32 = u32::MAX;
/// A slot whose time has not been read since its call changed.
const UNREAD: i64 = i64::MAX;
/// A call without a readable time.
const NO_TIME: i64 = i64::MIN;

/// A caller's calls in the view.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Group {
    /// Who the calls were with; `None` for a call with neither client nor number, which is
    /// always alone.
    key: Option<Lookup>,
    /// Its calls' list positions, in list order.
    members: Vec<usize>,
    /// The list position of its newest call (the first in list order among equals), and
    /// that call's time (ms).
    newest: (usize, i64),
    /// The list position of its oldest call with a time, and that time (`NO_TIME`: none).
    oldest: (usize, i64),
    /// A voicemail is among its calls.
    voicemail: bool,
    /// Its entry in [`Groups::handles`], which the caller maps point to: stable while the
    /// group lives, whatever its index.
    handle: u32,
}

impl Group {
    pub fn key(&self) -> Option<&Lookup> {
        self.key.as_ref()
    }

    /// Its calls' positions in the list, in list order.
    pub fn members(&self) -> &[usize] {
        &self.members
    }

    /// Several calls, drawn as a group row.
    pub fn folds(&self) -> bool {
        self.members.len() > 1
    }

    /// The list position of its newest call (the first in list order among equals).
    pub fn newest(&self) -> usize {
        self.newest.0
    }

    /// The list position of its oldest call (when the caller started waiting).
    pub fn oldest(&self) -> usize {
        self.oldest.0
    }

    /// Whether a voicemail is among its calls.
    pub fn has_voicemail(&self) -> bool {
        self.voicemail
    }

    /// A group of one call: `(position, time, voicemail)`.
    fn new(
        key: Option<LookupRef<'_>>,
        (pos, at, voicemail): (usize, i64, bool),
        handle: u32,
    ) -> Self {
        Self {
            key: key.map(LookupRef::to_owned),
            members: vec![pos],
            newest: (pos, at),
            oldest: (pos, at),
            voicemail,
            handle,
        }
    }

    fn add(&mut self, pos: usize, at: i64, voicemail: bool) {
        self.members.push(pos);
        if at > self.newest.1 {
            self.newest = (pos, at);
        }
        if at != NO_TIME && (self.oldest.1 == NO_TIME || at <= self.oldest.1) {
            self.oldest = (pos, at);
        }
        self.voicemail |= voicemail;
    }
}

/// One row on screen.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Row {
    /// A caller with several calls: the group's index.
    Group(usize),
    /// The call at this list position; `member` when listed under its expanded group.
    Call { at: usize, member: bool },
    /// The gap before the far end's callers (`G`; `groups_far.rs`): no call.
    Gap,
}

/// What the cursor is on, to find it again when the rows are rebuilt.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Anchor {
    Header(Lookup),
    Call(CallId),
    Gap,
}

/// The generations the rows were built from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Seen {
    list: u64,
    len: usize,
    store: u64,
}

/// A view's calls as rows, one per caller, with the cursor over the rows.
#[derive(Debug, Clone, Default)]
pub struct Groups {
    seen: Option<Seen>,
    groups: Vec<Group>,
    /// Each caller's group, as a handle (see `handles`).
    by_client: HashMap<String, u32>,
    by_number: HashMap<String, u32>,
    /// The list's calls as the rows were built from them: what an edit is told apart from.
    ids: Vec<CallId>,
    /// Each group's index by its handle, so the maps above survive groups moving.
    handles: Vec<usize>,
    /// Handles of groups that are gone, for reuse.
    free_handles: Vec<u32>,
    /// Each slot's list position (`NOT_LISTED` when not listed), to find a changed call.
    slot_pos: Vec<u32>,
    /// Each list position's group.
    group_of: Vec<usize>,
    /// Each slot's call's time (ms), read once per change of the call (`UNREAD` until then):
    /// a rebuild reads only the calls that changed.
    times: Vec<i64>,
    /// The callers whose calls are listed under them.
    expanded: HashSet<Lookup>,
    rows: Vec<Row>,
    /// Each list position's row: its own, or its group's when the group is collapsed.
    row_of: Vec<usize>,
    /// Each group's first row (its header, or its one call).
    head_row: Vec<usize>,
    window: Window,
    /// What the cursor is on, and the call that put under the list's cursor (none: the
    /// gap); a list cursor on another call was moved by the list (a call left) and is
    /// followed.
    anchor: Option<(Anchor, Option<CallId>)>,
    /// The far end's callers, after a gap row (`groups_far.rs`).
    far: far::Far,
    /// How many times the rows were built from scratch.
    #[cfg(test)]
    built: usize,
}

impl Groups {
    /// Brings the rows up to date with `list` and the `store` (nothing is done when their
    /// generations have not moved) and keeps the two cursors together: a list cursor the
    /// list moved is followed, else the row under the cursor stays under it.
    pub fn sync(&mut self, list: &mut CallList, store: &CallStore, height: usize) {
        let now = Seen {
            list: list.generation(),
            len: list.len(),
            store: store.generation(),
        };
        let seen = self.seen;
        // A cursor on the gap row stays on it while the far end gathers, and goes to the last
        // row when the gap fills. A cursor on a call or a caller stays with it, wherever the
        // rows move it: a page coming in never puts it on a call the user did not choose.
        let on_gap = self
            .far
            .gap_row
            .is_some_and(|gap| gap == self.window.selected);
        let changed = match seen {
            Some(seen) if seen == now => false,
            Some(seen) => match self.listed_changed(store, seen.store) {
                Some(calls) if calls.is_empty() && seen.list == now.list && seen.len <= now.len => {
                    self.append(list, store, seen.len);
                    seen.len < now.len
                }
                Some(calls) if self.edit(list, store, &calls) => true,
                _ => {
                    self.build(list, store);
                    true
                }
            },
            None => {
                self.build(list, store);
                true
            }
        };
        let far = self.sync_far(list, store, changed || seen != Some(now));
        let changed = changed || far;
        self.seen = Some(now);
        if changed {
            self.lay_out();
        }
        let moved = match &self.anchor {
            Some((_, id)) => *id != list.selected_id(),
            None => list.selected_id().is_some(),
        };
        if !changed && !moved {
            return;
        }
        let row = match &self.anchor {
            _ if on_gap && changed => self.far.gap_row.or(Some(self.rows.len().saturating_sub(1))),
            Some((anchor, _)) if !moved => self.find(anchor),
            _ => None,
        }
        .or_else(|| self.row_at(list, store, list.selected_index()))
        .unwrap_or(0);
        self.window.select(row, self.rows.len(), height);
        self.push(list, height);
    }

    /// Forgets everything: the next [`Groups::sync`] builds the rows again (grouping was
    /// turned on, or another view's list is shown).
    pub fn reset(&mut self) {
        self.seen = None;
        self.anchor = None;
        self.times.clear();
        self.far = far::Far::default();
    }

    /// The call's time (ms), read when its slot's is not known.
    fn time_of(&mut self, id: CallId, call: &PackedCall) -> i64 {
        if self.times.len() <= id.index() {
            self.times.resize(id.index() + 1, UNREAD);
        }
        let slot = &mut self.times[id.index()];
        if *slot == UNREAD {
            *slot = call.created().map_or(NO_TIME, |t| t.timestamp_millis());
        }
        *slot
    }

    fn build(&mut self, list: &CallList, store: &CallStore) {
        #[cfg(test)]
        {
            self.built += 1;
        }
        self.groups.clear();
        self.by_client.clear();
        self.by_number.clear();
        self.ids.clear();
        self.handles.clear();
        self.free_handles.clear();
        self.slot_pos.clear();
        self.group_of.clear();
        self.append(list, store, 0);
    }

    /// Adds the calls from list position `from` on to their callers' groups.
    fn append(&mut self, list: &CallList, store: &CallStore, from: usize) {
        if self.slot_pos.len() < store.slot_count() {
            self.slot_pos.resize(store.slot_count(), NOT_LISTED);
        }
        for (pos, id) in list.ids().iter().enumerate().skip(from) {
            self.ids.push(*id);
            if let Some(slot) = self.slot_pos.get_mut(id.index()) {
                *slot = u32::try_from(pos).unwrap_or(NOT_LISTED);
            }
            let call = store.get(*id);
            let at = call.map_or(NO_TIME, |c| self.time_of(*id, c));
            let voicemail = call.and_then(|c| c.status_kind()) == Some(StatusKind::Voicemail);
            let key = call.and_then(caller_of);
            if let Some(g) = self.group_by(key) {
                self.groups[g].add(pos, at, voicemail);
                self.group_of.push(g);
                continue;
            }
            let g = self.groups.len();
            self.group_of.push(g);
            let handle = self.new_handle(key, g);
            self.groups
                .push(Group::new(key, (pos, at, voicemail), handle));
        }
    }

    /// The rows from the groups: each group's header (its calls under it when expanded), or
    /// its one call.
    fn lay_out(&mut self) {
        let len: usize = self.groups.iter().map(|g| g.members.len()).sum();
        self.rows.clear();
        self.row_of.clear();
        self.row_of.resize(len, 0);
        self.head_row.clear();
        for (g, group) in self.groups.iter().enumerate() {
            let head = self.rows.len();
            self.head_row.push(head);
            if !group.folds() {
                self.row_of[group.members[0]] = head;
                self.rows.push(Row::Call {
                    at: group.members[0],
                    member: false,
                });
                continue;
            }
            self.rows.push(Row::Group(g));
            let open = group
                .key
                .as_ref()
                .is_some_and(|k| self.expanded.contains(k));
            for &at in &group.members {
                if open {
                    self.row_of[at] = self.rows.len();
                    self.rows.push(Row::Call { at, member: true });
                } else {
                    self.row_of[at] = head;
                }
            }
        }
        self.lay_out_far();
    }

    fn find(&self, anchor: &Anchor) -> Option<usize> {
        match anchor {
            Anchor::Header(key) => {
                let g = self
                    .group_by(Some(edit::borrowed(key)))
                    .or_else(|| self.far_group_by(key))?;
                self.head_row.get(g).copied()
            }
            Anchor::Call(id) => {
                let pos = self.slot_pos.get(id.index()).copied().unwrap_or(NOT_LISTED);
                if pos == NOT_LISTED {
                    return self.far_row_of_call(*id);
                }
                self.row_of.get(pos as usize).copied()
            }
            Anchor::Gap => self.far.gap_row,
        }
    }

    /// Puts the list's cursor on the call the selected row stands for.
    fn push(&mut self, list: &mut CallList, height: usize) {
        let Some(row) = self.rows.get(self.window.selected).copied() else {
            self.anchor = None;
            return;
        };
        let (anchor, pos) = match row {
            Row::Group(g) => {
                let Some(group) = self.group(g) else {
                    self.anchor = None;
                    return;
                };
                let anchor = group.key.clone().map(Anchor::Header);
                (anchor, group.newest())
            }
            Row::Call { at, .. } => (None, at),
            Row::Gap => {
                if let Some(gap) = self.far.gap {
                    list.select(gap, height);
                }
                self.anchor = Some((Anchor::Gap, None));
                return;
            }
        };
        list.select(pos, height);
        let Some(id) = list.selected_id() else {
            self.anchor = None;
            return;
        };
        self.anchor = Some((anchor.unwrap_or(Anchor::Call(id)), Some(id)));
    }

    // ---- the cursor ----

    /// Moves the cursor by `delta` rows; the list's cursor follows.
    pub fn move_by(&mut self, delta: isize, list: &mut CallList, height: usize) {
        self.window.move_by(delta, self.rows.len(), height);
        self.push(list, height);
    }

    /// Puts the cursor on row `index`.
    pub fn select(&mut self, index: usize, list: &mut CallList, height: usize) {
        self.window.select(index, self.rows.len(), height);
        self.push(list, height);
    }

    /// Puts the cursor on the call at list position `pos`, expanding its group when the
    /// call would be hidden in it (a search jumping to it).
    pub fn reveal(&mut self, pos: usize, list: &mut CallList, height: usize) {
        let Some(&row) = self.row_of.get(pos) else {
            return;
        };
        if let Some(Row::Group(g)) = self.rows.get(row)
            && let Some(key) = self.groups[*g].key.clone()
        {
            self.expanded.insert(key);
            self.lay_out();
        }
        let row = self.row_of.get(pos).copied().unwrap_or(row);
        self.select(row, list, height);
    }

    /// Scrolls the rows by `delta` (the wheel), dragging the cursor along.
    pub fn scroll_by(&mut self, delta: isize, list: &mut CallList, height: usize) {
        self.window.scroll_by(delta, self.rows.len(), height);
        self.push(list, height);
    }

    /// Keeps the cursor on screen after a resize.
    pub fn scroll_into_view(&mut self, height: usize) {
        self.window.scroll_into_view(self.rows.len(), height);
    }

    /// Expands or collapses the group under the cursor; `false` when the cursor is on a call.
    pub fn toggle(&mut self, list: &mut CallList, height: usize) -> bool {
        let Some(Row::Group(g)) = self.rows.get(self.window.selected).copied() else {
            return false;
        };
        let Some(key) = self.group(g).and_then(|g| g.key.clone()) else {
            return false;
        };
        if !self.expanded.remove(&key) {
            self.expanded.insert(key);
        }
        self.lay_out();
        let head = self.head_row[g];
        self.select(head, list, height);
        true
    }
}

/// Who a call folds under: a call waiting for a call back (the rule `h` follows), by its
/// caller. Any other call (an outbound attempt, a call already handled) stands alone.
fn caller_of(call: &PackedCall) -> Option<LookupRef<'_>> {
    crate::domain::handling::check(call).ok()?;
    LookupRef::of(call)
}

#[path = "groups_edit.rs"]
mod edit;

#[path = "groups_far.rs"]
mod far;

#[path = "groups_read.rs"]
mod read;

#[cfg(test)]
#[path = "groups_tests.rs"]
mod tests;
