//! The gap row between the calls loaded from the top and the view's far end (`G`): how many
//! calls it stands for and whether they are loading, written across the row.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Row, Widget};

use crate::console::app::App;
use crate::ui::theme::Theme;

/// The gap row in the table: empty, its words are written over it (`paint_gap`).
pub(super) fn gap_row<'a>() -> Row<'a> {
    Row::new(Vec::<&str>::new())
}

/// Writes the gap row's words (`App::gap_words`) across the table's row for it, when the rows
/// drawn from `first` show it. `area` is the table's (a header line, then the rows).
pub(super) fn paint_gap(app: &App, theme: &Theme, area: Rect, first: usize, buf: &mut Buffer) {
    // One row per caller has its own rows: the gap's among them.
    let gap = match app.grouped() {
        Some(groups) => groups.gap_row(),
        None => app.list().gap_row(),
    };
    let (Some(gap), Some(words)) = (gap, app.gap_words()) else {
        return;
    };
    let Some(line) = gap.checked_sub(first) else {
        return;
    };
    let y = area.y.saturating_add(1).saturating_add(line as u16);
    // Past the highlight column ("▶ ").
    let x = area.x.saturating_add(2);
    if y >= area.bottom() || x >= area.right() {
        return;
    }
    let row = Rect::new(x, y, area.right() - x, 1);
    Line::from(Span::styled(words, theme.notice)).render(row, buf);
}
