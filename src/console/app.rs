//! The model and `update`: every message changes the model and returns the effects to run.
//! No I/O happens here, so everything below is tested by feeding messages.

use chrono::{DateTime, Utc};

use std::collections::BTreeMap;

use crate::api::{Stats, Transcript, VoiceCall};
use crate::console::msg::{Effect, Msg};
use crate::domain::calls::{CallList, CallStore, ListView, PackedCall, Paging};
use crate::domain::search::Search;
use crate::domain::views::{Tab, TabId};
use crate::domain::zone::Zone;
use crate::persist::drafts::Draft;
use crate::persist::state::UiState;

mod arrivals;
mod bulk;
mod cached;
mod callback;
mod client_panel;
mod conflict;
mod counts;
mod detail;
mod drafts;
mod far_callers;
mod far_end;
mod fill_in;
mod filter_bar;
mod form;
mod grouping;
mod input;
mod links;
mod mode;
mod mouse;
mod notice;
mod outcome_prompt;
mod page_loaded;
mod paging;
mod people;
mod prompts;
mod quit;
mod read;
mod remember;
mod request_log;
mod requests;
mod returned;
mod search_bar;
mod selection;
mod session;
mod sort;
mod staff_picker;
mod submission;
mod tabs;
mod throttle;
mod to_end;
mod transcript;
mod undo;
mod voicemail;
mod waiting;
mod zone;

#[cfg(test)]
mod test_fixtures;

pub use bulk::{Batch, BatchKind, Failure, ItemState};
pub use callback::{CallBackState, OutcomeAsk, PendingCallBack};
pub use client_panel::{Calls, Card, ClientPanel};
use counts::Reports;
pub use counts::{STATS_PERIODS, ViewCount};
use detail::DetailPane;
use drafts::Drafts;
pub use filter_bar::{DIRECTIONS, FILTER_STATUSES, FilterBar, ROW_STAFF};
pub use mode::{Bar, Mode, Overlay};
pub use notice::{Level, Notice};
pub use prompts::Prompt;
use request_log::RequestLog;
pub use request_log::{LOG_CAP, LastRequest, LogEntry, log_scroll_max};
pub use requests::{Purpose, Requests};
pub use staff_picker::{PickFor, StaffPicker};
pub use submission::{Origin, Stage, Submission};
pub use undo::Change;
pub use waiting::{SLOW_AFTER, Wait, Waiting};

pub use crate::config::UpdateFields;
pub use session::{Remote, Session};

/// The whole state of the console.
#[derive(Debug, Clone)]
pub struct App {
    session: Session,
    /// Every loaded call, once; the tabs list ids into it.
    store: CallStore,
    tabs: Vec<Tab>,
    active: usize,
    /// What takes the keys and is drawn on top.
    mode: Mode,
    search: Search,
    /// The time, moved by the runtime's clock whatever the user is doing.
    clock: Clock,
    /// The detail pane beside the list.
    detail: DetailPane,
    /// The server's reports: the counts behind the tabs, the oldest call waiting, the stats
    /// view.
    reports: Reports,
    /// The last request for the status bar, and every request for `L`.
    log: RequestLog,
    /// A one-off note for the status bar ("2 records could not be read").
    notice: Option<Notice>,
    /// How many call rows the list shows, as the view measured it (`Msg::Resize`).
    list_rows: usize,
    /// Every request out, and what its reply is for.
    requests: Requests,
    /// Where quitting stands: a quit waits for the writes already sent.
    quit: quit::Quitting,
    /// The one save in flight (or waiting on a conflict decision).
    submission: Option<Submission>,
    /// A bulk action in progress, or its result until the next one.
    batch: Option<Batch>,
    /// Unsent edits kept on disk.
    drafts: Drafts,
    /// Each change this session made, newest last (for `u`); a bulk action is one entry.
    /// Before- and after-images, so undo never depends on what a view lists.
    history: Vec<Vec<Change>>,
    /// The list shown is the one cached at the last exit, saved at this time.
    cached_since: Option<String>,
    /// The people behind the uids: client and staff names, asked for in the background.
    people: crate::domain::people::People,
    /// Call-backs started with `c` whose outcome is not recorded yet.
    callbacks: callback::CallBacks,
    /// How often each waiting caller was tried since their newest waiting call.
    tries: crate::domain::tries::TriesIndex,
    /// Which waiting calls look returned, and the later calls asked for to tell.
    returns: returned::Returns,
    /// Recordings being marked played, and the voicemails' transcript previews.
    voicemails: voicemail::Voicemails,
    /// One row per caller in Needs follow-up, and those rows.
    grouping: grouping::Grouping,
    /// Values sent by a bulk action's calls that are kept but not yet written to the data
    /// dir: written once when the batch ends (`remember.rs`).
    remembered_unwritten: bool,
    /// The batches' limits lowered by a server that asked to slow down.
    throttle: throttle::Throttle,
    /// The tabs loading to their end for `G`.
    to_end: to_end::ToEnd,
}

