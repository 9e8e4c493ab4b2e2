//! Tests for the search: what a pattern finds, in what order, and how the index keeps up
//! while the user types and pages and calls arrive or change. The scores themselves, held to
//! the bare matcher, are in `search_scoring_tests.rs`.

use crate::api::VoiceCall;
use crate::domain::calls::PackedCall;
use std::cmp::Reverse;

use chrono::{DateTime, Utc};

use super::*;
use crate::domain::calls::ListView;

#[path = "search_scoring_tests.rs"]
mod scoring;

#[path = "search_people_tests.rs"]
mod people;

fn now() -> DateTime<Utc> {
    DateTime::parse_from_rfc3339("2026-03-02T10:00:00Z")
        .unwrap()
        .with_timezone(&Utc)
}

/// Realistic calls, through the same JSON the client reads.
fn seeded(n: usize) -> Vec<VoiceCall> {
    crate::server::seed::generate(n, now())
        .unwrap()
        .iter()
        .map(|c| serde_json::from_value(serde_json::to_value(c).unwrap()).unwrap())
        .collect()
}

fn call(uid: &str, from: &str, summary: &str) -> VoiceCall {
    VoiceCall {
        uid: Some(uid.to_string()),
        from_number: Some(from.to_string()),
        call_summary: Some(summary.to_string()),
        ..Default::default()
    }
}

/// Calls in a store, listed in order, and the names known: what the search runs over in the
/// app.
struct Loaded {
    store: CallStore,
    list: CallList,
    people: People,
}

impl Loaded {
    fn of(calls: &[VoiceCall]) -> Self {
        Self::with_people(calls, People::default())
    }

    fn with_people(calls: &[VoiceCall], people: People) -> Self {
        let mut loaded = Loaded {
            store: CallStore::new(),
            list: CallList::default(),
            people,
        };
        loaded.append(calls);
        loaded
    }

    /// A page arrives: the calls go to the end of the list.
    fn append(&mut self, calls: &[VoiceCall]) {
        self.list.append(&mut self.store, calls.to_vec());
    }

    fn corpus(&self) -> Corpus<'_> {
        Corpus::new(&self.store, &self.list, &self.people)
    }

    /// The listed calls in list order, as a plain vector for the reference matcher.
    fn calls(&self) -> Vec<VoiceCall> {
        ListView {
            list: &self.list,
            store: &self.store,
        }
        .calls()
        .into_iter()
        .map(PackedCall::to_call)
        .collect()
    }
}

/// The same calls under other uids, so they can be listed beside the originals.
fn renamed(calls: Vec<VoiceCall>, prefix: &str) -> Vec<VoiceCall> {
    calls
        .into_iter()
        .map(|c| VoiceCall {
            uid: Some(format!("{prefix}{}", c.uid_str())),
            ..c
        })
        .collect()
}

fn fresh(pattern: &str, calls: &[VoiceCall]) -> Vec<Match> {
    let mut s = Search::new();
    s.set_pattern(pattern, Loaded::of(calls).corpus());
    s.matches().to_vec()
}

fn indices(s: &Search) -> Vec<usize> {
    s.matches().iter().map(|m| m.index).collect()
}

/// `is_match` and `match_at` agree with `matches()` for every row.
fn assert_consistent(s: &Search, len: usize) {
    for i in 0..len + 2 {
        let listed = s.matches().iter().find(|m| m.index == i);
        assert_eq!(s.is_match(i), listed.is_some(), "row {i}");
        assert_eq!(s.match_at(i), listed, "row {i}");
    }
    let ranked = s
        .matches()
        .windows(2)
        .all(|w| (Reverse(w[0].score), w[0].index) < (Reverse(w[1].score), w[1].index));
    assert!(ranked, "matches are ranked best first, ties by index");
}

