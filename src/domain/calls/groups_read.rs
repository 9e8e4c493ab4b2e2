//! Reading the caller rows: what is on screen, the groups, the cursor's row (the rest of
//! `Groups` is in `groups.rs`).

use super::{Group, Groups, NOT_LISTED, Row};
use crate::domain::calls::CallId;

impl Groups {
    pub fn rows(&self) -> &[Row] {
        &self.rows
    }

    pub fn len(&self) -> usize {
        self.rows.len()
    }

    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }

    pub fn selected_index(&self) -> usize {
        self.window.selected
    }

    pub fn offset(&self) -> usize {
        self.window.offset
    }

    /// The rows that fit in `height`.
    pub fn visible(&self, height: usize) -> &[Row] {
        &self.rows[self.window.visible(self.rows.len(), height)]
    }

    /// True when the cursor is within one screen of the last row, or of the gap before the
    /// far end's callers.
    pub fn near_end(&self, height: usize) -> bool {
        match self.far.gap_row {
            Some(gap) => self.window.selected.abs_diff(gap) <= height.max(1),
            None => self.window.near_end(self.rows.len(), height),
        }
    }

    /// Group `g`: one of the rows above, or past them one of the far end's.
    pub fn group(&self, g: usize) -> Option<&Group> {
        match g.checked_sub(self.groups.len()) {
            None => self.groups.get(g),
            Some(k) => self.far.groups.get(k),
        }
    }

    /// The group of the call in slot `id`, when listed.
    pub fn group_of_call(&self, id: CallId) -> Option<usize> {
        let pos = self.slot_pos.get(id.index()).copied().unwrap_or(NOT_LISTED);
        if pos == NOT_LISTED {
            return self.far_group_of(id);
        }
        self.group_of.get(pos as usize).copied()
    }

    /// How many callers the view's calls came from (the far end's included).
    pub fn callers(&self) -> usize {
        self.groups.len() + self.far_callers()
    }

    pub fn is_expanded(&self, g: usize) -> bool {
        self.group(g)
            .and_then(|g| g.key.as_ref())
            .is_some_and(|k| self.expanded.contains(k))
    }

    /// The group under the cursor, when it is a group row.
    pub fn selected_group(&self) -> Option<&Group> {
        match self.rows.get(self.window.selected)? {
            Row::Group(g) => self.group(*g),
            Row::Call { .. } | Row::Gap => None,
        }
    }
}
