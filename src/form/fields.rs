//! The 17 fields of `UpdateVoiceCall`, in PRODUCT.md's order, and the one pure `validate` that
//! turns the typed values into the request body or per-field messages.

use std::collections::BTreeMap;

use crate::api::{UpdateVoiceCall, VoiceCall};
use crate::rules;

/// One field of the form.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum FieldId {
    StaffUid,
    ClientUid,
    FromNumber,
    ToNumber,
    Direction,
    Status,
    Rate,
    Price,
    Provider,
    SourceId,
    Duration,
    CallSummary,
    ExternalAppUrl,
    ExternalAppName,
    RecordingId,
    ExternalUuid,
    HandledByStaffUid,
}

/// How a field is edited.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Text,
    /// Long text: also editable in `$EDITOR`.
    LongText,
    /// One of a documented set of values.
    Picker(&'static [&'static str]),
}

impl FieldId {
    pub const ALL: [FieldId; 17] = [
        FieldId::StaffUid,
        FieldId::ClientUid,
        FieldId::FromNumber,
        FieldId::ToNumber,
        FieldId::Direction,
        FieldId::Status,
        FieldId::Rate,
        FieldId::Price,
        FieldId::Provider,
        FieldId::SourceId,
        FieldId::Duration,
        FieldId::CallSummary,
        FieldId::ExternalAppUrl,
        FieldId::ExternalAppName,
        FieldId::RecordingId,
        FieldId::ExternalUuid,
        FieldId::HandledByStaffUid,
    ];

    pub fn index(self) -> usize {
        self as usize
    }

    /// The JSON name, as the API and its error messages spell it.
    pub fn name(self) -> &'static str {
        match self {
            FieldId::StaffUid => "staff_uid",
            FieldId::ClientUid => "client_uid",
            FieldId::FromNumber => "from_number",
            FieldId::ToNumber => "to_number",
            FieldId::Direction => "direction",
            FieldId::Status => "status",
            FieldId::Rate => "rate",
            FieldId::Price => "price",
            FieldId::Provider => "provider",
            FieldId::SourceId => "source_id",
            FieldId::Duration => "duration",
            FieldId::CallSummary => "call_summary",
            FieldId::ExternalAppUrl => "external_app_url",
            FieldId::ExternalAppName => "external_app_name",
            FieldId::RecordingId => "recording_id",
            FieldId::ExternalUuid => "external_uuid",
            FieldId::HandledByStaffUid => "handled_by_staff_uid",
        }
    }

    pub fn from_name(name: &str) -> Option<FieldId> {
        FieldId::ALL.into_iter().find(|f| f.name() == name)
    }

    pub fn kind(self) -> Kind {
        match self {
            FieldId::Direction => Kind::Picker(&rules::DIRECTIONS),
            FieldId::Status => Kind::Picker(&rules::STATUSES),
            FieldId::Provider => Kind::Picker(&rules::PROVIDERS),
            FieldId::CallSummary => Kind::LongText,
            _ => Kind::Text,
        }
    }

    pub fn required(self) -> bool {
        self != FieldId::HandledByStaffUid
    }

    pub fn next(self) -> FieldId {
        FieldId::ALL[(self.index() + 1) % FieldId::ALL.len()]
    }

    pub fn prev(self) -> FieldId {
        FieldId::ALL[(self.index() + FieldId::ALL.len() - 1) % FieldId::ALL.len()]
    }

    /// The value a call carries for this field, as the form shows it; `None` when the server
    /// did not send it.
    pub fn read(self, call: &VoiceCall) -> Option<String> {
        let s = |v: &Option<String>| v.clone();
        match self {
            FieldId::StaffUid => s(&call.staff_uid),
            FieldId::ClientUid => s(&call.client_uid),
            FieldId::FromNumber => s(&call.from_number),
            FieldId::ToNumber => s(&call.to_number),
            FieldId::Direction => call.direction.as_ref().map(|d| d.as_str().to_string()),
            FieldId::Status => call.status.as_ref().map(|d| d.as_str().to_string()),
            FieldId::Rate => s(&call.rate),
            FieldId::Price => s(&call.price),
            FieldId::Provider => s(&call.provider),
            FieldId::SourceId => s(&call.source_id),
            FieldId::Duration => call.duration.map(|d| d.to_string()),
            FieldId::CallSummary => s(&call.call_summary),
            FieldId::ExternalAppUrl => s(&call.external_app_url),
            FieldId::ExternalAppName => s(&call.external_app_name),
            FieldId::RecordingId => s(&call.recording_id),
            FieldId::ExternalUuid => s(&call.external_uuid),
            FieldId::HandledByStaffUid => s(&call.handled_by_staff_uid),
        }
    }
}

