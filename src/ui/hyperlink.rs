//! OSC 8 links over text already drawn: each cell of the text gets its own open and close
//! sequence around its one character (a redraw that rewrites only some cells still writes
//! whole links, never a half-open one), under one `id` so the terminal treats them as one
//! link, and a forced width of one column (ratatui's `CellDiffOption::ForcedWidth`), so the
//! escape bytes never count as columns and the cells after it stay where they are. The
//! detail pane makes its phone numbers `tel:` links this way.

use std::num::NonZeroU16;

use ratatui::buffer::{Buffer, CellDiffOption};
use ratatui::layout::Rect;

/// Whether the terminal named by the environment (`env` reads a variable) takes OSC 8
/// links: every terminal but those that print unknown escapes as text (`TERM=dumb`, the
/// Linux console, no `TERM` at all). Those that do not know OSC 8 ignore it.
pub fn terminal_takes_links(env: &dyn Fn(&str) -> Option<String>) -> bool {
    let term = env("TERM").unwrap_or_default();
    !(term.is_empty() || term == "dumb" || term == "linux")
}

/// The `tel:` URI of a phone number as shown (`+1 415-555-0148` → `tel:+14155550148`): its
/// digits, after a leading `+`; `None` for text with fewer than 3 digits.
pub fn tel_uri(number: &str) -> Option<String> {
    let trimmed = number.trim();
    let digits: String = trimmed.chars().filter(char::is_ascii_digit).collect();
    if digits.len() < 3 {
        return None;
    }
    let plus = if trimmed.starts_with('+') { "+" } else { "" };
    Some(format!("tel:{plus}{digits}"))
}

/// Makes every whole occurrence of `text` drawn in `area` a link to `uri`. Only ASCII text
/// (one character per cell) is linked; a `uri` holding anything but URI characters is
/// refused (it could end the sequence early).
pub fn link_text(buf: &mut Buffer, area: Rect, text: &str, uri: &str) {
    let safe_uri = uri.bytes().all(|b| b.is_ascii_graphic());
    if text.is_empty() || !text.is_ascii() || !safe_uri {
        return;
    }
    let area = area.intersection(buf.area);
    let wanted: Vec<String> = text.chars().map(String::from).collect();
    let len = u16::try_from(wanted.len()).unwrap_or(u16::MAX);
    let id: String = uri.chars().filter(char::is_ascii_alphanumeric).collect();
    for y in area.top()..area.bottom() {
        let mut x = area.left();
        while x.saturating_add(len) <= area.right() {
            let here = (0..len).all(|i| buf[(x + i, y)].symbol() == wanted[usize::from(i)]);
            // A longer number that merely contains this one is not it.
            let digit_at = |x: u16| {
                (area.left()..area.right()).contains(&x)
                    && buf[(x, y)].symbol().chars().all(|c| c.is_ascii_digit())
            };
            let whole = x == area.left() || !digit_at(x - 1);
            if here && whole && !digit_at(x + len) {
                for i in 0..len {
                    let cell = &mut buf[(x + i, y)];
                    let linked =
                        format!("\x1b]8;id={id};{uri}\x1b\\{}\x1b]8;;\x1b\\", cell.symbol());
                    cell.set_symbol(&linked);
                    cell.set_diff_option(CellDiffOption::ForcedWidth(NonZeroU16::MIN));
                }
                x += len;
            } else {
                x += 1;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ratatui::widgets::{Paragraph, Widget};

    #[test]
    fn numbers_become_tel_uris_of_their_digits() {
        assert_eq!(tel_uri("+14155550148").as_deref(), Some("tel:+14155550148"));
        assert_eq!(
            tel_uri(" +1 (415) 555-0148").as_deref(),
            Some("tel:+14155550148")
        );
        assert_eq!(tel_uri("0201234567").as_deref(), Some("tel:0201234567"));
        assert_eq!(tel_uri("—"), None);
    }

    #[test]
    fn only_real_terminals_take_links() {
        let with = |term: &'static str| move |k: &str| (k == "TERM").then(|| term.to_string());
        assert!(terminal_takes_links(&with("xterm-256color")));
        assert!(!terminal_takes_links(&with("dumb")));
        assert!(!terminal_takes_links(&with("linux")));
        assert!(!terminal_takes_links(&|_| None));
    }

    #[test]
    fn each_cell_is_a_whole_link_one_column_wide_and_the_rest_stays_in_place() {
        let area = Rect::new(0, 0, 30, 2);
        let mut plain = Buffer::empty(area);
        Paragraph::new("from +14155550148 ok\n+141555501489").render(area, &mut plain);
        let mut linked = plain.clone();
        link_text(&mut linked, area, "+14155550148", "tel:+14155550148");
        let cell = |b: &Buffer, x| b[(x, 0)].symbol().to_string();
        assert_eq!(cell(&linked, 4), " ");
        assert_eq!(
            cell(&linked, 5),
            "\x1b]8;id=tel14155550148;tel:+14155550148\x1b\\+\x1b]8;;\x1b\\"
        );
        assert_eq!(
            cell(&linked, 16),
            "\x1b]8;id=tel14155550148;tel:+14155550148\x1b\\8\x1b]8;;\x1b\\"
        );
        assert_eq!(cell(&linked, 18), "o", "the text after it is where it was");
        // The longer number on the next line is not this one.
        assert_eq!(linked[(0, 1)].symbol(), "+");
        // Drawn over the plain frame, exactly the number's 12 cells are written, each one
        // column: the diff skips nothing after them.
        let diff = plain.diff(&linked);
        let xs: Vec<u16> = diff.iter().map(|(x, _, _)| *x).collect();
        assert_eq!(xs, (5..17).collect::<Vec<_>>());
        // And from a blank screen the text after it is written too, at its own columns.
        let blank = Buffer::empty(area);
        let written: Vec<(u16, String)> = blank
            .diff(&linked)
            .iter()
            .filter(|(_, y, _)| *y == 0)
            .map(|(x, _, c)| (*x, c.symbol().to_string()))
            .collect();
        assert!(written.contains(&(18, "o".to_string())), "{written:?}");
        assert!(written.contains(&(19, "k".to_string())), "{written:?}");
    }
}
