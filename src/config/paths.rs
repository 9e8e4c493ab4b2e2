//! Where the console's files live: the platform directories, the config file to read.

use std::path::{Path, PathBuf};

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

/// The config file to read: `--config`, else `CALLCONSOLE_CONFIG`, else the platform
/// default; `true` when it was named (then it must exist).
pub fn config_path(flag: Option<&Path>, env: &dyn Fn(&str) -> Option<String>) -> (PathBuf, bool) {
    match (flag, env("CALLCONSOLE_CONFIG").filter(|v| !v.is_empty())) {
        (Some(p), _) => (p.to_path_buf(), true),
        (None, Some(p)) => (PathBuf::from(p), true),
        (None, None) => (default_config_path(), false),
    }
}
