//! The quick way through a table whose columns are typed (what Arrow gives:
//! int64 ids, utf8 text, date32 dates, booleans): each column read at once
//! into the frame's own column, with no cell made per value. It gives the
//! same rows the row-by-row reader gives, or `None` when a column is of
//! another kind or holds a value that reader would refuse — which the
//! row-by-row reader then names, as it always does (a test checks the two
//! agree).

use super::column::{Column, Strings};
use super::value::iso_date;
use crate::frame::{Codes, CommunityRows, IdBuilder, PostRows, OPEN};
use crate::ids::{IdColumn, Texts};
use chrono::NaiveDate;

/// Days from 0001-01-01 to 1970-01-01.
const EPOCH: i32 = super::column::UNIX_EPOCH_DAY;

/// An id column read at once: int64 without nulls, or text without an
/// empty or blank id.
fn ids(column: Option<&Column<'_>>, n: usize) -> Option<IdColumn> {
    match column? {
        Column::Int64(v) if v.valid.is_none() && v.values.len() == n => {
            Some(IdColumn::Int(v.values.to_vec()))
        }
        Column::Utf8(s) if s.valid.is_none() => {
            let t = texts(s, n)?;
            (0..n)
                .all(|i| !t.get(i).trim().is_empty())
                .then_some(IdColumn::Text(t))
        }
        _ => None,
    }
}

/// A text column read at once (nulls as empty text).
fn texts(s: &Strings<'_>, n: usize) -> Option<Texts> {
    let mut out = Texts::with_capacity(n, s.data.len());
    for i in 0..n {
        match s.get(i) {
            None => out.push(""),
            Some(Ok(t)) => out.push(t),
            Some(Err(())) => return None,
        }
    }
    Some(out)
}

/// An optional text column: absent or all null is all empty.
fn optional_texts(column: Option<&Column<'_>>, n: usize) -> Option<Texts> {
    match column {
        None | Some(Column::Null(_)) => {
            let mut t = Texts::with_capacity(n, 0);
            for _ in 0..n {
                t.push("");
            }
            Some(t)
        }
        Some(Column::Utf8(s)) => texts(s, n),
        Some(_) => None,
    }
}

/// How a coded column reads a value: required (a blank is for the
/// row-by-row reader to refuse), or optional with what counts as none.
#[derive(Clone, Copy)]
enum Coded {
    Required,
    /// Empty text is no value.
    EmptyIsNone,
    /// Blank text is no value.
    BlankIsNone,
}

/// A coded text column.
fn codes(column: Option<&Column<'_>>, n: usize, codes: &mut Codes, how: Coded) -> Option<()> {
    let required = matches!(how, Coded::Required);
    match column {
        None | Some(Column::Null(_)) if !required => {
            for r in 0..n {
                codes.push(None, r);
            }
            Some(())
        }
        Some(Column::Utf8(s)) => {
            for r in 0..n {
                match (s.get(r), how) {
                    (None, Coded::Required) | (Some(Err(())), _) => return None,
                    (None, _) => codes.push(None, r),
                    (Some(Ok(t)), Coded::Required) if t.trim().is_empty() => return None,
                    (Some(Ok(t)), Coded::Required) => codes.push(Some(t), r),
                    (Some(Ok(t)), Coded::EmptyIsNone) => {
                        codes.push((!t.is_empty()).then_some(t), r)
                    }
                    (Some(Ok(t)), Coded::BlankIsNone) => {
                        codes.push((!t.trim().is_empty()).then_some(t), r)
                    }
                }
            }
            Some(())
        }
        _ => None,
    }
}

