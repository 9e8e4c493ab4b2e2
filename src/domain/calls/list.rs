//! The calls one view lists, as ids into the [`CallStore`]: the cursor, the scroll window,
//! paging, and how a later page or a refreshed first page is merged in.

use std::collections::HashSet;
use std::sync::atomic::{AtomicU64, Ordering};

use super::{CallId, CallStore, Paging};
use crate::api::VoiceCall;

/// A new number for a list whose rows changed other than by growing at the end; unique across
/// every list, so an index built for one list is never taken for another's.
fn next_generation() -> u64 {
    static NEXT: AtomicU64 = AtomicU64::new(1);
    NEXT.fetch_add(1, Ordering::Relaxed)
}

/// The calls one view lists, newest first, as ids into the [`CallStore`], and the cursor.
#[derive(Debug, Clone)]
pub struct CallList {
    ids: Vec<CallId>,
    /// Ids already listed, so a page that overlaps the previous one (new calls arrived and
    /// pushed rows down) does not show a call twice.
    listed: HashSet<CallId>,
    selected: usize,
    /// First row drawn; kept so the selection stays visible.
    offset: usize,
    /// Changes whenever rows are removed, replaced or inserted anywhere but the end; see
    /// [`CallList::generation`].
    generation: u64,
    pub paging: Paging,
}

impl Default for CallList {
    fn default() -> Self {
        Self {
            ids: Vec::new(),
            listed: HashSet::new(),
            selected: 0,
            offset: 0,
            generation: next_generation(),
            paging: Paging::Idle { next: 1 },
        }
    }
}

impl CallList {
    pub fn len(&self) -> usize {
        self.ids.len()
    }

    pub fn is_empty(&self) -> bool {
        self.ids.is_empty()
    }

    /// The listed calls' ids, in list order.
    pub fn ids(&self) -> &[CallId] {
        &self.ids
    }

    /// Identifies the rows as they stand except for rows appended since: equal generations
    /// and a longer list mean only the end grew.
    pub fn generation(&self) -> u64 {
        self.generation
    }

    pub fn selected_index(&self) -> usize {
        self.selected
    }

    /// The id under the cursor.
    pub fn selected_id(&self) -> Option<CallId> {
        self.ids.get(self.selected).copied()
    }

    pub fn offset(&self) -> usize {
        self.offset
    }

    /// The rows that fit in `height`: the only ones a frame builds.
    pub fn visible(&self, height: usize) -> &[CallId] {
        let end = (self.offset + height).min(self.ids.len());
        &self.ids[self.offset.min(end)..end]
    }

    /// Moves the cursor by `delta` rows, clamped, and scrolls so it stays in a window of
    /// `height` rows.
    pub fn move_by(&mut self, delta: isize, height: usize) {
        let last = self.ids.len().saturating_sub(1);
        let target = self.selected.saturating_add_signed(delta).min(last);
        self.select(target, height);
    }

    pub fn select(&mut self, index: usize, height: usize) {
        self.selected = index.min(self.ids.len().saturating_sub(1));
        self.scroll_into_view(height);
    }

    /// Keeps the selection inside the window (after moves and after a resize).
    pub fn scroll_into_view(&mut self, height: usize) {
        let height = height.max(1);
        if self.selected < self.offset {
            self.offset = self.selected;
        } else if self.selected >= self.offset + height {
            self.offset = self.selected + 1 - height;
        }
        // Do not leave blank rows at the bottom when there are rows above to show.
        let max_offset = self.ids.len().saturating_sub(height);
        self.offset = self.offset.min(max_offset);
    }

    /// True when the cursor is within one screen of the end of what is loaded.
    pub fn near_end(&self, height: usize) -> bool {
        self.selected + height.max(1) >= self.ids.len()
    }

    /// Adds a later page, skipping calls already listed; each call goes into the store (a
    /// listed call's copy is updated there).
    pub fn append(&mut self, store: &mut CallStore, calls: Vec<VoiceCall>) {
        for call in calls {
            let id = store.upsert(call);
            if self.listed.insert(id) {
                self.ids.push(id);
            }
        }
    }

