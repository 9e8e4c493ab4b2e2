//! Settings: `config.toml` in the platform config dir (or `--config` / `CALLCONSOLE_CONFIG`),
//! then environment overrides. Everything is checked here, before the terminal is taken over,
//! so a broken file is reported with its path, line and what to change.

use std::path::{Path, PathBuf};

use serde::Deserialize;
use url::Url;

use crate::app::UpdateFields;
use crate::secret::Secret;

pub const DEFAULT_BASE_URL: &str = "https://api.vcita.biz";
pub const DEFAULT_PAGE_SIZE: u32 = 50;

/// The file as written by the user; every key optional.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct FileConfig {
    base_url: Option<String>,
    token: Option<String>,
    staff_uid: Option<String>,
    on_behalf_of: Option<String>,
    page_size: Option<i64>,
    update_fields: Option<String>,
    default_country: Option<String>,
}

/// Where the token came from, for the status line and `doctor`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenSource {
    Env,
    ConfigFile,
}

/// The settings in force.
#[derive(Debug, Clone)]
pub struct Config {
    pub path: PathBuf,
    pub base_url: Url,
    pub token: Option<(Secret, TokenSource)>,
    pub staff_uid: Option<String>,
    pub on_behalf_of: Option<String>,
    pub page_size: u32,
    /// `all` (default) or `changed`.
    pub update_fields: UpdateFields,
    /// Two-letter country for turning national phone numbers into E.164.
    pub default_country: Option<String>,
}

/// A setting that cannot be used; the message says where and what to do.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum ConfigError {
    #[error("cannot read config file {path}: {detail}")]
    Read { path: String, detail: String },
    #[error(
        "config file {path}, line {line}, column {column}: {detail}\n  fix that line, or move the file away to start from defaults"
    )]
    Parse {
        path: String,
        line: usize,
        column: usize,
        detail: String,
    },
    #[error("{origin}: {detail}")]
    Value { origin: String, detail: String },
}

/// The platform directories (`~/.config/callconsole`, `~/.local/share/callconsole` on Linux).
pub fn project_dirs() -> Option<directories::ProjectDirs> {
    directories::ProjectDirs::from("com", "callconsole", "callconsole")
}

/// Default config file path.
pub fn default_config_path() -> PathBuf {
    project_dirs()
        .map(|d| d.config_dir().join("config.toml"))
        .unwrap_or_else(|| PathBuf::from("callconsole.toml"))
}

/// Where the app keeps its data (demo calls, drafts, state, log).
pub fn data_dir() -> PathBuf {
    project_dirs()
        .map(|d| d.data_dir().to_path_buf())
        .unwrap_or_else(|| PathBuf::from(".callconsole"))
}

