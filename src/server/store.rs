//! The server's call store: the strict stored/answered `Call` shape, the in-memory index, and
//! atomic, debounced persistence to a JSON data file.

use std::collections::HashMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};

use chrono::{DateTime, SecondsFormat, TimeDelta, Utc};
use serde::{Deserialize, Serialize};

use super::ServerError;

/// Version of the data-file layout; a file with another version is refused, not guessed at.
const FILE_VERSION: u32 = 1;

/// One voice call as the server stores and answers it (the OpenAPI `VoiceCall`, in its order).
/// `rate`, `price`, `provider` and `recording_id` are not part of the documented read object,
/// so they stay out of the JSON until a PUT has supplied them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Call {
    pub uid: String,
    #[serde(with = "ts")]
    pub created_at: DateTime<Utc>,
    #[serde(with = "ts")]
    pub updated_at: DateTime<Utc>,
    pub duration: u64,
    pub status: String,
    pub direction: String,
    pub staff_uid: String,
    pub client_uid: String,
    pub from_number: String,
    pub to_number: String,
    pub call_summary: String,
    pub recording: Option<Recording>,
    pub external_app_url: String,
    pub external_app_name: String,
    pub source_id: String,
    pub external_uuid: String,
    pub handled_by_staff_uid: Option<String>,
    #[serde(with = "ts_opt")]
    pub handled_at: Option<DateTime<Utc>>,
    #[serde(with = "ts_opt")]
    pub deleted_at: Option<DateTime<Utc>>,
    pub transcript_status: Option<TranscriptStatus>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rate: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub price: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub provider: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub recording_id: Option<String>,
}

/// The OpenAPI `VoiceCallRecording`; `recordingUrl` is camelCase in the vendor's schema.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Recording {
    pub uid: String,
    #[serde(rename = "recordingUrl")]
    pub recording_url: String,
    pub size: u64,
    pub duration: u64,
    pub recording_played: bool,
    pub recording_type: RecordingType,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum RecordingType {
    Call,
    Voicemail,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum TranscriptStatus {
    InProgress,
    Done,
    Failed,
}

impl Call {
    /// The call as answered. With `read_object_only` (the vendor's read object, which a
    /// test can switch on), the fields that object lacks are left out even once stored.
    pub fn as_read(&self, read_object_only: bool) -> std::borrow::Cow<'_, Call> {
        if !read_object_only {
            return std::borrow::Cow::Borrowed(self);
        }
        let mut call = self.clone();
        call.rate = None;
        call.price = None;
        call.provider = None;
        call.recording_id = None;
        std::borrow::Cow::Owned(call)
    }
}

impl TranscriptStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::InProgress => "IN_PROGRESS",
            Self::Done => "DONE",
            Self::Failed => "FAILED",
        }
    }
}

/// The vendor writes timestamps as RFC 3339 with milliseconds and `Z`; so do we, always.
pub fn format_ts(t: &DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Millis, true)
}

/// Drops sub-millisecond precision so a stored time survives a round trip through the file.
pub fn to_millis(t: DateTime<Utc>) -> DateTime<Utc> {
    DateTime::from_timestamp_millis(t.timestamp_millis()).unwrap_or(t)
}

mod ts {
    use super::*;

    pub fn serialize<S: serde::Serializer>(t: &DateTime<Utc>, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&format_ts(t))
    }

    pub fn deserialize<'de, D: serde::Deserializer<'de>>(d: D) -> Result<DateTime<Utc>, D::Error> {
        let text = String::deserialize(d)?;
        DateTime::parse_from_rfc3339(&text)
            .map(|t| t.with_timezone(&Utc))
            .map_err(|e| serde::de::Error::custom(format!("bad timestamp \"{text}\": {e}")))
    }
}

mod ts_opt {
    use super::*;

    pub fn serialize<S: serde::Serializer>(
        t: &Option<DateTime<Utc>>,
        s: S,
    ) -> Result<S::Ok, S::Error> {
        match t {
            Some(t) => s.serialize_str(&format_ts(t)),
            None => s.serialize_none(),
        }
    }

