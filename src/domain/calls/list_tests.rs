//! Tests of one view's list: paging in, merging a refreshed first page, the cursor.

use super::*;
use crate::api::CallFields;
use crate::domain::calls::ListView;
use crate::domain::calls::PackedCall;

fn call(uid: &str) -> VoiceCall {
    VoiceCall {
        uid: Some(uid.to_string()),
        ..Default::default()
    }
}

fn list_of(n: usize) -> (CallStore, CallList) {
    let mut store = CallStore::new();
    let mut list = CallList::default();
    list.append(&mut store, (0..n).map(|i| call(&format!("c{i}"))).collect());
    (store, list)
}

fn uids(store: &CallStore, list: &CallList) -> Vec<String> {
    ListView { list, store }
        .calls()
        .iter()
        .filter_map(|c| c.uid().map(str::to_string))
        .collect()
}

fn selected_uid(store: &CallStore, list: &CallList) -> Option<String> {
    ListView { list, store }
        .selected()
        .and_then(|c| c.uid().map(str::to_string))
}

#[test]
fn moves_clamp_and_scroll() {
    let (_, mut list) = list_of(30);
    list.move_by(-5, 10);
    assert_eq!(list.selected_index(), 0);
    list.move_by(12, 10);
    assert_eq!((list.selected_index(), list.offset()), (12, 3));
    list.move_by(100, 10);
    assert_eq!((list.selected_index(), list.offset()), (29, 20));
    assert_eq!(list.visible(10).count(), 10);
    list.move_by(-29, 10);
    assert_eq!((list.selected_index(), list.offset()), (0, 0));
}

#[test]
fn duplicates_across_pages_are_skipped() {
    let (mut store, mut list) = list_of(3);
    list.append(
        &mut store,
        vec![
            call("c2"),
            call("c3"),
            VoiceCall::default(),
            VoiceCall::default(),
        ],
    );
    assert_eq!(
        list.len(),
        6,
        "c3 and both uid-less calls are added, c2 is not"
    );
    assert_eq!(store.len(), 6, "each call is stored once");
}

#[test]
fn replace_keeps_the_selected_call() {
    let (mut store, mut list) = list_of(10);
    list.select(4, 5);
    list.replace(&mut store, vec![call("new"), call("c4"), call("c5")], 5);
    assert_eq!(selected_uid(&store, &list).as_deref(), Some("c4"));
    list.replace(&mut store, vec![call("x")], 5);
    assert_eq!(list.selected_index(), 0);
}

#[test]
fn merge_keeps_the_cursor_on_its_screen_line() {
    let (mut store, mut list) = list_of(30);
    list.select(12, 10); // offset 3, screen row 9
    let keep = |c: &PackedCall| c.uid() != Some("c1") && c.uid() != Some("c12");
    let fresh = vec![call("n1"), call("n2"), call("c0")];
    let added = list.merge_top(&mut store, fresh, keep, false, 10);
    let added: Vec<_> = added
        .iter()
        .filter_map(|id| store.get(*id).and_then(|c| c.uid().map(str::to_string)))
        .collect();
    assert_eq!(added, vec!["n1", "n2"]);
    assert_eq!(
        selected_uid(&store, &list).as_deref(),
        Some("c12"),
        "cursor call kept although rejected"
    );
    assert_eq!(list.selected_index() - list.offset(), 9, "same screen line");
    assert!(!list.contains_uid(&store, "c1"), "rejected call dropped");
    assert_eq!(list.len(), 31);
    assert_eq!(uids(&store, &list)[0], "n1");
}

/// A call a colleague handled is never in the view's fresh page again: its absence where
/// it would be listed is what drops it.
#[test]
fn merge_drops_calls_the_fresh_page_no_longer_lists() {
    let all = |_: &PackedCall| true;
    let (mut store, mut list) = list_of(10);
    list.merge_top(
        &mut store,
        vec![call("c0"), call("c2"), call("c4")],
        all,
        false,
        5,
    );
    assert_eq!(
        uids(&store, &list),
        ["c0", "c2", "c4", "c5", "c6", "c7", "c8", "c9"],
        "c1 and c3 left; past c4 the page says nothing"
    );
    assert!(!list.contains_uid(&store, "c1") && !list.contains_uid(&store, "c3"));

    list.select(4, 5); // c6, which the next page leaves out: the cursor's call stays
    list.merge_top(&mut store, vec![call("n0"), call("c0")], all, true, 5);
    assert_eq!(
        uids(&store, &list),
        ["n0", "c0", "c6"],
        "a short page is the whole view"
    );
    assert_eq!(selected_uid(&store, &list).as_deref(), Some("c6"));
}

