//! The real terminal and desktop behind the effects that need them: `$EDITOR`, Ctrl-z, the
//! bell, the clipboard (OSC 52) and the browser.

use std::io::{self, IsTerminal, Write};

use crossterm::event::EventStream;

use super::perform::{Host, Work};
use crate::console::msg::Msg;
use crate::console::terminal::{self, Term};

/// The terminal the console runs in, and its key stream (replaced after another program had
/// the terminal, so keys it left behind are not read as ours).
pub struct TerminalHost<'a> {
    pub terminal: &'a mut Term,
    pub events: &'a mut super::Events,
}

impl Host for TerminalHost<'_> {
    fn edit(&mut self, text: &str) -> Result<String, String> {
        let result = edit_in_editor(text, self.terminal);
        *self.events = super::Events::new(EventStream::new());
        result
    }

    fn suspend(&mut self) -> io::Result<(u16, u16)> {
        terminal::restore();
        #[cfg(unix)]
        {
            use rustix::process::{Signal, kill_current_process_group};
            // Returns once SIGCONT has resumed the process.
            kill_current_process_group(Signal::TSTP).map_err(io::Error::from)?;
        }
        terminal::resume(self.terminal)?;
        *self.events = super::Events::new(EventStream::new());
        Ok(crossterm::terminal::size().unwrap_or((80, 24)))
    }

    fn bell(&mut self) {
        let mut out = io::stdout();
        let _ = out.write_all(b"\x07").and_then(|()| out.flush());
    }

    fn notify(&mut self, title: &str, body: &str) {
        // A terminal that would print the escape as text gets none.
        let Some(dialect) = super::notify::dialect(&|k| std::env::var(k).ok()) else {
            return;
        };
        if !io::stdout().is_terminal() {
            return;
        }
        let tmux = std::env::var_os("TMUX").is_some();
        let seq = super::notify::sequence(dialect, title, body, tmux);
        let mut out = io::stdout();
        if let Err(e) = out.write_all(seq.as_bytes()).and_then(|()| out.flush()) {
            tracing::warn!("desktop notification not written: {e}");
        }
    }

    fn copy(&mut self, text: &str) -> Result<(), String> {
        // Terminals that do not know OSC 52 ignore it silently, so one known not to is
        // reported instead of pretending.
        let term = std::env::var("TERM").unwrap_or_default();
        if !io::stdout().is_terminal() || term == "dumb" || term == "linux" {
            return Err(format!(
                "could not copy: this terminal ({term}) has no clipboard escape (OSC 52); the number is {text}"
            ));
        }
        let seq = osc52(text, std::env::var_os("TMUX").is_some());
        let mut out = io::stdout();
        out.write_all(seq.as_bytes())
            .and_then(|()| out.flush())
            .map_err(|e| format!("could not copy {text}: {e}"))
    }

    fn open_url(&mut self, url: String) -> Work {
        Work::Task(Box::pin(async move {
            let opened = url.clone();
            let result = tokio::task::spawn_blocking(move || open_in_browser(&opened))
                .await
                .unwrap_or_else(|e| Err(format!("could not open {url}: {e}")));
            Some(Msg::ExternalDone {
                done: format!("opened {url} in the browser"),
                result,
            })
        }))
    }
}

/// The OSC 52 "copy to the clipboard" sequence for `text` (crossterm's). Inside tmux it is
/// wrapped in tmux's passthrough (`ESC P tmux; … ESC \`, inner ESCs doubled), or tmux would
/// keep it to itself.
pub fn osc52(text: &str, tmux: bool) -> String {
    use crossterm::Command;
    let mut seq = String::new();
    // Writing into a String cannot fail.
    let _ = crossterm::clipboard::CopyToClipboard::to_clipboard_from(text).write_ansi(&mut seq);
    if tmux { tmux_passthrough(&seq) } else { seq }
}

/// `seq` in tmux's passthrough (`ESC P tmux; … ESC \`, inner ESCs doubled), so tmux hands
/// it to the terminal outside instead of keeping it.
pub fn tmux_passthrough(seq: &str) -> String {
    format!("\x1bPtmux;{}\x1b\\", seq.replace('\x1b', "\x1b\x1b"))
}

