//! The rule for each setting's value, whichever layer gave it (file, environment, flag): one
//! function per setting, taking the text as written and saying what is wrong and what to do,
//! with the bad value in quotes. The caller adds where the value was written.

use std::time::Duration;

use super::UpdateFields;
use crate::domain::fields::{self, FieldId};
use crate::domain::rules;
use crate::domain::sanitize::quoted;

/// A day: anything longer is a typo (minutes for seconds), not a wish.
pub const MAX_REFRESH_SECS: u64 = 86_400;

pub(super) fn page_size(text: &str) -> Result<u32, String> {
    match text.trim().parse::<i64>() {
        Ok(n @ 1..=100) => Ok(n as u32),
        Ok(_) => Err(format!(
            "page_size must be between 1 and 100 (got {})",
            quoted(text.trim())
        )),
        Err(_) => Err(format!(
            "page_size {} is not a whole number; use 1 to 100, like 50",
            quoted(text)
        )),
    }
}

/// `dial_command`: it must split into a program and its arguments.
pub(super) fn dial_command(text: &str) -> Result<String, String> {
    crate::domain::dial::check_command(text)
}

pub(super) fn update_fields(text: &str) -> Result<UpdateFields, String> {
    match text.trim() {
        "all" => Ok(UpdateFields::All),
        "changed" => Ok(UpdateFields::Changed),
        other => Err(format!(
            "update_fields must be \"all\" or \"changed\" (got {})",
            quoted(other)
        )),
    }
}

/// A setting that is on or off, as the environment and the command line write it.
pub(super) fn switch(key: &str, text: &str) -> Result<bool, String> {
    match text.trim().to_ascii_lowercase().as_str() {
        "true" | "yes" | "on" | "1" => Ok(true),
        "false" | "no" | "off" | "0" => Ok(false),
        _ => Err(format!(
            "{key} must be true or false (got {})",
            quoted(text.trim())
        )),
    }
}

pub(super) fn staff_uid(text: &str) -> Result<String, String> {
    let uid = text.trim();
    crate::domain::rules::check_staff_uid("staff_uid", uid)?;
    Ok(uid.to_string())
}

pub(super) fn default_country(text: &str) -> Result<String, String> {
    let code = text.trim();
    if fields::known_country(code) {
        Ok(code.to_ascii_uppercase())
    } else {
        Err(format!(
            "default_country {} is not one callconsole knows; use a two-letter code like US, CA, GB, AU, DE, FR, IL",
            quoted(code)
        ))
    }
}

/// A zone of the IANA database, by name.
pub(super) fn time_zone(text: &str) -> Result<crate::domain::zone::Zone, String> {
    crate::domain::zone::Zone::named(text).map_err(|e| format!("time_zone {e}"))
}

pub(super) fn refresh_secs(text: &str) -> Result<u64, String> {
    let n = text.trim().parse::<i64>().map_err(|_| {
        format!(
            "refresh_secs {} is not a whole number; use seconds like 30, or 0 to turn reloads off",
            quoted(text)
        )
    })?;
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

/// The largest `load_limit`: a million calls is a few gigabytes of memory.
pub const MAX_LOAD_LIMIT: u64 = 1_000_000;
/// The smallest: one full page.
pub const MIN_LOAD_LIMIT: u64 = 100;

pub(super) fn load_limit(text: &str) -> Result<u64, String> {
    let n = text.trim().parse::<i64>().map_err(|_| {
        format!(
            "load_limit {} is not a whole number; use a number of calls like 200000",
            quoted(text)
        )
    })?;
    u64::try_from(n)
        .ok()
        .filter(|n| (MIN_LOAD_LIMIT..=MAX_LOAD_LIMIT).contains(n))
        .ok_or_else(|| {
            format!(
                "load_limit must be between {MIN_LOAD_LIMIT} and {MAX_LOAD_LIMIT} calls (got {})",
                quoted(text.trim())
            )
        })
}

/// The largest `max_in_flight`: more requests at once than this is hammering the server.
pub const MAX_MAX_IN_FLIGHT: usize = 16;

pub(super) fn max_in_flight(text: &str) -> Result<usize, String> {
    let n = text.trim().parse::<i64>().map_err(|_| {
        format!(
            "max_in_flight {} is not a whole number; use 1 to {MAX_MAX_IN_FLIGHT} requests at once, like 4",
            quoted(text)
        )
    })?;
    usize::try_from(n)
        .ok()
        .filter(|n| (1..=MAX_MAX_IN_FLIGHT).contains(n))
        .ok_or_else(|| {
            format!(
                "max_in_flight must be between 1 and {MAX_MAX_IN_FLIGHT} requests at once (got {})",
                quoted(text.trim())
            )
        })
}

pub(super) fn age_bands(bands: &[String]) -> Result<[Duration; 3], String> {
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
            "age_bands starts at {}; the first band must be longer than zero, like \"15m\"",
            quoted(a)
        ));
    }
    for (i, pair) in parsed.windows(2).enumerate() {
        if pair[1] <= pair[0] {
            return Err(format!(
                "age_bands must increase, but {} is not longer than {}; list them shortest first, like [\"15m\", \"1h\", \"4h\"]",
                quoted(&bands[i + 1]),
                quoted(&bands[i])
            ));
        }
    }
    Ok(parsed)
}

/// A duration written with `h`, `m` and `s`, largest first: `45s`, `15m`, `1h30m`.
pub fn parse_span(text: &str) -> Result<Duration, String> {
    let bad = || {
        format!(
            "{} is not a duration; write it with h, m and s, like \"15m\", \"1h\" or \"1h30m\"",
            quoted(text)
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
            format!(
                "{} has a number without a unit; add h, m or s, like \"{}m\"",
                quoted(text),
                text.trim()
            )
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
pub(super) fn handled_default(field: FieldId, value: &str) -> Result<(), String> {
    if let Some(msg) = fields::check(field, value) {
        return Err(format!(
            "{msg}; in [defaults], give a valid value or remove the line to be asked in the form"
        ));
    }
    if field == FieldId::Provider && !rules::PROVIDERS.contains(&value) {
        return Err(format!(
            "provider {} is not one the API accepts; use one of: {}",
            quoted(value),
            rules::PROVIDERS.join(", ")
        ));
    }
    Ok(())
}
