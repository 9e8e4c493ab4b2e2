//! The people behind the uids over real HTTP: the client's `client`, `clients_by_phone`,
//! `staff_roster`, `userinfo` and `business` against the embedded server's legacy endpoints —
//! their envelope, their error shapes, paging and phone search, `X-On-Behalf-Of` where the
//! spec declares it, 429 with `Retry-After`, and names cleaned on the way in.

use std::time::{Duration, Instant};

use callconsole::api::people::CLIENTS_PATH;
use callconsole::api::{ApiClient, ApiError, ClientOptions, ListQuery};
use callconsole::config::secret::Secret;
use reqwest::StatusCode;
use serde_json::{Value, json};

#[path = "support/drive.rs"]
mod drive;

#[path = "support/bodies.rs"]
mod bodies;
#[path = "support/http.rs"]
mod http;

use drive::{server_and_client, server_and_client_with};

/// Emily Carter, the seed's first client, and her number.
const EMILY: &str = "466f87f3-0d22-4d4b-a6b7-4dd6484d67dc";
const EMILY_PHONE: &str = "+14155550110";

fn record(value: Value) -> serde_json::Map<String, Value> {
    match value {
        Value::Object(map) => map,
        other => panic!("not an object: {other}"),
    }
}

#[tokio::test]
async fn who_i_am_my_business_and_its_roster_read_from_the_legacy_envelope() {
    let (server, client) = server_and_client(Some(20), &[]).await;
    let me = client.userinfo().await.result.expect("userinfo");
    let business_uid = me.business().expect("business uid").to_string();
    assert_eq!(business_uid, server.business_uid());
    assert_eq!(
        me.business_name.as_deref(),
        Some("Bayview Physio & Wellness")
    );
    assert_eq!(me.kind.as_deref(), Some("staff"));
    let my_uid = me.staff_uid().expect("a staff token's sub").to_string();

    let business = client
        .business(&business_uid)
        .await
        .result
        .expect("business");
    assert_eq!(business.time_zone.as_deref(), Some("America/Los_Angeles"));
    assert_eq!(
        business.display_name().as_deref(),
        Some("Bayview Physio & Wellness")
    );

    let roster = client.staff_roster(&business_uid).await;
    assert_eq!(
        roster.exchange.path,
        format!("/platform/v1/businesses/{business_uid}/staffs?status=all")
    );
    let roster = roster.result.expect("roster");
    assert_eq!(
        roster.len(),
        12,
        "status=all lists inactive and deleted staff too"
    );
    let me = roster
        .iter()
        .find(|s| s.id.as_deref() == Some(my_uid.as_str()))
        .expect("userinfo's sub is on the roster");
    assert_eq!(me.display_name().as_deref(), Some("Maya Chen"));
    assert_eq!(me.role.as_deref(), Some("admin"));
    // The booleans arrive as strings ("true"/"false") and read as booleans.
    assert_eq!((me.active, me.deleted), (Some(true), Some(false)));
    let jonah = roster
        .iter()
        .find(|s| s.first_name.as_deref() == Some("Jonah"))
        .expect("Jonah");
    assert_eq!((jonah.active, jonah.deleted), (Some(false), Some(true)));
    assert_eq!(roster.iter().filter(|s| s.is_current()).count(), 10);
    let (status, raw) = http::get(
        &server,
        &format!("/platform/v1/businesses/{business_uid}/staffs?status=all"),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(raw["status"], "OK");
    assert_eq!(raw["data"]["staff"][0]["active"], json!("true"));
    let (_, active_only) = http::get(
        &server,
        &format!("/platform/v1/businesses/{business_uid}/staffs?status=active"),
    )
    .await;
    assert_eq!(
        active_only["data"]["staff"].as_array().map(Vec::len),
        Some(10)
    );

    let err = client
        .business("not-our-business")
        .await
        .result
        .expect_err("unknown");
    assert_eq!(err.status(), Some(404));
    assert!(err.to_string().contains("not found"), "{err}");
}

#[tokio::test]
async fn a_calls_client_uid_names_a_client_whose_name_its_summaries_use() {
    let (_server, client) = server_and_client(Some(60), &[]).await;
    let page = client
        .list(&ListQuery {
            per_page: 60,
            ..ListQuery::default()
        })
        .await
        .result
        .expect("calls");
    let mut named_in_summary = 0;
    for call in &page.calls {
        let uid = call
            .client_uid
            .as_deref()
            .expect("seeded calls have a client");
        let found = client.client(uid).await;
        assert_eq!(found.exchange.path, format!("{CLIENTS_PATH}/{uid}"));
        let found = found.result.expect("every seeded client is known");
        assert_eq!(found.id.as_deref(), Some(uid));
        let name = found.display_name().expect("a name");
        assert!(
            found
                .email
                .as_deref()
                .is_some_and(|e| e.ends_with("@example.com"))
        );
        assert!(found.phone().is_some_and(|p| p.starts_with('+')));
        if call
            .call_summary
            .as_deref()
            .is_some_and(|s| s.contains(&name))
        {
            named_in_summary += 1;
        }
    }
    assert!(
        named_in_summary > 5,
        "only {named_in_summary} summaries name their client"
    );
}

#[tokio::test]
async fn an_unknown_client_is_a_404_in_the_legacy_shape() {
    let (server, client) = server_and_client(Some(5), &[]).await;
    let answer = client.client("no-such-client").await;
    let err = answer.result.expect_err("unknown");
    assert!(
        matches!(&err, ApiError::Server { status: 404, .. }),
        "{err:?}"
    );
    assert_eq!(
        err.to_string(),
        "HTTP 404: client \"no-such-client\" not found"
    );
    assert_eq!(answer.exchange.attempts, 1, "a 404 is not retried");
    let (status, raw) = http::get(&server, "/platform/v1/clients/no-such-client").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(
        raw,
        json!({"status": "Error", "error": "client \"no-such-client\" not found"})
    );

    // Nothing to look up is not sent at all.
    let before = server.seen("/platform").len();
    let blank = client.client("  ").await;
    assert!(matches!(blank.result, Err(ApiError::NotSent(_))));
    let no_digits = client.clients_by_phone("call me").await;
    let err = no_digits.result.expect_err("no digits");
    assert!(
        err.to_string()
            .contains("\"call me\" is not a phone number"),
        "{err}"
    );
    let roster = client.staff_roster("").await;
    assert!(
        roster
            .result
            .expect_err("blank")
            .to_string()
            .contains("on_behalf_of")
    );
    assert_eq!(server.seen("/platform").len(), before);
}

#[tokio::test]
async fn a_number_in_any_common_form_finds_its_client() {
    let (server, client) = server_and_client(Some(5), &[]).await;
    for form in [
        EMILY_PHONE,
        "14155550110",
        "4155550110",
        "415 555 0110",
        "(415) 555-0110",
        "+1 415-555-0110",
        " 415.555.0110 ",
    ] {
        let found = client.clients_by_phone(form).await.result.expect(form);
        let ids: Vec<_> = found.iter().filter_map(|c| c.id.as_deref()).collect();
        assert_eq!(ids, [EMILY], "{form}");
        assert_eq!(found[0].display_name().as_deref(), Some("Emily Carter"));
    }
    let none = client
        .clients_by_phone("+19995550000")
        .await
        .result
        .expect("no match");
    assert!(none.is_empty());
    // The number goes out encoded: a `+` arrives as a plus, not a space.
    let seen = server.seen(CLIENTS_PATH);
    let first = seen.first().expect("a search was sent");
    let query = first.query.as_deref().unwrap_or("");
    assert!(query.contains("search_by=phone"), "{query}");
    assert!(query.contains("search_term=%2B14155550110"), "{query}");
}

#[tokio::test]
async fn the_clients_list_pages_and_refuses_bad_parameters_by_name() {
    let (server, _client) = server_and_client(Some(5), &[]).await;
    let ids = |v: &Value| -> Vec<String> {
        v["data"]["clients"]
            .as_array()
            .expect("clients")
            .iter()
            .map(|c| c["id"].as_str().expect("id").to_string())
            .collect()
    };
    let (_, first) = http::get(&server, "/platform/v1/clients?per_page=25&page=1").await;
    let (_, second) = http::get(&server, "/platform/v1/clients?per_page=25&page=2").await;
    let (_, third) = http::get(&server, "/platform/v1/clients?per_page=25&page=3").await;
    let (_, all) = http::get(&server, "/platform/v1/clients?per_page=100").await;
    let (a, b, c) = (ids(&first), ids(&second), ids(&third));
    assert_eq!((a.len(), b.len(), c.len()), (25, 25, 10));
    assert_eq!([a, b, c].concat(), ids(&all));
    let (_, default) = http::get(&server, "/platform/v1/clients").await;
    assert_eq!(ids(&default).len(), 25, "per_page defaults to 25");
    for (query, says) in [
        ("per_page=101", "per_page"),
        ("page=0", "page"),
        ("search_by=name&search_term=Emily", "search_by must be"),
        ("search_by=phone", "search_term is required"),
    ] {
        let (status, body) = http::get(&server, &format!("/platform/v1/clients?{query}")).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{query}");
        assert_eq!(body["status"], "Error", "{query}");
        let error = body["error"].as_str().unwrap_or("");
        assert!(error.contains(says), "{query}: {error}");
    }
    let (_, by_email) = http::get(
        &server,
        "/platform/v1/clients?search_by=email&search_term=EMILY.CARTER@example.com",
    )
    .await;
    assert_eq!(ids(&by_email), [EMILY]);
}

#[tokio::test]
async fn a_wrong_token_gets_the_legacy_401_on_every_people_endpoint() {
    let (server, _) = server_and_client(Some(5), &[]).await;
    let mut opts = ClientOptions::new(
        url::Url::parse(&server.base_url()).expect("url"),
        Secret::new("wrong"),
    );
    opts.retry_base = Duration::from_millis(10);
    let client = ApiClient::new(opts).expect("client");
    let business = server.business_uid();
    let errors = [
        client.userinfo().await.result.map(|_| ()),
        client.business(&business).await.result.map(|_| ()),
        client.staff_roster(&business).await.result.map(|_| ()),
        client.client(EMILY).await.result.map(|_| ()),
        client
            .clients_by_phone(EMILY_PHONE)
            .await
            .result
            .map(|_| ()),
    ];
    for result in errors {
        let err = result.expect_err("refused");
        assert_eq!(err.to_string(), "HTTP 401: Unauthorized");
    }
    assert_eq!(
        server.seen("/platform").len() + server.seen("/oauth").len(),
        5,
        "never retried"
    );
    let raw = reqwest::Client::new()
        .get(format!("{}/oauth/userinfo", server.base_url()))
        .send()
        .await
        .expect("request");
    assert_eq!(raw.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(raw.headers()["www-authenticate"], "Bearer");
    assert_eq!(
        raw.json::<Value>().await.expect("json"),
        json!({"error": "Unauthorized"})
    );
}

#[tokio::test]
async fn a_429_with_retry_after_is_waited_out_and_then_succeeds() {
    let (server, client) = server_and_client(Some(5), &[]).await;
    // Every other search is refused: the first one, then its retry goes through.
    server.set_faults(drive::parse_faults(&[
        "status=429:path=/platform/v1/clients:rate=0.5",
        "retry-after=1:path=/platform/v1/clients",
    ]));
    let started = Instant::now();
    let answer = client.clients_by_phone(EMILY_PHONE).await;
    let found = answer.result.expect("found after waiting");
    assert_eq!(found.len(), 1);
    assert_eq!(answer.exchange.attempts, 2);
    assert!(
        started.elapsed() >= Duration::from_secs(1),
        "Retry-After: 1 was waited out ({:?})",
        started.elapsed()
    );
    assert_eq!(server.seen(CLIENTS_PATH).len(), 2);
    let (status, body) = http::get(&server, "/platform/v1/clients/x").await;
    assert_eq!(status, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(body["status"], "Error");
    assert!(
        body["error"]
            .as_str()
            .is_some_and(|e| e.contains("Rate limit exceeded"))
    );
}

#[tokio::test]
async fn faults_on_the_people_paths_leave_the_calls_alone() {
    let (server, client) = server_and_client(Some(5), &[]).await;
    server.set_faults(drive::parse_faults(&[
        "status=403:path=/platform/v1/clients",
        "status=404:path=/oauth",
    ]));
    let err = client.client(EMILY).await.result.expect_err("403");
    assert_eq!(err.status(), Some(403));
    assert_eq!(err.to_string(), "HTTP 403: injected fault: HTTP 403");
    let err = client.userinfo().await.result.expect_err("404");
    assert_eq!(err.status(), Some(404));
    let roster = client.staff_roster(&server.business_uid()).await;
    assert_eq!(roster.result.expect("the roster is not targeted").len(), 12);
    let calls = client
        .list(&ListQuery::default())
        .await
        .result
        .expect("calls");
    assert_eq!(calls.calls.len(), 5);
}

#[tokio::test]
async fn names_with_control_characters_are_cleaned_and_missing_names_fall_back() {
    let (server, client) = server_and_client(Some(5), &[]).await;
    server.put_client(record(json!({
        "id": "hostile",
        "first_name": "Emi\u{1b}]0;pwned\u{7}ly",
        "last_name": "Car\u{9b}2Jter\u{202e}\n",
        "mobile_phone": "+14155550199",
        "customer_status": "vip-gold",
        "tags": ["a\u{1b}[31mb"],
    })));
    server.put_client(record(
        json!({"id": "nameless", "normalized_phone": "+14155550198"}),
    ));
    server.put_staff(record(json!({
        "id": "odd-staff",
        "display_name": "\u{1b}[2JGrace\tO'Neill",
        "active": "False",
        "deleted": 0,
    })));
    let hostile = client.client("hostile").await.result.expect("hostile");
    assert_eq!(hostile.display_name().as_deref(), Some("Emily Carter"));
    assert_eq!(
        hostile.customer_status.as_deref(),
        Some("vip-gold"),
        "unknown kept"
    );
    assert_eq!(hostile.tags, ["ab"]);
    let by_phone = client
        .clients_by_phone("415 555 0199")
        .await
        .result
        .expect("found");
    assert_eq!(by_phone[0].display_name().as_deref(), Some("Emily Carter"));
    let nameless = client.client("nameless").await.result.expect("nameless");
    assert_eq!(nameless.display_name(), None);
    assert_eq!(nameless.phone(), Some("+14155550198"));
    let roster = client
        .staff_roster(&server.business_uid())
        .await
        .result
        .expect("roster");
    let odd = roster.last().expect("added at the end");
    assert_eq!(odd.display_name().as_deref(), Some("Grace O'Neill"));
    assert_eq!((odd.active, odd.deleted), (Some(false), Some(false)));

    server.set_userinfo(record(json!({
        "sub": "odd-staff", "business_uid": server.business_uid(),
        "business_name": "Bay\u{1b}]8;;http://evil\u{7}view", "type": "staff",
    })));
    let me = client.userinfo().await.result.expect("userinfo");
    assert_eq!(me.business_name.as_deref(), Some("Bayview"));
}

#[tokio::test]
async fn a_directory_token_names_its_business_only_where_the_spec_declares_it() {
    let (server, client) = server_and_client_with(Some(5), &[], |o| {
        o.on_behalf_of = Some("b4f7c2e91d0a6358".into());
    })
    .await;
    let business = server.business_uid();
    client
        .clients_by_phone(EMILY_PHONE)
        .await
        .result
        .expect("search");
    client.client(EMILY).await.result.expect("client");
    client.staff_roster(&business).await.result.expect("roster");
    client.business(&business).await.result.expect("business");
    client.userinfo().await.result.expect("userinfo");
    client
        .list(&ListQuery::default())
        .await
        .result
        .expect("calls");
    let header = |prefix: &str| -> Vec<Option<String>> {
        server
            .seen(prefix)
            .into_iter()
            .map(|r| r.on_behalf_of)
            .collect()
    };
    let search: Vec<_> = server
        .seen(CLIENTS_PATH)
        .into_iter()
        .filter(|r| r.path == CLIENTS_PATH)
        .map(|r| r.on_behalf_of)
        .collect();
    assert_eq!(search, [Some("b4f7c2e91d0a6358".to_string())]);
    assert_eq!(header(&format!("{CLIENTS_PATH}/")), [None]);
    assert_eq!(header("/platform/v1/businesses"), [None, None]);
    assert_eq!(header("/oauth/userinfo"), [None]);
    // The voice-call requests keep sending it, as they always have.
    assert_eq!(
        header("/v3/communication/voice_calls"),
        [Some("b4f7c2e91d0a6358".to_string())]
    );
}
