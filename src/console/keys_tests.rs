//! Table-driven tests: key notation both ways, matching of terminal events, `[keys]` errors.

use super::*;

fn ev(code: KeyCode, mods: KeyModifiers) -> KeyEvent {
    KeyEvent::new(code, mods)
}

/// `[keys]` entries as a test writes them: action name and its keys.
type Entries<'a> = &'a [(&'a str, &'a [&'a str])];

fn table(entries: Entries) -> BTreeMap<String, KeyBinding> {
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
    let cases: &[(Entries, &[&str], &str)] = &[
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

#[test]
fn a_hint_is_the_first_key_bound_as_config_writes_it() {
    let defaults = KeyMap::default();
    for (action, hint) in [
        (Action::Down, "j"),
        (Action::ToggleSelect, "Space"),
        (Action::PageDown, "PageDown"),
        (Action::Handled, "h"),
        (Action::Quit, "q"),
    ] {
        assert_eq!(defaults.hint(action), hint, "{action}");
    }
    let map = KeyMap::from_config(&table(&[
        ("handled", &["x", "h"]),
        ("page_down", &["Ctrl-d"]),
    ]))
    .expect("valid");
    assert_eq!(map.hint(Action::Handled), "x");
    assert_eq!(map.hint(Action::PageDown), "Ctrl-d");
}
