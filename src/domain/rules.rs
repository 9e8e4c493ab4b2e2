//! The field rules of `UpdateVoiceCall` (PRODUCT.md), as pure functions shared by the
//! embedded server's PUT validation and the client's edit form.
//!
//! Each check returns `Err(message)` with a message that names the field, says what is wrong
//! and what a good value looks like, so the same words reach the user from either side.

use crate::domain::phone;
use crate::domain::sanitize::quoted;

/// Call directions the API documents (uppercase, exact).
pub const DIRECTIONS: [&str; 2] = ["INBOUND", "OUTBOUND"];

/// Call statuses as the update documentation lists them. The newer OpenAPI spells the
/// voicemail status `VOICEMAIL`; [`is_known_status`] accepts both spellings.
pub const STATUSES: [&str; 6] = [
    "INCOMING_CALL",
    "ANSWERED_BY_STAFF",
    "MISSED",
    "ANSWERED_BY_CALLS_PROVIDER",
    "MISSED_CALL_HANDLED",
    "VOICEMAIL_RECEIVED",
];

/// The voicemail spelling used by the newer OpenAPI document.
pub const VOICEMAIL_ALT: &str = "VOICEMAIL";

/// Providers the API accepts.
pub const PROVIDERS: [&str; 1] = ["VONAGE"];

/// Longest a call can last, in seconds (24 hours): a `duration` above it is a mistake, not a
/// call, and a number this size also fits every integer type a reader may store it in.
pub const MAX_DURATION_SECS: u64 = 86_400;

/// Longest identifier (staff_uid, client_uid, handled_by_staff_uid) we accept.
pub const MAX_UID_LEN: usize = 64;

/// True for a status either vendor document lists.
pub fn is_known_status(s: &str) -> bool {
    STATUSES.contains(&s) || s == VOICEMAIL_ALT
}

/// Every spelling of the status `s` stands for: both vendor spellings for voicemail, so a
/// filter on voicemail finds calls of either; any other status is itself.
pub fn spellings(s: &str) -> Vec<String> {
    const VOICEMAIL: [&str; 2] = ["VOICEMAIL_RECEIVED", VOICEMAIL_ALT];
    if VOICEMAIL.contains(&s) {
        VOICEMAIL.iter().map(|v| v.to_string()).collect()
    } else {
        vec![s.to_string()]
    }
}

/// True for a direction the API documents.
pub fn is_known_direction(s: &str) -> bool {
    DIRECTIONS.contains(&s)
}

fn has_control(s: &str) -> bool {
    s.chars().any(char::is_control)
}

/// Required free text: non-empty (after trimming) and free of control characters.
/// `multiline` allows newlines and tabs (the call summary).
pub fn check_required_text(field: &str, value: &str, multiline: bool) -> Result<(), String> {
    if value.trim().is_empty() {
        return Err(format!("{field} is required"));
    }
    let bad = value
        .chars()
        .any(|c| c.is_control() && !(multiline && (c == '\n' || c == '\t')));
    if bad {
        return Err(format!("{field} must not contain control characters"));
    }
    Ok(())
}

/// Identifiers: non-empty, no whitespace or control characters, at most 64 characters.
pub fn check_uid(field: &str, value: &str) -> Result<(), String> {
    if value.is_empty() {
        return Err(format!("{field} is required"));
    }
    if value.chars().any(char::is_whitespace) || has_control(value) {
        return Err(format!(
            "{field} must not contain spaces or control characters"
        ));
    }
    if value.chars().count() > MAX_UID_LEN {
        return Err(format!("{field} must be at most {MAX_UID_LEN} characters"));
    }
    Ok(())
}

/// Whom a call is handled by, typed by a person (the "who is handling it?" question,
/// `staff_uid` in the settings, `--handled-by`): a uid as [`check_uid`] says, and shaped like
/// one. Staff uids are made of letters with digits or separators (`afce1a3b-80d2-…`,
/// `staff-7`); a plain word such as `Maya` is a name typed where the uid belongs, and would be
/// saved as a handler nobody can be found by.
pub fn check_staff_uid(field: &str, value: &str) -> Result<(), String> {
    check_uid(field, value)?;
    let shaped = value
        .chars()
        .any(|c| c.is_ascii_digit() || matches!(c, '-' | '_' | '.' | ':'));
    if !shaped {
        return Err(format!(
            "{field} {} looks like a name, not a staff uid; staff uids look like \
             afce1a3b-80d2-4c1e-9a57-0d5c3e2b7f10 (your own is `sub` in GET /oauth/userinfo)",
            quoted(value)
        ));
    }
    Ok(())
}

/// A real E.164 number: `+`, a country calling code, and as many digits as that country's
/// numbers have (`crate::domain::phone` holds the table). `+12` is not one.
pub fn is_e164(value: &str) -> bool {
    phone::check_e164(value).is_ok()
}

/// Phone numbers must be real E.164 numbers; the message says what is wrong with this one.
pub fn check_phone(field: &str, value: &str) -> Result<(), String> {
    if value.is_empty() {
        return Err(format!("{field} is required"));
    }
    phone::check_e164(value).map_err(|problem| problem.message(field, value))
}

/// A non-negative decimal written as a string: digits, optionally `.` and more digits.
pub fn is_decimal(value: &str) -> bool {
    let (int, frac) = match value.split_once('.') {
        Some((i, f)) => (i, Some(f)),
        None => (value, None),
    };
    !int.is_empty()
        && int.bytes().all(|b| b.is_ascii_digit())
        && frac.is_none_or(|f| !f.is_empty() && f.bytes().all(|b| b.is_ascii_digit()))
}