/// A date column: date32, or `YYYY-MM-DD` text; `required` refuses nulls.
fn dates(column: Option<&Column<'_>>, n: usize, required: bool) -> Option<Vec<NaiveDate>> {
    let mut out = Vec::with_capacity(n);
    match column {
        None | Some(Column::Null(_)) if !required => out.resize(n, OPEN),
        Some(Column::Date32(v)) => {
            for r in 0..n {
                match v.get(r) {
                    None if !required => out.push(OPEN),
                    None => return None,
                    Some(days) => out.push(NaiveDate::from_num_days_from_ce_opt(
                        days.checked_add(EPOCH)?,
                    )?),
                }
            }
        }
        Some(Column::Utf8(s)) => {
            for r in 0..n {
                match s.get(r) {
                    None if !required => out.push(OPEN),
                    Some(Ok(t)) => out.push(iso_date(t)?),
                    _ => return None,
                }
            }
        }
        _ => return None,
    }
    Some(out)
}

/// A flag column: absent (all false), or booleans without nulls.
fn flags(column: Option<&Column<'_>>, n: usize) -> Option<Vec<bool>> {
    match column {
        None | Some(Column::Null(_)) => Some(vec![false; n]),
        Some(Column::Bool(bits, len, valid)) if *len == n => Some(
            (0..n)
                .map(|i| valid.is_none_or(|v| v.get(i)) && bits.get(i))
                .collect(),
        ),
        _ => None,
    }
}

/// The people rows of a typed table, or `None` for the row-by-row reader.
pub(super) fn post_rows(table: &super::Table<'_>) -> Option<PostRows> {
    let n = table.rows();
    let col = |name: &str| table.column(name);
    if col("income").is_some() {
        return None;
    }
    let mut rows = PostRows::with_capacity(0);
    rows.id = IdBuilder::of(ids(col("id"), n)?);
    rows.community = IdBuilder::of(ids(col("community"), n)?);
    rows.name = optional_texts(col("name"), n)?;
    rows.serving = flags(col("serving"), n)?;
    rows.post = Codes::with_capacity(n);
    codes(col("post"), n, &mut rows.post, Coded::Required)?;
    rows.start = dates(col("start"), n, true)?;
    rows.end = dates(col("end"), n, false)?;
    rows.record = (0..n)
        .map(|r| u32::try_from(table.record(r)).unwrap_or(u32::MAX))
        .collect();
    Some(rows)
}

