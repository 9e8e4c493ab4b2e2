//! The `callconsole` binary: reads arguments and settings, reports anything wrong before the
//! terminal is taken over, then runs the console or the demo server.

use std::io::Write;
use std::process::ExitCode;

use tracing_subscriber::layer::SubscriberExt;
use tracing_subscriber::util::SubscriberInitExt;

use callconsole::cli::connect::{self, DemoOptions};
use callconsole::cli::{CallsCommand, Cli, Command, ServeArgs};
use callconsole::config::{self, Config};
use callconsole::console::app::{App, Session};
use callconsole::console::{runtime, terminal};
use callconsole::persist::cache::CacheStore;
use callconsole::persist::drafts::DraftStore;
use callconsole::persist::people::PeopleStore;
use callconsole::persist::remembered::RememberedStore;
use callconsole::persist::state::StateStore;
use callconsole::script::{self, ScriptError};
use callconsole::server::{self, ServerOptions};
use callconsole::ui::theme::Theme;

fn main() -> ExitCode {
    let cli = Cli::parse_args();
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
        Some(Command::Calls(ref command)) => rt.block_on(calls(&cli, command)),
        Some(Command::InitConfig) => {
            let (path, _) =
                config::config_path(cli.settings.config.as_deref(), &|k| std::env::var(k).ok());
            config::write_starter(&path)
                .map(|()| println!("wrote a starter config to {}", path.display()))
                .map_err(Failure::usage)
        }
        Some(Command::Doctor) => rt.block_on(doctor(&cli)),
        Some(Command::Completions { shell }) => {
            script::completions(shell, &mut std::io::stdout().lock()).map_err(Failure::from)
        }
        None => rt.block_on(console(&cli)),
    };
    // Background tasks (an unanswered request, the server) must not hold the exit up.
    rt.shutdown_timeout(std::time::Duration::from_millis(200));
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(Failure { message, code }) => {
            // Not eprintln!: it panics when stderr is a terminal that has gone away.
            let _ = writeln!(std::io::stderr(), "callconsole: {message}");
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

impl From<ScriptError> for Failure {
    fn from(e: ScriptError) -> Self {
        Self {
            code: e.exit_code(),
            message: e.to_string(),
        }
    }
}

fn demo_options(cli: &Cli) -> DemoOptions {
    DemoOptions {
        force: cli.demo,
        data: cli.data.clone(),
        seed_count: cli.seed_count,
        faults: cli.faults.clone(),
    }
}

async fn console(cli: &Cli) -> Result<(), Failure> {
    let config = Config::load(&cli.settings, &|k| std::env::var(k).ok()).map_err(Failure::usage)?;
    init_log_file();
    let connection = connect::connect(&config, &demo_options(cli))
        .await
        .map_err(Failure::runtime)?;
    let demo = connection.is_demo();
    let client = connection.client.clone();
    let api_label = connection.label.clone();
    let session = Session {
        demo,
        api_label,
        crash_key: std::env::var_os("CALLCONSOLE_CRASH_TEST").is_some_and(|v| v == "1"),
        // The client holds the token; the model has no use for it.
        config: Config {
            token: None,
            ..config
        },
        people: true,
        hyperlinks: config.hyperlinks
            && callconsole::ui::hyperlink::terminal_takes_links(&|k| std::env::var(k).ok()),
    };
    // Demo drafts are kept apart from a real account's.
    let drafts =
        DraftStore::new(config::data_dir().join(if demo { "drafts-demo" } else { "drafts" }));
    let machine = callconsole::domain::zone::Zone::machine();
    let (_, height) = crossterm::terminal::size().unwrap_or((80, 24));
    let list_rows = callconsole::ui::layout::list_rows(height);
    let theme = Theme::new(std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty()));

    let mut guard = terminal::init(session.config.mouse)
        .map_err(|e| Failure::runtime(format!("cannot use the terminal: {e}")))?;
    let state = StateStore::new(config::data_dir().join(if demo {
        "state-demo.json"
    } else {
        "state.json"
    }));
    let (saved, state_problem) = state.load();
    let (mut app, mut effects) = App::with_state(
        session,
        chrono::Utc::now(),
        machine,
        list_rows,
        drafts.list(),
        saved,
    );
    if let Some(problem) = state_problem {
        app.set_notice(problem);
    }
    // Before any call is loaded: each one coming in is given what was sent for it.
    let remembered = RememberedStore::in_dir(&config::data_dir(), demo);
    let (sent, remembered_problem) = remembered.load();
    app.set_remembered(sent);
    if let Some(problem) = remembered_problem {
        app.set_notice(problem);
    }
    // Names known from the last run show at once; stale ones are asked for again.
    let people = PeopleStore::in_dir(&config::data_dir(), demo);
    let (known, people_problem) = people.load();
    // The business's zone as last known: times in it from the first frame.
    let business_zone = known
        .business_zone
        .as_deref()
        .and_then(|name| callconsole::domain::zone::Zone::named(name).ok());
    app.set_people(known);
    if let Some(zone) = business_zone {
        effects.extend(app.set_business_zone(zone));
    }
    if let Some(problem) = people_problem {
        app.set_notice(problem);
    }
    let cache = CacheStore::new(config::data_dir().join(if demo {
        "cache-demo.json"
    } else {
        "cache.json"
    }));
    if let Some(cached) = cache.load() {
        app.show_cached(cached);
    }
    let services = runtime::Services {
        client,
        drafts,
        state,
        cache,
        remembered,
        people,
    };
    let outcome = runtime::run(&mut guard.terminal, app, effects, services, theme).await;
    drop(guard);
    connection.close().await;
    let unconfirmed = outcome.map_err(|e| Failure::runtime(format!("terminal error: {e}")))?;
    if unconfirmed.is_empty() {
        return Ok(());
    }
    // The terminal is the user's again: what was not confirmed goes where they will see it.
    let mut err = std::io::stderr().lock();
    for line in &unconfirmed {
        let _ = writeln!(err, "callconsole: {line}");
    }
    Err(Failure::runtime(
        "quit with changes the server has not confirmed (listed above)",
    ))
}

