//! A server asking to slow down, driven through `App::update`: the batch's limit halves and
//! the status bar says so, the request goes again after the wait (longer each time), and a
//! load stopped meanwhile does not ask again.

use std::time::Duration;

use crossterm::event::KeyCode;

use crate::api::ApiError;
use crate::console::app::App;
use crate::console::app::test_fixtures::pages::{
    self, exchange, page_answer, page_fetches as fetches,
};
use crate::console::msg::{Effect, Msg, RequestId};
use crate::domain::calls::Paging;
use crate::test_support::key;

const PER_PAGE: usize = 20;
/// More calls than any of these tests pages through: every page is full.
const TOTAL: usize = 10_000;

/// A full page `page`.
fn answer(req: RequestId, page: u32) -> Msg {
    page_answer(req, page, PER_PAGE, TOTAL)
}

/// A console showing page 1, with `max_in_flight` as given.
fn started(max_in_flight: usize) -> App {
    pages::started(PER_PAGE, TOTAL, max_in_flight)
}

/// The server's 429 for `(req, page)`, "retry after `secs`", as the runtime hands it back.
fn slow_down(effects: &[Effect], (req, page): (RequestId, u32), secs: u64) -> Msg {
    let retry = effects
        .iter()
        .find(|e| matches!(e, Effect::FetchPage { req: r, .. } if *r == req))
        .cloned()
        .expect("the page's effect");
    Msg::SlowDown {
        req,
        exchange: exchange(page, 429),
        error: ApiError::SlowDown {
            status: 429,
            wait: Duration::from_secs(secs),
        },
        retry: Box::new(retry),
    }
}

#[test]
fn a_slow_down_halves_the_pages_out_and_retries_after_the_wait() {
    let mut app = started(4);
    let effects = app.update(key(KeyCode::Char('V')));
    let out = fetches(&effects);
    assert_eq!(
        out.iter().map(|o| o.1).collect::<Vec<_>>(),
        vec![2, 3, 4, 5]
    );

    let retry = app.update(slow_down(&effects, out[1], 2));
    let [Effect::Retry { req, after, effect }] = retry.as_slice() else {
        panic!("one retry, after the wait: {retry:?}");
    };
    assert_eq!((*req, *after), (out[1].0, Duration::from_secs(2)));
    assert_eq!(
        app.notice(),
        Some("server asked to slow down: pages 2 at a time")
    );
    // Page 2 goes in; 3 waits, 4 and 5 are out: nothing more asked for at 2 at a time.
    assert!(fetches(&app.update(answer(out[0].0, 2))).is_empty());
    // The wait is over, but two are still out beside it: it looks again shortly.
    let later = app.update(Msg::RetryDue {
        req: *req,
        effect: effect.clone(),
    });
    assert!(
        matches!(later.as_slice(), [Effect::Retry { after, .. }] if *after < Duration::from_secs(1)),
        "{later:?}"
    );
    // Page 4 answers (held until 3 is in): one beside it now, so it goes.
    assert!(fetches(&app.update(answer(out[2].0, 4))).is_empty());
    let again = app.update(Msg::RetryDue {
        req: *req,
        effect: effect.clone(),
    });
    assert_eq!(fetches(&again), vec![out[1]], "the same request, again");
    // The same page slowed down again: the wait doubles, the limit halves to one.
    let retry = app.update(slow_down(&again, out[1], 2));
    assert!(
        matches!(retry.as_slice(), [Effect::Retry { after, .. }] if *after == Duration::from_secs(4)),
        "{retry:?}"
    );
    assert_eq!(
        app.notice(),
        Some("server asked to slow down: pages 1 at a time")
    );
    app.update(answer(out[1].0, 3));
    let next = fetches(&app.update(answer(out[3].0, 5)));
    assert_eq!(
        next.iter().map(|o| o.1).collect::<Vec<_>>(),
        vec![6],
        "one at a time"
    );
    assert_eq!(app.list().len(), 5 * PER_PAGE);
    // A new select all starts at the full pace again.
    app.update(key(KeyCode::Esc));
    let effects = app.update(key(KeyCode::Char('V')));
    assert_eq!(fetches(&effects).len(), 4, "{effects:?}");
}

#[test]
fn a_slowed_page_of_a_load_stopped_meanwhile_is_not_asked_again() {
    let mut app = started(2);
    let effects = app.update(key(KeyCode::Char('V')));
    let out = fetches(&effects);
    assert_eq!(out.len(), 2, "max_in_flight = 2");
    let retry = app.update(slow_down(&effects, out[0], 1));
    let [Effect::Retry { req, effect, .. }] = retry.as_slice() else {
        panic!("{retry:?}");
    };
    app.update(key(KeyCode::Esc));
    assert!(matches!(app.list().paging, Paging::Idle { next: 2 }));
    let again = app.update(Msg::RetryDue {
        req: *req,
        effect: effect.clone(),
    });
    assert!(again.is_empty(), "{again:?}");
}

#[test]
fn a_request_slowed_down_too_often_fails_as_its_answer() {
    let mut app = started(1);
    let effects = app.update(key(KeyCode::Char('V')));
    let out = fetches(&effects);
    let mut current = effects;
    for _ in 0..super::MAX_SLOW_DOWNS {
        let retry = app.update(slow_down(&current, out[0], 0));
        let [Effect::Retry { req, effect, .. }] = retry.as_slice() else {
            panic!("{retry:?}");
        };
        current = app.update(Msg::RetryDue {
            req: *req,
            effect: effect.clone(),
        });
    }
    app.update(slow_down(&current, out[0], 0));
    assert!(
        matches!(&app.list().paging, Paging::Failed { page: 2, error } if error.status() == Some(429)),
        "{:?}",
        app.list().paging
    );
}
