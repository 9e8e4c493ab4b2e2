//! Every colour in one place. `NO_COLOR` gives a theme of bold/reverse only.

use ratatui::style::{Color, Modifier, Style};

use crate::api::model::StatusKind;

/// The styles the screens use.
#[derive(Debug, Clone)]
pub struct Theme {
    pub title: Style,
    pub header: Style,
    pub selected: Style,
    pub dim: Style,
    pub label: Style,
    pub error: Style,
    pub ok: Style,
    pub badge: Style,
    pub key: Style,
    pub border: Style,
    pub notice: Style,
    /// A notice that something was not done as asked.
    pub warning: Style,
    color: bool,
}

impl Theme {
    /// Colours unless `no_color` (the `NO_COLOR` convention).
    pub fn new(no_color: bool) -> Self {
        if no_color {
            let plain = Style::new();
            return Self {
                title: plain.add_modifier(Modifier::BOLD),
                header: plain.add_modifier(Modifier::BOLD | Modifier::UNDERLINED),
                selected: plain.add_modifier(Modifier::REVERSED),
                dim: plain,
                label: plain.add_modifier(Modifier::BOLD),
                error: plain.add_modifier(Modifier::BOLD),
                ok: plain,
                badge: plain.add_modifier(Modifier::REVERSED | Modifier::BOLD),
                key: plain.add_modifier(Modifier::BOLD),
                border: plain,
                notice: plain.add_modifier(Modifier::ITALIC),
                warning: plain.add_modifier(Modifier::BOLD),
                color: false,
            };
        }
        Self {
            title: Style::new().fg(Color::Cyan).add_modifier(Modifier::BOLD),
            header: Style::new().add_modifier(Modifier::BOLD | Modifier::UNDERLINED),
            selected: Style::new().add_modifier(Modifier::REVERSED),
            dim: Style::new().fg(Color::DarkGray),
            label: Style::new().fg(Color::Cyan),
            error: Style::new().fg(Color::Red).add_modifier(Modifier::BOLD),
            ok: Style::new().fg(Color::Green),
            badge: Style::new()
                .fg(Color::Black)
                .bg(Color::Yellow)
                .add_modifier(Modifier::BOLD),
            key: Style::new().fg(Color::Cyan).add_modifier(Modifier::BOLD),
            border: Style::new().fg(Color::DarkGray),
            notice: Style::new().fg(Color::Yellow),
            warning: Style::new().fg(Color::Yellow).add_modifier(Modifier::BOLD),
            color: true,
        }
    }

    /// The colour of a waiting call's age: band 0 fresh … 3 overdue. Yellow and red read on
    /// light and dark backgrounds alike; without colour, only the late bands stand out.
    pub fn age(&self, band: usize) -> Style {
        if !self.color {
            return match band {
                0 | 1 => Style::new(),
                2 => Style::new().add_modifier(Modifier::BOLD),
                _ => Style::new().add_modifier(Modifier::BOLD | Modifier::UNDERLINED),
            };
        }
        match band {
            0 => Style::new().fg(Color::Green),
            1 => Style::new(),
            2 => Style::new().fg(Color::Yellow).add_modifier(Modifier::BOLD),
            _ => Style::new().fg(Color::Red).add_modifier(Modifier::BOLD),
        }
    }

    /// A search hit.
    pub fn matched(&self) -> Style {
        if self.color {
            Style::new()
                .fg(Color::Yellow)
                .add_modifier(Modifier::BOLD | Modifier::UNDERLINED)
        } else {
            Style::new().add_modifier(Modifier::BOLD | Modifier::UNDERLINED)
        }
    }

    /// The colour of a status: what needs a call back stands out.
    pub fn status(&self, kind: StatusKind) -> Style {
        if !self.color {
            return match kind {
                StatusKind::Missed | StatusKind::Voicemail => {
                    Style::new().add_modifier(Modifier::BOLD)
                }
                StatusKind::Unknown => Style::new().add_modifier(Modifier::ITALIC),
                _ => Style::new(),
            };
        }
        match kind {
            StatusKind::Missed => Style::new().fg(Color::Red).add_modifier(Modifier::BOLD),
            StatusKind::Voicemail => Style::new().fg(Color::Magenta).add_modifier(Modifier::BOLD),
            StatusKind::Handled => Style::new().fg(Color::Green),
            StatusKind::Answered => Style::new(),
            StatusKind::Provider => Style::new().fg(Color::Blue),
            StatusKind::Incoming => Style::new().fg(Color::Cyan).add_modifier(Modifier::BOLD),
            StatusKind::Unknown => Style::new()
                .fg(Color::Yellow)
                .add_modifier(Modifier::ITALIC),
        }
    }
}
