//! What a desktop notification says when a refresh brings new missed calls or voicemails
//! (`notify = true`): how many, and who, short enough for a notification ("2 new missed
//! calls: Emily Carter, +14155550148"). The runtime writes it (OSC 9 / 777).

use crate::api::CallFields;
use crate::api::model::StatusKind;
use crate::console::msg::Effect;
use crate::domain::people::People;
use crate::domain::sanitize::{clean, single_line};

/// The title every notification carries (OSC 777 shows it; OSC 9 has none).
pub const TITLE: &str = "callconsole";

/// The most callers named; the rest are counted ("and 3 more").
const NAMES: usize = 2;

/// The notification for the calls a refresh added, when any is a missed call or a voicemail.
pub fn arrivals<C: CallFields>(added: &[&C], people: &People) -> Option<Effect> {
    let kind = |c: &&C| c.status_kind();
    let new: Vec<&C> = added
        .iter()
        .filter(|c| matches!(kind(c), Some(StatusKind::Missed | StatusKind::Voicemail)))
        .copied()
        .collect();
    if new.is_empty() {
        return None;
    }
    let voicemails = new
        .iter()
        .filter(|c| kind(c) == Some(StatusKind::Voicemail))
        .count();
    let n = new.len();
    let what = match (voicemails, n) {
        (0, 1) => "new missed call".to_string(),
        (0, _) => "new missed calls".to_string(),
        (1, 1) => "new voicemail".to_string(),
        (v, _) if v == n => "new voicemails".to_string(),
        _ => "new missed calls and voicemails".to_string(),
    };
    let mut names: Vec<String> = Vec::new();
    for call in &new {
        let name = single_line(&clean(
            people.client_label(call).unwrap_or("unknown caller"),
        ))
        .trim()
        .to_string();
        if !name.is_empty() && !names.contains(&name) {
            names.push(name);
        }
    }
    let more = names.len().saturating_sub(NAMES);
    names.truncate(NAMES);
    let mut who = names.join(", ");
    if more > 0 {
        who.push_str(&format!(" and {more} more"));
    }
    Some(Effect::Notify {
        title: TITLE.to_string(),
        body: format!("{n} {what}: {who}"),
    })
}
