//! The server's calls in SQLite: opening (and creating) the database, importing the seed or an
//! older JSON data file in one transaction, and reading and writing one call. A write commits
//! before the handler answers, so an acknowledged save is on disk.

use std::path::{Path, PathBuf};

use rusqlite::{Connection, OptionalExtension, params};

use super::ServerError;
use super::store::{self, Call};

/// Version of the database layout (`PRAGMA user_version`); another one is refused.
const SCHEMA_VERSION: i64 = 1;

/// The first bytes of every SQLite database file.
const SQLITE_HEADER: &[u8] = b"SQLite format 3\0";

/// The indexed columns hold copies of what filters and sorts read; `body` is the call as
/// answered (JSON, in the vendor's field order), the one thing read back.
const SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS calls (
    uid TEXT PRIMARY KEY NOT NULL,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    duration INTEGER NOT NULL,
    status TEXT NOT NULL,
    direction TEXT NOT NULL,
    staff_uid TEXT NOT NULL,
    client_uid TEXT NOT NULL,
    from_number TEXT NOT NULL,
    to_number TEXT NOT NULL,
    handled_by_staff_uid TEXT,
    handled_at INTEGER,
    body TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS calls_created_at ON calls(created_at);
CREATE INDEX IF NOT EXISTS calls_updated_at ON calls(updated_at);
CREATE INDEX IF NOT EXISTS calls_status ON calls(status, created_at);
CREATE INDEX IF NOT EXISTS calls_direction ON calls(direction);
CREATE INDEX IF NOT EXISTS calls_staff_uid ON calls(staff_uid);
CREATE INDEX IF NOT EXISTS calls_client_uid ON calls(client_uid);
CREATE INDEX IF NOT EXISTS calls_handled_by ON calls(handled_by_staff_uid);
CREATE INDEX IF NOT EXISTS calls_handled_at ON calls(handled_at);
CREATE INDEX IF NOT EXISTS calls_duration ON calls(duration);
CREATE INDEX IF NOT EXISTS calls_from_number ON calls(from_number, created_at);
CREATE INDEX IF NOT EXISTS calls_to_number ON calls(to_number, created_at);
-- One index for each way the list sorts, in the order it sorts (rowid, the tie-break, ends
-- every index ascending): a deep page is a walk along it, never a sort of every call.
CREATE INDEX IF NOT EXISTS calls_created_at_desc ON calls(created_at DESC);
CREATE INDEX IF NOT EXISTS calls_updated_at_desc ON calls(updated_at DESC);
CREATE INDEX IF NOT EXISTS calls_duration_desc ON calls(duration DESC);
CREATE INDEX IF NOT EXISTS calls_status_sort ON calls(status);
CREATE INDEX IF NOT EXISTS calls_status_sort_desc ON calls(status DESC);
CREATE INDEX IF NOT EXISTS calls_status_newest ON calls(status, created_at DESC);
CREATE INDEX IF NOT EXISTS calls_direction_desc ON calls(direction DESC);
CREATE INDEX IF NOT EXISTS calls_from_number_sort ON calls(from_number);
CREATE INDEX IF NOT EXISTS calls_from_number_desc ON calls(from_number DESC);
CREATE INDEX IF NOT EXISTS calls_to_number_sort ON calls(to_number);
CREATE INDEX IF NOT EXISTS calls_to_number_desc ON calls(to_number DESC);
CREATE INDEX IF NOT EXISTS calls_handled_at_sort ON calls(handled_at IS NULL, handled_at);
CREATE INDEX IF NOT EXISTS calls_handled_at_desc ON calls(handled_at IS NULL, handled_at DESC);
CREATE INDEX IF NOT EXISTS calls_external_uuid ON calls(json_extract(body, '$.external_uuid'));
CREATE INDEX IF NOT EXISTS calls_recording_uid ON calls(json_extract(body, '$.recording.uid'));
";

/// One call's row; [`insert`] and [`insert_all`] both write through it.
const INSERT: &str = "INSERT INTO calls (uid, created_at, updated_at, duration, status, direction,
         staff_uid, client_uid, from_number, to_number, handled_by_staff_uid, handled_at, body)
     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)";

