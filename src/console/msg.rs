//! The whole vocabulary of the app: every `Msg` that can reach `App::update`, and every
//! `Effect` that `update` can ask the runtime to perform.

use std::time::Duration;

use chrono::{DateTime, Utc};
use crossterm::event::KeyEvent;

use crate::api::{Answer, CallPage, ListQuery, Stats, StatsQuery, Transcript, VoiceCall};
use crate::domain::calls::PackedCall;
use crate::domain::fields::FieldId;
use crate::domain::people::{BusinessCard, ClientCard, Lookup, Me, People, StaffCard};
use crate::domain::remembered::Remembered;
use crate::persist::drafts::Draft;
use crate::persist::state::UiState;

pub use crate::domain::RequestId;

/// What a click landed on, as the view found it from where things are drawn.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    /// A tab's label in the title bar, by index.
    Tab(usize),
    /// A row of the open tab, by its index among the rows (not its line on screen): a call,
    /// or a caller's row where Needs follow-up is grouped by caller.
    Row(usize),
    /// A field of the open edit form.
    Field(FieldId),
}

/// Which way the mouse wheel turned, one notch.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Wheel {
    Up,
    Down,
}

/// Something that happened.
#[derive(Debug)]
pub enum Msg {
    /// A key press from the terminal (runtime's input stream).
    Key(KeyEvent),
    /// Pasted text, delivered whole by bracketed paste (runtime's input stream).
    Paste(String),
    /// The terminal changed size (runtime's input stream, or back from Ctrl-z): the list's
    /// height in rows as the view lays it out (`ui::layout::list_rows`), so paging keys move by
    /// what is on screen without the model knowing the layout.
    Resize { list_rows: usize },
    /// The clock moved (runtime's timer): relative times and the spinner advance.
    Tick(DateTime<Utc>),
    /// A page of calls answered (the runtime, for `Effect::FetchPage`).
    PageLoaded {
        req: RequestId,
        page: u32,
        answer: Answer<CallPage>,
    },
    /// A page of calls answered, each call packed into the store's form as the page was read
    /// (the runtime, for `Effect::FetchPage`): what `PageLoaded` says, without a `VoiceCall`
    /// per call in between.
    PagePacked {
        req: RequestId,
        page: u32,
        answer: Answer<CallPage<PackedCall>>,
    },
    /// One call answered (the runtime, for `Effect::FetchCall`): the conflict check before a
    /// PUT, or the call a waiting draft belongs to.
    CallFetched {
        req: RequestId,
        answer: Answer<VoiceCall>,
        /// The copy's `ETag`, when the server sent one: a PUT based on it sends `If-Match`.
        etag: Option<String>,
    },
    /// One call of a bulk action was read and, when the save policy allowed, saved (the
    /// runtime, for `Effect::CheckAndPut`): the GET's answer, and what followed (the PUT's
    /// answer if one was sent).
    CheckedAndPut {
        req: RequestId,
        check: Answer<VoiceCall>,
        outcome: crate::domain::save::Outcome<VoiceCall>,
    },
    /// A client looked up (the runtime, for `Effect::FetchClient`): their card, `None` when
    /// the API has no such client.
    ClientLoaded {
        req: RequestId,
        lookup: Lookup,
        answer: Answer<Option<ClientCard>>,
    },
    /// The clients with a number answered (the runtime, for `Effect::FindClientsByPhone`):
    /// the client panel names a caller without a client the API knows.
    ClientsFound {
        req: RequestId,
        number: String,
        answer: Answer<Vec<ClientCard>>,
    },
    /// The staff roster answered (the runtime, for `Effect::FetchRoster`).
    RosterLoaded {
        req: RequestId,
        answer: Answer<Vec<StaffCard>>,
    },
    /// Who the token belongs to answered (the runtime, for `Effect::FetchMe`).
    MeLoaded { req: RequestId, answer: Answer<Me> },
    /// The business answered (the runtime, for `Effect::FetchBusiness`): its name and time
    /// zone, the zone already looked up in the time zone database.
    BusinessLoaded {
        req: RequestId,
        answer: Answer<BusinessCard>,
    },
    /// The PUT answered (the runtime, for `Effect::PutCall`).
    Saved {
        req: RequestId,
        answer: Answer<VoiceCall>,
    },
    /// The draft debounce timer fired (the runtime, for `Effect::ScheduleDraft`).
    DraftDue { generation: u64 },
    /// A draft write finished (the runtime, for `Effect::WriteDraft`); `error` when it failed.
    DraftWritten { uid: String, error: Option<String> },
    /// `$EDITOR` closed (the runtime, for `Effect::OpenEditor`): the new text, or why not.
    EditorDone { result: Result<String, String> },
    /// The process was asked to stop (SIGTERM / SIGHUP / SIGINT, or the terminal went away).
    Shutdown,
    /// A left click on something drawn (runtime's input stream, when `mouse` is on): the view
    /// (`ui::hit`) found what was under the pointer; `update` decides what it does.
    Click(Target),
    /// The mouse wheel turned (runtime's input stream, when `mouse` is on).
    Scroll(Wheel),
    /// The stats report answered (the runtime, for `Effect::FetchStats`): tab counts or the
    /// stats view, told apart by `req`.
    StatsLoaded {
        req: RequestId,
        answer: Answer<Stats>,
    },
    /// A transcript answered (the runtime, for `Effect::FetchTranscript`).
    TranscriptLoaded {
        req: RequestId,
        uid: String,
        answer: Answer<Transcript>,
    },
    /// Time to ask again for a transcript still being made (the runtime, for
    /// `Effect::ScheduleTranscript`).
    TranscriptDue { uid: String },
    /// The recording was marked played, or not (the runtime, for `Effect::MarkPlayed`): the
    /// call it belongs to, as the server now holds it.
    PlayedMarked {
        req: RequestId,
        answer: Answer<VoiceCall>,
    },
    /// Opening a URL or copying to the clipboard finished (the runtime, for `Effect::OpenUrl`
    /// and `Effect::Copy`); `Err` says why it could not.
    ExternalDone {
        done: String,
        result: Result<(), String>,
    },
    /// The dialler started for a call-back ended (the runtime, for `Effect::Dial`); `Err`
    /// says why it could not start or how it failed, and the number is copied instead.
    Dialled {
        number: String,
        result: Result<(), String>,
    },
    /// A call-back's record answered (the runtime, for `Effect::CreateCall`).
    CallCreated {
        req: RequestId,
        answer: Answer<VoiceCall>,
    },
    /// A batch's request (a page, a bulk action's call, a name) was answered 429 or with
    /// `Retry-After` (the runtime, for `Effect::FetchPage`, `CheckAndPut` or `FetchClient`):
    /// the exchange, the error (`ApiError::SlowDown`, with the wait asked for) and the same
    /// effect to perform again, `req` still out.
    SlowDown {
        req: RequestId,
        exchange: crate::api::Exchange,
        error: crate::api::ApiError,
        retry: Box<Effect>,
    },
    /// The wait before trying a slowed-down request again is over (the runtime, for
    /// `Effect::Retry`).
    RetryDue { req: RequestId, effect: Box<Effect> },
}

