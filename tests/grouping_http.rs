//! One row per caller in Needs follow-up, judged by what the embedded server holds: `h` on a
//! caller's row handles exactly that caller's waiting calls, and one `u` puts them all back.

use callconsole::api::VoiceCall;
use callconsole::domain::calls::Row;
use callconsole::domain::handling;
use callconsole::domain::people::LookupRef;
use callconsole::domain::views::TabId;
use crossterm::event::KeyCode;

#[path = "support/drive.rs"]
mod drive;
#[path = "support/triage.rs"]
mod triage;

use triage::{follow_up, key, press, server_calls, setup};

fn status(call: &VoiceCall) -> &str {
    call.status.as_ref().map_or("", |s| s.as_str())
}

#[tokio::test]
async fn h_on_a_callers_row_handles_exactly_their_calls_on_the_server() {
    let (_server, client, mut app) = setup(300, TabId::FollowUp).await;
    assert!(app.group_by_caller(), "one row per caller by default");
    let waiting = server_calls(&client, follow_up()).await;

    // The first caller who called more than once, and how far down their row is.
    let groups = app.grouped().expect("Needs follow-up is grouped");
    let (row, members) = groups
        .rows()
        .iter()
        .enumerate()
        .find_map(|(i, row)| match row {
            Row::Group(g) => Some((i, groups.group(*g).expect("group").members().to_vec())),
            Row::Call { .. } | Row::Gap => None,
        })
        .expect("the seed has a caller who called more than once");
    let theirs: Vec<VoiceCall> = members
        .iter()
        .filter_map(|p| app.list().get(*p).map(|c| c.to_call()))
        .collect();
    let caller = LookupRef::of(&theirs[0]).expect("a caller").to_owned();
    // Their calls waiting for a call back (an outbound attempt to them is not one).
    let of_caller = |c: &dyn callconsole::api::CallFields| {
        handling::check(c).is_ok() && LookupRef::of(c).is_some_and(|k| k.is(&caller))
    };
    let expected: Vec<&str> = waiting
        .iter()
        .filter(|c| of_caller(c))
        .filter_map(|c| c.uid.as_deref())
        .collect();
    assert!(expected.len() > 1, "{expected:?}");
    assert_eq!(
        theirs.len(),
        expected.len(),
        "the row holds every waiting call of theirs"
    );

    let mut keys: Vec<_> = (0..row).map(|_| key(KeyCode::Char('j'))).collect();
    keys.push(key(KeyCode::Char('h')));
    press(&mut app, &client, keys).await;
    if app.prompt().is_some() {
        // More than ten calls: asked first.
        press(&mut app, &client, vec![key(KeyCode::Char('y'))]).await;
    }
    let after = server_calls(&client, Vec::new()).await;
    for was in &waiting {
        let now = after.iter().find(|c| c.uid == was.uid).expect("same calls");
        if of_caller(was) {
            assert_eq!(status(now), "MISSED_CALL_HANDLED", "{:?}", was.uid);
            assert_eq!(now.handled_by_staff_uid.as_deref(), Some("staff-me"));
        } else {
            assert_eq!(now.updated_at, was.updated_at, "{:?} untouched", was.uid);
            assert_eq!(status(now), status(was));
        }
    }
    let groups = app.grouped().expect("grouped");
    assert!(
        groups.rows().iter().all(|r| match r {
            Row::Call { at, .. } => app.list().get(*at).is_some_and(|c| !of_caller(c)),
            Row::Group(g) => groups
                .group(*g)
                .and_then(|g| app.list().get(g.members()[0]))
                .is_some_and(|c| !of_caller(c)),
            Row::Gap => true,
        }),
        "the caller's row left the view"
    );

    // One undo step puts every one of them back.
    press(&mut app, &client, vec![key(KeyCode::Char('u'))]).await;
    if app.prompt().is_some() {
        press(&mut app, &client, vec![key(KeyCode::Char('y'))]).await;
    }
    let undone = server_calls(&client, follow_up()).await;
    let back: Vec<&str> = undone
        .iter()
        .filter(|c| of_caller(c))
        .filter_map(|c| c.uid.as_deref())
        .collect();
    assert_eq!(back.len(), expected.len(), "{back:?}");
}
