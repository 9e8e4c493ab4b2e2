//! Key → action map: the defaults, the `[keys]` table of the config file, and matching of
//! crossterm key events that copes with how differently terminals report shifted keys.

use std::collections::BTreeMap;
use std::fmt;

use crossterm::event::{KeyCode, KeyEvent, KeyEventKind, KeyModifiers};
use serde::Deserialize;

/// Everything a key can do on the call list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Action {
    Quit,
    Help,
    Down,
    Up,
    PageDown,
    PageUp,
    Top,
    Bottom,
    ToggleDetail,
    DetailDown,
    DetailUp,
    Refresh,
    Edit,
    Handled,
    Undo,
    Filter,
    Search,
    SearchNext,
    SearchPrev,
    Sort,
    SortReverse,
    ToggleSelect,
    SelectAll,
    NextTab,
    PrevTab,
    Tab1,
    Tab2,
    Tab3,
    Tab4,
    Tab5,
    Tab6,
    OpenUrl,
    OpenRecording,
    CopyNumber,
    RequestLog,
    Stats,
}

impl Action {
    /// Every action, in the order help lists them.
    pub const ALL: [Action; 36] = [
        Action::Quit,
        Action::Help,
        Action::Down,
        Action::Up,
        Action::PageDown,
        Action::PageUp,
        Action::Top,
        Action::Bottom,
        Action::ToggleDetail,
        Action::DetailDown,
        Action::DetailUp,
        Action::Refresh,
        Action::Edit,
        Action::Handled,
        Action::Undo,
        Action::Filter,
        Action::Search,
        Action::SearchNext,
        Action::SearchPrev,
        Action::Sort,
        Action::SortReverse,
        Action::ToggleSelect,
        Action::SelectAll,
        Action::NextTab,
        Action::PrevTab,
        Action::Tab1,
        Action::Tab2,
        Action::Tab3,
        Action::Tab4,
        Action::Tab5,
        Action::Tab6,
        Action::OpenUrl,
        Action::OpenRecording,
        Action::CopyNumber,
        Action::RequestLog,
        Action::Stats,
    ];

