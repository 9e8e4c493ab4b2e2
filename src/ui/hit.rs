//! Which drawn thing a mouse event landed on. The view knows where it put everything, so it
//! turns a raw click into a message `update` can act on without knowing the layout.

use crossterm::event::{MouseButton, MouseEvent, MouseEventKind};
use ratatui::layout::{Position, Rect};
use ratatui::text::Line;

use super::layout::Areas;
use super::{form, title};
use crate::console::app::App;
use crate::console::msg::{Msg, Target, Wheel};

/// The message for a mouse event on a screen of `area`: a click on something that reacts to
/// one, or the wheel; `None` for anything else (a click on blank space, a drag, a release).
pub fn hit(app: &App, area: Rect, event: MouseEvent) -> Option<Msg> {
    match event.kind {
        MouseEventKind::ScrollDown => Some(Msg::Scroll(Wheel::Down)),
        MouseEventKind::ScrollUp => Some(Msg::Scroll(Wheel::Up)),
        MouseEventKind::Down(MouseButton::Left) => {
            target(app, area, Position::new(event.column, event.row)).map(Msg::Click)
        }
        _ => None,
    }
}

/// What is drawn at `at` that a click can pick: with the form open, its fields; otherwise a
/// tab label or a call row. What a modal draws over them is for `update` to weigh: it knows
/// which mode has the keys.
fn target(app: &App, area: Rect, at: Position) -> Option<Target> {
    let areas = Areas::new(area, app.detail_open());
    if let Some(f) = app.form() {
        let (_, placed) = form::fields_window(f, areas.body, app.people());
        return placed
            .iter()
            .find(|p| p.area.contains(at))
            .map(|p| Target::Field(p.field));
    }
    if areas.title.contains(at) {
        return tab_at(app, areas.title.width, at.x - areas.title.x).map(Target::Tab);
    }
    let rows = areas.list?;
    // The first line of the list area is the table header.
    let body = Rect {
        y: rows.y + 1,
        height: rows.height.saturating_sub(1),
        ..rows
    };
    if !body.contains(at) {
        return None;
    }
    let index = app.row_window().0 + usize::from(at.y - body.y);
    (index < app.row_count()).then_some(Target::Row(index))
}

/// Which tab label the title bar shows at `column` from its left edge; the labels are drawn
/// one after another with a one-column separator.
fn tab_at(app: &App, width: u16, column: u16) -> Option<usize> {
    let mut x = 0u16;
    for (i, label) in title::tab_labels(app, width).iter().enumerate() {
        let w = u16::try_from(Line::raw(label.as_str()).width()).unwrap_or(u16::MAX);
        if column >= x && column < x.saturating_add(w) {
            return Some(i);
        }
        x = x.saturating_add(w).saturating_add(1);
    }
    None
}
