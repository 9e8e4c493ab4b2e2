//! Names behind the uids, through `update` with the runtime's own `Performer` against the
//! embedded server's people endpoints: asked for once per client as calls arrive, a few at a
//! time; kept on disk and used after a restart; asked again once stale; a client the API does
//! not know is not asked for again; a 429 slows the lookups down; a refused endpoint turns names off
//! with one notice, never a request or an error per row.

use std::collections::BTreeSet;

use callconsole::api::{ApiClient, VoiceCall};
use callconsole::config::Config;
use callconsole::console::app::{App, Session};
use callconsole::console::msg::Msg;
use callconsole::domain::people::People;
use callconsole::domain::views::TabId;
use callconsole::persist::people::PeopleStore;
use callconsole::persist::state::UiState;
use callconsole::server::RunningServer;

#[path = "support/drive.rs"]
mod drive;

const CLIENTS: &str = "/platform/v1/clients";

fn app_at(now: chrono::DateTime<chrono::Utc>) -> (App, Vec<callconsole::console::msg::Effect>) {
    let session = Session {
        demo: true,
        api_label: "test".into(),
        config: Config {
            page_size: 100,
            refresh_secs: 0,
            ..Config::default()
        },
        people: true,
        ..Session::default()
    };
    App::with_state(
        session,
        now,
        callconsole::domain::zone::Zone::utc(),
        callconsole::ui::layout::list_rows(40),
        Vec::new(),
        UiState {
            active: Some(TabId::All),
            ..UiState::default()
        },
    )
}

/// Starts the console on the All view with `people` known, performs everything it asks for,
/// and returns it with the driver (whose data dir holds `people.json`).
async fn started(client: &ApiClient, people: People) -> (App, drive::Driver) {
    let (mut app, effects) = app_at(chrono::Utc::now());
    app.set_people(people);
    let mut driver = drive::Driver::new(client);
    driver.perform(&mut app, effects).await;
    (app, driver)
}

fn loaded(app: &App) -> Vec<VoiceCall> {
    app.list()
        .calls()
        .into_iter()
        .map(|c| c.to_call())
        .collect()
}

fn client_ids(calls: &[VoiceCall]) -> BTreeSet<String> {
    calls.iter().filter_map(|c| c.client_uid.clone()).collect()
}

fn client_lookups(server: &RunningServer) -> Vec<String> {
    server
        .seen(&format!("{CLIENTS}/"))
        .into_iter()
        .map(|r| r.path)
        .collect()
}

fn kept(driver: &drive::Driver) -> People {
    let (people, problem) = PeopleStore::in_dir(driver.data_dir.path(), false).load();
    assert_eq!(problem, None);
    people
}

#[tokio::test]
async fn every_client_is_asked_for_once_and_named_and_kept() {
    let (server, client) = drive::server_and_client(Some(150), &[]).await;
    let (app, driver) = started(&client, People::default()).await;
    let calls = loaded(&app);
    let ids = client_ids(&calls);
    assert!(ids.len() > 10, "many clients: {}", ids.len());
    let asked = client_lookups(&server);
    assert_eq!(asked.len(), ids.len(), "each client once: {asked:?}");
    for call in &calls {
        let name = app.people().client_label(call).expect("a label");
        assert!(
            call.client_uid.as_deref().is_none_or(|id| name != id),
            "never a bare uid"
        );
    }
    let named = ids
        .iter()
        .filter(|id| app.people().client_name(id).is_some())
        .count();
    assert_eq!(named, ids.len(), "every demo client has a name");
    // The roster came after who I am, and names the handlers.
    let handled: Vec<&VoiceCall> = calls
        .iter()
        .filter(|c| c.handled_by_staff_uid.is_some())
        .collect();
    assert!(!handled.is_empty());
    for call in handled {
        let uid = call.handled_by_staff_uid.as_deref().expect("handler");
        assert!(app.people().staff_name(uid).is_some(), "{uid} named");
    }
    assert_eq!(app.people().my_name(), Some("Maya Chen"));
    assert_eq!(
        app.session().config.staff_uid.as_deref(),
        app.people()
            .me
            .as_ref()
            .and_then(|m| m.staff_uid.as_deref()),
        "me from userinfo"
    );
    // Written to the data dir once everything settled.
    assert_eq!(kept(&driver).clients_known(), ids.len());
}

#[tokio::test]
async fn names_kept_are_used_after_a_restart_and_asked_again_once_stale() {
    let (server, client) = drive::server_and_client(Some(150), &[]).await;
    let (first, driver) = started(&client, People::default()).await;
    let ids = client_ids(&loaded(&first));
    let before = client_lookups(&server).len();
    // A restart with what was kept: nothing asked again.
    let (again, _) = started(&client, kept(&driver)).await;
    assert_eq!(client_lookups(&server).len(), before, "the cache was used");
    assert_eq!(again.people().clients_known(), ids.len());
    // The same names, kept two days ago: every one is asked for again.
    let mut old = People::default();
    let two_days_ago = chrono::Utc::now() - chrono::TimeDelta::days(2);
    for id in &ids {
        let card = first.people().client(id).cloned();
        old.learned_client(id, card, two_days_ago);
    }
    let (stale, _) = started(&client, old).await;
    assert_eq!(client_lookups(&server).len(), before + ids.len());
    assert_eq!(stale.people().clients_known(), ids.len());
}

