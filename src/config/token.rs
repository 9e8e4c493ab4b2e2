//! Where the API token comes from: `CALLCONSOLE_TOKEN`, else `token_command` (a password
//! manager, say), else `token` in the config file. The first one present wins and later ones
//! are not even looked at, so a slow password manager is not asked when the environment
//! already has the token. A config file holding a token must be private to its owner.

use std::io::Read;
use std::path::Path;
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use crate::config::secret::Secret;
use crate::domain::sanitize;

/// How long `token_command` may take: long enough to type a password-manager passphrase
/// into a pinentry window, short enough that a hung command does not look like a hung app.
pub const COMMAND_TIMEOUT: Duration = Duration::from_secs(10);

/// Where the token came from, for the status line and `doctor`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenSource {
    Env,
    Command,
    ConfigFile,
}

impl TokenSource {
    /// A word for the title bar, where space is short: `env`, `command`, `file`.
    pub fn short(self) -> &'static str {
        match self {
            Self::Env => "env",
            Self::Command => "command",
            Self::ConfigFile => "file",
        }
    }

    /// The setting's name, for `doctor`.
    pub fn describe(self) -> &'static str {
        match self {
            Self::Env => "CALLCONSOLE_TOKEN",
            Self::Command => "token_command",
            Self::ConfigFile => "config file",
        }
    }
}

/// Picks the token by precedence. `command` is run only when the environment has none; its
/// failure is an error (not a fall back to the file), because silently using another account's
/// token would be worse than stopping. The error never holds the command's stdout.
pub fn resolve(
    env_token: Option<String>,
    command: Option<&str>,
    file_token: Option<String>,
    timeout: Duration,
) -> Result<Option<(Secret, TokenSource)>, String> {
    let usable = |t: String| {
        let t = t.trim().to_string();
        (!t.is_empty()).then(|| Secret::new(t))
    };
    if let Some(token) = env_token.and_then(usable) {
        return Ok(Some((token, TokenSource::Env)));
    }
    if let Some(command) = command.filter(|c| !c.trim().is_empty()) {
        let token = run_command(command, timeout)?;
        return Ok(Some((token, TokenSource::Command)));
    }
    Ok(file_token
        .and_then(usable)
        .map(|t| (t, TokenSource::ConfigFile)))
}

/// Runs `command` through the shell and takes its trimmed stdout as the token.
fn run_command(command: &str, timeout: Duration) -> Result<Secret, String> {
    let failed = |why: String| {
        format!(
            "token_command {} {why}",
            crate::domain::sanitize::quoted(command)
        )
    };
    let mut child = shell(command)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| failed(format!("could not be started: {e}")))?;
    // Pipes are drained on threads so a chatty command cannot block on a full pipe while we
    // wait for it to exit.
    let stdout = drain(child.stdout.take());
    let stderr = drain(child.stderr.take());
    let deadline = Instant::now() + timeout;
    let status = loop {
        match child.try_wait() {
            Ok(Some(status)) => break status,
            Ok(None) if Instant::now() >= deadline => {
                let _ = child.kill();
                let _ = child.wait();
                return Err(failed(format!(
                    "did not finish within {} s; check that it runs on its own in a terminal",
                    timeout.as_secs()
                )));
            }
            Ok(None) => std::thread::sleep(Duration::from_millis(10)),
            Err(e) => return Err(failed(format!("could not be waited for: {e}"))),
        }
    };
    // A grandchild may keep the pipes open after the shell exits; do not wait for it forever.
    let grace = Duration::from_millis(500);
    let out = stdout.recv_timeout(grace).unwrap_or_default();
    let err = stderr.recv_timeout(grace).unwrap_or_default();
    let first_err_line = String::from_utf8_lossy(&err)
        .lines()
        .map(str::trim)
        .find(|l| !l.is_empty())
        .map(|l| format!(": {}", sanitize::single_line(&sanitize::clean(l))))
        .unwrap_or_default();
    if !status.success() {
        let code = status.code().map_or_else(
            || "was killed by a signal".to_string(),
            |c| format!("exited with status {c}"),
        );
        return Err(failed(format!("{code}{first_err_line}")));
    }
    let token = String::from_utf8(out)
        .map_err(|_| failed("printed something that is not UTF-8 text".to_string()))?;
    let token = token.trim();
    // `pass show` and friends print notes after the password; sending those along would be a
    // confusing 401 at best, so say what to change instead.
    if token.contains(['\n', '\r']) {
        return Err(failed(
            "printed more than one line; make it print only the token (e.g. add | head -n1)"
                .to_string(),
        ));
    }
    if token.is_empty() {
        return Err(failed(format!(
            "printed nothing; it must print the token on stdout{first_err_line}"
        )));
    }
    Ok(Secret::new(token))
}

