//! A call's full update body, for tests to change the fields they are about; both built by
//! the field table (`callconsole::domain::fields`).
#![allow(dead_code)]

use callconsole::api::{UpdateVoiceCall, VoiceCall};
use callconsole::domain::fields::{self, FieldId};

/// Every field of `call` as a PUT body, as it is. The fields the API does not send back
/// (`FieldId::sent_back`) are empty unless the call has them.
pub fn update_body(call: &VoiceCall) -> UpdateVoiceCall {
    fields::assemble(&fields::values_of(call))
}

/// `update_body`, with each field the API does not send back that the call lacks at the
/// table's example: a body the server takes.
pub fn complete_body(call: &VoiceCall) -> UpdateVoiceCall {
    let mut values = fields::values_of(call);
    for f in FieldId::ALL.into_iter().filter(|f| !f.sent_back()) {
        let value = values.entry(f).or_default();
        if value.is_empty() {
            *value = f.example().to_string();
        }
    }
    fields::assemble(&values)
}
