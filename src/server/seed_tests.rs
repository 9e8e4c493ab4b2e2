use super::*;
use crate::domain::rules;

fn now() -> DateTime<Utc> {
    DateTime::parse_from_rfc3339("2026-03-02T15:04:05.123Z")
        .unwrap()
        .with_timezone(&Utc)
}

#[test]
fn default_set_has_the_promised_mix() {
    let calls = generate(DEFAULT_COUNT, now()).unwrap();
    assert_eq!(calls.len(), DEFAULT_COUNT);
    for s in rules::STATUSES.iter().chain([&rules::VOICEMAIL_ALT]) {
        assert!(
            calls.iter().any(|c| c.status == *s),
            "no call with status {s}"
        );
    }
    let outbound = calls.iter().filter(|c| c.direction == "OUTBOUND").count();
    assert!((40..=120).contains(&outbound), "{outbound} outbound of 320");
    let hour_ago = now() - TimeDelta::hours(1);
    let last_hour = calls.iter().filter(|c| c.created_at > hour_ago).count();
    assert!(last_hour >= 5, "only {last_hour} calls in the last hour");
    for c in &calls {
        assert!(
            rules::is_e164(&c.from_number) && rules::is_e164(&c.to_number),
            "{c:?}"
        );
        assert!(c.created_at <= now() && c.created_at > now() - TimeDelta::days(31));
        assert!(c.updated_at >= c.created_at && c.updated_at <= now());
        rules::check_http_url("external_app_url", &c.external_app_url).unwrap();
        rules::check_required_text("call_summary", &c.call_summary, true).unwrap();
        assert!(
            !c.call_summary.contains('{'),
            "unfilled: {}",
            c.call_summary
        );
        if c.status == "INCOMING_CALL" {
            assert!(c.created_at > now() - TimeDelta::minutes(5));
        }
        if c.status == "MISSED_CALL_HANDLED" {
            assert!(c.handled_at.is_some() && c.handled_by_staff_uid.is_some());
        } else {
            assert!(c.handled_at.is_none() && c.handled_by_staff_uid.is_none());
        }
        if c.status == "MISSED" {
            assert_eq!(c.duration, 0);
        }
        assert_eq!(c.recording.is_some(), c.transcript_status.is_some());
        if let Some(r) = &c.recording {
            assert!(r.uid.starts_with("rec-") && r.recording_url.starts_with("https://"));
        }
    }
    assert!(calls.iter().any(|c| {
        c.status == "MISSED_CALL_HANDLED"
            && c.recording
                .as_ref()
                .is_some_and(|r| r.recording_type == RecordingType::Voicemail)
    }));
    assert!(calls.windows(2).all(|w| w[0].created_at >= w[1].created_at));
}

#[test]
fn deterministic_for_the_same_now() {
    assert_eq!(generate(200, now()).unwrap(), generate(200, now()).unwrap());
    let uids: std::collections::HashSet<_> = generate(2000, now())
        .unwrap()
        .into_iter()
        .map(|c| c.uid)
        .collect();
    assert_eq!(uids.len(), 2000);
}

#[test]
fn transcripts_follow_the_call() {
    let calls = generate(DEFAULT_COUNT, now()).unwrap();
    let call = calls
        .iter()
        .find(|c| c.status == "ANSWERED_BY_STAFF" && c.recording.is_some())
        .unwrap();
    let lines = transcript(call).unwrap();
    assert!(lines.len() >= 3);
    assert_eq!(lines[0].timestamp, 0.0);
    assert!(lines.windows(2).all(|w| w[0].timestamp < w[1].timestamp));
    assert!(lines.iter().all(|l| !l.text.contains('{')));
    assert_eq!(lines, transcript(call).unwrap());
    assert_eq!(transcript_uid(call), transcript_uid(call));
}
