//! `cargo fuzz run sanitize`: the sanitiser on arbitrary text.
#![no_main]

#[path = "bodies.rs"]
mod bodies;

libfuzzer_sys::fuzz_target!(|data: &[u8]| bodies::sanitize(data));
