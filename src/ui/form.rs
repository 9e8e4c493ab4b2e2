//! The edit form: one line per field (label, value, the message when broken), a summary line,
//! the picker list, the leave question and the conflict view.

use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph, Widget};

use super::format::fit;
use super::theme::Theme;
use crate::console::app::{App, Stage};
use crate::console::form::Form;
use crate::domain::fields::{self, FieldId, Kind};

const LABEL: usize = 24;

pub fn render(app: &App, form: &Form, theme: &Theme, area: Rect, buf: &mut Buffer) {
    let stage = app
        .submission()
        .filter(|s| s.uid == form.uid())
        .map(|s| &s.stage);
    if let Some(Stage::Conflict { theirs }) = stage {
        return render_conflict(form, theirs, theme, area, buf);
    }
    let block = Block::new()
        .borders(Borders::ALL)
        .border_style(theme.border)
        .title(Span::styled(
            format!(" Edit call {} ", form.uid()),
            theme.title,
        ))
        .title_bottom(Span::styled(
            " Tab/↑↓ move · ←→ or Enter pick · Ctrl-o $EDITOR · Ctrl-s send · Esc leave ",
            theme.dim,
        ));
    let inner = block.inner(area);
    block.render(area, buf);
    let [summary, _] = Layout::vertical([Constraint::Length(1), Constraint::Min(1)]).areas(inner);
    render_summary(form, stage, theme, summary, buf);

    let (fields_area, first) = fields_window(form, area);
    let height = usize::from(fields_area.height.max(1));
    // Leave room for a whole message beside the value; the value scrolls instead.
    let value_width = usize::from(fields_area.width)
        .saturating_sub(LABEL + 2 + 62)
        .clamp(16, 48);
    for (row, field) in FieldId::ALL.iter().skip(first).take(height).enumerate() {
        let y = fields_area.y + row as u16;
        let line_area = Rect {
            y,
            height: 1,
            ..fields_area
        };
        field_line(form, *field, value_width, theme).render(line_area, buf);
        if form.focus() == *field && form.picker().is_some() {
            render_picker_list(form, *field, theme, fields_area, y, buf);
        }
    }
    if form.leaving() {
        render_leave_question(theme, area, buf);
    }
}

/// Where the fields are drawn in the form's `area` (inside the border, under the summary
/// line) and the first one shown: the focused field stays on screen when the terminal is short.
/// Clicks are placed by the same numbers (`ui::hit`).
pub(super) fn fields_window(form: &Form, area: Rect) -> (Rect, usize) {
    let inner = Block::new().borders(Borders::ALL).inner(area);
    let [_, fields] = Layout::vertical([Constraint::Length(1), Constraint::Min(1)]).areas(inner);
    let height = usize::from(fields.height.max(1));
    (fields, form.focus().index().saturating_sub(height - 1))
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

fn field_line<'a>(form: &Form, field: FieldId, width: usize, theme: &Theme) -> Line<'a> {
    let focused = form.focus() == field;
    let marker = if focused { "▶ " } else { "  " };
    let label = format!("{marker}{}", field.name());
    let label_style = if focused { theme.key } else { theme.label };
    let mut spans = vec![Span::styled(format!("{label:<LABEL$}"), label_style)];
    let value = form.value(field);
    match field.kind() {
        Kind::Picker(options) => {
            let known = options.contains(&value);
            let shown = if value.is_empty() {
                "—".to_string()
            } else {
                value.to_string()
            };
            let style = if focused {
                theme.selected
            } else {
                Style::new()
            };
            spans.push(Span::styled(format!("◀ {shown} ▶"), style));
            if !known && !value.is_empty() {
                spans.push(Span::styled(
                    " (unknown value, sent back as is)",
                    theme.notice,
                ));
            }
        }
        Kind::Text | Kind::LongText | Kind::Number => {
            let input = form.input(field);
            let shown: String = value.replace('\n', "⏎");
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
            } else {
                spans.push(Span::raw(format!("{visible:<width$}")));
            }
        }
    }
    if let Some(message) = form.message(field) {
        spans.push(Span::styled(format!("  ✗ {message}"), theme.error));
    } else if !field.required() && value.is_empty() {
        spans.push(Span::styled("  (optional)", theme.dim));
    }
    Line::from(spans)
}

