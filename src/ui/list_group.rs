//! A caller's row in Needs follow-up grouped by caller: who (the client's name, else the
//! number), how many times and whether a voicemail is among them (`▸ 3× Voicemail`), since
//! when (`since 09:12`), the newest call's summary; the calls listed under it are indented.

use ratatui::style::Style;
use ratatui::text::Span;
use ratatui::widgets::{Cell, Row};

use super::{Col, cell, format, status_label};
use crate::api::VoiceCall;
use crate::api::model::StatusKind;
use crate::console::app::App;
use crate::domain::calls::Group;
use crate::domain::sanitize::single_line;
use crate::ui::theme::Theme;

/// The Status cell of a call listed under its caller's row: indented under it.
pub(super) fn member_status<'a>(call: &VoiceCall, theme: &Theme) -> Cell<'a> {
    let (label, kind) = status_label(call.status.as_ref());
    Cell::from(Span::styled(format!("└ {label}"), theme.status(kind)))
}

/// The row of a caller with several calls; `open` when the calls are listed under it.
pub(super) fn group_row<'a>(
    app: &'a App,
    theme: &Theme,
    cols: &[Col],
    group: &Group,
    open: bool,
    widths: (usize, bool),
) -> Row<'a> {
    let list = app.list();
    let calls: Vec<&VoiceCall> = group
        .members()
        .iter()
        .filter_map(|p| list.get(*p))
        .collect();
    let Some(newest) = list.get(group.newest(list.list, list.store)) else {
        return Row::new(Vec::<Cell>::new());
    };
    let oldest = calls
        .iter()
        .copied()
        .filter(|c| c.created().is_some())
        .min_by_key(|c| c.created())
        .unwrap_or(newest);
    let voicemail = calls
        .iter()
        .any(|c| c.status.as_ref().map(|s| s.kind()) == Some(StatusKind::Voicemail));
    let caller = single_line(app.people().client_label(newest).unwrap_or("—")).into_owned();
    let since = oldest.created().map_or_else(
        || "—".to_string(),
        |t| crate::domain::when::since(t, app.now(), app.zone()),
    );
    // The clock today (`since 09:12`), else the day (`since Nov 28`): it fits the Time
    // column, which is narrower without the Age column beside it (`12:36`, `Nov 28`).
    let since = match oldest.created() {
        Some(t) if since.contains(' ') => app.zone().local(t).format("%b %d").to_string(),
        _ => since,
    };
    let since = if widths.1 {
        format!("since {since}")
    } else {
        since
    };
    let summary = newest
        .call_summary
        .as_deref()
        .map(single_line)
        .unwrap_or_default()
        .into_owned();
    let no_search = usize::MAX;
    let cells = cols.iter().map(|&col| match col {
        Col::Mark => mark(app, theme, &calls, group),
        // How many times, and whether a voicemail is among them.
        Col::Status => {
            let (label, kind) = if voicemail {
                ("Voicemail", StatusKind::Voicemail)
            } else {
                ("Missed", StatusKind::Missed)
            };
            let arrow = if open { "▾" } else { "▸" };
            let mut text = format!("{arrow} {}× {label}", calls.len());
            if text.chars().count() > usize::from(Col::Status.width()) {
                text = format!(
                    "{arrow} {}× {}",
                    calls.len(),
                    if voicemail { "VM" } else { "" }
                );
            }
            Cell::from(Span::styled(text, theme.status(kind)))
        }
        Col::Time => Cell::from(since.clone()),
        // The caller's name where no Client column says it, else their number.
        Col::From if cols.contains(&Col::Client) => {
            cell(col, newest, no_search, app, theme, widths, None)
        }
        Col::From => Cell::from(format::fit(&caller, usize::from(Col::From.width()))),
        // How long the caller has waited: since their first call.
        Col::Age => cell(col, oldest, no_search, app, theme, widths, None),
        Col::Duration | Col::HandledBy => Cell::from(""),
        Col::Summary => Cell::from(format::fit(&summary, widths.0)),
        _ => cell(col, newest, no_search, app, theme, widths, None),
    });
    Row::new(cells.collect::<Vec<_>>())
}

/// Selected (all its calls, or some), new, or a search hit among its calls.
fn mark<'a>(app: &App, theme: &Theme, calls: &[&VoiceCall], group: &Group) -> Cell<'a> {
    let tab = app.tab();
    let selected = calls
        .iter()
        .filter(|c| tab.selected.contains(c.uid_str()))
        .count();
    let (mark, style) = if selected == calls.len() && selected > 0 {
        ("✓", theme.key)
    } else if selected > 0 {
        ("◦", theme.key)
    } else if calls.iter().any(|c| tab.new_uids.contains(c.uid_str())) {
        ("●", theme.notice)
    } else if group.members().iter().any(|p| app.search().is_match(*p)) {
        ("»", theme.matched())
    } else {
        (" ", Style::new())
    };
    Cell::from(Span::styled(mark, style))
}
