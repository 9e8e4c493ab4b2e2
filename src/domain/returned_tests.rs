use super::*;
use crate::api::VoiceCall;
use crate::api::model::{Direction, Status};
use crate::domain::people::StaffCard;

const THEIRS: &str = "+14155550148";

fn at(hm: &str) -> String {
    format!("2026-11-24T{hm}:00Z")
}

fn inbound(uid: &str, status: &str, from: &str, hm: &str) -> VoiceCall {
    VoiceCall {
        uid: Some(uid.into()),
        status: Some(Status(status.into())),
        direction: Some(Direction("INBOUND".into())),
        from_number: Some(from.into()),
        to_number: Some("+14155550100".into()),
        created_at: Some(at(hm)),
        updated_at: Some(at(hm)),
        staff_uid: Some("staff-grace".into()),
        ..VoiceCall::default()
    }
}

fn outbound(uid: &str, status: &str, to: &str, hm: &str) -> VoiceCall {
    VoiceCall {
        direction: Some(Direction("OUTBOUND".into())),
        from_number: Some("+14155550100".into()),
        to_number: Some(to.into()),
        ..inbound(uid, status, "", hm)
    }
}

fn flags(calls: &[VoiceCall], country: Option<&str>) -> Vec<(String, Option<String>)> {
    let mut store = CallStore::new();
    for c in calls {
        store.upsert(c.clone());
    }
    let mut index = Returned::new(country.map(str::to_string));
    index.sync(&store);
    let mut out: Vec<(String, Option<String>)> = calls
        .iter()
        .filter_map(|c| {
            let id = store.id_of(c.uid.as_deref()?)?;
            let flag = index.flag(id, &store)?;
            Some((c.uid.clone()?, flag.uid.clone()))
        })
        .collect();
    out.sort();
    out
}

/// A table row: what it shows, the calls, `default_country`, the flags (waiting, by).
type Case = (
    &'static str,
    Vec<VoiceCall>,
    Option<&'static str>,
    Vec<(String, Option<String>)>,
);

fn flagged(waiting: &str, by: &str) -> (String, Option<String>) {
    (waiting.to_string(), Some(by.to_string()))
}

#[test]
fn a_waiting_call_is_flagged_with_the_earliest_later_call_that_reached_them() {
    let missed = inbound("m", "MISSED", THEIRS, "09:00");
    let cases: Vec<Case> = vec![
        (
            "earliest return wins",
            vec![
                missed.clone(),
                inbound("in", "ANSWERED_BY_STAFF", THEIRS, "11:00"),
                outbound("out", "ANSWERED_BY_STAFF", THEIRS, "10:42"),
            ],
            None,
            vec![flagged("m", "out")],
        ),
        (
            "an inbound call answered by staff is a return",
            vec![
                missed.clone(),
                inbound("in", "ANSWERED_BY_STAFF", THEIRS, "11:00"),
            ],
            None,
            vec![flagged("m", "in")],
        ),
        (
            "a return before the missed call does not count",
            vec![
                outbound("out", "ANSWERED_BY_STAFF", THEIRS, "08:00"),
                missed.clone(),
            ],
            None,
            vec![],
        ),
        (
            "a call at the very same moment is not later",
            vec![
                missed.clone(),
                outbound("out", "ANSWERED_BY_STAFF", THEIRS, "09:00"),
            ],
            None,
            vec![],
        ),
        (
            "an unanswered outbound call is not a return",
            vec![
                missed.clone(),
                outbound("out", "MISSED", THEIRS, "10:00"),
                VoiceCall {
                    call_summary: Some("Call-back: left voicemail".into()),
                    ..outbound("vm", "MISSED", THEIRS, "10:30")
                },
            ],
            None,
            vec![],
        ),
        (
            "the provider answering, or another missed call, is not a return",
            vec![
                missed.clone(),
                inbound("ivr", "ANSWERED_BY_CALLS_PROVIDER", THEIRS, "10:00"),
                inbound("m2", "MISSED", THEIRS, "10:30"),
            ],
            None,
            vec![],
        ),
        (
            "another number is not a return",
            vec![
                missed.clone(),
                outbound("out", "ANSWERED_BY_STAFF", "+14155550199", "10:42"),
            ],
            None,
            vec![],
        ),
        (
            "numbers in other formats match as E.164",
            vec![
                missed.clone(),
                inbound("v", "VOICEMAIL_RECEIVED", "(415) 555-0148", "09:30"),
                outbound("out", "ANSWERED_BY_STAFF", "+1 415-555-0148", "10:42"),
            ],
            Some("US"),
            vec![flagged("m", "out"), flagged("v", "out")],
        ),
        (
            "a national number without a country matches only itself",
            vec![
                inbound("v", "VOICEMAIL_RECEIVED", "(415) 555-0148", "09:30"),
                outbound("out", "ANSWERED_BY_STAFF", "+14155550148", "10:42"),
                outbound("nat", "ANSWERED_BY_STAFF", "415.555.0148", "11:00"),
            ],
            None,
            vec![flagged("v", "nat")],
        ),
        (
            "only the waiting calls before the return are flagged",
            vec![
                missed.clone(),
                outbound("out", "ANSWERED_BY_STAFF", THEIRS, "10:42"),
                inbound("late", "MISSED", THEIRS, "12:00"),
            ],
            None,
            vec![flagged("m", "out")],
        ),
        (
            "a handled or outbound missed call is not waiting",
            vec![
                inbound("h", "MISSED_CALL_HANDLED", THEIRS, "08:00"),
                outbound("om", "MISSED", THEIRS, "08:30"),
                outbound("out", "ANSWERED_BY_STAFF", THEIRS, "10:42"),
            ],
            None,
            vec![],
        ),
    ];
    for (name, calls, country, want) in cases {
        assert_eq!(flags(&calls, country), want, "{name}");
    }
}

