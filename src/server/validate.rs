//! PUT body validation: checks an `UpdateVoiceCall` JSON object field by field with the shared
//! rules in `crate::rules`, returning the typed update or one error per broken field.

use serde_json::{Map, Value};

use crate::rules;

/// A valid `UpdateVoiceCall`, ready to store.
#[derive(Debug, Clone, PartialEq)]
pub struct Update {
    pub staff_uid: String,
    pub client_uid: String,
    pub from_number: String,
    pub to_number: String,
    pub direction: String,
    pub status: String,
    pub rate: String,
    pub price: String,
    pub provider: String,
    pub source_id: String,
    pub duration: u64,
    pub call_summary: String,
    pub external_app_url: String,
    pub external_app_name: String,
    pub recording_id: String,
    pub external_uuid: String,
    pub handled_by_staff_uid: Option<String>,
}

/// One broken field; `message` starts with the field name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldError {
    pub field: &'static str,
    pub message: String,
}

/// How a field is checked.
#[derive(Clone, Copy)]
enum Rule {
    Uid,
    Phone,
    Direction,
    Status,
    Decimal,
    Provider,
    Text,
    MultilineText,
    Url,
}

/// The required string fields in the order errors are reported (the OpenAPI's order).
const STRING_FIELDS: [(&str, Rule); 15] = [
    ("staff_uid", Rule::Uid),
    ("client_uid", Rule::Uid),
    ("from_number", Rule::Phone),
    ("to_number", Rule::Phone),
    ("direction", Rule::Direction),
    ("status", Rule::Status),
    ("rate", Rule::Decimal),
    ("price", Rule::Decimal),
    ("provider", Rule::Provider),
    ("source_id", Rule::Text),
    ("call_summary", Rule::MultilineText),
    ("external_app_url", Rule::Url),
    ("external_app_name", Rule::Text),
    ("recording_id", Rule::Text),
    ("external_uuid", Rule::Text),
];

/// A short description of a JSON value for error messages: the value itself when small.
fn describe(v: &Value) -> String {
    match v {
        Value::Null => "null".to_string(),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => n.to_string(),
        Value::String(s) => format!("\"{s}\""),
        Value::Array(_) => "an array".to_string(),
        Value::Object(_) => "an object".to_string(),
    }
}

fn check_enum(field: &str, value: &str, allowed: &[&str]) -> Result<(), String> {
    if allowed.contains(&value) {
        Ok(())
    } else {
        Err(format!(
            "{field} must be one of {} (uppercase, exact; got \"{value}\")",
            allowed.join(", ")
        ))
    }
}

fn check_string(field: &'static str, rule: Rule, value: &str) -> Result<(), String> {
    match rule {
        Rule::Uid => rules::check_uid(field, value),
        Rule::Phone => rules::check_phone(field, value),
        Rule::Direction => check_enum(field, value, &rules::DIRECTIONS),
        Rule::Status => {
            if rules::is_known_status(value) {
                Ok(())
            } else {
                let mut allowed = rules::STATUSES.to_vec();
                allowed.push(rules::VOICEMAIL_ALT);
                check_enum(field, value, &allowed)
            }
        }
        Rule::Decimal => rules::check_decimal(field, value),
        Rule::Provider => check_enum(field, value, &rules::PROVIDERS),
        Rule::Text => rules::check_required_text(field, value, false),
        Rule::MultilineText => rules::check_required_text(field, value, true),
        Rule::Url => rules::check_http_url(field, value),
    }
}

fn required_string(
    obj: &Map<String, Value>,
    field: &'static str,
    rule: Rule,
) -> Result<String, String> {
    match obj.get(field) {
        None => Err(format!("{field} is required")),
        Some(Value::Null) => Err(format!("{field} is required (got null)")),
        Some(Value::String(s)) => check_string(field, rule, s).map(|()| s.clone()),
        // The vendor is explicit that money travels as strings; a number is the usual mistake.
        Some(v) if matches!(rule, Rule::Decimal) => Err(format!(
            "{field} must be a string like \"0.05\" (got {})",
            describe(v)
        )),
        Some(v) => Err(format!("{field} must be a string (got {})", describe(v))),
    }
}

