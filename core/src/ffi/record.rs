//! Table rows read straight from the request's JSON text: each object
//! becomes a short list of (field, cell) pairs whose text is borrowed from
//! the request where it has no escapes, with no `serde_json::Value` in
//! between. The tables then go to the one reader ([`crate::read`]) like
//! every other front-end's (see [`Table::to_read`]).

use crate::error::{InputError, RecordKind};
use crate::read::{self, Cell, CellRows, Column};
use serde::de::{self, Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use std::borrow::Cow;
use std::fmt;

/// One row of a request table: a JSON object, or anything else (refused by
/// the reader with the row's position).
#[derive(Debug, Clone, PartialEq)]
pub enum Record<'de> {
    /// A JSON object's fields, in the order written.
    Object(Vec<(Cow<'de, str>, Scalar<'de>)>),
    /// Not an object.
    NotObject,
}

/// A field's value.
#[derive(Debug, Clone, PartialEq)]
pub enum Scalar<'de> {
    /// `null`.
    Null,
    /// `true` / `false`.
    Bool(bool),
    /// A whole number that fits in `i64`.
    Int(i64),
    /// Any other number.
    Float(f64),
    /// Text.
    Str(Cow<'de, str>),
    /// A nested list (a person's `posts`): its elements read as rows, each
    /// object's fields in the order written (a repeated one kept, to be
    /// refused by name).
    List(Vec<Record<'de>>),
    /// A nested object where a value is expected: unreadable as a cell.
    Object,
    /// A cell the sender could not write as JSON (a lone surrogate, a
    /// `BigInt`), with what it held: see [`table`]'s `unreadable`.
    Unreadable(Cow<'de, str>),
}

impl<'de> Record<'de> {
    /// The value of `field` (the last one, if the object repeats it, as a
    /// JSON parser keeps).
    pub fn get(&self, field: &str) -> Option<&Scalar<'de>> {
        self.as_row().get(field)
    }

    /// The record as a row of a [`Table`].
    pub fn as_row(&self) -> RowRef<'_, 'de> {
        match self {
            Record::Object(fields) => RowRef::Object(fields),
            Record::NotObject => RowRef::NotObject,
        }
    }

    /// The field names, in the order written.
    pub fn keys(&self) -> impl Iterator<Item = &str> {
        let fields = match self {
            Record::Object(fields) => fields.as_slice(),
            Record::NotObject => &[],
        };
        fields.iter().map(|(name, _)| name.as_ref())
    }

    /// Whether the row is a JSON object.
    pub fn is_object(&self) -> bool {
        matches!(self, Record::Object(_))
    }
}

/// A field's value as a cell (a nested value as its JSON text).
#[inline]
pub(crate) fn scalar_cell<'s>(value: Option<&'s Scalar<'_>>) -> Cell<'s> {
    match value {
        None => Cell::Missing,
        Some(Scalar::Null) => Cell::Null,
        Some(Scalar::Bool(b)) => Cell::Bool(*b),
        Some(Scalar::Int(i)) => Cell::Int(*i),
        Some(Scalar::Float(f)) => Cell::Float(*f),
        Some(Scalar::Str(s)) => Cell::Str(Cow::Borrowed(s)),
        Some(Scalar::List(_)) => Cell::Unreadable(Cow::Borrowed("a list")),
        Some(Scalar::Object) => Cell::Unreadable(Cow::Borrowed("an object")),
        Some(Scalar::Unreadable(what)) => Cell::Unreadable(Cow::Borrowed(what)),
    }
}

impl<'de: 'a, 'a> Deserialize<'de> for Record<'a> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(RecordVisitor(std::marker::PhantomData))
    }
}

struct RecordVisitor<'a>(std::marker::PhantomData<&'a ()>);

/// Anything that is not an object reads as [`Record::NotObject`] (its
/// content is skipped), so the reader can name the row.
macro_rules! not_object {
    ($($name:ident($ty:ty)),*) => {
        $(fn $name<E: de::Error>(self, _: $ty) -> Result<Record<'a>, E> {
            Ok(Record::NotObject)
        })*
    };
}

