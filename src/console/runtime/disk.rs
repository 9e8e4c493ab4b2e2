//! The disk writer: one task that performs every file write the runtime is asked for, off the
//! UI thread, one at a time, keeping only the newest write per file.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::time::Duration;

use tokio::sync::{mpsc, oneshot};
use tokio::time::Instant;

/// What a write does (on the blocking pool): save or delete one file.
pub type WriteFn = Box<dyn FnOnce() -> std::io::Result<()> + Send>;

/// How a write ended; `Err` is the reason, for a message. A write that a newer one for the
/// same file replaced never answers (its receiver sees the sender dropped).
pub type Outcome = Result<(), String>;

enum Job {
    Write {
        path: PathBuf,
        after: Duration,
        write: WriteFn,
        done: oneshot::Sender<Outcome>,
    },
    Flush(oneshot::Sender<()>),
}

struct Pending {
    due: Instant,
    write: WriteFn,
    done: oneshot::Sender<Outcome>,
}

/// A handle on the writer task. Writes to one file never race: they run one after another on
/// a single task, and a write still waiting is replaced by a newer one for the same file, so
/// an older version can never land after a newer one.
#[derive(Clone)]
pub struct Disk {
    jobs: mpsc::UnboundedSender<Job>,
}

impl Disk {
    /// Starts the writer task (inside a tokio runtime).
    pub fn start() -> Self {
        let (jobs, rx) = mpsc::unbounded_channel();
        tokio::spawn(run(rx));
        Self { jobs }
    }

    /// Queues a write of `path`, performed `after` from now unless a newer write of the same
    /// file replaces it first (a debounce: a burst of tab switches costs one write).
    pub fn write(
        &self,
        path: PathBuf,
        after: Duration,
        write: WriteFn,
    ) -> oneshot::Receiver<Outcome> {
        let (done, answer) = oneshot::channel();
        let job = Job::Write {
            path,
            after,
            write,
            done,
        };
        if let Err(mpsc::error::SendError(Job::Write { write, done, .. })) = self.jobs.send(job) {
            // The writer is gone (the runtime is shutting down): write here rather than lose it.
            let _ = done.send(write().map_err(|e| e.to_string()));
        }
        answer
    }

    /// Returns once every write queued before it is on disk, waiting ones included.
    pub async fn flush(&self) {
        let (ack, done) = oneshot::channel();
        if self.jobs.send(Job::Flush(ack)).is_ok() {
            let _ = done.await;
        }
    }
}

async fn run(mut jobs: mpsc::UnboundedReceiver<Job>) {
    let mut pending: BTreeMap<PathBuf, Pending> = BTreeMap::new();
    loop {
        let next = pending.values().map(|p| p.due).min();
        // Evaluated even when the branch is off; a far deadline stands in for "none".
        let deadline = next.unwrap_or_else(|| Instant::now() + Duration::from_secs(3600));
        tokio::select! {
            job = jobs.recv() => match job {
                Some(Job::Write { path, after, write, done }) => {
                    let due = Instant::now() + after;
                    pending.insert(path, Pending { due, write, done });
                }
                Some(Job::Flush(ack)) => {
                    write_due(&mut pending, None).await;
                    let _ = ack.send(());
                }
                None => {
                    write_due(&mut pending, None).await;
                    return;
                }
            },
            () = tokio::time::sleep_until(deadline), if next.is_some() => {
                write_due(&mut pending, Some(Instant::now())).await;
            }
        }
    }
}

/// Performs the writes due by `now` (all of them when `None`), one after another.
async fn write_due(pending: &mut BTreeMap<PathBuf, Pending>, now: Option<Instant>) {
    let due: Vec<PathBuf> = pending
        .iter()
        .filter(|(_, p)| now.is_none_or(|now| p.due <= now))
        .map(|(path, _)| path.clone())
        .collect();
    for path in due {
        let Some(Pending { write, done, .. }) = pending.remove(&path) else {
            continue;
        };
        let outcome = match tokio::task::spawn_blocking(write).await {
            Ok(result) => result.map_err(|e| e.to_string()),
            Err(e) => Err(format!("the write stopped: {e}")),
        };
        if let Err(e) = &outcome {
            tracing::warn!(path = %path.display(), "not written: {e}");
        }
        let _ = done.send(outcome);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn put(path: &std::path::Path, text: &'static str) -> WriteFn {
        let path = path.to_path_buf();
        Box::new(move || crate::persist::fsutil::write_private_atomic(&path, text.as_bytes()))
    }

    #[tokio::test]
    async fn the_newest_write_of_a_file_wins_and_flush_waits_for_waiting_ones() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("state.json");
        let disk = Disk::start();
        let long = Duration::from_secs(3600);
        let first = disk.write(path.clone(), long, put(&path, "old"));
        let second = disk.write(path.clone(), long, put(&path, "new"));
        disk.flush().await;
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "new");
        assert!(first.await.is_err(), "the replaced write never ran");
        assert_eq!(second.await.unwrap(), Ok(()));
    }

    #[tokio::test]
    async fn a_later_write_is_never_overtaken_by_an_earlier_one() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("draft.json");
        let disk = Disk::start();
        for i in 0..50 {
            let text: &'static str = if i == 49 { "last" } else { "earlier" };
            drop(disk.write(path.clone(), Duration::ZERO, put(&path, text)));
            tokio::task::yield_now().await;
        }
        disk.flush().await;
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "last");
    }

    #[tokio::test]
    async fn a_failed_write_says_why() {
        let dir = tempfile::tempdir().unwrap();
        let disk = Disk::start();
        let answer = disk.write(
            dir.path().join("x"),
            Duration::ZERO,
            Box::new(|| Err(std::io::Error::other("disk full"))),
        );
        assert_eq!(answer.await.unwrap(), Err("disk full".to_string()));
    }
}
