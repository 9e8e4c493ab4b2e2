//! A caller's row in Needs follow-up grouped by caller: who (the client's name, else the
//! number), how many times and whether a voicemail is among them (`▸ 3× Voicemail`), since
//! when (`since 09:12`), the newest call's summary; the calls listed under it are indented.

use ratatui::style::Style;
use ratatui::text::Span;
use ratatui::widgets::{Cell, Row};

use super::{Col, cell, format, status_label};
use crate::api::CallFields;
use crate::api::model::StatusKind;
use crate::console::app::App;
use crate::domain::calls::{CallId, Group};
use crate::domain::sanitize::single_line;
use crate::ui::theme::Theme;

/// The Status cell of a call listed under its caller's row: indented under it.
pub(super) fn member_status<'a, C: CallFields + ?Sized>(call: &C, theme: &Theme) -> Cell<'a> {
    let (label, kind) = status_label(call.status());
    Cell::from(Span::styled(format!("└ {label}"), theme.status(kind)))
}

/// The row of a caller with several calls; `open` when the calls are listed under it.
/// What it shows was worked out when the rows were built (newest, oldest, voicemail): a
/// frame costs the rows on screen, however many calls a caller made.
pub(super) fn group_row<'a>(
    app: &'a App,
    theme: &Theme,
    cols: &[Col],
    (g, group): (usize, &Group),
    open: bool,
    widths: (usize, bool),
) -> Row<'a> {
    let list = app.list();
    let (Some(newest), Some(oldest)) = (list.get(group.newest()), list.get(group.oldest())) else {
        return Row::new(Vec::<Cell>::new());
    };
    let voicemail = group.has_voicemail();
    // A far-end caller (`G`) may have more calls in the middle: at least this many.
    let gathering = app.grouped().is_some_and(|groups| groups.gathering(g));
    let count = format!(
        "{}{}",
        group.members().len(),
        if gathering { "+" } else { "" }
    );
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
    let no_search = usize::MAX;
    let cells = cols.iter().map(|&col| match col {
        Col::Mark => mark(app, theme, g, group),
        // How many times, and whether a voicemail is among them.
        Col::Status => {
            let (label, kind) = if voicemail {
                ("Voicemail", StatusKind::Voicemail)
            } else {
                ("Missed", StatusKind::Missed)
            };
            let arrow = if open { "▾" } else { "▸" };
            let mut text = format!("{arrow} {count}× {label}");
            if text.chars().count() > usize::from(Col::Status.width()) {
                text = format!("{arrow} {count}× {}", if voicemail { "VM" } else { "" });
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
        // The newest call's summary, or what is known about calling them back: tried, looks
        // returned (both read from the newest waiting call, true for the caller's others).
        Col::Summary => cell(col, newest, no_search, app, theme, widths, None),
        _ => cell(col, newest, no_search, app, theme, widths, None),
    });
    Row::new(cells.collect::<Vec<_>>())
}

/// Selected (all its calls, or some), new, or a search hit among its calls.
fn mark<'a>(app: &App, theme: &Theme, g: usize, group: &Group) -> Cell<'a> {
    let tab = app.tab();
    let store = app.store();
    let selected = (
        tab.selected.len(),
        tab.selected.iter().copied(),
        |id: CallId| tab.selected.contains(&id),
    );
    let selected = marked_in(app, selected, g, group);
    let new = (
        tab.new_uids.len(),
        tab.new_uids.iter().filter_map(|u| store.id_of(u)),
        |id: CallId| {
            store
                .get(id)
                .and_then(|c| c.uid())
                .is_some_and(|u| tab.new_uids.contains(u))
        },
    );
    let search = app.search();
    let (mark, style) = if selected == group.members().len() {
        ("✓", theme.key)
    } else if selected > 0 {
        ("◦", theme.key)
    } else if marked_in(app, new, g, group) > 0 {
        ("●", theme.notice)
    } else if search.is_active() && group.members().iter().any(|p| search.is_match(*p)) {
        ("»", theme.matched())
    } else if app.grouped().is_some_and(|groups| groups.gathering(g)) {
        ("⋯", theme.dim)
    } else {
        (" ", Style::new())
    };
    Cell::from(Span::styled(mark, style))
}

/// How many of the group's calls are among the uids of `set` (`len` of them, `has` asks for
/// one), counted from the smaller side: the uids (a few, usually), or the caller's calls.
fn marked_in(
    app: &App,
    (len, mut set, has): (usize, impl Iterator<Item = CallId>, impl Fn(CallId) -> bool),
    g: usize,
    group: &Group,
) -> usize {
    let list = app.list();
    let Some(groups) = app.grouped().filter(|_| len > 0) else {
        return 0;
    };
    if len < group.members().len() {
        set.by_ref()
            .filter(|id| groups.group_of_call(*id) == Some(g))
            .count()
    } else {
        group
            .members()
            .iter()
            .filter_map(|p| list.id_at(*p))
            .filter(|id| has(*id))
            .count()
    }
}
