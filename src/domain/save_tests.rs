//! The save policy's pure rules, as tables: the check before a PUT, the reading of a call
//! read back after one that got no answer, the body, and what "holds" and "same" mean.

use serde_json::{Value, json};

use super::*;
use crate::domain::fields::{FieldId, Values};

const T0: &str = "2026-03-02T10:00:00Z";
const T1: &str = "2026-03-02T10:05:00Z";

fn call(updated_at: Option<&str>, summary: &str) -> Value {
    let mut call = json!({"uid": "a", "status": "MISSED", "call_summary": summary, "duration": 12});
    if let Some(t) = updated_at {
        call["updated_at"] = json!(t);
    }
    call
}

#[test]
fn the_check_before_a_put() {
    let body = json!({"status": "MISSED", "call_summary": "mine"});
    let cases: [(&str, Value, Option<&str>, Verdict); 8] = [
        ("as loaded", call(Some(T0), "old"), Some(T0), Verdict::Send),
        (
            "as loaded, another spelling of the same instant",
            call(Some("2026-03-02T12:00:00+02:00"), "old"),
            Some(T0),
            Verdict::Send,
        ),
        (
            "as loaded and already holding it: still sent",
            call(Some(T0), "mine"),
            Some(T0),
            Verdict::Send,
        ),
        (
            "changed by someone",
            call(Some(T1), "theirs"),
            Some(T0),
            Verdict::Conflict,
        ),
        (
            "changed into exactly what we send",
            call(Some(T1), "mine"),
            Some(T0),
            Verdict::AlreadyHolds,
        ),
        (
            "no stamp on either side",
            call(None, "old"),
            None,
            Verdict::Send,
        ),
        (
            "a stamp appeared",
            call(Some(T1), "old"),
            None,
            Verdict::Conflict,
        ),
        (
            "the stamp went away",
            call(None, "old"),
            Some(T0),
            Verdict::Conflict,
        ),
    ];
    for (what, theirs, based_on, want) in cases {
        assert_eq!(check(&theirs, based_on, &body), want, "{what}");
    }
}

#[test]
fn the_check_reads_a_typed_call_as_its_json() {
    let theirs = VoiceCall {
        uid: Some("a".into()),
        updated_at: Some(T1.into()),
        call_summary: Some("mine".into()),
        ..VoiceCall::default()
    };
    // `rate` is null in the typed call: the API never sends it back, so it is not compared.
    let body = json!({"call_summary": "mine", "rate": "0.05"});
    assert_eq!(check_call(&theirs, Some(T0), &body), Verdict::AlreadyHolds);
    assert_eq!(check_call(&theirs, Some(T1), &body), Verdict::Send);
    let other = json!({"call_summary": "other"});
    assert_eq!(check_call(&theirs, Some(T0), &other), Verdict::Conflict);
}

#[test]
fn a_call_read_back_after_an_unanswered_put() {
    let sent = json!({"status": "MISSED", "call_summary": "mine"});
    let cases: [(&str, Value, Option<&str>, &str); 6] = [
        ("it landed", call(Some(T1), "mine"), Some(T0), "saved"),
        (
            "it landed, no baseline",
            call(Some(T1), "mine"),
            None,
            "saved",
        ),
        (
            "untouched: it did not land",
            call(Some(T0), "old"),
            Some(T0),
            "again",
        ),
        (
            "someone else's change",
            call(Some(T1), "theirs"),
            Some(T0),
            "conflict",
        ),
        // Without a baseline "not applied" cannot be told from "changed by someone".
        ("no baseline", call(Some(T0), "old"), None, "conflict"),
        ("not a call at all", json!([1, 2]), Some(T0), "conflict"),
    ];
    for (what, theirs, based_on, want) in cases {
        let got = match settle(theirs.clone(), based_on, &sent) {
            ReadBack::Saved(c) => {
                assert_eq!(c, theirs, "{what}");
                "saved"
            }
            ReadBack::Conflict(c) => {
                assert_eq!(c, theirs, "{what}");
                "conflict"
            }
            ReadBack::SendAgain => "again",
            ReadBack::Unconfirmed => "unconfirmed",
        };
        assert_eq!(got, want, "{what}");
    }
}

#[test]
fn a_call_holds_what_was_sent() {
    let call =
        json!({"uid": "a", "status": "MISSED", "price": "1.5", "rate": null, "duration": 12});
    let cases: [(Value, bool); 6] = [
        (
            json!({"status": "MISSED", "price": "1.50", "rate": "", "duration": 12}),
            true,
        ),
        (json!({"status": "ANSWERED"}), false),
        (json!({"status": "MISSED", "duration": 13}), false),
        (json!({"duration": "12"}), true),
        // Fields the API never returns (absent, or null) cannot be compared.
        (
            json!({"status": "MISSED", "recording_id": "r", "rate": "0.05"}),
            true,
        ),
        (json!("not a body"), false),
    ];
    for (sent, want) in cases {
        assert_eq!(holds(&call, &sent), want, "{sent}");
    }
    // A field the API does send back must match, null or not.
    assert!(!holds(
        &json!({"call_summary": null}),
        &json!({"call_summary": "x"})
    ));
}

