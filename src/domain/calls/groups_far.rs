//! The far end's callers (`G` in a view of one row per caller): the calls the list shows
//! after its gap (`tail.rs`) folded by caller too, as rows after a gap row, while the pages
//! in between load. A caller the rows above already hold is not repeated: their far calls
//! join their group when the middle brings them, and until then that row is gathering too. The far end's rows are still gathering: a
//! caller's row may grow, or move up when the middle brings a newer call of theirs, until
//! the gap fills and the far end goes; then the rows are the list's alone.
//!
//! Built again whenever anything under the rows moved (a page, a change, the far end's own
//! calls): it holds at most a page of calls. Its groups' positions are list rows
//! (`CallList::id_at`: past the gap), and their indexes follow the groups above
//! (`Row::Group(g)` with `g >= Groups::callers_above`).

use std::collections::{HashMap, HashSet};

use super::{Group, Groups, NO_TIME, Row};
use crate::api::CallFields;
use crate::api::model::StatusKind;
use crate::domain::calls::{CallId, CallList, CallStore};
use crate::domain::people::Lookup;

/// The far end's rows: its callers that no group above holds.
#[derive(Debug, Clone, Default)]
pub(super) struct Far {
    /// The far end's calls as the rows were built from them (empty: no far end).
    ids: Vec<CallId>,
    /// The list's row of the gap, when the list has a far end.
    pub(super) gap: Option<usize>,
    /// The far end's callers, in the view's order (where each one's first far call stands).
    pub(super) groups: Vec<Group>,
    /// Each far call's group and list row (a call whose caller has a group above has
    /// none).
    group_of: HashMap<CallId, (usize, usize)>,
    /// Each far call's list row and its row on screen.
    row_of: HashMap<usize, usize>,
    /// The screen row of the gap.
    pub(super) gap_row: Option<usize>,
    /// The groups above holding fewer calls than are loaded: their caller has far calls too
    /// (shown on no row until the middle brings the calls between). Gathering as well.
    above: HashSet<usize>,
}

impl Groups {
    /// Builds the far end's rows again when the list's far end, or anything the rows above
    /// were built from, moved (`moved`). True when they were built.
    pub(super) fn sync_far(&mut self, list: &CallList, store: &CallStore, moved: bool) -> bool {
        let tail = list.tail_ids();
        let none = list.gap_row().is_none() && self.far.gap.is_none();
        if none || (!moved && self.far.ids == tail && self.far.gap == list.gap_row()) {
            return false;
        }
        self.far.ids = tail.to_vec();
        self.far.gap = list.gap_row();
        self.far.groups.clear();
        self.far.group_of.clear();
        self.far.above.clear();
        let mut by_caller: HashMap<Lookup, usize> = HashMap::new();
        let first = list.len() + 1;
        for (k, id) in tail.iter().enumerate() {
            let pos = first + k;
            let call = store.get(*id);
            let key = call.and_then(super::caller_of);
            if let Some(g) = key.and_then(|_| self.group_by(key)) {
                self.far.above.insert(g); // their group stands above, short of this call
                continue;
            }
            let at = call.map_or(NO_TIME, |c| self.time_of(*id, c));
            let voicemail = call.and_then(|c| c.status_kind()) == Some(StatusKind::Voicemail);
            let known = key.and_then(|k| by_caller.get(&k.to_owned()).copied());
            let g = match known {
                Some(g) => {
                    self.far.groups[g].add(pos, at, voicemail);
                    g
                }
                None => {
                    let g = self.far.groups.len();
                    if let Some(k) = key {
                        by_caller.insert(k.to_owned(), g);
                    }
                    self.far
                        .groups
                        .push(Group::new(key, (pos, at, voicemail), u32::MAX));
                    g
                }
            };
            self.far.group_of.insert(*id, (g, pos));
        }
        true
    }

    /// The gap row and the far end's rows, after the rows above (`lay_out`).
    pub(super) fn lay_out_far(&mut self) {
        self.far.row_of.clear();
        self.far.gap_row = None;
        if self.far.gap.is_none() {
            return;
        }
        self.far.gap_row = Some(self.rows.len());
        self.rows.push(Row::Gap);
        let above = self.groups.len();
        for (k, group) in self.far.groups.iter().enumerate() {
            let head = self.rows.len();
            self.head_row.push(head);
            if !group.folds() {
                self.far.row_of.insert(group.members[0], head);
                self.rows.push(Row::Call {
                    at: group.members[0],
                    member: false,
                });
                continue;
            }
            self.rows.push(Row::Group(above + k));
            let open = group
                .key
                .as_ref()
                .is_some_and(|k| self.expanded.contains(k));
            for &at in &group.members {
                if open {
                    self.far.row_of.insert(at, self.rows.len());
                    self.rows.push(Row::Call { at, member: true });
                } else {
                    self.far.row_of.insert(at, head);
                }
            }
        }
    }

    /// The row of list row `pos`: its call's (or its collapsed group's), the gap's, or for
    /// a far call whose caller has a group above, that group's row.
    pub(super) fn row_at(&self, list: &CallList, store: &CallStore, pos: usize) -> Option<usize> {
        if pos < list.len() {
            return self.row_of.get(pos).copied();
        }
        if Some(pos) == self.far.gap {
            return self.far.gap_row;
        }
        if let Some(row) = self.far.row_of.get(&pos) {
            return Some(*row);
        }
        let key = list
            .id_at(pos)
            .and_then(|id| store.get(id))
            .and_then(super::caller_of);
        let g = self.group_by(key)?;
        self.head_row.get(g).copied()
    }

    /// The far group of this caller, as a group index.
    pub(super) fn far_group_by(&self, key: &Lookup) -> Option<usize> {
        let k = self
            .far
            .groups
            .iter()
            .position(|g| g.key.as_ref() == Some(key))?;
        Some(self.groups.len() + k)
    }

    /// The far group of a far call, as a group index.
    pub(super) fn far_group_of(&self, id: CallId) -> Option<usize> {
        self.far
            .group_of
            .get(&id)
            .map(|(k, _)| self.groups.len() + k)
    }

    /// The row of a far call: its own, or its collapsed group's.
    pub(super) fn far_row_of_call(&self, id: CallId) -> Option<usize> {
        let (_, pos) = self.far.group_of.get(&id)?;
        self.far.row_of.get(pos).copied()
    }

    /// Whether group `g` is still gathering its caller's calls: one of the far end's, or one
    /// above whose caller has far calls it does not hold yet.
    pub fn gathering(&self, g: usize) -> bool {
        (g >= self.groups.len() && g < self.groups.len() + self.far.groups.len())
            || self.far.above.contains(&g)
    }

    /// Whether the cursor is on a caller's row that is still gathering (an action on all of
    /// their calls would reach only some).
    pub fn on_gathering_group(&self) -> bool {
        match self.rows.get(self.window.selected) {
            Some(Row::Group(g)) => self.gathering(*g),
            _ => false,
        }
    }

    /// Whether the row under the cursor is one of the far end's (a caller's row or a call),
    /// still gathering.
    pub fn on_far_row(&self) -> bool {
        self.far
            .gap_row
            .is_some_and(|gap| self.window.selected > gap)
    }

    /// The screen row of the gap, when the list has a far end.
    pub fn gap_row(&self) -> Option<usize> {
        self.far.gap_row
    }

    /// How many callers the far end adds to those above.
    pub(super) fn far_callers(&self) -> usize {
        self.far.groups.len()
    }
}

#[cfg(test)]
#[path = "groups_far_tests.rs"]
mod tests;
