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

/// Waiting call `n` of a view (`call-0000` the newest).
pub fn waiting_call(n: usize) -> VoiceCall {
    let at = (now() - chrono::TimeDelta::minutes(n as i64 + 1)).to_rfc3339();
    VoiceCall {
        uid: Some(format!("call-{n:04}")),
        created_at: Some(at.clone()),
        updated_at: Some(at),
        status: Some(Status("MISSED".into())),
        ..Default::default()
    }
}

/// Page `page` of `per_page` of a view of `total` waiting calls (`call-0000` the newest).
pub fn page_answer(req: RequestId, page: u32, per_page: usize, total: usize) -> Msg {
    let start = ((page as usize - 1) * per_page).min(total);
    let calls = (start..(start + per_page).min(total))
        .map(waiting_call)
        .collect();
    answer_of(req, page, calls)
}

/// The first page of the same view in the reversed order (oldest first): its far end.
pub fn far_end_answer(req: RequestId, per_page: usize, total: usize) -> Msg {
    let calls = (total.saturating_sub(per_page)..total)
        .rev()
        .map(waiting_call)
        .collect();
    answer_of(req, 1, calls)
}

/// Page `page` of a list answered with `calls`.
pub fn answer_of(req: RequestId, page: u32, calls: Vec<VoiceCall>) -> Msg {
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

/// The list pages asked for, as (request, page); not the far end (`far_end_fetch`).
pub fn page_fetches(effects: &[Effect]) -> Vec<(RequestId, u32)> {
    effects
        .iter()
        .filter_map(|e| match e {
            Effect::FetchPage { req, query } if query.per_page > 1 && !reversed(query) => {
                Some((*req, query.page))
            }
            _ => None,
        })
        .collect()
}

/// The request for the view's far end (its first page in the reversed order), if asked.
pub fn far_end_fetch(effects: &[Effect]) -> Option<RequestId> {
    effects.iter().find_map(|e| match e {
        Effect::FetchPage { req, query } if query.per_page > 1 && reversed(query) => Some(*req),
        _ => None,
    })
}

/// The fixture's views are newest first: a request oldest first asks for the far end.
fn reversed(query: &crate::api::ListQuery) -> bool {
    query.sort.as_deref().is_some_and(|s| s.ends_with(":asc"))
}

/// A console showing page 1 of a view of `total` calls, `per_page` a page, with
/// `max_in_flight` as given.
pub fn started(per_page: usize, total: usize, max_in_flight: usize) -> App {
    started_with(per_page, total, max_in_flight, |_| {})
}

/// [`started`], with the settings changed by `set`.
pub fn started_with(
    per_page: usize,
    total: usize,
    max_in_flight: usize,
    set: impl FnOnce(&mut Config),
) -> App {
    let mut config = Config {
        page_size: per_page as u32,
        refresh_secs: 0,
        max_in_flight,
        ..Config::default()
    };
    set(&mut config);
    let session = Session {
        demo: true,
        api_label: "demo".into(),
        config,
        ..Session::default()
    };
    let (mut app, effects) = App::new(session, now(), utc(), list_rows(14), Vec::new());
    let first = page_fetches(&effects)[0];
    app.update(page_answer(first.0, first.1, per_page, total));
    app
}