#[test]
fn phone_pattern_finds_the_number_whatever_the_punctuation() {
    let calls = vec![
        call("a", "+16505550112", "x"),
        call("b", "+14155550148", "x"),
        call("c", "+14155550110", "x"),
        // The same digits in order but not together: a fuzzy hit, not shown beside the number.
        call("d", "+1415555010408", "x"),
    ];
    for typed in [
        "415 555 0148",
        "(415) 555-0148",
        "415-555-0148",
        "415.555.0148",
        "+1 415 555 0148",
        "+1 (415) 555-0148",
        "4155550148",
    ] {
        let mut s = Search::new();
        s.set_pattern(typed, Loaded::of(&calls).corpus());
        assert_eq!(indices(&s), vec![1], "{typed:?}");
        assert_eq!(s.matches()[0].field, SearchField::From);
        assert_eq!(s.pattern(), typed, "the pattern is kept as typed");
    }
    // Letters make it text again: the parentheses must then match literally.
    assert!(fresh("(415) x", &calls).is_empty());
    // Punctuation alone is not a phone number.
    assert_eq!(fresh("+", &calls).len(), 4);
    // With nothing better, the scattered digits are shown.
    assert_eq!(fresh("(415) 555-0148", &[calls[3].clone()]).len(), 1);
}

#[test]
fn exact_uid_beats_scattered_fuzzy_hits() {
    let target = call(
        "3f2a9c41-7d0e-4b8a-9f61-0c2d5e7a8b90",
        "+1",
        "Left a message",
    );
    let scattered = call(
        "00000000-0000-0000-0000-000000000000",
        "+2",
        "3 f 2 a 9 c 4 1 spread over words, each at a word start",
    );
    let spread_id = VoiceCall {
        external_uuid: Some("3ff2aa9cc441-3f-2a-9c-41".to_string()),
        ..call("u3", "+3", "")
    };
    let calls = vec![scattered, spread_id, target];
    let mut s = Search::new();
    s.set_pattern("3f2a9c41", Loaded::of(&calls).corpus());
    assert_eq!(
        indices(&s),
        [2],
        "all three match fuzzily, but only the uid holds it whole: {:?}",
        s.matches()
    );
    assert_eq!(s.matches()[0].field, SearchField::Uid);
    // Without the whole one, the fuzzy hits are shown.
    s.set_pattern("3f2a9c41", Loaded::of(&calls[..2]).corpus());
    assert_eq!(s.matches().len(), 2, "{:?}", s.matches());

    // The same with real data: the first segment of a uid finds its call first.
    let calls = seeded(2000);
    for k in [0, 17, 512, 1999] {
        let uid = calls[k].uid.clone().unwrap();
        let mut s = Search::new();
        s.set_pattern(&uid[..8], Loaded::of(&calls).corpus());
        assert_eq!(s.matches()[0].index, k, "uid prefix {:?}", &uid[..8]);
    }
}

#[test]
fn incremental_typing_equals_a_search_from_scratch() {
    let calls = seeded(1500);
    let typed = [
        "resched thu",
        "Emily",
        "(650) 555-01",
        "415a",
        "+1x",
        "session\\ to",
        "a\\b",
        "renée",
        "voicemail  left",
        "4d4b",
        "zzzz",
    ];
    let loaded = Loaded::of(&calls);
    for text in typed {
        let mut s = Search::new();
        let mut pattern = String::new();
        for ch in text.chars() {
            pattern.push(ch);
            s.set_pattern(&pattern, loaded.corpus());
            assert_eq!(s.matches(), fresh(&pattern, &calls), "after {pattern:?}");
            assert_consistent(&s, calls.len());
        }
        // Backspacing widens again, which must never reuse the narrower result.
        while pattern.pop().is_some() {
            s.set_pattern(&pattern, loaded.corpus());
            assert_eq!(s.matches(), fresh(&pattern, &calls), "after {pattern:?}");
        }
        assert!(s.matches().is_empty());
    }
}

#[test]
fn a_different_list_is_rescanned_in_full() {
    let calls = seeded(300);
    let mut s = Search::new();
    s.set_pattern("a", Loaded::of(&calls[..10]).corpus());
    s.set_pattern("ab", Loaded::of(&calls).corpus());
    assert_eq!(s.matches(), fresh("ab", &calls));
    assert_consistent(&s, calls.len());
}

