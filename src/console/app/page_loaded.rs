//! A page of calls answered, routed by what it was asked for. The runtime's pages arrive with
//! their calls packed as they were read (`Msg::PagePacked`); a page of `VoiceCall`s
//! (`Msg::PageLoaded`) is packed here, so a tab's pages take one path into the store. The
//! other purposes (a refresh, the caller's calls, the oldest call, the returns) read the
//! page's calls as `VoiceCall`s: one page each, not a load of many.

use super::{App, Effect, Purpose};
use crate::api::{Answer, CallPage};
use crate::console::msg::RequestId;
use crate::domain::calls::{PackedCall, packed_call};

impl App {
    pub(super) fn on_page_loaded(
        &mut self,
        req: RequestId,
        page: u32,
        answer: Answer<CallPage<PackedCall>>,
    ) -> Vec<Effect> {
        let clients = self.clients_in(&answer);
        let purpose = self.requests.finish(req);
        let mut effects = if let Some(Purpose::Page { tab }) = purpose {
            let effects = self.on_page(tab, req, page, answer);
            self.and_returns(tab, false, effects)
        } else {
            let answer = unpacked(answer);
            match purpose {
                Some(Purpose::Oldest) => self.on_oldest(req, answer),
                Some(Purpose::Refresh { tab }) => {
                    let effects = self.on_refreshed(tab, req, answer);
                    self.and_returns(tab, true, effects)
                }
                Some(Purpose::Returns) => self.on_returns(req, answer),
                Some(Purpose::FarEnd { tab }) => self.on_far_end(tab, req, answer),
                Some(Purpose::CallerCalls { caller }) => self.on_caller_calls(caller, req, answer),
                _ => self.stale(&answer.exchange, answer.result.as_ref().err()),
            }
        };
        effects.extend(self.want_names(clients));
        effects
    }
}

/// A page of `VoiceCall`s, packed.
pub(super) fn packed(answer: Answer<CallPage>) -> Answer<CallPage<PackedCall>> {
    answer.map(|page| Ok(page.map(|call| packed_call(&call))))
}

/// A packed page's calls as `VoiceCall`s, field for field.
fn unpacked(answer: Answer<CallPage<PackedCall>>) -> Answer<CallPage> {
    answer.map(|page| Ok(page.map(|call| call.to_call())))
}
