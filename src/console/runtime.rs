//! The event loop: turns keys, timers, signals and API answers into messages, feeds them to
//! `App::update`, performs the effects it returns, and draws when the queue is drained.

use std::io::{self, Write};
use std::time::{Duration, Instant};

use chrono::Utc;
use crossterm::event::{Event, EventStream, KeyEventKind};
use crossterm::terminal::{BeginSynchronizedUpdate, EndSynchronizedUpdate};
use futures::StreamExt;
use ratatui::layout::{Position, Rect};
use tokio::sync::mpsc;
use tokio::time::MissedTickBehavior;

mod dial;
mod disk;
mod host;
mod keys;
mod notify;
mod perform;

pub use host::{TerminalHost, editor_command, osc52};
pub use perform::{Host, Performer, STATE_DELAY, Work};

use crate::api::ApiClient;
use crate::console::app::App;
use crate::console::benchlog;
use crate::console::msg::{Effect, Msg};
use crate::console::terminal::Term;
use crate::domain::calls::Paging;
use crate::persist::cache::CacheStore;
use crate::persist::drafts::DraftStore;
use crate::persist::people::PeopleStore;
use crate::persist::remembered::RememberedStore;
use crate::persist::state::StateStore;
use crate::ui::theme::Theme;
use crate::ui::{self, Screen};

/// The terminal's keys, asked for only once they may be there (`keys.rs`).
pub type Events = keys::Gated<EventStream>;

/// What the effects need: the API, the draft store, the state file and the list cache.
pub struct Services {
    pub client: ApiClient,
    pub drafts: DraftStore,
    pub state: StateStore,
    pub cache: CacheStore,
    /// What was sent for the fields the API never sends back.
    pub remembered: RememberedStore,
    /// The names of clients and staff known.
    pub people: PeopleStore,
}

/// Runs until the user quits or the process is told to stop; every file write asked for (a
/// draft just before quitting, the UI state, the list cache) is on disk before it returns.
/// Returns what the user must be told once the terminal is theirs again: writes that were
/// not confirmed ([`App::exit_report`]).
pub async fn run(
    terminal: &mut Term,
    mut app: App,
    effects: Vec<Effect>,
    services: Services,
    theme: Theme,
) -> io::Result<Vec<String>> {
    let performer = Performer::new(services);
    let result = run_loop(terminal, &mut app, effects, &performer, &theme).await;
    if app.should_quit() {
        // The next start draws this list at once, with the names known now.
        performer.save_cache(app.cache_snapshot());
        if app.session().people {
            drop(performer.save_people(app.people().clone()));
        }
    }
    // A bulk action cut short keeps what its confirmed calls sent.
    if let Some(remembered) = app.take_unwritten_remembered() {
        drop(performer.save_remembered(remembered));
    }
    performer.flush().await;
    result.map(|()| app.exit_report())
}

