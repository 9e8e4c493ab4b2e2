//! The call table. Only the rows in the window are built, so a frame costs the same with 300
//! calls or 100 000.

use ratatui::buffer::Buffer;
use ratatui::layout::{Alignment, Constraint, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{
    Cell, HighlightSpacing, Paragraph, Row, StatefulWidget, Table, TableState, Widget,
};

use super::format;
use super::theme::Theme;
use crate::api::CallFields;
use crate::api::model::StatusKind;
use crate::console::app::App;
use crate::console::keys::Action;
use crate::domain::calls::PackedCall;
use crate::domain::calls::{Paging, Row as GroupRow};
use crate::domain::sanitize::single_line;
use crate::domain::search::SearchField;

#[path = "list_gap.rs"]
mod gap;
#[path = "list_group.rs"]
mod group;
#[path = "list_notes.rs"]
mod notes;

use notes::{returned_summary, tried_cell};

/// Which age band a wait of `age` falls in, given the configured limits.
pub fn age_band(age: std::time::Duration, bands: &[std::time::Duration; 3]) -> usize {
    bands.iter().position(|b| age < *b).unwrap_or(3)
}

/// A short, staff-facing name for a known status; unknown ones are shown as sent.
pub fn status_label(status: Option<&str>) -> (String, StatusKind) {
    let Some(status) = status else {
        return ("—".to_string(), StatusKind::Unknown);
    };
    let kind = crate::api::model::status_kind(status);
    let label = match kind {
        StatusKind::Incoming => "Ringing",
        StatusKind::Answered => "Answered",
        StatusKind::Provider => "Answered (IVR)",
        StatusKind::Missed => "Missed",
        StatusKind::Voicemail => "Voicemail",
        StatusKind::Handled => "Handled",
        StatusKind::Unknown => status,
    };
    (label.to_string(), kind)
}

/// A voicemail's mark beside its status: `●` its recording not played yet, `○` played; none
/// for other calls, or when the server does not say.
pub fn played_mark<C: CallFields + ?Sized>(call: &C) -> Option<&'static str> {
    if !crate::domain::voicemail::is_voicemail(call) {
        return None;
    }
    crate::domain::voicemail::played(call).map(|p| if p { "○" } else { "●" })
}

/// `IN` / `OUT`, or whatever the server sent.
pub fn direction_label<C: CallFields + ?Sized>(call: &C) -> String {
    match call.direction() {
        Some("INBOUND") => "IN".to_string(),
        Some("OUTBOUND") => "OUT".to_string(),
        Some(other) => other.to_string(),
        None => "—".to_string(),
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Col {
    Mark,
    Time,
    Age,
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
            Col::Mark => "",
            Col::Time => "Time",
            Col::Age => "Age",
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
            Col::Mark => 1,
            Col::Time => 12,
            Col::Age => 6,
            Col::Dir => 4,
            Col::Status => 14,
            Col::From | Col::To => 16,
            Col::Client => 14,
            // The longest call is 24:00:00.
            Col::Duration => 8,
            Col::HandledBy => 12,
            Col::Summary => 0,
        }
    }
}

/// From this width on, the Age column is shown.
const AGE_WIDTH: u16 = 90;

/// The columns that fit: the essentials always, the rest as width allows.
fn columns(width: u16) -> Vec<Col> {
    let mut cols = vec![Col::Mark, Col::Time];
    if width >= AGE_WIDTH {
        cols.push(Col::Age);
    }
    cols.extend([Col::Dir, Col::Status, Col::From]);
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

impl Col {
    /// The column that shows a searched field, if one does.
    fn of(field: SearchField) -> Option<Col> {
        match field {
            SearchField::From => Some(Col::From),
            SearchField::To => Some(Col::To),
            SearchField::Client => Some(Col::Client),
            SearchField::HandledBy => Some(Col::HandledBy),
            SearchField::Summary => Some(Col::Summary),
            SearchField::Uid
            | SearchField::ExternalUuid
            | SearchField::SourceId
            | SearchField::ClientUid => None,
        }
    }
}

/// `text` cut to `max` columns as [`format::fit`] cuts it (the table clips it when `None`),
/// with the graphemes at `positions` (ascending, counted in the whole text, as the search
/// reports them) drawn in `mark`. What the cut drops, and its `…`, are never marked.
fn marked(text: &str, max: Option<usize>, positions: &[u32], mark: Style) -> Line<'static> {
    let shown = max.map_or_else(|| text.to_string(), |m| format::fit(text, m));
    let span = Span::raw(shown.as_str());
    let graphemes: Vec<&str> = span
        .styled_graphemes(Style::new())
        .map(|g| g.symbol)
        .collect();
    let kept = if shown == text {
        graphemes.len()
    } else {
        graphemes.len().saturating_sub(1)
    };
    let mut spans = Vec::new();
    let mut run = String::new();
    let mut run_marked = false;
    for (i, g) in graphemes.iter().enumerate() {
        let on = i < kept && u32::try_from(i).is_ok_and(|i| positions.binary_search(&i).is_ok());
        if on != run_marked && !run.is_empty() {
            let style = if run_marked { mark } else { Style::new() };
            spans.push(Span::styled(std::mem::take(&mut run), style));
        }
        run_marked = on;
        run.push_str(g);
    }
    if !run.is_empty() {
        spans.push(Span::styled(
            run,
            if run_marked { mark } else { Style::new() },
        ));
    }
    Line::from(spans)
}

