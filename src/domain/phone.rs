//! Phone numbers: which E.164 numbers are real (a country calling code and a national number
//! of a length that country uses), and turning a national number plus the `default_country`
//! setting into the E.164 form the API takes.
//!
//! A table rather than a phone library: the countries the product meets, each with its
//! calling code, its national number lengths and how it writes a trunk prefix, tested with
//! libphonenumber's own examples. Calling codes are prefix-free (no code begins another), so
//! the first code of the table a number starts with is its code.

/// How a country writes a number nationally, before its national significant number.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Trunk {
    /// The North American plan: an optional leading 1; the area code starts with 2–9.
    Nanp,
    /// A trunk 0 written nationally and dropped in E.164 (`020 7946 0175` → `+44 20…`).
    Zero,
    /// No trunk prefix: the national number is written whole, a leading 0 included (Italy's
    /// fixed lines: `06 1234 5678` → `+39 06…`).
    None,
}

/// One country's numbering plan, as far as checking and normalising need it.
#[derive(Debug, Clone, Copy)]
struct Plan {
    /// The calling code, without `+`.
    code: &'static str,
    /// The `default_country` values that mean this plan.
    countries: &'static [&'static str],
    /// Fewest and most digits after the calling code (the national significant number).
    national: (usize, usize),
    trunk: Trunk,
}

/// The plans of the countries the product meets. Lengths are the national significant
/// number's, from the ITU national plans as libphonenumber's metadata spells them.
const PLANS: &[Plan] = &[
    plan("1", &["US", "CA"], (10, 10), Trunk::Nanp),
    plan("44", &["GB", "UK"], (9, 10), Trunk::Zero),
    plan("39", &["IT"], (6, 11), Trunk::None),
    plan("49", &["DE"], (5, 13), Trunk::Zero),
    plan("33", &["FR"], (9, 9), Trunk::Zero),
    plan("34", &["ES"], (9, 9), Trunk::None),
    plan("61", &["AU"], (9, 9), Trunk::Zero),
    plan("972", &["IL"], (8, 9), Trunk::Zero),
    plan("91", &["IN"], (10, 10), Trunk::Zero),
    plan("55", &["BR"], (10, 11), Trunk::Zero),
    plan("81", &["JP"], (9, 10), Trunk::Zero),
    plan("52", &["MX"], (10, 10), Trunk::None),
    plan("31", &["NL"], (9, 9), Trunk::Zero),
    plan("353", &["IE"], (7, 9), Trunk::Zero),
    plan("64", &["NZ"], (8, 10), Trunk::Zero),
];

const fn plan(
    code: &'static str,
    countries: &'static [&'static str],
    national: (usize, usize),
    trunk: Trunk,
) -> Plan {
    Plan {
        code,
        countries,
        national,
        trunk,
    }
}

/// Digits after the `+` of a number whose calling code is not in [`PLANS`]: E.164's own
/// bounds, with a floor below which no country's numbers go.
const UNKNOWN_TOTAL: (usize, usize) = (8, 15);

/// Why a value is not a real E.164 number.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Problem {
    /// Not `+` and digits.
    NotE164,
    /// `+0…`: no calling code starts with 0.
    ZeroCode,
    /// Fewer digits than the country uses; `expected` is the total after the `+`.
    TooShort {
        code: Option<&'static str>,
        expected: (usize, usize),
    },
    /// More digits than the country uses.
    TooLong {
        code: Option<&'static str>,
        expected: (usize, usize),
    },
    /// A North American area code starting with 0 or 1.
    AreaCode { area: String },
    /// The national trunk 0 kept after the calling code (`+44 020…`).
    TrunkZero { code: &'static str, fixed: String },
}

