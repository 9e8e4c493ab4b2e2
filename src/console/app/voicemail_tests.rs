//! Voicemails through `update`: `O` marks a recording played once (not again while the PUT
//! is out, nor once played; a failure says so and the next `O` tries again), previews are
//! fetched for the voicemail rows on screen only, a few at a time, and a refresh with new
//! missed calls asks for a desktop notification only with `notify` on.

use crate::api::CallFields;
use crate::api::Recording;
use crate::api::model::TranscriptEntry;
use crate::console::app::test_fixtures::follow_up::*;

use super::PREVIEWS_OUT;

/// Voicemail `i` with a recording (`rec-i`, played or not) and a transcript made.
fn voicemail(i: usize, played: bool) -> VoiceCall {
    let mut c = call_with(i, "VOICEMAIL_RECEIVED");
    c.recording = Some(Box::new(Recording {
        uid: Some(format!("rec-{i}")),
        recording_url: Some(format!("https://media.example.com/rec-{i}.mp3")),
        recording_played: Some(played),
        recording_type: Some("VOICEMAIL".into()),
        ..Recording::default()
    }));
    c.transcript_status = Some("DONE".into());
    c
}

fn mark_sends(effects: &[Effect]) -> Vec<(RequestId, String)> {
    effects
        .iter()
        .filter_map(|e| match e {
            Effect::MarkPlayed { req, recording } => Some((*req, recording.clone())),
            _ => None,
        })
        .collect()
}

fn marked(req: RequestId, result: Result<VoiceCall, ApiError>) -> Msg {
    Msg::PlayedMarked {
        req,
        answer: answer(
            Method::PUT,
            "/v3/communication/voice_call_recordings/rec-0",
            result,
        ),
    }
}

/// The server's copy once played: newer, and played.
fn played_copy(i: usize) -> VoiceCall {
    let mut c = voicemail(i, true);
    c.updated_at = Some(LATER.into());
    c
}

fn with_lines(req: RequestId, uid: &str, lines: &[&str]) -> Msg {
    Msg::TranscriptLoaded {
        req,
        uid: uid.to_string(),
        answer: answer(
            Method::GET,
            &format!("/v3/communication/voice_calls/{uid}/transcript"),
            Ok(Transcript {
                status: Some("DONE".into()),
                transcript: Some(
                    lines
                        .iter()
                        .map(|t| TranscriptEntry {
                            text: Some(t.to_string()),
                            ..TranscriptEntry::default()
                        })
                        .collect(),
                ),
                ..Transcript::default()
            }),
        ),
    }
}

#[test]
fn o_marks_an_unplayed_recording_played_once() {
    let mut calls = vec![voicemail(0, false)];
    calls.extend((1..4).map(call));
    let mut app = loaded_with(session(), (120, 30), calls);
    let first = app.update(key(KeyCode::Char('O')));
    assert!(
        first.iter().any(|e| matches!(e, Effect::OpenUrl { .. })),
        "{first:?}"
    );
    let sends = mark_sends(&first);
    assert_eq!(sends.len(), 1, "{first:?}");
    assert_eq!(sends[0].1, "rec-0");
    assert!(app.marking_played(app.selected_call().expect("call")));

    let second = app.update(key(KeyCode::Char('O')));
    assert!(second.iter().any(|e| matches!(e, Effect::OpenUrl { .. })));
    assert!(mark_sends(&second).is_empty(), "one is out: {second:?}");

    app.update(marked(sends[0].0, Ok(played_copy(0))));
    let held = app.selected_call().expect("call");
    assert_eq!(
        held.recording_played(),
        Some(true),
        "the answer's call is the one shown"
    );
    assert!(!app.marking_played(held));
    let third = app.update(key(KeyCode::Char('O')));
    assert!(mark_sends(&third).is_empty(), "played: {third:?}");
}

#[test]
fn a_failed_mark_says_so_and_the_next_o_tries_again() {
    let mut app = loaded_with(session(), (120, 30), vec![voicemail(0, false)]);
    let sends = mark_sends(&app.update(key(KeyCode::Char('O'))));
    app.update(marked(sends[0].0, Err(server_error(503, "busy"))));
    let notice = app.notice().unwrap_or_default().to_string();
    assert!(
        notice.contains("not marked played") && notice.contains("O tries again"),
        "{notice}"
    );
    let again = mark_sends(&app.update(key(KeyCode::Char('O'))));
    assert_eq!(again.len(), 1, "tried again");
    assert_ne!(again[0].0, sends[0].0);
}

#[test]
fn no_mark_without_a_recording_to_open() {
    let mut app = loaded_with(session(), (120, 30), calls(0..3));
    let effects = app.update(key(KeyCode::Char('O')));
    assert!(mark_sends(&effects).is_empty(), "{effects:?}");
}