/// The message for one field's value, or `None` when it is fine.
pub fn check(field: FieldId, value: &str) -> Option<String> {
    let name = field.name();
    let result = match field {
        FieldId::StaffUid | FieldId::ClientUid => rules::check_uid(name, value),
        FieldId::HandledByStaffUid if value.is_empty() => Ok(()),
        FieldId::HandledByStaffUid => rules::check_uid(name, value),
        FieldId::FromNumber | FieldId::ToNumber => rules::check_phone(name, value),
        FieldId::Rate | FieldId::Price => rules::check_decimal(name, value),
        FieldId::Duration => rules::parse_duration(value).map(|_| ()),
        FieldId::ExternalAppUrl => rules::check_http_url(name, value),
        FieldId::CallSummary => rules::check_required_text(name, value, true),
        FieldId::SourceId
        | FieldId::ExternalAppName
        | FieldId::RecordingId
        | FieldId::ExternalUuid => rules::check_required_text(name, value, false),
        FieldId::Direction | FieldId::Status | FieldId::Provider => {
            if value.is_empty() {
                Err(format!("{name} is required"))
            } else {
                // A value the server sent that we do not know is sent back unchanged.
                Ok(())
            }
        }
    };
    result.err()
}

/// Field values by field: what the form holds and what a draft stores.
pub type Values = BTreeMap<FieldId, String>;

/// Builds the body from the values, or lists every broken field in form order.
pub fn validate(values: &Values) -> Result<UpdateVoiceCall, Vec<(FieldId, String)>> {
    let get = |f: FieldId| values.get(&f).map(String::as_str).unwrap_or("");
    let errors: Vec<(FieldId, String)> = FieldId::ALL
        .into_iter()
        .filter_map(|f| check(f, get(f)).map(|m| (f, m)))
        .collect();
    if !errors.is_empty() {
        return Err(errors);
    }
    let duration =
        rules::parse_duration(get(FieldId::Duration)).map_err(|m| vec![(FieldId::Duration, m)])?;
    let handled = get(FieldId::HandledByStaffUid);
    Ok(UpdateVoiceCall {
        staff_uid: get(FieldId::StaffUid).to_string(),
        client_uid: get(FieldId::ClientUid).to_string(),
        from_number: get(FieldId::FromNumber).to_string(),
        to_number: get(FieldId::ToNumber).to_string(),
        direction: get(FieldId::Direction).to_string(),
        status: get(FieldId::Status).to_string(),
        rate: get(FieldId::Rate).to_string(),
        price: get(FieldId::Price).to_string(),
        provider: get(FieldId::Provider).to_string(),
        source_id: get(FieldId::SourceId).to_string(),
        duration,
        call_summary: get(FieldId::CallSummary).to_string(),
        external_app_url: get(FieldId::ExternalAppUrl).to_string(),
        external_app_name: get(FieldId::ExternalAppName).to_string(),
        recording_id: get(FieldId::RecordingId).to_string(),
        external_uuid: get(FieldId::ExternalUuid).to_string(),
        handled_by_staff_uid: (!handled.is_empty()).then(|| handled.to_string()),
    })
}