/// Milliseconds since the epoch: how times are stored, so they compare as integers.
pub fn millis(t: chrono::DateTime<chrono::Utc>) -> i64 {
    t.timestamp_millis()
}

fn corrupt(path: &Path, reason: impl Into<String>) -> ServerError {
    ServerError::DataCorrupt {
        path: path.to_path_buf(),
        reason: reason.into(),
    }
}

fn write_error(path: &Path, e: impl std::fmt::Display) -> ServerError {
    ServerError::DataWrite {
        path: path.to_path_buf(),
        source: std::io::Error::other(e.to_string()),
    }
}

/// What the database was opened from.
pub enum Opened {
    /// A database that already holds calls.
    Existing(Connection),
    /// A new, empty database: the caller seeds it.
    New(Connection),
}

/// An in-memory database with the schema, for a server without a data file.
pub fn open_in_memory() -> Result<Connection, ServerError> {
    let path = Path::new(":memory:");
    let conn = Connection::open_in_memory().map_err(|e| write_error(path, e))?;
    conn.execute_batch(SCHEMA)
        .map_err(|e| write_error(path, e))?;
    conn.pragma_update(None, "user_version", SCHEMA_VERSION)
        .map_err(|e| write_error(path, e))?;
    Ok(conn)
}

/// Opens the database at `path`, creating it (and its folder, owner-only) when missing. A file
/// in the older JSON layout at `path` is imported into a database that takes its place (the
/// JSON is kept beside it as `FILE.v1.json`); for a new database, `legacy_json` names an
/// older data file to import when it exists.
pub fn open(path: &Path, legacy_json: Option<&Path>) -> Result<Opened, ServerError> {
    match std::fs::read(path) {
        Ok(bytes) if bytes.starts_with(SQLITE_HEADER) => {
            let conn = connect(path)?;
            check_version(&conn, path)?;
            return Ok(Opened::Existing(conn));
        }
        Ok(bytes) if bytes.is_empty() => {}
        Ok(bytes) if bytes.trim_ascii_start().starts_with(b"{") => {
            let calls = read_json(path, &bytes)?;
            convert_json_in_place(path, calls)?;
            return Ok(Opened::Existing(connect(path)?));
        }
        Ok(_) => return Err(corrupt(path, "it is neither an SQLite database nor JSON")),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
        Err(source) => {
            return Err(ServerError::DataUnreadable {
                path: path.to_path_buf(),
                source,
            });
        }
    }
    create_dir(path)?;
    let mut conn = connect(path)?;
    create_schema(&conn, path)?;
    if let Some(json) = legacy_json.filter(|j| *j != path)
        && let Ok(bytes) = std::fs::read(json)
    {
        let calls = read_json(json, &bytes)?;
        insert_all(&mut conn, &calls, false).map_err(|e| write_error(path, e))?;
        tracing::info!(
            "imported {} calls from {} into {}",
            calls.len(),
            json.display(),
            path.display()
        );
        return Ok(Opened::Existing(conn));
    }
    Ok(Opened::New(conn))
}

fn read_json(path: &Path, bytes: &[u8]) -> Result<Vec<Call>, ServerError> {
    store::calls_from_file_bytes(bytes).map_err(|reason| corrupt(path, reason))
}

