//! One kind of file for what the console keeps between runs as JSON (the values sent for
//! fields the API never sends back, the names of people): named for a real account or for
//! the demo, private like every file here; a missing file is nothing kept yet, an unreadable
//! one is reported and replaced on the next save, never a reason not to start.

use std::marker::PhantomData;
use std::path::{Path, PathBuf};

use serde::Serialize;
use serde::de::DeserializeOwned;

/// What a kept file holds: its file names and what happens when it cannot be read.
pub trait Kept: Serialize + DeserializeOwned + Default {
    /// The file's name for a real account.
    const FILE: &'static str;
    /// The file's name in demo mode, whose calls and people are not a real account's.
    const DEMO_FILE: &'static str;
    /// What happens instead when the file cannot be read, for the message.
    const THEN: &'static str;
}

/// The file `T` is kept in.
#[derive(Debug)]
pub struct KeptFile<T> {
    path: PathBuf,
    kind: PhantomData<fn() -> T>,
}

impl<T> Clone for KeptFile<T> {
    fn clone(&self) -> Self {
        Self::new(self.path.clone())
    }
}

impl<T> KeptFile<T> {
    pub fn new(path: impl Into<PathBuf>) -> Self {
        Self {
            path: path.into(),
            kind: PhantomData,
        }
    }

    pub fn path(&self) -> &Path {
        &self.path
    }
}

impl<T: Kept> KeptFile<T> {
    /// In `dir`, named for a real account or for the demo.
    pub fn in_dir(dir: &Path, demo: bool) -> Self {
        Self::new(dir.join(if demo { T::DEMO_FILE } else { T::FILE }))
    }

    /// What was kept, or nothing with a message saying why it could not be read.
    pub fn load(&self) -> (T, Option<String>) {
        super::fsutil::read_json_or_default(&self.path, T::THEN)
    }

    pub fn save(&self, value: &T) -> std::io::Result<()> {
        let bytes = serde_json::to_vec(value).map_err(std::io::Error::other)?;
        super::fsutil::write_private_atomic(&self.path, &bytes)
    }
}
