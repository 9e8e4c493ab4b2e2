//! The conflict view: after Ctrl-s found the call changed on the server, each field where my
//! values and theirs differ, with every value in full (wrapped to the width, scrolled with
//! j/k), which of us changed it, and what `o` would send for it. A uid that names a person
//! has their name beside it, as in the form.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph, Widget};

use super::format::wrap;
use super::theme::Theme;
use crate::api::VoiceCall;
use crate::console::form::Form;
use crate::domain::fields::{self, FieldId};
use crate::domain::people::People;
use crate::domain::save::{self, Differs};

/// The columns before a value: `  as loaded `.
const LABEL: usize = 13;

pub fn render(
    form: &Form,
    theirs: &VoiceCall,
    people: &People,
    scroll: usize,
    theme: &Theme,
    area: Rect,
    buf: &mut Buffer,
) {
    let inner = Block::new().borders(Borders::ALL).inner(area);
    let width = usize::from(inner.width);
    let lines = lines(form, theirs, people, width, theme);
    let height = usize::from(inner.height);
    // Never past the point where the last page is full.
    let start = scroll.min(lines.len().saturating_sub(height));
    let more = lines.len() > start + height;
    let keys: &[&str] = match (more, start > 0) {
        (true, _) => &[
            " ↓ more: j/k scroll · r reload theirs, keep my edits · o overwrite my * fields · c cancel ",
            " ↓ more: j/k · r reload · o overwrite my * · c cancel ",
            " ↓ j/k · r · o · c ",
        ],
        (false, true) => &[
            " end: k scrolls back · r reload theirs, keep my edits · o overwrite my * fields · c cancel ",
            " end: k back · r reload · o overwrite my * · c cancel ",
            " k · r · o · c ",
        ],
        (false, false) => &[
            " r reload theirs, keep my edits on top · o overwrite only my * fields · c/Esc cancel ",
            " r reload, keep my edits · o overwrite my * fields · c cancel ",
            " r reload · o overwrite my * · c cancel ",
        ],
    };
    let keys = keys
        .iter()
        .find(|k| Line::raw(**k).width() <= width)
        .or(keys.last())
        .copied()
        .unwrap_or_default();
    let block = Block::new()
        .borders(Borders::ALL)
        .border_style(theme.error)
        .title(Span::styled(
            " Someone else changed this call — nothing was sent ",
            theme.error,
        ))
        .title_bottom(Span::styled(keys, theme.key));
    let shown: Vec<Line> = lines.into_iter().skip(start).take(height).collect();
    Paragraph::new(shown).block(block).render(area, buf);
}

/// Every line of the view at `width` columns, before scrolling.
fn lines<'a>(
    form: &Form,
    theirs: &VoiceCall,
    people: &People,
    width: usize,
    theme: &Theme,
) -> Vec<Line<'a>> {
    let (_, missing) = fields::prefill(theirs);
    let mine = form.values();
    let their_values = save::their_values(theirs, &mine);
    let loaded = form.loaded();
    let differs = save::differences(loaded, &mine, &their_values);
    let mut lines: Vec<Line> = wrap(
        "* marks what you changed. o sends their version with only your * fields on top; \
         r loads theirs under your edits; c goes back.",
        width,
    )
    .into_iter()
    .map(|l| Line::styled(l, theme.dim))
    .collect();
    if differs.is_empty() {
        lines.push(Line::raw(""));
        lines.extend(
            wrap(
                "The values are the same; only the server's timestamp moved.",
                width,
            )
            .into_iter()
            .map(Line::raw),
        );
    }
    let get = |v: &fields::Values, f: FieldId| v.get(&f).cloned().unwrap_or_default();
    for d in differs {
        lines.push(Line::raw(""));
        lines.extend(header(d, width, theme));
        let (old, yours, theirs) = (get(loaded, d.field), get(&mine, d.field), {
            get(&their_values, d.field)
        });
        let unsent = missing.contains(&d.field) && theirs.is_empty();
        let named = |label: &str, text: &str, unsent: bool, style: Style| {
            let mut shown = value(label, text, unsent, width, style, theme);
            if let Some(name) = people.name_for(d.field, text) {
                beside(&mut shown, name, width, theme);
            }
            shown
        };
        if d.mine && d.theirs {
            lines.extend(named("as loaded", &old, false, Style::new()));
        }
        lines.extend(named("theirs", &theirs, unsent, Style::new()));
        lines.extend(named("mine", &yours, false, theme.key));
    }
    lines
}

/// `* call_summary — you both changed it: o sends yours`, wrapped.
fn header<'a>(d: Differs, width: usize, theme: &Theme) -> Vec<Line<'a>> {
    let who = match (d.mine, d.theirs) {
        (true, true) => "you both changed it: o sends yours over theirs",
        (true, false) => "you changed it: o sends yours",
        (false, true) => "they changed it: o keeps theirs",
        (false, false) => "differs: o keeps theirs",
    };
    // The marker stands alone in the first two columns; a long name wraps under the name.
    let text = format!("{} — {who}", d.field.name());
    wrap(&text, width.saturating_sub(2))
        .into_iter()
        .enumerate()
        .map(|(i, l)| {
            let marker = match (i, d.mine) {
                (0, true) => Span::styled("* ", theme.key),
                _ => Span::raw("  "),
            };
            Line::from(vec![marker, Span::styled(l, theme.label)])
        })
        .collect()
}

/// The person a uid names, beside the value's last line when it fits there, else on a line of
/// its own under it (`console::app::conflict` counts that line when bounding the scroll).
fn beside(shown: &mut Vec<Line<'_>>, name: &str, width: usize, theme: &Theme) {
    let name = format!("  {name}");
    let fits = shown
        .last()
        .is_some_and(|l| l.width() + Line::raw(name.as_str()).width() <= width);
    match shown.last_mut() {
        Some(last) if fits => last.spans.push(Span::styled(name, theme.dim)),
        _ => shown.push(Line::from(vec![
            Span::raw(" ".repeat(LABEL - 2)),
            Span::styled(name, theme.dim),
        ])),
    }
}

/// One value in full: its label, then the value wrapped to the width left, each line break
/// of its own kept; an empty value is a dash.
fn value<'a>(
    label: &str,
    text: &str,
    unsent: bool,
    width: usize,
    style: Style,
    theme: &Theme,
) -> Vec<Line<'a>> {
    let room = width.saturating_sub(LABEL).max(8);
    let head = format!("  {label:<w$}", w = LABEL - 2);
    let pad = " ".repeat(LABEL);
    let (parts, style) = if text.is_empty() {
        let dash = if unsent {
            "— (the server does not send it)"
        } else {
            "—"
        };
        (wrap(dash, room), theme.dim)
    } else {
        let parts = text.split('\n').flat_map(|p| wrap(p, room)).collect();
        (parts, style)
    };
    parts
        .into_iter()
        .enumerate()
        .map(|(i, part)| {
            let lead = if i == 0 { head.clone() } else { pad.clone() };
            Line::from(vec![
                Span::styled(lead, theme.dim),
                Span::styled(part, style),
            ])
        })
        .collect()
}
