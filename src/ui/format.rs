//! How values read on screen: times (local; relative for today), durations as m:ss, text cut
//! to fit with an ellipsis, requests as the status bar and the request log word them.

use chrono::{DateTime, Utc};
use reqwest::StatusCode;
pub use unicode_width_shim::width;

use crate::api::Exchange;
use crate::console::app::{Wait, Waiting};
use crate::domain::zone::Zone;

pub use crate::domain::when::{ago, list_time, list_time_as, spoken_time};

/// Full timestamp in `zone` for the detail pane, with its offset then and the relative age.
pub fn full_time(raw: Option<&str>, now: DateTime<Utc>, zone: &Zone) -> String {
    match raw {
        None => "—".to_string(),
        Some(raw) => match crate::api::model::parse_time(raw) {
            Some(t) => format!(
                "{} ({})",
                zone.local(t).format("%Y-%m-%d %H:%M:%S %:z"),
                ago(now - t)
            ),
            // Not a timestamp: show what the server sent.
            None => format!("{raw} (not a valid time)"),
        },
    }
}

/// Seconds as `m:ss` (`h:mm:ss` past an hour); `—` when unknown.
pub fn duration(secs: Option<i64>) -> String {
    let Some(s) = secs else {
        return "—".to_string();
    };
    // A negative length or one longer than any call can last is the server's error, shown
    // as such rather than as a plausible time.
    let Ok(s) = u64::try_from(s) else {
        return "invalid".to_string();
    };
    if s > crate::domain::rules::MAX_DURATION_SECS {
        return "invalid".to_string();
    }
    if s >= 3600 {
        format!("{}:{:02}:{:02}", s / 3600, s % 3600 / 60, s % 60)
    } else {
        format!("{}:{:02}", s / 60, s % 60)
    }
}

/// Cuts `text` to `max` columns, ending in `…` when cut.
pub fn fit(text: &str, max: usize) -> String {
    if width(text) <= max {
        return text.to_string();
    }
    let mut out = String::new();
    let mut used = 0;
    for c in text.chars() {
        let w = width(c.encode_utf8(&mut [0; 4]));
        if used + w + 1 > max {
            break;
        }
        used += w;
        out.push(c);
    }
    out.push('…');
    out
}

/// `text` broken into lines of at most `max` columns, between words; a word longer than a
/// whole line (a URL) goes on after the words before it and breaks where the line ends.
/// Never an empty result.
pub fn wrap(text: &str, max: usize) -> Vec<String> {
    let max = max.max(1);
    let mut lines = Vec::new();
    let mut line = String::new();
    for word in text.split(' ') {
        let sep = usize::from(!line.is_empty());
        // A word that fits a line of its own starts one; a longer one (a URL) goes on here.
        if !line.is_empty() && width(&line) + sep + width(word) > max && width(word) <= max {
            lines.push(std::mem::take(&mut line));
        }
        if !line.is_empty() {
            line.push(' ');
        }
        for c in word.chars() {
            if width(&line) + width(c.encode_utf8(&mut [0; 4])) > max {
                lines.push(std::mem::take(&mut line));
            }
            line.push(c);
        }
    }
    lines.push(line);
    lines
}

/// What a slow request waits for and how long it has, for the status bar: `loading page 3…
/// 7s`, `saving… 1m 05s`. `other_tab` names the tab a page is for when it is not the open one.
pub fn waiting(waiting: &Waiting, other_tab: Option<&str>) -> String {
    let what = match waiting.what {
        Wait::Page { page, .. } => match other_tab {
            Some(tab) => format!("loading page {page} of {tab}…"),
            None => format!("loading page {page}…"),
        },
        Wait::Refresh { .. } => match other_tab {
            Some(tab) => format!("refreshing {tab}…"),
            None => "refreshing…".to_string(),
        },
        Wait::Check => "reading the call before saving…".to_string(),
        Wait::Save => "saving…".to_string(),
        Wait::Transcript => "loading the transcript…".to_string(),
    };
    let s = waiting.secs.max(0);
    if s < 60 {
        format!("{what} {s}s")
    } else {
        format!("{what} {}m {:02}s", s / 60, s % 60)
    }
}

/// A request as the request log shows it, full path and all:
/// `PUT /v3/communication/voice_calls/9f1c → 200 OK in 143 ms`, and ` after 3 tries` when
/// it was retried.
pub fn exchange(ex: &Exchange) -> String {
    exchange_at(ex, &ex.path)
}

