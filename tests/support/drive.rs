//! Shared by the tests that drive `App::update` against the real embedded server: start a
//! server, and perform effects with the runtime's own `Performer`, feeding answers back.
#![allow(dead_code)]

use std::time::Duration;

use callconsole::api::{ApiClient, ClientOptions};
use callconsole::config::secret::Secret;
use callconsole::console::app::App;
use callconsole::console::msg::{Effect, Msg};
use callconsole::console::runtime::{Host, Performer, Services, Work};
use callconsole::domain::fields::FieldId;
use callconsole::domain::save::Outcome;
use callconsole::persist::cache::CacheStore;
use callconsole::persist::drafts::DraftStore;
use callconsole::persist::people::PeopleStore;
use callconsole::persist::remembered::RememberedStore;
use callconsole::persist::state::StateStore;
use callconsole::server::{self, RunningServer, ServerOptions};

/// An in-process server with token `t` (and faults, if any), and a client with fast retries.
pub async fn server_and_client(
    seed_count: Option<usize>,
    faults: &[&str],
) -> (RunningServer, ApiClient) {
    server_and_client_with(seed_count, faults, |_| {}).await
}

/// The same, with the client's options changed by `tune` (a shorter timeout, say).
pub async fn server_and_client_with(
    seed_count: Option<usize>,
    faults: &[&str],
    tune: impl FnOnce(&mut ClientOptions),
) -> (RunningServer, ApiClient) {
    let server = server::start(ServerOptions {
        port: 0,
        token: "t".into(),
        data_file: None,
        import_json: None,
        seed_count,
        legacy_stats_only: false,
        faults: parse_faults(faults),
    })
    .await
    .expect("server");
    let mut opts = ClientOptions::new(
        url::Url::parse(&server.base_url()).expect("url"),
        Secret::new("t"),
    );
    opts.retry_base = Duration::from_millis(10);
    tune(&mut opts);
    let client = ApiClient::new(opts).expect("client");
    (server, client)
}

/// `serve --fault` specs, as the server takes them.
pub fn parse_faults(specs: &[&str]) -> Vec<server::Fault> {
    specs.iter().map(|f| f.parse().expect("fault")).collect()
}

/// The whole screen as the runtime would draw it, one string per row.
pub fn screen(app: &App, width: u16, height: u16) -> Vec<String> {
    let mut terminal = ratatui::Terminal::new(ratatui::backend::TestBackend::new(width, height))
        .expect("terminal");
    let theme = callconsole::ui::theme::Theme::new(false);
    terminal
        .draw(|f| f.render_widget(callconsole::ui::Screen { app, theme: &theme }, f.area()))
        .expect("draw");
    let buffer = terminal.backend().buffer();
    (0..buffer.area.height)
        .map(|y| {
            (0..buffer.area.width)
                .map(|x| buffer[(x, y)].symbol())
                .collect()
        })
        .collect()
}

/// Values for the fields the API never sends back, as `[defaults]` would give them: the
/// field table's examples.
pub fn handled_defaults() -> callconsole::config::HandledDefaults {
    let mut defaults = callconsole::config::HandledDefaults::default();
    for f in FieldId::ALL.into_iter().filter(|f| !f.sent_back()) {
        defaults.set(f, f.example().to_string());
    }
    defaults
}

/// Performs effects until none are left; returns the PUT bodies that were sent. Files go to a
/// data dir that lives for this call; timers are left unfired (see [`Driver`] to fire them).
pub async fn perform(
    app: &mut App,
    client: &ApiClient,
    effects: Vec<Effect>,
) -> Vec<serde_json::Value> {
    Driver::new(client).perform(app, effects).await
}

/// The runtime's `Performer` with a private data dir and a [`TestHost`]; effects run one at a
/// time, the last asked for first, each answer fed back before the next. Timers are kept, not
/// slept on: a test fires them when it wants time to pass.
pub struct Driver {
    pub performer: Performer,
    pub host: TestHost,
    /// Messages a timer would send, with their delay, oldest first.
    pub timers: Vec<(Duration, Msg)>,
    pub data_dir: tempfile::TempDir,
}

impl Driver {
    pub fn new(client: &ApiClient) -> Self {
        let data_dir = tempfile::tempdir().expect("data dir");
        let services = Services {
            client: client.clone(),
            drafts: DraftStore::new(data_dir.path().join("drafts")),
            state: StateStore::new(data_dir.path().join("state.json")),
            cache: CacheStore::new(data_dir.path().join("cache.json")),
            remembered: RememberedStore::in_dir(data_dir.path(), false),
            people: PeopleStore::in_dir(data_dir.path(), false),
        };
        Self {
            // Each write is awaited in turn here: no burst for a debounce to fold.
            performer: Performer::new(services).with_state_delay(Duration::ZERO),
            host: TestHost::default(),
            timers: Vec::new(),
            data_dir,
        }
    }

