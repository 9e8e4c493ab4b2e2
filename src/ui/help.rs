//! The `?` overlay: every key in force.

use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Flex, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph, Widget};

use super::theme::Theme;

/// The keys, as shown in help and in the README.
pub const KEYS: &[(&str, &str)] = &[
    ("j / ↓", "next call"),
    ("k / ↑", "previous call"),
    ("PgDn / Ctrl-f", "page down"),
    ("PgUp / Ctrl-b", "page up"),
    ("g / Home", "first call"),
    ("G / End", "last loaded call (loads more)"),
    ("Enter", "open / close the detail pane"),
    ("J / K", "scroll the detail pane"),
    ("r", "reload from the newest call"),
    ("e", "edit the call in the form"),
    ("h", "mark the call handled by you"),
    ("u", "undo the last change made here"),
    ("form: Tab/↑↓", "next / previous field"),
    ("form: ←→ Enter", "cycle a picker / open its list"),
    ("form: Ctrl-s", "send (after validation)"),
    ("form: Ctrl-o", "edit the summary in $EDITOR"),
    ("form: Ctrl-n", "use the E.164 form of a number"),
    ("form: Esc", "leave (asks when unsent)"),
    ("Esc", "close the detail pane"),
    ("?", "this help"),
    ("q / Ctrl-c", "quit"),
];

pub fn render(theme: &Theme, area: Rect, buf: &mut Buffer) {
    let height = (KEYS.len() as u16 + 4).min(area.height);
    let [row] = Layout::vertical([Constraint::Length(height)])
        .flex(Flex::Center)
        .areas(area);
    let [popup] = Layout::horizontal([Constraint::Length(52.min(area.width))])
        .flex(Flex::Center)
        .areas(row);
    Clear.render(popup, buf);
    let mut lines: Vec<Line> = KEYS
        .iter()
        .map(|(k, what)| {
            Line::from(vec![
                Span::styled(format!(" {k:<16}"), theme.key),
                Span::raw(*what),
            ])
        })
        .collect();
    lines.push(Line::default());
    lines.push(Line::from(Span::styled(
        " any key closes this help",
        theme.dim,
    )));
    Paragraph::new(lines)
        .block(
            Block::new()
                .borders(Borders::ALL)
                .border_style(theme.border)
                .title(Span::styled(" Keys ", theme.title)),
        )
        .render(popup, buf);
}
