//! A save that found the call changed on the server (`Stage::Conflict`): the keys of the
//! conflict view — scroll, `r` reload theirs under my edits, `o` overwrite with only my
//! changes on top of theirs, `c` cancel. What `o` sends is [`crate::domain::save`]'s to say.

use crossterm::event::{KeyCode, KeyEvent};

use super::{App, Stage};
use crate::api::VoiceCall;
use crate::console::msg::Effect;
use crate::domain::fields::{FieldId, Values};
use crate::domain::save::{self, BodyError};

/// The columns a value is counted at when bounding the conflict view's scroll: a 60-column
/// terminal leaves a value 45, and breaking between words can leave up to a word's worth
/// unused at the end of each line.
const NARROWEST: usize = 32;

impl App {
    pub(super) fn on_conflict_key(
        &mut self,
        key: KeyEvent,
        theirs: VoiceCall,
        scroll: usize,
    ) -> Vec<Effect> {
        // The view's box is the list's rows less one (`ui::layout`).
        let page = self.rows().saturating_sub(1).max(1);
        let scroll = match key.code {
            KeyCode::Char('j') | KeyCode::Down => Some(scroll.saturating_add(1)),
            KeyCode::Char('k') | KeyCode::Up => Some(scroll.saturating_sub(1)),
            KeyCode::PageDown | KeyCode::Char(' ') => Some(scroll.saturating_add(page)),
            KeyCode::PageUp => Some(scroll.saturating_sub(page)),
            KeyCode::Char('g') | KeyCode::Home => Some(0),
            KeyCode::Char('G') | KeyCode::End => Some(usize::MAX),
            _ => None,
        };
        if let Some(scroll) = scroll {
            // The width is the view's to know: it stops at its last full page; this keeps
            // the count from running far past it.
            let scroll = scroll.min(self.conflict_scroll_max(&theirs));
            if let Some(Stage::Conflict { scroll: s, .. }) =
                self.submission.as_mut().map(|s| &mut s.stage)
            {
                *s = scroll;
            }
            return Vec::new();
        }
        match key.code {
            KeyCode::Char('r') => {
                self.submission = None;
                if let Some(form) = self.form_mut() {
                    form.rebase(theirs);
                }
                self.info("their version loaded, your edits kept on top; Ctrl-s sends");
                self.schedule_draft()
            }
            KeyCode::Char('o') => {
                // Their version with only my changes on top: a field I never touched keeps
                // theirs instead of going back to the value the form loaded.
                let Some(form) = self.form() else {
                    return Vec::new();
                };
                let mode = self.session.config.update_fields;
                let body =
                    match save::overwrite_body(&theirs, &form.values(), &form.changed(), mode) {
                        Ok(body) => body,
                        Err(BodyError::Invalid(errors)) => {
                            let names: Vec<&str> = errors.iter().map(|(f, _)| f.name()).collect();
                            self.warn(format!(
                            "not sent: with their version, {} breaks its rule; r loads it to fix",
                            names.join(", ")
                        ));
                            return Vec::new();
                        }
                        Err(BodyError::NothingChanged) => {
                            self.warn("nothing of yours differs from their version; c closes");
                            return Vec::new();
                        }
                    };
                let Some(sub) = self.submission.as_mut() else {
                    return Vec::new();
                };
                sub.body = body;
                // Based on their version now: a PUT that gets no answer is read back
                // against it, and undo puts back their version, not the one the form loaded
                // (which would undo the colleague's change too).
                sub.expected = theirs.updated_at.clone();
                sub.before = Some(theirs.clone());
                self.put_submission()
            }
            KeyCode::Char('c') | KeyCode::Esc => {
                self.submission = None;
                self.warn("not sent; the form is as you left it");
                Vec::new()
            }
            _ => Vec::new(),
        }
    }

    /// At most how far the conflict view can scroll. Only the view knows the width, so each
    /// value counts as wrapped at [`NARROWEST`] columns, fewer than a 60-column terminal
    /// leaves a value: at that width or wider the view's own end is never beyond this.
    fn conflict_scroll_max(&self, theirs: &VoiceCall) -> usize {
        let Some(form) = self.form() else {
            return 0;
        };
        let mine = form.values();
        let their_values = save::their_values(theirs, &mine);
        let rows = |v: &Values, f: FieldId| {
            v.get(&f).map_or(1, |text| {
                let named = usize::from(self.people.name_for(f, text).is_some());
                text.split('\n')
                    .map(|p| p.chars().count().div_ceil(NARROWEST).max(1))
                    .sum::<usize>()
                    + named
            })
        };
        // As `ui::conflict` draws it: three lines above the fields, then each field's gap,
        // name (two lines when it wraps), the value as loaded when both changed it, theirs
        // and mine, each with the person a uid names (a line of its own when it does not fit
        // beside).
        let total: usize = 3 + save::differences(form.loaded(), &mine, &their_values)
            .iter()
            .map(|d| {
                let loaded = if d.mine && d.theirs {
                    rows(form.loaded(), d.field)
                } else {
                    0
                };
                3 + loaded + rows(&mine, d.field) + rows(&their_values, d.field)
            })
            .sum::<usize>();
        total.saturating_sub(self.rows().saturating_sub(1))
    }
}

#[cfg(test)]
#[path = "conflict_tests.rs"]
mod tests;
