//! The field table: the 17 fields of `UpdateVoiceCall`, in PRODUCT.md's order, each described
//! once (name, label, kind, rule, whether the API sends it back). The form, the embedded
//! server's validation, `calls update --field`, the fill-in prompt and the test fixtures all
//! read it; the rules themselves are in `crate::domain::rules`.

use std::collections::BTreeMap;

use crate::api::{UpdateVoiceCall, VoiceCall};
use crate::domain::rules;

pub use super::phone::{known_country, normalise_phone};

/// One field of the update body; its description is its row in [`FIELDS`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum FieldId {
    StaffUid,
    ClientUid,
    FromNumber,
    ToNumber,
    Direction,
    Status,
    Rate,
    Price,
    Provider,
    SourceId,
    Duration,
    CallSummary,
    ExternalAppUrl,
    ExternalAppName,
    RecordingId,
    ExternalUuid,
    HandledByStaffUid,
}

/// How a field is edited, and how it travels.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Text,
    /// Long text: also editable in `$EDITOR`; newlines and tabs are allowed.
    LongText,
    /// One of a documented set of values.
    Picker(&'static [&'static str]),
    /// Typed as text, sent as a JSON number.
    Number,
}

/// Which rule of `crate::domain::rules` a value must pass.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Rule {
    /// An identifier: `rules::check_uid`.
    Uid,
    /// An identifier, or nothing.
    OptionalUid,
    /// A real E.164 number, by its country's lengths: `rules::check_phone`.
    Phone,
    /// One of the picker's values. The form sends back a value the server sent even when it
    /// is not one of them (PRODUCT.md), so it only asks for one; the server takes only those.
    Choice,
    /// A non-negative decimal string: `rules::check_decimal`.
    Decimal,
    /// Required free text without control characters (newlines allowed in long text).
    Text,
    /// Whole seconds, at most 24 hours: `rules::parse_duration`.
    Duration,
    /// An absolute http(s) URL: `rules::check_http_url`.
    Url,
}

/// One row of the field table.
#[derive(Debug, Clone, Copy)]
pub struct Field {
    pub id: FieldId,
    /// The JSON name, as the API and its error messages spell it.
    pub name: &'static str,
    /// What a person reads beside the value where the API's name is not wanted (the detail
    /// pane).
    pub label: &'static str,
    pub kind: Kind,
    pub rule: Rule,
    /// Whether the documented VoiceCall read object carries it; the update needs it anyway.
    pub sent_back: bool,
    /// A value the rule accepts, offered in hints (`--field rate=0.05`).
    pub example: &'static str,
    /// The call's value, as the form shows it; `None` when the server did not send it.
    pub read: fn(&VoiceCall) -> Option<String>,
}

