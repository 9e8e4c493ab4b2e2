//! The scripting commands (`callconsole calls …`, `completions`): the console's client, form
//! validation and conflict check, with output for pipes instead of a screen.

mod list;
mod output;
mod update;

use std::io::{self, Write};

use clap::CommandFactory;

use crate::api::{ApiClient, ApiError};
use crate::cli::{CallsCommand, Cli};
use crate::config::Config;
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
/// console's own file, so neither asks for them again.
pub async fn run_calls(
    command: &CallsCommand,
    client: &ApiClient,
    config: &Config,
    remembered: &RememberedStore,
    out: &mut impl Write,
    err: &mut impl Write,
) -> Result<(), ScriptError> {
    match command {
        CallsCommand::List(args) => list::run(client, args, out, err).await,
        CallsCommand::Show(args) => {
            let call = client.get_json(&args.uid).await.result?;
            written(output::write_call(out, &call, args.format))
        }
        CallsCommand::Update(args) => update::run(client, config, remembered, args, out, err).await,
    }
}

/// Prints the completion script for `shell`.
pub fn completions(shell: clap_complete::Shell, out: &mut impl Write) -> Result<(), ScriptError> {
    // Generated into memory first: the generator panics on a failed write, we do not.
    let mut script = Vec::new();
    clap_complete::generate(shell, &mut Cli::command(), "callconsole", &mut script);
    written(out.write_all(&script).and_then(|()| out.flush()))
}
