//! The triage views: the six tabs, each with its own list, selection, filter and sort, and how
//! a tab's settings become the server's `filter[...]` and `sort=` parameters. Pure data.

use std::collections::HashSet;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::api::model::{Count, StatusCount, StatusKind};
use crate::api::{CallFields, ListQuery, Stats};
use crate::domain::RequestId;
use crate::domain::calls::{CallId, CallList};
use crate::domain::rules;
use crate::domain::zone::Zone;

mod date;
mod filter;
mod sort;
pub use date::DateRange;
pub use filter::ViewFilter;
pub use sort::{Sort, SortColumn};

/// Statuses that still need a call back.
const FOLLOW_UP: [&str; 3] = ["MISSED", "VOICEMAIL_RECEIVED", rules::VOICEMAIL_ALT];
const VOICEMAIL: [&str; 2] = ["VOICEMAIL_RECEIVED", rules::VOICEMAIL_ALT];

/// One of the views across the top.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum TabId {
    FollowUp,
    All,
    Missed,
    Voicemail,
    Handled,
    Outbound,
}

impl TabId {
    pub const ALL: [TabId; 6] = [
        TabId::FollowUp,
        TabId::All,
        TabId::Missed,
        TabId::Voicemail,
        TabId::Handled,
        TabId::Outbound,
    ];

    pub fn title(self) -> &'static str {
        match self {
            TabId::FollowUp => "Needs follow-up",
            TabId::All => "All",
            TabId::Missed => "Missed",
            TabId::Voicemail => "Voicemail",
            TabId::Handled => "Handled",
            TabId::Outbound => "Outbound",
        }
    }

    /// The name where the full one does not fit (an 80-column title bar).
    pub fn short_title(self) -> &'static str {
        match self {
            TabId::FollowUp => "Follow-up",
            other => other.title(),
        }
    }

    /// The shortest name still told apart (a 60-column title bar).
    pub fn abbreviation(self) -> &'static str {
        match self {
            TabId::FollowUp => "F-up",
            TabId::All => "All",
            TabId::Missed => "Miss",
            TabId::Voicemail => "VM",
            TabId::Handled => "Done",
            TabId::Outbound => "Out",
        }
    }

    pub fn index(self) -> usize {
        TabId::ALL.iter().position(|t| *t == self).unwrap_or(0)
    }

    /// The statuses this view is limited to (empty: any).
    pub fn statuses(self) -> &'static [&'static str] {
        match self {
            TabId::FollowUp => &FOLLOW_UP,
            TabId::Missed => &FOLLOW_UP[..1],
            TabId::Voicemail => &VOICEMAIL,
            TabId::Handled => &["MISSED_CALL_HANDLED"],
            TabId::All | TabId::Outbound => &[],
        }
    }

    /// The direction this view is limited to: the inbox lists calls that came in (our own
    /// call-backs nobody answered are `MISSED` too, and nobody calls those back).
    pub fn direction(self) -> Option<&'static str> {
        match self {
            TabId::Outbound => Some("OUTBOUND"),
            TabId::FollowUp => Some("INBOUND"),
            _ => None,
        }
    }

    /// The view's count from the stats report; `None` when the report cannot say (it counts
    /// by status, not direction: the outbound view, and the inbox, which leaves out outbound
    /// calls nobody answered) or cannot be believed (a count in it is invalid): the tab then
    /// counts what is loaded, as with no report.
    pub fn count_from(self, stats: &Stats) -> Option<u64> {
        if !stats.usable() {
            return None;
        }
        let valid = |c: &StatusCount| c.count.and_then(Count::valid).unwrap_or(0);
        match self {
            TabId::Outbound | TabId::FollowUp => None,
            TabId::All => Some(
                stats
                    .total_voice_calls
                    .and_then(Count::valid)
                    .unwrap_or_else(|| stats.status_counts.iter().map(valid).sum()),
            ),
            tab => Some(
                stats
                    .status_counts
                    .iter()
                    .filter(|c| {
                        c.status
                            .as_deref()
                            .is_some_and(|s| tab.statuses().contains(&s))
                    })
                    .map(valid)
                    .sum(),
            ),
        }
    }
}