/// Replaces the JSON file at `path` by a database holding its calls: built beside it under a
/// temporary name, then renamed over it, so a crash midway leaves the JSON file as it was.
fn convert_json_in_place(path: &Path, calls: Vec<Call>) -> Result<(), ServerError> {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "calls".to_string());
    let tmp = path.with_file_name(format!(".{name}.import.tmp"));
    let backup = path.with_file_name(format!("{name}.v1.json"));
    let _ = std::fs::remove_file(&tmp);
    let built = (|| -> rusqlite::Result<()> {
        // A rollback journal (not WAL) while importing: the result is one self-contained file.
        let mut conn = Connection::open(&tmp)?;
        conn.execute_batch(SCHEMA)?;
        conn.pragma_update(None, "user_version", SCHEMA_VERSION)?;
        insert_all(&mut conn, &calls, false)?;
        conn.close().map_err(|(_, e)| e)
    })();
    if let Err(e) = built {
        let _ = std::fs::remove_file(&tmp);
        return Err(write_error(path, e));
    }
    std::fs::copy(path, &backup).map_err(|e| write_error(&backup, e))?;
    std::fs::rename(&tmp, path).map_err(|e| write_error(path, e))?;
    tracing::info!(
        "converted the JSON data file {} to a database (the JSON is kept as {})",
        path.display(),
        backup.display()
    );
    Ok(())
}

fn create_dir(path: &Path) -> Result<(), ServerError> {
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let mut builder = std::fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
    builder
        .create(&dir)
        .map_err(|source| ServerError::DataWrite {
            path: path.to_path_buf(),
            source,
        })
}

/// WAL lets readers go on while a write commits; `synchronous = FULL` makes every commit
/// reach the disk (not only the OS) before it returns, which is what "acknowledged" promises.
fn connect(path: &Path) -> Result<Connection, ServerError> {
    let conn = Connection::open(path).map_err(|e| write_error(path, e))?;
    let setup = || -> rusqlite::Result<()> {
        conn.busy_timeout(std::time::Duration::from_secs(5))?;
        let mode: String = conn.query_row("PRAGMA journal_mode = WAL", [], |r| r.get(0))?;
        if !mode.eq_ignore_ascii_case("wal") {
            tracing::warn!("{}: journal mode {mode}, not WAL", path.display());
        }
        conn.pragma_update(None, "synchronous", "FULL")?;
        Ok(())
    };
    setup().map_err(|e| write_error(path, e))?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let _ = std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600));
    }
    Ok(conn)
}

fn check_version(conn: &Connection, path: &Path) -> Result<(), ServerError> {
    let version: i64 = conn
        .pragma_query_value(None, "user_version", |r| r.get(0))
        .map_err(|e| corrupt(path, e.to_string()))?;
    if version == 0 {
        // Created but never given its schema (a crash right after creating the file).
        return create_schema(conn, path);
    }
    if version != SCHEMA_VERSION {
        return Err(corrupt(
            path,
            format!("layout version {version} is not the supported version {SCHEMA_VERSION}"),
        ));
    }
    // Indexes added since the file was made (every statement is `IF NOT EXISTS`).
    conn.execute_batch(SCHEMA).map_err(|e| write_error(path, e))
}

fn create_schema(conn: &Connection, path: &Path) -> Result<(), ServerError> {
    conn.execute_batch(&format!(
        "BEGIN; {SCHEMA} PRAGMA user_version = {SCHEMA_VERSION}; COMMIT;"
    ))
    .map_err(|e| write_error(path, e))
}

/// Inserts `calls` in one transaction (all or none), after deleting every call when
/// `replace`. Duplicate uids are refused: they would make GET and PUT ambiguous.
pub fn insert_all(conn: &mut Connection, calls: &[Call], replace: bool) -> rusqlite::Result<()> {
    let tx = conn.transaction()?;
    if replace {
        tx.execute("DELETE FROM calls", [])?;
    }
    // Newest first, so rowid order is the listing's tie-break order.
    let mut ordered: Vec<&Call> = calls.iter().collect();
    ordered.sort_by_key(|c| std::cmp::Reverse(c.created_at));
    for c in ordered {
        insert(&tx, c)?;
    }
    tx.commit()
}

