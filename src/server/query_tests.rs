use super::*;

#[test]
fn defaults_follow_the_openapi() {
    let q = parse_list("").unwrap();
    assert_eq!((q.page, q.per_page), (1, 25));
    assert_eq!(
        q.sort,
        vec![SortKey {
            field: SortField::UpdatedAt,
            desc: true
        }]
    );
}

#[test]
fn full_query_parses() {
    let q = parse_list(
        "page=3&per_page=100&sort=created_at:desc,duration:asc\
         &filter%5Bstatus%5D=MISSED,VOICEMAIL&filter[direction]=INBOUND\
         &filter[created_at][gte]=2026-03-01&filter[created_at][lte]=2026-03-02\
         &filter[staff_uid]=s1&_ignored=1",
    )
    .unwrap();
    assert_eq!((q.page, q.per_page), (3, 100));
    assert_eq!(q.sort.len(), 2);
    assert_eq!(
        q.filters.status,
        Some(vec!["MISSED".into(), "VOICEMAIL".into()])
    );
    let d = |s: &str| DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc);
    assert_eq!(
        q.filters.created_at,
        vec![
            Bound::AtLeast(d("2026-03-01T00:00:00Z")),
            Bound::Before(d("2026-03-03T00:00:00Z"))
        ]
    );
}

#[test]
fn bad_values_name_the_parameter() {
    for (raw, param, needle) in [
        ("per_page=500", "per_page", "1 to 100"),
        ("per_page=0", "per_page", "1 to 100"),
        ("page=0", "page", "1 to 10000"),
        ("page=abc", "page", "\"abc\""),
        ("sort=name:asc", "sort", "created_at, updated_at"),
        ("sort=created_at:up", "sort", "asc or desc"),
        ("filter[colour]=red", "filter[colour]", "status, direction"),
        ("filter[status]=LOST", "filter[status]", "ANSWERED_BY_STAFF"),
        (
            "filter[direction]=inbound",
            "filter[direction]",
            "INBOUND, OUTBOUND",
        ),
        (
            "filter[created_at][gte]=yesterday",
            "filter[created_at][gte]",
            "2026-03-02",
        ),
        (
            "filter[created_at]=2026-03-01",
            "filter[created_at]",
            "operator",
        ),
        (
            "filter[created_at][eq]=2026-03-01",
            "filter[created_at][eq]",
            "operator",
        ),
    ] {
        let e = parse_list(raw).unwrap_err();
        assert_eq!(e.param, param, "{raw}");
        assert!(e.message.starts_with(param), "{raw}: {}", e.message);
        assert!(e.message.contains(needle), "{raw}: {}", e.message);
    }
}

#[test]
fn stats_dates() {
    let q = parse_stats("start_date=2026-03-01&end_date=2026-03-02&status=MISSED").unwrap();
    assert_eq!(q.status.as_deref(), Some("MISSED"));
    assert!(parse_stats("start_date=2026-3-1").is_err());
    assert!(parse_stats("end_date=2026-02-30").is_err());
    assert!(parse_stats("start_date=2026-03-03&end_date=2026-03-02").is_err());
    assert_eq!(parse_stats("status=NOPE").unwrap_err().param, "status");
}
