//! `G` through `App::update`: one press loads the rest of the view several pages at a time
//! and lands on its last call; Esc stops it where it is.

use crossterm::event::KeyCode;

use crate::console::app::App;
use crate::console::app::test_fixtures::pages::{self, page_answer, page_fetches as fetches};
use crate::console::msg::{Msg, RequestId};
use crate::domain::calls::Paging;
use crate::test_support::key;

const PER_PAGE: usize = 20;
const TOTAL: usize = 7 * PER_PAGE + 5;

fn answer(req: RequestId, page: u32) -> Msg {
    page_answer(req, page, PER_PAGE, TOTAL)
}

fn started() -> App {
    pages::started(PER_PAGE, TOTAL, 3)
}

#[test]
fn one_g_loads_the_rest_several_pages_at_a_time_and_lands_on_the_last_call() {
    let mut app = started();
    let mut out = fetches(&app.update(key(KeyCode::Char('G'))));
    assert_eq!(out.iter().map(|o| o.1).collect::<Vec<_>>(), vec![2, 3, 4]);
    assert_eq!(
        app.list().selected_index(),
        PER_PAGE - 1,
        "the last loaded, now"
    );
    assert!(
        app.notice()
            .is_some_and(|n| n.contains("loading to the end")),
        "{:?}",
        app.notice()
    );
    let mut most = out.len();
    while let Some(next) = out.first().copied() {
        out.remove(0);
        out.extend(fetches(&app.update(answer(next.0, next.1))));
        most = most.max(out.len());
    }
    assert_eq!(most, 3, "max_in_flight pages out");
    assert_eq!(app.list().paging, Paging::Complete);
    assert_eq!(app.list().len(), TOTAL);
    assert_eq!(app.list().selected_index(), TOTAL - 1, "on the last call");
    assert_eq!(app.notice(), Some("at the end of this view: 145 calls"));
}

#[test]
fn esc_stops_g_where_it_is() {
    let mut app = started();
    let out = fetches(&app.update(key(KeyCode::Char('G'))));
    app.update(answer(out[0].0, out[0].1));
    app.update(key(KeyCode::Esc));
    assert!(matches!(app.list().paging, Paging::Idle { .. }));
    // The pages still out answer: nothing more is asked for, the cursor stays.
    let at = app.list().selected_index();
    for (req, page) in &out[1..] {
        assert!(fetches(&app.update(answer(*req, *page))).is_empty());
    }
    assert_eq!(app.list().selected_index(), at);
    assert_eq!(app.list().len(), 2 * PER_PAGE);
}
