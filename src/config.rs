//! Settings: one [`Config`] with its defaults written once ([`Config::default`]), then three
//! layers over them, each winning over the one before: `config.toml` in the platform config
//! dir (or `--config` / `CALLCONSOLE_CONFIG`), the environment (`CALLCONSOLE_<KEY>`), and the
//! command line (`--<key>`). Everything is checked here, before the terminal is taken over,
//! so a bad value is reported with where it was written and what to change.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::Duration;

use serde::Deserialize;
use url::Url;

use crate::config::secret::Secret;
use crate::console::keys::{KeyBinding, KeyMap};
use crate::domain::fields::FieldId;
use crate::domain::sanitize::{QUOTED_CHARS, cut};
use crate::domain::zone::Zone;

mod base_url;
mod check;
mod layers;
mod paths;
pub use paths::{config_path, data_dir, default_config_path, project_dirs};
pub mod secret;
mod starter;
pub mod token;
pub use base_url::check_base_url;
pub use check::{MAX_MAX_IN_FLIGHT, MAX_REFRESH_SECS, parse_span};
pub use layers::Flags;
use layers::Layers;
pub use starter::{STARTER_CONFIG, write_starter};
pub use token::TokenSource;

pub const DEFAULT_BASE_URL: &str = "https://api.vcita.biz";

/// How much of a message made by other code (the TOML parser, the key map) is shown.
const MAX_DETAIL_CHARS: usize = 300;

/// The largest config file read. A real one is a few kilobytes; a larger one is the wrong
/// file (a log, a download), and parsing it would cost memory many times its size.
pub const MAX_CONFIG_BYTES: u64 = 1024 * 1024;

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
    load_limit: Option<i64>,
    max_in_flight: Option<i64>,
    time_zone: Option<String>,
    bell_on_new_missed: Option<bool>,
    notify: Option<bool>,
    hyperlinks: Option<bool>,
    previews: Option<bool>,
    age_bands: Option<Vec<String>>,
    mouse: Option<bool>,
    dial_command: Option<String>,
    group_by_caller: Option<bool>,
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

/// Which fields a PUT carries (`update_fields`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum UpdateFields {
    /// The full body, as the contract requires.
    #[default]
    All,
    /// Only the fields the user changed, for servers that accept partial updates.
    Changed,
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

    /// Remembers `value` for `field` (a value asked once in the console); a field that is not
    /// one of the four has no place here and is ignored.
    pub fn set(&mut self, field: FieldId, value: String) {
        let slot = match field {
            FieldId::Rate => &mut self.rate,
            FieldId::Price => &mut self.price,
            FieldId::Provider => &mut self.provider,
            FieldId::RecordingId => &mut self.recording_id,
            _ => return,
        };
        *slot = Some(value);
    }
}

/// The settings in force: what the console, the scripting commands and `doctor` run with.
#[derive(Debug, Clone, PartialEq)]
pub struct Config {
    /// The file the settings were read from (it may not exist: then only defaults).
    pub path: PathBuf,
    pub base_url: Url,
    pub token: Option<(Secret, TokenSource)>,
    /// Who "handled by" means; asked once in the console when not configured.
    pub staff_uid: Option<String>,
    /// Business uid sent as `X-On-Behalf-Of` (directory tokens).
    pub on_behalf_of: Option<String>,
    /// Calls per page request, 1 to 100.
    pub page_size: u32,
    /// `all` (default) or `changed`.
    pub update_fields: UpdateFields,
    /// Two-letter country for turning national phone numbers into E.164.
    pub default_country: Option<String>,
    /// Seconds between automatic reloads; 0 = off. See [`Config::refresh_interval`].
    pub refresh_secs: u64,
    /// The most calls one view loads by paging (`V`, `G`, scrolling); a server whose pages
    /// never end stops there, and the user is told to narrow the view.
    pub load_limit: u64,
    /// The most requests one batch keeps out at once (the pages of `V` and `G`, a bulk
    /// action's calls, name lookups), 1 to 16; a server that asks to slow down (429,
    /// `Retry-After`) lowers it for the rest of that batch.
    pub max_in_flight: usize,
    /// The zone times are shown and typed in; `None`: the business's, else the machine's.
    pub time_zone: Option<Zone>,
    pub bell_on_new_missed: bool,
    /// A desktop notification through the terminal (OSC 9 / 777) when a refresh brings new
    /// missed calls or voicemails.
    pub notify: bool,
    /// Numbers in the detail pane are `tel:` links (OSC 8) where the terminal takes them.
    pub hyperlinks: bool,
    /// A voicemail row on screen shows its transcript's first line (one transcript request
    /// per voicemail shown, kept for the session).
    pub previews: bool,
    /// Ages at which a waiting call turns from fresh to normal, late and overdue, strictly
    /// increasing.
    pub age_bands: [Duration; 3],
    pub mouse: bool,
    /// How `c` starts a call-back: a program and its arguments, `{number}` the E.164 number;
    /// `None`: the desktop's handler for `tel:` links.
    pub dial_command: Option<String>,
    /// Needs follow-up shows one row per caller (`z` toggles it while running).
    pub group_by_caller: bool,
    pub keys: KeyMap,
    /// Values for fields the API does not send back, used when marking calls handled: from
    /// `[defaults]`, or asked once in the console.
    pub defaults: HandledDefaults,
}

