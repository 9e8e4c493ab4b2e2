//! Deterministic demo data: turns the demo ingredients into any number of realistic calls
//! relative to "now", and rebuilds a call's transcript from the call itself.

use chrono::{DateTime, TimeDelta, Utc};

use super::ingredients::{
    Ingredients, Template, Templates, fill, hash_str, ingredients, mix, pick_by,
};
use super::store::{Call, Recording, RecordingType, TranscriptStatus, to_millis};

/// The fixed PRNG seed: the same `n` and `now` always give the same calls.
const SEED: u64 = 0x00C0_FFEE_CA11_5EED;

/// The demo set's size when nothing else is asked for.
pub const DEFAULT_COUNT: usize = 320;

/// splitmix64: tiny, fast and good enough to make demo data look random, with no dependency.
struct Rng(u64);

impl Rng {
    fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        mix(self.0)
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next_u64() % n.max(1)
    }

    fn range(&mut self, lo: u64, hi: u64) -> u64 {
        lo + self.below(hi - lo + 1)
    }

    fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }

    fn chance(&mut self, p: f64) -> bool {
        self.unit() < p
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len() as u64) as usize]
    }

    fn uuid(&mut self) -> String {
        let a = self.next_u64();
        let b = self.next_u64();
        format!(
            "{:08x}-{:04x}-4{:03x}-{:04x}-{:012x}",
            a >> 32,
            (a >> 16) & 0xffff,
            a & 0xfff,
            ((b >> 48) & 0x3fff) | 0x8000,
            b & 0xffff_ffff_ffff
        )
    }
}

/// What kind of call a generated (or stored) call is; decides its template list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Incoming,
    AnsweredIn,
    AnsweredOut,
    MissedOut,
    Provider,
    Missed { handled: bool },
    Voicemail { handled: bool, alt: bool },
}

impl Kind {
    fn templates(self, t: &Templates) -> &[Template] {
        match self {
            Kind::Incoming => &t.incoming,
            Kind::AnsweredIn => &t.answered_inbound,
            Kind::AnsweredOut => &t.answered_outbound,
            Kind::MissedOut => &t.missed_outbound,
            Kind::Provider => &t.provider,
            Kind::Missed { .. } => &t.missed,
            Kind::Voicemail { .. } => &t.voicemail,
        }
    }

    /// The kind a stored call's transcript follows, whatever edits did to its other fields.
    fn of(call: &Call) -> Self {
        let voicemail = call
            .recording
            .as_ref()
            .is_some_and(|r| r.recording_type == RecordingType::Voicemail);
        if voicemail {
            Kind::Voicemail {
                handled: false,
                alt: false,
            }
        } else if call.status == "ANSWERED_BY_CALLS_PROVIDER" {
            Kind::Provider
        } else if call.direction == "OUTBOUND" {
            Kind::AnsweredOut
        } else {
            Kind::AnsweredIn
        }
    }
}

/// How long ago a call happened, weighted toward the recent past: about a fifth of the calls
/// fall in the last day and a few percent in the last hour.
fn random_age_secs(rng: &mut Rng) -> i64 {
    const THIRTY_DAYS: f64 = 30.0 * 86_400.0;
    (THIRTY_DAYS * rng.unit().powf(2.2)) as i64 + 60
}

/// The first calls are fixed archetypes, so even a small set shows every status.
fn forced(i: usize) -> Option<(Kind, i64, i64)> {
    let m = 60;
    Some(match i {
        0 => (Kind::Incoming, 20, 150),
        1 => (Kind::Missed { handled: false }, 4 * m, 20 * m),
        2 => (
            Kind::Voicemail {
                handled: false,
                alt: false,
            },
            6 * m,
            30 * m,
        ),
        3 => (Kind::AnsweredIn, 3 * m, 40 * m),
        4 => (
            Kind::Voicemail {
                handled: false,
                alt: true,
            },
            10 * m,
            55 * m,
        ),
        5 => (Kind::AnsweredOut, 2 * m, 58 * m),
        6 => (Kind::Provider, 2 * 3600, 8 * 3600),
        7 => (Kind::Missed { handled: true }, 3 * 3600, 20 * 3600),
        8 => (
            Kind::Voicemail {
                handled: true,
                alt: false,
            },
            5 * 3600,
            30 * 3600,
        ),
        9 => (Kind::MissedOut, 4 * 3600, 26 * 3600),
        10 => (
            Kind::Voicemail {
                handled: false,
                alt: true,
            },
            2 * 86_400,
            9 * 86_400,
        ),
        _ => return None,
    })
}

