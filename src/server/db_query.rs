//! The list and stats endpoints as SQL: parsed filters become a `WHERE` over indexed columns,
//! sort keys an `ORDER BY`, a page `LIMIT`/`OFFSET`, the report a `GROUP BY status`.

use chrono::{DateTime, NaiveDate, TimeDelta, Utc};
use rusqlite::Connection;
use rusqlite::types::Value as Sql;

use super::db::{self, millis};
use super::query::{Bound, Filters, ListQuery, SortField, StatsQuery};
use super::store::Call;

/// A `WHERE` clause (empty or starting with " WHERE") and its parameters.
#[derive(Default)]
struct Where {
    clauses: Vec<String>,
    params: Vec<Sql>,
}

impl Where {
    fn any_of(&mut self, column: &str, values: &Option<Vec<String>>) {
        let Some(values) = values else { return };
        let marks = vec!["?"; values.len()].join(",");
        self.clauses.push(format!("{column} IN ({marks})"));
        self.params
            .extend(values.iter().map(|v| Sql::Text(v.clone())));
    }

    fn bound(&mut self, column: &str, b: Bound) {
        // Stored times are whole milliseconds; round the bound so the integer comparison
        // admits exactly the times the instant comparison would.
        let (op, ms) = match b {
            Bound::AtLeast(t) => (">=", ceil_ms(t)),
            Bound::After(t) => (">", millis(t)),
            Bound::AtMost(t) => ("<=", millis(t)),
            Bound::Before(t) => ("<", ceil_ms(t)),
        };
        self.clauses.push(format!("{column} {op} ?"));
        self.params.push(Sql::Integer(ms));
    }

    fn sql(&self) -> String {
        if self.clauses.is_empty() {
            String::new()
        } else {
            format!(" WHERE {}", self.clauses.join(" AND "))
        }
    }
}

/// The smallest whole millisecond at or after `t` (`timestamp_millis` floors).
fn ceil_ms(t: DateTime<Utc>) -> i64 {
    let floor = millis(t);
    if t.timestamp_subsec_nanos().is_multiple_of(1_000_000) {
        floor
    } else {
        floor + 1
    }
}

fn filters(f: &Filters) -> Where {
    let mut w = Where::default();
    w.any_of("status", &f.status);
    w.any_of("direction", &f.direction);
    w.any_of("staff_uid", &f.staff_uid);
    w.any_of("client_uid", &f.client_uid);
    w.any_of("handled_by_staff_uid", &f.handled_by_staff_uid);
    w.any_of("from_number", &f.from_number);
    w.any_of("to_number", &f.to_number);
    for b in &f.created_at {
        w.bound("created_at", *b);
    }
    for b in &f.updated_at {
        w.bound("updated_at", *b);
    }
    w
}

fn column(field: SortField) -> &'static str {
    match field {
        SortField::CreatedAt => "created_at",
        SortField::UpdatedAt => "updated_at",
        SortField::Duration => "duration",
        SortField::Status => "status",
        SortField::Direction => "direction",
        SortField::FromNumber => "from_number",
        SortField::ToNumber => "to_number",
        SortField::HandledAt => "handled_at",
    }
}

/// One page of calls, filtered and sorted by the query.
pub fn list(conn: &Connection, q: &ListQuery) -> rusqlite::Result<Vec<Call>> {
    let w = filters(&q.filters);
    let mut order: Vec<String> = Vec::new();
    for k in &q.sort {
        let col = column(k.field);
        let dir = if k.desc { "DESC" } else { "ASC" };
        if k.field == SortField::HandledAt {
            // Calls never handled go last whichever way the sort goes.
            order.push(format!("{col} IS NULL"));
        }
        order.push(format!("{col} {dir}"));
    }
    // Rows are inserted newest first, so rowid order is the old newest-first tie-break:
    // pages never overlap, and the indexes (which end in rowid) can still walk the order.
    order.push("rowid ASC".into());
    // Page through rowids only (index work, no call bodies), then read the page's bodies.
    let sql = format!(
        "SELECT rowid FROM calls{} ORDER BY {} LIMIT ? OFFSET ?",
        w.sql(),
        order.join(", ")
    );
    let mut params = w.params;
    params.push(Sql::Integer(i64::try_from(q.per_page).unwrap_or(i64::MAX)));
    let skip = (q.page - 1).saturating_mul(q.per_page);
    params.push(Sql::Integer(i64::try_from(skip).unwrap_or(i64::MAX)));
    let mut stmt = conn.prepare_cached(&sql)?;
    let ids = stmt
        .query_map(rusqlite::params_from_iter(params), |r| r.get::<_, i64>(0))?
        .collect::<rusqlite::Result<Vec<i64>>>()?;
    let mut body = conn.prepare_cached("SELECT body FROM calls WHERE rowid = ?1")?;
    ids.iter()
        .map(|id| db::parse_body(&body.query_row([id], |r| r.get::<_, String>(0))?))
        .collect()
}

/// One row of the report: a status, how many calls have it, and their first and last day.
pub struct StatusRow {
    pub status: String,
    pub count: u64,
    pub first: NaiveDate,
    pub last: NaiveDate,
}

fn day(ms: i64) -> NaiveDate {
    DateTime::from_timestamp_millis(ms)
        .unwrap_or_default()
        .date_naive()
}

/// Counts per status over the report's days (inclusive) and status.
pub fn stats(conn: &Connection, q: &StatsQuery) -> rusqlite::Result<Vec<StatusRow>> {
    let mut w = Where::default();
    let start_of = |d: NaiveDate| d.and_time(chrono::NaiveTime::MIN).and_utc();
    if let Some(s) = q.start_date {
        w.bound("created_at", Bound::AtLeast(start_of(s)));
    }
    if let Some(e) = q.end_date {
        w.bound(
            "created_at",
            Bound::Before(start_of(e) + TimeDelta::days(1)),
        );
    }
    if let Some(s) = &q.status {
        w.any_of("status", &Some(vec![s.clone()]));
    }
    let sql = format!(
        "SELECT status, count(*), min(created_at), max(created_at) FROM calls{} GROUP BY status",
        w.sql()
    );
    let mut stmt = conn.prepare_cached(&sql)?;
    let rows = stmt.query_map(rusqlite::params_from_iter(w.params), |r| {
        Ok(StatusRow {
            status: r.get(0)?,
            count: u64::try_from(r.get::<_, i64>(1)?).unwrap_or(0),
            first: day(r.get(2)?),
            last: day(r.get(3)?),
        })
    })?;
    rows.collect()
}

#[cfg(test)]
#[path = "db_query_tests.rs"]
mod tests;
