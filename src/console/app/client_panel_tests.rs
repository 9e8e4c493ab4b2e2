//! The client panel through `update`: asked for when the detail pane shows a call (by
//! `client_uid`, else by number), kept per caller, drawn with the client's card and their
//! other calls newest first; loading and failure shown in the panel.

use crate::console::app::test_fixtures::follow_up::*;
use crate::domain::people::{ClientCard, Lookup, People, StaffCard};
use crate::test_support::{draw, screen_text};

const SIZE: (u16, u16) = (80, 24);

fn people_session() -> Session {
    let mut s = session();
    s.people = true;
    s
}

fn emily() -> ClientCard {
    ClientCard {
        id: None,
        name: Some("Emily Carter".into()),
        phone: Some("+14155550100".into()),
        email: Some("emily.carter@example.com".into()),
        status: Some("customer".into()),
    }
}

fn staff(uid: &str, name: &str) -> StaffCard {
    StaffCard {
        uid: uid.into(),
        name: name.into(),
        active: true,
        ..StaffCard::default()
    }
}

/// Names known from the last run: Emily Carter (client-00) and the roster.
fn known_people() -> People {
    let mut people = People::default();
    people.learned_client("client-00", Some(emily()), now());
    people.learned_roster(
        vec![
            staff("staff-ana", "Ana Ruiz"),
            staff("staff-grace", "Grace O'Neill"),
        ],
        now(),
    );
    people
}

/// The panel's list requests: `(req, filter field, value, query)`.
fn panel_fetches(effects: &[Effect]) -> Vec<(RequestId, String, String, ListQuery)> {
    effects
        .iter()
        .filter_map(|e| match e {
            Effect::FetchPage { req, query } => query
                .filters
                .iter()
                .find(|(f, _, _)| f == "client_uid" || f == "from_number")
                .map(|(f, _, v)| (*req, f.clone(), v.clone(), query.clone())),
            _ => None,
        })
        .collect()
}

fn phone_lookups(effects: &[Effect]) -> Vec<(RequestId, String)> {
    effects
        .iter()
        .filter_map(|e| match e {
            Effect::FindClientsByPhone { req, number } => Some((*req, number.clone())),
            _ => None,
        })
        .collect()
}

/// An app listing `calls` with `people` known; the effects of opening the detail pane.
fn opened(people: People, calls: Vec<VoiceCall>) -> (App, Vec<Effect>) {
    let (mut app, effects) = start(people_session(), SIZE);
    app.set_people(people);
    let (req, query) = list_fetch(&effects);
    app.update(page_loaded(req, query.page, calls));
    let effects = app.update(key(KeyCode::Enter));
    assert!(app.detail_open());
    (app, effects)
}

fn calls_answer(
    req: RequestId,
    field: &str,
    value: &str,
    result: Result<Vec<VoiceCall>, ApiError>,
) -> Msg {
    Msg::PageLoaded {
        req,
        page: 1,
        answer: answer(
            Method::GET,
            &format!(
                "/v3/communication/voice_calls?page=1&per_page=11&sort=created_at:desc&filter[{field}]={value}"
            ),
            result.map(|calls| CallPage {
                calls,
                unreadable: 0,
            }),
        ),
    }
}

/// Emily's earlier calls: a callback Grace made, a voicemail Ana handled, a missed call
/// nobody did; sent out of order.
fn emilys_calls() -> Vec<VoiceCall> {
    let mut missed = call_with(26, "MISSED");
    missed.created_at = Some("2026-11-24T09:10:00+00:00".into());
    let mut handled = call_with(13, "MISSED_CALL_HANDLED");
    handled.created_at = Some("2026-11-23T16:45:00+00:00".into());
    handled.handled_by_staff_uid = Some("staff-ana".into());
    let mut callback = call_with(39, "ANSWERED_BY_STAFF");
    callback.created_at = Some("2026-11-24T11:30:00+00:00".into());
    callback.direction = Some(Direction("OUTBOUND".into()));
    callback.handled_by_staff_uid = Some("staff-grace".into());
    vec![handled, call(0), callback, missed]
}

