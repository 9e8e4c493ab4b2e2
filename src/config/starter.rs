//! The commented starter config a new user can have written out (`callconsole init-config`),
//! never over a file that is already there.

use std::path::Path;

use super::ConfigError;

/// The commented starter file: every setting with its default (`callconsole` can write it out
/// for a new user with [`write_starter`]).
pub const STARTER_CONFIG: &str = include_str!("../../assets/config.example.toml");

/// Writes [`STARTER_CONFIG`] to `path`, creating its directory. An existing file is never
/// replaced: it may hold a token and hours of tuning.
pub fn write_starter(path: &Path) -> Result<(), ConfigError> {
    use std::io::Write as _;
    let failed = |detail: String| ConfigError::Write {
        path: path.display().to_string(),
        detail,
    };
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        crate::persist::fsutil::create_private_dir(dir)
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