/// What is saved per tab across restarts.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct TabSettings {
    pub filter: ViewFilter,
    pub sort: Sort,
}

/// One view: its calls, cursor, selection and settings.
#[derive(Debug, Clone)]
pub struct Tab {
    pub id: TabId,
    pub list: CallList,
    pub settings: TabSettings,
    /// The selected calls (Space / V): slots in the store, which a listed call keeps (a call
    /// that leaves the view leaves the selection), and never a call without a uid.
    pub selected: HashSet<CallId>,
    /// `V` asked for every call matching the filter: pages still arriving are selected too.
    pub selecting_all: bool,
    /// Calls that arrived with a refresh and have not been looked at yet.
    pub new_uids: HashSet<String>,
    /// The server's list for this tab has been asked for at least once.
    pub loaded: bool,
    /// A refresh of the first page is out; its answer is merged, not replacing the list.
    pub refreshing: Option<RequestId>,
}

impl Tab {
    pub fn new(id: TabId, settings: TabSettings) -> Self {
        Self {
            id,
            list: CallList::default(),
            settings,
            selected: HashSet::new(),
            selecting_all: false,
            new_uids: HashSet::new(),
            loaded: false,
            refreshing: None,
        }
    }

    /// The statuses this view lists: the tab's own narrowed by the user's filter (empty: any).
    /// `Err` when the two exclude each other (nothing could match).
    fn wanted_statuses(&self) -> Result<Vec<String>, String> {
        let f = &self.settings.filter;
        let base = self.id.statuses();
        // Voicemail is one status under two vendor spellings: asking for one asks for both.
        let mut wanted: Vec<String> = Vec::new();
        for s in f.statuses.iter().flat_map(|s| rules::spellings(s)) {
            if !wanted.contains(&s) {
                wanted.push(s);
            }
        }
        Ok(if wanted.is_empty() {
            base.iter().map(|s| s.to_string()).collect()
        } else if base.is_empty() {
            wanted
        } else {
            let both: Vec<String> = wanted
                .iter()
                .filter(|s| base.contains(&s.as_str()))
                .cloned()
                .collect();
            if both.is_empty() {
                return Err(format!(
                    "the {} view never shows status {}; clear the filter (f, then Ctrl-u) or use the All view",
                    self.id.title(),
                    f.statuses.join(",")
                ));
            }
            both
        })
    }

    /// The direction this view lists: the tab's own or the user's filter (`None`: any).
    fn wanted_direction(&self) -> Result<Option<String>, String> {
        Ok(
            match (
                self.id.direction(),
                self.settings.filter.direction.as_deref(),
            ) {
                (Some(a), Some(b)) if a != b => {
                    return Err(format!(
                        "the {} view never shows {b} calls; clear the direction filter",
                        self.id.title()
                    ));
                }
                (Some(a), _) => Some(a.to_string()),
                (None, b) => b.map(str::to_string),
            },
        )
    }

    /// What a call must be to be listed here, the same limits the list request asks the
    /// server for, so a call changed here leaves or joins the views as a reload would show.
    pub fn rule(&self, now: DateTime<Utc>, zone: &Zone) -> ViewRule {
        let f = &self.settings.filter;
        match (self.wanted_statuses(), self.wanted_direction()) {
            (Ok(statuses), Ok(direction)) => ViewRule {
                statuses,
                direction,
                created: f.date.as_ref().map(|d| d.bounds(now, zone)),
                staff: f.staff.clone(),
                sort: self.settings.sort,
                none: false,
            },
            _ => ViewRule {
                none: true,
                ..ViewRule::default()
            },
        }
    }

