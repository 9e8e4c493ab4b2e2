//! The loaded calls and the cursor over them: selection, scroll window and the paging state
//! for infinite scroll. Pure data; `App::update` drives it.

use std::collections::HashSet;

use crate::api::{ApiError, VoiceCall};

mod flight;
pub use flight::{Flight, MAX_IN_FLIGHT};

/// Where loading the next page stands. An enum, not flags: exactly one is true.
#[derive(Debug, Clone, PartialEq)]
pub enum Paging {
    /// More pages may exist; `next` is the one to ask for.
    Idle { next: u32 },
    /// Page requests are out (one while scrolling, several while loading the whole view);
    /// only their replies are accepted, and pages are appended in order.
    Loading(Flight),
    /// The last request failed; moving to the end again retries it.
    Failed { page: u32, error: ApiError },
    /// The server gave a short page: everything is here.
    Complete,
}

/// The calls loaded so far, newest first, and the cursor.
#[derive(Debug, Clone)]
pub struct CallList {
    calls: Vec<VoiceCall>,
    /// Uids already listed, so a page that overlaps the previous one (new calls arrived and
    /// pushed rows down) does not show a call twice.
    seen: HashSet<String>,
    selected: usize,
    /// First row drawn; kept so the selection stays visible.
    offset: usize,
    pub paging: Paging,
}

impl Default for CallList {
    fn default() -> Self {
        Self {
            calls: Vec::new(),
            seen: HashSet::new(),
            selected: 0,
            offset: 0,
            paging: Paging::Idle { next: 1 },
        }
    }
}

impl CallList {
    pub fn len(&self) -> usize {
        self.calls.len()
    }

    pub fn is_empty(&self) -> bool {
        self.calls.is_empty()
    }

    pub fn calls(&self) -> &[VoiceCall] {
        &self.calls
    }

    pub fn selected_index(&self) -> usize {
        self.selected
    }

    pub fn selected(&self) -> Option<&VoiceCall> {
        self.calls.get(self.selected)
    }

    pub fn offset(&self) -> usize {
        self.offset
    }

    /// The rows that fit in `height`: the only ones a frame builds.
    pub fn visible(&self, height: usize) -> &[VoiceCall] {
        let end = (self.offset + height).min(self.calls.len());
        &self.calls[self.offset.min(end)..end]
    }

    /// Moves the cursor by `delta` rows, clamped, and scrolls so it stays in a window of
    /// `height` rows.
    pub fn move_by(&mut self, delta: isize, height: usize) {
        let last = self.calls.len().saturating_sub(1);
        let target = self.selected.saturating_add_signed(delta).min(last);
        self.select(target, height);
    }

    pub fn select(&mut self, index: usize, height: usize) {
        self.selected = index.min(self.calls.len().saturating_sub(1));
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
        let max_offset = self.calls.len().saturating_sub(height);
        self.offset = self.offset.min(max_offset);
    }

    /// True when the cursor is within one screen of the end of what is loaded.
    pub fn near_end(&self, height: usize) -> bool {
        self.selected + height.max(1) >= self.calls.len()
    }

    /// Adds a later page, skipping calls already listed.
    pub fn append(&mut self, calls: Vec<VoiceCall>) {
        for call in calls {
            if let Some(uid) = &call.uid
                && !self.seen.insert(uid.clone())
            {
                continue;
            }
            self.calls.push(call);
        }
    }

    /// Whether a call with this uid is listed.
    pub fn contains(&self, uid: &str) -> bool {
        self.seen.contains(uid)
    }

    /// The loaded call with this uid.
    pub fn find(&self, uid: &str) -> Option<&VoiceCall> {
        self.calls.iter().find(|c| c.uid.as_deref() == Some(uid))
    }

    /// Puts the server's newer copy of a call in its row; `false` when it is not loaded.
    pub fn update_call(&mut self, call: &VoiceCall) -> bool {
        match self.index_of(call) {
            Some(i) => {
                self.calls[i] = call.clone();
                true
            }
            None => false,
        }
    }

    /// Where this list holds `call` (by uid).
    fn index_of(&self, call: &VoiceCall) -> Option<usize> {
        let uid = call.uid.as_deref()?;
        // Most lists do not hold a given call: say so without a scan.
        if !self.seen.contains(uid) {
            return None;
        }
        self.calls
            .iter()
            .position(|c| c.uid.as_deref() == Some(uid))
    }

