//! The `?` overlay: every key in force.

use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Flex, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph, Widget};

use super::theme::Theme;
use crate::console::app::App;

/// Keys of the form and the bars, which are fixed.
pub const FIXED_KEYS: &[(&str, &str)] = &[
    ("Esc", "close the pane / clear the selection / the search"),
    ("form: Tab/↑↓", "next / previous field"),
    ("form: ←→ Enter", "cycle a picker / open its list"),
    ("form: Ctrl-s", "send (after validation)"),
    ("form: Ctrl-o", "edit the summary in $EDITOR"),
    ("form: Ctrl-n", "use the E.164 form of a number"),
    ("form: Esc", "leave (asks when unsent)"),
    ("Ctrl-c", "quit (an open edit is kept as a draft)"),
];

pub fn render(app: &App, theme: &Theme, area: Rect, buf: &mut Buffer) {
    let rows = app.session().config.keys.help_rows();
    let all: Vec<(String, &str)> = rows
        .into_iter()
        .chain(FIXED_KEYS.iter().map(|(k, w)| (k.to_string(), *w)))
        .collect();
    // Two columns when the list is taller than the screen.
    let inner_height = usize::from(area.height.saturating_sub(4)).max(1);
    let columns = all.len().div_ceil(inner_height).max(1);
    let per_column = all.len().div_ceil(columns);
    let col_width = 58u16;
    let height = (per_column as u16 + 4).min(area.height);
    let [row] = Layout::vertical([Constraint::Length(height)])
        .flex(Flex::Center)
        .areas(area);
    let [popup] = Layout::horizontal([Constraint::Length(
        (col_width * columns as u16 + 2).min(area.width),
    )])
    .flex(Flex::Center)
    .areas(row);
    Clear.render(popup, buf);
    let block = Block::new()
        .borders(Borders::ALL)
        .border_style(theme.border)
        .title(Span::styled(" Keys in force ", theme.title))
        .title_bottom(Span::styled(
            " any key closes · change them under [keys] in config.toml ",
            theme.dim,
        ));
    let inner = block.inner(popup);
    block.render(popup, buf);
    let areas = Layout::horizontal(vec![Constraint::Length(col_width); columns]).split(inner);
    for (c, chunk) in all.chunks(per_column.max(1)).enumerate() {
        let lines: Vec<Line> = chunk
            .iter()
            .map(|(k, what)| {
                Line::from(vec![
                    Span::styled(format!(" {k:<18}"), theme.key),
                    Span::raw(*what),
                ])
            })
            .collect();
        if let Some(a) = areas.get(c) {
            Paragraph::new(lines).render(*a, buf);
        }
    }
}
