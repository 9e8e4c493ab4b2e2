//! The request log through `update`: every answer is logged, `L` opens it.

use crate::console::app::test_fixtures::follow_up::*;

#[test]
fn every_answer_is_logged_and_l_opens_the_log() {
    let (mut app, effects) = start(session(), (120, 14));
    assert!(app.log().is_empty());
    let (page_req, _) = list_fetch(&effects);
    let stats_req = stats_fetch(&effects).expect("stats");
    let (oldest_req, _) = oldest_fetch(&effects).expect("oldest");
    app.update(page_loaded(page_req, 1, calls(0..3)));
    app.update(Msg::StatsLoaded {
        req: stats_req,
        answer: answer(
            Method::GET,
            "/v3/communication/voice_calls/stats",
            Err(server_error(503, "try later")),
        ),
    });
    app.update(Msg::PageLoaded {
        req: oldest_req,
        page: 1,
        answer: answer(
            Method::GET,
            "/v3/communication/voice_calls?page=1&per_page=1&sort=created_at:asc",
            Ok(CallPage::default()),
        ),
    });
    let log: Vec<(Method, String, Option<u16>, bool)> = app
        .log()
        .iter()
        .map(|e| {
            (
                e.exchange.method.clone(),
                e.exchange.path.clone(),
                e.exchange.status,
                e.error.is_some(),
            )
        })
        .collect();
    assert_eq!(
        log,
        vec![
            (Method::GET, list_path(1), Some(200), false),
            (
                Method::GET,
                "/v3/communication/voice_calls/stats".to_string(),
                Some(503),
                true
            ),
            (
                Method::GET,
                "/v3/communication/voice_calls?page=1&per_page=1&sort=created_at:asc".to_string(),
                Some(200),
                false
            ),
        ]
    );
    assert!(app.log().iter().all(|e| e.at == now()));
    assert!(
        matches!(app.tab_count(0), Some(n) if n == "3"),
        "counts failed: the list's own"
    );
    assert!(app.oldest_unhandled().is_none(), "nobody waiting");

    assert!(app.update(key(KeyCode::Char('L'))).is_empty());
    assert_eq!(app.overlay(), Overlay::Log { scroll: 0 });
    app.update(key(KeyCode::Char('k')));
    assert_eq!(
        app.overlay(),
        Overlay::Log { scroll: 1 },
        "back one request (the view keeps its window full)"
    );
    app.update(key(KeyCode::Char('g')));
    assert_eq!(app.overlay(), Overlay::Log { scroll: 2 }, "to the first");
    app.update(key(KeyCode::Char('x')));
    assert_eq!(app.overlay(), Overlay::None);
}

#[test]
fn bulk_requests_are_logged_with_their_method() {
    let mut app = loaded_with(bulk_session(), (120, 14), calls(0..1));
    app.update(key(KeyCode::Char(' ')));
    // The only call, selected: h acts on the selection.
    let sends = batch_sends(&app.update(key(KeyCode::Char('h'))));
    assert_eq!(sends.len(), 1);
    let before = app.log().len();
    app.update(checked(&sends[0], Ok(call(0)), Ok(handled_copy(0))));
    let methods: Vec<Method> = app
        .log()
        .iter()
        .skip(before)
        .map(|e| e.exchange.method.clone())
        .collect();
    assert_eq!(methods, vec![Method::GET, Method::PUT]);
}
