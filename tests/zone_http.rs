//! The business's time zone over HTTP, through `update` with the runtime's own `Performer`
//! against the embedded server: asked for after userinfo, looked up in the time zone
//! database, and then used: a `today` filter asks for the calls since the business's
//! midnight, and the title bar names the zone. The `time_zone` setting overrides it and the
//! business is not asked. The machine's zone here is UTC; the demo business is in
//! America/Los_Angeles.

use callconsole::api::CallFields;
use callconsole::config::Config;
use callconsole::console::app::{App, Session};
use callconsole::console::msg::Effect;
use callconsole::domain::views::{DateRange, TabId, TabSettings};
use callconsole::domain::zone::Zone;
use callconsole::persist::state::UiState;
use callconsole::server::RunningServer;

#[path = "support/drive.rs"]
mod drive;

const CALLS: &str = "/v3/communication/voice_calls";

/// The console on the All view filtered to `today`, with names (and so userinfo) on.
fn app(config: Config) -> (App, Vec<Effect>) {
    let session = Session {
        demo: true,
        api_label: "test".into(),
        config: Config {
            page_size: 100,
            refresh_secs: 0,
            ..config
        },
        people: true,
        ..Session::default()
    };
    let mut settings = TabSettings::default();
    settings.filter.date = Some(DateRange::Today);
    let mut state = UiState {
        active: Some(TabId::All),
        ..UiState::default()
    };
    state.tabs.insert(TabId::All, settings);
    App::with_state(
        session,
        chrono::Utc::now(),
        Zone::utc(),
        callconsole::ui::layout::list_rows(30),
        Vec::new(),
        state,
    )
}

/// `filter[created_at][gte]` of each list request the server saw, oldest first.
fn list_starts(server: &RunningServer) -> Vec<String> {
    server
        .seen(CALLS)
        .into_iter()
        .filter_map(|r| {
            url::form_urlencoded::parse(r.query?.as_bytes())
                .find(|(k, _)| k == "filter[created_at][gte]")
                .map(|(_, v)| v.into_owned())
        })
        .collect()
}

fn business_reads(server: &RunningServer) -> usize {
    let path = format!("/platform/v1/businesses/{}", server.business_uid());
    server
        .seen(&path)
        .into_iter()
        .filter(|r| r.path == path)
        .count()
}

/// The first moment of today in `zone`, as the list request sends it.
fn midnight(zone: &Zone, now: chrono::DateTime<chrono::Utc>) -> String {
    zone.start_of(zone.date(now))
        .to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

#[tokio::test]
async fn the_business_zone_is_asked_for_and_today_is_its_day() {
    let (server, client) = drive::server_and_client(Some(300), &[]).await;
    let (mut app, effects) = app(Config::default());
    let now = app.now();
    drive::perform(&mut app, &client, effects).await;
    assert_eq!(business_reads(&server), 1, "the business read once");
    let la = Zone::named("America/Los_Angeles").expect("known");
    assert_eq!(app.zone(), &la, "the demo business's zone");
    // The first request went out before the zone was known (the machine's day); the view
    // asked again for the business's, and shows that answer.
    let starts = list_starts(&server);
    assert_eq!(starts.len(), 2, "{starts:?}");
    assert!(starts.contains(&midnight(&Zone::utc(), now)), "{starts:?}");
    assert!(starts.contains(&midnight(&la, now)), "{starts:?}");
    let start = la.start_of(la.date(now));
    for call in app.list().calls() {
        assert!(
            call.created().is_some_and(|t| t >= start),
            "{:?}",
            call.created_at()
        );
    }
    let query = app.tab().query(1, 100, now, &la).expect("a query");
    let page = client
        .list(&query)
        .await
        .result
        .expect("the business's day");
    let uids = |calls: Vec<&dyn CallFields>| -> Vec<Option<String>> {
        calls
            .into_iter()
            .map(|c| c.uid().map(str::to_string))
            .collect()
    };
    let listed = app.list().calls();
    assert_eq!(
        uids(listed.iter().map(|c| *c as &dyn CallFields).collect()),
        uids(page.calls.iter().map(|c| c as &dyn CallFields).collect())
    );
    // The title bar says which zone times are in.
    let title = drive::screen(&app, 140, 30).remove(0);
    assert!(title.contains(&la.short_name(now)), "{title}");
}

#[tokio::test]
async fn the_time_zone_setting_wins_and_the_business_is_not_asked() {
    let (server, client) = drive::server_and_client(Some(50), &[]).await;
    let new_york = Zone::named("America/New_York").expect("known");
    let (mut app, effects) = app(Config {
        time_zone: Some(new_york.clone()),
        ..Config::default()
    });
    let now = app.now();
    drive::perform(&mut app, &client, effects).await;
    assert!(app.people().me.is_some(), "userinfo answered");
    assert_eq!(business_reads(&server), 0);
    assert_eq!(app.zone(), &new_york);
    assert_eq!(list_starts(&server), [midnight(&new_york, now)]);
}
