//! The conflict view's keys through `update`: `r` reload, `o` overwrite with only my changes
//! on top of theirs, `c` cancel, scrolling; and `TestBackend` snapshots of the view at 80 × 24
//! and 60 × 20 (full values wrapped, my changes marked).

use crate::console::app::test_fixtures::form::*;
use crate::test_support::screen_text;

#[test]
fn conflict_reload_takes_theirs_and_keeps_my_edits_on_top() {
    let (mut app, theirs) = into_conflict();
    assert!(scheduled(&app.update(ch('r'))));
    assert!(app.submission().is_none());
    let f = form(&app);
    assert_eq!(f.value(FieldId::CallSummary), "mine");
    assert_eq!(f.value(FieldId::SourceId), "src-theirs");
    assert_eq!(f.opened_updated_at(), Some(THEIRS_AT));
    // Sending now passes the check against their copy.
    let (_, body) = submit_through_check(&mut app, theirs);
    assert_eq!(body["source_id"], "src-theirs");
    assert_eq!(body["call_summary"], "mine");
}

#[test]
fn conflict_overwrite_sends_theirs_with_only_my_changes_on_top() {
    // Issue 13: `o` sent the form's whole body, putting back the stale `src-0` over the
    // colleague's `source_id`, a field I never touched.
    let (mut app, _) = into_conflict();
    let effects = app.update(ch('o'));
    // Based on their version now: an unanswered PUT is read back against it.
    assert!(
        matches!(effects.as_slice(), [Effect::PutCall { expected: Some(at), .. }] if at == THEIRS_AT),
        "{effects:?}"
    );
    let (req, body) = put_of(&effects);
    assert_eq!(body["call_summary"], "mine", "both changed it: mine wins");
    assert_eq!(
        body["source_id"], "src-theirs",
        "only they changed it: theirs stays"
    );
    assert!(matches!(stage(&app), Some(Stage::Saving { req: r }) if *r == req));
    assert_eq!(app.submission().map(|s| &s.body), Some(&body));
}

#[test]
fn conflict_cancel_sends_nothing_and_keeps_the_form() {
    let (mut app, _) = into_conflict();
    assert!(app.update(ch('c')).is_empty());
    assert!(app.submission().is_none());
    assert_eq!(form(&app).value(FieldId::CallSummary), "mine");
    assert_eq!(app.notice(), Some("not sent; the form is as you left it"));
}

#[test]
fn conflict_overwrite_with_changed_fields_only_sends_mine() {
    let mut app = loaded_with(
        vec![full(0)],
        session(Some("staff-ana"), UpdateFields::Changed),
        Vec::new(),
    );
    edit_summary(&mut app, "mine");
    let req = fetch_req(&app.update(ctrl('s')), "call-0000");
    let theirs = with(full(0), |c| {
        c.updated_at = Some(THEIRS_AT.into());
        c.source_id = Some("src-theirs".into());
    });
    assert!(fetched(&mut app, req, theirs).is_empty());
    let (_, body) = put_of(&app.update(ch('o')));
    assert_eq!(body, serde_json::json!({"call_summary": "mine"}));
}

const LONG_THEIRS: &str = "Caller asked about the invoice from March; the front desk promised a call \
back before noon on Friday and noted the account number ends in 4411 THEIRS-END";
const LONG_MINE: &str = "Rescheduled the appointment to Friday afternoon at three, the patient \
will bring the referral letter and the insurance card; call again if they cancel MINE-END";

/// A conflict with long values: both changed the summary, they changed source_id, I changed
/// external_app_name; the app told the terminal is `height` rows.
fn long_conflict(height: u16) -> App {
    let mut app = loaded(vec![full(0)]);
    app.update(Msg::Resize {
        list_rows: list_rows(height),
    });
    edit_summary(&mut app, LONG_MINE);
    tab_to(&mut app, FieldId::ExternalAppName);
    app.update(ctrl('u'));
    type_str(&mut app, "Desk");
    let req = fetch_req(&app.update(ctrl('s')), "call-0000");
    let theirs = with(full(0), |c| {
        c.updated_at = Some(THEIRS_AT.into());
        c.source_id = Some("src-theirs".into());
        c.call_summary = Some(LONG_THEIRS.into());
    });
    assert!(fetched(&mut app, req, theirs).is_empty());
    assert!(matches!(stage(&app), Some(Stage::Conflict { .. })));
    app
}

