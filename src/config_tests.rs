//! Tests for loading settings: defaults, overrides, every error message, the starter file.

use super::*;
use std::collections::HashMap;

pub(super) fn load_with(text: Option<&str>, vars: &[(&str, &str)]) -> Result<Config, ConfigError> {
    load_layered(text, vars, &Flags::default())
}

/// Loads with a file holding `text` (none: no file), the environment `vars` and `flags`.
fn load_layered(
    text: Option<&str>,
    vars: &[(&str, &str)],
    flags: &Flags,
) -> Result<Config, ConfigError> {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("config.toml");
    if let Some(t) = text {
        std::fs::write(&path, t).expect("write");
        // Private, as a file holding a token must be; the refusal has its own test.
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600)).expect("chmod");
        }
    }
    let vars: HashMap<String, String> = vars
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    let mut vars = vars;
    vars.insert("CALLCONSOLE_CONFIG".into(), path.display().to_string());
    Config::load(flags, &|k| vars.get(k).cloned())
}

#[test]
fn defaults_when_empty() {
    let c = load_with(Some(""), &[]).expect("loads");
    assert_eq!(c.base_url.as_str(), "https://api.vcita.biz/");
    assert!(c.token.is_none());
    assert_eq!(c.page_size, Config::default().page_size);
}

#[test]
fn env_overrides_file() {
    let c = load_with(
        Some("token = \"file-token\"\nstaff_uid = \"s1\"\npage_size = 20\n"),
        &[
            ("CALLCONSOLE_TOKEN", "env-token"),
            ("CALLCONSOLE_BASE_URL", "http://127.0.0.1:9"),
        ],
    )
    .expect("loads");
    let (token, source) = c.token.expect("token");
    assert_eq!(token.expose(), "env-token");
    assert_eq!(source, TokenSource::Env);
    assert_eq!(c.staff_uid.as_deref(), Some("s1"));
    assert_eq!(c.page_size, 20);
    assert_eq!(c.base_url.as_str(), "http://127.0.0.1:9/");
}