async fn run_loop(
    terminal: &mut Term,
    app: &mut App,
    effects: Vec<Effect>,
    performer: &Performer,
    theme: &Theme,
) -> io::Result<()> {
    let (tx, mut rx) = mpsc::unbounded_channel::<Msg>();
    let mut events = Events::new(EventStream::new());
    perform(effects, performer, &tx, terminal, &mut events);
    spawn_signal_watch(tx.clone());
    draw(terminal, app, theme)?;
    let mut marks = Marks::default();
    marks.after_draw(app);
    let mut last_draw = Instant::now();
    // Time moves on its own timer, whatever the user is doing: refreshes, ages and the draft
    // times must not wait for the keyboard to be idle. A second is fine for relative times;
    // the spinner turns on a faster one while a request is out, so an idle console costs
    // nothing.
    let mut clock = tokio::time::interval(CLOCK);
    clock.set_missed_tick_behavior(MissedTickBehavior::Skip);
    let mut spinner = tokio::time::interval(SPINNER);
    spinner.set_missed_tick_behavior(MissedTickBehavior::Skip);
    // Answers that arrive within a frame of the last draw wait for the next one, so a burst
    // (a thousand pages loading) costs one frame per FRAME rather than one per answer. Keys
    // are drawn at once.
    let mut dirty = false;
    loop {
        let busy = app.busy();
        // While a bulk action runs, its answers are drawn at a progress bar's pace.
        let bulk = bulk_running(app);
        let frame = if bulk { BULK_FRAME } else { FRAME };
        // A second passing while nothing is out: drawn only when it asks for something or
        // every `IDLE_REDRAW` (relative times), so an idle console costs next to nothing.
        let mut idle_tick = false;
        let msg = tokio::select! {
            // The queue first (as slumber's loop does): what the app asked for, and what
            // answered it, is applied before the next key is read, so a key is always
            // handled by the state the user saw, and keys typed into `$EDITOR` never reach us.
            biased;
            Some(msg) = rx.recv() => Some(msg),
            event = events.next() => Some(match event {
                Some(Ok(Event::Key(key))) if key.kind != KeyEventKind::Release => Msg::Key(key),
                Some(Ok(Event::Paste(text))) => Msg::Paste(text),
                Some(Ok(Event::Resize(_, height))) => Msg::Resize {
                    list_rows: ui::layout::list_rows(height),
                },
                // The view knows where it drew things: it says what the click landed on.
                Some(Ok(Event::Mouse(mouse))) => {
                    let Ok(size) = terminal.size() else { continue };
                    match ui::hit(app, Rect::from((Position::ORIGIN, size)), mouse) {
                        Some(msg) => msg,
                        None => continue,
                    }
                }
                Some(Ok(_)) => continue,
                // The terminal went away: save what can be saved and stop.
                Some(Err(_)) | None => Msg::Shutdown,
            }),
            _ = clock.tick() => {
                idle_tick = !busy;
                Some(Msg::Tick(Utc::now()))
            }
            _ = spinner.tick(), if busy => Some(Msg::Tick(Utc::now())),
            // The frame held back for a burst of answers is due.
            () = tokio::time::sleep(frame.saturating_sub(last_draw.elapsed())), if dirty => None,
        };
        let turn = Instant::now();
        // From the user: drawn at once. From the network or a timer: within a frame.
        let urgent = match &msg {
            Some(msg) => is_input(msg),
            None => true,
        };
        if let Some(msg) = msg {
            let effects = guarded_update(app, msg, performer.services())?;
            idle_tick &= effects.is_empty();
            perform(effects, performer, &tx, terminal, &mut events);
        }
        while let Ok(msg) = rx.try_recv() {
            idle_tick = false;
            let effects = guarded_update(app, msg, performer.services())?;
            perform(effects, performer, &tx, terminal, &mut events);
        }
        if app.should_quit() {
            return Ok(());
        }
        if idle_tick && !dirty && !app.busy() && last_draw.elapsed() < IDLE_REDRAW {
            continue;
        }
        // The end of a bulk action is drawn at once: it is what the user waits for.
        let urgent = urgent || (bulk && !bulk_running(app));
        if !urgent && last_draw.elapsed() < frame {
            dirty = true;
            marks.turn(turn.elapsed());
            continue;
        }
        dirty = false;
        last_draw = Instant::now();
        if let Err(e) = draw(terminal, app, theme) {
            // The terminal is gone (its window closed: EIO) — possibly before the SIGHUP or
            // the event stream's error is read. End as they would: the open edit is saved.
            tracing::warn!("cannot draw, ending as on SIGHUP: {e}");
            let effects = guarded_update(app, Msg::Shutdown, performer.services())?;
            perform(effects, performer, &tx, terminal, &mut events);
            return Ok(());
        }
        marks.turn(turn.elapsed());
        marks.after_draw(app);
    }
}

/// How often time moves forward while nothing is loading (ages, refresh, draft times).
const CLOCK: Duration = Duration::from_secs(1);
/// How often an idle screen is drawn again for the clock alone (ages such as `45s ago`, the
/// draft's age): each frame costs about a millisecond of CPU at 200×50.
const IDLE_REDRAW: Duration = Duration::from_secs(5);
/// How often the spinner turns while a request is out.
const SPINNER: Duration = Duration::from_millis(100);

/// The shortest time between two frames drawn for answers rather than keys (60 per second).
const FRAME: Duration = Duration::from_millis(16);

/// The shortest time between two frames while a bulk action runs (20 per second, a progress
/// bar's pace): its answers come at up to a thousand a second, and drawing each frame cost a
/// fifth of the console's CPU during the bulk, on the cores the server answering it shares.
const BULK_FRAME: Duration = Duration::from_millis(50);

fn bulk_running(app: &App) -> bool {
    app.batch().is_some_and(|b| b.running())
}

/// What the user did (drawn at once), as opposed to what arrived for them (drawn within a
/// frame).
fn is_input(msg: &Msg) -> bool {
    matches!(
        msg,
        Msg::Key(_)
            | Msg::Paste(_)
            | Msg::Resize { .. }
            | Msg::Click(_)
            | Msg::Scroll(_)
            | Msg::Shutdown
    )
}

/// What `scripts/bench` is told (see [`benchlog`]), each mark once per change of state.
#[derive(Default)]
struct Marks {
    drawn: bool,
    first_page: bool,
    complete: bool,
    batch_running: bool,
    /// The view's far end (`G`) is on screen.
    far_end: bool,
}

impl Marks {
    fn turn(&self, took: Duration) {
        benchlog::mark("turn", took.as_micros());
    }

    fn after_draw(&mut self, app: &App) {
        if !benchlog::enabled() {
            return;
        }
        if !self.drawn {
            self.drawn = true;
            benchlog::mark("first_frame", 0);
        }
        let list = app.list();
        if !self.first_page && app.cached_since().is_none() && !list.is_empty() {
            self.first_page = true;
            benchlog::mark("first_page", list.len() as u128);
        }
        let complete = list.paging == Paging::Complete;
        if complete && !self.complete {
            benchlog::mark("complete", list.len() as u128);
        }
        self.complete = complete;
        let far_end = list.gap_row().is_some();
        if far_end && !self.far_end {
            benchlog::mark("far_end", list.tail_ids().len() as u128);
        }
        self.far_end = far_end;
        let running = app.batch().is_some_and(|b| b.running());
        if self.batch_running
            && !running
            && let Some(batch) = app.batch()
        {
            benchlog::mark("batch_done", batch.done() as u128);
        }
        self.batch_running = running;
    }
}

