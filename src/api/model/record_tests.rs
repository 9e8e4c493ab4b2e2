//! A page read in place (`CallPage::from_json_with`, [`CallRecord`]) is the page the owned
//! reader gives (`CallPage::from_json`): the same calls, the same count of unreadable records
//! and the same errors, whatever the text holds.

use std::borrow::Cow;

use proptest::prelude::*;
use serde_json::{Value, json};

use super::*;
use crate::api::CallPage;

/// The owned reader as it read pages before the reader in place: each record read by
/// `VoiceCall`'s own deserializer straight from the text, else the page read as a tree.
fn owned(data: &str) -> Result<CallPage, String> {
    #[derive(serde::Deserialize)]
    struct Direct {
        voice_calls: Vec<Owned>,
    }
    struct Owned(Option<VoiceCall>);
    impl<'de> serde::Deserialize<'de> for Owned {
        fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
            lenient::object(d).map(Owned)
        }
    }
    if data.trim_ascii_start().starts_with('{')
        && let Ok(Direct { voice_calls }) = serde_json::from_str::<Direct>(data)
    {
        let unreadable = voice_calls.iter().filter(|r| r.0.is_none()).count();
        let calls = voice_calls.into_iter().filter_map(|r| r.0).collect();
        return Ok(CallPage { calls, unreadable });
    }
    CallPage::from_tree(data)
}

/// Both readers on one `data` text: the calls the borrowed reader hands over, made back into
/// `VoiceCall`s, against the owned reader's.
fn same_both_ways(text: &str) {
    let borrowed = CallPage::from_json_with(text, |r| r.to_voice_call());
    assert_eq!(borrowed, owned(text), "{text}");
    assert_eq!(CallPage::from_json(text), owned(text), "{text}");
}

/// The members of a call record, as `VoiceCall` names them.
const MEMBERS: [&str; 24] = [
    "uid",
    "created_at",
    "updated_at",
    "duration",
    "status",
    "direction",
    "staff_uid",
    "client_uid",
    "from_number",
    "to_number",
    "call_summary",
    "recording",
    "external_app_url",
    "external_app_name",
    "source_id",
    "external_uuid",
    "handled_by_staff_uid",
    "handled_at",
    "deleted_at",
    "transcript_status",
    "rate",
    "price",
    "provider",
    "recording_id",
];

#[test]
fn odd_pages_read_the_same_borrowed_or_owned() {
    let texts = [
        // Escapes, accents written out and escaped, emoji, controls and bidi in the text.
        r#"{"voice_calls": [{"uid": "a\"b\\c\/d", "call_summary": "caf\u00e9 \ud83c\udf89 Émilie ✓ 東",
            "from_number": "+1\u001b[2J555\u009b31m", "to_number": "\u202e+1\t2\r\n3",
            "client_uid": "c\u001b]52;c;cm0=\u0007x", "status": "MISSED", "direction": "inbound"}]}"#,
        // Every wrong type where text, a number or the recording belongs.
        r#"{"voice_calls": [{"uid": 12, "from_number": true, "to_number": [1, [2]],
            "staff_uid": 1.5, "call_summary": {"a": {"b": 1}}, "source_id": -3,
            "external_uuid": 18446744073709551615, "duration": " 42 ", "handled_at": null,
            "rate": 1e400, "price": -0.0, "recording": {"size": 2.5, "duration": "x",
            "uid": false, "recording_played": "True", "recordingUrl": "u\u0000rl"}},
            {"duration": 12.6, "recording": "not an object"}, {"duration": [1]},
            {"duration": 99999999999999999999, "recording": [{"uid": "x"}]},
            {"recording": {"recording_played": 1, "recording_type": "VOICEMAIL"}}]}"#,
        // Records that are not objects, unknown members, members sent twice.
        r#"{"voice_calls": [{"uid": "a", "status": "MISSED", "duration": "7"}, 3, "x",
            [1, {"a": 2}], null, true, 1.5, {}, {"uid": "b\u001b[2J", "recording": 4}],
            "extra": {"voice_calls": 1}}"#,
        r#"{"voice_calls": [{"uid": "a", "uid": "b", "duration": 1, "duration": "2"}]}"#,
        r#"{"voice_calls": [{"recording": {"uid": "r"}, "recording": null}]}"#,
        r#"{"voice_calls": [{"recording": {"uid": "r", "uid": "s"}}]}"#,
        r#"{"voice_calls": [{"uid": "a"}], "voice_calls": [{"uid": "c"}]}"#,
        r#"{"voice_calls": [{"\u0075id": "escaped name", "surprise": {"uid": "no"}}]}"#,
        r#"{"voice_calls": []}"#,
        // Not a page: the same error either way.
        r#"{"calls": []}"#,
        r#"[[]]"#,
        r#"{"voice_calls": 3}"#,
        r#"{"voice_calls": [{"uid": "\ud83d"}]}"#,
        r#"{"voice_calls": [{"uid": "a"}]} trailing"#,
        "null",
        "",
    ];
    for text in texts {
        same_both_ways(text);
    }
    let page = CallPage::from_json_with(texts[0], |r| r.to_voice_call()).expect("page");
    let call = &page.calls[0];
    assert_eq!(call.uid.as_deref(), Some("a\"b\\c/d"));
    assert_eq!(call.call_summary.as_deref(), Some("café 🎉 Émilie ✓ 東"));
    assert_eq!(call.from_number.as_deref(), Some("+1555"));
    assert_eq!(call.to_number.as_deref(), Some("+1 2\n3"));
}

