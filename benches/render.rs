//! One frame of the console (200×50) with 1 000 and 100 000 calls loaded, beside a bare
//! ratatui `Table` of just the visible rows: drawing must cost the screen, not the data. Also
//! a key press (update + draw). Run with `cargo bench --bench render`.

use std::sync::LazyLock;
use std::time::Duration;

use callconsole::api::{Answer, CallPage, Exchange, VoiceCall};
use callconsole::app::{App, Session};
use callconsole::msg::{Effect, Msg};
use callconsole::ui::Screen;
use callconsole::ui::theme::Theme;
use chrono::{DateTime, FixedOffset, Utc};
use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use divan::Bencher;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::layout::Constraint;
use ratatui::widgets::{Row, Table};

const SIZE: (u16, u16) = (200, 50);

fn now() -> DateTime<Utc> {
    DateTime::parse_from_rfc3339("2026-03-02T10:00:00Z")
        .map(|t| t.with_timezone(&Utc))
        .unwrap_or_default()
}

static CALLS: LazyLock<Vec<VoiceCall>> = LazyLock::new(|| {
    callconsole::server::seed::generate(100_000, now())
        .unwrap_or_default()
        .iter()
        .filter_map(|c| serde_json::to_value(c).ok())
        .filter_map(|v| serde_json::from_value(v).ok())
        .collect()
});

/// The console with the first `n` calls loaded in one page.
fn app_with(n: usize) -> App {
    let session = Session {
        demo: true,
        page_size: 100,
        api_label: "bench".into(),
        refresh_secs: 0,
        ..Session::default()
    };
    let tz = FixedOffset::east_opt(0).unwrap_or_else(|| unreachable!());
    let (mut app, effects) = App::new(session, now(), tz, SIZE, Vec::new());
    let Some((req, page)) = effects.iter().find_map(|e| match e {
        Effect::FetchPage { req, query } if query.per_page > 1 => Some((*req, query.page)),
        _ => None,
    }) else {
        unreachable!("the first page is asked for")
    };
    app.update(Msg::PageLoaded {
        req,
        page,
        answer: Answer {
            exchange: Exchange {
                method: reqwest::Method::GET,
                path: "/v3/communication/voice_calls?page=1".into(),
                status: Some(200),
                elapsed: Duration::from_millis(5),
                attempts: 1,
            },
            result: Ok(CallPage {
                calls: CALLS[..n].to_vec(),
                unreadable: 0,
            }),
        },
    });
    app
}

fn terminal() -> Terminal<TestBackend> {
    Terminal::new(TestBackend::new(SIZE.0, SIZE.1)).unwrap_or_else(|_| unreachable!())
}

fn main() {
    divan::main();
}

#[divan::bench(args = [1_000, 100_000])]
fn frame(bencher: Bencher, n: usize) {
    let app = app_with(n);
    let theme = Theme::new(false);
    let mut term = terminal();
    bencher.bench_local(|| {
        term.draw(|f| {
            f.render_widget(
                Screen {
                    app: &app,
                    theme: &theme,
                },
                f.area(),
            )
        })
        .map(|_| ())
    });
}

/// The baseline: a bare table of the rows that fit, with the same number of columns.
#[divan::bench]
fn bare_table(bencher: Bencher) {
    let mut term = terminal();
    let rows: Vec<&VoiceCall> = CALLS.iter().take(usize::from(SIZE.1)).collect();
    bencher.bench_local(|| {
        term.draw(|f| {
            let table = Table::new(
                rows.iter().map(|c| {
                    Row::new([
                        c.created_at.clone().unwrap_or_default(),
                        c.status
                            .as_ref()
                            .map(|s| s.as_str().to_string())
                            .unwrap_or_default(),
                        c.from_number.clone().unwrap_or_default(),
                        c.to_number.clone().unwrap_or_default(),
                        c.client_uid.clone().unwrap_or_default(),
                        c.duration.unwrap_or_default().to_string(),
                        c.call_summary.clone().unwrap_or_default(),
                    ])
                }),
                [Constraint::Length(16); 7],
            );
            f.render_widget(table, f.area());
        })
        .map(|_| ())
    });
}

/// `j` then a frame, with 100 000 calls loaded.
#[divan::bench]
fn key_and_frame(bencher: Bencher) {
    let mut app = app_with(100_000);
    let theme = Theme::new(false);
    let mut term = terminal();
    bencher.bench_local(|| {
        let _ = app.update(Msg::Key(KeyEvent::new(
            KeyCode::Char('j'),
            KeyModifiers::NONE,
        )));
        term.draw(|f| {
            f.render_widget(
                Screen {
                    app: &app,
                    theme: &theme,
                },
                f.area(),
            )
        })
        .map(|_| ())
    });
}
