//! Questions shown over the screen: a waiting draft, and whose name goes in "handled by".

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph, Widget, Wrap};

use super::theme::Theme;
use crate::console::app::{App, Prompt};

pub fn render(app: &App, prompt: &Prompt, theme: &Theme, area: Rect, buf: &mut Buffer) {
    let (title, lines) = match prompt {
        Prompt::Draft { uid } => {
            let saved = app.drafts().get(uid).map_or("", |d| d.saved_at.as_str());
            (
                " Unsent edit waiting ",
                vec![
                    Line::from(format!(
                        "An edit of call {uid} was not sent (saved {saved})."
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
        Prompt::StaffUid { input } => (
            " Who is handling it? ",
            vec![
                Line::from("Your staff uid, for \"handled by\" (asked once per session):"),
                Line::from(Span::styled(format!("{}▏", input.value()), theme.key)),
                Line::from(Span::styled(
                    "Enter confirms · Esc cancels · set staff_uid in config.toml to skip this",
                    theme.dim,
                )),
            ],
        ),
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
        Prompt::ConfirmBatch { batch } => {
            let n = batch.items.len();
            let change = match batch.kind {
                crate::console::app::BatchKind::Handled => format!(
                    "status → MISSED_CALL_HANDLED, handled by {}",
                    app.session().config.staff_uid.as_deref().unwrap_or("you")
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
    let width = 76.min(area.width);
    let height = (lines.len() as u16 + 2).min(area.height);
    let popup = Rect {
        x: area.x + (area.width - width) / 2,
        y: area.y + area.height.saturating_sub(height) / 2,
        width,
        height,
    };
    Clear.render(popup, buf);
    Paragraph::new(lines)
        .wrap(Wrap { trim: false })
        .block(
            Block::new()
                .borders(Borders::ALL)
                .border_style(theme.border)
                .title(Span::styled(title, theme.title)),
        )
        .render(popup, buf);
}
