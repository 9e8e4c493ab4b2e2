//! The client's own small rules: limits in whole seconds, uids kept inside the path.

use super::*;

#[test]
fn limits_are_told_in_whole_seconds_rounded_up() {
    use std::time::Duration;
    assert_eq!(super::whole_secs(Duration::from_millis(400)), 1);
    assert_eq!(super::whole_secs(Duration::from_secs(30)), 30);
    assert_eq!(super::whole_secs(Duration::from_millis(5001)), 6);
}

#[test]
fn uids_cannot_escape_the_path() {
    assert_eq!(
        call_path("a/../b"),
        "/v3/communication/voice_calls/a%2F..%2Fb"
    );
}

#[test]
fn a_space_in_a_uid_is_percent_20_and_a_plus_stays_a_plus() {
    assert_eq!(call_path("a b"), "/v3/communication/voice_calls/a%20b");
    assert_eq!(call_path("a+b"), "/v3/communication/voice_calls/a%2Bb");
    assert_eq!(
        call_path("x?y#z%é"),
        "/v3/communication/voice_calls/x%3Fy%23z%25%C3%A9"
    );
}
