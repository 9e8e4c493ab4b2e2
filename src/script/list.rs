//! `callconsole calls list`: the filters checked before anything is sent, then pages fetched
//! until the limit or the last page.

use std::io::Write;

use chrono::{DateTime, NaiveDate, SecondsFormat, TimeDelta, Utc};
use serde_json::Value;

use super::{ScriptError, output, written};
use crate::api::client::MAX_PER_PAGE;
use crate::api::{ApiClient, ListQuery};
use crate::cli::ListArgs;
use crate::domain::rules;
use crate::domain::sanitize::quoted;
use crate::domain::zone::Zone;
use crate::persist::people::PeopleStore;

/// `(field, operator, value)`, as [`ListQuery::filters`] takes them.
type Filter = (String, Option<String>, String);

pub async fn run(
    client: &ApiClient,
    args: &ListArgs,
    (people, zone): (&PeopleStore, &Zone),
    out: &mut impl Write,
    err: &mut impl Write,
) -> Result<(), ScriptError> {
    let filters = filters(args, Utc::now(), zone)?;
    let calls = fetch(client, filters, args.limit).await?;
    let unreadable = calls.iter().filter(|c| output::typed(c).is_none()).count();
    if unreadable > 0 && args.format != crate::cli::ListFormat::Json {
        written(writeln!(
            err,
            "callconsole: {unreadable} record(s) the server sent are not calls; left out"
        ))?;
    }
    let typed: Vec<_> = calls.iter().filter_map(output::typed).collect();
    let people = super::names::resolve(client, &typed, people, err).await;
    written(output::write_list(
        out,
        &calls,
        args.format,
        (&people, zone),
    ))
}

/// Every filter, or every problem with them.
fn filters(args: &ListArgs, now: DateTime<Utc>, zone: &Zone) -> Result<Vec<Filter>, ScriptError> {
    let mut filters = Vec::new();
    let mut problems = Vec::new();
    // An empty entry (`--status ""`, a stray comma) never means "every status": a script
    // whose variable came out empty must not get the whole log instead of a few calls.
    if args.status.iter().any(|s| s.trim().is_empty()) {
        problems.push(
            "--status has an empty entry (\"\" or a stray comma); give statuses like MISSED or \
             MISSED,VOICEMAIL_RECEIVED, or leave --status out to list every status"
                .to_string(),
        );
    }
    let statuses: Vec<String> = args
        .status
        .iter()
        .map(|s| s.trim())
        .filter(|s| !s.is_empty())
        .filter_map(|s| status(s).map_err(|m| problems.push(m)).ok())
        .collect();
    if !statuses.is_empty() {
        filters.push(("status".to_string(), None, statuses.join(",")));
    }
    if let Some(d) = &args.direction {
        match direction(d) {
            Ok(d) => filters.push(("direction".to_string(), None, d)),
            Err(m) => problems.push(m),
        }
    }
    if let Some(s) = &args.since {
        match since(s, now, zone) {
            Ok(v) => filters.push(("created_at".to_string(), Some("gte".to_string()), v)),
            Err(m) => problems.push(m),
        }
    }
    if problems.is_empty() {
        Ok(filters)
    } else {
        Err(ScriptError::Invalid(problems))
    }
}

/// A status either vendor document lists, in any case.
pub fn status(value: &str) -> Result<String, String> {
    let up = value.trim().to_ascii_uppercase();
    if up.is_empty() {
        Err("--status is empty; give a status like MISSED_CALL_HANDLED".to_string())
    } else if rules::is_known_status(&up) {
        Ok(up)
    } else {
        Err(format!(
            "--status {} is not a status; use one of {}, {}",
            quoted(value),
            rules::STATUSES.join(", "),
            rules::VOICEMAIL_ALT
        ))
    }
}

fn direction(value: &str) -> Result<String, String> {
    let up = value.trim().to_ascii_uppercase();
    if rules::is_known_direction(&up) {
        Ok(up)
    } else {
        Err(format!(
            "--direction {} is not a direction; use {}",
            quoted(value),
            rules::DIRECTIONS.join(" or ")
        ))
    }
}

