//! The people behind the calls' uids, as the vendor's legacy endpoints answer them: the demo
//! business, its staff roster and its clients, built from `assets/demo/seed.json` (the same
//! names the seeded summaries are filled with) and kept as JSON objects, so a test can put in
//! any record a real server might send (a name with control characters, a missing field).

use std::collections::HashMap;

use chrono::{DateTime, TimeDelta, Utc};
use serde_json::{Map, Value, json};

use super::ingredients::{Ingredients, Person, hash_str};

/// Every record a client, staff or business answer is made of.
pub type Record = Map<String, Value>;

/// The demo business and its people. Records are answered as they are stored.
#[derive(Debug, Clone)]
pub struct People {
    pub business_uid: String,
    /// `data.business` of `GET /platform/v1/businesses/{uid}`.
    pub business: Record,
    /// In roster order (the vendor orders by position).
    pub staff: Vec<Record>,
    /// In the order they were added; `client_at` finds one by id.
    pub clients: Vec<Record>,
    client_at: HashMap<String, usize>,
    /// What `GET /oauth/userinfo` answers for the server's token.
    pub userinfo: Record,
}

impl People {
    /// The demo people from the ingredients.
    pub fn demo(ing: &Ingredients) -> Self {
        let staff: Vec<Record> = ing.staff.iter().map(staff_record).collect();
        let signed_in = ing.staff.iter().find(|s| s.uid == ing.signed_in);
        let mut people = Self {
            business_uid: ing.business_uid.clone(),
            business: business_record(ing, signed_in),
            staff,
            clients: Vec::new(),
            client_at: HashMap::new(),
            userinfo: userinfo_record(ing, signed_in),
        };
        for c in &ing.clients {
            people.put_client(client_record(c, &ing.business_uid));
        }
        people
    }

    pub fn client(&self, id: &str) -> Option<&Record> {
        self.client_at.get(id).map(|&i| &self.clients[i])
    }

    pub fn staff_member(&self, id: &str) -> Option<&Record> {
        self.staff.iter().find(|s| text(s, "id") == Some(id))
    }

    /// Adds a client, or replaces the one with the same `id`.
    pub fn put_client(&mut self, record: Record) {
        let id = text(&record, "id").unwrap_or_default().to_string();
        match self.client_at.get(&id) {
            Some(&i) => self.clients[i] = record,
            None => {
                self.client_at.insert(id, self.clients.len());
                self.clients.push(record);
            }
        }
    }

    /// Adds a staff member at the end of the roster, or replaces the one with the same `id`.
    pub fn put_staff(&mut self, record: Record) {
        let id = text(&record, "id").map(str::to_string);
        match self
            .staff
            .iter_mut()
            .find(|s| id.is_some() && text(s, "id") == id.as_deref())
        {
            Some(slot) => *slot = record,
            None => self.staff.push(record),
        }
    }
}

/// A member's text, if it is a string.
pub fn text<'a>(record: &'a Record, key: &str) -> Option<&'a str> {
    record.get(key).and_then(Value::as_str)
}

/// A member that means yes or no, as the roster spells it (`"true"`) or as JSON does.
pub fn flag(record: &Record, key: &str) -> Option<bool> {
    match record.get(key)? {
        Value::Bool(b) => Some(*b),
        Value::String(s) => match s.as_str() {
            "true" | "1" => Some(true),
            "false" | "0" => Some(false),
            _ => None,
        },
        _ => None,
    }
}

/// `Grace O'Neill` → (`Grace`, `O'Neill`); `Harper Lee Mitchell` → (`Harper`, `Lee Mitchell`):
/// the first word is what the summaries call `{client_first}`.
fn split_name(name: &str) -> (&str, &str) {
    let name = name.trim();
    match name.split_once(char::is_whitespace) {
        Some((first, last)) => (first, last.trim()),
        None => (name, ""),
    }
}

/// `first.last@example.com`, in plain ASCII: `Chloé Gagnon` → `chloe.gagnon@example.com`.
fn email(name: &str) -> String {
    let fold = |c: char| -> Option<char> {
        let c = c.to_lowercase().next().unwrap_or(c);
        Some(match c {
            'à' | 'á' | 'â' | 'ä' | 'ã' | 'å' => 'a',
            'è' | 'é' | 'ê' | 'ë' => 'e',
            'ì' | 'í' | 'î' | 'ï' => 'i',
            'ò' | 'ó' | 'ô' | 'ö' | 'õ' => 'o',
            'ù' | 'ú' | 'û' | 'ü' => 'u',
            'ç' => 'c',
            'ñ' => 'n',
            ' ' => '.',
            '-' => '-',
            c if c.is_ascii_alphanumeric() => c,
            _ => return None,
        })
    };
    let local: String = name.trim().chars().filter_map(fold).collect();
    format!("{local}@example.com")
}

/// A fixed moment in 2025 picked by `uid`, so the records read the same on every start.
fn moment(uid: &str, salt: u64) -> DateTime<Utc> {
    let base = DateTime::parse_from_rfc3339("2025-01-06T09:00:00Z")
        .map(|t| t.with_timezone(&Utc))
        .unwrap_or_default();
    let minutes = hash_str(uid, salt) % (300 * 24 * 60);
    base + TimeDelta::minutes(minutes as i64)
}

fn stamp(t: DateTime<Utc>) -> String {
    t.format("%Y-%m-%dT%H:%M:%SZ").to_string()
}

fn object(value: Value) -> Record {
    match value {
        Value::Object(map) => map,
        _ => Record::new(),
    }
}