    /// The name used in the config file's `[keys]` table.
    pub fn name(self) -> &'static str {
        match self {
            Action::Quit => "quit",
            Action::Help => "help",
            Action::Down => "down",
            Action::Up => "up",
            Action::PageDown => "page_down",
            Action::PageUp => "page_up",
            Action::Top => "top",
            Action::Bottom => "bottom",
            Action::ToggleDetail => "toggle_detail",
            Action::DetailDown => "detail_down",
            Action::DetailUp => "detail_up",
            Action::Refresh => "refresh",
            Action::Edit => "edit",
            Action::Handled => "handled",
            Action::Undo => "undo",
            Action::Filter => "filter",
            Action::Search => "search",
            Action::SearchNext => "search_next",
            Action::SearchPrev => "search_prev",
            Action::Sort => "sort",
            Action::SortReverse => "sort_reverse",
            Action::ToggleSelect => "toggle_select",
            Action::SelectAll => "select_all",
            Action::NextTab => "next_tab",
            Action::PrevTab => "prev_tab",
            Action::Tab1 => "tab1",
            Action::Tab2 => "tab2",
            Action::Tab3 => "tab3",
            Action::Tab4 => "tab4",
            Action::Tab5 => "tab5",
            Action::Tab6 => "tab6",
            Action::OpenUrl => "open_url",
            Action::OpenRecording => "open_recording",
            Action::CopyNumber => "copy_number",
            Action::RequestLog => "request_log",
            Action::Stats => "stats",
        }
    }

    pub fn from_name(name: &str) -> Option<Action> {
        Action::ALL.into_iter().find(|a| a.name() == name)
    }

    /// Short help text, as the `?` overlay shows it.
    pub fn description(self) -> &'static str {
        match self {
            Action::Quit => "quit",
            Action::Help => "show the keys",
            Action::Down => "next call",
            Action::Up => "previous call",
            Action::PageDown => "a screen down",
            Action::PageUp => "a screen up",
            Action::Top => "first call",
            Action::Bottom => "last loaded call (loads more)",
            Action::ToggleDetail => "open / close the detail pane",
            Action::DetailDown => "scroll the detail pane down",
            Action::DetailUp => "scroll the detail pane up",
            Action::Refresh => "reload from the newest call",
            Action::Edit => "edit the selected call in the form",
            Action::Handled => "mark selected calls handled",
            Action::Undo => "undo the last change made here",
            Action::Filter => "filter the calls",
            Action::Search => "search the calls",
            Action::SearchNext => "next search match",
            Action::SearchPrev => "previous search match",
            Action::Sort => "change the sort order",
            Action::SortReverse => "reverse the sort order",
            Action::ToggleSelect => "select / unselect the call",
            Action::SelectAll => "select every call shown",
            Action::NextTab => "next view",
            Action::PrevTab => "previous view",
            Action::Tab1 => "view 1",
            Action::Tab2 => "view 2",
            Action::Tab3 => "view 3",
            Action::Tab4 => "view 4",
            Action::Tab5 => "view 5",
            Action::Tab6 => "view 6",
            Action::OpenUrl => "open the call's external app URL",
            Action::OpenRecording => "open the call's recording",
            Action::CopyNumber => "copy the caller's number",
            Action::RequestLog => "show the request log",
            Action::Stats => "show call statistics",
        }
    }

    /// The keys bound when the config says nothing, in config notation.
    pub fn default_keys(self) -> &'static [&'static str] {
        match self {
            Action::Quit => &["q"],
            Action::Help => &["?"],
            Action::Down => &["j", "Down"],
            Action::Up => &["k", "Up"],
            Action::PageDown => &["PageDown", "Ctrl-f"],
            Action::PageUp => &["PageUp", "Ctrl-b"],
            Action::Top => &["g", "Home"],
            Action::Bottom => &["G", "End"],
            Action::ToggleDetail => &["Enter"],
            Action::DetailDown => &["J"],
            Action::DetailUp => &["K"],
            Action::Refresh => &["r"],
            Action::Edit => &["e"],
            Action::Handled => &["h"],
            Action::Undo => &["u"],
            Action::Filter => &["f"],
            Action::Search => &["/"],
            Action::SearchNext => &["n"],
            Action::SearchPrev => &["N"],
            Action::Sort => &["s"],
            Action::SortReverse => &["S"],
            Action::ToggleSelect => &["Space"],
            Action::SelectAll => &["V"],
            Action::NextTab => &["]"],
            Action::PrevTab => &["["],
            Action::Tab1 => &["1"],
            Action::Tab2 => &["2"],
            Action::Tab3 => &["3"],
            Action::Tab4 => &["4"],
            Action::Tab5 => &["5"],
            Action::Tab6 => &["6"],
            Action::OpenUrl => &["o"],
            Action::OpenRecording => &["O"],
            Action::CopyNumber => &["y"],
            Action::RequestLog => &["L"],
            Action::Stats => &["t"],
        }
    }
}

impl fmt::Display for Action {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

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
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(untagged)]
pub enum KeyBinding {
    One(String),
    Many(Vec<String>),
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

    /// The keys of one action as help shows them, e.g. `j / Down`.
    pub fn keys_text(&self, action: Action) -> String {
        let mut names: Vec<String> = self.keys(action).iter().map(Key::to_string).collect();
        if action == Action::Quit {
            names.push(CTRL_C.to_string());
        }
        names.join(" / ")
    }