/// A searched field's cell: the matched characters marked when the row is a hit in it.
fn searched<'a>(
    field: SearchField,
    text: String,
    max: Option<usize>,
    hit: Option<&(SearchField, Vec<u32>)>,
    theme: &Theme,
) -> Cell<'a> {
    match hit {
        Some((f, positions)) if *f == field && !positions.is_empty() => {
            Cell::from(marked(&text, max, positions, theme.matched()))
        }
        // A hit whose characters could not be placed is still shown, on the whole cell.
        Some((f, _)) if *f == field => Cell::from(Span::styled(
            max.map_or_else(|| text.clone(), |m| format::fit(&text, m)),
            theme.matched(),
        )),
        _ => Cell::from(max.map_or_else(|| text.clone(), |m| format::fit(&text, m))),
    }
}

fn cell<'a>(
    col: Col,
    call: &'a PackedCall,
    index: usize,
    app: &App,
    theme: &Theme,
    (summary_width, clock_today): (usize, bool),
    marks: Option<&(SearchField, Vec<u32>)>,
) -> Cell<'a> {
    let text = |s: Option<&str>| s.map_or("—".to_string(), |v| single_line(v).into_owned());
    // A search hit is marked in the field it matched in (`marks`), and beside the row.
    let hit = app.search().match_at(index).map(|m| m.field);
    match col {
        Col::Mark => {
            let tab = app.tab();
            let uid = call.uid_str();
            let listed = app.store().id_of(uid);
            let (mark, style) = if listed.is_some_and(|id| tab.selected.contains(&id)) {
                ("✓", theme.key)
            } else if tab.new_uids.contains(uid) {
                ("●", theme.notice)
            } else if hit.is_some() {
                ("»", theme.matched())
            } else if app.gathering_at(index) {
                // A far-end caller, still gathering (`G`, one row per caller).
                ("⋯", theme.dim)
            } else {
                (" ", Style::new())
            };
            Cell::from(Span::styled(mark, style))
        }
        // With the Age column beside it, today's time is the clock.
        Col::Time => Cell::from(format::list_time_as(
            call.created(),
            app.now(),
            app.zone(),
            !clock_today,
        )),
        Col::Age => match call.created() {
            Some(t) => {
                let age = (app.now() - t).to_std().unwrap_or_default();
                let style = if crate::domain::views::needs_follow_up(call) {
                    theme.age(age_band(age, &app.session().config.age_bands))
                } else {
                    theme.dim
                };
                let text = format::ago(app.now() - t)
                    .replace(" ago", "")
                    .replace("just now", "now");
                Cell::from(Span::styled(text, style))
            }
            None => Cell::from("—"),
        },
        Col::Dir => Cell::from(direction_label(call)),
        Col::Status => {
            let (mut label, kind) = status_label(call.status());
            if let Some(mark) = played_mark(call) {
                label = format!("{label} {mark}");
            }
            Cell::from(Span::styled(label, theme.status(kind)))
        }
        Col::From => searched(
            SearchField::From,
            text(call.from_number()),
            None,
            marks,
            theme,
        ),
        Col::To => searched(SearchField::To, text(call.to_number()), None, marks, theme),
        // The client's name (searched, and marked where it matched), else the number.
        Col::Client => match SearchField::Client.text(call, app.people()) {
            Some(name) => searched(
                SearchField::Client,
                single_line(name).into_owned(),
                Some(14),
                marks,
                theme,
            ),
            None => Cell::from(format::fit(
                &single_line(app.people().client_label(call).unwrap_or("—")),
                14,
            )),
        },
        Col::Duration => {
            Cell::from(Line::from(format::duration(call.duration())).alignment(Alignment::Right))
        }
        Col::HandledBy => searched(
            SearchField::HandledBy,
            single_line(app.people().handler_label(call).unwrap_or("—")).into_owned(),
            Some(12),
            marks,
            theme,
        ),
        Col::Summary => {
            if let Some(flag) = app.returned_flag(call) {
                returned_summary(app, &flag, call, summary_width, theme)
            } else if let Some(cell) = marks
                .is_none_or(|(f, _)| *f != SearchField::Summary)
                .then(|| tried_cell(call, app, summary_width, theme))
                .flatten()
            {
                cell
            } else if let Some(line) = call.uid().and_then(|u| app.preview(u)) {
                // A voicemail's transcript, when its first line is known, stands for it (“).
                Cell::from(format::fit(&format!("“{line}"), summary_width))
            } else {
                searched(
                    SearchField::Summary,
                    text(call.call_summary()),
                    Some(summary_width),
                    marks,
                    theme,
                )
            }
        }
    }
}

