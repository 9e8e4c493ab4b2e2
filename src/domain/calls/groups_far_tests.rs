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
    // The middle brings a newer call of y's: their row moves up, and the cursor with it
    // (never onto another caller's row the user did not choose).
    list.append(&mut store, vec![call("y0", "+8", 30)]);
    groups.sync(&mut list, &store, 10);
    assert_eq!(shown(&store, &list, &groups), ["a1", "b1", "y0", "…", "x1"]);
    assert_eq!(groups.selected_index(), 2, "with y's calls");
    assert_eq!(list.selected_id(), store.id_of("y0"));
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
    assert_eq!(groups.selected_index(), 2, "still with y's calls");
}

/// A cursor on one far call stays on that call when a page moves rows around it: the next
/// `h` reaches the call the user is looking at, not whichever row is last now.
#[test]
fn a_cursor_on_a_far_call_stays_on_it_as_pages_come_in() {
    let mut store = CallStore::new();
    let mut list = CallList::default();
    list.append(&mut store, vec![call("a1", "+1", 59), call("b1", "+2", 58)]);
    list.set_tail(
        &mut store,
        vec![call("y1", "+8", 10), call("z1", "+9", 9)],
        10,
    );
    let mut groups = Groups::default();
    groups.sync(&mut list, &store, 10);
    assert_eq!(shown(&store, &list, &groups), ["a1", "b1", "…", "y1", "z1"]);
    groups.select(usize::MAX, &mut list, 10);
    assert_eq!(list.selected_id(), store.id_of("z1"));
    // A newer call of z's comes in the middle: z's row moves above the gap.
    list.append(&mut store, vec![call("z0", "+9", 30)]);
    groups.sync(&mut list, &store, 10);
    assert_eq!(shown(&store, &list, &groups), ["a1", "b1", "z0", "…", "y1"]);
    let on = list
        .selected_id()
        .and_then(|id| store.get(id))
        .map(|c| c.uid_str().to_string());
    assert_ne!(
        on.as_deref(),
        Some("y1"),
        "not moved onto another caller's call"
    );
    assert_eq!(groups.selected_index(), 2, "with z's calls");
}

/// A caller whose row stands above while some of their calls came with the far end is
/// still gathering: their row says so, and an action on all of their calls would miss some.
#[test]
fn a_caller_above_with_far_calls_is_still_gathering() {
    let mut store = CallStore::new();
    let mut list = CallList::default();
    list.append(
        &mut store,
        vec![
            call("a1", "+1", 59),
            call("a0", "+1", 50),
            call("b1", "+2", 58),
        ],
    );
    list.set_tail(&mut store, vec![call("a9", "+1", 9)], 10);
    let mut groups = Groups::default();
    groups.sync(&mut list, &store, 10);
    assert_eq!(shown(&store, &list, &groups), ["[a1 a0]+", "b1", "…"]);
    groups.select(0, &mut list, 10);
    assert!(groups.on_gathering_group());
    // Once the middle brings a9 in order and the far end goes, the row is whole.
    list.append(&mut store, vec![call("a9", "+1", 9)]);
    list.drop_tail(10);
    groups.sync(&mut list, &store, 10);
    assert_eq!(shown(&store, &list, &groups), ["[a1 a0 a9]", "b1"]);
    assert!(!groups.on_gathering_group());
}
