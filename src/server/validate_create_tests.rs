//! The POST body's checks: the schema's fields each by its rule, the business, and the two
//! optional fields the brief adds.

use serde_json::{Value, json};

use super::*;

const BUSINESS: &str = "biz-1";

fn good() -> Value {
    json!({
        "staff_uid": "staff-1",
        "client_uid": "client-1",
        "from_number": "+14155550901",
        "to_number": "+14155550148",
        "direction": "OUTBOUND",
        "status": "ANSWERED_BY_STAFF",
        "rate": "0",
        "provider": "VONAGE",
        "source_id": "callconsole",
        "external_uuid": "ext-1",
        "business_uid": BUSINESS,
        "call_summary": "Call-back: reached",
        "duration": 125,
        "something_new": true
    })
}

fn run(v: &Value) -> Result<CreateVoiceCall, Vec<FieldError>> {
    validate_create(v.as_object().expect("object"), BUSINESS)
}

fn with(field: &str, value: Value) -> Value {
    let mut v = good();
    v[field] = value;
    v
}

fn without(field: &str) -> Value {
    let mut v = good();
    v.as_object_mut().expect("object").remove(field);
    v
}

#[test]
fn a_good_body_passes_with_its_optional_fields() {
    let c = run(&good()).expect("valid");
    assert_eq!(c.rate, "0");
    assert_eq!(c.duration, Some(125));
    assert_eq!(c.call_summary.as_deref(), Some("Call-back: reached"));
    assert_eq!(c.business_uid, BUSINESS);
    for status in ["VOICEMAIL", "VOICEMAIL_RECEIVED", "MISSED"] {
        assert_eq!(
            run(&with("status", json!(status))).expect("ok").status,
            status
        );
    }
    let bare = run(&without("duration")).expect("duration is optional");
    assert_eq!(bare.duration, None);
    let bare = run(&with("call_summary", Value::Null)).expect("summary is optional");
    assert_eq!(bare.call_summary, None);
}

#[test]
fn each_broken_field_is_named_once() {
    let cases: Vec<(&str, Value, &str)> = vec![
        ("staff_uid", json!("a b"), "spaces"),
        ("client_uid", json!(""), "required"),
        ("from_number", json!("415"), "E.164"),
        ("to_number", json!(14155550148u64), "must be a string"),
        ("direction", json!("outbound"), "INBOUND, OUTBOUND"),
        ("status", json!("HANDLED"), "ANSWERED_BY_STAFF"),
        ("rate", json!(0), "must be a string like \"0.05\""),
        ("rate", json!("-0.5"), "non-negative decimal"),
        ("provider", json!("TWILIO"), "VONAGE"),
        ("source_id", json!(" "), "required"),
        ("external_uuid", json!("a\u{7}b"), "control"),
        ("business_uid", json!("biz-2"), "not this server's business"),
        ("business_uid", json!("a b"), "spaces"),
        ("business_uid", json!(7), "must be a string"),
        ("call_summary", json!(""), "required"),
        ("call_summary", json!(5), "must be a string"),
        ("duration", json!("125"), "JSON number"),
        ("duration", json!(-1), "whole seconds"),
        ("duration", json!(86_401), "at most 86400"),
    ];
    for (field, value, expect) in cases {
        let errs = run(&with(field, value.clone())).expect_err(field);
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
fn every_schema_field_is_required_and_all_are_said_at_once() {
    let required = [
        "staff_uid",
        "client_uid",
        "from_number",
        "to_number",
        "direction",
        "status",
        "rate",
        "provider",
        "source_id",
        "external_uuid",
        "business_uid",
    ];
    for field in required {
        let errs = run(&without(field)).expect_err(field);
        assert_eq!(errs.len(), 1);
        assert_eq!(errs[0].message, format!("{field} is required"));
    }
    let errs = run(&json!({})).expect_err("empty");
    let named: Vec<&str> = errs.iter().map(|e| e.field).collect();
    assert_eq!(named, required);
}
