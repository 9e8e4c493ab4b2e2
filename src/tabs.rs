//! The triage views: the six tabs, each with its own list, selection, filter and sort, and how
//! a tab's settings become the server's `filter[...]` and `sort=` parameters. Pure data.

use std::collections::{BTreeSet, HashSet};
use std::fmt;

use chrono::{DateTime, FixedOffset, NaiveDate, TimeDelta, Utc};
use serde::{Deserialize, Serialize};

use crate::api::model::StatusKind;
use crate::api::{ListQuery, Stats, VoiceCall};
use crate::calls::CallList;
use crate::msg::RequestId;
use crate::rules;

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

    pub fn direction(self) -> Option<&'static str> {
        (self == TabId::Outbound).then_some("OUTBOUND")
    }

    /// The view's count from the stats report; `None` when the report cannot say (outbound
    /// calls are not counted per direction).
    pub fn count_from(self, stats: &Stats) -> Option<u64> {
        let total = || -> u64 {
            stats
                .status_counts
                .iter()
                .filter_map(|c| c.count)
                .map(|n| n.max(0) as u64)
                .sum()
        };
        match self {
            TabId::Outbound => None,
            TabId::All => Some(
                stats
                    .total_voice_calls
                    .map(|n| n.max(0) as u64)
                    .unwrap_or_else(total),
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
                    .filter_map(|c| c.count)
                    .map(|n| n.max(0) as u64)
                    .sum(),
            ),
        }
    }
}

/// A date range the user typed: `today`, `7d`, or `2026-03-01..2026-03-31`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub enum DateRange {
    Today,
    LastDays(u32),
    Between(NaiveDate, NaiveDate),
}

impl DateRange {
    pub fn parse(text: &str) -> Result<Self, String> {
        let t = text.trim();
        let wrong = || {
            format!(
                "date \"{t}\" is not understood: use today, 7d (the last 7 days) or 2026-03-01..2026-03-31"
            )
        };
        if t.eq_ignore_ascii_case("today") {
            return Ok(DateRange::Today);
        }
        if let Some(n) = t.strip_suffix(['d', 'D']) {
            let days: u32 = n.parse().map_err(|_| wrong())?;
            if !(1..=3660).contains(&days) {
                return Err(format!(
                    "date \"{t}\": the number of days must be 1 to 3660"
                ));
            }
            return Ok(DateRange::LastDays(days));
        }
        let (a, b) = t.split_once("..").unwrap_or((t, t));
        let day = |s: &str| NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d").map_err(|_| wrong());
        let (from, to) = (day(a)?, day(b)?);
        if from > to {
            return Err(format!("date \"{t}\": the first day is after the last"));
        }
        Ok(DateRange::Between(from, to))
    }

    /// `[start, end)` in UTC, days taken in the user's time zone.
    pub fn bounds(
        &self,
        now: DateTime<Utc>,
        tz: FixedOffset,
    ) -> (DateTime<Utc>, Option<DateTime<Utc>>) {
        let start_of = |d: NaiveDate| {
            d.and_time(chrono::NaiveTime::MIN)
                .and_local_timezone(tz)
                .single()
                .map_or(now, |t| t.with_timezone(&Utc))
        };
        let today = now.with_timezone(&tz).date_naive();
        match self {
            DateRange::Today => (start_of(today), None),
            DateRange::LastDays(n) => (start_of(today - TimeDelta::days(i64::from(*n) - 1)), None),
            DateRange::Between(a, b) => (start_of(*a), Some(start_of(*b + TimeDelta::days(1)))),
        }
    }
}

impl fmt::Display for DateRange {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DateRange::Today => write!(f, "today"),
            DateRange::LastDays(n) => write!(f, "{n}d"),
            DateRange::Between(a, b) if a == b => write!(f, "{a}"),
            DateRange::Between(a, b) => write!(f, "{a}..{b}"),
        }
    }
}

impl TryFrom<String> for DateRange {
    type Error = String;
    fn try_from(s: String) -> Result<Self, String> {
        DateRange::parse(&s)
    }
}

