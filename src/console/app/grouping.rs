//! One row per caller in Needs follow-up (`group_by_caller`, `z` switches it): the rows are
//! the domain's [`Groups`], kept up to date after every message from the generations (never
//! per frame or per key); here is what the keys do on them — moves over rows, Enter
//! expanding a group, Space selecting a group's calls, `h` handling them as one bulk action
//! (one undo step), a search jump revealing a call folded in its group. Still no I/O.

use super::App;
use crate::api::VoiceCall;
use crate::console::keys::Action;
use crate::console::msg::Effect;
use crate::domain::calls::PackedCall;
use crate::domain::calls::{CallList, Groups};
use crate::domain::views::TabId;

/// What grouping by caller keeps beside the Needs follow-up list.
#[derive(Debug, Clone)]
pub(super) struct Grouping {
    /// One row per caller (the setting, then `z`).
    pub(super) on: bool,
    /// The rows of the Needs follow-up tab's list.
    pub(super) groups: Groups,
}

impl Grouping {
    pub(super) fn new(on: bool) -> Self {
        Self {
            on,
            groups: Groups::default(),
        }
    }
}

impl App {
    /// The open tab's rows when it shows one row per caller.
    pub fn grouped(&self) -> Option<&Groups> {
        self.grouping_applies().then_some(&self.grouping.groups)
    }

    /// How many callers tab `index` lists, when that tab is grouped by caller.
    pub(super) fn callers_in(&self, index: usize) -> Option<usize> {
        (self.grouping.on && self.tabs.get(index)?.id == TabId::FollowUp)
            .then(|| self.grouping.groups.callers())
    }

    /// How many rows the open tab shows: callers and calls when grouped, else calls.
    pub fn row_count(&self) -> usize {
        self.grouped()
            .map_or_else(|| self.list().row_count(), Groups::len)
    }

    /// The first row drawn and the selected row, on the open tab.
    pub fn row_window(&self) -> (usize, usize) {
        match self.grouped() {
            Some(g) => (g.offset(), g.selected_index()),
            None => (self.list().offset(), self.list().selected_index()),
        }
    }

    /// Whether Needs follow-up shows one row per caller (the setting, then `z`).
    pub fn group_by_caller(&self) -> bool {
        self.grouping.on
    }

    fn grouping_applies(&self) -> bool {
        self.grouping.on && self.tabs[self.active].id == TabId::FollowUp
    }

    /// Brings the rows up to date with the Needs follow-up list and the store; nothing to do
    /// unless their generations moved. Run after every message, whichever tab is open, so
    /// the tab's count of callers is right too.
    pub(super) fn sync_groups(&mut self) {
        if !self.grouping.on {
            return;
        }
        let rows = self.rows();
        let tab = &mut self.tabs[TabId::FollowUp.index()];
        self.grouping.groups.sync(&mut tab.list, &self.store, rows);
        self.grouping.groups.scroll_into_view(rows);
    }

    /// Runs `f` on the open tab's rows when it is grouped; `false` (and nothing done) when it
    /// lists one row per call.
    pub(super) fn on_rows(&mut self, f: impl FnOnce(&mut Groups, &mut CallList, usize)) -> bool {
        if !self.grouping_applies() {
            return false;
        }
        self.sync_groups();
        let rows = self.rows();
        let tab = &mut self.tabs[self.active];
        f(&mut self.grouping.groups, &mut tab.list, rows);
        true
    }

    /// `z`: one row per caller, or one per call.
    pub(super) fn toggle_grouping(&mut self) -> Vec<Effect> {
        self.grouping.on = !self.grouping.on;
        self.grouping.groups.reset();
        self.sync_groups();
        let rows = self.rows();
        self.list_mut().scroll_into_view(rows);
        let key = self.hint(Action::GroupByCaller);
        let where_ = if self.tab().id == TabId::FollowUp {
            ""
        } else {
            " in Needs follow-up"
        };
        self.info(if self.grouping.on {
            format!(
                "one row per caller{where_} — Enter lists a caller's calls, {key} one row per call"
            )
        } else {
            format!("one row per call{where_} — {key} groups them by caller")
        });
        let mut effects = vec![self.save_state()];
        effects.extend(self.fetch_detail_if_shown());
        effects
    }

    /// Enter on a group row: its calls are listed under it, or folded again. `false` when
    /// the cursor is not on a group row (Enter keeps its meaning there).
    pub(super) fn toggle_group(&mut self) -> bool {
        if self.grouped().and_then(Groups::selected_group).is_none() {
            return false;
        }
        self.on_rows(|groups, list, rows| {
            groups.toggle(list, rows);
        })
    }

    /// The calls of the group under the cursor, in list order; `None` on a call row.
    pub(super) fn group_calls(&self) -> Option<Vec<VoiceCall>> {
        let group = self.grouped()?.selected_group()?;
        let list = &self.tabs[self.active].list;
        Some(
            group
                .members()
                .iter()
                .filter_map(|pos| list.id_at(*pos))
                .filter_map(|id| self.store.get(id))
                .map(PackedCall::to_call)
                .collect(),
        )
    }

    /// Space on a group row: all its calls are selected, or, when they all were, none.
    pub(super) fn toggle_select_group(&mut self) -> Option<Vec<Effect>> {
        let calls = self.group_calls()?;
        if self.refuse_gathering("selecting") {
            return Some(Vec::new());
        }
        let tab = &mut self.tabs[self.active];
        let ids: Vec<_> = calls
            .iter()
            .filter_map(|c| tab.list.listed_id(&self.store, c.uid.as_deref()?))
            .collect();
        if ids.iter().all(|id| tab.selected.contains(id)) {
            for id in &ids {
                tab.selected.remove(id);
            }
        } else {
            tab.selected.extend(ids);
        }
        let n = tab.selected.len();
        self.info(format!("{n} selected — {}", self.selection_hint()));
        Some(self.move_by(1))
    }

    /// `h` on a group row: every call of the caller is marked handled as one bulk action
    /// (one undo step).
    pub(super) fn mark_group_handled(&mut self) -> Option<Vec<Effect>> {
        let calls = self.group_calls()?;
        if self.refuse_gathering("marking") {
            return Some(Vec::new());
        }
        Some(self.mark_calls_handled(calls))
    }
}

#[cfg(test)]
#[path = "grouping_tests.rs"]
mod tests;
