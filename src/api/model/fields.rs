//! Reading a call's fields whoever holds it: a [`VoiceCall`] as the API sent it, or the store's
//! packed copy (`domain::calls::CallRef`). The rules that look at every loaded call (a view's
//! filter and order, caller rows, the follow-up indexes, the search) read calls through
//! [`CallFields`], so they run on the store's copy without unpacking it.

use chrono::{DateTime, Utc};

use super::{Direction, Recording, Status, StatusKind, VoiceCall, parse_time, status_kind};

/// A call's text fields, the recording's included, in the order the store packs them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Text {
    Uid,
    CreatedAt,
    UpdatedAt,
    Status,
    Direction,
    StaffUid,
    ClientUid,
    FromNumber,
    ToNumber,
    CallSummary,
    ExternalAppUrl,
    ExternalAppName,
    SourceId,
    ExternalUuid,
    HandledByStaffUid,
    HandledAt,
    DeletedAt,
    TranscriptStatus,
    Rate,
    Price,
    Provider,
    RecordingId,
    RecordingUid,
    RecordingUrl,
    RecordingType,
}

impl Text {
    pub const ALL: [Text; 25] = [
        Text::Uid,
        Text::CreatedAt,
        Text::UpdatedAt,
        Text::Status,
        Text::Direction,
        Text::StaffUid,
        Text::ClientUid,
        Text::FromNumber,
        Text::ToNumber,
        Text::CallSummary,
        Text::ExternalAppUrl,
        Text::ExternalAppName,
        Text::SourceId,
        Text::ExternalUuid,
        Text::HandledByStaffUid,
        Text::HandledAt,
        Text::DeletedAt,
        Text::TranscriptStatus,
        Text::Rate,
        Text::Price,
        Text::Provider,
        Text::RecordingId,
        Text::RecordingUid,
        Text::RecordingUrl,
        Text::RecordingType,
    ];
}

/// A call's fields, read in place.
pub trait CallFields {
    /// A text field as the server sent it (sanitised), `None` when it left it out.
    fn text(&self, field: Text) -> Option<&str>;
    fn duration(&self) -> Option<i64>;
    /// Whether the call carries a recording object.
    fn has_recording(&self) -> bool;
    /// The recording's `recording_played`, when the call has a recording that says.
    fn recording_played(&self) -> Option<bool>;

    fn uid(&self) -> Option<&str> {
        self.text(Text::Uid)
    }
    fn created_at(&self) -> Option<&str> {
        self.text(Text::CreatedAt)
    }
    fn updated_at(&self) -> Option<&str> {
        self.text(Text::UpdatedAt)
    }
    fn status(&self) -> Option<&str> {
        self.text(Text::Status)
    }
    fn direction(&self) -> Option<&str> {
        self.text(Text::Direction)
    }
    fn staff_uid(&self) -> Option<&str> {
        self.text(Text::StaffUid)
    }
    fn client_uid(&self) -> Option<&str> {
        self.text(Text::ClientUid)
    }
    #[allow(clippy::wrong_self_convention)] // the API's field name
    fn from_number(&self) -> Option<&str> {
        self.text(Text::FromNumber)
    }
    fn to_number(&self) -> Option<&str> {
        self.text(Text::ToNumber)
    }
    fn call_summary(&self) -> Option<&str> {
        self.text(Text::CallSummary)
    }
    fn handled_by_staff_uid(&self) -> Option<&str> {
        self.text(Text::HandledByStaffUid)
    }
    fn handled_at(&self) -> Option<&str> {
        self.text(Text::HandledAt)
    }
    fn recording_type(&self) -> Option<&str> {
        self.text(Text::RecordingType)
    }
    /// What the status means for triage (`None` without a status).
    fn status_kind(&self) -> Option<StatusKind> {
        self.status().map(status_kind)
    }
    fn created(&self) -> Option<DateTime<Utc>> {
        self.created_at().and_then(parse_time)
    }
    /// The uid, or "" when the server left it out.
    fn uid_str(&self) -> &str {
        self.uid().unwrap_or("")
    }
}

