//! callconsole: a terminal console for the vcita / inTandem voice-call API.
//!
//! The library holds everything; `main.rs` only parses arguments and hands over. Tests reach
//! the same pieces the binary uses: the API client, the embedded server, the `update` loop.

pub mod api;
pub mod cli;
pub mod config;
pub mod console;
pub mod domain;
#[cfg(test)]
mod hostile_tests;
pub mod persist;
pub mod script;
pub mod server;
#[cfg(test)]
mod test_support;
pub mod ui;
