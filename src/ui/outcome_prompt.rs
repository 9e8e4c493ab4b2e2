//! The outcome question `c` opens: who is being called, the three outcomes with their keys
//! (the chosen one marked), the note being typed, what is wrong when recording was refused,
//! and the keys.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};

use super::theme::Theme;
use crate::console::app::OutcomeAsk;
use crate::domain::callback::Outcome;
use crate::domain::sanitize::single_line;

/// The outcomes in the order the question offers them, with their keys.
const CHOICES: [(char, Outcome); 3] = [
    ('r', Outcome::Reached),
    ('v', Outcome::Voicemail),
    ('n', Outcome::NoAnswer),
];

pub fn render(ask: &OutcomeAsk, theme: &Theme, area: Rect, buf: &mut Buffer) {
    let who = single_line(&ask.who).into_owned();
    let mut lines = vec![
        Line::from(format!("Calling {who}. How did it go?")),
        Line::default(),
    ];
    let mut choices = Vec::new();
    for (key, outcome) in CHOICES {
        let chosen = ask.choice == Some(outcome);
        let focus = !ask.in_note;
        choices.push(Span::raw(if chosen { "▸" } else { " " }));
        choices.push(Span::styled(key.to_string(), theme.key));
        let label = format!(" {}  ", outcome.label());
        choices.push(if chosen {
            Span::styled(label, theme.selected)
        } else if focus {
            Span::raw(label)
        } else {
            Span::styled(label, theme.dim)
        });
    }
    lines.push(Line::from(choices));
    let note = single_line(ask.note.value()).into_owned();
    let note_line = if ask.in_note {
        Span::styled(format!("{note}▏"), theme.key)
    } else if note.is_empty() {
        Span::styled("(optional — Tab to type one)", theme.dim)
    } else {
        Span::raw(note)
    };
    lines.push(Line::from(vec![Span::raw(" Note: "), note_line]));
    if let Some(error) = &ask.error {
        lines.push(Line::default());
        lines.push(Line::from(Span::styled(
            single_line(error).into_owned(),
            theme.error,
        )));
    }
    let keys = Line::from(vec![
        Span::styled("r/v/n", theme.key),
        Span::raw(" choose · "),
        Span::styled("Tab", theme.key),
        Span::raw(" note · "),
        Span::styled("Enter", theme.key),
        Span::raw(" record · "),
        Span::styled("Esc", theme.key),
        Span::raw(" later"),
    ]);
    super::prompt::dialog(" How did the call-back go? ", lines, keys, theme, area, buf);
}