    /// One row per action for the `?` overlay: the keys in force and what they do.
    pub fn help_rows(&self) -> Vec<(String, &'static str)> {
        Action::ALL
            .into_iter()
            .map(|a| (self.keys_text(a), a.description()))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ev(code: KeyCode, mods: KeyModifiers) -> KeyEvent {
        KeyEvent::new(code, mods)
    }

    fn table(entries: &[(&str, &[&str])]) -> BTreeMap<String, KeyBinding> {
        entries
            .iter()
            .map(|(name, keys)| {
                let binding = match keys {
                    [one] => KeyBinding::One(one.to_string()),
                    many => KeyBinding::Many(many.iter().map(|k| k.to_string()).collect()),
                };
                (name.to_string(), binding)
            })
            .collect()
    }

    #[test]
    fn names_round_trip_and_are_unique() {
        for a in Action::ALL {
            assert_eq!(Action::from_name(a.name()), Some(a), "{a:?}");
            assert!(!a.description().is_empty(), "{a:?}");
            assert_eq!(Action::ALL[a as usize], a, "ALL is in declaration order");
        }
        let mut names: Vec<&str> = Action::ALL.iter().map(|a| a.name()).collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), Action::ALL.len());
        assert_eq!(Action::ToggleSelect.name(), "toggle_select");
        assert_eq!(Action::from_name("Toggle_Select"), None, "names are exact");
    }

    #[test]
    fn parse_and_display() {
        let none = KeyModifiers::NONE;
        let ctrl = KeyModifiers::CONTROL;
        let alt = KeyModifiers::ALT;
        let shift = KeyModifiers::SHIFT;
        // (written, parsed code, parsed modifiers, displayed)
        let cases: &[(&str, KeyCode, KeyModifiers, &str)] = &[
            ("j", KeyCode::Char('j'), none, "j"),
            ("J", KeyCode::Char('J'), none, "J"),
            ("Shift-j", KeyCode::Char('J'), none, "J"),
            ("shift-J", KeyCode::Char('J'), none, "J"),
            ("?", KeyCode::Char('?'), none, "?"),
            ("[", KeyCode::Char('['), none, "["),
            ("/", KeyCode::Char('/'), none, "/"),
            ("-", KeyCode::Char('-'), none, "-"),
            ("1", KeyCode::Char('1'), none, "1"),
            ("Space", KeyCode::Char(' '), none, "Space"),
            (" ", KeyCode::Char(' '), none, "Space"),
            ("space", KeyCode::Char(' '), none, "Space"),
            ("Enter", KeyCode::Enter, none, "Enter"),
            ("Return", KeyCode::Enter, none, "Enter"),
            ("Esc", KeyCode::Esc, none, "Esc"),
            ("Escape", KeyCode::Esc, none, "Esc"),
            ("Tab", KeyCode::Tab, none, "Tab"),
            ("BackTab", KeyCode::BackTab, none, "BackTab"),
            ("Shift-Tab", KeyCode::BackTab, none, "BackTab"),
            ("Up", KeyCode::Up, none, "Up"),
            ("down", KeyCode::Down, none, "Down"),
            ("Left", KeyCode::Left, none, "Left"),
            ("Right", KeyCode::Right, none, "Right"),
            ("PageUp", KeyCode::PageUp, none, "PageUp"),
            ("PgDn", KeyCode::PageDown, none, "PageDown"),
            ("Home", KeyCode::Home, none, "Home"),
            ("End", KeyCode::End, none, "End"),
            ("F1", KeyCode::F(1), none, "F1"),
            ("f12", KeyCode::F(12), none, "F12"),
            ("Ctrl-f", KeyCode::Char('f'), ctrl, "Ctrl-f"),
            ("ctrl-F", KeyCode::Char('f'), ctrl, "Ctrl-f"),
            ("Ctrl--", KeyCode::Char('-'), ctrl, "Ctrl--"),
            ("Alt-x", KeyCode::Char('x'), alt, "Alt-x"),
            ("Alt-X", KeyCode::Char('X'), alt, "Alt-X"),
            ("Alt-Shift-x", KeyCode::Char('X'), alt, "Alt-X"),
            (
                "Ctrl-Alt-Delete",
                KeyCode::Delete,
                ctrl | alt,
                "Ctrl-Alt-Delete",
            ),
            ("Shift-Up", KeyCode::Up, shift, "Shift-Up"),
        ];
        for (text, code, mods, shown) in cases {
            let key = Key::parse(text).unwrap_or_else(|e| panic!("{text}: {e}"));
            assert_eq!((key.code(), key.modifiers()), (*code, *mods), "{text}");
            assert_eq!(key.to_string(), *shown, "{text}");
            assert_eq!(Key::parse(shown), Ok(key), "{shown} round-trips");
        }
    }

    #[test]
    fn unparsable_keys_say_why() {
        let cases: &[(&str, &str)] = &[
            ("", "empty key"),
            ("jj", "not a key callconsole knows"),
            ("F13", "not a key callconsole knows"),
            ("F0", "not a key callconsole knows"),
            ("Hyper-x", "unknown modifier \"Hyper\""),
            ("Ctrl-", "ends with a modifier"),
            ("Shift-/", "write the shifted character itself"),
            ("Shift-1", "write the shifted character itself"),
        ];
        for (text, expect) in cases {
            let err = Key::parse(text).expect_err(text);
            assert!(err.contains(expect), "{text}: {err}");
            assert!(
                err.contains(&format!("\"{text}\"")),
                "quotes the value: {err}"
            );
        }
    }

    #[test]
    fn every_default_parses_and_none_collide() {
        for a in Action::ALL {
            for k in a.default_keys() {
                assert!(Key::parse(k).is_ok(), "{a:?} {k}");
            }
        }
        let map = KeyMap::default();
        for a in Action::ALL {
            assert_eq!(map.keys(a).len(), a.default_keys().len(), "{a:?}");
        }
        map.check_conflicts().expect("defaults do not collide");
        assert_eq!(KeyMap::from_config(&BTreeMap::new()), Ok(map));
    }

    #[test]
    fn events_match_however_the_terminal_reports_shift() {
        let map = KeyMap::default();
        let none = KeyModifiers::NONE;
        let shift = KeyModifiers::SHIFT;
        let ctrl = KeyModifiers::CONTROL;
        let cases: &[(KeyCode, KeyModifiers, Option<Action>)] = &[
            (KeyCode::Char('j'), none, Some(Action::Down)),
            (KeyCode::Down, none, Some(Action::Down)),
            (KeyCode::Char('?'), none, Some(Action::Help)),
            (KeyCode::Char('?'), shift, Some(Action::Help)),
            (KeyCode::Char('G'), none, Some(Action::Bottom)),
            (KeyCode::Char('G'), shift, Some(Action::Bottom)),
            (KeyCode::Char('g'), shift, Some(Action::Bottom)),
            (KeyCode::Char('g'), none, Some(Action::Top)),
            (KeyCode::Char('J'), shift, Some(Action::DetailDown)),
            (KeyCode::Char('f'), ctrl, Some(Action::PageDown)),
            (KeyCode::Char('F'), ctrl, Some(Action::PageDown)),
            (KeyCode::Char('f'), ctrl | shift, Some(Action::PageDown)),
            (KeyCode::Char('f'), none, Some(Action::Filter)),
            (KeyCode::Char(' '), none, Some(Action::ToggleSelect)),
            (KeyCode::Char(']'), none, Some(Action::NextTab)),
            (KeyCode::Char('6'), none, Some(Action::Tab6)),
            (KeyCode::Char('c'), ctrl, Some(Action::Quit)),
            (KeyCode::Char('C'), ctrl | shift, Some(Action::Quit)),
            (KeyCode::Char('j'), ctrl, None),
            (KeyCode::Char('j'), KeyModifiers::ALT, None),
            (KeyCode::Char('x'), none, None),
            (KeyCode::Esc, none, None),
            (KeyCode::Enter, none, Some(Action::ToggleDetail)),
            (KeyCode::Enter, shift, None),
        ];
        for (code, mods, want) in cases {
            assert_eq!(map.action(&ev(*code, *mods)), *want, "{code:?} {mods:?}");
        }
        let mut release = ev(KeyCode::Char('q'), none);
        release.kind = KeyEventKind::Release;
        assert_eq!(map.action(&release), None, "releases do nothing");
    }

    #[test]
    fn backtab_matches_however_reported() {
        let map = KeyMap::from_config(&table(&[("prev_tab", &["BackTab"])])).expect("ok");
        for (code, mods) in [
            (KeyCode::BackTab, KeyModifiers::NONE),
            (KeyCode::BackTab, KeyModifiers::SHIFT),
            (KeyCode::Tab, KeyModifiers::SHIFT),
        ] {
            assert_eq!(map.action(&ev(code, mods)), Some(Action::PrevTab));
        }
        assert_eq!(map.action(&ev(KeyCode::Tab, KeyModifiers::NONE)), None);
    }

    #[test]
    fn config_replaces_only_the_actions_it_names() {
        let map = KeyMap::from_config(&table(&[
            ("handled", &["x"]),
            ("down", &["Ctrl-n", "Down", "Down"]),
        ]))
        .expect("valid");
        assert_eq!(map.keys(Action::Handled), &[Key::parse("x").expect("x")]);
        assert_eq!(
            map.action(&ev(KeyCode::Char('x'), KeyModifiers::NONE)),
            Some(Action::Handled)
        );
        assert_eq!(
            map.action(&ev(KeyCode::Char('h'), KeyModifiers::NONE)),
            None,
            "the old key is gone"
        );
        assert_eq!(
            map.keys_text(Action::Down),
            "Ctrl-n / Down",
            "duplicates dropped"
        );
        assert_eq!(
            map.action(&ev(KeyCode::Char('j'), KeyModifiers::NONE)),
            None
        );
        assert_eq!(map.keys(Action::Up), KeyMap::default().keys(Action::Up));
        // A freed key can go to another action.
        let map = KeyMap::from_config(&table(&[("handled", &["x"]), ("stats", &["h"])]))
            .expect("h was freed");
        assert_eq!(
            map.action(&ev(KeyCode::Char('h'), KeyModifiers::NONE)),
            Some(Action::Stats)
        );
    }

    #[test]
    fn config_errors_say_what_and_what_to_do() {
        // (table, expected fragments of the message, blamed setting)
        let cases: &[(&[(&str, &[&str])], &[&str], &str)] = &[
            (
                &[("hande", &["x"])],
                &["unknown action \"hande\"", "handled", "toggle_select"],
                "keys.hande",
            ),
            (
                &[("handled", &["Hyper-x"])],
                &["handled", "\"Hyper-x\"", "Ctrl-, Alt- or Shift-"],
                "keys.handled",
            ),
            (
                &[("down", &[])],
                &["down is an empty list", "at least one key"],
                "keys.down",
            ),
            (
                &[("down", &["k"])],
                &["\"k\"", "both down and up", "another key"],
                "keys.up",
            ),
            (
                &[("stats", &["Space"])],
                &["\"Space\"", "both toggle_select and stats"],
                "keys.stats",
            ),
            (
                &[("refresh", &["r", "Ctrl-C"])],
                &["refresh", "\"Ctrl-c\" is reserved", "always quits"],
                "keys.refresh",
            ),
        ];
        for (entries, fragments, setting) in cases {
            let err = KeyMap::from_config(&table(entries)).expect_err("must fail");
            let msg = err.to_string();
            for f in *fragments {
                assert!(msg.contains(f), "{entries:?}: {msg:?} lacks {f:?}");
            }
            assert_eq!(err.setting(), *setting, "{msg}");
        }
    }

    #[test]
    fn help_rows_show_the_keys_in_force() {
        let rows = KeyMap::default().help_rows();
        assert_eq!(rows.len(), Action::ALL.len());
        assert_eq!(rows[0], ("q / Ctrl-c".to_string(), "quit"));
        assert!(rows.contains(&("j / Down".to_string(), "next call")));
        assert!(rows.contains(&("Space".to_string(), "select / unselect the call")));
        let map = KeyMap::from_config(&table(&[("handled", &["x", "F2"])])).expect("ok");
        assert!(
            map.help_rows()
                .contains(&("x / F2".to_string(), "mark selected calls handled"))
        );
    }

    #[test]
    fn bindings_deserialize_from_toml() {
        let t: BTreeMap<String, KeyBinding> =
            toml::from_str("handled = \"x\"\ndown = [\"j\", \"Down\"]\n").expect("toml");
        assert_eq!(t["handled"], KeyBinding::One("x".into()));
        assert_eq!(t["down"], KeyBinding::Many(vec!["j".into(), "Down".into()]));
    }
}
