//! The rest of the details: the transcript in the detail pane (polled while it is being made),
//! the request log, opening links, copying a number, and the mouse. Still no I/O.

use std::time::Duration;

use crossterm::event::{KeyCode, KeyEvent, MouseButton, MouseEvent, MouseEventKind};

use super::{App, Overlay, Remote};
use crate::api::{Answer, Transcript};
use crate::keys::Action;
use crate::msg::{Effect, RequestId};
use crate::tabs::TabId;
use crate::ui::layout;

/// How often a transcript still being made is asked for again.
pub const TRANSCRIPT_POLL: Duration = Duration::from_secs(5);

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
            Some(url) if crate::rules::check_http_url("url", &url).is_err() => {
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
            .and_then(|country| crate::form::fields::normalise_phone(&number, country))
            .unwrap_or(number);
        vec![Effect::Copy { text: e164 }]
    }

    // ---- mouse ----

    pub(super) fn on_mouse(&mut self, event: MouseEvent) -> Vec<Effect> {
        if !self.session.config.mouse
            || self.prompt().is_some()
            || self.bar().is_some()
            || self.overlay() != Overlay::None
        {
            return Vec::new();
        }
        if self.form().is_some() {
            return self.on_form_mouse(event);
        }
        let rows = self.rows();
        match event.kind {
            MouseEventKind::ScrollDown => {
                let before = self.list().selected_index();
                self.list_mut().scroll_by(3, rows);
                self.after_move(before)
            }
            MouseEventKind::ScrollUp => {
                let before = self.list().selected_index();
                self.list_mut().scroll_by(-3, rows);
                self.after_move(before)
            }
            MouseEventKind::Down(MouseButton::Left) => {
                if event.row == 0 {
                    return match layout::tab_at(self, event.column) {
                        Some(i) => self.switch_tab(i),
                        None => Vec::new(),
                    };
                }
                let area = ratatui::layout::Rect::new(0, 0, self.size.0, self.size.1);
                let areas = layout::Areas::new(area, self.detail_open);
                let Some(list) = areas.list else {
                    return Vec::new();
                };
                // The first line of the list area is the table header.
                let first = list.y + 1;
                if event.row < first
                    || event.row >= list.y + list.height
                    || event.column >= list.x + list.width
                {
                    return Vec::new();
                }
                let index = self.list().offset() + usize::from(event.row - first);
                if index >= self.list().len() {
                    return Vec::new();
                }
                self.go_to(index)
            }
            _ => Vec::new(),
        }
    }

    /// Clicks pick a field; the wheel moves between fields.
    fn on_form_mouse(&mut self, event: MouseEvent) -> Vec<Effect> {
        use crate::form::fields::FieldId;
        let area = ratatui::layout::Rect::new(0, 0, self.size.0, self.size.1);
        let body = layout::Areas::new(area, false).body;
        let Some(form) = self.form_mut() else {
            return Vec::new();
        };
        let focus = form.focus().index();
        let target = match event.kind {
            MouseEventKind::ScrollDown => Some((focus + 1).min(FieldId::ALL.len() - 1)),
            MouseEventKind::ScrollUp => Some(focus.saturating_sub(1)),
            MouseEventKind::Down(MouseButton::Left) => {
                // Border and summary line, then one field per line, scrolled as drawn.
                let top = body.y + 2;
                let height = usize::from(body.height.saturating_sub(3).max(1));
                let first = focus.saturating_sub(height - 1);
                (event.row >= top)
                    .then(|| first + usize::from(event.row - top))
                    .filter(|i| *i < FieldId::ALL.len() && *i < first + height)
            }
            _ => None,
        };
        if let Some(i) = target {
            form.set_focus(FieldId::ALL[i]);
        }
        Vec::new()
    }

    /// The tabs' labels in the title bar, as drawn (clicks find a tab by them).
    pub fn tab_labels(&self) -> Vec<String> {
        TabId::ALL
            .iter()
            .enumerate()
            .map(|(i, id)| match self.tab_count(i) {
                Some(n) => format!(" {} {} {n} ", i + 1, id.title()),
                None => format!(" {} {} ", i + 1, id.title()),
            })
            .collect()
    }
}
