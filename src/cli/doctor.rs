//! `callconsole doctor`: checks the setup one step at a time (config, token, base URL, one
//! request, which people endpoints answer, data dir) and prints one line per check, `ok`,
//! `note` (works, with less: names shown as numbers or uids) or `problem` with what to do, so
//! a user can fix a broken setup without reading the log. The token is shown only as its last
//! 4 characters.

use std::io::Write;
use std::path::Path;
use std::time::Duration;

use crate::api::{ApiClient, ApiError, CallPage, ClientOptions, ListQuery};
use crate::config::{Config, ConfigError};

#[path = "doctor_people.rs"]
mod people;

/// How a check came out.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    Ok,
    /// Works, with less: what is missing and what it costs (doctor still exits 0).
    Note,
    /// Needs fixing (doctor exits 1).
    Problem,
}

/// The outcome of one check.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Check {
    pub verdict: Verdict,
    /// What was checked: `config`, `token`, `base_url`, `api`, `userinfo`, `staff`,
    /// `clients`, `data dir`.
    pub what: &'static str,
    /// What was found; for a problem, also what to do.
    pub detail: String,
}

impl Check {
    fn ok(what: &'static str, detail: impl Into<String>) -> Self {
        Self::new(Verdict::Ok, what, detail)
    }

    fn note(what: &'static str, detail: impl Into<String>) -> Self {
        Self::new(Verdict::Note, what, detail)
    }

    fn problem(what: &'static str, detail: impl Into<String>) -> Self {
        Self::new(Verdict::Problem, what, detail)
    }

    fn new(verdict: Verdict, what: &'static str, detail: impl Into<String>) -> Self {
        Self {
            verdict,
            what,
            detail: detail.into(),
        }
    }

    pub fn is_problem(&self) -> bool {
        self.verdict == Verdict::Problem
    }
}

impl std::fmt::Display for Check {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let verdict = match self.verdict {
            Verdict::Ok => "ok",
            Verdict::Note => "note",
            Verdict::Problem => "problem",
        };
        write!(f, "{verdict:<8} {:<9} {}", self.what, self.detail)
    }
}

/// Runs every check that can run and returns them in order. A config that does not load
/// stops the token, base URL, API and people checks (they depend on it); the data dir is still
/// checked.
pub async fn checks(loaded: Result<Config, ConfigError>, data_dir: &Path) -> Vec<Check> {
    let mut out = Vec::new();
    match loaded {
        Err(e) => out.push(Check::problem("config", e.to_string())),
        Ok(config) => {
            out.push(config_check(&config.path));
            out.push(match &config.token {
                Some((token, source)) => Check::ok(
                    "token",
                    format!("from {} ({})", source.describe(), token.hint()),
                ),
                None => Check::ok(
                    "token",
                    "none: the console would start in demo mode (set CALLCONSOLE_TOKEN, \
                     token_command or token to use your account)",
                ),
            });
            out.push(base_url_check(&config));
            let (api, client, page) = api_check(&config).await;
            out.push(api);
            out.extend(people::checks(&config, client.as_ref(), page.as_ref()).await);
        }
    }
    out.push(data_dir_check(data_dir));
    out
}

/// Prints the checks, one line each; true when none is a problem.
pub fn print(checks: &[Check], out: &mut dyn Write) -> std::io::Result<bool> {
    for check in checks {
        writeln!(out, "{check}")?;
    }
    Ok(!checks.iter().any(Check::is_problem))
}

fn config_check(path: &Path) -> Check {
    if path.exists() {
        Check::ok("config", format!("{} parses", path.display()))
    } else {
        Check::ok(
            "config",
            format!(
                "no file at {}: defaults apply (`callconsole init-config` writes a starter)",
                path.display()
            ),
        )
    }
}

fn base_url_check(config: &Config) -> Check {
    // The policy itself was enforced when the config loaded; this says which case applies.
    let url = config.base_url.as_str();
    if config.base_url.scheme() == "https" {
        Check::ok("base_url", format!("{url} (https)"))
    } else {
        Check::ok(
            "base_url",
            format!("{url} (http, allowed only because it is this machine)"),
        )
    }
}

