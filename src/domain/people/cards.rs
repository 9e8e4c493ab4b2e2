//! What the console keeps of each person and how a call's client is looked up: the cards
//! `People` holds, read from the API's answers by `domain::people_lookup`.

use serde::{Deserialize, Serialize};

use crate::api::CallFields;
use crate::domain::views::other_party;

/// What is asked of the API to name a call's client: the client by id, or, for a call
/// without `client_uid`, by the other party's number.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Lookup {
    Client(String),
    Number(String),
}

impl Lookup {
    /// How `call`'s client is found: by its `client_uid`, else by its number.
    pub fn of<C: CallFields + ?Sized>(call: &C) -> Option<Self> {
        LookupRef::of(call).map(LookupRef::to_owned)
    }
}

/// [`Lookup`] borrowed from the call, for indexes that look up many calls without copying
/// each one's key (the caller groups).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum LookupRef<'a> {
    Client(&'a str),
    Number(&'a str),
}

impl<'a> LookupRef<'a> {
    /// The one rule for who a call was with: its `client_uid`, else the other party's number.
    pub fn of<C: CallFields + ?Sized>(call: &'a C) -> Option<Self> {
        match call.client_uid().map(str::trim) {
            Some(id) if !id.is_empty() => Some(Self::Client(id)),
            _ => other_party(call)
                .map(str::trim)
                .filter(|n| !n.is_empty())
                .map(Self::Number),
        }
    }

    pub fn to_owned(self) -> Lookup {
        match self {
            Self::Client(id) => Lookup::Client(id.to_string()),
            Self::Number(n) => Lookup::Number(n.to_string()),
        }
    }

    /// Whether this is the same caller as `lookup`.
    pub fn is(self, lookup: &Lookup) -> bool {
        match (self, lookup) {
            (Self::Client(a), Lookup::Client(b)) | (Self::Number(a), Lookup::Number(b)) => a == b,
            _ => false,
        }
    }
}

/// A client as the console shows it; every text already cleaned for the terminal.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ClientCard {
    /// The client's id; kept for one found by number (a call without `client_uid`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// "First Last", or `None` when the record has no name (the number is shown instead).
    pub name: Option<String>,
    pub phone: Option<String>,
    pub email: Option<String>,
    /// `customer_status` as the API sends it (`lead`, `client`, …).
    pub status: Option<String>,
}

/// A member of staff as the console shows them.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct StaffCard {
    pub uid: String,
    pub name: String,
    pub email: Option<String>,
    pub role: Option<String>,
    /// Neither inactive nor deleted: only these are offered when a handler is picked.
    pub active: bool,
}

/// Who the token belongs to (`/oauth/userinfo`) and their business.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Me {
    /// The staff member's uid, for a staff token.
    pub staff_uid: Option<String>,
    pub email: Option<String>,
    pub business_uid: Option<String>,
    pub business_name: Option<String>,
}

/// The business the token acts for (`GET /platform/v1/businesses/{uid}`), as the console
/// uses it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct BusinessCard {
    pub name: Option<String>,
    /// Its time zone: `None` when the record names none, else the zone, or why the name
    /// it gave cannot be used.
    pub zone: Option<Result<crate::domain::zone::Zone, String>>,
}

impl super::People {
    /// People known only by name: each client's and staff member's `(uid, name)`, learned at
    /// `now` (the demo's people in benches and tests).
    pub fn known_by_name(
        clients: &[(String, String)],
        staff: &[(String, String)],
        now: chrono::DateTime<chrono::Utc>,
    ) -> Self {
        let mut people = Self::default();
        for (uid, name) in clients {
            let card = ClientCard {
                name: Some(name.clone()),
                ..ClientCard::default()
            };
            people.learned_client(uid, Some(card), now);
        }
        let roster = staff
            .iter()
            .map(|(uid, name)| StaffCard {
                uid: uid.clone(),
                name: name.clone(),
                active: true,
                ..StaffCard::default()
            })
            .collect();
        people.learned_roster(roster, now);
        people
    }
}
