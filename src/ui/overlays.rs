//! What is drawn over the list: the request log (`L`), the stats view (`t`), the calls a bulk
//! action could not change, the sort picker (`s`), and the filter and search bars.

use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Flex, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph, Widget};

use super::theme::Theme;
use crate::api::CallFields;
use crate::api::Count;
use crate::console::app::{
    App, Bar, DIRECTIONS, FILTER_STATUSES, FilterBar, ROW_STAFF, Remote, STATS_PERIODS, StaffPicker,
};
use crate::console::keys::Action;
use crate::domain::sanitize::single_line;
use crate::domain::views::SortColumn;

/// A centred box of at most `width` × `height`, cleared, with a title.
fn popup(
    area: Rect,
    width: u16,
    height: u16,
    title: &str,
    theme: &Theme,
    buf: &mut Buffer,
) -> Rect {
    let rect = centred(area, width, height);
    Clear.render(rect, buf);
    let block = Block::new()
        .borders(Borders::ALL)
        .border_style(theme.border)
        .title(Span::styled(format!(" {title} "), theme.title));
    let inner = block.inner(rect);
    block.render(rect, buf);
    inner
}

/// Newest request at the bottom; `scroll` requests back from it. Long requests wrap under
/// their time, and the window is always full: back at the oldest requests it shows them from
/// the top.
pub fn render_log(app: &App, scroll: usize, theme: &Theme, area: Rect, buf: &mut Buffer) {
    let rect = centred(
        area,
        area.width.saturating_sub(4),
        area.height.saturating_sub(2),
    );
    Clear.render(rect, buf);
    let block = Block::new()
        .borders(Borders::ALL)
        .border_style(theme.border)
        .title(Span::styled(" Requests this session ", theme.title))
        .title_bottom(Span::styled(
            // The long wording where the border has room for it.
            if rect.width >= 72 {
                " j/k PgUp/PgDn g/G scroll · long lines wrap · any other key closes "
            } else {
                " j/k PgUp/PgDn g/G scroll · other keys close "
            },
            theme.dim,
        ));
    let inner = block.inner(rect);
    block.render(rect, buf);
    let height = usize::from(inner.height);
    let log = app.log();
    if log.is_empty() {
        Paragraph::new(Span::styled("No requests yet.", theme.dim)).render(inner, buf);
        return;
    }
    let width = usize::from(inner.width);
    let entry_lines = |i: usize| -> Vec<Line> {
        let Some(entry) = log.get(i) else {
            return Vec::new();
        };
        let time = app.zone().local(entry.at).format("%H:%M:%S").to_string();
        let style = if entry.error.is_some() {
            theme.error
        } else {
            theme.ok
        };
        let mut text = super::format::exchange(&entry.exchange);
        if let Some(e) = &entry.error {
            text.push_str(&format!(" — {}", single_line(e)));
        }
        let indent = time.len() + 1;
        super::format::wrap(&text, width.saturating_sub(indent))
            .into_iter()
            .enumerate()
            .map(|(n, part)| {
                let lead = if n == 0 {
                    format!("{time} ")
                } else {
                    " ".repeat(indent)
                };
                Line::from(vec![
                    Span::styled(lead, theme.dim),
                    Span::styled(part, style),
                ])
            })
            .collect()
    };
    let max = crate::console::app::log_scroll_max(log.len());
    let scroll = scroll.min(max);
    // Up from the newest shown until the window is full.
    let end = log.len() - scroll;
    let mut start = end;
    let mut count = 0;
    while start > 0 && count < height {
        start -= 1;
        count += entry_lines(start).len();
    }
    let mut lines: Vec<Line>;
    if count < height && end < log.len() {
        // Back at the oldest requests: the window stays full, from the first one down.
        lines = Vec::new();
        for i in 0..log.len() {
            lines.extend(entry_lines(i));
            if lines.len() >= height {
                break;
            }
        }
        lines.truncate(height);
    } else {
        lines = (start..end).flat_map(entry_lines).collect();
        let skip = lines.len().saturating_sub(height);
        lines.drain(..skip);
    }
    Paragraph::new(lines).render(inner, buf);
}

