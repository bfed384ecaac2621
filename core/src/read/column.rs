//! Tables as columns: typed slices where a front-end has them (an Arrow
//! array's values and validity bits, borrowed), cells where it has only
//! values (JSON, Python dicts). The table reader reads each column at once,
//! with a quick loop for the typed ones, and every cell of any column means
//! the same through [`super::value`].

use super::cell::Cell;
use rust_decimal::Decimal;
use std::borrow::Cow;

/// Validity (or boolean) bits as Arrow lays them out: bit `i` of the bytes,
/// least significant first, starting `offset` bits in.
#[derive(Debug, Clone)]
pub struct Bits<'a> {
    bytes: Cow<'a, [u8]>,
    offset: usize,
}

impl<'a> Bits<'a> {
    /// Bits `offset..` of `bytes`.
    pub fn new(bytes: &'a [u8], offset: usize) -> Self {
        Bits {
            bytes: Cow::Borrowed(bytes),
            offset,
        }
    }

    /// Bits of bytes of their own.
    pub fn owned(bytes: Vec<u8>) -> Bits<'static> {
        Bits {
            bytes: Cow::Owned(bytes),
            offset: 0,
        }
    }

    /// Bit `i`; false past the end.
    #[inline]
    pub fn get(&self, i: usize) -> bool {
        let k = self.offset + i;
        self.bytes
            .get(k / 8)
            .is_some_and(|b| b & (1 << (k % 8)) != 0)
    }

    /// How many bits the bytes hold from the offset.
    pub fn len(&self) -> usize {
        (self.bytes.len() * 8).saturating_sub(self.offset)
    }

    /// Whether no bits are held.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// Values with optional validity bits (a cleared bit is a null).
#[derive(Debug, Clone)]
pub struct Values<'a, T: Clone> {
    /// The values.
    pub values: Cow<'a, [T]>,
    /// Validity, when some values may be null.
    pub valid: Option<Bits<'a>>,
}

impl<'a, T: Clone + Copy> Values<'a, T> {
    /// Values, all valid.
    pub fn all(values: impl Into<Cow<'a, [T]>>) -> Self {
        Values {
            values: values.into(),
            valid: None,
        }
    }

    /// Value `i`, `None` when null or past the end.
    #[inline]
    pub fn get(&self, i: usize) -> Option<T> {
        if self.valid.as_ref().is_some_and(|v| !v.get(i)) {
            return None;
        }
        self.values.get(i).copied()
    }

    fn len(&self) -> usize {
        self.values.len()
    }
}

/// Offsets of strings in a buffer, 32- or 64-bit as Arrow's `utf8` and
/// `large_utf8`.
#[derive(Debug, Clone)]
pub enum Offsets<'a> {
    /// `utf8`.
    I32(Cow<'a, [i32]>),
    /// `large_utf8`.
    I64(Cow<'a, [i64]>),
}

impl Offsets<'_> {
    pub(super) fn span(&self, i: usize) -> Option<(usize, usize)> {
        match self {
            Offsets::I32(o) => Some((
                usize::try_from(*o.get(i)?).ok()?,
                usize::try_from(*o.get(i + 1)?).ok()?,
            )),
            Offsets::I64(o) => Some((
                usize::try_from(*o.get(i)?).ok()?,
                usize::try_from(*o.get(i + 1)?).ok()?,
            )),
        }
    }

    pub(super) fn count(&self) -> usize {
        match self {
            Offsets::I32(o) => o.len().saturating_sub(1),
            Offsets::I64(o) => o.len().saturating_sub(1),
        }
    }
}

/// Strings as Arrow lays them out: one UTF-8 buffer and offsets.
#[derive(Debug, Clone)]
pub struct Strings<'a> {
    /// The text of every string, one after another.
    pub data: Cow<'a, str>,
    /// Where each string starts and ends in `data`.
    pub offsets: Offsets<'a>,
    /// Validity.
    pub valid: Option<Bits<'a>>,
}

