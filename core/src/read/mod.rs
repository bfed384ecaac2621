//! The one reader: tables in (a front-end's columns or cells), a checked
//! [`Frame`] out. Every front-end — the JSON boundary, the Python tables,
//! the web form's CSV — hands its tables over as [`Table`]s and calls
//! [`frame`]; what a cell means is decided once, in [`value`].
//!
//! Rows are read in order, each row's fields in the order of the table's
//! columns list ([`COMMUNITY_COLUMNS`], [`PEOPLE_COLUMNS`],
//! [`ADJUSTMENT_COLUMNS`]), so the first error is the first bad cell of the
//! first bad row. A row that fits no other (a repeated id, a person in
//! a community not given, rows of one person that disagree) is found when
//! the table is put together, after every value is read.

pub mod cell;
pub mod column;
mod fast;
pub mod ignored;
pub mod value;

pub use cell::Cell;
pub use column::{
    Bits, CellRows, CellSource, Column, Offsets, Strings, Table, TableProblem, TimeUnit, Values,
};
pub use ignored::{
    IgnoredColumn, IgnoredColumns, TableKind, ADJUSTMENT_COLUMNS, COMMUNITY_COLUMNS,
    MEASURE_COLUMNS, PEOPLE_COLUMNS, POST_COLUMNS,
};

use crate::error::{InputError, InputErrorCode as Code, RecordKind, RecordRef};
use crate::frame::{self, AdjustmentRow, CommunityRows, Frame, IdCell, PostRow, PostRows, OPEN};
use std::borrow::Cow;
use value::Problem;

/// The tables of a city, as a front-end hands them over.
#[derive(Debug, Default)]
pub struct Tables<'a> {
    /// Communities.
    pub communities: Table<'a>,
    /// People: one row per post held.
    pub people: Table<'a>,
    /// Adjustment lines.
    pub adjustments: Table<'a>,
    /// Fields of post records (in person records' `posts` lists) that shequ
    /// does not read, in the order first seen.
    pub post_keys: Vec<String>,
}

/// Read a city's tables into a [`Frame`].
///
/// # Errors
/// An [`InputError`] naming the table's kind, the record (its position and,
/// once read, its id) and the field.
///
/// ```
/// use shequ::read::{self, Cell, CellRows, Tables};
/// let mut rows = CellRows::default();
/// rows.start_row(0);
/// rows.field("id", Cell::Int(101)).unwrap();
/// rows.field("households", Cell::Str("2750".into())).unwrap();
/// let tables = Tables { communities: rows.finish(false), ..Default::default() };
/// let frame = read::frame(&tables)?;
/// assert_eq!(frame.communities.households, [2750]);
/// assert!(frame.communities.id.is_int());
/// # Ok::<(), shequ::InputError>(())
/// ```
pub fn frame(tables: &Tables<'_>) -> Result<Frame, InputError> {
    let mut ignored = IgnoredColumns::default();
    for name in tables.communities.names() {
        ignored.check(TableKind::Communities, name);
    }
    for name in tables.people.names() {
        ignored.check(TableKind::People, name);
    }
    for name in &tables.post_keys {
        ignored.check(TableKind::Posts, name);
    }
    for name in tables.adjustments.names() {
        ignored.check(TableKind::Adjustments, name);
    }
    let communities = communities(&tables.communities)?;
    let people = post_rows(&tables.people)?;
    let adjustments = adjustments(&tables.adjustments)?;
    frame::assemble(communities, people, adjustments, ignored.into_list())
}

/// The error for row `index` of a `kind` table that is not a record at all
/// (`what` says what a row must be in the caller's terms: `an object`, `a
/// dict`).
pub fn not_a_row(kind: RecordKind, index: usize, what: &str) -> InputError {
    let record = RecordRef {
        kind,
        index: Some(index),
        id: None,
    };
    InputError::new(
        Code::MissingField,
        record,
        "(row)",
        format!("each row must be {what}"),
    )
}

/// The error for a person record whose list of posts is empty.
pub fn no_posts(index: usize, id: Option<String>) -> InputError {
    let record = RecordRef {
        kind: RecordKind::Person,
        index: Some(index),
        id,
    };
    InputError::new(Code::NoPosts, record, "posts", "the person holds no post")
}

/// The error for a record that gives a field twice.
pub fn repeated_field(kind: RecordKind, index: usize, field: &str) -> InputError {
    let record = RecordRef {
        kind,
        index: Some(index),
        id: None,
    };
    InputError::new(
        Code::DuplicateField,
        record,
        field,
        format!("the field `{field}` is given twice in one record; give it once"),
    )
}