/// One request to the voice-call API; with it, the client (for the people checks) and the
/// page it read (a call to look a client up from), when it answered.
async fn api_check(config: &Config) -> (Check, Option<ApiClient>, Option<CallPage>) {
    let Some((token, _)) = &config.token else {
        return (
            Check::ok("api", "not checked: no token, demo mode"),
            None,
            None,
        );
    };
    let mut options = ClientOptions::new(config.base_url.clone(), token.clone());
    options.on_behalf_of = config.on_behalf_of.clone();
    // A doctor that hangs for the full request timeout is no help; ten seconds is plenty.
    options.timeout = options.timeout.min(Duration::from_secs(10));
    let client = match ApiClient::new(options) {
        Ok(c) => c,
        Err(e) => {
            let check = Check::problem("api", format!("cannot set up HTTP: {e}"));
            return (check, None, None);
        }
    };
    let query = ListQuery {
        per_page: 1,
        ..ListQuery::default()
    };
    let answer = client.list(&query).await;
    let exchange = &answer.exchange;
    let ms = exchange.elapsed.as_millis();
    match answer.result {
        Ok(page) => (
            Check::ok(
                "api",
                format!(
                    "GET {} answered {} in {ms} ms",
                    exchange.path,
                    exchange.status.unwrap_or(200)
                ),
            ),
            Some(client),
            Some(page),
        ),
        Err(e) => (
            Check::problem(
                "api",
                format!("GET {} failed: {e}; fix: {}", exchange.path, fix_for(&e)),
            ),
            None,
            None,
        ),
    }
}

fn fix_for(e: &ApiError) -> &'static str {
    match e {
        ApiError::Server {
            status: 401 | 403, ..
        } => "check the token (CALLCONSOLE_TOKEN, token_command or token) and on_behalf_of",
        ApiError::Server { status: 404, .. } | ApiError::Redirect { .. } => {
            "check base_url: it should be the API's address, like https://api.vcita.biz"
        }
        ApiError::Connect { .. } | ApiError::ConnectTimeout { .. } | ApiError::Timeout { .. } => {
            "check base_url and that this machine can reach it (proxy, VPN, firewall)"
        }
        _ => "the API answered something unexpected; try again, and see the log if it persists",
    }
}

fn data_dir_check(dir: &Path) -> Check {
    let tried = crate::persist::fsutil::create_private_dir(dir).and_then(|()| {
        let file = tempfile::Builder::new()
            .prefix(".doctor-")
            .tempfile_in(dir)?;
        file.close()
    });
    match tried {
        Ok(()) => Check::ok("data dir", format!("{} is writable", dir.display())),
        Err(e) => Check::problem(
            "data dir",
            format!(
                "cannot write in {}: {e}; fix: make it writable by you (chmod 700 {})",
                dir.display(),
                dir.display()
            ),
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_config_that_does_not_load_is_a_problem_and_the_data_dir_is_still_checked() {
        let dir = tempfile::tempdir().expect("tempdir");
        let err = ConfigError::Value {
            origin: "x".into(),
            detail: "bad".into(),
        };
        let found = checks(Err(err), &dir.path().join("data")).await;
        let lines: Vec<String> = found.iter().map(ToString::to_string).collect();
        assert!(lines[0].starts_with("problem  config"), "{lines:?}");
        assert!(lines[1].starts_with("ok       data dir"), "{lines:?}");
        let mut out = Vec::new();
        assert!(!print(&found, &mut out).expect("print"));
    }

    #[test]
    fn a_data_dir_that_cannot_be_written_is_a_problem() {
        // A file where the directory should be fails for every user, root included.
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("data");
        std::fs::write(&path, "").expect("write");
        let check = data_dir_check(&path);
        assert!(
            check.is_problem() && check.detail.contains("chmod 700"),
            "{check:?}"
        );
        assert_eq!(
            data_dir_check(&dir.path().join("fresh")).verdict,
            Verdict::Ok
        );
    }
}
