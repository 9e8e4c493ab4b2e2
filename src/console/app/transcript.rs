//! The transcript in the detail pane: fetched once for the call shown, and polled every
//! [`TRANSCRIPT_POLL`] while it is still being made. Still no I/O.

use std::time::Duration;

use super::{App, Remote};
use crate::api::CallFields;
use crate::api::{Answer, Transcript};
use crate::console::msg::{Effect, RequestId};

/// How often a transcript still being made is asked for again.
pub const TRANSCRIPT_POLL: Duration = Duration::from_secs(5);

impl App {
    /// With the detail pane open, the selected call's transcript is fetched once.
    pub(super) fn fetch_transcript_if_shown(&mut self) -> Vec<Effect> {
        if !self.detail.open {
            return Vec::new();
        }
        let Some(uid) = self
            .list()
            .selected()
            .and_then(|c| c.uid().map(str::to_string))
            .filter(|u| !u.trim().is_empty())
        else {
            self.detail.transcript = None;
            return Vec::new();
        };
        if self
            .detail
            .transcript
            .as_ref()
            .is_some_and(|(u, _)| *u == uid)
        {
            return Vec::new();
        }
        self.fetch_transcript(uid)
    }

    fn fetch_transcript(&mut self, uid: String) -> Vec<Effect> {
        let req = self
            .requests
            .start(super::Purpose::Transcript, self.clock.now);
        self.detail.transcript = Some((uid.clone(), Remote::Loading { req }));
        vec![Effect::FetchTranscript { req, uid }]
    }

    pub(super) fn on_transcript(
        &mut self,
        req: RequestId,
        uid: String,
        answer: Answer<Transcript>,
    ) -> Vec<Effect> {
        if self.detail.transcript.as_ref().map(|(_, r)| r) != Some(&Remote::Loading { req }) {
            // The pane moved on to another call.
            return self.stale(&answer.exchange, answer.result.as_ref().err());
        }
        let Answer { exchange, result } = answer;
        match &result {
            // A call without a transcript is an answer, not a failure: the pane says so and
            // the status bar keeps what it showed.
            Err(e) if e.status() == Some(404) => self.log_only(&exchange, Some(e)),
            _ => self.record(exchange, result.as_ref().err().cloned()),
        }
        match result {
            Ok(t) => {
                let in_progress = t.status.as_deref() == Some("IN_PROGRESS");
                self.detail.transcript = Some((uid.clone(), Remote::Loaded(t)));
                if in_progress {
                    return vec![Effect::ScheduleTranscript {
                        uid,
                        delay: TRANSCRIPT_POLL,
                    }];
                }
            }
            Err(e) => self.detail.transcript = Some((uid, Remote::Failed(e))),
        }
        Vec::new()
    }

    /// The poll timer: ask again only if that call is still shown and still in progress.
    pub(super) fn on_transcript_due(&mut self, uid: String) -> Vec<Effect> {
        let still = self.detail.open
            && matches!(&self.detail.transcript, Some((u, Remote::Loaded(t)))
                if *u == uid && t.status.as_deref() == Some("IN_PROGRESS"));
        if still {
            return self.fetch_transcript(uid);
        }
        Vec::new()
    }
}

#[cfg(test)]
#[path = "transcript_tests.rs"]
mod tests;
