//! The list cached at the last exit: shown at once on start, marked provisional until the
//! server's first answer, and what is written for the next start.

use super::App;
use crate::domain::calls::PackedCall;

impl App {
    /// Draws the list saved at the last exit at once, marked as cached, while the first page
    /// is fetched; only when it was saved for the open tab with the same filter and sort.
    pub fn show_cached(&mut self, cached: crate::persist::cache::CachedList) {
        let rows = self.rows();
        let tab = &mut self.tabs[self.active];
        if cached.tab != tab.id || cached.settings != tab.settings || !tab.list.is_empty() {
            return;
        }
        let uids: Vec<String> = cached.calls.iter().filter_map(|c| c.uid.clone()).collect();
        tab.list.replace(&mut self.store, cached.calls, rows);
        // The server's copies replace these whatever their times (it may have been reset).
        for uid in &uids {
            self.store.mark_provisional(uid);
        }
        self.cached_since = Some(cached.saved_at);
    }

    /// The open tab's first screens, for the cache written at exit.
    pub fn cache_snapshot(&self) -> crate::persist::cache::CachedList {
        let tab = &self.tabs[self.active];
        crate::persist::cache::CachedList {
            tab: tab.id,
            settings: tab.settings.clone(),
            saved_at: self.clock.now.to_rfc3339(),
            calls: tab
                .list
                .ids()
                .iter()
                .take(crate::persist::cache::CACHED_CALLS)
                .filter_map(|id| self.store.get(*id).map(PackedCall::to_call))
                .collect(),
        }
    }

    /// When the list on screen is the cache from the last run (until the server answers).
    pub fn cached_since(&self) -> Option<&str> {
        self.cached_since.as_deref()
    }
}