/// `rate` and `price`: non-negative decimal strings.
pub fn check_decimal(field: &str, value: &str) -> Result<(), String> {
    if value.is_empty() {
        return Err(format!("{field} is required"));
    }
    if is_decimal(value) {
        Ok(())
    } else {
        Err(format!(
            "{field} must be a non-negative decimal like \"0.05\" (got {})",
            quoted(value)
        ))
    }
}

/// An absolute http(s) URL with a host.
pub fn check_http_url(field: &str, value: &str) -> Result<(), String> {
    if value.is_empty() {
        return Err(format!("{field} is required"));
    }
    match url::Url::parse(value) {
        Ok(u) if matches!(u.scheme(), "http" | "https") && u.host().is_some() => Ok(()),
        _ => Err(format!(
            "{field} must be an absolute http(s) URL, like https://example.com/call/1 (got {})",
            quoted(value)
        )),
    }
}

/// Parses a duration typed as whole seconds (`125`) or minutes and seconds (`2:05`), at most
/// [`MAX_DURATION_SECS`].
pub fn parse_duration(value: &str) -> Result<u64, String> {
    let v = value.trim();
    let bad = || {
        format!(
            "duration must be whole seconds (125) or m:ss (2:05), got {}",
            quoted(value)
        )
    };
    let too_long = || {
        format!(
            "duration must be at most {MAX_DURATION_SECS} seconds (24 hours); got {}",
            quoted(value)
        )
    };
    let all_digits = |t: &str| !t.is_empty() && t.bytes().all(|b| b.is_ascii_digit());
    if v.is_empty() {
        return Err("duration is required".to_string());
    }
    let secs = if let Some((m, s)) = v.split_once(':') {
        if !all_digits(m) || !all_digits(s) || s.len() != 2 {
            return Err(bad());
        }
        // All digits: a parse can only fail by overflowing, which is too long too.
        let m: u64 = m.parse().map_err(|_| too_long())?;
        let s: u64 = s.parse().map_err(|_| bad())?;
        if s >= 60 {
            return Err(bad());
        }
        m.checked_mul(60)
            .and_then(|x| x.checked_add(s))
            .ok_or_else(too_long)?
    } else if all_digits(v) {
        v.parse().map_err(|_| too_long())?
    } else {
        return Err(bad());
    };
    if secs > MAX_DURATION_SECS {
        return Err(too_long());
    }
    Ok(secs)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn e164_cases() {
        for ok in [
            "+14155550148",
            "+442079460175",
            "+390612345678",
            "+35812345678",
        ] {
            assert!(is_e164(ok), "{ok} should pass");
        }
        for bad in [
            "14155550148",
            "+0123",
            "+1",
            "+12",
            "+1555",
            "+44",
            "+4412",
            "+1234567890123456",
            "+1 415",
            "",
            "+",
        ] {
            assert!(!is_e164(bad), "{bad} should fail");
        }
        assert_eq!(
            check_phone("from_number", "+12"),
            Err(
                "from_number \"+12\" is too short for a number with country code +1 \
                 (11 digits expected)"
                    .to_string()
            )
        );
        assert_eq!(
            check_phone("to_number", ""),
            Err("to_number is required".to_string())
        );
    }

    #[test]
    fn decimal_cases() {
        for ok in ["0", "0.05", "1.50", "12"] {
            assert!(is_decimal(ok), "{ok}");
        }
        for bad in ["", "-1", "1.", ".5", "1,5", "1e3", " 1", "abc"] {
            assert!(!is_decimal(bad), "{bad}");
        }
    }

    #[test]
    fn durations() {
        assert_eq!(parse_duration("125"), Ok(125));
        assert_eq!(parse_duration("2:05"), Ok(125));
        assert_eq!(parse_duration("0"), Ok(0));
        assert_eq!(parse_duration("86400"), Ok(86_400));
        assert_eq!(parse_duration("1440:00"), Ok(86_400));
        for bad in ["-1", "2:5", "2:60", "1.5", "", "abc", ":05"] {
            assert!(parse_duration(bad).is_err(), "{bad}");
        }
        for too_long in [
            "86401",
            "1440:01",
            "18446744073709551615",
            "99999999999999999999999",
            "307445734561825860:15",
        ] {
            assert_eq!(
                parse_duration(too_long),
                Err(format!(
                    "duration must be at most 86400 seconds (24 hours); got \"{too_long}\""
                )),
                "{too_long}"
            );
        }
    }

    #[test]
    fn uids_and_urls() {
        assert!(check_uid("staff_uid", "abc-123").is_ok());
        assert!(check_uid("staff_uid", "a b").is_err());
        assert!(check_uid("staff_uid", "").is_err());
        assert!(check_uid("staff_uid", &"x".repeat(65)).is_err());
        assert!(check_http_url("external_app_url", "https://example.com/x").is_ok());
        assert!(check_http_url("external_app_url", "ftp://example.com").is_err());
        assert!(check_http_url("external_app_url", "/relative").is_err());
        assert!(check_required_text("call_summary", "line\nline", true).is_ok());
        assert!(check_required_text("source_id", "a\nb", false).is_err());
        assert!(check_required_text("source_id", "  ", false).is_err());
    }
}
