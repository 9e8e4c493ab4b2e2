//! Helpers shared by the in-crate tests: a fixed clock, key messages, and drawing the whole
//! screen into a `TestBackend`.

use chrono::{DateTime, TimeZone, Utc};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::Terminal;
use ratatui::backend::TestBackend;

use crate::console::app::App;
use crate::console::msg::Msg;
use crate::domain::people::{ClientCard, People, StaffCard};
use crate::ui::Screen;
/// The list's height on a terminal this tall, as the runtime tells `update` (`Msg::Resize`).
pub use crate::ui::layout::list_rows;
use crate::ui::theme::Theme;

/// The tests' "now": 2026-11-24 15:00 UTC.
pub fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 24, 15, 0, 0)
        .single()
        .expect("valid time")
}

/// The machine's zone in the tests is UTC, so snapshots do not depend on the machine.
pub fn utc() -> crate::domain::zone::Zone {
    crate::domain::zone::Zone::utc()
}

pub fn key(code: KeyCode) -> Msg {
    Msg::Key(KeyEvent::new(code, KeyModifiers::NONE))
}

/// Scrolls down with `j` until the cursor is on the last row loaded, as a user reaches the
/// end of a list (not `G`, which loads the whole view): every effect asked for on the way.
pub fn scroll_to_end(app: &mut App) -> Vec<crate::console::msg::Effect> {
    let mut effects = Vec::new();
    for _ in 0..100_000 {
        let before = app.list().selected_index();
        effects.extend(app.update(key(KeyCode::Char('j'))));
        if app.list().selected_index() == before {
            break;
        }
    }
    effects
}

pub fn ctrl(c: char) -> Msg {
    Msg::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::CONTROL))
}

/// What the view says a left click at (`x`, `y`) on a `size` screen landed on, as the runtime
/// asks it: the message for `update`, or `None` on blank space.
pub fn click_at(app: &App, size: (u16, u16), x: u16, y: u16) -> Option<Msg> {
    use crossterm::event::{MouseButton, MouseEvent, MouseEventKind};
    let event = MouseEvent {
        kind: MouseEventKind::Down(MouseButton::Left),
        column: x,
        row: y,
        modifiers: KeyModifiers::NONE,
    };
    crate::ui::hit(app, ratatui::layout::Rect::new(0, 0, size.0, size.1), event)
}

/// The style the list draws a search's matched characters in (colours on).
pub fn matched_style() -> ratatui::style::Style {
    Theme::new(false).matched()
}

/// Draws the whole screen as the runtime does.
pub fn draw(app: &App, width: u16, height: u16) -> Terminal<TestBackend> {
    let mut terminal = Terminal::new(TestBackend::new(width, height)).expect("terminal");
    let theme = Theme::new(false);
    terminal
        .draw(|f| f.render_widget(Screen { app, theme: &theme }, f.area()))
        .expect("draw");
    terminal
}

/// The screen's text, one line per row.
pub fn screen_text(terminal: &Terminal<TestBackend>) -> String {
    let buffer = terminal.backend().buffer();
    let line = |y| {
        (0..buffer.area.width)
            .map(|x| buffer[(x, y)].symbol())
            .collect::<String>()
    };
    (0..buffer.area.height)
        .map(line)
        .collect::<Vec<_>>()
        .join("\n")
}

/// Names known as if the API had answered: clients `(id, name)` and active staff
/// `(uid, name)`.
pub fn people_knowing(clients: &[(&str, &str)], staff: &[(&str, &str)]) -> People {
    let mut people = People::default();
    for (id, name) in clients {
        let card = ClientCard {
            name: Some((*name).to_string()),
            ..ClientCard::default()
        };
        people.learned_client(id, Some(card), now());
    }
    let roster = staff
        .iter()
        .map(|(uid, name)| StaffCard {
            uid: (*uid).to_string(),
            name: (*name).to_string(),
            active: true,
            ..StaffCard::default()
        })
        .collect();
    people.learned_roster(roster, now());
    people
}
