//! The event loop: turns keys, timers, signals and API answers into messages, feeds them to
//! `App::update`, performs the effects it returns on tokio tasks, and draws when the queue is
//! drained.

use std::io;
use std::time::Duration;

use chrono::Utc;
use crossterm::event::{Event, EventStream, KeyEventKind};
use futures::StreamExt;
use tokio::sync::mpsc;

use crate::api::ApiClient;
use crate::app::App;
use crate::msg::{Effect, Msg};
use crate::terminal::Term;
use crate::ui::Screen;
use crate::ui::theme::Theme;

/// Runs until the user quits or the process is told to stop.
pub async fn run(
    terminal: &mut Term,
    mut app: App,
    effects: Vec<Effect>,
    client: ApiClient,
    theme: Theme,
) -> io::Result<()> {
    let (tx, mut rx) = mpsc::unbounded_channel::<Msg>();
    perform(effects, &client, &tx);
    spawn_signal_watch(tx.clone());
    let mut events = EventStream::new();
    draw(terminal, &app, &theme)?;
    loop {
        // Redraw on events only: a fast tick while a request is out (the spinner), a slow one
        // otherwise (relative times), so an idle console costs nothing.
        let tick = if app.busy() {
            Duration::from_millis(100)
        } else {
            Duration::from_secs(15)
        };
        let msg = tokio::select! {
            biased;
            Some(msg) = rx.recv() => msg,
            event = events.next() => match event {
                Some(Ok(Event::Key(key))) if key.kind != KeyEventKind::Release => Msg::Key(key),
                Some(Ok(Event::Resize(width, height))) => Msg::Resize { width, height },
                Some(Ok(_)) => continue,
                Some(Err(e)) => return Err(e),
                // The terminal went away: nothing left to draw on.
                None => Msg::Shutdown,
            },
            () = tokio::time::sleep(tick) => Msg::Tick(Utc::now()),
        };
        perform(app.update(msg), &client, &tx);
        while let Ok(msg) = rx.try_recv() {
            perform(app.update(msg), &client, &tx);
        }
        if app.should_quit() {
            return Ok(());
        }
        draw(terminal, &app, &theme)?;
    }
}

fn draw(terminal: &mut Term, app: &App, theme: &Theme) -> io::Result<()> {
    terminal.draw(|frame| frame.render_widget(Screen { app, theme }, frame.area()))?;
    Ok(())
}

/// Starts each effect on its own task; its result comes back as a message.
fn perform(effects: Vec<Effect>, client: &ApiClient, tx: &mpsc::UnboundedSender<Msg>) {
    for effect in effects {
        let client = client.clone();
        let tx = tx.clone();
        match effect {
            Effect::FetchPage { req, query } => {
                tokio::spawn(async move {
                    let answer = client.list(&query).await;
                    let _ = tx.send(Msg::PageLoaded {
                        req,
                        page: query.page,
                        answer,
                    });
                });
            }
        }
    }
}

/// SIGTERM, SIGHUP and SIGINT end the console cleanly, through the same path as `q`.
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