fn text(app: &App) -> String {
    screen_text(&draw(app, SIZE.0, SIZE.1))
}

#[test]
fn snapshot_client_panel_names_the_client_and_lists_their_other_calls_newest_first() {
    let (mut app, effects) = opened(known_people(), calls(0..5));
    let [(req, field, value, query)] = panel_fetches(&effects)
        .try_into()
        .expect("one panel request");
    assert_eq!(
        (field.as_str(), value.as_str()),
        ("client_uid", "client-00")
    );
    assert_eq!(query.sort.as_deref(), Some("created_at:desc"));
    assert_eq!(
        query.per_page, 11,
        "a small page: ten others and the call shown"
    );
    assert!(
        phone_lookups(&effects).is_empty(),
        "a known client is not looked up by number"
    );
    let loading = text(&app);
    assert!(
        loading.contains("Emily Carter"),
        "the card at once:\n{loading}"
    );
    assert!(loading.contains("loading…"), "{loading}");
    insta::assert_snapshot!("client_panel_loading_60x20", draw(&app, 60, 20).backend());

    app.update(calls_answer(
        req,
        "client_uid",
        "client-00",
        Ok(emilys_calls()),
    ));
    let screen = text(&app);
    let callback = screen.find("by Grace O'Neill").expect(&screen);
    let missed = screen.find("today 09:10").expect(&screen);
    let handled = screen.find("by Ana Ruiz").expect(&screen);
    assert!(
        callback < missed && missed < handled,
        "newest first:\n{screen}"
    );
    assert!(
        !screen.contains("today 14:57"),
        "not the call shown itself:\n{screen}"
    );
    assert_eq!(
        screen.matches(" IN  ").count() + screen.matches(" OUT ").count(),
        3,
        "{screen}"
    );
    insta::assert_snapshot!(draw(&app, SIZE.0, SIZE.1).backend());

    // Kept for the session: back on Emily's call, nothing is asked again.
    let moved = app.update(key(KeyCode::Char('j')));
    assert_eq!(
        panel_fetches(&moved).len(),
        1,
        "the next call's client: {moved:?}"
    );
    let back = app.update(key(KeyCode::Char('k')));
    assert!(panel_fetches(&back).is_empty(), "{back:?}");
    assert!(text(&app).contains("by Grace O'Neill"));
}

#[test]
fn a_panel_that_fails_says_so_in_the_panel_and_r_asks_again() {
    let (mut app, effects) = opened(known_people(), calls(0..5));
    let [(req, ..)] = panel_fetches(&effects)
        .try_into()
        .expect("one panel request");
    app.update(calls_answer(
        req,
        "client_uid",
        "client-00",
        Err(server_error(503, "Service Unavailable")),
    ));
    let screen = text(&app);
    assert!(screen.contains("could not be loaded"), "{screen}");
    assert!(app.notice().is_none(), "no notice: {:?}", app.notice());
    let status_bar = screen
        .lines()
        .nth(usize::from(SIZE.1) - 2)
        .unwrap_or_default();
    assert!(
        !status_bar.contains("503"),
        "the status bar keeps what it showed: {status_bar}"
    );
    insta::assert_snapshot!("client_panel_failed_60x20", draw(&app, 60, 20).backend());
    // Not asked again on every move…
    app.update(key(KeyCode::Char('j')));
    assert!(panel_fetches(&app.update(key(KeyCode::Char('k')))).is_empty());
    // …but on r.
    let again = panel_fetches(&app.update(key(KeyCode::Char('r'))));
    assert_eq!(again.len(), 1, "{again:?}");
    assert_eq!(again[0].2, "client-00");
    // The failed request's late twin changes nothing.
    app.update(calls_answer(
        req,
        "client_uid",
        "client-00",
        Ok(emilys_calls()),
    ));
    assert!(text(&app).contains("loading…"));
    app.update(calls_answer(
        again[0].0,
        "client_uid",
        "client-00",
        Ok(emilys_calls()),
    ));
    assert!(text(&app).contains("by Grace O'Neill"));
}

