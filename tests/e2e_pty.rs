//! End to end: the real binary in a pseudo-terminal, in demo mode. Types keys, reads the
//! screen through a terminal emulator, and checks the terminal is given back clean.

use std::io::{Read, Write};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use portable_pty::{CommandBuilder, PtySize, native_pty_system};

struct Session {
    parser: Arc<Mutex<vt100::Parser>>,
    raw: Arc<Mutex<Vec<u8>>>,
    writer: Box<dyn Write + Send>,
    child: Box<dyn portable_pty::Child + Send + Sync>,
    _dir: tempfile::TempDir,
}

impl Session {
    fn start(args: &[&str], rows: u16, cols: u16) -> Self {
        let dir = tempfile::tempdir().expect("tempdir");
        let pty = native_pty_system()
            .openpty(PtySize {
                rows,
                cols,
                pixel_width: 0,
                pixel_height: 0,
            })
            .expect("pty");
        let mut cmd = CommandBuilder::new(env!("CARGO_BIN_EXE_callconsole"));
        cmd.args(args);
        cmd.cwd(dir.path());
        // A home of its own: no user config, no user data, no token from the environment.
        for (k, v) in [
            ("HOME", dir.path().to_path_buf()),
            ("XDG_CONFIG_HOME", dir.path().join("config")),
            ("XDG_DATA_HOME", dir.path().join("data")),
        ] {
            cmd.env(k, v);
        }
        for k in [
            "CALLCONSOLE_TOKEN",
            "CALLCONSOLE_CONFIG",
            "CALLCONSOLE_BASE_URL",
            "NO_COLOR",
        ] {
            cmd.env_remove(k);
        }
        cmd.env("TERM", "xterm-256color");
        let child = pty.slave.spawn_command(cmd).expect("spawn");
        drop(pty.slave);
        let mut reader = pty.master.try_clone_reader().expect("reader");
        let writer = pty.master.take_writer().expect("writer");
        let parser = Arc::new(Mutex::new(vt100::Parser::new(
            std::num::NonZero::new(rows).expect("rows"),
            std::num::NonZero::new(cols).expect("cols"),
            0,
        )));
        let raw = Arc::new(Mutex::new(Vec::new()));
        let (p, r) = (parser.clone(), raw.clone());
        std::thread::spawn(move || {
            let _master = pty.master; // keep the pty open while reading
            let mut buf = [0u8; 8192];
            while let Ok(n) = reader.read(&mut buf) {
                if n == 0 {
                    break;
                }
                p.lock().expect("parser").process(&buf[..n]);
                r.lock().expect("raw").extend_from_slice(&buf[..n]);
            }
        });
        Self {
            parser,
            raw,
            writer,
            child,
            _dir: dir,
        }
    }

    fn screen(&self) -> String {
        self.parser.lock().expect("parser").screen().contents()
    }

    fn wait_for(&self, what: &str, pred: impl Fn(&str) -> bool) -> String {
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            let screen = self.screen();
            if pred(&screen) {
                return screen;
            }
            assert!(
                Instant::now() < deadline,
                "timed out waiting for {what}; screen:\n{screen}"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    fn send(&mut self, keys: &str) {
        self.writer.write_all(keys.as_bytes()).expect("write");
        self.writer.flush().expect("flush");
    }

    fn wait_exit(&mut self) -> portable_pty::ExitStatus {
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            if let Some(status) = self.child.try_wait().expect("try_wait") {
                return status;
            }
            assert!(
                Instant::now() < deadline,
                "did not exit; screen:\n{}",
                self.screen()
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

/// The line holding the selection marker.
fn selected_line(screen: &str) -> String {
    screen
        .lines()
        .find(|l| l.contains('▶'))
        .unwrap_or_default()
        .to_string()
}

#[test]
fn browse_demo_calls_and_quit_cleanly() {
    let mut s = Session::start(&["--demo"], 30, 140);
    let screen = s.wait_for("the first rows", |sc| {
        sc.contains("▶") && sc.contains("calls ·")
    });
    assert!(screen.contains("DEMO"), "DEMO badge shown:\n{screen}");
    assert!(
        screen.contains("GET …/voice_calls?page=1 → 200 OK"),
        "status bar shows the request:\n{screen}"
    );
    let first = selected_line(&screen);

    s.send("j");
    let screen = s.wait_for("the cursor to move", |sc| selected_line(sc) != first);
    let second = selected_line(&screen);
    assert!(!second.is_empty());

    s.send("\r");
    s.wait_for("the detail pane", |sc| {
        sc.contains("Call detail") && sc.contains("direction")
    });
    // The pane scrolls down to the recording.
    s.send(&"J".repeat(12));
    s.wait_for("the recording part", |sc| sc.contains("Recording"));

    s.send("?");
    s.wait_for("help", |sc| sc.contains("this help"));
    s.send("x");
    s.wait_for("help to close", |sc| !sc.contains("this help"));

    s.send("q");
    let status = s.wait_exit();
    assert!(status.success(), "exit status {status:?}");
    // Give the reader a moment to take in the last bytes.
    std::thread::sleep(Duration::from_millis(200));
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
    s.send("G");
    s.wait_for("a second page", |sc| {
        sc.contains("100 calls") || sc.contains("150 calls")
    });
    for _ in 0..10 {
        s.send("G");
        std::thread::sleep(Duration::from_millis(100));
    }
    s.wait_for("all 400 loaded", |sc| sc.contains("400 calls · all loaded"));
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
