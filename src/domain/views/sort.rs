//! A tab's order: the columns the server can sort by and the `sort=` parameter.

use serde::{Deserialize, Serialize};

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