/// The time as the console knows it.
#[derive(Debug, Clone)]
struct Clock {
    now: DateTime<Utc>,
    /// The zone times are shown and typed in, and why (`zone.rs`).
    zones: zone::Zones,
    /// When the open tab was last refreshed (the timer's reference).
    last_refresh: DateTime<Utc>,
    /// The spinner's frame while a request is out.
    spinner: usize,
}

impl App {
    /// A new console on the saved tab settings; the effects fetch the first page and the
    /// counts. `list_rows` is the list's height on screen (`ui::layout::list_rows`).
    pub fn new(
        session: Session,
        now: DateTime<Utc>,
        machine: Zone,
        list_rows: usize,
        drafts: Vec<Draft>,
    ) -> (Self, Vec<Effect>) {
        Self::with_state(session, now, machine, list_rows, drafts, UiState::default())
    }

    /// As [`App::new`], with the tabs' saved settings. `machine` is the machine's own zone:
    /// times are shown in it until the setting or the business says otherwise.
    pub fn with_state(
        session: Session,
        now: DateTime<Utc>,
        machine: Zone,
        list_rows: usize,
        drafts: Vec<Draft>,
        state: UiState,
    ) -> (Self, Vec<Effect>) {
        let tabs = TabId::ALL
            .iter()
            .map(|id| Tab::new(*id, state.tabs.get(id).cloned().unwrap_or_default()))
            .collect();
        let zones = zone::Zones::new(machine, session.config.time_zone.clone());
        let returns = returned::Returns::new(session.config.default_country.clone());
        let grouping = grouping::Grouping::new(
            state
                .group_by_caller
                .unwrap_or(session.config.group_by_caller),
        );
        let mut app = Self {
            session,
            store: CallStore::new(),
            tabs,
            active: state.active.unwrap_or(TabId::FollowUp).index(),
            mode: Mode::Browse,
            search: Search::new(),
            clock: Clock {
                now,
                zones,
                last_refresh: now,
                spinner: 0,
            },
            detail: DetailPane::default(),
            reports: Reports::default(),
            log: RequestLog::default(),
            notice: None,
            list_rows: list_rows.max(1),
            requests: Requests::default(),
            quit: quit::Quitting::default(),
            submission: None,
            batch: None,
            drafts: Drafts {
                by_uid: drafts.into_iter().map(|d| (d.uid.clone(), d)).collect(),
                generation: 0,
                unsaved: BTreeMap::new(),
            },
            history: Vec::new(),
            cached_since: None,
            people: Default::default(),
            callbacks: Default::default(),
            tries: Default::default(),
            returns,
            voicemails: Default::default(),
            grouping,
            remembered_unwritten: false,
            throttle: Default::default(),
            to_end: Default::default(),
        };
        app.offer_next_draft();
        let mut effects = app.load_tab_from_start();
        effects.extend(app.fetch_counts());
        effects.extend(app.fetch_me());
        (app, effects)
    }

