//! Command-line arguments.

pub mod connect;
pub mod doctor;

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

use crate::domain::sanitize::{QUOTED_CHARS, cut};

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

    /// Settings over the config file and the environment (`--config`, `--page-size`…).
    #[command(flatten)]
    pub settings: crate::config::Flags,

    /// Demo mode: the SQLite database the demo server keeps its calls in (default: in the data
    /// dir).
    #[arg(long, value_name = "FILE")]
    pub data: Option<PathBuf>,

    /// Demo mode: start from N generated calls (kept in memory unless --data is given).
    #[arg(long, value_name = "N")]
    pub seed_count: Option<usize>,

    /// Misbehave on purpose (repeatable): latency=2s, status=503:rate=0.5, retry-after=3,
    /// drip, truncate, huge, huge=chunked, html, gzip, gzip=none, stats-count=-3; options
    /// :rate=F :method=PUT :skip=N :path=/platform/v1 (only paths starting so) :after.
    #[arg(long = "fault", value_name = "SPEC")]
    pub faults: Vec<crate::server::Fault>,
}

impl Cli {
    /// The arguments, as `Cli::parse` reads them, except that a value clap's own error quotes
    /// (`invalid value '…' for '--limit'`) is cut like every other message's, not echoed at
    /// whatever size it was given.
    pub fn parse_args() -> Self {
        use clap::error::ContextValue;
        Self::try_parse().unwrap_or_else(|mut e| {
            let long: Vec<_> = e
                .context()
                .filter_map(|(kind, value)| match value {
                    ContextValue::String(s) if s.len() > QUOTED_CHARS => Some((
                        kind,
                        ContextValue::String(cut(s, QUOTED_CHARS).into_owned()),
                    )),
                    _ => None,
                })
                .collect();
            for (kind, value) in long {
                e.insert(kind, value);
            }
            e.exit()
        })
    }
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run the embedded API server alone, to try the API with curl.
    ///
    /// Voice calls: GET /v3/communication/voice_calls (page, per_page ≤ 100, sort,
    /// filter[…]), GET and PUT …/voice_calls/{uid}, GET …/{uid}/transcript and GET
    /// …/voice_calls/reports/voice_call_stats; errors as {"success":false,"errors":[…]}.
    /// POST /v3/communication/voice_calls records a call from a CreateVoiceCall body (plus
    /// optional call_summary and duration in seconds); a POST whose external_uuid the server
    /// already holds answers that call and creates nothing, so a lost answer can be re-sent.
    /// Recordings: PUT /v3/communication/voice_call_recordings/{uid} with
    /// {"recording_played": true|false} marks a call's recording played (the call answered).
    ///
    /// People, for the demo business (the staff and clients the demo calls name):
    /// GET /platform/v1/clients (page, per_page ≤ 100, search_by=email|uid|phone|updated_at
    /// with search_term — a phone number in any common form, `415 555 0148` finds
    /// +14155550148 — or updated_at[gte|lte]=YYYY-MM-DD), GET /platform/v1/clients/{id},
    /// GET /platform/v1/businesses/{business_uid} (name and time_zone),
    /// GET /platform/v1/businesses/{business_uid}/staffs?status=active|all (booleans as
    /// "true"/"false"), GET …/staffs/{staff_uid} and GET /oauth/userinfo (the token belongs
    /// to a demo staff member; its business_uid is the one to use above). They answer
    /// {"status":"OK","data":…}, errors as {"status":"Error","error":"…"} (404 for an unknown
    /// id) and {"error":"Unauthorized"} without the token.
    ///
    /// Every request needs `Authorization: Bearer <token>`.
    Serve(ServeArgs),
    /// List, show, update and create calls from scripts (same validation as the edit form).
    #[command(subcommand)]
    Calls(CallsCommand),
    /// Write a commented starter config (every setting and key with its default) to the
    /// config path, or to --config; an existing file is never overwritten.
    InitConfig,
    /// Check the setup, one line per check (config, token, base URL, one request to the API,
    /// data dir), each `ok` or `problem` with how to fix it. Exit 0 when all are ok, else 1.
    Doctor,
    /// Print a shell completion script: `callconsole completions bash > …`.
    Completions {
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
}

/// Exit codes of the scripting commands: 0 done, 1 the server or network failed, 2 the input
/// was wrong (nothing was sent).
#[derive(Debug, Subcommand)]
pub enum CallsCommand {
    /// List calls, newest first.
    List(ListArgs),
    /// Show one call.
    Show(ShowArgs),
    /// Change one call: the full update body is built from the call as the server has it,
    /// checked like the edit form, and sent only if the call did not change meanwhile.
    Update(UpdateArgs),
    /// Record a call-back: an outbound call to --to with its outcome (reached → answered by
    /// staff, voicemail / no-answer → missed). `reached` also marks the caller's waiting calls
    /// (or the --handles ones) handled by you, each checked as `calls update` checks.
    Create(CreateArgs),
}

/// How `calls list` prints.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ListFormat {
    /// Aligned columns for reading.
    Table,
    /// A JSON array of the server's call objects.
    Json,
    /// A header row, then one RFC 4180 row per call.
    Csv,
}

