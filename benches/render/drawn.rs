//! The two sides of every figure: the console drawing into a test terminal, and the baseline,
//! a bare ratatui `Table` of just the visible rows.

use callconsole::api::VoiceCall;
use callconsole::console::app::App;
use callconsole::console::msg::Msg;
use callconsole::ui::Screen;
use callconsole::ui::layout::list_rows;
use callconsole::ui::theme::Theme;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::layout::Constraint;
use ratatui::widgets::{Cell, Row, Table};

use crate::SIZE;
use crate::sampling::{Sample, timed};

pub fn terminal() -> Terminal<TestBackend> {
    Terminal::new(TestBackend::new(SIZE.0, SIZE.1)).expect("a test terminal")
}

/// The console and the terminal it draws into.
pub struct Console {
    pub app: App,
    pub theme: Theme,
    pub term: Terminal<TestBackend>,
}

impl Console {
    pub fn new(app: App) -> Self {
        Self {
            app,
            theme: Theme::new(false),
            term: terminal(),
        }
    }

    pub fn draw(&mut self) {
        let (app, theme) = (&self.app, &self.theme);
        self.term
            .draw(|f| f.render_widget(Screen { app, theme }, f.area()))
            .expect("a test terminal draws");
    }

    /// Update with `msg`, then draw: what one key costs.
    pub fn press(&mut self, msg: Msg) {
        drop(self.app.update(msg));
        self.draw();
    }

    pub fn timed_frame(&mut self) -> Sample {
        timed(|| self.draw())
    }

    pub fn timed_press(&mut self, msg: Msg) -> Sample {
        timed(|| self.press(msg))
    }

    /// The selected row (a caller's row where Needs follow-up is grouped by caller).
    pub fn cursor(&self) -> usize {
        self.app.row_window().1
    }

    /// The rows the open tab shows.
    pub fn len(&self) -> usize {
        self.app.row_count()
    }
}

/// The baseline: a bare `Table` (no styles, no selection) with the console's columns at 200
/// wide, a header, and the rows that fit, straight from the call fields.
pub struct Baseline<'a> {
    calls: &'a [VoiceCall],
    term: Terminal<TestBackend>,
    rows: usize,
    offset: usize,
}

impl<'a> Baseline<'a> {
    pub fn new(calls: &'a [VoiceCall]) -> Self {
        Self {
            calls,
            term: terminal(),
            rows: list_rows(SIZE.1),
            offset: 0,
        }
    }

    pub fn draw(&mut self) {
        let end = (self.offset + self.rows).min(self.calls.len());
        let visible = &self.calls[self.offset.min(end)..end];
        let s = |v: &'a Option<String>| v.as_deref().unwrap_or("");
        self.term
            .draw(|f| {
                let rows = visible.iter().map(|c| {
                    Row::new([
                        Cell::from(""),
                        Cell::from(s(&c.created_at)),
                        Cell::from(s(&c.updated_at)),
                        Cell::from(c.direction.as_ref().map_or("", |d| d.as_str())),
                        Cell::from(c.status.as_ref().map_or("", |d| d.as_str())),
                        Cell::from(s(&c.from_number)),
                        Cell::from(s(&c.to_number)),
                        Cell::from(s(&c.client_uid)),
                        Cell::from(c.duration.unwrap_or_default().to_string()),
                        Cell::from(s(&c.handled_by_staff_uid)),
                        Cell::from(s(&c.call_summary)),
                    ])
                });
                let header = Row::new([
                    "",
                    "Time",
                    "Age",
                    "Dir",
                    "Status",
                    "From",
                    "To",
                    "Client",
                    "Dur",
                    "Handled by",
                    "Summary",
                ]);
                let widths = [1, 12, 6, 4, 14, 16, 16, 14, 7, 12]
                    .map(Constraint::Length)
                    .into_iter()
                    .chain([Constraint::Fill(1)]);
                f.render_widget(Table::new(rows, widths).header(header), f.area());
            })
            .expect("a test terminal draws");
    }

    /// One frame with the window starting at `offset`, timed.
    pub fn timed_frame_at(&mut self, offset: usize) -> Sample {
        self.offset = offset.min(self.calls.len().saturating_sub(self.rows));
        timed(|| self.draw())
    }
}
