//! A view's list read together with the store, so the screen and the tests see calls rather
//! than ids.

use super::{CallList, CallStore, PackedCall};

/// A view's list read together with the store: what the screen and the tests look at.
/// Derefs to the [`CallList`] for the cursor and paging.
#[derive(Clone, Copy)]
pub struct ListView<'a> {
    pub list: &'a CallList,
    pub store: &'a CallStore,
}

impl std::ops::Deref for ListView<'_> {
    type Target = CallList;
    fn deref(&self) -> &CallList {
        self.list
    }
}

impl<'a> ListView<'a> {
    /// The call under the cursor.
    pub fn selected(&self) -> Option<&'a PackedCall> {
        self.list.selected_id().and_then(|id| self.store.get(id))
    }

    /// Every listed call, in list order.
    pub fn calls(&self) -> Vec<&'a PackedCall> {
        let store = self.store;
        self.list
            .ids()
            .iter()
            .filter_map(|id| store.get(*id))
            .collect()
    }

    /// The listed call with this uid.
    pub fn find(&self, uid: &str) -> Option<&'a PackedCall> {
        let id = self.store.id_of(uid)?;
        self.list.contains(id).then(|| self.store.get(id)).flatten()
    }

    /// The call on row `index` (none on the gap row before the far end).
    pub fn get(&self, index: usize) -> Option<&'a PackedCall> {
        self.list.id_at(index).and_then(|id| self.store.get(id))
    }

    /// The calls on the rows that fit in `height`.
    pub fn visible(&self, height: usize) -> impl Iterator<Item = &'a PackedCall> + 'a {
        let store = self.store;
        let list: &'a CallList = self.list;
        list.visible(height).filter_map(move |id| store.get(id))
    }

    /// The rows that fit in `height`, each with its row number: a call, or `None` for the
    /// gap row before the far end (see `tail.rs`).
    pub fn visible_rows(
        &self,
        height: usize,
    ) -> impl Iterator<Item = (usize, Option<&'a PackedCall>)> + 'a {
        let store = self.store;
        let list: &'a CallList = self.list;
        let end = (list.offset() + height).min(list.row_count());
        (list.offset().min(end)..end).filter_map(move |row| match list.id_at(row) {
            Some(id) => store.get(id).map(|c| (row, Some(c))),
            None => Some((row, None)),
        })
    }
}
