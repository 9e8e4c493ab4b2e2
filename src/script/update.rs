//! `callconsole calls update`: the edit form without a screen. The body is built from the
//! call as the server has it by the save policy ([`crate::domain::save`]), checked by the
//! field table's rules, and sent only if the policy's check finds the call still the one the
//! change was built on.

use std::io::Write;

use serde_json::Value;

use super::{ScriptError, output, written};
use crate::api::model::parse_time;
use crate::api::{ApiClient, VoiceCall};
use crate::cli::UpdateArgs;
use crate::config::Config;
use crate::domain::fields::{self, FieldId, Kind};
use crate::domain::sanitize::quoted;
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
    let asked = asked(args, config);
    // A uid that cannot be one is refused before anything is sent.
    if let Err(m) = super::call_uid(&args.uid) {
        let mut problems = vec![m];
        problems.extend(asked.problems);
        return Err(refusal(problems, &[], &[], &[]));
    }
    // Fetched even when the arguments are wrong, so that what the call itself lacks (fields
    // the API never sends back) is said in the same run as what is wrong with them.
    let mut read = match fetch(client, &args.uid).await {
        Ok(read) => read,
        // Wrong input is wrong whatever the server answers: that is what to fix first.
        Err(_) if !asked.problems.is_empty() => {
            return Err(refusal(asked.problems, &[], &[], &[]));
        }
        Err(e) => return Err(e),
    };
    let edits = asked.edits;
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
        Err(BodyError::Invalid(errors)) => {
            return Err(refusal(asked.problems, &errors, &missing, &asked.named));
        }
        _ if !asked.problems.is_empty() => {
            return Err(refusal(asked.problems, &[], &missing, &asked.named));
        }
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

/// What the command line asks for.
struct Asked {
    /// The changes, in the order they apply (`--field`s, then `--status` and
    /// `--handled-by`); a value that is wrong is not among them.
    edits: Vec<(FieldId, String)>,
    /// Every field the command line names, whether its value is right or not.
    named: Vec<FieldId>,
    /// Everything wrong with the arguments, all of it, so one run says all there is to fix.
    problems: Vec<String>,
}

