//! The edit form: one line per field (label, value, the message when broken), a summary line,
//! the picker list and the leave question (the conflict view is `ui::conflict`).

use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph, Widget, Wrap};

use super::format::fit;
use super::theme::Theme;
use crate::console::app::{App, Stage};
use crate::console::form::Form;
use crate::domain::fields::{FieldId, Kind};
use crate::domain::people::People;

const LABEL: usize = 24;

pub fn render(app: &App, form: &Form, theme: &Theme, area: Rect, buf: &mut Buffer) {
    let stage = app
        .submission()
        .filter(|s| s.uid == form.uid())
        .map(|s| &s.stage);
    if let Some(Stage::Conflict { theirs, scroll }) = stage {
        return super::conflict::render(form, theirs, app.people(), *scroll, theme, area, buf);
    }
    let block = Block::new()
        .borders(Borders::ALL)
        .border_style(theme.border)
        .title(Span::styled(
            format!(" Edit call {} ", form.uid()),
            theme.title,
        ))
        .title_bottom(Span::styled(
            legend(form, area.width.saturating_sub(2)),
            theme.dim,
        ));
    let inner = block.inner(area);
    block.render(area, buf);
    let [summary, _] = Layout::vertical([Constraint::Length(1), Constraint::Min(1)]).areas(inner);
    render_summary(form, stage, theme, summary, buf);

    let (fields_area, placed) = fields_window(form, area, app.people());
    let values = usize::from(fields_area.width).saturating_sub(LABEL);
    let mut picker_row = None;
    for p in &placed {
        let line_area = Rect {
            height: 1,
            ..p.area
        };
        field_line(form, p.field, values, p.place, theme, app.people()).render(line_area, buf);
        if let (Place::Under(_), Some(message)) = (p.place, form.message(p.field)) {
            let under = Rect {
                x: p.area.x + LABEL as u16,
                y: p.area.y + 1,
                width: values as u16,
                height: p.area.height.saturating_sub(1),
            };
            Paragraph::new(Span::styled(format!("✗ {message}"), theme.error))
                .wrap(Wrap { trim: true })
                .render(under, buf);
        }
        if form.focus() == p.field && form.picker().is_some() {
            picker_row = Some(p.area.y);
        }
    }
    // Drawn after every field, so the rows below cannot paint over it.
    if let Some(y) = picker_row {
        render_picker_list(form, theme, inner, y, buf);
    }
    if form.leaving() {
        render_leave_question(theme, area, buf);
    }
}

/// The form's key line, the longest that fits in `width` columns; it also says what the
/// changed-field marker means.
fn legend(form: &Form, width: u16) -> &'static str {
    let choices: &[&'static str] = if form.picker().is_some() {
        &[
            " ↑↓ choose · Enter pick · Esc close · ● now set ",
            " ↑↓ Enter pick · Esc · ● now set ",
        ]
    } else {
        &[
            " * changed · Tab/↑↓ move · ←→ or Enter pick · Ctrl-o $EDITOR · Ctrl-s send · Esc leave ",
            " * changed · ←→/Enter pick · Ctrl-o $EDITOR · Ctrl-s send · Esc leave ",
            " * changed · Enter pick · Ctrl-o $EDITOR · Ctrl-s send ",
            " * changed · Ctrl-s send ",
        ]
    };
    choices
        .iter()
        .find(|c| Line::raw(**c).width() <= usize::from(width))
        .or(choices.last())
        .copied()
        .unwrap_or_default()
}

/// Where a field's message goes: none to show, beside the value, or wrapped under it in so
/// many rows (when beside would not fit the width there is).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Place {
    Alone,
    Beside,
    Under(u16),
}

/// One field on screen: the rows it takes (its line and any message under it).
#[derive(Debug, Clone, Copy)]
pub(super) struct Placed {
    pub field: FieldId,
    pub area: Rect,
    place: Place,
}

/// What follows a field's value: its message (true: an error), the name of the person a uid
/// field names, or the optional marker.
fn note(form: &Form, field: FieldId, people: &People) -> Option<(String, bool)> {
    if let Some(message) = form.message(field) {
        return Some((format!("  ✗ {message}"), true));
    }
    let value = form.value(field).trim();
    if let Some(name) = people.name_for(field, value) {
        return Some((format!("  {name}"), false));
    }
    (!field.required() && value.is_empty()).then(|| ("  (optional)".to_string(), false))
}

/// The columns a field's value takes when something is drawn beside it.
fn value_width(form: &Form, field: FieldId) -> usize {
    match field.kind() {
        Kind::Picker(_) => {
            let (value, unknown) = picker_text(form, field);
            Line::raw(value + unknown.unwrap_or_default()).width()
        }
        Kind::Text | Kind::LongText | Kind::Number => {
            let cursor = usize::from(form.focus() == field);
            Line::raw(form.value(field).replace('\n', "⏎")).width() + cursor
        }
    }
}

