//! A date range the user types into a filter (`today`, `7d`, `2026-03-01..2026-03-31`) and
//! the instants it covers in the user's time zone.

use std::fmt;

use chrono::{DateTime, FixedOffset, NaiveDate, TimeDelta, Utc};
use serde::{Deserialize, Serialize};

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

    /// `[start, end)` in UTC, days taken in the user's time zone.
    pub fn bounds(
        &self,
        now: DateTime<Utc>,
        tz: FixedOffset,
    ) -> (DateTime<Utc>, Option<DateTime<Utc>>) {
        let start_of = |d: NaiveDate| {
            d.and_time(chrono::NaiveTime::MIN)
                .and_local_timezone(tz)
                .single()
                .map_or(now, |t| t.with_timezone(&Utc))
        };
        let today = now.with_timezone(&tz).date_naive();
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
    fn date_bounds_follow_the_local_day() {
        let tz = FixedOffset::west_opt(5 * 3600).unwrap();
        let (start, end) = DateRange::Today.bounds(now(), tz);
        assert_eq!(start.to_rfc3339(), "2026-03-10T05:00:00+00:00");
        assert_eq!(end, None);
        let (start, end) = DateRange::parse("2026-03-01..2026-03-02")
            .unwrap()
            .bounds(now(), tz);
        assert_eq!(start.to_rfc3339(), "2026-03-01T05:00:00+00:00");
        assert_eq!(end.unwrap().to_rfc3339(), "2026-03-03T05:00:00+00:00");
        let (start, _) = DateRange::LastDays(7).bounds(now(), tz);
        assert_eq!(start.to_rfc3339(), "2026-03-04T05:00:00+00:00");
    }
}
