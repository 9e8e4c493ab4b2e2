//! How calls are printed for scripts: an aligned table, RFC 4180 CSV, the server's JSON, or
//! one `field: value` per line. Everything writes to a `Write`, so it is testable.

use std::borrow::Cow;
use std::io::{self, Write};

use serde::Deserialize;
use serde_json::Value;

use crate::api::VoiceCall;
use crate::api::model::parse_time;
use crate::cli::{ListFormat, ShowFormat};
use crate::domain::people::People;
use crate::domain::sanitize::single_line;
use crate::domain::zone::Zone;

/// Reads a server object the forgiving way the console does; `None` for a non-object. This is
/// also what makes the table, CSV and text formats safe to print: every string is sanitised
/// as it is read, so only the JSON format shows what the server sent, and JSON escapes it.
pub fn typed(value: &Value) -> Option<VoiceCall> {
    value
        .is_object()
        .then(|| VoiceCall::deserialize(value).ok())
        .flatten()
}

/// `125` → `2:05`; nothing for a missing or negative duration.
pub fn minutes(seconds: Option<i64>) -> String {
    match seconds {
        Some(s) if s >= 0 => format!("{}:{:02}", s / 60, s % 60),
        _ => String::new(),
    }
}

/// One field for RFC 4180: quoted (inner quotes doubled) when it holds a comma, a quote or a
/// line break, else as it is.
pub fn csv_field(value: &str) -> String {
    if value.contains([',', '"', '\r', '\n']) {
        format!("\"{}\"", value.replace('"', "\"\""))
    } else {
        value.to_string()
    }
}

/// The list in `format`. `calls` are the server's objects, in order.
/// `people` gives the names behind the uids: the table's and CSV's `client` and
/// `handled_by` columns, and JSON's `client_name` and `handled_by_name` (added beside the
/// server's fields, which stay as sent).
pub fn write_list(
    out: &mut impl Write,
    calls: &[Value],
    format: ListFormat,
    (people, zone): (&People, &Zone),
) -> io::Result<()> {
    match format {
        ListFormat::Json => {
            let named: Vec<Value> = calls.iter().map(|c| with_names(c, people)).collect();
            serde_json::to_writer_pretty(&mut *out, &named)?;
            writeln!(out)?;
        }
        ListFormat::Csv => write_csv(out, calls, people)?,
        ListFormat::Table => write_table(out, calls, people, zone)?,
    }
    out.flush()
}

/// The server's object with the names known added (`client_name`, `handled_by_name`).
fn with_names(call: &Value, people: &People) -> Value {
    let mut call = call.clone();
    if let (Some(typed), Some(object)) = (typed(&call), call.as_object_mut()) {
        let client = typed
            .client_uid
            .as_deref()
            .and_then(|id| people.client_name(id));
        if let Some(name) = client {
            object.insert("client_name".into(), Value::from(name));
        }
        let handler = typed
            .handled_by_staff_uid
            .as_deref()
            .and_then(|uid| people.staff_name(uid));
        if let Some(name) = handler {
            object.insert("handled_by_name".into(), Value::from(name));
        }
    }
    call
}

fn client_of(people: &People, call: &VoiceCall) -> String {
    people.client_label(call).unwrap_or_default().to_string()
}

fn handler_of(people: &People, call: &VoiceCall) -> String {
    people.handler_label(call).unwrap_or_default().to_string()
}

const CSV_COLUMNS: [&str; 14] = [
    "uid",
    "created_at",
    "updated_at",
    "direction",
    "status",
    "from_number",
    "to_number",
    "duration",
    "staff_uid",
    "client_uid",
    "handled_by_staff_uid",
    "call_summary",
    "client",
    "handled_by",
];

fn write_csv(out: &mut impl Write, calls: &[Value], people: &People) -> io::Result<()> {
    write!(out, "{}\r\n", CSV_COLUMNS.join(","))?;
    for call in calls.iter().filter_map(typed) {
        let s = |v: &Option<String>| v.clone().unwrap_or_default();
        let row = [
            s(&call.uid),
            s(&call.created_at),
            s(&call.updated_at),
            call.direction
                .as_ref()
                .map(|d| d.0.clone())
                .unwrap_or_default(),
            call.status
                .as_ref()
                .map(|d| d.0.clone())
                .unwrap_or_default(),
            s(&call.from_number),
            s(&call.to_number),
            call.duration.map(|d| d.to_string()).unwrap_or_default(),
            s(&call.staff_uid),
            s(&call.client_uid),
            s(&call.handled_by_staff_uid),
            s(&call.call_summary),
            client_of(people, &call),
            handler_of(people, &call),
        ];
        let row: Vec<String> = row.iter().map(|v| csv_field(v)).collect();
        write!(out, "{}\r\n", row.join(","))?;
    }
    Ok(())
}

/// `created_at` in `zone` to the minute; a value that is not a time is shown as sent.
fn created(call: &VoiceCall, zone: &Zone) -> String {
    match call.created_at.as_deref() {
        Some(raw) => parse_time(raw).map_or_else(
            || raw.to_string(),
            |t| zone.local(t).format("%Y-%m-%d %H:%M").to_string(),
        ),
        None => String::new(),
    }
}

