//! Makes server-supplied text safe to draw: removes terminal escape sequences, control
//! characters and bidi overrides, so a hostile call summary cannot move the cursor, retitle the
//! window, write the clipboard (OSC 52) or reorder what staff read. Applied once, where text
//! enters (the API layer); [`single_line`] then folds line breaks for one-line places.

use std::borrow::Cow;
use std::iter::Peekable;
use std::str::Chars;

/// Bidi embedding/override/isolate controls and marks that can reorder displayed text.
fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{061C}' | '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
}

/// True for what [`clean`] never lets through: C0 (except newline), DEL, C1 and bidi controls.
pub fn is_unsafe(c: char) -> bool {
    (c.is_control() && c != '\n') || is_bidi_control(c)
}

/// Cleans `input`: escape sequences (ESC/CSI/OSC/DCS/APC/PM/SOS, 7-bit and C1 forms) are
/// dropped whole, tabs become a space, other control and bidi characters are dropped; newlines
/// are kept (use [`single_line`] where a line break makes no sense). Printable text — accents,
/// CJK, emoji — is untouched, and clean input is returned without copying. The output never
/// holds a character for which [`is_unsafe`] is true, so cleaning twice changes nothing.
pub fn clean(input: &str) -> Cow<'_, str> {
    // Printable ASCII (the usual case) is checked bytes at a time, without decoding chars.
    if printable_ascii(input.as_bytes()) || !input.chars().any(is_unsafe) {
        return Cow::Borrowed(input);
    }
    let mut out = String::with_capacity(input.len());
    let mut chars = input.chars().peekable();
    // Set when a string sequence ended on an ESC that was not ST: that ESC (already read)
    // starts the next sequence. A flag rather than recursion, so hostile nesting cannot
    // exhaust the stack.
    let mut pending_esc = false;
    loop {
        let c = if std::mem::take(&mut pending_esc) {
            '\u{1b}'
        } else {
            match chars.next() {
                Some(c) => c,
                None => break,
            }
        };
        match c {
            '\u{1b}' => match chars.peek().copied() {
                Some('[') => {
                    chars.next();
                    skip_csi(&mut chars);
                }
                Some(']' | 'P' | '_' | '^' | 'X') => {
                    chars.next();
                    pending_esc = skip_string(&mut chars);
                }
                // Two-character escapes (ESC 7, ESC c, ESC ( B …): drop the next char too,
                // plus a charset designator's final byte.
                Some(n) if ('\u{20}'..='\u{7e}').contains(&n) => {
                    chars.next();
                    if matches!(n, '(' | ')' | '*' | '+' | '-' | '.' | '/' | '#' | '%' | ' ') {
                        chars.next_if(|c| ('\u{20}'..='\u{7e}').contains(c));
                    }
                }
                _ => {}
            },
            '\u{9b}' => skip_csi(&mut chars),
            '\u{9d}' | '\u{90}' | '\u{9f}' | '\u{9e}' | '\u{98}' => {
                pending_esc = skip_string(&mut chars);
            }
            '\t' => out.push(' '),
            c if is_unsafe(c) => {}
            c => out.push(c),
        }
    }
    Cow::Owned(out)
}

/// Whether every byte is printable ASCII or a newline. Each block of bytes is checked whole
/// (no early exit inside it), which the compiler turns into vector instructions: every text
/// of every call of a page passes here.
fn printable_ascii(bytes: &[u8]) -> bool {
    let printable = |b: u8| b.wrapping_sub(0x20) < 0x5f || b == b'\n';
    bytes
        .chunks(32)
        .all(|block| block.iter().fold(true, |all, &b| all & printable(b)))
}

/// CSI: parameter and intermediate bytes up to a final byte in `@`..=`~`. Anything else ends
/// a malformed sequence and is left for the caller, so an ESC there starts a new sequence
/// instead of leaving its tail (`]52;…`) behind as text.
fn skip_csi(chars: &mut Peekable<Chars<'_>>) {
    while let Some(&c) = chars.peek() {
        if ('\u{40}'..='\u{7e}').contains(&c) {
            chars.next();
            return;
        }
        if !('\u{20}'..='\u{3f}').contains(&c) {
            return;
        }
        chars.next();
    }
}

/// OSC/DCS/APC/PM/SOS: everything up to BEL, ST (`ESC \`) or C1 ST. An unterminated string
/// runs to the end of the text: a terminal would swallow it too, and half a payload shown is
/// worse than none. Returns true when an ESC that is not ST ended the string (as terminals
/// do): it has been read and starts the next sequence.
fn skip_string(chars: &mut Peekable<Chars<'_>>) -> bool {
    while let Some(c) = chars.next() {
        match c {
            '\u{7}' | '\u{9c}' => return false,
            '\u{1b}' => return chars.next_if_eq(&'\\').is_none(),
            _ => {}
        }
    }
    false
}

/// For one-line places (table cells, the status bar): newlines become a space.
pub fn single_line(input: &str) -> Cow<'_, str> {
    if input.contains('\n') {
        Cow::Owned(input.replace('\n', " "))
    } else {
        Cow::Borrowed(input)
    }
}

/// How many characters of a value a message quotes: enough to recognise it, never so much
/// that a 50 MB value drowns the message.
pub const QUOTED_CHARS: usize = 80;

/// A value the user gave, as every message quotes it: in double quotes, cut after
/// [`QUOTED_CHARS`] characters with its size in bytes (`"aaaa…" (100000 bytes)`), and with
/// control and bidi characters written as escapes (`\u{1b}`), so an echoed value can neither
/// flood nor drive the terminal and what is wrong with it stays visible.
pub fn quoted(value: &str) -> String {
    let mut out = String::with_capacity(value.len().min(QUOTED_CHARS) + 2);
    out.push('"');
    let mut chars = value.chars();
    for c in chars.by_ref().take(QUOTED_CHARS) {
        if is_unsafe(c) || c == '\n' {
            out.extend(c.escape_debug());
        } else {
            out.push(c);
        }
    }
    out.push('"');
    if chars.next().is_some() {
        out.insert(out.len() - 1, '…');
        out.push_str(&format!(" ({} bytes)", value.len()));
    }
    out
}

/// A message made by someone else's code (a TOML parser's, say) that may hold a value of any
/// size: the first `max_chars` characters, then `… (N bytes)`. Where the value can be told
/// apart, [`quoted`] it instead.
pub fn cut(text: &str, max_chars: usize) -> Cow<'_, str> {
    match text.char_indices().nth(max_chars) {
        Some((end, _)) => Cow::Owned(format!("{}… ({} bytes)", &text[..end], text.len())),
        None => Cow::Borrowed(text),
    }
}

#[cfg(test)]
#[path = "sanitize_tests.rs"]
mod tests;
