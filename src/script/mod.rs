//! The scripting commands (`callconsole calls …`, `completions`): the console's client, form
//! validation and conflict check, with output for pipes instead of a screen.

mod create;
mod handle;
mod list;
mod names;
mod output;
mod update;

use std::io::{self, Write};

use clap::CommandFactory;

use crate::api::{ApiClient, ApiError};
use crate::cli::{CallsCommand, Cli};
use crate::config::Config;
use crate::domain::zone::Zone;
use crate::persist::people::PeopleStore;
use crate::persist::remembered::RememberedStore;

/// Why a scripting command stopped; each kind has its exit code.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ScriptError {
    /// The input cannot be used; nothing was sent. Each line says what to change. Exit 2.
    Invalid(Vec<String>),
    /// The server or the network failed, or the call changed meanwhile. Exit 1.
    Failed(String),
}

impl ScriptError {
    pub fn exit_code(&self) -> u8 {
        match self {
            Self::Invalid(_) => 2,
            Self::Failed(_) => 1,
        }
    }
}

impl std::fmt::Display for ScriptError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            // One problem per line, each with the program's name like the first one gets.
            Self::Invalid(lines) => write!(f, "{}", lines.join("\ncallconsole: ")),
            Self::Failed(message) => write!(f, "{message}"),
        }
    }
}

impl From<ApiError> for ScriptError {
    fn from(e: ApiError) -> Self {
        Self::Failed(e.to_string())
    }
}

/// A reader of our output that went away (`| head`) is not a failure of ours.
fn written(result: io::Result<()>) -> Result<(), ScriptError> {
    match result {
        Err(e) if e.kind() != io::ErrorKind::BrokenPipe => {
            Err(ScriptError::Failed(format!("cannot write the output: {e}")))
        }
        _ => Ok(()),
    }
}

/// Runs one `calls` command against `client`; results go to `out`, notes to `err`. What
/// `calls update` sends for the fields the API never sends back is kept in `remembered`, the
/// console's own file, so neither asks for them again; the names `calls list` shows come from
/// and go to the console's `people` cache.
pub async fn run_calls(
    command: &CallsCommand,
    client: &ApiClient,
    config: &Config,
    stores: (&RememberedStore, &PeopleStore),
    out: &mut impl Write,
    err: &mut impl Write,
) -> Result<(), ScriptError> {
    let (remembered, people) = stores;
    match command {
        CallsCommand::List(args) => {
            let zone = zone_in_force(config, people);
            list::run(client, args, (people, &zone), out, err).await
        }
        CallsCommand::Show(args) => {
            call_uid(&args.uid).map_err(|m| ScriptError::Invalid(vec![m]))?;
            let call = client.get_json(&args.uid).await.result?;
            written(output::write_call(out, &call, args.format))
        }
        CallsCommand::Update(args) => update::run(client, config, remembered, args, out, err).await,
        CallsCommand::Create(args) => create::run(client, config, remembered, args, out, err).await,
    }
}

/// The zone `calls list` reads and shows times in, as the console does: the `time_zone`
/// setting, else the business's as the console last learned it (`people.json`), else the
/// machine's.
fn zone_in_force(config: &Config, people: &PeopleStore) -> Zone {
    let business = people
        .load()
        .0
        .business_zone
        .and_then(|name| Zone::named(&name).ok());
    let machine = Zone::machine();
    Zone::in_force(config.time_zone.as_ref(), business.as_ref(), &machine).clone()
}

/// The longest uid a command takes. Real ones are 36 characters; anything near this long is
/// a pasted file or a broken variable, and would only come back as a network error.
pub const MAX_CALL_UID_BYTES: usize = 256;

/// The uid a command names: checked before anything is sent. Any character may be in it (the
/// client percent-encodes the path), but it must be there and be of a sane length.
fn call_uid(uid: &str) -> Result<(), String> {
    if uid.trim().is_empty() {
        Err("the call's uid is empty; give one from calls list, like \
             d4dc68c9-bb80-427d-a584-7fb8d8e3917c"
            .to_string())
    } else if uid == "." || uid == ".." {
        // A URL path reads these as "here" and "up": the request would go to another path.
        Err(format!(
            "the call's uid {} is not a uid; give one from calls list",
            crate::domain::sanitize::quoted(uid)
        ))
    } else if uid.len() > MAX_CALL_UID_BYTES {
        Err(format!(
            "the call's uid {} is too long; a uid is at most {MAX_CALL_UID_BYTES} bytes, like \
             d4dc68c9-bb80-427d-a584-7fb8d8e3917c",
            crate::domain::sanitize::quoted(uid)
        ))
    } else {
        Ok(())
    }
}

/// Prints the completion script for `shell`.
pub fn completions(shell: clap_complete::Shell, out: &mut impl Write) -> Result<(), ScriptError> {
    // Generated into memory first: the generator panics on a failed write, we do not.
    let mut script = Vec::new();
    clap_complete::generate(shell, &mut Cli::command(), "callconsole", &mut script);
    written(out.write_all(&script).and_then(|()| out.flush()))
}
