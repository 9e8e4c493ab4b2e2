//! The rules of the call log, with no I/O and no screen: calls stored once and the views
//! over them, the 17 update fields and their rules, search, what text may reach the screen,
//! and the save policy.

pub mod callback;
pub mod caller;
pub mod calls;
pub mod dial;
pub mod fields;
pub mod handling;
pub mod interner;
pub mod journal;
pub mod people;
pub mod people_lookup;
pub mod phone;
pub mod remembered;
pub mod returned;
pub mod rules;
pub mod sanitize;
pub mod save;
pub mod search;
pub mod tries;
pub mod views;
pub mod voicemail;
pub mod when;
pub mod zone;

/// Identifies one request, so a reply to a request that is no longer current can be dropped.
/// Here, not in the console, because the views' paging state (`calls::Flight`, a view's
/// refresh) names the requests it waits for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct RequestId(pub u64);