fn random_kind(rng: &mut Rng, age: i64) -> Kind {
    if age < 240 && rng.chance(0.5) {
        return Kind::Incoming;
    }
    if rng.chance(0.25) {
        return if rng.chance(0.8) {
            Kind::AnsweredOut
        } else {
            Kind::MissedOut
        };
    }
    // Older follow-ups are more likely to have been handled already, as in a real office.
    let p_handled = match age {
        a if a > 2 * 86_400 => 0.85,
        a if a > 3 * 3600 => 0.5,
        _ => 0.15,
    };
    let roll = rng.unit();
    if roll < 0.42 {
        Kind::AnsweredIn
    } else if roll < 0.54 {
        Kind::Provider
    } else if roll < 0.78 {
        Kind::Missed {
            handled: rng.chance(p_handled),
        }
    } else {
        let handled = rng.chance(p_handled);
        Kind::Voicemail {
            handled,
            alt: !handled && rng.chance(0.15),
        }
    }
}

/// A person's uid and name.
pub type Named = (String, String);

/// The demo people as the calls name them: the clients and the staff, each by uid and name,
/// for tests and benchmarks that want the names without a server.
pub fn people() -> Result<(Vec<Named>, Vec<Named>), String> {
    let ing = ingredients()?;
    let named = |people: &[super::ingredients::Person]| {
        people
            .iter()
            .map(|p| (p.uid.clone(), p.name.clone()))
            .collect()
    };
    Ok((named(&ing.clients), named(&ing.staff)))
}

/// Generates `n` calls ending at `now`, newest first. Same `n` and `now`, same calls.
pub fn generate(n: usize, now: DateTime<Utc>) -> Result<Vec<Call>, String> {
    let ing = ingredients()?;
    let now = to_millis(now);
    let mut rng = Rng(SEED);
    let mut calls = Vec::with_capacity(n);
    for i in 0..n {
        let (kind, age_ms) = match forced(i) {
            Some((kind, lo, hi)) => (kind, rng.range(lo as u64 * 1000, hi as u64 * 1000) as i64),
            None => {
                let age = random_age_secs(&mut rng);
                (
                    random_kind(&mut rng, age),
                    age * 1000 + rng.below(1000) as i64,
                )
            }
        };
        calls.push(make_call(&mut rng, ing, kind, now, age_ms));
    }
    calls.sort_by_key(|c| std::cmp::Reverse(c.created_at));
    Ok(calls)
}

