//! `cargo fuzz run envelope`: the list and call answer parsers on arbitrary bodies.
#![no_main]

#[path = "bodies.rs"]
mod bodies;

libfuzzer_sys::fuzz_target!(|data: &[u8]| bodies::envelope(data));