fn write_table(
    out: &mut impl Write,
    calls: &[Value],
    people: &People,
    zone: &Zone,
) -> io::Result<()> {
    let header = [
        "CREATED",
        "DIRECTION",
        "STATUS",
        "FROM",
        "TO",
        "CLIENT",
        "DURATION",
        "HANDLED BY",
        "UID",
    ];
    let mut rows: Vec<[String; 9]> = vec![header.map(str::to_string)];
    for call in calls.iter().filter_map(typed) {
        rows.push([
            created(&call, zone),
            call.direction
                .as_ref()
                .map(|d| d.0.clone())
                .unwrap_or_default(),
            call.status
                .as_ref()
                .map(|d| d.0.clone())
                .unwrap_or_default(),
            call.from_number.clone().unwrap_or_default(),
            call.to_number.clone().unwrap_or_default(),
            client_of(people, &call),
            minutes(call.duration),
            handler_of(people, &call),
            call.uid.clone().unwrap_or_default(),
        ]);
    }
    // Text is already clean (the reader sanitises it); a line break inside a cell would
    // still break the table's rows apart.
    for row in &mut rows {
        for cell in row.iter_mut() {
            if let Cow::Owned(one) = single_line(cell) {
                *cell = one;
            }
        }
    }
    let mut widths = [0usize; 9];
    for row in &rows {
        for (w, cell) in widths.iter_mut().zip(row) {
            *w = (*w).max(cell.chars().count());
        }
    }
    for row in &rows {
        let mut line = String::new();
        for (i, (cell, w)) in row.iter().zip(widths).enumerate() {
            let pad = w - cell.chars().count();
            match i {
                // Durations line up on the right, like numbers do.
                6 => line.push_str(&format!("{}{cell}  ", " ".repeat(pad))),
                8 => line.push_str(cell),
                _ => line.push_str(&format!("{cell}{}  ", " ".repeat(pad))),
            }
        }
        writeln!(out, "{}", line.trim_end())?;
    }
    Ok(())
}

/// One call in `format`: the server's object, or `field: value` lines.
pub fn write_call(out: &mut impl Write, call: &Value, format: ShowFormat) -> io::Result<()> {
    match format {
        ShowFormat::Json => {
            serde_json::to_writer_pretty(&mut *out, call)?;
            writeln!(out)?;
        }
        ShowFormat::Text => {
            let c = typed(call).unwrap_or_default();
            let recording = c.recording.clone().unwrap_or_default();
            let lines: [(&str, Option<String>); 23] = [
                ("uid", c.uid),
                ("created_at", c.created_at),
                ("updated_at", c.updated_at),
                ("status", c.status.map(|s| s.0)),
                ("direction", c.direction.map(|d| d.0)),
                ("from_number", c.from_number),
                ("to_number", c.to_number),
                ("duration", c.duration.map(|d| d.to_string())),
                ("staff_uid", c.staff_uid),
                ("client_uid", c.client_uid),
                ("handled_by_staff_uid", c.handled_by_staff_uid),
                ("handled_at", c.handled_at),
                ("call_summary", c.call_summary),
                ("source_id", c.source_id),
                ("external_uuid", c.external_uuid),
                ("external_app_name", c.external_app_name),
                ("external_app_url", c.external_app_url),
                ("recording_url", recording.recording_url),
                ("transcript_status", c.transcript_status),
                ("rate", c.rate),
                ("price", c.price),
                ("provider", c.provider),
                ("recording_id", c.recording_id),
            ];
            for (name, value) in lines {
                if let Some(value) = value {
                    // One line per field, so `grep '^status:'` works on any call.
                    let value = value.replace('\\', "\\\\").replace('\n', "\\n");
                    writeln!(out, "{name}: {value}")?;
                }
            }
        }
    }
    out.flush()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn csv_quotes_only_what_needs_it() {
        assert_eq!(csv_field("plain"), "plain");
        assert_eq!(csv_field("a,b"), "\"a,b\"");
        assert_eq!(csv_field("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(csv_field("two\nlines"), "\"two\nlines\"");
        assert_eq!(csv_field(""), "");
    }

    #[test]
    fn table_columns_line_up() {
        let calls = vec![
            json!({"uid": "a", "direction": "INBOUND", "status": "MISSED", "duration": 125,
                   "from_number": "+14155550148", "to_number": "+1415"}),
            json!({"uid": "bb", "direction": "OUTBOUND", "status": "ANSWERED_BY_STAFF",
                   "duration": 5}),
            json!(17),
        ];
        let mut out = Vec::new();
        write_list(
            &mut out,
            &calls,
            ListFormat::Table,
            (&People::default(), &Zone::utc()),
        )
        .expect("write");
        let text = String::from_utf8(out).expect("utf8");
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines.len(), 3, "{text}");
        let uid_col = lines[0].find("UID").expect("UID");
        assert_eq!(lines[1].find(" a").map(|i| i + 1), Some(uid_col), "{text}");
        assert!(
            lines[1].contains("2:05") && lines[2].contains("0:05"),
            "{text}"
        );
        assert_eq!(lines[1].find("2:05"), lines[2].find("0:05"), "{text}");
    }

    #[test]
    fn text_keeps_one_field_per_line() {
        let call = json!({"uid": "a", "call_summary": "one\ntwo", "rate": null});
        let mut out = Vec::new();
        write_call(&mut out, &call, ShowFormat::Text).expect("write");
        let text = String::from_utf8(out).expect("utf8");
        assert_eq!(text, "uid: a\ncall_summary: one\\ntwo\n");
    }

    #[test]
    fn table_rows_stay_one_line_and_clean() {
        let calls = vec![json!({"uid": "a", "status": "MIS\nSED\u{1b}]0;t\u{7}",
                                "from_number": "+1\u{9b}2J415\u{202e}"})];
        let mut out = Vec::new();
        write_list(
            &mut out,
            &calls,
            ListFormat::Table,
            (&People::default(), &Zone::utc()),
        )
        .expect("write");
        let text = String::from_utf8(out).expect("utf8");
        assert_eq!(text.lines().count(), 2, "{text}");
        assert!(text.contains("MIS SED") && text.contains("+1415"), "{text}");
        assert!(
            !text.chars().any(|c| c.is_control() && c != '\n'),
            "{text:?}"
        );
    }
}
