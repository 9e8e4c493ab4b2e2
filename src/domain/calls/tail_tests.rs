//! Tests of a view's far end: shown after a gap row, met by the pages from the top, kept
//! through a refresh and a change to one of its calls, and dropped with the cursor on a call.

use crate::api::{CallFields, VoiceCall};
use crate::domain::calls::{CallList, CallStore, PackedCall};

fn call(uid: &str) -> VoiceCall {
    VoiceCall {
        uid: Some(uid.to_string()),
        ..Default::default()
    }
}

fn calls(uids: &[&str]) -> Vec<VoiceCall> {
    uids.iter().map(|u| call(u)).collect()
}

/// A list of `c0`..`c{n-1}` from the top, then `tail` as its far end, the cursor on the last.
fn with_tail(n: usize, tail: &[&str]) -> (CallStore, CallList) {
    let mut store = CallStore::new();
    let mut list = CallList::default();
    list.append(&mut store, (0..n).map(|i| call(&format!("c{i}"))).collect());
    list.set_tail(&mut store, calls(tail), 10);
    list.select(usize::MAX, 10);
    (store, list)
}

/// Every row as the screen lists them: the calls' uids, `…` for the gap.
fn rows(store: &CallStore, list: &CallList) -> Vec<String> {
    (0..list.row_count())
        .map(|r| match list.id_at(r) {
            Some(id) => store
                .get(id)
                .and_then(|c| c.uid())
                .unwrap_or("?")
                .to_string(),
            None => "…".to_string(),
        })
        .collect()
}

fn cursor(store: &CallStore, list: &CallList) -> String {
    match list.selected_id() {
        Some(id) => store
            .get(id)
            .and_then(|c| c.uid())
            .unwrap_or("?")
            .to_string(),
        None => "…".to_string(),
    }
}

fn by_number(a: &PackedCall, b: &PackedCall) -> std::cmp::Ordering {
    a.uid().cmp(&b.uid())
}

#[test]
fn the_far_end_follows_a_gap_row_and_the_cursor_moves_over_it() {
    let (store, mut list) = with_tail(3, &["c7", "c8", "c9"]);
    assert_eq!(
        rows(&store, &list),
        ["c0", "c1", "c2", "…", "c7", "c8", "c9"]
    );
    assert_eq!(
        (list.len(), list.calls_listed(), list.gap_row()),
        (3, 6, Some(3))
    );
    assert_eq!(
        cursor(&store, &list),
        "c9",
        "the cursor on the view's last call"
    );
    list.move_by(-3, 10);
    assert!(list.on_gap());
    assert_eq!(cursor(&store, &list), "…");
    assert_eq!(list.visible(10).count(), 6, "the gap row is not a call");
    let c8 = store.id_of("c8").unwrap();
    assert!(list.contains(c8) && list.position(c8).is_none());
    assert!(list.select_id(c8, 10));
    assert_eq!(list.selected_index(), 5);
    assert_eq!(list.all_ids().count(), 6);
}

#[test]
fn a_far_end_of_calls_already_listed_is_no_far_end() {
    let (store, list) = with_tail(3, &["c2", "c3"]);
    assert_eq!(rows(&store, &list), ["c0", "c1", "c2", "…", "c3"]);
    let (store, list) = with_tail(3, &["c1", "c2"]);
    assert_eq!(rows(&store, &list), ["c0", "c1", "c2"]);
    assert_eq!(list.gap_row(), None);
    assert_eq!(cursor(&store, &list), "c2");
}

#[test]
fn pages_that_reach_the_far_end_move_its_calls_up_and_the_cursor_follows_its_call() {
    let (mut store, mut list) = with_tail(3, &["c7", "c8", "c9"]);
    list.move_by(-1, 10);
    assert_eq!(cursor(&store, &list), "c8");
    let generation = list.generation();
    list.append(&mut store, calls(&["c3", "c4"]));
    assert_eq!(
        rows(&store, &list),
        ["c0", "c1", "c2", "c3", "c4", "…", "c7", "c8", "c9"]
    );
    assert_eq!(cursor(&store, &list), "c8");
    assert_eq!(
        list.generation(),
        generation,
        "the top only grew at its end"
    );
    list.append(&mut store, calls(&["c5", "c6", "c7", "c8"]));
    assert_eq!(
        rows(&store, &list),
        [
            "c0", "c1", "c2", "c3", "c4", "c5", "c6", "c7", "c8", "…", "c9"
        ]
    );
    assert_eq!(
        cursor(&store, &list),
        "c8",
        "no call twice, the cursor on its call"
    );
    list.append(&mut store, calls(&["c9"]));
    assert_eq!(list.gap_row(), None, "met: no gap");
    assert_eq!(rows(&store, &list).len(), 10);
    assert_eq!(cursor(&store, &list), "c8");
}

#[test]
fn a_cursor_on_the_gap_stays_on_it_as_pages_come() {
    let (mut store, mut list) = with_tail(3, &["c8", "c9"]);
    list.move_by(-2, 10);
    assert!(list.on_gap());
    list.append(&mut store, calls(&["c3", "c4"]));
    assert!(list.on_gap());
    assert_eq!(list.selected_index(), 5);
}

#[test]
fn dropping_the_far_end_leaves_what_was_loaded_with_the_cursor_on_a_call() {
    let (store, mut list) = with_tail(3, &["c8", "c9"]);
    list.drop_tail(10);
    assert_eq!(rows(&store, &list), ["c0", "c1", "c2"]);
    assert_eq!(cursor(&store, &list), "c2");
}

#[test]
fn a_refresh_keeps_the_far_end_without_the_calls_that_left() {
    let (mut store, mut list) = with_tail(3, &["c7", "c8", "c9"]);
    list.move_by(-1, 10);
    store.upsert(VoiceCall {
        status: Some(crate::api::model::Status("HANDLED".into())),
        ..call("c7")
    });
    let keep = |c: &PackedCall| c.status() != Some("HANDLED");
    list.merge_top(&mut store, calls(&["cN", "c0", "c1"]), keep, false, 10);
    assert_eq!(
        rows(&store, &list),
        ["cN", "c0", "c1", "c2", "…", "c8", "c9"]
    );
    assert_eq!(cursor(&store, &list), "c8", "the cursor stays on its call");
    // A fresh page that is the whole view leaves no far end.
    list.merge_top(&mut store, calls(&["cN", "c0", "c8"]), keep, true, 10);
    assert_eq!(list.gap_row(), None);
    assert_eq!(cursor(&store, &list), "c8");
}

#[test]
fn a_changed_call_in_the_far_end_stays_or_leaves_and_the_cursor_keeps_its_row() {
    let (store, mut list) = with_tail(3, &["c7", "c8", "c9"]);
    list.move_by(-1, 10);
    let c8 = store.id_of("c8").unwrap();
    assert!(
        !list.place(&store, c8, true, by_number, false, 10),
        "in order: stays"
    );
    assert!(list.place(&store, c8, false, by_number, false, 10));
    assert_eq!(rows(&store, &list), ["c0", "c1", "c2", "…", "c7", "c9"]);
    assert_eq!(
        cursor(&store, &list),
        "c9",
        "the next call under the cursor"
    );
    // A call above the gap that leaves moves the far end up one row; the cursor follows.
    let c1 = store.id_of("c1").unwrap();
    assert!(list.place(&store, c1, false, by_number, false, 10));
    assert_eq!(rows(&store, &list), ["c0", "c2", "…", "c7", "c9"]);
    assert_eq!(cursor(&store, &list), "c9");
}