/// What the point of the borrowed reader is: clean text that needs no unescaping is not
/// copied out of the page; only escaped, cleaned or non-text values are.
#[test]
fn clean_text_is_borrowed_from_the_page() {
    let text = r#"{"voice_calls": [{"uid": "d4dc68c9", "status": "MISSED",
        "call_summary": "Émilie rang ✓", "from_number": "+1\u001b[2J555",
        "to_number": "caf\u00e9", "source_id": 7, "recording": {"uid": "rec-1"}}]}"#;
    let page = CallPage::from_json_with(text, |r| {
        Text::ALL.map(|f| match &r.text[f as usize] {
            None => "absent",
            Some(Cow::Borrowed(_)) => "borrowed",
            Some(Cow::Owned(_)) => "owned",
        })
    })
    .expect("page");
    let kinds = page.calls[0];
    let kind = |f: Text| kinds[f as usize];
    for f in [
        Text::Uid,
        Text::Status,
        Text::CallSummary,
        Text::RecordingUid,
    ] {
        assert_eq!(kind(f), "borrowed", "{f:?}");
    }
    for f in [Text::FromNumber, Text::ToNumber, Text::SourceId] {
        assert_eq!(kind(f), "owned", "{f:?}");
    }
    assert_eq!(kind(Text::Rate), "absent");
}

/// Any JSON value a member could hold: text of every kind, numbers, booleans, null, lists
/// and objects (a recording's members among them).
fn value() -> impl Strategy<Value = Value> {
    let text = prop_oneof![
        any::<String>(),
        "[a-zé東🎉\"\\\\/ +0-9:.-]{0,12}",
        prop::sample::select(vec![
            "\u{1b}[2J",
            "\u{1b}]52;c;cm0=\u{7}",
            "\u{9b}31m",
            "\u{202e}",
            "\t",
            "\r\n",
            "\u{0}",
            "MISSED",
            "2026-03-10T10:00:00Z",
        ])
        .prop_map(String::from),
    ];
    let leaf = prop_oneof![
        text.prop_map(Value::String),
        any::<i64>().prop_map(Value::from),
        any::<u64>().prop_map(Value::from),
        any::<f64>().prop_map(Value::from),
        any::<bool>().prop_map(Value::from),
        Just(Value::Null),
    ];
    leaf.prop_recursive(2, 8, 4, |inner| {
        let names = prop::sample::select(vec![
            "uid",
            "recordingUrl",
            "size",
            "duration",
            "recording_played",
            "recording_type",
            "x",
        ]);
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..3).prop_map(Value::from),
            prop::collection::vec((names, inner), 0..4).prop_map(|members| {
                Value::Object(
                    members
                        .into_iter()
                        .map(|(k, v)| (k.to_string(), v))
                        .collect(),
                )
            }),
        ]
    })
}

/// A record's text: members written out one by one, so a member may come twice, with
/// unknown ones among them.
fn record() -> impl Strategy<Value = String> {
    let name = prop_oneof![
        8 => prop::sample::select(MEMBERS.to_vec()),
        1 => Just("surprise"),
    ];
    prop::collection::vec((name, value()), 0..12).prop_map(|members| {
        let members: Vec<String> = members
            .iter()
            .map(|(k, v)| format!("{}: {v}", json!(k)))
            .collect();
        format!("{{{}}}", members.join(", "))
    })
}

