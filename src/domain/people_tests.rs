use super::*;
use crate::api::VoiceCall;

fn at(h: i64) -> DateTime<Utc> {
    DateTime::from_timestamp(1_800_000_000 + h * 3600, 0).expect("a time")
}

fn ids(ids: &[&str]) -> Vec<Lookup> {
    ids.iter()
        .map(|id| Lookup::Client(id.to_string()))
        .collect()
}

fn asked(p: &mut People) -> Vec<String> {
    p.next_to_ask()
        .into_iter()
        .map(|l| match l {
            Lookup::Client(id) | Lookup::Number(id) => id,
        })
        .collect()
}

fn card(name: &str) -> Option<ClientCard> {
    Some(ClientCard {
        name: Some(name.into()),
        ..ClientCard::default()
    })
}

#[test]
fn a_client_is_asked_for_once_and_kept_for_a_day() {
    let mut p = People::default();
    assert!(p.want(ids(&["c1", "c1", ""]), at(0)));
    assert_eq!(asked(&mut p), ["c1"]);
    assert!(!p.want(ids(&["c1"]), at(0)), "already out");
    p.learned_client("c1", card("Emily Carter"), at(0));
    assert_eq!(p.client_name("c1"), Some("Emily Carter"));
    assert!(!p.want(ids(&["c1"]), at(23)), "fresh for a day");
    assert!(p.want(ids(&["c1"]), at(25)), "due after a day");
    assert_eq!(p.client_name("c1"), Some("Emily Carter"), "shown meanwhile");
}

#[test]
fn an_unknown_client_is_not_asked_for_again_for_an_hour() {
    let mut p = People::default();
    p.want(ids(&["gone"]), at(0));
    p.next_to_ask();
    p.learned_client("gone", None, at(0));
    assert_eq!(p.client_name("gone"), None);
    assert!(!p.want(ids(&["gone"]), at(0)));
    assert!(p.want(ids(&["gone"]), at(2)));
}

#[test]
fn at_most_a_few_lookups_are_out_at_once() {
    let mut p = People::default();
    let all: Vec<String> = (0..10).map(|i| format!("c{i}")).collect();
    p.want(all.iter().map(|id| Lookup::Client(id.clone())), at(0));
    let first = asked(&mut p);
    assert_eq!(first, ["c0", "c1", "c2", "c3"]);
    assert!(p.next_to_ask().is_empty(), "no more than {IN_FLIGHT} out");
    p.learned_client("c0", card("A"), at(0));
    p.failed(&Lookup::Client("c1".into()));
    assert_eq!(asked(&mut p), ["c4", "c5"]);
    assert!(
        p.want(ids(&["c1", "c0"]), at(0)),
        "a failed one waits again"
    );
    p.learned_client("c2", card("B"), at(0));
    assert_eq!(asked(&mut p), ["c6"]);
    p.clients_off();
    assert!(p.next_to_ask().is_empty() && !p.want(ids(&["c9"]), at(0)));
}

#[test]
fn names_off_asks_for_nothing() {
    let mut p = People::default();
    p.clients_off();
    p.off.staff = true;
    assert!(!p.want(ids(&["c1"]), at(0)));
    assert!(!p.ask_roster(at(0)));
}

#[test]
fn the_roster_is_kept_for_an_hour_and_a_refresh_makes_everything_due() {
    let mut p = People::default();
    assert!(p.ask_roster(at(0)));
    assert!(!p.ask_roster(at(0)), "already out");
    let staff = |uid: &str, name: &str, active: bool| StaffCard {
        uid: uid.into(),
        name: name.into(),
        active,
        ..StaffCard::default()
    };
    p.learned_roster(
        vec![
            staff("s2", "zoe Park", true),
            staff("s1", "Grace Lee", true),
            staff("s3", "Adam Old", false),
        ],
        at(0),
    );
    assert_eq!(p.staff_name("s1"), Some("Grace Lee"));
    let names: Vec<&str> = p.roster().iter().map(|s| s.name.as_str()).collect();
    assert_eq!(names, ["Grace Lee", "zoe Park", "Adam Old"], "active first");
    assert!(!p.ask_roster(at(0)));
    p.want(ids(&["c1"]), at(0));
    p.next_to_ask();
    p.learned_client("c1", card("Emily Carter"), at(0));
    p.make_due();
    assert!(p.ask_roster(at(0)));
    assert!(p.want(ids(&["c1"]), at(0)));
    assert_eq!(asked(&mut p), ["c1"]);
    assert_eq!(p.staff_name("s1"), Some("Grace Lee"), "kept until answered");
    p.learned_client("c1", card("Emily Carter-Ross"), at(0));
    assert!(!p.want(ids(&["c1"]), at(0)), "answered: fresh");
}

#[test]
fn what_is_kept_survives_a_round_trip_through_json() {
    let mut p = People::default();
    p.want(ids(&["c1", "gone"]), at(0));
    p.next_to_ask();
    p.learned_client("c1", card("Emily Carter"), at(0));
    p.learned_client("gone", None, at(0));
    p.ask_roster(at(0));
    p.learned_roster(
        vec![StaffCard {
            uid: "s1".into(),
            name: "Grace Lee".into(),
            active: true,
            ..StaffCard::default()
        }],
        at(0),
    );
    let back: People = serde_json::from_str(&serde_json::to_string(&p).unwrap()).unwrap();
    // What is kept: the answers and their times, not this run's lookups.
    assert_eq!(
        serde_json::to_value(&back).unwrap(),
        serde_json::to_value(&p).unwrap()
    );
    assert_eq!(back.client_name("c1"), Some("Emily Carter"));
    let mut back = back;
    assert!(!back.want(ids(&["c1", "gone"]), at(0)));
    assert!(!back.ask_roster(at(0)));
}

