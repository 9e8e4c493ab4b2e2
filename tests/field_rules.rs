//! The form and the embedded server apply the same rule to the same field: for every row of
//! the field table, values its rule refuses are refused by the form's `validate` and, sent in a
//! PUT over real HTTP, by the server with a 422 naming that field; values it accepts pass both.

use callconsole::domain::fields::{self, FIELDS, Field, FieldId, Kind, Rule, Values};
use callconsole::server::{self, RunningServer, ServerOptions};
use reqwest::StatusCode;
use serde_json::{Value, json};

const CALLS: &str = "/v3/communication/voice_calls";

/// Values each rule refuses, as a person would type them into the form.
fn bad_values(field: &Field) -> Vec<String> {
    let v = |values: &[&str]| values.iter().map(|s| s.to_string()).collect::<Vec<_>>();
    match field.rule {
        Rule::Uid => {
            let mut bad = v(&["", "has space", "a\u{7}b"]);
            bad.push("x".repeat(65));
            bad
        }
        Rule::OptionalUid => v(&["has space", "a\u{7}b"]),
        Rule::Phone => v(&[
            "",
            "415",
            "+0123",
            "(415) 555-0148",
            "+1234567890123456",
            "+12",
            "+1555",
            "+4412",
            "+10155550148",
        ]),
        Rule::Choice => v(&[""]),
        Rule::Decimal => v(&["", "-1", "1e3", "1,50", ".5"]),
        Rule::Text => v(&["", "   ", "a\u{7}b"]),
        Rule::Duration => v(&["", "-3", "1.5", "86401", "18446744073709551615"]),
        Rule::Url => v(&["", "ftp://example.com", "/relative", "https://"]),
    }
}

/// Values each rule takes, beside the table's own example.
fn good_values(field: &Field) -> Vec<String> {
    let mut good: Vec<String> = match field.rule {
        Rule::Uid => vec!["x".repeat(64)],
        Rule::OptionalUid => vec![String::new()],
        Rule::Phone => vec![
            "+442083661177".into(),
            "+390612345678".into(),
            "+4930123456".into(),
        ],
        Rule::Choice => field.choices().iter().map(|c| c.to_string()).collect(),
        Rule::Decimal => vec!["0".into(), "12".into()],
        Rule::Text if field.kind == Kind::LongText => vec!["two\n\tlines".into()],
        Rule::Text => vec![" padded ".into()],
        Rule::Duration => vec!["0".into(), "2:05".into(), "86400".into()],
        Rule::Url => vec!["http://example.com".into()],
    };
    good.push(field.example.to_string());
    good
}

/// Every field at the table's example: a body both sides take.
fn examples() -> Values {
    FieldId::ALL
        .into_iter()
        .map(|f| (f, f.example().to_string()))
        .collect()
}

/// The JSON a field's typed text travels as: a number field as a number when it reads as
/// one, an empty optional field as null, anything else as the string itself.
fn as_json(field: &Field, value: &str) -> Value {
    match (field.kind, field.rule) {
        (Kind::Number, _) => serde_json::from_str::<serde_json::Number>(value)
            .map_or_else(|_| json!(value), Value::Number),
        (_, Rule::OptionalUid) if value.is_empty() => Value::Null,
        _ => json!(value),
    }
}

async fn put(server: &RunningServer, uid: &str, body: &Value) -> (StatusCode, Value) {
    callconsole::api::client::install_tls();
    let resp = reqwest::Client::new()
        .put(format!("{}{CALLS}/{uid}", server.base_url()))
        .bearer_auth(server.token())
        .json(body)
        .send()
        .await
        .expect("request");
    (resp.status(), resp.json().await.expect("JSON body"))
}

async fn first_uid(server: &RunningServer) -> String {
    let list = get_json(server, "?per_page=1").await;
    list["data"]["voice_calls"][0]["uid"]
        .as_str()
        .expect("a call")
        .to_string()
}

/// The embedded server with three calls, as every test here starts.
async fn small_server() -> server::RunningServer {
    server::start(ServerOptions {
        port: 0,
        token: "t".into(),
        data_file: None,
        import_json: None,
        seed_count: Some(3),
        legacy_stats_only: false,
        faults: Vec::new(),
    })
    .await
    .expect("server")
}

