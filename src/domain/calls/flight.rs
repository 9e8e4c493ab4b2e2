//! Page requests out for one list at once, and answers that came back before the pages ahead
//! of them: a bulk load keeps several pages in flight (`max_in_flight`, the console's
//! `page_window`) but appends strictly in page order.

use std::collections::VecDeque;

use super::PackedCall;
use crate::api::{Answer, CallPage};
use crate::domain::RequestId;

/// A page as it is held until its turn: its calls packed as they were read.
type Page = CallPage<PackedCall>;

/// Consecutive pages from [`Flight::first`] on, each asked for once; an answer that arrives
/// before the pages ahead of it is held until they are in.
#[derive(Debug, Clone, PartialEq)]
pub struct Flight {
    /// The next page to append: the front slot.
    first: u32,
    slots: VecDeque<Slot>,
}

#[derive(Debug, Clone, PartialEq)]
struct Slot {
    req: RequestId,
    answer: Option<Answer<Page>>,
}

impl Flight {
    /// One request, for `page`.
    pub fn new(page: u32, req: RequestId) -> Self {
        Self {
            first: page,
            slots: VecDeque::from([Slot { req, answer: None }]),
        }
    }

    /// The next page to append.
    pub fn first(&self) -> u32 {
        self.first
    }

    /// The page after the last one asked for.
    pub fn next_page(&self) -> u32 {
        self.first + self.slots.len() as u32
    }

    /// Pages asked for and not yet appended (out, or held).
    pub fn len(&self) -> usize {
        self.slots.len()
    }

    pub fn is_empty(&self) -> bool {
        self.slots.is_empty()
    }

    /// The requests still out, as `(page, req)`, in page order.
    pub fn out(&self) -> impl Iterator<Item = (u32, RequestId)> + '_ {
        (self.first..)
            .zip(&self.slots)
            .filter(|(_, s)| s.answer.is_none())
            .map(|(page, s)| (page, s.req))
    }

    /// Whether `req` is the request out for `page` here.
    pub fn awaits(&self, req: RequestId, page: u32) -> bool {
        self.slot(page)
            .is_some_and(|s| s.req == req && s.answer.is_none())
    }

    /// Asks for the page after the last one: `req` is its request.
    pub fn push(&mut self, req: RequestId) {
        self.slots.push_back(Slot { req, answer: None });
    }

    /// Takes the answer to `req` for `page`; hands it back when this flight does not await it.
    pub fn arrive(
        &mut self,
        req: RequestId,
        page: u32,
        answer: Answer<Page>,
    ) -> Result<(), Answer<Page>> {
        if !self.awaits(req, page) {
            return Err(answer);
        }
        let index = (page - self.first) as usize;
        if let Some(slot) = self.slots.get_mut(index) {
            slot.answer = Some(answer);
        }
        Ok(())
    }

    /// The next page in order, once its answer is in.
    pub fn pop_ready(&mut self) -> Option<(u32, Answer<Page>)> {
        let answer = self.slots.front_mut()?.answer.take()?;
        self.slots.pop_front();
        let page = self.first;
        self.first += 1;
        Some((page, answer))
    }

    /// Ends the flight: the answers held, which will never be appended.
    pub fn into_held(self) -> impl Iterator<Item = Answer<Page>> {
        self.slots.into_iter().filter_map(|s| s.answer)
    }

    fn slot(&self, page: u32) -> Option<&Slot> {
        let index = page.checked_sub(self.first)?;
        self.slots.get(index as usize)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::Exchange;

    fn answer(n: usize) -> Answer<Page> {
        Answer {
            exchange: Exchange {
                method: reqwest::Method::GET,
                path: "/voice_calls".into(),
                status: Some(200),
                elapsed: std::time::Duration::ZERO,
                attempts: 1,
            },
            result: Ok(CallPage {
                calls: vec![PackedCall::new(&crate::api::VoiceCall::default()); n],
                unreadable: 0,
            }),
        }
    }

    #[test]
    fn answers_come_out_in_page_order() {
        let mut f = Flight::new(3, RequestId(1));
        f.push(RequestId(2));
        f.push(RequestId(3));
        assert_eq!(f.next_page(), 6);
        assert!(f.arrive(RequestId(3), 5, answer(5)).is_ok());
        assert!(f.arrive(RequestId(2), 4, answer(4)).is_ok());
        assert_eq!(f.pop_ready(), None, "page 3 is still out");
        assert_eq!(f.out().collect::<Vec<_>>(), vec![(3, RequestId(1))]);
        assert!(f.arrive(RequestId(1), 3, answer(3)).is_ok());
        let pages: Vec<u32> = std::iter::from_fn(|| f.pop_ready().map(|(p, _)| p)).collect();
        assert_eq!(pages, vec![3, 4, 5]);
        assert!(f.is_empty());
        assert_eq!((f.first(), f.next_page()), (6, 6));
    }

    #[test]
    fn a_wrong_request_or_page_or_a_second_answer_is_handed_back() {
        let mut f = Flight::new(1, RequestId(7));
        f.push(RequestId(8));
        assert!(f.arrive(RequestId(8), 1, answer(1)).is_err(), "wrong page");
        assert!(
            f.arrive(RequestId(9), 2, answer(1)).is_err(),
            "wrong request"
        );
        assert!(
            f.arrive(RequestId(8), 3, answer(1)).is_err(),
            "not asked for"
        );
        assert!(f.arrive(RequestId(8), 2, answer(1)).is_ok());
        assert!(f.arrive(RequestId(8), 2, answer(1)).is_err(), "already in");
        assert_eq!(f.into_held().count(), 1);
    }
}
