//! The detail pane: the client panel, then every field of the selected call, the recording's
//! too, the summary and the transcript.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph, Widget, Wrap};

use super::format;
use super::list::status_label;
use super::theme::Theme;
use crate::api::{CallFields, VoiceCall};
use crate::console::app::{App, Remote};
use crate::console::keys::Action;
use crate::domain::fields::{FIELDS, FieldId};

const NOT_SENT: &str = "— (not provided by the server)";

pub fn render(app: &App, theme: &Theme, area: Rect, buf: &mut Buffer) {
    let keys = &app.session().config.keys;
    let block = Block::new()
        .borders(Borders::ALL)
        .border_style(theme.border)
        .title(Span::styled(" Call detail ", theme.title))
        .title_bottom(Span::styled(
            format!(
                " {}/{} scroll · Esc close ",
                keys.hint(Action::DetailDown),
                keys.hint(Action::DetailUp)
            ),
            theme.dim,
        ));
    let Some(call) = app.selected_call() else {
        Paragraph::new("No call selected.")
            .block(block)
            .render(area, buf);
        return;
    };
    let inside = usize::from(area.width.saturating_sub(2));
    let call = &call.to_call();
    Paragraph::new(lines(app, theme, call, inside))
        .block(block)
        .wrap(Wrap { trim: false })
        .scroll((app.detail_scroll(), 0))
        .render(area, buf);
    if app.session().hyperlinks {
        let numbers = [call.from_number(), call.to_number()];
        let inner = area.inner(ratatui::layout::Margin::new(1, 1));
        for number in numbers.into_iter().flatten() {
            if let Some(uri) = super::hyperlink::tel_uri(number) {
                super::hyperlink::link_text(buf, inner, number.trim(), &uri);
            }
        }
    }
}

fn lines<'a>(app: &App, theme: &Theme, call: &'a VoiceCall, width: usize) -> Vec<Line<'a>> {
    let now = app.now();
    let zone = app.zone();
    let field = |label: &'static str, value: String| {
        Line::from(vec![
            Span::styled(format!("{label:<20}"), theme.label),
            Span::raw(value),
        ])
    };
    let opt = |v: &Option<String>| v.clone().unwrap_or_else(|| "—".to_string());
    // A field of the update body, under the table's label.
    let update_field = |f: FieldId| field(f.label(), f.read(call).unwrap_or_else(|| "—".into()));
    // A uid field with the person's name first when it is known, the uid after it.
    let person = |f: FieldId, name: Option<&str>| {
        let uid = f.read(call).unwrap_or_else(|| "—".into());
        match name {
            Some(name) => Line::from(vec![
                Span::styled(format!("{:<20}", f.label()), theme.label),
                Span::raw(name.to_string()),
                Span::styled(format!("  {uid}"), theme.dim),
            ]),
            None => field(f.label(), uid),
        }
    };
    let staff_name = |f: FieldId| {
        f.read(call)
            .and_then(|uid| app.people().staff_name(&uid).map(str::to_string))
    };
    let (label, kind) = status_label(call.status());
    let raw_status = call.status.as_ref().map_or("—", |s| s.as_str());
    // Who it was with and their other calls first: seen before calling back.
    let mut out = super::client_panel::lines(app, theme, width);
    out.extend(returned_lines(app, theme, call));
    out.extend([
        field("uid", opt(&call.uid)),
        Line::from(vec![
            Span::styled(format!("{:<20}", FieldId::Status.label()), theme.label),
            Span::styled(label, theme.status(kind)),
            Span::styled(format!("  ({raw_status})"), theme.dim),
        ]),
        field(
            FieldId::Direction.label(),
            call.direction
                .as_ref()
                .map_or("—".to_string(), |d| d.as_str().to_string()),
        ),
        field(
            "created",
            format::full_time(call.created_at.as_deref(), now, zone),
        ),
        field(
            "updated",
            format::full_time(call.updated_at.as_deref(), now, zone),
        ),
        update_field(FieldId::FromNumber),
        update_field(FieldId::ToNumber),
        field(FieldId::Duration.label(), format::duration(call.duration)),
        person(FieldId::StaffUid, staff_name(FieldId::StaffUid).as_deref()),
        person(
            FieldId::ClientUid,
            call.client_uid
                .as_deref()
                .and_then(|id| app.people().client_name(id)),
        ),
        person(
            FieldId::HandledByStaffUid,
            staff_name(FieldId::HandledByStaffUid).as_deref(),
        ),
        field(
            "handled at",
            call.handled_at
                .as_deref()
                .map_or("—".to_string(), |t| format::full_time(Some(t), now, zone)),
        ),
        field("transcript", opt(&call.transcript_status)),
        update_field(FieldId::ExternalAppName),
        update_field(FieldId::ExternalAppUrl),
        update_field(FieldId::SourceId),
        update_field(FieldId::ExternalUuid),
    ]);
    // The fields the API never sends back, marked as such when this server did not either.
    out.extend(FIELDS.iter().filter(|f| !f.sent_back).map(|f| {
        field(
            f.label,
            (f.read)(call).unwrap_or_else(|| NOT_SENT.to_string()),
        )
    }));
    if call.deleted_at.is_some() {
        out.push(field("deleted at", opt(&call.deleted_at)));
    }
    out.push(Line::default());
    out.push(Line::from(Span::styled("Recording", theme.header)));
    match &call.recording {
        None => out.push(Line::from(Span::styled("  no recording", theme.dim))),
        Some(r) => {
            out.push(field("  uid", opt(&r.uid)));
            out.push(field("  type", opt(&r.recording_type)));
            out.push(field("  length", format::duration(r.duration)));
            out.push(field(
                "  size",
                r.size.map_or("—".to_string(), |b| {
                    format!("{:.1} KiB", b as f64 / 1024.0)
                }),
            ));
            let marking = if app.marking_played(call) {
                " (marking it played…)"
            } else {
                ""
            };
            out.push(field(
                "  played",
                r.recording_played.map_or("—".to_string(), |p| {
                    format!("{}{marking}", if p { "played" } else { "not played" })
                }),
            ));
            out.push(field("  url", opt(&r.recording_url)));
        }
    }
    out.push(Line::default());
    out.push(Line::from(Span::styled("Summary", theme.header)));
    match &call.call_summary {
        Some(s) => out.extend(s.lines().map(|l| Line::from(l.to_string()))),
        None => out.push(Line::from(Span::styled("  no summary", theme.dim))),
    }
    out.push(Line::default());
    out.extend(transcript_lines(app, theme, call));
    out
}