/// `today` (since midnight in `zone`, the one times are shown in), `7d` (the last 7 × 24
/// hours), a date (sent as it is: the API takes `YYYY-MM-DD`) or an RFC 3339 time. Relative
/// values become an RFC 3339 instant in UTC, so the server and we agree on the moment
/// whatever its time zone.
fn since(value: &str, now: DateTime<Utc>, zone: &Zone) -> Result<String, String> {
    let v = value.trim();
    let instant = |t: DateTime<Utc>| t.to_rfc3339_opts(SecondsFormat::Secs, true);
    let bad = || {
        format!(
            "--since {} is not a time; use today, 7d (the last 7 days) or a date like 2026-03-02",
            quoted(value)
        )
    };
    if v.eq_ignore_ascii_case("today") {
        return Ok(instant(zone.start_of(zone.date(now))));
    }
    if let Some(days) = v.strip_suffix(['d', 'D']) {
        let days: i64 = days.parse().map_err(|_| bad())?;
        if days < 0 {
            return Err(bad());
        }
        let start = TimeDelta::try_days(days)
            .and_then(|d| now.checked_sub_signed(d))
            .ok_or_else(bad)?;
        return Ok(instant(start));
    }
    if v.len() == 10 && NaiveDate::parse_from_str(v, "%Y-%m-%d").is_ok() {
        return Ok(v.to_string());
    }
    DateTime::parse_from_rfc3339(v)
        .map(|t| {
            t.with_timezone(&chrono::Utc)
                .to_rfc3339_opts(SecondsFormat::Secs, true)
        })
        .map_err(|_| bad())
}

/// Pages of up to 100, newest first, until `limit` calls or a page that is not full.
async fn fetch(
    client: &ApiClient,
    filters: Vec<Filter>,
    limit: u32,
) -> Result<Vec<Value>, ScriptError> {
    let limit = limit as usize;
    let per_page = limit.min(MAX_PER_PAGE as usize);
    let mut calls = Vec::new();
    let mut page = 1;
    loop {
        let query = ListQuery {
            page,
            per_page: per_page as u32,
            sort: Some("created_at:desc".to_string()),
            filters: filters.clone(),
        };
        let data = client.list_json(&query).await.result?;
        let items = match data.get("voice_calls") {
            Some(Value::Array(items)) => items.clone(),
            _ => Vec::new(),
        };
        let last = items.len() < per_page;
        calls.extend(items);
        if last || calls.len() >= limit {
            break;
        }
        page += 1;
    }
    calls.truncate(limit);
    Ok(calls)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s)
            .expect("time")
            .with_timezone(&Utc)
    }

    #[test]
    fn since_takes_words_days_and_dates() {
        let now = at("2026-03-10T12:00:00Z");
        let utc = Zone::utc();
        assert_eq!(
            since("7d", now, &utc).as_deref(),
            Ok("2026-03-03T12:00:00Z")
        );
        assert_eq!(since("2026-03-02", now, &utc).as_deref(), Ok("2026-03-02"));
        assert_eq!(
            since("2026-03-02T10:00:00+02:00", now, &utc).as_deref(),
            Ok("2026-03-02T08:00:00Z")
        );
        assert_eq!(
            since("today", now, &utc).as_deref(),
            Ok("2026-03-10T00:00:00Z")
        );
        // Today is the business's day: 12:00 UTC is 05:00 in Los Angeles (summer time since
        // 8 March), whose day began at 07:00 UTC, whatever the machine's zone.
        let la = Zone::named("America/Los_Angeles").expect("zone");
        assert_eq!(
            since("today", now, &la).as_deref(),
            Ok("2026-03-10T07:00:00Z")
        );
        for bad in ["yesterday", "-3d", "2026-3-2", "d", ""] {
            assert!(since(bad, now, &utc).is_err(), "{bad}");
        }
    }

    #[test]
    fn statuses_and_directions_are_checked_and_uppercased() {
        assert_eq!(status("missed").as_deref(), Ok("MISSED"));
        assert_eq!(status("voicemail").as_deref(), Ok("VOICEMAIL"));
        let e = status("LOST").expect_err("bad");
        assert!(
            e.contains("\"LOST\"") && e.contains("MISSED_CALL_HANDLED"),
            "{e}"
        );
        assert_eq!(direction("inbound").as_deref(), Ok("INBOUND"));
        assert!(direction("sideways").is_err());
    }
}
