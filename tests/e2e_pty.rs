//! End to end: the real binary in a pseudo-terminal, in demo mode. Types keys, reads the
//! screen through a terminal emulator, and checks the terminal is given back clean.

mod common;

use common::{Session, selected_line};

#[test]
fn browse_demo_calls_and_quit_cleanly() {
    let mut s = Session::start(&["--demo"], 30, 140);
    // The whole frame, not one caught half drawn: the rows, and the answer in the status bar.
    let screen = s.wait_for("the first rows and the status bar's answer", |sc| {
        sc.contains("▶") && sc.contains("calls ·") && sc.contains("→ 200 OK")
    });
    assert!(screen.contains("DEMO"), "DEMO badge shown:\n{screen}");
    let first = selected_line(&screen);

    s.send("j");
    let screen = s.wait_for("the cursor to move", |sc| selected_line(sc) != first);
    let second = selected_line(&screen);
    assert!(!second.is_empty());

    s.send("\r");
    s.wait_for("the detail pane", |sc| {
        sc.contains("Call detail") && sc.contains("direction")
    });
    // The pane scrolls down, past the client panel and the fields, to the recording.
    s.send(&"J".repeat(24));
    s.wait_for("the recording part", |sc| sc.contains("Recording"));

    s.send("?");
    s.wait_for("help", |sc| sc.contains("Keys in force"));
    s.send("x");
    s.wait_for("help to close", |sc| !sc.contains("Keys in force"));

    s.send("q");
    let status = s.wait_exit();
    assert!(status.success(), "exit status {status:?}");
    // The last bytes may still be on their way to the reader.
    s.wait_output("the terminal given back", 0, |out| {
        out.contains("\x1b[?1049l") && out.contains("\x1b[?25h")
    });
    let parser = s.parser.lock().expect("parser");
    assert!(!parser.screen().alternate_screen(), "alternate screen left");
    assert!(!parser.screen().hide_cursor(), "cursor shown again");
    let raw = s.raw.lock().expect("raw");
    let tail = String::from_utf8_lossy(&raw[raw.len().saturating_sub(200)..]).into_owned();
    assert!(
        tail.contains("\x1b[?1049l"),
        "leaves the alternate screen last: {tail:?}"
    );
}

#[test]
fn end_of_list_loads_more_pages() {
    let mut s = Session::start(&["--demo", "--seed-count", "400"], 24, 120);
    s.wait_for("the first rows", |sc| sc.contains("▶"));
    s.send("2"); // All calls
    // Answered calls are listed only in All.
    s.wait_for("the All view", |sc| {
        sc.contains("50 of 400 calls") && sc.contains("Answered")
    });
    // One G loads the rest of the view and lands on its last call.
    s.send("G");
    s.wait_for("all 400 loaded, the cursor on the last row", |sc| {
        let rows: Vec<&str> = sc.lines().collect();
        sc.contains("400 calls · all loaded")
            && rows.len() > 3
            && rows[rows.len() - 3].starts_with('▶')
    });
    s.send("\x03"); // Ctrl-C quits too
    assert!(s.wait_exit().success());
}

#[test]
fn broken_config_is_reported_before_the_terminal_is_taken() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("config.toml");
    std::fs::write(
        &path,
        "base_url = \"https://api.vcita.biz\"\npage_size = \"lots\"\n",
    )
    .expect("write");
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_callconsole"))
        .arg("--config")
        .arg(&path)
        .env_remove("CALLCONSOLE_TOKEN")
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("line 2"), "{err}");
    assert!(err.contains(&path.display().to_string()), "{err}");
    assert!(
        !String::from_utf8_lossy(&out.stdout).contains("\x1b[?1049h"),
        "terminal untouched"
    );

    std::fs::write(
        &path,
        "base_url = \"http://api.vcita.biz\"\ntoken = \"x\"\n",
    )
    .expect("write");
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_callconsole"))
        .arg("--config")
        .arg(&path)
        .env_remove("CALLCONSOLE_TOKEN")
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("https://"));
}

/// The number in a tab label of the title row: `1 Needs follow-up 49` → 49.
fn tab_count(screen: &str, title: &str) -> Option<usize> {
    let first = screen.lines().next()?;
    let rest = &first[first.find(title)? + title.len()..];
    rest.split_whitespace()
        .next()?
        .trim_end_matches('+')
        .parse()
        .ok()
}

