//! `callconsole calls create`: a call-back recorded from a script. The body is the console's
//! own (`domain::callback`), recorded once through its read-back (`callback::record`); what
//! the command line leaves out is found as the console finds it (our number from their
//! newest inbound call, the client from that call or by phone, me and the business from
//! userinfo). `reached` then marks their waiting calls handled (`handle.rs`).

use std::io::Write;

use serde_json::Value;

use super::{ScriptError, handle, output, written};
use crate::api::{ApiClient, ListQuery, UserInfo, VoiceCall};
use crate::cli::CreateArgs;
use crate::config::Config;
use crate::domain::callback::{self, CallBack, Outcome, RecordError};
use crate::domain::fields::normalise_phone;
use crate::domain::rules;
use crate::domain::sanitize::quoted;
use crate::persist::remembered::RememberedStore;

pub async fn run(
    client: &ApiClient,
    config: &Config,
    remembered: &RememberedStore,
    args: &CreateArgs,
    out: &mut impl Write,
    err: &mut impl Write,
) -> Result<(), ScriptError> {
    let asked = asked(args, config);
    let (Some(outcome), Some(to)) = (asked.outcome, asked.to.clone()) else {
        return Err(refused(asked.problems));
    };
    if !asked.problems.is_empty() {
        return Err(refused(asked.problems));
    }
    let found = fill_in(client, config, args, &to).await?;
    let callback = CallBack {
        outcome,
        from_number: found.from,
        to_number: to.clone(),
        staff_uid: found.me.clone(),
        client_uid: found.client,
        business_uid: found.business,
        note: args.note.clone(),
        duration: asked.duration,
        external_uuid: callback::fresh_external_uuid(),
    };
    let call: Value = match callback::record(client, &callback).await {
        Ok(call) => call,
        Err(RecordError::Invalid(errors)) => {
            return Err(refused(errors.into_iter().map(|(_, m)| m).collect()));
        }
        Err(e) => return Err(ScriptError::Failed(e.to_string())),
    };
    let report = match outcome {
        Outcome::Reached => Some(
            handle::reached(
                client,
                config,
                remembered,
                &found.me,
                &to,
                &args.handles,
                err,
            )
            .await?,
        ),
        Outcome::Voicemail | Outcome::NoAnswer => None,
    };
    // The call created is the output, as `calls show` prints it; which calls were marked
    // handled is said beside it, on stderr.
    written(output::write_call(out, &call, args.format))?;
    if let Some(report) = &report {
        written(report.write_text(err))?;
    }
    match report {
        Some(report) if !report.refused.is_empty() => Err(ScriptError::Failed(format!(
            "the call-back is recorded, but {} of the calls were not marked handled: {}",
            report.refused.len(),
            report.refused_sentence()
        ))),
        _ => Ok(()),
    }
}

/// What the command line asks for, each value checked before anything is sent.
struct Asked {
    outcome: Option<Outcome>,
    to: Option<String>,
    duration: Option<u64>,
    /// Everything wrong with the arguments, so one run says all there is to fix.
    problems: Vec<String>,
}

fn asked(args: &CreateArgs, config: &Config) -> Asked {
    let mut problems = Vec::new();
    let outcome = Outcome::parse(&args.outcome);
    if outcome.is_none() {
        problems.push(format!(
            "--outcome {} is not an outcome; use reached, voicemail or no-answer",
            quoted(&args.outcome)
        ));
    }
    let country = config.default_country.as_deref();
    let to = number("--to", &args.to, country)
        .map_err(|m| problems.push(m))
        .ok();
    if let Some(from) = &args.from
        && let Err(m) = number("--from", from, country)
    {
        problems.push(m);
    }
    if let Some(client) = &args.client
        && let Err(m) = rules::check_uid("--client", client)
    {
        problems.push(m);
    }
    let duration = args.duration.as_deref().and_then(|d| {
        rules::parse_duration(d)
            .map_err(|m| problems.push(format!("--{m}")))
            .ok()
    });
    for uid in &args.handles {
        if let Err(m) = super::call_uid(uid) {
            problems.push(format!("--handles: {m}"));
        }
    }
    if !args.handles.is_empty() && outcome.is_some_and(|o| o != Outcome::Reached) {
        problems.push(
            "--handles goes with --outcome reached: after a voicemail or no answer their calls \
             still wait"
                .to_string(),
        );
    }
    Asked {
        outcome,
        to,
        duration,
        problems,
    }
}

/// A number as E.164: as given when it is one, else a national form read with the configured
/// default country, as the form offers it.
fn number(flag: &str, value: &str, country: Option<&str>) -> Result<String, String> {
    let value = value.trim();
    let Err(message) = rules::check_phone(flag, value) else {
        return Ok(value.to_string());
    };
    if let Some(e164) = country.and_then(|c| normalise_phone(value, c)) {
        return Ok(e164);
    }
    Err(match country {
        Some(_) => message,
        None => format!(
            "{message}; write it as +14155550148, or set default_country (e.g. US) to give \
             national numbers"
        ),
    })
}

