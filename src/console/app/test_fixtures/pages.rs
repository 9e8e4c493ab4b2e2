//! A view loaded page by page: waiting calls numbered newest first, the page answers the
//! server gives, the page requests a batch sends (the paging pace and `G` tests).

use std::time::Duration;

use reqwest::Method;

use crate::api::model::Status;
use crate::api::{Answer, CallPage, Exchange, VoiceCall};
use crate::config::Config;
use crate::console::app::{App, Session};
use crate::console::msg::{Effect, Msg, RequestId};
use crate::test_support::{list_rows, now, utc};

/// The exchange of a page request that got `status`.
pub fn exchange(page: u32, status: u16) -> Exchange {
    Exchange {
        method: Method::GET,
        path: format!("/v3/communication/voice_calls?page={page}"),
        status: Some(status),
        elapsed: Duration::from_millis(5),
        attempts: 1,
    }
}

/// Page `page` of `per_page` of a view of `total` waiting calls (`call-0000` the newest).
pub fn page_answer(req: RequestId, page: u32, per_page: usize, total: usize) -> Msg {
    let start = ((page as usize - 1) * per_page).min(total);
    let calls = (start..(start + per_page).min(total))
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
            exchange: exchange(page, 200),
            result: Ok(CallPage {
                calls,
                unreadable: 0,
            }),
        },
    }
}

/// The list pages asked for, as (request, page).
pub fn page_fetches(effects: &[Effect]) -> Vec<(RequestId, u32)> {
    effects
        .iter()
        .filter_map(|e| match e {
            Effect::FetchPage { req, query } if query.per_page > 1 => Some((*req, query.page)),
            _ => None,
        })
        .collect()
}

/// A console showing page 1 of a view of `total` calls, `per_page` a page, with
/// `max_in_flight` as given.
pub fn started(per_page: usize, total: usize, max_in_flight: usize) -> App {
    let session = Session {
        demo: true,
        api_label: "demo".into(),
        config: Config {
            page_size: per_page as u32,
            refresh_secs: 0,
            max_in_flight,
            ..Config::default()
        },
        ..Session::default()
    };
    let (mut app, effects) = App::new(session, now(), utc(), list_rows(14), Vec::new());
    let first = page_fetches(&effects)[0];
    app.update(page_answer(first.0, first.1, per_page, total));
    app
}
