//! The status bar (the last request and its answer, a spinner while one is out, how many calls
//! are loaded, the DEMO badge) and the key hints line.

use ratatui::buffer::Buffer;
use ratatui::layout::{Alignment, Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Widget};

use super::format;
use super::theme::Theme;
use crate::console::app::App;
use crate::console::app::{Level, Wait};
use crate::console::keys::Action;
use crate::domain::calls::Paging;

const SPINNER: [&str; 8] = ["⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧"];

pub fn render(app: &App, theme: &Theme, area: Rect, buf: &mut Buffer) {
    let right = right_text(app);
    let mut right_width = right.chars().count() as u16;
    let mut spans = Vec::new();
    if app.session().demo {
        spans.push(Span::styled(" DEMO ", theme.badge));
        spans.push(Span::raw(" "));
    }
    if app.busy() {
        spans.push(Span::styled(
            format!("{} ", SPINNER[app.spinner_frame() % SPINNER.len()]),
            theme.key,
        ));
    }
    if let Some(saved) = app.cached_since() {
        let at = format::list_time_as(
            crate::api::model::parse_time(saved),
            app.now(),
            app.zone(),
            false,
        );
        // Until the server's first page replaces it; when asking for it failed, say so
        // rather than "refreshing…" for ever.
        match &app.list().paging {
            Paging::Failed { page: 1, error } => spans.push(Span::styled(
                format!("cached list from {at} — refresh failed: {error} · "),
                theme.warning,
            )),
            // Esc stopped the first page.
            Paging::Idle { next: 1 } => spans.push(Span::styled(
                format!("cached list from {at} · "),
                theme.notice,
            )),
            _ => spans.push(Span::styled(
                format!("cached list from {at} · refreshing… · "),
                theme.notice,
            )),
        }
    }
    // A request that is slow says what it waits for and for how long, on the clock's ticks.
    let waiting = app.waiting();
    if let Some(waiting) = &waiting {
        let other = match waiting.what {
            Wait::Page { tab, .. } | Wait::Refresh { tab } if tab != app.active_index() => {
                app.tabs().get(tab).map(|t| t.id.short_title())
            }
            _ => None,
        };
        let follows = app.notice_full().is_some() || app.last_request().is_some();
        let text = format::waiting(waiting, other);
        spans.push(Span::styled(
            if follows { format!("{text} · ") } else { text },
            theme.key,
        ));
    }
    if let Some(batch) = app.batch().filter(|b| b.running()) {
        spans.push(Span::styled(format!("{} · ", batch.progress()), theme.key));
    }
    if let Some(hint) = app.call_back_hint().filter(|_| app.prompt().is_none()) {
        spans.push(Span::styled(format!("{hint} · "), theme.notice));
    }
    if let Some(notice) = app.notice_full() {
        // Errors look different from information, with or without colour.
        let (mark, style) = match notice.level {
            Level::Info => ("", theme.notice),
            Level::Warning => ("⚠ ", theme.warning),
            Level::Error => ("✖ ", theme.error),
        };
        spans.push(Span::styled(format!("{mark}{}", notice.text), style));
    }
    // A warning or an error is what the user must read: the counts on the right give way
    // to it, and a request that answered well is left out when it would not fit beside it.
    let urgent = app.notice_full().is_some_and(|n| n.level != Level::Info);
    let room = |spans: &[Span], right: u16| {
        usize::from(area.width.saturating_sub(right))
            .saturating_sub(Line::from(spans.to_vec()).width())
    };
    let overflows = |spans: &[Span], right: u16| {
        Line::from(spans.to_vec()).width() > usize::from(area.width.saturating_sub(right))
    };
    if urgent && overflows(&spans, right_width) {
        right_width = 0;
        // Still too long: the DEMO badge (the title says demo too) goes before the words.
        if app.session().demo && overflows(&spans, 0) {
            spans.drain(..2);
        }
    }
    // What follows a notice is set off from it.
    let sep = |spans: &mut Vec<Span>| {
        if app.notice_full().is_some() {
            spans.push(Span::styled(" · ", theme.dim));
        }
    };
    match app.last_request() {
        None if app.busy() && waiting.is_none() => {
            spans.push(Span::styled("loading…", theme.dim));
        }
        None => {}
        Some(last) => match &last.error {
            None => {
                // In full when it fits. Else (a tab's filters make it long, the counts beside
                // it take room, a notice may name a person at length) without its query and
                // with its uid cut so "→ 200 OK" is still read, and beside a warning left out
                // when even that does not fit.
                let room = room(&spans, right_width);
                let fits = |t: &str| Span::raw(t).width() + 3 <= room;
                let short = format::exchange_short(&last.exchange);
                let text = if fits(&short) {
                    Some(short)
                } else {
                    let tight = format::exchange_tight(&last.exchange);
                    (app.notice_full().is_none() || !urgent || fits(&tight)).then_some(tight)
                };
                if let Some(text) = text {
                    sep(&mut spans);
                    spans.push(Span::styled(text, theme.ok));
                }
            }
            Some(error) => {
                let detail = if error.messages().is_empty() {
                    error.to_string()
                } else {
                    error
                        .messages()
                        .iter()
                        .map(|m| m.text())
                        .collect::<Vec<_>>()
                        .join("; ")
                };
                // The error is what the user must read. When the full request (a tab's
                // filters make it long) would push it off the edge, the request is named
                // briefly; when even that does not fit, the counts on the right give way.
                let used = Line::from(spans.clone()).width();
                let room = usize::from(area.width.saturating_sub(right_width)).saturating_sub(used);
                let full = format!("{}: {detail}", format::exchange_short(&last.exchange));
                let text = if Span::raw(full.as_str()).width() <= room {
                    full
                } else {
                    format!("{}: {detail}", format::exchange_brief(&last.exchange))
                };
                if Span::raw(text.as_str()).width() > room {
                    right_width = 0;
                }
                sep(&mut spans);
                spans.push(Span::styled(text, theme.error));
            }
        },
    }
    let [left_area, right_area] =
        Layout::horizontal([Constraint::Fill(1), Constraint::Length(right_width)]).areas(area);
    Paragraph::new(Line::from(spans)).render(left_area, buf);
    Paragraph::new(Span::styled(right, theme.dim))
        .alignment(Alignment::Right)
        .render(right_area, buf);
}

