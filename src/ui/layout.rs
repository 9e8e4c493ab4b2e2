//! Where each part of the screen goes. The runtime tells `update` [`list_rows`] (in
//! `Msg::Resize`), so paging keys move by exactly what is on screen.

use ratatui::layout::{Constraint, Layout, Rect};

/// From this width on, the detail pane sits beside the list instead of replacing it.
pub const SPLIT_WIDTH: u16 = 120;

/// Lines that are not list rows: title, table header, status bar, key hints.
const CHROME: u16 = 4;

/// How many call rows the list shows in a terminal `height` lines tall.
pub fn list_rows(height: u16) -> usize {
    usize::from(height.saturating_sub(CHROME).max(1))
}

/// The screen's parts.
pub struct Areas {
    pub title: Rect,
    /// Everything between the title and the status bar (the form uses all of it).
    pub body: Rect,
    pub list: Option<Rect>,
    pub detail: Option<Rect>,
    pub status: Rect,
    pub hints: Rect,
}

impl Areas {
    pub fn new(area: Rect, detail_open: bool) -> Self {
        let [title, body, status, hints] = Layout::vertical([
            Constraint::Length(1),
            Constraint::Min(1),
            Constraint::Length(1),
            Constraint::Length(1),
        ])
        .areas(area);
        let (list, detail) = if !detail_open {
            (Some(body), None)
        } else if area.width >= SPLIT_WIDTH {
            let [l, d] =
                Layout::horizontal([Constraint::Percentage(58), Constraint::Percentage(42)])
                    .areas(body);
            (Some(l), Some(d))
        } else {
            (None, Some(body))
        };
        Self {
            title,
            body,
            list,
            detail,
            status,
            hints,
        }
    }
}
