//! The tries at a waiting caller: which records count, the newest outcome, and the index kept
//! beside the store agreeing with the rule as calls arrive, change and leave.

use super::*;
use crate::api::{Direction, Status};
use crate::domain::callback::{CallBack, fresh_external_uuid};

const THEM: &str = "+14155550148";
const US: &str = "+14155550100";

fn at(minute: u32) -> String {
    format!("2026-12-01T10:{minute:02}:00+00:00")
}

fn inbound(uid: &str, status: &str, minute: u32) -> VoiceCall {
    VoiceCall {
        uid: Some(uid.into()),
        direction: Some(Direction("INBOUND".into())),
        status: Some(Status(status.into())),
        from_number: Some(THEM.into()),
        to_number: Some(US.into()),
        created_at: Some(at(minute)),
        updated_at: Some(at(minute)),
        ..VoiceCall::default()
    }
}

fn record(uid: &str, outcome: Outcome, minute: u32) -> VoiceCall {
    let cb = CallBack {
        outcome,
        from_number: US.into(),
        to_number: THEM.into(),
        staff_uid: "staff-ana".into(),
        client_uid: "client-1".into(),
        business_uid: "biz".into(),
        note: None,
        duration: None,
        external_uuid: fresh_external_uuid(),
    };
    VoiceCall {
        uid: Some(uid.into()),
        direction: Some(Direction("OUTBOUND".into())),
        status: Some(Status(outcome.status().into())),
        from_number: Some(US.into()),
        to_number: Some(THEM.into()),
        call_summary: Some(cb.summary()),
        created_at: Some(at(minute)),
        updated_at: Some(at(minute)),
        ..VoiceCall::default()
    }
}

/// What a case expects: how many tries, the newest one's time and outcome.
type Want = Option<(usize, String, Outcome)>;

fn t(count: usize, minute: u32, last: Outcome) -> Want {
    Some((count, at(minute), last))
}

#[test]
fn records_after_the_newest_waiting_call_are_counted_with_the_newest_outcome() {
    use Outcome::*;
    let other_number = VoiceCall {
        to_number: Some("+14155559999".into()),
        ..record("x", NoAnswer, 50)
    };
    let inbound_answered = inbound("ans", "ANSWERED_BY_STAFF", 40);
    let cases: Vec<(&str, Vec<VoiceCall>, Want)> = vec![
        ("nothing waits", vec![record("r1", NoAnswer, 20)], None),
        (
            "waiting, nobody tried",
            vec![inbound("w1", "MISSED", 10)],
            None,
        ),
        (
            "one try",
            vec![inbound("w1", "MISSED", 10), record("r1", NoAnswer, 42)],
            t(1, 42, NoAnswer),
        ),
        (
            "two tries, the newest outcome whatever the order",
            vec![
                record("r2", Voicemail, 30),
                inbound("w1", "VOICEMAIL_RECEIVED", 10),
                record("r1", NoAnswer, 42),
            ],
            t(2, 42, NoAnswer),
        ),
        (
            "a try before a newer waiting call does not count",
            vec![
                inbound("w1", "MISSED", 10),
                record("r1", NoAnswer, 20),
                inbound("w2", "MISSED", 30),
                record("r2", Voicemail, 42),
            ],
            t(1, 42, Voicemail),
        ),
        (
            "another number's records and answered calls are not tries",
            vec![inbound("w1", "MISSED", 10), other_number, inbound_answered],
            None,
        ),
        (
            "a handled call waits no more",
            vec![
                inbound("w1", "MISSED_CALL_HANDLED", 10),
                record("r1", NoAnswer, 42),
            ],
            None,
        ),
    ];
    for (name, calls, want) in cases {
        let got = tries(&calls, THEM).map(|t| (t.count, t.last_at.to_rfc3339(), t.last));
        let want = want.map(|(n, at, o)| {
            let at = crate::api::model::parse_time(&at)
                .expect("time")
                .to_rfc3339();
            (n, at, o)
        });
        assert_eq!(got, want, "{name}");
        // The index the rows read answers the same as the rule, case by case.
        let mut store = CallStore::new();
        for call in &calls {
            store.upsert(call.clone());
        }
        let mut index = TriesIndex::default();
        index.sync(&store);
        let indexed = index
            .of(THEM, &store)
            .map(|t| (t.count, t.last_at.to_rfc3339(), t.last));
        assert_eq!(indexed, want, "the index: {name}");
    }
}

#[test]
fn a_try_reads_as_the_row_says_it() {
    let zone = Zone::utc();
    let now = crate::api::model::parse_time("2026-12-01T15:00:00+00:00").expect("now");
    let tries = Tries {
        count: 2,
        last_at: crate::api::model::parse_time(&at(42)).expect("time"),
        last: Outcome::NoAnswer,
    };
    assert_eq!(
        tries.describe(now, &zone),
        "tried 2×, last 10:42 (no answer)"
    );
    let tomorrow = now + chrono::TimeDelta::days(1);
    assert_eq!(
        tries.describe(tomorrow, &zone),
        "tried 2×, last Dec 01 10:42 (no answer)"
    );
}

#[test]
fn the_index_follows_the_store_as_calls_arrive_change_and_leave() {
    let mut store = CallStore::new();
    let mut index = TriesIndex::default();
    let w1 = store.upsert(inbound("w1", "MISSED", 10));
    index.sync(&store);
    assert_eq!(index.of(THEM, &store), None);

    store.upsert(record("r1", Outcome::NoAnswer, 42));
    index.sync(&store);
    assert_eq!(
        index.of(THEM, &store).map(|t| t.count),
        Some(1),
        "a new slot is seen"
    );
    store.upsert(record("r2", Outcome::Voicemail, 44));
    index.sync(&store);
    assert_eq!(
        index.of(THEM, &store).map(|t| (t.count, t.last)),
        Some((2, Outcome::Voicemail))
    );

    // The waiting call is handled: nothing waits, nothing is shown.
    let mut handled = inbound("w1", "MISSED_CALL_HANDLED", 10);
    handled.updated_at = Some(at(50));
    store.update(&handled);
    index.sync(&store);
    assert_eq!(index.of(THEM, &store), None);

    // A new missed call after the tries: they count again from it.
    store.upsert(inbound("w2", "MISSED", 55));
    index.sync(&store);
    assert_eq!(index.of(THEM, &store), None);
    store.upsert(record("r3", Outcome::NoAnswer, 58));
    index.sync(&store);
    assert_eq!(index.of(THEM, &store).map(|t| t.count), Some(1));

    // Calls freed from the store leave the index, and a reused slot is filed again.
    let live: std::collections::HashSet<_> = [w1].into_iter().collect();
    store.retain(&live);
    index.sync(&store);
    assert_eq!(index.of(THEM, &store), None);
    let mut fresh = TriesIndex::default();
    fresh.sync(&store);
    assert_eq!(
        fresh.of(THEM, &store),
        index.of(THEM, &store),
        "the same as a full pass"
    );
}