/// Every field, in form order (`FieldId` order).
pub const FIELDS: [Field; 17] = [
    Field {
        id: FieldId::StaffUid,
        name: "staff_uid",
        label: "staff",
        kind: Kind::Text,
        rule: Rule::Uid,
        sent_back: true,
        example: "staff-1",
        read: |c| c.staff_uid.clone(),
    },
    Field {
        id: FieldId::ClientUid,
        name: "client_uid",
        label: "client",
        kind: Kind::Text,
        rule: Rule::Uid,
        sent_back: true,
        example: "client-1",
        read: |c| c.client_uid.clone(),
    },
    Field {
        id: FieldId::FromNumber,
        name: "from_number",
        label: "from",
        kind: Kind::Text,
        rule: Rule::Phone,
        sent_back: true,
        example: "+14155550148",
        read: |c| c.from_number.clone(),
    },
    Field {
        id: FieldId::ToNumber,
        name: "to_number",
        label: "to",
        kind: Kind::Text,
        rule: Rule::Phone,
        sent_back: true,
        example: "+14155550100",
        read: |c| c.to_number.clone(),
    },
    Field {
        id: FieldId::Direction,
        name: "direction",
        label: "direction",
        kind: Kind::Picker(&rules::DIRECTIONS),
        rule: Rule::Choice,
        sent_back: true,
        example: "INBOUND",
        read: |c| c.direction.as_ref().map(|d| d.as_str().to_string()),
    },
    Field {
        id: FieldId::Status,
        name: "status",
        label: "status",
        kind: Kind::Picker(&rules::STATUSES),
        rule: Rule::Choice,
        sent_back: true,
        example: "MISSED",
        read: |c| c.status.as_ref().map(|s| s.as_str().to_string()),
    },
    Field {
        id: FieldId::Rate,
        name: "rate",
        label: "rate",
        kind: Kind::Text,
        rule: Rule::Decimal,
        sent_back: false,
        example: "0.05",
        read: |c| c.rate.clone(),
    },
    Field {
        id: FieldId::Price,
        name: "price",
        label: "price",
        kind: Kind::Text,
        rule: Rule::Decimal,
        sent_back: false,
        example: "1.50",
        read: |c| c.price.clone(),
    },
    Field {
        id: FieldId::Provider,
        name: "provider",
        label: "provider",
        kind: Kind::Picker(&rules::PROVIDERS),
        rule: Rule::Choice,
        sent_back: false,
        example: "VONAGE",
        read: |c| c.provider.clone(),
    },
    Field {
        id: FieldId::SourceId,
        name: "source_id",
        label: "source id",
        kind: Kind::Text,
        rule: Rule::Text,
        sent_back: true,
        example: "src-1",
        read: |c| c.source_id.clone(),
    },
    Field {
        id: FieldId::Duration,
        name: "duration",
        label: "duration",
        kind: Kind::Number,
        rule: Rule::Duration,
        sent_back: true,
        example: "125",
        read: |c| c.duration.map(|d| d.to_string()),
    },
    Field {
        id: FieldId::CallSummary,
        name: "call_summary",
        label: "summary",
        kind: Kind::LongText,
        rule: Rule::Text,
        sent_back: true,
        example: "Asked about the invoice",
        read: |c| c.call_summary.clone(),
    },
    Field {
        id: FieldId::ExternalAppUrl,
        name: "external_app_url",
        label: "external url",
        kind: Kind::Text,
        rule: Rule::Url,
        sent_back: true,
        example: "https://example.com/calls/1",
        read: |c| c.external_app_url.clone(),
    },
    Field {
        id: FieldId::ExternalAppName,
        name: "external_app_name",
        label: "external app",
        kind: Kind::Text,
        rule: Rule::Text,
        sent_back: true,
        example: "my.pa",
        read: |c| c.external_app_name.clone(),
    },
    Field {
        id: FieldId::RecordingId,
        name: "recording_id",
        label: "recording id",
        kind: Kind::Text,
        rule: Rule::Text,
        sent_back: false,
        example: "REC-ID",
        // A call's own recording is its recording id: never one value over many calls'.
        read: |c| {
            c.recording_id
                .clone()
                .or_else(|| c.recording.as_ref().and_then(|r| r.uid.clone()))
        },
    },
    Field {
        id: FieldId::ExternalUuid,
        name: "external_uuid",
        label: "external uuid",
        kind: Kind::Text,
        rule: Rule::Text,
        sent_back: true,
        example: "ext-1",
        read: |c| c.external_uuid.clone(),
    },
    Field {
        id: FieldId::HandledByStaffUid,
        name: "handled_by_staff_uid",
        label: "handled by",
        kind: Kind::Text,
        rule: Rule::OptionalUid,
        sent_back: true,
        example: "staff-1",
        read: |c| c.handled_by_staff_uid.clone(),
    },
];

// The table's rows stand in `FieldId` order, so a field's row is found by its index.
const _: () = {
    let mut i = 0;
    while i < FIELDS.len() {
        assert!(FIELDS[i].id as usize == i, "FIELDS is out of FieldId order");
        i += 1;
    }
};

impl Field {
    /// The message for a value, or `None` when it is fine. For a picker this asks only for a
    /// value: the form offers the choices, and sends back one the server sent.
    pub fn check(&self, value: &str) -> Option<String> {
        let name = self.name;
        let result = match self.rule {
            Rule::Uid => rules::check_uid(name, value),
            Rule::OptionalUid if value.is_empty() => Ok(()),
            Rule::OptionalUid => rules::check_uid(name, value),
            Rule::Phone => rules::check_phone(name, value),
            Rule::Decimal => rules::check_decimal(name, value),
            Rule::Duration => rules::parse_duration(value).map(|_| ()),
            Rule::Url => rules::check_http_url(name, value),
            Rule::Text => rules::check_required_text(name, value, self.kind == Kind::LongText),
            Rule::Choice if value.is_empty() => Err(format!("{name} is required")),
            Rule::Choice => Ok(()),
        };
        result.err()
    }

    /// The values a picker takes as they are: its choices, and for `status` also the newer
    /// OpenAPI's voicemail spelling.
    pub fn choices(&self) -> Vec<&'static str> {
        let mut choices = match self.kind {
            Kind::Picker(choices) => choices.to_vec(),
            Kind::Text | Kind::LongText | Kind::Number => Vec::new(),
        };
        if self.id == FieldId::Status {
            choices.push(rules::VOICEMAIL_ALT);
        }
        choices
    }
}

impl FieldId {
    /// Every field, in form order.
    pub const ALL: [FieldId; 17] = {
        let mut all = [FieldId::StaffUid; 17];
        let mut i = 0;
        while i < FIELDS.len() {
            all[i] = FIELDS[i].id;
            i += 1;
        }
        all
    };

