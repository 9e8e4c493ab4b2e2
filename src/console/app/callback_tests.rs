//! Calling back through `update`: `c` dials and asks how it went, each outcome sends its
//! record, "reached" marks exactly that caller's waiting calls handled as one undo step, the
//! others leave them waiting with "tried 1×" on the row, and a call-back not recorded (later,
//! a refused field, a failed POST) is never lost.

use crate::api::CallFields;
use crate::console::app::CallBackState;
use crate::console::app::test_fixtures::follow_up::*;
use crate::domain::callback::Outcome;
use crate::domain::dial::Dial;
use crate::test_support::{draw, people_knowing, screen_text};

/// Emily Carter's number (call 2's caller), and ours.
const EMILY: &str = "+14155550102";
const OURS: &str = "+14155550100";
const CREATE_PATH: &str = "/v3/communication/voice_calls";

fn session() -> Session {
    let mut session = bulk_session();
    session.config.on_behalf_of = Some("biz-1".into());
    session.config.dial_command = Some("softphone --call {number}".into());
    session
}

/// Another call from Emily (call 2's caller).
fn emily(i: usize, status: &str) -> VoiceCall {
    VoiceCall {
        from_number: Some(EMILY.into()),
        client_uid: Some("client-02".into()),
        ..call_with(i, status)
    }
}

/// Needs follow-up with Emily's missed call on top, her voicemail, her call someone
/// handled, and another caller's missed call.
fn loaded() -> App {
    let mut app = loaded_with(
        session(),
        (120, 14),
        vec![
            call(2),
            emily(4, "VOICEMAIL_RECEIVED"),
            emily(5, "MISSED_CALL_HANDLED"),
            call(3),
        ],
    );
    app.set_people(people_knowing(&[("client-02", "Emily Carter")], &[]));
    assert_eq!(selected_uid(&app), Some(uid(2)));
    app
}

fn create(effects: &[Effect]) -> (RequestId, crate::api::CreateVoiceCall) {
    let found: Vec<_> = effects
        .iter()
        .filter_map(|e| match e {
            Effect::CreateCall { req, body } => Some((*req, body.clone())),
            _ => None,
        })
        .collect();
    match found.as_slice() {
        [one] => one.clone(),
        other => panic!("expected one POST, got {other:?} in {effects:?}"),
    }
}

/// `c`, the outcome's key, a note, Enter: the POST asked for.
fn record(app: &mut App, outcome: char, note: &str) -> (RequestId, crate::api::CreateVoiceCall) {
    app.update(key(KeyCode::Char('c')));
    app.update(key(KeyCode::Char(outcome)));
    type_str(app, note);
    let effects = app.update(key(KeyCode::Enter));
    assert!(app.prompt().is_none(), "recorded: the question is down");
    create(&effects)
}

/// The server's copy of a created record.
fn created(body: &crate::api::CreateVoiceCall, uid: &str) -> VoiceCall {
    let at = (now() + chrono::TimeDelta::seconds(5)).to_rfc3339();
    VoiceCall {
        uid: Some(uid.into()),
        created_at: Some(at.clone()),
        updated_at: Some(at),
        direction: Some(Direction(body.direction.clone())),
        status: Some(Status(body.status.clone())),
        from_number: Some(body.from_number.clone()),
        to_number: Some(body.to_number.clone()),
        staff_uid: Some(body.staff_uid.clone()),
        client_uid: Some(body.client_uid.clone()),
        call_summary: body.call_summary.clone(),
        external_uuid: Some(body.external_uuid.clone()),
        ..VoiceCall::default()
    }
}

fn answered(req: RequestId, result: Result<VoiceCall, ApiError>) -> Msg {
    Msg::CallCreated {
        req,
        answer: answer(Method::POST, CREATE_PATH, result),
    }
}

