//! The far end's callers as rows: after a gap, callers above not repeated, a caller the
//! middle brings moving up, and the rows a full build gives once the far end goes.

use super::super::*;
use crate::api::VoiceCall;

/// Call `uid` from `from`, at minute `minute` (the list is newest first).
fn call(uid: &str, from: &str, minute: u32) -> VoiceCall {
    VoiceCall {
        uid: Some(uid.into()),
        from_number: Some(from.into()),
        created_at: Some(format!("2026-03-10T09:{minute:02}:00Z")),
        status: Some(crate::api::model::Status("MISSED".into())),
        ..Default::default()
    }
}

/// The rows as text: `[a b]` a caller's row (`+` still gathering), `a` a call, `…` the gap.
fn shown(store: &CallStore, list: &CallList, groups: &Groups) -> Vec<String> {
    let uid = |pos: usize| {
        list.id_at(pos)
            .and_then(|id| store.get(id))
            .map_or("?", |c| c.uid_str())
    };
    groups
        .rows()
        .iter()
        .map(|row| match row {
            Row::Group(g) => {
                let members = groups.group(*g).expect("group").members();
                let uids: Vec<&str> = members.iter().map(|p| uid(*p)).collect();
                let more = if groups.gathering(*g) { "+" } else { "" };
                format!("[{}]{more}", uids.join(" "))
            }
            Row::Call { at, .. } => uid(*at).to_string(),
            Row::Gap => "…".to_string(),
        })
        .collect()
}

#[test]
fn the_far_ends_callers_follow_the_gap_and_the_middle_moves_them_up() {
    let mut store = CallStore::new();
    let mut list = CallList::default();
    list.append(&mut store, vec![call("a1", "+1", 59), call("b1", "+2", 58)]);
    // The far end: x (a caller of its own), a caller above (+1), y twice.
    list.set_tail(
        &mut store,
        vec![
            call("x1", "+7", 10),
            call("a2", "+1", 9),
            call("y1", "+8", 8),
            call("y2", "+8", 7),
        ],
        10,
    );
    let mut groups = Groups::default();
    groups.sync(&mut list, &store, 10);
    assert_eq!(
        shown(&store, &list, &groups),
        ["a1", "b1", "…", "x1", "[y1 y2]+"],
        "+1's far call waits for their row above"
    );
    assert_eq!(groups.gap_row(), Some(2));
    assert_eq!(groups.callers(), 4);
    groups.select(usize::MAX, &mut list, 10);
    assert!(groups.on_far_row());
    // The middle brings a newer call of y's: their row moves up, the cursor stays last.
    list.append(&mut store, vec![call("y0", "+8", 30)]);
    groups.sync(&mut list, &store, 10);
    assert_eq!(shown(&store, &list, &groups), ["a1", "b1", "y0", "…", "x1"]);
    assert_eq!(groups.selected_index(), 4, "still on the last row");
    // The rest: the far end goes, and the rows are those a full build gives.
    list.append(
        &mut store,
        vec![
            call("x1", "+7", 10),
            call("a2", "+1", 9),
            call("y1", "+8", 8),
            call("y2", "+8", 7),
        ],
    );
    list.drop_tail(10);
    groups.sync(&mut list, &store, 10);
    let mut fresh = Groups::default();
    fresh.sync(&mut list, &store, 10);
    assert_eq!(
        shown(&store, &list, &groups),
        ["[a1 a2]", "b1", "[y0 y1 y2]", "x1"]
    );
    assert_eq!(shown(&store, &list, &groups), shown(&store, &list, &fresh));
    assert_eq!(groups.selected_index(), 3, "on the last row");
}