/// What the command line left out, found.
struct Found {
    me: String,
    business: String,
    from: String,
    client: String,
}

async fn fill_in(
    client: &ApiClient,
    config: &Config,
    args: &CreateArgs,
    to: &str,
) -> Result<Found, ScriptError> {
    let mut problems = Vec::new();
    let country = config.default_country.as_deref();
    let userinfo = client.userinfo().await.result;
    let (me, business) = who(config, &userinfo, &mut problems);
    let newest = match (&args.from, &args.client) {
        (Some(_), Some(_)) => None,
        _ => newest_inbound(client, to).await?,
    };
    let from = match &args.from {
        Some(from) => number("--from", from, country).unwrap_or_default(),
        None => match newest.as_ref().and_then(|c| c.to_number.clone()) {
            Some(ours) => ours,
            None => {
                problems.push(format!(
                    "our number is not known: no call from {to} reached us; pass --from with \
                     the number they should see, like --from +14155550100"
                ));
                String::new()
            }
        },
    };
    let client_uid = match &args.client {
        Some(uid) => uid.clone(),
        None => match newest
            .as_ref()
            .and_then(|c| c.client_uid.clone())
            .filter(|u| !u.trim().is_empty())
        {
            Some(uid) => uid,
            None => match by_phone(client, to).await {
                Some(uid) => uid,
                None => {
                    problems.push(format!(
                        "the client is not known: no call from {to} names one and no client \
                         has that number; pass --client CLIENT_UID"
                    ));
                    String::new()
                }
            },
        },
    };
    if !problems.is_empty() {
        return Err(refused(problems));
    }
    Ok(Found {
        me,
        business,
        from,
        client: client_uid,
    })
}

/// Me (the configured staff uid, else the token's `sub`) and the business (userinfo's,
/// else the configured `on_behalf_of`).
fn who(
    config: &Config,
    userinfo: &Result<UserInfo, crate::api::ApiError>,
    problems: &mut Vec<String>,
) -> (String, String) {
    let info = userinfo.as_ref().ok();
    let why = match userinfo {
        Ok(_) => "it names none".to_string(),
        Err(e) => e.to_string(),
    };
    let me = config
        .staff_uid
        .clone()
        .or_else(|| info.and_then(|i| i.sub.clone()))
        .filter(|s| !s.trim().is_empty());
    let business = info
        .and_then(|i| i.business_uid.clone())
        .or_else(|| config.on_behalf_of.clone())
        .filter(|s| !s.trim().is_empty());
    if me.is_none() {
        problems.push(format!(
            "who you are is not known (GET /oauth/userinfo: {why}); set staff_uid in {} (or \
             CALLCONSOLE_STAFF_UID, or --staff-uid UID)",
            config.path.display()
        ));
    }
    if business.is_none() {
        problems.push(format!(
            "the business is not known (GET /oauth/userinfo: {why}); set on_behalf_of in {} \
             (or CALLCONSOLE_ON_BEHALF_OF) to the business uid",
            config.path.display()
        ));
    }
    (me.unwrap_or_default(), business.unwrap_or_default())
}

/// Their newest inbound call: the number it reached is ours, its client is theirs.
async fn newest_inbound(client: &ApiClient, their: &str) -> Result<Option<VoiceCall>, ScriptError> {
    let query = ListQuery {
        page: 1,
        per_page: 1,
        sort: Some("created_at:desc".to_string()),
        filters: vec![
            ("from_number".to_string(), None, their.to_string()),
            ("direction".to_string(), None, "INBOUND".to_string()),
        ],
    };
    Ok(client.list(&query).await.result?.calls.into_iter().next())
}

/// The client with this phone number, if the API finds exactly one or names a first.
async fn by_phone(client: &ApiClient, number: &str) -> Option<String> {
    match client.clients_by_phone(number).await.result {
        Ok(clients) => clients.into_iter().find_map(|c| c.id),
        Err(e) => {
            tracing::warn!("clients by phone {number}: {e}");
            None
        }
    }
}

fn refused(mut problems: Vec<String>) -> ScriptError {
    problems.push("nothing sent".to_string());
    ScriptError::Invalid(problems)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_e164_or_national_with_a_country() {
        assert_eq!(
            number("--to", " +14155550148 ", None).as_deref(),
            Ok("+14155550148")
        );
        assert_eq!(
            number("--to", "(415) 555-0148", Some("US")).as_deref(),
            Ok("+14155550148")
        );
        let e = number("--to", "(415) 555-0148", None).expect_err("no country");
        assert!(
            e.starts_with("--to") && e.contains("default_country"),
            "{e}"
        );
        let e = number("--to", "555", Some("US")).expect_err("too short");
        assert!(e.starts_with("--to"), "{e}");
    }
}
