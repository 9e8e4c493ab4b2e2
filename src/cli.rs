//! Command-line arguments.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

/// A keyboard-driven console for the vcita / inTandem voice-call log.
///
/// With no token configured (or with --demo) it starts an embedded demo server on 127.0.0.1
/// and works on its data.
#[derive(Debug, Parser)]
#[command(name = "callconsole", version, about, long_about)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,

    /// Use the embedded demo server even when a token is configured.
    #[arg(long)]
    pub demo: bool,

    /// Config file to read instead of the platform default (also CALLCONSOLE_CONFIG).
    #[arg(long, value_name = "PATH")]
    pub config: Option<PathBuf>,

    /// Demo mode: the file the demo server keeps its calls in (default: in the data dir).
    #[arg(long, value_name = "FILE")]
    pub data: Option<PathBuf>,

    /// Demo mode: start from N generated calls (kept in memory unless --data is given).
    #[arg(long, value_name = "N")]
    pub seed_count: Option<usize>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run the embedded API server alone, to try the API with curl.
    Serve(ServeArgs),
}

#[derive(Debug, Args)]
pub struct ServeArgs {
    /// Port on 127.0.0.1 (0 picks a free one).
    #[arg(long, default_value_t = 8787)]
    pub port: u16,

    /// Bearer token clients must send.
    #[arg(long, default_value = "demo")]
    pub token: String,

    /// File the calls are kept in (default: demo-calls.json in the data dir).
    #[arg(long, value_name = "FILE")]
    pub data: Option<PathBuf>,

    /// Start from N generated calls, replacing what the data file holds (kept in memory only
    /// unless --data is given).
    #[arg(long, value_name = "N")]
    pub seed_count: Option<usize>,
}
