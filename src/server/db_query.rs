//! The list and stats endpoints as SQL: parsed filters become a `WHERE` over indexed columns,
//! sort keys an `ORDER BY`, a page `LIMIT`/`OFFSET` (from the nearest row already answered,
//! `page_marks`), the report a `GROUP BY status`.

use chrono::{DateTime, NaiveDate, TimeDelta, Utc};
use rusqlite::Connection;
use rusqlite::types::Value as Sql;

use super::db::millis;
use super::page_marks::{PageMarks, Term};
use super::query::{Bound, Filters, ListQuery, SortField, SortKey, StatsQuery};
#[cfg(test)]
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

/// The list's order as terms: each sort key, then the old newest-first tie-break. Rows are
/// inserted newest first, so rowid order is that tie-break: pages never overlap, and the
/// indexes (which end in rowid) can walk the whole order.
fn order_terms(sort: &[SortKey]) -> Vec<Term> {
    let mut terms = Vec::with_capacity(sort.len() + 2);
    for k in sort {
        let col = column(k.field);
        if k.field == SortField::HandledAt {
            // Calls never handled go last whichever way the sort goes.
            terms.push(Term {
                expr: format!("{col} IS NULL"),
                desc: false,
            });
        }
        terms.push(Term {
            expr: col.to_string(),
            desc: k.desc,
        });
    }
    terms.push(Term {
        expr: "rowid".into(),
        desc: false,
    });
    terms
}

/// One page of calls, filtered and sorted by the query, by plain `OFFSET`: what
/// [`list_marked`] is checked against.
#[cfg(test)]
pub fn list(conn: &Connection, q: &ListQuery) -> rusqlite::Result<Vec<Call>> {
    list_marked(conn, q, &mut PageMarks::default())
}

/// One page of calls, filtered and sorted by the query, read from the nearest row `marks`
/// remembers for this view (see `page_marks`); the page's first and last rows are
/// remembered in turn. The same rows as [`list`], in the same order.
#[cfg(test)]
pub fn list_marked(
    conn: &Connection,
    q: &ListQuery,
    marks: &mut PageMarks,
) -> rusqlite::Result<Vec<Call>> {
    page_bodies(conn, q, marks)?
        .iter()
        .map(|text| super::db::parse_body(text))
        .collect()
}

/// [`list_marked`]'s page as the stored bodies, not yet parsed (`db::parse_body` reads
/// each): the server parses them after it lets go of the connection, so the next page's
/// query need not wait for that.
pub fn page_bodies(
    conn: &Connection,
    q: &ListQuery,
    marks: &mut PageMarks,
) -> rusqlite::Result<Vec<String>> {
    let w = filters(&q.filters);
    let terms = order_terms(&q.sort);
    let order: Vec<String> = terms
        .iter()
        .map(|t| format!("{} {}", t.expr, if t.desc { "DESC" } else { "ASC" }))
        .collect();
    let order = order.join(", ");
    let position = (q.page - 1).saturating_mul(q.per_page);
    let view = format!("{}\u{0}{order}\u{0}{:?}", w.sql(), w.params);
    let start = marks.start(conn.total_changes(), &view, &terms, position);
    let mut clauses = w.clauses;
    let mut params = w.params;
    if let Some(cond) = start.cond {
        clauses.push(cond);
        params.extend(start.params);
    }
    let filter = Where {
        clauses,
        params: Vec::new(),
    };
    // Page through the order's values only (index work, no call bodies), then read the
    // page's bodies.
    let columns: Vec<&str> = terms.iter().map(|t| t.expr.as_str()).collect();
    let sql = format!(
        "SELECT {} FROM calls{} ORDER BY {order} LIMIT ? OFFSET ?",
        columns.join(", "),
        filter.sql(),
    );
    params.push(Sql::Integer(i64::try_from(q.per_page).unwrap_or(i64::MAX)));
    params.push(Sql::Integer(i64::try_from(start.skip).unwrap_or(i64::MAX)));
    let mut stmt = conn.prepare_cached(&sql)?;
    let keys = stmt
        .query_map(rusqlite::params_from_iter(params), |r| {
            (0..terms.len())
                .map(|i| r.get::<_, Sql>(i))
                .collect::<rusqlite::Result<Vec<Sql>>>()
        })?
        .collect::<rusqlite::Result<Vec<Vec<Sql>>>>()?;
    let mut body = conn.prepare_cached("SELECT body FROM calls WHERE rowid = ?1")?;
    let bodies = keys
        .iter()
        .map(|key| body.query_row([&key[terms.len() - 1]], |r| r.get::<_, String>(0)))
        .collect::<rusqlite::Result<Vec<String>>>()?;
    if let (Some(first), Some(last)) = (keys.first(), keys.last()) {
        marks.remember(&view, position, keys.len(), first.clone(), last.clone());
    }
    Ok(bodies)
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
