//! Loading a whole view several pages at a time, driven through `App::update`: answers in any
//! order go in in page order, a short page or a failure ends it, a new sort drops what is
//! still out, and never more than `max_in_flight` pages are out.

use crate::api::CallFields;
use std::collections::BTreeSet;
use std::time::Duration;

use crossterm::event::KeyCode;
use reqwest::Method;

use crate::api::error::ServerMessage;
use crate::api::model::Status;
use crate::api::{Answer, ApiError, CallPage, Exchange, VoiceCall};
use crate::config::Config;
use crate::console::app::{App, Session};
use crate::console::msg::{Effect, Msg, RequestId};
use crate::domain::calls::{Flight, Paging};
use crate::test_support::{key, list_rows, now, scroll_to_end, utc};

/// `max_in_flight` by default.
const MAX_IN_FLIGHT: usize = 4;

const PER_PAGE: usize = 20;
/// The one call whose number is searched for.
const NEEDLE: usize = 65;

fn call(i: usize) -> VoiceCall {
    let created = (now() - chrono::TimeDelta::minutes(i as i64 + 1)).to_rfc3339();
    VoiceCall {
        uid: Some(uid(i)),
        created_at: Some(created.clone()),
        updated_at: Some(created),
        status: Some(Status("MISSED".into())),
        from_number: Some(if i == NEEDLE {
            "+442079460001".into()
        } else {
            format!("+1415555{:04}", 100 + i)
        }),
        ..Default::default()
    }
}

fn uid(i: usize) -> String {
    format!("call-{i:04}")
}

/// The server's side: `total` calls, [`PER_PAGE`] to a page.
struct Server {
    total: usize,
}

impl Server {
    fn answer(&self, (req, page): (RequestId, u32)) -> Msg {
        let start = ((page as usize - 1) * PER_PAGE).min(self.total);
        let end = (start + PER_PAGE).min(self.total);
        let calls = (start..end).map(call).collect();
        page_answer(
            req,
            page,
            Ok(CallPage {
                calls,
                unreadable: 0,
            }),
        )
    }
}

fn page_answer(req: RequestId, page: u32, result: Result<CallPage, ApiError>) -> Msg {
    let status = match &result {
        Ok(_) => Some(200),
        Err(e) => e.status(),
    };
    Msg::PageLoaded {
        req,
        page,
        answer: Answer {
            exchange: Exchange {
                method: Method::GET,
                path: format!("/v3/communication/voice_calls?page={page}&per_page={PER_PAGE}"),
                status,
                elapsed: Duration::from_millis(12),
                attempts: 1,
            },
            result,
        },
    }
}

fn unavailable() -> ApiError {
    ApiError::Server {
        status: 503,
        messages: vec![ServerMessage {
            code: None,
            message: Some("try later".into()),
            field: None,
        }],
    }
}

/// The list pages asked for (not the one-row "oldest" query), as `(req, page)`.
fn fetches(effects: &[Effect]) -> Vec<(RequestId, u32)> {
    effects
        .iter()
        .filter_map(|e| match e {
            Effect::FetchPage { req, query } if query.per_page > 1 => Some((*req, query.page)),
            _ => None,
        })
        .collect()
}

fn pages(out: &[(RequestId, u32)]) -> Vec<u32> {
    out.iter().map(|(_, p)| *p).collect()
}

fn uids(app: &App) -> Vec<String> {
    app.list()
        .calls()
        .iter()
        .filter_map(|c| c.uid().map(str::to_string))
        .collect()
}

fn selected(app: &App) -> BTreeSet<String> {
    app.selected_uids()
}

/// Pages asked for and not appended yet, out or held.
fn in_flight(app: &App) -> usize {
    match &app.list().paging {
        Paging::Loading(flight) => flight.len(),
        _ => 0,
    }
}

/// An app showing the server's first page, nothing more asked for.
fn started(server: &Server) -> App {
    started_with(server, Config::default().load_limit)
}

/// [`started`], loading at most `load_limit` calls.
fn started_with(server: &Server, load_limit: u64) -> App {
    let session = Session {
        demo: true,
        api_label: "demo server 127.0.0.1:40000".into(),
        config: Config {
            page_size: PER_PAGE as u32,
            refresh_secs: 0,
            load_limit,
            ..Config::default()
        },
        ..Session::default()
    };
    let (mut app, effects) = App::new(session, now(), utc(), list_rows(14), Vec::new());
    let first = fetches(&effects);
    assert_eq!(pages(&first), vec![1]);
    let more = app.update(server.answer(first[0]));
    assert!(fetches(&more).is_empty(), "{more:?}");
    app
}

