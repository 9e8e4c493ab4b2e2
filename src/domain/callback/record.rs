//! Recording a call-back: its body POSTed once, never retried, and when the POST went out but
//! no readable answer came, the caller's calls read back to find it by its `external_uuid`
//! (the same idea as the save policy's read-back of an unanswered PUT, `save::ReadBack`), so
//! a lost answer never makes a second record.

use serde_json::Value;

use super::CallBack;
use crate::api::client::MAX_PER_PAGE;
use crate::api::{ApiClient, ApiError, CreateVoiceCall, Exchange, ListQuery};
use crate::domain::save::{ReadBack, Reading};

/// Why a call-back was not (or not surely) recorded.
#[derive(Debug, Clone, PartialEq)]
pub enum RecordError {
    /// Fields break the form's rules: nothing was sent. Each by its name, with the message.
    Invalid(Vec<(&'static str, String)>),
    /// The server answered and refused it (a 422 names each broken field): nothing recorded.
    Refused(ApiError),
    /// The POST got no readable answer and the caller's calls do not hold it: not recorded;
    /// the same call-back (same `external_uuid`) may be sent again.
    NotRecorded(ApiError),
    /// The POST got no readable answer and the caller's calls could not be read either:
    /// whether it was recorded is not known.
    Unconfirmed { sent: ApiError, read: ApiError },
}

impl RecordError {
    /// The broken fields, by name: the form's own findings, or those the server's 422 named.
    pub fn fields(&self) -> Vec<(String, String)> {
        match self {
            Self::Invalid(errors) => errors
                .iter()
                .map(|(f, m)| ((*f).to_string(), m.clone()))
                .collect(),
            Self::Refused(ApiError::Server { messages, .. }) => messages
                .iter()
                .filter_map(|m| Some((m.field.clone()?, m.text().to_string())))
                .collect(),
            _ => Vec::new(),
        }
    }

    /// Whether sending the same call-back again is safe and wanted: it surely was not
    /// recorded (a refusal is not: the same body would be refused again).
    pub fn send_again(&self) -> bool {
        matches!(self, Self::NotRecorded(_))
    }
}

impl std::fmt::Display for RecordError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Invalid(errors) => {
                let all: Vec<&str> = errors.iter().map(|(_, m)| m.as_str()).collect();
                write!(f, "{}; nothing sent", all.join("; "))
            }
            Self::Refused(e) => write!(f, "the server refused the call-back record: {e}"),
            Self::NotRecorded(e) => write!(
                f,
                "the call-back was not recorded ({e}); nothing of it is on the server, send it \
                 again"
            ),
            Self::Unconfirmed { sent, read } => write!(
                f,
                "the call-back may or may not be recorded: the POST got no answer ({sent}) and \
                 the caller's calls could not be read ({read}); look for it in their calls \
                 before sending it again"
            ),
        }
    }
}

impl std::error::Error for RecordError {}

/// Records `callback`: checks its body by the form's rules, POSTs it once and answers the
/// call created. When the POST went out and no readable answer came (no answer, one cut off,
/// a 5xx), the newest page of calls to their number is read for the record's
/// `external_uuid`: found, it is the answer; not found, [`RecordError::NotRecorded`].
pub async fn record<C: Reading>(client: &ApiClient, callback: &CallBack) -> Result<C, RecordError> {
    let body = callback.body().map_err(RecordError::Invalid)?;
    let (exchange, found) = post_or_find(client, &body).await;
    C::read(exchange.status.unwrap_or(200), found?).map_err(RecordError::Refused)
}

