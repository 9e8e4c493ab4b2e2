//! The calls one view lists, as ids into the [`CallStore`]: the cursor, the scroll window,
//! paging, and how a later page or a refreshed first page is merged in.

use std::cmp::Ordering;
use std::collections::HashSet;
use std::sync::atomic::{self, AtomicU64};

use super::slot_set::SlotSet;
use super::tail::Tail;
use super::{CallId, CallStore, Incoming, PackedCall, Paging};
use crate::api::VoiceCall;

/// A new number for a list whose rows changed other than by growing at the end; unique across
/// every list, so an index built for one list is never taken for another's.
fn next_generation() -> u64 {
    static NEXT: AtomicU64 = AtomicU64::new(1);
    NEXT.fetch_add(1, atomic::Ordering::Relaxed)
}

/// The calls one view lists, newest first, as ids into the [`CallStore`], and the cursor.
#[derive(Debug, Clone)]
pub struct CallList {
    pub(super) ids: Vec<CallId>,
    /// Ids already listed, so a page that overlaps the previous one (new calls arrived and
    /// pushed rows down) does not show a call twice.
    pub(super) listed: SlotSet,
    pub(super) selected: usize,
    /// First row drawn; kept so the selection stays visible.
    pub(super) offset: usize,
    /// Changes whenever rows are removed, replaced or inserted anywhere but the end; see
    /// [`CallList::generation`].
    generation: u64,
    pub paging: Paging,
    /// The view's far end, shown after a gap row before the pages in between are in (`G`;
    /// see `tail.rs`). Never holds a call `ids` holds.
    pub(super) tail: Option<Tail>,
}