/// `V`: select all, which asks for the rest of the view.
fn select_all(app: &mut App) -> Vec<(RequestId, u32)> {
    fetches(&app.update(key(KeyCode::Char('V'))))
}

#[test]
fn pages_answered_out_of_order_go_in_in_page_order() {
    let server = Server { total: 200 };
    let mut app = started(&server);
    app.update(key(KeyCode::Char('/')));
    for c in "+442079460001".chars() {
        app.update(key(KeyCode::Char(c)));
    }
    app.update(key(KeyCode::Enter));
    assert!(app.search().matches().is_empty());

    let out = select_all(&mut app);
    assert_eq!(pages(&out), vec![2, 3, 4, 5], "four pages at once");
    // Pages 4 and 3 come back first: held, nothing shown, nothing more asked for.
    assert!(fetches(&app.update(server.answer(out[2]))).is_empty());
    assert!(fetches(&app.update(server.answer(out[1]))).is_empty());
    assert_eq!(app.list().len(), 20);
    assert_eq!(selected(&app).len(), 20);
    assert!(app.search().matches().is_empty());
    // Page 2 arrives: 2, 3 and 4 go in, in order, and the window moves on.
    let more = fetches(&app.update(server.answer(out[0])));
    assert_eq!(uids(&app), (0..80).map(uid).collect::<Vec<_>>());
    assert_eq!(selected(&app), (0..80).map(uid).collect());
    assert_eq!(pages(&more), vec![6, 7, 8]);
    assert_eq!(in_flight(&app), MAX_IN_FLIGHT);
    let found: Vec<usize> = app.search().matches().iter().map(|m| m.index).collect();
    assert_eq!(found, vec![NEEDLE], "the search sees the pages in order");
    assert_eq!(app.list().calls()[NEEDLE].uid(), Some(uid(NEEDLE).as_str()));
}

#[test]
fn select_all_loads_every_page_once_with_at_most_four_out() {
    // Ending on an empty page, and on a short one.
    for total in [7 * PER_PAGE, 7 * PER_PAGE + 13] {
        let server = Server { total };
        let mut app = started(&server);
        let mut out = select_all(&mut app);
        let mut asked = pages(&out);
        // Always the newest request answers first: the worst order.
        while let Some(next) = out.pop() {
            let more = fetches(&app.update(server.answer(next)));
            asked.extend(pages(&more));
            out.extend(more);
            assert!(in_flight(&app) <= MAX_IN_FLIGHT, "{:?}", app.list().paging);
            assert!(out.len() <= MAX_IN_FLIGHT, "{out:?}");
        }
        assert_eq!(uids(&app), (0..total).map(uid).collect::<Vec<_>>());
        assert_eq!(selected(&app), (0..total).map(uid).collect());
        assert_eq!(app.list().paging, Paging::Complete);
        assert!(!app.tab().selecting_all);
        let distinct: BTreeSet<u32> = asked.iter().copied().collect();
        assert_eq!(
            distinct.len(),
            asked.len(),
            "each page asked once: {asked:?}"
        );
        assert_eq!(
            app.notice(),
            Some(
                format!(
                    "all {total} calls in this view selected — h marks them handled, Esc clears"
                )
                .as_str()
            )
        );
    }
}

#[test]
fn a_short_page_ends_the_load_and_later_answers_are_only_logged() {
    let server = Server { total: 50 };
    let mut app = started(&server);
    let out = select_all(&mut app);
    assert_eq!(pages(&out), vec![2, 3, 4, 5]);
    app.update(server.answer(out[3])); // page 5: empty, held
    app.update(server.answer(out[1])); // page 3: short, held
    let logged = app.log().len();
    let more = app.update(server.answer(out[0]));
    assert!(fetches(&more).is_empty(), "{more:?}");
    assert_eq!(uids(&app), (0..50).map(uid).collect::<Vec<_>>());
    assert_eq!(selected(&app).len(), 50);
    assert_eq!(app.list().paging, Paging::Complete);
    assert_eq!(
        app.log().len(),
        logged + 3,
        "pages 2 and 3, and page 5, dropped"
    );
    // Page 4 is stale now: logged, and nothing else.
    assert!(app.update(server.answer(out[2])).is_empty());
    assert_eq!(app.log().len(), logged + 4);
    assert_eq!(app.list().len(), 50);
    assert_eq!(app.list().paging, Paging::Complete);
}

