//! A tab's order: the columns the server can sort by and the `sort=` parameter.

use std::cmp::Ordering;

use serde::{Deserialize, Serialize};

use crate::api::CallFields;
use crate::api::model::parse_time;

/// Columns the server can sort by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SortColumn {
    CreatedAt,
    UpdatedAt,
    Duration,
    Status,
    Direction,
    FromNumber,
    ToNumber,
    HandledAt,
}

impl SortColumn {
    pub const ALL: [SortColumn; 8] = [
        SortColumn::CreatedAt,
        SortColumn::UpdatedAt,
        SortColumn::Duration,
        SortColumn::Status,
        SortColumn::Direction,
        SortColumn::FromNumber,
        SortColumn::ToNumber,
        SortColumn::HandledAt,
    ];

    /// The API's name, used in `sort=`.
    pub fn api_name(self) -> &'static str {
        match self {
            SortColumn::CreatedAt => "created_at",
            SortColumn::UpdatedAt => "updated_at",
            SortColumn::Duration => "duration",
            SortColumn::Status => "status",
            SortColumn::Direction => "direction",
            SortColumn::FromNumber => "from_number",
            SortColumn::ToNumber => "to_number",
            SortColumn::HandledAt => "handled_at",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            SortColumn::CreatedAt => "time (age)",
            SortColumn::UpdatedAt => "last updated",
            SortColumn::Duration => "duration",
            SortColumn::Status => "status",
            SortColumn::Direction => "direction",
            SortColumn::FromNumber => "from number",
            SortColumn::ToNumber => "to number",
            SortColumn::HandledAt => "handled at",
        }
    }
}

/// A tab's order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Sort {
    pub column: SortColumn,
    pub desc: bool,
}

impl Default for Sort {
    fn default() -> Self {
        Self {
            column: SortColumn::CreatedAt,
            desc: true,
        }
    }
}

impl Sort {
    pub fn param(self) -> String {
        format!(
            "{}:{}",
            self.column.api_name(),
            if self.desc { "desc" } else { "asc" }
        )
    }

    pub fn describe(self) -> String {
        match (self.column, self.desc) {
            (SortColumn::CreatedAt, true) => "newest first".to_string(),
            (SortColumn::CreatedAt, false) => "oldest first".to_string(),
            (c, desc) => format!("by {} {}", c.label(), if desc { "↓" } else { "↑" }),
        }
    }
}

impl Sort {
    /// Orders two loaded calls as the server orders them for `sort=`, so a call changed here
    /// takes the place a reload would give it. Calls without `handled_at` go last either
    /// way, as the server puts them.
    pub fn compare<A, B>(self, a: &A, b: &B) -> Ordering
    where
        A: CallFields + ?Sized,
        B: CallFields + ?Sized,
    {
        let time = |t: Option<&str>| t.and_then(parse_time);
        fn text(t: Option<&str>) -> &str {
            t.unwrap_or_default()
        }
        let ord = match self.column {
            SortColumn::CreatedAt => time(a.created_at()).cmp(&time(b.created_at())),
            SortColumn::UpdatedAt => time(a.updated_at()).cmp(&time(b.updated_at())),
            SortColumn::Duration => a.duration().cmp(&b.duration()),
            SortColumn::Status => a.status().cmp(&b.status()),
            SortColumn::Direction => a.direction().cmp(&b.direction()),
            SortColumn::FromNumber => text(a.from_number()).cmp(text(b.from_number())),
            SortColumn::ToNumber => text(a.to_number()).cmp(text(b.to_number())),
            SortColumn::HandledAt => match (time(a.handled_at()), time(b.handled_at())) {
                (Some(x), Some(y)) => x.cmp(&y),
                (Some(_), None) => return Ordering::Less,
                (None, Some(_)) => return Ordering::Greater,
                (None, None) => Ordering::Equal,
            },
        };
        if self.desc { ord.reverse() } else { ord }
    }
}
