//! The session's fixed facts and settings, and the state of one thing asked of the server.

use crate::api::ApiError;
use crate::config::Config;
use crate::console::msg::RequestId;

/// Fixed facts about this session, shown on screen, and the settings the console runs with.
#[derive(Debug, Clone, Default)]
pub struct Session {
    /// Talking to the embedded demo server.
    pub demo: bool,
    /// Where the API is, for the title bar.
    pub api_label: String,
    /// `CALLCONSOLE_CRASH_TEST=1`: F12 panics on purpose, to check that a crash gives the
    /// terminal back and keeps the open edit (support and tests).
    pub crash_key: bool,
    /// The settings in force, defaults and all (one type, one place for defaults: see
    /// [`Config::default`]). The console fills in `staff_uid` and `defaults` when it asks
    /// for them; it never holds the token (the API client does).
    pub config: Config,
    /// Look up the people behind the uids (clients, the roster, me) in the background. The
    /// console turns it on; tests of other things leave it off so their requests stay theirs.
    pub people: bool,
    /// Numbers in the detail pane are `tel:` links (OSC 8): the `hyperlinks` setting and a
    /// terminal that takes them, decided at start (`ui::hyperlink::terminal_takes_links`).
    /// Off unless the console turns it on, so tests draw plain text.
    pub hyperlinks: bool,
}

/// Something asked of the server that may still be out, has answered, or failed.
#[derive(Debug, Clone, PartialEq)]
pub enum Remote<T> {
    Loading {
        req: RequestId,
    },
    Loaded(T),
    /// The typed error, so the screen can tell "no transcript" from "server down".
    Failed(ApiError),
}

impl<T> From<Result<T, ApiError>> for Remote<T> {
    fn from(result: Result<T, ApiError>) -> Self {
        match result {
            Ok(value) => Remote::Loaded(value),
            Err(error) => Remote::Failed(error),
        }
    }
}
