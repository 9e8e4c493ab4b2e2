//! Tests for the token's side of loading settings: the private-file rule, `token_command`'s
//! place in the order, the starter's mode, and `Debug` output that never holds the token.

use std::path::Path;

use super::layers_tests::load_with;
use super::*;

#[cfg(unix)]
#[test]
fn a_token_in_a_file_others_can_read_is_refused() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("config.toml");
    let flags = Flags {
        config: Some(path.clone()),
        ..Flags::default()
    };
    let load = || Config::load(&flags, &|_| None);
    std::fs::write(&path, "page_size = 20\n").expect("write");
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).expect("chmod");
    assert!(load().is_ok(), "no token: nothing to protect");
    std::fs::write(&path, "token = \"file-token-abcd\"\n").expect("write");
    let err = load().expect_err("refused");
    let msg = err.to_string();
    assert!(
        msg.contains("0644") && msg.contains(&format!("chmod 600 {}", path.display())),
        "{msg}"
    );
    assert!(!msg.contains("file-token"), "{msg}");
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600)).expect("chmod");
    assert_eq!(
        load().expect("private now").token.map(|(_, s)| s),
        Some(TokenSource::ConfigFile)
    );
}

#[test]
fn token_command_beats_the_file_and_its_failure_is_a_config_error() {
    let text = "token = \"file-token\"\ntoken_command = \"echo cmd-token-wxyz\"\n";
    let c = load_with(Some(text), &[]).expect("loads");
    let (token, source) = c.token.expect("token");
    assert_eq!(
        (token.expose(), source),
        ("cmd-token-wxyz", TokenSource::Command)
    );
    let c = load_with(Some(text), &[("CALLCONSOLE_TOKEN", "env-token")]).expect("loads");
    assert_eq!(c.token.map(|(_, s)| s), Some(TokenSource::Env));
    let err =
        load_with(Some("token_command = \"echo nope >&2; exit 7\"\n"), &[]).expect_err("fails");
    let msg = err.to_string();
    assert!(
        msg.contains("(token_command)") && msg.contains("status 7: nope"),
        "{msg}"
    );
}

#[cfg(unix)]
#[test]
fn the_starter_is_private_in_a_private_dir() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("cfg/config.toml");
    write_starter(&path).expect("writes");
    let mode = |p: &Path| std::fs::metadata(p).expect("meta").permissions().mode() & 0o777;
    assert_eq!(mode(&path), 0o600);
    assert_eq!(mode(&dir.path().join("cfg")), 0o700);
}

#[test]
fn debug_output_never_holds_the_token() {
    let token = "debug-token-6f5e4d3c";
    let c = load_with(Some(""), &[("CALLCONSOLE_TOKEN", token)]).expect("loads");
    let client = crate::api::ApiClient::new(crate::api::ClientOptions::new(
        c.base_url.clone(),
        c.token.clone().expect("token").0,
    ))
    .expect("client");
    for shown in [format!("{c:?}"), format!("{c:#?}"), format!("{client:?}")] {
        assert!(!shown.contains(token), "{shown}");
        assert!(shown.contains("…4d3c"), "still tells tokens apart: {shown}");
    }
}
