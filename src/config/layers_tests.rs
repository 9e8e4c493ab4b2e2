//! Tests for loading settings in layers: defaults, file, environment and flags, which wins,
//! where a bad value came from, and a broken or missing file.

use super::*;
use std::collections::HashMap;

pub(super) fn load_with(text: Option<&str>, vars: &[(&str, &str)]) -> Result<Config, ConfigError> {
    load_layered(text, vars, &Flags::default())
}

/// Loads with a file holding `text` (none: no file), the environment `vars` and `flags`.
pub(super) fn load_layered(
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
        Case {
            key: "load_limit",
            line: "load_limit = 1000",
            given: ["2000", "300000"],
            read: ["1000", "2000", "300000"],
            set_flag: |f, v| f.load_limit = Some(v),
            get: |c| c.load_limit.to_string(),
        },
        Case {
            key: "time_zone",
            line: "time_zone = \"America/New_York\"",
            given: ["europe/london", "UTC"],
            read: ["America/New_York", "Europe/London", "UTC"],
            set_flag: |f, v| f.time_zone = Some(v),
            get: |c| {
                c.time_zone
                    .as_ref()
                    .map(|z| z.to_string())
                    .unwrap_or_default()
            },
        },
        Case {
            key: "group_by_caller",
            line: "group_by_caller = false",
            given: ["TRUE", "off"],
            read: ["false", "true", "false"],
            set_flag: |f, v| f.group_by_caller = Some(v),
            get: |c| c.group_by_caller.to_string(),
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
    assert_eq!(
        crate::console::app::Session::default().config,
        Config::default()
    );
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
fn a_file_over_1_mib_is_refused_before_parsing() {
    // Issue 14, point 5: a 26 MB file cost 935 MB to parse. This one would parse (it is a
    // comment and one line); its size alone refuses it.
    let padding = "#".repeat(MAX_CONFIG_BYTES as usize);
    let err = load_with(Some(&format!("{padding}\npage_size = 20\n")), &[]).expect_err("too big");
    assert!(matches!(err, ConfigError::TooLarge { .. }), "{err:?}");
    assert!(err.to_string().contains("larger than 1 MiB"), "{err}");
    let just_fits = format!("{}\n", "#".repeat(MAX_CONFIG_BYTES as usize - 1));
    assert!(load_with(Some(&just_fits), &[]).is_ok());
}

#[test]
fn huge_values_in_the_file_are_quoted_cut() {
    // Issue 14, point 5: a 50 MB base_url printed 50 MB. Each of these is half a megabyte.
    let big = "a".repeat(500_000);
    for text in [
        format!("base_url = \"https://{big} x\"\n"),
        format!("page_size = \"{big}\"\n"),
        format!("{big} = 1\n"),
        format!("[keys]\nquit = \"{big}\"\n"),
        format!("age_bands = [\"{big}\", \"1h\", \"4h\"]\n"),
    ] {
        let err = load_with(Some(&text), &[]).expect_err("refused");
        let message = err.to_string();
        assert!(
            message.len() < 1_000,
            "{} bytes: {:.200}",
            message.len(),
            message
        );
        assert!(message.contains("aaaa"), "the value is quoted: {message}");
    }
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
    assert_eq!(c.keys.keys_text(crate::console::keys::Action::Handled), "x");
    assert_eq!(
        c.keys.keys_text(crate::console::keys::Action::Down),
        "j / Ctrl-n"
    );
    assert_eq!(
        c.keys.keys(crate::console::keys::Action::Up),
        KeyMap::default().keys(crate::console::keys::Action::Up)
    );
}

#[test]
fn the_dial_command_is_layered_and_checked() {
    let file = "dial_command = \"open tel:{number}\"\n";
    let c = load_with(Some(file), &[]).expect("file");
    assert_eq!(c.dial_command.as_deref(), Some("open tel:{number}"));
    let c = load_with(
        Some(file),
        &[("CALLCONSOLE_DIAL_COMMAND", "xdg-open sip:{number}")],
    )
    .expect("env");
    assert_eq!(c.dial_command.as_deref(), Some("xdg-open sip:{number}"));
    let flags = Flags {
        dial_command: Some("softphone {number}".into()),
        ..Flags::default()
    };
    let c = load_layered(Some(file), &[("CALLCONSOLE_DIAL_COMMAND", "x")], &flags).expect("flag");
    assert_eq!(c.dial_command.as_deref(), Some("softphone {number}"));
    assert_eq!(load_with(Some(""), &[]).expect("none").dial_command, None);
    let err = load_with(Some("dial_command = \"open 'tel:{number}\"\n"), &[])
        .expect_err("unbalanced quote")
        .to_string();
    assert!(
        err.contains("(dial_command): cannot read dial_command") && err.contains("quotes"),
        "{err}"
    );
}
