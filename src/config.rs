//! Settings: `config.toml` in the platform config dir (or `--config` / `CALLCONSOLE_CONFIG`),
//! then environment overrides. Everything is checked here, before the terminal is taken over,
//! so a broken file is reported with its path, line and what to change.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::Duration;

use serde::Deserialize;
use url::Url;

use crate::app::UpdateFields;
use crate::form::fields::{self, FieldId};
use crate::keys::{KeyBinding, KeyMap};
use crate::rules;
use crate::secret::Secret;

mod base_url;
pub mod token;
pub use base_url::check_base_url;
pub use token::TokenSource;

pub const DEFAULT_BASE_URL: &str = "https://api.vcita.biz";
pub const DEFAULT_PAGE_SIZE: u32 = 50;
pub const DEFAULT_REFRESH_SECS: u64 = 30;
/// A day: anything longer is a typo (minutes for seconds), not a wish.
pub const MAX_REFRESH_SECS: u64 = 86_400;
pub const DEFAULT_AGE_BANDS: [Duration; 3] = [
    Duration::from_secs(15 * 60),
    Duration::from_secs(60 * 60),
    Duration::from_secs(4 * 60 * 60),
];

/// The commented starter file: every setting with its default (`callconsole` can write it out
/// for a new user with [`write_starter`]).
pub const STARTER_CONFIG: &str = include_str!("../assets/config.example.toml");

/// The file as written by the user; every key optional.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct FileConfig {
    base_url: Option<String>,
    token: Option<String>,
    token_command: Option<String>,
    staff_uid: Option<String>,
    on_behalf_of: Option<String>,
    page_size: Option<i64>,
    update_fields: Option<String>,
    default_country: Option<String>,
    refresh_secs: Option<i64>,
    bell_on_new_missed: Option<bool>,
    age_bands: Option<Vec<String>>,
    mouse: Option<bool>,
    keys: Option<BTreeMap<String, KeyBinding>>,
    defaults: Option<FileDefaults>,
}

/// `[defaults]` as written.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct FileDefaults {
    rate: Option<String>,
    price: Option<String>,
    provider: Option<String>,
    recording_id: Option<String>,
}

/// Values for the update body's fields that the API's read object lacks, used when marking
/// calls handled so that nobody has to type them for every call. `None`: ask in the form.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct HandledDefaults {
    pub rate: Option<String>,
    pub price: Option<String>,
    pub provider: Option<String>,
    pub recording_id: Option<String>,
}