#[test]
fn a_failed_page_stops_the_load_there_and_keeps_the_pages_before_it() {
    let server = Server { total: 200 };
    let mut app = started(&server);
    let out = select_all(&mut app);
    app.update(server.answer(out[3])); // page 5, held
    let (req, page) = out[1];
    app.update(page_answer(req, page, Err(unavailable()))); // page 3 failed, held
    let more = app.update(server.answer(out[0]));
    assert!(fetches(&more).is_empty(), "a failure waits for the user");
    assert_eq!(uids(&app), (0..40).map(uid).collect::<Vec<_>>());
    assert_eq!(selected(&app), (0..40).map(uid).collect());
    assert!(!app.tab().selecting_all);
    assert!(
        matches!(&app.list().paging, Paging::Failed { page: 3, error } if *error == unavailable())
    );
    assert_eq!(
        app.last_request().and_then(|l| l.error.clone()),
        Some(unavailable())
    );
    // Page 4 comes late: ignored.
    assert!(app.update(server.answer(out[2])).is_empty());
    assert_eq!(app.list().len(), 40);
    assert!(matches!(app.list().paging, Paging::Failed { page: 3, .. }));
    // V again goes on from the failed page.
    assert_eq!(pages(&select_all(&mut app)), vec![3, 4, 5, 6]);
}

#[test]
fn a_new_sort_during_a_bulk_load_drops_every_answer_still_out() {
    let server = Server { total: 200 };
    let mut app = started(&server);
    let out = select_all(&mut app);
    app.update(server.answer(out[1])); // page 3, held
    let reload = fetches(&app.update(key(KeyCode::Char('S'))));
    assert_eq!(pages(&reload), vec![1]);
    let logged = app.log().len();
    for old in [out[0], out[2], out[3]] {
        assert!(app.update(server.answer(old)).is_empty());
    }
    assert_eq!(app.log().len(), logged + 3, "stale answers are logged");
    assert!(app.list().is_empty());
    assert!(selected(&app).is_empty());
    assert_eq!(
        app.list().paging,
        Paging::Loading(Flight::new(1, reload[0].0))
    );
    app.update(server.answer(reload[0]));
    assert_eq!(uids(&app), (0..20).map(uid).collect::<Vec<_>>());
    assert_eq!(app.list().paging, Paging::Idle { next: 2 });
}

#[test]
fn scrolling_to_the_end_keeps_one_page_out() {
    let server = Server { total: 200 };
    let mut app = started(&server);
    let out = fetches(&scroll_to_end(&mut app));
    assert_eq!(pages(&out), vec![2]);
    assert!(fetches(&app.update(key(KeyCode::Char('k')))).is_empty());
    assert!(fetches(&scroll_to_end(&mut app)).is_empty());
    assert_eq!(in_flight(&app), 1);
}

#[test]
fn a_select_all_left_in_another_tab_finishes_its_pages_and_goes_on_on_return() {
    let server = Server { total: 200 };
    let mut app = started(&server);
    let out = select_all(&mut app);
    app.update(key(KeyCode::Char('2')));
    for answered in out.iter().rev() {
        let more = fetches(&app.update(server.answer(*answered)));
        assert!(
            more.is_empty(),
            "nothing more while the tab is away: {more:?}"
        );
    }
    let back = fetches(&app.update(key(KeyCode::Char('1'))));
    assert_eq!(app.active_index(), 0);
    assert_eq!(uids(&app), (0..100).map(uid).collect::<Vec<_>>());
    assert_eq!(selected(&app).len(), 100);
    // A refresh of page 1, and the next four pages.
    assert_eq!(pages(&back), vec![1, 6, 7, 8, 9]);
}

