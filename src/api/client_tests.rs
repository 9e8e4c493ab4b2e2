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

/// The `Authorization` header is built once per client, and is what reqwest's `bearer_auth`
/// builds for each request: the same bytes, marked sensitive (never shown in a log). A token
/// no header can carry has none, and each request refuses it as before.
#[test]
fn the_bearer_header_is_built_once_as_bearer_auth_builds_it() {
    install_tls();
    let token = Secret::new("tok-123.abc");
    let built = bearer(&token).expect("a header value");
    let request = reqwest::Client::new()
        .get("http://127.0.0.1/")
        .bearer_auth(token.expose())
        .build()
        .expect("request");
    let theirs = &request.headers()[reqwest::header::AUTHORIZATION];
    assert_eq!(built, theirs);
    assert!(built.is_sensitive() && theirs.is_sensitive());
    assert!(bearer(&Secret::new("two\nlines")).is_none());
}