    /// The list request for `page`: the tab's own limits narrowed by the user's filter.
    /// `Err` when the two exclude each other (nothing could match).
    pub fn query(
        &self,
        page: u32,
        per_page: u32,
        now: DateTime<Utc>,
        zone: &Zone,
    ) -> Result<ListQuery, String> {
        let f = &self.settings.filter;
        let mut filters = Vec::new();
        let statuses = self.wanted_statuses()?;
        if !statuses.is_empty() {
            filters.push(("status".to_string(), None, statuses.join(",")));
        }
        if let Some(d) = self.wanted_direction()? {
            filters.push(("direction".to_string(), None, d));
        }
        if let Some(range) = &f.date {
            let (start, end) = range.bounds(now, zone);
            filters.push((
                "created_at".to_string(),
                Some("gte".to_string()),
                start.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
            ));
            if let Some(end) = end {
                filters.push((
                    "created_at".to_string(),
                    Some("lt".to_string()),
                    end.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
                ));
            }
        }
        if let Some(staff) = &f.staff {
            filters.push(("staff_uid".to_string(), None, staff.clone()));
        }
        Ok(ListQuery {
            page,
            per_page,
            sort: Some(self.settings.sort.param()),
            filters,
        })
    }
}

/// What a call must be to be listed in one view, and the view's order: taken from the tab
/// once, so it can be asked while the tab's list is being changed.
#[derive(Debug, Clone, Default)]
pub struct ViewRule {
    statuses: Vec<String>,
    direction: Option<String>,
    created: Option<(DateTime<Utc>, Option<DateTime<Utc>>)>,
    staff: Option<String>,
    pub sort: Sort,
    /// The tab and the filter exclude each other: nothing is listed.
    none: bool,
}

impl ViewRule {
    /// Whether the call belongs in the view, judged on what is loaded.
    pub fn admits<C: CallFields + ?Sized>(&self, call: &C) -> bool {
        let status_ok = self.statuses.is_empty()
            || call
                .status()
                .is_some_and(|s| self.statuses.iter().any(|w| w == s));
        let direction_ok = self
            .direction
            .as_deref()
            .is_none_or(|d| call.direction() == Some(d));
        let created_ok = self.created.is_none_or(|(start, end)| {
            call.created()
                .is_some_and(|t| t >= start && end.is_none_or(|e| t < e))
        });
        let staff_ok = self
            .staff
            .as_deref()
            .is_none_or(|s| call.staff_uid() == Some(s));
        !self.none && status_ok && direction_ok && created_ok && staff_ok
    }
}

/// Calls per status from a stats report, in the report's order, with the vendor's two
/// voicemail spellings counted as one status (under the first spelling the report used). A
/// row without a count is 0; a row with an invalid one (or merged with one) stays invalid.
pub fn status_counts(stats: &Stats) -> Vec<(String, Count)> {
    let mut rows: Vec<(String, Count)> = Vec::new();
    for c in &stats.status_counts {
        let status = c.status.clone().unwrap_or_else(|| "—".into());
        let n = c.count.unwrap_or(Count::Valid(0));
        let same = rules::spellings(&status);
        match rows.iter_mut().find(|(s, _)| same.contains(s)) {
            Some((_, total)) => *total = total.plus(n),
            None => rows.push((status, n)),
        }
    }
    rows
}

/// The number of the person on the other end: the caller of an inbound call, the one called
/// on an outbound one. How the user names a call.
pub fn other_party<C: CallFields + ?Sized>(call: &C) -> Option<&str> {
    if call.direction() == Some("OUTBOUND") {
        call.to_number()
    } else {
        call.from_number()
    }
}

/// A missed call or voicemail that came in and is not yet handled (an outbound call nobody
/// answered is not waiting for us).
pub fn needs_follow_up<C: CallFields + ?Sized>(call: &C) -> bool {
    matches!(
        call.status_kind(),
        Some(StatusKind::Missed | StatusKind::Voicemail)
    ) && call.direction() != Some("OUTBOUND")
}

#[cfg(test)]
#[path = "views_tests.rs"]
mod tests;
