//! The loaded calls and the cursor over them: selection, scroll window and the paging state
//! for infinite scroll. Pure data; `App::update` drives it.

use std::collections::HashSet;

use crate::api::{ApiError, VoiceCall};
use crate::msg::RequestId;

/// Where loading the next page stands. An enum, not flags: exactly one is true.
#[derive(Debug, Clone, PartialEq)]
pub enum Paging {
    /// More pages may exist; `next` is the one to ask for.
    Idle { next: u32 },
    /// A page request is out; only its reply is accepted.
    Loading { req: RequestId, page: u32 },
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

    /// The loaded call with this uid.
    pub fn find(&self, uid: &str) -> Option<&VoiceCall> {
        self.calls.iter().find(|c| c.uid.as_deref() == Some(uid))
    }

    /// Puts the server's newer copy of a call in its row; `false` when it is not loaded.
    pub fn update_call(&mut self, call: VoiceCall) -> bool {
        let Some(uid) = call.uid.as_deref() else {
            return false;
        };
        match self
            .calls
            .iter()
            .position(|c| c.uid.as_deref() == Some(uid))
        {
            Some(i) => {
                self.calls[i] = call;
                true
            }
            None => false,
        }
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
    fn empty_list_is_safe() {
        let mut list = CallList::default();
        list.move_by(1, 10);
        list.move_by(-1, 10);
        assert!(list.selected().is_none());
        assert!(list.visible(10).is_empty());
        assert!(list.near_end(10));
    }
}