#[test]
fn c_dials_the_callers_number_through_the_dial_command_and_asks_how_it_went() {
    let mut app = loaded();
    let effects = app.update(key(KeyCode::Char('c')));
    assert_eq!(
        effects,
        vec![Effect::Dial {
            number: EMILY.into(),
            dial: Dial::Run {
                program: "softphone".into(),
                args: vec!["--call".into(), EMILY.into()],
            },
        }]
    );
    assert!(matches!(app.prompt(), Some(Prompt::Outcome(_))));
    assert_eq!(app.notice(), Some("calling Emily Carter…"));

    // Without a dial command, the desktop's tel: handler.
    let mut plain = session();
    plain.config.dial_command = None;
    let mut app = loaded_with(plain, (120, 14), vec![call(2)]);
    let effects = app.update(key(KeyCode::Char('c')));
    assert_eq!(
        effects,
        vec![Effect::Dial {
            number: EMILY.into(),
            dial: Dial::Open {
                uri: format!("tel:{EMILY}")
            },
        }]
    );
    assert_eq!(app.notice(), Some("calling +14155550102…"), "no name known");
}

#[test]
fn a_dialler_that_fails_leaves_the_number_on_the_clipboard_and_says_why() {
    let mut app = loaded();
    app.update(key(KeyCode::Char('c')));
    let effects = app.update(Msg::Dialled {
        number: EMILY.into(),
        result: Err("\"softphone --call +14155550102\" exited with exit status: 1".into()),
    });
    assert_eq!(effects, vec![Effect::Copy { text: EMILY.into() }]);
    let notice = app.notice().expect("a notice");
    assert!(
        notice.starts_with("could not dial: \"softphone") && notice.contains("copied instead"),
        "{notice}"
    );
    assert!(
        matches!(app.prompt(), Some(Prompt::Outcome(_))),
        "still asked how it went"
    );
    let fine = app.update(Msg::Dialled {
        number: EMILY.into(),
        result: Ok(()),
    });
    assert!(fine.is_empty());
}

#[test]
fn each_outcome_sends_an_outbound_record_from_our_number_to_theirs() {
    for (key_char, outcome) in [
        ('r', Outcome::Reached),
        ('v', Outcome::Voicemail),
        ('n', Outcome::NoAnswer),
    ] {
        let mut app = loaded();
        let (_, body) = record(&mut app, key_char, "Rebooked to Monday");
        assert_eq!(body.direction, "OUTBOUND");
        assert_eq!(body.status, outcome.status(), "{outcome:?}");
        assert_eq!(body.from_number, OURS, "the number they called");
        assert_eq!(body.to_number, EMILY);
        assert_eq!(body.staff_uid, "staff-ana", "me");
        assert_eq!(body.client_uid, "client-02", "the call's client");
        assert_eq!(body.business_uid, "biz-1", "on_behalf_of, with no userinfo");
        assert_eq!(body.rate, "0");
        assert_eq!(body.provider, "VONAGE");
        assert_eq!(
            body.call_summary.as_deref(),
            Some(format!("Call-back: {}. Rebooked to Monday", outcome.label()).as_str())
        );
        let pending = &app.call_backs()[0];
        assert_eq!(body.external_uuid, pending.external_uuid);
        assert!(matches!(pending.state, CallBackState::Sending { .. }));
        assert!(app.busy(), "a write is out");
    }
}

#[test]
fn reached_marks_exactly_that_callers_waiting_calls_handled_as_one_undo_step() {
    let mut app = loaded();
    let (req, body) = record(&mut app, 'r', "");
    assert_eq!(body.call_summary.as_deref(), Some("Call-back: reached"));
    let effects = app.update(answered(req, Ok(created(&body, "cb-1"))));
    let sends = batch_sends(&effects);
    let mut uids = uids_of(&sends);
    uids.sort();
    assert_eq!(
        uids,
        vec![uid(2), uid(4)],
        "her missed call and voicemail; not her handled call, not another caller's"
    );
    for send in &sends {
        assert_eq!(send.body["status"], "MISSED_CALL_HANDLED");
        assert_eq!(send.body["handled_by_staff_uid"], "staff-ana");
    }
    assert!(app.call_backs().is_empty(), "recorded");
    assert!(app.store().by_uid("cb-1").is_some(), "the record is stored");

    for send in &sends {
        let theirs = app.store().by_uid(&send.uid).expect("loaded").to_call();
        let mut done = theirs.clone();
        done.status = Some(Status("MISSED_CALL_HANDLED".into()));
        done.handled_by_staff_uid = Some("staff-ana".into());
        done.updated_at = Some(LATER.into());
        app.update(checked(send, Ok(theirs), Ok(done)));
    }
    assert!(app.list().find(&uid(2)).is_none(), "left Needs follow-up");
    assert!(app.list().find(&uid(4)).is_none());
    assert!(
        app.list().find(&uid(3)).is_some(),
        "another caller still waits"
    );

    // One `u` puts both back.
    let undo = app.update(key(KeyCode::Char('u')));
    let mut undone = uids_of(&batch_sends(&undo));
    undone.sort();
    assert_eq!(undone, vec![uid(2), uid(4)], "{undo:?}");
}