    /// A request is out: the spinner turns and the runtime ticks faster.
    pub fn busy(&self) -> bool {
        self.tabs
            .iter()
            .any(|t| matches!(t.list.paging, Paging::Loading { .. }) || t.refreshing.is_some())
            || self
                .submission
                .as_ref()
                .is_some_and(|s| !matches!(s.stage, Stage::Conflict { .. }))
            || self.batch.as_ref().is_some_and(Batch::running)
            || self.callbacks.sending() > 0
            || matches!(self.detail.transcript, Some((_, Remote::Loading { .. })))
            || (self.detail.open
                && self
                    .client_panel()
                    .is_some_and(|p| p.calls == Calls::Loading))
    }

    fn rows(&self) -> usize {
        self.list_rows
    }

    fn list_mut(&mut self) -> &mut CallList {
        &mut self.tabs[self.active].list
    }

    // ---- update ----

    /// Applies one message; returns what the runtime must do next.
    pub fn update(&mut self, msg: Msg) -> Vec<Effect> {
        let mut effects = self.dispatch(msg);
        effects.extend(self.want_previews());
        self.quit_when_written();
        self.tries.sync(&self.store);
        // The caller rows follow the list and the store (generations only).
        self.sync_groups();
        // Whatever the message changed (calls, rows, names), the search catches up from the
        // generations.
        let tab = &self.tabs[self.active];
        self.search.sync(crate::domain::search::Corpus::new(
            &self.store,
            &tab.list,
            &self.people,
        ));
        self.returns.index.sync(&self.store);
        effects
    }

