//! Phone-number normalising: a national number and the `default_country` setting give the
//! E.164 form the API takes.

use crate::domain::rules;

/// Calling codes for `default_country`, for turning a national number into E.164.
const CALLING_CODES: &[(&str, &str)] = &[
    ("US", "1"),
    ("CA", "1"),
    ("GB", "44"),
    ("UK", "44"),
    ("IE", "353"),
    ("AU", "61"),
    ("NZ", "64"),
    ("DE", "49"),
    ("FR", "33"),
    ("ES", "34"),
    ("IT", "39"),
    ("NL", "31"),
    ("IL", "972"),
    ("IN", "91"),
];

/// True when `country` is a code `normalise_phone` knows.
pub fn known_country(country: &str) -> bool {
    CALLING_CODES
        .iter()
        .any(|(c, _)| c.eq_ignore_ascii_case(country))
}

/// `(415) 555-0148` with country `US` → `+14155550148`; `020 7946 0175` with `GB` →
/// `+442079460175`. `None` when the result would not be E.164 or the value already is.
pub fn normalise_phone(value: &str, country: &str) -> Option<String> {
    if rules::is_e164(value) || value.trim().is_empty() {
        return None;
    }
    let code = CALLING_CODES
        .iter()
        .find(|(c, _)| c.eq_ignore_ascii_case(country))
        .map(|(_, code)| *code)?;
    let trimmed = value.trim();
    if trimmed
        .chars()
        .any(|c| !(c.is_ascii_digit() || " ()-.+/".contains(c)))
    {
        return None;
    }
    let digits: String = trimmed.chars().filter(char::is_ascii_digit).collect();
    let candidate = if trimmed.starts_with('+') {
        format!("+{digits}")
    } else if let Some(rest) = digits.strip_prefix("00") {
        format!("+{rest}")
    } else if code == "1" {
        match digits.len() {
            10 => format!("+1{digits}"),
            11 if digits.starts_with('1') => format!("+{digits}"),
            _ => return None,
        }
    } else {
        // Most other plans write a trunk 0 nationally that E.164 drops.
        format!("+{code}{}", digits.strip_prefix('0').unwrap_or(&digits))
    };
    rules::is_e164(&candidate).then_some(candidate)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn national_numbers_normalise() {
        assert_eq!(
            normalise_phone("(415) 555-0148", "US").as_deref(),
            Some("+14155550148")
        );
        assert_eq!(
            normalise_phone("1 415 555 0148", "us").as_deref(),
            Some("+14155550148")
        );
        assert_eq!(
            normalise_phone("020 7946 0175", "GB").as_deref(),
            Some("+442079460175")
        );
        assert_eq!(
            normalise_phone("0044 20 7946 0175", "US").as_deref(),
            Some("+442079460175")
        );
        assert_eq!(normalise_phone("555-0148", "US"), None, "too short");
        assert_eq!(normalise_phone("+14155550148", "US"), None, "already E.164");
        assert_eq!(normalise_phone("call me", "US"), None);
        assert_eq!(normalise_phone("4155550148", "ZZ"), None);
    }
}
