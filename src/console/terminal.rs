//! Taking over the terminal and giving it back exactly as it was — on a normal exit, on an
//! error, and after a panic.

use std::io::{self, BufWriter, Stdout, Write};

use crossterm::cursor::{Hide, Show};
use crossterm::event::{
    DisableBracketedPaste, DisableMouseCapture, EnableBracketedPaste, EnableMouseCapture,
};
use crossterm::execute;
use crossterm::terminal::{
    EnterAlternateScreen, LeaveAlternateScreen, disable_raw_mode, enable_raw_mode,
};
use ratatui::Terminal;
use ratatui::backend::CrosstermBackend;
use std::sync::atomic::{AtomicBool, Ordering};

/// The terminal the console draws on; writes are buffered and flushed once per frame.
pub type Term = Terminal<CrosstermBackend<BufWriter<Stdout>>>;

/// Restores the terminal when dropped, so every way out of the UI gives it back.
pub struct Guard {
    /// Never dropped: ratatui's `Drop` shows the cursor (which `restore` does) and, when that
    /// fails because the terminal has gone away, `eprintln!`s — a panic, stderr being that
    /// same closed terminal. The process ends right after, so nothing is lost.
    pub terminal: std::mem::ManuallyDrop<Term>,
}

impl Drop for Guard {
    fn drop(&mut self) {
        restore();
    }
}

/// Raw mode, alternate screen, hidden cursor, bracketed paste; a panic hook that restores
/// first.
/// Whether clicks and the wheel are captured (`mouse` in the config); kept for `resume`.
static MOUSE: AtomicBool = AtomicBool::new(false);

pub fn init(mouse: bool) -> io::Result<Guard> {
    MOUSE.store(mouse, Ordering::Relaxed);
    install_panic_hook();
    if let Err(e) = take_over() {
        restore();
        return Err(e);
    }
    let backend = CrosstermBackend::new(BufWriter::with_capacity(64 * 1024, io::stdout()));
    match Terminal::new(backend) {
        Ok(terminal) => Ok(Guard {
            terminal: std::mem::ManuallyDrop::new(terminal),
        }),
        Err(e) => {
            restore();
            Err(e)
        }
    }
}

fn take_over() -> io::Result<()> {
    enable_raw_mode()?;
    execute!(
        io::stdout(),
        EnterAlternateScreen,
        EnableBracketedPaste,
        Hide
    )?;
    if MOUSE.load(Ordering::Relaxed) {
        execute!(io::stdout(), EnableMouseCapture)?;
    }
    Ok(())
}

/// Takes the terminal back after another program used it (`$EDITOR`). A fresh `Terminal`
/// forces a full redraw without asking the terminal where its cursor is (which
/// `Terminal::clear` does, and a terminal that does not answer would stall).
pub fn resume(terminal: &mut Term) -> io::Result<()> {
    take_over()?;
    execute!(
        io::stdout(),
        crossterm::terminal::Clear(crossterm::terminal::ClearType::All)
    )?;
    *terminal = Terminal::new(CrosstermBackend::new(BufWriter::with_capacity(
        64 * 1024,
        io::stdout(),
    )))?;
    Ok(())
}

/// Leaves the alternate screen, shows the cursor, turns bracketed paste and raw mode off.
/// Safe to call twice.
pub fn restore() {
    let mut out = io::stdout();
    let _ = execute!(
        out,
        DisableMouseCapture,
        DisableBracketedPaste,
        LeaveAlternateScreen,
        Show
    );
    let _ = out.flush();
    let _ = disable_raw_mode();
}

fn install_panic_hook() {
    let previous = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        // Only a panic on the UI thread ends the console; a background task's panic is caught
        // and reported in the status bar, so the screen must stay as it is.
        if std::thread::current().name() == Some("main") {
            restore();
            // Also in the log: the terminal (stderr) may be the thing that went away.
            tracing::error!("panic: {info}");
        } else {
            tracing::error!("panic in a background thread: {info}");
            return;
        }
        previous(info);
    }));
}