fn page() -> impl Strategy<Value = String> {
    let entry = prop_oneof![
        6 => record(),
        1 => value().prop_map(|v| v.to_string()),
    ];
    prop::collection::vec(entry, 0..6)
        .prop_map(|records| format!(r#"{{"voice_calls": [{}]}}"#, records.join(", ")))
}

proptest! {
    #[test]
    fn any_page_reads_the_same_borrowed_or_owned(text in page()) {
        let borrowed = CallPage::from_json_with(&text, |r| r.to_voice_call());
        prop_assert_eq!(borrowed, owned(&text), "{}", text);
    }
}

/// A list answer read as before this reader: the envelope first (`body::interpret`), then
/// `data` by the owned reader.
fn list_page_as_before(status: u16, body: &[u8]) -> Result<CallPage, crate::api::ApiError> {
    let (status, data) = crate::api::body::interpret(status, body.to_vec(), false)?;
    owned(data.get()).map_err(|detail| crate::api::ApiError::Shape { status, detail })
}

fn same_answer_both_ways(status: u16, body: &str) {
    let now = crate::api::decode::list_page(status, body.as_bytes());
    assert_eq!(
        now,
        list_page_as_before(status, body.as_bytes()),
        "{status} {body}"
    );
}

#[test]
fn list_answers_read_the_same_in_one_pass() {
    let page = r#"{"voice_calls": [{"uid": "a\u001b[2J", "duration": "3"}, 4]}"#;
    let bodies = [
        format!(r#"{{"success": true, "data": {page}}}"#),
        format!(r#"{{"data": {page}, "success": true, "meta": {{"x": [1, {{"y": 2}}]}}}}"#),
        format!(r#"{{"status": "OK", "data": {page}}}"#),
        format!(r#"{{"d\u0061ta": {page}}}"#),
        // Says it failed, wherever that is said: the error, as before.
        format!(
            r#"{{"data": {page}, "success": false, "errors": [{{"message": "no\u001b[2J"}}]}}"#
        ),
        format!(r#"{{"success": true, "data": {page}, "success": false}}"#),
        format!(r#"{{"success": false, "data": {page}, "success": true}}"#),
        format!(r#"{{"data": {page}, "status": "Error", "error": "nope"}}"#),
        format!(r#"{{"data": {page}, "status": "eRRoR"}}"#),
        format!(r#"{{"data": {page}, "success": "false"}}"#),
        // Two `data`s (the last counts), none, or one that is not a page.
        format!(r#"{{"data": {{"voice_calls": [{{"uid": "first"}}]}}, "data": {page}}}"#),
        format!(r#"{{"data": {page}, "data": 5}}"#),
        r#"{"success": true}"#.to_string(),
        r#"{"success": true, "data": []}"#.to_string(),
        r#"{"success": true, "data": {"calls": []}}"#.to_string(),
        // Broken or cut off, deep, trailing text, not an object.
        format!(r#"{{"success": true, "data": {page}"#),
        format!(r#"{{"success": true, "data": {page}}} x"#),
        format!(
            r#"{{"x": {}, "data": {page}}}"#,
            "[".repeat(300) + &"]".repeat(300)
        ),
        format!(
            r#"{{"data": {{"voice_calls": [{}]}}}}"#,
            "[".repeat(300) + &"]".repeat(300)
        ),
        r#"{"success": true, "data": {"voice_calls": [{"uid": "\ud83d"}]}}"#.to_string(),
        format!(r#"  [{page}]"#),
        "<html>".to_string(),
        String::new(),
    ];
    for body in &bodies {
        for status in [200, 204, 400, 502] {
            same_answer_both_ways(status, body);
        }
    }
    // The plain answer really is read in one pass.
    assert!(CallPage::from_envelope_with(&bodies[0], |r| r.to_voice_call()).is_some());
    assert!(CallPage::from_envelope_with(&bodies[4], |r| r.to_voice_call()).is_none());
}

/// An envelope's members, in any order, any of them twice or missing.
fn envelope() -> impl Strategy<Value = String> {
    let member = prop_oneof![
        3 => page().prop_map(|p| format!(r#""data": {p}"#)),
        1 => value().prop_map(|v| format!(r#""data": {v}"#)),
        1 => prop::sample::select(vec!["true", "false", r#""false""#, "1", "null"])
            .prop_map(|v| format!(r#""success": {v}"#)),
        1 => prop::sample::select(vec![r#""OK""#, r#""Error""#, r#""error""#, "7"])
            .prop_map(|v| format!(r#""status": {v}"#)),
        1 => value().prop_map(|v| format!(r#""errors": {v}"#)),
    ];
    prop::collection::vec(member, 0..4).prop_map(|m| format!("{{{}}}", m.join(", ")))
}

proptest! {
    #[test]
    fn any_list_answer_reads_the_same_in_one_pass(body in envelope()) {
        let now = crate::api::decode::list_page(200, body.as_bytes());
        prop_assert_eq!(now, list_page_as_before(200, body.as_bytes()), "{}", body);
    }
}
