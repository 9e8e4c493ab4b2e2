//! The `callconsole` binary: reads arguments and settings, reports anything wrong before the
//! terminal is taken over, then runs the console or the demo server.

use std::hash::{BuildHasher, Hasher};
use std::path::PathBuf;
use std::process::ExitCode;

use clap::Parser;

use callconsole::api::{ApiClient, ClientOptions};
use callconsole::app::{App, Session};
use callconsole::cli::{Cli, Command, ServeArgs};
use callconsole::config::{self, Config};
use callconsole::form::draft::DraftStore;
use callconsole::secret::Secret;
use callconsole::server::{self, ServerOptions};
use callconsole::ui::theme::Theme;
use callconsole::{runtime, terminal};

fn main() -> ExitCode {
    let cli = Cli::parse();
    let rt = match tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("callconsole: cannot start the async runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    let result = match cli.command {
        Some(Command::Serve(ref args)) => rt.block_on(serve(args)),
        None => rt.block_on(console(&cli)),
    };
    // Background tasks (an unanswered request, the server) must not hold the exit up.
    rt.shutdown_timeout(std::time::Duration::from_millis(200));
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(Failure { message, code }) => {
            eprintln!("callconsole: {message}");
            ExitCode::from(code)
        }
    }
}

/// Why the program stopped early, and its exit code (2: bad settings, 1: anything else).
struct Failure {
    message: String,
    code: u8,
}

impl Failure {
    fn usage(message: impl ToString) -> Self {
        Self {
            message: message.to_string(),
            code: 2,
        }
    }
    fn runtime(message: impl ToString) -> Self {
        Self {
            message: message.to_string(),
            code: 1,
        }
    }
}

fn default_demo_data() -> PathBuf {
    config::data_dir().join("demo-calls.json")
}

/// A token nobody else can guess, for the embedded server of this session.
fn session_token() -> String {
    let a = std::collections::hash_map::RandomState::new()
        .build_hasher()
        .finish();
    let b = std::collections::hash_map::RandomState::new()
        .build_hasher()
        .finish();
    format!("demo-{a:016x}{b:016x}")
}

async fn console(cli: &Cli) -> Result<(), Failure> {
    let config =
        Config::load(cli.config.as_deref(), &|k| std::env::var(k).ok()).map_err(Failure::usage)?;
    init_log_file();
    let demo = cli.demo || config.token.is_none();
    let mut demo_server = None;
    let (base_url, token, api_label) = if demo {
        let data_file = match (&cli.data, cli.seed_count) {
            (Some(path), _) => Some(path.clone()),
            (None, Some(_)) => None,
            (None, None) => Some(default_demo_data()),
        };
        let server = server::start(ServerOptions {
            port: 0,
            token: session_token(),
            data_file,
            seed_count: cli.seed_count,
            legacy_stats_only: false,
        })
        .await
        .map_err(|e| Failure::runtime(format!("cannot start the demo server: {e}")))?;
        let url = url::Url::parse(&server.base_url())
            .map_err(|e| Failure::runtime(format!("demo server address: {e}")))?;
        let token = Secret::new(server.token());
        let label = format!("demo server {}", server.addr());
        demo_server = Some(server);
        (url, token, label)
    } else {
        let Some((token, _source)) = config.token.clone() else {
            return Err(Failure::usage("no token configured"));
        };
        let label = config.base_url.host_str().unwrap_or("API").to_string();
        (config.base_url.clone(), token, label)
    };

    let mut options = ClientOptions::new(base_url, token);
    options.on_behalf_of = config.on_behalf_of.clone();
    let client = ApiClient::new(options).map_err(Failure::runtime)?;
    let session = Session {
        demo,
        page_size: config.page_size,
        api_label,
        staff_uid: config.staff_uid.clone(),
        update_fields: config.update_fields,
        default_country: config.default_country.clone(),
    };
    // Demo drafts are kept apart from a real account's.
    let drafts =
        DraftStore::new(config::data_dir().join(if demo { "drafts-demo" } else { "drafts" }));
    let tz = *chrono::Local::now().offset();
    let size = crossterm::terminal::size().unwrap_or((80, 24));
    let theme = Theme::new(std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty()));

    let mut guard =
        terminal::init().map_err(|e| Failure::runtime(format!("cannot use the terminal: {e}")))?;
    let (app, effects) = App::new(session, chrono::Utc::now(), tz, size, drafts.list());
    let services = runtime::Services { client, drafts };
    let outcome = runtime::run(&mut guard.terminal, app, effects, services, theme).await;
    drop(guard);
    if let Some(server) = demo_server {
        server.shutdown().await;
    }
    outcome.map_err(|e| Failure::runtime(format!("terminal error: {e}")))
}

async fn serve(args: &ServeArgs) -> Result<(), Failure> {
    tracing_subscriber::fmt()
        .with_env_filter(log_filter())
        .with_writer(std::io::stderr)
        .init();
    let data_file = match (&args.data, args.seed_count) {
        (Some(path), _) => Some(path.clone()),
        (None, Some(_)) => None,
        (None, None) => Some(default_demo_data()),
    };
    let server = server::start(ServerOptions {
        port: args.port,
        token: args.token.clone(),
        data_file: data_file.clone(),
        seed_count: args.seed_count,
        legacy_stats_only: false,
    })
    .await
    .map_err(Failure::runtime)?;
    let base = server.base_url();
    println!("callconsole demo API listening on {base}");
    println!("token: {}", args.token);
    match &data_file {
        Some(path) => println!("data: {} ({} calls)", path.display(), server.call_count()),
        None => println!("data: in memory only ({} calls)", server.call_count()),
    }
    println!(
        "try:  curl -H 'Authorization: Bearer {}' '{base}/v3/communication/voice_calls?per_page=3'",
        args.token
    );
    println!("Ctrl-C stops it.");
    wait_for_stop().await;
    server.shutdown().await;
    Ok(())
}

async fn wait_for_stop() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        if let Ok(mut term) = signal(SignalKind::terminate()) {
            tokio::select! {
                _ = tokio::signal::ctrl_c() => {}
                _ = term.recv() => {}
            }
            return;
        }
    }
    let _ = tokio::signal::ctrl_c().await;
}

fn log_filter() -> tracing_subscriber::EnvFilter {
    tracing_subscriber::EnvFilter::try_from_env("CALLCONSOLE_LOG")
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info,hyper=warn,reqwest=warn"))
}

/// The console owns the screen, so its log goes to a file in the data dir; if that cannot be
/// opened the console runs without one rather than not at all.
fn init_log_file() {
    let dir = config::data_dir();
    if std::fs::create_dir_all(&dir).is_err() {
        return;
    }
    let Ok(file) = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(dir.join("callconsole.log"))
    else {
        return;
    };
    let _ = tracing_subscriber::fmt()
        .with_env_filter(log_filter())
        .with_ansi(false)
        .with_writer(std::sync::Mutex::new(file))
        .try_init();
}
