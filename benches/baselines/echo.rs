//! Baseline for "key → screen" (`scripts/bench`): the least a ratatui program can do per key —
//! read it, redraw a line saying which key and how many so far, in a synchronized update like
//! the console's frames. `q` quits.

use std::io::{self, BufWriter, Write};

use crossterm::event::{self, DisableBracketedPaste, EnableBracketedPaste, Event, KeyCode};
use crossterm::terminal::{
    BeginSynchronizedUpdate, EndSynchronizedUpdate, EnterAlternateScreen, LeaveAlternateScreen,
    disable_raw_mode, enable_raw_mode,
};
use crossterm::{cursor, execute, queue};
use ratatui::Terminal;
use ratatui::backend::CrosstermBackend;
use ratatui::widgets::Paragraph;

fn main() -> io::Result<()> {
    enable_raw_mode()?;
    execute!(
        io::stdout(),
        EnterAlternateScreen,
        EnableBracketedPaste,
        cursor::Hide
    )?;
    let mut terminal = Terminal::new(CrosstermBackend::new(BufWriter::new(io::stdout())))?;
    let mut text = String::from("press a key");
    let mut count = 0u64;
    loop {
        queue!(terminal.backend_mut(), BeginSynchronizedUpdate)?;
        terminal.draw(|frame| frame.render_widget(Paragraph::new(text.as_str()), frame.area()))?;
        queue!(terminal.backend_mut(), EndSynchronizedUpdate)?;
        terminal.backend_mut().flush()?;
        match event::read()? {
            Event::Key(key) if key.code == KeyCode::Char('q') => break,
            Event::Key(key) => {
                count += 1;
                text = format!("key {:?} #{count}", key.code);
            }
            _ => {}
        }
    }
    execute!(
        io::stdout(),
        DisableBracketedPaste,
        LeaveAlternateScreen,
        cursor::Show
    )?;
    disable_raw_mode()
}
