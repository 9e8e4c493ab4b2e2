//! Voicemails in the list: `O` marks a recording played (`PUT …/voice_call_recordings/{uid}`,
//! sent once: not again while one is out, nor once the server says it is played), and the
//! first line of a voicemail's transcript becomes its row's preview (fetched only for the
//! rows on screen, a few at a time, kept per call for the session). Still no I/O.

use std::collections::{HashMap, HashSet};

use super::{App, Purpose};
use crate::api::CallFields;
use crate::api::{Answer, Transcript, VoiceCall};
use crate::console::keys::Action;
use crate::console::msg::Effect;
use crate::domain::voicemail;

/// The most transcript previews asked for at one time.
pub const PREVIEWS_OUT: usize = 3;

/// A voicemail's transcript preview, as far as it is known.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Preview {
    /// Asked for.
    Loading,
    /// The transcript's first line.
    Line(String),
    /// No line to show (no words in it, or it could not be read): the summary stays.
    Nothing,
}

/// The recordings being marked played, and the previews known.
#[derive(Debug, Clone, Default)]
pub(super) struct Voicemails {
    /// Recording uids whose "played" PUT is out.
    marking: HashSet<String>,
    /// Previews by call uid, for the session.
    previews: HashMap<String, Preview>,
}

impl App {
    /// `O` opened a recording: one not known to be played is marked played, once.
    pub(super) fn mark_played_on_open(&mut self) -> Vec<Effect> {
        let Some(call) = self.list().selected() else {
            return Vec::new();
        };
        if voicemail::played(call) == Some(true) {
            return Vec::new();
        }
        let Some(recording) = voicemail::recording_uid(call).map(str::to_owned) else {
            return Vec::new();
        };
        if !self.voicemails.marking.insert(recording.clone()) {
            return Vec::new();
        }
        let req = self.requests.start(
            Purpose::RecordingPlayed {
                recording: recording.clone(),
            },
            self.clock.now,
        );
        vec![Effect::MarkPlayed { req, recording }]
    }

    /// The server answered the "played" PUT: its copy of the call goes where every view sees
    /// it; a failure says so, and the next `O` tries again.
    pub(super) fn on_marked_played(
        &mut self,
        recording: String,
        answer: Answer<VoiceCall>,
    ) -> Vec<Effect> {
        self.voicemails.marking.remove(&recording);
        let Answer { exchange, result } = answer;
        self.record_background(exchange, result.as_ref().err().cloned());
        match result {
            Ok(call) => self.update_everywhere(&call),
            Err(e) => {
                let key = self.session.config.keys.hint(Action::OpenRecording);
                self.error(format!(
                    "the recording was not marked played: {e}; {key} tries again"
                ));
            }
        }
        Vec::new()
    }

    /// Whether the "played" PUT for this call's recording is out.
    pub fn marking_played<C: CallFields + ?Sized>(&self, call: &C) -> bool {
        voicemail::recording_uid(call).is_some_and(|r| self.voicemails.marking.contains(r))
    }

    /// The transcript line shown in this call's row instead of its summary, when there is one.
    pub fn preview(&self, uid: &str) -> Option<&str> {
        match self.voicemails.previews.get(uid) {
            Some(Preview::Line(line)) => Some(line),
            _ => None,
        }
    }

    /// The transcripts of the voicemail rows on screen whose transcript is made and whose
    /// preview is not known yet, at most [`PREVIEWS_OUT`] out at once. After every message:
    /// whatever moved the rows (a page, a scroll, a tab) is seen here.
    pub(super) fn want_previews(&mut self) -> Vec<Effect> {
        let out = self
            .voicemails
            .previews
            .values()
            .filter(|p| **p == Preview::Loading)
            .count();
        let room = PREVIEWS_OUT.saturating_sub(out);
        if room == 0 || !self.session.config.previews {
            return Vec::new();
        }
        let tab = &self.tabs[self.active];
        let wanted: Vec<String> = tab
            .list
            .visible(self.list_rows)
            .filter_map(|id| self.store.get(id))
            .filter(voicemail::wants_preview)
            .filter_map(|c| c.uid().map(str::to_string))
            .filter(|u| !u.trim().is_empty() && !self.voicemails.previews.contains_key(u))
            .take(room)
            .collect();
        wanted
            .into_iter()
            .map(|uid| {
                let req = self
                    .requests
                    .start(Purpose::Preview { uid: uid.clone() }, self.clock.now);
                self.voicemails
                    .previews
                    .insert(uid.clone(), Preview::Loading);
                Effect::FetchTranscript { req, uid }
            })
            .collect()
    }

    /// A preview's transcript answered: its first line, else nothing (kept, not asked again);
    /// only logged, the status bar stays with what the user did.
    pub(super) fn on_preview(&mut self, uid: String, answer: Answer<Transcript>) -> Vec<Effect> {
        let Answer { exchange, result } = answer;
        self.log_only(&exchange, result.as_ref().err());
        let preview = result
            .ok()
            .as_ref()
            .and_then(voicemail::preview)
            .map_or(Preview::Nothing, Preview::Line);
        self.voicemails.previews.insert(uid, preview);
        Vec::new()
    }
}

#[cfg(test)]
#[path = "voicemail_tests.rs"]
mod tests;