impl Problem {
    /// What is wrong, for `field` holding `value`: the field first, the value in quotes.
    pub fn message(&self, field: &str, value: &str) -> String {
        let value = crate::domain::sanitize::quoted(value);
        let digits = |(min, max): (usize, usize)| {
            if min == max {
                format!("{min} digits expected")
            } else {
                format!("{min} to {max} digits expected")
            }
        };
        let country = |code: &Option<&str>| match code {
            Some(code) => format!(" for a number with country code +{code}"),
            None => String::new(),
        };
        match self {
            Problem::NotE164 => {
                format!("{field} must be E.164, like +14155550148 (got {value})")
            }
            Problem::ZeroCode => {
                format!("{field} {value} is not E.164: a country code never starts with 0")
            }
            Problem::TooShort { code, expected } => format!(
                "{field} {value} is too short{} ({})",
                country(code),
                digits(*expected)
            ),
            Problem::TooLong { code, expected } => format!(
                "{field} {value} is too long{} ({})",
                country(code),
                digits(*expected)
            ),
            Problem::AreaCode { area } => format!(
                "{field} {value} has area code {area}, which cannot start with 0 or 1 \
                 (like +14155550148)"
            ),
            Problem::TrunkZero { code, fixed } => {
                format!("{field} {value} keeps the national 0 after +{code}; drop it, like {fixed}")
            }
        }
    }
}

/// The plan whose calling code `digits` (after the `+`) starts with.
fn plan_of(digits: &str) -> Option<&'static Plan> {
    PLANS.iter().find(|p| digits.starts_with(p.code))
}

/// `Ok` for a real E.164 number: `+`, a calling code, and a national number of a length
/// that country uses (8 to 15 digits in all for a code the table does not know).
pub fn check_e164(value: &str) -> Result<(), Problem> {
    let Some(digits) = value.strip_prefix('+') else {
        return Err(Problem::NotE164);
    };
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return Err(Problem::NotE164);
    }
    if digits.starts_with('0') {
        return Err(Problem::ZeroCode);
    }
    let Some(plan) = plan_of(digits) else {
        let (min, max) = UNKNOWN_TOTAL;
        return match digits.len() {
            n if n < min => Err(Problem::TooShort {
                code: None,
                expected: UNKNOWN_TOTAL,
            }),
            n if n > max => Err(Problem::TooLong {
                code: None,
                expected: UNKNOWN_TOTAL,
            }),
            _ => Ok(()),
        };
    };
    let national = &digits[plan.code.len()..];
    let expected = (
        plan.code.len() + plan.national.0,
        plan.code.len() + plan.national.1,
    );
    if national.len() < plan.national.0 {
        return Err(Problem::TooShort {
            code: Some(plan.code),
            expected,
        });
    }
    if national.len() > plan.national.1 {
        return Err(Problem::TooLong {
            code: Some(plan.code),
            expected,
        });
    }
    match plan.trunk {
        Trunk::Nanp if national.starts_with(['0', '1']) => Err(Problem::AreaCode {
            area: national[..3].to_string(),
        }),
        Trunk::Zero if national.starts_with('0') => {
            let fixed = format!("+{}{}", plan.code, &national[1..]);
            Err(Problem::TrunkZero {
                code: plan.code,
                fixed,
            })
        }
        Trunk::Nanp | Trunk::Zero | Trunk::None => Ok(()),
    }
}

/// True when `country` is a code `normalise_phone` knows.
pub fn known_country(country: &str) -> bool {
    plan_for_country(country).is_some()
}

fn plan_for_country(country: &str) -> Option<&'static Plan> {
    PLANS.iter().find(|p| {
        p.countries
            .iter()
            .any(|c| c.eq_ignore_ascii_case(country.trim()))
    })
}

