//! Shared by the end-to-end tests: the real binary in a pseudo-terminal, read through a
//! terminal emulator, and `callconsole serve` as a separate process to talk to.
#![allow(dead_code)]

use std::io::{BufRead, BufReader, Read, Write};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use portable_pty::{CommandBuilder, MasterPty, PtySize, native_pty_system};

pub struct Session {
    pub parser: Arc<Mutex<vt100::Parser>>,
    pub raw: Arc<Mutex<Vec<u8>>>,
    /// `None` once the terminal is closed; so is `master`.
    writer: Option<Box<dyn Write + Send>>,
    master: Option<Box<dyn MasterPty + Send>>,
    /// Tells the reader thread to let go of its end of the terminal after its next read.
    closing: Arc<AtomicBool>,
    reader: Option<JoinHandle<()>>,
    size: PtySize,
    pub child: Box<dyn portable_pty::Child + Send + Sync>,
    pub dir: tempfile::TempDir,
}

impl Session {
    pub fn start(args: &[&str], rows: u16, cols: u16) -> Self {
        Self::start_in(tempfile::tempdir().expect("tempdir"), args, &[], rows, cols)
    }

    /// Starts in `dir` as its home, with extra environment variables.
    pub fn start_in(
        dir: tempfile::TempDir,
        args: &[&str],
        env: &[(&str, &str)],
        rows: u16,
        cols: u16,
    ) -> Self {
        let size = PtySize {
            rows,
            cols,
            pixel_width: 0,
            pixel_height: 0,
        };
        let pty = native_pty_system().openpty(size).expect("pty");
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
        // The machine's zone is UTC, whatever this machine's: the demo business's zone
        // (America/Los_Angeles) then always differs from it.
        cmd.env("TZ", "UTC");
        for (k, v) in env {
            cmd.env(k, v);
        }
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
        let closing = Arc::new(AtomicBool::new(false));
        let (p, r, c) = (parser.clone(), raw.clone(), closing.clone());
        // Ends on EOF or EIO (the app gone), or after a read once the terminal is closing:
        // `reader` is a second handle on the master, which stays open until it is dropped.
        let thread = std::thread::spawn(move || {
            let mut buf = [0u8; 8192];
            while let Ok(n) = reader.read(&mut buf) {
                if n == 0 {
                    break;
                }
                p.lock().expect("parser").process(&buf[..n]);
                r.lock().expect("raw").extend_from_slice(&buf[..n]);
                if c.load(Ordering::SeqCst) {
                    break;
                }
            }
        });
        Self {
            parser,
            raw,
            writer: Some(writer),
            master: Some(pty.master),
            closing,
            reader: Some(thread),
            size,
            child,
            dir,
        }
    }

    /// Closes the terminal as a closed window does: every handle on the master side is
    /// dropped, so the app gets SIGHUP and EIO. Returns when the last one is gone.
    pub fn close_terminal(&mut self) -> Instant {
        // portable-pty's writer types a newline and EOF (Ctrl-j, Ctrl-d in raw mode) when it
        // is dropped; let the app read those while the terminal is still there, so the
        // closing itself carries no input.
        drop(self.writer.take());
        std::thread::sleep(Duration::from_millis(300));
        self.closing.store(true, Ordering::SeqCst);
        // The reader thread is blocked reading; a resize makes the app redraw, which wakes
        // it to see `closing` and drop its handle.
        let master = self.master.take().expect("the terminal is open");
        let bigger = PtySize {
            rows: self.size.rows + 1,
            ..self.size
        };
        master.resize(bigger).expect("resize");
        drop(master);
        let reader = self.reader.take().expect("reader thread");
        let deadline = Instant::now() + Duration::from_secs(10);
        while !reader.is_finished() {
            assert!(
                Instant::now() < deadline,
                "the reader kept the terminal open; screen:\n{}",
                self.screen()
            );
            std::thread::sleep(Duration::from_millis(10));
        }
        reader.join().expect("reader thread");
        Instant::now()
    }

    pub fn screen(&self) -> String {
        self.parser.lock().expect("parser").screen().contents()
    }

