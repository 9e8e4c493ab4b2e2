//! `people.json` in the data dir: the names of clients and staff the API answered, with when
//! (`domain::people`), so a restart shows names at once instead of asking again. Private like
//! every file here; delete it to forget every name (the next screen asks again).

use super::kept::{Kept, KeptFile};
use crate::domain::people::People;

/// The file of people known.
pub type PeopleStore = KeptFile<People>;

impl Kept for People {
    const FILE: &'static str = "people.json";
    const DEMO_FILE: &'static str = "people-demo.json";
    const THEN: &'static str = "names will be asked for again";
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::people::ClientCard;

    #[test]
    fn what_is_saved_loads_back_and_a_broken_file_is_reported() {
        let dir = tempfile::tempdir().unwrap();
        let store = PeopleStore::in_dir(dir.path(), true);
        assert_eq!(store.load(), (People::default(), None), "nothing kept yet");
        let mut p = People::default();
        let now = chrono::Utc::now();
        p.want([crate::domain::people::Lookup::Client("c1".into())], now);
        p.next_to_ask();
        p.learned_client(
            "c1",
            Some(ClientCard {
                name: Some("Emily Carter".into()),
                ..ClientCard::default()
            }),
            now,
        );
        store.save(&p).unwrap();
        let (back, note) = store.load();
        assert_eq!(note, None);
        assert_eq!(back.client_name("c1"), Some("Emily Carter"));
        std::fs::write(store.path(), b"{not json").unwrap();
        let (back, note) = store.load();
        assert_eq!(back, People::default());
        let note = note.expect("said");
        assert!(
            note.contains("people-demo.json could not be read"),
            "{note}"
        );
        assert!(note.ends_with("names will be asked for again"), "{note}");
    }
}