impl Config {
    /// Loads the file at `path_override`, `CALLCONSOLE_CONFIG` or the default path (a missing
    /// default file is fine: defaults apply), then applies `CALLCONSOLE_*` overrides read
    /// through `env`.
    pub fn load(
        path_override: Option<&Path>,
        env: &dyn Fn(&str) -> Option<String>,
    ) -> Result<Self, ConfigError> {
        let env = |k: &str| env(k).filter(|v| !v.is_empty());
        let (path, explicit) = match (path_override, env("CALLCONSOLE_CONFIG")) {
            (Some(p), _) => (p.to_path_buf(), true),
            (None, Some(p)) => (PathBuf::from(p), true),
            (None, None) => (default_config_path(), false),
        };
        let file = match std::fs::read_to_string(&path) {
            Ok(text) => parse_file(&path, &text)?,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound && !explicit => {
                FileConfig::default()
            }
            Err(e) => {
                return Err(ConfigError::Read {
                    path: path.display().to_string(),
                    detail: e.to_string(),
                });
            }
        };
        let file_origin = |key: &str| format!("{} ({key})", path.display());

        let (base_url_text, base_origin) = match env("CALLCONSOLE_BASE_URL") {
            Some(v) => (v, "CALLCONSOLE_BASE_URL".to_string()),
            None => match file.base_url {
                Some(v) => (v, file_origin("base_url")),
                None => (DEFAULT_BASE_URL.to_string(), "default base_url".to_string()),
            },
        };
        let base_url = check_base_url(&base_url_text).map_err(|detail| ConfigError::Value {
            origin: base_origin,
            detail,
        })?;

        let token = match env("CALLCONSOLE_TOKEN") {
            Some(t) => Some((Secret::new(t.trim()), TokenSource::Env)),
            None => file
                .token
                .filter(|t| !t.trim().is_empty())
                .map(|t| (Secret::new(t.trim()), TokenSource::ConfigFile)),
        };

        let page_size = match file.page_size {
            None => DEFAULT_PAGE_SIZE,
            Some(n) if (1..=100).contains(&n) => n as u32,
            Some(n) => {
                return Err(ConfigError::Value {
                    origin: file_origin("page_size"),
                    detail: format!("page_size must be between 1 and 100 (got {n})"),
                });
            }
        };

        let update_fields = match file.update_fields.as_deref() {
            None | Some("all") => UpdateFields::All,
            Some("changed") => UpdateFields::Changed,
            Some(other) => {
                return Err(ConfigError::Value {
                    origin: file_origin("update_fields"),
                    detail: format!(
                        "update_fields must be \"all\" or \"changed\" (got \"{other}\")"
                    ),
                });
            }
        };
        let default_country = match file.default_country {
            Some(c) if crate::form::fields::known_country(&c) => Some(c.to_ascii_uppercase()),
            Some(c) => {
                return Err(ConfigError::Value {
                    origin: file_origin("default_country"),
                    detail: format!(
                        "default_country \"{c}\" is not one callconsole knows; use a two-letter code like US, CA, GB, AU, DE, FR, IL"
                    ),
                });
            }
            None => None,
        };

        Ok(Self {
            update_fields,
            default_country,
            base_url,
            token,
            staff_uid: env("CALLCONSOLE_STAFF_UID").or(file.staff_uid),
            on_behalf_of: env("CALLCONSOLE_ON_BEHALF_OF").or(file.on_behalf_of),
            page_size,
            path,
        })
    }
}

fn parse_file(path: &Path, text: &str) -> Result<FileConfig, ConfigError> {
    toml::from_str(text).map_err(|e| {
        let (line, column) = e
            .span()
            .map(|span| line_col(text, span.start))
            .unwrap_or((1, 1));
        ConfigError::Parse {
            path: path.display().to_string(),
            line,
            column,
            detail: e.message().trim().to_string(),
        }
    })
}

fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let before = &text[..offset.min(text.len())];
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, column)
}

/// `https://` anywhere; `http://` only for this machine, where nothing crosses a network.
pub fn check_base_url(text: &str) -> Result<Url, String> {
    let url = Url::parse(text.trim()).map_err(|e| {
        format!("base_url \"{text}\" is not a URL ({e}); use e.g. {DEFAULT_BASE_URL}")
    })?;
    match url.scheme() {
        "https" => Ok(url),
        "http" if is_loopback(&url) => Ok(url),
        "http" => Err(format!(
            "base_url \"{text}\" uses http:// for a host that is not this machine; use https:// so the token is not sent in clear"
        )),
        other => Err(format!(
            "base_url \"{text}\" has scheme \"{other}\"; use https://"
        )),
    }
}

fn is_loopback(url: &Url) -> bool {
    match url.host() {
        Some(url::Host::Domain(d)) => d.eq_ignore_ascii_case("localhost"),
        Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
        Some(url::Host::Ipv6(ip)) => ip.is_loopback(),
        None => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn load_with(text: Option<&str>, vars: &[(&str, &str)]) -> Result<Config, ConfigError> {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("config.toml");
        if let Some(t) = text {
            std::fs::write(&path, t).expect("write");
        }
        let vars: HashMap<String, String> = vars
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        let mut vars = vars;
        vars.insert("CALLCONSOLE_CONFIG".into(), path.display().to_string());
        Config::load(None, &|k| vars.get(k).cloned())
    }

    #[test]
    fn defaults_when_empty() {
        let c = load_with(Some(""), &[]).expect("loads");
        assert_eq!(c.base_url.as_str(), "https://api.vcita.biz/");
        assert!(c.token.is_none());
        assert_eq!(c.page_size, DEFAULT_PAGE_SIZE);
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
            Config::load(None, &|k| vars.get(k).cloned()),
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
}
