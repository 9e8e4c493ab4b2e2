//! The edit form: 17 fields, text inputs (tui-input, with their readline keys) and pickers,
//! validation as the user types. Pure state and key handling; the app turns what the form
//! asks for into effects.

use std::collections::BTreeMap;

use crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers};
use tui_input::Input;
use tui_input::backend::crossterm::EventHandler;

use crate::api::VoiceCall;
use crate::domain::fields::{self, FieldId, Kind, Values};

/// What a key in the form asks the app to do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FormAction {
    Nothing,
    /// A value changed: the draft must be saved soon.
    Changed,
    /// Ctrl-s.
    Submit,
    /// Leave the form; `discard` drops the draft too.
    Leave {
        discard: bool,
    },
    /// Ctrl-o: edit the call summary in `$EDITOR`.
    OpenEditor,
}

/// The form for one call.
#[derive(Debug, Clone)]
pub struct Form {
    uid: String,
    /// The call as the server sent it when the form opened.
    base: VoiceCall,
    /// `updated_at` the edit started from; the conflict check compares the server's with it.
    opened_updated_at: Option<String>,
    initial: Values,
    inputs: Vec<Input>,
    missing: Vec<FieldId>,
    focus: FieldId,
    /// The picker list, open on the focused picker, with its highlighted option.
    picker: Option<usize>,
    /// Messages from the server's last answer, by field; cleared when that field is edited.
    server_errors: BTreeMap<FieldId, String>,
    /// Messages from the server that name no field.
    general_errors: Vec<String>,
    /// "Unsent changes" question shown.
    leaving: bool,
    /// A phone number the user may accept in its E.164 form (Ctrl-n).
    default_country: Option<String>,
    /// `update_fields = "changed"`: only the fields changed are sent, so only they must
    /// pass their rules (a field the server never sent is not asked for).
    only_changed: bool,
}

impl Form {
    /// Opens on `call`. A restored draft brings its values and the `updated_at` it was
    /// started from; quick actions bring preset values.
    pub fn open(
        call: VoiceCall,
        preset: Option<(Values, Option<String>)>,
        default_country: Option<String>,
    ) -> Self {
        let (initial, missing) = fields::prefill(&call);
        let (values, opened_updated_at) =
            preset.unwrap_or_else(|| (initial.clone(), call.updated_at.clone()));
        let inputs = FieldId::ALL
            .iter()
            .map(|f| Input::new(values.get(f).cloned().unwrap_or_default()))
            .collect();
        Self {
            uid: call.uid.clone().unwrap_or_default(),
            base: call,
            opened_updated_at,
            initial,
            inputs,
            missing,
            focus: FieldId::StaffUid,
            picker: None,
            server_errors: BTreeMap::new(),
            general_errors: Vec::new(),
            leaving: false,
            only_changed: false,
            default_country,
        }
    }

    pub fn uid(&self) -> &str {
        &self.uid
    }
    pub fn base(&self) -> &VoiceCall {
        &self.base
    }
    pub fn opened_updated_at(&self) -> Option<&str> {
        self.opened_updated_at.as_deref()
    }
    pub fn focus(&self) -> FieldId {
        self.focus
    }
    pub fn picker(&self) -> Option<usize> {
        self.picker
    }
    /// Moves the focus (a click on a field); an open picker list closes.
    pub fn set_focus(&mut self, field: FieldId) {
        if !self.leaving {
            self.focus = field;
            self.picker = None;
        }
    }
    pub fn leaving(&self) -> bool {
        self.leaving
    }
    pub fn input(&self, field: FieldId) -> &Input {
        &self.inputs[field.index()]
    }
    pub fn value(&self, field: FieldId) -> &str {
        self.inputs[field.index()].value()
    }
    pub fn is_missing(&self, field: FieldId) -> bool {
        self.missing.contains(&field)
    }
    pub fn server_error(&self, field: FieldId) -> Option<&str> {
        self.server_errors.get(&field).map(String::as_str)
    }
    pub fn general_errors(&self) -> &[String] {
        &self.general_errors
    }

    pub fn values(&self) -> Values {
        FieldId::ALL
            .iter()
            .map(|f| (*f, self.value(*f).to_string()))
            .collect()
    }

    /// The values the form opened with (the call as loaded, or their copy after a reload):
    /// what "changed" is measured against.
    pub fn loaded(&self) -> &Values {
        &self.initial
    }

    /// Fields whose value differs from what the form opened with.
    pub fn changed(&self) -> Vec<FieldId> {
        FieldId::ALL
            .into_iter()
            .filter(|f| self.initial.get(f).map(String::as_str).unwrap_or("") != self.value(*f))
            .collect()
    }

    pub fn is_dirty(&self) -> bool {
        !self.changed().is_empty()
    }

