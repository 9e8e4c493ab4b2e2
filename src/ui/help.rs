//! The `?` overlay: every key in force. Two columns when the screen is wide and tall enough
//! for all of them; otherwise one column whose descriptions wrap between words, scrolled with
//! j/k, PgUp/PgDn and g/G, with a "more below" marker while there is more.

use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph, Widget};

use super::format::{fit, wrap};
use super::theme::Theme;
use crate::console::app::App;
use crate::console::keys::FIXED_KEYS;

/// Widest key column; longer key lists are cut with an ellipsis.
const KEY_WIDTH: usize = 18;

/// One help row as drawn `desc_width` wide: the key on the first line, the description
/// wrapped under itself.
fn entry_lines<'a>(
    key: &str,
    what: &str,
    key_width: usize,
    desc_width: usize,
    theme: &Theme,
) -> Vec<Line<'a>> {
    wrap(what, desc_width)
        .into_iter()
        .enumerate()
        .map(|(n, part)| {
            let key = if n == 0 {
                fit(key, key_width)
            } else {
                String::new()
            };
            Line::from(vec![
                Span::styled(format!(" {key:<key_width$} "), theme.key),
                Span::raw(part),
            ])
        })
        .collect()
}

pub fn render(app: &App, scroll: usize, theme: &Theme, area: Rect, buf: &mut Buffer) {
    let keys = &app.session().config.keys;
    let all: Vec<(String, &str)> = keys
        .help_rows()
        .into_iter()
        .chain(FIXED_KEYS.iter().map(|(k, w)| (k.to_string(), *w)))
        .collect();
    let width_of = |s: &str| Span::raw(s).width();
    let key_width = all
        .iter()
        .map(|(k, _)| width_of(k))
        .max()
        .unwrap_or(0)
        .min(KEY_WIDTH);
    let desc_max = all.iter().map(|(_, w)| width_of(w)).max().unwrap_or(0);
    // A column holds the key, two spaces and the longest description unwrapped.
    let column = key_width + 2 + desc_max + 1;
    let room_h = usize::from(area.height.saturating_sub(2));
    let per_column = all.len().div_ceil(2);
    if usize::from(area.width) >= 2 * column + 2 && per_column <= room_h {
        let rect = super::overlays::centred(
            area,
            u16::try_from(2 * column + 2).unwrap_or(u16::MAX),
            u16::try_from(per_column + 2).unwrap_or(u16::MAX),
        );
        let inner = frame(
            rect,
            theme,
            " any key closes · change them under [keys] in config.toml ",
            false,
            buf,
        );
        let halves = Layout::horizontal([Constraint::Fill(1); 2]).split(inner);
        for (c, chunk) in all.chunks(per_column.max(1)).enumerate() {
            let lines: Vec<Line> = chunk
                .iter()
                .flat_map(|(k, w)| entry_lines(k, w, key_width, desc_max, theme))
                .collect();
            if let Some(a) = halves.get(c) {
                Paragraph::new(lines).render(*a, buf);
            }
        }
        return;
    }
    // One column, as wide as there is room for.
    let width = (column + 2).min(usize::from(area.width));
    let desc_width = width.saturating_sub(2 + key_width + 2).max(8);
    let entries: Vec<Vec<Line>> = all
        .iter()
        .map(|(k, w)| entry_lines(k, w, key_width, desc_width, theme))
        .collect();
    let total: usize = entries.iter().map(Vec::len).sum();
    let height = (total + 2).min(usize::from(area.height));
    let inner_h = height.saturating_sub(2);
    // Never past the point where the last page is full.
    let mut last_full = entries.len();
    let mut below = 0;
    while last_full > 0 && below < inner_h {
        last_full -= 1;
        below += entries[last_full].len();
    }
    let start = scroll.min(last_full);
    let shown: usize = entries[start..].iter().map(Vec::len).sum();
    let more_below = shown > inner_h;
    // The long wording where it fits the border, a short one where it does not.
    let (long, short) = if more_below {
        (
            " ↓ more below · j/k PgUp/PgDn scroll · any other key closes ",
            " ↓ more below · j/k PgDn · other keys close ",
        )
    } else if start > 0 {
        (
            " end · k/PgUp scroll back · any other key closes ",
            " end · k/PgUp back · other keys close ",
        )
    } else {
        (
            " any key closes · change them under [keys] in config.toml ",
            " any key closes · [keys] in config.toml ",
        )
    };
    let bottom = if Span::raw(long).width() + 2 <= width {
        long
    } else {
        short
    };
    let rect = super::overlays::centred(
        area,
        u16::try_from(width).unwrap_or(u16::MAX),
        u16::try_from(height).unwrap_or(u16::MAX),
    );
    let inner = frame(rect, theme, bottom, start > 0, buf);
    let lines: Vec<Line> = entries
        .into_iter()
        .skip(start)
        .flatten()
        .take(inner_h)
        .collect();
    Paragraph::new(lines).render(inner, buf);
}

/// The cleared, bordered box with its titles; returns what is inside.
fn frame(rect: Rect, theme: &Theme, bottom: &str, more_above: bool, buf: &mut Buffer) -> Rect {
    Clear.render(rect, buf);
    let title = if more_above {
        " Keys in force · ↑ more above "
    } else {
        " Keys in force "
    };
    let block = Block::new()
        .borders(Borders::ALL)
        .border_style(theme.border)
        .title(Span::styled(title, theme.title))
        .title_bottom(Span::styled(bottom.to_string(), theme.dim));
    let inner = block.inner(rect);
    block.render(rect, buf);
    inner
}
