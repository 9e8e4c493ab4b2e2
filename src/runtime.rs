//! The event loop: turns keys, timers, signals and API answers into messages, feeds them to
//! `App::update`, performs the effects it returns, and draws when the queue is drained.

use std::io::{self, Write};
use std::time::{Duration, Instant};

use chrono::Utc;
use crossterm::event::{Event, EventStream, KeyEventKind};
use crossterm::terminal::{BeginSynchronizedUpdate, EndSynchronizedUpdate};
use futures::StreamExt;
use tokio::sync::mpsc;

use crate::api::ApiClient;
use crate::app::App;
use crate::benchlog;
use crate::cache::CacheStore;
use crate::calls::Paging;
use crate::form::draft::DraftStore;
use crate::msg::{Effect, Msg, RequestId};
use crate::state::StateStore;
use crate::terminal::{self, Term};
use crate::ui::Screen;
use crate::ui::theme::Theme;

/// What the effects need: the API, the draft store, the state file and the list cache.
pub struct Services {
    pub client: ApiClient,
    pub drafts: DraftStore,
    pub state: StateStore,
    pub cache: CacheStore,
}

/// Runs until the user quits or the process is told to stop.
pub async fn run(
    terminal: &mut Term,
    mut app: App,
    effects: Vec<Effect>,
    services: Services,
    theme: Theme,
) -> io::Result<()> {
    let (tx, mut rx) = mpsc::unbounded_channel::<Msg>();
    let mut events = EventStream::new();
    perform(effects, &services, &tx, terminal, &mut events)?;
    spawn_signal_watch(tx.clone());
    draw(terminal, &app, &theme)?;
    let mut marks = Marks::default();
    marks.after_draw(&app);
    let mut last_draw = Instant::now();
    // Answers that arrive within a frame of the last draw wait for the next one, so a burst
    // (a thousand pages loading) costs one frame per FRAME rather than one per answer. Keys
    // are drawn at once.
    let mut dirty = false;
    loop {
        // Redraw on events only: a fast tick while a request is out (the spinner), a slow one
        // otherwise (relative times), so an idle console costs nothing.
        let wait = if dirty {
            FRAME.saturating_sub(last_draw.elapsed())
        } else if app.busy() {
            Duration::from_millis(100)
        } else {
            Duration::from_secs(5)
        };
        let msg = tokio::select! {
            biased;
            event = events.next() => Some(match event {
                Some(Ok(Event::Key(key))) if key.kind != KeyEventKind::Release => Msg::Key(key),
                Some(Ok(Event::Paste(text))) => Msg::Paste(text),
                Some(Ok(Event::Resize(width, height))) => Msg::Resize { width, height },
                Some(Ok(Event::Mouse(mouse))) => Msg::Mouse(mouse),
                Some(Ok(_)) => continue,
                // The terminal went away: save what can be saved and stop.
                Some(Err(_)) | None => Msg::Shutdown,
            }),
            Some(msg) = rx.recv() => Some(msg),
            () = tokio::time::sleep(wait) => (!dirty).then(|| Msg::Tick(Utc::now())),
        };
        let turn = Instant::now();
        // From the user: drawn at once. From the network or a timer: within a frame.
        let urgent = match &msg {
            Some(msg) => is_input(msg),
            None => true,
        };
        if let Some(msg) = msg {
            let effects = guarded_update(&mut app, msg, &services)?;
            perform(effects, &services, &tx, terminal, &mut events)?;
        }
        while let Ok(msg) = rx.try_recv() {
            let effects = guarded_update(&mut app, msg, &services)?;
            perform(effects, &services, &tx, terminal, &mut events)?;
        }
        if app.should_quit() {
            // The next start draws this list at once.
            if let Err(e) = services.cache.save(&app.cache_snapshot()) {
                tracing::warn!("list cache not written: {e}");
            }
            return Ok(());
        }
        if !urgent && last_draw.elapsed() < FRAME {
            dirty = true;
            marks.turn(turn.elapsed());
            continue;
        }
        dirty = false;
        last_draw = Instant::now();
        if let Err(e) = draw(terminal, &app, &theme) {
            // The terminal is gone (its window closed: EIO) — possibly before the SIGHUP or
            // the event stream's error is read. End as they would: the open edit is saved.
            tracing::warn!("cannot draw, ending as on SIGHUP: {e}");
            let effects = guarded_update(&mut app, Msg::Shutdown, &services)?;
            perform(effects, &services, &tx, terminal, &mut events)?;
            if let Err(e) = services.cache.save(&app.cache_snapshot()) {
                tracing::warn!("list cache not written: {e}");
            }
            return Ok(());
        }
        marks.turn(turn.elapsed());
        marks.after_draw(&app);
    }
}

/// The shortest time between two frames drawn for answers rather than keys (60 per second).
const FRAME: Duration = Duration::from_millis(16);

