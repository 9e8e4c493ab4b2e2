//! Makes server-supplied text safe to draw: removes terminal escape sequences, control
//! characters and bidi overrides, so a hostile call summary cannot move the cursor, retitle the
//! window or reorder what staff read. Applied once, where text enters (the API layer).

use std::borrow::Cow;

/// Bidi embedding/override/isolate controls and marks that can reorder displayed text.
fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{061C}' | '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

fn is_unsafe(c: char) -> bool {
    (c.is_control() && c != '\n') || is_bidi_control(c)
}

/// Cleans `input`: escape sequences (ESC/CSI/OSC/DCS/APC/PM/SOS, 7-bit and C1 forms) are
/// dropped whole, tabs become a space, other control and bidi characters are dropped; newlines
/// are kept (use [`single_line`] where a line break makes no sense). Printable text — accents,
/// CJK, emoji — is untouched, and clean input is returned without copying.
pub fn clean(input: &str) -> Cow<'_, str> {
    if !input.chars().any(is_unsafe) {
        return Cow::Borrowed(input);
    }
    let mut out = String::with_capacity(input.len());
    let mut chars = input.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\u{1b}' => match chars.peek().copied() {
                Some('[') => {
                    chars.next();
                    skip_csi(&mut chars);
                }
                Some(']' | 'P' | '_' | '^' | 'X') => {
                    chars.next();
                    skip_string(&mut chars);
                }
                // Two-character escapes (ESC 7, ESC c, ESC ( B …): drop the next char too,
                // plus the charset designator's final byte.
                Some(n) if ('\u{20}'..='\u{7e}').contains(&n) => {
                    chars.next();
                    if matches!(n, '(' | ')' | '*' | '+' | '#' | '%' | ' ') {
                        chars.next();
                    }
                }
                _ => {}
            },
            '\u{9b}' => skip_csi(&mut chars),
            '\u{9d}' | '\u{90}' | '\u{9f}' | '\u{9e}' | '\u{98}' => skip_string(&mut chars),
            '\t' => out.push(' '),
            '\r' => {}
            c if is_unsafe(c) => {}
            c => out.push(c),
        }
    }
    Cow::Owned(out)
}

/// CSI: parameter and intermediate bytes up to a final byte in `@`..=`~`.
fn skip_csi(chars: &mut std::iter::Peekable<std::str::Chars<'_>>) {
    for c in chars.by_ref() {
        if ('\u{40}'..='\u{7e}').contains(&c) {
            break;
        }
        if !('\u{20}'..='\u{3f}').contains(&c) {
            // Not part of a CSI: the sequence was malformed; stop eating text.
            break;
        }
    }
}

/// OSC/DCS/APC/PM/SOS: everything up to BEL, ST (`ESC \`) or C1 ST.
fn skip_string(chars: &mut std::iter::Peekable<std::str::Chars<'_>>) {
    while let Some(c) = chars.next() {
        match c {
            '\u{7}' | '\u{9c}' => break,
            '\u{1b}' => {
                if chars.peek() == Some(&'\\') {
                    chars.next();
                }
                break;
            }
            _ => {}
        }
    }
}

/// For one-line places (table cells, the status bar): newlines become a space.
pub fn single_line(input: &str) -> Cow<'_, str> {
    if input.contains('\n') {
        Cow::Owned(input.replace('\n', " "))
    } else {
        Cow::Borrowed(input)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn removes_sequences_and_controls() {
        let cases = [
            ("plain", "plain"),
            ("a\u{1b}[31mred\u{1b}[0m", "ared"),
            ("t\u{1b}]0;evil title\u{7}x", "tx"),
            ("t\u{1b}]8;;http://x\u{1b}\\link\u{1b}]8;;\u{1b}\\", "tlink"),
            ("c1\u{9b}2Jcsi", "c1csi"),
            ("dcs\u{1b}Pq#0\u{1b}\\end", "dcsend"),
            ("bell\u{7}del\u{7f}", "belldel"),
            ("bi\u{202e}di\u{2066}x\u{2069}", "bidix"),
            ("tab\there", "tab here"),
            ("cr\r\nlf", "cr\nlf"),
            ("café 東京 🎉", "café 東京 🎉"),
            ("esc at end\u{1b}", "esc at end"),
        ];
        for (input, want) in cases {
            assert_eq!(clean(input), want, "input {input:?}");
        }
    }

    #[test]
    fn clean_input_is_borrowed() {
        assert!(matches!(clean("hello\nworld"), Cow::Borrowed(_)));
        assert_eq!(single_line("a\nb"), "a b");
    }
}
