//! `sent-values.json` in the data dir: what the console sent for the fields the API never
//! sends back, per call (`domain::remembered`). Private like every file here; a missing file
//! means nothing is remembered, an unreadable one is reported and replaced on the next save,
//! never a reason not to start.

use super::kept::{Kept, KeptFile};
use crate::domain::remembered::Remembered;

/// The file of values sent.
pub type RememberedStore = KeptFile<Remembered>;

impl Kept for Remembered {
    const FILE: &'static str = "sent-values.json";
    const DEMO_FILE: &'static str = "sent-values-demo.json";
    const THEN: &'static str = "rate, price and recording id will be asked for again";
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
