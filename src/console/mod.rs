//! The console itself, as an Elm-style loop: the model and `update` (`app`), its vocabulary
//! (`msg`), the runtime that performs effects and feeds results back (`runtime`), the key
//! map, the edit form's state, and the terminal it takes over.

pub mod app;
pub mod benchlog;
pub mod form;
pub mod keys;
pub mod msg;
pub mod runtime;
pub mod terminal;
