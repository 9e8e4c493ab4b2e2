//! `G` in Needs follow-up shown one row per caller: the far end's calls are folded by caller
//! after the gap (`domain::calls::groups_far`) while the middle loads. Those callers are
//! still gathering: a row may grow, or move up, when the middle brings more of that caller's
//! calls. So is a row above the gap whose caller has calls in the far end too. Such a row is
//! marked (`⋯`, `+`), and an action on all of a caller's calls (`h`, Space on their row)
//! waits for the middle instead of reaching only the calls found so far. A single call
//! (`h`, Space, Enter on a call's row) is exactly itself and goes ahead.

use super::App;
use super::far_end::GapState;
use crate::api::CallFields;
use crate::console::keys::Action;

impl App {
    /// Whether the call on list row `pos` of the open tab is one of the far end's, shown
    /// among callers still gathering their calls.
    pub fn gathering_at(&self, pos: usize) -> bool {
        self.grouped().is_some() && self.list().gap_row().is_some_and(|gap| pos > gap)
    }

    /// A caller's row of the far end under the cursor: `doing` (an action on all of their
    /// calls) is refused with what to do instead. True when refused.
    pub(super) fn refuse_gathering(&mut self, doing: &str) -> bool {
        let Some(groups) = self.grouped() else {
            return false;
        };
        let Some(group) = groups
            .selected_group()
            .filter(|_| groups.on_gathering_group())
        else {
            return false;
        };
        let found = group.members().len();
        let who = self
            .list()
            .get(group.newest())
            .and_then(|call| {
                self.people()
                    .client_label(call)
                    .or_else(|| call.from_number())
                    .map(str::to_string)
            })
            .unwrap_or_else(|| "this caller".to_string());
        let calls = match self.gap_missing() {
            Some(n) => format!("the {n} call{}", if n == 1 { "" } else { "s" }),
            None => "the calls".to_string(),
        };
        let (state, then) = match self.gap_state() {
            GapState::Loading => ("still loading".to_string(), "wait for them".to_string()),
            GapState::Stopped => (
                "not loaded".to_string(),
                format!("{} loads them", self.hint(Action::Bottom)),
            ),
            GapState::AtLimit => (
                "past the load limit".to_string(),
                format!(
                    "narrow the view with a filter ({})",
                    self.hint(Action::Filter)
                ),
            ),
        };
        let text = format!(
            "not {doing} {who}'s calls yet: more may be among {calls} {state}; {then}, or \
             Enter lists the {found} found so far"
        );
        self.warn(text);
        true
    }
}

#[cfg(test)]
#[path = "far_callers_tests.rs"]
mod tests;
