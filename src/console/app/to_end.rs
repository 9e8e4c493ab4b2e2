//! `G` reaches the real end of a view: the cursor goes to the last call loaded at once, and
//! the rest of the view loads in the background at the batch pace (`max_in_flight` pages
//! out, as select all loads; `throttle.rs`), the status bar counting the calls in; when the
//! last page is in, the cursor lands on the last call. Esc stops it like any load of several
//! pages; a new filter or sort, a failed page or the load limit end it too. The view's other
//! end is asked for beside it and shown at once (`far_end.rs`).

use std::collections::{BTreeMap, BTreeSet};

use super::App;
use crate::console::msg::{Effect, RequestId};
use crate::domain::calls::{CallId, Paging};

/// The tabs loading to their end for `G`.
#[derive(Debug, Clone, Default)]
pub struct ToEnd {
    tabs: BTreeSet<usize>,
    /// The far end asked for, by tab.
    pub(super) far_end: BTreeMap<usize, RequestId>,
    /// Tabs whose far end was shown for this load: the user has seen the end already, so
    /// the cursor stays where they have it when the last page is in.
    pub(super) far_shown: BTreeSet<usize>,
    /// The call `G` put the cursor on, by tab: the far end takes the cursor along only
    /// from there (pages may have come in below it since).
    pub(super) put: BTreeMap<usize, Option<CallId>>,
    /// Keys pressed when the far end put the cursor on the view's end, by tab: when the
    /// last page is in and no key was pressed since, the cursor goes to the view's last row
    /// (one row per caller, the far end's callers may have moved up meanwhile, the cursor
    /// following its caller, never jumping to another while the user may act on it).
    pub(super) far_put: BTreeMap<usize, u64>,
    /// Keys pressed so far.
    keys: u64,
}

impl ToEnd {
    /// A key was pressed (or the mouse clicked).
    pub(super) fn note_key(&mut self) {
        self.keys += 1;
    }

    pub(super) fn keys(&self) -> u64 {
        self.keys
    }
}

impl App {
    /// `G`: the last call loaded now, and the last of the view once the rest is in.
    pub(super) fn go_to_end(&mut self) -> Vec<Effect> {
        let i = self.active;
        let loading = !matches!(self.tabs[i].list.paging, Paging::Complete);
        if loading && self.to_end.tabs.insert(i) {
            if !self.tabs[i].selecting_all {
                self.fresh_page_pace(i);
            }
            self.tell_to_end(i);
        }
        let mut effects: Vec<Effect> = loading
            .then(|| self.fetch_far_end())
            .flatten()
            .into_iter()
            .collect();
        effects.extend(self.move_by(isize::MAX / 2));
        let put = self.list().selected_id();
        self.to_end.put.insert(i, put);
        effects
    }

    /// Whether tab `i` loads to its end for `G` (several pages out at once).
    pub(super) fn loading_to_end(&self, i: usize) -> bool {
        self.to_end.tabs.contains(&i)
    }

    /// Tab `i`'s load stopped short of the end (Esc, a failure, a new filter or sort, the
    /// load limit): the cursor stays where the user has it.
    pub(super) fn stop_to_end(&mut self, i: usize) {
        self.to_end.tabs.remove(&i);
        // A far end still out is not wanted now; one shown stays (`G` again resumes).
        self.to_end.far_end.remove(&i);
        self.to_end.far_put.remove(&i);
        if self.tabs[i].list.gap_row().is_none() {
            self.to_end.far_shown.remove(&i);
        }
    }

    /// After tab `i`'s pages went in: at the end, the cursor lands on its last call; before
    /// it, the status bar counts the calls in.
    pub(super) fn after_pages_to_end(&mut self, i: usize) -> Vec<Effect> {
        if !self.loading_to_end(i) {
            return Vec::new();
        }
        match self.tabs[i].list.paging {
            Paging::Loading(_) | Paging::Idle { .. } => {
                self.tell_to_end(i);
                Vec::new()
            }
            Paging::Failed { .. } => {
                self.stop_to_end(i);
                Vec::new()
            }
            Paging::Complete => {
                let seen = self.to_end.far_shown.remove(&i);
                let far_put = self.to_end.far_put.remove(&i);
                self.stop_to_end(i);
                if i != self.active {
                    return Vec::new();
                }
                let n = self.tabs[i].list.len();
                self.info(format!(
                    "at the end of this view: {n} call{}",
                    if n == 1 { "" } else { "s" }
                ));
                // The far end shown, the user has seen the end: the cursor stays where they
                // have it, unless no key was pressed since the far end put it there.
                if seen && far_put != Some(self.to_end.keys()) {
                    return Vec::new();
                }
                self.move_by(isize::MAX / 2)
            }
        }
    }

    pub(super) fn tell_to_end(&mut self, i: usize) {
        if i != self.active {
            return;
        }
        let n = self.tabs[i].list.len();
        self.info(format!(
            "loading to the end of this view: {n} calls in… (Esc stops)"
        ));
    }
}

#[cfg(test)]
#[path = "to_end_tests.rs"]
mod tests;
