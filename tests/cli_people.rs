//! People and places in the scripting commands: `calls list` names the client and who
//! handled each call, and shows times in the zone the console shows them in. The real binary
//! against a real `callconsole serve` process.

#[path = "support/cli.rs"]
mod cli;
mod common;

use serde_json::Value;

use cli::{TOKEN, cc, field, json, ok, parse_csv};

/// People, not uids, in scripts too: the table's CLIENT and HANDLED BY columns, CSV's
/// `client` and `handled_by`, JSON's `client_name` and `handled_by_name` beside the server's
/// fields; names come from the demo business's people endpoints and are kept for next time.
#[test]
fn list_names_the_client_and_who_handled_it() {
    let server = common::serve(TOKEN, 200);
    let seed: Value = serde_json::from_str(include_str!("../assets/demo/seed.json")).expect("seed");
    let names = |kind: &str| -> Vec<String> {
        seed[kind]
            .as_array()
            .expect("people")
            .iter()
            .filter_map(|p| p["name"].as_str().map(str::to_string))
            .collect()
    };
    let (clients, staff) = (names("clients"), names("staff"));
    let handled = json(
        &server,
        &[
            "calls",
            "list",
            "--status",
            "MISSED_CALL_HANDLED",
            "--limit",
            "5",
            "--format",
            "json",
        ],
    );
    assert!(!handled.is_empty());
    for call in &handled {
        let client = call["client_name"].as_str().expect("a client name");
        assert!(clients.iter().any(|n| n == client), "{client}");
        let handler = call["handled_by_name"].as_str().expect("a handler name");
        assert!(staff.iter().any(|n| n == handler), "{handler}");
        assert!(
            field(call, "client_uid").len() > 10,
            "the server's uid stays"
        );
    }
    let csv = ok(
        &server,
        &[
            "calls",
            "list",
            "--status",
            "MISSED_CALL_HANDLED",
            "--limit",
            "5",
            "--format",
            "csv",
        ],
    );
    let records = parse_csv(&csv);
    let col = |name: &str| records[0].iter().position(|h| h == name).expect(name);
    let (client, handler) = (col("client"), col("handled_by"));
    for r in &records[1..] {
        assert!(clients.contains(&r[client]), "{r:?}");
        assert!(staff.contains(&r[handler]), "{r:?}");
    }
}

/// `calls list` shows times in the zone the console shows them in: the `time_zone` setting
/// (else the business's as last learned, else the machine's), not the machine's alone.
#[test]
fn list_shows_times_in_the_time_zone_setting() {
    let server = common::serve(TOKEN, 20);
    let calls = json(
        &server,
        &["calls", "list", "--limit", "1", "--format", "json"],
    );
    let created = field(&calls[0], "created_at");
    let t = chrono::DateTime::parse_from_rfc3339(created).expect("created_at");
    let table = |zone: &str| {
        let out = cc(
            &server,
            &["calls", "list", "--limit", "1"],
            &[("CALLCONSOLE_TIME_ZONE", zone)],
        );
        assert_eq!(out.code, 0, "{}", out.stderr);
        out.stdout
    };
    // Tokyo is UTC+9 all year, Reykjavik UTC+0: the same call, nine hours apart.
    let tokyo = (t + chrono::TimeDelta::hours(9))
        .format("%Y-%m-%d %H:%M")
        .to_string();
    let utc = t.format("%Y-%m-%d %H:%M").to_string();
    let in_tokyo = table("Asia/Tokyo");
    assert!(in_tokyo.contains(&tokyo), "{tokyo} in {in_tokyo}");
    let in_reykjavik = table("Atlantic/Reykjavik");
    assert!(in_reykjavik.contains(&utc), "{utc} in {in_reykjavik}");
}