/// The communities of a typed table, or `None` for the row-by-row reader.
pub(super) fn communities(table: &super::Table<'_>) -> Option<CommunityRows> {
    let n = table.rows();
    let col = |name: &str| table.column(name);
    let reads_more = ["score", "stars", "grids", "flags"]
        .iter()
        .chain(super::MEASURE_COLUMNS)
        .any(|c| col(c).is_some());
    if reads_more {
        return None;
    }
    let households = match col("households")? {
        Column::Int64(v) if v.valid.is_none() && v.values.iter().all(|h| *h >= 0) => {
            v.values.to_vec()
        }
        _ => return None,
    };
    let mut out = CommunityRows::with_capacity(0);
    out.id = IdBuilder::of(ids(col("id"), n)?);
    out.name = optional_texts(col("name"), n)?;
    out.district = Codes::with_capacity(n);
    codes(col("district"), n, &mut out.district, Coded::EmptyIsNone)?;
    out.households = households;
    out.rating = Codes::with_capacity(n);
    codes(col("rating"), n, &mut out.rating, Coded::BlankIsNone)?;
    out.score = vec![None; n];
    out.stars = vec![None; n];
    out.grids = vec![None; n];
    out.flags = vec![Vec::new(); n];
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::super::column::{Bits, Offsets, Values};
    use super::super::{frame, Table, Tables};
    use super::*;
    use std::borrow::Cow;

    fn utf8(v: &[String]) -> (String, Vec<i32>) {
        let mut data = String::new();
        let mut offsets = vec![0i32];
        for s in v {
            data.push_str(s);
            offsets.push(i32::try_from(data.len()).unwrap_or(i32::MAX));
        }
        (data, offsets)
    }

    fn text<'a>(data: &'a str, offsets: &'a [i32]) -> Column<'a> {
        Column::Utf8(Strings {
            data: Cow::Borrowed(data),
            offsets: Offsets::I32(Cow::Borrowed(offsets)),
            valid: None,
        })
    }

    /// A typed table (as Arrow gives) reads into the frame the cells of the
    /// same city give, through the row-by-row reader.
    #[test]
    fn typed_columns_read_as_their_cells_do() -> Result<(), crate::InputError> {
        let city = crate::realistic::city(300, 5);
        let by_cells = frame(&city.tables())?;
        let (c, p) = (&city.communities, &city.people);
        let (cn, cno) = utf8(&c.name);
        let (cd, cdo) = utf8(&c.district);
        let (cr, cro) = utf8(&c.rating);
        let (pn, pno) = utf8(&p.name);
        let (pp, ppo) = utf8(&p.post);
        let days = |d: &NaiveDate| {
            use chrono::Datelike;
            d.num_days_from_ce() - EPOCH
        };
        let start: Vec<i32> = p.start.iter().map(days).collect();
        let end: Vec<i32> = p.end.iter().map(|d| d.as_ref().map_or(0, days)).collect();
        let mut valid = vec![0u8; p.len().div_ceil(8)];
        let mut serving = vec![0u8; p.len().div_ceil(8)];
        for i in 0..p.len() {
            if p.end[i].is_some() {
                valid[i / 8] |= 1 << (i % 8);
            }
            if p.serving[i] {
                serving[i / 8] |= 1 << (i % 8);
            }
        }
        let communities = Table::of_columns(vec![
            ("id".into(), Column::Int64(Values::all(c.id.as_slice()))),
            ("name".into(), text(&cn, &cno)),
            ("district".into(), text(&cd, &cdo)),
            (
                "households".into(),
                Column::Int64(Values::all(c.households.as_slice())),
            ),
            ("rating".into(), text(&cr, &cro)),
        ]);
        let people = Table::of_columns(vec![
            ("id".into(), Column::Int64(Values::all(p.id.as_slice()))),
            (
                "community".into(),
                Column::Int64(Values::all(p.community.as_slice())),
            ),
            ("name".into(), text(&pn, &pno)),
            (
                "serving".into(),
                Column::Bool(Bits::new(&serving, 0), p.len(), None),
            ),
            ("post".into(), text(&pp, &ppo)),
            (
                "start".into(),
                Column::Date32(Values::all(start.as_slice())),
            ),
            (
                "end".into(),
                Column::Date32(Values {
                    values: Cow::Borrowed(end.as_slice()),
                    valid: Some(Bits::new(&valid, 0)),
                }),
            ),
        ]);
        let (Ok(communities), Ok(people)) = (communities, people) else {
            unreachable!("columns of one length")
        };
        let tables = Tables {
            communities,
            people,
            ..Default::default()
        };
        assert!(
            super::communities(&tables.communities).is_some(),
            "the quick way"
        );
        assert!(super::post_rows(&tables.people).is_some(), "the quick way");
        let typed = frame(&tables)?;
        let (a, b) = (&typed, &by_cells);
        assert_eq!(a.communities.id, b.communities.id);
        assert_eq!(a.communities.households, b.communities.households);
        assert_eq!(a.communities.people, b.communities.people);
        assert_eq!(a.communities.name, b.communities.name);
        for c in 0..a.communities.len() {
            assert_eq!(a.communities.district.get(c), b.communities.district.get(c));
            assert_eq!(a.communities.rating.get(c), b.communities.rating.get(c));
        }
        assert_eq!(a.people.id, b.people.id);
        assert_eq!(a.people.community, b.people.community);
        assert_eq!(a.people.name, b.people.name);
        assert_eq!(a.people.serving, b.people.serving);
        assert_eq!(a.people.holdings, b.people.holdings);
        assert_eq!(a.people.record, b.people.record);
        assert_eq!(a.holdings.start, b.holdings.start);
        assert_eq!(a.holdings.end, b.holdings.end);
        for h in 0..a.holdings.len() {
            assert_eq!(a.holdings.post.get(h), b.holdings.post.get(h));
        }
        Ok(())
    }
}