/// The values a call gives the form; what the server did not send starts empty (provider at
/// its only value), and is listed in the second part.
pub fn prefill(call: &VoiceCall) -> (Values, Vec<FieldId>) {
    let mut values = Values::new();
    let mut missing = Vec::new();
    for f in FieldId::ALL {
        match f.read(call) {
            Some(v) => {
                values.insert(f, v);
            }
            None => {
                if matches!(
                    f,
                    FieldId::Rate | FieldId::Price | FieldId::Provider | FieldId::RecordingId
                ) {
                    missing.push(f);
                }
                let start = if f == FieldId::Provider { "VONAGE" } else { "" };
                values.insert(f, start.to_string());
            }
        }
    }
    (values, missing)
}

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

    fn good_values() -> Values {
        let mut v = Values::new();
        for (f, s) in [
            (FieldId::StaffUid, "staff-1"),
            (FieldId::ClientUid, "client-1"),
            (FieldId::FromNumber, "+14155550148"),
            (FieldId::ToNumber, "+14155550100"),
            (FieldId::Direction, "INBOUND"),
            (FieldId::Status, "MISSED"),
            (FieldId::Rate, "0.05"),
            (FieldId::Price, "1.50"),
            (FieldId::Provider, "VONAGE"),
            (FieldId::SourceId, "src-1"),
            (FieldId::Duration, "2:05"),
            (FieldId::CallSummary, "Asked about\nthe invoice"),
            (FieldId::ExternalAppUrl, "https://example.com/calls/1"),
            (FieldId::ExternalAppName, "my.pa"),
            (FieldId::RecordingId, "rec-1"),
            (FieldId::ExternalUuid, "ext-1"),
            (FieldId::HandledByStaffUid, ""),
        ] {
            v.insert(f, s.to_string());
        }
        v
    }

    #[test]
    fn every_rule_and_its_edges() {
        // (field, value, ok?)
        let cases: &[(FieldId, &str, bool)] = &[
            (FieldId::FromNumber, "+14155550148", true),
            (FieldId::FromNumber, "+0123456", false),
            (FieldId::FromNumber, "+1234567890123456", false),
            (FieldId::FromNumber, "(415) 555-0148", false),
            (FieldId::ToNumber, "", false),
            (FieldId::Rate, "0", true),
            (FieldId::Rate, "1.50", true),
            (FieldId::Rate, "-1", false),
            (FieldId::Price, "1e3", false),
            (FieldId::Price, "", false),
            (FieldId::Duration, "2:05", true),
            (FieldId::Duration, "125", true),
            (FieldId::Duration, "-3", false),
            (FieldId::ExternalAppUrl, "ftp://example.com", false),
            (FieldId::ExternalAppUrl, "https://example.com/x", true),
            (FieldId::SourceId, "   ", false),
            (FieldId::SourceId, "a\u{7}b", false),
            (FieldId::CallSummary, "two\nlines", true),
            (FieldId::StaffUid, "has space", false),
            (FieldId::StaffUid, &"x".repeat(65), false),
            (FieldId::HandledByStaffUid, "", true),
            (FieldId::HandledByStaffUid, "bad uid", false),
            (FieldId::Status, "VOICEMAIL", true),
            (FieldId::Status, "", false),
        ];
        for (field, value, ok) in cases {
            let got = check(*field, value);
            assert_eq!(got.is_none(), *ok, "{} = {value:?}: {got:?}", field.name());
            if let Some(message) = got {
                assert!(message.starts_with(field.name()), "{message}");
            }
        }
    }

    #[test]
    fn validate_builds_the_exact_body() {
        let body = validate(&good_values()).expect("valid");
        assert_eq!(body.duration, 125);
        assert_eq!(body.price, "1.50", "kept exactly as typed");
        assert_eq!(body.handled_by_staff_uid, None);
        let mut bad = good_values();
        bad.insert(FieldId::Rate, "abc".into());
        bad.insert(FieldId::FromNumber, "415".into());
        let errors = validate(&bad).expect_err("invalid");
        let fields: Vec<FieldId> = errors.iter().map(|(f, _)| *f).collect();
        assert_eq!(
            fields,
            vec![FieldId::FromNumber, FieldId::Rate],
            "in form order"
        );
    }

    #[test]
    fn prefill_marks_what_the_server_did_not_send() {
        let call = VoiceCall {
            staff_uid: Some("s".into()),
            duration: Some(5),
            ..Default::default()
        };
        let (values, missing) = prefill(&call);
        assert_eq!(values[&FieldId::Provider], "VONAGE");
        assert_eq!(values[&FieldId::Duration], "5");
        assert_eq!(
            missing,
            vec![
                FieldId::Rate,
                FieldId::Price,
                FieldId::Provider,
                FieldId::RecordingId
            ]
        );
    }

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