/// Something `update` wants done; only the runtime does I/O.
#[derive(Debug, Clone, PartialEq)]
pub enum Effect {
    /// GET one page of the list (a tab's, or a caller's calls for the client panel); the
    /// answer comes back as `Msg::PageLoaded` with `req`.
    FetchPage { req: RequestId, query: ListQuery },
    /// Look a client up (by id, or by number for a call without one); the answer comes back
    /// as `Msg::ClientLoaded`.
    FetchClient { req: RequestId, lookup: Lookup },
    /// Look for the clients with this number (the client panel, for a call without a client
    /// the API knows); the answer comes back as `Msg::ClientsFound`.
    FindClientsByPhone { req: RequestId, number: String },
    /// Read the business's staff roster; the answer comes back as `Msg::RosterLoaded`.
    FetchRoster {
        req: RequestId,
        business_uid: String,
    },
    /// Ask who the token belongs to (and their business); the answer comes back as
    /// `Msg::MeLoaded`.
    FetchMe { req: RequestId },
    /// Read the business's record, for its time zone; the answer comes back as
    /// `Msg::BusinessLoaded`.
    FetchBusiness {
        req: RequestId,
        business_uid: String,
    },
    /// Keep the names known in the data dir (`persist::people`).
    SavePeople(Box<People>),
    /// GET one call; the answer comes back as `Msg::CallFetched`.
    FetchCall { req: RequestId, uid: String },
    /// One call of a bulk action, in one background task: GET it, and PUT `body` only when
    /// the save policy's check allows, the change being based on `updated_at` `expected`
    /// (see [`crate::domain::save::check_and_put`]); both answers come back together as
    /// `Msg::CheckedAndPut`.
    CheckAndPut {
        req: RequestId,
        uid: String,
        expected: Option<String>,
        /// Shared with the batch's own item: not copied per call.
        body: std::sync::Arc<serde_json::Value>,
    },
    /// PUT this exact body, the change being based on `updated_at` `expected` (sent as
    /// `If-Unmodified-Since`, and what a PUT that gets no answer is read back against) and on
    /// the copy tagged `etag` (sent as `If-Match`); the answer comes back as `Msg::Saved`.
    PutCall {
        req: RequestId,
        uid: String,
        body: serde_json::Value,
        expected: Option<String>,
        /// The `ETag` of the copy the change is based on, sent as `If-Match`.
        etag: Option<String>,
    },
    /// Send `Msg::DraftDue { generation }` after `delay` (debounces draft writes).
    ScheduleDraft { generation: u64, delay: Duration },
    /// Write this draft to disk now; `Msg::DraftWritten` reports how it went.
    WriteDraft(Draft),
    /// Remove the draft of this call (after a successful PUT, or when the user discards it).
    DeleteDraft { uid: String },
    /// Suspend the UI and edit `text` in `$EDITOR`; `Msg::EditorDone` brings the result.
    OpenEditor { text: String },
    /// GET the stats report; the answer comes back as `Msg::StatsLoaded`.
    FetchStats { req: RequestId, query: StatsQuery },
    /// GET a call's transcript; the answer comes back as `Msg::TranscriptLoaded`.
    FetchTranscript { req: RequestId, uid: String },
    /// Send `Msg::TranscriptDue` after `delay` (polling a transcript that is IN_PROGRESS).
    ScheduleTranscript { uid: String, delay: Duration },
    /// Open `url` in the system browser; `Msg::ExternalDone` reports how it went.
    OpenUrl { url: String },
    /// Put `text` on the clipboard with OSC 52; `Msg::ExternalDone` reports how it went.
    Copy { text: String },
    /// Ring the terminal bell (a new missed call arrived).
    Bell,
    /// A desktop notification through the terminal (OSC 9 or 777; a refresh brought new
    /// missed calls or voicemails and `notify` is on); the text is already short and clean.
    Notify { title: String, body: String },
    /// Mark the recording with this uid played (`O` on a recording not played yet); the
    /// answer comes back as `Msg::PlayedMarked`.
    MarkPlayed { req: RequestId, recording: String },
    /// Save the tabs' filters and sort to the state file, for the next start.
    SaveState(UiState),
    /// Save what was sent for the fields the API never sends back, for the next form, `h`
    /// or start.
    SaveRemembered(Remembered),
    /// Ctrl-z: give the terminal back and stop, like any shell job; `fg` redraws everything.
    Suspend,
    /// `c`: start a call to `number` (the dial command, or the desktop's `tel:` handler),
    /// detached; `Msg::Dialled` says how it ended.
    Dial {
        number: String,
        dial: crate::domain::dial::Dial,
    },
    /// POST a call-back's record, once (never retried); the answer comes back as
    /// `Msg::CallCreated`.
    CreateCall {
        req: RequestId,
        body: crate::api::CreateVoiceCall,
    },
    /// Send `Msg::RetryDue` with `effect` (request `req`, slowed down) after `after`.
    Retry {
        req: RequestId,
        after: Duration,
        effect: Box<Effect>,
    },
}
