//! `doctor`'s people checks: which of the endpoints that turn uids into names answer — who the
//! token belongs to (`userinfo`), the staff roster (`staff`) and a client lookup (`clients`),
//! one line each. One that does not answer is a note, not a problem: the console still works,
//! showing numbers and uids where names would be.

use crate::api::{Answer, ApiClient, ApiError, CallPage};
use crate::config::Config;

use super::Check;

/// The three people checks, always three lines: without a client (no token, or the API check
/// failed) they say why they were not run.
pub(super) async fn checks(
    config: &Config,
    client: Option<&ApiClient>,
    page: Option<&CallPage>,
) -> [Check; 3] {
    let Some(client) = client else {
        let names = ["userinfo", "staff", "clients"];
        return if config.token.is_none() {
            names.map(|what| Check::ok(what, "not checked: no token, demo mode"))
        } else {
            names.map(|what| Check::note(what, "not checked: the API check failed"))
        };
    };
    let me = client.userinfo().await;
    let userinfo = match &me.result {
        Ok(info) => {
            let who = info.staff_uid().map_or_else(
                || format!("a {} token", info.kind.as_deref().unwrap_or("non-staff")),
                |uid| format!("staff {uid}"),
            );
            let of = info
                .business_name
                .as_deref()
                .map_or_else(String::new, |name| format!(" of {name}"));
            Check::ok("userinfo", format!("{}: {who}{of}", answered(&me)))
        }
        Err(e) => Check::note(
            "userinfo",
            failed(&me, e, "\"me\" is not known from the token (set staff_uid)"),
        ),
    };
    let business = me
        .result
        .ok()
        .and_then(|info| info.business().map(str::to_string))
        .or_else(|| config.on_behalf_of.clone());
    let staff = staff_check(client, business.as_deref()).await;
    let clients = clients_check(client, page).await;
    [userinfo, staff, clients]
}

/// The roster of the token's business (from userinfo, else `on_behalf_of`).
async fn staff_check(client: &ApiClient, business: Option<&str>) -> Check {
    let Some(business) = business else {
        return Check::note(
            "staff",
            "not checked: no business uid (userinfo did not say; set on_behalf_of); staff \
             show as uids",
        );
    };
    let roster = client.staff_roster(business).await;
    match &roster.result {
        Ok(staff) => {
            let current = staff.iter().filter(|s| s.is_current()).count();
            let detail = format!(
                "{}: {} staff ({current} active)",
                answered(&roster),
                staff.len()
            );
            Check::ok("staff", detail)
        }
        Err(e) => Check::note("staff", failed(&roster, e, "staff show as uids")),
    }
}

/// One client lookup: the newest call's client by its uid, else by the caller's number.
async fn clients_check(client: &ApiClient, page: Option<&CallPage>) -> Check {
    let call = page.and_then(|p| p.calls.first());
    let uid = call
        .and_then(|c| c.client_uid.as_deref())
        .filter(|u| !u.trim().is_empty());
    let number = call
        .and_then(|c| c.from_number.as_deref())
        .filter(|n| n.chars().any(|c| c.is_ascii_digit()));
    const COST: &str = "clients show as numbers";
    match (uid, number) {
        (Some(uid), _) => {
            let found = client.client(uid).await;
            match &found.result {
                Ok(_) => Check::ok("clients", answered(&found)),
                Err(e) => Check::note("clients", failed(&found, e, COST)),
            }
        }
        (None, Some(number)) => {
            let found = client.clients_by_phone(number).await;
            match &found.result {
                Ok(list) => {
                    let detail = format!("{}: {} found", answered(&found), list.len());
                    Check::ok("clients", detail)
                }
                Err(e) => Check::note("clients", failed(&found, e, COST)),
            }
        }
        (None, None) => Check::ok(
            "clients",
            "not checked: no call with a client or a number to look up",
        ),
    }
}

fn answered<T>(answer: &Answer<T>) -> String {
    let x = &answer.exchange;
    format!(
        "GET {} answered {} in {} ms",
        x.path,
        x.status.unwrap_or(200),
        x.elapsed.as_millis()
    )
}

fn failed<T>(answer: &Answer<T>, e: &ApiError, cost: &str) -> String {
    format!("GET {} failed: {e}; {cost}", answer.exchange.path)
}