#[test]
fn triage_three_calls_and_find_one_by_number() {
    let dir = tempfile::tempdir().expect("tempdir");
    let config = dir.path().join("config.toml");
    std::fs::write(
        &config,
        "staff_uid = \"staff-e2e\"\nrefresh_secs = 0\n\n[defaults]\nrate = \"0\"\nprice = \"0\"\nrecording_id = \"none\"\n",
    )
    .expect("config");
    let config = config.to_string_lossy().into_owned();
    let mut s = Session::start_in(dir, &["--demo", "--config", &config], &[], 30, 150);
    let screen = s.wait_for("the follow-up view with its count", |sc| {
        sc.contains("▶") && tab_count(sc, "Needs follow-up").is_some()
    });
    let before = tab_count(&screen, "Needs follow-up").expect("count");
    assert!(before >= 3, "{screen}");
    assert!(
        screen
            .lines()
            .nth(2)
            .is_some_and(|l| l.contains("Missed") || l.contains("Voicemail")),
        "opens on calls that need a call back:\n{screen}"
    );

    s.send("   ");
    s.wait_for("three selected", |sc| sc.contains("3 selected"));
    s.send("h");
    // The count follows each call as it is handled; the progress says when all three are.
    let screen = s.wait_for("all three handled and the count down by three", |sc| {
        sc.contains("handled 3/3") && tab_count(sc, "Needs follow-up") == Some(before - 3)
    });
    assert_eq!(
        screen.matches("staff-e2e").count(),
        0,
        "the handled calls left Needs follow-up:\n{screen}"
    );

    // Search for a number shown further down and land on its call.
    let target = screen
        .lines()
        .skip(12)
        .find_map(|l| {
            l.split_whitespace()
                .find(|w| w.starts_with('+') && w.len() > 9)
        })
        .expect("a number on screen")
        .to_string();
    s.send("/");
    s.send(&target);
    s.send("\r");
    let screen = s.wait_for("the cursor on the number's call", |sc| {
        selected_line(sc).contains(&target)
    });
    assert!(screen.contains("match"), "{screen}");
    s.send("q");
    assert!(s.wait_exit().success());
}

#[test]
fn quitting_keeps_the_list_for_an_instant_next_start() {
    let dir = tempfile::tempdir().expect("tempdir");
    let data = dir.path().join("calls.json").to_string_lossy().into_owned();
    let args = ["--demo", "--data", data.as_str()];
    let mut s = Session::start_in(dir, &args, &[], 24, 120);
    // The selected call's client by name and times in the business's zone, then both kept.
    let seed: serde_json::Value =
        serde_json::from_str(include_str!("../assets/demo/seed.json")).expect("seed");
    let clients: Vec<String> = seed["clients"]
        .as_array()
        .expect("clients")
        .iter()
        .filter_map(|p| p["name"].as_str().map(str::to_string))
        .collect();
    let named = |line: &str| clients.iter().find(|n| line.contains(n.as_str())).cloned();
    let screen = s.wait_for("a name and the business's zone", |sc| {
        let title = sc.lines().next().unwrap_or_default();
        (title.contains("PST") || title.contains("PDT")) && named(&selected_line(sc)).is_some()
    });
    let name = named(&selected_line(&screen)).unwrap_or_default();
    let people = s.dir.path().join("data/callconsole/people-demo.json");
    common::wait_until("the name and the business's zone kept", || {
        std::fs::read_to_string(&people)
            .is_ok_and(|t| t.contains(&name) && t.contains("America/Los_Angeles"))
    });
    let first = selected_line(&screen);
    s.send("q");
    assert!(s.wait_exit().success());
    let dir = s.into_dir();
    let cache = dir.path().join("data/callconsole/cache-demo.json");
    let text = std::fs::read_to_string(&cache).expect("cache written at exit");
    assert!(text.contains("\"follow-up\""), "the open view is recorded");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&cache)
            .expect("meta")
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600);
    }
    let mut again = Session::start_in(dir, &args, &[], 24, 120);
    let screen = again.wait_for("the list again", |sc| sc.contains("▶"));
    // The same call, time, numbers and client; not the summary column, where a voicemail's
    // transcript line shows once it is fetched (each session, for the rows on screen).
    let before_summary = |line: &str| line.chars().take(100).collect::<String>();
    assert_eq!(
        before_summary(&selected_line(&screen)),
        before_summary(&first)
    );
    again.send("q");
    assert!(again.wait_exit().success());
}

