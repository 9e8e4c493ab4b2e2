//! Which zone times are shown and typed in: the `time_zone` setting, else the business's (its
//! record, asked for after userinfo), else the machine's. When the zone changes, the views
//! whose date filter names days ask for their calls again: their days were the old zone's.

use chrono::{DateTime, Utc};

use super::{App, Effect};
use crate::domain::zone::Zone;

/// The zones there are and the one in force.
#[derive(Debug, Clone)]
pub(super) struct Zones {
    machine: Zone,
    setting: Option<Zone>,
    business: Option<Zone>,
}

impl Zones {
    pub(super) fn new(machine: Zone, setting: Option<Zone>) -> Self {
        Self {
            machine,
            setting,
            business: None,
        }
    }

    /// The setting's, else the business's, else the machine's.
    pub(super) fn shown(&self) -> &Zone {
        Zone::in_force(self.setting.as_ref(), self.business.as_ref(), &self.machine)
    }

    /// Whether the business's zone is asked for (the setting overrides it).
    pub(super) fn wants_business(&self) -> bool {
        self.setting.is_none()
    }

    /// The business's zone is `zone` (`None`: it has none to use): whether the zone shown
    /// changed.
    fn set_business(&mut self, zone: Option<Zone>) -> bool {
        let before = self.shown().clone();
        self.business = zone;
        *self.shown() != before
    }

    /// The shown zone's short name when its clock is not the machine's (`PST`).
    fn note(&self, now: DateTime<Utc>) -> Option<String> {
        let shown = self.shown();
        (!shown.same_clock_as(&self.machine, now)).then(|| shown.short_name(now))
    }
}

impl App {
    /// For the title bar: which zone times are in, when it is not the machine's (`PST`).
    pub fn zone_note(&self) -> Option<String> {
        self.clock.zones.note(self.clock.now)
    }

    /// The business's zone as the last run knew it (`People::business_zone`, looked up by
    /// the caller): times are in it from the first frame, until the business answers again.
    pub fn set_business_zone(&mut self, zone: Zone) -> Vec<Effect> {
        self.business_zone(Some(Ok(zone)))
    }

    /// What the business's record says of its zone: one, none, or one that cannot be used
    /// (said once; times are then in the machine's zone, as with none).
    pub(super) fn business_zone(&mut self, zone: Option<Result<Zone, String>>) -> Vec<Effect> {
        let (zone, why) = match zone {
            Some(Ok(zone)) => (Some(zone), None),
            Some(Err(why)) => (None, Some(why)),
            None => (None, None),
        };
        let changed = self.clock.zones.set_business(zone);
        if let Some(why) = why {
            let shown = self.clock.zones.shown().name().to_string();
            self.warn(format!(
                "the business's time zone cannot be used: {why}; times are shown in {shown} (set time_zone to choose one)"
            ));
        }
        if changed {
            self.zone_changed()
        } else {
            Vec::new()
        }
    }

    /// Date filters name days of the zone: a view that has one asks for its calls again
    /// (the open one now, the others when opened).
    fn zone_changed(&mut self) -> Vec<Effect> {
        let active = self.active;
        for (i, tab) in self.tabs.iter_mut().enumerate() {
            if i != active && tab.settings.filter.date.is_some() {
                tab.loaded = false;
            }
        }
        let tab = &self.tabs[active];
        if tab.loaded && tab.settings.filter.date.is_some() {
            self.load_tab_from_start()
        } else {
            Vec::new()
        }
    }
}

#[cfg(test)]
#[path = "zone_tests.rs"]
mod tests;
