//! Asking the API about people, as the console and the scripting commands both need it: a
//! client by id, the roster, who I am, each answer read into `domain::people`'s cards. The
//! requests are the API client's; what an answer means for names is decided here.

use crate::api::{Answer, ApiClient, ApiError, Business, Client, Staff, UserInfo};
use crate::domain::people::{BusinessCard, ClientCard, Lookup, Me, StaffCard};
use crate::domain::zone::Zone;

impl ClientCard {
    pub fn from_api(c: &Client) -> Self {
        Self {
            id: c.id.clone(),
            name: c.display_name(),
            phone: c.phone().map(str::to_string),
            email: c.email.clone(),
            status: c.customer_status.clone(),
        }
    }
}

impl StaffCard {
    /// `None` for a record without an id: it can name no call.
    pub fn from_api(s: &Staff) -> Option<Self> {
        let uid = s.id.as_deref().map(str::trim).filter(|id| !id.is_empty())?;
        Some(Self {
            uid: uid.to_string(),
            name: s.display_name().unwrap_or_else(|| uid.to_string()),
            email: s.email.clone(),
            role: s.role.clone(),
            active: s.is_current(),
        })
    }
}

impl Me {
    pub fn from_api(u: &UserInfo) -> Self {
        Self {
            staff_uid: u.staff_uid().map(str::to_string),
            email: u.email.clone(),
            business_uid: u.business().map(str::to_string),
            business_name: u.business_name.clone(),
        }
    }
}

impl BusinessCard {
    /// Its zone looked up by name here (the database is read in the lookup's task, never in
    /// `update`).
    pub fn from_api(b: &Business) -> Self {
        let zone = b
            .time_zone
            .as_deref()
            .map(str::trim)
            .filter(|z| !z.is_empty())
            .map(Zone::named);
        Self {
            name: b.display_name(),
            zone,
        }
    }
}

/// The client `lookup` finds: by id, their card, `None` when the API has no such client (its
/// JSON 404; a 404 that is not JSON — a web server's page: no such endpoint — stays an
/// error); by number, the first client with it, `None` when nobody has it.
pub async fn client_card(client: &ApiClient, lookup: &Lookup) -> Answer<Option<ClientCard>> {
    match lookup {
        Lookup::Client(id) => {
            let Answer { exchange, result } = client.client(id).await;
            let result = match result {
                Ok(c) => Ok(Some(ClientCard::from_api(&c))),
                Err(ApiError::Server { status: 404, .. }) => Ok(None),
                Err(e) => Err(e),
            };
            Answer { exchange, result }
        }
        Lookup::Number(number) => client
            .clients_by_phone(number)
            .await
            .map(|found| Ok(found.first().map(ClientCard::from_api))),
    }
}

/// The clients with this number (a call without a client the API knows), as cards.
pub async fn clients_by_phone(client: &ApiClient, number: &str) -> Answer<Vec<ClientCard>> {
    client
        .clients_by_phone(number)
        .await
        .map(|found| Ok(found.iter().map(ClientCard::from_api).collect()))
}

/// The business's whole roster.
pub async fn roster(client: &ApiClient, business_uid: &str) -> Answer<Vec<StaffCard>> {
    client
        .staff_roster(business_uid)
        .await
        .map(|staff| Ok(staff.iter().filter_map(StaffCard::from_api).collect()))
}

/// Who the token belongs to.
pub async fn me(client: &ApiClient) -> Answer<Me> {
    client.userinfo().await.map(|u| Ok(Me::from_api(&u)))
}

/// The business `business_uid`: its name and time zone.
pub async fn business(client: &ApiClient, business_uid: &str) -> Answer<BusinessCard> {
    client
        .business(business_uid)
        .await
        .map(|b| Ok(BusinessCard::from_api(&b)))
}

/// An answer that says this token or server will not give names of this kind at all (no
/// such endpoint, or not for this token): names of that kind are turned off, said once.
pub fn refused(error: &ApiError) -> bool {
    matches!(error.status(), Some(401 | 403 | 404))
}
