//! The demo ingredients embedded from `assets/demo/seed.json` (people, numbers, summary and
//! transcript templates) and the placeholder filling shared by the generator and transcripts.

use std::sync::LazyLock;

use serde::Deserialize;

use super::store::Call;

const SEED_JSON: &str = include_str!("../../assets/demo/seed.json");

#[derive(Debug, Deserialize)]
pub struct Person {
    pub uid: String,
    pub name: String,
    #[serde(default)]
    pub phone: Option<String>,
    /// A client's `customer_status` (default `customer`).
    #[serde(default)]
    pub status: Option<String>,
    #[serde(default)]
    pub tags: Vec<String>,
    /// A staff member's `role` (default `user`) and `professional_title`.
    #[serde(default)]
    pub role: Option<String>,
    #[serde(default)]
    pub title: Option<String>,
    #[serde(default = "yes")]
    pub active: bool,
    #[serde(default)]
    pub deleted: bool,
}

fn yes() -> bool {
    true
}

#[derive(Debug, Deserialize)]
pub struct App {
    pub name: String,
    pub url: String,
}

#[derive(Debug, Deserialize)]
pub struct Template {
    pub summary: String,
    #[serde(default)]
    pub lines: Vec<(String, String)>,
}

#[derive(Debug, Deserialize)]
pub struct Templates {
    pub answered_inbound: Vec<Template>,
    pub answered_outbound: Vec<Template>,
    pub provider: Vec<Template>,
    pub voicemail: Vec<Template>,
    pub missed: Vec<Template>,
    pub missed_outbound: Vec<Template>,
    pub incoming: Vec<Template>,
}

#[derive(Debug, Deserialize)]
pub struct Ingredients {
    pub business: String,
    /// The business's uid and time zone, as its people endpoints answer them.
    pub business_uid: String,
    pub time_zone: String,
    /// The staff member (uid) the demo token belongs to.
    pub signed_in: String,
    pub business_lines: Vec<String>,
    pub external_apps: Vec<App>,
    pub days: Vec<String>,
    pub times: Vec<String>,
    pub amounts: Vec<String>,
    pub staff: Vec<Person>,
    pub clients: Vec<Person>,
    pub templates: Templates,
    pub followups: Vec<String>,
}

static INGREDIENTS: LazyLock<Result<Ingredients, String>> = LazyLock::new(|| {
    let ing: Ingredients = serde_json::from_str(SEED_JSON).map_err(|e| e.to_string())?;
    let t = &ing.templates;
    let lists = [
        ing.business_lines.len(),
        ing.external_apps.len(),
        ing.days.len(),
        ing.times.len(),
        ing.amounts.len(),
        ing.staff.len(),
        ing.clients.len(),
        ing.followups.len(),
        t.answered_inbound.len(),
        t.answered_outbound.len(),
        t.provider.len(),
        t.voicemail.len(),
        t.missed.len(),
        t.missed_outbound.len(),
        t.incoming.len(),
    ];
    if lists.contains(&0) || ing.clients.iter().any(|c| c.phone.is_none()) {
        return Err("a list is empty or a client has no phone".to_string());
    }
    if !ing.staff.iter().any(|s| s.uid == ing.signed_in) {
        return Err(format!(
            "\"signed_in\" names no staff member: {}",
            ing.signed_in
        ));
    }
    Ok(ing)
});

/// The parsed ingredients; an error means the embedded asset itself is broken.
pub fn ingredients() -> Result<&'static Ingredients, String> {
    INGREDIENTS
        .as_ref()
        .map_err(|e| format!("the embedded assets/demo/seed.json is invalid: {e}"))
}

pub fn mix(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// A stable hash of a string, so choices derived from a call's uid (its template, its
/// placeholder values) can be recomputed later when the transcript is asked for.
pub fn hash_str(s: &str, salt: u64) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325 ^ salt;
    for b in s.bytes() {
        h = (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3);
    }
    mix(h)
}

/// Picks an item by a precomputed key (a hash), not by drawing from the PRNG.
pub fn pick_by<T>(items: &[T], key: u64) -> &T {
    &items[(key % items.len().max(1) as u64) as usize]
}

/// Fills `{client}`, `{staff_first}` and friends; unknown placeholders stay as written.
pub fn fill(text: &str, call: &Call, handler: Option<&str>, ing: &Ingredients) -> String {
    let key = hash_str(&call.uid, 7);
    let client = ing.clients.iter().find(|p| p.uid == call.client_uid);
    let staff = ing.staff.iter().find(|p| p.uid == call.staff_uid);
    let handler = handler.and_then(|h| ing.staff.iter().find(|p| p.uid == h));
    let first = |p: Option<&Person>, none: &'static str| -> String {
        p.and_then(|p| p.name.split_whitespace().next())
            .map_or_else(|| none.to_string(), str::to_string)
    };
    let mut out = String::with_capacity(text.len() + 32);
    let mut rest = text;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let Some(close) = rest[open..].find('}') else {
            out.push_str(&rest[open..]);
            rest = "";
            break;
        };
        let name = &rest[open + 1..open + close];
        let value = match name {
            "client" => client.map_or_else(|| "a caller".to_string(), |p| p.name.clone()),
            "client_first" => first(client, "there"),
            "staff" => staff.map_or_else(|| "a team member".to_string(), |p| p.name.clone()),
            "staff_first" => first(staff, "the team"),
            "handler_first" => first(handler, "the team"),
            "business" => ing.business.clone(),
            "day" => pick_by(&ing.days, key).clone(),
            "time" => pick_by(&ing.times, key >> 8).clone(),
            "amount" => pick_by(&ing.amounts, key >> 16).clone(),
            _ => rest[open..=open + close].to_string(),
        };
        out.push_str(&value);
        rest = &rest[open + close + 1..];
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::rules;

    #[test]
    fn ingredients_parse() {
        let ing = ingredients().unwrap();
        assert!(ing.staff.len() >= 10 && ing.clients.len() >= 50);
        for c in &ing.clients {
            assert!(rules::is_e164(c.phone.as_deref().unwrap()), "{}", c.name);
        }
        for p in ing.staff.iter().chain(&ing.clients) {
            rules::check_uid("uid", &p.uid).unwrap();
        }
    }

    #[test]
    fn fill_replaces_known_placeholders_only() {
        let ing = ingredients().unwrap();
        let mut call: Call = serde_json::from_value(serde_json::json!({
            "uid": "u1", "created_at": "2026-03-02T10:00:00.000Z",
            "updated_at": "2026-03-02T10:00:00.000Z", "duration": 0, "status": "MISSED",
            "direction": "INBOUND", "staff_uid": ing.staff[0].uid, "client_uid": ing.clients[0].uid,
            "from_number": "+14155550100", "to_number": "+14155550101", "call_summary": "x",
            "recording": null, "external_app_url": "https://a.example/", "external_app_name": "my.pa",
            "source_id": "s", "external_uuid": "e", "handled_by_staff_uid": null,
            "handled_at": null, "deleted_at": null, "transcript_status": null
        }))
        .unwrap();
        let text = fill(
            "{client} / {staff_first} / {nope} / {business} / open {",
            &call,
            None,
            ing,
        );
        let staff_first = ing.staff[0].name.split(' ').next().unwrap();
        assert_eq!(
            text,
            format!(
                "{} / {staff_first} / {{nope}} / {} / open {{",
                ing.clients[0].name, ing.business
            )
        );
        call.client_uid = "someone-else".into();
        assert_eq!(fill("Hi {client_first}", &call, None, ing), "Hi there");
    }
}
