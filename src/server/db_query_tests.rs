//! The SQL the list and stats endpoints run, checked against the plain meaning of the same
//! query (`Filters::matches`, `SortKey::compare`) over generated calls.

use chrono::{DateTime, TimeDelta, Utc};

use super::super::db;
use super::super::page_marks::PageMarks;
use super::super::query::{parse_list, parse_stats};
use super::super::seed;
use super::super::store::Call;
use super::{list, list_marked, stats};

fn now() -> DateTime<Utc> {
    DateTime::from_timestamp(1_780_000_000, 0).unwrap()
}

/// 400 generated calls, with ties in `created_at` and `duration` so the tie-break matters.
fn calls() -> Vec<Call> {
    let mut calls = seed::generate(400, now()).unwrap();
    for pair in calls.chunks_mut(7) {
        let t = pair[0].created_at;
        if let Some(c) = pair.get_mut(1) {
            c.created_at = t;
        }
    }
    calls
}

/// What a page is meant to hold: newest first as the base order, then a stable sort.
fn expected(calls: &[Call], raw: &str) -> Vec<String> {
    let q = parse_list(raw).unwrap();
    let mut all: Vec<&Call> = calls.iter().collect();
    all.sort_by_key(|c| std::cmp::Reverse(c.created_at));
    let mut hits: Vec<&Call> = all.into_iter().filter(|c| q.filters.matches(c)).collect();
    hits.sort_by(|a, b| {
        q.sort
            .iter()
            .map(|k| k.compare(a, b))
            .find(|o| o.is_ne())
            .unwrap_or(std::cmp::Ordering::Equal)
    });
    hits.into_iter()
        .skip((q.page - 1) * q.per_page)
        .take(q.per_page)
        .map(|c| c.uid.clone())
        .collect()
}

#[test]
fn pages_match_the_plain_meaning_of_each_query() {
    let calls = calls();
    let mut conn = db::open_in_memory().unwrap();
    db::insert_all(&mut conn, &calls, false).unwrap();
    let mid = calls[200].created_at;
    let rfc = |t: DateTime<Utc>| {
        (t + TimeDelta::microseconds(500))
            .to_rfc3339_opts(chrono::SecondsFormat::Micros, true)
            .replace('+', "%2B")
    };
    let queries = [
        String::new(),
        "per_page=100&page=2".into(),
        "sort=created_at:asc&per_page=100&page=3".into(),
        "sort=duration:desc,status:asc&per_page=50&page=2".into(),
        "sort=handled_at:asc&per_page=100".into(),
        "sort=handled_at:desc&per_page=100&page=2".into(),
        "sort=from_number,to_number:desc&per_page=30".into(),
        "filter[status]=MISSED,VOICEMAIL&sort=direction&per_page=100".into(),
        "filter[direction]=INBOUND&filter[handled_by_staff_uid]=x,y&per_page=100".into(),
        format!(
            "filter[from_number]={}&sort=created_at:desc&per_page=100",
            calls[3].from_number.replace('+', "%2B")
        ),
        format!(
            "filter[to_number]={},{}&per_page=100",
            calls[5].to_number.replace('+', "%2B"),
            calls[9].to_number.replace('+', "%2B")
        ),
        format!("filter[created_at][gte]={}&per_page=100", rfc(mid)),
        format!("filter[created_at][lt]={}&per_page=100&page=2", rfc(mid)),
        format!("filter[updated_at][gt]={}&sort=updated_at:asc", rfc(mid)),
        format!(
            "filter[created_at][lte]={}&filter[created_at][gt]=2020-01-01",
            mid.format("%Y-%m-%d")
        ),
    ];
    for raw in queries {
        let got: Vec<String> = list(&conn, &parse_list(&raw).unwrap())
            .unwrap()
            .into_iter()
            .map(|c| c.uid)
            .collect();
        assert_eq!(got, expected(&calls, &raw), "query {raw:?}");
    }
}

#[test]
fn stats_count_each_status_within_the_days() {
    let calls = calls();
    let mut conn = db::open_in_memory().unwrap();
    db::insert_all(&mut conn, &calls, false).unwrap();
    let day = calls[100].created_at.date_naive();
    let raw = format!("start_date={day}&end_date={day}");
    let rows = stats(&conn, &parse_stats(&raw).unwrap()).unwrap();
    let want = calls
        .iter()
        .filter(|c| c.created_at.date_naive() == day)
        .count();
    assert!(want > 0);
    assert_eq!(rows.iter().map(|r| r.count).sum::<u64>(), want as u64);
    assert!(rows.iter().all(|r| r.first == day && r.last == day));
    let all = stats(&conn, &parse_stats("").unwrap()).unwrap();
    assert_eq!(all.iter().map(|r| r.count).sum::<u64>(), 400);
}

