//! A view's far end, shown before the pages in between are in: `G` asks the server for one
//! page in the reversed order, and the list shows those calls (in the view's order) after a
//! gap row while the middle loads. A page that brings a call the far end shows moves it up
//! to its place among the calls above; when the last page is in, the list is the server's
//! pages alone and the far end goes (`drop_tail`). Rows, as the cursor counts them: the
//! calls above the gap (`ids()`), the gap, the far end's calls.

use std::cmp::Ordering;
use std::collections::HashSet;

use super::{CallId, CallList, CallStore, PackedCall};
use crate::api::VoiceCall;

/// The far end's calls, in the view's order.
#[derive(Debug, Clone, Default)]
pub(super) struct Tail {
    ids: Vec<CallId>,
    listed: HashSet<CallId>,
}

impl Tail {
    pub(super) fn holds(&self, id: CallId) -> bool {
        self.listed.contains(&id)
    }

    /// Takes the call out of the set (the rows follow in `CallList::after_growth`); true when
    /// it was here.
    pub(super) fn forget(&mut self, id: CallId) -> bool {
        self.listed.remove(&id)
    }
}

/// Where the cursor stood past the gap while the rows above it changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum PastGap {
    Gap,
    Call(CallId),
}

/// The far end set aside while the top of the list merges a refresh.
pub(super) struct Parked {
    tail: Tail,
    /// Where the cursor was, when it was past the gap, and its line on screen.
    cursor: Option<(PastGap, usize)>,
}

impl CallList {
    /// How many rows the cursor moves over: the calls, and the gap row when there is a far
    /// end.
    pub fn row_count(&self) -> usize {
        self.ids.len() + self.tail.as_ref().map_or(0, |t| 1 + t.ids.len())
    }

    /// The gap row between the calls loaded from the top and the far end, when there is one.
    pub fn gap_row(&self) -> Option<usize> {
        self.tail.as_ref().map(|_| self.ids.len())
    }

    /// The far end's calls (empty without one), in the view's order.
    pub fn tail_ids(&self) -> &[CallId] {
        self.tail.as_ref().map_or(&[], |t| &t.ids)
    }

