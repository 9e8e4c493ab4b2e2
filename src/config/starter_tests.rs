//! Tests for the starter file: its defaults are the defaults, its examples load, it lists every
//! action, it is written once and never over a user's file, and the README's example loads.

use super::layers_tests::load_with;
use super::*;

/// The starter with lines turned on: `# key = value` (defaults) always, and `#key = value`
/// (examples) when `examples` is set.
fn uncommented_starter(examples: bool) -> String {
    fn looks_like_setting(rest: &str) -> bool {
        let header = rest.starts_with('[')
            && rest.ends_with(']')
            && rest[1..rest.len() - 1]
                .chars()
                .all(|c| c.is_ascii_lowercase());
        let key = rest.split_once(" = ").is_some_and(|(k, _)| {
            !k.is_empty()
                && k.chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
        });
        header || key
    }
    STARTER_CONFIG
        .lines()
        .map(|line| match line.strip_prefix("# ") {
            Some(rest) if looks_like_setting(rest) => rest,
            _ => match line.strip_prefix('#') {
                Some(rest) if examples && looks_like_setting(rest) => rest,
                _ => line,
            },
        })
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn starter_defaults_are_the_defaults() {
    let text = uncommented_starter(false);
    assert!(text.contains("\n[keys]\n"), "headers are uncommented");
    let c = load_with(Some(&text), &[]).unwrap_or_else(|e| panic!("{e}\n{text}"));
    let d = load_with(Some(""), &[]).expect("defaults");
    assert_eq!(c.base_url, d.base_url);
    assert_eq!(c.page_size, d.page_size);
    assert_eq!(c.update_fields, d.update_fields);
    assert_eq!(c.refresh_secs, Config::default().refresh_secs);
    assert_eq!(c.load_limit, Config::default().load_limit);
    assert_eq!(c.max_in_flight, Config::default().max_in_flight);
    assert_eq!(c.bell_on_new_missed, d.bell_on_new_missed);
    assert_eq!(
        (c.notify, c.hyperlinks, c.previews),
        (d.notify, d.hyperlinks, d.previews)
    );
    assert_eq!(c.age_bands, Config::default().age_bands);
    assert_eq!(c.mouse, d.mouse);
    assert_eq!(c.group_by_caller, d.group_by_caller);
    assert_eq!(c.keys, KeyMap::default());
    assert_eq!(c.defaults, HandledDefaults::default());
    assert!(c.token.is_none() && c.staff_uid.is_none() && c.default_country.is_none());
    // Every line that sets something was seen as a setting, so no default hides in prose.
    let file: toml::Table = toml::from_str(&text).expect("toml");
    assert!(file.contains_key("refresh_secs") && file.contains_key("age_bands"));
}

#[test]
fn starter_examples_are_valid_too() {
    let text = uncommented_starter(true);
    let c = load_with(Some(&text), &[]).unwrap_or_else(|e| panic!("{e}\n{text}"));
    assert!(c.token.is_some() && c.staff_uid.is_some());
    assert_eq!(c.defaults.provider.as_deref(), Some("VONAGE"));
}

#[test]
fn starter_lists_every_action_with_its_default_keys() {
    for action in crate::console::keys::Action::ALL {
        let keys = action.default_keys();
        let value = match keys {
            [one] => format!("\"{one}\""),
            many => format!(
                "[{}]",
                many.iter()
                    .map(|k| format!("\"{k}\""))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        };
        let line = format!("# {} = {value}", action.name());
        assert!(
            STARTER_CONFIG
                .lines()
                .any(|l| l.starts_with(&format!("{line} ")) || l == line),
            "starter lacks {line:?}"
        );
    }
}

#[test]
fn write_starter_creates_dirs_and_never_overwrites() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("a/b/config.toml");
    write_starter(&path).expect("writes");
    assert_eq!(
        std::fs::read_to_string(&path).expect("read"),
        STARTER_CONFIG
    );
    std::fs::write(&path, "token = \"mine\"\n").expect("edit");
    let err = write_starter(&path).expect_err("exists");
    assert!(matches!(err, ConfigError::Write { .. }), "{err:?}");
    let msg = err.to_string();
    assert!(
        msg.contains("already exists") && msg.contains("config.toml"),
        "{msg}"
    );
    assert_eq!(
        std::fs::read_to_string(&path).expect("read"),
        "token = \"mine\"\n",
        "untouched"
    );
    let c = load_with(Some(STARTER_CONFIG), &[]).expect("the starter as written loads");
    assert_eq!(c.keys, KeyMap::default());
}

#[test]
fn readme_example_loads() {
    let readme = include_str!("../../README.md");
    let block = readme
        .split("```toml\n")
        .nth(1)
        .and_then(|rest| rest.split("```").next())
        .expect("README has a toml block");
    let c = load_with(Some(block), &[]).unwrap_or_else(|e| panic!("{e}\n{block}"));
    assert_eq!(c.keys.keys_text(crate::console::keys::Action::Handled), "x");
    assert_eq!(c.defaults.provider.as_deref(), Some("VONAGE"));
}
