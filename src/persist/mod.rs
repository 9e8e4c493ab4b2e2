//! Files the console keeps on disk, each written atomically and privately: drafts of unsent
//! edits, the tabs' filters and sort, the list cache for a fast start.

pub mod cache;
pub mod drafts;
pub mod fsutil;
pub mod kept;
pub mod people;
pub mod remembered;
pub mod state;