    /// Whether this call is listed.
    pub fn contains(&self, id: CallId) -> bool {
        self.listed.contains(&id)
    }

    /// Whether the call with this uid is listed.
    pub fn contains_uid(&self, store: &CallStore, uid: &str) -> bool {
        store.id_of(uid).is_some_and(|id| self.contains(id))
    }

    /// Where this list holds the call.
    pub fn position(&self, id: CallId) -> Option<usize> {
        if !self.listed.contains(&id) {
            return None;
        }
        self.ids.iter().position(|i| *i == id)
    }

    /// Replaces everything with a fresh first page, keeping the cursor on the same call when
    /// it is still there.
    pub fn replace(&mut self, store: &mut CallStore, calls: Vec<VoiceCall>, height: usize) {
        let keep = self.selected_id();
        self.ids.clear();
        self.listed.clear();
        self.generation = next_generation();
        self.append(store, calls);
        let index = keep.and_then(|id| self.position(id)).unwrap_or(0);
        self.offset = 0;
        self.select(index, height);
    }

    /// Merges a fresh first page without moving the user: known calls are updated in the
    /// store, unknown ones go on top, and calls that left the view are dropped — except the
    /// one under the cursor, which stays on the same screen line. Returns the new calls' ids.
    ///
    /// A call has left when `keep` rejects it (handled since, say), or when the server no
    /// longer lists it where it would be: it is missing from the fresh page although a call
    /// listed after it is there (or `whole_view`: the page was short, so it is the entire
    /// view). That catches a call a colleague handled, which the view's page never shows again.
    pub fn merge_top(
        &mut self,
        store: &mut CallStore,
        fresh: Vec<VoiceCall>,
        keep: impl Fn(&VoiceCall) -> bool,
        whole_view: bool,
        height: usize,
    ) -> Vec<CallId> {
        let cursor = self.selected_id();
        let screen_row = self.selected.saturating_sub(self.offset);
        let fresh: Vec<CallId> = fresh.into_iter().map(|c| store.upsert(c)).collect();
        let fresh_ids: HashSet<CallId> = fresh.iter().copied().collect();
        // Everything up to the last loaded call the fresh page still holds is covered by it.
        // Those calls sit near the top: the scan stops once it has met them all.
        let covered = if whole_view {
            self.ids.len()
        } else {
            let mut left = fresh_ids
                .iter()
                .filter(|id| self.listed.contains(id))
                .count();
            let mut end = 0;
            for (i, id) in self.ids.iter().enumerate() {
                if left == 0 {
                    break;
                }
                if fresh_ids.contains(id) {
                    left -= 1;
                    end = i + 1;
                }
            }
            end
        };
        let mut top = Vec::new();
        for id in fresh {
            if self.listed.insert(id) {
                top.push(id);
            }
        }
        let added = top.clone();
        // Calls `keep` rejects leave, and `listed` with them. Done in place, never rebuilt:
        // with 100 000 loaded a refresh must cost the page, not the list.
        let selected = self.selected;
        let listed = &mut self.listed;
        let mut stays = |id: CallId, gone: bool| {
            let stay = (store.get(id).is_some_and(&keep) && !gone) || Some(id) == cursor;
            if !stay {
                listed.remove(&id);
            }
            stay
        };
        top.retain(|id| stays(*id, false));
        let (mut i, mut dropped_above) = (0, 0);
        self.ids.retain(|id| {
            let gone = i < covered && !fresh_ids.contains(id);
            let stay = stays(*id, gone);
            if !stay && i < selected {
                dropped_above += 1;
            }
            i += 1;
            stay
        });
        let index = if cursor.is_some() {
            // The cursor's call always stays, so it moved by what went above it.
            top.len() + selected - dropped_above
        } else {
            0
        };
        if !top.is_empty() {
            self.ids.splice(0..0, top);
        }
        self.generation = next_generation();
        self.selected = index.min(self.ids.len().saturating_sub(1));
        self.offset = self.selected.saturating_sub(screen_row);
        self.scroll_into_view(height);
        added
            .into_iter()
            .filter(|id| self.listed.contains(id))
            .collect()
    }