fn client_record(p: &Person, business_uid: &str) -> Record {
    let (first, last) = split_name(&p.name);
    let created = moment(&p.uid, 11);
    let updated = created + TimeDelta::days((hash_str(&p.uid, 12) % 90) as i64);
    object(json!({
        "id": p.uid,
        "business_uid": business_uid,
        "first_name": first,
        "last_name": last,
        "email": email(&p.name),
        "mobile_phone": p.phone,
        "normalized_phone": p.phone,
        "customer_status": p.status.as_deref().unwrap_or("customer"),
        "tags": p.tags,
        "source": "Phone call",
        "opt_in": "1",
        "matter_term": "clients",
        "matters": [{"display_name": p.name, "fields": [], "uid": format!("m-{}", &p.uid[..8])}],
        "created_at": stamp(created),
        "updated_at": stamp(updated),
    }))
}

fn staff_record(p: &Person) -> Record {
    let (first, last) = split_name(&p.name);
    let role = p.role.as_deref().unwrap_or("user");
    let role_name = if role == "admin" { "Admin" } else { "User" };
    object(json!({
        "id": p.uid,
        "display_name": p.name,
        "first_name": first,
        "last_name": last,
        "email": email(&p.name),
        "role": role,
        "business_role_display_name": role_name,
        "professional_title": p.title,
        "active": p.active.to_string(),
        "deleted": p.deleted.to_string(),
        "blocked_at": null,
        "invite_sent": stamp(moment(&p.uid, 13)),
        "mobile_number": null,
        "photo": null,
        "photo_path": "",
    }))
}

fn business_record(ing: &Ingredients, owner: Option<&Person>) -> Record {
    let admin = owner.map(|p| {
        let (first, last) = split_name(&p.name);
        json!({
            "display_name": p.name,
            "first_name": first,
            "last_name": last,
            "email": email(&p.name),
            "staff_uid": p.uid,
            "country_name": "United States",
            "language": "en",
        })
    });
    object(json!({
        "admin_account": admin,
        "business": {
            "id": ing.business_uid,
            "name": ing.business,
            "time_zone": ing.time_zone,
            "country_name": "United States",
            "business_category": "health_wellness",
            "phone": ing.business_lines.first(),
            "created_at": "2023-12-06T10:51:44.000Z",
            "updated_at": "2026-01-29T08:54:32.000Z",
            "disable_analytics": false,
            "hide_address": false,
            "scheduling_disabled": false,
        },
    }))
}

fn userinfo_record(ing: &Ingredients, me: Option<&Person>) -> Record {
    object(json!({
        "sub": me.map(|p| p.uid.as_str()),
        "business_id": ing.business_uid,
        "business_uid": ing.business_uid,
        "business_name": ing.business,
        "email": me.map(|p| email(&p.name)),
        "role": me.and_then(|p| p.role.as_deref()).unwrap_or("user"),
        "type": "staff",
    }))
}

/// Whether `term` (a number as a person types it: `415 555 0148`, `(415) 555-0148`,
/// `+1 415-555-0148`, `0020 7946 0175`) is the number `stored`: the same digits, once a
/// trunk or international prefix (leading zeros) is dropped, at the end of the stored ones.
/// Fewer than 7 digits must match whole, so `0148` does not find every number ending so.
pub fn same_number(term: &str, stored: &str) -> bool {
    let digits = |s: &str| s.chars().filter(char::is_ascii_digit).collect::<String>();
    let term = digits(term);
    let term = term.trim_start_matches('0');
    let stored = digits(stored);
    if term.is_empty() {
        return false;
    }
    if term.len() < 7 {
        return stored == term;
    }
    stored.ends_with(term)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::server::ingredients::ingredients;

    #[test]
    fn numbers_match_in_any_common_form() {
        for form in [
            "+14155550148",
            "14155550148",
            "4155550148",
            "415 555 0148",
            "(415) 555-0148",
            "415.555.0148",
            "+1 415-555-0148",
            "001 415 555 0148",
        ] {
            assert!(same_number(form, "+14155550148"), "{form}");
        }
        assert!(same_number("020 7946 0175", "+442079460175"));
        assert!(!same_number("415 555 0149", "+14155550148"));
        assert!(!same_number("0148", "+14155550148"));
        assert!(!same_number("", "+14155550148"));
        assert!(!same_number("call me", "+14155550148"));
    }

    #[test]
    fn demo_people_carry_the_seed_names_split_and_their_emails() {
        let ing = ingredients().expect("ingredients");
        let people = People::demo(ing);
        assert_eq!(people.clients.len(), ing.clients.len());
        let harper = people
            .clients
            .iter()
            .find(|c| text(c, "first_name") == Some("Harper"))
            .expect("Harper");
        assert_eq!(text(harper, "last_name"), Some("Lee Mitchell"));
        assert_eq!(
            text(harper, "email"),
            Some("harper.lee.mitchell@example.com")
        );
        let chloe = people
            .clients
            .iter()
            .find(|c| text(c, "last_name") == Some("Gagnon"))
            .expect("Chloé");
        assert_eq!(text(chloe, "email"), Some("chloe.gagnon@example.com"));
        let grace = people
            .staff
            .iter()
            .find(|s| text(s, "first_name") == Some("Grace"))
            .expect("Grace");
        assert_eq!(text(grace, "email"), Some("grace.oneill@example.com"));
        assert_eq!(text(grace, "active"), Some("true"));
        assert!(
            people
                .staff
                .iter()
                .any(|s| flag(s, "deleted") == Some(true))
        );
        assert!(
            people
                .staff
                .iter()
                .any(|s| flag(s, "active") == Some(false))
        );
        for status in ["customer", "lead", "inactive"] {
            assert!(
                people
                    .clients
                    .iter()
                    .any(|c| text(c, "customer_status") == Some(status)),
                "{status}"
            );
        }
        let me = text(&people.userinfo, "sub").expect("sub");
        assert!(people.staff_member(me).is_some());
    }
}
