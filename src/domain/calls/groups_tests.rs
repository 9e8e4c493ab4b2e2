//! Table tests of the caller groups: who folds with whom, where a group stands, expanding,
//! and the two cursors kept together as the list changes.

use super::*;
use crate::api::CallFields;
use crate::api::VoiceCall;

/// `(uid, client_uid, from_number, created minute)`; the list is in the order given.
type Spec = (
    &'static str,
    Option<&'static str>,
    Option<&'static str>,
    u32,
);

fn call((uid, client, from, minute): Spec) -> VoiceCall {
    VoiceCall {
        uid: Some(uid.into()),
        client_uid: client.map(Into::into),
        from_number: from.map(Into::into),
        created_at: Some(format!("2026-03-10T09:{minute:02}:00Z")),
        status: Some(crate::api::model::Status("MISSED".into())),
        direction: Some(crate::api::model::Direction("INBOUND".into())),
        ..Default::default()
    }
}

fn setup(specs: &[Spec]) -> (CallStore, CallList, Groups) {
    let mut store = CallStore::new();
    let mut list = CallList::default();
    list.append(&mut store, specs.iter().copied().map(call).collect());
    let mut groups = Groups::default();
    groups.sync(&mut list, &store, 10);
    (store, list, groups)
}

/// The rows as text: `[a b c]` a group (its calls' uids), `a` a call, `  a` a call under
/// its group.
fn shown(store: &CallStore, list: &CallList, groups: &Groups) -> Vec<String> {
    let uid = |pos: usize| store.get(list.ids()[pos]).map_or("?", |c| c.uid_str());
    groups
        .rows()
        .iter()
        .map(|row| match row {
            Row::Group(g) => {
                let members = groups.group(*g).expect("group").members();
                let uids: Vec<&str> = members.iter().map(|p| uid(*p)).collect();
                format!("[{}]", uids.join(" "))
            }
            Row::Call { at, member: false } => uid(*at).to_string(),
            Row::Call { at, member: true } => format!("  {}", uid(*at)),
            Row::Gap => "…".to_string(),
        })
        .collect()
}

fn selected_uid(store: &CallStore, list: &CallList) -> String {
    list.selected_id()
        .and_then(|id| store.get(id))
        .map_or("-", |c| c.uid_str())
        .to_string()
}

#[test]
fn calls_fold_by_client_else_by_number_where_the_first_stands() {
    let cases: &[(&str, &[Spec], &[&str], usize)] = &[
        ("nothing", &[], &[], 0),
        (
            "everyone once",
            &[("a", None, Some("+1"), 9), ("b", None, Some("+2"), 8)],
            &["a", "b"],
            2,
        ),
        (
            "the same number folds, at its newest call's place",
            &[
                ("a", None, Some("+1"), 9),
                ("b", None, Some("+2"), 8),
                ("c", None, Some("+1"), 7),
            ],
            &["[a c]", "b"],
            2,
        ),
        (
            "a client folds across numbers; a client's call never folds with a bare number",
            &[
                ("a", Some("cl1"), Some("+1"), 9),
                ("b", Some("cl1"), Some("+3"), 8),
                ("c", None, Some("+1"), 7),
            ],
            &["[a b]", "c"],
            2,
        ),
        (
            "a blank client falls back to the number",
            &[("a", Some("  "), Some("+1"), 9), ("b", None, Some("+1"), 8)],
            &["[a b]"],
            1,
        ),
        (
            "calls with no caller at all stay apart",
            &[("a", None, None, 9), ("b", None, None, 8)],
            &["a", "b"],
            2,
        ),
    ];
    for (name, specs, rows, callers) in cases {
        let (store, list, groups) = setup(specs);
        assert_eq!(shown(&store, &list, &groups), *rows, "{name}");
        assert_eq!(groups.callers(), *callers, "{name}");
    }
}

/// Only calls waiting for a call back fold: an outbound attempt to the same number (listed
/// in Needs follow-up when nobody answered) stands alone.
#[test]
fn only_waiting_calls_fold() {
    let mut store = CallStore::new();
    let mut list = CallList::default();
    let mut attempt = call(("out", None, None, 8));
    attempt.direction = Some(crate::api::model::Direction("OUTBOUND".into()));
    attempt.to_number = Some("+1".into());
    list.append(
        &mut store,
        vec![
            call(("a", None, Some("+1"), 9)),
            attempt,
            call(("b", None, Some("+1"), 7)),
        ],
    );
    let mut groups = Groups::default();
    groups.sync(&mut list, &store, 10);
    assert_eq!(shown(&store, &list, &groups), ["[a b]", "out"]);
}

#[test]
fn a_group_expands_under_itself_and_collapses_again() {
    let (store, mut list, mut groups) = setup(&[
        ("a", None, Some("+1"), 9),
        ("b", None, Some("+2"), 8),
        ("c", None, Some("+1"), 7),
    ]);
    assert_eq!(
        selected_uid(&store, &list),
        "a",
        "a group stands for its newest call"
    );
    assert!(groups.toggle(&mut list, 10));
    assert_eq!(shown(&store, &list, &groups), ["[a c]", "  a", "  c", "b"]);
    assert_eq!(groups.selected_index(), 0, "the cursor stays on the group");
    groups.move_by(2, &mut list, 10);
    assert_eq!(selected_uid(&store, &list), "c");
    assert!(!groups.toggle(&mut list, 10), "a call row does not toggle");
    groups.select(0, &mut list, 10);
    assert!(groups.toggle(&mut list, 10));
    assert_eq!(shown(&store, &list, &groups), ["[a c]", "b"]);
}