/// A server that sends the same full page again and again: the load stops at the first page
/// that adds nothing, says so, and asks for nothing more (it asked 100 pages a second).
#[test]
fn a_page_that_adds_nothing_stops_the_load() {
    let server = Server { total: 200 };
    let mut app = started(&server);
    let out = select_all(&mut app);
    assert_eq!(pages(&out), vec![2, 3, 4, 5]);
    let page_one: Vec<VoiceCall> = (0..PER_PAGE).map(call).collect();
    let again = |req| {
        page_answer(
            req,
            2,
            Ok(CallPage {
                calls: page_one.clone(),
                unreadable: 0,
            }),
        )
    };
    let more = app.update(again(out[0].0));
    assert!(
        fetches(&more).is_empty(),
        "nothing more asked for: {more:?}"
    );
    assert_eq!(app.list().paging, Paging::Complete);
    assert_eq!(app.list().len(), PER_PAGE);
    assert!(
        app.notice().is_some_and(|n| n.contains("stopped loading")),
        "{:?}",
        app.notice()
    );
    // The pages still out are only logged when they come.
    assert!(fetches(&app.update(server.answer(out[1]))).is_empty());
    assert_eq!(app.list().len(), PER_PAGE);
}

/// Esc stops a select all that is loading: nothing more is asked for, the answers still out
/// are dropped, and scrolling asks again from where it stopped.
#[test]
fn esc_stops_a_load() {
    let server = Server { total: 200 };
    let mut app = started(&server);
    let out = select_all(&mut app);
    assert_eq!(pages(&out), vec![2, 3, 4, 5]);
    let effects = app.update(key(KeyCode::Esc));
    assert!(fetches(&effects).is_empty());
    assert_eq!(app.list().paging, Paging::Idle { next: 2 });
    assert!(
        app.notice().is_some_and(|n| n.contains("loading stopped")),
        "{:?}",
        app.notice()
    );
    assert!(fetches(&app.update(server.answer(out[0]))).is_empty());
    assert_eq!(app.list().len(), PER_PAGE, "a late answer is only logged");
}

/// A server whose pages never end (each with new calls): `V` stops at the load limit, says
/// what happened and what to do, and nothing more is asked for, by `V` or by scrolling.
#[test]
fn a_select_all_stops_at_the_load_limit() {
    let server = Server { total: 100_000 };
    let mut app = started_with(&server, 3 * PER_PAGE as u64);
    let out = select_all(&mut app);
    assert_eq!(
        pages(&out),
        vec![2, 3],
        "no page past the limit is asked for"
    );
    assert!(fetches(&app.update(server.answer(out[0]))).is_empty());
    assert!(app.notice().is_some_and(|n| !n.contains("load limit")));
    let more = app.update(server.answer(out[1]));
    assert!(fetches(&more).is_empty(), "{more:?}");
    assert_eq!(app.list().len(), 60);
    assert_eq!(selected(&app).len(), 60);
    assert!(!app.tab().selecting_all);
    assert_eq!(
        app.notice(),
        Some(
            "stopped loading at 60 calls (3 pages), the load limit; 60 of them selected, not \
             the rest of the view: narrow the view with a filter (f), or raise load_limit in \
             the config"
        )
    );
    for again in ['G', 'V', 'j'] {
        let more = app.update(key(KeyCode::Char(again)));
        // `G` asks for the view's far end only: past the limit the way to its end.
        use crate::console::app::test_fixtures::pages::{far_end_fetch, page_fetches};
        assert!(page_fetches(&more).is_empty(), "{again}: {more:?}");
        assert_eq!(
            far_end_fetch(&more).is_some(),
            again == 'G',
            "{again}: {more:?}"
        );
    }
    assert!(app.notice().is_some_and(|n| n.contains("the load limit")));
}

/// Scrolling one page at a time stops at the limit too.
#[test]
fn scrolling_stops_at_the_load_limit() {
    let server = Server { total: 100_000 };
    let mut app = started_with(&server, 2 * PER_PAGE as u64);
    let out = fetches(&scroll_to_end(&mut app));
    assert_eq!(pages(&out), vec![2]);
    assert!(fetches(&app.update(server.answer(out[0]))).is_empty());
    assert!(fetches(&scroll_to_end(&mut app)).is_empty());
    assert_eq!(app.list().len(), 40);
    assert_eq!(app.list().paging, Paging::Idle { next: 3 });
    assert!(
        app.notice().is_some_and(
            |n| n.starts_with("stopped loading at 40 calls (2 pages), the load limit:")
        ),
        "{:?}",
        app.notice()
    );
}