    pub fn wait_for(&self, what: &str, pred: impl Fn(&str) -> bool) -> String {
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

    /// Waits (30 s at most) until everything the app has written to the terminal since byte
    /// `from` satisfies `pred`: for what is not on the screen, such as the sequences that give
    /// the terminal back after it exits.
    pub fn wait_output(&self, what: &str, from: usize, pred: impl Fn(&str) -> bool) -> String {
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            let raw = self.raw.lock().expect("raw");
            let out = String::from_utf8_lossy(raw.get(from..).unwrap_or_default()).into_owned();
            drop(raw);
            if pred(&out) {
                return out;
            }
            assert!(
                Instant::now() < deadline,
                "timed out waiting for {what} in the output"
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    pub fn send(&mut self, keys: &str) {
        let writer = self.writer.as_mut().expect("the terminal is open");
        writer.write_all(keys.as_bytes()).expect("write");
        writer.flush().expect("flush");
    }

    /// Gives the home directory back (to start again in it).
    pub fn into_dir(self) -> tempfile::TempDir {
        self.dir
    }

    pub fn wait_exit(&mut self) -> portable_pty::ExitStatus {
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

/// Waits until `cond` holds (30 s at most), polling: for a condition outside the screen,
/// such as a request reaching the server.
pub fn wait_until(what: &str, cond: impl Fn() -> bool) {
    let deadline = Instant::now() + Duration::from_secs(30);
    while !cond() {
        assert!(Instant::now() < deadline, "timed out waiting for {what}");
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// Whether any `.json` file under `root` (searched all the way down) holds `needle`: for what
/// the app writes to disk in its own time, such as a draft. Only finished files: the app
/// writes each one to a temporary name first and renames it when it is whole.
pub fn any_json_holds(root: &std::path::Path, needle: &str) -> bool {
    let Ok(entries) = std::fs::read_dir(root) else {
        return false;
    };
    entries.flatten().any(|e| {
        let path = e.path();
        if path.is_dir() {
            any_json_holds(&path, needle)
        } else {
            path.extension().is_some_and(|x| x == "json")
                && std::fs::read(&path)
                    .map(|b| String::from_utf8_lossy(&b).contains(needle))
                    .unwrap_or(false)
        }
    })
}

/// The screen line the selection marker is on.
pub fn selected_row(screen: &str) -> Option<usize> {
    screen.lines().position(|l| l.contains('▶'))
}

/// The line holding the selection marker.
pub fn selected_line(screen: &str) -> String {
    screen
        .lines()
        .find(|l| l.contains('▶'))
        .unwrap_or_default()
        .to_string()
}

/// `callconsole serve` on a port it picks itself; killed when dropped.
pub struct Server {
    child: Child,
    pub base: String,
    pub token: String,
    /// A home or data folder the server lives in, removed with it.
    _dir: Option<tempfile::TempDir>,
}

impl Server {
    /// The server's process id, to send it a signal.
    pub fn id(&self) -> u32 {
        self.child.id()
    }

    /// Waits (30 s at most) for the server to exit by itself, and says how it ended.
    pub fn wait_exit(&mut self) -> std::process::ExitStatus {
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            if let Some(status) = self.child.try_wait().expect("try_wait") {
                return status;
            }
            assert!(Instant::now() < deadline, "the server did not exit");
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

/// Dropping kills the process outright (SIGKILL on unix): nothing of the server's own runs.
impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Starts `callconsole serve --port 0` with `seed_count` generated calls in memory, and reads
/// its address from the banner.
pub fn serve(token: &str, seed_count: usize) -> Server {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_callconsole"));
    cmd.args([
        "serve",
        "--port",
        "0",
        "--token",
        token,
        "--seed-count",
        &seed_count.to_string(),
    ]);
    start_serve(cmd, token, None)
}

/// Runs a prepared `callconsole serve …` command (it must serve with `token`), reads its
/// address from the banner, and keeps draining its output.
pub fn start_serve(mut cmd: Command, token: &str, dir: Option<tempfile::TempDir>) -> Server {
    let mut child = cmd
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("serve starts");
    let stdout = child.stdout.take().expect("stdout");
    let mut lines = BufReader::new(stdout);
    let mut first = String::new();
    lines.read_line(&mut first).expect("banner");
    let base = first
        .split_once("listening on ")
        .map(|(_, url)| url.trim().to_string())
        .unwrap_or_else(|| panic!("no address in the banner: {first}"));
    // Keep reading, so the server never writes into a closed pipe.
    std::thread::spawn(move || std::io::copy(&mut lines, &mut std::io::sink()));
    Server {
        child,
        base,
        token: token.to_string(),
        _dir: dir,
    }
}