#[test]
fn flags_beat_the_environment_which_beats_the_file() {
    /// One setting: its file line, the environment's and the flag's value, the setting as
    /// read from the file, the environment and the flag, how to give the flag, how to read it.
    struct Case {
        key: &'static str,
        line: &'static str,
        given: [&'static str; 2],
        read: [&'static str; 3],
        set_flag: fn(&mut Flags, String),
        get: fn(&Config) -> String,
    }
    let cases = [
        Case {
            key: "base_url",
            line: "base_url = \"http://127.0.0.1:1\"",
            given: ["http://127.0.0.1:2", "http://127.0.0.1:3"],
            read: [
                "http://127.0.0.1:1/",
                "http://127.0.0.1:2/",
                "http://127.0.0.1:3/",
            ],
            set_flag: |f, v| f.base_url = Some(v),
            get: |c| c.base_url.to_string(),
        },
        Case {
            key: "staff_uid",
            line: "staff_uid = \"file-staff\"",
            given: ["env-staff", "flag-staff"],
            read: ["file-staff", "env-staff", "flag-staff"],
            set_flag: |f, v| f.staff_uid = Some(v),
            get: |c| c.staff_uid.clone().unwrap_or_default(),
        },
        Case {
            key: "on_behalf_of",
            line: "on_behalf_of = \"file-biz\"",
            given: ["env-biz", "flag-biz"],
            read: ["file-biz", "env-biz", "flag-biz"],
            set_flag: |f, v| f.on_behalf_of = Some(v),
            get: |c| c.on_behalf_of.clone().unwrap_or_default(),
        },
        Case {
            key: "page_size",
            line: "page_size = 10",
            given: ["20", "30"],
            read: ["10", "20", "30"],
            set_flag: |f, v| f.page_size = Some(v),
            get: |c| c.page_size.to_string(),
        },
        Case {
            key: "update_fields",
            line: "update_fields = \"changed\"",
            given: ["all", "changed"],
            read: ["Changed", "All", "Changed"],
            set_flag: |f, v| f.update_fields = Some(v),
            get: |c| format!("{:?}", c.update_fields),
        },
        Case {
            key: "default_country",
            line: "default_country = \"US\"",
            given: ["gb", "de"],
            read: ["US", "GB", "DE"],
            set_flag: |f, v| f.default_country = Some(v),
            get: |c| c.default_country.clone().unwrap_or_default(),
        },
        Case {
            key: "refresh_secs",
            line: "refresh_secs = 10",
            given: ["20", "0"],
            read: ["10", "20", "0"],
            set_flag: |f, v| f.refresh_secs = Some(v),
            get: |c| c.refresh_secs.to_string(),
        },
    ];
    for Case {
        key,
        line,
        given: [env, flag],
        read: [by_file, by_env, by_flag],
        set_flag,
        get,
    } in cases
    {
        let var = format!("CALLCONSOLE_{}", key.to_ascii_uppercase());
        let mut flags = Flags::default();
        set_flag(&mut flags, flag.to_string());
        let none = Flags::default();
        let file = format!("{line}\n");
        let load = |file: &str, vars: &[(&str, &str)], flags: &Flags| {
            load_layered(Some(file), vars, flags).unwrap_or_else(|e| panic!("{key}: {e}"))
        };
        let default = get(&Config::default());
        assert_eq!(get(&load("", &[], &none)), default, "{key}: nothing given");
        assert_eq!(get(&load(&file, &[], &none)), by_file, "{key}: the file");
        let env = [(var.as_str(), env)];
        assert_eq!(
            get(&load(&file, &env, &none)),
            by_env,
            "{key}: env over file"
        );
        assert_eq!(
            get(&load(&file, &env, &flags)),
            by_flag,
            "{key}: flag over both"
        );
        assert_eq!(get(&load("", &[], &flags)), by_flag, "{key}: flag alone");
        // An empty variable is not set (a shell's `VAR= cmd`).
        let blank = [(var.as_str(), "")];
        assert_eq!(
            get(&load(&file, &blank, &none)),
            by_file,
            "{key}: empty env"
        );
    }
}

#[test]
fn a_bad_value_names_the_layer_it_came_from() {
    let flags = Flags {
        page_size: Some("0".into()),
        ..Flags::default()
    };
    let err = load_layered(Some("page_size = 20\n"), &[], &flags).expect_err("flag");
    assert_eq!(
        err.to_string(),
        "--page-size: page_size must be between 1 and 100 (got \"0\")"
    );
    let err = load_with(Some(""), &[("CALLCONSOLE_PAGE_SIZE", "many")]).expect_err("env");
    let msg = err.to_string();
    assert!(
        msg.starts_with("CALLCONSOLE_PAGE_SIZE: page_size \"many\" is not a whole number"),
        "{msg}"
    );
    let flags = Flags {
        base_url: Some("http://api.vcita.biz".into()),
        ..Flags::default()
    };
    let msg = load_layered(Some(""), &[], &flags)
        .expect_err("plain http")
        .to_string();
    assert!(
        msg.starts_with("--base-url: base_url \"http://api.vcita.biz\"")
            && msg.contains("https://"),
        "{msg}"
    );
    let flags = Flags {
        update_fields: Some("some".into()),
        ..Flags::default()
    };
    let msg = load_layered(Some(""), &[], &flags)
        .expect_err("mode")
        .to_string();
    assert!(
        msg.contains("--update-fields") && msg.contains("(got \"some\")"),
        "{msg}"
    );
    // A value a higher layer replaces is never used, so never checked.
    let flags = Flags {
        refresh_secs: Some("5".into()),
        ..Flags::default()
    };
    let c = load_layered(
        Some("refresh_secs = -1\n"),
        &[("CALLCONSOLE_REFRESH_SECS", "x")],
        &flags,
    )
    .expect("the flag wins");
    assert_eq!(c.refresh_secs, 5);
}

#[test]
fn every_default_comes_from_config_default() {
    // Nothing in the file, the environment or on the command line: exactly the defaults.
    let c = load_with(Some(""), &[]).expect("loads");
    assert_eq!(
        c,
        Config {
            path: c.path.clone(),
            ..Config::default()
        }
    );
    // The console starts from the same value, not from a copy of the defaults.
    assert_eq!(crate::app::Session::default().config, Config::default());
    let d = Config::default();
    assert_eq!(
        (d.page_size, d.refresh_secs, d.update_fields, d.mouse),
        (50, 30, UpdateFields::All, true)
    );
    assert_eq!(d.age_bands.map(|b| b.as_secs()), [15 * 60, 3600, 4 * 3600]);
    assert_eq!(d.base_url.as_str(), "https://api.vcita.biz/");
}

#[test]
fn broken_file_names_line_and_column() {
    let err = load_with(
        Some("base_url = \"https://x\"\npage_size = \"many\"\n"),
        &[],
    )
    .expect_err("must fail");
    match &err {
        ConfigError::Parse { line, .. } => assert_eq!(*line, 2),
        other => panic!("unexpected {other:?}"),
    }
    assert!(err.to_string().contains("line 2"), "{err}");
    let err = load_with(Some("tokn = \"x\"\n"), &[]).expect_err("unknown key");
    assert!(err.to_string().contains("tokn"), "{err}");
}

#[test]
fn explicit_missing_file_is_an_error() {
    let vars: HashMap<String, String> = [(
        "CALLCONSOLE_CONFIG".to_string(),
        "/nonexistent/cc.toml".to_string(),
    )]
    .into();
    assert!(matches!(
        Config::load(&Flags::default(), &|k| vars.get(k).cloned()),
        Err(ConfigError::Read { .. })
    ));
}

#[test]
fn plain_http_only_for_loopback() {
    for ok in [
        "https://api.vcita.biz",
        "http://127.0.0.1:8787",
        "http://localhost",
        "http://[::1]:1",
    ] {
        assert!(check_base_url(ok).is_ok(), "{ok}");
    }
    for bad in [
        "http://api.vcita.biz",
        "ftp://x",
        "not a url",
        "http://10.0.0.1",
    ] {
        assert!(check_base_url(bad).is_err(), "{bad}");
    }
    let err = load_with(Some("page_size = 500\n"), &[]).expect_err("range");
    assert!(err.to_string().contains("between 1 and 100"), "{err}");
    let err = load_with(Some("update_fields = \"some\"\n"), &[]).expect_err("mode");
    assert!(err.to_string().contains("\"all\" or \"changed\""), "{err}");
    let err = load_with(Some("default_country = \"Narnia\"\n"), &[]).expect_err("country");
    assert!(err.to_string().contains("two-letter"), "{err}");
    let ok = load_with(
        Some("update_fields = \"changed\"\ndefault_country = \"gb\"\n"),
        &[],
    )
    .expect("ok");
    assert_eq!(ok.update_fields, UpdateFields::Changed);
    assert_eq!(ok.default_country.as_deref(), Some("GB"));
}

#[test]
fn new_settings_default_when_absent() {
    let c = load_with(Some(""), &[]).expect("loads");
    assert_eq!(c.refresh_secs, 30);
    assert_eq!(c.refresh_interval(), Some(Duration::from_secs(30)));
    assert!(!c.bell_on_new_missed);
    assert_eq!(c.age_bands, Config::default().age_bands);
    assert_eq!(c.age_bands[1], Duration::from_secs(3600));
    assert!(c.mouse);
    assert_eq!(c.keys, KeyMap::default());
    assert_eq!(c.defaults, HandledDefaults::default());
}

#[test]
fn new_settings_are_read() {
    let c = load_with(
        Some(
            "refresh_secs = 0\nbell_on_new_missed = true\nmouse = false\n\
             age_bands = [\"90s\", \"1h30m\", \"1h30m1s\"]\n\
             [defaults]\nrate = \"0.05\"\nprovider = \"VONAGE\"\n\
             [keys]\nhandled = \"x\"\ndown = [\"j\", \"Ctrl-n\"]\n",
        ),
        &[],
    )
    .expect("loads");
    assert_eq!(c.refresh_secs, 0);
    assert_eq!(c.refresh_interval(), None, "0 turns reloads off");
    assert!(c.bell_on_new_missed);
    assert!(!c.mouse);
    assert_eq!(
        c.age_bands.map(|d| d.as_secs()),
        [90, 5400, 5401],
        "s/m/h and combinations"
    );
    assert_eq!(c.defaults.rate.as_deref(), Some("0.05"));
    assert_eq!(c.defaults.get(FieldId::Provider), Some("VONAGE"));
    assert_eq!(c.defaults.get(FieldId::Price), None);
    assert_eq!(c.defaults.get(FieldId::StaffUid), None);
    assert_eq!(c.keys.keys_text(crate::keys::Action::Handled), "x");
    assert_eq!(c.keys.keys_text(crate::keys::Action::Down), "j / Ctrl-n");
    assert_eq!(
        c.keys.keys(crate::keys::Action::Up),
        KeyMap::default().keys(crate::keys::Action::Up)
    );
}

#[test]
fn refresh_secs_range_and_env() {
    // (file text, env value, expected seconds or message fragment)
    let cases: &[(&str, Option<&str>, Result<u64, &str>)] = &[
        ("refresh_secs = 5\n", None, Ok(5)),
        ("refresh_secs = 86400\n", None, Ok(86_400)),
        ("refresh_secs = -1\n", None, Err("\"-1\" is negative")),
        (
            "refresh_secs = 86401\n",
            None,
            Err("\"86401\" is more than a day"),
        ),
        ("refresh_secs = 5\n", Some("60"), Ok(60)),
        ("", Some("0"), Ok(0)),
        ("", Some(" 45 "), Ok(45)),
        ("", Some("soon"), Err("\"soon\" is not a whole number")),
        ("", Some("-5"), Err("negative")),
        ("refresh_secs = -1\n", Some("10"), Ok(10)),
    ];
    for (text, env, want) in cases {
        let vars: Vec<(&str, &str)> = env
            .iter()
            .map(|v| ("CALLCONSOLE_REFRESH_SECS", *v))
            .collect();
        let got = load_with(Some(text), &vars);
        match (want, got) {
            (Ok(n), Ok(c)) => assert_eq!(c.refresh_secs, *n, "{text} {env:?}"),
            (Err(frag), Err(e)) => {
                let msg = e.to_string();
                assert!(msg.contains(frag), "{text} {env:?}: {msg}");
                let origin = if env.is_some() {
                    "CALLCONSOLE_REFRESH_SECS"
                } else {
                    "config.toml (refresh_secs)"
                };
                assert!(msg.contains(origin), "names where: {msg}");
                assert!(
                    msg.contains("0 to turn reloads off"),
                    "says what to do: {msg}"
                );
            }
            (want, got) => panic!("{text} {env:?}: want {want:?}, got {got:?}"),
        }
    }
    let err = load_with(Some("refresh_secs = \"30\"\n"), &[]).expect_err("a string");
    assert!(matches!(err, ConfigError::Parse { line: 1, .. }), "{err}");
}

#[test]
fn spans() {
    let cases: &[(&str, Option<u64>)] = &[
        ("45s", Some(45)),
        ("15m", Some(900)),
        ("1h", Some(3600)),
        ("1h30m", Some(5400)),
        ("2h0m5s", Some(7205)),
        ("0s", Some(0)),
        (" 5m ", Some(300)),
        ("15", None),
        ("1h30", None),
        ("30m1h", None),
        ("5m5m", None),
        ("1d", None),
        ("m", None),
        ("", None),
        ("-5m", None),
        ("1.5h", None),
        ("99999999999999999999h", None),
    ];
    for (text, want) in cases {
        match (parse_span(text), want) {
            (Ok(d), Some(s)) => assert_eq!(d.as_secs(), *s, "{text}"),
            (Err(e), None) => assert!(e.contains(&format!("\"{text}\"")), "{e}"),
            (got, want) => panic!("{text}: got {got:?}, want {want:?}"),
        }
    }
    assert!(
        parse_span("15")
            .expect_err("no unit")
            .contains("without a unit")
    );
}

#[test]
fn age_bands_must_be_three_increasing_durations() {
    let cases: &[(&str, &str)] = &[
        ("[\"15m\", \"1h\"]", "three durations"),
        ("[\"15m\", \"1h\", \"4h\", \"8h\"]", "(got 4)"),
        (
            "[\"15m\", \"1h\", \"1h\"]",
            "\"1h\" is not longer than \"1h\"",
        ),
        (
            "[\"1h\", \"15m\", \"4h\"]",
            "\"15m\" is not longer than \"1h\"",
        ),
        ("[\"0s\", \"1h\", \"4h\"]", "longer than zero"),
        (
            "[\"15m\", \"1 hour\", \"4h\"]",
            "\"1 hour\" is not a duration",
        ),
    ];
    for (bands, frag) in cases {
        let err = load_with(Some(&format!("age_bands = {bands}\n")), &[]).expect_err(bands);
        let msg = err.to_string();
        assert!(msg.contains(frag), "{bands}: {msg}");
        assert!(msg.contains("(age_bands)"), "{msg}");
    }
}

#[test]
fn key_errors_name_the_file_and_setting() {
    let cases: &[(&str, &[&str])] = &[
        (
            "[keys]\nhande = \"x\"\n",
            &["(keys.hande)", "unknown action \"hande\""],
        ),
        (
            "[keys]\nhandled = \"Hyper-x\"\n",
            &["(keys.handled)", "\"Hyper-x\""],
        ),
        ("[keys]\ndown = []\n", &["(keys.down)", "empty list"]),
        ("[keys]\ndown = \"k\"\n", &["(keys.up)", "both down and up"]),
        (
            "[keys]\nquit = [\"q\", \"Ctrl-c\"]\n",
            &["(keys.quit)", "reserved"],
        ),
    ];
    for (text, frags) in cases {
        let err = load_with(Some(text), &[]).expect_err(text);
        let msg = err.to_string();
        assert!(msg.contains("config.toml"), "{msg}");
        for f in *frags {
            assert!(msg.contains(f), "{text}: {msg} lacks {f}");
        }
    }
    let err = load_with(Some("[keys]\nhandled = 3\n"), &[]).expect_err("number");
    assert!(matches!(err, ConfigError::Parse { line: 2, .. }), "{err}");
    assert!(err.to_string().contains("a key like"), "{err}");
}

#[test]
fn handled_defaults_follow_the_form_rules() {
    let cases: &[(&str, &str)] = &[
        ("rate = \"-1\"", "rate must be a non-negative decimal"),
        ("price = \"1,50\"", "(got \"1,50\")"),
        ("price = \"\"", "price is required"),
        ("recording_id = \" \"", "recording_id is required"),
        (
            "provider = \"TWILIO\"",
            "provider \"TWILIO\" is not one the API accepts",
        ),
        ("provider = \"\"", "provider is required"),
    ];
    for (line, frag) in cases {
        let err = load_with(Some(&format!("[defaults]\n{line}\n")), &[]).expect_err(line);
        let msg = err.to_string();
        assert!(msg.contains(frag), "{line}: {msg}");
        let key = line.split(' ').next().unwrap_or_default();
        assert!(msg.contains(&format!("(defaults.{key})")), "{msg}");
    }
    let err = load_with(Some("[defaults]\nstaff_uid = \"x\"\n"), &[]).expect_err("unknown");
    assert!(err.to_string().contains("staff_uid"), "{err}");
    let ok = load_with(
        Some("[defaults]\nrate = \"0\"\nprice = \"1.50\"\nrecording_id = \"none\"\n"),
        &[],
    )
    .expect("valid");
    assert_eq!(ok.defaults.price.as_deref(), Some("1.50"), "kept as typed");
    assert_eq!(ok.defaults.recording_id.as_deref(), Some("none"));
}

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
    assert_eq!(c.bell_on_new_missed, d.bell_on_new_missed);
    assert_eq!(c.age_bands, Config::default().age_bands);
    assert_eq!(c.mouse, d.mouse);
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
    for action in crate::keys::Action::ALL {
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
    let readme = include_str!("../README.md");
    let block = readme
        .split("```toml\n")
        .nth(1)
        .and_then(|rest| rest.split("```").next())
        .expect("README has a toml block");
    let c = load_with(Some(block), &[]).unwrap_or_else(|e| panic!("{e}\n{block}"));
    assert_eq!(c.keys.keys_text(crate::keys::Action::Handled), "x");
    assert_eq!(c.defaults.provider.as_deref(), Some("VONAGE"));
}
