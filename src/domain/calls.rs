//! The views' lists over the one [`CallStore`]: which calls each view lists (by id), the
//! cursor, the scroll window and the paging state for infinite scroll. Pure data;
//! `App::update` drives it.

use crate::api::ApiError;

mod flight;
mod groups;
mod incoming;
mod list;
mod packed;
mod shared;
mod shared_known;
mod slot_set;
mod store;
mod tail;
mod uids;
mod view;
mod window;
pub use flight::Flight;
pub use groups::{Group, Groups, Row};
pub use incoming::{Incoming, packed_call, packed_record};
pub use list::CallList;
pub use packed::PackedCall;
pub use store::{CallId, CallStore};
pub use view::ListView;
pub use window::Window;

/// Where loading the next page stands. An enum, not flags: exactly one is true.
#[derive(Debug, Clone, PartialEq)]
pub enum Paging {
    /// More pages may exist; `next` is the one to ask for.
    Idle { next: u32 },
    /// Page requests are out (one while scrolling, several while loading the whole view);
    /// only their replies are accepted, and pages are appended in order.
    Loading(Flight),
    /// The last request failed; moving to the end again retries it.
    Failed { page: u32, error: ApiError },
    /// The server gave a short page: everything is here.
    Complete,
}
