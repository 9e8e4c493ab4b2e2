//! A call's full update body, for tests to change the fields they are about.

use callconsole::api::{UpdateVoiceCall, VoiceCall};

/// Every field of `call` as a PUT body, as it is. The fields the API does not send back
/// (`rate`, `price`, `provider`, `recording_id`) are empty unless the call has them.
pub fn update_body(call: &VoiceCall) -> UpdateVoiceCall {
    let s = |v: &Option<String>| v.clone().unwrap_or_default();
    UpdateVoiceCall {
        staff_uid: s(&call.staff_uid),
        client_uid: s(&call.client_uid),
        from_number: s(&call.from_number),
        to_number: s(&call.to_number),
        direction: call
            .direction
            .as_ref()
            .map(|d| d.as_str().to_string())
            .unwrap_or_default(),
        status: call
            .status
            .as_ref()
            .map(|d| d.as_str().to_string())
            .unwrap_or_default(),
        rate: s(&call.rate),
        price: s(&call.price),
        provider: s(&call.provider),
        source_id: s(&call.source_id),
        duration: call.duration.unwrap_or(0).max(0) as u64,
        call_summary: s(&call.call_summary),
        external_app_url: s(&call.external_app_url),
        external_app_name: s(&call.external_app_name),
        recording_id: s(&call.recording_id),
        external_uuid: s(&call.external_uuid),
        handled_by_staff_uid: call.handled_by_staff_uid.clone(),
    }
}
