//! Body validation: checks an `UpdateVoiceCall` (PUT) or `CreateVoiceCall` (POST) JSON object
//! field by field, each by its row of the field table (`crate::domain::fields`), returning the
//! typed body or one error per broken field.

use serde_json::{Map, Value};

use crate::api::{CreateVoiceCall, UpdateVoiceCall};
use crate::domain::fields::{self, FIELDS, Field, FieldId, Rule, Values};
use crate::domain::rules;

/// One broken field; `message` starts with the field name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldError {
    pub field: &'static str,
    pub message: String,
}

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

/// The field's rule, as the form applies it; a picker's value must also be one of its
/// choices, exactly (the form only sends others back when this server's copy had them).
fn check_string(field: &Field, value: &str) -> Result<(), String> {
    if field.rule != Rule::Choice {
        return field.check(value).map_or(Ok(()), Err);
    }
    let allowed = field.choices();
    if allowed.contains(&value) {
        Ok(())
    } else {
        Err(format!(
            "{} must be one of {} (uppercase, exact; got \"{value}\")",
            field.name,
            allowed.join(", ")
        ))
    }
}

fn required_string(obj: &Map<String, Value>, field: &Field) -> Result<String, String> {
    let name = field.name;
    match obj.get(name) {
        None => Err(format!("{name} is required")),
        Some(Value::Null) => Err(format!("{name} is required (got null)")),
        Some(Value::String(s)) => check_string(field, s).map(|()| s.clone()),
        // The vendor is explicit that money travels as strings; a number is the usual mistake.
        Some(v) if field.rule == Rule::Decimal => Err(format!(
            "{name} must be a string like \"0.05\" (got {})",
            describe(v)
        )),
        Some(v) => Err(format!("{name} must be a string (got {})", describe(v))),
    }
}

/// A number field (`duration`): whole seconds as a JSON number, read back as the text the
/// form would hold and then held to the form's rule (at most 24 hours), so a huge number is
/// refused by name rather than stored clamped.
fn duration(obj: &Map<String, Value>, field: &Field) -> Result<String, String> {
    let name = field.name;
    let bad = |v: &Value| {
        format!(
            "{name} must be a JSON number of whole seconds ≥ 0, like 125 (got {})",
            describe(v)
        )
    };
    let text = match obj.get(name) {
        None => return Err(format!("{name} is required")),
        Some(Value::Null) => return Err(format!("{name} is required (got null)")),
        Some(v @ Value::Number(n)) => match (n.as_u64(), n.as_f64()) {
            (Some(u), _) => u.to_string(),
            // 120.0 is still a whole number of seconds; 1e20 is one too, and too long.
            (None, Some(f)) if f >= 0.0 && f.fract() == 0.0 && f.is_finite() => format!("{f:.0}"),
            _ => return Err(bad(v)),
        },
        Some(v) => return Err(bad(v)),
    };
    field.check(&text).map_or(Ok(text), Err)
}

/// An optional identifier (`handled_by_staff_uid`): null or left out is none; "" is refused,
/// since PUT replaces and "nobody" is said with null.
fn optional_uid(obj: &Map<String, Value>, field: &Field) -> Result<String, String> {
    let name = field.name;
    match obj.get(name) {
        None | Some(Value::Null) => Ok(String::new()),
        Some(Value::String(s)) if s.is_empty() => Err(format!(
            "{name} must not be empty: send null or leave it out when nobody handled the call"
        )),
        Some(Value::String(s)) => check_string(field, s).map(|()| s.clone()),
        Some(v) => Err(format!(
            "{name} must be a string or null (got {})",
            describe(v)
        )),
    }
}

/// Validates a parsed PUT body that is a JSON object. Unknown fields are ignored.
pub fn validate_update(obj: &Map<String, Value>) -> Result<UpdateVoiceCall, Vec<FieldError>> {
    let mut errors = Vec::new();
    let mut values = Values::new();
    for field in &FIELDS {
        let value = match field.rule {
            Rule::Duration => duration(obj, field),
            Rule::OptionalUid => optional_uid(obj, field),
            _ => required_string(obj, field),
        };
        match value {
            Ok(v) => {
                values.insert(field.id, v);
            }
            Err(message) => errors.push(FieldError {
                field: field.name,
                message,
            }),
        }
    }
    if errors.is_empty() {
        Ok(fields::assemble(&values))
    } else {
        Err(errors)
    }
}

/// The fields a `CreateVoiceCall` shares with the update body, in the schema's order; each is
/// checked by its row of the field table, as the PUT checks it.
const CREATE_FIELDS: [FieldId; 10] = [
    FieldId::StaffUid,
    FieldId::ClientUid,
    FieldId::FromNumber,
    FieldId::ToNumber,
    FieldId::Direction,
    FieldId::Status,
    FieldId::Rate,
    FieldId::Provider,
    FieldId::SourceId,
    FieldId::ExternalUuid,
];