    /// Performs effects until none are left; returns the PUT bodies that were sent. Every
    /// file write asked for is on disk when it returns.
    pub async fn perform(
        &mut self,
        app: &mut App,
        mut effects: Vec<Effect>,
    ) -> Vec<serde_json::Value> {
        let mut puts = Vec::new();
        while let Some(effect) = effects.pop() {
            let (body, always) = match &effect {
                Effect::PutCall { body, .. } => (Some(body.clone()), true),
                Effect::CheckAndPut { body, .. } => (Some(serde_json::Value::clone(body)), false),
                _ => (None, false),
            };
            let msg = match self.performer.start(effect, &mut self.host) {
                Work::Now(msg) => msg,
                Work::Task(task) => task.await,
                Work::Timer { after, msg } => {
                    self.timers.push((after, msg));
                    None
                }
            };
            let sent = always
                || matches!(
                    &msg,
                    Some(Msg::CheckedAndPut {
                        outcome: Outcome::Sent(_),
                        ..
                    })
                );
            if let (Some(body), true) = (body, sent) {
                puts.push(body);
            }
            if let Some(msg) = msg {
                effects.extend(app.update(msg));
            }
        }
        self.performer.flush().await;
        puts
    }

    /// Performs effects the way the event loop does: every task at once, each answer fed back
    /// as it comes, in whatever order. Returns the most page requests out at one time.
    pub async fn perform_concurrently(&mut self, app: &mut App, effects: Vec<Effect>) -> usize {
        let mut tasks = tokio::task::JoinSet::new();
        let mut pages = 0;
        let mut most = 0;
        let mut queue = effects;
        loop {
            for effect in std::mem::take(&mut queue) {
                let page = matches!(effect, Effect::FetchPage { .. });
                match self.performer.start(effect, &mut self.host) {
                    Work::Now(msg) => queue.extend(msg.map(|m| app.update(m)).unwrap_or_default()),
                    Work::Task(task) => {
                        pages += usize::from(page);
                        tasks.spawn(async move { (page, task.await) });
                    }
                    Work::Timer { after, msg } => self.timers.push((after, msg)),
                }
            }
            most = most.max(pages);
            if !queue.is_empty() {
                continue;
            }
            let Some(done) = tasks.join_next().await else {
                break;
            };
            let (page, msg) = done.expect("effect task");
            pages -= usize::from(page);
            if let Some(msg) = msg {
                queue = app.update(msg);
            }
        }
        self.performer.flush().await;
        most
    }

    /// Performs effects as the event loop does, in real time: every task at once, each
    /// answer fed back as it comes, and each timer sleeping out its delay before its message
    /// goes in (a retry the server asked to wait for), until nothing is left to do.
    pub async fn perform_live(&mut self, app: &mut App, effects: Vec<Effect>) {
        self.perform_live_watching(app, effects, |_| {}).await;
    }

    /// [`Driver::perform_live`], with `watch` shown the console after every answer it takes
    /// (what the screen would show between two answers).
    pub async fn perform_live_watching(
        &mut self,
        app: &mut App,
        effects: Vec<Effect>,
        mut watch: impl FnMut(&App),
    ) {
        let mut tasks = tokio::task::JoinSet::new();
        let mut queue = effects;
        loop {
            for effect in std::mem::take(&mut queue) {
                match self.performer.start(effect, &mut self.host) {
                    Work::Now(msg) => queue.extend(msg.map(|m| app.update(m)).unwrap_or_default()),
                    Work::Task(task) => {
                        tasks.spawn(task);
                    }
                    Work::Timer { after, msg } => {
                        tasks.spawn(async move {
                            tokio::time::sleep(after).await;
                            Some(msg)
                        });
                    }
                }
            }
            if !queue.is_empty() {
                continue;
            }
            let Some(done) = tasks.join_next().await else {
                break;
            };
            if let Some(msg) = done.expect("effect task") {
                queue = app.update(msg);
                watch(app);
            }
        }
        self.performer.flush().await;
    }

    /// Time passes: every kept timer fires, its message fed back (and its effects performed).
    pub async fn fire_timers(&mut self, app: &mut App) -> Vec<serde_json::Value> {
        let mut puts = Vec::new();
        for (_, msg) in std::mem::take(&mut self.timers) {
            let effects = app.update(msg);
            puts.extend(self.perform(app, effects).await);
        }
        puts
    }
}

/// The terminal's effects, recorded: no editor, no clipboard, no browser is touched.
#[derive(Default)]
pub struct TestHost {
    /// What the "editor" leaves in the file; `None`: the editor fails to start.
    pub editor_result: Option<String>,
    pub bells: usize,
    pub copied: Vec<String>,
    pub opened: Vec<String>,
    pub suspended: usize,
    /// Desktop notifications asked for: title and body.
    pub notified: Vec<(String, String)>,
}

impl Host for TestHost {
    fn edit(&mut self, _text: &str) -> Result<String, String> {
        self.editor_result
            .clone()
            .ok_or_else(|| "cannot start \"editor\": no editor in tests".to_string())
    }

    fn suspend(&mut self) -> std::io::Result<(u16, u16)> {
        self.suspended += 1;
        Ok((120, 40))
    }

    fn bell(&mut self) {
        self.bells += 1;
    }

    fn copy(&mut self, text: &str) -> Result<(), String> {
        self.copied.push(text.to_string());
        Ok(())
    }

    fn notify(&mut self, title: &str, body: &str) {
        self.notified.push((title.to_string(), body.to_string()));
    }

    fn open_url(&mut self, url: String) -> Work {
        self.opened.push(url.clone());
        Work::Now(Some(Msg::ExternalDone {
            done: format!("opened {url} in the browser"),
            result: Ok(()),
        }))
    }
}