    /// Moves the cursor onto this call, if listed.
    pub fn select_id(&mut self, id: CallId, height: usize) -> bool {
        match self.position(id) {
            Some(i) => {
                self.select(i, height);
                true
            }
            None => false,
        }
    }

    /// Scrolls the window by `delta` rows (the mouse wheel), keeping the cursor inside it.
    pub fn scroll_by(&mut self, delta: isize, height: usize) {
        let height = height.max(1);
        let max_offset = self.ids.len().saturating_sub(height);
        self.offset = self.offset.saturating_add_signed(delta).min(max_offset);
        if self.selected < self.offset {
            self.selected = self.offset;
        } else if self.selected >= self.offset + height {
            self.selected = self.offset + height - 1;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::calls::ListView;

    fn call(uid: &str) -> VoiceCall {
        VoiceCall {
            uid: Some(uid.to_string()),
            ..Default::default()
        }
    }

    fn list_of(n: usize) -> (CallStore, CallList) {
        let mut store = CallStore::new();
        let mut list = CallList::default();
        list.append(&mut store, (0..n).map(|i| call(&format!("c{i}"))).collect());
        (store, list)
    }

    fn uids(store: &CallStore, list: &CallList) -> Vec<String> {
        ListView { list, store }
            .calls()
            .iter()
            .filter_map(|c| c.uid.clone())
            .collect()
    }

    fn selected_uid(store: &CallStore, list: &CallList) -> Option<String> {
        ListView { list, store }
            .selected()
            .and_then(|c| c.uid.clone())
    }

    #[test]
    fn moves_clamp_and_scroll() {
        let (_, mut list) = list_of(30);
        list.move_by(-5, 10);
        assert_eq!(list.selected_index(), 0);
        list.move_by(12, 10);
        assert_eq!((list.selected_index(), list.offset()), (12, 3));
        list.move_by(100, 10);
        assert_eq!((list.selected_index(), list.offset()), (29, 20));
        assert_eq!(list.visible(10).len(), 10);
        list.move_by(-29, 10);
        assert_eq!((list.selected_index(), list.offset()), (0, 0));
    }

    #[test]
    fn duplicates_across_pages_are_skipped() {
        let (mut store, mut list) = list_of(3);
        list.append(
            &mut store,
            vec![
                call("c2"),
                call("c3"),
                VoiceCall::default(),
                VoiceCall::default(),
            ],
        );
        assert_eq!(
            list.len(),
            6,
            "c3 and both uid-less calls are added, c2 is not"
        );
        assert_eq!(store.len(), 6, "each call is stored once");
    }

    #[test]
    fn replace_keeps_the_selected_call() {
        let (mut store, mut list) = list_of(10);
        list.select(4, 5);
        list.replace(&mut store, vec![call("new"), call("c4"), call("c5")], 5);
        assert_eq!(selected_uid(&store, &list).as_deref(), Some("c4"));
        list.replace(&mut store, vec![call("x")], 5);
        assert_eq!(list.selected_index(), 0);
    }

    #[test]
    fn merge_keeps_the_cursor_on_its_screen_line() {
        let (mut store, mut list) = list_of(30);
        list.select(12, 10); // offset 3, screen row 9
        let keep =
            |c: &VoiceCall| c.uid.as_deref() != Some("c1") && c.uid.as_deref() != Some("c12");
        let fresh = vec![call("n1"), call("n2"), call("c0")];
        let added = list.merge_top(&mut store, fresh, keep, false, 10);
        let added: Vec<_> = added
            .iter()
            .filter_map(|id| store.get(*id).and_then(|c| c.uid.clone()))
            .collect();
        assert_eq!(added, vec!["n1", "n2"]);
        assert_eq!(
            selected_uid(&store, &list).as_deref(),
            Some("c12"),
            "cursor call kept although rejected"
        );
        assert_eq!(list.selected_index() - list.offset(), 9, "same screen line");
        assert!(!list.contains_uid(&store, "c1"), "rejected call dropped");
        assert_eq!(list.len(), 31);
        assert_eq!(uids(&store, &list)[0], "n1");
    }

    /// A call a colleague handled is never in the view's fresh page again: its absence where
    /// it would be listed is what drops it.
    #[test]
    fn merge_drops_calls_the_fresh_page_no_longer_lists() {
        let all = |_: &VoiceCall| true;
        let (mut store, mut list) = list_of(10);
        list.merge_top(
            &mut store,
            vec![call("c0"), call("c2"), call("c4")],
            all,
            false,
            5,
        );
        assert_eq!(
            uids(&store, &list),
            ["c0", "c2", "c4", "c5", "c6", "c7", "c8", "c9"],
            "c1 and c3 left; past c4 the page says nothing"
        );
        assert!(!list.contains_uid(&store, "c1") && !list.contains_uid(&store, "c3"));

        list.select(4, 5); // c6, which the next page leaves out: the cursor's call stays
        list.merge_top(&mut store, vec![call("n0"), call("c0")], all, true, 5);
        assert_eq!(
            uids(&store, &list),
            ["n0", "c0", "c6"],
            "a short page is the whole view"
        );
        assert_eq!(selected_uid(&store, &list).as_deref(), Some("c6"));
    }

    #[test]
    fn merge_forgets_the_calls_it_drops() {
        let (mut store, mut list) = list_of(5);
        let keep = |c: &VoiceCall| !matches!(c.uid.as_deref(), Some("c3" | "n2"));
        list.merge_top(&mut store, vec![call("n1"), call("n2")], keep, false, 10);
        assert!(list.contains_uid(&store, "n1") && list.contains_uid(&store, "c4"));
        assert!(
            !list.contains_uid(&store, "c3") && !list.contains_uid(&store, "n2"),
            "dropped, so not listed"
        );
        assert_eq!(selected_uid(&store, &list).as_deref(), Some("c0"));
        // A dropped call that turns up in a later page is listed again.
        list.append(&mut store, vec![call("c3")]);
        assert_eq!(uids(&store, &list), ["n1", "c0", "c1", "c2", "c4", "c3"]);
    }

    /// Two views listing the same call share one copy: a newer copy from either is what both
    /// show.
    #[test]
    fn views_share_one_copy_of_a_call() {
        let mut store = CallStore::new();
        let (mut a, mut b) = (CallList::default(), CallList::default());
        a.append(&mut store, vec![call("x"), call("y")]);
        b.append(&mut store, vec![call("y")]);
        assert_eq!(store.len(), 2, "y is stored once");
        let newer = VoiceCall {
            call_summary: Some("called back".into()),
            ..call("y")
        };
        store.update(&newer);
        for list in [&a, &b] {
            let view = ListView {
                list,
                store: &store,
            };
            assert_eq!(
                view.find("y").and_then(|c| c.call_summary.as_deref()),
                Some("called back")
            );
        }
    }

    #[test]
    fn the_generation_changes_unless_rows_were_only_appended() {
        let (mut store, mut list) = list_of(3);
        let g = list.generation();
        list.append(&mut store, vec![call("c9")]);
        assert_eq!(list.generation(), g, "appending keeps it");
        list.merge_top(&mut store, vec![call("n")], |_| true, false, 5);
        assert_ne!(list.generation(), g, "a row on top changes it");
        assert_ne!(
            CallList::default().generation(),
            CallList::default().generation()
        );
    }

    #[test]
    fn wheel_scroll_drags_the_cursor_along() {
        let (_, mut list) = list_of(30);
        list.scroll_by(5, 10);
        assert_eq!((list.offset(), list.selected_index()), (5, 5));
        list.scroll_by(100, 10);
        assert_eq!(list.offset(), 20);
        list.scroll_by(-100, 10);
        assert_eq!((list.offset(), list.selected_index()), (0, 9));
    }

    #[test]
    fn empty_list_is_safe() {
        let store = CallStore::new();
        let mut list = CallList::default();
        list.move_by(1, 10);
        list.move_by(-1, 10);
        assert!(selected_uid(&store, &list).is_none());
        assert!(list.visible(10).is_empty());
        assert!(list.near_end(10));
    }
}
