//! The people behind a call's uids, as the vendor's legacy endpoints send them: a client, a
//! staff member, who the token belongs to, and the business. Read as forgivingly as a call:
//! every field optional, booleans that arrive as `"true"`/`"false"` read as booleans, unknown
//! statuses and roles kept as sent, every string cleaned on the way in
//! ([`crate::domain::sanitize`], through the lenient readers).

use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::lenient;
use crate::domain::sanitize;

/// A client (`GET /platform/v1/clients/{id}`, `data.client`; or one of `data.clients`). A
/// call's `client_uid` is its `id`.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Client {
    #[serde(default, deserialize_with = "lenient::string")]
    pub id: Option<String>,
    #[serde(default, deserialize_with = "lenient::string")]
    pub first_name: Option<String>,
    #[serde(default, deserialize_with = "lenient::string")]
    pub last_name: Option<String>,
    #[serde(default, deserialize_with = "lenient::string")]
    pub email: Option<String>,
    #[serde(default, deserialize_with = "lenient::string")]
    pub mobile_phone: Option<String>,
    #[serde(default, deserialize_with = "lenient::string")]
    pub normalized_phone: Option<String>,
    /// `lead`, `customer`, `inactive`… kept as sent.
    #[serde(default, deserialize_with = "lenient::string")]
    pub customer_status: Option<String>,
    #[serde(default, deserialize_with = "lenient::strings")]
    pub tags: Vec<String>,
    #[serde(default, deserialize_with = "lenient::string")]
    pub business_uid: Option<String>,
    #[serde(default, deserialize_with = "lenient::string")]
    pub created_at: Option<String>,
    #[serde(default, deserialize_with = "lenient::string")]
    pub updated_at: Option<String>,
}

impl Client {
    /// "First Last" as one clean line, or `None` when the record has no name (show the
    /// number instead, never the uid).
    pub fn display_name(&self) -> Option<String> {
        full_name(self.first_name.as_deref(), self.last_name.as_deref())
    }

    /// The client's number: `mobile_phone`, else `normalized_phone`.
    pub fn phone(&self) -> Option<&str> {
        [&self.mobile_phone, &self.normalized_phone]
            .into_iter()
            .filter_map(|p| p.as_deref())
            .map(str::trim)
            .find(|p| !p.is_empty())
    }
}

/// A staff member of the roster (`GET /platform/v1/businesses/{uid}/staffs`, `data.staff`).
/// A call's `staff_uid` and `handled_by_staff_uid` are its `id`.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Staff {
    #[serde(default, deserialize_with = "lenient::string")]
    pub id: Option<String>,
    /// As sent; [`Staff::display_name`] is what to show.
    #[serde(default, deserialize_with = "lenient::string")]
    pub display_name: Option<String>,
    #[serde(default, deserialize_with = "lenient::string")]
    pub first_name: Option<String>,
    #[serde(default, deserialize_with = "lenient::string")]
    pub last_name: Option<String>,
    #[serde(default, deserialize_with = "lenient::string")]
    pub email: Option<String>,
    /// `admin`, `user`… kept as sent.
    #[serde(default, deserialize_with = "lenient::string")]
    pub role: Option<String>,
    #[serde(default, deserialize_with = "lenient::string")]
    pub professional_title: Option<String>,
    /// Sent as `"true"`/`"false"`.
    #[serde(default, deserialize_with = "lenient::boolean")]
    pub active: Option<bool>,
    #[serde(default, deserialize_with = "lenient::boolean")]
    pub deleted: Option<bool>,
}

impl Staff {
    /// The name to show, as one clean line: the roster's `display_name`, else "First Last";
    /// `None` when the record has neither.
    pub fn display_name(&self) -> Option<String> {
        self.display_name
            .as_deref()
            .and_then(|name| full_name(Some(name), None))
            .or_else(|| full_name(self.first_name.as_deref(), self.last_name.as_deref()))
    }

    /// Active and not deleted (a field that was not sent counts as the usual case): the
    /// staff a new call can be handed to. Every member still names the calls they handled.
    pub fn is_current(&self) -> bool {
        self.active != Some(false) && self.deleted != Some(true)
    }
}

/// Who the token belongs to (`GET /oauth/userinfo`). For a staff token `sub` is the staff
/// member's id.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct UserInfo {
    #[serde(default, deserialize_with = "lenient::string")]
    pub sub: Option<String>,
    #[serde(default, deserialize_with = "lenient::string")]
    pub business_uid: Option<String>,
    #[serde(default, deserialize_with = "lenient::string")]
    pub business_id: Option<String>,
    #[serde(default, deserialize_with = "lenient::string")]
    pub business_name: Option<String>,
    #[serde(default, deserialize_with = "lenient::string")]
    pub directory_uid: Option<String>,
    #[serde(default, deserialize_with = "lenient::string")]
    pub email: Option<String>,
    #[serde(default, deserialize_with = "lenient::string")]
    pub role: Option<String>,
    /// The token's kind: `staff`, or another kept as sent.
    #[serde(default, rename = "type", deserialize_with = "lenient::string")]
    pub kind: Option<String>,
}

impl UserInfo {
    /// The business the token acts for: `business_uid`, else `business_id`.
    pub fn business(&self) -> Option<&str> {
        [&self.business_uid, &self.business_id]
            .into_iter()
            .filter_map(|b| b.as_deref())
            .find(|b| !b.trim().is_empty())
    }

