//! `callconsole doctor`: checks the setup one step at a time (config, token, base URL, one
//! request, data dir) and prints one line per check, `ok` or `problem` with what to do, so a
//! user can fix a broken setup without reading the log. The token is shown only as its last
//! 4 characters.

use std::io::Write;
use std::path::Path;
use std::time::Duration;

use crate::api::{ApiClient, ApiError, ClientOptions, ListQuery};
use crate::config::{Config, ConfigError};

/// The outcome of one check.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Check {
    pub ok: bool,
    /// What was checked: `config`, `token`, `base_url`, `api`, `data dir`.
    pub what: &'static str,
    /// What was found; for a problem, also what to do.
    pub detail: String,
}

impl Check {
    fn ok(what: &'static str, detail: impl Into<String>) -> Self {
        Self {
            ok: true,
            what,
            detail: detail.into(),
        }
    }

    fn problem(what: &'static str, detail: impl Into<String>) -> Self {
        Self {
            ok: false,
            what,
            detail: detail.into(),
        }
    }
}

impl std::fmt::Display for Check {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let verdict = if self.ok { "ok" } else { "problem" };
        write!(f, "{verdict:<8} {:<9} {}", self.what, self.detail)
    }
}

/// Runs every check that can run and returns them in order. A config that does not load
/// stops the token, base URL and API checks (they depend on it); the data dir is still checked.
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
            out.push(api_check(&config).await);
        }
    }
    out.push(data_dir_check(data_dir));
    out
}

/// Prints the checks, one line each; true when all are ok.
pub fn print(checks: &[Check], out: &mut dyn Write) -> std::io::Result<bool> {
    for check in checks {
        writeln!(out, "{check}")?;
    }
    Ok(checks.iter().all(|c| c.ok))
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

async fn api_check(config: &Config) -> Check {
    let Some((token, _)) = &config.token else {
        return Check::ok("api", "not checked: no token, demo mode");
    };
    let mut options = ClientOptions::new(config.base_url.clone(), token.clone());
    options.on_behalf_of = config.on_behalf_of.clone();
    // A doctor that hangs for the full request timeout is no help; ten seconds is plenty.
    options.timeout = options.timeout.min(Duration::from_secs(10));
    let client = match ApiClient::new(options) {
        Ok(c) => c,
        Err(e) => return Check::problem("api", format!("cannot set up HTTP: {e}")),
    };
    let query = ListQuery {
        per_page: 1,
        ..ListQuery::default()
    };
    let answer = client.list(&query).await;
    let exchange = &answer.exchange;
    let ms = exchange.elapsed.as_millis();
    match &answer.result {
        Ok(_) => Check::ok(
            "api",
            format!(
                "GET {} answered {} in {ms} ms",
                exchange.path,
                exchange.status.unwrap_or(200)
            ),
        ),
        Err(e) => Check::problem(
            "api",
            format!("GET {} failed: {e}; fix: {}", exchange.path, fix_for(e)),
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
        assert!(!check.ok && check.detail.contains("chmod 700"), "{check:?}");
        assert!(data_dir_check(&dir.path().join("fresh")).ok);
    }
}
