//! The model and `update`: every message changes the model and returns the effects to run.
//! No I/O happens here, so everything below is tested by feeding messages.

use chrono::{DateTime, FixedOffset, Utc};
use crossterm::event::{KeyCode, KeyEvent, KeyEventKind, KeyModifiers};

use std::collections::BTreeMap;

use crate::api::{Answer, ApiError, CallPage, Exchange, ListQuery, VoiceCall};
use crate::calls::{CallList, Paging};
use crate::form::Form;
use crate::form::draft::Draft;
use crate::msg::{Effect, Msg, RequestId};
use crate::ui::layout;

mod edit;
pub use edit::{Origin, Prompt, Stage, Submission};

/// Which fields a PUT carries (`update_fields` in the config).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum UpdateFields {
    /// The full body, as the contract requires.
    #[default]
    All,
    /// Only the fields the user changed, for servers that accept partial updates.
    Changed,
}

/// Fixed facts about this session, shown on screen.
#[derive(Debug, Clone)]
pub struct Session {
    /// Talking to the embedded demo server.
    pub demo: bool,
    /// Calls per page request.
    pub page_size: u32,
    /// Where the API is, for the title bar.
    pub api_label: String,
    /// Who "handled by" means; asked once when not configured.
    pub staff_uid: Option<String>,
    pub update_fields: UpdateFields,
    /// Country for turning national phone numbers into E.164 (`US`, `GB`…).
    pub default_country: Option<String>,
}

/// What is drawn over the main screen.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Overlay {
    None,
    Help,
}

/// The last request and how it ended, for the status bar.
#[derive(Debug, Clone)]
pub struct LastRequest {
    pub exchange: Exchange,
    pub error: Option<ApiError>,
}

/// The whole state of the console.
#[derive(Debug, Clone)]
pub struct App {
    session: Session,
    list: CallList,
    detail_open: bool,
    detail_scroll: u16,
    overlay: Overlay,
    last_request: Option<LastRequest>,
    /// A one-off note for the status bar ("2 records could not be read").
    notice: Option<String>,
    now: DateTime<Utc>,
    tz: FixedOffset,
    size: (u16, u16),
    next_request: u64,
    spinner: usize,
    quit: bool,
    /// The edit form, when open.
    form: Option<Form>,
    /// The one save in flight (or waiting on a conflict decision).
    submission: Option<Submission>,
    /// A question over everything else (restore a draft? your staff uid?).
    prompt: Option<Prompt>,
    /// Drafts on disk, by call uid.
    drafts: BTreeMap<String, Draft>,
    /// Bumped on every form change; only the newest debounce timer writes.
    draft_generation: u64,
    /// Calls as they were before each change this session made, newest last (for `u`).
    history: Vec<VoiceCall>,
    /// The GET for a draft's call that is not loaded yet.
    restoring: Option<(RequestId, String)>,
}

impl App {
    /// A new console; the effects fetch the first page.
    pub fn new(
        session: Session,
        now: DateTime<Utc>,
        tz: FixedOffset,
        size: (u16, u16),
        drafts: Vec<Draft>,
    ) -> (Self, Vec<Effect>) {
        let mut app = Self {
            session,
            list: CallList::default(),
            detail_open: false,
            detail_scroll: 0,
            overlay: Overlay::None,
            last_request: None,
            notice: None,
            now,
            tz,
            size,
            next_request: 0,
            spinner: 0,
            quit: false,
            form: None,
            submission: None,
            prompt: None,
            drafts: drafts.into_iter().map(|d| (d.uid.clone(), d)).collect(),
            draft_generation: 0,
            history: Vec::new(),
            restoring: None,
        };
        app.offer_next_draft();
        let effects = vec![app.fetch_page(1)];
        (app, effects)
    }

    // ---- read access for the view and the runtime ----