/// `update`, with a bug in it not losing the user's edit: on a panic (the hook has already
/// given the terminal back) the open form is written as a draft before the console ends.
fn guarded_update(app: &mut App, msg: Msg, services: &Services) -> io::Result<Vec<Effect>> {
    match std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| app.update(msg))) {
        Ok(effects) => Ok(effects),
        Err(_) => {
            // Written here, on the spot, not through the writer: the loop ends with this
            // error, and the user must be told whether the edit was kept.
            let kept = match app.pending_draft() {
                Some(draft) => match services.drafts.save(&draft) {
                    Ok(()) => {
                        "; the open edit was saved as a draft and is offered on the next start"
                            .to_string()
                    }
                    Err(e) => format!("; the open edit could NOT be saved ({e})"),
                },
                None => String::new(),
            };
            Err(io::Error::other(format!(
                "internal error: the console stopped (details above){kept}"
            )))
        }
    }
}

/// One frame, inside a synchronized update so the terminal shows it whole, never half drawn
/// (terminals that do not know the mode ignore it).
fn draw(terminal: &mut Term, app: &App, theme: &Theme) -> io::Result<()> {
    crossterm::queue!(terminal.backend_mut(), BeginSynchronizedUpdate)?;
    terminal.draw(|frame| frame.render_widget(Screen { app, theme }, frame.area()))?;
    crossterm::queue!(terminal.backend_mut(), EndSynchronizedUpdate)?;
    terminal.backend_mut().flush()?;
    Ok(())
}

/// Starts each effect with the runtime's [`Performer`]: a task's answer, and a timer's
/// message when it is due, come back on `tx`; the terminal's effects are done here.
fn perform(
    effects: Vec<Effect>,
    performer: &Performer,
    tx: &mpsc::UnboundedSender<Msg>,
    terminal: &mut Term,
    events: &mut Events,
) {
    let mut host = TerminalHost { terminal, events };
    for effect in effects {
        match performer.start(effect, &mut host) {
            Work::Now(msg) => {
                if let Some(msg) = msg {
                    let _ = tx.send(msg);
                }
            }
            Work::Task(fut) => {
                let tx = tx.clone();
                spawn_reported(
                    tx.clone(),
                    Box::pin(async move {
                        if let Some(msg) = fut.await {
                            let _ = tx.send(msg);
                        }
                    }),
                );
            }
            Work::Timer { after, msg } => {
                let tx = tx.clone();
                tokio::spawn(async move {
                    tokio::time::sleep(after).await;
                    let _ = tx.send(msg);
                });
            }
        }
    }
}

/// A network task whose panic is reported in the status bar instead of disappearing: the UI
/// keeps running, and the log has the details.
fn spawn_reported(
    tx: mpsc::UnboundedSender<Msg>,
    fut: std::pin::Pin<Box<dyn std::future::Future<Output = ()> + Send>>,
) {
    use futures::FutureExt;
    tokio::spawn(async move {
        if let Err(panic) = std::panic::AssertUnwindSafe(fut).catch_unwind().await {
            let what = panic
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| panic.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "unknown panic".into());
            tracing::error!("background task panicked: {what}");
            let _ = tx.send(Msg::ExternalDone {
                done: String::new(),
                result: Err(format!(
                    "internal error in a background request ({}); the console keeps working — please report it",
                    crate::domain::sanitize::single_line(&what)
                )),
            });
        }
    });
}

/// SIGTERM, SIGHUP and SIGINT end the console cleanly, through the same path as Ctrl-c.
fn spawn_signal_watch(tx: mpsc::UnboundedSender<Msg>) {
    #[cfg(unix)]
    tokio::spawn(async move {
        use tokio::signal::unix::{SignalKind, signal};
        let (Ok(mut term), Ok(mut hup), Ok(mut int)) = (
            signal(SignalKind::terminate()),
            signal(SignalKind::hangup()),
            signal(SignalKind::interrupt()),
        ) else {
            return;
        };
        tokio::select! {
            _ = term.recv() => {}
            _ = hup.recv() => {}
            _ = int.recv() => {}
        }
        let _ = tx.send(Msg::Shutdown);
    });
    #[cfg(not(unix))]
    drop(tx);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_panicking_background_task_is_reported_not_fatal() {
        let (tx, mut rx) = mpsc::unbounded_channel();
        spawn_reported(tx, Box::pin(async { panic!("boom in a task") }));
        match rx.recv().await {
            Some(Msg::ExternalDone { result: Err(e), .. }) => {
                assert!(
                    e.contains("internal error") && e.contains("boom in a task"),
                    "{e}"
                );
            }
            other => panic!("expected a report, got {other:?}"),
        }
    }
}