impl<'de: 'a, 'a> Visitor<'de> for RecordVisitor<'a> {
    type Value = Record<'a>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a row object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Record<'a>, A::Error> {
        let mut fields = Vec::with_capacity(map.size_hint().unwrap_or(8));
        while let Some(Text(name)) = map.next_key::<Text<'a>>()? {
            fields.push((name, map.next_value::<Scalar<'a>>()?));
        }
        Ok(Record::Object(fields))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Record<'a>, A::Error> {
        while seq.next_element::<de::IgnoredAny>()?.is_some() {}
        Ok(Record::NotObject)
    }

    fn visit_unit<E: de::Error>(self) -> Result<Record<'a>, E> {
        Ok(Record::NotObject)
    }

    not_object!(
        visit_bool(bool),
        visit_i64(i64),
        visit_u64(u64),
        visit_f64(f64),
        visit_str(&str)
    );
}

/// A key or string, borrowed from the request text when it can be.
struct Text<'de>(Cow<'de, str>);

impl<'de: 'a, 'a> Deserialize<'de> for Text<'a> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V<'a>(std::marker::PhantomData<&'a ()>);
        impl<'de: 'a, 'a> Visitor<'de> for V<'a> {
            type Value = Text<'a>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a string")
            }
            fn visit_borrowed_str<E: de::Error>(self, s: &'de str) -> Result<Text<'a>, E> {
                Ok(Text(Cow::Borrowed(s)))
            }
            fn visit_str<E: de::Error>(self, s: &str) -> Result<Text<'a>, E> {
                Ok(Text(Cow::Owned(s.to_string())))
            }
            fn visit_string<E: de::Error>(self, s: String) -> Result<Text<'a>, E> {
                Ok(Text(Cow::Owned(s)))
            }
        }
        d.deserialize_str(V(std::marker::PhantomData))
    }
}

impl<'de: 'a, 'a> Deserialize<'de> for Scalar<'a> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(ScalarVisitor(std::marker::PhantomData))
    }
}

struct ScalarVisitor<'a>(std::marker::PhantomData<&'a ()>);

impl<'de: 'a, 'a> Visitor<'de> for ScalarVisitor<'a> {
    type Value = Scalar<'a>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a JSON value")
    }
    fn visit_unit<E: de::Error>(self) -> Result<Scalar<'a>, E> {
        Ok(Scalar::Null)
    }
    fn visit_none<E: de::Error>(self) -> Result<Scalar<'a>, E> {
        Ok(Scalar::Null)
    }
    fn visit_bool<E: de::Error>(self, b: bool) -> Result<Scalar<'a>, E> {
        Ok(Scalar::Bool(b))
    }
    fn visit_i64<E: de::Error>(self, i: i64) -> Result<Scalar<'a>, E> {
        Ok(Scalar::Int(i))
    }
    fn visit_u64<E: de::Error>(self, u: u64) -> Result<Scalar<'a>, E> {
        // As serde_json's own numbers: a whole number past i64 is a float.
        Ok(i64::try_from(u).map_or(Scalar::Float(u as f64), Scalar::Int))
    }
    fn visit_f64<E: de::Error>(self, f: f64) -> Result<Scalar<'a>, E> {
        Ok(Scalar::Float(f))
    }
    fn visit_borrowed_str<E: de::Error>(self, s: &'de str) -> Result<Scalar<'a>, E> {
        Ok(Scalar::Str(Cow::Borrowed(s)))
    }
    fn visit_str<E: de::Error>(self, s: &str) -> Result<Scalar<'a>, E> {
        Ok(Scalar::Str(Cow::Owned(s.to_string())))
    }
    fn visit_string<E: de::Error>(self, s: String) -> Result<Scalar<'a>, E> {
        Ok(Scalar::Str(Cow::Owned(s)))
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Scalar<'a>, A::Error> {
        let mut list = Vec::new();
        while let Some(element) = seq.next_element::<Record<'a>>()? {
            list.push(element);
        }
        Ok(Scalar::List(list))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Scalar<'a>, A::Error> {
        while map
            .next_entry::<de::IgnoredAny, de::IgnoredAny>()?
            .is_some()
        {}
        Ok(Scalar::Object)
    }
}

