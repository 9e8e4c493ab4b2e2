//! The field table's rules, `validate` and `prefill`, value by value.

use super::*;

/// Every field at the table's example, the summary on two lines, the duration as m:ss and
/// nobody handling the call.
fn good_values() -> Values {
    let mut v: Values = FieldId::ALL
        .into_iter()
        .map(|f| (f, f.example().to_string()))
        .collect();
    v.insert(FieldId::CallSummary, "Asked about\nthe invoice".into());
    v.insert(FieldId::Duration, "2:05".into());
    v.insert(FieldId::HandledByStaffUid, String::new());
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
        (FieldId::FromNumber, "+12", false),
        (FieldId::ToNumber, "+4412", false),
        (FieldId::ToNumber, "+390612345678", true),
        (FieldId::ToNumber, "", false),
        (FieldId::Rate, "0", true),
        (FieldId::Rate, "1.50", true),
        (FieldId::Rate, "-1", false),
        (FieldId::Price, "1e3", false),
        (FieldId::Price, "", false),
        (FieldId::Duration, "2:05", true),
        (FieldId::Duration, "125", true),
        (FieldId::Duration, "-3", false),
        (FieldId::Duration, "86400", true),
        (FieldId::Duration, "86401", false),
        (FieldId::Duration, "18446744073709551615", false),
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
