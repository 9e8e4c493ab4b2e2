//! The terminal's key stream, asked for its next event only once it said one may be there.
//!
//! crossterm's `EventStream` answers "nothing yet" by trying its reader's lock, which the
//! thread it starts to wait for input holds the whole time it waits: every try spins and
//! yields the CPU about ten times before it gives up. The loop asks after every message it
//! handles, so during a bulk action (a thousand answers a second) that spinning was about 5%
//! of the console's CPU, on the cores the server answering it shares. [`Gated`] asks the
//! stream again only after the stream's own waker fired (or it last gave an event), and
//! says "nothing yet" itself otherwise: the same events, in the same order.

use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::task::{Context, Poll};

use futures::Stream;
use futures::task::{ArcWake, AtomicWaker, waker_ref};

/// Whether the stream woke since it was last asked, and the task to wake when it does.
struct Gate {
    woken: AtomicBool,
    task: AtomicWaker,
}

impl ArcWake for Gate {
    fn wake_by_ref(gate: &Arc<Self>) {
        gate.woken.store(true, Ordering::SeqCst);
        gate.task.wake();
    }
}

/// A stream asked again only once it woke.
pub struct Gated<S> {
    stream: S,
    gate: Arc<Gate>,
}

impl<S> Gated<S> {
    pub fn new(stream: S) -> Self {
        Self {
            stream,
            // Asked at once: nothing has been asked yet.
            gate: Arc::new(Gate {
                woken: AtomicBool::new(true),
                task: AtomicWaker::new(),
            }),
        }
    }
}

impl<S: Stream + Unpin> Stream for Gated<S> {
    type Item = S::Item;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<S::Item>> {
        let this = self.get_mut();
        this.gate.task.register(cx.waker());
        // Cleared before the stream is asked: a wake while it answers asks it again.
        if !this.gate.woken.swap(false, Ordering::SeqCst) {
            return Poll::Pending;
        }
        let waker = waker_ref(&this.gate);
        let answer = Pin::new(&mut this.stream).poll_next(&mut Context::from_waker(&waker));
        if answer.is_ready() {
            // More may be waiting behind this one.
            this.gate.woken.store(true, Ordering::SeqCst);
        }
        answer
    }
}

#[cfg(test)]
mod tests {
    use std::collections::VecDeque;
    use std::task::Waker;

    use super::*;

    /// A stream that counts how often it is asked, answers from a queue, and keeps the
    /// waker of the last "nothing yet".
    #[derive(Default)]
    struct Counted {
        asked: usize,
        queue: VecDeque<u32>,
        waker: Option<Waker>,
    }

    impl Stream for Counted {
        type Item = u32;

        fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<u32>> {
            self.asked += 1;
            match self.queue.pop_front() {
                Some(x) => Poll::Ready(Some(x)),
                None => {
                    self.waker = Some(cx.waker().clone());
                    Poll::Pending
                }
            }
        }
    }

    fn poll(s: &mut Gated<Counted>) -> Poll<Option<u32>> {
        let waker = futures::task::noop_waker();
        Pin::new(s).poll_next(&mut Context::from_waker(&waker))
    }

    #[test]
    fn the_stream_is_asked_again_only_after_it_woke() {
        let mut s = Gated::new(Counted::default());
        s.stream.queue.extend([1, 2]);
        assert_eq!(poll(&mut s), Poll::Ready(Some(1)));
        assert_eq!(poll(&mut s), Poll::Ready(Some(2)), "events in a row");
        assert_eq!(poll(&mut s), Poll::Pending);
        assert_eq!(s.stream.asked, 3);
        for _ in 0..5 {
            assert_eq!(poll(&mut s), Poll::Pending);
        }
        assert_eq!(s.stream.asked, 3, "not asked while it has not woken");
        // An event comes: the stream wakes its waker, and is asked again.
        s.stream.queue.push_back(3);
        s.stream.waker.take().expect("waker").wake();
        assert_eq!(poll(&mut s), Poll::Ready(Some(3)));
        assert_eq!(s.stream.asked, 4);
    }

    #[test]
    fn a_wake_reaches_the_task_waiting() {
        use std::sync::atomic::AtomicUsize;

        struct Count(AtomicUsize);
        impl ArcWake for Count {
            fn wake_by_ref(c: &Arc<Self>) {
                c.0.fetch_add(1, Ordering::SeqCst);
            }
        }
        let task = Arc::new(Count(AtomicUsize::new(0)));
        let waker = futures::task::waker(task.clone());
        let mut s = Gated::new(Counted::default());
        let pending = Pin::new(&mut s).poll_next(&mut Context::from_waker(&waker));
        assert_eq!(pending, Poll::Pending);
        s.stream.waker.take().expect("waker").wake();
        assert_eq!(task.0.load(Ordering::SeqCst), 1, "the loop is woken");
    }
}