    /// The staff member the token belongs to: `sub`, when the token is a staff token.
    pub fn staff_uid(&self) -> Option<&str> {
        let staff = self
            .kind
            .as_deref()
            .is_some_and(|k| k.eq_ignore_ascii_case("staff"));
        self.sub
            .as_deref()
            .filter(|s| staff && !s.trim().is_empty())
    }
}

/// The business (`GET /platform/v1/businesses/{uid}`, `data.business.business`).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Business {
    #[serde(default, deserialize_with = "lenient::string")]
    pub id: Option<String>,
    #[serde(default, deserialize_with = "lenient::string")]
    pub name: Option<String>,
    /// An IANA zone name, like `America/New_York`.
    #[serde(default, deserialize_with = "lenient::string")]
    pub time_zone: Option<String>,
    #[serde(default, deserialize_with = "lenient::string")]
    pub country_name: Option<String>,
    #[serde(default, deserialize_with = "lenient::string")]
    pub directory_id: Option<String>,
}

impl Business {
    /// Reads `data` of the business answer: `business.business`, as the spec nests it, or a
    /// `business` object that holds the fields itself.
    pub(in crate::api) fn from_data(data: &Value) -> Result<Self, String> {
        let outer = data
            .get("business")
            .filter(|b| b.is_object())
            .ok_or("the answer has no data.business")?;
        let inner = outer.get("business").filter(|b| b.is_object());
        Business::deserialize(inner.unwrap_or(outer)).map_err(|e| e.to_string())
    }

    /// The business's name as one clean line, if it has one.
    pub fn display_name(&self) -> Option<String> {
        self.name.as_deref().and_then(|n| full_name(Some(n), None))
    }
}

/// `first` and `last` joined into one clean line (already cleaned of controls on the way in;
/// line breaks and runs of spaces folded here), or `None` when nothing is left.
fn full_name(first: Option<&str>, last: Option<&str>) -> Option<String> {
    let joined = [first, last]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join(" ");
    let clean = sanitize::clean(&joined);
    let one_line = sanitize::single_line(&clean);
    let name = one_line.split_whitespace().collect::<Vec<_>>().join(" ");
    (!name.is_empty()).then_some(name)
}

/// The records of a list (`data.clients`, `data.staff`), each read on its own: one that is not
/// an object is skipped, never the whole list.
pub(in crate::api) fn list_of<T: for<'de> Deserialize<'de>>(
    data: &Value,
    key: &str,
) -> Result<Vec<T>, String> {
    let list = data
        .get(key)
        .and_then(Value::as_array)
        .ok_or_else(|| format!("the answer has no data.{key} list"))?;
    Ok(list
        .iter()
        .filter(|r| r.is_object())
        .filter_map(|r| T::deserialize(r).ok())
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn names_are_clean_single_lines_or_none() {
        let client: Client = serde_json::from_value(json!({
            "first_name": "Emily\u{1b}]0;pwned\u{7}", "last_name": " Car\u{202e}ter\n ",
        }))
        .expect("client");
        assert_eq!(client.display_name().as_deref(), Some("Emily Carter"));
        let nameless: Client = serde_json::from_value(
            json!({"first_name": null, "last_name": "  ", "mobile_phone": ""}),
        )
        .expect("nameless");
        assert_eq!(nameless.display_name(), None);
        assert_eq!(nameless.phone(), None);
        let staff: Staff = serde_json::from_value(json!({
            "display_name": "", "first_name": "Grace", "last_name": "O'Neill",
            "active": "false", "deleted": "true",
        }))
        .expect("staff");
        assert_eq!(staff.display_name().as_deref(), Some("Grace O'Neill"));
        assert_eq!((staff.active, staff.deleted), (Some(false), Some(true)));
        assert!(!staff.is_current());
        assert!(Staff::default().is_current());
    }

    #[test]
    fn odd_records_read_as_far_as_they_go() {
        let data = json!({"clients": [
            {"id": 7, "first_name": ["x"], "tags": "vip", "customer_status": "vip-gold"},
            "not a record",
            {"id": "c2", "normalized_phone": "+14155550148"},
        ]});
        let clients: Vec<Client> = list_of(&data, "clients").expect("list");
        assert_eq!(clients.len(), 2);
        assert_eq!(clients[0].id.as_deref(), Some("7"));
        assert_eq!(clients[0].first_name, None);
        assert_eq!(clients[0].customer_status.as_deref(), Some("vip-gold"));
        assert_eq!(clients[1].phone(), Some("+14155550148"));
        assert!(list_of::<Client>(&json!({"clients": {}}), "clients").is_err());

        let nested =
            json!({"business": {"business": {"name": "Bayview", "time_zone": "Europe/London"}}});
        let flat = json!({"business": {"name": "Bayview", "time_zone": "Europe/London"}});
        for data in [nested, flat] {
            let b = Business::from_data(&data).expect("business");
            assert_eq!(b.time_zone.as_deref(), Some("Europe/London"));
        }
        assert!(Business::from_data(&json!({})).is_err());

        let me: UserInfo = serde_json::from_value(json!({
            "sub": "s1", "business_id": "b1", "type": "staff"
        }))
        .expect("userinfo");
        assert_eq!((me.staff_uid(), me.business()), (Some("s1"), Some("b1")));
        let app: UserInfo =
            serde_json::from_value(json!({"sub": "a1", "type": "app"})).expect("app");
        assert_eq!(app.staff_uid(), None);
    }
}
