//! Tests of the views: queries from the tab and the filter, counts from the report, and
//! voicemail's two spellings.

use super::date::tests::now;
use super::*;
use crate::api::model::{Count, StatusCount};

#[test]
fn the_two_voicemail_spellings_count_as_one_status() {
    let stats = Stats {
        status_counts: [("VOICEMAIL", 2), ("MISSED", 5), ("VOICEMAIL_RECEIVED", 3)]
            .into_iter()
            .map(|(s, n)| StatusCount {
                status: Some(s.into()),
                count: Some(Count::Valid(n)),
            })
            .collect(),
        ..Default::default()
    };
    assert_eq!(
        status_counts(&stats),
        vec![
            ("VOICEMAIL".to_string(), Count::Valid(5)),
            ("MISSED".to_string(), Count::Valid(5))
        ]
    );
}

#[test]
fn a_filter_on_either_voicemail_spelling_asks_for_both() {
    let tz = Zone::utc();
    for (tab, spelling) in [
        (TabId::All, "VOICEMAIL"),
        (TabId::All, "VOICEMAIL_RECEIVED"),
        (TabId::FollowUp, "VOICEMAIL"),
    ] {
        let id = tab;
        let mut tab = Tab::new(tab, TabSettings::default());
        tab.settings.filter.statuses = vec![spelling.into()];
        let q = tab.query(1, 50, now(), &tz).unwrap();
        let mut want = vec![(
            "status".to_string(),
            None,
            "VOICEMAIL_RECEIVED,VOICEMAIL".to_string(),
        )];
        if id == TabId::FollowUp {
            want.push(("direction".to_string(), None, "INBOUND".to_string()));
        }
        assert_eq!(q.filters, want, "{spelling}");
    }
}

#[test]
fn queries_combine_the_tab_and_the_filter() {
    let tz = Zone::utc();
    let mut tab = Tab::new(TabId::FollowUp, TabSettings::default());
    let q = tab.query(2, 50, now(), &tz).unwrap();
    assert_eq!(q.page, 2);
    assert_eq!(q.sort.as_deref(), Some("created_at:desc"));
    // The inbox: calls that came in (an outbound call nobody answered is MISSED too).
    assert_eq!(
        q.filters,
        vec![
            (
                "status".to_string(),
                None,
                "MISSED,VOICEMAIL_RECEIVED,VOICEMAIL".to_string()
            ),
            ("direction".to_string(), None, "INBOUND".to_string())
        ]
    );
    tab.settings.filter.statuses = vec!["MISSED".into(), "ANSWERED_BY_STAFF".into()];
    tab.settings.filter.staff = Some("s-1".into());
    tab.settings.filter.date = Some(DateRange::Today);
    tab.settings.sort = Sort {
        column: SortColumn::CreatedAt,
        desc: false,
    };
    let q = tab.query(1, 50, now(), &tz).unwrap();
    assert_eq!(q.sort.as_deref(), Some("created_at:asc"));
    assert!(
        q.filters
            .contains(&("status".into(), None, "MISSED".into()))
    );
    assert!(
        q.filters
            .contains(&("staff_uid".into(), None, "s-1".into()))
    );
    assert!(q.filters.contains(&(
        "created_at".into(),
        Some("gte".into()),
        "2026-03-10T00:00:00Z".into()
    )));
    tab.settings.filter.statuses = vec!["ANSWERED_BY_STAFF".into()];
    assert!(tab.query(1, 50, now(), &tz).unwrap_err().contains("never"));

    let mut out = Tab::new(TabId::Outbound, TabSettings::default());
    let q = out.query(1, 50, now(), &tz).unwrap();
    assert_eq!(
        q.filters,
        vec![("direction".into(), None, "OUTBOUND".into())]
    );
    out.settings.filter.direction = Some("INBOUND".into());
    assert!(out.query(1, 50, now(), &tz).is_err());
}

#[test]
fn counts_come_from_the_report() {
    let stats = Stats {
        status_counts: [
            ("MISSED", 4),
            ("VOICEMAIL", 2),
            ("VOICEMAIL_RECEIVED", 1),
            ("MISSED_CALL_HANDLED", 9),
            ("ANSWERED_BY_STAFF", 20),
        ]
        .into_iter()
        .map(|(s, n)| StatusCount {
            status: Some(s.into()),
            count: Some(Count::Valid(n)),
        })
        .collect(),
        total_voice_calls: Some(Count::Valid(36)),
        ..Stats::default()
    };
    let counts: Vec<Option<u64>> = TabId::ALL.iter().map(|t| t.count_from(&stats)).collect();
    assert_eq!(
        counts,
        // The inbox and Outbound: the report counts by status, not direction.
        vec![None, Some(36), Some(4), Some(3), Some(9), None]
    );
}

#[test]
fn settings_survive_a_round_trip() {
    let s = TabSettings {
        filter: ViewFilter {
            statuses: vec!["MISSED".into()],
            direction: Some("INBOUND".into()),
            date: Some(DateRange::LastDays(7)),
            staff: None,
        },
        sort: Sort {
            column: SortColumn::Duration,
            desc: false,
        },
    };
    let text = serde_json::to_string(&s).unwrap();
    assert_eq!(serde_json::from_str::<TabSettings>(&text).unwrap(), s);
    let people = crate::domain::people::People::default();
    assert_eq!(s.filter.describe(&people), "status MISSED · inbound · 7d");
}