/// A `width` × `height` rectangle (at most `area`) in the middle of `area`.
pub(super) fn centred(area: Rect, width: u16, height: u16) -> Rect {
    let [row] = Layout::vertical([Constraint::Length(height.min(area.height))])
        .flex(Flex::Center)
        .areas(area);
    let [rect] = Layout::horizontal([Constraint::Length(width.min(area.width))])
        .flex(Flex::Center)
        .areas(row);
    rect
}

/// Counts per status for each period, as horizontal bars scaled to the largest count.
pub fn render_stats(app: &App, theme: &Theme, area: Rect, buf: &mut Buffer) {
    let inner = popup(
        area,
        area.width.saturating_sub(4).min(110),
        area.height.saturating_sub(2).min(16),
        "Calls per status · any key closes",
        theme,
        buf,
    );
    let columns = Layout::horizontal([Constraint::Fill(1); 3])
        .spacing(2)
        .split(inner);
    for (i, (name, _)) in STATS_PERIODS.iter().enumerate() {
        let col = columns[i];
        let mut lines = vec![Line::from(Span::styled(name.to_string(), theme.header))];
        match &app.stats_view()[i] {
            None | Some(Remote::Loading { .. }) => {
                lines.push(Line::from(Span::styled("loading…", theme.dim)))
            }
            Some(Remote::Failed(e)) => {
                lines.push(Line::from(Span::styled(e.to_string(), theme.error)))
            }
            Some(Remote::Loaded(stats)) => {
                // Voicemail under either vendor spelling is one row.
                let rows = crate::domain::views::status_counts(stats);
                let max = rows
                    .iter()
                    .filter_map(|(_, n)| n.valid())
                    .max()
                    .unwrap_or(0)
                    .max(1);
                let label_w = 15usize;
                let bar_w = usize::from(col.width).saturating_sub(label_w + 7).max(1);
                for (status, n) in &rows {
                    let (label, kind) = super::list::status_label(Some(status));
                    let label =
                        Span::raw(format!("{:<label_w$}", super::format::fit(&label, label_w)));
                    // A count the server got wrong reads as such, with no bar.
                    let Count::Valid(n) = *n else {
                        lines.push(Line::from(vec![
                            label,
                            Span::styled("invalid", theme.error),
                        ]));
                        continue;
                    };
                    let len =
                        usize::try_from(n.saturating_mul(bar_w as u64) / max).unwrap_or(bar_w);
                    lines.push(Line::from(vec![
                        label,
                        Span::styled("█".repeat(len.max(usize::from(n > 0))), theme.status(kind)),
                        Span::raw(format!(" {n}")),
                    ]));
                }
                let total = stats.total_voice_calls.unwrap_or_else(|| {
                    rows.iter()
                        .fold(Count::Valid(0), |sum, (_, n)| sum.plus(*n))
                });
                lines.push(match total {
                    Count::Valid(n) => Line::from(Span::styled(format!("total {n}"), theme.dim)),
                    Count::Invalid => Line::from(vec![
                        Span::styled("total ", theme.dim),
                        Span::styled("invalid", theme.error),
                    ]),
                });
            }
        }
        Paragraph::new(lines).render(col, buf);
    }
}

