//! The client panel at the top of the detail pane: who the call was with (name, phone, email,
//! status) and their other calls, newest first, each with its status and who handled it.

use ratatui::text::{Line, Span};

use super::format;
use super::list::{direction_label, status_label};
use super::theme::Theme;
use crate::api::CallFields;
use crate::console::app::{App, Calls, Card, ClientPanel};
use crate::console::keys::Action;
use crate::domain::caller::{Caller, OTHER_CALLS};

/// Columns before a call's handler: indent, time, direction, status.
const ROW_START: usize = 2 + 13 + 4 + 15;

/// The panel's lines, a blank line after; none when the app has no panel for the call. A
/// call's row is cut to `width` (the pane's inside), so it stays one line.
pub fn lines(app: &App, theme: &Theme, width: usize) -> Vec<Line<'static>> {
    let Some(panel) = app.client_panel() else {
        return Vec::new();
    };
    let spinner = ["⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧"][app.spinner_frame() % 8];
    let field = |label: &'static str, value: Span<'static>| {
        Line::from(vec![
            Span::styled(format!("{label:<20}"), theme.label),
            value,
        ])
    };
    let mut out = vec![Line::from(Span::styled("Client", theme.header))];
    out.extend(card_lines(&panel, theme, spinner, &field));
    out.push(Line::from(Span::styled(
        match &panel.caller {
            Caller::Client(_) => "Other calls with this client, newest first".to_string(),
            Caller::Number(n) => format!("Other calls from {n}, newest first"),
        },
        theme.header,
    )));
    let (now, zone) = (app.now(), app.zone());
    match panel.calls {
        Calls::Loading => out.push(Line::from(Span::styled(
            format!("  {spinner} loading…"),
            theme.dim,
        ))),
        Calls::Failed(e) => out.push(Line::from(Span::styled(
            format!(
                "  could not be loaded: {e} · {} tries again",
                app.session().config.keys.hint(Action::Refresh)
            ),
            theme.error,
        ))),
        Calls::Loaded { calls, .. } if calls.is_empty() => {
            out.push(Line::from(Span::styled("  no other calls", theme.dim)));
        }
        Calls::Loaded { calls, more } => {
            for call in &calls {
                let when = format::list_time_as(call.created(), now, zone, false);
                let (status, kind) = status_label(call.status());
                let mut spans = vec![
                    Span::styled(format!("  {when:<12} "), theme.dim),
                    Span::raw(format!("{:<3} ", direction_label(call))),
                    Span::styled(format!("{status:<14} "), theme.status(kind)),
                ];
                if let Some(handler) = app.people().handler_label(call) {
                    let room = width.saturating_sub(ROW_START);
                    spans.push(Span::raw(format::fit(&format!("by {handler}"), room)));
                }
                out.push(Line::from(spans));
            }
            if more {
                out.push(Line::from(Span::styled(
                    format!("  … the newest {OTHER_CALLS} are listed"),
                    theme.dim,
                )));
            }
        }
    }
    out.push(Line::default());
    out.push(Line::from(Span::styled("Call", theme.header)));
    out
}

/// Name, phone, email and status, or what is known instead.
fn card_lines(
    panel: &ClientPanel<'_>,
    theme: &Theme,
    spinner: &str,
    field: &dyn Fn(&'static str, Span<'static>) -> Line<'static>,
) -> Vec<Line<'static>> {
    let number = match &panel.caller {
        Caller::Number(n) => Some(n.clone()),
        Caller::Client(_) => None,
    };
    let dim = |text: String| Span::styled(text, theme.dim);
    let name = match panel.card {
        Card::Known(card) => {
            let value = |v: &Option<String>| v.clone().map_or_else(|| dim("—".into()), Span::raw);
            let phone = card.phone.clone().or(number);
            return vec![
                field(
                    "name",
                    card.name.clone().map_or_else(
                        || dim("— (no name on record)".into()),
                        |n| Span::styled(n, theme.title),
                    ),
                ),
                field("phone", value(&phone)),
                field("email", value(&card.email)),
                field("status", value(&card.status)),
            ];
        }
        Card::Pending => dim(format!("{spinner} looking up…")),
        Card::NotFound => dim("no client has this number".into()),
        Card::Failed(e) => Span::styled(format!("could not be looked up: {e}"), theme.error),
        Card::Off => dim("client names are off for this session".into()),
    };
    let mut out = vec![field("name", name)];
    if let Some(n) = number {
        out.push(field("phone", Span::raw(n)));
    }
    out
}
