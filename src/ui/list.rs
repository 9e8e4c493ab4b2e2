//! The title bar and the call table. Only the rows in the window are built, so a frame costs
//! the same with 300 calls or 100 000.

use ratatui::buffer::Buffer;
use ratatui::layout::{Alignment, Constraint, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{
    Cell, HighlightSpacing, Paragraph, Row, StatefulWidget, Table, TableState, Widget,
};

use super::format;
use super::theme::Theme;
use crate::api::VoiceCall;
use crate::api::model::{Status, StatusKind};
use crate::app::App;
use crate::calls::Paging;
use crate::sanitize::single_line;

pub fn render_title(app: &App, theme: &Theme, area: Rect, buf: &mut Buffer) {
    let left = Line::from(vec![
        Span::styled(" callconsole ", theme.title),
        Span::styled("· calls, newest first", theme.dim),
    ]);
    Paragraph::new(left).render(area, buf);
    let right = Line::from(Span::styled(
        format!("{} ", app.session().api_label),
        theme.dim,
    ));
    Paragraph::new(right)
        .alignment(Alignment::Right)
        .render(area, buf);
}

/// A short, staff-facing name for a known status; unknown ones are shown as sent.
pub fn status_label(status: Option<&Status>) -> (String, StatusKind) {
    let Some(status) = status else {
        return ("—".to_string(), StatusKind::Unknown);
    };
    let kind = status.kind();
    let label = match kind {
        StatusKind::Incoming => "Ringing",
        StatusKind::Answered => "Answered",
        StatusKind::Provider => "Answered (IVR)",
        StatusKind::Missed => "Missed",
        StatusKind::Voicemail => "Voicemail",
        StatusKind::Handled => "Handled",
        StatusKind::Unknown => status.as_str(),
    };
    (label.to_string(), kind)
}

/// `IN` / `OUT`, or whatever the server sent.
pub fn direction_label(call: &VoiceCall) -> String {
    match call.direction.as_ref().map(|d| d.as_str()) {
        Some("INBOUND") => "IN".to_string(),
        Some("OUTBOUND") => "OUT".to_string(),
        Some(other) => other.to_string(),
        None => "—".to_string(),
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Col {
    Time,
    Dir,
    Status,
    From,
    To,
    Client,
    Duration,
    HandledBy,
    Summary,
}

impl Col {
    fn title(self) -> &'static str {
        match self {
            Col::Time => "Time",
            Col::Dir => "Dir",
            Col::Status => "Status",
            Col::From => "From",
            Col::To => "To",
            Col::Client => "Client",
            Col::Duration => "Dur",
            Col::HandledBy => "Handled by",
            Col::Summary => "Summary",
        }
    }

    fn width(self) -> u16 {
        match self {
            Col::Time => 12,
            Col::Dir => 4,
            Col::Status => 14,
            Col::From | Col::To => 16,
            Col::Client => 14,
            Col::Duration => 7,
            Col::HandledBy => 12,
            Col::Summary => 0,
        }
    }
}

/// The columns that fit: the essentials always, the rest as width allows.
fn columns(width: u16) -> Vec<Col> {
    let mut cols = vec![Col::Time, Col::Dir, Col::Status, Col::From];
    if width >= 100 {
        cols.push(Col::To);
    }
    if width >= 120 {
        cols.push(Col::Client);
    }
    cols.push(Col::Duration);
    if width >= 140 {
        cols.push(Col::HandledBy);
    }
    cols.push(Col::Summary);
    cols
}

fn cell<'a>(
    col: Col,
    call: &'a VoiceCall,
    app: &App,
    theme: &Theme,
    summary_width: usize,
) -> Cell<'a> {
    let text = |s: Option<&String>| s.map_or("—".to_string(), |v| single_line(v).into_owned());
    match col {
        Col::Time => Cell::from(format::list_time(call.created(), app.now(), app.tz())),
        Col::Dir => Cell::from(direction_label(call)),
        Col::Status => {
            let (label, kind) = status_label(call.status.as_ref());
            Cell::from(Span::styled(label, theme.status(kind)))
        }
        Col::From => Cell::from(text(call.from_number.as_ref())),
        Col::To => Cell::from(text(call.to_number.as_ref())),
        Col::Client => Cell::from(format::fit(&text(call.client_uid.as_ref()), 14)),
        Col::Duration => {
            Cell::from(Line::from(format::duration(call.duration)).alignment(Alignment::Right))
        }
        Col::HandledBy => Cell::from(format::fit(&text(call.handled_by_staff_uid.as_ref()), 12)),
        Col::Summary => Cell::from(format::fit(
            &text(call.call_summary.as_ref()),
            summary_width,
        )),
    }
}

pub fn render_table(app: &App, theme: &Theme, area: Rect, buf: &mut Buffer) {
    let list = app.list();
    if list.is_empty() {
        let (msg, style) = match &list.paging {
            Paging::Loading { .. } | Paging::Idle { .. } => {
                ("Loading calls…".to_string(), theme.dim)
            }
            Paging::Failed { error, .. } => (
                format!("Could not load calls: {error}\nPress r to try again."),
                theme.error,
            ),
            Paging::Complete => ("No calls.".to_string(), theme.dim),
        };
        Paragraph::new(msg)
            .style(style)
            .wrap(ratatui::widgets::Wrap { trim: true })
            .render(area, buf);
        return;
    }
    let cols = columns(area.width);
    // +2 for the selection marker column.
    let fixed: u16 = cols.iter().map(|c| c.width() + 1).sum::<u16>() + 2;
    let summary_width = usize::from(area.width.saturating_sub(fixed).max(8));
    let rows_on_screen = usize::from(area.height.saturating_sub(1));
    let rows = list.visible(rows_on_screen).iter().map(|call| {
        Row::new(
            cols.iter()
                .map(|&c| cell(c, call, app, theme, summary_width)),
        )
    });
    let widths = cols.iter().map(|c| match c {
        Col::Summary => Constraint::Fill(1),
        c => Constraint::Length(c.width()),
    });
    let header = Row::new(cols.iter().map(|c| Cell::from(c.title()))).style(theme.header);
    let table = Table::new(rows, widths)
        .header(header)
        .row_highlight_style(theme.selected)
        .highlight_symbol("▶ ")
        .highlight_spacing(HighlightSpacing::Always)
        .style(Style::new());
    let mut state = TableState::default();
    state.select(Some(list.selected_index().saturating_sub(list.offset())));
    StatefulWidget::render(table, area, buf, &mut state);
}