impl Strings<'_> {
    /// String `i`; `None` when null, and when the offsets do not fall on
    /// character boundaries inside the data (an array that lies about its
    /// layout reads as unreadable, never out of bounds).
    #[inline]
    pub fn get(&self, i: usize) -> Option<Result<&str, ()>> {
        if self.valid.as_ref().is_some_and(|v| !v.get(i)) {
            return None;
        }
        let Some((a, b)) = self.offsets.span(i) else {
            return Some(Err(()));
        };
        Some(self.data.get(a..b).ok_or(()))
    }
}

/// The unit of a timestamp column.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TimeUnit {
    /// Seconds.
    Second,
    /// Milliseconds.
    Millisecond,
    /// Microseconds.
    Microsecond,
    /// Nanoseconds.
    Nanosecond,
}

impl TimeUnit {
    /// Units in a day.
    pub fn per_day(self) -> i64 {
        86_400
            * match self {
                TimeUnit::Second => 1,
                TimeUnit::Millisecond => 1_000,
                TimeUnit::Microsecond => 1_000_000,
                TimeUnit::Nanosecond => 1_000_000_000,
            }
    }
}

/// Something that gives a cell per row (a front-end's own layout).
pub trait CellSource: Send + Sync {
    /// Number of rows.
    fn len(&self) -> usize;
    /// Whether there are none.
    fn is_empty(&self) -> bool {
        self.len() == 0
    }
    /// The cell of row `row`.
    fn cell(&self, row: usize) -> Cell<'_>;
}

