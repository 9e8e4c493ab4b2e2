//! `calls create --outcome reached`: the caller's waiting calls (or the `--handles` ones)
//! marked handled by me, each through the save policy `calls update` and `h` use: the body
//! `h` sends (`domain::handling`), the conflict check on the copy it was read from, `If-Match`.

use std::io::{self, Write};

use serde_json::Value;

use super::{ScriptError, output, written};
use crate::api::client::MAX_PER_PAGE;
use crate::api::{ApiClient, ListQuery, VoiceCall};
use crate::config::Config;
use crate::domain::fields::FieldId;
use crate::domain::handling;
use crate::domain::save::{self, Outcome};
use crate::persist::remembered::RememberedStore;

/// The most of a caller's calls read to find those waiting (pages of 100).
const MOST_PAGES: u32 = 20;

/// Which calls were marked handled, and which were not and why.
#[derive(Debug, Default)]
pub struct Report {
    pub handled: Vec<String>,
    pub refused: Vec<(String, String)>,
}

impl Report {
    /// One line per call: `callconsole: handled UID`, `callconsole: not handled UID: why`.
    pub fn write_text(&self, out: &mut impl Write) -> io::Result<()> {
        for uid in &self.handled {
            writeln!(out, "callconsole: handled {uid}")?;
        }
        for (uid, why) in &self.refused {
            writeln!(out, "callconsole: not handled {uid}: {why}")?;
        }
        if self.handled.is_empty() && self.refused.is_empty() {
            writeln!(out, "callconsole: no waiting calls to mark handled")?;
        }
        Ok(())
    }

    pub fn refused_sentence(&self) -> String {
        self.refused
            .iter()
            .map(|(uid, why)| format!("{uid} ({why})"))
            .collect::<Vec<_>>()
            .join(", ")
    }
}

/// Marks `handles` handled by `me`, or, when none are given, every waiting call from
/// `their` number (an inbound missed call or voicemail nobody handled).
pub async fn reached(
    client: &ApiClient,
    config: &Config,
    remembered: &RememberedStore,
    me: &str,
    their: &str,
    handles: &[String],
    err: &mut impl Write,
) -> Result<Report, ScriptError> {
    let mut report = Report::default();
    let targets = if handles.is_empty() {
        waiting_from(client, their).await?
    } else {
        let mut calls = Vec::new();
        for uid in handles {
            match client.get_json(uid).await.result {
                Ok(call) => calls.push(call),
                Err(e) => report.refused.push((uid.clone(), e.to_string())),
            }
        }
        calls
    };
    let (mut kept, problem) = remembered.load();
    if let Some(problem) = problem {
        written(writeln!(err, "callconsole: {problem}"))?;
    }
    let mut noted = false;
    for json in targets {
        let Some(mut call) = output::typed(&json) else {
            continue;
        };
        let uid = call.uid.clone().unwrap_or_default();
        if let Err(skip) = handling::check(&call) {
            report.refused.push((uid, skip.reason()));
            continue;
        }
        // What was sent before for the fields the server never sends back.
        kept.fill(&mut call);
        let body = match handling::handled_body(&call, me, &config.defaults, config.update_fields) {
            Ok(body) => body,
            Err(errors) => {
                report.refused.push((uid, unsendable(&errors)));
                continue;
            }
        };
        let then = call.updated_at.as_deref();
        let checked = save::check_and_put::<Value>(client, &uid, then, &body).await;
        match checked.outcome {
            Outcome::Sent(answer) => match answer.result {
                Ok(_) => {
                    let at = chrono::Utc::now().to_rfc3339();
                    noted |= kept.note(&uid, &body, &at);
                    report.handled.push(uid);
                }
                Err(e) => report.refused.push((uid, e.to_string())),
            },
            Outcome::AlreadyHolds => report.handled.push(uid),
            Outcome::Conflict => report
                .refused
                .push((uid, "changed on the server since it was read".to_string())),
            Outcome::NotRead => {
                let why = checked
                    .check
                    .result
                    .err()
                    .map_or_else(|| "it could not be read".to_string(), |e| e.to_string());
                report.refused.push((uid, why));
            }
        }
    }
    if noted && let Err(e) = remembered.save(&kept) {
        written(writeln!(
            err,
            "callconsole: handled, but the values sent could not be kept in {}: {e}",
            remembered.path().display()
        ))?;
    }
    Ok(report)
}

/// Their calls that wait for a call back, as the server sent them, newest first.
async fn waiting_from(client: &ApiClient, their: &str) -> Result<Vec<Value>, ScriptError> {
    let mut waiting = Vec::new();
    for page in 1..=MOST_PAGES {
        let query = ListQuery {
            page,
            per_page: MAX_PER_PAGE,
            sort: Some("created_at:desc".to_string()),
            filters: vec![("from_number".to_string(), None, their.to_string())],
        };
        let data = client.list_json(&query).await.result?;
        let calls = data
            .get("voice_calls")
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default();
        let full = calls.len() >= MAX_PER_PAGE as usize;
        waiting.extend(calls.into_iter().filter(|c| {
            output::typed(c).is_some_and(|call: VoiceCall| handling::check(&call).is_ok())
        }));
        if !full {
            break;
        }
    }
    Ok(waiting)
}

/// Why a call cannot be marked handled from here: the fields its update body lacks. Those
/// the API never sends back can come from `[defaults]`; the others are the call's own.
fn unsendable(errors: &[(FieldId, String)]) -> String {
    let (unsent, own): (Vec<_>, Vec<_>) = errors.iter().partition(|(f, _)| !f.sent_back());
    let mut parts: Vec<String> = own.iter().map(|(_, m)| m.clone()).collect();
    if !unsent.is_empty() {
        let names: Vec<&str> = unsent.iter().map(|(f, _)| f.name()).collect();
        parts.push(format!(
            "its update needs {} (the API does not send them back): set them under [defaults] \
             in the config",
            names.join(", ")
        ));
    }
    format!("{}; fix it with calls update --field", parts.join("; "))
}