#[test]
fn smart_case_and_normalisation() {
    let calls = vec![
        call("a", "", "emily called"),
        call("b", "", "Emily called"),
        call("c", "", "Renée called"),
    ];
    assert_eq!(fresh("emily", &calls).len(), 2);
    let upper = fresh("Emily", &calls);
    assert_eq!(upper.len(), 1);
    assert_eq!(upper[0].index, 1);
    assert_eq!(fresh("renee", &calls).len(), 1, "e finds é");
    assert!(fresh("é", &calls[..2]).is_empty(), "é does not find e");
}

#[test]
fn n_and_n_walk_the_ranking_and_wrap() {
    let calls = vec![
        call("1", "", "alpha"),
        call("2", "", "nothing here"),
        call("3", "", "the alphabet"),
        call("4", "", "xalphax"),
        call("5", "", "a l p h a"),
    ];
    let mut s = Search::new();
    s.set_pattern("alpha", Loaded::of(&calls).corpus());
    let ranked = indices(&s);
    assert_eq!(ranked.len(), 3);
    assert!(!ranked.contains(&1));
    assert!(
        !ranked.contains(&4),
        "a fuzzy hit is not shown beside whole ones"
    );
    assert!(!s.is_match(4) && s.match_at(4).is_none());
    assert_eq!(
        ranked[0],
        0,
        "the whole word ranks first: {:?}",
        s.matches()
    );

    let mut at = ranked[0];
    let mut walked = vec![at];
    for _ in 0..3 {
        at = s.next(at).unwrap();
        walked.push(at);
    }
    assert_eq!(walked, [ranked[0], ranked[1], ranked[2], ranked[0]]);
    assert_eq!(s.prev(ranked[0]), Some(ranked[2]), "N wraps to the weakest");
    assert_eq!(s.prev(ranked[2]), Some(ranked[1]));
    // From a row that is not a match, or a hidden one.
    assert_eq!(s.next(1), Some(ranked[0]));
    assert_eq!(s.prev(1), Some(ranked[2]));
    assert_eq!(s.next(4), Some(ranked[0]));
    assert_eq!(s.next(99), Some(ranked[0]));

    s.clear();
    assert_eq!((s.next(0), s.prev(0)), (None, None));
    assert!(!s.is_match(0));
    assert_eq!(s.pattern(), "");
}

/// One row's highlight, as the view asks for it.
fn highlight(s: &Search, call: &VoiceCall, field: SearchField) -> Vec<u32> {
    highlight_with(s, call, field, &People::default())
}

fn highlight_with(s: &Search, call: &VoiceCall, field: SearchField, people: &People) -> Vec<u32> {
    s.highlighter(people)
        .map_or_else(Vec::new, |mut h| h.positions(call, field))
}

#[test]
fn highlight_points_at_the_matched_chars() {
    let calls = seeded(400);
    for needle in ["thurs", "resent", "4155", "voice"] {
        let mut s = Search::new();
        s.set_pattern(needle, Loaded::of(&calls).corpus());
        assert!(!s.matches().is_empty(), "{needle:?} should match something");
        for m in s.matches().to_vec().iter().take(50) {
            let text: Vec<char> = m
                .field
                .text(&calls[m.index], &People::default())
                .unwrap()
                .chars()
                .collect();
            let marked: String = highlight(&s, &calls[m.index], m.field)
                .iter()
                .map(|&p| text[p as usize].to_ascii_lowercase())
                .collect();
            assert_eq!(marked, needle, "in {:?}", String::from_iter(&text));
        }
    }

    let renee = call("u", "+1", "Renée called");
    let mut s = Search::new();
    s.set_pattern("renee", Loaded::of(std::slice::from_ref(&renee)).corpus());
    assert_eq!(
        highlight(&s, &renee, SearchField::Summary),
        vec![0, 1, 2, 3, 4]
    );
    assert!(highlight(&s, &renee, SearchField::From).is_empty());
    assert!(
        highlight(&s, &renee, SearchField::Client).is_empty(),
        "absent field"
    );
    // Two words: both must match, positions merged in order.
    s.set_pattern(
        "call ren",
        Loaded::of(std::slice::from_ref(&renee)).corpus(),
    );
    assert_eq!(
        highlight(&s, &renee, SearchField::Summary),
        vec![0, 1, 2, 6, 7, 8, 9]
    );
    s.set_pattern("call zz", Loaded::of(std::slice::from_ref(&renee)).corpus());
    assert!(highlight(&s, &renee, SearchField::Summary).is_empty());
}

