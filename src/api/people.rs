//! The people behind a call's uids, from the vendor's legacy endpoints: a client by id or by
//! phone number, the staff roster, who the token belongs to and the business. The same
//! client, retries, backoff and `Retry-After` as the voice-call requests; the legacy
//! envelope `{"status":"OK","data":…}` is read, its error shapes become [`ApiError`]s.

use reqwest::Method;
use serde::Deserialize;

use super::body::tree;
use super::client::ApiClient;
use super::error::ApiError;
use super::model::{Business, Client, Staff, UserInfo, list_of};
use super::request::path_segment;
use super::request::{Answer, Exchange, MAX_PER_PAGE};

/// `GET /platform/v1/clients` (search) and `…/clients/{id}`.
pub const CLIENTS_PATH: &str = "/platform/v1/clients";
/// `GET /platform/v1/businesses/{uid}` and `…/{uid}/staffs`.
pub const BUSINESSES_PATH: &str = "/platform/v1/businesses";
/// `GET /oauth/userinfo`.
pub const USERINFO_PATH: &str = "/oauth/userinfo";

/// Whether the answer at `path` is a bare object rather than an envelope: OpenID's userinfo.
pub(super) fn bare_answer(path: &str) -> bool {
    path == USERINFO_PATH
}

/// Whether a request to `path` carries `X-On-Behalf-Of` (when a directory token's business
/// is configured): the voice-call API's requests, as they always have, and of the legacy
/// people endpoints those whose spec declares the header — only the clients search, which
/// without it has no business to search.
pub(super) fn sends_on_behalf_of(path: &str) -> bool {
    path.starts_with("/v3/") || path == CLIENTS_PATH
}

impl ApiClient {
    /// `GET /platform/v1/clients/{id}`: a call's `client_uid` as the client it names. An
    /// unknown id is a 404 ([`ApiError::Server`]).
    pub async fn client(&self, id: &str) -> Answer<Client> {
        let path = format!("{CLIENTS_PATH}/{}", path_segment(id.trim()));
        if id.trim().is_empty() {
            return not_sent(
                path,
                "the client id is empty: a call without client_uid is \
                                   looked up by its number (clients_by_phone)",
            );
        }
        self.send(Method::GET, &path, &[], None)
            .await
            .map(|(status, data)| {
                let data = tree(status, &data)?;
                data.get("client")
                    .filter(|c| c.is_object())
                    .and_then(|c| Client::deserialize(c).ok())
                    .ok_or_else(|| shape(status, "the answer has no data.client"))
            })
    }

    /// `GET /platform/v1/clients?search_by=phone&search_term=…`: the clients with this number
    /// (the first page of up to 100; a number is rarely shared by more). The number goes out
    /// as given, trimmed; the server matches it by its digits.
    pub async fn clients_by_phone(&self, number: &str) -> Answer<Vec<Client>> {
        let number = number.trim();
        if !number.chars().any(|c| c.is_ascii_digit()) {
            let reason = format!(
                "{} is not a phone number: it has no digits",
                crate::domain::sanitize::quoted(number)
            );
            return not_sent(CLIENTS_PATH.to_string(), &reason);
        }
        let query = [
            ("search_by", "phone".to_string()),
            ("search_term", number.to_string()),
            ("page", "1".to_string()),
            ("per_page", MAX_PER_PAGE.to_string()),
        ]
        .map(|(k, v)| (k.to_string(), v));
        self.send(Method::GET, CLIENTS_PATH, &query, None)
            .await
            .map(|(status, data)| {
                list_of(&tree(status, &data)?, "clients").map_err(|d| shape(status, &d))
            })
    }

    /// `GET /platform/v1/businesses/{uid}/staffs?status=all`: the whole roster in one
    /// request, inactive and deleted staff included (they still name the calls they handled;
    /// [`Staff::is_current`] tells them apart).
    pub async fn staff_roster(&self, business_uid: &str) -> Answer<Vec<Staff>> {
        let path = format!("{}/staffs", business_path(business_uid));
        if business_uid.trim().is_empty() {
            return not_sent(path, NO_BUSINESS);
        }
        let query = [("status".to_string(), "all".to_string())];
        self.send(Method::GET, &path, &query, None)
            .await
            .map(|(status, data)| {
                list_of(&tree(status, &data)?, "staff").map_err(|d| shape(status, &d))
            })
    }

    /// `GET /oauth/userinfo`: who the token belongs to (staff tokens only; another kind of
    /// token is refused by the server).
    pub async fn userinfo(&self) -> Answer<UserInfo> {
        self.send(Method::GET, USERINFO_PATH, &[], None)
            .await
            .map(|(status, data)| {
                UserInfo::deserialize(tree(status, &data)?)
                    .map_err(|e| shape(status, &e.to_string()))
            })
    }

    /// `GET /platform/v1/businesses/{uid}`: its name and time zone.
    pub async fn business(&self, business_uid: &str) -> Answer<Business> {
        let path = business_path(business_uid);
        if business_uid.trim().is_empty() {
            return not_sent(path, NO_BUSINESS);
        }
        self.send(Method::GET, &path, &[], None)
            .await
            .map(|(status, data)| {
                Business::from_data(&tree(status, &data)?).map_err(|d| shape(status, &d))
            })
    }
}

const NO_BUSINESS: &str = "the business uid is empty: take it from userinfo (business_uid) or \
                           set on_behalf_of";

fn business_path(uid: &str) -> String {
    format!("{BUSINESSES_PATH}/{}", path_segment(uid.trim()))
}

fn shape(status: u16, detail: &str) -> ApiError {
    ApiError::Shape {
        status,
        detail: detail.to_string(),
    }
}

/// The answer to a request that was never sent.
fn not_sent<T>(path: String, reason: &str) -> Answer<T> {
    Answer {
        exchange: Exchange {
            method: Method::GET,
            path,
            status: None,
            elapsed: std::time::Duration::ZERO,
            attempts: 0,
        },
        result: Err(ApiError::NotSent(reason.to_string())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_declaring_paths_carry_the_directory_header() {
        assert!(sends_on_behalf_of("/v3/communication/voice_calls"));
        assert!(sends_on_behalf_of(CLIENTS_PATH));
        assert!(!sends_on_behalf_of("/platform/v1/clients/abc"));
        assert!(!sends_on_behalf_of("/platform/v1/businesses/b1/staffs"));
        assert!(!sends_on_behalf_of(USERINFO_PATH));
        assert!(bare_answer(USERINFO_PATH) && !bare_answer(CLIENTS_PATH));
        assert_eq!(business_path("a/b"), "/platform/v1/businesses/a%2Fb");
    }
}