/// One column of a table.
pub enum Column<'a> {
    /// Whole numbers.
    Int64(Values<'a, i64>),
    /// Unsigned whole numbers (read as numbers when they fit `i64`).
    UInt64(Values<'a, u64>),
    /// Floats.
    Float64(Values<'a, f64>),
    /// Booleans (the bits) with validity.
    Bool(Bits<'a>, usize, Option<Bits<'a>>),
    /// Text.
    Utf8(Strings<'a>),
    /// Days since 1970-01-01.
    Date32(Values<'a, i32>),
    /// A time since 1970-01-01 00:00 (its date is the day it falls on, in
    /// the time zone it was written in: the values are read as given).
    Timestamp(Values<'a, i64>, TimeUnit),
    /// Decimals: mantissas at a scale.
    Decimal128(Values<'a, i128>, u32),
    /// Nothing but nulls.
    Null(usize),
    /// One cell per row.
    Cells(Vec<Cell<'a>>),
    /// Cells from a front-end's own layout.
    Source(Box<dyn CellSource + 'a>),
}

impl std::fmt::Debug for Column<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Column({}, {} rows)", self.type_name(), self.len())
    }
}

/// Days from 0001-01-01 (chrono's day 1) to 1970-01-01.
pub const UNIX_EPOCH_DAY: i32 = 719_163;

impl Column<'_> {
    /// Number of rows.
    pub fn len(&self) -> usize {
        match self {
            Column::Int64(v) => v.len(),
            Column::UInt64(v) => v.len(),
            Column::Float64(v) => v.len(),
            Column::Bool(_, n, _) => *n,
            Column::Utf8(s) => s.offsets.count(),
            Column::Date32(v) => v.len(),
            Column::Timestamp(v, _) => v.len(),
            Column::Decimal128(v, _) => v.len(),
            Column::Null(n) => *n,
            Column::Cells(c) => c.len(),
            Column::Source(s) => s.len(),
        }
    }

    /// Whether the column has no rows.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The type, in words.
    pub fn type_name(&self) -> &'static str {
        match self {
            Column::Int64(_) => "int64",
            Column::UInt64(_) => "uint64",
            Column::Float64(_) => "float64",
            Column::Bool(..) => "bool",
            Column::Utf8(_) => "utf8",
            Column::Date32(_) => "date32",
            Column::Timestamp(..) => "timestamp",
            Column::Decimal128(..) => "decimal128",
            Column::Null(_) => "null",
            Column::Cells(_) => "cells",
            Column::Source(_) => "cells",
        }
    }

    /// The cell of row `i` (`Missing` past the end).
    pub fn cell(&self, i: usize) -> Cell<'_> {
        if i >= self.len() {
            return Cell::Missing;
        }
        match self {
            Column::Int64(v) => v.get(i).map_or(Cell::Null, Cell::Int),
            Column::UInt64(v) => match v.get(i) {
                None => Cell::Null,
                Some(u) => i64::try_from(u).map_or_else(
                    |_| Cell::Unreadable(Cow::Owned(format!("`{u}`, a whole number too large"))),
                    Cell::Int,
                ),
            },
            Column::Float64(v) => v.get(i).map_or(Cell::Null, Cell::Float),
            Column::Bool(bits, _, valid) => {
                if valid.as_ref().is_some_and(|v| !v.get(i)) {
                    Cell::Null
                } else {
                    Cell::Bool(bits.get(i))
                }
            }
            Column::Utf8(s) => match s.get(i) {
                None => Cell::Null,
                Some(Ok(t)) => Cell::Str(Cow::Borrowed(t)),
                Some(Err(())) => {
                    Cell::Unreadable(Cow::Borrowed("text whose offsets do not fit its data"))
                }
            },
            Column::Date32(v) => match v.get(i) {
                None => Cell::Null,
                Some(days) => date_of_days(days.checked_add(UNIX_EPOCH_DAY)),
            },
            Column::Timestamp(v, unit) => match v.get(i) {
                None => Cell::Null,
                Some(t) => {
                    let days = t.div_euclid(unit.per_day());
                    date_of_days(
                        i32::try_from(days)
                            .ok()
                            .and_then(|d| d.checked_add(UNIX_EPOCH_DAY)),
                    )
                }
            },
            Column::Decimal128(v, scale) => match v.get(i) {
                None => Cell::Null,
                Some(m) => Decimal::try_from_i128_with_scale(m, *scale)
                    .map(Cell::Decimal)
                    .unwrap_or_else(|_| {
                        Cell::Unreadable(Cow::Owned(format!(
                            "a decimal of {} digits, more than shequ computes with",
                            m.unsigned_abs().to_string().len()
                        )))
                    }),
            },
            Column::Null(_) => Cell::Null,
            Column::Cells(c) => c.get(i).cloned().unwrap_or(Cell::Missing),
            Column::Source(s) => s.cell(i),
        }
    }
}

/// The date of a day count from 0001-01-01 (chrono's day 1); a day past the
/// calendar is unreadable, never a null that would drop an end date.
fn date_of_days(days: Option<i32>) -> Cell<'static> {
    match days.and_then(chrono::NaiveDate::from_num_days_from_ce_opt) {
        Some(d) => Cell::Date(d),
        None => Cell::Unreadable(Cow::Borrowed("a date outside the calendar")),
    }
}

/// A table as columns, each with its name as given.
#[derive(Debug, Default)]
pub struct Table<'a> {
    columns: Vec<(String, Column<'a>)>,
    rows: usize,
    /// For a people table flattened from person records with post lists:
    /// the record each row came from (errors name the record).
    records: Option<Vec<u32>>,
    /// For a table read from a sheet or a file: where each row is in it.
    origin: Option<Box<Origin>>,
}

/// Where a table read from a spreadsheet or a delimited file came from, so
/// that an error names the sheet and the row as the sheet shows them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Origin {
    /// The sheet's name (for delimited text, the file's, or `CSV`).
    pub sheet: String,
    /// Each row's number in the sheet, 1-based as a spreadsheet shows it
    /// (title and empty rows skipped in between).
    pub lines: Vec<u32>,
}

impl Origin {
    /// The sheet row of data row `row`.
    pub fn line(&self, row: usize) -> Option<u32> {
        self.lines.get(row).copied()
    }
}

/// Why the columns do not make a table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TableProblem {
    /// Two columns of one name.
    DuplicateColumn(String),
    /// A column of another length than the first.
    Length {
        /// The column.
        column: String,
        /// Its length.
        len: usize,
        /// The table's.
        rows: usize,
    },
}

