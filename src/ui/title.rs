//! The title bar: the tabs with their counts, in the longest wording that fits, and on the
//! right who I am, the business, the zone times are in (when it is not the machine's) and
//! which API, as much of that as fits.

use ratatui::buffer::Buffer;
use ratatui::layout::{Alignment, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Widget};

use super::theme::Theme;
use crate::console::app::{App, ViewCount};
use crate::domain::sanitize::single_line;
use crate::domain::views::TabId;

/// One of the ways a tab can be named.
type Naming = fn(TabId) -> &'static str;

/// How a tab's count is written, longest first.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Counted {
    /// `12 · 31 calls` for a view with one row per caller, else `31`.
    Words,
    /// `12·31`, else `31`.
    Numbers,
    /// As `Numbers`, each in at most four characters (`1.5k`).
    Compact,
}

/// The tabs' labels in the title bar for a title `width` columns wide, as drawn one after
/// another from the left edge with a one-column separator (clicks find a tab by them). The
/// longest wording that fits all six: full names, then short ones, then without padding,
/// then abbreviations, then numbers and counts alone — the open tab keeps its short name.
pub fn tab_labels(app: &App, width: u16) -> Vec<String> {
    let counts: Vec<Option<ViewCount>> = (0..TabId::ALL.len()).map(|i| app.view_count(i)).collect();
    let label = |i: usize, name: &str, pad: &str, counted: Counted| -> String {
        let n = i + 1;
        let name = if name.is_empty() {
            String::new()
        } else {
            format!(" {name}")
        };
        match &counts[i] {
            Some(c) => format!("{pad}{n}{name} {}{pad}", count_text(c, counted)),
            None => format!("{pad}{n}{name}{pad}"),
        }
    };
    // (how a tab is named, padding around a label, how counts are written), longest first.
    let wordings: [(Naming, &str, Counted); 8] = [
        (TabId::title, " ", Counted::Words),
        (TabId::short_title, " ", Counted::Words),
        (TabId::title, " ", Counted::Numbers),
        (TabId::short_title, " ", Counted::Numbers),
        (TabId::short_title, "", Counted::Numbers),
        (TabId::short_title, "", Counted::Compact),
        (TabId::abbreviation, "", Counted::Numbers),
        (TabId::abbreviation, "", Counted::Compact),
    ];
    let fits = |labels: &[String]| {
        let used: usize = labels.iter().map(|l| Line::raw(l.as_str()).width()).sum();
        used + labels.len().saturating_sub(1) <= usize::from(width)
    };
    for (name, pad, counted) in wordings {
        let labels: Vec<String> = TabId::ALL
            .iter()
            .enumerate()
            .map(|(i, id)| label(i, name(*id), pad, counted))
            .collect();
        if fits(&labels) {
            return labels;
        }
    }
    TabId::ALL
        .iter()
        .enumerate()
        .map(|(i, id)| {
            let name = if i == app.active_index() {
                id.short_title()
            } else {
                ""
            };
            label(i, name, "", Counted::Compact)
        })
        .collect()
}

/// A tab's count as `counted` writes it.
fn count_text(count: &ViewCount, counted: Counted) -> String {
    let calls = count.shown();
    match (count.callers_shown(), counted) {
        (_, Counted::Words) => count.in_words(),
        (Some(callers), Counted::Numbers) => format!("{callers}·{calls}"),
        (Some(callers), Counted::Compact) => {
            format!("{}·{}", compact_count(&callers), compact_count(&calls))
        }
        (None, Counted::Numbers) => calls,
        (None, Counted::Compact) => compact_count(&calls),
    }
}

/// A tab's count in at most four characters and a `+`: `1514` reads `1.5k`, `15376` `15k`.
fn compact_count(count: &str) -> String {
    let (digits, more) = match count.strip_suffix('+') {
        Some(d) => (d, "+"),
        None => (count, ""),
    };
    match digits.parse::<u64>() {
        Ok(n) if n >= 1_000_000 => format!("{}M{more}", n / 1_000_000),
        Ok(n) if n >= 10_000 => format!("{}k{more}", n / 1_000),
        Ok(n) if n >= 1_000 => format!("{}.{}k{more}", n / 1_000, n % 1_000 / 100),
        _ => count.to_string(),
    }
}

pub fn render_title(app: &App, theme: &Theme, area: Rect, buf: &mut Buffer) {
    let labels = tab_labels(app, area.width);
    let mut spans = Vec::new();
    for (i, label) in labels.into_iter().enumerate() {
        if i > 0 {
            spans.push(Span::styled("│", theme.dim));
        }
        let style = if i == app.active_index() {
            theme.selected.patch(theme.title)
        } else {
            theme.dim
        };
        spans.push(Span::styled(label, style));
    }
    Paragraph::new(Line::from(spans)).render(area, buf);
    let used: u16 = tab_labels(app, area.width)
        .iter()
        .map(|l| Line::raw(l.as_str()).width() as u16 + 1)
        .sum();
    // Who I am and where, the zone times are in when it is not the machine's, then which
    // API: the most that fits beside the tabs, the zone kept longest after the tabs.
    let me = app.people().my_name().map(single_line);
    let business = app
        .people()
        .me
        .as_ref()
        .and_then(|m| m.business_name.as_deref())
        .map(single_line);
    let zone = app.zone_note();
    let api = app.session().api_label.as_str();
    let who: Vec<&str> = [me.as_deref(), business.as_deref(), zone.as_deref()]
        .into_iter()
        .flatten()
        .collect();
    let candidates = [
        who.iter()
            .copied()
            .chain([api])
            .collect::<Vec<_>>()
            .join(" · "),
        who.join(" · "),
        [zone.as_deref(), Some(api)]
            .into_iter()
            .flatten()
            .collect::<Vec<_>>()
            .join(" · "),
        zone.clone().unwrap_or_default(),
        api.to_string(),
    ];
    if let Some(right) = candidates
        .iter()
        .filter(|c| !c.is_empty())
        .map(|c| Line::from(Span::styled(format!("{c} "), theme.dim)))
        .find(|l| area.width > used + l.width() as u16)
    {
        Paragraph::new(right)
            .alignment(Alignment::Right)
            .render(area, buf);
    }
}