    fn dispatch(&mut self, msg: Msg) -> Vec<Effect> {
        match msg {
            Msg::Key(key) => {
                self.to_end.note_key();
                self.on_key(key)
            }
            Msg::Resize { list_rows } => {
                self.list_rows = list_rows.max(1);
                let rows = self.rows();
                self.list_mut().scroll_into_view(rows);
                self.fetch_more_if_near_end()
            }
            Msg::Tick(now) => self.on_tick(now),
            Msg::PageLoaded { req, page, answer } => {
                self.on_page_loaded(req, page, page_loaded::packed(answer))
            }
            Msg::PagePacked { req, page, answer } => self.on_page_loaded(req, page, answer),
            Msg::Paste(text) if matches!(self.bar(), Some(Bar::Search { .. })) => {
                self.on_search_paste(&text)
            }
            Msg::Paste(text) if matches!(self.prompt(), Some(Prompt::Outcome(_))) => {
                self.paste_into_outcome(&text)
            }
            Msg::Paste(text) => self.on_paste(&text),
            Msg::CallFetched { req, answer, etag } => match self.requests.finish(req) {
                Some(Purpose::DraftCall { uid }) => self.on_draft_call(uid, answer),
                Some(Purpose::Check) => self.on_call_fetched(req, answer, etag),
                _ => self.stale(&answer.exchange, answer.result.as_ref().err()),
            },
            Msg::ClientLoaded {
                req,
                lookup,
                answer,
            } => match self.requests.finish(req) {
                Some(Purpose::Client) => self.on_client(lookup, answer),
                _ => self.stale(&answer.exchange, answer.result.as_ref().err()),
            },
            Msg::ClientsFound {
                req,
                number,
                answer,
            } => match self.requests.finish(req) {
                Some(Purpose::ClientsByPhone { .. }) => self.on_clients_found(number, req, answer),
                _ => self.stale(&answer.exchange, answer.result.as_ref().err()),
            },
            Msg::RosterLoaded { req, answer } => match self.requests.finish(req) {
                Some(Purpose::Roster) => self.on_roster(answer),
                _ => self.stale(&answer.exchange, answer.result.as_ref().err()),
            },
            Msg::MeLoaded { req, answer } => match self.requests.finish(req) {
                Some(Purpose::Me) => self.on_me(answer),
                _ => self.stale(&answer.exchange, answer.result.as_ref().err()),
            },
            Msg::BusinessLoaded { req, answer } => match self.requests.finish(req) {
                Some(Purpose::Business) => self.on_business(answer),
                _ => self.stale(&answer.exchange, answer.result.as_ref().err()),
            },
            Msg::Saved { req, answer } => match self.requests.finish(req) {
                Some(Purpose::Save) => self.on_saved(req, answer),
                _ => self.stale(&answer.exchange, answer.result.as_ref().err()),
            },
            Msg::CheckedAndPut {
                req,
                check,
                outcome,
            } => match self.requests.finish(req) {
                Some(Purpose::BatchItem) => self.on_batch_checked(req, check, outcome),
                _ => self.stale(&check.exchange, check.result.as_ref().err()),
            },
            Msg::DraftDue { generation } => self.on_draft_due(generation),
            Msg::DraftWritten { uid, error } => self.on_draft_written(uid, error),
            Msg::EditorDone { result } => self.on_editor_done(result),
            Msg::Shutdown => self.quit_saving_draft(true),
            Msg::Click(target) => {
                self.to_end.note_key();
                self.on_click(target)
            }
            Msg::Scroll(wheel) => self.on_wheel(wheel),
            Msg::StatsLoaded { req, answer } => match self.requests.finish(req) {
                Some(Purpose::Counts) => self.on_counts(req, answer),
                Some(Purpose::Stats { period }) => self.on_stats_period(period, req, answer),
                _ => self.stale(&answer.exchange, answer.result.as_ref().err()),
            },
            Msg::TranscriptLoaded { req, uid, answer } => match self.requests.finish(req) {
                Some(Purpose::Transcript) => self.on_transcript(req, uid, answer),
                Some(Purpose::Preview { uid }) => self.on_preview(uid, answer),
                _ => self.stale(&answer.exchange, answer.result.as_ref().err()),
            },
            Msg::TranscriptDue { uid } => self.on_transcript_due(uid),
            Msg::Dialled { number, result } => self.on_dialled(number, result),
            Msg::SlowDown {
                req,
                exchange,
                error,
                retry,
            } => self.on_slow_down(req, exchange, error, retry),
            Msg::RetryDue { req, effect } => self.on_retry_due(req, effect),
            Msg::CallCreated { req, answer } => match self.requests.finish(req) {
                Some(Purpose::CallBack) => self.on_call_created(req, answer),
                _ => self.stale(&answer.exchange, answer.result.as_ref().err()),
            },
            Msg::PlayedMarked { req, answer } => match self.requests.finish(req) {
                Some(Purpose::RecordingPlayed { recording }) => {
                    self.on_marked_played(recording, answer)
                }
                _ => self.stale(&answer.exchange, answer.result.as_ref().err()),
            },
            Msg::ExternalDone { done, result } => {
                match result {
                    Ok(()) => self.info(done),
                    Err(e) => self.error(e),
                }
                Vec::new()
            }
        }
    }

    fn on_tick(&mut self, now: DateTime<Utc>) -> Vec<Effect> {
        self.clock.now = now;
        if self.busy() {
            self.clock.spinner = self.clock.spinner.wrapping_add(1);
        }
        let every = self.session.config.refresh_secs;
        let due = every > 0
            && (now - self.clock.last_refresh).num_seconds()
                >= i64::try_from(every).unwrap_or(i64::MAX);
        let mut effects = self.ask_returns_if_due();
        if due && self.form().is_none() {
            effects.extend(self.refresh());
        }
        effects
    }

    /// The call the detail pane shows.
    pub fn selected_call(&self) -> Option<&PackedCall> {
        self.list().selected()
    }

    /// The loaded copy of this call, whichever tab lists it.
    fn find_call(&self, uid: &str) -> Option<&PackedCall> {
        self.store.by_uid(uid)
    }
}

#[cfg(test)]
#[path = "app_tests.rs"]
mod tests;