/// Inserts one new call; the caller commits. A uid already held is refused.
pub fn insert(conn: &Connection, c: &Call) -> rusqlite::Result<()> {
    conn.prepare_cached(INSERT)?
        .execute(params![
            c.uid,
            millis(c.created_at),
            millis(c.updated_at),
            duration(c),
            c.status,
            c.direction,
            c.staff_uid,
            c.client_uid,
            c.from_number,
            c.to_number,
            c.handled_by_staff_uid,
            c.handled_at.map(millis),
            body(c)?,
        ])
        .map_err(|e| match e {
            rusqlite::Error::SqliteFailure(f, _)
                if f.code == rusqlite::ErrorCode::ConstraintViolation =>
            {
                rusqlite::Error::ToSqlConversionFailure(
                    format!("the uid \"{}\" appears twice", c.uid).into(),
                )
            }
            e => e,
        })?;
    Ok(())
}

/// The call created with this `external_uuid` (the oldest, should there be several): how a
/// POST sent again finds the call its first try created.
pub fn by_external_uuid(conn: &Connection, external_uuid: &str) -> rusqlite::Result<Option<Call>> {
    let text: Option<String> = conn
        .query_row(
            "SELECT body FROM calls WHERE json_extract(body, '$.external_uuid') = ?1
             ORDER BY created_at, rowid LIMIT 1",
            [external_uuid],
            |r| r.get(0),
        )
        .optional()?;
    text.as_deref().map(parse_body).transpose()
}

fn duration(c: &Call) -> i64 {
    i64::try_from(c.duration).unwrap_or(i64::MAX)
}

fn body(c: &Call) -> rusqlite::Result<String> {
    serde_json::to_string(c).map_err(|e| rusqlite::Error::ToSqlConversionFailure(Box::new(e)))
}

/// Reads a stored body back; a row that no longer parses is an error, not a missing call.
pub fn parse_body(text: &str) -> rusqlite::Result<Call> {
    serde_json::from_str(text).map_err(|e| {
        rusqlite::Error::FromSqlConversionFailure(0, rusqlite::types::Type::Text, Box::new(e))
    })
}

pub fn count(conn: &Connection) -> rusqlite::Result<usize> {
    conn.query_row("SELECT count(*) FROM calls", [], |r| r.get::<_, i64>(0))
        .map(|n| usize::try_from(n).unwrap_or(0))
}

pub fn get(conn: &Connection, uid: &str) -> rusqlite::Result<Option<Call>> {
    let text: Option<String> = conn
        .query_row("SELECT body FROM calls WHERE uid = ?1", [uid], |r| r.get(0))
        .optional()?;
    text.as_deref().map(parse_body).transpose()
}

/// Writes an edited call (same uid) back; the caller commits.
pub fn update(conn: &Connection, c: &Call) -> rusqlite::Result<()> {
    conn.execute(
        "UPDATE calls SET updated_at = ?2, duration = ?3, status = ?4, direction = ?5,
             staff_uid = ?6, client_uid = ?7, from_number = ?8, to_number = ?9,
             handled_by_staff_uid = ?10, handled_at = ?11, body = ?12
         WHERE uid = ?1",
        params![
            c.uid,
            millis(c.updated_at),
            duration(c),
            c.status,
            c.direction,
            c.staff_uid,
            c.client_uid,
            c.from_number,
            c.to_number,
            c.handled_by_staff_uid,
            c.handled_at.map(millis),
            body(c)?,
        ],
    )?;
    Ok(())
}

/// The call whose recording has this uid (`PUT …/voice_call_recordings/{uid}`), by the
/// indexed `json_extract` of its body.
pub fn get_by_recording(conn: &Connection, recording_uid: &str) -> rusqlite::Result<Option<Call>> {
    let text: Option<String> = conn
        .query_row(
            "SELECT body FROM calls WHERE json_extract(body, '$.recording.uid') = ?1",
            [recording_uid],
            |r| r.get(0),
        )
        .optional()?;
    text.as_deref().map(parse_body).transpose()
}
