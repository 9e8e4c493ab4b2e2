//! One way to tell the user something: every notice goes through [`App::tell`] with a level,
//! which also logs it, and the status bar draws errors unlike information.

use super::App;

/// How much a notice matters.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Level {
    /// What happened, as asked ("saved Emily Carter's call", "3 selected").
    Info,
    /// Nothing was lost, but not all was done as asked ("2 already handled, skipped").
    Warning,
    /// Something failed and the user must act ("draft NOT saved…").
    Error,
}

/// A one-off line for the status bar.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Notice {
    pub level: Level,
    pub text: String,
}

impl App {
    /// Shows `text` in the status bar at `level`, and logs it.
    pub(super) fn tell(&mut self, level: Level, text: impl Into<String>) {
        let text = text.into();
        match level {
            Level::Info => tracing::info!(target: "callconsole::notice", "{text}"),
            Level::Warning => tracing::warn!(target: "callconsole::notice", "{text}"),
            Level::Error => tracing::error!(target: "callconsole::notice", "{text}"),
        }
        self.notice = Some(Notice { level, text });
    }

    pub(super) fn info(&mut self, text: impl Into<String>) {
        self.tell(Level::Info, text);
    }

    pub(super) fn warn(&mut self, text: impl Into<String>) {
        self.tell(Level::Warning, text);
    }

    pub(super) fn error(&mut self, text: impl Into<String>) {
        self.tell(Level::Error, text);
    }

    pub(super) fn clear_notice(&mut self) {
        self.notice = None;
    }

    /// The notice's text, for the status bar and the tests.
    pub fn notice(&self) -> Option<&str> {
        self.notice.as_ref().map(|n| n.text.as_str())
    }

    /// The notice with its level.
    pub fn notice_full(&self) -> Option<&Notice> {
        self.notice.as_ref()
    }

    /// A problem found at start, before `update` ran (a config value, a cache that could not
    /// be read): shown as a warning.
    pub fn set_notice(&mut self, text: String) {
        self.warn(text);
    }
}

#[cfg(test)]
#[path = "notice_tests.rs"]
mod tests;