impl Default for Config {
    /// Every setting's default, and the only place one is written: loading starts from
    /// here, tests and the console's `Session` take theirs from here, and a test holds the
    /// starter file's commented values to these.
    fn default() -> Self {
        Self {
            path: default_config_path(),
            base_url: Url::parse(DEFAULT_BASE_URL).expect("the default base URL is a URL"),
            token: None,
            staff_uid: None,
            on_behalf_of: None,
            page_size: 50,
            update_fields: UpdateFields::All,
            default_country: None,
            refresh_secs: 30,
            // Above the 100 000 calls the bench selects with `V`.
            load_limit: 200_000,
            max_in_flight: 4,
            time_zone: None,
            bell_on_new_missed: false,
            notify: false,
            hyperlinks: true,
            previews: true,
            age_bands: [
                Duration::from_secs(15 * 60),
                Duration::from_secs(60 * 60),
                Duration::from_secs(4 * 60 * 60),
            ],
            mouse: true,
            dial_command: None,
            group_by_caller: true,
            keys: KeyMap::default(),
            defaults: HandledDefaults::default(),
        }
    }
}

/// A setting that cannot be used; the message says where and what to do.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum ConfigError {
    #[error("cannot read config file {path}: {detail}")]
    Read { path: String, detail: String },
    #[error(
        "config file {path} is larger than 1 MiB; a config file is a few kilobytes: check that --config or CALLCONSOLE_CONFIG names the right file"
    )]
    TooLarge { path: String },
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

