//! The rules of the call log, with no I/O and no screen: calls stored once and the views
//! over them, the 17 update fields and their rules, search, what text may reach the screen,
//! and the save policy.

pub mod calls;
pub mod fields;
pub mod phone;
pub mod rules;
pub mod sanitize;
pub mod save;
pub mod search;
pub mod views;
