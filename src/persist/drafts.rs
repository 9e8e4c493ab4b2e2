//! Drafts: an open form's values on disk, one file per call uid, so an edit survives a crash,
//! a killed terminal or a failed submit. Written atomically (temp file, fsync, rename), 0600 in
//! a 0700 directory. Only the runtime calls this; `update` asks for it with effects.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::domain::fields::{FieldId, Values};

/// One saved edit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Draft {
    pub uid: String,
    /// RFC 3339, when it was written.
    pub saved_at: String,
    /// The call's `updated_at` when the form was opened: the conflict check compares it.
    pub opened_updated_at: Option<String>,
    /// Field name → value.
    pub values: BTreeMap<String, String>,
}

impl Draft {
    pub fn new(
        uid: &str,
        saved_at: String,
        opened_updated_at: Option<String>,
        values: &Values,
    ) -> Self {
        Self {
            uid: uid.to_string(),
            saved_at,
            opened_updated_at,
            values: values
                .iter()
                .map(|(f, v)| (f.name().to_string(), v.clone()))
                .collect(),
        }
    }

    /// The values by field; unknown names (from a newer version) are ignored.
    pub fn field_values(&self) -> Values {
        self.values
            .iter()
            .filter_map(|(k, v)| FieldId::from_name(k).map(|f| (f, v.clone())))
            .collect()
    }
}

/// The drafts directory.
#[derive(Debug, Clone)]
pub struct DraftStore {
    dir: PathBuf,
}

impl DraftStore {
    pub fn new(dir: impl Into<PathBuf>) -> Self {
        Self { dir: dir.into() }
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// The file that holds the draft for `uid`.
    pub fn path_for(&self, uid: &str) -> PathBuf {
        // Uids become file names: keep them to a safe alphabet.
        let safe: String = uid
            .chars()
            .map(|c| {
                if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                    c
                } else {
                    '_'
                }
            })
            .collect();
        self.dir.join(format!("{safe}.json"))
    }

    /// Writes the draft atomically with owner-only permissions.
    pub fn save(&self, draft: &Draft) -> std::io::Result<()> {
        let bytes = serde_json::to_vec_pretty(draft).map_err(std::io::Error::other)?;
        crate::persist::fsutil::write_private_atomic(&self.path_for(&draft.uid), &bytes)
    }

    pub fn load(&self, uid: &str) -> std::io::Result<Option<Draft>> {
        match std::fs::read(self.path_for(uid)) {
            Ok(bytes) => serde_json::from_slice(&bytes)
                .map(Some)
                .map_err(std::io::Error::other),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(e),
        }
    }

    pub fn delete(&self, uid: &str) -> std::io::Result<()> {
        match std::fs::remove_file(self.path_for(uid)) {
            Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(e),
            _ => Ok(()),
        }
    }

    /// Every readable draft, oldest first; unreadable files are skipped (and left alone).
    pub fn list(&self) -> Vec<Draft> {
        let Ok(entries) = std::fs::read_dir(&self.dir) else {
            return Vec::new();
        };
        let mut drafts: Vec<Draft> = entries
            .filter_map(Result::ok)
            .filter(|e| e.path().extension().is_some_and(|x| x == "json"))
            .filter_map(|e| std::fs::read(e.path()).ok())
            .filter_map(|b| serde_json::from_slice(&b).ok())
            .collect();
        drafts.sort_by(|a, b| a.saved_at.cmp(&b.saved_at));
        drafts
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trip_private_and_deleted() {
        let dir = tempfile::tempdir().expect("tempdir");
        let store = DraftStore::new(dir.path().join("drafts"));
        let mut values = Values::new();
        values.insert(FieldId::Rate, "0.05".into());
        let draft = Draft::new(
            "abc/../x",
            "2026-11-24T10:00:00Z".into(),
            Some("t0".into()),
            &values,
        );
        store.save(&draft).expect("save");
        assert_eq!(store.load("abc/../x").expect("load"), Some(draft.clone()));
        assert_eq!(store.list(), vec![draft.clone()]);
        assert_eq!(
            store
                .load("abc/../x")
                .expect("load")
                .map(|d| d.field_values()),
            Some(values)
        );
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let file = std::fs::read_dir(store.dir())
                .expect("dir")
                .next()
                .expect("one")
                .expect("entry");
            assert_eq!(
                file.metadata().expect("meta").permissions().mode() & 0o777,
                0o600
            );
            let dmode = std::fs::metadata(store.dir())
                .expect("meta")
                .permissions()
                .mode();
            assert_eq!(dmode & 0o777, 0o700);
        }
        store.delete("abc/../x").expect("delete");
        assert_eq!(store.load("abc/../x").expect("load"), None);
        store.delete("abc/../x").expect("deleting twice is fine");
    }
}