/// A request table: a JSON list of row objects, or the same rows sent as
/// columns: `{"rows": n, "columns": {name: [n values]}, "missing": {name:
/// [row indices]}}`. Columns read as the list of row objects they stand
/// for: row `r` has each column's `r`th value, in column order, except
/// where `missing` says the row has no such field (its value in the column
/// is then ignored), and where `unreadable` (`{name: [[row, what], …]}`)
/// says the sender could not write the cell as JSON at all (a lone
/// surrogate, a `BigInt`): that cell is refused by name when read, as a
/// cell shequ cannot read (`invalid_number`, or `invalid_date` for a date),
/// the same as the Python binding refuses such a value. The browser
/// package sends its tables this way: without a key per cell the JSON is
/// half the size, and faster to write and read. Each key is given once.
///
/// ```
/// use shequ::ffi::record::{table, Record, Scalar};
/// let text = r#"{"rows": 2, "columns": {"id": ["C1", "C2"], "households": [2750, null]},
///                "missing": {"households": [1]}}"#;
/// let columns = table(&mut serde_json::Deserializer::from_str(text))?;
/// let rows = table(&mut serde_json::Deserializer::from_str(
///     r#"[{"id": "C1", "households": 2750}, {"id": "C2"}]"#,
/// ))?;
/// for table in [&columns, &rows] {
///     assert_eq!(table.len(), 2);
///     assert_eq!(table.row(0).get("households"), Some(&Scalar::Int(2750)));
///     assert_eq!(table.row(1).get("households"), None);
///     assert_eq!(table.keys(), ["id", "households"]);
/// }
/// # Ok::<(), serde_json::Error>(())
/// ```
///
/// # Errors
/// A serde error (the request's `bad_request`) for a table that is neither,
/// or columns that do not line up.
pub fn table<'de: 'a, 'a, D: Deserializer<'de>>(d: D) -> Result<Table<'a>, D::Error> {
    d.deserialize_any(TableVisitor(std::marker::PhantomData))
}

/// A request table as read: its row objects, or its columns (read in place,
/// not turned into rows).
#[derive(Debug, Clone, PartialEq)]
pub enum Table<'a> {
    /// A list of rows.
    Rows(Vec<Record<'a>>),
    /// Columns (see [`table`]).
    Columns(Columns<'a>),
}

impl Default for Table<'_> {
    fn default() -> Self {
        Table::Rows(Vec::new())
    }
}

impl<'a> Table<'a> {
    /// How many rows.
    pub fn len(&self) -> usize {
        match self {
            Table::Rows(rows) => rows.len(),
            Table::Columns(c) => c.count,
        }
    }

    /// Whether there are no rows.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Row `index` (a row past the end has no fields).
    pub fn row(&self, index: usize) -> RowRef<'_, 'a> {
        match self {
            Table::Rows(rows) => rows.get(index).map_or(RowRef::Object(&[]), Record::as_row),
            Table::Columns(columns) => RowRef::Column(columns, index),
        }
    }

    /// The rows, in order.
    pub fn rows(&self) -> impl Iterator<Item = RowRef<'_, 'a>> {
        (0..self.len()).map(|i| self.row(i))
    }