/// The calls a bulk action could not change, each named as the user knows it (the client's
/// name, else the other party's number, and when the call came), with why; the keys it names
/// all work.
pub fn render_failures(app: &App, theme: &Theme, area: Rect, buf: &mut Buffer) {
    let Some(batch) = app.batch() else {
        return;
    };
    let width = area.width.saturating_sub(4).min(110);
    let inner_width = usize::from(width.saturating_sub(2));
    let mut lines: Vec<Line> = Vec::new();
    for (uid, why) in batch.failures() {
        let call = app.store().by_uid(uid);
        let who = match call.and_then(|c| app.people().client_label(c)) {
            Some(who) => who.to_string(),
            None => app.call_words(uid),
        };
        let who = who.as_str();
        let when = super::format::list_time_as(
            call.and_then(|c| c.created()),
            app.now(),
            app.zone(),
            false,
        );
        let text = format!(
            "{} · {when} — {}",
            single_line(who),
            single_line(&why.to_string())
        );
        let head = format!("{} · {when}", single_line(who));
        for part in super::format::wrap(&text, inner_width) {
            // The caller and time stand out; the reason reads as an error.
            match part.strip_prefix(head.as_str()) {
                Some(rest) => lines.push(Line::from(vec![
                    Span::styled(head.clone(), theme.key),
                    Span::styled(rest.to_string(), theme.error),
                ])),
                None => lines.push(Line::from(Span::styled(part, theme.error))),
            }
        }
    }
    lines.push(Line::default());
    let keys = &app.session().config.keys;
    let help = format!(
        "They stay selected: {} retries them · {} shows every request · any other key closes",
        keys.hint(Action::Handled),
        keys.hint(Action::RequestLog)
    );
    for part in super::format::wrap(&help, inner_width) {
        lines.push(Line::from(Span::styled(part, theme.dim)));
    }
    let height = (lines.len() as u16 + 2).min(area.height.saturating_sub(2));
    let inner = popup(
        area,
        width,
        height,
        &format!("{} — not changed", batch.progress()),
        theme,
        buf,
    );
    // When they do not all fit, the keys stay in view and the list is cut.
    let room = usize::from(inner.height);
    if lines.len() > room {
        let keys_from = lines.iter().rposition(|l| l.spans.is_empty()).unwrap_or(0);
        let tail = lines.split_off(keys_from);
        lines.truncate(room.saturating_sub(tail.len()));
        lines.extend(tail);
    }
    Paragraph::new(lines).render(inner, buf);
}

pub fn render_sort_picker(app: &App, index: usize, theme: &Theme, area: Rect, buf: &mut Buffer) {
    let inner = popup(
        area,
        40,
        SortColumn::ALL.len() as u16 + 4,
        "Sort by",
        theme,
        buf,
    );
    let current = app.tab().settings.sort;
    let mut lines: Vec<Line> = SortColumn::ALL
        .iter()
        .enumerate()
        .map(|(i, c)| {
            let mark = if *c == current.column { "•" } else { " " };
            let text = format!("{mark} {}", c.label());
            if i == index {
                Line::from(Span::styled(text, theme.selected))
            } else {
                Line::from(text)
            }
        })
        .collect();
    lines.push(Line::default());
    lines.push(Line::from(Span::styled(
        format!(
            "j/k move · Enter sort · {} reverses · Esc",
            app.session().config.keys.hint(Action::SortReverse)
        ),
        theme.dim,
    )));
    Paragraph::new(lines).render(inner, buf);
}

/// The search bar on the hints line; the filter bar as a box above the status bar.
pub fn render_bar(app: &App, bar: &Bar, theme: &Theme, area: Rect, hints: Rect, buf: &mut Buffer) {
    match bar {
        Bar::Search { input } => {
            let n = app.search().matches().len();
            let keys = &app.session().config.keys;
            let count = if input.value().is_empty() {
                "type to search numbers, names, summary, ids".to_string()
            } else {
                format!("{n} match{}", if n == 1 { "" } else { "es" })
            };
            Clear.render(hints, buf);
            Paragraph::new(Line::from(vec![
                Span::styled("/", theme.key),
                Span::raw(format!("{}▏ ", input.value())),
                Span::styled(
                    format!(
                        "{count} · Enter keeps it ({}/{}) · Esc clears",
                        keys.hint(Action::SearchNext),
                        keys.hint(Action::SearchPrev)
                    ),
                    theme.dim,
                ),
            ]))
            .render(hints, buf);
        }
        Bar::Filter(f) => render_filter(app, f, theme, area, buf),
    }
}