#[test]
fn a_call_without_a_client_goes_by_its_number_and_is_named_by_it() {
    let mut walk_in = call(0);
    walk_in.client_uid = None;
    let (mut app, effects) = opened(known_people(), vec![walk_in]);
    let [(req, field, value, _)] = panel_fetches(&effects)
        .try_into()
        .expect("one panel request");
    assert_eq!(
        (field.as_str(), value.as_str()),
        ("from_number", "+14155550100")
    );
    let [(phone_req, number)] = phone_lookups(&effects)
        .try_into()
        .expect("one lookup by number");
    assert_eq!(number, "+14155550100");
    assert!(text(&app).contains("Other calls from +14155550100"));

    app.update(Msg::ClientsFound {
        req: phone_req,
        number: number.clone(),
        answer: answer(Method::GET, "/platform/v1/clients", Ok(vec![emily()])),
    });
    app.update(calls_answer(req, "from_number", &number, Ok(vec![])));
    let screen = text(&app);
    assert!(screen.contains("Emily Carter"), "{screen}");
    assert!(screen.contains("emily.carter@example.com"), "{screen}");
    assert!(screen.contains("no other calls"), "{screen}");
}

#[test]
fn a_number_no_client_has_says_so() {
    let mut walk_in = call(0);
    walk_in.client_uid = Some(String::new());
    let (mut app, effects) = opened(known_people(), vec![walk_in]);
    let [(req, number)] = phone_lookups(&effects)
        .try_into()
        .expect("one lookup by number");
    app.update(Msg::ClientsFound {
        req,
        number,
        answer: answer(Method::GET, "/platform/v1/clients", Ok(vec![])),
    });
    assert!(text(&app).contains("no client has this number"));
}

#[test]
fn a_client_the_api_does_not_know_is_followed_by_number() {
    let (mut app, effects) = start(people_session(), SIZE);
    let (req, query) = list_fetch(&effects);
    let lookups: Vec<(RequestId, String)> = app
        .update(page_loaded(req, query.page, calls(0..1)))
        .iter()
        .filter_map(|e| match e {
            Effect::FetchClient {
                req,
                lookup: Lookup::Client(id),
            } => Some((*req, id.clone())),
            _ => None,
        })
        .collect();
    let effects = app.update(key(KeyCode::Enter));
    assert_eq!(panel_fetches(&effects)[0].2, "client-00");
    assert!(text(&app).contains("looking up…"));
    let [(client_req, id)] = lookups.try_into().expect("client-00 asked for");
    let effects = app.update(Msg::ClientLoaded {
        req: client_req,
        lookup: Lookup::Client(id),
        answer: answer(Method::GET, "/platform/v1/clients/client-00", Ok(None)),
    });
    let by_number = panel_fetches(&effects);
    assert_eq!(by_number.len(), 1, "{effects:?}");
    assert_eq!(
        (by_number[0].1.as_str(), by_number[0].2.as_str()),
        ("from_number", "+14155550100")
    );
    assert_eq!(phone_lookups(&effects).len(), 1, "{effects:?}");
}

#[test]
fn no_panel_without_names_or_with_the_pane_closed() {
    let mut app = loaded_with(session(), SIZE, calls(0..3));
    let effects = app.update(key(KeyCode::Enter));
    assert!(panel_fetches(&effects).is_empty(), "names off: {effects:?}");
    assert!(app.client_panel().is_none());
    let (mut app, _) = start(people_session(), SIZE);
    assert!(panel_fetches(&app.update(key(KeyCode::Char('j')))).is_empty());
}
