//! The `cargo fuzz` targets' checks (fuzz/fuzz_targets/bodies.rs) run on a few seeds, so they
//! build with the rest of the tests and a change to the library API cannot silently break them.

#[path = "../fuzz/fuzz_targets/bodies.rs"]
mod bodies;

const SEEDS: [&[u8]; 9] = [
    b"",
    b"plain text",
    b"\x1b]52;c;ZXZpbA==\x07\x1b[2J\xc2\x9b31m\xe2\x80\xae",
    b"\x1b]\x1bP\x1b_\x1b^\x1bX\x1b",
    b"\xff\xfe not utf-8 \xc2\x9d0;t\xc2\x9c",
    b"\x00{\"success\":true,\"data\":{\"voice_calls\":[{\"uid\":\"a\\u001b]0;x\\u0007\"},1]}}",
    b"\x03{\"success\":false,\"errors\":[{\"message\":\"m\\u009b2J\\u202e\",\"code\":7}]}",
    b"\x04<html>\x1b]0;proxy\x07</html>",
    b"\x00[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[",
];

#[test]
fn sanitize_target_holds_on_seeds() {
    for seed in SEEDS {
        bodies::sanitize(seed);
    }
}

#[test]
fn envelope_target_holds_on_seeds() {
    for seed in SEEDS {
        bodies::envelope(seed);
    }
}
