//! Drawing: reads the `App` and nothing else. Each part of the screen has its own module.

mod client_panel;
mod conflict;
mod detail;
mod form;
pub mod format;
mod help;
mod hit;
pub mod hyperlink;
pub mod layout;
mod list;
mod outcome_prompt;
mod overlays;
mod prompt;
mod staff_picker;
mod status_bar;
pub mod theme;
mod title;

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::widgets::Widget;

use crate::console::app::{App, Overlay};
pub use hit::hit;
use theme::Theme;

/// The whole screen.
pub struct Screen<'a> {
    pub app: &'a App,
    pub theme: &'a Theme,
}

impl Widget for Screen<'_> {
    fn render(self, area: Rect, buf: &mut Buffer) {
        let areas = layout::Areas::new(area, self.app.detail_open());
        title::render_title(self.app, self.theme, areas.title, buf);
        if let Some(f) = self.app.form() {
            form::render(self.app, f, self.theme, areas.body, buf);
        } else {
            if let Some(list_area) = areas.list {
                list::render_table(self.app, self.theme, list_area, buf);
            }
            if let Some(detail_area) = areas.detail {
                detail::render(self.app, self.theme, detail_area, buf);
            }
        }
        status_bar::render(self.app, self.theme, areas.status, buf);
        status_bar::render_hints(self.app, self.theme, areas.hints, buf);
        if let Some(bar) = self.app.bar() {
            overlays::render_bar(self.app, bar, self.theme, area, areas.hints, buf);
        }
        match self.app.overlay() {
            Overlay::None => {}
            Overlay::Help { scroll } => help::render(self.app, scroll, self.theme, area, buf),
            Overlay::Log { scroll } => {
                overlays::render_log(self.app, scroll, self.theme, area, buf)
            }
            Overlay::Stats => overlays::render_stats(self.app, self.theme, area, buf),
            Overlay::Failures => overlays::render_failures(self.app, self.theme, area, buf),
            Overlay::SortPicker { index } => {
                overlays::render_sort_picker(self.app, index, self.theme, area, buf)
            }
        }
        if let Some(p) = self.app.prompt() {
            prompt::render(self.app, p, self.theme, area, buf);
        }
    }
}