    pub fn session(&self) -> &Session {
        &self.session
    }
    pub fn list(&self) -> &CallList {
        &self.list
    }
    pub fn detail_open(&self) -> bool {
        self.detail_open
    }
    pub fn detail_scroll(&self) -> u16 {
        self.detail_scroll
    }
    pub fn overlay(&self) -> Overlay {
        self.overlay
    }
    pub fn last_request(&self) -> Option<&LastRequest> {
        self.last_request.as_ref()
    }
    pub fn notice(&self) -> Option<&str> {
        self.notice.as_deref()
    }
    pub fn now(&self) -> DateTime<Utc> {
        self.now
    }
    pub fn tz(&self) -> FixedOffset {
        self.tz
    }
    pub fn spinner_frame(&self) -> usize {
        self.spinner
    }
    pub fn should_quit(&self) -> bool {
        self.quit
    }
    pub fn form(&self) -> Option<&Form> {
        self.form.as_ref()
    }
    pub fn submission(&self) -> Option<&Submission> {
        self.submission.as_ref()
    }
    pub fn prompt(&self) -> Option<&Prompt> {
        self.prompt.as_ref()
    }
    pub fn drafts(&self) -> &BTreeMap<String, Draft> {
        &self.drafts
    }
    /// A request is out: the spinner turns and the runtime ticks faster.
    pub fn busy(&self) -> bool {
        matches!(self.list.paging, Paging::Loading { .. })
            || self
                .submission
                .as_ref()
                .is_some_and(|s| !matches!(s.stage, Stage::Conflict { .. }))
    }

    fn rows(&self) -> usize {
        layout::list_rows(self.size.1)
    }

    // ---- update ----

    /// Applies one message; returns what the runtime must do next.
    pub fn update(&mut self, msg: Msg) -> Vec<Effect> {
        match msg {
            Msg::Key(key) => self.on_key(key),
            Msg::Resize { width, height } => {
                self.size = (width, height);
                let rows = self.rows();
                self.list.scroll_into_view(rows);
                self.fetch_more_if_near_end()
            }
            Msg::Tick(now) => {
                self.now = now;
                if self.busy() {
                    self.spinner = self.spinner.wrapping_add(1);
                }
                Vec::new()
            }
            Msg::PageLoaded { req, page, answer } => self.on_page(req, page, answer),
            Msg::Paste(text) => self.on_paste(&text),
            Msg::CallFetched { req, answer } => self.on_call_fetched(req, answer),
            Msg::Saved { req, answer } => self.on_saved(req, answer),
            Msg::DraftDue { generation } => self.on_draft_due(generation),
            Msg::DraftWritten { uid, error } => self.on_draft_written(uid, error),
            Msg::EditorDone { result } => self.on_editor_done(result),
            Msg::Shutdown => self.quit_saving_draft(),
        }
    }

    fn on_key(&mut self, key: KeyEvent) -> Vec<Effect> {
        if key.kind == KeyEventKind::Release {
            return Vec::new();
        }
        let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
        if ctrl && key.code == KeyCode::Char('c') {
            return self.quit_saving_draft();
        }
        if self.prompt.is_some() {
            return self.on_prompt_key(key);
        }
        if self.form.is_some() {
            return self.on_form_key(key);
        }
        if self.overlay == Overlay::Help {
            // Any key closes help; q still quits.
            self.overlay = Overlay::None;
            if key.code == KeyCode::Char('q') {
                self.quit = true;
            }
            return Vec::new();
        }
        let rows = self.rows();
        let page = rows.saturating_sub(1).max(1) as isize;
        match key.code {
            KeyCode::Char('q') => {
                self.quit = true;
                Vec::new()
            }
            KeyCode::Char('?') => {
                self.overlay = Overlay::Help;
                Vec::new()
            }
            KeyCode::Char('j') | KeyCode::Down => self.move_by(1),
            KeyCode::Char('k') | KeyCode::Up => self.move_by(-1),
            KeyCode::Char('f') if ctrl => self.move_by(page),
            KeyCode::Char('b') if ctrl => self.move_by(-page),
            KeyCode::PageDown => self.move_by(page),
            KeyCode::PageUp => self.move_by(-page),
            KeyCode::Char('g') | KeyCode::Home => self.move_by(isize::MIN / 2),
            KeyCode::Char('G') | KeyCode::End => self.move_by(isize::MAX / 2),
            KeyCode::Enter => {
                self.detail_open = !self.detail_open;
                self.detail_scroll = 0;
                let rows = self.rows();
                self.list.scroll_into_view(rows);
                Vec::new()
            }
            KeyCode::Esc => {
                self.detail_open = false;
                self.notice = None;
                let rows = self.rows();
                self.list.scroll_into_view(rows);
                Vec::new()
            }
            KeyCode::Char('J') if self.detail_open => {
                self.detail_scroll = self.detail_scroll.saturating_add(1);
                Vec::new()
            }
            KeyCode::Char('K') if self.detail_open => {
                self.detail_scroll = self.detail_scroll.saturating_sub(1);
                Vec::new()
            }
            KeyCode::Char('r') => vec![self.fetch_page(1)],
            KeyCode::Char('e') => self.open_form_for_selected(),
            KeyCode::Char('h') => self.mark_selected_handled(),
            KeyCode::Char('u') => self.undo_last(),
            _ => Vec::new(),
        }
    }

