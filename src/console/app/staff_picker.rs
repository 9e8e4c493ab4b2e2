//! Picking a member of staff by name, for "who is handling it?" and the filter bar's staff
//! row alike: typing filters the roster (word starts first), ↑/↓ move the highlight, and what
//! is picked is a uid from the roster, never the text typed. Without a roster (names off, or
//! not read yet) a uid of the right shape is typed instead.

use crossterm::event::{KeyCode, KeyEvent};
use tui_input::Input;
use tui_input::backend::crossterm::EventHandler;

use crate::domain::people::{People, StaffCard};
use crate::domain::rules;
use crate::domain::sanitize::quoted;

/// What the pick is for, which decides who is offered.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PickFor {
    /// The handler of a call: active staff only; with nothing typed, everyone active.
    Handler,
    /// The staff filter: anyone on the roster, former staff too (the calls they handled are
    /// still there); nothing typed is no staff filter.
    Filter,
}

/// A member of staff being picked.
#[derive(Debug, Clone)]
pub struct StaffPicker {
    pub input: Input,
    /// Which of the offered members Enter picks.
    pub highlight: usize,
    /// The uid the text names once picked (or when opened on one); typing forgets it.
    picked: Option<String>,
    pub purpose: PickFor,
}

impl StaffPicker {
    /// "Who is handling it?", nothing typed yet.
    pub fn handler() -> Self {
        Self {
            input: Input::default(),
            highlight: 0,
            picked: None,
            purpose: PickFor::Handler,
        }
    }

    /// The filter's staff row, opened on the uid the filter holds (shown by name when the
    /// roster has them).
    pub fn filter(uid: Option<&str>, people: &People) -> Self {
        let uid = uid.map(str::trim).filter(|u| !u.is_empty());
        Self {
            input: Input::new(uid.map_or(String::new(), |u| people.staff_label(u).to_string())),
            highlight: 0,
            picked: uid.map(str::to_string),
            purpose: PickFor::Filter,
        }
    }

    pub fn typed(&self) -> &str {
        self.input.value()
    }

    /// The uid already picked, if the text has not changed since.
    pub fn picked(&self) -> Option<&str> {
        self.picked.as_deref()
    }

    /// Whether the roster is there to pick from (else a uid is typed).
    pub fn by_name(people: &People) -> bool {
        !people.roster().is_empty()
    }

    /// The members offered for what is typed, best first: none without a roster, once
    /// picked, or (for the filter) while nothing is typed.
    pub fn offered<'a>(&self, people: &'a People) -> Vec<&'a StaffCard> {
        let typed = self.typed().trim();
        match self.purpose {
            _ if self.picked.is_some() => Vec::new(),
            PickFor::Handler => people.find_staff(typed),
            PickFor::Filter if typed.is_empty() => Vec::new(),
            PickFor::Filter => people.find_any_staff(typed),
        }
    }

    /// Whether a list of names is showing, so ↑/↓ move in it rather than elsewhere.
    pub fn listing(&self, people: &People) -> bool {
        Self::by_name(people) && self.picked.is_none() && !self.offered(people).is_empty()
    }

    /// ↑/↓ move the highlight while names are listed; any other key edits the text (and
    /// forgets what was picked). `false`: an ↑/↓ left to the caller.
    pub fn on_key(&mut self, key: KeyEvent, people: &People) -> bool {
        match key.code {
            KeyCode::Up | KeyCode::Down if !self.listing(people) => false,
            KeyCode::Down => {
                let last = self.offered(people).len().saturating_sub(1);
                self.highlight = (self.highlight + 1).min(last);
                true
            }
            KeyCode::Up => {
                self.highlight = self.highlight.saturating_sub(1);
                true
            }
            _ => {
                let before = self.input.value().to_string();
                self.input.handle_event(&crossterm::event::Event::Key(key));
                if self.input.value() != before {
                    self.picked = None;
                    self.highlight = 0;
                }
                true
            }
        }
    }

    /// Picks: the highlighted member when the roster is known (the text then reads their
    /// name), a typed uid of the right shape when it is not. `Ok(None)`: nothing asked for
    /// (the filter with nothing typed). `Err`: what is wrong, for the user; `field` names the
    /// value in the message about a typed uid.
    pub fn pick(&mut self, people: &People, field: &str) -> Result<Option<String>, String> {
        if let Some(uid) = &self.picked {
            return Ok(Some(uid.clone()));
        }
        let typed = self.typed().trim().to_string();
        if typed.is_empty() && self.purpose == PickFor::Filter {
            return Ok(None);
        }
        if !Self::by_name(people) {
            rules::check_staff_uid(field, &typed)?;
            self.picked = Some(typed.clone());
            return Ok(Some(typed));
        }
        let offered = self.offered(people);
        let Some(staff) = offered.get(self.highlight).or(offered.first()) else {
            self.highlight = 0;
            return Err(format!(
                "no one on the staff list matches {}; type part of a name",
                quoted(&typed)
            ));
        };
        let uid = staff.uid.clone();
        self.input = Input::new(staff.name.clone());
        self.highlight = 0;
        self.picked = Some(uid.clone());
        Ok(Some(uid))
    }
}