/// What the user did (drawn at once), as opposed to what arrived for them (drawn within a
/// frame).
fn is_input(msg: &Msg) -> bool {
    matches!(
        msg,
        Msg::Key(_) | Msg::Paste(_) | Msg::Resize { .. } | Msg::Mouse(_) | Msg::Shutdown
    )
}

/// What `scripts/bench` is told (see [`benchlog`]), each mark once per change of state.
#[derive(Default)]
struct Marks {
    drawn: bool,
    first_page: bool,
    complete: bool,
    batch_running: bool,
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

/// Network effects run on their own tasks and answer with a message; draft writes are small
/// and done at once, so one asked for just before quitting is on disk before the app exits.
fn perform(
    effects: Vec<Effect>,
    services: &Services,
    tx: &mpsc::UnboundedSender<Msg>,
    terminal: &mut Term,
    events: &mut EventStream,
) -> io::Result<()> {
    for effect in effects {
        let client = services.client.clone();
        let reporter = tx.clone();
        let spawn = |fut| spawn_reported(reporter, fut);
        let tx = tx.clone();
        match effect {
            Effect::FetchPage { req, query } => {
                spawn(Box::pin(async move {
                    let answer = client.list(&query).await;
                    let _ = tx.send(Msg::PageLoaded {
                        req,
                        page: query.page,
                        answer,
                    });
                }));
            }
            Effect::FetchCall { req, uid } => {
                spawn(Box::pin(async move {
                    let answer = client.get(&uid).await;
                    let _ = tx.send(Msg::CallFetched { req, answer });
                }));
            }
            Effect::CheckAndPut {
                req,
                uid,
                expected,
                body,
            } => {
                spawn(Box::pin(async move {
                    let msg = check_and_put(&client, req, &uid, expected.as_deref(), &body).await;
                    let _ = tx.send(msg);
                }));
            }
            Effect::PutCall { req, uid, body } => {
                spawn(Box::pin(async move {
                    let answer = client.update_raw(&uid, &body).await;
                    let _ = tx.send(Msg::Saved { req, answer });
                }));
            }
            Effect::ScheduleDraft { generation, delay } => {
                spawn(Box::pin(async move {
                    tokio::time::sleep(delay).await;
                    let _ = tx.send(Msg::DraftDue { generation });
                }));
            }
            Effect::WriteDraft(draft) => {
                let error = services.drafts.save(&draft).err().map(|e| e.to_string());
                if let Some(e) = &error {
                    tracing::warn!(uid = %draft.uid, "draft not saved: {e}");
                }
                let _ = tx.send(Msg::DraftWritten {
                    uid: draft.uid,
                    error,
                });
            }
            Effect::DeleteDraft { uid } => {
                if let Err(e) = services.drafts.delete(&uid) {
                    tracing::warn!(%uid, "draft not deleted: {e}");
                }
            }
            Effect::OpenEditor { text } => {
                let result = edit_in_editor(&text, terminal);
                // The editor may have left keys in the stream's buffer; a fresh stream starts clean.
                *events = EventStream::new();
                let _ = tx.send(Msg::EditorDone { result });
            }
            Effect::FetchStats { req, query } => {
                spawn(Box::pin(async move {
                    let answer = client.stats(&query).await;
                    let _ = tx.send(Msg::StatsLoaded { req, answer });
                }));
            }
            Effect::FetchTranscript { req, uid } => {
                spawn(Box::pin(async move {
                    let answer = client.transcript(&uid).await;
                    let _ = tx.send(Msg::TranscriptLoaded { req, uid, answer });
                }));
            }
            Effect::ScheduleTranscript { uid, delay } => {
                spawn(Box::pin(async move {
                    tokio::time::sleep(delay).await;
                    let _ = tx.send(Msg::TranscriptDue { uid });
                }));
            }
            Effect::OpenUrl { url } => {
                tokio::task::spawn_blocking(move || {
                    let result = open_in_browser(&url);
                    let _ = tx.send(Msg::ExternalDone {
                        done: format!("opened {url} in the browser"),
                        result,
                    });
                });
            }
            Effect::Copy { text } => {
                let result = copy_osc52(&text);
                let _ = tx.send(Msg::ExternalDone {
                    done: format!("copied {text} (OSC 52)"),
                    result,
                });
            }
            Effect::Suspend => {
                suspend(terminal)?;
                *events = EventStream::new();
                let (width, height) = crossterm::terminal::size().unwrap_or((80, 24));
                let _ = tx.send(Msg::Resize { width, height });
            }
            Effect::Bell => {
                use std::io::Write;
                let mut out = io::stdout();
                let _ = out.write_all(b"\x07").and_then(|()| out.flush());
            }
            Effect::SaveState(state) => {
                if let Err(e) = services.state.save(&state) {
                    let _ = tx.send(Msg::ExternalDone {
                        done: String::new(),
                        result: Err(format!(
                            "filters not saved to {}: {e}",
                            services.state.path().display()
                        )),
                    });
                }
            }
        }
    }
    Ok(())
}

/// `Effect::CheckAndPut`: reads the call, and sends `body` only when the call is still as it
/// was loaded ([`crate::app::still_as_loaded`]); both answers go back in one message, so a
/// bulk action costs the UI one turn per call.
pub async fn check_and_put(
    client: &ApiClient,
    req: RequestId,
    uid: &str,
    expected: Option<&str>,
    body: &serde_json::Value,
) -> Msg {
    let check = client.get(uid).await;
    let saved = match &check.result {
        Ok(theirs) if crate::app::still_as_loaded(theirs, expected) => {
            Some(Box::new(client.update_raw(uid, body).await))
        }
        _ => None,
    };
    Msg::CheckedAndPut { req, check, saved }
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
                    crate::sanitize::single_line(&what)
                )),
            });
        }
    });
}