fn place(form: &Form, field: FieldId, values: usize, people: &People) -> Place {
    let Some((text, error)) = note(form, field, people) else {
        return Place::Alone;
    };
    if value_width(form, field) + Line::raw(text.as_str()).width() <= values {
        Place::Beside
    } else if error {
        let rows = Paragraph::new(text.trim_start())
            .wrap(Wrap { trim: true })
            .line_count(u16::try_from(values).unwrap_or(u16::MAX).max(1));
        Place::Under(u16::try_from(rows).unwrap_or(u16::MAX))
    } else {
        // "(optional)" is a hint: it goes when there is no room for it.
        Place::Alone
    }
}

/// Where the fields are drawn in the form's `area` (inside the border, under the summary
/// line) and the fields shown there with their rows: the focused field and its message stay
/// on screen when the terminal is short. Clicks are placed by the same numbers (`ui::hit`).
pub(super) fn fields_window(form: &Form, area: Rect, people: &People) -> (Rect, Vec<Placed>) {
    let inner = Block::new().borders(Borders::ALL).inner(area);
    let [_, fields] = Layout::vertical([Constraint::Length(1), Constraint::Min(1)]).areas(inner);
    let values = usize::from(fields.width).saturating_sub(LABEL);
    let places: Vec<Place> = FieldId::ALL
        .iter()
        .map(|f| place(form, *f, values, people))
        .collect();
    let rows = |p: &Place| match p {
        Place::Under(n) => 1 + *n,
        Place::Alone | Place::Beside => 1,
    };
    // The first field shown: as far back as still leaves the focused one whole.
    let focus = form.focus().index();
    let mut first = focus;
    let mut used = rows(&places[focus]);
    while first > 0 && used + rows(&places[first - 1]) <= fields.height {
        first -= 1;
        used += rows(&places[first]);
    }
    let mut y = fields.y;
    let mut placed = Vec::new();
    for (field, place) in FieldId::ALL.iter().zip(&places).skip(first) {
        if y >= fields.bottom() {
            break;
        }
        let height = rows(place).min(fields.bottom() - y);
        placed.push(Placed {
            field: *field,
            area: Rect {
                y,
                height,
                ..fields
            },
            place: *place,
        });
        y += height;
    }
    (fields, placed)
}

fn render_summary(form: &Form, stage: Option<&Stage>, theme: &Theme, area: Rect, buf: &mut Buffer) {
    let line = match stage {
        Some(Stage::Checking { .. }) => Line::from(Span::styled(
            "Saving… (checking the server's copy)",
            theme.key,
        )),
        Some(Stage::Saving { .. }) => Line::from(Span::styled("Saving…", theme.key)),
        _ if !form.general_errors().is_empty() => {
            Line::from(Span::styled(form.general_errors().join("; "), theme.error))
        }
        _ => match form.broken().len() {
            0 if form.is_dirty() => Line::from(Span::styled("Ready to send: Ctrl-s", theme.ok)),
            0 => Line::from(Span::styled("No changes yet", theme.dim)),
            1 => Line::from(Span::styled("1 field needs fixing", theme.error)),
            n => Line::from(Span::styled(format!("{n} fields need fixing"), theme.error)),
        },
    };
    Paragraph::new(line).render(area, buf);
}

/// A picker's value as drawn, `◀ MISSED ▶`, and the note when the value is not one the
/// picker offers.
fn picker_text(form: &Form, field: FieldId) -> (String, Option<&'static str>) {
    let Kind::Picker(options) = field.kind() else {
        return (String::new(), None);
    };
    let value = form.value(field);
    let shown = if value.is_empty() { "—" } else { value };
    let unknown = (!options.contains(&value) && !value.is_empty())
        .then_some(" (unknown value, sent back as is)");
    (format!("◀ {shown} ▶"), unknown)
}