impl std::fmt::Display for TableProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            TableProblem::DuplicateColumn(c) => {
                write!(f, "column `{c}` appears twice; give each column once")
            }
            TableProblem::Length { column, len, rows } => write!(
                f,
                "column `{column}` has {len} values but the table has {rows} rows"
            ),
        }
    }
}

impl<'a> Table<'a> {
    /// A table of these columns, with `rows` rows (a table without columns
    /// still has rows, each empty).
    ///
    /// # Errors
    /// A column named twice, or one whose length is not `rows`: the sizes
    /// are the data's, never a number the caller declared.
    pub fn new(columns: Vec<(String, Column<'a>)>, rows: usize) -> Result<Self, TableProblem> {
        for (k, (name, column)) in columns.iter().enumerate() {
            if columns[..k].iter().any(|(n, _)| n == name) {
                return Err(TableProblem::DuplicateColumn(name.clone()));
            }
            if column.len() != rows {
                return Err(TableProblem::Length {
                    column: name.clone(),
                    len: column.len(),
                    rows,
                });
            }
        }
        Ok(Table {
            columns,
            rows,
            records: None,
            origin: None,
        })
    }

    /// A table of these columns, as many rows as the first has.
    ///
    /// # Errors
    /// As [`Table::new`].
    pub fn of_columns(columns: Vec<(String, Column<'a>)>) -> Result<Self, TableProblem> {
        let rows = columns.first().map_or(0, |(_, c)| c.len());
        Self::new(columns, rows)
    }

    /// The same table, each row naming record `records[row]` of the caller's
    /// in errors (rows flattened from records with lists).
    pub fn with_records(mut self, records: Vec<u32>) -> Self {
        self.records = Some(records);
        self
    }

    /// The same table, read from `origin` (errors name its sheet and rows).
    pub fn with_origin(mut self, origin: Origin) -> Self {
        self.origin = Some(Box::new(origin));
        self
    }

    /// Where the table was read from, when it was read from a sheet or a
    /// file.
    pub fn origin(&self) -> Option<&Origin> {
        self.origin.as_deref()
    }

    /// Number of rows.
    pub fn rows(&self) -> usize {
        self.rows
    }

    /// Column `i`: its name as given and its cells.
    pub fn column_at(&self, i: usize) -> Option<(&str, &Column<'a>)> {
        self.columns.get(i).map(|(n, c)| (n.as_str(), c))
    }

    /// The columns, in order, each with its name as given.
    pub fn into_columns(self) -> Vec<(String, Column<'a>)> {
        self.columns
    }

    /// The column names, as given.
    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.columns.iter().map(|(n, _)| n.as_str())
    }

    /// The column named `name`.
    pub fn column(&self, name: &str) -> Option<&Column<'a>> {
        self.columns.iter().find(|(n, _)| n == name).map(|(_, c)| c)
    }

    /// The record row `row` names in errors.
    pub fn record(&self, row: usize) -> usize {
        match &self.records {
            Some(r) => r.get(row).map_or(row, |&k| k as usize),
            None => row,
        }
    }

    /// Rename columns by `f` (a header mapping); `None` keeps a name.
    pub fn rename(&mut self, mut f: impl FnMut(&str) -> Option<String>) {
        for (name, _) in &mut self.columns {
            if let Some(new) = f(name) {
                *name = new;
            }
        }
    }
}

