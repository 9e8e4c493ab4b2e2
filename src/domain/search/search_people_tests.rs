//! The search finds people: client and staff names as the list shows them, ranked by words
//! found whole (a word start first) before fuzzy hits, which are shown only when nothing
//! better exists; names that arrive after the pattern was typed are found.

use super::scoring::named;
use super::*;
use crate::api::VoiceCall;
use crate::domain::people::ClientCard;

fn with_client(uid: &str, client: &str, summary: &str) -> VoiceCall {
    VoiceCall {
        client_uid: Some(client.to_string()),
        ..call(uid, "+14155550100", summary)
    }
}

fn names(list: &[&str]) -> Vec<String> {
    list.iter().map(|s| s.to_string()).collect()
}

/// The client names of the shown matches, best first.
fn clients_found(s: &Search, loaded: &Loaded) -> Vec<String> {
    let calls = loaded.calls();
    s.matches()
        .iter()
        .map(|m| {
            let id = calls[m.index].client_uid.as_deref().unwrap_or("");
            loaded.people.client_name(id).unwrap_or("?").to_string()
        })
        .collect()
}

#[test]
fn emily_finds_emily_carter_first_and_not_freya_walsh() {
    // Freya's summary spells e-m-i-l-y across its words: a fuzzy hit.
    let calls = vec![
        with_client("1", "client-1", "Left a message: her family will call back"),
        with_client("2", "client-0", "Asked to move Friday"),
        with_client("3", "client-2", "Said Emily Carter referred her"),
    ];
    let people = named(
        &names(&["Emily Carter", "Freya Walsh", "Noor Emilyova"]),
        &[],
    );
    let loaded = Loaded::with_people(&calls, people);
    let mut s = Search::new();
    s.set_pattern("emily", loaded.corpus());
    assert_eq!(
        clients_found(&s, &loaded),
        ["Emily Carter", "Noor Emilyova"],
        "Emily Carter's name first (ties go to the list order and the earlier field), no Freya"
    );
    assert_eq!(s.matches()[0].field, SearchField::Client);
    assert!(!s.is_match(0), "Freya's call is not a match");
    let freya = fresh_in("emily", &loaded.calls()[..1], &loaded.people);
    assert_eq!(
        freya.len(),
        1,
        "with nothing better, Freya's fuzzy hit is shown"
    );

    // The same with the demo's own people and calls.
    let (clients, staff) = crate::server::seed::people().expect("demo people");
    let people = People::known_by_name(&clients, &staff, now());
    let loaded = Loaded::with_people(&seeded(1500), people);
    let mut s = Search::new();
    s.set_pattern("emily", loaded.corpus());
    let found = clients_found(&s, &loaded);
    assert_eq!(found.first().map(String::as_str), Some("Emily Carter"));
    assert!(!found.iter().any(|n| n == "Freya Walsh"), "{found:?}");
    assert_eq!(
        s.matches(),
        scoring::reference("emily", &loaded.calls(), &loaded.people)
    );
}

fn fresh_in(pattern: &str, calls: &[VoiceCall], people: &People) -> Vec<Match> {
    let loaded = Loaded::with_people(calls, people.clone());
    let mut s = Search::new();
    s.set_pattern(pattern, loaded.corpus());
    s.matches().to_vec()
}

#[test]
fn word_starts_rank_before_the_middle_of_words_and_fuzzy_hits_hide() {
    let calls = vec![
        with_client("1", "client-0", "x"),
        with_client("2", "client-1", "x"),
        with_client("3", "client-2", "x"),
        with_client("4", "client-3", "x"),
        with_client("5", "client-9", "a n n a"),
    ];
    let people = named(
        &names(&["Joanna Price", "Anna Lee", "Bo Nnanna", "Dana Ann Ortiz"]),
        &[],
    );
    let loaded = Loaded::with_people(&calls, people);
    let mut s = Search::new();
    s.set_pattern("ann", loaded.corpus());
    assert_eq!(
        clients_found(&s, &loaded),
        ["Anna Lee", "Dana Ann Ortiz", "Joanna Price", "Bo Nnanna"],
        "at a word start first, then inside a word; the scattered summary not at all"
    );
    assert!(!s.is_match(4));
    assert_eq!(
        s.matches(),
        scoring::reference("ann", &loaded.calls(), &loaded.people)
    );
}

