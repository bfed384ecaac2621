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
pub mod headers;
pub mod ignored;
pub mod sheet;
pub mod tables;
pub mod value;

pub use cell::Cell;
pub use column::{
    Bits, CellRows, CellSource, Column, Offsets, Origin, Strings, Table, TableProblem, TimeUnit,
    Values,
};
pub use headers::{Headers, MappedColumn, Resolved};
pub use ignored::{
    IgnoredColumn, IgnoredColumns, TableKind, ADJUSTMENT_COLUMNS, COMMUNITY_COLUMNS,
    MEASURE_COLUMNS, PEOPLE_COLUMNS, POST_COLUMNS,
};

use crate::error::{InputError, InputErrorCode as Code, RecordKind, RecordRef};
use crate::frame::{self, AdjustmentRow, CommunityRows, Frame, IdCell, PostRow, PostRows, OPEN};
use headers::builtin_labels;
use std::borrow::Cow;
use std::fmt::Write as _;
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
    /// What the reader of a file did to find the tables (sheets read, rows
    /// skipped, the encoding: see [`sheet::read`]); they go with the
    /// budget's warnings.
    pub notes: Vec<crate::notes::Note>,
}

/// Read a city's tables into a [`Frame`], each header read by the built-in
/// labels (see [`frame_with`]).
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
/// rows.field("户数", Cell::Str("2,750".into())).unwrap();
/// let tables = Tables { communities: rows.finish(false), ..Default::default() };
/// let frame = read::frame(&tables)?;
/// assert_eq!(frame.communities.households, [2750]);
/// assert!(frame.communities.id.is_int());
/// # Ok::<(), shequ::InputError>(())
/// ```
pub fn frame(tables: &Tables<'_>) -> Result<Frame, InputError> {
    frame_with(tables, &Headers::builtin())
}

/// Read a city's tables into a [`Frame`], each header read by `headers`
/// (the built-in labels and a policy's, [`crate::Policy::headers`]): a
/// column is found by its name or any of its labels (`households`, `户数`,
/// `实有户数`), and every header seen is reported in
/// [`Frame::columns`]. A header that stands for no column is an
/// `unknown_column` warning with the column it likely stands for; a
/// required column that no header stands for is `missing_field`, naming
/// its labels and the header that likely meant it.
///
/// # Errors
/// As [`frame`].
pub fn frame_with(tables: &Tables<'_>, headers: &Headers) -> Result<Frame, InputError> {
    let mut ignored = IgnoredColumns::default();
    let mut mapping = Vec::new();
    let c = View::new(
        &tables.communities,
        TableKind::Communities,
        headers,
        &mut ignored,
        &mut mapping,
    );
    let p = View::new(
        &tables.people,
        TableKind::People,
        headers,
        &mut ignored,
        &mut mapping,
    );
    for name in &tables.post_keys {
        ignored.check_with(headers, TableKind::Posts, name);
    }
    let a = View::new(
        &tables.adjustments,
        TableKind::Adjustments,
        headers,
        &mut ignored,
        &mut mapping,
    );
    let communities = communities(&c)?;
    let people = post_rows(&p)?;
    let adjustments = adjustments(&a)?;
    let mut frame = frame::assemble(communities, people, adjustments, ignored.into_list())?;
    frame.columns = mapping;
    frame.notes = tables.notes.clone();
    Ok(frame)
}