#[test]
fn flags_follow_the_store_as_calls_arrive_and_change() {
    let mut store = CallStore::new();
    let mut index = Returned::new(None);
    let m = store.upsert(inbound("m", "MISSED", THEIRS, "09:00"));
    index.sync(&store);
    assert!(index.flag(m, &store).is_none());

    // The later call arrives (a new slot: no generation moves for it).
    store.upsert(outbound("out", "ANSWERED_BY_STAFF", THEIRS, "10:42"));
    index.sync(&store);
    assert_eq!(
        index.flag(m, &store).and_then(|f| f.uid),
        Some("out".to_string())
    );

    // An earlier one arrives: it wins.
    store.upsert(inbound("in", "ANSWERED_BY_STAFF", THEIRS, "10:00"));
    index.sync(&store);
    let flag = index.flag(m, &store).expect("flagged");
    assert_eq!((flag.uid.as_deref(), flag.via), (Some("in"), Via::Answered));

    // The waiting call is handled: no longer flagged.
    let mut handled = inbound("m", "MISSED_CALL_HANDLED", THEIRS, "09:00");
    handled.updated_at = Some(at("12:00"));
    store.upsert(handled);
    index.sync(&store);
    assert!(index.flag(m, &store).is_none());

    // Undone: flagged again.
    let mut back = inbound("m", "MISSED", THEIRS, "09:00");
    back.updated_at = Some(at("12:01"));
    store.upsert(back);
    index.sync(&store);
    assert_eq!(
        index.flag(m, &store).and_then(|f| f.uid),
        Some("in".to_string())
    );

    // The return leaves the store: the next one counts.
    let live = store
        .id_of("m")
        .into_iter()
        .chain(store.id_of("out"))
        .collect();
    store.retain(&live);
    index.sync(&store);
    assert_eq!(
        index.flag(m, &store).and_then(|f| f.uid),
        Some("out".to_string())
    );
}

#[test]
fn a_flag_reads_how_when_and_by_whom() {
    let zone = crate::test_support::utc();
    let now = crate::test_support::now(); // 2026-11-24 15:00 UTC
    let mut people = People::default();
    let flag = Flag {
        via: Via::Outbound,
        at: crate::api::model::parse_time(&at("10:42")).expect("time"),
        staff_uid: Some("staff-grace-0123456789".into()),
        uid: Some("out".into()),
    };
    assert_eq!(
        flag.text(&people, now, &zone),
        "looks returned (outbound 10:42 by staff-grac…)"
    );
    people.learned_roster(
        vec![StaffCard {
            uid: "staff-grace-0123456789".into(),
            name: "Grace".into(),
            email: None,
            role: None,
            active: true,
        }],
        now,
    );
    assert_eq!(
        flag.text(&people, now, &zone),
        "looks returned (outbound 10:42 by Grace)"
    );
    let answered = Flag {
        via: Via::Answered,
        at: crate::api::model::parse_time("2026-11-23T08:05:00Z").expect("time"),
        staff_uid: None,
        ..flag
    };
    assert_eq!(
        answered.what(&people, now, &zone),
        "answered yesterday 08:05"
    );
}
