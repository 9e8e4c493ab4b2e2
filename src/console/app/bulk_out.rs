//! Which calls of a bulk action are out: kept beside its calls, so an answer finds its call
//! among the few out and the next call to send is found from where the last one was, never by
//! going through every call of the batch (twice per answer, a thousand answers a second).

use super::{Batch, BatchItem, BatchKind, ItemState};
use crate::console::msg::RequestId;

impl Batch {
    pub fn new(kind: BatchKind, items: Vec<BatchItem>, tab: usize) -> Self {
        Self {
            kind,
            items,
            tab,
            out: Vec::new(),
            next: 0,
        }
    }

    pub fn running(&self) -> bool {
        !self.out.is_empty() || self.next_queued().is_some()
    }

    /// The first call waiting to be sent.
    fn next_queued(&self) -> Option<usize> {
        let rest = self.items.get(self.next..)?;
        let i = rest.iter().position(|i| i.state == ItemState::Queued)?;
        Some(self.next + i)
    }

    pub(super) fn in_flight(&self) -> usize {
        self.out.len()
    }

    /// The next waiting call, now out as `req`.
    pub(super) fn send_next(&mut self, req: RequestId) -> Option<&BatchItem> {
        let i = self.next_queued()?;
        self.next = i + 1;
        self.out.push(i);
        let item = &mut self.items[i];
        item.state = ItemState::Sending { req };
        Some(item)
    }

    /// The call out as `req`, no longer counted as out: its answer is in.
    pub(super) fn answered(&mut self, req: RequestId) -> Option<&mut BatchItem> {
        let at = self
            .out
            .iter()
            .position(|i| self.items[*i].state == ItemState::Sending { req })?;
        let i = self.out.swap_remove(at);
        Some(&mut self.items[i])
    }
}
