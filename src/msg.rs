//! The whole vocabulary of the app: every `Msg` that can reach `App::update`, and every
//! `Effect` that `update` can ask the runtime to perform.

use chrono::{DateTime, Utc};
use crossterm::event::KeyEvent;

use crate::api::{Answer, CallPage, ListQuery};

/// Identifies one request, so a reply to a request that is no longer current can be dropped.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct RequestId(pub u64);

/// Something that happened.
#[derive(Debug)]
pub enum Msg {
    /// A key press from the terminal (runtime's input stream).
    Key(KeyEvent),
    /// The terminal changed size (runtime's input stream); the list's page size follows it.
    Resize { width: u16, height: u16 },
    /// The clock moved (runtime's timer): relative times and the spinner advance.
    Tick(DateTime<Utc>),
    /// A page of calls answered (the runtime, for `Effect::FetchPage`).
    PageLoaded {
        req: RequestId,
        page: u32,
        answer: Answer<CallPage>,
    },
    /// The process was asked to stop (SIGTERM / SIGHUP, from the runtime's signal handler).
    Shutdown,
}

/// Something `update` wants done; only the runtime does I/O.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Effect {
    /// GET one page of the list; the answer comes back as `Msg::PageLoaded` with `req`.
    FetchPage { req: RequestId, query: ListQuery },
}
