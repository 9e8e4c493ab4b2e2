//! Query-string parsing for the list and stats endpoints: `page`, `per_page`, `sort`,
//! bracketed `filter[...]` keys and report dates, each bad value answered by name.

#[cfg(test)]
use std::cmp::Ordering;

use chrono::{DateTime, NaiveDate, TimeDelta, Utc};

#[cfg(test)]
use super::store::Call;
use crate::domain::rules;

/// A query parameter the server cannot honour; becomes a 422 naming `param`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QueryError {
    pub param: String,
    pub message: String,
}

fn err(param: &str, message: String) -> QueryError {
    QueryError {
        param: param.to_string(),
        message,
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SortField {
    CreatedAt,
    UpdatedAt,
    Duration,
    Status,
    Direction,
    FromNumber,
    ToNumber,
    HandledAt,
}

const SORT_FIELDS: [(&str, SortField); 8] = [
    ("created_at", SortField::CreatedAt),
    ("updated_at", SortField::UpdatedAt),
    ("duration", SortField::Duration),
    ("status", SortField::Status),
    ("direction", SortField::Direction),
    ("from_number", SortField::FromNumber),
    ("to_number", SortField::ToNumber),
    ("handled_at", SortField::HandledAt),
];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SortKey {
    pub field: SortField,
    pub desc: bool,
}

impl SortKey {
    /// Compares two calls by this key; calls without `handled_at` go last either way. The
    /// meaning `db_query` renders as SQL, kept to check that rendering against.
    #[cfg(test)]
    pub fn compare(self, a: &Call, b: &Call) -> Ordering {
        let ord = match self.field {
            SortField::CreatedAt => a.created_at.cmp(&b.created_at),
            SortField::UpdatedAt => a.updated_at.cmp(&b.updated_at),
            SortField::Duration => a.duration.cmp(&b.duration),
            SortField::Status => a.status.cmp(&b.status),
            SortField::Direction => a.direction.cmp(&b.direction),
            SortField::FromNumber => a.from_number.cmp(&b.from_number),
            SortField::ToNumber => a.to_number.cmp(&b.to_number),
            SortField::HandledAt => match (a.handled_at, b.handled_at) {
                (Some(x), Some(y)) => x.cmp(&y),
                (Some(_), None) => return Ordering::Less,
                (None, Some(_)) => return Ordering::Greater,
                (None, None) => Ordering::Equal,
            },
        };
        if self.desc { ord.reverse() } else { ord }
    }
}

/// One bound on a timestamp field, already turned into an instant.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Bound {
    AtLeast(DateTime<Utc>),
    After(DateTime<Utc>),
    AtMost(DateTime<Utc>),
    Before(DateTime<Utc>),
}

impl Bound {
    #[cfg(test)]
    fn admits(self, t: DateTime<Utc>) -> bool {
        match self {
            Bound::AtLeast(x) => t >= x,
            Bound::After(x) => t > x,
            Bound::AtMost(x) => t <= x,
            Bound::Before(x) => t < x,
        }
    }
}

/// Filters on the list; every given filter must hold. Value lists mean "any of".
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Filters {
    pub status: Option<Vec<String>>,
    pub direction: Option<Vec<String>>,
    pub staff_uid: Option<Vec<String>>,
    pub client_uid: Option<Vec<String>>,
    pub handled_by_staff_uid: Option<Vec<String>>,
    /// Exact numbers, as the calls hold them (E.164).
    pub from_number: Option<Vec<String>>,
    pub to_number: Option<Vec<String>>,
    pub created_at: Vec<Bound>,
    pub updated_at: Vec<Bound>,
}

impl Filters {
    /// The meaning `db_query` renders as SQL, kept to check that rendering against.
    #[cfg(test)]
    pub fn matches(&self, c: &Call) -> bool {
        let any = |list: &Option<Vec<String>>, v: Option<&str>| {
            list.as_ref()
                .is_none_or(|l| v.is_some_and(|v| l.iter().any(|x| x == v)))
        };
        any(&self.status, Some(&c.status))
            && any(&self.direction, Some(&c.direction))
            && any(&self.staff_uid, Some(&c.staff_uid))
            && any(&self.client_uid, Some(&c.client_uid))
            && any(
                &self.handled_by_staff_uid,
                c.handled_by_staff_uid.as_deref(),
            )
            && any(&self.from_number, Some(&c.from_number))
            && any(&self.to_number, Some(&c.to_number))
            && self.created_at.iter().all(|b| b.admits(c.created_at))
            && self.updated_at.iter().all(|b| b.admits(c.updated_at))
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct ListQuery {
    pub page: usize,
    pub per_page: usize,
    pub sort: Vec<SortKey>,
    pub filters: Filters,
}

const LIST_FILTERS: &str = "status, direction, staff_uid, client_uid, handled_by_staff_uid, \
     from_number, to_number, created_at, updated_at";

pub(super) fn whole_number(param: &str, value: &str, max: usize) -> Result<usize, QueryError> {
    value
        .parse::<usize>()
        .ok()
        .filter(|n| (1..=max).contains(n))
        .ok_or_else(|| {
            err(
                param,
                format!("{param} must be a whole number from 1 to {max} (got \"{value}\")"),
            )
        })
}

fn parse_sort(value: &str) -> Result<Vec<SortKey>, QueryError> {
    let names: Vec<&str> = SORT_FIELDS.iter().map(|(n, _)| *n).collect();
    let mut keys = Vec::new();
    for part in value.split(',').map(str::trim) {
        let (name, dir) = part.split_once(':').unwrap_or((part, "asc"));
        let Some(&(_, field)) = SORT_FIELDS.iter().find(|(n, _)| *n == name) else {
            return Err(err(
                "sort",
                format!(
                    "sort field \"{name}\" is not sortable; use one of {}",
                    names.join(", ")
                ),
            ));
        };
        let desc = match dir {
            "asc" => false,
            "desc" => true,
            _ => {
                return Err(err(
                    "sort",
                    format!("sort direction \"{dir}\" for {name} must be asc or desc"),
                ));
            }
        };
        keys.push(SortKey { field, desc });
    }
    Ok(keys)
}

pub(super) fn parse_date(value: &str) -> Option<NaiveDate> {
    // chrono alone would accept "2026-3-2"; the API documents exactly YYYY-MM-DD.
    let shaped = value.len() == 10
        && value.bytes().enumerate().all(|(i, b)| match i {
            4 | 7 => b == b'-',
            _ => b.is_ascii_digit(),
        });
    shaped
        .then(|| NaiveDate::parse_from_str(value, "%Y-%m-%d").ok())
        .flatten()
}

fn start_of(d: NaiveDate) -> DateTime<Utc> {
    d.and_time(chrono::NaiveTime::MIN).and_utc()
}

/// A date bound covers whole days: `lte 2026-03-02` includes all of that day, `gt` starts the
/// day after. An RFC 3339 value is compared as the exact instant.
fn parse_bound(param: &str, op: &str, value: &str) -> Result<Bound, QueryError> {
    if let Some(d) = parse_date(value) {
        let day = start_of(d);
        let next = day + TimeDelta::days(1);
        return Ok(match op {
            "gte" => Bound::AtLeast(day),
            "gt" => Bound::AtLeast(next),
            "lte" => Bound::Before(next),
            _ => Bound::Before(day),
        });
    }
    let t = DateTime::parse_from_rfc3339(value)
        .map(|t| t.with_timezone(&Utc))
        .map_err(|_| {
            err(
                param,
                format!(
                    "{param} must be a date like 2026-03-02 or an RFC 3339 time like \
                     2026-03-02T15:04:05Z (got \"{value}\")"
                ),
            )
        })?;
    Ok(match op {
        "gte" => Bound::AtLeast(t),
        "gt" => Bound::After(t),
        "lte" => Bound::AtMost(t),
        _ => Bound::Before(t),
    })
}

fn value_list(
    param: &str,
    value: &str,
    check: impl Fn(&str) -> Result<(), String>,
) -> Result<Vec<String>, QueryError> {
    let items: Vec<String> = value.split(',').map(|s| s.trim().to_string()).collect();
    if items.iter().any(String::is_empty) {
        return Err(err(
            param,
            format!("{param} needs a value, or a comma list of values"),
        ));
    }
    for item in &items {
        check(item).map_err(|m| err(param, m))?;
    }
    Ok(items)
}

fn apply_filter(filters: &mut Filters, key: &str, value: &str) -> Result<(), QueryError> {
    // key is what follows "filter[": "status]" or "created_at][gte]".
    let (field, rest) = key.split_once(']').unwrap_or((key, ""));
    let op = rest.strip_prefix('[').and_then(|r| r.strip_suffix(']'));
    let param = format!("filter[{key}");
    let unknown = || {
        err(
            &param,
            format!("{param} is not a known filter; filter by one of {LIST_FILTERS}"),
        )
    };
    match (field, op, rest) {
        ("created_at" | "updated_at", Some(op @ ("gte" | "lte" | "gt" | "lt")), _) => {
            let bound = parse_bound(&param, op, value)?;
            let list = if field == "created_at" {
                &mut filters.created_at
            } else {
                &mut filters.updated_at
            };
            list.push(bound);
        }
        ("created_at" | "updated_at", _, _) => {
            return Err(err(
                &param,
                format!("{param} needs an operator: filter[{field}][gte|lte|gt|lt]=2026-03-02"),
            ));
        }
        (_, _, "") => {
            let slot = match field {
                "status" => {
                    filters.status = Some(value_list(&param, value, |s| {
                        if rules::is_known_status(s) {
                            Ok(())
                        } else {
                            Err(format!(
                                "{param} value \"{s}\" is not a status; use {}, {}",
                                rules::STATUSES.join(", "),
                                rules::VOICEMAIL_ALT
                            ))
                        }
                    })?);
                    return Ok(());
                }
                "direction" => {
                    filters.direction = Some(value_list(&param, value, |s| {
                        if rules::is_known_direction(s) {
                            Ok(())
                        } else {
                            Err(format!(
                                "{param} value \"{s}\" is not a direction; use INBOUND, OUTBOUND"
                            ))
                        }
                    })?);
                    return Ok(());
                }
                "staff_uid" => &mut filters.staff_uid,
                "client_uid" => &mut filters.client_uid,
                "handled_by_staff_uid" => &mut filters.handled_by_staff_uid,
                "from_number" => &mut filters.from_number,
                "to_number" => &mut filters.to_number,
                _ => return Err(unknown()),
            };
            *slot = Some(value_list(&param, value, |_| Ok(()))?);
        }
        _ => return Err(unknown()),
    }
    Ok(())
}

/// Parses the list query. Unknown plain parameters are ignored, as web APIs commonly do;
/// unknown filters are refused, because silently ignoring one would return the wrong calls.
pub fn parse_list(raw: &str) -> Result<ListQuery, QueryError> {
    let mut q = ListQuery {
        page: 1,
        per_page: 25,
        sort: vec![SortKey {
            field: SortField::UpdatedAt,
            desc: true,
        }],
        filters: Filters::default(),
    };
    for (key, value) in url::form_urlencoded::parse(raw.as_bytes()) {
        match key.as_ref() {
            "page" => q.page = whole_number("page", &value, 10_000)?,
            "per_page" => q.per_page = whole_number("per_page", &value, 100)?,
            "sort" => q.sort = parse_sort(&value)?,
            k => {
                if let Some(rest) = k.strip_prefix("filter[") {
                    apply_filter(&mut q.filters, rest, &value)?;
                } else if k == "filter" {
                    return Err(err(
                        "filter",
                        format!(
                            "filter must name a field, like filter[status]=MISSED; fields: {LIST_FILTERS}"
                        ),
                    ));
                }
            }
        }
    }
    Ok(q)
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StatsQuery {
    pub start_date: Option<NaiveDate>,
    pub end_date: Option<NaiveDate>,
    pub status: Option<String>,
}

/// Parses the stats report query: inclusive `YYYY-MM-DD` dates and one optional status.
pub fn parse_stats(raw: &str) -> Result<StatsQuery, QueryError> {
    let mut q = StatsQuery {
        start_date: None,
        end_date: None,
        status: None,
    };
    for (key, value) in url::form_urlencoded::parse(raw.as_bytes()) {
        match key.as_ref() {
            k @ ("start_date" | "end_date") => {
                let d = parse_date(&value).ok_or_else(|| {
                    err(k, format!("{k} must be a date in YYYY-MM-DD form, like 2026-03-02 (got \"{value}\")"))
                })?;
                if k == "start_date" {
                    q.start_date = Some(d)
                } else {
                    q.end_date = Some(d)
                }
            }
            "status" => {
                if !rules::is_known_status(&value) {
                    return Err(err(
                        "status",
                        format!(
                            "status must be one of {}, {} (got \"{value}\")",
                            rules::STATUSES.join(", "),
                            rules::VOICEMAIL_ALT
                        ),
                    ));
                }
                q.status = Some(value.into_owned());
            }
            _ => {}
        }
    }
    if let (Some(s), Some(e)) = (q.start_date, q.end_date)
        && s > e
    {
        return Err(err(
            "start_date",
            format!("start_date {s} is after end_date {e}"),
        ));
    }
    Ok(q)
}

#[cfg(test)]
#[path = "query_tests.rs"]
mod tests;