fn duration(obj: &Map<String, Value>) -> Result<u64, String> {
    let bad = |v: &Value| {
        format!(
            "duration must be a JSON number of whole seconds ≥ 0, like 125 (got {})",
            describe(v)
        )
    };
    match obj.get("duration") {
        None => Err("duration is required".to_string()),
        Some(Value::Null) => Err("duration is required (got null)".to_string()),
        Some(v @ Value::Number(n)) => match (n.as_u64(), n.as_f64()) {
            (Some(u), _) => Ok(u),
            // 120.0 is still a whole number of seconds.
            (None, Some(f)) if f >= 0.0 && f.fract() == 0.0 && f < 1e15 => Ok(f as u64),
            _ => Err(bad(v)),
        },
        Some(v) => Err(bad(v)),
    }
}

fn handled_by(obj: &Map<String, Value>) -> Result<Option<String>, String> {
    const FIELD: &str = "handled_by_staff_uid";
    match obj.get(FIELD) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) if s.is_empty() => Err(format!(
            "{FIELD} must not be empty: send null or leave it out when nobody handled the call"
        )),
        Some(Value::String(s)) => rules::check_uid(FIELD, s).map(|()| Some(s.clone())),
        Some(v) => Err(format!(
            "{FIELD} must be a string or null (got {})",
            describe(v)
        )),
    }
}