/// The transcript: speaker and time per line; a spinner while it is being made.
fn transcript_lines<'a>(app: &App, theme: &Theme, call: &VoiceCall) -> Vec<Line<'a>> {
    let mut out = vec![Line::from(Span::styled("Transcript", theme.header))];
    let shown = app
        .transcript()
        .filter(|(uid, _)| call.uid.as_deref() == Some(uid.as_str()));
    let spinner = ["⠋", "⠙", "⠹", "⠸", "⠼", "⠴", "⠦", "⠧"][app.spinner_frame() % 8];
    match shown.map(|(_, r)| r) {
        None | Some(Remote::Loading { .. }) => out.push(Line::from(Span::styled(
            format!("  {spinner} loading…"),
            theme.dim,
        ))),
        Some(Remote::Failed(e)) if e.status() == Some(404) => out.push(Line::from(Span::styled(
            "  no transcript for this call",
            theme.dim,
        ))),
        Some(Remote::Failed(e)) => out.push(Line::from(Span::styled(
            format!("  transcript could not be loaded: {e}"),
            theme.error,
        ))),
        Some(Remote::Loaded(t)) => match t.status.as_deref() {
            Some("IN_PROGRESS") => out.push(Line::from(Span::styled(
                format!("  {spinner} being transcribed… checking again every 5 s"),
                theme.notice,
            ))),
            Some("FAILED") => out.push(Line::from(Span::styled(
                "  transcription FAILED on the server; there is no text for this call",
                theme.error,
            ))),
            _ => {
                let entries = t.transcript.as_deref().unwrap_or_default();
                if entries.is_empty() {
                    out.push(Line::from(Span::styled("  empty transcript", theme.dim)));
                }
                for e in entries {
                    let at = e.timestamp.map_or("  —  ".to_string(), |s| {
                        let s = s.max(0.0) as u64;
                        format!("{:>2}:{:02}", s / 60, s % 60)
                    });
                    let who = e.speaker_role.as_deref().unwrap_or("?").to_lowercase();
                    out.push(Line::from(vec![
                        Span::styled(format!("  {at} "), theme.dim),
                        Span::styled(format!("{who:<8} "), theme.label),
                        Span::raw(
                            crate::domain::sanitize::single_line(e.text.as_deref().unwrap_or(""))
                                .into_owned(),
                        ),
                    ]));
                }
            }
        },
    }
    out
}

/// "Already returned?": the flag, and the key that accepts it.
fn returned_lines<'a>(app: &App, theme: &Theme, call: &VoiceCall) -> Vec<Line<'a>> {
    let Some(flag) = app.returned_flag(call) else {
        return Vec::new();
    };
    let text = crate::domain::sanitize::single_line(&app.returned_text(&flag)).into_owned();
    let key = app.session().config.keys.hint(Action::AcceptReturned);
    vec![
        Line::from(vec![
            Span::styled(text, theme.notice),
            Span::styled(
                format!("  {key} marks the calls that look returned handled"),
                theme.dim,
            ),
        ]),
        Line::default(),
    ]
}
