//! A date range the user types into a filter (`today`, `7d`, `2026-03-01..2026-03-31`) and
//! the instants it covers, days taken in the zone times are shown in.

use std::fmt;

use chrono::{DateTime, NaiveDate, TimeDelta, Utc};
use serde::{Deserialize, Serialize};

use crate::domain::zone::Zone;

/// A date range the user typed: `today`, `7d`, or `2026-03-01..2026-03-31`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub enum DateRange {
    Today,
    LastDays(u32),
    Between(NaiveDate, NaiveDate),
}

impl DateRange {
    pub fn parse(text: &str) -> Result<Self, String> {
        let t = text.trim();
        let quoted = crate::domain::sanitize::quoted(t);
        let wrong = || {
            format!(
                "date {quoted} is not understood: use today, 7d (the last 7 days) or 2026-03-01..2026-03-31"
            )
        };
        if t.eq_ignore_ascii_case("today") {
            return Ok(DateRange::Today);
        }
        if let Some(n) = t.strip_suffix(['d', 'D']) {
            let days: u32 = n.parse().map_err(|_| wrong())?;
            if !(1..=3660).contains(&days) {
                return Err(format!(
                    "date {quoted}: the number of days must be 1 to 3660"
                ));
            }
            return Ok(DateRange::LastDays(days));
        }
        let (a, b) = t.split_once("..").unwrap_or((t, t));
        let day = |s: &str| NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d").map_err(|_| wrong());
        let (from, to) = (day(a)?, day(b)?);
        if from > to {
            return Err(format!("date {quoted}: the first day is after the last"));
        }
        Ok(DateRange::Between(from, to))
    }

    /// `[start, end)` in UTC, days taken in `zone` (each day from its own midnight, so a
    /// range across a clock change is still whole days).
    pub fn bounds(
        &self,
        now: DateTime<Utc>,
        zone: &Zone,
    ) -> (DateTime<Utc>, Option<DateTime<Utc>>) {
        let start_of = |d: NaiveDate| zone.start_of(d);
        let today = zone.date(now);
        match self {
            DateRange::Today => (start_of(today), None),
            DateRange::LastDays(n) => (start_of(today - TimeDelta::days(i64::from(*n) - 1)), None),
            DateRange::Between(a, b) => (start_of(*a), Some(start_of(*b + TimeDelta::days(1)))),
        }
    }
}

impl fmt::Display for DateRange {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DateRange::Today => write!(f, "today"),
            DateRange::LastDays(n) => write!(f, "{n}d"),
            DateRange::Between(a, b) if a == b => write!(f, "{a}"),
            DateRange::Between(a, b) => write!(f, "{a}..{b}"),
        }
    }
}

impl TryFrom<String> for DateRange {
    type Error = String;
    fn try_from(s: String) -> Result<Self, String> {
        DateRange::parse(&s)
    }
}

impl From<DateRange> for String {
    fn from(d: DateRange) -> String {
        d.to_string()
    }
}

#[cfg(test)]
pub(super) mod tests {
    use super::*;

    /// The views' tests' "now": 2026-03-10 15:00 UTC.
    pub(in crate::domain::views) fn now() -> DateTime<Utc> {
        DateTime::parse_from_rfc3339("2026-03-10T15:00:00Z")
            .unwrap()
            .with_timezone(&Utc)
    }

    #[test]
    fn date_ranges_parse_and_print_back() {
        for text in ["today", "7d", "2026-03-01..2026-03-31", "2026-03-02"] {
            let d = DateRange::parse(text).unwrap();
            assert_eq!(DateRange::parse(&d.to_string()).unwrap(), d, "{text}");
        }
        for bad in [
            "",
            "yesterday",
            "0d",
            "2026-13-01",
            "2026-03-05..2026-03-01",
        ] {
            let e = DateRange::parse(bad).unwrap_err();
            assert!(e.contains("date"), "{bad}: {e}");
        }
    }

    #[test]
    fn date_bounds_follow_the_zones_days_across_a_clock_change() {
        // New York went to summer time on 2026-03-08: "today" (the 10th) starts at 04:00
        // UTC, the days before it at 05:00.
        let zone = Zone::named("America/New_York").unwrap();
        let (start, end) = DateRange::Today.bounds(now(), &zone);
        assert_eq!(start.to_rfc3339(), "2026-03-10T04:00:00+00:00");
        assert_eq!(end, None);
        let (start, end) = DateRange::parse("2026-03-01..2026-03-02")
            .unwrap()
            .bounds(now(), &zone);
        assert_eq!(start.to_rfc3339(), "2026-03-01T05:00:00+00:00");
        assert_eq!(end.unwrap().to_rfc3339(), "2026-03-03T05:00:00+00:00");
        let (start, end) = DateRange::parse("2026-03-07..2026-03-09")
            .unwrap()
            .bounds(now(), &zone);
        assert_eq!(start.to_rfc3339(), "2026-03-07T05:00:00+00:00");
        assert_eq!(end.unwrap().to_rfc3339(), "2026-03-10T04:00:00+00:00");
        let (start, _) = DateRange::LastDays(7).bounds(now(), &zone);
        assert_eq!(start.to_rfc3339(), "2026-03-04T05:00:00+00:00");
    }
}
