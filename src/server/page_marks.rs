//! Deep list pages without walking every row before them: the sort key of rows the list has
//! already answered (each page's first and last), remembered per view and data version, so
//! the next page starts at the nearest remembered row (`WHERE key >= mark`) and skips only the
//! rows between it and the page (`OFFSET`). Every write changes the data version and forgets
//! every mark, so a page asked after a write holds exactly what plain `OFFSET` paging gives.

use std::collections::{BTreeMap, HashMap};

use rusqlite::types::Value as Sql;

/// Views remembered at once; more, and all are forgotten (a client pages one or a few).
const MAX_VIEWS: usize = 32;
/// Marks per view (two per page answered: 1 000 pages of 100 keep 2 000).
const MAX_MARKS: usize = 8_192;

/// One term of the list's order: an SQL expression and its direction. The last term is
/// always `rowid ASC`, so a row's values for all terms name exactly that row.
pub struct Term {
    pub expr: String,
    pub desc: bool,
}

/// The sort key of the rows at some positions of each view, for one data version.
#[derive(Debug, Default)]
pub struct PageMarks {
    version: Option<u64>,
    views: HashMap<String, BTreeMap<usize, Vec<Sql>>>,
}

/// Where a page's rows start reading: after `WHERE` holds `cond` (with `params`), skip `skip`.
pub struct Start {
    pub cond: Option<String>,
    pub params: Vec<Sql>,
    pub skip: usize,
}

impl PageMarks {
    /// How to reach the row at `position` of `view` (as of `version`): from the nearest
    /// remembered row at or before it, else from the first row.
    pub fn start(&mut self, version: u64, view: &str, terms: &[Term], position: usize) -> Start {
        if self.version != Some(version) {
            self.views.clear();
            self.version = Some(version);
        }
        let mark = self
            .views
            .get(view)
            .and_then(|marks| marks.range(..=position).next_back());
        match mark {
            Some((&at, key)) => {
                let (cond, params) = at_or_after(terms, key);
                Start {
                    cond: Some(cond),
                    params,
                    skip: position - at,
                }
            }
            None => Start {
                cond: None,
                params: Vec::new(),
                skip: position,
            },
        }
    }

    /// Remembers the keys of a page's first and last rows, at `position` and
    /// `position + len - 1` of `view`.
    pub fn remember(
        &mut self,
        view: &str,
        position: usize,
        len: usize,
        first: Vec<Sql>,
        last: Vec<Sql>,
    ) {
        if self.views.len() >= MAX_VIEWS && !self.views.contains_key(view) {
            self.views.clear();
        }
        let marks = self.views.entry(view.to_string()).or_default();
        if marks.len() + 2 > MAX_MARKS {
            marks.clear();
        }
        marks.insert(position, first);
        marks.insert(position + len.saturating_sub(1), last);
    }
}

/// The rows at or after the marked row (`key`, one value per term) in the order `terms`
/// give: for some term, every term before it equal and that one past the mark (the last
/// term, the unique rowid, may also be equal). The first term's bound comes first on its
/// own, so an index on it is searched, not scanned. `IS` compares NULLs as equal; a
/// comparison with NULL is never true, which is right: only `handled_at` is NULL, and only
/// after the term `handled_at IS NULL` tied.
fn at_or_after(terms: &[Term], key: &[Sql]) -> (String, Vec<Sql>) {
    let first = &terms[0];
    let bound = if first.desc { "<=" } else { ">=" };
    let mut params = vec![key[0].clone()];
    let mut any = Vec::with_capacity(terms.len());
    for (i, term) in terms.iter().enumerate() {
        let last = i + 1 == terms.len();
        let op = match (term.desc, last) {
            (false, false) => ">",
            (true, false) => "<",
            (false, true) => ">=",
            (true, true) => "<=",
        };
        let mut all: Vec<String> = terms[..i]
            .iter()
            .map(|t| format!("({}) IS ?", t.expr))
            .collect();
        params.extend(key[..i].iter().cloned());
        all.push(format!("({}) {op} ?", term.expr));
        params.push(key[i].clone());
        any.push(format!("({})", all.join(" AND ")));
    }
    let cond = format!("({}) {bound} ? AND ({})", first.expr, any.join(" OR "));
    (cond, params)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn terms() -> Vec<Term> {
        vec![
            Term {
                expr: "created_at".into(),
                desc: true,
            },
            Term {
                expr: "rowid".into(),
                desc: false,
            },
        ]
    }

    #[test]
    fn the_nearest_mark_at_or_before_a_position_is_used_and_a_write_forgets_all() {
        let mut m = PageMarks::default();
        let t = terms();
        assert!(m.start(1, "v", &t, 200).cond.is_none());
        m.remember(
            "v",
            100,
            100,
            vec![Sql::Integer(9), Sql::Integer(1)],
            vec![Sql::Integer(5), Sql::Integer(7)],
        );
        let s = m.start(1, "v", &t, 200);
        assert_eq!((s.skip, s.params.len()), (1, 4));
        assert_eq!(s.params[0], Sql::Integer(5));
        assert_eq!(m.start(1, "v", &t, 100).skip, 0);
        assert!(m.start(1, "v", &t, 99).cond.is_none());
        assert!(m.start(1, "other", &t, 200).cond.is_none());
        assert!(
            m.start(2, "v", &t, 200).cond.is_none(),
            "a new version forgets"
        );
    }
}