/// Every word of `value` is on one of the screens seen.
fn shown_in_full(screens: &[String], value: &str) {
    for word in value.split(' ') {
        assert!(
            screens.iter().any(|s| s.contains(word)),
            "{word:?} of {value:?} not shown:\n{}",
            screens.join("\n")
        );
    }
}

#[test]
fn snapshot_conflict_80x24_shows_full_values_and_marks_my_changes() {
    let app = long_conflict(24);
    let terminal = draw(&app, 80, 24);
    let text = screen_text(&terminal);
    shown_in_full(std::slice::from_ref(&text), LONG_THEIRS);
    assert!(
        text.contains("* call_summary — you both changed it: o sends yours"),
        "{text}"
    );
    assert!(
        text.contains("  source_id — they changed it: o keeps theirs"),
        "{text}"
    );
    insta::assert_snapshot!(terminal.backend());
}

#[test]
fn snapshot_conflict_60x20_wraps_and_scrolls_to_every_value() {
    let mut app = long_conflict(20);
    let top = draw(&app, 60, 20);
    let first = screen_text(&top);
    assert!(first.contains("↓ more"), "{first}");
    insta::assert_snapshot!("conflict_60x20_top", top.backend());
    let mut screens = vec![first];
    for _ in 0..40 {
        assert!(app.update(ch('j')).is_empty());
        screens.push(screen_text(&draw(&app, 60, 20)));
    }
    shown_in_full(&screens, LONG_THEIRS);
    shown_in_full(&screens, LONG_MINE);
    let end = screens.last().cloned().unwrap_or_default();
    assert!(
        end.contains("* external_app_name — you changed it: o sends yours"),
        "{end}"
    );
    assert!(end.contains("Desk"), "{end}");
    app.update(ch('G'));
    let bottom = draw(&app, 60, 20);
    assert_eq!(screen_text(&bottom), end, "G: the last full page");
    insta::assert_snapshot!("conflict_60x20_end", bottom.backend());
    app.update(ch('g'));
    assert_eq!(screen_text(&draw(&app, 60, 20)), screens[0]);
    // Scrolling sends nothing and leaves the decision open.
    assert!(matches!(stage(&app), Some(Stage::Conflict { .. })));
}

#[test]
fn the_conflict_view_names_the_people_beside_their_uids() {
    let mut app = loaded(vec![full(0)]);
    app.set_people(crate::test_support::people_knowing(
        &[("client-00", "Emily Carter"), ("client-07", "Noah Park")],
        &[("staff-ana", "Ana Ruiz"), ("staff-grace", "Grace O'Neill")],
    ));
    assert!(app.update(ch('e')).is_empty());
    tab_to(&mut app, FieldId::ClientUid);
    app.update(ctrl('u'));
    type_str(&mut app, "client-07");
    let req = fetch_req(&app.update(ctrl('s')), "call-0000");
    let theirs = with(full(0), |c| {
        c.updated_at = Some(THEIRS_AT.into());
        c.staff_uid = Some("staff-grace".into());
        c.handled_by_staff_uid = Some("staff-grace".into());
    });
    assert!(fetched(&mut app, req, theirs).is_empty());
    assert!(matches!(stage(&app), Some(Stage::Conflict { .. })));
    let terminal = draw(&app, 80, 24);
    let text = screen_text(&terminal);
    for shown in [
        "client-00  Emily Carter",
        "client-07  Noah Park",
        "staff-grace  Grace O'Neill",
        "staff-ana  Ana Ruiz",
    ] {
        assert!(text.contains(shown), "{shown:?} not shown:\n{text}");
    }
    insta::assert_snapshot!(terminal.backend());
    // Where a name does not fit beside the uid, it has a line of its own.
    let text = screen_text(&draw(&app, 40, 30));
    assert!(text.contains("Grace O'Neill"), "{text}");
}