#[test]
fn staff_are_found_by_name_word_starts_first_and_only_the_active() {
    let mut p = People::default();
    let staff = |uid: &str, name: &str, active: bool| StaffCard {
        uid: uid.into(),
        name: name.into(),
        active,
        ..StaffCard::default()
    };
    p.learned_roster(
        vec![
            staff("s1", "Grace Lee", true),
            staff("s2", "Mary Graceland", true),
            staff("s3", "Marcus Bell", true),
            staff("s4", "Gracie Old", false),
        ],
        at(0),
    );
    let names =
        |q: &str| -> Vec<String> { p.find_staff(q).iter().map(|s| s.name.clone()).collect() };
    assert_eq!(names("grace"), ["Grace Lee", "Mary Graceland"]);
    assert_eq!(
        names("ace"),
        ["Grace Lee", "Mary Graceland"],
        "inside a word: after"
    );
    assert_eq!(names("bell"), ["Marcus Bell"]);
    assert_eq!(names("MAR"), ["Marcus Bell", "Mary Graceland"]);
    assert!(names("zed").is_empty());
    assert_eq!(names("").len(), 3, "everyone active");
}

#[test]
fn a_call_without_a_client_is_named_by_its_number() {
    let mut p = People::default();
    let call = VoiceCall {
        direction: Some(crate::api::model::Direction("INBOUND".into())),
        from_number: Some("+14155550148".into()),
        client_uid: Some(" ".into()),
        ..VoiceCall::default()
    };
    let lookup = Lookup::of(&call).expect("a lookup");
    assert_eq!(lookup, Lookup::Number("+14155550148".into()));
    assert_eq!(p.client_label(&call), Some("+14155550148"));
    p.want([lookup.clone()], at(0));
    assert_eq!(p.next_to_ask(), std::slice::from_ref(&lookup));
    let found = ClientCard {
        id: Some("c7".into()),
        name: Some("Emily Carter".into()),
        ..ClientCard::default()
    };
    p.learned(&lookup, Some(found), at(0));
    assert_eq!(p.client_label(&call), Some("Emily Carter"));
    assert_eq!(
        p.client_name("c7"),
        Some("Emily Carter"),
        "kept under their id"
    );
    assert!(!p.want([lookup.clone()], at(0)), "fresh");
    // Nobody has this one: not asked again for an hour.
    let nobody = Lookup::Number("+15555550100".into());
    p.want([nobody.clone()], at(0));
    p.next_to_ask();
    p.learned(&nobody, None, at(0));
    assert!(!p.want([nobody.clone()], at(0)));
    assert!(p.want([nobody], at(2)));
}

#[test]
fn a_filter_finds_former_staff_too_after_the_active() {
    let mut p = People::default();
    let staff = |uid: &str, name: &str, active: bool| StaffCard {
        uid: uid.into(),
        name: name.into(),
        active,
        ..StaffCard::default()
    };
    p.learned_roster(
        vec![
            staff("s1", "Grace Lee", true),
            staff("s4", "Gracie Old", false),
            staff("s2", "Mary Graceland", true),
        ],
        at(0),
    );
    let names =
        |q: &str| -> Vec<String> { p.find_any_staff(q).iter().map(|s| s.name.clone()).collect() };
    assert_eq!(names("grac"), ["Grace Lee", "Mary Graceland", "Gracie Old"]);
    assert_eq!(names("old"), ["Gracie Old"]);
}

#[test]
fn a_call_is_named_by_its_client_else_its_number_never_a_whole_uid() {
    let mut p = People::default();
    p.learned_client("c1", card("Emily Carter"), at(0));
    let mut call = VoiceCall {
        uid: Some("9283b7ac-7dd8-4f00-9e1c-0c0ffee00001".into()),
        client_uid: Some("c1".into()),
        from_number: Some("+14155550148".into()),
        ..VoiceCall::default()
    };
    assert_eq!(p.call_words(&call), "Emily Carter's call");
    call.client_uid = Some("unknown".into());
    assert_eq!(p.call_words(&call), "the call with +14155550148");
    call.from_number = None;
    assert_eq!(p.call_words(&call), "call 9283b7ac");
}

#[test]
fn a_changed_name_is_journaled_for_the_search_and_the_same_name_is_not() {
    let mut p = People::default();
    let g0 = p.generation();
    p.learned_client("c1", card("Emily Carter"), at(0));
    p.learned_client("c1", card("Emily Carter"), at(1));
    p.learned_client("gone", None, at(0));
    let roster = vec![StaffCard {
        uid: "s1".into(),
        name: "Grace Lee".into(),
        active: true,
        ..StaffCard::default()
    }];
    p.learned_roster(roster.clone(), at(0));
    p.learned_roster(roster, at(1));
    let changes: Vec<NameChange> = p.changed_since(g0).expect("journal").cloned().collect();
    assert_eq!(
        changes,
        [NameChange::Client("c1".into()), NameChange::Roster],
        "an unknown client and the same names again change nothing"
    );
    // Names kept from the last run: every name counts as changed.
    let g1 = p.generation();
    p.adopt(People::default());
    assert!(p.generation() > g1);
    assert!(p.changed_since(g1).is_none(), "read every name again");
}