#[test]
fn voicemail_and_no_answer_handle_nothing_and_the_row_says_tried() {
    for (key_char, label) in [('v', "left voicemail"), ('n', "no answer")] {
        let mut app = loaded();
        assert!(app.tries_at(&call(2)).is_none());
        let (req, body) = record(&mut app, key_char, "");
        let effects = app.update(answered(req, Ok(created(&body, "cb-1"))));
        assert!(batch_sends(&effects).is_empty(), "{effects:?}");
        assert!(app.list().find(&uid(2)).is_some(), "still waits");
        let tries = app.tries_at(&call(2)).expect("tried");
        assert_eq!(tries.count, 1);
        let notice = app.notice().expect("notice");
        assert!(
            notice.contains(&format!("recorded: {label}")) && notice.contains("tried 1×"),
            "{notice}"
        );
        let screen = screen_text(&draw(&app, 160, 14));
        let row = screen
            .lines()
            .find(|l| l.starts_with('▶'))
            .expect("her missed call, under the cursor");
        assert!(
            row.contains(&format!("tried 1×, last 15:00 ({label})")),
            "{screen}"
        );
    }
}

#[test]
fn the_record_joins_all_calls_at_its_place() {
    let mut app = loaded();
    let effects = app.update(key(KeyCode::Char('2')));
    let (req, query) = list_fetch(&effects);
    app.update(page_loaded(req, query.page, vec![call(2), call(3)]));
    let (req, body) = record(&mut app, 'n', "");
    app.update(answered(req, Ok(created(&body, "cb-1"))));
    assert_eq!(
        app.list().calls().first().and_then(|c| c.uid()),
        Some("cb-1"),
        "the newest call, on top of All"
    );
}

#[test]
fn a_failed_post_keeps_the_call_back_and_sends_it_again_with_the_same_external_uuid() {
    for error in [
        server_error(422, "to_number: not a valid number"),
        server_error(503, "try later"),
    ] {
        let mut app = loaded();
        let (req, first) = record(&mut app, 'n', "left at reception");
        app.update(answered(req, Err(error.clone())));
        let pending = &app.call_backs()[0];
        assert!(
            matches!(
                &pending.state,
                CallBackState::Failed {
                    outcome: Outcome::NoAnswer,
                    ..
                }
            ),
            "{pending:?}"
        );
        let notice = app.notice().expect("notice");
        assert!(
            notice.starts_with("call-back to Emily Carter not recorded: ")
                && notice.contains(&error.to_string()),
            "in the server's words: {notice}"
        );
        let report = app.exit_report();
        assert!(
            report
                .iter()
                .any(|l| l.contains("call-back to Emily Carter")
                    && l.contains(
                        "--outcome no-answer --to +14155550102 --note 'left at reception'"
                    )),
            "{report:?}"
        );

        // `c` on her call offers it again, as it was, without dialling.
        let effects = app.update(key(KeyCode::Char('c')));
        assert!(effects.is_empty(), "no second call: {effects:?}");
        let Some(Prompt::Outcome(ask)) = app.prompt() else {
            panic!("offered again");
        };
        assert_eq!(ask.choice, Some(Outcome::NoAnswer));
        assert_eq!(ask.note.value(), "left at reception");
        let (_, again) = create(&app.update(key(KeyCode::Enter)));
        assert_eq!(again.external_uuid, first.external_uuid, "the same record");
        assert_eq!(again, first);
    }
}