#[test]
fn handled_by_finds_the_staff_name_and_a_uid_until_the_roster_comes() {
    let mut handled = call("1", "+1", "x");
    handled.handled_by_staff_uid = Some("staff-0".into());
    let calls = vec![call("0", "+1", "x"), handled];
    let mut loaded = Loaded::of(&calls);
    let mut s = Search::new();
    s.set_pattern("staff-0", loaded.corpus());
    assert_eq!(indices(&s), [1], "the uid, as the list shows it");
    assert_eq!(s.matches()[0].field, SearchField::HandledBy);
    s.set_pattern("grace", loaded.corpus());
    assert!(s.matches().is_empty());
    loaded.people = named(&[], &names(&["Grace Lee"]));
    s.sync(loaded.corpus());
    assert_eq!(indices(&s), [1], "the roster came: found by name");
    assert_eq!(s.matches()[0].field, SearchField::HandledBy);
    assert_eq!(
        highlight_with(&s, &calls[1], SearchField::HandledBy, &loaded.people),
        [0, 1, 2, 3, 4]
    );
}

#[test]
fn a_name_that_arrives_after_the_search_was_typed_is_found() {
    let calls: Vec<VoiceCall> = (0..40)
        .map(|i| with_client(&format!("u{i}"), &format!("client-{}", i % 4), "x"))
        .collect();
    let mut loaded = Loaded::of(&calls);
    let mut s = Search::new();
    s.set_pattern("emil", loaded.corpus());
    assert!(s.matches().is_empty());
    // Client 2's name arrives: on the next keystroke, which must not narrow from "nothing".
    loaded.people.learned_client(
        "client-2",
        Some(ClientCard {
            name: Some("Emily Carter".into()),
            ..ClientCard::default()
        }),
        now(),
    );
    s.set_pattern("emily", loaded.corpus());
    let expected: Vec<usize> = (0..40).filter(|i| i % 4 == 2).collect();
    assert_eq!(indices(&s), expected);
    assert!(s.matches().iter().all(|m| m.field == SearchField::Client));
    assert_eq!(
        highlight_with(&s, &calls[2], SearchField::Client, &loaded.people),
        [0, 1, 2, 3, 4]
    );
    // A name arriving with no keystroke: the next sync (every update does one) finds it.
    loaded.people.learned_client(
        "client-3",
        Some(ClientCard {
            name: Some("Emily Stone".into()),
            ..ClientCard::default()
        }),
        now(),
    );
    s.sync(loaded.corpus());
    assert_eq!(s.matches(), fresh_in("emily", &calls, &loaded.people));
    assert_eq!(s.matches().len(), 20);
    // A name that does not match changes nothing; one renamed away is no longer found.
    loaded.people.learned_client("client-0", None, now());
    loaded.people.learned_client(
        "client-3",
        Some(ClientCard {
            name: Some("Ava Stone".into()),
            ..ClientCard::default()
        }),
        now(),
    );
    s.sync(loaded.corpus());
    assert_eq!(indices(&s), expected);
    assert_consistent(&s, calls.len());
}

/// More names change than the people's journal tells one by one: every name is read again.
#[test]
fn many_names_at_once_are_all_read_again() {
    let calls: Vec<VoiceCall> = (0..3000)
        .map(|i| with_client(&format!("u{i}"), &format!("client-{i}"), "x"))
        .collect();
    let mut loaded = Loaded::of(&calls);
    let mut s = Search::new();
    s.set_pattern("zed", loaded.corpus());
    assert!(s.matches().is_empty());
    for i in 0..3000 {
        let card = ClientCard {
            name: Some(format!("Zed {i}")),
            ..ClientCard::default()
        };
        loaded
            .people
            .learned_client(&format!("client-{i}"), Some(card), now());
    }
    s.sync(loaded.corpus());
    assert_eq!(s.matches().len(), 3000);
    s.set_pattern("zed 2999", loaded.corpus());
    assert_eq!(indices(&s)[0], 2999);
}

/// Typing through a name, over names and calls that keep arriving, always equals a search
/// from scratch (the narrowing shortcut must not skip what the names changed).
#[test]
fn typing_while_names_arrive_equals_a_search_from_scratch() {
    let calls = seeded(600);
    let (clients, _) = crate::server::seed::people().expect("demo people");
    let mut loaded = Loaded::of(&calls);
    let mut s = Search::new();
    let mut pattern = String::new();
    for (k, ch) in "grace o'neill".chars().enumerate() {
        for (uid, name) in clients.iter().skip(k * 5).take(5) {
            let card = ClientCard {
                name: Some(name.clone()),
                ..ClientCard::default()
            };
            loaded.people.learned_client(uid, Some(card), now());
        }
        pattern.push(ch);
        s.set_pattern(&pattern, loaded.corpus());
        assert_eq!(
            s.matches(),
            fresh_in(&pattern, &calls, &loaded.people),
            "after {pattern:?}"
        );
    }
}