fn render_picker_list(
    form: &Form,
    field: FieldId,
    theme: &Theme,
    within: Rect,
    y: u16,
    buf: &mut Buffer,
) {
    let (Kind::Picker(options), Some(highlight)) = (field.kind(), form.picker()) else {
        return;
    };
    let width = options.iter().map(|o| o.len()).max().unwrap_or(8) as u16 + 4;
    let height = options.len() as u16 + 2;
    let top = if y + 1 + height <= within.bottom() {
        y + 1
    } else {
        y.saturating_sub(height)
    };
    let area = Rect {
        x: within.x + LABEL as u16,
        y: top.max(within.y),
        width: width.min(within.width.saturating_sub(LABEL as u16)),
        height: height.min(within.height),
    };
    Clear.render(area, buf);
    let lines: Vec<Line> = options
        .iter()
        .enumerate()
        .map(|(i, o)| {
            let style = if i == highlight {
                theme.selected
            } else {
                Style::new()
            };
            Line::from(Span::styled(format!(" {o} "), style))
        })
        .collect();
    Paragraph::new(lines)
        .block(
            Block::new()
                .borders(Borders::ALL)
                .border_style(theme.border),
        )
        .render(area, buf);
}

fn render_leave_question(theme: &Theme, area: Rect, buf: &mut Buffer) {
    let text = " Unsent changes. k: keep them as a draft and leave · d: discard them · any other key: stay ";
    let width = (text.chars().count() as u16 + 2).min(area.width);
    let popup = Rect {
        x: area.x + (area.width.saturating_sub(width)) / 2,
        y: area.y + area.height / 2,
        width,
        height: 3.min(area.height),
    };
    Clear.render(popup, buf);
    Paragraph::new(Span::styled(text, theme.notice))
        .block(
            Block::new()
                .borders(Borders::ALL)
                .border_style(theme.border),
        )
        .render(popup, buf);
}

fn render_conflict(
    form: &Form,
    theirs: &crate::api::VoiceCall,
    theme: &Theme,
    area: Rect,
    buf: &mut Buffer,
) {
    let block = Block::new()
        .borders(Borders::ALL)
        .border_style(theme.error)
        .title(Span::styled(
            " Someone else changed this call — nothing was sent ",
            theme.error,
        ))
        .title_bottom(Span::styled(
            " r: reload theirs, keep my edits on top · o: overwrite with mine · c/Esc: cancel ",
            theme.key,
        ));
    let (their_values, _) = fields::prefill(theirs);
    let col = usize::from(area.width.saturating_sub(LABEL as u16 + 6) / 2).max(8);
    let mut lines = vec![Line::from(Span::styled(
        format!(
            "{:<LABEL$}{:<col$}  {}",
            "field", "theirs (server now)", "mine"
        ),
        theme.header,
    ))];
    for field in FieldId::ALL {
        let theirs = their_values.get(&field).map(String::as_str).unwrap_or("");
        let mine = form.value(field);
        if theirs == mine {
            continue;
        }
        lines.push(Line::from(vec![
            Span::styled(format!("{:<LABEL$}", field.name()), theme.label),
            Span::raw(format!("{:<col$}  ", fit(&theirs.replace('\n', "⏎"), col))),
            Span::styled(fit(&mine.replace('\n', "⏎"), col), theme.key),
        ]));
    }
    if lines.len() == 1 {
        lines.push(Line::from(
            "(the values are the same; only the server's timestamp moved)",
        ));
    }
    Paragraph::new(lines).block(block).render(area, buf);
}