    pub fn index(self) -> usize {
        self as usize
    }

    /// This field's row of the table.
    pub fn spec(self) -> &'static Field {
        &FIELDS[self.index()]
    }

    /// The JSON name, as the API and its error messages spell it.
    pub fn name(self) -> &'static str {
        self.spec().name
    }

    pub fn label(self) -> &'static str {
        self.spec().label
    }

    pub fn from_name(name: &str) -> Option<FieldId> {
        FIELDS.iter().find(|f| f.name == name).map(|f| f.id)
    }

    pub fn kind(self) -> Kind {
        self.spec().kind
    }

    pub fn required(self) -> bool {
        self.spec().rule != Rule::OptionalUid
    }

    /// Whether the documented read object carries this field (`rate`, `price`, `provider`
    /// and `recording_id` it does not).
    pub fn sent_back(self) -> bool {
        self.spec().sent_back
    }

    pub fn example(self) -> &'static str {
        self.spec().example
    }

    pub fn next(self) -> FieldId {
        FieldId::ALL[(self.index() + 1) % FieldId::ALL.len()]
    }

    pub fn prev(self) -> FieldId {
        FieldId::ALL[(self.index() + FieldId::ALL.len() - 1) % FieldId::ALL.len()]
    }

    /// The value a call carries for this field, as the form shows it; `None` when the server
    /// did not send it.
    pub fn read(self, call: &VoiceCall) -> Option<String> {
        (self.spec().read)(call)
    }
}

/// The message for one field's value, or `None` when it is fine.
pub fn check(field: FieldId, value: &str) -> Option<String> {
    field.spec().check(value)
}

/// Field values by field: what the form holds and what a draft stores.
pub type Values = BTreeMap<FieldId, String>;

/// Builds the body from the values, or lists every broken field in form order.
pub fn validate(values: &Values) -> Result<UpdateVoiceCall, Vec<(FieldId, String)>> {
    let get = |f: FieldId| values.get(&f).map(String::as_str).unwrap_or("");
    let errors: Vec<(FieldId, String)> = FieldId::ALL
        .into_iter()
        .filter_map(|f| check(f, get(f)).map(|m| (f, m)))
        .collect();
    if errors.is_empty() {
        Ok(assemble(values))
    } else {
        Err(errors)
    }
}

/// The body the values spell, unchecked: a duration that does not parse is 0 and an empty
/// `handled_by_staff_uid` is left out. [`validate`] checks first; the embedded server checks
/// the JSON it was sent; test fixtures build bodies as they are.
pub fn assemble(values: &Values) -> UpdateVoiceCall {
    let get = |f: FieldId| values.get(&f).cloned().unwrap_or_default();
    let handled = get(FieldId::HandledByStaffUid);
    UpdateVoiceCall {
        staff_uid: get(FieldId::StaffUid),
        client_uid: get(FieldId::ClientUid),
        from_number: get(FieldId::FromNumber),
        to_number: get(FieldId::ToNumber),
        direction: get(FieldId::Direction),
        status: get(FieldId::Status),
        rate: get(FieldId::Rate),
        price: get(FieldId::Price),
        provider: get(FieldId::Provider),
        source_id: get(FieldId::SourceId),
        duration: rules::parse_duration(&get(FieldId::Duration)).unwrap_or(0),
        call_summary: get(FieldId::CallSummary),
        external_app_url: get(FieldId::ExternalAppUrl),
        external_app_name: get(FieldId::ExternalAppName),
        recording_id: get(FieldId::RecordingId),
        external_uuid: get(FieldId::ExternalUuid),
        handled_by_staff_uid: (!handled.is_empty()).then_some(handled),
    }
}

/// Every value a call carries, as the form shows it; what the server did not send is empty.
pub fn values_of(call: &VoiceCall) -> Values {
    FieldId::ALL
        .into_iter()
        .map(|f| (f, f.read(call).unwrap_or_default()))
        .collect()
}

/// The values a call gives the form; what the server did not send starts empty (a picker with
/// one choice, `provider`, at that choice). The fields the API never sends back that this call
/// lacks are listed in the second part.
pub fn prefill(call: &VoiceCall) -> (Values, Vec<FieldId>) {
    let mut values = Values::new();
    let mut missing = Vec::new();
    for f in FieldId::ALL {
        let value = f.read(call).unwrap_or_else(|| {
            if !f.sent_back() {
                missing.push(f);
            }
            match f.kind() {
                Kind::Picker([only]) => (*only).to_string(),
                _ => String::new(),
            }
        });
        values.insert(f, value);
    }
    (values, missing)
}

#[cfg(test)]
#[path = "fields_tests.rs"]
mod tests;
