//! `callconsole calls update`: the edit form without a screen. The body is built from the
//! call as the server has it by the save policy ([`crate::domain::save`]), checked by the
//! field table's rules, and sent only if the policy's check finds the call still the one the
//! change was built on.

use std::io::Write;

use serde_json::Value;

use super::{ScriptError, output, written};
use crate::api::{ApiClient, VoiceCall};
use crate::cli::UpdateArgs;
use crate::config::Config;
use crate::domain::fields::{self, FieldId, Kind};
use crate::domain::save::{self, BodyError, Outcome};
use crate::persist::remembered::RememberedStore;

pub async fn run(
    client: &ApiClient,
    config: &Config,
    remembered: &RememberedStore,
    args: &UpdateArgs,
    out: &mut impl Write,
    err: &mut impl Write,
) -> Result<(), ScriptError> {
    // Bad arguments are reported before anything is fetched.
    let edits = edits(args, config)?;
    let mut read = fetch(client, &args.uid).await?;
    // What was sent before for the fields the server never sends back.
    let (mut kept, problem) = remembered.load();
    if let Some(problem) = problem {
        written(writeln!(err, "callconsole: {problem}"))?;
    }
    kept.fill(&mut read);
    let (original, missing) = fields::prefill(&read);
    let mut values = original.clone();
    for (field, value) in &edits {
        values.insert(*field, value.clone());
    }
    let given: Vec<FieldId> = edits.iter().map(|(f, _)| *f).collect();
    // `--status MISSED` on a handled call also clears its handler, unless `--handled-by`
    // says otherwise.
    save::unhandle(&mut values, &given);
    let changed: Vec<FieldId> = FieldId::ALL
        .into_iter()
        .filter(|f| values.get(f) != original.get(f))
        .collect();
    let body = match save::body(&values, &changed, config.update_fields) {
        Err(BodyError::Invalid(errors)) => return Err(refusal(&errors, &missing, &given)),
        body => body,
    };

    // The stamp given is checked first: a change based on an older copy is refused whether
    // or not it would change anything.
    let then = read.updated_at.as_deref();
    if let Some(expected) = &args.if_updated_at
        && !save::same_moment(Some(expected), then)
    {
        return Err(conflict(&args.uid, expected, then.unwrap_or_default()));
    }
    let body = match body {
        Ok(body) => body,
        Err(_) => {
            written(writeln!(
                err,
                "callconsole: call {} already has these values; nothing sent",
                args.uid
            ))?;
            return Ok(());
        }
    };
    let checked = save::check_and_put::<Value>(client, &args.uid, then, &body).await;
    let current = checked.check.result?;
    let updated = match checked.outcome {
        Outcome::Sent(answer) => {
            let updated = answer.result?;
            let at = chrono::Utc::now().to_rfc3339();
            if kept.note(&args.uid, &body, &at)
                && let Err(e) = remembered.save(&kept)
            {
                // Saved on the server all the same: only the next run will ask again.
                written(writeln!(
                    err,
                    "callconsole: saved, but the values sent could not be kept in {}: {e}",
                    remembered.path().display()
                ))?;
            }
            updated
        }
        // It already holds this change (a colleague made the same one): that is the result.
        Outcome::AlreadyHolds => current,
        Outcome::Conflict | Outcome::NotRead => {
            let now = current.get("updated_at").and_then(Value::as_str);
            return Err(conflict(
                &args.uid,
                then.unwrap_or_default(),
                now.unwrap_or_default(),
            ));
        }
    };
    written(output::write_call(out, &updated, args.format))
}

async fn fetch(client: &ApiClient, uid: &str) -> Result<VoiceCall, ScriptError> {
    let value = client.get_json(uid).await.result?;
    output::typed(&value).ok_or_else(|| {
        ScriptError::Failed(format!("the server's answer for call {uid} is not a call"))
    })
}

/// The changes asked for, in the order they apply (`--field`s, then `--status` and
/// `--handled-by`), or every problem with them.
fn edits(args: &UpdateArgs, config: &Config) -> Result<Vec<(FieldId, String)>, ScriptError> {
    let mut edits = Vec::new();
    let mut problems = Vec::new();
    for item in &args.fields {
        match field(item) {
            Ok(edit) => edits.push(edit),
            Err(m) => problems.push(m),
        }
    }
    if let Some(s) = &args.status {
        match super::list::status(s) {
            Ok(s) => edits.push((FieldId::Status, s)),
            Err(m) => problems.push(m),
        }
    }
    match args.handled_by.as_deref() {
        Some("me") => match &config.staff_uid {
            Some(me) => edits.push((FieldId::HandledByStaffUid, me.clone())),
            None => problems.push(format!(
                "--handled-by me needs your staff uid: set staff_uid in {} (or \
                 CALLCONSOLE_STAFF_UID), or pass the uid: --handled-by STAFF_UID",
                config.path.display()
            )),
        },
        Some(uid) => match crate::domain::rules::check_staff_uid("--handled-by", uid) {
            Ok(()) => edits.push((FieldId::HandledByStaffUid, uid.to_string())),
            Err(m) => problems.push(m),
        },
        None => {}
    }
    if problems.is_empty() {
        Ok(edits)
    } else {
        Err(ScriptError::Invalid(problems))
    }
}

