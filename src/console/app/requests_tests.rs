//! Replies are routed by their request id alone.

use crate::console::app::test_fixtures::follow_up::*;
use crate::console::app::{Purpose, Requests};

#[test]
fn a_reply_is_routed_once_by_its_id() {
    let mut requests = Requests::default();
    let sent = now();
    let a = requests.start(Purpose::Counts, sent);
    let b = requests.start(Purpose::Page { tab: 2 }, sent);
    assert_ne!(a, b);
    assert_eq!(requests.since(b), Some(sent));
    assert_eq!(requests.len(), 2);
    assert!(requests.any(&Purpose::Page { tab: 2 }));
    assert_eq!(requests.finish(b), Some(Purpose::Page { tab: 2 }));
    assert_eq!(requests.since(b), None, "no longer out");
    assert_eq!(requests.finish(b), None, "a second reply is not routed");
    assert_eq!(requests.finish(RequestId(99)), None);
    assert_eq!(requests.len(), 1);
}

/// A reply whose id the console never gave out, or gave out for something else, changes
/// nothing: it is routed by its id, and only logged.
#[test]
fn a_reply_is_routed_by_its_request_id() {
    let mut app = loaded_with(session(), (120, 30), calls(0..5));
    let before = app.list().len();
    let stranger = RequestId(9_999);
    app.update(page_loaded(stranger, 1, calls(10..15)));
    assert_eq!(
        app.list().len(),
        before,
        "an unknown id's page is not taken"
    );
    let logged = app.log().len();
    // The counts' report id answering as a page is not taken as a page either.
    let (_, effects) = start(session(), (120, 30));
    let counts = stats_fetch(&effects).expect("counts asked");
    let (mut fresh, _) = start(session(), (120, 30));
    fresh.update(page_loaded(counts, 1, calls(0..3)));
    assert!(
        fresh.list().is_empty(),
        "a report's id does not load a page"
    );
    assert!(app.log().len() >= logged);
}
