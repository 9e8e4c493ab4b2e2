//! Handing the selected call to the outside: `o` opens its app link, `O` its recording (only
//! http(s) addresses), `y` copies its number in E.164. The runtime performs the effect.

use super::App;
use crate::api::CallFields;
use crate::console::msg::Effect;

impl App {
    /// `o` the call in its app, `O` its recording — only http(s) links are handed on.
    pub(super) fn open_external(&mut self, recording: bool) -> Vec<Effect> {
        let Some(call) = self.list().selected() else {
            return Vec::new();
        };
        let (what, url) = if recording {
            (
                "recording",
                call.text(crate::api::Text::RecordingUrl)
                    .map(str::to_string),
            )
        } else {
            (
                "external app link",
                call.text(crate::api::Text::ExternalAppUrl)
                    .map(str::to_string),
            )
        };
        match url {
            None => {
                self.warn(format!("this call has no {what}"));
                Vec::new()
            }
            Some(url) if crate::domain::rules::check_http_url("url", &url).is_err() => {
                self.error(format!(
                    "not opened: the {what} \"{url}\" is not an http(s) address"
                ));
                Vec::new()
            }
            Some(url) => {
                self.info(format!("opening {url}…"));
                vec![Effect::OpenUrl { url }]
            }
        }
    }

    /// `y`: the caller's number (the other party's for outbound calls), in E.164.
    pub(super) fn copy_number(&mut self) -> Vec<Effect> {
        let Some(call) = self.list().selected() else {
            return Vec::new();
        };
        let Some(e164) = self.e164_of(call) else {
            self.warn("this call has no number to copy");
            return Vec::new();
        };
        vec![Effect::Copy { text: e164 }]
    }
}