    /// Whether only the changed fields are sent (`update_fields = "changed"`); set by the
    /// console whenever it shows the form.
    pub fn send_only_changes(&mut self, yes: bool) {
        self.only_changed = yes;
    }

    /// The message shown beside a field: the server's, else the live rule's, else the
    /// "not provided" marker for an empty field the server never sent. When only changed
    /// fields are sent, a field left as it was is not checked: it is not sent.
    pub fn message(&self, field: FieldId) -> Option<String> {
        if let Some(m) = self.server_error(field) {
            return Some(m.to_string());
        }
        let value = self.value(field);
        let unchanged = self.initial.get(&field).map(String::as_str).unwrap_or("") == value;
        if self.only_changed && unchanged {
            return None;
        }
        if self.is_missing(field) && value.is_empty() {
            return Some("required — not provided by the server".to_string());
        }
        let message = fields::check(field, value)?;
        match (field, self.suggestion(field)) {
            (FieldId::FromNumber | FieldId::ToNumber, Some(e164)) => {
                Some(format!("{message} — Ctrl-n uses {e164}"))
            }
            _ => Some(message),
        }
    }

    /// The E.164 form of a national number in a phone field, if one can be made.
    pub fn suggestion(&self, field: FieldId) -> Option<String> {
        let country = self.default_country.as_deref()?;
        matches!(field, FieldId::FromNumber | FieldId::ToNumber)
            .then(|| fields::normalise_phone(self.value(field), country))
            .flatten()
    }

    /// Fields that need fixing before the form can be sent, in form order.
    pub fn broken(&self) -> Vec<FieldId> {
        FieldId::ALL
            .into_iter()
            .filter(|f| self.message(*f).is_some())
            .collect()
    }

    /// Moves focus to the first broken field; returns how many there are.
    pub fn focus_first_broken(&mut self) -> usize {
        let broken = self.broken();
        if let Some(first) = broken.first() {
            self.focus = *first;
            self.picker = None;
        }
        broken.len()
    }

    /// Puts the server's answer beside the fields it names; the rest is shown at the top.
    pub fn set_server_errors(&mut self, messages: Vec<(Option<FieldId>, String)>) {
        self.server_errors.clear();
        self.general_errors.clear();
        for (field, text) in messages {
            match field {
                Some(f) => {
                    self.server_errors.insert(f, text);
                }
                None => self.general_errors.push(text),
            }
        }
        if let Some(first) = self.server_errors.keys().next() {
            self.focus = *first;
        }
    }

    pub fn clear_server_errors(&mut self) {
        self.server_errors.clear();
        self.general_errors.clear();
    }

    /// Sets a field's value (pickers, the editor, a reload); the field's server error goes.
    pub fn set_value(&mut self, field: FieldId, value: String) {
        self.inputs[field.index()] = Input::new(value);
        self.server_errors.remove(&field);
    }

    /// Takes the server's newer copy as the base: fields the user has not changed follow
    /// theirs, the user's edits stay on top.
    pub fn rebase(&mut self, theirs: VoiceCall) {
        let mine = self.changed();
        let (their_values, missing) = fields::prefill(&theirs);
        for f in FieldId::ALL {
            if !mine.contains(&f) {
                let v = their_values.get(&f).cloned().unwrap_or_default();
                self.inputs[f.index()] = Input::new(v);
            }
        }
        self.initial = their_values;
        self.missing = missing;
        self.opened_updated_at = theirs.updated_at.clone();
        self.base = theirs;
    }

    /// Handles a key; what the app must do comes back.
    pub fn on_key(&mut self, key: KeyEvent) -> FormAction {
        let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
        if self.leaving {
            return match key.code {
                KeyCode::Char('k') => FormAction::Leave { discard: false },
                KeyCode::Char('d') => FormAction::Leave { discard: true },
                _ => {
                    self.leaving = false;
                    FormAction::Nothing
                }
            };
        }
        if let Some(highlight) = self.picker {
            return self.on_picker_list_key(key, highlight);
        }
        match key.code {
            KeyCode::Char('s') if ctrl => return FormAction::Submit,
            KeyCode::Char('o') if ctrl => {
                // Only the summary is long text: the editor always opens on it.
                self.focus = FieldId::CallSummary;
                return FormAction::OpenEditor;
            }
            KeyCode::Char('n') if ctrl => {
                return match self.suggestion(self.focus) {
                    Some(e164) => {
                        self.set_value(self.focus, e164);
                        FormAction::Changed
                    }
                    None => FormAction::Nothing,
                };
            }
            KeyCode::Esc => {
                if self.is_dirty() {
                    self.leaving = true;
                    return FormAction::Nothing;
                }
                return FormAction::Leave { discard: false };
            }
            KeyCode::Tab | KeyCode::Down => {
                self.focus = self.focus.next();
                return FormAction::Nothing;
            }
            KeyCode::BackTab | KeyCode::Up => {
                self.focus = self.focus.prev();
                return FormAction::Nothing;
            }
            _ => {}
        }
        match self.focus.kind() {
            Kind::Picker(options) => self.on_picker_key(key, options),
            Kind::Text | Kind::LongText | Kind::Number => {
                if key.code == KeyCode::Enter {
                    self.focus = self.focus.next();
                    return FormAction::Nothing;
                }
                self.edit_text(&Event::Key(key))
            }
        }
    }

