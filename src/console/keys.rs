//! Key → action map: the defaults, the `[keys]` table of the config file, and matching of
//! crossterm key events that copes with how differently terminals report shifted keys.

use std::collections::BTreeMap;
use std::fmt;

use crossterm::event::{KeyCode, KeyEvent, KeyEventKind, KeyModifiers};
use serde::Deserialize;
use serde::de::{self, Deserializer, SeqAccess, Visitor};

mod action;
pub use action::Action;

/// One key with its modifiers, normalised so that equal keys compare equal however they were
/// written or reported: a character carries its shift in its case (`G`, `?`), never as
/// `SHIFT`; `Ctrl-` letters are lowercase because terminals cannot tell `Ctrl-F` from `Ctrl-f`;
/// `Shift-Tab` is `BackTab`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Key {
    code: KeyCode,
    modifiers: KeyModifiers,
}

/// Ctrl-c always quits, whatever the config says, so a broken map can never trap anyone.
pub const CTRL_C: Key = Key {
    code: KeyCode::Char('c'),
    modifiers: KeyModifiers::CONTROL,
};

const NAMED: &[(&str, KeyCode)] = &[
    ("Space", KeyCode::Char(' ')),
    ("Enter", KeyCode::Enter),
    ("Esc", KeyCode::Esc),
    ("Tab", KeyCode::Tab),
    ("BackTab", KeyCode::BackTab),
    ("Backspace", KeyCode::Backspace),
    ("Delete", KeyCode::Delete),
    ("Insert", KeyCode::Insert),
    ("Up", KeyCode::Up),
    ("Down", KeyCode::Down),
    ("Left", KeyCode::Left),
    ("Right", KeyCode::Right),
    ("PageUp", KeyCode::PageUp),
    ("PageDown", KeyCode::PageDown),
    ("Home", KeyCode::Home),
    ("End", KeyCode::End),
];

/// Other spellings people write; parsed, never displayed.
const ALIASES: &[(&str, KeyCode)] = &[
    ("Escape", KeyCode::Esc),
    ("Return", KeyCode::Enter),
    ("PgUp", KeyCode::PageUp),
    ("PgDn", KeyCode::PageDown),
    ("Del", KeyCode::Delete),
    ("Ins", KeyCode::Insert),
];

impl Key {
    pub fn new(code: KeyCode, modifiers: KeyModifiers) -> Key {
        Key { code, modifiers }.normalised()
    }

    pub fn code(self) -> KeyCode {
        self.code
    }

    pub fn modifiers(self) -> KeyModifiers {
        self.modifiers
    }

    /// The same key however a terminal reported it; see the type's comment.
    pub fn from_event(event: &KeyEvent) -> Key {
        Key::new(event.code, event.modifiers)
    }

    fn normalised(self) -> Key {
        let mut mods =
            self.modifiers & (KeyModifiers::CONTROL | KeyModifiers::ALT | KeyModifiers::SHIFT);
        let code = match self.code {
            KeyCode::Char(c) => {
                let shift = mods.contains(KeyModifiers::SHIFT);
                mods.remove(KeyModifiers::SHIFT);
                if mods.contains(KeyModifiers::CONTROL) {
                    KeyCode::Char(single_lower(c))
                } else if shift {
                    // Some terminals send `g`+SHIFT for `G`; ones that send `?`+SHIFT are
                    // covered because `?` has no uppercase.
                    KeyCode::Char(single_upper(c))
                } else {
                    KeyCode::Char(c)
                }
            }
            KeyCode::Tab if mods.contains(KeyModifiers::SHIFT) => {
                mods.remove(KeyModifiers::SHIFT);
                KeyCode::BackTab
            }
            KeyCode::BackTab => {
                mods.remove(KeyModifiers::SHIFT);
                KeyCode::BackTab
            }
            other => other,
        };
        Key {
            code,
            modifiers: mods,
        }
    }