/// The POST of a checked body, once, and the read-back when it got no readable answer: the
/// call recorded (as the server sent it) or why not, with the POST's exchange for the status
/// bar. [`record`] and the console's runtime both send a call-back through this.
pub async fn post_or_find(
    client: &ApiClient,
    body: &CreateVoiceCall,
) -> (Exchange, Result<Value, RecordError>) {
    let (answer, unanswered) = client.create_once(body).await;
    let exchange = answer.exchange;
    let sent = match answer.result {
        Ok(call) => {
            return (
                exchange,
                Ok(serde_json::to_value(&call).unwrap_or(Value::Null)),
            );
        }
        Err(e) if !unanswered => return (exchange, Err(RecordError::Refused(e))),
        Err(e) => e,
    };
    tracing::warn!(
        external_uuid = body.external_uuid,
        "unanswered POST ({sent}): looking for the record among the caller's calls"
    );
    let found = match client
        .list_json(&read_back_query(&body.to_number))
        .await
        .result
        .map(|page| settle(&page, body))
    {
        Ok(ReadBack::Saved(found)) => {
            tracing::info!(
                external_uuid = body.external_uuid,
                "unanswered POST had created the record"
            );
            Ok(found)
        }
        // `settle` finds the record or not: never a conflict.
        Ok(_) => Err(RecordError::NotRecorded(sent)),
        Err(read) => Err(RecordError::Unconfirmed { sent, read }),
    };
    (exchange, found)
}

/// The request that looks for an unanswered record: their newest calls, one page.
pub fn read_back_query(to_number: &str) -> ListQuery {
    ListQuery {
        page: 1,
        per_page: MAX_PER_PAGE,
        sort: Some("created_at:desc".to_string()),
        filters: vec![("to_number".to_string(), None, to_number.to_string())],
    }
}

/// The pure half of the read-back: the call in `page` (a list answer's `data`) that carries
/// the `external_uuid` sent is the record ([`ReadBack::Saved`]); none is
/// [`ReadBack::SendAgain`].
pub fn settle(page: &Value, sent: &CreateVoiceCall) -> ReadBack {
    let calls = page
        .get("voice_calls")
        .and_then(Value::as_array)
        .map(Vec::as_slice)
        .unwrap_or_default();
    calls
        .iter()
        .find(|c| c.get("external_uuid").and_then(Value::as_str) == Some(&sent.external_uuid))
        .map_or(ReadBack::SendAgain, |c| ReadBack::Saved(c.clone()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn sent() -> CreateVoiceCall {
        CreateVoiceCall {
            to_number: "+14155550148".into(),
            external_uuid: "ext-7".into(),
            ..CreateVoiceCall::default()
        }
    }

    #[test]
    fn the_record_is_found_by_its_external_uuid_only() {
        let page = json!({"voice_calls": [
            {"uid": "a", "external_uuid": "ext-6"},
            {"uid": "b", "external_uuid": "ext-7"},
        ]});
        assert_eq!(
            settle(&page, &sent()),
            ReadBack::Saved(json!({"uid": "b", "external_uuid": "ext-7"}))
        );
        let other = json!({"voice_calls": [{"uid": "a", "external_uuid": "ext-6"}]});
        assert_eq!(settle(&other, &sent()), ReadBack::SendAgain);
        assert_eq!(settle(&json!({}), &sent()), ReadBack::SendAgain);
        let q = read_back_query("+14155550148");
        assert_eq!(
            q.filters,
            [("to_number".to_string(), None, "+14155550148".to_string())]
        );
        assert_eq!(q.sort.as_deref(), Some("created_at:desc"));
    }

    #[test]
    fn a_refusal_names_its_fields_and_only_not_recorded_is_sent_again() {
        let refused = RecordError::Refused(ApiError::Server {
            status: 422,
            messages: vec![crate::api::error::ServerMessage {
                code: Some("invalid_field".into()),
                message: Some("to_number must be E.164".into()),
                field: Some("to_number".into()),
            }],
        });
        assert_eq!(
            refused.fields(),
            [(
                "to_number".to_string(),
                "to_number must be E.164".to_string()
            )]
        );
        assert!(!refused.send_again());
        let lost = RecordError::NotRecorded(ApiError::Timeout { secs: 10 });
        assert!(lost.send_again());
        assert!(lost.to_string().contains("send it again"), "{lost}");
    }
}