    /// The field names of the table's rows, each once, in the order first
    /// written.
    pub fn keys(&self) -> Vec<&str> {
        let mut keys: Vec<&str> = Vec::new();
        match self {
            Table::Rows(rows) => {
                for key in rows.iter().flat_map(Record::keys) {
                    if !keys.contains(&key) {
                        keys.push(key);
                    }
                }
            }
            Table::Columns(c) => keys.extend(
                c.columns
                    .iter()
                    .zip(&c.missing)
                    .filter(|(_, missing)| missing.len() < c.count)
                    .map(|((name, _), _)| name.as_ref()),
            ),
        }
        keys
    }
    /// The table for the one reader: its cells (text borrowed from the
    /// request) as columns. For the people table, a row object with a
    /// `posts` list is one row per post (the post's `post`, `start` and
    /// `end`, the person's other fields); `post_keys` gets the fields of
    /// post objects shequ does not read.
    ///
    /// # Errors
    /// A row that is not an object; a field given twice in one object; a
    /// person with an empty `posts` list, or a post that is not an object.
    pub fn to_read(
        &self,
        kind: RecordKind,
        post_keys: &mut Vec<String>,
    ) -> Result<read::Table<'_>, InputError> {
        if let Table::Columns(c) = self {
            if let Some((field, problem)) = &c.problem {
                return Err(InputError::new(
                    crate::error::InputErrorCode::InvalidTable,
                    crate::error::RecordRef {
                        kind,
                        index: None,
                        id: None,
                    },
                    field,
                    problem.clone(),
                ));
            }
            let nested = kind == RecordKind::Person && c.columns.iter().any(|(n, _)| n == "posts");
            if !nested {
                return c.to_read().map_err(|p| table_error(kind, p));
            }
        }
        let mut out = CellRows::with_capacity(self.len());
        // One buffer for every record's fields.
        let mut fields: Vec<(&str, Cell<'_>)> = Vec::new();
        for i in 0..self.len() {
            fields.clear();
            match self.row(i) {
                RowRef::NotObject => return Err(read::not_a_row(kind, i, "an object")),
                RowRef::Object(f) => {
                    fields.extend(f.iter().map(|(k, v)| (text(k), scalar_cell(Some(v)))))
                }
                RowRef::Column(c, row) => fields.extend(
                    c.fields(row)
                        .into_iter()
                        .map(|(k, v)| (k, scalar_cell(Some(v)))),
                ),
            }
            let posts = match self.row(i).get("posts") {
                Some(Scalar::List(posts)) if kind == RecordKind::Person => Some(posts),
                _ => None,
            };
            let posts = match posts {
                None => None,
                Some(list) => Some(
                    list.iter()
                        .map(|p| match p {
                            Record::Object(fields) => Ok(fields
                                .iter()
                                .map(|(k, v)| (text(k), scalar_cell(Some(v))))
                                .collect::<Vec<_>>()),
                            Record::NotObject => Err(read::not_a_row(kind, i, "an object")),
                        })
                        .collect::<Result<Vec<_>, _>>()?,
                ),
            };
            out.record(kind, i, &fields, posts.as_deref(), post_keys)?;
        }
        Ok(out.finish(false))
    }
}

/// One row of a [`Table`].
#[derive(Debug, Clone, Copy)]
pub enum RowRef<'t, 'a> {
    /// A row object's fields.
    Object(&'t [(Cow<'a, str>, Scalar<'a>)]),
    /// A row that is not an object.
    NotObject,
    /// Row `.1` of columns.
    Column(&'t Columns<'a>, usize),
}

impl<'t, 'a> RowRef<'t, 'a> {
    /// The value of `field` (the last one, if an object repeats it).
    #[inline]
    pub fn get(&self, field: &str) -> Option<&'t Scalar<'a>> {
        match *self {
            RowRef::Object(fields) => fields
                .iter()
                .rev()
                .find(|(name, _)| text(name) == field)
                .map(|(_, v)| v),
            RowRef::NotObject => None,
            RowRef::Column(c, row) => {
                let k = c.columns.iter().position(|(name, _)| text(name) == field)?;
                let missing = &c.missing[k];
                if !missing.is_empty() && missing.binary_search(&row).is_ok() {
                    return None;
                }
                c.columns[k].1.get(row)
            }
        }
    }

    /// Whether the row is an object.
    pub fn is_object(&self) -> bool {
        !matches!(self, RowRef::NotObject)
    }
}

/// A name's text (what `Deref` gives, written out: a lookup per cell of a
/// city's rows, and the WASM build, optimised for size, does not inline it).
#[inline(always)]
#[allow(clippy::ptr_arg)] // the point is to match on the Cow, not to deref it
fn text<'s>(name: &'s Cow<'_, str>) -> &'s str {
    match name {
        Cow::Borrowed(b) => b,
        Cow::Owned(o) => o.as_str(),
    }
}

struct TableVisitor<'a>(std::marker::PhantomData<&'a ()>);

