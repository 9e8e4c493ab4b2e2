//! The transcript in the detail pane through `update`: fetched, polled while in progress,
//! stale answers dropped, a call without one not an error.

use crate::console::app::test_fixtures::follow_up::*;

#[test]
fn the_detail_pane_fetches_the_transcript_and_polls_while_in_progress() {
    let mut app = loaded_with(session(), (160, 40), calls(0..5));
    let effects = app.update(key(KeyCode::Enter));
    assert!(app.detail_open());
    let fetches = transcript_fetches(&effects);
    assert_eq!(fetches.len(), 1, "{effects:?}");
    let (req, u) = fetches[0].clone();
    assert_eq!(u, uid(0));
    assert!(matches!(app.transcript(), Some((u, Remote::Loading { .. })) if *u == uid(0)));

    let effects = app.update(transcript(req, &uid(0), "IN_PROGRESS"));
    assert_eq!(
        effects,
        vec![Effect::ScheduleTranscript {
            uid: uid(0),
            delay: Duration::from_secs(5)
        }]
    );
    let effects = app.update(Msg::TranscriptDue { uid: uid(0) });
    let again = transcript_fetches(&effects);
    assert_eq!(again.len(), 1, "{effects:?}");
    assert_eq!(again[0].1, uid(0));
    assert_ne!(again[0].0, req, "a new request");

    let effects = app.update(transcript(again[0].0, &uid(0), "DONE"));
    assert!(effects.is_empty(), "DONE stops the polling: {effects:?}");
    assert!(
        app.update(Msg::TranscriptDue { uid: uid(0) }).is_empty(),
        "a timer left over asks for nothing"
    );
    match app.transcript() {
        Some((u, Remote::Loaded(t))) => {
            assert_eq!(*u, uid(0));
            assert_eq!(t.status.as_deref(), Some("DONE"));
        }
        other => panic!("loaded transcript expected, got {other:?}"),
    }
}

#[test]
fn a_failed_transcript_is_kept_as_loaded_with_its_status() {
    let mut app = loaded_with(session(), (160, 40), calls(0..5));
    let (req, _) = transcript_fetches(&app.update(key(KeyCode::Enter)))[0].clone();
    let effects = app.update(transcript(req, &uid(0), "FAILED"));
    assert!(effects.is_empty(), "no polling: {effects:?}");
    match app.transcript() {
        Some((u, Remote::Loaded(t))) => {
            assert_eq!(*u, uid(0));
            assert_eq!(t.status.as_deref(), Some("FAILED"));
        }
        other => panic!("loaded transcript expected, got {other:?}"),
    }
    assert!(app.update(Msg::TranscriptDue { uid: uid(0) }).is_empty());
}

#[test]
fn moving_on_drops_a_stale_transcript_answer() {
    let mut app = loaded_with(session(), (160, 40), calls(0..5));
    let (first, _) = transcript_fetches(&app.update(key(KeyCode::Enter)))[0].clone();
    let effects = app.update(key(KeyCode::Char('j')));
    let moved = transcript_fetches(&effects);
    assert_eq!(moved.len(), 1, "{effects:?}");
    assert_eq!(moved[0].1, uid(1));

    let effects = app.update(transcript(first, &uid(0), "DONE"));
    assert!(effects.is_empty());
    assert!(
        matches!(app.transcript(), Some((u, Remote::Loading { req })) if *u == uid(1) && *req == moved[0].0),
        "{:?}",
        app.transcript()
    );
    // A poll for a call no longer shown asks for nothing either.
    assert!(app.update(Msg::TranscriptDue { uid: uid(0) }).is_empty());

    app.update(transcript(moved[0].0, &uid(1), "DONE"));
    assert!(matches!(app.transcript(), Some((u, Remote::Loaded(_))) if *u == uid(1)));
}

#[test]
fn a_closed_detail_pane_stops_polling() {
    let mut app = loaded_with(session(), (160, 40), calls(0..5));
    let (req, _) = transcript_fetches(&app.update(key(KeyCode::Enter)))[0].clone();
    app.update(transcript(req, &uid(0), "IN_PROGRESS"));
    app.update(key(KeyCode::Enter));
    assert!(!app.detail_open());
    assert!(app.update(Msg::TranscriptDue { uid: uid(0) }).is_empty());
}

/// A call without a transcript (404) is not an error: the pane says so, dimmed, and the
/// status bar keeps what it showed. Another failure is an error in both.
#[test]
fn a_call_without_a_transcript_is_not_an_error() {
    let mut app = loaded_with(session(), (160, 40), calls(0..5));
    let (req, _) = transcript_fetches(&app.update(key(KeyCode::Enter)))[0].clone();
    let path = format!("/v3/communication/voice_calls/{}/transcript", uid(0));
    app.update(Msg::TranscriptLoaded {
        req,
        uid: uid(0),
        answer: answer(
            Method::GET,
            &path,
            Err::<Transcript, _>(server_error(404, "voice call has no transcript")),
        ),
    });
    assert!(matches!(app.transcript(), Some((_, Remote::Failed(e))) if e.status() == Some(404)));
    assert!(
        app.last_request().is_none_or(|r| r.error.is_none()),
        "the status bar shows no error: {:?}",
        app.last_request()
    );
    let text = crate::test_support::screen_text(&crate::test_support::draw(&app, 160, 40));
    assert!(text.contains("no transcript for this call"), "{text}");

    let (req, _) = transcript_fetches(&app.update(key(KeyCode::Char('j'))))[0].clone();
    let path = format!("/v3/communication/voice_calls/{}/transcript", uid(1));
    app.update(Msg::TranscriptLoaded {
        req,
        uid: uid(1),
        answer: answer(
            Method::GET,
            &path,
            Err::<Transcript, _>(server_error(500, "boom")),
        ),
    });
    assert!(app.last_request().is_some_and(|r| r.error.is_some()));
}