#[tokio::test]
async fn a_client_the_api_does_not_know_is_not_asked_for_again() {
    let (server, client) = drive::server_and_client(Some(150), &[]).await;
    let (app, _) = started(&client, People::default()).await;
    let calls = loaded(&app);
    let unknown = calls[0].client_uid.clone().expect("client");
    // Their record goes away (a 404 in the legacy shape for that path only).
    server.set_faults(drive::parse_faults(&[&format!(
        "status=404:path={CLIENTS}/{unknown}"
    )]));
    let mut people = app.people().clone();
    people.make_due();
    let (mut again, mut driver) = started(&client, people).await;
    let asked = |server: &RunningServer| {
        client_lookups(server)
            .iter()
            .filter(|p| p.ends_with(&unknown))
            .count()
    };
    assert_eq!(asked(&server), 2, "asked again once (the cache was due)");
    assert_eq!(again.people().client_name(&unknown), None);
    assert_eq!(
        again.people().client_label(&calls[0]),
        callconsole::domain::views::other_party(&calls[0]),
        "the number instead"
    );
    assert!(
        again.notice().is_none_or(|n| !n.contains("off")),
        "no notice"
    );
    // More pages, a view switch: not asked for again.
    let effects = again.update(Msg::Key(crossterm::event::KeyEvent::new(
        crossterm::event::KeyCode::Char('G'),
        crossterm::event::KeyModifiers::NONE,
    )));
    driver.perform(&mut again, effects).await;
    assert_eq!(asked(&server), 2, "remembered as unknown");
}

#[tokio::test]
async fn a_rate_limit_slows_the_lookups_and_every_name_still_arrives() {
    let (server, client) = drive::server_and_client(
        Some(80),
        &[
            &format!("latency=100ms:path={CLIENTS}"),
            &format!("status=429:rate=0.01:skip=2:path={CLIENTS}"),
            &format!("retry-after=1:path={CLIENTS}"),
        ],
    )
    .await;
    // As the runtime runs: lookups at once, the wait the server asked for slept out.
    let (mut app, effects) = app_at(chrono::Utc::now());
    drive::Driver::new(&client)
        .perform_live(&mut app, effects)
        .await;
    let ids = client_ids(&loaded(&app));
    let seen: Vec<(String, usize)> = server
        .seen_alongside(&format!("{CLIENTS}/"))
        .into_iter()
        .map(|(r, n)| (r.path, n))
        .collect();
    assert!(
        seen.len() > ids.len(),
        "some were refused and asked again: {} for {}",
        seen.len(),
        ids.len()
    );
    assert_eq!(app.people().clients_known(), ids.len(), "all named");
    // The third lookup was refused ("retry after 1 s"): from its second try on, half as
    // many out.
    let first = &seen[2].0;
    let again = seen[3..]
        .iter()
        .position(|(p, _)| p == first)
        .map(|i| i + 3)
        .expect("asked again");
    assert!(
        seen.len() - again > 10,
        "most lookups after the 429: {seen:?}"
    );
    let most = seen[again..].iter().map(|(_, n)| *n).max().unwrap_or(0);
    assert_eq!(most, 2, "slowed down after the 429: {seen:?}");
}

#[tokio::test]
async fn a_refused_endpoint_turns_names_off_with_one_notice() {
    for status in [403, 404] {
        let (server, client) =
            drive::server_and_client(Some(150), &[&format!("status={status}:path={CLIENTS}")])
                .await;
        let (app, _) = started(&client, People::default()).await;
        let asked = client_lookups(&server).len();
        assert!(
            asked < 2 * callconsole::domain::people::IN_FLIGHT,
            "{status}: not a request per row: {asked}"
        );
        assert_eq!(app.people().clients_known(), 0);
        let said = app.notice().unwrap_or_default().to_string();
        assert!(said.contains("client names are off"), "{status}: {said}");
        let calls = loaded(&app);
        assert_eq!(
            app.people().client_label(&calls[0]),
            callconsole::domain::views::other_party(&calls[0]),
        );
    }
}

/// A call without `client_uid` is named by its number: the clients search finds who has it
/// (in any common form), and a number nobody has is "not found", not an error.
#[tokio::test]
async fn a_number_finds_its_client() {
    use callconsole::domain::people::Lookup;
    use callconsole::domain::people_lookup::client_card;
    let (_server, client) = drive::server_and_client(Some(40), &[]).await;
    let (app, _) = started(&client, People::default()).await;
    let call = loaded(&app)
        .into_iter()
        .find(|c| {
            c.direction.as_ref().is_some_and(|d| d.0 == "INBOUND")
                && c.client_uid
                    .as_deref()
                    .is_some_and(|id| app.people().client_name(id).is_some())
        })
        .expect("an inbound call from a named client");
    let id = call.client_uid.clone().expect("id");
    let number = call.from_number.clone().expect("number");
    let card = client_card(&client, &Lookup::Number(number.clone()))
        .await
        .result
        .expect("answered")
        .expect("found");
    assert_eq!(card.id.as_deref(), Some(id.as_str()));
    assert_eq!(card.name.as_deref(), app.people().client_name(&id));
    let nobody = client_card(&client, &Lookup::Number("+15555550199".into()))
        .await
        .result
        .expect("answered");
    assert_eq!(nobody, None);
}
