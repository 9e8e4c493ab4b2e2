//! The zone times are in, through `update`: the business's, asked for after userinfo, moves
//! the list's times and the title bar says it; a `today` filter becomes that zone's day; the
//! `time_zone` setting overrides it; a zone that cannot be used is said once. The machine's
//! zone in these tests is UTC.

use crate::console::app::test_fixtures::follow_up::*;
use crate::domain::people::{BusinessCard, Me};
use crate::domain::views::{DateRange, TabSettings};
use crate::domain::zone::Zone;
use crate::test_support::{draw, screen_text};

fn people_session() -> Session {
    let mut s = session();
    s.people = true;
    s
}

fn me_loaded(effects: &[Effect]) -> Msg {
    let req = effects
        .iter()
        .find_map(|e| match e {
            Effect::FetchMe { req } => Some(*req),
            _ => None,
        })
        .expect("who am I asked at start");
    Msg::MeLoaded {
        req,
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
    }
}

fn business_fetch(effects: &[Effect]) -> Option<RequestId> {
    effects.iter().find_map(|e| match e {
        Effect::FetchBusiness { req, business_uid } if business_uid == "b1" => Some(*req),
        _ => None,
    })
}

fn business_loaded(req: RequestId, zone: Option<Result<Zone, String>>) -> Msg {
    Msg::BusinessLoaded {
        req,
        answer: answer(
            Method::GET,
            "/platform/v1/businesses/b1",
            Ok(BusinessCard {
                name: Some("Bright Smiles".into()),
                zone,
            }),
        ),
    }
}

fn los_angeles() -> Zone {
    Zone::named("America/Los_Angeles").expect("known")
}

/// `created_at >= …` of a list request.
fn from(query: &ListQuery) -> Option<&str> {
    query
        .filters
        .iter()
        .find(|(f, op, _)| f == "created_at" && op.as_deref() == Some("gte"))
        .map(|(_, _, v)| v.as_str())
}

/// Started with the first page loaded and "me" answered; the business's request.
fn started(session: Session, state: UiState) -> (App, Vec<Effect>) {
    let (mut app, effects) =
        App::with_state(session, now(), utc(), list_rows(12), Vec::new(), state);
    let (req, query) = list_fetch(&effects);
    app.update(page_loaded(req, query.page, calls(0..4)));
    let after_me = app.update(me_loaded(&effects));
    (app, after_me)
}

#[test]
fn snapshot_times_in_the_business_zone_and_the_title_bar_says_which() {
    let (mut app, after_me) = started(people_session(), UiState::default());
    let req = business_fetch(&after_me).expect("the business is asked for after userinfo");
    let before = screen_text(&draw(&app, 100, 12));
    assert!(!before.contains("PST"), "{before}");
    app.update(business_loaded(req, Some(Ok(los_angeles()))));
    assert_eq!(app.zone(), &los_angeles());
    let terminal = draw(&app, 130, 12);
    let text = screen_text(&terminal);
    // 14:57 UTC is 06:57 in Los Angeles in November.
    assert!(text.contains("06:57") && !text.contains("14:57"), "{text}");
    assert!(
        text.lines().next().is_some_and(|l| l.contains("PST")),
        "{text}"
    );
    insta::assert_snapshot!(terminal.backend());
    // Narrower, the zone outlasts the business's and the API's names.
    let narrow = screen_text(&draw(&app, 100, 12));
    let title = narrow.lines().next().unwrap_or_default();
    assert!(
        title.contains("PST") && !title.contains("demo server"),
        "{narrow}"
    );
    assert!(!title.contains("Bright Smiles"), "{narrow}");
}

#[test]
fn a_today_filter_is_the_business_zones_day() {
    let mut state = UiState::default();
    let mut settings = TabSettings::default();
    settings.filter.date = Some(DateRange::Today);
    state.tabs.insert(TabId::FollowUp, settings);
    let (mut app, effects) = App::with_state(
        people_session(),
        now(),
        utc(),
        list_rows(12),
        Vec::new(),
        state,
    );
    let (first, query) = list_fetch(&effects);
    assert_eq!(
        from(&query),
        Some("2026-11-24T00:00:00Z"),
        "the machine's day first"
    );
    let after_me = app.update(me_loaded(&effects));
    let req = business_fetch(&after_me).expect("business asked for");
    let reload = app.update(business_loaded(req, Some(Ok(los_angeles()))));
    // Midnight in Los Angeles, winter time.
    let (_, query) = list_fetch(&reload);
    assert_eq!(from(&query), Some("2026-11-24T08:00:00Z"), "{reload:?}");
    // The first request's page is no longer this view's.
    app.update(page_loaded(first, 1, calls(0..2)));
    assert!(app.list().is_empty(), "the old day's page is dropped");
}

#[test]
fn the_time_zone_setting_overrides_the_business() {
    let mut session = people_session();
    let new_york = Zone::named("America/New_York").expect("known");
    session.config.time_zone = Some(new_york.clone());
    let (app, after_me) = started(session, UiState::default());
    assert_eq!(business_fetch(&after_me), None, "no need to ask");
    assert_eq!(app.zone(), &new_york);
    let title = screen_text(&draw(&app, 100, 12));
    assert!(
        title.lines().next().is_some_and(|l| l.contains("EST")),
        "{title}"
    );
}

#[test]
fn a_zone_on_the_machines_clock_is_not_mentioned() {
    let (mut app, after_me) = started(people_session(), UiState::default());
    let req = business_fetch(&after_me).expect("business asked for");
    let etc_utc = Zone::named("Etc/UTC").expect("known");
    let effects = app.update(business_loaded(req, Some(Ok(etc_utc))));
    assert!(list_fetches(&effects).is_empty(), "nothing to reload");
    assert_eq!(app.zone_note(), None);
}

#[test]
fn a_business_zone_that_cannot_be_used_is_said_and_times_stay() {
    let (mut app, after_me) = started(people_session(), UiState::default());
    let req = business_fetch(&after_me).expect("business asked for");
    let why = Zone::named("Mars/Olympus_Mons").expect_err("unknown");
    app.update(business_loaded(req, Some(Err(why))));
    let said = app.notice().expect("said").to_string();
    assert!(
        said.contains("\"Mars/Olympus_Mons\"") && said.contains("set time_zone"),
        "{said}"
    );
    assert_eq!(app.zone(), &Zone::utc());
}

#[test]
fn the_business_zone_is_kept_for_the_next_run_and_used_from_its_first_frame() {
    let (mut app, after_me) = started(people_session(), UiState::default());
    let req = business_fetch(&after_me).expect("business asked for");
    app.update(business_loaded(req, Some(Ok(los_angeles()))));
    let kept: crate::domain::people::People =
        serde_json::from_str(&serde_json::to_string(app.people()).expect("json")).expect("read");
    assert_eq!(kept.business_zone.as_deref(), Some("America/Los_Angeles"));
    // The next run, as `main` starts it: the cached list already in the business's zone.
    let (mut next, effects) = start(people_session(), (100, 12));
    let zone = Zone::named(kept.business_zone.as_deref().unwrap_or_default()).expect("known");
    next.set_people(kept);
    next.set_business_zone(zone);
    assert_eq!(next.zone(), &los_angeles());
    assert_eq!(next.zone_note().as_deref(), Some("PST"));
    // Asked again, the business names no zone any more: the machine's it is.
    let after_me = next.update(me_loaded(&effects));
    let req = business_fetch(&after_me).expect("asked again");
    next.update(business_loaded(req, None));
    assert_eq!(next.zone(), &Zone::utc());
    assert_eq!(next.people().business_zone, None, "nor kept");
}