impl Tables<'_> {
    /// Rename each table's columns to the columns their headers stand for
    /// by `headers` (`户数` → `households`), leaving the others as written;
    /// the mapping of every header, in order.
    ///
    /// ```
    /// use shequ::read::{Cell, CellRows, Headers, Tables};
    /// let mut rows = CellRows::default();
    /// rows.start_row(0);
    /// rows.field("社区编号", Cell::Int(1)).unwrap();
    /// rows.field("备注", Cell::Null).unwrap();
    /// let mut tables = Tables { communities: rows.finish(false), ..Default::default() };
    /// let mapping = tables.map_headers(&Headers::builtin());
    /// assert_eq!(tables.communities.names().collect::<Vec<_>>(), ["id", "备注"]);
    /// assert_eq!(mapping[1].suggestion, None);
    /// ```
    pub fn map_headers(&mut self, headers: &Headers) -> Vec<MappedColumn> {
        let mut out = Vec::new();
        for (kind, table) in [
            (TableKind::Communities, &mut self.communities),
            (TableKind::People, &mut self.people),
            (TableKind::Adjustments, &mut self.adjustments),
        ] {
            let resolved = headers.resolve(kind, table.names().collect::<Vec<_>>());
            let sheet = table.origin().map(|o| o.sheet.clone());
            out.extend(
                resolved
                    .iter()
                    .map(|r| MappedColumn::of(kind, sheet.as_deref(), r)),
            );
            let mut k = 0;
            table.rename(|_| {
                let new = resolved
                    .get(k)
                    .and_then(|r| r.column)
                    .filter(|c| resolved.get(k).is_some_and(|r| r.header != *c))
                    .map(str::to_string);
                k += 1;
                new
            });
        }
        out
    }
}

/// A table seen through its headers: each column it reads, found by the
/// header that stands for it.
struct View<'t, 'a> {
    table: &'t Table<'a>,
    kind: TableKind,
    /// Per header, in the table's order, what it stands for.
    resolved: Vec<Resolved>,
}

impl<'t, 'a> View<'t, 'a> {
    fn new(
        table: &'t Table<'a>,
        kind: TableKind,
        headers: &Headers,
        ignored: &mut IgnoredColumns,
        mapping: &mut Vec<MappedColumn>,
    ) -> Self {
        let resolved = headers.resolve(kind, table.names().collect::<Vec<_>>());
        let sheet = table.origin().map(|o| o.sheet.as_str());
        for r in &resolved {
            mapping.push(MappedColumn::of(kind, sheet, r));
            if r.column.is_none() {
                ignored.push(IgnoredColumn {
                    table: kind,
                    column: r.header.clone(),
                    suggestion: r.suggestion.map(str::to_string),
                    shadowed_by: r.shadowed_by.clone(),
                });
            }
        }
        View {
            table,
            kind,
            resolved,
        }
    }

    /// The column that stands for `name`.
    fn column(&self, name: &str) -> Option<&'t Column<'a>> {
        let k = self.resolved.iter().position(|r| r.column == Some(name))?;
        self.table.column_at(k).map(|(_, c)| c)
    }

    /// The header that stands for `name`, as written.
    fn header(&self, name: &str) -> Option<&str> {
        self.resolved
            .iter()
            .find(|r| r.column == Some(name))
            .map(|r| r.header.as_str())
    }

    /// The problem of required column `name` when no header stands for it:
    /// its labels, and the header that likely meant it.
    fn absent(&self, name: &str) -> Problem {
        let labels = builtin_labels(self.kind)
            .iter()
            .find(|(c, _)| *c == name)
            .map(|(_, l)| {
                l.iter()
                    .filter(|x| !x.is_ascii())
                    .take(4)
                    .copied()
                    .collect::<Vec<_>>()
            })
            .unwrap_or_default();
        let zh = labels.first().copied().unwrap_or(name);
        let (zh_table, en_table) = self.kind.name();
        let likely = self
            .resolved
            .iter()
            .find(|r| r.column.is_none() && r.suggestion == Some(name))
            .map(|r| r.header.as_str());
        let listed = |v: &[&str]| {
            v.iter()
                .map(|h| format!("`{h}`"))
                .collect::<Vec<_>>()
                .join(", ")
        };
        let heard: Vec<&str> = self
            .resolved
            .iter()
            .map(|r| r.header.as_str())
            .take(12)
            .collect();
        let (en_hint, zh_hint) = match likely {
            Some(h) => (
                format!("did you mean `{h}`? rename it `{name}` or {zh}"),
                format!("是否应为 `{h}`?请将其改名为 `{name}` 或“{zh}”"),
            ),
            None if heard.is_empty() => (
                "the table has no columns".to_string(),
                "表中没有任何列".to_string(),
            ),
            None => (
                format!("the headers are {}", listed(&heard)),
                format!("表头为 {}", listed(&heard)),
            ),
        };
        Problem::new(
            Code::MissingField,
            format!(
                "`{name}` is required and no column of the {en_table} table stands for it (a header such as `{name}`{}); {en_hint}; {zh_table}缺少必填列“{zh}”({name}),{zh_hint}",
                labels.iter().map(|l| format!(", {l}")).collect::<String>()
            ),
        )
    }
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
struct Rows<'v, 't, 'a> {
    view: &'v View<'t, 'a>,
    kind: RecordKind,
    id: Option<&'t Column<'a>>,
    id_field: &'static str,
}

