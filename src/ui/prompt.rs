//! Questions shown over the screen (a waiting draft, whose name goes in "handled by", the
//! fields the server did not send, a change to many calls) and the box every dialog is drawn
//! in.

use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph, Widget, Wrap};

use super::theme::Theme;
use crate::console::app::{App, Prompt, StaffPicker};

pub fn render(app: &App, prompt: &Prompt, theme: &Theme, area: Rect, buf: &mut Buffer) {
    let (title, lines) = match prompt {
        Prompt::Outcome(ask) => return super::outcome_prompt::render(ask, theme, area, buf),
        Prompt::Draft { uid } => {
            let saved = app.drafts().get(uid).map_or(String::new(), |d| {
                super::format::spoken_time(&d.saved_at, app.now(), app.zone())
            });
            (
                " Unsent edit waiting ",
                vec![
                    Line::from(format!(
                        "An edit of {} was not sent (saved {saved}).",
                        app.call_words(uid)
                    )),
                    Line::default(),
                    Line::from(vec![
                        Span::styled("r", theme.key),
                        Span::raw(" restore it in the form   "),
                        Span::styled("d", theme.key),
                        Span::raw(" discard it   "),
                        Span::styled("Esc", theme.key),
                        Span::raw(" decide later"),
                    ]),
                ],
            )
        }
        Prompt::StaffUid { picker } => (" Who is handling it? ", staff_lines(app, picker, theme)),
        Prompt::FillIn {
            fields,
            inputs,
            focus,
            error,
            applies_to,
        } => {
            let n = applies_to.len();
            let shown: Vec<&str> = applies_to.iter().take(3).map(String::as_str).collect();
            let more = if n > 3 {
                format!(" and {} more", n - 3)
            } else {
                String::new()
            };
            let mut lines = vec![
                Line::from("The API does not send these fields back, but an update needs them."),
                Line::from(format!(
                    "Used only for the {n} call{} that lack them (kept for this session):",
                    if n == 1 { "" } else { "s" }
                )),
                Line::from(Span::styled(
                    format!("{}{more}", shown.join(", ")),
                    theme.dim,
                )),
                Line::default(),
            ];
            for (i, (f, input)) in fields.iter().zip(inputs).enumerate() {
                let style = if i == *focus { theme.key } else { theme.dim };
                let cursor = if i == *focus { "▏" } else { "" };
                lines.push(Line::from(vec![
                    Span::raw(format!("{:>14}  ", f.name())),
                    Span::styled(format!("{}{cursor}", input.value()), style),
                ]));
            }
            lines.push(Line::default());
            if let Some(e) = error {
                lines.push(Line::from(Span::styled(e.clone(), theme.error)));
            }
            lines.push(Line::from(Span::styled(
                "Tab next · Enter send · Esc cancel · [defaults] in config.toml skips this",
                theme.dim,
            )));
            (" Fields the server did not send ", lines)
        }
        Prompt::ConfirmReturned { uids } => {
            let n = uids.len();
            let mut lines = vec![Line::from(if n == 1 {
                "Mark 1 call that looks returned handled?".to_string()
            } else {
                format!("Mark {n} calls that look returned handled?")
            })];
            lines.extend(
                uids.iter()
                    .take(3)
                    .map(|uid| Line::from(Span::styled(returned_line(app, uid), theme.dim))),
            );
            if n > 3 {
                lines.push(Line::from(Span::styled(
                    format!("  and {} more", n - 3),
                    theme.dim,
                )));
            }
            lines.push(Line::from(
                "Each is checked first; a call someone else changed is skipped.",
            ));
            lines.push(Line::default());
            lines.push(Line::from(vec![
                Span::styled("y", theme.key),
                Span::raw(" / Enter mark them handled   "),
                Span::styled("n", theme.key),
                Span::raw(" / Esc cancel"),
            ]));
            (" Already returned? ", lines)
        }
        Prompt::QuitUnsaved { edits, why } => (
            " Quit with an unsaved edit? ",
            vec![
                Line::from(if *edits == 1 {
                    "1 edit could not be saved as a draft and would be lost.".to_string()
                } else {
                    format!("{edits} edits could not be saved as drafts and would be lost.")
                }),
                Line::from(format!("Why: {why}")),
                Line::from("Quitting prints them on the terminal, as JSON for `calls update`."),
                Line::default(),
                Line::from(vec![
                    Span::styled("y", theme.key),
                    Span::raw(" / Enter quit and print   "),
                    Span::styled("n", theme.key),
                    Span::raw(" / Esc stay"),
                ]),
            ],
        ),
        Prompt::ConfirmBatch { batch } => {
            let n = batch.items.len();
            let change = match batch.kind {
                crate::console::app::BatchKind::Handled => format!(
                    "status → MISSED_CALL_HANDLED, handled by {}",
                    app.session()
                        .config
                        .staff_uid
                        .as_deref()
                        .map_or("you", |uid| app.people().staff_label(uid))
                ),
                crate::console::app::BatchKind::Undo => {
                    "each call back as it was before".to_string()
                }
            };
            (
                " Change many calls? ",
                vec![
                    Line::from(format!("{n} calls will change: {change}.")),
                    Line::from("Each is checked first; a call someone else changed is skipped."),
                    Line::default(),
                    Line::from(vec![
                        Span::styled("y", theme.key),
                        Span::raw(" / Enter go ahead   "),
                        Span::styled("n", theme.key),
                        Span::raw(" / Esc cancel"),
                    ]),
                ],
            )
        }
    };
    // Every prompt's last line is its keys.
    let mut lines = lines;
    let keys = lines.pop().unwrap_or_default();
    dialog(title, lines, keys, theme, area, buf);
}