impl From<DateRange> for String {
    fn from(d: DateRange) -> String {
        d.to_string()
    }
}

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

    /// One line for the screen: `status MISSED · 7d · staff s-1`.
    pub fn describe(&self) -> String {
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
            parts.push(format!("staff {s}"));
        }
        parts.join(" · ")
    }
}

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
    /// Selected call uids (Space / V).
    pub selected: BTreeSet<String>,
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
            selected: BTreeSet::new(),
            selecting_all: false,
            new_uids: HashSet::new(),
            loaded: false,
            refreshing: None,
        }
    }

    /// The list request for `page`: the tab's own limits narrowed by the user's filter.
    /// `Err` when the two exclude each other (nothing could match).
    pub fn query(
        &self,
        page: u32,
        per_page: u32,
        now: DateTime<Utc>,
        tz: FixedOffset,
    ) -> Result<ListQuery, String> {
        let f = &self.settings.filter;
        let mut filters = Vec::new();
        let base = self.id.statuses();
        let statuses: Vec<String> = if f.statuses.is_empty() {
            base.iter().map(|s| s.to_string()).collect()
        } else if base.is_empty() {
            f.statuses.clone()
        } else {
            let both: Vec<String> = f
                .statuses
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
        };
        if !statuses.is_empty() {
            filters.push(("status".to_string(), None, statuses.join(",")));
        }
        let direction = match (self.id.direction(), f.direction.as_deref()) {
            (Some(a), Some(b)) if a != b => {
                return Err(format!(
                    "the {} view never shows {b} calls; clear the direction filter",
                    self.id.title()
                ));
            }
            (Some(a), _) => Some(a.to_string()),
            (None, b) => b.map(str::to_string),
        };
        if let Some(d) = direction {
            filters.push(("direction".to_string(), None, d));
        }
        if let Some(range) = &f.date {
            let (start, end) = range.bounds(now, tz);
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

    /// Whether a call still belongs in this view, judged on what is loaded (a refresh drops
    /// calls handled since).
    pub fn admits(&self, call: &VoiceCall) -> bool {
        self.id.admits(call)
    }
}

impl TabId {
    /// Whether a call belongs in this view by its status and direction; see [`Tab::admits`].
    pub fn admits(self, call: &VoiceCall) -> bool {
        let statuses = self.statuses();
        let status_ok = statuses.is_empty()
            || call
                .status
                .as_ref()
                .is_some_and(|s| statuses.contains(&s.as_str()));
        let direction_ok = self
            .direction()
            .is_none_or(|d| call.direction.as_ref().is_some_and(|x| x.as_str() == d));
        status_ok && direction_ok
    }
}

/// Missed or voicemail and not yet handled.
pub fn needs_follow_up(call: &VoiceCall) -> bool {
    matches!(
        call.status.as_ref().map(|s| s.kind()),
        Some(StatusKind::Missed | StatusKind::Voicemail)
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::model::StatusCount;

    fn now() -> DateTime<Utc> {
        DateTime::parse_from_rfc3339("2026-03-10T15:00:00Z")
            .unwrap()
            .with_timezone(&Utc)
    }

    #[test]
    fn date_ranges_parse_and_print_back() {
        for text in ["today", "7d", "2026-03-01..2026-03-31", "2026-03-02"] {
            let d = DateRange::parse(text).unwrap();
            assert_eq!(DateRange::parse(&d.to_string()).unwrap(), d, "{text}");
        }
        for bad in [
            "",
            "yesterday",
            "0d",
            "2026-13-01",
            "2026-03-05..2026-03-01",
        ] {
            let e = DateRange::parse(bad).unwrap_err();
            assert!(e.contains("date"), "{bad}: {e}");
        }
    }

    #[test]
    fn date_bounds_follow_the_local_day() {
        let tz = FixedOffset::west_opt(5 * 3600).unwrap();
        let (start, end) = DateRange::Today.bounds(now(), tz);
        assert_eq!(start.to_rfc3339(), "2026-03-10T05:00:00+00:00");
        assert_eq!(end, None);
        let (start, end) = DateRange::parse("2026-03-01..2026-03-02")
            .unwrap()
            .bounds(now(), tz);
        assert_eq!(start.to_rfc3339(), "2026-03-01T05:00:00+00:00");
        assert_eq!(end.unwrap().to_rfc3339(), "2026-03-03T05:00:00+00:00");
        let (start, _) = DateRange::LastDays(7).bounds(now(), tz);
        assert_eq!(start.to_rfc3339(), "2026-03-04T05:00:00+00:00");
    }

    #[test]
    fn queries_combine_the_tab_and_the_filter() {
        let tz = FixedOffset::east_opt(0).unwrap();
        let mut tab = Tab::new(TabId::FollowUp, TabSettings::default());
        let q = tab.query(2, 50, now(), tz).unwrap();
        assert_eq!(q.page, 2);
        assert_eq!(q.sort.as_deref(), Some("created_at:desc"));
        assert_eq!(
            q.filters,
            vec![(
                "status".to_string(),
                None,
                "MISSED,VOICEMAIL_RECEIVED,VOICEMAIL".to_string()
            )]
        );
        tab.settings.filter.statuses = vec!["MISSED".into(), "ANSWERED_BY_STAFF".into()];
        tab.settings.filter.staff = Some("s-1".into());
        tab.settings.filter.date = Some(DateRange::Today);
        tab.settings.sort = Sort {
            column: SortColumn::CreatedAt,
            desc: false,
        };
        let q = tab.query(1, 50, now(), tz).unwrap();
        assert_eq!(q.sort.as_deref(), Some("created_at:asc"));
        assert!(
            q.filters
                .contains(&("status".into(), None, "MISSED".into()))
        );
        assert!(
            q.filters
                .contains(&("staff_uid".into(), None, "s-1".into()))
        );
        assert!(q.filters.contains(&(
            "created_at".into(),
            Some("gte".into()),
            "2026-03-10T00:00:00Z".into()
        )));
        tab.settings.filter.statuses = vec!["ANSWERED_BY_STAFF".into()];
        assert!(tab.query(1, 50, now(), tz).unwrap_err().contains("never"));

        let mut out = Tab::new(TabId::Outbound, TabSettings::default());
        let q = out.query(1, 50, now(), tz).unwrap();
        assert_eq!(
            q.filters,
            vec![("direction".into(), None, "OUTBOUND".into())]
        );
        out.settings.filter.direction = Some("INBOUND".into());
        assert!(out.query(1, 50, now(), tz).is_err());
    }

    #[test]
    fn counts_come_from_the_report() {
        let stats = Stats {
            status_counts: [
                ("MISSED", 4),
                ("VOICEMAIL", 2),
                ("VOICEMAIL_RECEIVED", 1),
                ("MISSED_CALL_HANDLED", 9),
                ("ANSWERED_BY_STAFF", 20),
            ]
            .into_iter()
            .map(|(s, n)| StatusCount {
                status: Some(s.into()),
                count: Some(n),
            })
            .collect(),
            total_voice_calls: Some(36),
            ..Stats::default()
        };
        let counts: Vec<Option<u64>> = TabId::ALL.iter().map(|t| t.count_from(&stats)).collect();
        assert_eq!(
            counts,
            vec![Some(7), Some(36), Some(4), Some(3), Some(9), None]
        );
    }

    #[test]
    fn settings_survive_a_round_trip() {
        let s = TabSettings {
            filter: ViewFilter {
                statuses: vec!["MISSED".into()],
                direction: Some("INBOUND".into()),
                date: Some(DateRange::LastDays(7)),
                staff: None,
            },
            sort: Sort {
                column: SortColumn::Duration,
                desc: false,
            },
        };
        let text = serde_json::to_string(&s).unwrap();
        assert_eq!(serde_json::from_str::<TabSettings>(&text).unwrap(), s);
        assert_eq!(s.filter.describe(), "status MISSED · inbound · 7d");
    }
}