/// Builds a table of cells row by row, as a front-end walks records (JSON
/// objects, Python dicts): a cell per named field, and `Missing` where a
/// row lacks a field another row has.
#[derive(Debug, Default)]
pub struct CellRows<'a> {
    names: Vec<String>,
    columns: Vec<Vec<Cell<'a>>>,
    rows: usize,
    records: Vec<u32>,
    /// The column the last field went to: records list their fields in the
    /// same order, so the next field is most often the next column.
    last: usize,
    /// Whether rows came from records with lists (and so name records).
    by_record: bool,
}

/// A field named twice in one record.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RepeatedField(pub String);

impl<'a> CellRows<'a> {
    /// For about `rows` rows.
    pub fn with_capacity(rows: usize) -> Self {
        CellRows {
            records: Vec::with_capacity(rows),
            ..Default::default()
        }
    }

    /// Start a row from the caller's record `record`.
    pub fn start_row(&mut self, record: usize) {
        self.rows += 1;
        self.records.push(u32::try_from(record).unwrap_or(u32::MAX));
        self.last = usize::MAX;
    }

    /// A field of the current row.
    ///
    /// # Errors
    /// The field was already given in this row.
    pub fn field(&mut self, name: &str, cell: Cell<'a>) -> Result<(), RepeatedField> {
        let next = self.last.wrapping_add(1);
        let k = if self.names.get(next).is_some_and(|n| n == name) {
            next
        } else if let Some(k) = self.names.iter().position(|n| n == name) {
            k
        } else {
            self.names.push(name.to_string());
            self.columns
                .push(Vec::with_capacity(self.records.capacity()));
            self.names.len() - 1
        };
        let column = &mut self.columns[k];
        if column.len() >= self.rows {
            return Err(RepeatedField(name.to_string()));
        }
        if column.len() + 1 < self.rows {
            column.resize(self.rows - 1, Cell::Missing);
        }
        column.push(cell);
        self.last = k;
        Ok(())
    }

    /// Whether the current row has field `name` already.
    pub fn has(&self, name: &str) -> bool {
        self.names
            .iter()
            .position(|n| n == name)
            .is_some_and(|k| self.columns[k].len() >= self.rows)
    }