/// How one call is printed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ShowFormat {
    /// One `field: value` per line.
    Text,
    /// The server's call object.
    Json,
}

#[derive(Debug, Args)]
pub struct ListArgs {
    /// Only calls with this status (repeat, or separate with commas).
    #[arg(long, value_name = "STATUS", value_delimiter = ',')]
    pub status: Vec<String>,

    /// Only INBOUND or OUTBOUND calls.
    #[arg(long, value_name = "DIRECTION")]
    pub direction: Option<String>,

    /// Only calls created since: `today`, `7d` (the last 7 days), or a date `2026-03-02`.
    #[arg(long, value_name = "WHEN")]
    pub since: Option<String>,

    /// At most this many calls (fetched in pages of up to 100).
    #[arg(long, default_value_t = 25, value_parser = clap::value_parser!(u32).range(1..))]
    pub limit: u32,

    #[arg(long, value_enum, default_value_t = ListFormat::Table)]
    pub format: ListFormat,
}

#[derive(Debug, Args)]
pub struct ShowArgs {
    /// The call's uid.
    pub uid: String,

    #[arg(long, value_enum, default_value_t = ShowFormat::Text)]
    pub format: ShowFormat,
}

#[derive(Debug, Args)]
#[command(group = clap::ArgGroup::new("change").required(true).multiple(true))]
pub struct UpdateArgs {
    /// The call's uid.
    pub uid: String,

    /// New status, e.g. MISSED_CALL_HANDLED.
    #[arg(long, value_name = "STATUS", group = "change")]
    pub status: Option<String>,

    /// Who handled it: `me` (staff_uid from the config) or a staff uid.
    #[arg(long, value_name = "me|UID", group = "change")]
    pub handled_by: Option<String>,

    /// Set any update field: `--field price=1.50` (repeatable).
    #[arg(long = "field", value_name = "NAME=VALUE", group = "change")]
    pub fields: Vec<String>,

    /// Send only if the call's updated_at is still this.
    #[arg(long, value_name = "TIMESTAMP")]
    pub if_updated_at: Option<String>,

    #[arg(long, value_enum, default_value_t = ShowFormat::Text)]
    pub format: ShowFormat,
}

#[derive(Debug, Args)]
pub struct CreateArgs {
    /// What came of the call: reached, voicemail (you left one) or no-answer.
    #[arg(long, value_name = "reached|voicemail|no-answer")]
    pub outcome: String,

    /// Their number: E.164 (+14155550148), or a national form with default_country set.
    #[arg(long, value_name = "NUMBER")]
    pub to: String,

    /// Our number they see (default: the one their newest inbound call to us reached).
    #[arg(long, value_name = "NUMBER")]
    pub from: Option<String>,

    /// The client's uid (default: their newest inbound call's client, else the client with
    /// that phone number).
    #[arg(long, value_name = "UID")]
    pub client: Option<String>,

    /// A note on the call, stored in its call_summary after the outcome.
    #[arg(long, value_name = "TEXT")]
    pub note: Option<String>,

    /// How long it took: whole seconds (125) or m:ss (2:05).
    #[arg(long, value_name = "SECS|M:SS")]
    pub duration: Option<String>,

    /// With reached: mark these calls handled (default: every waiting call from --to).
    #[arg(long, value_name = "UID", num_args = 1..)]
    pub handles: Vec<String>,

    #[arg(long, value_enum, default_value_t = ShowFormat::Text)]
    pub format: ShowFormat,
}

#[derive(Debug, Args)]
pub struct ServeArgs {
    /// Port on 127.0.0.1 (0 picks a free one).
    #[arg(long, default_value_t = 8787)]
    pub port: u16,

    /// Bearer token clients must send.
    #[arg(long, default_value = "demo")]
    pub token: String,

    /// SQLite database the calls are kept in (default: demo-calls.sqlite3 in the data dir); an
    /// older JSON data file named here is converted.
    #[arg(long, value_name = "FILE")]
    pub data: Option<PathBuf>,

    /// Start from N generated calls, replacing what the database holds (kept in memory only
    /// unless --data is given).
    #[arg(long, value_name = "N")]
    pub seed_count: Option<usize>,

    /// Misbehave on purpose (repeatable): latency=2s, status=503:rate=0.5, retry-after=3,
    /// drip, truncate, huge, huge=chunked, html, gzip, gzip=none, stats-count=-3; options
    /// :rate=F :method=PUT :skip=N :path=/platform/v1 (only paths starting so) :after.
    #[arg(long = "fault", value_name = "SPEC")]
    pub faults: Vec<crate::server::Fault>,
}
