//! The quick way through a table whose columns are typed (what Arrow gives:
//! int64 ids, utf8 text, date32 dates, booleans): each column read at once
//! into the frame's own column, with no cell made per value. It gives the
//! same rows the row-by-row reader gives, or `None` when a column is of
//! another kind or holds a value that reader would refuse — which the
//! row-by-row reader then names, as it always does (a test checks the two
//! agree).

use super::cell::Cell;
use super::column::{Bits, Column, Offsets, Strings, Values};
use super::value::iso_date;
use crate::frame::{Codes, CommunityRows, IdBuilder, PostRows, OPEN};
use crate::ids::{IdColumn, Texts};
use chrono::NaiveDate;

/// Days from 0001-01-01 to 1970-01-01.
const EPOCH: i32 = super::column::UNIX_EPOCH_DAY;

/// A table's columns as the quick way reads them: a column of cells that
/// all hold one kind of value (text, whole numbers, booleans or dates, with
/// gaps) is first made a typed column, once, so that a table sent as JSON
/// or Python dicts takes the quick way too.
pub(super) struct View<'t, 'a> {
    /// The table with its headers resolved (a Chinese header stands for
    /// its column).
    mapped: &'t super::View<'t, 'a>,
    typed: Vec<(&'t str, Column<'static>)>,
}

impl<'t, 'a> View<'t, 'a> {
    /// The view of `mapped`, typing the cell columns among `reads`.
    pub(super) fn of(mapped: &'t super::View<'t, 'a>, reads: &[&'t str]) -> Self {
        let typed = reads
            .iter()
            .filter_map(|n| Some((*n, typed(mapped.column(n)?)?)))
            .collect();
        View { mapped, typed }
    }

    fn column(&self, name: &str) -> Option<&Column<'a>> {
        match self.typed.iter().find(|(n, _)| *n == name) {
            Some((_, c)) => Some(c),
            None => self.mapped.column(name),
        }
    }

    fn rows(&self) -> usize {
        self.mapped.table.rows()
    }

    fn record(&self, row: usize) -> usize {
        self.mapped.table.record(row)
    }
}

/// A column of cells of one kind as a typed column (`None` for a column
/// that is typed already, or whose cells are of several kinds).
fn typed(column: &Column<'_>) -> Option<Column<'static>> {
    let Column::Cells(cells) = column else {
        return None;
    };
    let n = cells.len();
    let mut valid = vec![0u8; n.div_ceil(8)];
    let mut any_gap = false;
    let mut set = |i: usize, ok: bool| {
        if ok {
            valid[i / 8] |= 1 << (i % 8);
        } else {
            any_gap = true;
        }
    };
    let Some(first) = cells
        .iter()
        .find(|c| !matches!(c, Cell::Missing | Cell::Null))
    else {
        return Some(Column::Null(n));
    };
    let column = match first {
        Cell::Str(_) => {
            let mut data = String::new();
            let mut offsets = Vec::with_capacity(n + 1);
            offsets.push(0i64);
            for (i, c) in cells.iter().enumerate() {
                match c {
                    Cell::Str(s) => {
                        data.push_str(s);
                        set(i, true);
                    }
                    Cell::Missing | Cell::Null => set(i, false),
                    _ => return None,
                }
                offsets.push(i64::try_from(data.len()).ok()?);
            }
            Column::Utf8(Strings {
                data: std::borrow::Cow::Owned(data),
                offsets: Offsets::I64(std::borrow::Cow::Owned(offsets)),
                valid: None,
            })
        }
        Cell::Int(_) => {
            let mut values = Vec::with_capacity(n);
            for (i, c) in cells.iter().enumerate() {
                match c {
                    Cell::Int(v) => {
                        values.push(*v);
                        set(i, true);
                    }
                    Cell::Missing | Cell::Null => {
                        values.push(0);
                        set(i, false);
                    }
                    _ => return None,
                }
            }
            Column::Int64(Values::all(values))
        }
        Cell::Bool(_) => {
            let mut bits = vec![0u8; n.div_ceil(8)];
            for (i, c) in cells.iter().enumerate() {
                match c {
                    Cell::Bool(b) => {
                        if *b {
                            bits[i / 8] |= 1 << (i % 8);
                        }
                        set(i, true);
                    }
                    Cell::Missing | Cell::Null => set(i, false),
                    _ => return None,
                }
            }
            return Some(with_validity_bool(bits, n, valid, any_gap));
        }
        Cell::Date(_) => {
            let mut values = Vec::with_capacity(n);
            for (i, c) in cells.iter().enumerate() {
                match c {
                    Cell::Date(d) => {
                        use chrono::Datelike;
                        values.push(d.num_days_from_ce() - EPOCH);
                        set(i, true);
                    }
                    Cell::Missing | Cell::Null => {
                        values.push(0);
                        set(i, false);
                    }
                    _ => return None,
                }
            }
            Column::Date32(Values::all(values))
        }
        _ => return None,
    };
    Some(with_validity(column, valid, any_gap))
}

/// `column` with its gaps marked, when it has any.
fn with_validity(column: Column<'static>, valid: Vec<u8>, any_gap: bool) -> Column<'static> {
    if !any_gap {
        return column;
    }
    let bits = Bits::owned(valid);
    match column {
        Column::Utf8(s) => Column::Utf8(Strings {
            valid: Some(bits),
            ..s
        }),
        Column::Int64(v) => Column::Int64(Values {
            valid: Some(bits),
            ..v
        }),
        Column::Date32(v) => Column::Date32(Values {
            valid: Some(bits),
            ..v
        }),
        other => other,
    }
}

fn with_validity_bool(bits: Vec<u8>, n: usize, valid: Vec<u8>, any_gap: bool) -> Column<'static> {
    Column::Bool(Bits::owned(bits), n, any_gap.then(|| Bits::owned(valid)))
}

/// Whether text is empty or white space only: at once for text starting
/// with an ASCII letter or digit (most ids and labels), else by `trim`.
#[inline]
fn blank(s: &str) -> bool {
    match s.as_bytes().first() {
        None => true,
        Some(b) if b.is_ascii_alphanumeric() => false,
        Some(_) => s.trim().is_empty(),
    }
}

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
                .all(|i| !blank(t.get(i)))
                .then_some(IdColumn::Text(t))
        }
        _ => None,
    }
}