    /// One record as a front-end holds it (a JSON object, a Python dict):
    /// its fields, and for a person record the post records of its `posts`
    /// list when it has one. A person record with posts is one row per post,
    /// each with the post's `post`, `start` and `end` and the person's other
    /// fields; the other fields of a post record go to `post_keys` (shequ
    /// reads them from the person). Every front-end reads its records this
    /// way, so a person given with a list of posts means one thing.
    ///
    /// # Errors
    /// A field given twice in the record or in a post (`duplicate_field`);
    /// an empty list of posts (`no_posts`, naming the person by its `id`).
    pub fn record<N: AsRef<str>>(
        &mut self,
        kind: crate::error::RecordKind,
        index: usize,
        fields: &[(N, Cell<'a>)],
        posts: Option<&[Vec<(N, Cell<'a>)>]>,
        post_keys: &mut Vec<String>,
    ) -> Result<(), crate::error::InputError> {
        let repeated = |e: RepeatedField| super::repeated_field(kind, index, &e.0);
        let Some(posts) = posts else {
            self.start_row(index);
            for (name, cell) in fields {
                self.field(name.as_ref(), cell.clone()).map_err(repeated)?;
            }
            return Ok(());
        };
        if posts.is_empty() {
            let id = fields
                .iter()
                .find(|(n, _)| n.as_ref() == "id")
                .and_then(|(_, c)| super::value::text(c.clone(), "id").ok().flatten())
                .map(Cow::into_owned);
            return Err(super::no_posts(index, id));
        }
        self.by_record = true;
        for post in posts {
            self.start_row(index);
            for (name, cell) in post {
                let name = name.as_ref();
                if super::POST_COLUMNS.contains(&name) {
                    self.field(name, cell.clone()).map_err(repeated)?;
                } else if !post_keys.iter().any(|k| k == name) {
                    post_keys.push(name.to_string());
                }
            }
            for (name, cell) in fields {
                let name = name.as_ref();
                if name == "posts" || super::POST_COLUMNS.contains(&name) {
                    continue;
                }
                self.field(name, cell.clone()).map_err(repeated)?;
            }
        }
        Ok(())
    }

    /// The table; each row names its record in errors when `by_record`
    /// (or when a record held a list of posts).
    pub fn finish(self, by_record: bool) -> Table<'a> {
        let rows = self.rows;
        let columns = self
            .names
            .into_iter()
            .zip(self.columns)
            .map(|(name, mut cells)| {
                cells.resize(rows, Cell::Missing);
                (name, Column::Cells(cells))
            })
            .collect();
        let table = Table {
            columns,
            rows,
            records: None,
            origin: None,
        };
        if by_record || self.by_record {
            table.with_records(self.records)
        } else {
            table
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn typed_columns_give_their_cells() {
        let valid = [0b0000_0101u8];
        let ints = Column::Int64(Values {
            values: Cow::Owned(vec![1, 2, 3]),
            valid: Some(Bits::new(&valid, 0)),
        });
        assert_eq!(
            (ints.cell(0), ints.cell(1), ints.cell(2), ints.cell(3)),
            (Cell::Int(1), Cell::Null, Cell::Int(3), Cell::Missing)
        );
        let text = Column::Utf8(Strings {
            data: Cow::Borrowed("C1社区"),
            offsets: Offsets::I32(Cow::Owned(vec![0, 2, 8, 4])),
            valid: None,
        });
        assert_eq!(text.len(), 3);
        assert_eq!(text.cell(1), Cell::Str("社区".into()));
        // Offsets that lie read as unreadable, never out of bounds.
        assert!(matches!(text.cell(2), Cell::Unreadable(_)));
        let days = Column::Date32(Values::all(vec![0, i32::MAX]));
        assert_eq!(
            days.cell(0),
            Cell::Date(chrono::NaiveDate::from_ymd_opt(1970, 1, 1).unwrap_or_default())
        );
        assert!(matches!(days.cell(1), Cell::Unreadable(_)));
        let big = Column::UInt64(Values::all(vec![7, u64::MAX]));
        assert_eq!(big.cell(0), Cell::Int(7));
        assert!(matches!(big.cell(1), Cell::Unreadable(_)));
    }

    #[test]
    fn tables_refuse_repeated_names_and_lying_lengths() {
        let col = || Column::Int64(Values::all(vec![1, 2]));
        assert!(Table::new(vec![("a".into(), col())], 2).is_ok());
        assert_eq!(
            Table::new(vec![("a".into(), col())], 1_000_000_000).err(),
            Some(TableProblem::Length {
                column: "a".into(),
                len: 2,
                rows: 1_000_000_000
            })
        );
        assert_eq!(
            Table::new(vec![("a".into(), col()), ("a".into(), col())], 2).err(),
            Some(TableProblem::DuplicateColumn("a".into()))
        );
    }

    #[test]
    fn cell_rows_line_up_and_refuse_a_field_twice() {
        let mut rows = CellRows::default();
        rows.start_row(0);
        assert!(rows.field("id", Cell::Int(1)).is_ok());
        rows.start_row(1);
        assert!(rows.field("name", Cell::Str("x".into())).is_ok());
        assert!(rows.field("id", Cell::Int(2)).is_ok());
        assert_eq!(
            rows.field("id", Cell::Int(3)),
            Err(RepeatedField("id".into()))
        );
        let t = rows.finish(false);
        assert_eq!(t.rows(), 2);
        let id = t.column("id");
        assert_eq!(id.map(|c| c.cell(1)), Some(Cell::Int(2)));
        assert_eq!(t.column("name").map(|c| c.cell(0)), Some(Cell::Missing));
    }
}