    pub fn deserialize<'de, D: serde::Deserializer<'de>>(
        d: D,
    ) -> Result<Option<DateTime<Utc>>, D::Error> {
        let text: Option<String> = Option::deserialize(d)?;
        text.map(|text| {
            DateTime::parse_from_rfc3339(&text)
                .map(|t| t.with_timezone(&Utc))
                .map_err(|e| serde::de::Error::custom(format!("bad timestamp \"{text}\": {e}")))
        })
        .transpose()
    }
}

#[derive(Serialize)]
struct FileOut<'a> {
    version: u32,
    calls: &'a [Call],
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FileIn {
    version: u32,
    calls: Vec<Call>,
}

/// All calls, newest `created_at` first, so the usual `created_at:desc` listing can walk the
/// vector lazily; `created_at` never changes after creation, so edits keep the order.
#[derive(Debug, Default)]
pub struct Store {
    calls: Vec<Call>,
    by_uid: HashMap<String, usize>,
}

impl Store {
    /// Builds the store, ordering the calls; refuses duplicate uids (they would make GET/PUT
    /// ambiguous).
    pub fn new(mut calls: Vec<Call>) -> Result<Self, String> {
        calls.sort_by_key(|c| std::cmp::Reverse(c.created_at));
        let mut by_uid = HashMap::with_capacity(calls.len());
        for (i, c) in calls.iter().enumerate() {
            if by_uid.insert(c.uid.clone(), i).is_some() {
                return Err(format!("the uid \"{}\" appears twice", c.uid));
            }
        }
        Ok(Self { calls, by_uid })
    }

    pub fn calls(&self) -> &[Call] {
        &self.calls
    }

    pub fn len(&self) -> usize {
        self.calls.len()
    }

    pub fn get(&self, uid: &str) -> Option<&Call> {
        self.by_uid.get(uid).map(|&i| &self.calls[i])
    }

    pub fn get_mut(&mut self, uid: &str) -> Option<&mut Call> {
        self.by_uid.get(uid).map(|&i| &mut self.calls[i])
    }

    /// The data-file bytes for the current contents.
    pub fn to_file_bytes(&self) -> Result<Vec<u8>, serde_json::Error> {
        serde_json::to_vec(&FileOut {
            version: FILE_VERSION,
            calls: &self.calls,
        })
    }

    /// Parses a data file; the error text says what is wrong inside it.
    pub fn from_file_bytes(bytes: &[u8]) -> Result<Self, String> {
        let file: FileIn = serde_json::from_slice(bytes).map_err(|e| e.to_string())?;
        if file.version != FILE_VERSION {
            return Err(format!(
                "version {} is not the supported version {FILE_VERSION}",
                file.version
            ));
        }
        Self::new(file.calls)
    }
}

/// The next `updated_at`: now, but strictly after the previous value so clients that compare
/// timestamps always see an edit as newer, even two edits within one millisecond.
pub fn next_updated_at(previous: DateTime<Utc>, now: DateTime<Utc>) -> DateTime<Utc> {
    let now = to_millis(now);
    if now > previous {
        now
    } else {
        previous + TimeDelta::milliseconds(1)
    }
}

/// Loads the data file: `Ok(None)` when it does not exist yet.
pub fn load(path: &Path) -> Result<Option<Store>, ServerError> {
    let bytes = match std::fs::read(path) {
        Ok(b) => b,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(source) => {
            return Err(ServerError::DataUnreadable {
                path: path.to_path_buf(),
                source,
            });
        }
    };
    Store::from_file_bytes(&bytes)
        .map(Some)
        .map_err(|reason| ServerError::DataCorrupt {
            path: path.to_path_buf(),
            reason,
        })
}