#[test]
fn the_newest_call_stands_for_the_group_whatever_the_sort() {
    // Oldest first: the group stands where its first call is, and points at its newest.
    let (store, list, groups) = setup(&[
        ("old", None, Some("+1"), 1),
        ("other", None, Some("+2"), 2),
        ("new", None, Some("+1"), 3),
    ]);
    assert_eq!(shown(&store, &list, &groups), ["[old new]", "other"]);
    assert_eq!(selected_uid(&store, &list), "new");
}

#[test]
fn pages_appended_join_their_groups_and_the_cursor_stays() {
    let (mut store, mut list, mut groups) =
        setup(&[("a", None, Some("+1"), 9), ("b", None, Some("+2"), 8)]);
    groups.move_by(1, &mut list, 10);
    list.append(
        &mut store,
        vec![
            call(("c", None, Some("+1"), 7)),
            call(("d", None, Some("+3"), 6)),
        ],
    );
    groups.sync(&mut list, &store, 10);
    assert_eq!(shown(&store, &list, &groups), ["[a c]", "b", "d"]);
    assert_eq!(selected_uid(&store, &list), "b");
    assert_eq!(groups.selected_index(), 1);
}

#[test]
fn a_call_that_leaves_takes_its_row_and_the_cursor_goes_on() {
    let (store, mut list, mut groups) = setup(&[
        ("a", None, Some("+1"), 9),
        ("b", None, Some("+2"), 8),
        ("c", None, Some("+1"), 7),
        ("d", None, Some("+3"), 6),
    ]);
    groups.move_by(1, &mut list, 10);
    assert_eq!(selected_uid(&store, &list), "b");
    // b is handled and leaves: the list's cursor stays on its row, the next call.
    let b = store.id_of("b").expect("b");
    list.place(&store, b, false, |_, _| std::cmp::Ordering::Equal, true, 10);
    groups.sync(&mut list, &store, 10);
    assert_eq!(shown(&store, &list, &groups), ["[a c]", "d"]);
    // The list put its cursor on c, hidden in a's group: the cursor is on that group.
    assert_eq!(groups.selected_index(), 0);
    assert_eq!(selected_uid(&store, &list), "a");
    // A call above leaving keeps the cursor on its row's call.
    groups.move_by(1, &mut list, 10);
    let a = store.id_of("a").expect("a");
    list.place(&store, a, false, |_, _| std::cmp::Ordering::Equal, true, 10);
    groups.sync(&mut list, &store, 10);
    assert_eq!(shown(&store, &list, &groups), ["c", "d"]);
    assert_eq!(selected_uid(&store, &list), "d");
}

#[test]
fn a_call_whose_caller_changes_moves_to_its_new_group() {
    let (mut store, mut list, mut groups) = setup(&[
        ("a", None, Some("+1"), 9),
        ("b", None, Some("+2"), 8),
        ("c", None, Some("+1"), 7),
    ]);
    let mut b = call(("b", None, Some("+1"), 8));
    b.updated_at = Some("2026-03-10T10:00:00Z".into());
    store.upsert(b);
    groups.sync(&mut list, &store, 10);
    assert_eq!(shown(&store, &list, &groups), ["[a b c]"]);
    // A change that keeps the caller rebuilds nothing (the same rows).
    let mut a = call(("a", None, Some("+1"), 9));
    a.call_summary = Some("rang twice".into());
    store.upsert(a);
    groups.sync(&mut list, &store, 10);
    assert_eq!(shown(&store, &list, &groups), ["[a b c]"]);
}

#[test]
fn a_search_jump_reveals_a_call_hidden_in_its_group() {
    let (store, mut list, mut groups) = setup(&[
        ("a", None, Some("+1"), 9),
        ("b", None, Some("+2"), 8),
        ("c", None, Some("+1"), 7),
    ]);
    groups.reveal(2, &mut list, 10);
    assert_eq!(shown(&store, &list, &groups), ["[a c]", "  a", "  c", "b"]);
    assert_eq!(selected_uid(&store, &list), "c");
    assert_eq!(groups.selected_index(), 2);
}

#[test]
fn rows_scroll_and_clamp_like_the_list() {
    let specs: Vec<Spec> = ["a", "b", "c", "d", "e", "f", "g", "h", "i", "j", "k", "l"]
        .iter()
        .enumerate()
        .map(|(i, uid)| {
            (
                *uid,
                None,
                Some(["+1", "+2", "+3", "+4", "+5", "+6"][i % 6]),
                59 - i as u32,
            )
        })
        .collect();
    let (_store, mut list, mut groups) = setup(&specs);
    assert_eq!(groups.len(), 6, "two calls each from six callers");
    groups.move_by(100, &mut list, 4);
    assert_eq!((groups.selected_index(), groups.offset()), (5, 2));
    assert_eq!(groups.visible(4).len(), 4);
    assert!(groups.near_end(4));
    groups.move_by(-100, &mut list, 4);
    assert_eq!((groups.selected_index(), groups.offset()), (0, 0));
    groups.scroll_by(3, &mut list, 4);
    assert_eq!((groups.selected_index(), groups.offset()), (2, 2));
}
