//! The rest of the details: the transcript in the detail pane (polled while it is being made),
//! the request log, opening links, copying a number, and what clicks and the wheel do (the view
//! found what they landed on). Still no I/O.

use std::time::Duration;

use crossterm::event::{KeyCode, KeyEvent};

use super::{App, Overlay, Remote};
use crate::api::{Answer, Transcript};
use crate::console::keys::Action;
use crate::console::msg::{Effect, RequestId, Target, Wheel};

/// How often a transcript still being made is asked for again.
pub const TRANSCRIPT_POLL: Duration = Duration::from_secs(5);

/// How many rows one notch of the mouse wheel scrolls the list.
const WHEEL_ROWS: isize = 3;

impl App {
    // ---- transcript ----

    /// With the detail pane open, the selected call's transcript is fetched once.
    pub(super) fn fetch_transcript_if_shown(&mut self) -> Vec<Effect> {
        if !self.detail_open {
            return Vec::new();
        }
        let Some(uid) = self.list().selected().and_then(|c| c.uid.clone()) else {
            self.transcript = None;
            return Vec::new();
        };
        if self.transcript.as_ref().is_some_and(|(u, _)| *u == uid) {
            return Vec::new();
        }
        self.fetch_transcript(uid)
    }

    fn fetch_transcript(&mut self, uid: String) -> Vec<Effect> {
        let req = self.requests.start(super::Purpose::Transcript);
        self.transcript = Some((uid.clone(), Remote::Loading { req }));
        vec![Effect::FetchTranscript { req, uid }]
    }

    pub(super) fn on_transcript(
        &mut self,
        req: RequestId,
        uid: String,
        answer: Answer<Transcript>,
    ) -> Vec<Effect> {
        if self.transcript.as_ref().map(|(_, r)| r) != Some(&Remote::Loading { req }) {
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
                self.transcript = Some((uid.clone(), Remote::Loaded(t)));
                if in_progress {
                    return vec![Effect::ScheduleTranscript {
                        uid,
                        delay: TRANSCRIPT_POLL,
                    }];
                }
            }
            Err(e) => self.transcript = Some((uid, Remote::Failed(e))),
        }
        Vec::new()
    }

    /// The poll timer: ask again only if that call is still shown and still in progress.
    pub(super) fn on_transcript_due(&mut self, uid: String) -> Vec<Effect> {
        let still = self.detail_open
            && matches!(&self.transcript, Some((u, Remote::Loaded(t)))
                if *u == uid && t.status.as_deref() == Some("IN_PROGRESS"));
        if still {
            return self.fetch_transcript(uid);
        }
        Vec::new()
    }

    // ---- request log ----

    pub(super) fn on_log_key(&mut self, key: KeyEvent, scroll: usize) -> Vec<Effect> {
        let page = self.rows().saturating_sub(2).max(1);
        let max = self.log.len().saturating_sub(1);
        let scroll = match key.code {
            KeyCode::Char('k') | KeyCode::Up => scroll.saturating_add(1).min(max),
            KeyCode::Char('j') | KeyCode::Down => scroll.saturating_sub(1),
            KeyCode::PageUp => scroll.saturating_add(page).min(max),
            KeyCode::PageDown => scroll.saturating_sub(page),
            KeyCode::Char('g') | KeyCode::Home => max,
            KeyCode::Char('G') | KeyCode::End => 0,
            _ => {
                self.set_overlay(Overlay::None);
                if self.session.config.keys.action(&key) == Some(Action::Quit) {
                    self.quit = true;
                }
                return Vec::new();
            }
        };
        self.set_overlay(Overlay::Log { scroll });
        Vec::new()
    }

    // ---- links and clipboard ----

    /// `o` the call in its app, `O` its recording — only http(s) links are handed on.
    pub(super) fn open_external(&mut self, recording: bool) -> Vec<Effect> {
        let Some(call) = self.list().selected() else {
            return Vec::new();
        };
        let (what, url) = if recording {
            (
                "recording",
                call.recording
                    .as_ref()
                    .and_then(|r| r.recording_url.clone()),
            )
        } else {
            ("external app link", call.external_app_url.clone())
        };
        match url {
            None => {
                self.warn(format!("this call has no {what}"));
                Vec::new()
            }
            Some(url) if crate::domain::rules::check_http_url("url", &url).is_err() => {
                self.error(format!(
                    "not opened: the {what} \"{url}\" is not an http(s) address"
                ));
                Vec::new()
            }
            Some(url) => {
                self.info(format!("opening {url}…"));
                vec![Effect::OpenUrl { url }]
            }
        }
    }

    /// `y`: the caller's number (the other party's for outbound calls), in E.164.
    pub(super) fn copy_number(&mut self) -> Vec<Effect> {
        let Some(call) = self.list().selected() else {
            return Vec::new();
        };
        let outbound = call
            .direction
            .as_ref()
            .is_some_and(|d| d.as_str() == "OUTBOUND");
        let number = if outbound {
            call.to_number.clone()
        } else {
            call.from_number.clone()
        };
        let Some(number) = number else {
            self.warn("this call has no number to copy");
            return Vec::new();
        };
        let e164 = self
            .session
            .config
            .default_country
            .as_deref()
            .and_then(|country| crate::domain::fields::normalise_phone(&number, country))
            .unwrap_or(number);
        vec![Effect::Copy { text: e164 }]
    }

    // ---- mouse ----

    /// Clicks and the wheel reach the list or the form, never what is drawn over them (a
    /// prompt, a bar, an overlay), and nothing at all with `mouse = false`.
    fn takes_mouse(&self) -> bool {
        self.session.config.mouse && matches!(self.mode, super::Mode::Browse | super::Mode::Form(_))
    }

    /// A click the view placed (`ui::hit`): a tab or a call on the list, a field in the form.
    pub(super) fn on_click(&mut self, target: Target) -> Vec<Effect> {
        if !self.takes_mouse() {
            return Vec::new();
        }
        if let Some(form) = self.form_mut() {
            // The form covers the list, and the tabs do not switch under it.
            if let Target::Field(field) = target {
                form.set_focus(field);
            }
            return Vec::new();
        }
        match target {
            Target::Tab(index) => self.switch_tab(index),
            Target::Row(index) if index < self.list().len() => self.go_to(index),
            Target::Row(_) | Target::Field(_) => Vec::new(),
        }
    }

    /// The wheel scrolls the list (the cursor is dragged along) or moves between form fields.
    pub(super) fn on_wheel(&mut self, wheel: Wheel) -> Vec<Effect> {
        use crate::domain::fields::FieldId;
        if !self.takes_mouse() {
            return Vec::new();
        }
        let down = wheel == Wheel::Down;
        if let Some(form) = self.form_mut() {
            let focus = form.focus().index();
            let next = if down {
                (focus + 1).min(FieldId::ALL.len() - 1)
            } else {
                focus.saturating_sub(1)
            };
            form.set_focus(FieldId::ALL[next]);
            return Vec::new();
        }
        let rows = self.rows();
        let before = self.list().selected_index();
        let delta = if down { WHEEL_ROWS } else { -WHEEL_ROWS };
        self.list_mut().scroll_by(delta, rows);
        self.after_move(before)
    }
}
