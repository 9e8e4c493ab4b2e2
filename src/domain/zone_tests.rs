use chrono::{NaiveDate, TimeZone, Utc};

use super::*;

fn at(text: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(text)
        .expect("a time")
        .with_timezone(&Utc)
}

#[test]
fn summer_and_winter_have_their_own_offsets() {
    let ny = Zone::named("America/New_York").expect("known");
    let july = at("2026-07-15T16:00:00Z");
    let december = at("2026-12-15T16:00:00Z");
    assert_eq!(ny.offset_at(july).local_minus_utc(), -4 * 3600);
    assert_eq!(ny.offset_at(december).local_minus_utc(), -5 * 3600);
    // A July call read in December keeps July's clock.
    assert_eq!(ny.local(july).format("%H:%M").to_string(), "12:00");
    assert_eq!(ny.local(december).format("%H:%M").to_string(), "11:00");
    assert_eq!(
        (ny.short_name(july), ny.short_name(december)),
        ("EDT".into(), "EST".into())
    );
}

#[test]
fn unknown_names_are_refused_with_what_to_write() {
    for bad in ["Mars/Olympus_Mons", "", "PST", "GMT+25"] {
        let e = Zone::named(bad).expect_err(bad);
        assert!(e.contains("is not a time zone"), "{bad}: {e}");
        assert!(e.contains("America/New_York"), "{bad}: {e}");
    }
    let e = Zone::named("new york").expect_err("a city");
    assert!(e.contains("(did you mean \"America/New_York\"?)"), "{e}");
}

#[test]
fn names_are_read_in_any_case_and_kept_in_the_database_spelling() {
    let z = Zone::named(" america/los_angeles ").expect("any case");
    assert_eq!(z.name(), "America/Los_Angeles");
    assert_eq!(z.to_string(), "America/Los_Angeles");
    assert_eq!(Zone::utc().name(), "UTC");
}

#[test]
fn a_day_starts_at_the_zones_midnight() {
    let la = Zone::named("America/Los_Angeles").expect("known");
    let day = NaiveDate::from_ymd_opt(2026, 3, 8).expect("date");
    assert_eq!(la.start_of(day), at("2026-03-08T08:00:00Z"));
    // The day after the clocks went forward starts an hour earlier in UTC.
    assert_eq!(
        la.start_of(day.succ_opt().expect("date")),
        at("2026-03-09T07:00:00Z")
    );
    assert_eq!(la.date(at("2026-03-09T06:59:00Z")), day);
}

#[test]
fn a_midnight_the_clocks_skip_starts_the_day_at_the_change() {
    // Santiago went from 23:59:59 to 01:00 on 2022-09-11.
    let santiago = Zone::named("America/Santiago").expect("known");
    let day = NaiveDate::from_ymd_opt(2022, 9, 11).expect("date");
    assert_eq!(santiago.start_of(day), at("2022-09-11T04:00:00Z"));
}

#[test]
fn offset_only_abbreviations_read_as_utc_offsets() {
    let dubai = Zone::named("Asia/Dubai").expect("known");
    assert_eq!(dubai.short_name(at("2026-01-01T00:00:00Z")), "UTC+04");
    let kolkata = Zone::named("Asia/Kolkata").expect("known");
    assert_eq!(kolkata.short_name(at("2026-01-01T00:00:00Z")), "IST");
    let chatham = Zone::named("Pacific/Chatham").expect("known");
    assert_eq!(chatham.short_name(at("2026-07-01T00:00:00Z")), "UTC+12:45");
}

#[test]
fn two_names_for_one_clock_are_the_same_clock() {
    let now = Utc.with_ymd_and_hms(2026, 11, 24, 15, 0, 0).unwrap();
    let etc = Zone::named("Etc/UTC").expect("known");
    assert!(etc.same_clock_as(&Zone::utc(), now));
    let la = Zone::named("America/Los_Angeles").expect("known");
    let ny = Zone::named("America/New_York").expect("known");
    let toronto = Zone::named("America/Toronto").expect("known");
    assert!(ny.same_clock_as(&toronto, now));
    assert!(!la.same_clock_as(&Zone::utc(), now));
    // London and UTC agree in winter only.
    let london = Zone::named("Europe/London").expect("known");
    assert!(!london.same_clock_as(&Zone::utc(), now));
}
