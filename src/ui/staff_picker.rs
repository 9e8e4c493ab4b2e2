//! The names a staff picker offers (`console::app::StaffPicker`), drawn the same wherever one
//! is asked: "who is handling it?" and the filter bar's staff row.

use ratatui::style::Style;
use ratatui::text::{Line, Span};

use super::theme::Theme;
use crate::console::app::StaffPicker;
use crate::domain::people::People;

/// At most `shown` offered members around the highlight (which Enter picks), each with their
/// role and whether they left; "no one matches" when none does, and a line saying there are
/// more when they do not all fit.
pub(super) fn offered_lines<'a>(
    people: &People,
    picker: &StaffPicker,
    shown: usize,
    theme: &Theme,
) -> Vec<Line<'a>> {
    let found = picker.offered(people);
    let shown = shown.max(1);
    let first = picker.highlight.saturating_sub(shown - 1);
    let mut lines: Vec<Line> = found
        .iter()
        .enumerate()
        .skip(first)
        .take(shown)
        .map(|(i, staff)| {
            let style = if i == picker.highlight {
                theme.selected
            } else {
                Style::new()
            };
            let mut about = staff
                .role
                .as_deref()
                .map_or(String::new(), |r| format!("  {r}"));
            if !staff.active {
                about.push_str("  (former staff)");
            }
            Line::from(vec![
                Span::styled(format!("  {}", staff.name), style),
                Span::styled(about, theme.dim),
            ])
        })
        .collect();
    if found.is_empty() && !picker.typed().trim().is_empty() && picker.picked().is_none() {
        lines.push(Line::from(Span::styled("  no one matches", theme.notice)));
    } else if found.len() > shown {
        lines.push(Line::from(Span::styled("  … ↑/↓ for more", theme.dim)));
    }
    lines
}