impl HandledDefaults {
    /// The configured value for `field`, if it is one of the four and set.
    pub fn get(&self, field: FieldId) -> Option<&str> {
        match field {
            FieldId::Rate => self.rate.as_deref(),
            FieldId::Price => self.price.as_deref(),
            FieldId::Provider => self.provider.as_deref(),
            FieldId::RecordingId => self.recording_id.as_deref(),
            _ => None,
        }
    }
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
    /// Seconds between automatic reloads; 0 = off. See [`Config::refresh_interval`].
    pub refresh_secs: u64,
    pub bell_on_new_missed: bool,
    /// Ages at which a waiting call is shown as older, strictly increasing.
    pub age_bands: [Duration; 3],
    pub mouse: bool,
    pub keys: KeyMap,
    pub defaults: HandledDefaults,
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
    #[error(
        "config file {path} holds a token but others can read it (mode {mode:04o}); make it private with: chmod 600 {path}"
    )]
    NotPrivate { path: String, mode: u32 },
    #[error("cannot write {path}: {detail}")]
    Write { path: String, detail: String },
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

        if file.token.is_some() {
            token::check_private(&path).map_err(|mode| ConfigError::NotPrivate {
                path: path.display().to_string(),
                mode,
            })?;
        }
        let token = token::resolve(
            env("CALLCONSOLE_TOKEN"),
            file.token_command.as_deref(),
            file.token,
            token::COMMAND_TIMEOUT,
        )
        .map_err(|detail| ConfigError::Value {
            origin: file_origin("token_command"),
            detail,
        })?;

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

        let refresh_secs = match env("CALLCONSOLE_REFRESH_SECS") {
            Some(v) => v
                .trim()
                .parse::<i64>()
                .map_err(|_| {
                    format!(
                        "refresh_secs \"{v}\" is not a whole number; use seconds like 30, or 0 to turn reloads off"
                    )
                })
                .and_then(check_refresh_secs)
                .map_err(|detail| ConfigError::Value {
                    origin: "CALLCONSOLE_REFRESH_SECS".to_string(),
                    detail,
                })?,
            None => match file.refresh_secs {
                None => DEFAULT_REFRESH_SECS,
                Some(n) => check_refresh_secs(n).map_err(|detail| ConfigError::Value {
                    origin: file_origin("refresh_secs"),
                    detail,
                })?,
            },
        };
        let age_bands = match &file.age_bands {
            None => DEFAULT_AGE_BANDS,
            Some(bands) => check_age_bands(bands).map_err(|detail| ConfigError::Value {
                origin: file_origin("age_bands"),
                detail,
            })?,
        };
        let keys = match &file.keys {
            None => KeyMap::default(),
            Some(table) => KeyMap::from_config(table).map_err(|e| ConfigError::Value {
                origin: file_origin(&e.setting()),
                detail: e.to_string(),
            })?,
        };
        let defaults = match file.defaults {
            None => HandledDefaults::default(),
            Some(d) => {
                let check = |field: FieldId, value: Option<String>| match value {
                    None => Ok(None),
                    Some(v) => check_default(field, &v)
                        .map(|()| Some(v))
                        .map_err(|detail| ConfigError::Value {
                            origin: file_origin(&format!("defaults.{}", field.name())),
                            detail,
                        }),
                };
                HandledDefaults {
                    rate: check(FieldId::Rate, d.rate)?,
                    price: check(FieldId::Price, d.price)?,
                    provider: check(FieldId::Provider, d.provider)?,
                    recording_id: check(FieldId::RecordingId, d.recording_id)?,
                }
            }
        };

        Ok(Self {
            update_fields,
            default_country,
            refresh_secs,
            bell_on_new_missed: file.bell_on_new_missed.unwrap_or(false),
            age_bands,
            mouse: file.mouse.unwrap_or(true),
            keys,
            defaults,
            base_url,
            token,
            staff_uid: env("CALLCONSOLE_STAFF_UID").or(file.staff_uid),
            on_behalf_of: env("CALLCONSOLE_ON_BEHALF_OF").or(file.on_behalf_of),
            page_size,
            path,
        })
    }
}

impl Config {
    /// How often to reload the list, or `None` when `refresh_secs = 0`.
    pub fn refresh_interval(&self) -> Option<Duration> {
        (self.refresh_secs > 0).then(|| Duration::from_secs(self.refresh_secs))
    }
}

/// Writes [`STARTER_CONFIG`] to `path`, creating its directory. An existing file is never
/// replaced: it may hold a token and hours of tuning.
pub fn write_starter(path: &Path) -> Result<(), ConfigError> {
    use std::io::Write as _;
    let failed = |detail: String| ConfigError::Write {
        path: path.display().to_string(),
        detail,
    };
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        crate::fsutil::create_private_dir(dir)
            .map_err(|e| failed(format!("cannot create {}: {e}", dir.display())))?;
    }
    // Private from the start: the user is about to paste a token into it.
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let mut file = options.open(path).map_err(|e| {
        if e.kind() == std::io::ErrorKind::AlreadyExists {
            failed(
                "the file already exists; edit it, or move it away to get a fresh starter"
                    .to_string(),
            )
        } else {
            failed(e.to_string())
        }
    })?;
    file.write_all(STARTER_CONFIG.as_bytes())
        .map_err(|e| failed(e.to_string()))
}

