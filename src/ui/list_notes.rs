//! What the list's summary column says about calling a waiting caller back, before the
//! summary: "tried 2×, last 10:42 (no answer)", "looks returned (outbound 10:42 by Grace)".

use ratatui::text::{Line, Span};
use ratatui::widgets::Cell;

use super::format;
use crate::api::CallFields;
use crate::console::app::App;
use crate::domain::calls::PackedCall;
use crate::domain::sanitize::single_line;
use crate::ui::theme::Theme;

/// A waiting call whose caller was called back since it came: "tried 2×, last 10:42 (no
/// answer)" before its summary.
pub(super) fn tried_cell<'a>(
    call: &PackedCall,
    app: &App,
    width: usize,
    theme: &Theme,
) -> Option<Cell<'a>> {
    let tried = app.tries_at(call)?.describe(app.now(), app.zone());
    Some(noted_summary(
        format::fit(&tried, width),
        call,
        width,
        theme,
    ))
}

/// The summary cell of a call that looks returned: the flag before the summary, in the
/// longest wording that fits (`looks returned (outbound 10:42 by Grace)`, `↩ out 10:42`).
pub(super) fn returned_summary<'a>(
    app: &App,
    flag: &crate::domain::returned::Flag,
    call: &PackedCall,
    width: usize,
    theme: &Theme,
) -> Cell<'a> {
    let long = single_line(&app.returned_text(flag)).into_owned();
    let short = format!("↩ {}", flag.short(app.now(), app.zone()));
    let shown = [long, short]
        .into_iter()
        .find(|t| format::width(t) <= width)
        .unwrap_or_else(|| "↩".to_string());
    noted_summary(shown, call, width, theme)
}

/// A note about a waiting call (already fitted to `width`), then as much of its summary as
/// fits after it.
fn noted_summary<'a>(note: String, call: &PackedCall, width: usize, theme: &Theme) -> Cell<'a> {
    let room = width.saturating_sub(format::width(&note) + 3);
    let mut spans = vec![Span::styled(note, theme.notice)];
    if let Some(summary) = call.call_summary().filter(|s| !s.is_empty())
        && room >= 8
    {
        spans.push(Span::styled(
            format!(" · {}", format::fit(&single_line(summary), room)),
            theme.dim,
        ));
    }
    Cell::from(Line::from(spans))
}