fn make_call(
    rng: &mut Rng,
    ing: &Ingredients,
    kind: Kind,
    now: DateTime<Utc>,
    age_ms: i64,
) -> Call {
    let created_at = now - TimeDelta::milliseconds(age_ms);
    let uid = rng.uuid();
    let client = rng.pick(&ing.clients);
    let staff = rng.pick(&ing.staff);
    let line = rng.pick(&ing.business_lines);
    let app = rng.pick(&ing.external_apps);
    let outbound = matches!(kind, Kind::AnsweredOut | Kind::MissedOut);
    let client_phone = client.phone.clone().unwrap_or_default();
    let (from_number, to_number) = if outbound {
        (line.clone(), client_phone)
    } else {
        (client_phone, line.clone())
    };
    let (status, duration) = match kind {
        Kind::Incoming => ("INCOMING_CALL", 0),
        Kind::AnsweredIn | Kind::AnsweredOut => (
            "ANSWERED_BY_STAFF",
            if rng.chance(0.8) {
                rng.range(30, 300)
            } else {
                rng.range(5, 600)
            },
        ),
        Kind::Provider => ("ANSWERED_BY_CALLS_PROVIDER", rng.range(20, 180)),
        Kind::MissedOut | Kind::Missed { handled: false } => ("MISSED", 0),
        Kind::Voicemail {
            handled: false,
            alt,
        } => (
            if alt {
                "VOICEMAIL"
            } else {
                "VOICEMAIL_RECEIVED"
            },
            rng.range(8, 90),
        ),
        Kind::Missed { handled: true } => ("MISSED_CALL_HANDLED", 0),
        Kind::Voicemail { handled: true, .. } => ("MISSED_CALL_HANDLED", rng.range(8, 90)),
    };
    let recording_type = match kind {
        Kind::Voicemail { .. } => Some(RecordingType::Voicemail),
        Kind::AnsweredIn | Kind::AnsweredOut if rng.chance(0.85) => Some(RecordingType::Call),
        Kind::Provider if rng.chance(0.5) => Some(RecordingType::Call),
        _ => None,
    };
    let handled = matches!(
        kind,
        Kind::Missed { handled: true } | Kind::Voicemail { handled: true, .. }
    );
    let age_secs = age_ms / 1000;
    let handled_at = handled.then(|| {
        // Someone calls back within minutes to a couple of days, never in the future.
        let latest = (age_secs - 1).clamp(1, 2 * 86_400) as u64;
        let delay = rng.range(latest.min(300) / 2, latest) as i64;
        (created_at + TimeDelta::seconds(delay)).min(now)
    });
    let handler = handled.then(|| rng.pick(&ing.staff).uid.clone());
    let recording = recording_type.map(|recording_type| {
        let rec_uid = format!("rec-{:012x}", rng.next_u64() & 0xffff_ffff_ffff);
        Recording {
            recording_url: format!(
                "https://media.callconsole.example/recordings/{rec_uid}.mp3?expires=3600&sig={:016x}",
                rng.next_u64()
            ),
            uid: rec_uid,
            size: duration * 16_000 + rng.below(4_000),
            duration,
            recording_played: handled || (recording_type == RecordingType::Call && rng.chance(0.4)),
            recording_type,
        }
    });
    let transcript_status = recording.as_ref().map(|_| {
        if age_secs < 1800 && rng.chance(0.6) {
            TranscriptStatus::InProgress
        } else if rng.chance(0.05) {
            TranscriptStatus::Failed
        } else {
            TranscriptStatus::Done
        }
    });
    let source_id = format!("call-src-{:010}", rng.below(10_000_000_000));
    let external_uuid = format!("CON-{}", rng.uuid());
    let updated_at = handled_at
        .unwrap_or(created_at + TimeDelta::seconds(duration as i64 + rng.range(1, 40) as i64))
        .min(now)
        .max(created_at);
    let mut call = Call {
        external_app_url: format!("{}{uid}", app.url),
        uid,
        created_at,
        updated_at,
        duration,
        status: status.to_string(),
        direction: if outbound { "OUTBOUND" } else { "INBOUND" }.to_string(),
        staff_uid: staff.uid.clone(),
        client_uid: client.uid.clone(),
        from_number,
        to_number,
        call_summary: String::new(),
        recording,
        external_app_name: app.name.clone(),
        source_id,
        external_uuid,
        handled_by_staff_uid: handler,
        handled_at,
        deleted_at: None,
        transcript_status,
        rate: None,
        price: None,
        provider: None,
        recording_id: None,
    };
    let template = pick_by(kind.templates(&ing.templates), hash_str(&call.uid, 1));
    let mut summary = fill(&template.summary, &call, None, ing);
    if handled {
        let followup = pick_by(&ing.followups, hash_str(&call.uid, 2));
        summary.push(' ');
        summary.push_str(&fill(
            followup,
            &call,
            call.handled_by_staff_uid.as_deref(),
            ing,
        ));
    }
    call.call_summary = summary;
    call
}

/// One transcript line as the API answers it.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Line {
    pub timestamp: f64,
    pub speaker_role: String,
    pub text: String,
}

/// A stable transcript id for a call, shaped like the vendor's.
pub fn transcript_uid(call: &Call) -> String {
    Rng(hash_str(&call.uid, 3)).uuid()
}

/// The transcript of a call, rebuilt from the call: the template its summary came from (chosen
/// by uid), with a greeting in front, spread over the call's duration.
pub fn transcript(call: &Call) -> Result<Vec<Line>, String> {
    let ing = ingredients()?;
    let kind = Kind::of(call);
    let template = pick_by(kind.templates(&ing.templates), hash_str(&call.uid, 1));
    let greeting = match kind {
        Kind::Voicemail { .. } => None,
        Kind::Provider => None,
        Kind::AnsweredOut => None,
        _ => Some((
            "staff",
            "Thank you for calling {business}, this is {staff_first}. How can I help?",
        )),
    };
    let mut lines: Vec<(String, String)> = greeting
        .map(|(r, t)| (r.to_string(), t.to_string()))
        .into_iter()
        .collect();
    lines.extend(template.lines.iter().cloned());
    if lines.is_empty() {
        lines.push((
            "client".to_string(),
            fill(&template.summary, call, None, ing),
        ));
    }
    let span = call.duration.max(lines.len() as u64 * 3) as f64;
    let step = span / lines.len() as f64;
    let mut rng = Rng(hash_str(&call.uid, 4));
    Ok(lines
        .iter()
        .enumerate()
        .map(|(i, (role, text))| {
            let jitter = if i == 0 { 0.0 } else { rng.unit() * step * 0.3 };
            Line {
                timestamp: ((i as f64 * step + jitter) * 10.0).round() / 10.0,
                speaker_role: role.clone(),
                text: fill(text, call, None, ing),
            }
        })
        .collect())
}

#[cfg(test)]
#[path = "seed_tests.rs"]
mod tests;