impl Config {
    /// The defaults, then the file named by [`config_path`] (a missing default file is fine),
    /// then `CALLCONSOLE_*` read through `env`, then `flags`; the first bad value stops it.
    pub fn load(flags: &Flags, env: &dyn Fn(&str) -> Option<String>) -> Result<Self, ConfigError> {
        let env = |k: &str| env(k).filter(|v| !v.is_empty());
        let (path, explicit) = config_path(flags.config.as_deref(), &env);
        let file = match read_capped(&path) {
            Ok(Some(text)) => parse_file(&path, &text)?,
            Ok(None) => {
                return Err(ConfigError::TooLarge {
                    path: path.display().to_string(),
                });
            }
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
        let layers = Layers {
            path: &path,
            env: &env,
        };
        let mut c = Self {
            path: path.clone(),
            ..Self::default()
        };

        // Settings written as one value: any layer can give them.
        let number = |n: Option<i64>| n.map(|n| n.to_string());
        if let Some(v) = layers.top("base_url", file.base_url, flags.base_url.as_ref()) {
            c.base_url = v.check(check_base_url)?;
        }
        if let Some(v) = layers.top("staff_uid", file.staff_uid, flags.staff_uid.as_ref()) {
            c.staff_uid = Some(v.check(check::staff_uid)?);
        }
        let on_behalf_of = layers.top(
            "on_behalf_of",
            file.on_behalf_of,
            flags.on_behalf_of.as_ref(),
        );
        if let Some(v) = on_behalf_of {
            c.on_behalf_of = Some(v.text);
        }
        let page_size = layers.top(
            "page_size",
            number(file.page_size),
            flags.page_size.as_ref(),
        );
        if let Some(v) = page_size {
            c.page_size = v.check(check::page_size)?;
        }
        let update_fields = layers.top(
            "update_fields",
            file.update_fields,
            flags.update_fields.as_ref(),
        );
        if let Some(v) = update_fields {
            c.update_fields = v.check(check::update_fields)?;
        }
        let country = layers.top(
            "default_country",
            file.default_country,
            flags.default_country.as_ref(),
        );
        if let Some(v) = country {
            c.default_country = Some(v.check(check::default_country)?);
        }
        let refresh = layers.top(
            "refresh_secs",
            number(file.refresh_secs),
            flags.refresh_secs.as_ref(),
        );
        if let Some(v) = refresh {
            c.refresh_secs = v.check(check::refresh_secs)?;
        }
        let load_limit = layers.top(
            "load_limit",
            number(file.load_limit),
            flags.load_limit.as_ref(),
        );
        if let Some(v) = load_limit {
            c.load_limit = v.check(check::load_limit)?;
        }
        let max_in_flight = layers.top(
            "max_in_flight",
            number(file.max_in_flight),
            flags.max_in_flight.as_ref(),
        );
        if let Some(v) = max_in_flight {
            c.max_in_flight = v.check(check::max_in_flight)?;
        }
        if let Some(v) = layers.top("time_zone", file.time_zone, flags.time_zone.as_ref()) {
            c.time_zone = Some(v.check(check::time_zone)?);
        }
        let dial = layers.top(
            "dial_command",
            file.dial_command,
            flags.dial_command.as_ref(),
        );
        if let Some(v) = dial {
            c.dial_command = Some(v.check(check::dial_command)?);
        }
        let group_by_caller = layers.top(
            "group_by_caller",
            file.group_by_caller.map(|b| b.to_string()),
            flags.group_by_caller.as_ref(),
        );
        if let Some(v) = group_by_caller {
            c.group_by_caller = v.check(|t| check::switch("group_by_caller", t))?;
        }

        // The token has its own order (environment, command, file) and rule (a file holding
        // it must be private).
        if file.token.is_some() {
            token::check_private(&path).map_err(|mode| ConfigError::NotPrivate {
                path: path.display().to_string(),
                mode,
            })?;
        }
        c.token = token::resolve(
            env("CALLCONSOLE_TOKEN"),
            file.token_command.as_deref(),
            file.token,
            token::COMMAND_TIMEOUT,
        )
        .map_err(|detail| ConfigError::Value {
            origin: layers.file_origin("token_command"),
            detail,
        })?;

        // Settings only the file can give: switches, lists and tables.
        if let Some(bell) = file.bell_on_new_missed {
            c.bell_on_new_missed = bell;
        }
        if let Some(notify) = file.notify {
            c.notify = notify;
        }
        if let Some(links) = file.hyperlinks {
            c.hyperlinks = links;
        }
        if let Some(previews) = file.previews {
            c.previews = previews;
        }
        if let Some(mouse) = file.mouse {
            c.mouse = mouse;
        }
        if let Some(bands) = &file.age_bands {
            c.age_bands = check::age_bands(bands).map_err(|detail| ConfigError::Value {
                origin: layers.file_origin("age_bands"),
                detail,
            })?;
        }
        if let Some(table) = &file.keys {
            // The key map's messages quote what the file says, however long.
            c.keys = KeyMap::from_config(table).map_err(|e| ConfigError::Value {
                origin: layers.file_origin(&cut(&e.setting(), QUOTED_CHARS)),
                detail: cut(&e.to_string(), MAX_DETAIL_CHARS).into_owned(),
            })?;
        }
        if let Some(d) = file.defaults {
            for (field, value) in [
                (FieldId::Rate, d.rate),
                (FieldId::Price, d.price),
                (FieldId::Provider, d.provider),
                (FieldId::RecordingId, d.recording_id),
            ] {
                let Some(value) = value else { continue };
                check::handled_default(field, &value).map_err(|detail| ConfigError::Value {
                    origin: layers.file_origin(&format!("defaults.{}", field.name())),
                    detail,
                })?;
                c.defaults.set(field, value);
            }
        }
        Ok(c)
    }
}

impl Config {
    /// How often to reload the list, or `None` when `refresh_secs = 0`.
    pub fn refresh_interval(&self) -> Option<Duration> {
        (self.refresh_secs > 0).then(|| Duration::from_secs(self.refresh_secs))
    }
}

/// The file's text, or `None` when it is over [`MAX_CONFIG_BYTES`]. Reads at most one byte
/// past the limit, so neither a huge file nor an endless one (`/dev/zero`) is read whole.
fn read_capped(path: &Path) -> std::io::Result<Option<String>> {
    use std::io::Read as _;
    let mut bytes = Vec::new();
    std::fs::File::open(path)?
        .take(MAX_CONFIG_BYTES + 1)
        .read_to_end(&mut bytes)?;
    if bytes.len() as u64 > MAX_CONFIG_BYTES {
        return Ok(None);
    }
    String::from_utf8(bytes)
        .map(Some)
        .map_err(|_| std::io::Error::new(std::io::ErrorKind::InvalidData, "it is not UTF-8 text"))
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
            // The parser's message may quote a value of any size (`invalid type: string "…"`).
            detail: cut(e.message().trim(), MAX_DETAIL_CHARS).into_owned(),
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
mod check_tests;
#[cfg(test)]
mod layers_tests;
#[cfg(test)]
mod secret_tests;
#[cfg(test)]
mod starter_tests;