#[test]
fn a_number_filter_lists_only_that_numbers_calls_newest_first() {
    let calls = calls();
    let mut conn = db::open_in_memory().unwrap();
    db::insert_all(&mut conn, &calls, false).unwrap();
    let number = calls
        .iter()
        .find(|c| c.direction == "INBOUND")
        .map(|c| c.from_number.clone())
        .unwrap();
    let want = calls.iter().filter(|c| c.from_number == number).count();
    assert!(want > 1 && want < calls.len(), "{want} calls from {number}");
    let raw = format!(
        "filter[from_number]={}&sort=created_at:desc&per_page=100",
        number.replace('+', "%2B")
    );
    let got = list(&conn, &parse_list(&raw).unwrap()).unwrap();
    assert_eq!(got.len(), want);
    assert!(got.iter().all(|c| c.from_number == number));
    assert!(got.windows(2).all(|w| w[0].created_at >= w[1].created_at));
    let e = parse_list("filter[from_number]=").unwrap_err();
    assert_eq!(e.param, "filter[from_number]");
}

/// Pages read from the rows already answered (`list_marked`) against plain `OFFSET` (`list`),
/// page after page and out of order, over filtered and sorted views with ties, NULLs last
/// and several keys.
#[test]
fn pages_from_remembered_rows_match_offset_paging() {
    let calls = calls();
    let mut conn = db::open_in_memory().unwrap();
    db::insert_all(&mut conn, &calls, false).unwrap();
    let views = [
        String::new(),
        "sort=created_at:asc".into(),
        "sort=duration:desc,status:asc".into(),
        "sort=handled_at:asc".into(),
        "sort=handled_at:desc,duration:asc".into(),
        "sort=status,from_number:desc".into(),
        "filter[status]=MISSED,VOICEMAIL&sort=created_at:desc".into(),
        "filter[direction]=INBOUND&sort=to_number:asc".into(),
        format!(
            "filter[created_at][lt]={}&sort=updated_at:asc",
            calls[150].created_at.format("%Y-%m-%d")
        ),
    ];
    let mut marks = PageMarks::default();
    for view in views {
        let pages = |per_page: usize| {
            let order: Vec<usize> = (1..=400 / per_page + 1).collect();
            let mut shuffled: Vec<usize> = order.iter().rev().step_by(2).copied().collect();
            shuffled.extend([3, 3, 1, 7, 2]);
            order.into_iter().chain(shuffled)
        };
        for per_page in [30, 7] {
            for page in pages(per_page) {
                let raw = format!("{view}&per_page={per_page}&page={page}");
                let q = parse_list(&raw).unwrap();
                let uids = |v: Vec<Call>| v.into_iter().map(|c| c.uid).collect::<Vec<_>>();
                let want = uids(list(&conn, &q).unwrap());
                assert_eq!(
                    uids(list_marked(&conn, &q, &mut marks).unwrap()),
                    want,
                    "{raw}"
                );
                if page == 1 {
                    assert!(!want.is_empty(), "{raw} lists nothing");
                }
            }
        }
    }
}

/// A write between two pages (a call moved to the top, a call added) gives the next page
/// exactly as plain `OFFSET` paging does: the remembered rows belong to the data before it.
#[test]
fn a_write_between_pages_pages_as_offset_does() {
    let calls = calls();
    let mut conn = db::open_in_memory().unwrap();
    db::insert_all(&mut conn, &calls, false).unwrap();
    let mut marks = PageMarks::default();
    let page = |conn: &rusqlite::Connection, marks: &mut PageMarks, n: usize| {
        let q = parse_list(&format!("sort=updated_at:desc&per_page=50&page={n}")).unwrap();
        let uids = |v: Vec<Call>| v.into_iter().map(|c| c.uid).collect::<Vec<_>>();
        (
            uids(list_marked(conn, &q, marks).unwrap()),
            uids(list(conn, &q).unwrap()),
        )
    };
    let (first, _) = page(&conn, &mut marks, 1);
    let (second, _) = page(&conn, &mut marks, 2);
    // The last call of page 2 becomes the newest update: everything after it shifts by one.
    let mut moved = db::get(&conn, &second[49]).unwrap().unwrap();
    moved.updated_at = calls.iter().map(|c| c.updated_at).max().unwrap() + TimeDelta::hours(1);
    db::update(&conn, &moved).unwrap();
    let (marked, offset) = page(&conn, &mut marks, 2);
    assert_eq!(marked, offset);
    assert_eq!(marked[0], first[49], "page 2 now starts one row earlier");
    let (marked, offset) = page(&conn, &mut marks, 3);
    assert_eq!(marked, offset);
    // A new call, newest of all, pushes every page down by one.
    let mut added = calls[0].clone();
    added.uid = "added-between-pages".into();
    added.updated_at = moved.updated_at + TimeDelta::hours(1);
    db::insert(&conn, &added).unwrap();
    for n in [4, 3, 1] {
        let (marked, offset) = page(&conn, &mut marks, n);
        assert_eq!(marked, offset, "page {n}");
    }
}
