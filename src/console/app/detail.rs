//! The detail pane's state: open or not, how far it is scrolled, and what it fetched for the
//! call it shows (the transcript, the client panel). It follows the selection: whatever moves
//! the cursor, switches tabs or loads the first page asks for what the new call needs, and
//! only for that call.

use super::client_panel::Panels;
use super::{App, Remote};
use crate::api::Transcript;
use crate::console::msg::Effect;

#[derive(Debug, Clone, Default)]
pub(super) struct DetailPane {
    pub(super) open: bool,
    pub(super) scroll: u16,
    pub(super) transcript: Option<(String, Remote<Transcript>)>,
    /// Callers' calls and clients found by number, kept for the session.
    pub(super) panels: Panels,
}

impl App {
    /// With the pane open: the selected call's transcript and client panel, when not
    /// already there.
    pub(super) fn fetch_detail_if_shown(&mut self) -> Vec<Effect> {
        let mut effects = self.fetch_transcript_if_shown();
        effects.extend(self.fetch_client_panel_if_shown());
        effects
    }
}