fn render_filter(app: &App, f: &FilterBar, theme: &Theme, area: Rect, buf: &mut Buffer) {
    let lines = filter_lines(app, f, theme);
    // Four rows, a line for an error, and room for the names the staff row offers.
    let height = u16::try_from(lines.len() + 2)
        .unwrap_or(u16::MAX)
        .max(8)
        .min(area.height);
    let rect = Rect {
        x: area.x,
        y: area.y + area.height.saturating_sub(height + 2),
        width: area.width,
        height,
    };
    Clear.render(rect, buf);
    let block = Block::new()
        .borders(Borders::ALL)
        .border_style(theme.border)
        .title(Span::styled(
            format!(" Filter {} ", app.tab().id.title()),
            theme.title,
        ))
        .title_bottom(Span::styled(
            if f.focus == ROW_STAFF && StaffPicker::by_name(app.people()) {
                " type a name · ↑↓ choose · Tab take it · Enter apply · Ctrl-x clear all · Esc "
            } else {
                " Tab/↑↓ row · ←→ move · Space toggle · Enter apply · Ctrl-x clear all · Esc "
            },
            theme.dim,
        ));
    let inner = block.inner(rect);
    block.render(rect, buf);
    Paragraph::new(lines).render(inner, buf);
}

/// The filter bar's rows, and under the staff row the names it offers.
fn filter_lines<'a>(app: &App, f: &FilterBar, theme: &Theme) -> Vec<Line<'a>> {
    let label = |i: usize, text: &str| {
        Span::styled(
            format!("{text:>10} "),
            if f.focus == i { theme.key } else { theme.label },
        )
    };
    let mut status = vec![label(0, "status")];
    for (i, s) in FILTER_STATUSES.iter().enumerate() {
        let on = if f.statuses[i] { "[x]" } else { "[ ]" };
        // Short names so all six fit.
        let s = super::list::status_label(Some(s)).0;
        let style = if f.focus == 0 && f.status_cursor == i {
            theme.selected
        } else {
            ratatui::style::Style::new()
        };
        status.push(Span::styled(format!("{on} {s}"), style));
        status.push(Span::raw(" "));
    }
    let direction = vec![
        label(1, "direction"),
        Span::styled(
            format!("‹ {} ›", DIRECTIONS[f.direction]),
            if f.focus == 1 {
                theme.selected
            } else {
                ratatui::style::Style::new()
            },
        ),
    ];
    let cursor = |i: usize| if f.focus == i { "▏" } else { "" };
    let mut lines = vec![
        Line::from(status),
        Line::from(direction),
        Line::from(vec![
            label(2, "date"),
            Span::raw(format!("{}{}", f.date.value(), cursor(2))),
            Span::styled("   today · 7d · 2026-03-01..2026-03-31", theme.dim),
        ]),
        Line::from(vec![
            label(ROW_STAFF, "staff"),
            Span::raw(format!("{}{}", f.staff.typed(), cursor(ROW_STAFF))),
            Span::styled(staff_hint(app, f), theme.dim),
        ]),
    ];
    if f.focus == ROW_STAFF && StaffPicker::by_name(app.people()) {
        lines.extend(
            super::staff_picker::offered_lines(app.people(), &f.staff, 4, theme)
                .into_iter()
                .map(|l| {
                    // Under the value, past the labels.
                    let mut spans = vec![Span::raw(" ".repeat(9))];
                    spans.extend(l.spans);
                    Line::from(spans)
                }),
        );
    }
    if let Some(e) = &f.error {
        lines.push(Line::from(Span::styled(e.clone(), theme.error)));
    }
    lines
}

/// What the staff row takes, said beside it: a name from the roster, else a uid.
fn staff_hint(app: &App, f: &FilterBar) -> String {
    let by_name = StaffPicker::by_name(app.people());
    match (f.staff.picked(), f.staff.typed().trim().is_empty()) {
        (Some(uid), _) if by_name && app.people().staff_name(uid).is_none() => {
            "   not on the staff list".to_string()
        }
        (Some(_), _) | (None, false) => String::new(),
        (None, true) if by_name => "   anyone · type part of a name".to_string(),
        (None, true) => "   anyone · a staff uid".to_string(),
    }
}