impl<'de: 'a, 'a> Visitor<'de> for TableVisitor<'a> {
    type Value = Table<'a>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a list of row objects, or {\"rows\": n, \"columns\": {…}}")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        let mut rows = Vec::with_capacity(seq.size_hint().unwrap_or(0));
        while let Some(row) = seq.next_element::<Record<'a>>()? {
            rows.push(row);
        }
        Ok(Table::Rows(rows))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut count: Option<usize> = None;
        let mut columns: Option<Lists<'a>> = None;
        let mut missing: Option<Lists<'a>> = None;
        let mut unreadable: Option<Unreadables<'a>> = None;
        fn once<T, E: de::Error>(slot: &Option<T>, key: &str) -> Result<(), E> {
            match slot {
                Some(_) => Err(E::custom(format!(
                    "`{key}` is given twice in a table sent as columns"
                ))),
                None => Ok(()),
            }
        }
        while let Some(Text(key)) = map.next_key::<Text<'a>>()? {
            match key.as_ref() {
                "rows" => {
                    once(&count, "rows")?;
                    count = Some(map.next_value()?);
                }
                "columns" => {
                    once(&columns, "columns")?;
                    columns = Some(map.next_value()?);
                }
                "missing" => {
                    once(&missing, "missing")?;
                    missing = Some(map.next_value()?);
                }
                "unreadable" => {
                    once(&unreadable, "unreadable")?;
                    unreadable = Some(map.next_value()?);
                }
                other => {
                    let hint = crate::suggest::did_you_mean(
                        other,
                        ["rows", "columns", "missing", "unreadable"],
                    );
                    return Err(de::Error::custom(format!(
                        "unknown key `{other}` in a table sent as columns (rows, columns, missing, unreadable){hint}"
                    )));
                }
            }
        }
        let count = count.ok_or_else(|| de::Error::missing_field("rows"))?;
        let columns = columns.ok_or_else(|| de::Error::missing_field("columns"))?;
        Ok(Table::Columns(Columns::new(
            count,
            columns.0,
            missing.map(|m| m.0).unwrap_or_default(),
            unreadable.map(|u| u.0).unwrap_or_default(),
        )))
    }
}

/// A table sent as columns (see [`table`]). Columns that do not line up
/// with the declared row count are kept as sent, and refused by name when
/// the table is read ([`Table::to_read`]): the sizes are the data's, never a
/// number the caller declared.
#[derive(Debug, Clone, PartialEq)]
pub struct Columns<'a> {
    count: usize,
    columns: Vec<NamedList<'a>>,
    /// Per column, the rows without it (ascending).
    missing: Vec<Vec<usize>>,
    /// Why the columns do not make a table, if they do not: the field at
    /// fault (a column, or `(table)`) and what is wrong.
    problem: Option<(String, String)>,
}

impl<'a> Columns<'a> {
    fn new(
        count: usize,
        mut columns: Vec<NamedList<'a>>,
        missing: Vec<NamedList<'a>>,
        unreadable: Vec<NamedCells<'a>>,
    ) -> Self {
        let mut problem = None;
        let mut fail = |field: &str, p: String| {
            problem.get_or_insert((field.to_string(), p));
        };
        if count > 0 && columns.is_empty() {
            fail(
                "(table)",
                format!("the table declares {count} rows but sends no columns"),
            );
        }
        for (name, values) in &columns {
            if values.len() != count {
                fail(
                    name,
                    format!(
                        "column `{name}` has {} values but the table declares {count} rows",
                        values.len()
                    ),
                );
            }
        }
        // Cells the sender could not write: unreadable, each named when read.
        for (name, cells) in unreadable {
            let Some(c) = columns.iter().position(|(n, _)| *n == name) else {
                fail(
                    &name,
                    format!("`unreadable` names `{name}`, which is not a column"),
                );
                continue;
            };
            for (row, Text(what)) in cells {
                match columns[c].1.get_mut(row) {
                    Some(cell) => *cell = Scalar::Unreadable(what),
                    None => fail(
                        &name,
                        format!("`unreadable` of column `{name}`: row {row} is not below {count}"),
                    ),
                }
            }
        }
        let mut per_column = vec![Vec::new(); columns.len()];
        for (name, list) in missing {
            let Some(c) = columns.iter().position(|(n, _)| *n == name) else {
                fail(
                    &name,
                    format!("`missing` names `{name}`, which is not a column"),
                );
                continue;
            };
            let mut rows: Vec<usize> = Vec::with_capacity(list.len().min(count));
            for (k, cell) in list.iter().enumerate() {
                // Row indices, ascending, each below the row count.
                let row = match cell {
                    Scalar::Int(r) => usize::try_from(*r).ok(),
                    _ => None,
                }
                .filter(|r| *r < count && rows.last().is_none_or(|l| l < r));
                match row {
                    Some(r) => rows.push(r),
                    None => {
                        fail(&name, format!("`missing` of column `{name}`: entry {k} is not a row index below {count}, ascending"));
                        break;
                    }
                }
            }
            if !per_column[c].is_empty() {
                fail(&name, format!("`missing` names `{name}` twice"));
            }
            per_column[c] = rows;
        }
        Columns {
            count,
            columns,
            missing: per_column,
            problem,
        }
    }
}

