//! What the user narrowed a tab to with `f`, and how it reads on screen.

use serde::{Deserialize, Serialize};

use super::DateRange;
use crate::domain::people::People;

/// What the user narrowed a tab to with `f`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ViewFilter {
    /// Any of these (empty: the tab's own).
    pub statuses: Vec<String>,
    pub direction: Option<String>,
    pub date: Option<DateRange>,
    pub staff: Option<String>,
}

impl ViewFilter {
    pub fn is_empty(&self) -> bool {
        *self == ViewFilter::default()
    }

    /// One line for the screen: `status MISSED · 7d · staff Grace Lee` (the uid when the
    /// roster does not have them).
    pub fn describe(&self, people: &People) -> String {
        let mut parts = Vec::new();
        if !self.statuses.is_empty() {
            parts.push(format!("status {}", self.statuses.join(",")));
        }
        if let Some(d) = &self.direction {
            parts.push(d.to_lowercase());
        }
        if let Some(d) = &self.date {
            parts.push(d.to_string());
        }
        if let Some(s) = &self.staff {
            parts.push(format!("staff {}", people.staff_label(s)));
        }
        parts.join(" · ")
    }
}
