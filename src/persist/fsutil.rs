//! Private files: written atomically (temp file, fsync, rename), 0600 in a 0700 directory, so
//! a crash never leaves half a file and nobody else on the machine can read it. The one place
//! the console writes a file it keeps (drafts, UI state, list cache).

use std::io::Write;
use std::path::Path;

/// Replaces `path` with `bytes` in one step; the parent directory is created 0700 if missing.
///
/// The temp file is a fresh uniquely named one beside the target (`tempfile` makes it 0600 on
/// unix): a fixed `.tmp` name would let two writers of the same file tear each other's
/// temp file, and a different directory could sit on another file system, where rename is no
/// longer atomic. On failure the temp file is removed when it drops.
pub fn write_private_atomic(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let dir = match path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir,
        _ => Path::new("."),
    };
    create_private_dir(dir)?;
    let mut file = tempfile::NamedTempFile::new_in(dir)?;
    file.write_all(bytes)?;
    file.as_file().sync_all()?;
    file.persist(path).map_err(|e| e.error)?;
    Ok(())
}

/// Reads the JSON file kept at `path`: its value, or the default with a message saying why
/// it could not be read and `then` (what happens instead). A missing file is no message:
/// nothing was kept yet. A file that cannot be read is never a reason not to start.
pub fn read_json_or_default<T: serde::de::DeserializeOwned + Default>(
    path: &Path,
    then: &str,
) -> (T, Option<String>) {
    match std::fs::read(path) {
        Ok(bytes) => match serde_json::from_slice(&bytes) {
            Ok(value) => (value, None),
            Err(e) => (
                T::default(),
                Some(format!(
                    "{} could not be read ({e}); {then}",
                    path.display()
                )),
            ),
        },
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => (T::default(), None),
        Err(e) => (
            T::default(),
            Some(format!("cannot read {}: {e}; {then}", path.display())),
        ),
    }
}

pub fn create_private_dir(dir: &Path) -> std::io::Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::DirBuilderExt;
        std::fs::DirBuilder::new()
            .recursive(true)
            .mode(0o700)
            .create(dir)
    }
    #[cfg(not(unix))]
    std::fs::create_dir_all(dir)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn replaces_whole_private_and_leaves_no_temp_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("sub/dir/file.json");
        write_private_atomic(&path, b"first, longer").unwrap();
        write_private_atomic(&path, b"second").unwrap();
        assert_eq!(std::fs::read(&path).unwrap(), b"second");
        let names: Vec<_> = std::fs::read_dir(path.parent().unwrap())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names, vec![std::ffi::OsString::from("file.json")]);
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
            assert_eq!(mode(&path), 0o600);
            assert_eq!(mode(path.parent().unwrap()), 0o700);
            assert_eq!(mode(&dir.path().join("sub")), 0o700);
        }
    }

    #[test]
    fn writers_of_one_file_do_not_tear_each_other() {
        // With a fixed `.tmp` name, two threads truncate and rename each other's temp file.
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("state.json");
        let a = vec![b'a'; 64 * 1024];
        let b = vec![b'b'; 64 * 1024];
        std::thread::scope(|s| {
            for bytes in [&a, &b] {
                let path = &path;
                s.spawn(move || {
                    for _ in 0..50 {
                        write_private_atomic(path, bytes).unwrap();
                    }
                });
            }
        });
        let got = std::fs::read(&path).unwrap();
        assert!(got == a || got == b, "a torn file of {} bytes", got.len());
    }
}