#[tokio::test]
async fn the_form_and_the_server_agree_on_every_field() {
    let server = small_server().await;
    let uid = first_uid(&server).await;
    let good_body =
        serde_json::to_value(fields::validate(&examples()).expect("examples pass")).expect("json");

    for field in &FIELDS {
        for bad in bad_values(field) {
            let case = format!("{} = {bad:?}", field.name);
            // The form: its validate names this field, and only this one.
            let mut values = examples();
            values.insert(field.id, bad.clone());
            let form = fields::validate(&values).expect_err(&case);
            assert_eq!(form.len(), 1, "{case}: {form:?}");
            assert_eq!(form[0].0, field.id, "{case}");
            // The server: a 422 naming this field, and only this one.
            let mut body = good_body.clone();
            body[field.name] = as_json(field, &bad);
            let (status, answer) = put(&server, &uid, &body).await;
            assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{case}: {answer}");
            let errors = answer["errors"].as_array().expect("errors");
            assert_eq!(errors.len(), 1, "{case}: {answer}");
            assert_eq!(errors[0]["field"], field.name, "{case}: {answer}");
            let message = errors[0]["message"].as_str().expect("message");
            assert!(message.starts_with(field.name), "{case}: {message}");
            // A string the server checks with the form's own rule gets the form's words.
            if !matches!(field.rule, Rule::Choice | Rule::Duration) {
                assert_eq!(message, form[0].1, "{case}");
            }
        }
        for good in good_values(field) {
            let case = format!("{} = {good:?}", field.name);
            let mut values = examples();
            values.insert(field.id, good.clone());
            let body = fields::validate(&values).unwrap_or_else(|e| panic!("{case}: {e:?}"));
            let body = serde_json::to_value(body).expect("json");
            let (status, answer) = put(&server, &uid, &body).await;
            assert_eq!(status, StatusCode::OK, "{case}: {answer}");
        }
        // The one known difference: a picker value outside the choices is one only the server
        // can have sent, so the form sends it back unchanged; this server itself refuses it.
        if field.rule == Rule::Choice {
            let odd = "SOMETHING_NEW";
            assert_eq!(fields::check(field.id, odd), None, "{}", field.name);
            let mut body = good_body.clone();
            body[field.name] = json!(odd);
            let (status, answer) = put(&server, &uid, &body).await;
            assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{answer}");
            assert_eq!(answer["errors"][0]["field"], field.name, "{answer}");
        }
    }
    server.shutdown().await;
}

/// `GET {CALLS}{rest}` with the test token, as JSON.
async fn get_json(server: &RunningServer, rest: &str) -> Value {
    callconsole::api::client::install_tls();
    reqwest::Client::new()
        .get(format!("{}{CALLS}{rest}", server.base_url()))
        .bearer_auth(server.token())
        .send()
        .await
        .expect("request")
        .json()
        .await
        .expect("JSON body")
}

async fn get(server: &RunningServer, uid: &str) -> Value {
    get_json(server, &format!("/{uid}")).await["data"].clone()
}

/// Issue 13, point 11: a duration no call lasts and a number no country has are refused by
/// name, and the stored call keeps what it had (no clamped duration, no `+12`).
#[tokio::test]
async fn impossible_durations_and_numbers_are_refused_and_nothing_is_stored() {
    let server = small_server().await;
    let uid = first_uid(&server).await;
    let before = get(&server, &uid).await;
    assert!(before["duration"].is_number(), "{before}");
    let good_body =
        serde_json::to_value(fields::validate(&examples()).expect("examples pass")).expect("json");

    let cases = [
        (
            "duration",
            json!(u64::MAX),
            "duration must be at most 86400 seconds (24 hours); got \"18446744073709551615\"",
        ),
        (
            "from_number",
            json!("+12"),
            "from_number \"+12\" is too short for a number with country code +1 \
             (11 digits expected)",
        ),
        (
            "to_number",
            json!("+4412"),
            "to_number \"+4412\" is too short for a number with country code +44 \
             (11 to 12 digits expected)",
        ),
    ];
    for (field, value, message) in cases {
        let mut body = good_body.clone();
        body[field] = value.clone();
        let (status, answer) = put(&server, &uid, &body).await;
        assert_eq!(
            status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{field}={value}: {answer}"
        );
        let errors = answer["errors"].as_array().expect("errors");
        assert_eq!(errors.len(), 1, "{answer}");
        assert_eq!(errors[0]["field"], field, "{answer}");
        assert_eq!(errors[0]["message"], message, "{answer}");
        assert_eq!(
            get(&server, &uid).await,
            before,
            "{field}={value} changed the call"
        );
    }

    // The longest call there is goes through, and is stored as sent.
    let mut body = good_body.clone();
    body["duration"] = json!(86_400);
    let (status, answer) = put(&server, &uid, &body).await;
    assert_eq!(status, StatusCode::OK, "{answer}");
    let after = get(&server, &uid).await;
    assert_eq!(after["duration"], json!(86_400), "{after}");
    assert_eq!(after["from_number"], good_body["from_number"], "{after}");
    server.shutdown().await;
}