impl<'v, 't, 'a> Rows<'v, 't, 'a> {
    fn new(view: &'v View<'t, 'a>, kind: RecordKind, id_field: &'static str) -> Self {
        Rows {
            view,
            kind,
            id: view.column(id_field),
            id_field,
        }
    }

    fn column(&self, name: &str) -> Option<&'t Column<'a>> {
        self.view.column(name)
    }

    /// Refuse a table with rows and no column for one of `names`.
    fn require(&self, names: &[&str]) -> Result<(), InputError> {
        if self.view.table.rows() == 0 {
            return Ok(());
        }
        match names.iter().find(|n| self.column(n).is_none()) {
            Some(n) => Err(self.err(0, n, self.view.absent(n))),
            None => Ok(()),
        }
    }

    /// The error of `problem` in `field` of `row`.
    #[cold]
    fn err(&self, row: usize, field: &str, problem: Problem) -> InputError {
        let table = self.view.table;
        let id = self
            .id
            .map(|c| value::text(c.cell(row), self.id_field))
            .and_then(|t| t.ok().flatten())
            .map(Cow::into_owned)
            .filter(|t| !t.trim().is_empty() || field != self.id_field);
        let record = RecordRef {
            kind: self.kind,
            index: Some(table.record(row)),
            id: if field == self.id_field { None } else { id },
        };
        let mut message = problem.message;
        if let Some(line) = table.origin().and_then(|o| Some((o, o.line(row)?))) {
            let (origin, line) = line;
            let sheet = &origin.sheet;
            match self.view.header(field) {
                Some(h) => {
                    let _ = write!(
                        message,
                        " (sheet `{sheet}`, row {line}, column `{h}`; 工作表“{sheet}”第 {line} 行“{h}”列)"
                    );
                }
                None => {
                    let _ = write!(
                        message,
                        " (sheet `{sheet}`, row {line}; 工作表“{sheet}”第 {line} 行)"
                    );
                }
            }
        }
        InputError::new(problem.code, record, field, message)
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
        Cell::Float(f) if value::is_safe_integer(f) => Ok(IdOrText::Int(f as i64)),
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

fn communities(view: &View<'_, '_>) -> Result<CommunityRows, InputError> {
    if let Some(rows) = fast::communities(&fast::View::of(view, COMMUNITY_COLUMNS)) {
        return Ok(rows);
    }
    let rows = Rows::new(view, RecordKind::Community, "id");
    rows.require(&["id", "households"])?;
    let n = view.table.rows();
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
            .push(rt.as_deref().map(str::trim).filter(|s| !s.is_empty()), r);
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

fn post_rows(view: &View<'_, '_>) -> Result<PostRows, InputError> {
    if let Some(rows) = fast::post_rows(&fast::View::of(view, PEOPLE_COLUMNS)) {
        return Ok(rows);
    }
    let table = view.table;
    let rows = Rows::new(view, RecordKind::Person, "id");
    rows.require(&["id", "community", "post", "start"])?;
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

fn adjustments(view: &View<'_, '_>) -> Result<Vec<AdjustmentRow>, InputError> {
    let table = view.table;
    let rows = Rows::new(view, RecordKind::Adjustment, "community");
    rows.require(&["community", "amount", "reason"])?;
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