#[test]
fn previews_come_for_voicemail_rows_on_screen_a_few_at_a_time() {
    // 14 rows of screen: a few calls are on it, the rest below.
    let size = (120, 14);
    let shown = list_rows(size.1);
    let (mut app, effects) = start(session(), size);
    let (req, query) = list_fetch(&effects);
    let mut calls: Vec<VoiceCall> = (0..30).map(|i| voicemail(i, i % 2 == 0)).collect();
    calls[1].transcript_status = Some("IN_PROGRESS".into());
    let effects = app.update(page_loaded(req, query.page, calls));
    let first = transcript_fetches(&effects);
    assert_eq!(first.len(), PREVIEWS_OUT, "{effects:?}");
    assert!(first.iter().all(|(_, u)| *u != uid(1)), "not made yet");
    // Nothing more while they are out, whatever happens.
    assert!(transcript_fetches(&app.update(key(KeyCode::Char('j')))).is_empty());

    let (req0, uid0) = first[0].clone();
    let next = app.update(with_lines(
        req0,
        &uid0,
        &["", "Hi, it's Emily about Tuesday"],
    ));
    assert_eq!(app.preview(&uid0), Some("Hi, it's Emily about Tuesday"));
    assert_eq!(transcript_fetches(&next).len(), 1, "one more: {next:?}");

    // Every row asked for was on screen, never one below it.
    let mut asked: Vec<String> = first.iter().map(|(_, u)| u.clone()).collect();
    let mut pending: Vec<(RequestId, String)> = first[1..].to_vec();
    pending.extend(transcript_fetches(&next));
    while let Some((req, u)) = pending.pop() {
        asked.push(u.clone());
        let more = app.update(with_lines(req, &u, &["line"]));
        pending.extend(transcript_fetches(&more));
    }
    asked.sort();
    asked.dedup();
    let on_screen: Vec<String> = (0..shown).filter(|i| *i != 1).map(uid).collect();
    let mut want = on_screen.clone();
    want.sort();
    assert_eq!(asked, want, "each voicemail on screen, once");
    assert_eq!(app.preview(&uid(1)), None);
}

#[test]
fn a_preview_that_fails_leaves_the_summary_and_is_not_asked_again() {
    let (mut app, effects) = start(session(), (120, 14));
    let (req, query) = list_fetch(&effects);
    let effects = app.update(page_loaded(req, query.page, vec![voicemail(0, false)]));
    let (req, u) = transcript_fetches(&effects)[0].clone();
    let after = app.update(Msg::TranscriptLoaded {
        req,
        uid: u.clone(),
        answer: answer(Method::GET, "/x/transcript", Err(server_error(500, "down"))),
    });
    assert_eq!(app.preview(&u), None);
    assert!(transcript_fetches(&after).is_empty(), "{after:?}");
    assert!(
        app.notice().is_none(),
        "a preview is not worth the status bar"
    );
}

fn notifying(notify: bool) -> Session {
    let mut session = session();
    session.config.refresh_secs = 30;
    session.config.notify = notify;
    session
}

fn refreshed(notify: bool, fresh: Vec<VoiceCall>) -> Vec<Effect> {
    let mut app = loaded_with(notifying(notify), (120, 14), calls(0..5));
    let effects = app.update(Msg::Tick(now() + chrono::TimeDelta::seconds(30)));
    let (req, _) = list_fetch(&effects);
    let mut page = fresh;
    page.extend(calls(0..5));
    app.update(page_loaded(req, 1, page))
}

fn notifications(effects: &[Effect]) -> Vec<(String, String)> {
    effects
        .iter()
        .filter_map(|e| match e {
            Effect::Notify { title, body } => Some((title.clone(), body.clone())),
            _ => None,
        })
        .collect()
}

#[test]
fn a_refresh_with_new_missed_calls_notifies_only_with_notify_on() {
    let fresh = || {
        vec![
            arrived(call_with(100, "MISSED"), 2),
            arrived(call_with(101, "MISSED"), 1),
        ]
    };
    let on = notifications(&refreshed(true, fresh()));
    assert_eq!(on.len(), 1, "{on:?}");
    assert_eq!(on[0].0, "callconsole");
    assert_eq!(on[0].1, "2 new missed calls: +14155550200, +14155550201");
    assert!(
        notifications(&refreshed(false, fresh())).is_empty(),
        "off by default"
    );
    let answered = vec![arrived(call_with(102, "ANSWERED_BY_STAFF"), 1)];
    assert!(
        notifications(&refreshed(true, answered)).is_empty(),
        "only missed calls and voicemails"
    );
    let one = notifications(&refreshed(true, vec![arrived(voicemail(103, false), 1)]));
    assert_eq!(one[0].1, "1 new voicemail: +14155550203");
}

/// The rows as drawn: an unplayed voicemail with its transcript's first line (“), a played
/// one, an unplayed one whose transcript has no words yet (its summary stays), a missed call.
#[test]
fn snapshot_voicemail_rows_played_unplayed_and_with_a_preview() {
    let (mut app, effects) = start(session(), (110, 12));
    let (req, query) = list_fetch(&effects);
    let mut silent = voicemail(2, false);
    silent.transcript_status = Some("IN_PROGRESS".into());
    let rows = vec![
        voicemail(0, false),
        voicemail(1, true),
        silent,
        call_with(3, "MISSED"),
    ];
    let effects = app.update(page_loaded(req, query.page, rows));
    let fetches = transcript_fetches(&effects);
    for (req, u) in fetches {
        let line = if u == uid(0) {
            "Hi, it's Emily Carter, calling about moving Tuesday's appointment"
        } else {
            ""
        };
        app.update(with_lines(req, &u, &[line]));
    }
    assert!(app.preview(&uid(0)).is_some());
    let screen = crate::test_support::screen_text(&crate::test_support::draw(&app, 110, 12));
    insta::assert_snapshot!(screen);
}