    /// Parses config notation: `j`, `J`, `Shift-j`, `?`, `Space`, `Enter`, `PageDown`, `F5`,
    /// `Ctrl-f`, `Alt-x`. Names and modifiers are case-insensitive; a single character is not.
    pub fn parse(text: &str) -> Result<Key, String> {
        let bad = |why: &str| format!("key \"{text}\" {why}");
        if text.is_empty() {
            return Err(
                "an empty key \"\" cannot be bound; write a key like \"x\" or \"Ctrl-x\"".into(),
            );
        }
        let mut rest = text;
        let mut mods = KeyModifiers::NONE;
        // A lone `-` or one after a modifier (`Ctrl--`) is the key itself, not a separator.
        while rest.chars().count() > 1 {
            let Some((head, tail)) = rest.split_once('-') else {
                break;
            };
            let m = match head.to_ascii_lowercase().as_str() {
                "ctrl" | "control" => KeyModifiers::CONTROL,
                "alt" | "meta" => KeyModifiers::ALT,
                "shift" => KeyModifiers::SHIFT,
                _ => {
                    return Err(bad(&format!(
                        "has an unknown modifier \"{head}\"; use Ctrl-, Alt- or Shift-"
                    )));
                }
            };
            if tail.is_empty() {
                return Err(bad(
                    "ends with a modifier; name the key after it, e.g. \"Ctrl-f\"",
                ));
            }
            mods |= m;
            rest = tail;
        }
        let mut chars = rest.chars();
        let code = match (chars.next(), chars.next()) {
            (Some(c), None) => {
                if mods.contains(KeyModifiers::SHIFT)
                    && !c.is_alphabetic()
                    && !mods.contains(KeyModifiers::CONTROL)
                {
                    return Err(bad(
                        "uses Shift- with a character that has no case; write the shifted character itself, e.g. \"?\" not \"Shift-/\"",
                    ));
                }
                KeyCode::Char(c)
            }
            _ => named_code(rest).ok_or_else(|| {
                bad("is not a key callconsole knows; use a single character (\"x\", \"?\"), Ctrl-x, Alt-x, Space, Enter, Esc, Tab, BackTab, Backspace, Delete, Insert, Up, Down, Left, Right, PageUp, PageDown, Home, End or F1..F12")
            })?,
        };
        Ok(Key::new(code, mods))
    }
}

fn named_code(name: &str) -> Option<KeyCode> {
    if let Some(n) = name
        .strip_prefix('F')
        .or_else(|| name.strip_prefix('f'))
        .and_then(|n| n.parse::<u8>().ok())
    {
        return (1..=12).contains(&n).then_some(KeyCode::F(n));
    }
    NAMED
        .iter()
        .chain(ALIASES)
        .find(|(n, _)| n.eq_ignore_ascii_case(name))
        .map(|(_, code)| *code)
}

fn single_upper(c: char) -> char {
    let mut up = c.to_uppercase();
    match (up.next(), up.next()) {
        (Some(u), None) => u,
        _ => c, // `ß` and friends: no single-character uppercase, keep as typed
    }
}

fn single_lower(c: char) -> char {
    let mut low = c.to_lowercase();
    match (low.next(), low.next()) {
        (Some(l), None) => l,
        _ => c,
    }
}

/// Config notation, so that what help shows can be pasted into `[keys]`.
impl fmt::Display for Key {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.modifiers.contains(KeyModifiers::CONTROL) {
            f.write_str("Ctrl-")?;
        }
        if self.modifiers.contains(KeyModifiers::ALT) {
            f.write_str("Alt-")?;
        }
        if self.modifiers.contains(KeyModifiers::SHIFT) {
            f.write_str("Shift-")?;
        }
        match self.code {
            KeyCode::F(n) => write!(f, "F{n}"),
            KeyCode::Char(c) if c != ' ' => write!(f, "{c}"),
            code => match NAMED.iter().find(|(_, k)| *k == code) {
                Some((name, _)) => f.write_str(name),
                None => write!(f, "{code:?}"),
            },
        }
    }
}

/// One action's keys as the config file writes them: `handled = "x"` or
/// `down = ["j", "Down"]`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum KeyBinding {
    One(String),
    Many(Vec<String>),
}

/// By hand rather than `#[serde(untagged)]`, whose error ("did not match any variant") would
/// not tell the user what to write.
impl<'de> Deserialize<'de> for KeyBinding {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct BindingVisitor;
        impl<'de> Visitor<'de> for BindingVisitor {
            type Value = KeyBinding;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a key like \"x\" or a list of keys like [\"j\", \"Down\"]")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<KeyBinding, E> {
                Ok(KeyBinding::One(v.to_string()))
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<KeyBinding, A::Error> {
                let mut keys = Vec::new();
                while let Some(k) = seq.next_element::<String>()? {
                    keys.push(k);
                }
                Ok(KeyBinding::Many(keys))
            }
        }
        deserializer.deserialize_any(BindingVisitor)
    }
}

impl KeyBinding {
    fn texts(&self) -> &[String] {
        match self {
            KeyBinding::One(s) => std::slice::from_ref(s),
            KeyBinding::Many(v) => v,
        }
    }
}

/// Why a `[keys]` table cannot be used. Every message says what is wrong, quotes the bad
/// value and says what to do.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum KeyError {
    #[error("[keys] has an unknown action \"{name}\"; the actions are: {valid}")]
    UnknownAction { name: String, valid: String },
    #[error("[keys] {action}: {detail}")]
    BadKey { action: String, detail: String },
    #[error("[keys] {action} is an empty list; give it at least one key, like {action} = \"x\"")]
    Empty { action: String },
    #[error(
        "[keys] key \"{key}\" is bound to both {first} and {second}; give one of them another key"
    )]
    Conflict {
        key: String,
        first: &'static str,
        second: &'static str,
    },
    #[error("[keys] {action}: \"Ctrl-c\" is reserved (it always quits); choose another key")]
    Reserved { action: String },
}