    /// Every listed call: from the top, then the far end.
    pub fn all_ids(&self) -> impl Iterator<Item = CallId> + '_ {
        self.ids.iter().chain(self.tail_ids()).copied()
    }

    /// How many calls are listed, the far end's included.
    pub fn calls_listed(&self) -> usize {
        self.ids.len() + self.tail_ids().len()
    }

    /// The call on `row`: none on the gap row.
    pub fn id_at(&self, row: usize) -> Option<CallId> {
        match row.checked_sub(self.ids.len()) {
            None => Some(self.ids[row]),
            Some(0) => None,
            Some(k) => self.tail_ids().get(k - 1).copied(),
        }
    }

    /// Whether the cursor is on the gap row.
    pub fn on_gap(&self) -> bool {
        self.gap_row() == Some(self.selected)
    }

    /// The row of a call the far end shows.
    pub(super) fn tail_row(&self, id: CallId) -> Option<usize> {
        let tail = self.tail.as_ref().filter(|t| t.holds(id))?;
        let k = tail.ids.iter().position(|i| *i == id)?;
        Some(self.ids.len() + 1 + k)
    }

    /// Shows `calls`, the view's far end in the view's order, after a gap row; calls already
    /// listed are left out. The cursor stays where it is. Returns how many calls the far end
    /// shows (none: no gap either).
    pub fn set_tail(
        &mut self,
        store: &mut CallStore,
        calls: Vec<VoiceCall>,
        height: usize,
    ) -> usize {
        let mut tail = Tail::default();
        for call in calls {
            let id = store.upsert(call);
            if !self.listed.contains(id) && tail.listed.insert(id) {
                tail.ids.push(id);
            }
        }
        let n = tail.ids.len();
        self.tail = (n > 0).then_some(tail);
        self.scroll_into_view(height);
        n
    }

    /// The far end goes (the last page is in, or the view changed under it): the list is
    /// what was loaded from the top. A cursor on the gap or the far end goes to the last call.
    pub fn drop_tail(&mut self, height: usize) {
        if self.tail.take().is_some() {
            self.selected = self.selected.min(self.ids.len().saturating_sub(1));
            self.scroll_into_view(height);
        }
    }

    /// Where the cursor is, when it is past the top's calls (on the gap or the far end).
    pub(super) fn cursor_past_gap(&self) -> Option<PastGap> {
        self.tail.as_ref()?;
        Some(match self.selected_id() {
            Some(id) if self.selected > self.ids.len() => PastGap::Call(id),
            _ if self.selected >= self.ids.len() => PastGap::Gap,
            _ => return None,
        })
    }

    /// After calls were added above the gap (`met`: some of them left the far end): the far
    /// end drops the calls that moved up, goes when none is left, and a cursor past the gap
    /// stays on its call (or the gap) on the same screen line.
    pub(super) fn after_growth(&mut self, parked: Option<PastGap>, met: bool) {
        let Some(tail) = self.tail.as_mut() else {
            return;
        };
        if met {
            let listed = &tail.listed;
            tail.ids.retain(|id| listed.contains(id));
        }
        let empty = tail.ids.is_empty();
        let Some(at) = parked else {
            if empty {
                self.tail = None;
            }
            return;
        };
        let screen_row = self.selected.saturating_sub(self.offset);
        if empty {
            self.tail = None;
        }
        self.selected = self.row_past_gap(at);
        self.offset = self.selected.saturating_sub(screen_row);
    }

    /// The row of a cursor that was past the gap: its call wherever it is now, else the gap,
    /// else the last row.
    fn row_past_gap(&self, at: PastGap) -> usize {
        let last = self.row_count().saturating_sub(1);
        match at {
            PastGap::Call(id) => self
                .tail_row(id)
                // A call that moved up went on the end of the top's calls.
                .or_else(|| self.ids.iter().rposition(|i| *i == id))
                .unwrap_or(last),
            PastGap::Gap => self.gap_row().unwrap_or(last),
        }
    }

    /// Sets the far end aside (a refresh merges the top of the list without it).
    pub(super) fn park_tail(&mut self) -> Option<Parked> {
        let cursor = self
            .cursor_past_gap()
            .map(|at| (at, self.selected.saturating_sub(self.offset)));
        let tail = self.tail.take()?;
        if cursor.is_some() {
            // Off the top's calls: the merge keeps no call for it.
            self.selected = usize::MAX;
        }
        Some(Parked { tail, cursor })
    }

    /// Puts the far end back after a refresh merged the top: without the calls `keep`
    /// rejects (the cursor's excepted) and those the top now lists; not at all when the
    /// fresh page was the whole view.
    pub(super) fn unpark_tail(
        &mut self,
        parked: Option<Parked>,
        store: &CallStore,
        keep: &impl Fn(&PackedCall) -> bool,
        whole_view: bool,
    ) {
        let Some(Parked { mut tail, cursor }) = parked else {
            return;
        };
        let at = cursor.map(|(at, _)| at);
        if !whole_view {
            let listed = &self.listed;
            tail.ids.retain(|id| {
                !listed.contains(*id)
                    && (store.get(*id).is_some_and(keep) || at == Some(PastGap::Call(*id)))
            });
            tail.listed = tail.ids.iter().copied().collect();
            if !tail.ids.is_empty() {
                self.tail = Some(tail);
            }
        }
        if let Some((at, screen_row)) = cursor {
            self.selected = self.row_past_gap(at);
            self.offset = self.selected.saturating_sub(screen_row);
        }
    }

    /// A call changed here that the far end shows: it stays when still in order there, leaves
    /// when it no longer belongs (the cursor stays on its row), and otherwise leaves the far
    /// end to be placed among the calls above (`None`, as for a call the far end does not
    /// show). Some(whether the rows changed) when it is done.
    pub(super) fn place_in_tail(
        &mut self,
        store: &CallStore,
        id: CallId,
        admitted: bool,
        order: &impl Fn(&PackedCall, &PackedCall) -> Ordering,
        height: usize,
    ) -> Option<bool> {
        let row = self.tail_row(id)?;
        let tail = self.tail.as_mut()?;
        let k = row - self.ids.len() - 1;
        let call = store.get(id)?;
        let cmp = |other: &CallId| {
            store
                .get(*other)
                .map_or(Ordering::Equal, |o| order(o, call))
        };
        let in_order = k
            .checked_sub(1)
            .is_none_or(|p| cmp(&tail.ids[p]) != Ordering::Greater)
            && tail.ids.get(k + 1).is_none_or(|n| cmp(n) != Ordering::Less);
        if admitted && in_order {
            return Some(false);
        }
        tail.ids.remove(k);
        tail.listed.remove(&id);
        if tail.ids.is_empty() {
            self.tail = None;
        }
        if row < self.selected {
            self.selected -= 1;
        }
        self.selected = self.selected.min(self.row_count().saturating_sub(1));
        self.scroll_into_view(height);
        (!admitted).then_some(true)
    }
}

#[cfg(test)]
#[path = "tail_tests.rs"]
mod tests;
