//! Shared by the end-to-end tests: the real binary in a pseudo-terminal, read through a
//! terminal emulator, and `callconsole serve` as a separate process to talk to.
#![allow(dead_code)]

use std::io::{BufRead, BufReader, Read, Write};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use portable_pty::{CommandBuilder, PtySize, native_pty_system};

pub struct Session {
    pub parser: Arc<Mutex<vt100::Parser>>,
    pub raw: Arc<Mutex<Vec<u8>>>,
    writer: Box<dyn Write + Send>,
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
            dir,
        }
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

    pub fn send(&mut self, keys: &str) {
        self.writer.write_all(keys.as_bytes()).expect("write");
        self.writer.flush().expect("flush");
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
