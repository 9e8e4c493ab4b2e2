//! Fixtures shared by the tests of `console::app`, one family for each way the tests were
//! written (the varied page the screens draw; calls needing a follow-up and their answers; the
//! form and its save). A test file imports one family with a glob.

pub mod follow_up;
pub mod form;
pub mod pages;
pub mod screen;
