//! The names behind a listed call's uids, for `calls list`: the console's own cache in the
//! data dir (`persist::people`), the clients and roster it lacks asked for a few at a time,
//! and the cache written back. A token that may not read people gives uids and numbers, with
//! one note, never a failed command.

use std::io::Write;

use crate::api::{ApiClient, VoiceCall};
use crate::domain::people::{Lookup, People};
use crate::domain::people_lookup;
use crate::persist::people::PeopleStore;

/// Names for `calls`, from the cache and the API; notes go to `err`.
pub async fn resolve(
    client: &ApiClient,
    calls: &[VoiceCall],
    store: &PeopleStore,
    err: &mut impl Write,
) -> People {
    let (mut people, problem) = store.load();
    let mut notes: Vec<String> = problem.into_iter().collect();
    let now = chrono::Utc::now();
    people.want(calls.iter().filter_map(Lookup::of), now);
    loop {
        let lookups = people.next_to_ask();
        if lookups.is_empty() {
            break;
        }
        let asked = lookups
            .iter()
            .map(|lookup| people_lookup::client_card(client, lookup));
        let answers = futures::future::join_all(asked).await;
        for (lookup, answer) in lookups.iter().zip(answers) {
            match answer.result {
                Ok(card) => people.learned(lookup, card, now),
                Err(e) if people_lookup::refused(&e) && !people.off.clients => {
                    people.clients_off();
                    notes.push(format!("client names left out: the server refused ({e})"));
                }
                Err(_) => people.failed(lookup),
            }
        }
    }
    let handled = calls.iter().any(|c| c.handled_by_staff_uid.is_some());
    if handled && people.ask_roster(now) {
        match people_lookup::me(client).await.result {
            Ok(me) => match me.business_uid.as_deref() {
                Some(business) => match people_lookup::roster(client, business).await.result {
                    Ok(staff) => people.learned_roster(staff, now),
                    Err(e) => {
                        people.roster_failed();
                        notes.push(format!("staff names left out: {e}"));
                    }
                },
                None => people.roster_failed(),
            },
            Err(e) => {
                people.roster_failed();
                notes.push(format!(
                    "staff names left out: who the token belongs to is unknown ({e})"
                ));
            }
        }
    }
    if let Err(e) = store.save(&people) {
        notes.push(format!("names not kept in {}: {e}", store.path().display()));
    }
    for note in notes {
        let _ = writeln!(err, "callconsole: {note}");
    }
    people
}