#[test]
fn merge_forgets_the_calls_it_drops() {
    let (mut store, mut list) = list_of(5);
    let keep = |c: &PackedCall| !matches!(c.uid(), Some("c3" | "n2"));
    list.merge_top(&mut store, vec![call("n1"), call("n2")], keep, false, 10);
    assert!(list.contains_uid(&store, "n1") && list.contains_uid(&store, "c4"));
    assert!(
        !list.contains_uid(&store, "c3") && !list.contains_uid(&store, "n2"),
        "dropped, so not listed"
    );
    assert_eq!(selected_uid(&store, &list).as_deref(), Some("c0"));
    // A dropped call that turns up in a later page is listed again.
    list.append(&mut store, vec![call("c3")]);
    assert_eq!(uids(&store, &list), ["n1", "c0", "c1", "c2", "c4", "c3"]);
}

/// Two views listing the same call share one copy: a newer copy from either is what both
/// show.
#[test]
fn views_share_one_copy_of_a_call() {
    let mut store = CallStore::new();
    let (mut a, mut b) = (CallList::default(), CallList::default());
    a.append(&mut store, vec![call("x"), call("y")]);
    b.append(&mut store, vec![call("y")]);
    assert_eq!(store.len(), 2, "y is stored once");
    let newer = VoiceCall {
        call_summary: Some("called back".into()),
        ..call("y")
    };
    store.update(&newer);
    for list in [&a, &b] {
        let view = ListView {
            list,
            store: &store,
        };
        assert_eq!(
            view.find("y").and_then(|c| c.call_summary()),
            Some("called back")
        );
    }
}

#[test]
fn the_generation_changes_unless_rows_were_only_appended() {
    let (mut store, mut list) = list_of(3);
    let g = list.generation();
    list.append(&mut store, vec![call("c9")]);
    assert_eq!(list.generation(), g, "appending keeps it");
    list.merge_top(&mut store, vec![call("n")], |_| true, false, 5);
    assert_ne!(list.generation(), g, "a row on top changes it");
    assert_ne!(
        CallList::default().generation(),
        CallList::default().generation()
    );
}

#[test]
fn wheel_scroll_drags_the_cursor_along() {
    let (_, mut list) = list_of(30);
    list.scroll_by(5, 10);
    assert_eq!((list.offset(), list.selected_index()), (5, 5));
    list.scroll_by(100, 10);
    assert_eq!(list.offset(), 20);
    list.scroll_by(-100, 10);
    assert_eq!((list.offset(), list.selected_index()), (0, 9));
}

#[test]
fn empty_list_is_safe() {
    let store = CallStore::new();
    let mut list = CallList::default();
    list.move_by(1, 10);
    list.move_by(-1, 10);
    assert!(selected_uid(&store, &list).is_none());
    assert!(list.visible(10).next().is_none());
    assert!(list.near_end(10));
}

/// Orders fixture calls by the number in their uid, as a view's sort would.
fn by_number(a: &PackedCall, b: &PackedCall) -> std::cmp::Ordering {
    a.uid().cmp(&b.uid())
}

#[test]
fn a_changed_call_leaves_joins_or_stays_and_the_cursor_keeps_its_row() {
    let (mut store, mut list) = list_of(5);
    list.select(2, 10);
    let c2 = store.id_of("c2").unwrap();
    assert!(
        !list.place(&store, c2, true, by_number, false, 10),
        "in order: no change"
    );
    // The cursor's call leaves: the next call comes under the cursor.
    assert!(list.place(&store, c2, false, by_number, false, 10));
    assert_eq!(uids(&store, &list), ["c0", "c1", "c3", "c4"]);
    assert_eq!(selected_uid(&store, &list).as_deref(), Some("c3"));
    // It comes back at its place; the cursor stays on c3.
    assert!(list.place(&store, c2, true, by_number, false, 10));
    assert_eq!(uids(&store, &list), ["c0", "c1", "c2", "c3", "c4"]);
    assert_eq!(selected_uid(&store, &list).as_deref(), Some("c3"));
    // A call that sorts past what is loaded waits for its page, unless all is loaded.
    let c9 = store.upsert(call("c9"));
    assert!(!list.place(&store, c9, true, by_number, false, 10));
    assert!(!list.contains(c9));
    assert!(list.place(&store, c9, true, by_number, true, 10));
    assert_eq!(uids(&store, &list).last().map(String::as_str), Some("c9"));
}

#[test]
fn resort_keeps_the_cursor_on_its_call() {
    let mut store = CallStore::new();
    let mut list = CallList::default();
    list.append(&mut store, ["c3", "c1", "c2"].map(call).to_vec());
    list.select(1, 10);
    list.resort(&store, by_number, 10);
    assert_eq!(uids(&store, &list), ["c1", "c2", "c3"]);
    assert_eq!(selected_uid(&store, &list).as_deref(), Some("c1"));
}