impl<'a> Columns<'a> {
    /// The fields row `row` has, in column order.
    fn fields(&self, row: usize) -> Vec<(&str, &Scalar<'a>)> {
        self.columns
            .iter()
            .zip(&self.missing)
            .filter(|(_, missing)| missing.is_empty() || missing.binary_search(&row).is_err())
            .filter_map(|((name, values), _)| values.get(row).map(|v| (text(name), v)))
            .collect()
    }

    /// The columns as the one reader takes them.
    fn to_read(&self) -> Result<read::Table<'_>, read::TableProblem> {
        let columns = self
            .columns
            .iter()
            .zip(&self.missing)
            .filter(|(_, missing)| missing.len() < self.count || self.count == 0)
            .map(|((name, values), missing)| {
                let mut cells: Vec<Cell<'_>> =
                    values.iter().map(|v| scalar_cell(Some(v))).collect();
                for &r in missing {
                    if let Some(c) = cells.get_mut(r) {
                        *c = Cell::Missing;
                    }
                }
                (name.to_string(), Column::Cells(cells))
            })
            .collect();
        read::Table::new(columns, self.count)
    }
}

/// The error of columns that do not make a table.
fn table_error(kind: RecordKind, p: read::TableProblem) -> InputError {
    let (code, field) = match &p {
        read::TableProblem::DuplicateColumn(c) => {
            (crate::error::InputErrorCode::DuplicateField, c.clone())
        }
        read::TableProblem::Length { column, .. } => {
            (crate::error::InputErrorCode::InvalidTable, column.clone())
        }
    };
    InputError::new(
        code,
        crate::error::RecordRef {
            kind,
            index: None,
            id: None,
        },
        &field,
        p.to_string(),
    )
}

/// The `unreadable` of a table sent as columns: per column, `[row, what]`
/// pairs.
struct Unreadables<'a>(Vec<NamedCells<'a>>);

/// A column's name and its values.
type NamedList<'a> = (Cow<'a, str>, Vec<Scalar<'a>>);

/// A column's name and `(row, what)` of its unreadable cells.
type NamedCells<'a> = (Cow<'a, str>, Vec<(usize, Text<'a>)>);

impl<'de: 'a, 'a> Deserialize<'de> for Unreadables<'a> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V<'a>(std::marker::PhantomData<&'a ()>);
        impl<'de: 'a, 'a> Visitor<'de> for V<'a> {
            type Value = Unreadables<'a>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("an object of lists of [row, what] pairs")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
                let mut pairs = Vec::new();
                while let Some(Text(key)) = map.next_key::<Text<'a>>()? {
                    pairs.push((key, map.next_value()?));
                }
                Ok(Unreadables(pairs))
            }
        }
        d.deserialize_map(V(std::marker::PhantomData))
    }
}

/// A JSON object of lists, read as its (key, list) pairs in the order
/// written.
struct Lists<'a>(Vec<NamedList<'a>>);