impl CallFields for VoiceCall {
    fn text(&self, field: Text) -> Option<&str> {
        let rec = || self.recording.as_deref();
        match field {
            Text::Uid => self.uid.as_deref(),
            Text::CreatedAt => self.created_at.as_deref(),
            Text::UpdatedAt => self.updated_at.as_deref(),
            Text::Status => self.status.as_ref().map(|s| s.as_str()),
            Text::Direction => self.direction.as_ref().map(|d| d.as_str()),
            Text::StaffUid => self.staff_uid.as_deref(),
            Text::ClientUid => self.client_uid.as_deref(),
            Text::FromNumber => self.from_number.as_deref(),
            Text::ToNumber => self.to_number.as_deref(),
            Text::CallSummary => self.call_summary.as_deref(),
            Text::ExternalAppUrl => self.external_app_url.as_deref(),
            Text::ExternalAppName => self.external_app_name.as_deref(),
            Text::SourceId => self.source_id.as_deref(),
            Text::ExternalUuid => self.external_uuid.as_deref(),
            Text::HandledByStaffUid => self.handled_by_staff_uid.as_deref(),
            Text::HandledAt => self.handled_at.as_deref(),
            Text::DeletedAt => self.deleted_at.as_deref(),
            Text::TranscriptStatus => self.transcript_status.as_deref(),
            Text::Rate => self.rate.as_deref(),
            Text::Price => self.price.as_deref(),
            Text::Provider => self.provider.as_deref(),
            Text::RecordingId => self.recording_id.as_deref(),
            Text::RecordingUid => rec()?.uid.as_deref(),
            Text::RecordingUrl => rec()?.recording_url.as_deref(),
            Text::RecordingType => rec()?.recording_type.as_deref(),
        }
    }

    fn duration(&self) -> Option<i64> {
        self.duration
    }

    fn has_recording(&self) -> bool {
        self.recording.is_some()
    }

    fn recording_played(&self) -> Option<bool> {
        self.recording.as_ref()?.recording_played
    }
}

/// A call as it arrives from the API, whoever read it: a [`VoiceCall`], or a list page's record
/// read in place ([`super::CallRecord`]). What the store packs a call from.
pub trait CallSource: CallFields {
    /// The recording's `size`, when the call has a recording that says.
    fn recording_size(&self) -> Option<i64>;
    /// The recording's `duration`, when the call has a recording that says.
    fn recording_duration(&self) -> Option<i64>;
    /// The call as the API's struct, field for field.
    fn to_voice_call(&self) -> VoiceCall;
}

/// The API's struct of any call read through [`CallSource`], field for field: one home for
/// the record read in place and the store's packed copy.
pub fn voice_call_of<C: CallSource + ?Sized>(call: &C) -> VoiceCall {
    let t = |f: Text| call.text(f).map(str::to_string);
    VoiceCall {
        uid: t(Text::Uid),
        created_at: t(Text::CreatedAt),
        updated_at: t(Text::UpdatedAt),
        duration: call.duration(),
        status: t(Text::Status).map(Status),
        direction: t(Text::Direction).map(Direction),
        staff_uid: t(Text::StaffUid),
        client_uid: t(Text::ClientUid),
        from_number: t(Text::FromNumber),
        to_number: t(Text::ToNumber),
        call_summary: t(Text::CallSummary),
        recording: call.has_recording().then(|| {
            Box::new(Recording {
                uid: t(Text::RecordingUid),
                recording_url: t(Text::RecordingUrl),
                size: call.recording_size(),
                duration: call.recording_duration(),
                recording_played: call.recording_played(),
                recording_type: t(Text::RecordingType),
            })
        }),
        external_app_url: t(Text::ExternalAppUrl),
        external_app_name: t(Text::ExternalAppName),
        source_id: t(Text::SourceId),
        external_uuid: t(Text::ExternalUuid),
        handled_by_staff_uid: t(Text::HandledByStaffUid),
        handled_at: t(Text::HandledAt),
        deleted_at: t(Text::DeletedAt),
        transcript_status: t(Text::TranscriptStatus),
        rate: t(Text::Rate),
        price: t(Text::Price),
        provider: t(Text::Provider),
        recording_id: t(Text::RecordingId),
    }
}

impl CallSource for VoiceCall {
    fn recording_size(&self) -> Option<i64> {
        self.recording.as_ref()?.size
    }

    fn recording_duration(&self) -> Option<i64> {
        self.recording.as_ref()?.duration
    }

    fn to_voice_call(&self) -> VoiceCall {
        self.clone()
    }
}

impl<T: CallFields + ?Sized> CallFields for &T {
    fn text(&self, field: Text) -> Option<&str> {
        (**self).text(field)
    }

    fn duration(&self) -> Option<i64> {
        (**self).duration()
    }

    fn has_recording(&self) -> bool {
        (**self).has_recording()
    }

    fn recording_played(&self) -> Option<bool> {
        (**self).recording_played()
    }
}
