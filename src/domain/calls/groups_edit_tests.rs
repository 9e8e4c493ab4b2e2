//! The rows edited in place equal the rows built again from scratch, after every change:
//! calls joining, leaving, moving and changing caller, time or status, one at a time or
//! several between two syncs.

use std::cmp::Ordering;
use std::collections::HashMap;

use proptest::prelude::*;

use super::super::{Groups, NOT_LISTED, Row};
use crate::api::model::{Direction, Status};
use crate::api::{CallFields, VoiceCall};
use crate::domain::calls::{CallList, CallStore, PackedCall};
use crate::domain::people::Lookup;

/// A call: its client, its number, its minute (equal minutes tie) and its status (missed,
/// voicemail, or answered: not waiting, so it stands alone).
#[derive(Debug, Clone, Copy)]
struct Spec {
    client: Option<u8>,
    number: Option<u8>,
    minute: u8,
    status: u8,
}

#[derive(Debug, Clone, Copy)]
enum Op {
    /// A call joins at its place.
    Add(Spec),
    /// The call at this position (modulo the length) leaves.
    Remove(usize),
    /// The call at this position changes, and moves to its place.
    Change(usize, Spec),
}

fn spec() -> impl Strategy<Value = Spec> {
    (
        prop::option::of(0..3u8),
        prop::option::of(0..3u8),
        0..12u8,
        0..3u8,
    )
        .prop_map(|(client, number, minute, status)| Spec {
            client,
            number,
            minute,
            status,
        })
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        spec().prop_map(Op::Add),
        any::<usize>().prop_map(Op::Remove),
        (any::<usize>(), spec()).prop_map(|(at, s)| Op::Change(at, s)),
    ]
}

fn call(uid: &str, s: Spec, version: u32) -> VoiceCall {
    let status = ["MISSED", "VOICEMAIL", "ANSWERED"][usize::from(s.status)];
    VoiceCall {
        uid: Some(uid.into()),
        client_uid: s.client.map(|c| format!("cl{c}")),
        from_number: s.number.map(|n| format!("+1555000{n}")),
        created_at: Some(format!("2026-03-10T09:{:02}:00Z", s.minute)),
        updated_at: Some(format!("2026-03-10T10:00:{:02}Z", version % 60)),
        status: Some(Status(status.into())),
        direction: Some(Direction("INBOUND".into())),
        ..Default::default()
    }
}

/// Newest first.
fn order(a: &PackedCall, b: &PackedCall) -> Ordering {
    b.created().cmp(&a.created())
}

/// Everything the rows are made of, with the handles resolved (an edit and a build number
/// them differently).
fn state(g: &Groups) -> impl PartialEq + std::fmt::Debug {
    for (i, group) in g.groups.iter().enumerate() {
        assert_eq!(g.handles[group.handle as usize], i, "group {i}'s handle");
    }
    let groups: Vec<_> = g
        .groups
        .iter()
        .map(|x| {
            (
                x.key.clone(),
                x.members.clone(),
                x.newest,
                x.oldest,
                x.voicemail,
            )
        })
        .collect();
    let keys: HashMap<Lookup, usize> = g
        .by_client
        .iter()
        .map(|(k, h)| (Lookup::Client(k.clone()), g.handles[*h as usize]))
        .chain(
            g.by_number
                .iter()
                .map(|(k, h)| (Lookup::Number(k.clone()), g.handles[*h as usize])),
        )
        .collect();
    let listed: Vec<(usize, u32)> = g
        .slot_pos
        .iter()
        .copied()
        .enumerate()
        .filter(|(_, pos)| *pos != NOT_LISTED)
        .collect();
    let rows: Vec<Row> = g.rows.clone();
    (
        groups,
        keys,
        listed,
        g.ids.clone(),
        g.group_of.clone(),
        rows,
        g.row_of.clone(),
        g.head_row.clone(),
    )
}

/// Runs `ops` from a list of `start`, comparing the rows with rows built again at every
/// sync; how many times they were built from scratch after the first.
fn run(start: &[Spec], ops: &[(Op, bool)]) -> usize {
    let mut store = CallStore::new();
    let mut list = CallList::default();
    let mut calls: Vec<VoiceCall> = start
        .iter()
        .enumerate()
        .map(|(i, s)| call(&format!("s{i}"), *s, 0))
        .collect();
    calls.sort_by(|a, b| b.created_at.cmp(&a.created_at));
    list.append(&mut store, calls);
    let mut groups = Groups::default();
    groups.sync(&mut list, &store, 10);
    let mut version = 0;
    for (step, (op, sync)) in ops.iter().enumerate() {
        version += 1;
        match *op {
            Op::Add(s) => {
                let id = store.upsert(call(&format!("a{step}"), s, version));
                list.place(&store, id, true, order, true, 10);
            }
            Op::Remove(at) | Op::Change(at, _) if list.is_empty() => {
                let _ = at;
            }
            Op::Remove(at) => {
                let id = list.ids()[at % list.len()];
                list.place(&store, id, false, order, true, 10);
            }
            Op::Change(at, s) => {
                let id = list.ids()[at % list.len()];
                let uid = store.get(id).map(|c| c.uid_str().to_string());
                store.upsert(call(&uid.expect("uid"), s, version));
                list.place(&store, id, true, order, true, 10);
            }
        }
        if *sync || step + 1 == ops.len() {
            groups.sync(&mut list, &store, 10);
            let mut fresh = Groups::default();
            fresh.sync(&mut list.clone(), &store, 10);
            assert_eq!(state(&groups), state(&fresh), "after step {step}: {op:?}");
        }
    }
    groups.built - 1
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    #[test]
    fn edited_rows_equal_rows_built_again(
        start in prop::collection::vec(spec(), 0..24),
        ops in prop::collection::vec((op(), prop::bool::weighted(0.8)), 1..40),
    ) {
        run(&start, &ops);
    }
}

/// A bulk action's answers, one call leaving per sync: each is an edit, never a build.
#[test]
fn calls_leaving_one_by_one_edit_the_rows() {
    let start: Vec<Spec> = (0..40)
        .map(|i| Spec {
            client: (i % 3 == 0).then_some(i % 2),
            number: Some(i % 5),
            minute: i % 12,
            status: i % 2,
        })
        .collect();
    let ops: Vec<(Op, bool)> = (0..40).map(|i| (Op::Remove(i * 7), true)).collect();
    assert_eq!(run(&start, &ops), 0, "built again");
}
