//! What the console remembers between runs: the open tab and each tab's filter and sort, in
//! `state.json` in the data dir. A missing file means defaults; an unreadable one is reported
//! once and replaced on the next change, never a reason not to start. The runtime writes it a
//! moment after the last change (a burst of tab switches is one write) and at exit.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::domain::views::{TabId, TabSettings};

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct UiState {
    pub active: Option<TabId>,
    pub tabs: BTreeMap<TabId, TabSettings>,
    /// `z` switched Needs follow-up between one row per caller and one per call; `None`:
    /// the `group_by_caller` setting decides.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub group_by_caller: Option<bool>,
}

/// The state file.
#[derive(Debug, Clone)]
pub struct StateStore {
    path: PathBuf,
}

impl StateStore {
    pub fn new(path: impl Into<PathBuf>) -> Self {
        Self { path: path.into() }
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The saved state, or defaults with a message saying why it could not be read.
    pub fn load(&self) -> (UiState, Option<String>) {
        crate::persist::fsutil::read_json_or_default(
            &self.path,
            "the saved filters and sort are not used; starting from defaults",
        )
    }

    pub fn save(&self, state: &UiState) -> std::io::Result<()> {
        let bytes = serde_json::to_vec_pretty(state).map_err(std::io::Error::other)?;
        crate::persist::fsutil::write_private_atomic(&self.path, &bytes)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::views::{DateRange, Sort, SortColumn};

    #[test]
    fn state_round_trips_and_bad_files_fall_back() {
        let dir = tempfile::tempdir().unwrap();
        let store = StateStore::new(dir.path().join("sub/state.json"));
        assert_eq!(store.load(), (UiState::default(), None));
        let mut state = UiState {
            active: Some(TabId::Missed),
            ..UiState::default()
        };
        let mut settings = TabSettings::default();
        settings.filter.date = Some(DateRange::Today);
        settings.sort = Sort {
            column: SortColumn::CreatedAt,
            desc: false,
        };
        state.tabs.insert(TabId::Missed, settings);
        store.save(&state).unwrap();
        assert_eq!(store.load(), (state, None));
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(store.path())
                .unwrap()
                .permissions()
                .mode();
            assert_eq!(mode & 0o777, 0o600);
        }
        std::fs::write(store.path(), "{not json").unwrap();
        let (state, message) = store.load();
        assert_eq!(state, UiState::default());
        assert!(message.unwrap().contains("could not be read"));
    }
}
