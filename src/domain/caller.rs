//! Who a call was with, as the client panel asks about them: the client by id, else the
//! number they called from; and the list request for their calls (`filter[client_uid]`, else
//! `filter[from_number]`), newest first.

use crate::api::{CallFields, ListQuery, VoiceCall};
use crate::domain::people::People;
use crate::domain::views::other_party;

/// How many of a caller's other calls the client panel lists.
pub const OTHER_CALLS: usize = 10;

/// Whom a client panel is about.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Caller {
    /// The call's `client_uid`: a client the API knows, or has not yet said it does not.
    Client(String),
    /// The other party's number, for a call without a client the API knows.
    Number(String),
}

impl Caller {
    /// Who `call` was with: its client, unless it has none or the API said it has no such
    /// client; else its other party's number. `None` for a call with neither.
    pub fn of<C: CallFields + ?Sized>(call: &C, people: &People) -> Option<Self> {
        let id = call
            .client_uid()
            .map(str::trim)
            .filter(|id| !id.is_empty() && !people.client_unknown(id));
        if let Some(id) = id {
            return Some(Caller::Client(id.to_string()));
        }
        other_party(call)
            .map(str::trim)
            .filter(|n| !n.is_empty())
            .map(|n| Caller::Number(n.to_string()))
    }

    /// Their newest calls: one more than the panel lists, as the call shown is among them.
    pub fn query(&self) -> ListQuery {
        let (field, value) = match self {
            Caller::Client(id) => ("client_uid", id),
            Caller::Number(number) => ("from_number", number),
        };
        ListQuery {
            page: 1,
            per_page: OTHER_CALLS as u32 + 1,
            sort: Some("created_at:desc".to_string()),
            filters: vec![(field.to_string(), None, value.clone())],
        }
    }
}

/// The calls a panel lists from the page its query answered: every call but `shown`,
/// newest first, at most [`OTHER_CALLS`]; and whether there were more.
pub fn other_calls<'a>(page: &'a [VoiceCall], shown: Option<&str>) -> (Vec<&'a VoiceCall>, bool) {
    let mut others: Vec<&VoiceCall> = page
        .iter()
        .filter(|c| shown.is_none() || c.uid.as_deref() != shown)
        .collect();
    // The server sorts them; a server that does not must not reorder the panel.
    others.sort_by_key(|c| std::cmp::Reverse(c.created()));
    let more = others.len() > OTHER_CALLS;
    others.truncate(OTHER_CALLS);
    (others, more)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn call(uid: &str, created: &str, client: Option<&str>, direction: &str) -> VoiceCall {
        VoiceCall {
            uid: Some(uid.into()),
            created_at: Some(created.into()),
            client_uid: client.map(Into::into),
            direction: Some(crate::api::model::Direction(direction.into())),
            from_number: Some("+14155550148".into()),
            to_number: Some("+14155550100".into()),
            ..VoiceCall::default()
        }
    }

    #[test]
    fn a_client_by_id_else_the_number_they_called_from() {
        let mut people = People::default();
        let t = "2026-03-02T10:00:00Z";
        let with = call("a", t, Some("c1"), "INBOUND");
        assert_eq!(
            Caller::of(&with, &people),
            Some(Caller::Client("c1".into()))
        );
        let number = Some(Caller::Number("+14155550148".into()));
        assert_eq!(
            Caller::of(&call("b", t, Some(" "), "INBOUND"), &people),
            number
        );
        assert_eq!(Caller::of(&call("b", t, None, "INBOUND"), &people), number);
        let mut out = call("c", t, None, "OUTBOUND");
        out.from_number = Some("+14155550100".into());
        out.to_number = Some("+14155550148".into());
        assert_eq!(
            Caller::of(&out, &people),
            number,
            "an outbound call's other party"
        );
        people.learned_client("c1", None, chrono::Utc::now());
        assert_eq!(
            Caller::of(&with, &people),
            number,
            "a client the API does not know"
        );
        let q = Caller::Client("c1".into()).query();
        assert_eq!(q.filters, vec![("client_uid".into(), None, "c1".into())]);
        assert_eq!(q.sort.as_deref(), Some("created_at:desc"));
        assert_eq!(q.per_page as usize, OTHER_CALLS + 1);
        let q = Caller::Number("+14155550148".into()).query();
        assert_eq!(
            q.filters,
            vec![("from_number".into(), None, "+14155550148".into())]
        );
    }

    #[test]
    fn other_calls_leave_out_the_one_shown_newest_first() {
        let page: Vec<VoiceCall> = (0..12)
            .map(|i| {
                call(
                    &format!("u{i}"),
                    &format!("2026-03-02T10:{i:02}:00Z"),
                    None,
                    "INBOUND",
                )
            })
            .collect();
        let (others, more) = other_calls(&page, Some("u11"));
        assert_eq!(others.len(), OTHER_CALLS);
        assert!(more);
        assert_eq!(others[0].uid.as_deref(), Some("u10"));
        assert_eq!(others[9].uid.as_deref(), Some("u1"));
        let (others, more) = other_calls(&page[..3], Some("u1"));
        let uids: Vec<_> = others.iter().filter_map(|c| c.uid.as_deref()).collect();
        assert_eq!((uids, more), (vec!["u2", "u0"], false));
    }
}
