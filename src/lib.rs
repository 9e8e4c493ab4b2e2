//! callconsole: a terminal console for the vcita / inTandem voice-call API.
//!
//! The library holds everything; `main.rs` only parses arguments and hands over. Tests reach
//! the same pieces the binary uses: the API client, the embedded server, the `update` loop.

pub mod api;
pub mod app;
pub mod benchlog;
pub mod cache;
pub mod calls;
pub mod cli;
pub mod config;
pub mod connect;
pub mod doctor;
pub mod domain;
pub mod form;
pub mod fsutil;
#[cfg(test)]
mod hostile_tests;
pub mod keys;
pub mod msg;
pub mod rules;
pub mod runtime;
pub mod sanitize;
pub mod script;
pub mod search;
pub mod secret;
pub mod server;
pub mod state;
pub mod tabs;
pub mod terminal;
#[cfg(test)]
mod test_support;
pub mod ui;