/// Hands an http(s) URL to the desktop's opener (`open` picks it per platform), its output
/// dropped so it cannot draw over the screen.
fn open_in_browser(url: &str) -> Result<(), String> {
    open::that(url).map_err(|e| format!("could not open {url}: {e}"))
}

/// `$VISUAL` / `$EDITOR` (default `vi`) as a program and its arguments, split as a shell
/// would: `code --wait` and `"/opt/my editor/bin/ed"` both work.
pub fn editor_command(editor: &str) -> Result<(String, Vec<String>), String> {
    let mut words = crate::domain::dial::words(editor)
        .map_err(|e| format!("cannot read the editor command \"{editor}\" ({e}); check its quotes in $VISUAL / $EDITOR"))?
        .into_iter();
    match words.next() {
        Some(program) => Ok((program, words.collect())),
        None => Ok(("vi".to_string(), Vec::new())),
    }
}

/// Gives the terminal to the editor on a temp file, then takes it back and redraws
/// everything.
fn edit_in_editor(text: &str, term: &mut Term) -> Result<String, String> {
    let editor = std::env::var("VISUAL")
        .or_else(|_| std::env::var("EDITOR"))
        .unwrap_or_else(|_| "vi".to_string());
    let (program, args) = editor_command(&editor)?;
    let file = tempfile::Builder::new()
        .prefix("callconsole-summary-")
        .suffix(".txt")
        .tempfile()
        .map_err(|e| format!("cannot create a temp file: {e}"))?;
    std::fs::write(file.path(), text).map_err(|e| format!("cannot write the temp file: {e}"))?;
    terminal::restore();
    let status = std::process::Command::new(&program)
        .args(&args)
        .arg(file.path())
        .status();
    // Take the terminal back first, whatever happened; a failure there must not lose the text.
    if let Err(e) = terminal::resume(term) {
        tracing::warn!("taking the terminal back after the editor: {e}");
    }
    let status = status.map_err(|e| format!("cannot start \"{program}\": {e}; set $EDITOR"))?;
    if !status.success() {
        return Err(format!(
            "\"{editor}\" exited with {status}; summary unchanged"
        ));
    }
    std::fs::read_to_string(file.path()).map_err(|e| format!("cannot read the edited text: {e}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn osc52_is_crossterms_sequence_and_tmux_gets_it_wrapped() {
        assert_eq!(
            osc52("+14155550148", false),
            "\x1b]52;c;KzE0MTU1NTUwMTQ4\x1b\\"
        );
        assert_eq!(
            osc52("ab", true),
            "\x1bPtmux;\x1b\x1b]52;c;YWI=\x1b\x1b\\\x1b\\"
        );
    }

    #[test]
    fn editor_commands_split_like_a_shell() {
        let cases: &[(&str, &str, &[&str])] = &[
            ("vi", "vi", &[]),
            ("code --wait", "code", &["--wait"]),
            ("  nano  ", "nano", &[]),
            ("vim -c 'set tw=72'", "vim", &["-c", "set tw=72"]),
            ("", "vi", &[]),
        ];
        for (editor, program, args) in cases {
            assert_eq!(
                editor_command(editor),
                Ok((
                    program.to_string(),
                    args.iter().map(|a| a.to_string()).collect()
                )),
                "{editor:?}"
            );
        }
        #[cfg(unix)]
        assert_eq!(
            editor_command("\"/opt/my editor/bin/ed\" -n"),
            Ok(("/opt/my editor/bin/ed".to_string(), vec!["-n".to_string()]))
        );
        #[cfg(not(unix))]
        assert_eq!(
            editor_command("\"C:\\Program Files\\ed.exe\" -n"),
            Ok((
                "C:\\Program Files\\ed.exe".to_string(),
                vec!["-n".to_string()]
            ))
        );
        let bad = editor_command("code \"--wait").unwrap_err();
        assert!(
            bad.contains("\"code \"--wait\"") && bad.contains("quotes"),
            "{bad}"
        );
    }
}