/// `name=value` for one of the 17 update fields. Picker values must be one the form offers
/// (any case); the rest is left to the form's `validate`.
fn field(item: &str) -> Result<(FieldId, String), String> {
    let names = || {
        FieldId::ALL
            .iter()
            .map(|f| f.name())
            .collect::<Vec<_>>()
            .join(", ")
    };
    let Some((name, value)) = item.split_once('=') else {
        return Err(format!(
            "--field \"{item}\" must be NAME=VALUE, like --field price=1.50"
        ));
    };
    let Some(field) = FieldId::from_name(name.trim()) else {
        return Err(format!(
            "--field \"{item}\": \"{name}\" is not a field; use one of {}",
            names()
        ));
    };
    match field.kind() {
        Kind::Picker(choices) => {
            let up = value.trim().to_ascii_uppercase();
            if field.spec().choices().contains(&up.as_str()) {
                Ok((field, up))
            } else {
                Err(format!(
                    "--field {name}: \"{value}\" is not allowed; use one of {}",
                    choices.join(", ")
                ))
            }
        }
        Kind::Text | Kind::LongText | Kind::Number => Ok((field, value.to_string())),
    }
}

/// What to say when `validate` refuses: fields the API never sends back get one message
/// with `--field` examples; every other field its own rule's message.
fn refusal(errors: &[(FieldId, String)], missing: &[FieldId], given: &[FieldId]) -> ScriptError {
    let unsent: Vec<FieldId> = errors
        .iter()
        .map(|(f, _)| *f)
        .filter(|f| missing.contains(f) && !given.contains(f))
        .collect();
    let mut lines: Vec<String> = errors
        .iter()
        .filter(|(f, _)| !unsent.contains(f))
        .map(|(_, m)| m.clone())
        .collect();
    if !unsent.is_empty() {
        let names: Vec<&str> = unsent.iter().map(|f| f.name()).collect();
        let hints: Vec<String> = unsent
            .iter()
            .map(|f| format!("--field {}={}", f.name(), f.example()))
            .collect();
        let them = if unsent.len() == 1 { "it" } else { "them" };
        lines.push(format!(
            "{}: the API does not send {them} back, but an update needs {them}; add {}",
            names.join(", "),
            hints.join(" ")
        ));
    }
    lines.push("nothing sent".to_string());
    ScriptError::Invalid(lines)
}

fn conflict(uid: &str, then: &str, now: &str) -> ScriptError {
    ScriptError::Failed(format!(
        "call {uid} changed on the server since it was read (updated_at {then} → {now}); \
         nothing sent"
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_are_named_and_checked() {
        assert_eq!(
            field("price=1.50"),
            Ok((FieldId::Price, "1.50".to_string()))
        );
        assert_eq!(
            field("direction=outbound"),
            Ok((FieldId::Direction, "OUTBOUND".to_string()))
        );
        assert_eq!(
            field("call_summary=a=b"),
            Ok((FieldId::CallSummary, "a=b".to_string()))
        );
        let e = field("colour=red").expect_err("unknown");
        assert!(
            e.contains("\"colour\"") && e.contains("handled_by_staff_uid"),
            "{e}"
        );
        assert!(field("price").is_err());
        assert!(field("provider=twilio").is_err());
    }

    #[test]
    fn missing_server_fields_get_one_hint() {
        let errors = vec![
            (FieldId::FromNumber, "from_number must be E.164".to_string()),
            (FieldId::Rate, "rate is required".to_string()),
            (FieldId::Price, "price is required".to_string()),
        ];
        let missing = [FieldId::Rate, FieldId::Price, FieldId::RecordingId];
        let ScriptError::Invalid(lines) = refusal(&errors, &missing, &[FieldId::Price]) else {
            panic!("not invalid");
        };
        assert_eq!(lines.len(), 4, "{lines:?}");
        assert_eq!(lines[1], "price is required");
        assert!(
            lines[2].starts_with("rate: the API does not send it back")
                && lines[2].contains("--field rate=0.05")
        );
    }
}