/// A field's line: its label (focus and changed markers), its value in `values` columns (or
/// just its own width when the message sits beside it), and the message when it fits there.
fn field_line<'a>(
    form: &Form,
    field: FieldId,
    values: usize,
    place: Place,
    theme: &Theme,
    people: &People,
) -> Line<'a> {
    let focused = form.focus() == field;
    let marker = if focused { "▶ " } else { "  " };
    let changed = if form.changed().contains(&field) {
        "*"
    } else {
        " "
    };
    let label_style = if focused { theme.key } else { theme.label };
    let mut spans = vec![Span::styled(
        format!("{marker}{:<20}{changed} ", field.name()),
        label_style,
    )];
    let width = if place == Place::Beside {
        value_width(form, field)
    } else {
        values
    };
    match field.kind() {
        Kind::Picker(_) => {
            let (value, unknown) = picker_text(form, field);
            let style = if focused {
                theme.selected
            } else {
                Style::new()
            };
            spans.push(Span::styled(value, style));
            if let Some(unknown) = unknown {
                spans.push(Span::styled(unknown, theme.notice));
            }
        }
        Kind::Text | Kind::LongText | Kind::Number => {
            let input = form.input(field);
            let shown: String = form.value(field).replace('\n', "⏎");
            // Unfocused fields show their start; the focused one follows its cursor.
            let scroll = if focused {
                input.visual_scroll(width.saturating_sub(1))
            } else {
                0
            };
            let visible: String = shown.chars().skip(scroll).collect();
            let visible = fit(&visible, width);
            if focused {
                // Draw the cursor as a reversed cell: rendering stays a pure function.
                let cursor = input.visual_cursor().saturating_sub(scroll);
                let chars: Vec<char> = visible.chars().collect();
                let before: String = chars.iter().take(cursor).collect();
                let at: String = chars.get(cursor).map_or(" ".to_string(), |c| c.to_string());
                let after: String = chars.iter().skip(cursor + 1).collect();
                spans.push(Span::styled(
                    before,
                    Style::new().add_modifier(Modifier::UNDERLINED),
                ));
                spans.push(Span::styled(
                    at,
                    Style::new().add_modifier(Modifier::REVERSED),
                ));
                spans.push(Span::styled(
                    after,
                    Style::new().add_modifier(Modifier::UNDERLINED),
                ));
                let pad = width.saturating_sub(chars.len().max(cursor + 1));
                spans.push(Span::styled(
                    " ".repeat(pad),
                    Style::new().add_modifier(Modifier::UNDERLINED),
                ));
            } else if place == Place::Beside {
                spans.push(Span::raw(visible));
            } else {
                spans.push(Span::raw(format!("{visible:<width$}")));
            }
        }
    }
    if place == Place::Beside
        && let Some((text, error)) = note(form, field, people)
    {
        spans.push(Span::styled(
            text,
            if error { theme.error } else { theme.dim },
        ));
    }
    Line::from(spans)
}

/// The open picker's options over the form, under the field's row at `y` (above it when
/// there is no room below), the option now set marked `●`, the highlighted one reversed.
fn render_picker_list(form: &Form, theme: &Theme, within: Rect, y: u16, buf: &mut Buffer) {
    let (Kind::Picker(options), Some(highlight)) = (form.focus().kind(), form.picker()) else {
        return;
    };
    let current = form.value(form.focus());
    let width = options.iter().map(|o| o.len()).max().unwrap_or(8) as u16 + 6;
    let wanted = options.len() as u16 + 2;
    let (below, above) = (within.bottom().saturating_sub(y + 1), y - within.y);
    let (top, height) = if wanted <= below || below >= above {
        (y + 1, wanted.min(below))
    } else {
        let height = wanted.min(above);
        (y - height, height)
    };
    let x = within.x + (LABEL as u16).min(within.width.saturating_sub(width));
    let area = Rect {
        x,
        y: top,
        width: width.min(within.right().saturating_sub(x)),
        height,
    };
    // Scrolled so the highlighted option is inside when the list is taller than the room.
    let rows = usize::from(height.saturating_sub(2));
    let skip = (highlight + 1).saturating_sub(rows);
    let lines: Vec<Line> = options
        .iter()
        .enumerate()
        .skip(skip)
        .map(|(i, o)| {
            let mark = if *o == current { "●" } else { " " };
            let style = if i == highlight {
                theme.selected
            } else {
                Style::new()
            };
            Line::from(Span::styled(
                format!(" {mark} {o:<w$} ", w = usize::from(width) - 6),
                style,
            ))
        })
        .collect();
    // The values to its right are cleared too: half a value beside the list reads as part
    // of it.
    Clear.render(
        Rect {
            width: within.right().saturating_sub(x),
            ..area
        },
        buf,
    );
    Paragraph::new(lines)
        .block(Block::new().borders(Borders::ALL).border_style(theme.key))
        .render(area, buf);
}

fn render_leave_question(theme: &Theme, area: Rect, buf: &mut Buffer) {
    super::prompt::dialog(
        " Unsent changes ",
        vec![Line::from("This edit has not been sent.")],
        Line::from(vec![
            Span::styled("k", theme.key),
            Span::raw(" keep as a draft and leave   "),
            Span::styled("d", theme.key),
            Span::raw(" discard   "),
            Span::raw("other keys: stay"),
        ]),
        theme,
        area,
        buf,
    );
}