/// The right-hand side: selection, filter, sort, oldest unhandled, how many calls.
fn right_text(app: &App) -> String {
    let list = app.list();
    let more = match list.paging {
        Paging::Complete => "all loaded",
        Paging::Loading { .. } => "loading more",
        Paging::Failed { .. } => "load failed",
        Paging::Idle { .. } => "more below",
    };
    let tab = app.tab();
    let mut right = String::from(" ");
    if !tab.selected.is_empty() {
        right.push_str(&format!("{} selected · ", tab.selected.len()));
    }
    if !tab.settings.filter.is_empty() {
        right.push_str(&format!(
            "filter: {} · ",
            tab.settings.filter.describe(app.people())
        ));
    }
    if tab.settings.sort != crate::domain::views::Sort::default() {
        right.push_str(&format!("{} · ", tab.settings.sort.describe()));
    }
    if let Some(t) = app.oldest_unhandled().and_then(|c| c.created()) {
        let age = format::ago(app.now() - t).replace(" ago", "");
        right.push_str(&format!("oldest unhandled: {age} · "));
    }
    // The same count as the tab's, and how much of it is loaded when that differs.
    match app.view_count(app.active_index()) {
        Some(count) => {
            let shown = count.shown();
            let plural = if shown == "1" { "" } else { "s" };
            if let Some(callers) = count.callers_shown() {
                let plural = if callers == "1" { "" } else { "s" };
                right.push_str(&format!("{callers} caller{plural} · "));
            }
            if count.total.is_some_and(|t| t != count.loaded as u64) {
                right.push_str(&format!("{} of ", count.loaded));
            }
            right.push_str(&format!("{shown} call{plural} · "));
        }
        None => right.push_str(&format!("{} calls · ", list.calls_listed())),
    }
    right.push_str(&format!("{more} "));
    right
}

/// The keys line: what the screen on show answers to, with the keys in force (`[keys]`); the
/// form's and the conflict view's keys are fixed.
pub fn render_hints(app: &App, theme: &Theme, area: Rect, buf: &mut Buffer) {
    let conflict = app
        .submission()
        .is_some_and(|s| matches!(s.stage, crate::console::app::Stage::Conflict { .. }));
    let keys = &app.session().config.keys;
    let key = |action| keys.hint(action);
    let fixed = |list: &[(&str, &'static str)]| -> Vec<(String, &'static str, u8)> {
        list.iter()
            .map(|(k, what)| (k.to_string(), *what, 0))
            .collect()
    };
    // Each hint with its rank: where they do not all fit, the highest ranks give way first,
    // so the keys to get help and to quit are always there.
    let hints: Vec<(String, &str, u8)> = if conflict && app.form().is_some() {
        fixed(&[("r", "reload theirs"), ("o", "overwrite"), ("c", "cancel")])
    } else if app.form().is_some() {
        fixed(&[
            ("Ctrl-s", "send"),
            ("Tab", "next"),
            ("Esc", "leave"),
            ("Ctrl-c", "quit (keeps a draft)"),
        ])
    } else if app.detail_open() {
        vec![
            (
                format!("{}/{}", key(Action::Down), key(Action::Up)),
                "move",
                2,
            ),
            (
                format!("{}/{}", key(Action::DetailDown), key(Action::DetailUp)),
                "scroll",
                3,
            ),
            ("Esc".to_string(), "close", 1),
            (key(Action::Help), "keys", 0),
            (key(Action::Quit), "quit", 0),
        ]
    } else {
        vec![
            (
                format!("{}-{}", key(Action::Tab1), key(Action::Tab6)),
                "views",
                4,
            ),
            (key(Action::ToggleDetail), "detail", 3),
            (key(Action::ToggleSelect), "select", 7),
            (key(Action::Handled), "handled", 1),
            (key(Action::Undo), "undo", 3),
            (key(Action::Filter), "filter", 5),
            (key(Action::Search), "search", 6),
            (key(Action::Sort), "sort", 8),
            (key(Action::Edit), "edit", 2),
            (key(Action::Help), "keys", 0),
            (key(Action::Quit), "quit", 0),
        ]
    };
    let spans_of = |hints: &[&(String, &str, u8)]| -> Vec<Span> {
        hints
            .iter()
            .flat_map(|(k, what, _)| {
                [
                    Span::styled(format!(" {k}"), theme.key),
                    Span::styled(format!(" {what} "), theme.dim),
                ]
            })
            .collect()
    };
    let mut shown: Vec<&(String, &str, u8)> = hints.iter().collect();
    while Line::from(spans_of(&shown)).width() > usize::from(area.width) {
        let Some(worst) = shown.iter().map(|h| h.2).max().filter(|r| *r > 0) else {
            break;
        };
        if let Some(at) = shown.iter().rposition(|h| h.2 == worst) {
            shown.remove(at);
        }
    }
    let spans = spans_of(&shown);
    Paragraph::new(Line::from(spans)).render(area, buf);
}