    fn move_by(&mut self, delta: isize) -> Vec<Effect> {
        let before = self.list.selected_index();
        self.list.move_by(delta, self.rows());
        if self.list.selected_index() != before {
            self.detail_scroll = 0;
        }
        self.fetch_more_if_near_end()
    }

    /// Infinite scroll: within a screen of the end, ask for the next page — unless one is out
    /// or everything is loaded. A failed page is retried here too, because this only runs on
    /// a user's move, never in a loop.
    fn fetch_more_if_near_end(&mut self) -> Vec<Effect> {
        if !self.list.near_end(self.rows()) {
            return Vec::new();
        }
        let next = match &self.list.paging {
            Paging::Idle { next } => *next,
            Paging::Failed { page, .. } => *page,
            Paging::Loading { .. } | Paging::Complete => return Vec::new(),
        };
        vec![self.fetch_page(next)]
    }

    /// Starts a page request; an older one still out becomes stale.
    fn fetch_page(&mut self, page: u32) -> Effect {
        self.next_request += 1;
        let req = RequestId(self.next_request);
        self.list.paging = Paging::Loading { req, page };
        Effect::FetchPage {
            req,
            query: ListQuery {
                page,
                per_page: self.session.page_size,
                ..ListQuery::default()
            },
        }
    }

    fn on_page(&mut self, req: RequestId, page: u32, answer: Answer<CallPage>) -> Vec<Effect> {
        if self.list.paging != (Paging::Loading { req, page }) {
            return Vec::new(); // stale: superseded by a refresh or a newer request
        }
        let Answer { exchange, result } = answer;
        match result {
            Ok(CallPage { calls, unreadable }) => {
                self.record(exchange, None);
                let full = calls.len() >= self.session.page_size as usize;
                self.note_unreadable(unreadable);
                let rows = self.rows();
                if page == 1 {
                    self.list.replace(calls, rows);
                } else {
                    self.list.append(calls);
                }
                self.list.paging = if full {
                    Paging::Idle { next: page + 1 }
                } else {
                    Paging::Complete
                };
                self.fetch_more_if_near_end()
            }
            Err(error) => {
                self.record(exchange, Some(error.clone()));
                self.list.paging = Paging::Failed { page, error };
                Vec::new()
            }
        }
    }

    /// Remembers a request for the status bar: what was exchanged and how it ended.
    fn record(&mut self, exchange: Exchange, error: Option<ApiError>) {
        self.last_request = Some(LastRequest { exchange, error });
    }

    fn note_unreadable(&mut self, unreadable: usize) {
        if unreadable > 0 {
            let s = if unreadable == 1 { "" } else { "s" };
            self.notice = Some(format!(
                "{unreadable} record{s} in that page could not be read and {} skipped",
                if unreadable == 1 { "was" } else { "were" }
            ));
        }
    }

    /// The call the detail pane shows.
    pub fn selected_call(&self) -> Option<&VoiceCall> {
        self.list.selected()
    }
}

#[cfg(test)]
#[path = "app_tests.rs"]
mod tests;
