//! Finding a zone's rules by name in the IANA time zone database. On Linux and macOS it is
//! the system's (`/usr/share/zoneinfo`, kept current by the system's updates, and nothing
//! added to the program); Windows has none, so there (and with the `bundled-tzdb` feature, for
//! a system without one) the program carries its own copy (`tzdb`).

use crate::domain::sanitize::quoted;

/// Where a person finds the names [`super::Zone::named`] accepts.
pub const WHERE_NAMES_ARE: &str = "an IANA time zone name like \"America/New_York\", \"Europe/London\" or \"UTC\" (the \"TZ identifier\" column of Wikipedia's \"List of tz database time zones\"; `timedatectl list-timezones` on Linux)";

/// The zone called `name` (any case): its name as the database spells it, and its rules.
pub(super) fn find(name: &str) -> Result<(String, tz::TimeZone), String> {
    let found = if plausible(name) {
        source::find(name)
    } else {
        None
    };
    found.ok_or_else(|| unknown(name, source::guess(name)))
}

fn unknown(name: &str, guess: Option<String>) -> String {
    let mut message = format!("{} is not a time zone callconsole knows", quoted(name));
    if let Some(guess) = guess {
        message.push_str(&format!(" (did you mean \"{guess}\"?)"));
    }
    if !source::available() {
        message.push_str(&format!(
            "; this system has no time zone database ({})",
            source::WHERE
        ));
    }
    message.push_str(&format!("; use {WHERE_NAMES_ARE}"));
    message
}

/// Looks like a zone name: words of letters, digits, `_`, `-` and `+` joined by `/` (never
/// a path out of the database's directory).
fn plausible(name: &str) -> bool {
    name.len() <= 64
        && name.split('/').all(|part| {
            !part.is_empty()
                && part != "."
                && part != ".."
                && part
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '+'))
        })
}

/// The city part of a name written with spaces for `_`: `new york` → `New_York`.
fn city_key(name: &str) -> String {
    name.trim().replace(' ', "_")
}

#[cfg(not(any(windows, feature = "bundled-tzdb")))]
mod source {
    //! The system's database: a directory of TZif files, one per name.

    use std::path::{Path, PathBuf};

    pub(super) const WHERE: &str =
        "install the tzdata package, or set TZDIR to a directory of zoneinfo files";

    /// Where systems keep it; `TZDIR` first, as the C library reads it.
    fn dirs() -> impl Iterator<Item = PathBuf> {
        std::env::var_os("TZDIR")
            .map(PathBuf::from)
            .into_iter()
            .chain(
                [
                    "/usr/share/zoneinfo",
                    "/usr/lib/zoneinfo",
                    "/usr/share/lib/zoneinfo",
                    "/etc/zoneinfo",
                ]
                .into_iter()
                .map(PathBuf::from),
            )
    }

    pub(super) fn available() -> bool {
        dirs().any(|d| d.join("UTC").is_file() || d.join("Etc/UTC").is_file())
    }

    pub(super) fn find(name: &str) -> Option<(String, tz::TimeZone)> {
        dirs().find_map(|dir| {
            let spelled = spelling(&dir, name)?;
            let bytes = std::fs::read(dir.join(&spelled)).ok()?;
            Some((spelled, tz::TimeZone::from_tz_data(&bytes).ok()?))
        })
    }

    /// `name` as the directory spells it: exactly, or each part matched in any case.
    fn spelling(dir: &Path, name: &str) -> Option<String> {
        if dir.join(name).is_file() {
            return Some(name.to_string());
        }
        let mut path = dir.to_path_buf();
        let mut parts = Vec::new();
        for part in name.split('/') {
            let entry = std::fs::read_dir(&path)
                .ok()?
                .filter_map(Result::ok)
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .find(|n| n.eq_ignore_ascii_case(part))?;
            path.push(&entry);
            parts.push(entry);
        }
        path.is_file().then(|| parts.join("/"))
    }

    /// A zone whose last part is the city `name` names (`new york`): `America/New_York`.
    pub(super) fn guess(name: &str) -> Option<String> {
        let city = super::city_key(name);
        if city.contains('/') || !super::plausible(&city) {
            return None;
        }
        dirs().find_map(|dir| {
            [
                "America",
                "Europe",
                "Asia",
                "Africa",
                "Australia",
                "Pacific",
                "Atlantic",
                "Indian",
            ]
            .into_iter()
            .find_map(|region| spelling(&dir, &format!("{region}/{city}")))
        })
    }
}

#[cfg(any(windows, feature = "bundled-tzdb"))]
mod source {
    //! The copy built into the program (`tzdb`).

    pub(super) const WHERE: &str = "";

    pub(super) fn available() -> bool {
        true
    }

    pub(super) fn find(name: &str) -> Option<(String, tz::TimeZone)> {
        let rules = tzdb::tz_by_name(name)?;
        let spelled = tzdb::TZ_NAMES
            .iter()
            .find(|n| n.eq_ignore_ascii_case(name))
            .map_or_else(|| name.to_string(), |n| n.to_string());
        let owned = tz::TimeZone::new(
            rules.transitions().to_vec(),
            rules.local_time_types().to_vec(),
            rules.leap_seconds().to_vec(),
            *rules.extra_rule(),
        )
        .ok()?;
        Some((spelled, owned))
    }

    pub(super) fn guess(name: &str) -> Option<String> {
        let city = super::city_key(name);
        tzdb::TZ_NAMES
            .iter()
            .find(|n| {
                n.rsplit('/')
                    .next()
                    .is_some_and(|last| last.eq_ignore_ascii_case(&city))
            })
            .map(|n| n.to_string())
    }
}