impl Default for CallList {
    fn default() -> Self {
        Self {
            ids: Vec::new(),
            listed: SlotSet::default(),
            selected: 0,
            offset: 0,
            generation: next_generation(),
            paging: Paging::Idle { next: 1 },
            tail: None,
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

    /// The id under the cursor (none on the gap row).
    pub fn selected_id(&self) -> Option<CallId> {
        self.id_at(self.selected)
    }

    pub fn offset(&self) -> usize {
        self.offset
    }

    /// The calls on the rows that fit in `height`: the only ones a frame builds (the gap
    /// row, when the window shows it, is not a call).
    pub fn visible(&self, height: usize) -> impl Iterator<Item = CallId> + '_ {
        let end = (self.offset + height).min(self.row_count());
        (self.offset.min(end)..end).filter_map(|row| self.id_at(row))
    }

    /// Moves the cursor by `delta` rows, clamped, and scrolls so it stays in a window of
    /// `height` rows.
    pub fn move_by(&mut self, delta: isize, height: usize) {
        let last = self.row_count().saturating_sub(1);
        let target = self.selected.saturating_add_signed(delta).min(last);
        self.select(target, height);
    }

    pub fn select(&mut self, index: usize, height: usize) {
        self.selected = index.min(self.row_count().saturating_sub(1));
        self.scroll_into_view(height);
    }

    /// Keeps the selection inside the window (after moves and after a resize).
    pub fn scroll_into_view(&mut self, height: usize) {
        let len = self.row_count();
        super::window::scroll_into_view(&mut self.selected, &mut self.offset, len, height);
    }

    /// True when the cursor is within one screen of the end of what is loaded: the end of
    /// the list, or the gap before its far end.
    pub fn near_end(&self, height: usize) -> bool {
        match self.gap_row() {
            Some(gap) => self.selected.abs_diff(gap) <= height.max(1),
            None => self.selected + height.max(1) >= self.ids.len(),
        }
    }

    /// Adds a later page, skipping calls already listed; each call goes into the store (a
    /// listed call's copy is updated there). A call the far end shows moves up from it.
    pub fn append<C: Incoming>(&mut self, store: &mut CallStore, calls: Vec<C>) {
        let parked = self.cursor_past_gap();
        let mut met = false;
        for call in calls {
            let id = store.upsert(call);
            if self.listed.insert(id) {
                self.ids.push(id);
                met |= self.tail.as_mut().is_some_and(|t| t.forget(id));
            }
        }
        self.after_growth(parked, met);
    }

    /// Whether this call is listed (the far end included).
    pub fn contains(&self, id: CallId) -> bool {
        self.listed.contains(id) || self.tail.as_ref().is_some_and(|t| t.holds(id))
    }

    /// Whether the call with this uid is listed.
    pub fn contains_uid(&self, store: &CallStore, uid: &str) -> bool {
        self.listed_id(store, uid).is_some()
    }

    /// The slot of the call with this uid, when this list holds it.
    pub fn listed_id(&self, store: &CallStore, uid: &str) -> Option<CallId> {
        store.id_of(uid).filter(|id| self.contains(*id))
    }

    /// Where this list holds the call, before any gap.
    pub fn position(&self, id: CallId) -> Option<usize> {
        if !self.listed.contains(id) {
            return None;
        }
        self.ids.iter().position(|i| *i == id)
    }

    /// Replaces everything with a fresh first page, keeping the cursor on the same call when
    /// it is still there.
    pub fn replace<C: Incoming>(&mut self, store: &mut CallStore, calls: Vec<C>, height: usize) {
        let keep = self.selected_id();
        self.ids.clear();
        self.listed.clear();
        self.tail = None;
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
        keep: impl Fn(&PackedCall) -> bool,
        whole_view: bool,
        height: usize,
    ) -> Vec<CallId> {
        // The far end stays aside while the top merges.
        let parked = self.park_tail();
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
                .filter(|id| self.listed.contains(**id))
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
                listed.remove(id);
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
        self.unpark_tail(parked, store, &keep, whole_view);
        self.scroll_into_view(height);
        added
            .into_iter()
            .filter(|id| self.listed.contains(*id))
            .collect()
    }

    /// A call changed here: it leaves the list when it no longer belongs (`admitted` false),
    /// joins it at its place in `order` when it now belongs and that place is within what is
    /// loaded (`complete`: everything is), and moves when its place changed. The cursor stays
    /// on its row (so the next call comes under it when its call leaves), or follows its call
    /// when that moved. Returns whether the rows changed.
    pub fn place(
        &mut self,
        store: &CallStore,
        id: CallId,
        admitted: bool,
        order: impl Fn(&PackedCall, &PackedCall) -> Ordering,
        complete: bool,
        height: usize,
    ) -> bool {
        if store.get(id).is_none() {
            return false;
        }
        let followed = self.selected_id() == Some(id);
        match self.place_in_tail(store, id, admitted, &order, height) {
            Some(done) => return done,
            None if followed && self.selected_id() != Some(id) => {
                // It left the far end to sort among the calls above: the cursor follows.
                self.place_head(store, id, admitted, &order, complete, height);
                if let Some(i) = self.position(id) {
                    self.select(i, height);
                }
                return true;
            }
            None => {}
        }
        self.place_head(store, id, admitted, order, complete, height)
    }

    fn place_head(
        &mut self,
        store: &CallStore,
        id: CallId,
        admitted: bool,
        order: impl Fn(&PackedCall, &PackedCall) -> Ordering,
        complete: bool,
        height: usize,
    ) -> bool {
        let Some(call) = store.get(id) else {
            return false;
        };
        let cmp = |other: &CallId| {
            store
                .get(*other)
                .map_or(Ordering::Equal, |o| order(o, call))
        };
        let at = self.position(id);
        if let Some(i) = at
            && admitted
        {
            // Still in order where it is: nothing moves.
            let after_prev = i == 0 || cmp(&self.ids[i - 1]) != Ordering::Greater;
            let before_next = self
                .ids
                .get(i + 1)
                .is_none_or(|next| cmp(next) != Ordering::Less);
            if after_prev && before_next {
                return false;
            }
        }
        if at.is_none() && !admitted {
            return false;
        }
        let followed = self.selected_id() == Some(id);
        if let Some(i) = at {
            self.ids.remove(i);
            self.listed.remove(id);
            if i < self.selected {
                self.selected -= 1;
            }
        }
        let mut changed = at.is_some();
        if admitted {
            // The rows are in the view's order: the first row that sorts after the call.
            let to = self
                .ids
                .partition_point(|other| cmp(other) != Ordering::Greater);
            if to < self.ids.len() || complete {
                changed = true;
                self.ids.insert(to, id);
                self.listed.insert(id);
                if followed {
                    self.selected = to;
                } else if to <= self.selected {
                    // The cursor's call moved down one row.
                    self.selected += 1;
                }
            }
        }
        if !changed {
            return false;
        }
        self.generation = next_generation();
        self.selected = self.selected.min(self.row_count().saturating_sub(1));
        self.scroll_into_view(height);
        true
    }

    /// Puts the rows back in the view's order (a refresh put new calls on top, wherever they
    /// sort), keeping the cursor on its call. Nothing changes when they already are.
    pub fn resort(
        &mut self,
        store: &CallStore,
        order: impl Fn(&PackedCall, &PackedCall) -> Ordering,
        height: usize,
    ) {
        let cmp = |a: &CallId, b: &CallId| match (store.get(*a), store.get(*b)) {
            (Some(a), Some(b)) => order(a, b),
            _ => Ordering::Equal,
        };
        if self.ids.is_sorted_by(|a, b| cmp(a, b) != Ordering::Greater) {
            return;
        }
        let cursor = self.selected_id();
        self.ids.sort_by(cmp);
        self.generation = next_generation();
        if let Some(i) = cursor.and_then(|id| self.position(id)) {
            self.selected = i;
        }
        self.scroll_into_view(height);
    }

    /// Moves the cursor onto this call, if listed.
    pub fn select_id(&mut self, id: CallId, height: usize) -> bool {
        match self.position(id).or_else(|| self.tail_row(id)) {
            Some(i) => {
                self.select(i, height);
                true
            }
            None => false,
        }
    }

    /// Scrolls the window by `delta` rows (the mouse wheel), keeping the cursor inside it.
    pub fn scroll_by(&mut self, delta: isize, height: usize) {
        let len = self.row_count();
        super::window::scroll_by(&mut self.selected, &mut self.offset, delta, len, height);
    }
}

#[cfg(test)]
#[path = "list_tests.rs"]
mod tests;
