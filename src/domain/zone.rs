//! The time zone times are shown and typed in: the `time_zone` setting, else the business's
//! (its record says which), else the machine's. A real zone, not an offset: a July call is
//! shown in July's offset whatever the date today, and `today` starts at the zone's own
//! midnight. The rules come from the IANA database (`db`): the system's on Linux and macOS,
//! one built into the program on Windows.
//!
//! Reading the database is the only I/O in `domain`: it happens where a name is first read
//! (the settings check, the business lookup's task, the machine's zone at start), never in
//! `update` or a frame.

use std::fmt;
use std::sync::Arc;

use chrono::{DateTime, FixedOffset, NaiveDate, NaiveDateTime, TimeDelta, TimeZone as _, Utc};

mod db;

pub use db::WHERE_NAMES_ARE;

/// A time zone: where a moment is read as a date and a clock time.
#[derive(Clone)]
pub struct Zone {
    /// The database's name (`America/Los_Angeles`), `UTC`, or `local`.
    name: Arc<str>,
    rules: Rules,
}

#[derive(Clone)]
enum Rules {
    /// A zone of the IANA database.
    Db(Arc<tz::TimeZone>),
    /// UTC, known without a database.
    Utc,
    /// The machine's zone when it has no name the database knows: the system's own rules.
    Local,
}

impl Zone {
    /// The zone times are shown and typed in: the `time_zone` setting's, else the
    /// business's (from its record), else the machine's. The console and `calls list` both
    /// decide by this.
    pub fn in_force<'a>(
        setting: Option<&'a Zone>,
        business: Option<&'a Zone>,
        machine: &'a Zone,
    ) -> &'a Zone {
        setting.or(business).unwrap_or(machine)
    }

    pub fn utc() -> Self {
        Zone {
            name: "UTC".into(),
            rules: Rules::Utc,
        }
    }

    /// The zone named `name` in the IANA database (`America/Los_Angeles`), in any case. An
    /// unknown name says what names look like and, when one is close, which was meant.
    pub fn named(name: &str) -> Result<Self, String> {
        let name = name.trim();
        if name.eq_ignore_ascii_case("UTC") {
            return Ok(Zone::utc());
        }
        let (name, rules) = db::find(name)?;
        Ok(Zone {
            name: name.into(),
            rules: Rules::Db(Arc::new(rules)),
        })
    }

    /// The machine's zone: `TZ` when it names a zone, else the system's setting (by name
    /// when the database knows it, else the system's own rules).
    pub fn machine() -> Self {
        let local = || Zone {
            name: "local".into(),
            rules: Rules::Local,
        };
        if let Ok(tz) = std::env::var("TZ")
            && !tz.is_empty()
        {
            // A rule written out (`EST5EDT,M3.2.0,M11.1.0`) is the system's to read.
            return Zone::named(tz.trim_start_matches(':')).unwrap_or_else(|_| local());
        }
        iana_time_zone::get_timezone()
            .ok()
            .and_then(|name| Zone::named(&name).ok())
            .unwrap_or_else(local)
    }

    /// The zone's name: `America/Los_Angeles`, `UTC`; `local` for a machine zone without one.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The zone's offset from UTC at `t` (summer time included).
    pub fn offset_at(&self, t: DateTime<Utc>) -> FixedOffset {
        let utc = FixedOffset::east_opt(0).expect("UTC is an offset");
        match &self.rules {
            Rules::Db(rules) => rules
                .find_local_time_type(t.timestamp())
                .ok()
                .and_then(|l| FixedOffset::east_opt(l.ut_offset()))
                .unwrap_or(utc),
            Rules::Utc => utc,
            Rules::Local => chrono::Local.offset_from_utc_datetime(&t.naive_utc()),
        }
    }

    /// `t` on this zone's clock.
    pub fn local(&self, t: DateTime<Utc>) -> DateTime<FixedOffset> {
        t.with_timezone(&self.offset_at(t))
    }

    /// The date here at `t`.
    pub fn date(&self, t: DateTime<Utc>) -> NaiveDate {
        self.local(t).date_naive()
    }

    /// The first moment of day `d` here: midnight, or when a clock change skips midnight, the
    /// first time the clock shows that day.
    pub fn start_of(&self, d: NaiveDate) -> DateTime<Utc> {
        let midnight = d.and_time(chrono::NaiveTime::MIN);
        // Clock changes fall on a quarter hour, and none skips a whole day.
        (0..=96)
            .map(|q| midnight + TimeDelta::minutes(15 * q))
            .find_map(|t| self.instant_of(t))
            .unwrap_or_else(|| midnight.and_utc())
    }

    /// The first moment the clock here shows `t`; `None` when a clock change skips it. The
    /// offset in force then is the one a day before or a day after (clocks change at most
    /// once a day).
    fn instant_of(&self, t: NaiveDateTime) -> Option<DateTime<Utc>> {
        let near = t.and_utc();
        [near - TimeDelta::days(1), near + TimeDelta::days(1)]
            .into_iter()
            .map(|guess| near - TimeDelta::seconds(self.offset_at(guess).local_minus_utc().into()))
            .filter(|u| self.local(*u).naive_local() == t)
            .min()
    }

    /// What a person calls the zone at `t`: `PST`, `CEST`, `UTC`; `UTC+04` where the zone's
    /// abbreviation is only its offset.
    pub fn short_name(&self, t: DateTime<Utc>) -> String {
        let abbreviation = match &self.rules {
            Rules::Db(rules) => rules
                .find_local_time_type(t.timestamp())
                .ok()
                .map(|l| l.time_zone_designation().to_string()),
            Rules::Utc => Some("UTC".to_string()),
            Rules::Local => None,
        };
        if let Some(a) = abbreviation.filter(|a| a.chars().all(|c| c.is_ascii_alphabetic())) {
            return a;
        }
        let secs = self.offset_at(t).local_minus_utc();
        let sign = if secs < 0 { '-' } else { '+' };
        let (h, m) = (secs.abs() / 3600, secs.abs() % 3600 / 60);
        if m == 0 {
            format!("UTC{sign}{h:02}")
        } else {
            format!("UTC{sign}{h:02}:{m:02}")
        }
    }

    /// Whether clocks here and in `other` agree, at `now` and half a year on (summer and
    /// winter): two names for the same clock (`Etc/UTC`, `UTC`) are the same to a person.
    pub fn same_clock_as(&self, other: &Zone, now: DateTime<Utc>) -> bool {
        [now, now + TimeDelta::days(182)]
            .into_iter()
            .all(|t| self.offset_at(t) == other.offset_at(t))
    }
}

impl PartialEq for Zone {
    /// One name, one set of rules (the database is read once per name).
    fn eq(&self, other: &Self) -> bool {
        self.name == other.name
    }
}

impl Eq for Zone {}

impl fmt::Debug for Zone {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Zone({})", self.name)
    }
}

impl fmt::Display for Zone {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.name)
    }
}

#[cfg(test)]
#[path = "zone_tests.rs"]
mod tests;