/// A text column read at once (nulls as empty text).
fn texts(s: &Strings<'_>, n: usize) -> Option<Texts> {
    if s.valid.is_none() && s.offsets.count() == n {
        // The strings as they lie, at once.
        if let Some(t) = Texts::from_spans(&s.data, n, |i| s.offsets.span(i)) {
            return Some(t);
        }
    }
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
                    (Some(Ok(t)), Coded::Required) if blank(t) => return None,
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
                .map(|i| valid.as_ref().is_none_or(|v| v.get(i)) && bits.get(i))
                .collect(),
        ),
        _ => None,
    }
}

/// The people rows of a typed table, or `None` for the row-by-row reader.
pub(super) fn post_rows(table: &View<'_, '_>) -> Option<PostRows> {
    let n = table.rows();
    let col = |name: &str| table.column(name);
    if !matches!(col("income"), None | Some(Column::Null(_))) {
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
pub(super) fn communities(table: &View<'_, '_>) -> Option<CommunityRows> {
    let n = table.rows();
    let col = |name: &str| table.column(name);
    let reads_more = ["score", "stars", "grids"]
        .iter()
        .chain(super::MEASURE_COLUMNS)
        .any(|c| !matches!(col(c), None | Some(Column::Null(_))));
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
    out.flags = match col("flags") {
        None | Some(Column::Null(_)) => vec![Vec::new(); n],
        Some(Column::Utf8(s)) => {
            let t = texts(s, n)?;
            (0..n).map(|i| super::flag_list(t.get(i))).collect()
        }
        Some(_) => return None,
    };
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::super::column::{Bits, Offsets, Values};
    use super::super::ignored::TableKind;
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
        let headers = super::super::headers::Headers::builtin();
        let mapped = |t, kind| {
            let (mut ignored, mut mapping) = (Default::default(), Vec::new());
            super::super::View::new(t, kind, &headers, &mut ignored, &mut mapping)
        };
        let c_mapped = mapped(&tables.communities, TableKind::Communities);
        let p_mapped = mapped(&tables.people, TableKind::People);
        let c_view = View::of(&c_mapped, super::super::COMMUNITY_COLUMNS);
        let p_view = View::of(&p_mapped, super::super::PEOPLE_COLUMNS);
        assert!(super::communities(&c_view).is_some(), "the quick way");
        assert!(super::post_rows(&p_view).is_some(), "the quick way");
        // The cells of the realistic city (text and dates as cells) are
        // typed first, and take the quick way too.
        let cells = city.tables();
        let cells_mapped = mapped(&cells.people, TableKind::People);
        assert!(super::post_rows(&View::of(&cells_mapped, super::super::PEOPLE_COLUMNS)).is_some());
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