impl<'de: 'a, 'a> Deserialize<'de> for Lists<'a> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V<'a>(std::marker::PhantomData<&'a ()>);
        impl<'de: 'a, 'a> Visitor<'de> for V<'a> {
            type Value = Lists<'a>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("an object of lists")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
                let mut pairs: Vec<NamedList<'a>> = Vec::new();
                while let Some(Text(key)) = map.next_key::<Text<'a>>()? {
                    let list = map.next_value()?;
                    // A repeated key is kept: the reader refuses it by name.
                    pairs.push((key, list));
                }
                Ok(Lists(pairs))
            }
        }
        d.deserialize_map(V(std::marker::PhantomData))
    }
}

#[cfg(test)]
#[allow(clippy::arithmetic_side_effects)]
mod tests {
    use super::*;
    use serde_json::Value;

    fn rows(text: &str) -> Vec<Record<'_>> {
        serde_json::from_str(text).unwrap_or_default()
    }

    #[test]
    fn cells_read_as_a_json_value_would() {
        let text = r#"[{"id": "C1", "households": 2750, "score": 91.5, "big": 18446744073709551615,
                        "serving": true, "end": null, "name": "社区\"A\"", "posts": [{"post": "x"}]}]"#;
        let r = rows(text);
        let v: Vec<Value> = serde_json::from_str(text).unwrap_or_default();
        let json = v.first().and_then(Value::as_object);
        for field in [
            "id",
            "households",
            "score",
            "big",
            "serving",
            "end",
            "name",
            "posts",
            "absent",
        ] {
            let want = super::super::json_cell(json.and_then(|o| o.get(field)));
            assert_eq!(scalar_cell(r[0].get(field)), want, "{field}");
        }
        // Text without escapes is borrowed from the request.
        assert!(matches!(
            r[0].get("id"),
            Some(Scalar::Str(Cow::Borrowed("C1")))
        ));
    }

    #[test]
    fn a_repeated_field_is_refused_and_non_objects_are_marked() {
        let r = rows(r#"[{"id": "a", "id": "b"}, 3, "x", [1, {"a": 2}], null, {}]"#);
        let t = Table::Rows(r.clone());
        let e = t.to_read(RecordKind::Community, &mut Vec::new()).err();
        assert_eq!(
            e.map(|e| (e.code.as_str(), e.field)),
            Some(("duplicate_field", "id".to_string()))
        );
        assert_eq!(
            r.iter().map(Record::is_object).collect::<Vec<_>>(),
            [true, false, false, false, false, true]
        );
    }

    fn columns(text: &str) -> Result<Table<'_>, String> {
        table(&mut serde_json::Deserializer::from_str(text)).map_err(|e| e.to_string())
    }

    /// Every row of a table as (key, value) pairs, as its rows would give.
    fn as_rows<'t>(t: &'t Table<'t>) -> Vec<Vec<(&'t str, Option<&'t Scalar<'t>>)>> {
        let keys = t.keys();
        t.rows()
            .map(|row| keys.iter().map(|k| (*k, row.get(k))).collect())
            .collect()
    }

    #[test]
    fn columns_read_as_the_rows_they_stand_for() {
        let text = r#"{"rows": 3, "missing": {"posts": [0, 2], "name": [2]},
            "columns": {"id": ["P1", "P2", "P3"], "name": ["a\"b", null, "ignored"],
                        "serving": [true, false, 1.5], "posts": [null, [{"post": "director"}], null]}}"#;
        let same = r#"[{"id": "P1", "name": "a\"b", "serving": true},
                {"id": "P2", "name": null, "posts": [{"post": "director"}], "serving": false},
                {"id": "P3", "serving": 1.5}]"#;
        let (c, r) = (columns(text), columns(same));
        assert!(matches!(c, Ok(Table::Columns(_))) && matches!(r, Ok(Table::Rows(_))));
        let (c, r) = (c.unwrap_or_default(), r.unwrap_or_default());
        assert_eq!(as_rows(&c), as_rows(&r));
        for (field, row) in [("name", 2), ("posts", 0), ("id", 3), ("absent", 1)] {
            assert_eq!(c.row(row).get(field), None, "{field} {row}");
        }
        assert_eq!(c.keys(), ["id", "name", "serving", "posts"]);
        // Text borrowed from the request where it can be.
        assert!(matches!(
            c.row(0).get("id"),
            Some(Scalar::Str(Cow::Borrowed("P1")))
        ));
        let empty = columns(r#"{"rows": 2, "columns": {}}"#).unwrap_or_default();
        assert_eq!((empty.len(), empty.keys().len()), (2, 0));
        // A column no row has is no key of the table.
        let none = columns(
            r#"{"rows": 2, "columns": {"x": [null, null], "id": [1, 2]}, "missing": {"x": [0, 1]}}"#,
        );
        assert_eq!(none.unwrap_or_default().keys(), ["id"]);
        assert!(columns(r#"{"rows": 0, "columns": {"id": []}}"#).is_ok_and(|t| t.is_empty()));
    }

    #[test]
    fn columns_that_do_not_line_up_are_refused_by_name() {
        // Not a table at all: the request is malformed.
        for (text, says) in [
            (
                r#"{"rows": 1, "columns": {"id": ["a"]}, "extra": 1}"#,
                "unknown key `extra`",
            ),
            (r#"{"columns": {"id": ["a"]}}"#, "missing field `rows`"),
            (r#"{"rows": 1}"#, "missing field `columns`"),
            (r#"{"rows": -1, "columns": {}}"#, "invalid value"),
            (r#""C1""#, "a list of row objects"),
        ] {
            let got = columns(text);
            assert!(
                got.as_ref().is_err_and(|e| e.contains(says)),
                "{text}: {got:?}"
            );
        }
        // A table whose columns do not line up: refused, by name, when read.
        for (text, code, says) in [
            (
                r#"{"rows": 2, "columns": {"id": ["a"]}}"#,
                "invalid_table",
                "column `id` has 1 values but the table declares 2 rows",
            ),
            (
                r#"{"rows": 1000000000, "columns": {}}"#,
                "invalid_table",
                "declares 1000000000 rows but sends no columns",
            ),
            (
                r#"{"rows": 1, "columns": {"id": ["a"]}, "missing": {"ix": [0]}}"#,
                "invalid_table",
                "`missing` names `ix`",
            ),
            (
                r#"{"rows": 1, "columns": {"id": ["a"]}, "missing": {"id": [1]}}"#,
                "invalid_table",
                "entry 0 is not a row index below 1",
            ),
            (
                r#"{"rows": 3, "columns": {"id": [1, 2, 3]}, "missing": {"id": [1, 1]}}"#,
                "invalid_table",
                "entry 1 is not",
            ),
            (
                r#"{"rows": 3, "columns": {"id": [1, 2, 3]}, "missing": {"id": [2, 0]}}"#,
                "invalid_table",
                "entry 1 is not",
            ),
            (
                r#"{"rows": 3, "columns": {"id": [1, 2, 3]}, "missing": {"id": ["0"]}}"#,
                "invalid_table",
                "entry 0 is not",
            ),
            (
                r#"{"rows": 3, "columns": {"id": [1, 2, 3]}, "missing": {"id": [-1]}}"#,
                "invalid_table",
                "entry 0 is not",
            ),
            (
                r#"{"rows": 1, "columns": {"id": ["a"]}, "missing": {"id": [0], "id": [0]}}"#,
                "invalid_table",
                "`missing` names `id` twice",
            ),
            (
                r#"{"rows": 1, "columns": {"id": ["a"], "id": ["b"]}}"#,
                "duplicate_field",
                "column `id` appears twice",
            ),
        ] {
            let table = columns(text);
            assert!(table.is_ok(), "{text}: {table:?}");
            let table = table.unwrap_or_default();
            let got = table
                .to_read(RecordKind::Community, &mut Vec::new())
                .map(|_| ())
                .map_err(|e| (e.code.as_str(), e.message));
            assert!(
                got.as_ref()
                    .is_err_and(|(c, m)| *c == code && m.contains(says)),
                "{text}: {got:?}"
            );
        }
    }
}
