//! The layers over the defaults, lowest first: the file, the environment, the command line.
//! [`Layers::top`] is the one place that order is written; [`Flags`] is the command line's
//! share, flattened into the `callconsole` arguments.

use std::path::{Path, PathBuf};

use super::ConfigError;

/// The settings the command line can give: the top layer, over the environment and the
/// file. Taken as text, like the environment's, so a bad value gets the same message (and
/// the same rule) wherever it was written. The token has no flag: a command line is visible
/// to every user of the machine.
#[derive(Debug, Clone, Default, clap::Args)]
pub struct Flags {
    /// Config file to read instead of the platform default (also CALLCONSOLE_CONFIG).
    #[arg(long, value_name = "PATH")]
    pub config: Option<PathBuf>,

    /// The API's address (over CALLCONSOLE_BASE_URL and base_url in the file).
    #[arg(long, value_name = "URL")]
    pub base_url: Option<String>,

    /// Your staff uid, for "handled by" (over CALLCONSOLE_STAFF_UID and staff_uid).
    #[arg(long, value_name = "UID")]
    pub staff_uid: Option<String>,

    /// Business uid sent as X-On-Behalf-Of (over CALLCONSOLE_ON_BEHALF_OF and on_behalf_of).
    #[arg(long, value_name = "UID")]
    pub on_behalf_of: Option<String>,

    /// Calls per request, 1 to 100 (over CALLCONSOLE_PAGE_SIZE and page_size).
    #[arg(long, value_name = "N")]
    pub page_size: Option<String>,

    /// What an edit sends: all or changed (over CALLCONSOLE_UPDATE_FIELDS and update_fields).
    #[arg(long, value_name = "all|changed")]
    pub update_fields: Option<String>,

    /// Two-letter country for national numbers (over CALLCONSOLE_DEFAULT_COUNTRY and
    /// default_country).
    #[arg(long, value_name = "CC")]
    pub default_country: Option<String>,

    /// Seconds between reloads, 0 = off (over CALLCONSOLE_REFRESH_SECS and refresh_secs).
    #[arg(long, value_name = "SECS")]
    pub refresh_secs: Option<String>,

    /// The most calls one view loads, 100 to 1000000 (over CALLCONSOLE_LOAD_LIMIT and
    /// load_limit).
    #[arg(long, value_name = "CALLS")]
    pub load_limit: Option<String>,

    /// The most requests one batch keeps out at once, 1 to 16 (over
    /// CALLCONSOLE_MAX_IN_FLIGHT and max_in_flight).
    #[arg(long, value_name = "N")]
    pub max_in_flight: Option<String>,

    /// The time zone times are shown and typed in, like America/New_York; default: the
    /// business's (over CALLCONSOLE_TIME_ZONE and time_zone).
    #[arg(long, value_name = "ZONE")]
    pub time_zone: Option<String>,

    /// How `c` dials: a program and its arguments, {number} the E.164 number, like
    /// "open tel:{number}"; default: the desktop's tel: handler (over
    /// CALLCONSOLE_DIAL_COMMAND and dial_command).
    #[arg(long, value_name = "COMMAND")]
    pub dial_command: Option<String>,
    /// One row per caller in Needs follow-up: true or false (over
    /// CALLCONSOLE_GROUP_BY_CALLER and group_by_caller).
    #[arg(long, value_name = "true|false")]
    pub group_by_caller: Option<String>,
}

/// A setting's text as the top layer that has it gave it, and where that was, for messages:
/// `--page-size`, `CALLCONSOLE_PAGE_SIZE` or `/path/config.toml (page_size)`.
pub(super) struct Given {
    pub(super) text: String,
    origin: String,
}

impl Given {
    /// Applies the setting's rule; a broken value is reported with where it was written.
    pub(super) fn check<T>(
        self,
        rule: impl FnOnce(&str) -> Result<T, String>,
    ) -> Result<T, ConfigError> {
        rule(&self.text).map_err(|detail| ConfigError::Value {
            origin: self.origin,
            detail,
        })
    }
}

/// The three layers over the defaults, lowest first: the file, the environment, the flags.
pub(super) struct Layers<'a> {
    pub(super) path: &'a Path,
    pub(super) env: &'a dyn Fn(&str) -> Option<String>,
}

impl Layers<'_> {
    /// The top layer's text for `key`: the flag `--<key>` if given, else the environment
    /// variable `CALLCONSOLE_<KEY>`, else the file's line. This one function is the order.
    pub(super) fn top(
        &self,
        key: &str,
        file: Option<String>,
        flag: Option<&String>,
    ) -> Option<Given> {
        let env_var = format!("CALLCONSOLE_{}", key.to_ascii_uppercase());
        let flag = flag.map(|text| Given {
            text: text.clone(),
            origin: format!("--{}", key.replace('_', "-")),
        });
        flag.or_else(|| {
            (self.env)(&env_var).map(|text| Given {
                text,
                origin: env_var,
            })
        })
        .or_else(|| {
            file.map(|text| Given {
                text,
                origin: self.file_origin(key),
            })
        })
    }

    pub(super) fn file_origin(&self, key: &str) -> String {
        format!("{} ({key})", self.path.display())
    }
}