fn check_refresh_secs(n: i64) -> Result<u64, String> {
    match u64::try_from(n) {
        Ok(secs) if secs <= MAX_REFRESH_SECS => Ok(secs),
        Ok(_) => Err(format!(
            "refresh_secs \"{n}\" is more than a day; use at most {MAX_REFRESH_SECS} seconds, or 0 to turn reloads off"
        )),
        Err(_) => Err(format!(
            "refresh_secs \"{n}\" is negative; use seconds like 30, or 0 to turn reloads off"
        )),
    }
}

fn check_age_bands(bands: &[String]) -> Result<[Duration; 3], String> {
    let [a, b, c] = bands else {
        return Err(format!(
            "age_bands must list three durations, like [\"15m\", \"1h\", \"4h\"] (got {})",
            bands.len()
        ));
    };
    let parsed = [
        parse_span(a).map_err(|e| format!("age_bands: {e}"))?,
        parse_span(b).map_err(|e| format!("age_bands: {e}"))?,
        parse_span(c).map_err(|e| format!("age_bands: {e}"))?,
    ];
    if parsed[0].is_zero() {
        return Err(format!(
            "age_bands starts at \"{a}\"; the first band must be longer than zero, like \"15m\""
        ));
    }
    for (i, pair) in parsed.windows(2).enumerate() {
        if pair[1] <= pair[0] {
            return Err(format!(
                "age_bands must increase, but \"{}\" is not longer than \"{}\"; list them shortest first, like [\"15m\", \"1h\", \"4h\"]",
                bands[i + 1],
                bands[i]
            ));
        }
    }
    Ok(parsed)
}

/// A duration written with `h`, `m` and `s`, largest first: `45s`, `15m`, `1h30m`.
pub fn parse_span(text: &str) -> Result<Duration, String> {
    let bad = || {
        format!(
            "\"{text}\" is not a duration; write it with h, m and s, like \"15m\", \"1h\" or \"1h30m\""
        )
    };
    let mut rest = text.trim();
    if rest.is_empty() {
        return Err(bad());
    }
    let mut total: u64 = 0;
    // Units must come largest first and once each, so `30m1h` or `5m5m` are refused as typos.
    let mut allowed: &[(char, u64)] = &[('h', 3600), ('m', 60), ('s', 1)];
    while !rest.is_empty() {
        let digits = rest.len() - rest.trim_start_matches(|c: char| c.is_ascii_digit()).len();
        if digits == 0 {
            return Err(bad());
        }
        let n: u64 = rest[..digits].parse().map_err(|_| bad())?;
        let unit = rest[digits..].chars().next().ok_or_else(|| {
            format!("\"{text}\" has a number without a unit; add h, m or s, like \"{text}m\"")
        })?;
        let pos = allowed
            .iter()
            .position(|(u, _)| *u == unit)
            .ok_or_else(bad)?;
        let secs = n.checked_mul(allowed[pos].1).ok_or_else(bad)?;
        total = total.checked_add(secs).ok_or_else(bad)?;
        allowed = &allowed[pos + 1..];
        rest = &rest[digits + unit.len_utf8()..];
    }
    Ok(Duration::from_secs(total))
}

/// The form's rule for the field, plus: a provider typed in a file must be one the API
/// accepts (the form's picker only offers those; an unknown one is kept only when the server
/// sent it).
fn check_default(field: FieldId, value: &str) -> Result<(), String> {
    if let Some(msg) = fields::check(field, value) {
        return Err(format!(
            "{msg}; in [defaults], give a valid value or remove the line to be asked in the form"
        ));
    }
    if field == FieldId::Provider && !rules::PROVIDERS.contains(&value) {
        return Err(format!(
            "provider \"{value}\" is not one the API accepts; use one of: {}",
            rules::PROVIDERS.join(", ")
        ));
    }
    Ok(())
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

#[cfg(test)]
mod secret_tests;
#[cfg(test)]
#[path = "config_tests.rs"]
mod tests;