/// Reads the arguments: each value is checked by its field's rule here, before anything is
/// fetched, and a field given twice is refused rather than one value silently winning.
fn asked(args: &UpdateArgs, config: &Config) -> Asked {
    let mut edits = Vec::new();
    let mut problems = Vec::new();
    // Each field named, with how it was given, for the message about one given twice.
    let mut given: Vec<(FieldId, String)> = Vec::new();
    for item in &args.fields {
        match field(item) {
            Ok((field, value)) => {
                given.push((field, format!("--field {}={}", field.name(), quoted(value))));
                match field_value(field, value) {
                    Ok(value) => edits.push((field, value)),
                    Err(m) => problems.push(m),
                }
            }
            Err(m) => problems.push(m),
        }
    }
    if let Some(s) = &args.status {
        given.push((FieldId::Status, format!("--status {}", quoted(s))));
        match super::list::status(s) {
            Ok(s) => edits.push((FieldId::Status, s)),
            Err(m) => problems.push(m),
        }
    }
    if let Some(by) = &args.handled_by {
        given.push((
            FieldId::HandledByStaffUid,
            format!("--handled-by {}", quoted(by)),
        ));
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
    for f in FieldId::ALL {
        let ways: Vec<&str> = given
            .iter()
            .filter(|(g, _)| *g == f)
            .map(|(_, how)| how.as_str())
            .collect();
        if ways.len() > 1 {
            problems.push(format!(
                "{} is given {} times ({}); give it once",
                f.name(),
                ways.len(),
                ways.join(", ")
            ));
        }
    }
    // Not a time is a mistake in the command, not a conflict with the server.
    if let Some(stamp) = &args.if_updated_at
        && parse_time(stamp).is_none()
    {
        problems.push(format!(
            "--if-updated-at {} is not a time; give the call's updated_at as calls show prints \
             it, like 2026-03-02T10:00:00Z",
            quoted(stamp)
        ));
    }
    Asked {
        edits,
        named: given.into_iter().map(|(f, _)| f).collect(),
        problems,
    }
}

/// `name=value` for one of the 17 update fields; the value is checked by [`field_value`].
fn field(item: &str) -> Result<(FieldId, &str), String> {
    let names = || {
        FieldId::ALL
            .iter()
            .map(|f| f.name())
            .collect::<Vec<_>>()
            .join(", ")
    };
    let Some((name, value)) = item.split_once('=') else {
        return Err(format!(
            "--field {} must be NAME=VALUE, like --field price=1.50",
            quoted(item)
        ));
    };
    let Some(field) = FieldId::from_name(name.trim()) else {
        return Err(format!(
            "--field {}: {} is not a field; use one of {}",
            quoted(item),
            quoted(name),
            names()
        ));
    };
    Ok((field, value))
}

/// A picker's value must be one the form offers (any case, sent in capitals); any other
/// value must pass its field's rule, the one the form and the server use.
fn field_value(field: FieldId, value: &str) -> Result<String, String> {
    match field.kind() {
        Kind::Picker(choices) => {
            let up = value.trim().to_ascii_uppercase();
            if field.spec().choices().contains(&up.as_str()) {
                Ok(up)
            } else {
                Err(format!(
                    "--field {}: {} is not allowed; use one of {}",
                    field.name(),
                    quoted(value),
                    choices.join(", ")
                ))
            }
        }
        Kind::Text | Kind::LongText | Kind::Number => match fields::check(field, value) {
            None => Ok(value.to_string()),
            Some(m) => Err(m),
        },
    }
}

/// What to say when the input is refused: first what is wrong with the arguments
/// (`problems`), then what `validate` found in the fields the command line did not name
/// (a named one was checked with its value already): fields the API never sends back get one
/// message with `--field` examples, every other field its own rule's message.
fn refusal(
    mut lines: Vec<String>,
    errors: &[(FieldId, String)],
    missing: &[FieldId],
    named: &[FieldId],
) -> ScriptError {
    let errors: Vec<&(FieldId, String)> =
        errors.iter().filter(|(f, _)| !named.contains(f)).collect();
    let unsent: Vec<FieldId> = errors
        .iter()
        .map(|(f, _)| *f)
        .filter(|f| missing.contains(f))
        .collect();
    lines.extend(
        errors
            .iter()
            .filter(|(f, _)| !unsent.contains(f))
            .map(|(_, m)| m.clone()),
    );
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
        let parsed = |item: &str| field(item).and_then(|(f, v)| Ok((f, field_value(f, v)?)));
        assert_eq!(
            parsed("price=1.50"),
            Ok((FieldId::Price, "1.50".to_string()))
        );
        assert_eq!(
            parsed("direction=outbound"),
            Ok((FieldId::Direction, "OUTBOUND".to_string()))
        );
        assert_eq!(
            parsed("call_summary=a=b"),
            Ok((FieldId::CallSummary, "a=b".to_string()))
        );
        let e = parsed("colour=red").expect_err("unknown");
        assert!(
            e.contains("\"colour\"") && e.contains("handled_by_staff_uid"),
            "{e}"
        );
        assert!(parsed("price").is_err());
        assert!(parsed("provider=twilio").is_err());
        let e = parsed("price=cheap").expect_err("the field's rule");
        assert!(e.contains("price must be a non-negative decimal"), "{e}");
    }

    #[test]
    fn missing_server_fields_get_one_hint() {
        let errors = vec![
            (FieldId::FromNumber, "from_number must be E.164".to_string()),
            (FieldId::Rate, "rate is required".to_string()),
            (FieldId::Price, "price is required".to_string()),
        ];
        let missing = [FieldId::Rate, FieldId::Price, FieldId::RecordingId];
        // price was named, so its problem was said with the arguments' own.
        let problems = vec!["--field price: told already".to_string()];
        let ScriptError::Invalid(lines) = refusal(problems, &errors, &missing, &[FieldId::Price])
        else {
            panic!("not invalid");
        };
        assert_eq!(lines.len(), 4, "{lines:?}");
        assert_eq!(lines[0], "--field price: told already");
        assert_eq!(lines[1], "from_number must be E.164");
        assert!(
            lines[2].starts_with("rate: the API does not send it back")
                && lines[2].contains("--field rate=0.05")
                && !lines[2].contains("price"),
            "{lines:?}"
        );
        assert_eq!(lines[3], "nothing sent");
    }
}
