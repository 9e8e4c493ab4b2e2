//! Reading one page of the call list: each record on its own, so one bad record never hides
//! the others; straight from the text when it can, through a JSON tree when it must.

use serde::Deserialize;
use serde_json::Value;

use super::{CallSource, VoiceCall};

/// One page of the list: the calls that could be read, and how many records could not. The
/// calls are `VoiceCall`s, or whatever [`CallPage::from_json_with`] made of each record (the
/// store's packed copy, for the console).
#[derive(Debug, Clone, PartialEq)]
pub struct CallPage<C = VoiceCall> {
    pub calls: Vec<C>,
    /// Records that were not JSON objects at all; the rest of the page still lists.
    pub unreadable: usize,
}

impl<C> Default for CallPage<C> {
    fn default() -> Self {
        CallPage {
            calls: Vec::new(),
            unreadable: 0,
        }
    }
}

impl<C> CallPage<C> {
    /// The same page, each call made into something else.
    pub fn map<D>(self, f: impl FnMut(C) -> D) -> CallPage<D> {
        CallPage {
            calls: self.calls.into_iter().map(f).collect(),
            unreadable: self.unreadable,
        }
    }
}

impl CallPage {
    /// Reads `data.voice_calls` record by record, so one bad record never hides the others.
    pub fn from_data(data: &Value) -> Result<Self, String> {
        let list = data
            .get("voice_calls")
            .and_then(Value::as_array)
            .ok_or_else(|| "the answer has no data.voice_calls list".to_string())?;
        let mut page = CallPage::default();
        for record in list {
            match record {
                Value::Object(_) => match VoiceCall::deserialize(record) {
                    Ok(call) => page.calls.push(call),
                    Err(_) => page.unreadable += 1,
                },
                _ => page.unreadable += 1,
            }
        }
        Ok(page)
    }
}

impl CallPage {
    /// Reads a page from the `data` text as the server sent it, straight into calls (each
    /// record read in place, as [`CallPage::from_json_with`] reads it). Anything that reader
    /// does not take in its stride (a member sent twice, say) is read again by
    /// [`CallPage::from_data`], which says what is wrong or lists what it can.
    pub fn from_json(data: &str) -> Result<Self, String> {
        Self::from_json_with(data, |record| record.to_voice_call())
    }

    /// `data` read as a JSON tree, then by [`CallPage::from_data`]: what every page reads as.
    pub(crate) fn from_tree(data: &str) -> Result<Self, String> {
        let data: Value = serde_json::from_str(data)
            .map_err(|e| format!("the answer is not valid JSON ({e})"))?;
        Self::from_data(&data)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::model::{Direction, Status, StatusKind};
    use serde_json::json;

    #[test]
    fn odd_payloads_still_list() {
        let data = json!({"voice_calls": [
            {"uid": "a", "status": "VOICEMAIL", "direction": "inbound", "duration": -5,
             "created_at": "yesterday", "deleted_at": null, "surprise": {"x": 1}},
            {"uid": null, "duration": "42", "status": 7, "recording": "not an object"},
            {},
            17,
            "text",
            {"uid": "b", "duration": 12.6, "recording": {"uid": "rec-1", "size": "2048"},
             "call_summary": "hi\u{1b}[2Jthere", "from_number": ["+1"]}
        ]});
        let page = CallPage::from_data(&data).expect("page");
        assert_eq!(page.calls.len(), 4);
        assert_eq!(page.unreadable, 2);
        let a = &page.calls[0];
        assert_eq!(
            a.status.as_ref().map(Status::kind),
            Some(StatusKind::Voicemail)
        );
        assert_eq!(a.direction.as_ref().map(Direction::as_str), Some("inbound"));
        assert!(!a.direction.as_ref().is_some_and(Direction::is_known));
        assert_eq!(a.duration, Some(-5));
        assert_eq!(a.created(), None);
        let second = &page.calls[1];
        assert_eq!(second.uid, None);
        assert_eq!(second.duration, Some(42));
        assert_eq!(
            second.status.as_ref().map(Status::kind),
            Some(StatusKind::Unknown)
        );
        assert_eq!(second.recording, None);
        assert_eq!(page.calls[2], VoiceCall::default());
        let b = &page.calls[3];
        assert_eq!(b.duration, Some(13));
        assert_eq!(b.recording.as_ref().and_then(|r| r.size), Some(2048));
        assert_eq!(b.call_summary.as_deref(), Some("hithere"));
        assert_eq!(b.from_number, None);
    }

    #[test]
    fn missing_list_is_an_error() {
        assert!(CallPage::from_data(&json!({"calls": []})).is_err());
        for odd in [
            r#"{"calls": []}"#,
            r#"[[]]"#,
            r#"{"voice_calls": 3}"#,
            "null",
        ] {
            assert!(CallPage::from_json(odd).is_err(), "{odd}");
        }
    }

    /// The direct reader and the tree reader see every page the same way, including records
    /// that are not objects, members sent twice and hostile text.
    #[test]
    fn pages_read_from_text_match_pages_read_from_a_tree() {
        let texts = [
            r#"{"voice_calls": [{"uid": "a", "status": "MISSED", "duration": "7"}, 3, "x",
                [1, {"a": 2}], null, true, 1.5, {}, {"uid": "b\u001b[2J", "recording": 4}],
                "extra": {"voice_calls": 1}}"#,
            r#"{"voice_calls": [{"uid": "a", "uid": "b", "duration": 1}]}"#,
            r#"{"voice_calls": [{"uid": "a"}], "voice_calls": [{"uid": "c"}]}"#,
            r#"{"voice_calls": []}"#,
        ];
        for text in texts {
            let value: Value = serde_json::from_str(text).expect("json");
            let expected = CallPage::from_data(&value).expect("tree");
            assert_eq!(CallPage::from_json(text), Ok(expected), "{text}");
        }
        let page = CallPage::from_json(texts[1]).expect("page");
        assert_eq!(page.calls[0].uid.as_deref(), Some("b"));
        let page = CallPage::from_json(texts[0]).expect("page");
        assert_eq!((page.calls.len(), page.unreadable), (3, 6));
        assert_eq!(page.calls[2].uid.as_deref(), Some("b"));
    }
}