#[test]
fn empty_pattern_and_empty_list_are_safe() {
    let calls = seeded(50);
    let mut s = Search::new();
    for blank in ["", " ", "   "] {
        s.set_pattern(blank, Loaded::of(&calls).corpus());
        assert!(s.matches().is_empty(), "{blank:?} matches nothing");
        assert!(!s.is_active());
        assert_eq!(s.next(0), None);
        assert!(highlight(&s, &calls[0], SearchField::Summary).is_empty());
    }
    // Typing after blanks must not narrow from "nothing".
    s.set_pattern("   a", Loaded::of(&calls).corpus());
    assert_eq!(s.matches(), fresh("a", &calls));

    let mut s = Search::new();
    let empty = Loaded::of(&[]);
    s.set_pattern("a", empty.corpus());
    s.set_pattern("ab", empty.corpus());
    s.sync(empty.corpus());
    assert!(s.matches().is_empty());
    assert_eq!((s.next(0), s.prev(0), s.is_match(0)), (None, None, false));
}

#[test]
fn new_and_changed_rows_are_found() {
    let mut loaded = Loaded::of(&seeded(200));
    let mut s = Search::new();
    s.set_pattern("qwerty", loaded.corpus());
    assert!(s.matches().is_empty());

    // A page arrives: the search learns it from the list's length, not from the caller.
    loaded.append(&renamed(seeded(20), "p2-"));
    loaded.append(&[call("new", "+1", "Asked about the qwerty keyboard")]);
    s.sync(loaded.corpus());
    let last = loaded.list.len() - 1;
    assert_eq!(indices(&s), vec![last]);
    assert_consistent(&s, loaded.list.len());

    // A narrowing keystroke right after the append still sees the new row.
    s.set_pattern("qwertyk", loaded.corpus());
    assert_eq!(indices(&s), vec![last]);

    // A call changed in the store (a save): learnt from the store's generation.
    let mut third = loaded.calls()[3].clone();
    third.call_summary = Some("qwerty keys".to_string());
    loaded.store.update(&third);
    s.sync(loaded.corpus());
    assert_eq!(s.matches(), fresh("qwertyk", &loaded.calls()));
    third.call_summary = None;
    loaded.store.update(&third);
    s.sync(loaded.corpus());
    assert_eq!(indices(&s), vec![last]);

    // Rows dropped and a row on top: the list's generation changes, everything is rescanned.
    let kept = loaded.calls()[..100].to_vec();
    loaded.list.replace(&mut loaded.store, kept.clone(), 10);
    s.sync(loaded.corpus());
    assert!(s.matches().is_empty());
    assert!(!s.is_match(loaded.list.len() + 20));
    s.set_pattern("thu", loaded.corpus());
    let mut top = vec![call("top", "+1", "thumbs up")];
    top.extend(kept);
    loaded.list.replace(&mut loaded.store, top, 10);
    s.sync(loaded.corpus());
    assert_eq!(s.matches(), fresh("thu", &loaded.calls()));
    assert_consistent(&s, loaded.list.len());
}

/// A search typed before the calls changed keeps up however many of them change: past the
/// journal, the store says so and the index is packed again.
#[test]
fn many_changes_at_once_repack_the_index() {
    let mut loaded = Loaded::of(&seeded(300));
    let mut s = Search::new();
    s.set_pattern("qzxjv", loaded.corpus());
    assert!(s.matches().is_empty());
    let mut calls = loaded.calls();
    for (i, c) in calls.iter_mut().enumerate() {
        c.call_summary = Some(format!("qzxjv crossing {i}"));
    }
    for _ in 0..20 {
        for c in &calls {
            loaded.store.update(c);
            let mut other = c.clone();
            other.call_summary = Some("nothing here".into());
            loaded.store.update(&other);
        }
    }
    for c in &calls {
        loaded.store.update(c);
    }
    s.sync(loaded.corpus());
    assert_eq!(s.matches().len(), 300);
    assert_eq!(s.matches(), fresh("qzxjv", &loaded.calls()));
}