/// The status bar's form: the API prefix folded to `…` and only the `page` and filter
/// parameters kept, so the answer and its messages fit on one line.
pub fn exchange_short(ex: &Exchange) -> String {
    let (path, query) = ex.path.split_once('?').unwrap_or((&ex.path, ""));
    let kept: Vec<&str> = query
        .split('&')
        .filter(|kv| kv.starts_with("page=") || kv.starts_with("filter["))
        .collect();
    let path = fold_api_prefix(path);
    if kept.is_empty() {
        exchange_at(ex, &path)
    } else {
        exchange_at(ex, &format!("{path}?{}", kept.join("&")))
    }
}

/// [`exchange_brief`] with every long path segment with digits (a uid) cut to its first 8 characters, for
/// a status bar where a notice (a person's name, say) leaves less room than a whole uid takes.
pub fn exchange_tight(ex: &Exchange) -> String {
    let path = ex.path.split_once('?').map_or(&*ex.path, |(p, _)| p);
    let cut: Vec<String> = path
        .split('/')
        .map(|part| {
            if part.chars().count() > 12 && part.chars().any(|c| c.is_ascii_digit()) {
                format!("{}…", part.chars().take(8).collect::<String>())
            } else {
                part.to_string()
            }
        })
        .collect();
    let brief = Exchange {
        path: cut.join("/"),
        ..ex.clone()
    };
    exchange_brief(&brief)
}

/// The shortest form, for a status bar too narrow for [`exchange_short`] and the error after
/// it: the method, the path without its query, and what came back.
pub fn exchange_brief(ex: &Exchange) -> String {
    let path = ex.path.split_once('?').map_or(&*ex.path, |(p, _)| p);
    let answer = match ex.status {
        Some(code) => format!("{code} {}", reason(code)),
        None => "no answer".to_string(),
    };
    format!(
        "{} {} → {}{}",
        ex.method,
        fold_api_prefix(path),
        answer.trim_end(),
        tries(ex)
    )
}

fn exchange_at(ex: &Exchange, path: &str) -> String {
    let ms = ex.elapsed.as_millis();
    let answer = match ex.status {
        Some(code) => format!("{code} {} in {ms} ms", reason(code)),
        None => format!("no answer after {ms} ms"),
    };
    format!("{} {path} → {answer}{}", ex.method, tries(ex))
}

/// `OK`, `Not Found`; empty for a code HTTP gives no name.
fn reason(code: u16) -> &'static str {
    StatusCode::from_u16(code)
        .ok()
        .and_then(|s| s.canonical_reason())
        .unwrap_or("")
}

fn tries(ex: &Exchange) -> String {
    if ex.attempts > 1 {
        format!(" after {} tries", ex.attempts)
    } else {
        String::new()
    }
}

/// Every path starts with the API's prefix; `…` says so in less room.
fn fold_api_prefix(path: &str) -> String {
    path.strip_prefix("/v3/communication")
        .map_or(path.to_string(), |p| format!("…{p}"))
}