/// Validates a parsed PUT body that is a JSON object. Unknown fields are ignored.
pub fn validate_update(obj: &Map<String, Value>) -> Result<Update, Vec<FieldError>> {
    let mut errors = Vec::new();
    let mut strings: Vec<String> = Vec::with_capacity(STRING_FIELDS.len());
    for (field, rule) in STRING_FIELDS {
        match required_string(obj, field, rule) {
            Ok(s) => strings.push(s),
            Err(message) => {
                errors.push(FieldError { field, message });
                strings.push(String::new());
            }
        }
    }
    let duration = duration(obj).unwrap_or_else(|message| {
        errors.push(FieldError {
            field: "duration",
            message,
        });
        0
    });
    let handled_by_staff_uid = handled_by(obj).unwrap_or_else(|message| {
        errors.push(FieldError {
            field: "handled_by_staff_uid",
            message,
        });
        None
    });
    if !errors.is_empty() {
        return Err(errors);
    }
    let mut s = strings.into_iter();
    let mut next = || s.next().unwrap_or_default();
    Ok(Update {
        staff_uid: next(),
        client_uid: next(),
        from_number: next(),
        to_number: next(),
        direction: next(),
        status: next(),
        rate: next(),
        price: next(),
        provider: next(),
        source_id: next(),
        call_summary: next(),
        external_app_url: next(),
        external_app_name: next(),
        recording_id: next(),
        external_uuid: next(),
        duration,
        handled_by_staff_uid,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn good() -> Value {
        json!({
            "staff_uid": "d290f1ee-6c54-4b01-90e6-d701748f0851",
            "client_uid": "c-42",
            "from_number": "+14155550148",
            "to_number": "+14155550901",
            "direction": "INBOUND",
            "status": "MISSED_CALL_HANDLED",
            "rate": "0.05",
            "price": "1.50",
            "provider": "VONAGE",
            "source_id": "call-src-001",
            "duration": 120,
            "call_summary": "Client asked\nabout billing",
            "external_app_url": "https://example.com/call-details",
            "external_app_name": "my.pa",
            "recording_id": "rec-abc123xyz",
            "external_uuid": "ext-call-001",
            "handled_by_staff_uid": "staff-9",
            "something_new": [1, 2]
        })
    }

    fn run(v: &Value) -> Result<Update, Vec<FieldError>> {
        validate_update(v.as_object().unwrap())
    }

    fn with(field: &str, value: Value) -> Value {
        let mut v = good();
        v[field] = value;
        v
    }

    #[test]
    fn good_body_passes_and_keeps_strings_exact() {
        let u = run(&good()).unwrap();
        assert_eq!(u.price, "1.50");
        assert_eq!(u.rate, "0.05");
        assert_eq!(u.duration, 120);
        assert_eq!(u.call_summary, "Client asked\nabout billing");
        assert_eq!(u.handled_by_staff_uid.as_deref(), Some("staff-9"));
        assert_eq!(
            run(&with("status", json!("VOICEMAIL"))).unwrap().status,
            "VOICEMAIL"
        );
        assert_eq!(run(&with("duration", json!(60.0))).unwrap().duration, 60);
        assert_eq!(
            run(&with("handled_by_staff_uid", Value::Null))
                .unwrap()
                .handled_by_staff_uid,
            None
        );
        let mut v = good();
        v.as_object_mut().unwrap().remove("handled_by_staff_uid");
        assert!(run(&v).is_ok());
    }

    /// Each broken field is reported once, by name, and the message starts with the name.
    #[test]
    fn each_broken_field_is_named() {
        let cases: Vec<(&str, Value, &str)> = vec![
            ("staff_uid", json!("a b"), "spaces"),
            ("staff_uid", json!(""), "required"),
            ("client_uid", json!("x".repeat(65)), "at most 64"),
            (
                "from_number",
                json!("415"),
                "E.164, like +14155550148 (got \"415\")",
            ),
            ("to_number", json!("+0123"), "E.164"),
            ("direction", json!("inbound"), "INBOUND, OUTBOUND"),
            ("status", json!("HANDLED"), "VOICEMAIL_RECEIVED"),
            (
                "rate",
                json!(0.05),
                "must be a string like \"0.05\" (got 0.05)",
            ),
            ("rate", json!("-1"), "non-negative decimal"),
            ("price", json!(1.5), "must be a string like \"0.05\""),
            ("price", json!("1,50"), "non-negative decimal"),
            ("provider", json!("vonage"), "VONAGE"),
            ("source_id", json!("  "), "required"),
            ("duration", json!(-5), "whole seconds"),
            ("duration", json!(1.5), "whole seconds"),
            ("duration", json!("120"), "JSON number"),
            ("call_summary", json!(""), "required"),
            ("call_summary", json!(5), "must be a string"),
            ("external_app_url", json!("ftp://x.example"), "http(s)"),
            ("external_app_name", Value::Null, "required"),
            ("recording_id", json!(""), "required"),
            ("external_uuid", json!("a\u{7}b"), "control"),
            ("handled_by_staff_uid", json!("a b"), "spaces"),
            ("handled_by_staff_uid", json!(""), "send null"),
            ("handled_by_staff_uid", json!(7), "string or null"),
        ];
        for (field, value, expect) in cases {
            let errs = run(&with(field, value.clone())).unwrap_err();
            assert_eq!(errs.len(), 1, "{field}={value}: {errs:?}");
            assert_eq!(errs[0].field, field);
            assert!(errs[0].message.starts_with(field), "{:?}", errs[0]);
            assert!(
                errs[0].message.contains(expect),
                "{field}={value}: {}",
                errs[0].message
            );
        }
    }

    #[test]
    fn missing_fields_and_two_broken_fields() {
        for (field, _) in STRING_FIELDS {
            let mut v = good();
            v.as_object_mut().unwrap().remove(field);
            let errs = run(&v).unwrap_err();
            assert_eq!(errs.len(), 1);
            assert_eq!(errs[0].message, format!("{field} is required"));
        }
        let mut v = with("from_number", json!("415"));
        v["rate"] = json!(0.05);
        let errs = run(&v).unwrap_err();
        let fields: Vec<_> = errs.iter().map(|e| e.field).collect();
        assert_eq!(fields, ["from_number", "rate"]);
        assert_eq!(run(&json!({})).unwrap_err().len(), 16);
    }
}