impl KeyError {
    /// The config key to blame, e.g. `keys.handled`, for the message's origin.
    pub fn setting(&self) -> String {
        match self {
            KeyError::BadKey { action, .. }
            | KeyError::Empty { action }
            | KeyError::Reserved { action }
            | KeyError::UnknownAction { name: action, .. } => format!("keys.{action}"),
            KeyError::Conflict { second, .. } => format!("keys.{second}"),
        }
    }
}

/// Which keys do what. Indexed by `Action as usize`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyMap {
    keys: Vec<Vec<Key>>,
}

impl Default for KeyMap {
    fn default() -> KeyMap {
        let keys = Action::ALL
            .iter()
            .map(|a| {
                a.default_keys()
                    .iter()
                    .filter_map(|k| Key::parse(k).ok())
                    .collect()
            })
            .collect();
        KeyMap { keys }
    }
}

impl KeyMap {
    /// The defaults with each action named in `table` given exactly the keys listed there.
    pub fn from_config(table: &BTreeMap<String, KeyBinding>) -> Result<KeyMap, KeyError> {
        let mut map = KeyMap::default();
        for (name, binding) in table {
            let action = Action::from_name(name).ok_or_else(|| KeyError::UnknownAction {
                name: name.clone(),
                valid: Action::ALL.map(Action::name).join(", "),
            })?;
            let texts = binding.texts();
            if texts.is_empty() {
                return Err(KeyError::Empty {
                    action: name.clone(),
                });
            }
            let mut keys: Vec<Key> = Vec::with_capacity(texts.len());
            for text in texts {
                let key = Key::parse(text).map_err(|detail| KeyError::BadKey {
                    action: name.clone(),
                    detail,
                })?;
                if key == CTRL_C {
                    return Err(KeyError::Reserved {
                        action: name.clone(),
                    });
                }
                if !keys.contains(&key) {
                    keys.push(key);
                }
            }
            map.keys[action as usize] = keys;
        }
        map.check_conflicts()?;
        Ok(map)
    }

    fn check_conflicts(&self) -> Result<(), KeyError> {
        let mut seen: Vec<(Key, Action)> = Vec::new();
        for action in Action::ALL {
            for key in self.keys(action) {
                if let Some((_, first)) = seen.iter().find(|(k, _)| k == key) {
                    return Err(KeyError::Conflict {
                        key: key.to_string(),
                        first: first.name(),
                        second: action.name(),
                    });
                }
                seen.push((*key, action));
            }
        }
        Ok(())
    }

    /// The action a key press asks for. `Ctrl-c` is always `Quit`; key releases are nothing.
    pub fn action(&self, event: &KeyEvent) -> Option<Action> {
        if event.kind == KeyEventKind::Release {
            return None;
        }
        let key = Key::from_event(event);
        if key == CTRL_C {
            return Some(Action::Quit);
        }
        Action::ALL
            .into_iter()
            .find(|a| self.keys[*a as usize].contains(&key))
    }

    pub fn keys(&self, action: Action) -> &[Key] {
        &self.keys[action as usize]
    }

    /// The key a footer, a dialog or a notice names for `action`: the first one bound, in
    /// config notation, so a remapped key shows as remapped (gitui's `get_hint`).
    pub fn hint(&self, action: Action) -> String {
        self.keys(action)
            .first()
            .map_or_else(|| format!("({action} unbound)"), Key::to_string)
    }

    /// The keys of one action as help shows them, e.g. `j / Down`.
    pub fn keys_text(&self, action: Action) -> String {
        let mut names: Vec<String> = self.keys(action).iter().map(Key::to_string).collect();
        if action == Action::Quit {
            names.push(CTRL_C.to_string());
        }
        names.join(" / ")
    }

    /// How many rows the `?` overlay lists: every action, then the fixed keys.
    pub fn help_len(&self) -> usize {
        Action::ALL.len() + FIXED_KEYS.len()
    }

    /// One row per action for the `?` overlay: the keys in force and what they do.
    pub fn help_rows(&self) -> Vec<(String, &'static str)> {
        Action::ALL
            .into_iter()
            .map(|a| (self.keys_text(a), a.description()))
            .collect()
    }
}

/// Keys of the form and the bars, which are fixed; the `?` overlay lists them after the
/// actions.
pub const FIXED_KEYS: &[(&str, &str)] = &[
    ("Esc", "stop a load / close the pane / clear the selection"),
    ("form: Tab/↑↓", "next / previous field"),
    ("form: ←→ Enter", "cycle a picker / open its list"),
    ("form: Ctrl-s", "send (after validation)"),
    ("form: Ctrl-o", "edit the summary in $EDITOR"),
    ("form: Ctrl-n", "use the E.164 form of a number"),
    ("form: Esc", "leave (asks when unsent)"),
    ("Ctrl-c", "quit (an open edit is kept as a draft)"),
];

#[cfg(test)]
#[path = "keys_tests.rs"]
mod tests;
