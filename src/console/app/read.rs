//! Read access for the view and the runtime: what the screen and the tests read from the
//! model, no changes.

use std::collections::{BTreeMap, VecDeque};

use chrono::{DateTime, Utc};

use super::*;

impl App {
    pub fn session(&self) -> &Session {
        &self.session
    }
    /// The open tab's calls.
    pub fn list(&self) -> ListView<'_> {
        self.view(self.active)
    }
    /// Tab `index`'s calls (the open tab's when out of range).
    pub fn view(&self, index: usize) -> ListView<'_> {
        let tab = self.tabs.get(index).unwrap_or(&self.tabs[self.active]);
        ListView {
            list: &tab.list,
            store: &self.store,
        }
    }
    /// Every loaded call, once.
    pub fn store(&self) -> &CallStore {
        &self.store
    }
    pub fn active_index(&self) -> usize {
        self.active
    }
    pub fn tab(&self) -> &Tab {
        &self.tabs[self.active]
    }
    pub fn tabs(&self) -> &[Tab] {
        &self.tabs
    }
    pub fn detail_open(&self) -> bool {
        self.detail.open
    }
    pub fn detail_scroll(&self) -> u16 {
        self.detail.scroll
    }
    pub fn search(&self) -> &Search {
        &self.search
    }
    pub fn last_request(&self) -> Option<&LastRequest> {
        self.log.last.as_ref()
    }
    pub fn log(&self) -> &VecDeque<LogEntry> {
        &self.log.entries
    }
    pub fn now(&self) -> DateTime<Utc> {
        self.clock.now
    }
    /// The zone times are shown and typed in.
    pub fn zone(&self) -> &Zone {
        self.clock.zones.shown()
    }
    pub fn spinner_frame(&self) -> usize {
        self.clock.spinner
    }
    pub fn submission(&self) -> Option<&Submission> {
        self.submission.as_ref()
    }
    pub fn batch(&self) -> Option<&Batch> {
        self.batch.as_ref()
    }
    pub fn drafts(&self) -> &BTreeMap<String, Draft> {
        &self.drafts.by_uid
    }
    pub fn transcript(&self) -> Option<&(String, Remote<Transcript>)> {
        self.detail.transcript.as_ref()
    }
    pub fn stats_view(&self) -> &[Option<Remote<Stats>>; 3] {
        &self.reports.stats_view
    }
    /// The oldest call that still needs a call back, when known.
    pub fn oldest_unhandled(&self) -> Option<&VoiceCall> {
        match &self.reports.oldest {
            Some(Remote::Loaded(call)) => call.as_ref(),
            _ => None,
        }
    }
}