    /// Replaces everything with a fresh first page, keeping the cursor on the same call when
    /// it is still there.
    pub fn replace(&mut self, calls: Vec<VoiceCall>, height: usize) {
        let keep = self.selected().and_then(|c| c.uid.clone());
        self.calls.clear();
        self.seen.clear();
        self.append(calls);
        let index = keep
            .and_then(|uid| {
                self.calls
                    .iter()
                    .position(|c| c.uid.as_deref() == Some(&uid))
            })
            .unwrap_or(0);
        self.offset = 0;
        self.select(index, height);
    }
    /// Merges a fresh first page without moving the user: known calls are updated in place,
    /// unknown ones go on top, and calls that left the view are dropped — except the one under
    /// the cursor, which stays on the same screen line. Returns the new calls' uids.
    ///
    /// A call has left when `keep` rejects it (handled since, say), or when the server no
    /// longer lists it where it would be: it is missing from the fresh page although a call
    /// listed after it is there (or `whole_view`: the page was short, so it is the entire
    /// view). That catches a call a colleague handled, which the view's page never shows again.
    pub fn merge_top(
        &mut self,
        fresh: Vec<VoiceCall>,
        keep: impl Fn(&VoiceCall) -> bool,
        whole_view: bool,
        height: usize,
    ) -> Vec<String> {
        let cursor = self.selected().and_then(|c| c.uid.clone());
        let screen_row = self.selected.saturating_sub(self.offset);
        let fresh_uids: HashSet<String> = fresh.iter().filter_map(|c| c.uid.clone()).collect();
        // Everything up to the last loaded call the fresh page still holds is covered by it.
        // Those calls sit near the top: the scan stops once it has met them all.
        let covered = if whole_view {
            self.calls.len()
        } else {
            let mut left = fresh_uids.iter().filter(|u| self.seen.contains(*u)).count();
            let mut end = 0;
            for (i, c) in self.calls.iter().enumerate() {
                if left == 0 {
                    break;
                }
                if c.uid.as_ref().is_some_and(|u| fresh_uids.contains(u)) {
                    left -= 1;
                    end = i + 1;
                }
            }
            end
        };
        let mut added = Vec::new();
        let mut top = Vec::new();
        for call in fresh {
            let known = call.uid.as_deref().is_some_and(|u| self.seen.contains(u));
            if known {
                if let Some(i) = self.index_of(&call) {
                    self.calls[i] = call;
                }
            } else {
                if let Some(uid) = &call.uid {
                    self.seen.insert(uid.clone());
                    added.push(uid.clone());
                }
                top.push(call);
            }
        }
        // Calls `keep` rejects leave, and `seen` with them. Done in place, never rebuilt: with
        // 100 000 loaded a refresh must cost the page, not the list.
        let selected = self.selected;
        let seen = &mut self.seen;
        let mut stays = |c: &VoiceCall, gone: bool| {
            let stay = (keep(c) && !gone) || (cursor.is_some() && c.uid == cursor);
            if !stay && let Some(uid) = &c.uid {
                seen.remove(uid);
            }
            stay
        };
        top.retain(|c| stays(c, false));
        let (mut i, mut dropped_above) = (0, 0);
        self.calls.retain(|c| {
            let gone = i < covered && c.uid.as_ref().is_some_and(|u| !fresh_uids.contains(u));
            let stay = stays(c, gone);
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
            self.calls.splice(0..0, top);
        }
        self.selected = index.min(self.calls.len().saturating_sub(1));
        self.offset = self.selected.saturating_sub(screen_row);
        self.scroll_into_view(height);
        added
    }

    /// Moves the cursor onto the call with this uid, if loaded.
    pub fn select_uid(&mut self, uid: &str, height: usize) -> bool {
        match self
            .calls
            .iter()
            .position(|c| c.uid.as_deref() == Some(uid))
        {
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
        let max_offset = self.calls.len().saturating_sub(height);
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

    fn call(uid: &str) -> VoiceCall {
        VoiceCall {
            uid: Some(uid.to_string()),
            ..Default::default()
        }
    }

    fn list_of(n: usize) -> CallList {
        let mut list = CallList::default();
        list.append((0..n).map(|i| call(&format!("c{i}"))).collect());
        list
    }

    #[test]
    fn moves_clamp_and_scroll() {
        let mut list = list_of(30);
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
        let mut list = list_of(3);
        list.append(vec![
            call("c2"),
            call("c3"),
            VoiceCall::default(),
            VoiceCall::default(),
        ]);
        assert_eq!(
            list.len(),
            6,
            "c3 and both uid-less calls are added, c2 is not"
        );
    }

    #[test]
    fn replace_keeps_the_selected_call() {
        let mut list = list_of(10);
        list.select(4, 5);
        list.replace(vec![call("new"), call("c4"), call("c5")], 5);
        assert_eq!(list.selected().and_then(|c| c.uid.as_deref()), Some("c4"));
        list.replace(vec![call("x")], 5);
        assert_eq!(list.selected_index(), 0);
    }

    #[test]
    fn merge_keeps_the_cursor_on_its_screen_line() {
        let mut list = list_of(30);
        list.select(12, 10); // offset 3, screen row 9
        let keep =
            |c: &VoiceCall| c.uid.as_deref() != Some("c1") && c.uid.as_deref() != Some("c12");
        let added = list.merge_top(vec![call("n1"), call("n2"), call("c0")], keep, false, 10);
        assert_eq!(added, vec!["n1", "n2"]);
        assert_eq!(
            list.selected().and_then(|c| c.uid.as_deref()),
            Some("c12"),
            "cursor call kept although rejected"
        );
        assert_eq!(list.selected_index() - list.offset(), 9, "same screen line");
        assert!(list.find("c1").is_none(), "rejected call dropped");
        assert_eq!(list.len(), 31);
        assert_eq!(list.calls()[0].uid.as_deref(), Some("n1"));
    }

    /// A call a colleague handled is never in the view's fresh page again: its absence where
    /// it would be listed is what drops it.
    #[test]
    fn merge_drops_calls_the_fresh_page_no_longer_lists() {
        let uids = |list: &CallList| -> Vec<String> {
            list.calls().iter().filter_map(|c| c.uid.clone()).collect()
        };
        let all = |_: &VoiceCall| true;
        let mut list = list_of(10);
        list.merge_top(vec![call("c0"), call("c2"), call("c4")], all, false, 5);
        assert_eq!(
            uids(&list),
            ["c0", "c2", "c4", "c5", "c6", "c7", "c8", "c9"],
            "c1 and c3 left; past c4 the page says nothing"
        );
        assert!(!list.contains("c1") && !list.contains("c3"));

        list.select(4, 5); // c6, which the next page leaves out: the cursor's call stays
        list.merge_top(vec![call("n0"), call("c0")], all, true, 5);
        assert_eq!(
            uids(&list),
            ["n0", "c0", "c6"],
            "a short page is the whole view"
        );
        assert_eq!(list.selected().and_then(|c| c.uid.as_deref()), Some("c6"));
    }

    #[test]
    fn merge_forgets_the_calls_it_drops() {
        let mut list = list_of(5);
        let keep = |c: &VoiceCall| !matches!(c.uid.as_deref(), Some("c3" | "n2"));
        list.merge_top(vec![call("n1"), call("n2")], keep, false, 10);
        assert!(list.contains("n1") && list.contains("c4"));
        assert!(
            !list.contains("c3") && !list.contains("n2"),
            "dropped, so not listed"
        );
        assert_eq!(list.selected().and_then(|c| c.uid.as_deref()), Some("c0"));
        // A dropped call that turns up in a later page is listed again.
        list.append(vec![call("c3")]);
        let uids: Vec<_> = list
            .calls()
            .iter()
            .filter_map(|c| c.uid.as_deref())
            .collect();
        assert_eq!(uids, ["n1", "c0", "c1", "c2", "c4", "c3"]);
    }

    #[test]
    fn wheel_scroll_drags_the_cursor_along() {
        let mut list = list_of(30);
        list.scroll_by(5, 10);
        assert_eq!((list.offset(), list.selected_index()), (5, 5));
        list.scroll_by(100, 10);
        assert_eq!(list.offset(), 20);
        list.scroll_by(-100, 10);
        assert_eq!((list.offset(), list.selected_index()), (0, 9));
    }

    #[test]
    fn empty_list_is_safe() {
        let mut list = CallList::default();
        list.move_by(1, 10);
        list.move_by(-1, 10);
        assert!(list.selected().is_none());
        assert!(list.visible(10).is_empty());
        assert!(list.near_end(10));
    }
}