#[cfg(unix)]
fn shell(command: &str) -> Command {
    let mut cmd = Command::new("sh");
    cmd.arg("-c").arg(command);
    cmd
}

#[cfg(not(unix))]
fn shell(command: &str) -> Command {
    let mut cmd = Command::new("cmd");
    cmd.arg("/C").arg(command);
    cmd
}

fn drain(pipe: Option<impl Read + Send + 'static>) -> mpsc::Receiver<Vec<u8>> {
    let (tx, rx) = mpsc::channel();
    if let Some(mut pipe) = pipe {
        std::thread::spawn(move || {
            let mut buf = Vec::new();
            // A token is short; more than this is not a token, and must not fill memory.
            let _ = pipe.by_ref().take(64 * 1024).read_to_end(&mut buf);
            let _ = std::io::copy(&mut pipe, &mut std::io::sink());
            let _ = tx.send(buf);
        });
    }
    rx
}

/// A config file holding a token must not be readable by anyone but its owner: on a shared
/// office machine the token is the whole account. `Err` holds the file's mode.
pub fn check_private(path: &Path) -> Result<(), u32> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        if let Ok(meta) = std::fs::metadata(path) {
            let mode = meta.permissions().mode() & 0o777;
            if mode & 0o077 != 0 {
                return Err(mode);
            }
        }
    }
    #[cfg(not(unix))]
    let _ = path;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn some(s: &str) -> Option<String> {
        Some(s.to_string())
    }

    #[test]
    fn env_wins_over_command_and_command_over_file() {
        let t = Duration::from_secs(5);
        let (tok, src) = resolve(some("env-tok"), Some("exit 3"), some("file-tok"), t)
            .expect("env wins; the command is not even run")
            .expect("token");
        assert_eq!((tok.expose(), src), ("env-tok", TokenSource::Env));
        let (tok, src) = resolve(None, Some("echo '  cmd-tok  '"), some("file-tok"), t)
            .expect("ok")
            .expect("token");
        assert_eq!((tok.expose(), src), ("cmd-tok", TokenSource::Command));
        let (tok, src) = resolve(some("  "), None, some("file-tok"), t)
            .expect("ok")
            .expect("token");
        assert_eq!((tok.expose(), src), ("file-tok", TokenSource::ConfigFile));
        assert!(resolve(None, None, None, t).expect("ok").is_none());
    }

    #[test]
    fn command_failures_say_why_and_never_show_stdout() {
        let t = Duration::from_secs(5);
        let err = resolve(
            None,
            // Built at run time, so the command's own text (which is quoted) holds neither.
            Some("o=leaked; echo $o-stdout; echo 'vault is locked' >&2; m=mo; echo ${m}re >&2; exit 4"),
            None,
            t,
        )
        .expect_err("fails");
        assert!(
            err.contains("exited with status 4: vault is locked"),
            "{err}"
        );
        assert!(err.contains("token_command"), "{err}");
        assert!(
            !err.contains("leaked-stdout") && !err.contains("more"),
            "{err}"
        );

        let two_lines = "x=secret; printf '%s-one\\n%s-two' $x $x";
        let err = resolve(None, Some(two_lines), None, t).expect_err("two lines");
        assert!(err.contains("more than one line"), "{err}");
        assert!(!err.contains("secret-one"), "{err}");

        let err = resolve(None, Some("true"), some("file-tok"), t).expect_err("empty");
        assert!(err.contains("printed nothing"), "{err}");

        let started = Instant::now();
        let err =
            resolve(None, Some("sleep 5"), None, Duration::from_millis(300)).expect_err("too slow");
        assert!(err.contains("did not finish within"), "{err}");
        assert!(started.elapsed() < Duration::from_secs(3));
    }

    #[cfg(unix)]
    #[test]
    fn group_or_world_readable_is_not_private() {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("c.toml");
        std::fs::write(&path, "").expect("write");
        for (mode, ok) in [(0o600, true), (0o400, true), (0o640, false), (0o604, false)] {
            std::fs::set_permissions(&path, std::fs::Permissions::from_mode(mode)).expect("chmod");
            assert_eq!(check_private(&path).is_ok(), ok, "{mode:o}");
        }
        assert_eq!(
            {
                std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644))
                    .expect("chmod");
                check_private(&path)
            },
            Err(0o644)
        );
    }
}
