//! `G` through `App::update`: one press loads the rest of the view several pages at a time
//! and lands on its last call; Esc stops it where it is.

use std::time::Duration;

use crossterm::event::KeyCode;
use reqwest::Method;

use crate::api::model::Status;
use crate::api::{Answer, CallPage, Exchange, VoiceCall};
use crate::config::Config;
use crate::console::app::{App, Session};
use crate::console::msg::{Effect, Msg, RequestId};
use crate::domain::calls::Paging;
use crate::test_support::{key, list_rows, now, utc};

const PER_PAGE: usize = 20;
const TOTAL: usize = 7 * PER_PAGE + 5;

fn answer(req: RequestId, page: u32) -> Msg {
    let start = ((page as usize - 1) * PER_PAGE).min(TOTAL);
    let calls = (start..(start + PER_PAGE).min(TOTAL))
        .map(|n| {
            let at = (now() - chrono::TimeDelta::minutes(n as i64 + 1)).to_rfc3339();
            VoiceCall {
                uid: Some(format!("call-{n:04}")),
                created_at: Some(at.clone()),
                updated_at: Some(at),
                status: Some(Status("MISSED".into())),
                ..Default::default()
            }
        })
        .collect();
    Msg::PageLoaded {
        req,
        page,
        answer: Answer {
            exchange: Exchange {
                method: Method::GET,
                path: format!("/v3/communication/voice_calls?page={page}"),
                status: Some(200),
                elapsed: Duration::from_millis(5),
                attempts: 1,
            },
            result: Ok(CallPage {
                calls,
                unreadable: 0,
            }),
        },
    }
}

fn fetches(effects: &[Effect]) -> Vec<(RequestId, u32)> {
    effects
        .iter()
        .filter_map(|e| match e {
            Effect::FetchPage { req, query } if query.per_page > 1 => Some((*req, query.page)),
            _ => None,
        })
        .collect()
}

fn started() -> App {
    let session = Session {
        demo: true,
        api_label: "demo".into(),
        config: Config {
            page_size: PER_PAGE as u32,
            refresh_secs: 0,
            max_in_flight: 3,
            ..Config::default()
        },
        ..Session::default()
    };
    let (mut app, effects) = App::new(session, now(), utc(), list_rows(14), Vec::new());
    let first = fetches(&effects)[0];
    app.update(answer(first.0, first.1));
    app
}

#[test]
fn one_g_loads_the_rest_several_pages_at_a_time_and_lands_on_the_last_call() {
    let mut app = started();
    let mut out = fetches(&app.update(key(KeyCode::Char('G'))));
    assert_eq!(out.iter().map(|o| o.1).collect::<Vec<_>>(), vec![2, 3, 4]);
    assert_eq!(
        app.list().selected_index(),
        PER_PAGE - 1,
        "the last loaded, now"
    );
    assert!(
        app.notice()
            .is_some_and(|n| n.contains("loading to the end")),
        "{:?}",
        app.notice()
    );
    let mut most = out.len();
    while let Some(next) = out.first().copied() {
        out.remove(0);
        out.extend(fetches(&app.update(answer(next.0, next.1))));
        most = most.max(out.len());
    }
    assert_eq!(most, 3, "max_in_flight pages out");
    assert_eq!(app.list().paging, Paging::Complete);
    assert_eq!(app.list().len(), TOTAL);
    assert_eq!(app.list().selected_index(), TOTAL - 1, "on the last call");
    assert_eq!(app.notice(), Some("at the end of this view: 145 calls"));
}

#[test]
fn esc_stops_g_where_it_is() {
    let mut app = started();
    let out = fetches(&app.update(key(KeyCode::Char('G'))));
    app.update(answer(out[0].0, out[0].1));
    app.update(key(KeyCode::Esc));
    assert!(matches!(app.list().paging, Paging::Idle { .. }));
    // The pages still out answer: nothing more is asked for, the cursor stays.
    let at = app.list().selected_index();
    for (req, page) in &out[1..] {
        assert!(fetches(&app.update(answer(*req, *page))).is_empty());
    }
    assert_eq!(app.list().selected_index(), at);
    assert_eq!(app.list().len(), 2 * PER_PAGE);
}
