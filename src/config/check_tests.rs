//! Tests for checking each setting's value: the base URL, ranges, durations and age bands,
//! key bindings and the handled defaults, each error naming where it was written.

use super::layers_tests::load_with;
use super::*;

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

/// `load_limit`: a number of calls from one page to a million; a bad one says the range.
#[test]
fn load_limit_range() {
    let cases: &[(&str, Result<u64, &str>)] = &[
        ("load_limit = 100\n", Ok(100)),
        ("load_limit = 1000000\n", Ok(1_000_000)),
        (
            "load_limit = 99\n",
            Err("between 100 and 1000000 calls (got \"99\")"),
        ),
        ("load_limit = 1000001\n", Err("between 100 and 1000000")),
        ("load_limit = -5\n", Err("(got \"-5\")")),
        ("load_limit = 0\n", Err("(got \"0\")")),
    ];
    for (text, want) in cases {
        match (want, load_with(Some(text), &[])) {
            (Ok(n), Ok(c)) => assert_eq!(c.load_limit, *n, "{text}"),
            (Err(frag), Err(e)) => {
                let msg = e.to_string();
                assert!(msg.contains(frag), "{text}: {msg}");
                assert!(
                    msg.contains("config.toml (load_limit)"),
                    "names where: {msg}"
                );
            }
            (want, got) => panic!("{text}: want {want:?}, got {got:?}"),
        }
    }
    let err = load_with(Some(""), &[("CALLCONSOLE_LOAD_LIMIT", "lots")]).expect_err("text");
    assert!(
        err.to_string()
            .contains("CALLCONSOLE_LOAD_LIMIT: load_limit \"lots\" is not a whole number"),
        "{err}"
    );
}

/// `max_in_flight`: 1 to 16 requests at once, default 4, from any layer; a bad one names the
/// setting, the range and where it was written.
#[test]
fn max_in_flight_range_and_layers() {
    assert_eq!(load_with(Some(""), &[]).expect("defaults").max_in_flight, 4);
    let cases: &[(&str, Result<usize, &str>)] = &[
        ("max_in_flight = 1\n", Ok(1)),
        ("max_in_flight = 16\n", Ok(16)),
        (
            "max_in_flight = 17\n",
            Err("max_in_flight must be between 1 and 16 requests at once (got \"17\")"),
        ),
        ("max_in_flight = 0\n", Err("between 1 and 16")),
        ("max_in_flight = -2\n", Err("(got \"-2\")")),
    ];
    for (text, want) in cases {
        match (want, load_with(Some(text), &[])) {
            (Ok(n), Ok(c)) => assert_eq!(c.max_in_flight, *n, "{text}"),
            (Err(frag), Err(e)) => {
                let msg = e.to_string();
                assert!(msg.contains(frag), "{text}: {msg}");
                assert!(msg.contains("config.toml (max_in_flight)"), "{msg}");
            }
            (want, got) => panic!("{text}: want {want:?}, got {got:?}"),
        }
    }
    let env = [("CALLCONSOLE_MAX_IN_FLIGHT", "8")];
    let c = load_with(Some("max_in_flight = 2\n"), &env).expect("env over file");
    assert_eq!(c.max_in_flight, 8);
    let flags = Flags {
        max_in_flight: Some("1".into()),
        ..Flags::default()
    };
    let c = super::layers_tests::load_layered(Some("max_in_flight = 2\n"), &env, &flags)
        .expect("flag over env");
    assert_eq!(c.max_in_flight, 1);
    let flags = Flags {
        max_in_flight: Some("many".into()),
        ..Flags::default()
    };
    let err = super::layers_tests::load_layered(Some(""), &[], &flags).expect_err("text");
    assert!(
        err.to_string()
            .contains("--max-in-flight: max_in_flight \"many\" is not a whole number"),
        "{err}"
    );
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

#[test]
fn a_name_is_not_a_staff_uid() {
    let err = load_with(Some("staff_uid = \"Maya\"\n"), &[]).expect_err("a name");
    assert!(err.to_string().contains("looks like a name"), "{err}");
    let c = load_with(Some("staff_uid = \"afce1a3b-80d2\"\n"), &[]).expect("a uid");
    assert_eq!(c.staff_uid.as_deref(), Some("afce1a3b-80d2"));
}

#[test]
fn an_unknown_time_zone_says_where_and_how_to_find_names() {
    let err = load_with(Some("time_zone = \"Pacific Time\"\n"), &[]).expect_err("unknown");
    let text = err.to_string();
    assert!(
        text.contains("(time_zone): time_zone \"Pacific Time\" is not a time zone"),
        "{text}"
    );
    assert!(
        text.contains("America/New_York") && text.contains("list-timezones"),
        "{text}"
    );
    let err = load_with(Some(""), &[("CALLCONSOLE_TIME_ZONE", "new york")]).expect_err("a city");
    let text = err.to_string();
    assert!(
        text.starts_with("CALLCONSOLE_TIME_ZONE: time_zone \"new york\""),
        "{text}"
    );
    assert!(
        text.contains("did you mean \"America/New_York\"?"),
        "{text}"
    );
    let ok = load_with(Some("time_zone = \"America/Los_Angeles\"\n"), &[]).expect("known");
    assert_eq!(
        ok.time_zone.map(|z| z.to_string()).as_deref(),
        Some("America/Los_Angeles")
    );
    assert_eq!(
        Config::default().time_zone,
        None,
        "the business's by default"
    );
}

/// `group_by_caller` from the environment or a flag is a word; a typo says what is allowed.
#[test]
fn group_by_caller_is_a_switch() {
    assert!(load_with(Some(""), &[]).expect("defaults").group_by_caller);
    for (text, want) in [("false", false), (" No ", false), ("on", true), ("1", true)] {
        let c = load_with(Some(""), &[("CALLCONSOLE_GROUP_BY_CALLER", text)]).expect(text);
        assert_eq!(c.group_by_caller, want, "{text}");
    }
    let err = load_with(Some(""), &[("CALLCONSOLE_GROUP_BY_CALLER", "maybe")]).expect_err("word");
    assert_eq!(
        err.to_string(),
        "CALLCONSOLE_GROUP_BY_CALLER: group_by_caller must be true or false (got \"maybe\")"
    );
}
