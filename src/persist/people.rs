//! `people.json` in the data dir: the names of clients and staff the API answered, with when
//! (`domain::people`), so a restart shows names at once instead of asking again. Private like
//! every file here; delete it to forget every name (the next screen asks again).

use std::path::{Path, PathBuf};

use crate::domain::people::People;

/// The file of people known.
#[derive(Debug, Clone)]
pub struct PeopleStore {
    path: PathBuf,
}

impl PeopleStore {
    pub fn new(path: impl Into<PathBuf>) -> Self {
        Self { path: path.into() }
    }

    /// In `dir`, named for a real account or for the demo, whose people are not the same.
    pub fn in_dir(dir: &Path, demo: bool) -> Self {
        Self::new(dir.join(if demo {
            "people-demo.json"
        } else {
            "people.json"
        }))
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// What was kept, or nothing with a message saying why it could not be read.
    pub fn load(&self) -> (People, Option<String>) {
        super::fsutil::read_json_or_default(&self.path, "names will be asked for again")
    }

    pub fn save(&self, people: &People) -> std::io::Result<()> {
        let bytes = serde_json::to_vec(people).map_err(std::io::Error::other)?;
        super::fsutil::write_private_atomic(&self.path, &bytes)
    }
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
