//! Desktop notifications through the terminal: which escape the terminal understands (OSC 9,
//! iTerm2's, which kitty, Windows Terminal and most others take; OSC 777 `notify`, rxvt's,
//! spoken by foot, urxvt, Ghostty, WezTerm and VTE terminals), the sequence itself with its
//! text made safe, and tmux's passthrough around it.

use crate::domain::sanitize::{clean, single_line};

/// The most characters of a notification's title or body sent.
pub const MAX_CHARS: usize = 120;

/// The notification escape a terminal understands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dialect {
    /// `ESC ] 9 ; text BEL` (iTerm2's): the body only.
    Osc9,
    /// `ESC ] 777 ; notify ; title ; body BEL` (rxvt's): title and body.
    Osc777,
}

/// The dialect of the terminal the environment names (`env` reads a variable), or `None` for
/// one that shows escapes it does not know as text (`TERM=dumb`, the Linux console). Inside
/// tmux, the outer terminal's own variables (kept in tmux's environment) still say which it is.
pub fn dialect(env: &dyn Fn(&str) -> Option<String>) -> Option<Dialect> {
    let var = |k: &str| env(k).unwrap_or_default();
    let has = |k: &str| env(k).is_some_and(|v| !v.is_empty());
    let term = var("TERM");
    let program = var("TERM_PROGRAM").to_ascii_lowercase();
    if term == "dumb" || term == "linux" {
        return None;
    }
    let osc9 = program == "iterm.app"
        || var("LC_TERMINAL") == "iTerm2"
        || has("ITERM_SESSION_ID")
        || has("WT_SESSION")
        || term == "xterm-kitty"
        || has("KITTY_WINDOW_ID");
    if osc9 {
        return Some(Dialect::Osc9);
    }
    let osc777 = term.starts_with("foot")
        || term.starts_with("rxvt")
        || term == "xterm-ghostty"
        || program == "ghostty"
        || has("GHOSTTY_RESOURCES_DIR")
        || program == "wezterm"
        || has("WEZTERM_PANE")
        // VTE terminals (GNOME Terminal, Tilix…): the patched ones notify, the rest ignore it.
        || has("VTE_VERSION");
    Some(if osc777 {
        Dialect::Osc777
    } else {
        Dialect::Osc9
    })
}

/// One field of the sequence: no control or bidi character (a BEL or ESC would end the
/// sequence early), on one line, no `;` (it separates the fields), at most [`MAX_CHARS`].
fn field(text: &str) -> String {
    let text = single_line(&clean(text)).replace(';', ",");
    let text = text.trim();
    match text.char_indices().nth(MAX_CHARS) {
        Some((end, _)) => format!("{}…", &text[..end]),
        None => text.to_string(),
    }
}

/// The notification's escape sequence in `dialect`, wrapped for tmux when `tmux`.
pub fn sequence(dialect: Dialect, title: &str, body: &str, tmux: bool) -> String {
    let seq = match dialect {
        Dialect::Osc9 => format!("\x1b]9;{}\x07", field(body)),
        Dialect::Osc777 => format!("\x1b]777;notify;{};{}\x07", field(title), field(body)),
    };
    if tmux {
        super::host::tmux_passthrough(&seq)
    } else {
        seq
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    type Vars = &'static [(&'static str, &'static str)];

    fn env(vars: Vars) -> impl Fn(&str) -> Option<String> {
        move |k| {
            vars.iter()
                .find(|(name, _)| *name == k)
                .map(|(_, v)| v.to_string())
        }
    }

    #[test]
    fn each_dialect_is_its_own_escape() {
        assert_eq!(
            sequence(
                Dialect::Osc9,
                "callconsole",
                "1 new missed call: Emily Carter",
                false
            ),
            "\x1b]9;1 new missed call: Emily Carter\x07"
        );
        assert_eq!(
            sequence(Dialect::Osc777, "callconsole", "2 new voicemails", false),
            "\x1b]777;notify;callconsole;2 new voicemails\x07"
        );
    }

    #[test]
    fn inside_tmux_it_is_passed_through_with_its_escs_doubled() {
        assert_eq!(
            sequence(Dialect::Osc9, "t", "hi", true),
            "\x1bPtmux;\x1b\x1b]9;hi\x07\x1b\\"
        );
        assert_eq!(
            sequence(Dialect::Osc777, "t", "hi", true),
            "\x1bPtmux;\x1b\x1b]777;notify;t;hi\x07\x1b\\"
        );
    }

    #[test]
    fn the_text_cannot_end_the_sequence_or_add_fields() {
        let seq = sequence(
            Dialect::Osc777,
            "a;b\x07",
            "Eve\x1b]0;pwned\x07\nnext; line\u{202e}",
            false,
        );
        assert_eq!(seq, "\x1b]777;notify;a,b;Eve next, line\x07");
        let long = sequence(Dialect::Osc9, "", &"x".repeat(500), false);
        assert_eq!(long.chars().count(), "\x1b]9;\x07".len() + MAX_CHARS + 1);
        assert!(long.ends_with("…\x07"));
    }

    #[test]
    fn the_dialect_comes_from_the_terminal_named() {
        let cases: &[(Vars, Option<Dialect>)] = &[
            (&[("TERM", "dumb")], None),
            (&[("TERM", "linux")], None),
            (&[("TERM", "foot")], Some(Dialect::Osc777)),
            (&[("TERM", "rxvt-unicode-256color")], Some(Dialect::Osc777)),
            (&[("TERM", "xterm-ghostty")], Some(Dialect::Osc777)),
            (
                &[("TERM", "xterm-256color"), ("TERM_PROGRAM", "WezTerm")],
                Some(Dialect::Osc777),
            ),
            (
                &[("TERM", "xterm-256color"), ("VTE_VERSION", "7600")],
                Some(Dialect::Osc777),
            ),
            (
                &[("TERM", "xterm-256color"), ("TERM_PROGRAM", "iTerm.app")],
                Some(Dialect::Osc9),
            ),
            (&[("TERM", "xterm-kitty")], Some(Dialect::Osc9)),
            (
                &[("TERM", "xterm-256color"), ("WT_SESSION", "abc")],
                Some(Dialect::Osc9),
            ),
            // tmux hides the outer TERM; the outer terminal's own variable still names it.
            (
                &[
                    ("TERM", "tmux-256color"),
                    ("TERM_PROGRAM", "tmux"),
                    ("LC_TERMINAL", "iTerm2"),
                ],
                Some(Dialect::Osc9),
            ),
            (
                &[("TERM", "tmux-256color"), ("WEZTERM_PANE", "3")],
                Some(Dialect::Osc777),
            ),
            (&[("TERM", "xterm-256color")], Some(Dialect::Osc9)),
        ];
        for (vars, want) in cases {
            assert_eq!(dialect(&env(vars)), *want, "{vars:?}");
        }
    }
}
