//! Names through `update`: asked for in the background as calls arrive, shown when they
//! come, the number until then; a refused lookup turns names off with one notice; "me" from
//! the API; the staff picker takes names from the roster and refuses free text.

use crate::console::app::test_fixtures::follow_up::*;
use crate::console::app::test_fixtures::screen::under_header;
use crate::domain::people::{ClientCard, Lookup, Me, StaffCard};
use crate::test_support::{draw, screen_text};

fn people_session() -> Session {
    let mut s = session();
    s.people = true;
    s
}

fn client_fetches(effects: &[Effect]) -> Vec<(RequestId, String)> {
    effects
        .iter()
        .filter_map(|e| match e {
            Effect::FetchClient {
                req,
                lookup: Lookup::Client(id),
            } => Some((*req, id.clone())),
            _ => None,
        })
        .collect()
}

fn card(name: &str) -> Option<ClientCard> {
    Some(ClientCard {
        name: Some(name.into()),
        ..ClientCard::default()
    })
}

fn client_loaded(req: RequestId, id: &str, result: Result<Option<ClientCard>, ApiError>) -> Msg {
    Msg::ClientLoaded {
        req,
        lookup: Lookup::Client(id.into()),
        answer: answer(Method::GET, &format!("/platform/v1/clients/{id}"), result),
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

/// Starts with "me" answered (business b1) and the first page loaded; returns the client
/// lookups the page started and the roster request.
fn started(calls: Vec<VoiceCall>) -> (App, Vec<(RequestId, String)>, RequestId) {
    let (mut app, effects) = start(people_session(), (160, 30));
    let me = effects
        .iter()
        .find_map(|e| match e {
            Effect::FetchMe { req } => Some(*req),
            _ => None,
        })
        .expect("who am I asked at start");
    let (req, query) = list_fetch(&effects);
    let asked = client_fetches(&app.update(page_loaded(req, query.page, calls)));
    let roster = app.update(Msg::MeLoaded {
        req: me,
        answer: answer(
            Method::GET,
            "/oauth/userinfo",
            Ok(Me {
                staff_uid: Some("staff-ana".into()),
                business_uid: Some("b1".into()),
                business_name: Some("Bright Smiles".into()),
                ..Me::default()
            }),
        ),
    });
    let [
        Effect::FetchRoster { req, business_uid },
        Effect::FetchBusiness {
            business_uid: business,
            ..
        },
    ] = roster.as_slice()
    else {
        panic!("the roster and the business are asked for: {roster:?}");
    };
    assert_eq!((business_uid.as_str(), business.as_str()), ("b1", "b1"));
    (app, asked, *req)
}

#[test]
fn rows_show_the_number_until_the_name_arrives() {
    let (mut app, asked, _) = started(calls(0..6));
    // Six calls, clients 00..05: four asked for at once, the rest as answers come.
    let ids: Vec<&str> = asked.iter().map(|(_, id)| id.as_str()).collect();
    assert_eq!(ids, ["client-00", "client-01", "client-02", "client-03"]);
    let text = screen_text(&draw(&app, 160, 30));
    assert!(text.contains("+14155550100"), "the number first:\n{text}");
    assert!(!text.contains("client-00"), "never a bare uid:\n{text}");
    let more = app.update(client_loaded(
        asked[0].0,
        "client-00",
        Ok(card("Emily Carter")),
    ));
    assert_eq!(
        client_fetches(&more)
            .iter()
            .map(|(_, id)| id.as_str())
            .collect::<Vec<_>>(),
        ["client-04"],
        "the next one goes out"
    );
    let text = screen_text(&draw(&app, 160, 30));
    assert!(text.contains("Emily Carter"), "{text}");
    // A client the API does not have keeps its number, and is not asked for again.
    app.update(client_loaded(asked[1].0, "client-01", Ok(None)));
    assert!(screen_text(&draw(&app, 160, 30)).contains("+14155550101"));
    let now = app.now();
    assert!(
        !app.people.want([Lookup::Client("client-01".into())], now),
        "not asked again for an hour"
    );
}

#[test]
fn a_refused_lookup_turns_names_off_with_one_notice() {
    let (mut app, asked, _) = started(calls(0..6));
    let refused = server_error(403, "Forbidden");
    let more = app.update(client_loaded(asked[0].0, "client-00", Err(refused.clone())));
    assert!(
        client_fetches(&more).is_empty(),
        "nothing more asked: {more:?}"
    );
    let said = app.notice().expect("said").to_string();
    assert!(said.contains("client names are off"), "{said}");
    // The other answers still out change nothing and say nothing more.
    app.set_notice("later".into());
    let more = app.update(client_loaded(asked[1].0, "client-01", Err(refused)));
    assert!(client_fetches(&more).is_empty());
    assert_eq!(app.notice(), Some("later"));
    // New calls ask for nothing.
    let effects = app.update(key(KeyCode::Char('r')));
    assert!(client_fetches(&effects).is_empty());
}

#[test]
fn handled_by_shows_the_staff_name_and_me_is_the_token_owner() {
    let mut handled = call_with(0, "MISSED_CALL_HANDLED");
    handled.handled_by_staff_uid = Some("staff-grace".into());
    let (mut app, _, roster) = started(vec![handled]);
    assert_eq!(
        app.session().config.staff_uid.as_deref(),
        Some("staff-ana"),
        "me from the API, no question"
    );
    assert!(screen_text(&draw(&app, 160, 30)).contains("staff-grace"));
    app.update(Msg::RosterLoaded {
        req: roster,
        answer: answer(
            Method::GET,
            "/platform/v1/businesses/b1/staffs",
            Ok(vec![
                staff("staff-grace", "Grace Lee"),
                staff("staff-ana", "Ana Ruiz"),
            ]),
        ),
    });
    let text = screen_text(&draw(&app, 160, 30));
    assert!(text.contains("Grace Lee"), "{text}");
    assert_eq!(app.people().my_name(), Some("Ana Ruiz"));
    let title = screen_text(&draw(&app, 160, 30));
    let title = title.lines().next().expect("a title");
    assert!(title.contains("Ana Ruiz · Bright Smiles"), "{title}");
}

#[test]
fn the_staff_picker_takes_a_name_from_the_roster_and_refuses_free_text() {
    let mut session = session();
    session.config.staff_uid = None;
    let mut app = loaded_with(session, (160, 30), vec![call(0)]);
    let mut people = crate::domain::people::People::default();
    people.learned_roster(
        vec![
            staff("staff-grace", "Grace Lee"),
            staff("staff-marcus", "Marcus Bell"),
        ],
        now(),
    );
    app.set_people(people);
    app.update(key(KeyCode::Char('h')));
    assert!(matches!(app.prompt(), Some(Prompt::StaffUid { .. })));
    let text = screen_text(&draw(&app, 160, 30));
    assert!(
        text.contains("Grace Lee") && text.contains("Marcus Bell"),
        "{text}"
    );
    type_str(&mut app, "Maya");
    assert!(app.update(key(KeyCode::Enter)).is_empty(), "nothing sent");
    assert!(
        matches!(app.prompt(), Some(Prompt::StaffUid { .. })),
        "still asking"
    );
    let said = app.notice().expect("said").to_string();
    assert!(said.contains("no one on the staff list matches"), "{said}");
    app.update(ctrl('u'));
    type_str(&mut app, "bell");
    let sent = app.update(key(KeyCode::Enter));
    assert!(!sent.is_empty(), "h goes on");
    assert!(app.prompt().is_none());
    assert_eq!(
        app.session().config.staff_uid.as_deref(),
        Some("staff-marcus")
    );
}

#[test]
fn who_i_am_is_asked_again_on_r_when_it_did_not_answer_at_start() {
    let (mut app, effects) = start(people_session(), (160, 30));
    let me = effects
        .iter()
        .find_map(|e| match e {
            Effect::FetchMe { req } => Some(*req),
            _ => None,
        })
        .expect("asked at start");
    app.update(Msg::MeLoaded {
        req: me,
        answer: answer(
            Method::GET,
            "/oauth/userinfo",
            Err(server_error(503, "busy")),
        ),
    });
    let again = app.update(key(KeyCode::Char('r')));
    assert!(
        again.iter().any(|e| matches!(e, Effect::FetchMe { .. })),
        "{again:?}"
    );
}

#[test]
fn search_finds_a_client_name_that_arrives_after_it_was_typed_and_marks_it() {
    let size = (160, 30);
    let (mut app, asked, _) = started(calls(0..6));
    app.update(key(KeyCode::Char('/')));
    type_str(&mut app, "emil");
    assert!(app.search().matches().is_empty(), "no name known yet");
    app.update(client_loaded(
        asked[0].0,
        "client-00",
        Ok(card("Emily Carter")),
    ));
    type_str(&mut app, "y");
    let found: Vec<usize> = app.search().matches().iter().map(|m| m.index).collect();
    assert_eq!(found, [0], "the next keystroke finds the name");
    assert_eq!(selected_uid(&app), Some(uid(0)));
    app.update(key(KeyCode::Enter));
    let (text, marked) = under_header(&app, size, 2, "Client");
    assert!(text.starts_with("Emily Carter"), "{text}");
    assert_eq!(marked, "Emily", "the name is marked, in {text:?}");
    insta::assert_snapshot!(draw(&app, size.0, size.1).backend());
}

#[test]
fn search_finds_the_staff_name_in_handled_by() {
    let size = (160, 30);
    let mut handled = call_with(3, "MISSED_CALL_HANDLED");
    handled.handled_by_staff_uid = Some("staff-grace".into());
    let mut list = calls(0..3);
    list.push(handled);
    let (mut app, _, roster) = started(list);
    app.update(key(KeyCode::Char('/')));
    type_str(&mut app, "grace");
    let found: Vec<usize> = app.search().matches().iter().map(|m| m.index).collect();
    assert_eq!(found, [3], "the uid as shown until the roster comes");
    app.update(Msg::RosterLoaded {
        req: roster,
        answer: answer(
            Method::GET,
            "/platform/v1/businesses/b1/staffs",
            Ok(vec![staff("staff-grace", "Grace Lee")]),
        ),
    });
    // The roster arrived with no keystroke: the search caught up on that update.
    let m = app.search().matches().first().copied().expect("a match");
    assert_eq!(
        (m.index, m.field),
        (3, crate::domain::search::SearchField::HandledBy)
    );
    app.update(key(KeyCode::Enter));
    let line = 2 + u16::try_from(m.index).expect("on screen");
    let (text, marked) = under_header(&app, size, line, "Handled by");
    assert!(text.starts_with("Grace Lee"), "{text}");
    assert_eq!(marked, "Grace", "in {text:?}");
}