/// `scripts/bench` reads these marks; frames are written whole (synchronized output).
#[test]
fn timing_marks_for_the_benchmark_script_and_whole_frames() {
    let dir = tempfile::tempdir().expect("tempdir");
    let marks = dir.path().join("marks.log");
    let marks_env = marks.to_string_lossy().into_owned();
    let mut s = Session::start_in(
        dir,
        &["--demo", "--seed-count", "300"],
        &[("CALLCONSOLE_BENCH_LOG", &marks_env)],
        24,
        120,
    );
    s.wait_for("the first rows", |sc| sc.contains("▶"));
    s.send("2");
    s.wait_for("the All view", |sc| sc.contains("calls ·"));
    s.send("V");
    s.wait_for("all 300 loaded and selected", |sc| {
        sc.contains("300 calls · all loaded") && sc.contains("all 300 calls in this view selected")
    });
    s.send("\x1b");
    s.wait_for("the selection cleared", |sc| !sc.contains("300 selected"));
    s.send("q");
    assert!(s.wait_exit().success());

    let text = std::fs::read_to_string(&marks).expect("marks written");
    let parsed: Vec<(u128, &str, u128)> = text
        .lines()
        .map(|l| {
            let mut parts = l.split(' ');
            let t = parts.next().and_then(|t| t.parse().ok()).expect("time");
            let event = parts.next().expect("event");
            let value = parts.next().and_then(|v| v.parse().ok()).expect("value");
            (t, event, value)
        })
        .collect();
    let first = |event: &str| {
        parsed
            .iter()
            .find(|(_, e, _)| *e == event)
            .unwrap_or_else(|| panic!("no {event} mark in:\n{text}"))
    };
    let (frame_at, _, _) = first("first_frame");
    let (page_at, _, page_calls) = first("first_page");
    let (complete_at, _, complete_calls) = *parsed
        .iter()
        .rfind(|(_, e, _)| *e == "complete")
        .expect("a complete mark");
    assert!(frame_at <= page_at && *page_at <= complete_at, "{text}");
    assert!(*page_calls > 0, "{text}");
    assert_eq!(complete_calls, 300, "{text}");
    assert!(
        parsed.iter().filter(|(_, e, _)| *e == "turn").count() >= 3,
        "one turn mark per loop pass:\n{text}"
    );

    let raw = s.raw.lock().expect("raw");
    let raw = String::from_utf8_lossy(&raw);
    let begins = raw.matches("\x1b[?2026h").count();
    let ends = raw.matches("\x1b[?2026l").count();
    assert!(begins >= 3, "frames are synchronized updates");
    assert_eq!(begins, ends, "every synchronized update is closed");
}

/// People, not uids: the demo's list shows clients by name and who handled a call by name,
/// and the title bar says who I am and where, all from the embedded server's people
/// endpoints.
#[test]
fn demo_shows_people_by_name() {
    let dir = tempfile::tempdir().expect("dir");
    let mut s = Session::start_in(dir, &["--demo"], &[], 30, 200);
    s.wait_for("the first rows", |sc| {
        sc.contains("▶") && sc.contains("calls ·")
    });
    // All calls: some of them handled.
    s.send("2");
    let seed: serde_json::Value =
        serde_json::from_str(include_str!("../assets/demo/seed.json")).expect("seed");
    let names = |kind: &str| -> Vec<String> {
        seed[kind]
            .as_array()
            .expect("people")
            .iter()
            .filter_map(|p| p["name"].as_str().map(str::to_string))
            .collect()
    };
    let (clients, staff) = (names("clients"), names("staff"));
    let screen = s.wait_for("client and staff names in the rows", |sc| {
        let rows: Vec<&str> = sc.lines().skip(2).collect();
        let named = |names: &[String]| {
            rows.iter()
                .any(|r| names.iter().any(|n| r.contains(n.as_str())))
        };
        named(&clients) && named(&staff)
    });
    let title = screen.lines().next().unwrap_or_default();
    assert!(
        title.contains("Bayview Physio"),
        "the business in the title bar:\n{title}"
    );
    s.send("q");
    assert!(s.wait_exit().success());
}