/// Display width without another dependency: ratatui already measures with unicode-width.
mod unicode_width_shim {
    pub fn width(s: &str) -> usize {
        ratatui::text::Span::raw(s).width()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn wrap_breaks_between_words_and_long_words_where_the_line_ends() {
        assert_eq!(
            wrap("mark selected calls handled", 13),
            ["mark selected", "calls handled"].map(String::from)
        );
        assert_eq!(
            wrap("GET /v3/abcdefghij", 8),
            ["GET /v3/", "abcdefgh", "ij"].map(String::from)
        );
        assert_eq!(wrap("", 5), [String::new()]);
        assert_eq!(wrap("fits", 10), ["fits".to_string()]);
    }

    #[test]
    fn times_read_naturally() {
        let tz = &Zone::utc();
        let now = Utc
            .with_ymd_and_hms(2026, 11, 24, 15, 0, 0)
            .single()
            .expect("now");
        let at = |h, m| Utc.with_ymd_and_hms(2026, 11, 24, h, m, 0).single();
        assert_eq!(list_time(at(14, 59), now, tz), "1m ago");
        assert_eq!(list_time(at(12, 47), now, tz), "2h13m ago");
        assert_eq!(list_time(at(15, 0), now, tz), "just now");
        let earlier = Utc.with_ymd_and_hms(2026, 11, 21, 9, 5, 0).single();
        assert_eq!(list_time(earlier, now, tz), "Nov 21 09:05");
        let last_year = Utc.with_ymd_and_hms(2025, 11, 21, 9, 5, 0).single();
        assert_eq!(list_time(last_year, now, tz), "2025-11-21");
        assert_eq!(list_time(None, now, tz), "—");
        // A call at 23:30 UTC on the 23rd is "today" for someone at UTC+2.
        let tz2 = &Zone::named("Africa/Johannesburg").expect("UTC+2");
        let late = Utc.with_ymd_and_hms(2026, 11, 23, 23, 30, 0).single();
        assert_eq!(list_time(late, now, tz2), "15h30m ago");
        // A July call keeps July's offset in November: 16:00 UTC was noon in New York.
        let ny = &Zone::named("America/New_York").expect("known");
        let july = Utc.with_ymd_and_hms(2026, 7, 15, 16, 0, 0).single();
        assert_eq!(list_time(july, now, ny), "Jul 15 12:00");
        let raw = Some("2026-07-15T16:00:00Z");
        assert!(full_time(raw, now, ny).starts_with("2026-07-15 12:00:00 -04:00"));
    }

    #[test]
    fn dialogs_say_times_in_words() {
        let tz = &Zone::utc();
        let now = Utc
            .with_ymd_and_hms(2026, 11, 30, 20, 0, 0)
            .single()
            .expect("now");
        let said = |raw: &str| spoken_time(raw, now, tz);
        assert_eq!(said("2026-11-30T19:39:35.921179685+00:00"), "today 19:39");
        assert_eq!(
            said("2026-11-30T20:00:30+00:00"),
            "today 20:00",
            "a clock ahead"
        );
        assert_eq!(said("2026-11-29T08:05:00+00:00"), "yesterday 08:05");
        assert_eq!(said("2026-11-28T14:02:00+00:00"), "Nov 28 14:02");
        assert_eq!(said("2025-11-28T14:02:00+00:00"), "2025-11-28");
        assert_eq!(said("soon"), "soon");
        // Days are the user's: 23:30 UTC on the 29th is today at UTC+2.
        let tz2 = &Zone::named("Africa/Johannesburg").expect("UTC+2");
        assert_eq!(
            spoken_time("2026-11-29T23:30:00+00:00", now, tz2),
            "today 01:30"
        );
    }

    #[test]
    fn durations_and_fitting() {
        assert_eq!(duration(Some(125)), "2:05");
        assert_eq!(duration(Some(0)), "0:00");
        assert_eq!(duration(Some(3725)), "1:02:05");
        assert_eq!(duration(Some(-5)), "invalid");
        assert_eq!(duration(Some(86_400)), "24:00:00");
        assert_eq!(duration(Some(86_401)), "invalid");
        assert_eq!(duration(Some(i64::MAX)), "invalid");
        assert_eq!(duration(None), "—");
        assert_eq!(fit("hello world", 8), "hello w…");
        assert_eq!(fit("short", 8), "short");
        assert_eq!(fit("東京東京東京", 7), "東京東…");
    }

    #[test]
    fn exchanges_read_like_the_status_bar() {
        use std::time::Duration;
        let ex = Exchange {
            method: reqwest::Method::PUT,
            path: "/v3/communication/voice_calls/9f1c".into(),
            status: Some(200),
            elapsed: Duration::from_millis(143),
            attempts: 1,
        };
        assert_eq!(
            exchange(&ex),
            "PUT /v3/communication/voice_calls/9f1c → 200 OK in 143 ms"
        );
        assert_eq!(
            exchange_short(&ex),
            "PUT …/voice_calls/9f1c → 200 OK in 143 ms"
        );
        let list = Exchange {
            method: reqwest::Method::GET,
            path: "/v3/communication/voice_calls?page=2&per_page=50&sort=created_at:desc&filter[status]=MISSED".into(),
            status: None,
            elapsed: Duration::from_millis(5012),
            attempts: 3,
        };
        assert_eq!(
            exchange_short(&list),
            "GET …/voice_calls?page=2&filter[status]=MISSED → no answer after 5012 ms after 3 tries"
        );
        assert_eq!(
            exchange_brief(&list),
            "GET …/voice_calls → no answer after 3 tries"
        );
        assert_eq!(exchange_brief(&ex), "PUT …/voice_calls/9f1c → 200 OK");
        let odd = Exchange {
            status: Some(599),
            ..ex
        };
        assert_eq!(exchange_brief(&odd), "PUT …/voice_calls/9f1c → 599");
        let long = Exchange {
            path: "/v3/communication/voice_calls/fbeff6c0-14ed-45cd-8ed0-67264e19dde2".into(),
            ..odd
        };
        assert_eq!(exchange_tight(&long), "PUT …/voice_calls/fbeff6c0… → 599");
    }
}
