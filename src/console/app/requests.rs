//! Every request out, in one table keyed by its id, each entry saying what the reply is for.
//! A reply is routed by its id alone; the handler it reaches then checks that the request is
//! still the current one for its purpose (a newer one may have replaced it) and drops it if
//! not. Each entry keeps when it was sent (the clock's time), so the status bar can say how
//! long a slow one has waited.

use std::collections::HashMap;

use chrono::{DateTime, Utc};

use crate::console::msg::RequestId;
use crate::domain::caller::Caller;

/// What a request's reply is for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Purpose {
    /// A page of tab `tab`'s list (scrolling, or loading the whole view).
    Page { tab: usize },
    /// The first page of tab `tab`, merged into what is loaded.
    Refresh { tab: usize },
    /// The oldest call still waiting for a call back.
    Oldest,
    /// The all-time report behind the tab counts.
    Counts,
    /// One period of the stats view.
    Stats { period: usize },
    /// The transcript of the call in the detail pane.
    Transcript,
    /// A caller's calls, for the client panel in the detail pane.
    CallerCalls { caller: Caller },
    /// The clients with a number, for the client panel.
    ClientsByPhone { number: String },
    /// The call a waiting draft belongs to, to open the form on it.
    DraftCall { uid: String },
    /// The conflict check before the one save (form, `h`, undo).
    Check,
    /// The one save's PUT.
    Save,
    /// One call of a bulk action: checked and saved in one task.
    BatchItem,
    /// A client's name, looked up in the background.
    Client,
    /// The staff roster.
    Roster,
    /// Who the token belongs to.
    Me,
    /// The business's record (its time zone).
    Business,
    /// A call-back's record (the POST).
    CallBack,
    /// A page of the later calls that could be returns of the waiting calls (`returned.rs`).
    Returns,
    /// Marking a recording played (`O`), by its uid.
    RecordingPlayed { recording: String },
    /// A voicemail's transcript, for its row's preview.
    Preview { uid: String },
    /// The far end of tab `tab` for `G`: its first page in the reversed order (`far_end.rs`).
    FarEnd { tab: usize },
}

/// The requests out.
#[derive(Debug, Clone, Default)]
pub struct Requests {
    last: u64,
    out: HashMap<RequestId, (Purpose, DateTime<Utc>)>,
}

impl Requests {
    /// A new request id, remembered as out for `purpose` since `now`.
    pub fn start(&mut self, purpose: Purpose, now: DateTime<Utc>) -> RequestId {
        self.last += 1;
        let req = RequestId(self.last);
        self.out.insert(req, (purpose, now));
        req
    }

    /// What `req` is for, while it is out.
    pub fn purpose(&self, req: RequestId) -> Option<&Purpose> {
        self.out.get(&req).map(|(purpose, _)| purpose)
    }

    /// The reply to `req` arrived: what it was for, if it was asked by this console.
    pub fn finish(&mut self, req: RequestId) -> Option<Purpose> {
        self.out.remove(&req).map(|(purpose, _)| purpose)
    }

    /// When `req` was sent, while it is out.
    pub fn since(&self, req: RequestId) -> Option<DateTime<Utc>> {
        self.out.get(&req).map(|(_, at)| *at)
    }

    /// Requests still out.
    pub fn len(&self) -> usize {
        self.out.len()
    }

    pub fn is_empty(&self) -> bool {
        self.out.is_empty()
    }

    /// Whether a request for `purpose` is out.
    pub fn any(&self, purpose: &Purpose) -> bool {
        self.out.values().any(|(p, _)| p == purpose)
    }
}

#[cfg(test)]
#[path = "requests_tests.rs"]
mod tests;
