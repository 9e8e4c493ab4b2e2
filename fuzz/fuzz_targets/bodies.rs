//! The fuzz targets' checks, shared with `tests/fuzz_bodies.rs` so they keep compiling
//! against the library without a nightly toolchain.
#![allow(dead_code)] // each fuzz target uses one of the two checks

use callconsole::api::decode;
use callconsole::domain::sanitize::{clean, is_unsafe, single_line};

/// Any text: the output holds no control or bidi character, and cleaning twice changes nothing.
pub fn sanitize(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let once = clean(&text);
    assert!(!once.chars().any(is_unsafe), "unsafe char left in {once:?}");
    assert_eq!(clean(&once), once, "not idempotent for {text:?}");
    let line = single_line(&once);
    assert!(!line.chars().any(char::is_control), "control in {line:?}");
}

/// Any body with any status: the list and call parsers answer without panicking, and
/// everything they produce that reaches the screen is clean.
pub fn envelope(data: &[u8]) {
    let (status, body) = match data.split_first() {
        // The first byte picks a status, so error envelopes are fuzzed too.
        Some((s, rest)) => ([200, 201, 400, 422, 502][usize::from(*s) % 5], rest),
        None => (200, data),
    };
    let safe = |s: &str| !s.chars().any(is_unsafe);
    match decode::list_page(status, body) {
        Ok(page) => {
            for call in &page.calls {
                let texts = [
                    &call.uid,
                    &call.call_summary,
                    &call.from_number,
                    &call.client_uid,
                ];
                assert!(
                    texts.iter().all(|t| t.as_deref().is_none_or(safe)),
                    "{call:?}"
                );
            }
        }
        Err(e) => {
            let shown = e.to_string();
            assert!(
                !shown.chars().any(char::is_control) && safe(&shown),
                "{shown:?}"
            );
        }
    }
    if let Err(e) = decode::call(status, body) {
        let shown = e.to_string();
        assert!(
            !shown.chars().any(char::is_control) && safe(&shown),
            "{shown:?}"
        );
    }
}
