//! `sent-values.json` in the data dir: what the console sent for the fields the API never
//! sends back, per call (`domain::remembered`). Private like every file here; a missing file
//! means nothing is remembered, an unreadable one is reported and replaced on the next save,
//! never a reason not to start.

use std::path::{Path, PathBuf};

use crate::domain::remembered::Remembered;

/// The file of values sent.
#[derive(Debug, Clone)]
pub struct RememberedStore {
    path: PathBuf,
}

impl RememberedStore {
    pub fn new(path: impl Into<PathBuf>) -> Self {
        Self { path: path.into() }
    }

    /// In `dir`, named for a real account or for the demo, whose calls are not the same.
    pub fn in_dir(dir: &Path, demo: bool) -> Self {
        Self::new(dir.join(if demo {
            "sent-values-demo.json"
        } else {
            "sent-values.json"
        }))
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// What was kept, or nothing with a message saying why it could not be read.
    pub fn load(&self) -> (Remembered, Option<String>) {
        super::fsutil::read_json_or_default(
            &self.path,
            "rate, price and recording id will be asked for again",
        )
    }

    pub fn save(&self, remembered: &Remembered) -> std::io::Result<()> {
        let bytes = serde_json::to_vec(remembered).map_err(std::io::Error::other)?;
        super::fsutil::write_private_atomic(&self.path, &bytes)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn what_is_saved_loads_back_and_a_broken_file_is_reported() {
        let dir = tempfile::tempdir().unwrap();
        let store = RememberedStore::in_dir(dir.path(), false);
        assert_eq!(store.load(), (Remembered::default(), None));
        let mut r = Remembered::default();
        r.note(
            "c1",
            &serde_json::json!({"rate": "0.07"}),
            "2026-11-30T10:00:00Z",
        );
        store.save(&r).unwrap();
        assert_eq!(store.load(), (r, None));
        std::fs::write(store.path(), b"{not json").unwrap();
        let (r, problem) = store.load();
        assert_eq!(r, Remembered::default());
        assert!(problem.unwrap().contains("could not be read"));
    }
}
