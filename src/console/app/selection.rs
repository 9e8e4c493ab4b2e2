//! Selecting rows: Space toggles one and moves on, `V` takes the whole view (pages still to
//! come included), Esc clears; what a bulk action works on.

use super::App;
use crate::api::CallFields;
use crate::api::VoiceCall;
use crate::console::keys::Action;
use crate::console::msg::Effect;
use crate::domain::calls::PackedCall;

impl App {
    pub(super) fn toggle_select(&mut self) -> Vec<Effect> {
        if let Some(effects) = self.toggle_select_group() {
            return effects;
        }
        let tab = &mut self.tabs[self.active];
        let Some(id) = tab
            .list
            .selected_id()
            .filter(|id| self.store.get(*id).and_then(|c| c.uid()).is_some())
        else {
            return Vec::new();
        };
        if !tab.selected.remove(&id) {
            tab.selected.insert(id);
        }
        let n = tab.selected.len();
        self.info(format!("{n} selected — {}", self.selection_hint()));
        self.move_by(1)
    }

    /// What to do with a selection, with the keys in force.
    pub(super) fn selection_hint(&self) -> String {
        format!(
            "{} marks them handled, Esc clears",
            self.hint(Action::Handled)
        )
    }

    /// `V`: every call matching the filter, including pages not loaded yet.
    pub(super) fn select_all(&mut self) -> Vec<Effect> {
        self.fresh_page_pace(self.active);
        let store = &self.store;
        let tab = &mut self.tabs[self.active];
        tab.selected = tab
            .list
            .all_ids()
            .filter(|id| store.get(*id).and_then(|c| c.uid()).is_some())
            .collect();
        let complete = matches!(tab.list.paging, crate::domain::calls::Paging::Complete);
        tab.selecting_all = !complete;
        let n = tab.selected.len();
        self.info(if complete {
            format!(
                "all {n} calls in this view selected — {}",
                self.selection_hint()
            )
        } else {
            format!("{n} selected; loading the rest of this view to select them too…")
        });
        self.fetch_more_if_near_end()
    }
}

impl App {
    /// The uids of the calls selected in the open tab.
    pub fn selected_uids(&self) -> std::collections::BTreeSet<String> {
        self.tabs[self.active]
            .selected
            .iter()
            .filter_map(|id| self.store.get(*id)?.uid().map(str::to_string))
            .collect()
    }
}

/// Calls selected in the open tab, in list order, that are loaded.
pub(super) fn selected_calls(app: &App) -> Vec<VoiceCall> {
    let tab = &app.tabs[app.active];
    tab.list
        .all_ids()
        .filter(|id| tab.selected.contains(id))
        .filter_map(|id| app.store.get(id))
        .map(PackedCall::to_call)
        .collect()
}

#[cfg(test)]
#[path = "selection_tests.rs"]
mod tests;