#[test]
fn esc_is_later_the_call_back_waits_and_is_offered_again() {
    let mut app = loaded();
    app.update(key(KeyCode::Char('c')));
    app.update(key(KeyCode::Esc));
    assert!(app.prompt().is_none());
    assert!(matches!(app.call_backs()[0].state, CallBackState::Open));
    assert_eq!(
        app.call_back_hint().as_deref(),
        Some("1 call-back to record: c")
    );
    let screen = screen_text(&draw(&app, 120, 14));
    assert!(screen.contains("1 call-back to record: c"), "{screen}");
    assert!(
        app.exit_report()
            .iter()
            .any(|l| l.contains("Emily Carter") && l.contains("outcome not recorded")),
        "listed at quit"
    );
    let effects = app.update(key(KeyCode::Char('c')));
    assert!(
        effects.is_empty(),
        "offered, not dialled again: {effects:?}"
    );
    assert!(matches!(app.prompt(), Some(Prompt::Outcome(_))));
    app.update(key(KeyCode::Char('v')));
    let (_, body) = create(&app.update(key(KeyCode::Enter)));
    assert_eq!(body.status, "MISSED");
}

#[test]
fn a_broken_field_keeps_the_question_open_with_the_message() {
    let odd = VoiceCall {
        from_number: Some("0800 FLOWERS".into()),
        ..call(2)
    };
    let mut app = loaded_with(session(), (120, 14), vec![odd]);
    app.update(key(KeyCode::Char('c')));
    app.update(key(KeyCode::Char('r')));
    let effects = app.update(key(KeyCode::Enter));
    assert!(effects.is_empty(), "nothing sent: {effects:?}");
    let Some(Prompt::Outcome(ask)) = app.prompt() else {
        panic!("still asked");
    };
    let error = ask.error.as_deref().expect("a message");
    assert!(error.starts_with("not recorded: to_number: "), "{error}");

    // Enter before choosing says what to do.
    let mut app = loaded();
    app.update(key(KeyCode::Char('c')));
    app.update(key(KeyCode::Enter));
    let Some(Prompt::Outcome(ask)) = app.prompt() else {
        panic!("still asked");
    };
    assert_eq!(
        ask.error.as_deref(),
        Some("choose how it went first: r, v or n")
    );

    // Without a business to record it for.
    let mut nobody = session();
    nobody.config.on_behalf_of = None;
    let mut app = loaded_with(nobody, (120, 14), vec![call(2)]);
    app.update(key(KeyCode::Char('c')));
    app.update(key(KeyCode::Char('n')));
    assert!(app.update(key(KeyCode::Enter)).is_empty());
    let Some(Prompt::Outcome(ask)) = app.prompt() else {
        panic!("still asked");
    };
    assert!(
        ask.error
            .as_deref()
            .is_some_and(|e| e.contains("on_behalf_of")),
        "{:?}",
        ask.error
    );
}

#[test]
fn quitting_waits_for_a_record_being_sent() {
    let mut app = loaded();
    let (req, body) = record(&mut app, 'v', "");
    app.update(key(KeyCode::Char('q')));
    assert!(!app.should_quit(), "the POST is out");
    app.update(answered(req, Ok(created(&body, "cb-1"))));
    assert!(app.should_quit());
}

#[test]
fn snapshot_outcome_question_60x20() {
    let mut app = loaded();
    app.update(key(KeyCode::Char('c')));
    app.update(key(KeyCode::Char('n')));
    type_str(&mut app, "Left a message at reception");
    let terminal = draw(&app, 60, 20);
    insta::assert_snapshot!("outcome_question_60x20", terminal.backend());
}

/// With one row per caller, the caller's row says it: Emily's two waiting calls are one row,
/// and after a call-back nobody answered that row reads "tried 1×…", not only her calls'.
#[test]
fn a_callers_row_says_tried_too() {
    let mut grouped = session();
    grouped.config.group_by_caller = true;
    let mut app = loaded_with(
        grouped,
        (120, 14),
        vec![
            call(2),
            emily(4, "VOICEMAIL_RECEIVED"),
            emily(5, "MISSED_CALL_HANDLED"),
            call(3),
        ],
    );
    app.set_people(people_knowing(&[("client-02", "Emily Carter")], &[]));
    let (req, body) = record(&mut app, 'n', "");
    app.update(answered(req, Ok(created(&body, "cb-1"))));
    let screen = screen_text(&draw(&app, 160, 14));
    let row = screen
        .lines()
        .find(|l| l.contains("▸ 2×"))
        .unwrap_or_else(|| panic!("Emily's row:\n{screen}"));
    assert!(
        row.contains("Emily Carter") && row.contains("tried 1×, last 15:00 (no answer)"),
        "{screen}"
    );
}