#[test]
fn two_stamps_are_the_same_moment_when_they_name_one_instant() {
    let cases = [
        (Some(T0), Some("2026-03-02T12:00:00+02:00"), true),
        (Some(T0), Some("2026-03-02T10:00:01Z"), false),
        (Some(" yesterday "), Some("yesterday"), true),
        (Some("yesterday"), Some("today"), false),
        (None, None, true),
        (Some(T0), None, false),
        (None, Some(T0), false),
    ];
    for (a, b, want) in cases {
        assert_eq!(same_moment(a, b), want, "{a:?} vs {b:?}");
    }
}

/// The field table's examples, with "handled by" cleared.
fn good_values() -> Values {
    let mut values: Values = FieldId::ALL
        .into_iter()
        .map(|f| (f, f.example().to_string()))
        .collect();
    values.insert(FieldId::CallSummary, "hello".into());
    values.insert(FieldId::HandledByStaffUid, String::new());
    values
}

#[test]
fn the_body_is_every_field_or_only_the_changed_ones() {
    let values = good_values();
    let all = body(&values, &[FieldId::CallSummary], UpdateFields::All).expect("all");
    assert_eq!(all, full_body(&values).expect("full"));
    assert_eq!(all["call_summary"], "hello");
    assert!(all.as_object().is_some_and(|m| m.len() >= 16), "{all}");

    let changed = [FieldId::CallSummary, FieldId::HandledByStaffUid];
    let some = body(&values, &changed, UpdateFields::Changed).expect("changed");
    // A cleared optional field is sent as null: leaving it out would keep the old value.
    assert_eq!(
        some,
        json!({"call_summary": "hello", "handled_by_staff_uid": null})
    );

    assert_eq!(
        body(&values, &[], UpdateFields::Changed),
        Err(BodyError::NothingChanged)
    );
    let mut broken = values.clone();
    broken.insert(FieldId::Duration, "soon".into());
    // A broken field that is sent is refused, in either mode.
    for mode in [UpdateFields::All, UpdateFields::Changed] {
        match body(&broken, &[FieldId::Duration], mode) {
            Err(BodyError::Invalid(errors)) => {
                assert_eq!(errors.len(), 1, "{errors:?}");
                assert_eq!(errors[0].0, FieldId::Duration);
            }
            other => panic!("{mode:?}: {other:?}"),
        }
    }
}

#[test]
fn a_partial_body_needs_only_the_fields_it_sends() {
    // What the API never sends back is unknown; a summary can still change alone.
    let mut values = good_values();
    for f in [FieldId::Rate, FieldId::Price, FieldId::RecordingId] {
        values.insert(f, String::new());
    }
    values.insert(FieldId::Duration, "soon".into());
    assert_eq!(
        body(&values, &[FieldId::CallSummary], UpdateFields::Changed),
        Ok(json!({"call_summary": "hello"}))
    );
    // The whole body needs them all.
    match body(&values, &[FieldId::CallSummary], UpdateFields::All) {
        Err(BodyError::Invalid(errors)) => assert_eq!(errors.len(), 4, "{errors:?}"),
        other => panic!("{other:?}"),
    }
}

#[test]
fn un_handling_clears_the_handler_unless_it_was_set_too() {
    let handled = |status: &str, handler: &str| -> Values {
        let mut v = good_values();
        v.insert(FieldId::Status, status.into());
        v.insert(FieldId::HandledByStaffUid, handler.into());
        v
    };
    let cases = [
        // (status, handler, kept, cleared)
        ("MISSED", "staff-1", false, true),
        ("VOICEMAIL_RECEIVED", "staff-1", false, true),
        ("ANSWERED_BY_STAFF", "staff-1", false, true),
        ("MISSED", "staff-1", true, false),
        ("MISSED_CALL_HANDLED", "staff-1", false, false),
        ("MISSED", "", false, false),
    ];
    for (status, handler, kept, cleared) in cases {
        let mut v = handled(status, handler);
        let kept: &[FieldId] = if kept {
            &[FieldId::HandledByStaffUid]
        } else {
            &[]
        };
        assert_eq!(unhandle(&mut v, kept), cleared, "{status} {handler}");
        let want = if cleared { "" } else { handler };
        assert_eq!(v[&FieldId::HandledByStaffUid], want, "{status} {handler}");
    }
}

#[test]
fn overwrite_takes_theirs_with_only_my_changes_and_says_who_changed_what() {
    let vals = |pairs: &[(FieldId, &str)]| -> Values {
        pairs.iter().map(|(f, v)| (*f, v.to_string())).collect()
    };
    use FieldId::{CallSummary as Summary, ExternalAppName as App, SourceId as Source};
    let loaded = vals(&[(Summary, "old"), (Source, "src-0"), (App, "")]);
    let mine = vals(&[(Summary, "mine"), (Source, "src-0"), (App, "Desk")]);
    let theirs = vals(&[(Summary, "theirs"), (Source, "src-theirs"), (App, "")]);
    let sent = on_top(&theirs, &mine, &[Summary, App]);
    assert_eq!(
        sent,
        vals(&[(Summary, "mine"), (Source, "src-theirs"), (App, "Desk")])
    );
    let d = |field, mine, theirs| Differs {
        field,
        mine,
        theirs,
    };
    assert_eq!(
        differences(&loaded, &mine, &theirs),
        vec![
            d(Source, false, true),
            d(Summary, true, true),
            d(App, true, false)
        ]
    );
}
