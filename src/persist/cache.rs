//! The last list seen, kept in the data dir so the next start draws it at once (marked as
//! cached) while the first page is fetched. Written when the console closes; a missing or
//! unreadable cache just means no instant start.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::api::VoiceCall;
use crate::domain::views::{TabId, TabSettings};

/// Calls kept: a few screens' worth, so writing it at exit stays instant.
pub const CACHED_CALLS: usize = 200;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CachedList {
    pub tab: TabId,
    /// The view's filter and sort when it was saved: a cache for other settings is not used.
    pub settings: TabSettings,
    /// RFC 3339.
    pub saved_at: String,
    pub calls: Vec<VoiceCall>,
}

#[derive(Debug, Clone)]
pub struct CacheStore {
    path: PathBuf,
}

impl CacheStore {
    pub fn new(path: impl Into<PathBuf>) -> Self {
        Self { path: path.into() }
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    pub fn load(&self) -> Option<CachedList> {
        let bytes = std::fs::read(&self.path).ok()?;
        serde_json::from_slice(&bytes).ok()
    }

    pub fn save(&self, list: &CachedList) -> std::io::Result<()> {
        let bytes = serde_json::to_vec(list).map_err(std::io::Error::other)?;
        crate::persist::fsutil::write_private_atomic(&self.path, &bytes)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_saved_list_loads_back_and_junk_is_ignored() {
        let dir = tempfile::tempdir().unwrap();
        let store = CacheStore::new(dir.path().join("cache.json"));
        assert_eq!(store.load(), None);
        let list = CachedList {
            tab: TabId::Missed,
            settings: TabSettings::default(),
            saved_at: "2026-11-24T15:00:00+00:00".into(),
            calls: vec![VoiceCall {
                uid: Some("c1".into()),
                ..Default::default()
            }],
        };
        store.save(&list).unwrap();
        assert_eq!(store.load(), Some(list));
        std::fs::write(store.path(), b"{\"tab\":").unwrap();
        assert_eq!(store.load(), None);
    }
}