/// Writes `bytes` to `path` so a reader never sees half a file: a private temp file in the same
/// directory, fsync, then rename over the target. The directory is created owner-only.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let mut builder = std::fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
    builder.create(&dir)?;

    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "data.json".to_string());
    let tmp = dir.join(format!(".{name}.{}.tmp", std::process::id()));
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let result = (|| {
        let mut file = options.open(&tmp)?;
        file.write_all(bytes)?;
        file.sync_all()?;
        drop(file);
        std::fs::rename(&tmp, path)?;
        // The rename itself must reach the disk too, or a crash could bring back the old file.
        #[cfg(unix)]
        if let Ok(d) = std::fs::File::open(&dir) {
            let _ = d.sync_all();
        }
        Ok(())
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result
}

/// Marks edits that have not reached the data file yet; the writer task coalesces them.
#[derive(Debug)]
pub struct Persister {
    pub path: PathBuf,
    dirty: AtomicBool,
    pub wake: tokio::sync::Notify,
}

impl Persister {
    pub fn new(path: PathBuf) -> Self {
        Self {
            path,
            dirty: AtomicBool::new(false),
            wake: tokio::sync::Notify::new(),
        }
    }

    /// Called after every change; cheap, never blocks on the disk.
    pub fn mark_dirty(&self) {
        self.dirty.store(true, Ordering::Release);
        self.wake.notify_one();
    }

    /// Takes the dirty flag: true when there is something to write.
    pub fn take_dirty(&self) -> bool {
        self.dirty.swap(false, Ordering::AcqRel)
    }

    /// Puts the flag back after a failed write so the next change or the shutdown retries.
    pub fn restore_dirty(&self) {
        self.dirty.store(true, Ordering::Release);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn call(uid: &str, secs: i64) -> Call {
        let t = DateTime::from_timestamp(1_700_000_000 + secs, 0).unwrap();
        Call {
            uid: uid.into(),
            created_at: t,
            updated_at: t,
            duration: 0,
            status: "MISSED".into(),
            direction: "INBOUND".into(),
            staff_uid: "s".into(),
            client_uid: "c".into(),
            from_number: "+14155550100".into(),
            to_number: "+14155550101".into(),
            call_summary: "x".into(),
            recording: None,
            external_app_url: "https://a.example/".into(),
            external_app_name: "my.pa".into(),
            source_id: "src".into(),
            external_uuid: "ext".into(),
            handled_by_staff_uid: None,
            handled_at: None,
            deleted_at: None,
            transcript_status: None,
            rate: None,
            price: None,
            provider: None,
            recording_id: None,
        }
    }

    #[test]
    fn orders_newest_first_and_refuses_duplicates() {
        let s = Store::new(vec![call("a", 1), call("b", 3), call("c", 2)]).unwrap();
        let uids: Vec<_> = s.calls().iter().map(|c| c.uid.as_str()).collect();
        assert_eq!(uids, ["b", "c", "a"]);
        assert_eq!(s.get("c").unwrap().uid, "c");
        assert!(Store::new(vec![call("a", 1), call("a", 2)]).is_err());
    }

    #[test]
    fn json_shape_omits_unknown_update_fields_and_uses_millis() {
        let mut c = call("a", 0);
        let v = serde_json::to_value(&c).unwrap();
        assert_eq!(v["created_at"], "2023-11-14T22:13:20.000Z");
        assert!(v["handled_at"].is_null() && v["deleted_at"].is_null());
        assert!(v.get("rate").is_none() && v.get("recording_id").is_none());
        c.rate = Some("0.05".into());
        let v = serde_json::to_value(&c).unwrap();
        assert_eq!(v["rate"], "0.05");
    }

    #[test]
    fn file_round_trip_and_corruption() {
        let s = Store::new(vec![call("a", 1), call("b", 2)]).unwrap();
        let back = Store::from_file_bytes(&s.to_file_bytes().unwrap()).unwrap();
        assert_eq!(back.calls(), s.calls());
        assert!(Store::from_file_bytes(b"{\"version\":2,\"calls\":[]}").is_err());
        assert!(Store::from_file_bytes(b"not json").is_err());
    }

    #[test]
    fn updated_at_always_moves_forward() {
        let t = DateTime::from_timestamp_millis(1_700_000_000_000).unwrap();
        assert_eq!(next_updated_at(t, t), t + TimeDelta::milliseconds(1));
        let later = t + TimeDelta::seconds(5);
        assert_eq!(next_updated_at(t, later), later);
    }

    #[test]
    fn atomic_write_creates_private_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("sub/calls.json");
        write_atomic(&path, b"{}").unwrap();
        write_atomic(&path, b"{\"a\":1}").unwrap();
        assert_eq!(std::fs::read(&path).unwrap(), b"{\"a\":1}");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&path).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o600);
        }
        let leftovers = std::fs::read_dir(path.parent().unwrap()).unwrap().count();
        assert_eq!(leftovers, 1, "no temp file left behind");
    }
}