    /// Bracketed paste into the focused text field (newlines kept only in the summary).
    pub fn on_paste(&mut self, text: &str) -> FormAction {
        if matches!(self.focus.kind(), Kind::Picker(_)) || self.leaving || self.picker.is_some() {
            return FormAction::Nothing;
        }
        let keep_newlines = self.focus.kind() == Kind::LongText;
        // Terminals deliver a pasted line break as CR (or CR LF), and cleaning drops a lone
        // CR as a control character: made a newline first, the break survives.
        let text = text.replace("\r\n", "\n").replace('\r', "\n");
        // Pasted text can carry escape sequences copied from a web page; they would be drawn
        // in the form and sent to the server, so they go the way server text goes.
        let text: String = crate::domain::sanitize::clean(&text)
            .chars()
            .map(|c| if c == '\n' && !keep_newlines { ' ' } else { c })
            .collect();
        let input = &mut self.inputs[self.focus.index()];
        let before = input.value().to_string();
        for c in text.chars() {
            input.handle(tui_input::InputRequest::InsertChar(c));
        }
        self.after_edit(before)
    }

    fn edit_text(&mut self, event: &Event) -> FormAction {
        let input = &mut self.inputs[self.focus.index()];
        let before = input.value().to_string();
        input.handle_event(event);
        self.after_edit(before)
    }

    fn after_edit(&mut self, before: String) -> FormAction {
        if self.value(self.focus) == before {
            FormAction::Nothing
        } else {
            self.server_errors.remove(&self.focus);
            FormAction::Changed
        }
    }

    fn on_picker_key(&mut self, key: KeyEvent, options: &'static [&'static str]) -> FormAction {
        let current = options.iter().position(|o| *o == self.value(self.focus));
        let pick = |this: &mut Self, i: usize| {
            this.set_value(this.focus, options[i].to_string());
            FormAction::Changed
        };
        match key.code {
            KeyCode::Right | KeyCode::Char(' ') => {
                pick(self, current.map_or(0, |i| (i + 1) % options.len()))
            }
            KeyCode::Left => pick(
                self,
                current.map_or(options.len() - 1, |i| {
                    (i + options.len() - 1) % options.len()
                }),
            ),
            KeyCode::Enter => {
                self.picker = Some(current.unwrap_or(0));
                FormAction::Nothing
            }
            KeyCode::Char(c)
                if c.is_ascii_alphabetic()
                    && !key
                        .modifiers
                        .intersects(KeyModifiers::CONTROL | KeyModifiers::ALT) =>
            {
                // Typing a letter jumps to the next option starting with it.
                let c = c.to_ascii_uppercase();
                let start = current.map_or(0, |i| i + 1);
                (0..options.len())
                    .map(|k| (start + k) % options.len())
                    .find(|&i| options[i].starts_with(c))
                    .map_or(FormAction::Nothing, |i| pick(self, i))
            }
            _ => FormAction::Nothing,
        }
    }

    fn on_picker_list_key(&mut self, key: KeyEvent, highlight: usize) -> FormAction {
        let Kind::Picker(options) = self.focus.kind() else {
            self.picker = None;
            return FormAction::Nothing;
        };
        match key.code {
            KeyCode::Down | KeyCode::Char('j') | KeyCode::Tab => {
                self.picker = Some((highlight + 1) % options.len());
                FormAction::Nothing
            }
            KeyCode::Up | KeyCode::Char('k') | KeyCode::BackTab => {
                self.picker = Some((highlight + options.len() - 1) % options.len());
                FormAction::Nothing
            }
            KeyCode::Enter => {
                self.picker = None;
                if self.value(self.focus) == options[highlight] {
                    return FormAction::Nothing;
                }
                self.set_value(self.focus, options[highlight].to_string());
                FormAction::Changed
            }
            KeyCode::Esc => {
                self.picker = None;
                FormAction::Nothing
            }
            KeyCode::Char(c) if c.is_ascii_alphabetic() => {
                let c = c.to_ascii_uppercase();
                if let Some(i) = (1..=options.len())
                    .map(|k| (highlight + k) % options.len())
                    .find(|&i| options[i].starts_with(c))
                {
                    self.picker = Some(i);
                }
                FormAction::Nothing
            }
            _ => FormAction::Nothing,
        }
    }
}

#[cfg(test)]
#[path = "form_tests.rs"]
mod tests;