/// Validates a parsed POST body (a `CreateVoiceCall`) for the business `business_uid` (the
/// only one this server holds calls for). The schema's eleven fields are required; the
/// optional `call_summary` and `duration` (the brief's note and length, which the vendor's
/// schema lacks) are checked by their rows of the field table when given. Unknown fields are
/// ignored.
pub fn validate_create(
    obj: &Map<String, Value>,
    business_uid: &str,
) -> Result<CreateVoiceCall, Vec<FieldError>> {
    let mut errors = Vec::new();
    let mut values = Values::new();
    for id in CREATE_FIELDS {
        match required_string(obj, id.spec()) {
            Ok(v) => {
                values.insert(id, v);
            }
            Err(message) => errors.push(FieldError {
                field: id.name(),
                message,
            }),
        }
    }
    let business = business(obj, business_uid);
    if let Err(message) = &business {
        errors.push(FieldError {
            field: "business_uid",
            message: message.clone(),
        });
    }
    let summary = FieldId::CallSummary.spec();
    let call_summary = match obj.get(summary.name) {
        None | Some(Value::Null) => None,
        Some(_) => match required_string(obj, summary) {
            Ok(s) => Some(s),
            Err(message) => {
                errors.push(FieldError {
                    field: summary.name,
                    message,
                });
                None
            }
        },
    };
    let length = FieldId::Duration.spec();
    let duration = match obj.get(length.name) {
        None | Some(Value::Null) => None,
        Some(_) => match self::duration(obj, length) {
            // The rule has read it as whole seconds already.
            Ok(text) => text.parse().ok(),
            Err(message) => {
                errors.push(FieldError {
                    field: length.name,
                    message,
                });
                None
            }
        },
    };
    if !errors.is_empty() {
        return Err(errors);
    }
    let take = |id: FieldId| values.get(&id).cloned().unwrap_or_default();
    Ok(CreateVoiceCall {
        staff_uid: take(FieldId::StaffUid),
        client_uid: take(FieldId::ClientUid),
        from_number: take(FieldId::FromNumber),
        to_number: take(FieldId::ToNumber),
        direction: take(FieldId::Direction),
        status: take(FieldId::Status),
        rate: take(FieldId::Rate),
        provider: take(FieldId::Provider),
        source_id: take(FieldId::SourceId),
        external_uuid: take(FieldId::ExternalUuid),
        business_uid: business.unwrap_or_default(),
        call_summary,
        duration,
    })
}

/// `business_uid`: an identifier, and this server's business.
fn business(obj: &Map<String, Value>, ours: &str) -> Result<String, String> {
    const NAME: &str = "business_uid";
    let given = match obj.get(NAME) {
        None => return Err(format!("{NAME} is required")),
        Some(Value::Null) => return Err(format!("{NAME} is required (got null)")),
        Some(Value::String(s)) => s,
        Some(v) => return Err(format!("{NAME} must be a string (got {})", describe(v))),
    };
    rules::check_uid(NAME, given)?;
    if given != ours {
        return Err(format!(
            "{NAME} {} is not this server's business; use \"{ours}\" (the business_uid \
             GET /oauth/userinfo answers)",
            crate::domain::sanitize::quoted(given)
        ));
    }
    Ok(given.clone())
}

#[cfg(test)]
#[path = "validate_create_tests.rs"]
mod create_tests;

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    /// Every field at the field table's example, a few set to what the tests below look for,
    /// and a field the API does not know.
    fn good() -> Value {
        let examples: Values = FIELDS
            .iter()
            .map(|f| (f.id, f.example.to_string()))
            .collect();
        let mut v = serde_json::to_value(fields::assemble(&examples)).unwrap();
        v["duration"] = json!(120);
        v["call_summary"] = json!("Client asked\nabout billing");
        v["handled_by_staff_uid"] = json!("staff-9");
        v["something_new"] = json!([1, 2]);
        v
    }

    fn run(v: &Value) -> Result<UpdateVoiceCall, Vec<FieldError>> {
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
            (
                "to_number",
                json!("+12"),
                "to_number \"+12\" is too short for a number with country code +1",
            ),
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
            (
                "duration",
                json!(u64::MAX),
                "at most 86400 seconds (24 hours); got \"18446744073709551615\"",
            ),
            ("duration", json!(86_401), "at most 86400 seconds"),
            ("duration", json!(1e20), "at most 86400 seconds"),
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
        for field in FIELDS.iter().filter(|f| f.id.required()).map(|f| f.name) {
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