/// A scripting command: same settings and connection as the console, output on stdout.
async fn calls(cli: &Cli, command: &CallsCommand) -> Result<(), Failure> {
    let config = Config::load(&cli.settings, &|k| std::env::var(k).ok()).map_err(Failure::usage)?;
    // Same log file as the console: stderr belongs to the script's reader.
    init_log_file();
    let connection = connect::connect(&config, &demo_options(cli))
        .await
        .map_err(Failure::runtime)?;
    let remembered = RememberedStore::in_dir(&config::data_dir(), connection.is_demo());
    let result = script::run_calls(
        command,
        &connection.client,
        &config,
        (
            &remembered,
            &PeopleStore::in_dir(&config::data_dir(), connection.is_demo()),
        ),
        &mut std::io::stdout().lock(),
        &mut std::io::stderr().lock(),
    )
    .await;
    connection.close().await;
    result.map_err(Failure::from)
}

/// `callconsole doctor`: a config that does not load is one of its problems, not a reason to
/// stop, so every other check still runs and is shown.
async fn doctor(cli: &Cli) -> Result<(), Failure> {
    let loaded = Config::load(&cli.settings, &|k| std::env::var(k).ok());
    init_log_file();
    let checks = callconsole::cli::doctor::checks(loaded, &config::data_dir()).await;
    let all_ok = callconsole::cli::doctor::print(&checks, &mut std::io::stdout().lock())
        .map_err(|e| Failure::runtime(format!("cannot print: {e}")))?;
    let problems = checks.iter().filter(|c| c.is_problem()).count();
    match problems {
        _ if all_ok => Ok(()),
        1 => Err(Failure::runtime("doctor found 1 problem")),
        n => Err(Failure::runtime(format!("doctor found {n} problems"))),
    }
}

async fn serve(args: &ServeArgs) -> Result<(), Failure> {
    let _ = tracing_subscriber::registry()
        .with(log_filter())
        // Colour only for a person at a terminal: a log file or a pipe gets plain text.
        .with(
            tracing_subscriber::fmt::layer()
                .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
                .with_writer(std::io::stderr),
        )
        .try_init();
    let data_file = match (&args.data, args.seed_count) {
        (Some(path), _) => Some(path.clone()),
        (None, Some(_)) => None,
        (None, None) => Some(connect::default_demo_data()),
    };
    let stop = stop_signal();
    let server = server::start(ServerOptions {
        port: args.port,
        token: args.token.clone(),
        import_json: data_file
            .as_ref()
            .filter(|_| args.data.is_none())
            .map(|_| connect::legacy_demo_data()),
        data_file: data_file.clone(),
        seed_count: args.seed_count,
        legacy_stats_only: false,
        faults: args.faults.clone(),
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
    stop.await;
    server.shutdown().await;
    Ok(())
}

/// Ctrl-C, SIGTERM or SIGHUP (the terminal closed), each a clean stop. The unix handlers are
/// installed here, before the banner says the server is up, so a signal sent right after
/// reading it is never met by the default action (which would end the process outright).
fn stop_signal() -> impl std::future::Future<Output = ()> {
    #[cfg(unix)]
    let handlers = {
        use tokio::signal::unix::{SignalKind, signal};
        (
            signal(SignalKind::interrupt()),
            signal(SignalKind::terminate()),
            signal(SignalKind::hangup()),
        )
    };
    async move {
        #[cfg(unix)]
        if let (Ok(mut int), Ok(mut term), Ok(mut hup)) = handlers {
            tokio::select! {
                _ = int.recv() => {}
                _ = term.recv() => {}
                _ = hup.recv() => {}
            }
            return;
        }
        let _ = tokio::signal::ctrl_c().await;
    }
}

/// `CALLCONSOLE_LOG`: a level, or `target=level` pairs (`debug,hyper=info`); anything else
/// gives the default. (A plain target list, not EnvFilter's regex-based syntax: that alone
/// was a tenth of the binary.)
fn log_filter() -> tracing_subscriber::filter::Targets {
    const DEFAULT: &str = "info,hyper=warn,reqwest=warn";
    std::env::var("CALLCONSOLE_LOG")
        .ok()
        .and_then(|spec| spec.parse().ok())
        .or_else(|| DEFAULT.parse().ok())
        .unwrap_or_default()
}

/// The console owns the screen, so its log goes to a file in the data dir; if that cannot be
/// opened the console runs without one rather than not at all. The file is private (0600 in a
/// 0700 dir): even with the token kept out, it holds the account's call data.
fn init_log_file() {
    let dir = config::data_dir();
    if callconsole::persist::fsutil::create_private_dir(&dir).is_err() {
        return;
    }
    let mut options = std::fs::OpenOptions::new();
    options.create(true).append(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let Ok(file) = options.open(dir.join("callconsole.log")) else {
        return;
    };
    // A log written by an older version may have been created readable by others.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let _ = file.set_permissions(std::fs::Permissions::from_mode(0o600));
    }
    let _ = tracing_subscriber::registry()
        .with(log_filter())
        .with(
            tracing_subscriber::fmt::layer()
                .with_ansi(false)
                .with_writer(std::sync::Mutex::new(file)),
        )
        .try_init();
}