/// A box in the middle of `area` holding `body` and, on its last line inside, `keys`. Its
/// height comes from the text as wrapped at the box's width, so a long first line takes two
/// rows instead of pushing the keys out; when the screen is too short, the body gives way and
/// the keys stay.
pub(super) fn dialog(
    title: &str,
    body: Vec<Line<'_>>,
    keys: Line<'_>,
    theme: &Theme,
    area: Rect,
    buf: &mut Buffer,
) {
    let body = Paragraph::new(body).wrap(Wrap { trim: false });
    let keys = Paragraph::new(keys).wrap(Wrap { trim: false });
    // As wide as its longest line (and title) needs, at most 76 columns and the screen.
    let widest = body
        .line_width()
        .max(keys.line_width())
        .max(Line::raw(title).width() + 2);
    let width = u16::try_from(widest + 2)
        .unwrap_or(u16::MAX)
        .min(76)
        .min(area.width);
    let text_width = width.saturating_sub(2).max(1);
    let rows = |p: &Paragraph| u16::try_from(p.line_count(text_width)).unwrap_or(u16::MAX);
    let (body_rows, key_rows) = (rows(&body), rows(&keys));
    let height = body_rows
        .saturating_add(key_rows)
        .saturating_add(2)
        .min(area.height);
    let popup = Rect {
        x: area.x + (area.width - width) / 2,
        y: area.y + area.height.saturating_sub(height) / 2,
        width,
        height,
    };
    Clear.render(popup, buf);
    let block = Block::new()
        .borders(Borders::ALL)
        .border_style(theme.border)
        .title(Span::styled(title, theme.title));
    let inner = block.inner(popup);
    block.render(popup, buf);
    let [body_area, keys_area] = Layout::vertical([
        Constraint::Fill(1),
        Constraint::Length(key_rows.min(inner.height)),
    ])
    .areas(inner);
    body.render(body_area, buf);
    keys.render(keys_area, buf);
}

/// "Who is handling it?": the roster filtered by what is typed, the highlighted one picked by
/// Enter; a uid typed when there is no roster.
fn staff_lines<'a>(app: &App, picker: &StaffPicker, theme: &Theme) -> Vec<Line<'a>> {
    let footer = |text: &'static str| Line::from(Span::styled(text, theme.dim));
    let typed = picker.typed();
    if !StaffPicker::by_name(app.people()) {
        return vec![
            Line::from("Your staff uid, for \"handled by\" (asked once per session):"),
            Line::from(Span::styled(format!("{typed}▏"), theme.key)),
            footer("Enter confirms · Esc cancels · set staff_uid in config.toml to skip this"),
        ];
    }
    let mut lines = vec![
        Line::from("Who goes in \"handled by\"? Type part of a name:"),
        Line::from(Span::styled(format!("{typed}▏"), theme.key)),
    ];
    lines.extend(super::staff_picker::offered_lines(
        app.people(),
        picker,
        6,
        theme,
    ));
    lines.push(footer(
        "Enter picks · ↑/↓ move · Esc cancels · or set staff_uid in config.toml",
    ));
    lines
}

/// One call of "Already returned?": who it was with and what looks like its return.
fn returned_line(app: &App, uid: &str) -> String {
    let call = app.store().by_uid(uid);
    let who = call
        .and_then(|c| app.people().client_label(c))
        .unwrap_or("a caller");
    let why = call
        .and_then(|c| app.returned_flag(c))
        .map(|f| f.what(app.people(), app.now(), app.zone()))
        .unwrap_or_default();
    crate::domain::sanitize::single_line(&format!("  {who} — {why}")).into_owned()
}
