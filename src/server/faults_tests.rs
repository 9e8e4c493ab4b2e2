//! Fault specs, their spread over requests, and targeting a path.

use super::*;

fn at(path: &str) -> SeenRequest {
    SeenRequest {
        method: "GET".into(),
        path: path.into(),
        query: None,
        on_behalf_of: None,
    }
}

#[test]
fn a_fault_can_target_a_path() {
    let f: Fault = "status=404:path=/platform/v1/clients"
        .parse()
        .expect("path");
    assert_eq!(f.path.as_deref(), Some("/platform/v1/clients"));
    let err = "status=404:path=clients"
        .parse::<Fault>()
        .expect_err("relative");
    assert!(err.contains("must start with /"), "{err}");
    let state = FaultState::new(vec![f]);
    let hit = |path| !state.record(&Method::GET, at(path), None).is_empty();
    assert!(!hit("/v3/communication/voice_calls"));
    assert!(hit("/platform/v1/clients/abc"));
    assert!(!hit("/platform/v1/businesses/b/staffs"));
    assert_eq!(state.seen("/platform/v1").len(), 2);
    assert_eq!(state.seen("/").len(), 3);
}

#[test]
fn specs_parse_or_say_why_not() {
    let f: Fault = "status=503:rate=0.5".parse().expect("status");
    assert_eq!(f.kind, FaultKind::Status(503));
    assert!((f.rate - 0.5).abs() < f64::EPSILON);
    let f: Fault = "latency=2s:method=put:after".parse().expect("latency");
    assert_eq!(f.kind, FaultKind::Latency(Duration::from_secs(2)));
    assert_eq!(f.method, Some(Method::PUT));
    assert!(f.after);
    assert_eq!("html:skip=2".parse::<Fault>().expect("skip").skip, 2);
    assert_eq!(
        "drip".parse::<Fault>().expect("drip").kind,
        FaultKind::Drip(Duration::from_millis(100))
    );
    assert_eq!(
        "huge=chunked".parse::<Fault>().expect("huge").kind,
        FaultKind::Huge { length: false }
    );
    assert_eq!(
        "gzip".parse::<Fault>().expect("gzip").kind,
        FaultKind::Gzip {
            label: Some("gzip".into())
        }
    );
    assert_eq!(
        "gzip=none".parse::<Fault>().expect("gzip").kind,
        FaultKind::Gzip { label: None }
    );
    assert_eq!(
        "stats-count=\"many\"".parse::<Fault>().expect("lie").kind,
        FaultKind::StatsCount(serde_json::json!("many"))
    );
    for (bad, says) in [
        ("stats-count=many", "not a JSON value"),
        ("stats-count", "needs a value"),
        ("status=abc", "not an HTTP status"),
        ("latency", "needs a value"),
        ("latency=fast", "not a duration"),
        ("status=503:rate=2", "from 0 to 1"),
        ("teapot", "unknown fault \"teapot\""),
        ("html:sometimes", "unknown option"),
        ("html:skip=-1", "not a whole number"),
    ] {
        let err = bad.parse::<Fault>().expect_err(bad);
        assert!(err.contains(says), "{bad}: {err}");
    }
}

#[test]
fn rate_spreads_evenly_starting_with_the_first() {
    let state = FaultState::new(vec!["status=503:rate=0.5".parse().expect("fault")]);
    let hits: Vec<bool> = (0..4)
        .map(|_| !state.record(&Method::GET, at("/v3/x"), None).is_empty())
        .collect();
    assert_eq!(hits, [true, false, true, false]);
    assert_eq!(state.requests("get"), 4);
}

#[test]
fn skip_lets_the_first_requests_through() {
    let state = FaultState::new(vec!["status=503:method=GET:skip=2".parse().expect("fault")]);
    let hits: Vec<bool> = (0..4)
        .map(|_| !state.record(&Method::GET, at("/v3/x"), None).is_empty())
        .collect();
    assert_eq!(hits, [false, false, true, true]);
    assert!(
        state.record(&Method::PUT, at("/v3/x"), None).is_empty(),
        "other methods do not count"
    );
}

#[test]
fn faults_switched_on_a_running_server_count_from_zero() {
    let state = FaultState::new(Vec::new());
    assert!(state.record(&Method::GET, at("/v3/x"), None).is_empty());
    state.set_faults(vec!["truncate:rate=0.5".parse().expect("fault")]);
    assert!(
        !state.record(&Method::GET, at("/v3/x"), None).is_empty(),
        "the first one after the switch"
    );
    assert!(state.record(&Method::GET, at("/v3/x"), None).is_empty());
    state.set_faults(Vec::new());
    assert!(state.record(&Method::GET, at("/v3/x"), None).is_empty());
    assert_eq!(state.requests("GET"), 4, "counts are kept");
}