/// A table's columns read row by row, each error naming the row.
struct Rows<'t, 'a> {
    table: &'t Table<'a>,
    kind: RecordKind,
    id: Option<&'t Column<'a>>,
    id_field: &'static str,
}

impl<'t, 'a> Rows<'t, 'a> {
    fn new(table: &'t Table<'a>, kind: RecordKind, id_field: &'static str) -> Self {
        Rows {
            table,
            kind,
            id: table.column(id_field),
            id_field,
        }
    }

    fn column(&self, name: &str) -> Option<&'t Column<'a>> {
        self.table.column(name)
    }

    /// The error of `problem` in `field` of `row`.
    #[cold]
    fn err(&self, row: usize, field: &str, problem: Problem) -> InputError {
        let id = self
            .id
            .map(|c| value::text(c.cell(row), self.id_field))
            .and_then(|t| t.ok().flatten())
            .map(Cow::into_owned)
            .filter(|t| !t.trim().is_empty() || field != self.id_field);
        let record = RecordRef {
            kind: self.kind,
            index: Some(self.table.record(row)),
            id: if field == self.id_field { None } else { id },
        };
        InputError::new(problem.code, record, field, problem.message)
    }

    fn with<T>(&self, row: usize, field: &str, r: Result<T, Problem>) -> Result<T, InputError> {
        r.map_err(|p| self.err(row, field, p))
    }
}

#[inline]
fn cell<'c>(column: Option<&'c Column<'_>>, row: usize) -> Cell<'c> {
    column.map_or(Cell::Missing, |c| c.cell(row))
}

/// An id cell: a whole number stays one, anything else is its text.
fn id_cell<'c>(c: Cell<'c>, field: &str) -> Result<IdOrText<'c>, Problem> {
    match c {
        Cell::Int(i) => Ok(IdOrText::Int(i)),
        Cell::Float(f) if f.fract() == 0.0 && f.abs() < 9.0e15 => Ok(IdOrText::Int(f as i64)),
        other => match value::text(other, field)? {
            None => Err(value::required(field)),
            Some(t) if t.trim().is_empty() => {
                Err(Problem::new(Code::EmptyId, format!("`{field}` is empty")))
            }
            Some(t) => Ok(IdOrText::Text(t)),
        },
    }
}

enum IdOrText<'c> {
    Int(i64),
    Text(Cow<'c, str>),
}

impl IdOrText<'_> {
    fn as_cell(&self) -> IdCell<'_> {
        match self {
            IdOrText::Int(i) => IdCell::Int(*i),
            IdOrText::Text(t) => IdCell::Text(t),
        }
    }
}

