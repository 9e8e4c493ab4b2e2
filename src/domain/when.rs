//! How a moment reads to a person, in the zone times are shown in (`zone::Zone`): `12m ago` and `today 14:05` while
//! it is today, `yesterday 08:05`, `Nov 21 14:05` this year, `2025-11-21` before. Here, not in
//! `ui`, because the model's own sentences (a draft restored, a call already handled) say
//! times too; `ui::format` re-exports these.

use chrono::{DateTime, Utc};

use crate::domain::zone::Zone;

/// Local time, relative while it is today: `just now`, `12m ago`, `2h13m ago`; then
/// `Nov 21 14:05` this year and `2025-11-21` before.
pub fn list_time(t: Option<DateTime<Utc>>, now: DateTime<Utc>, zone: &Zone) -> String {
    list_time_as(t, now, zone, true)
}

/// As [`list_time`]; with `relative` off, today's calls show the clock (`today 14:05`), for
/// when an age column beside it already says how long ago.
pub fn list_time_as(
    t: Option<DateTime<Utc>>,
    now: DateTime<Utc>,
    zone: &Zone,
    relative: bool,
) -> String {
    let Some(t) = t else {
        return "—".to_string();
    };
    let local = zone.local(t);
    let local_now = zone.local(now);
    // A time later today (a clock a little ahead) is still today's clock, never "ago".
    if local.date_naive() == local_now.date_naive() && (t <= now || !relative) {
        return if relative {
            ago(now - t)
        } else {
            local.format("today %H:%M").to_string()
        };
    }
    if local.format("%Y").to_string() == local_now.format("%Y").to_string() {
        local.format("%b %d %H:%M").to_string()
    } else {
        local.format("%Y-%m-%d").to_string()
    }
}

/// A stored timestamp (RFC 3339) as a sentence in a dialog says it: `today 19:39`,
/// `yesterday 08:05`, then as [`list_time_as`] (`Nov 28 14:02`, `2025-11-21`); the text as
/// it is when it is not a time.
pub fn spoken_time(raw: &str, now: DateTime<Utc>, zone: &Zone) -> String {
    let Some(t) = crate::api::model::parse_time(raw) else {
        return raw.to_string();
    };
    let local = zone.local(t);
    if zone.date(now).pred_opt() == Some(local.date_naive()) {
        return local.format("yesterday %H:%M").to_string();
    }
    list_time_as(Some(t), now, zone, false)
}

/// When a run of calls began, as "3× since …" says it: the clock today (`09:12`),
/// `yesterday 08:05`, then as [`list_time_as`] (`Nov 28 14:02`, `2025-11-21`).
pub fn since(t: DateTime<Utc>, now: DateTime<Utc>, zone: &Zone) -> String {
    let local = zone.local(t);
    let today = zone.date(now);
    if local.date_naive() == today {
        return local.format("%H:%M").to_string();
    }
    if today.pred_opt() == Some(local.date_naive()) {
        return local.format("yesterday %H:%M").to_string();
    }
    list_time_as(Some(t), now, zone, false)
}

/// `45s ago`, `12m ago`, `2h13m ago`, `3d ago`.
pub fn ago(d: chrono::TimeDelta) -> String {
    let secs = d.num_seconds().max(0);
    match secs {
        0..60 => "just now".to_string(),
        60..3600 => format!("{}m ago", secs / 60),
        3600..86_400 => format!("{}h{:02}m ago", secs / 3600, secs % 3600 / 60),
        _ => format!("{}d ago", secs / 86_400),
    }
}

/// A time as microseconds since the epoch, for indexes that keep one per call: 8 bytes where
/// a `DateTime<Utc>` takes 12, and it orders the same. The API's times are in milliseconds,
/// so nothing is lost.
pub fn micros(at: DateTime<Utc>) -> i64 {
    at.timestamp_micros()
}

/// The time [`micros`] gave.
pub fn from_micros(micros: i64) -> DateTime<Utc> {
    DateTime::from_timestamp_micros(micros).unwrap_or_default()
}

#[cfg(test)]
mod since_tests {
    use super::*;

    #[test]
    fn since_says_the_clock_today_then_yesterday_then_the_date() {
        let at = |s: &str| crate::api::model::parse_time(s).expect("time");
        let now = at("2026-03-10T15:00:00Z");
        let zone = Zone::utc();
        for (t, want) in [
            ("2026-03-10T09:12:00Z", "09:12"),
            ("2026-03-09T08:05:00Z", "yesterday 08:05"),
            ("2026-03-01T14:02:00Z", "Mar 01 14:02"),
            ("2025-11-21T14:02:00Z", "2025-11-21"),
        ] {
            assert_eq!(since(at(t), now, &zone), want, "{t}");
        }
        let new_york = Zone::named("America/New_York").expect("zone");
        assert_eq!(since(at("2026-03-10T13:12:00Z"), now, &new_york), "09:12");
    }
}