/// Ctrl-z: restore the terminal, stop the process group (as the shell would), and take the
/// terminal back when `fg` continues us.
fn suspend(terminal: &mut Term) -> io::Result<()> {
    terminal::restore();
    #[cfg(unix)]
    {
        use rustix::process::{Signal, kill_current_process_group};
        // Returns once SIGCONT has resumed the process.
        kill_current_process_group(Signal::TSTP).map_err(io::Error::from)?;
    }
    terminal::resume(terminal)
}

/// Hands an http(s) URL to the desktop's opener; its output is dropped so it cannot draw
/// over the screen.
fn open_in_browser(url: &str) -> Result<(), String> {
    let opener = if cfg!(target_os = "macos") {
        "open"
    } else {
        "xdg-open"
    };
    let status = std::process::Command::new(opener)
        .arg(url)
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .status()
        .map_err(|e| format!("could not open {url}: \"{opener}\" is not available ({e})"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!(
            "could not open {url}: {opener} exited with {status}"
        ))
    }
}

/// Writes the OSC 52 clipboard sequence. Terminals that do not support it ignore it silently,
/// so a terminal known not to is reported instead of pretending.
fn copy_osc52(text: &str) -> Result<(), String> {
    use std::io::{IsTerminal, Write};
    let term = std::env::var("TERM").unwrap_or_default();
    if !io::stdout().is_terminal() || term == "dumb" || term == "linux" {
        return Err(format!(
            "could not copy: this terminal ({term}) has no clipboard escape (OSC 52); the number is {text}"
        ));
    }
    let mut out = io::stdout();
    let seq = format!("\x1b]52;c;{}\x07", base64(text.as_bytes()));
    out.write_all(seq.as_bytes())
        .and_then(|()| out.flush())
        .map_err(|e| format!("could not copy {text}: {e}"))
}

fn base64(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b = [
            chunk[0],
            *chunk.get(1).unwrap_or(&0),
            *chunk.get(2).unwrap_or(&0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(char::from(ALPHABET[(n >> (18 - 6 * i)) as usize & 63]));
            } else {
                out.push('=');
            }
        }
    }
    out
}

/// Gives the terminal to `$VISUAL` / `$EDITOR` (default `vi`) on a temp file, then takes it
/// back and redraws everything.
fn edit_in_editor(text: &str, term: &mut Term) -> Result<String, String> {
    let editor = std::env::var("VISUAL")
        .or_else(|_| std::env::var("EDITOR"))
        .unwrap_or_else(|_| "vi".to_string());
    let file = tempfile::Builder::new()
        .prefix("callconsole-summary-")
        .suffix(".txt")
        .tempfile()
        .map_err(|e| format!("cannot create a temp file: {e}"))?;
    std::fs::write(file.path(), text).map_err(|e| format!("cannot write the temp file: {e}"))?;
    terminal::restore();
    let mut parts = editor.split_whitespace();
    let program = parts.next().unwrap_or("vi");
    let status = std::process::Command::new(program)
        .args(parts)
        .arg(file.path())
        .status();
    // Take the terminal back first, whatever happened; a failure there must not lose the text.
    if let Err(e) = terminal::resume(term) {
        tracing::warn!("taking the terminal back after the editor: {e}");
    }
    let status = status.map_err(|e| format!("cannot start \"{editor}\": {e}; set $EDITOR"))?;
    if !status.success() {
        return Err(format!(
            "\"{editor}\" exited with {status}; summary unchanged"
        ));
    }
    std::fs::read_to_string(file.path()).map_err(|e| format!("cannot read the edited text: {e}"))
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

    #[test]
    fn base64_matches_the_standard_alphabet() {
        assert_eq!(super::base64(b"+14155550148"), "KzE0MTU1NTUwMTQ4");
        assert_eq!(super::base64(b"ab"), "YWI=");
        assert_eq!(super::base64(b"a"), "YQ==");
        assert_eq!(super::base64(b""), "");
    }
}