fn communities(table: &Table<'_>) -> Result<CommunityRows, InputError> {
    if let Some(rows) = fast::communities(&fast::View::of(table, COMMUNITY_COLUMNS)) {
        return Ok(rows);
    }
    let rows = Rows::new(table, RecordKind::Community, "id");
    let n = table.rows();
    let mut out = CommunityRows::with_capacity(n);
    let col = |name: &str| rows.column(name);
    let (id, name, district, households) =
        (col("id"), col("name"), col("district"), col("households"));
    let (rating, score, stars, grids, flags) = (
        col("rating"),
        col("score"),
        col("stars"),
        col("grids"),
        col("flags"),
    );
    let measures: Vec<(&str, &Column<'_>)> = MEASURE_COLUMNS
        .iter()
        .filter_map(|m| col(m).map(|c| (*m, c)))
        .collect();
    for r in 0..n {
        let the_id = rows.with(r, "id", id_cell(cell(id, r), "id"))?;
        out.id.push(the_id.as_cell());
        let text = |c, field| rows.with(r, field, value::text(cell(c, r), field));
        out.name.push(text(name, "name")?.as_deref().unwrap_or(""));
        let d = text(district, "district")?;
        out.district.push(d.as_deref().filter(|d| !d.is_empty()), r);
        out.households.push(rows.with(
            r,
            "households",
            value::households(cell(households, r), "households"),
        )?);
        let rt = text(rating, "rating")?;
        out.rating
            .push(rt.as_deref().filter(|s| !s.trim().is_empty()), r);
        out.score
            .push(rows.with(r, "score", value::decimal(cell(score, r), "score", true))?);
        out.stars.push(
            rows.with(r, "stars", value::small_count(cell(stars, r), "stars", 5))?
                .map(|n| n as u8),
        );
        out.grids.push(rows.with(
            r,
            "grids",
            value::small_count(cell(grids, r), "grids", 100_000),
        )?);
        for (m, c) in &measures {
            if let Some(v) = rows.with(r, m, value::decimal(c.cell(r), m, true))? {
                if v.is_sign_negative() && !v.is_zero() {
                    return Err(rows.err(
                        r,
                        m,
                        Problem::new(Code::OutOfRange, format!("`{v}` is negative")),
                    ));
                }
                out.measure(m).push_at(r, v);
            }
        }
        out.flags.push(
            text(flags, "flags")?
                .map(|t| flag_list(&t))
                .unwrap_or_default(),
        );
    }
    Ok(out)
}

/// A community's flags as written in one text: separated by commas,
/// semicolons, bars, spaces, `，` or `、`.
fn flag_list(text: &str) -> Vec<String> {
    text.split([',', ';', '|', ' ', '，', '、'])
        .filter(|f| !f.is_empty())
        .map(str::to_string)
        .collect()
}

fn post_rows(table: &Table<'_>) -> Result<PostRows, InputError> {
    if let Some(rows) = fast::post_rows(&fast::View::of(table, PEOPLE_COLUMNS)) {
        return Ok(rows);
    }
    let rows = Rows::new(table, RecordKind::Person, "id");
    let n = table.rows();
    let mut out = PostRows::with_capacity(n);
    let col = |name: &str| rows.column(name);
    let (id, community, name, serving) = (col("id"), col("community"), col("name"), col("serving"));
    let (post, start, end, income) = (col("post"), col("start"), col("end"), col("income"));
    for r in 0..n {
        let the_id = rows.with(r, "id", id_cell(cell(id, r), "id"))?;
        let the_community = match id_cell(cell(community, r), "community") {
            Ok(c) => c,
            // An empty reference is a missing one.
            Err(p) if p.code == Code::EmptyId => {
                return Err(rows.err(r, "community", value::required("community")))
            }
            Err(p) => return Err(rows.err(r, "community", p)),
        };
        let the_name = rows.with(r, "name", value::text(cell(name, r), "name"))?;
        let is_serving = rows.with(r, "serving", value::flag(cell(serving, r), "serving"))?;
        let the_post = rows
            .with(r, "post", value::text(cell(post, r), "post"))?
            .ok_or_else(|| rows.err(r, "post", value::required("post")))?;
        let the_start = rows
            .with(r, "start", value::date(cell(start, r), "start"))?
            .ok_or_else(|| rows.err(r, "start", value::required("start")))?;
        let the_end = rows.with(r, "end", value::date(cell(end, r), "end"))?;
        let the_income = rows.with(r, "income", value::decimal(cell(income, r), "income", true))?;
        out.push(PostRow {
            record: table.record(r),
            id: the_id.as_cell(),
            community: the_community.as_cell(),
            name: the_name.as_deref().unwrap_or(""),
            serving: is_serving,
            post: &the_post,
            start: the_start,
            end: the_end.unwrap_or(OPEN),
            income: the_income,
        });
    }
    Ok(out)
}

fn adjustments(table: &Table<'_>) -> Result<Vec<AdjustmentRow>, InputError> {
    let rows = Rows::new(table, RecordKind::Adjustment, "community");
    let col = |name: &str| rows.column(name);
    let (community, rule, amount, reason) =
        (col("community"), col("rule"), col("amount"), col("reason"));
    let mut out = Vec::with_capacity(table.rows());
    for r in 0..table.rows() {
        let c = rows.with(r, "community", id_cell(cell(community, r), "community"))?;
        let amount = rows
            .with(
                r,
                "amount",
                value::decimal(cell(amount, r), "amount", false),
            )?
            .ok_or_else(|| {
                rows.err(
                    r,
                    "amount",
                    Problem::new(Code::MissingField, "`amount` is required"),
                )
            })?;
        let rule = rows
            .with(r, "rule", value::text(cell(rule, r), "rule"))?
            .map(Cow::into_owned);
        let reason = rows
            .with(r, "reason", value::text(cell(reason, r), "reason"))?
            .ok_or_else(|| rows.err(r, "reason", value::required("reason")))?
            .into_owned();
        out.push(AdjustmentRow {
            record: table.record(r),
            community: match c {
                IdOrText::Int(i) => crate::ids::Id::Int(i),
                IdOrText::Text(t) => crate::ids::Id::Text(t.into_owned()),
            },
            rule,
            amount,
            reason,
        });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table(rows: Vec<Vec<(&str, Cell<'static>)>>) -> Table<'static> {
        let mut t = CellRows::default();
        for (i, row) in rows.into_iter().enumerate() {
            t.start_row(i);
            for (name, c) in row {
                let _ = t.field(name, c);
            }
        }
        t.finish(false)
    }

    fn community(
        id: Cell<'static>,
        households: Cell<'static>,
    ) -> Vec<(&'static str, Cell<'static>)> {
        vec![("id", id), ("households", households)]
    }

    #[test]
    fn households_errors_name_the_row_and_field() {
        let cases = [
            (Cell::Float(2750.5), "fractional_households"),
            (Cell::Float(f64::NAN), "missing_field"),
            (Cell::Null, "missing_field"),
            (Cell::Int(-1), "negative_households"),
            (Cell::Str("abc".into()), "invalid_number"),
        ];
        for (c, want) in cases {
            let mut rows: Vec<_> = (0..4)
                .map(|i| community(Cell::Int(i), Cell::Int(10)))
                .collect();
            rows.push(community(Cell::Str("C9".into()), c.clone()));
            let tables = Tables {
                communities: table(rows),
                ..Default::default()
            };
            let Err(e) = frame(&tables).map(|_| ()) else {
                unreachable!("{c:?} is refused")
            };
            assert_eq!(e.code.as_str(), want, "{c:?}");
            assert_eq!(e.record.id.as_deref(), Some("C9"));
            assert_eq!(e.record.index, Some(4));
            assert_eq!(e.field, "households");
        }
    }

    #[test]
    fn people_rows_of_one_id_are_one_person_and_ids_keep_their_type() -> Result<(), InputError> {
        let tables = Tables {
            communities: table(vec![
                community(Cell::Int(101), Cell::Int(10)),
                community(Cell::Int(7), Cell::Int(10)),
            ]),
            people: table(vec![
                vec![
                    ("id", Cell::Int(2)),
                    ("community", Cell::Int(7)),
                    ("post", Cell::Str("组长".into())),
                    ("start", Cell::Str("2020-02-29 00:00:00".into())),
                    ("serving", Cell::Str("在职".into())),
                ],
                vec![
                    ("id", Cell::Int(1)),
                    ("community", Cell::Str("101".into())),
                    ("post", Cell::Str("x".into())),
                    ("start", Cell::Str("2020-01-01".into())),
                ],
                vec![
                    ("id", Cell::Int(2)),
                    ("community", Cell::Int(7)),
                    ("post", Cell::Str("y".into())),
                    ("start", Cell::Str("2021-01-01".into())),
                    ("serving", Cell::Bool(true)),
                ],
            ]),
            ..Default::default()
        };
        let f = frame(&tables)?;
        // Person 1 is in the first community, so first; person 2 holds two posts.
        assert_eq!(f.people.id, crate::ids::IdColumn::Int(vec![1, 2]));
        assert_eq!(f.people.community, [0, 1]);
        assert_eq!(f.people.holdings, [0, 1, 3]);
        assert_eq!(f.holdings.post.get(1), Some("组长"));
        assert_eq!(f.people.serving, [false, true]);
        assert_eq!(f.communities.people, [0, 1, 2]);
        Ok(())
    }

    #[test]
    fn rows_that_do_not_fit_are_named() {
        let people = |rows| Tables {
            communities: table(vec![community(Cell::Str("C1".into()), Cell::Int(10))]),
            people: table(rows),
            ..Default::default()
        };
        let row = |id: &'static str, c: &'static str, serving: bool| {
            vec![
                ("id", Cell::Str(id.into())),
                ("community", Cell::Str(c.into())),
                ("post", Cell::Str("x".into())),
                ("start", Cell::Str("2020-01-01".into())),
                ("serving", Cell::Bool(serving)),
            ]
        };
        for (rows, code, index) in [
            (
                vec![row("P1", "C1", false), row("P1", "C1", true)],
                "conflicting_rows",
                1,
            ),
            (
                vec![row("P1", "C1", false), row("P2", "C2", false)],
                "unknown_community",
                1,
            ),
            (
                vec![row("P1", "C1", false), row(" ", "C1", false)],
                "empty_id",
                1,
            ),
        ] {
            let Err(e) = frame(&people(rows)).map(|_| ()) else {
                unreachable!("{code} at {index}")
            };
            assert_eq!((e.code.as_str(), e.record.index), (code, Some(index)));
        }
    }
}