pub fn render_table<'a>(app: &'a App, theme: &Theme, area: Rect, buf: &mut Buffer) {
    let list = app.list();
    if list.is_empty() {
        let keys = &app.session().config.keys;
        let (msg, style) = match &list.paging {
            Paging::Loading { .. } => ("Loading calls…".to_string(), theme.dim),
            // Esc stopped the first page.
            Paging::Idle { .. } => (
                format!(
                    "Loading stopped. Press {} to try again.",
                    keys.hint(Action::Refresh)
                ),
                theme.dim,
            ),
            Paging::Failed { error, .. } => (
                format!(
                    "Could not load calls: {error}\nPress {} to try again.",
                    keys.hint(Action::Refresh)
                ),
                theme.error,
            ),
            Paging::Complete if !app.tab().settings.filter.is_empty() => (
                format!(
                    "No calls match the filter ({}). {} changes it, Ctrl-x in the filter clears it.",
                    app.tab().settings.filter.describe(app.people()),
                    keys.hint(Action::Filter)
                ),
                theme.dim,
            ),
            Paging::Complete if app.tab().id == crate::domain::views::TabId::FollowUp => (
                format!(
                    "Nothing needs a call back. {} shows all calls.",
                    keys.hint(Action::Tab2)
                ),
                theme.dim,
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
    let (first, cursor) = app.row_window();
    let clock_today = cols.contains(&Col::Age);
    let grouped = app.grouped();
    // The list positions of the calls on screen (a caller's row marks no characters).
    let on_screen: Vec<usize> = match grouped {
        Some(groups) => groups
            .visible(rows_on_screen)
            .iter()
            .filter_map(|row| match row {
                GroupRow::Call { at, .. } => Some(*at),
                GroupRow::Group(_) | GroupRow::Gap => None,
            })
            .collect(),
        None => (first..first + rows_on_screen).collect(),
    };
    // Placing the matched characters runs the matcher again: only for the rows on screen, and
    // only when one of them is a hit in a column shown.
    let search = app.search();
    let mut highlighter = on_screen
        .iter()
        .any(|i| search.is_match(*i))
        .then(|| search.highlighter(app.people()))
        .flatten();
    let widths = (summary_width, clock_today);
    let mut call_row = |index: usize, call: &'a PackedCall, member: bool| -> Row<'a> {
        let handled = call.status_kind() == Some(StatusKind::Handled)
            && app.tab().id == crate::domain::views::TabId::FollowUp;
        let marks = match (search.match_at(index), highlighter.as_mut()) {
            (Some(m), Some(h)) if Col::of(m.field).is_some_and(|c| cols.contains(&c)) => {
                Some((m.field, h.positions(call, m.field)))
            }
            _ => None,
        };
        Row::new(cols.iter().map(|&c| match c {
            // A call listed under its caller's row is indented there.
            Col::Status if member => group::member_status(call, theme),
            c => cell(c, call, index, app, theme, widths, marks.as_ref()),
        }))
        .style(if handled { theme.dim } else { Style::new() })
    };
    let rows: Vec<Row> = match grouped {
        Some(groups) => groups
            .visible(rows_on_screen)
            .iter()
            .filter_map(|row| match *row {
                GroupRow::Call { at, member } => list.get(at).map(|c| call_row(at, c, member)),
                GroupRow::Gap => Some(gap::gap_row()),
                GroupRow::Group(g) => {
                    let open = groups.is_expanded(g);
                    let group = groups.group(g)?;
                    Some(group::group_row(
                        app,
                        theme,
                        &cols,
                        (g, group),
                        open,
                        widths,
                    ))
                }
            })
            .collect(),
        None => list
            .visible_rows(rows_on_screen)
            .map(|(at, call)| match call {
                Some(call) => call_row(at, call, false),
                None => gap::gap_row(),
            })
            .collect(),
    };
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
    state.select(Some(cursor.saturating_sub(first)));
    StatefulWidget::render(table, area, buf, &mut state);
    gap::paint_gap(app, theme, area, first, buf);
}