/// `(415) 555-0148` with country `US` → `+14155550148`; `020 7946 0175` with `GB` →
/// `+442079460175`; `06 1234 5678` with `IT` → `+390612345678` (Italy keeps its 0). `None`
/// when the result would not be a real E.164 number or the value already is one.
pub fn normalise_phone(value: &str, country: &str) -> Option<String> {
    if check_e164(value).is_ok() || value.trim().is_empty() {
        return None;
    }
    let plan = plan_for_country(country)?;
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
    } else {
        match plan.trunk {
            Trunk::Nanp => match digits.len() {
                10 => format!("+1{digits}"),
                11 if digits.starts_with('1') => format!("+{digits}"),
                _ => return None,
            },
            Trunk::Zero => format!(
                "+{}{}",
                plan.code,
                digits.strip_prefix('0').unwrap_or(&digits)
            ),
            Trunk::None => format!("+{}{digits}", plan.code),
        }
    };
    check_e164(&candidate).is_ok().then_some(candidate)
}

/// A number as calls are told apart by it: E.164 when it is one or can be made one (`+1 415
/// 555 0148`, or a national number with `country`), else its digits alone, so the same
/// number written two ways is one key.
pub fn comparable(value: &str, country: Option<&str>) -> String {
    let trimmed = value.trim();
    if check_e164(trimmed).is_ok() {
        return trimmed.to_string();
    }
    let digits: String = trimmed.chars().filter(char::is_ascii_digit).collect();
    let plus = format!("+{digits}");
    if trimmed.starts_with('+') && check_e164(&plus).is_ok() {
        return plus;
    }
    country
        .and_then(|c| normalise_phone(trimmed, c))
        .unwrap_or(digits)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Real numbers, most of them libphonenumber's own examples, one or more per plan.
    const REAL: &[&str] = &[
        "+16502530000",
        "+14155550148",
        "+442083661177",
        "+447400123456",
        "+390212345678",
        "+390612345678",
        "+393123456789",
        "+4930123456",
        "+4930231250190",
        "+33123456789",
        "+34912345678",
        "+61212345678",
        "+61355501180",
        "+97231234567",
        "+972501234567",
        "+919876543210",
        "+551133334444",
        "+5511987654321",
        "+81312345678",
        "+819012345678",
        "+525512345678",
        "+31201234567",
        "+35312345678",
        "+353871234567",
        "+6493001234",
        // Codes the table does not know: E.164's own bounds.
        "+35812345678",
        "+2348012345678",
    ];

    #[test]
    fn real_numbers_pass() {
        for number in REAL {
            assert_eq!(check_e164(number), Ok(()), "{number}");
        }
    }

    #[test]
    fn numbers_that_are_not_real_say_why() {
        let short = |code, expected| Problem::TooShort { code, expected };
        let long = |code, expected| Problem::TooLong { code, expected };
        let cases: &[(&str, Problem)] = &[
            ("+12", short(Some("1"), (11, 11))),
            ("+1555", short(Some("1"), (11, 11))),
            ("+141555501480", long(Some("1"), (11, 11))),
            ("+1234567890123456", long(Some("1"), (11, 11))),
            ("+4412", short(Some("44"), (11, 12))),
            ("+44", short(Some("44"), (11, 12))),
            ("+4402079460175", long(Some("44"), (11, 12))),
            ("+3312345678", short(Some("33"), (11, 11))),
            ("+39123", short(Some("39"), (8, 13))),
            ("+9721234567", short(Some("972"), (11, 12))),
            ("+2123", short(None, (8, 15))),
            ("+2123456789012345", long(None, (8, 15))),
            ("+0123", Problem::ZeroCode),
            ("+0123456789", Problem::ZeroCode),
            ("+10155550148", Problem::AreaCode { area: "015".into() }),
            ("+11155550148", Problem::AreaCode { area: "115".into() }),
            (
                "+49030123456",
                Problem::TrunkZero {
                    code: "49",
                    fixed: "+4930123456".into(),
                },
            ),
            ("14155550148", Problem::NotE164),
            ("+1 415 555 0148", Problem::NotE164),
            ("+", Problem::NotE164),
            ("", Problem::NotE164),
        ];
        for (value, problem) in cases {
            assert_eq!(check_e164(value).as_ref(), Err(problem), "{value}");
        }
    }

    #[test]
    fn messages_name_the_field_and_quote_the_value() {
        let message = |v: &str| check_e164(v).unwrap_err().message("from_number", v);
        assert_eq!(
            message("+12"),
            "from_number \"+12\" is too short for a number with country code +1 (11 digits expected)"
        );
        assert_eq!(
            message("+4412"),
            "from_number \"+4412\" is too short for a number with country code +44 \
             (11 to 12 digits expected)"
        );
        assert_eq!(
            message("+2123"),
            "from_number \"+2123\" is too short (8 to 15 digits expected)"
        );
        assert_eq!(
            message("+10155550148"),
            "from_number \"+10155550148\" has area code 015, which cannot start with 0 or 1 \
             (like +14155550148)"
        );
        assert_eq!(
            message("+49030123456"),
            "from_number \"+49030123456\" keeps the national 0 after +49; drop it, like +4930123456"
        );
        assert_eq!(
            message("415"),
            "from_number must be E.164, like +14155550148 (got \"415\")"
        );
    }

    #[test]
    fn national_numbers_normalise() {
        let cases = [
            ("US", "(650) 253-0000", "+16502530000"),
            ("US", "(415) 555-0148", "+14155550148"),
            ("us", "1 415 555 0148", "+14155550148"),
            ("CA", "416-555-0160", "+14165550160"),
            ("GB", "020 8366 1177", "+442083661177"),
            ("GB", "07400 123456", "+447400123456"),
            ("UK", "020 7946 0175", "+442079460175"),
            ("US", "0044 20 7946 0175", "+442079460175"),
            ("IT", "02 1234 5678", "+390212345678"),
            ("IT", "06 1234 5678", "+390612345678"),
            ("IT", "312 345 6789", "+393123456789"),
            ("IT", "0039 06 1234 5678", "+390612345678"),
            ("DE", "030 123456", "+4930123456"),
            ("FR", "01 23 45 67 89", "+33123456789"),
            ("ES", "912 34 56 78", "+34912345678"),
            ("AU", "02 1234 5678", "+61212345678"),
            ("IL", "03-123-4567", "+97231234567"),
            ("IN", "098765 43210", "+919876543210"),
            ("BR", "(11) 98765-4321", "+5511987654321"),
            ("JP", "03-1234-5678", "+81312345678"),
            ("MX", "55 1234 5678", "+525512345678"),
            ("NL", "020 123 4567", "+31201234567"),
            ("IE", "01 234 5678", "+35312345678"),
            ("NZ", "09 300 1234", "+6493001234"),
            ("GB", "+44 20 7946 0175", "+442079460175"),
        ];
        for (country, national, e164) in cases {
            assert_eq!(
                normalise_phone(national, country).as_deref(),
                Some(e164),
                "{country} {national}"
            );
        }
    }

    #[test]
    fn what_does_not_normalise() {
        let cases = [
            ("US", "555-0148", "too short"),
            ("US", "(055) 555-0148", "area code starts with 0"),
            ("US", "+14155550148", "already E.164"),
            ("US", "call me", "not a number"),
            ("ZZ", "4155550148", "unknown country"),
            ("GB", "020 794", "too short"),
            ("FR", "01 23 45", "too short"),
            ("IT", "06", "too short"),
            ("DE", "+49 030 123456", "a trunk 0 after the code"),
        ];
        for (country, value, why) in cases {
            assert_eq!(normalise_phone(value, country), None, "{value}: {why}");
        }
    }

    #[test]
    fn every_country_is_known_and_every_code_is_prefix_free() {
        for plan in PLANS {
            for country in plan.countries {
                assert!(known_country(country), "{country}");
            }
            assert!(plan.code.len() + plan.national.1 <= 15, "+{}", plan.code);
            for other in PLANS.iter().filter(|o| o.code != plan.code) {
                assert!(
                    !other.code.starts_with(plan.code),
                    "+{} +{}",
                    plan.code,
                    other.code
                );
            }
        }
        assert!(!known_country("ZZ"));
    }
}
