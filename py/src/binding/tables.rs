//! Tables in: lists of dicts and Arrow tables, seen as `shequ::rows::Row`s so
//! that every cell is read by the core's row readers, exactly as the JSON
//! boundary and the web form read theirs.

use super::errors::{not_a_row, not_a_table, CoreError, CoreResult};
use arrow_array::cast::AsArray;
use arrow_array::types::{Date32Type, Float64Type, Int64Type};
use arrow_array::{
    Array, ArrayRef, BooleanArray, Date32Array, Decimal128Array, Float64Array, Int64Array,
    RecordBatch, StringArray,
};
use arrow_cast::{cast_with_options, CastOptions};
use arrow_schema::DataType;
use pyo3::exceptions::PyTypeError;
use pyo3::prelude::*;
use pyo3::types::{PyBool, PyDate, PyDict, PyFloat, PyInt, PyList, PyString, PyTuple};
use pyo3_arrow::PyTable;
use rust_decimal::Decimal;
use shequ::error::{InputError, RecordKind};
use shequ::input::PeopleBuilder;
use shequ::rows::{self, Cell, IgnoredColumns, Row, Table as Kind};
use shequ::{Adjustment, Community, Input, Person};
use std::borrow::Cow;

/// A table argument as it arrived.
pub enum Table<'py> {
    /// A list (or tuple) of dicts.
    Records(Vec<Bound<'py, PyAny>>),
    /// An Arrow table, imported zero-copy.
    Arrow(Vec<RecordBatch>),
}

impl<'py> Table<'py> {
    /// Read a table argument: `None`, a list or tuple of dicts, or anything
    /// with `__arrow_c_stream__`.
    pub fn from_py(name: &str, obj: Option<&Bound<'py, PyAny>>) -> PyResult<Self> {
        let Some(obj) = obj else {
            return Ok(Table::Records(Vec::new()));
        };
        if obj.is_none() {
            return Ok(Table::Records(Vec::new()));
        }
        if let Ok(list) = obj.cast::<PyList>() {
            return Ok(Table::Records(list.iter().collect()));
        }
        if let Ok(tuple) = obj.cast::<PyTuple>() {
            return Ok(Table::Records(tuple.iter().collect()));
        }
        if obj.hasattr("__arrow_c_stream__")? {
            let table: PyTable = obj.extract().map_err(|e| {
                PyTypeError::new_err(format!("`{name}`: cannot read the Arrow table: {e}"))
            })?;
            let (batches, _schema) = table.into_inner();
            return Ok(Table::Arrow(batches));
        }
        Err(not_a_table(name, obj))
    }
}

// ---------------------------------------------------------------- records

/// A Python dict as a row.
struct DictRow<'a, 'py>(&'a Bound<'py, PyDict>);

fn dict_cell(d: &Bound<'_, PyDict>, field: &str) -> Cell<'static> {
    match d.get_item(field) {
        Ok(Some(v)) => py_cell(&v),
        _ => Cell::Missing,
    }
}

impl Row for DictRow<'_, '_> {
    fn cell(&self, field: &str) -> Cell<'_> {
        dict_cell(self.0, field)
    }
}

/// A dict row of its own (a post record taken out of a person's list).
struct OwnedDictRow<'py>(Bound<'py, PyDict>);

impl Row for OwnedDictRow<'_> {
    fn cell(&self, field: &str) -> Cell<'_> {
        dict_cell(&self.0, field)
    }
}

fn type_name(v: &Bound<'_, PyAny>) -> String {
    v.get_type()
        .name()
        .map(|n| n.to_string())
        .unwrap_or_default()
}

fn text_of(v: &Bound<'_, PyAny>) -> Cell<'static> {
    Cell::Str(Cow::Owned(
        v.str()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default(),
    ))
}

/// One Python value as a cell. Only the shape of the value is decided here;
/// what it means (a count, a date, money) is the core row reader's business.
fn py_cell(v: &Bound<'_, PyAny>) -> Cell<'static> {
    if v.is_none() {
        return Cell::Null;
    }
    if let Ok(b) = v.cast::<PyBool>() {
        return Cell::Bool(b.is_true());
    }
    if let Ok(s) = v.cast::<PyString>() {
        return Cell::Str(Cow::Owned(s.to_string_lossy().into_owned()));
    }
    if v.is_instance_of::<PyInt>() {
        return v
            .extract::<i64>()
            .map(Cell::Int)
            .unwrap_or_else(|_| text_of(v));
    }
    if let Ok(f) = v.cast::<PyFloat>() {
        return Cell::Float(f.value());
    }
    if v.is_instance_of::<PyDate>() {
        // `datetime.datetime` and `pandas.Timestamp` are dates too: their date part.
        return v
            .extract::<chrono::NaiveDate>()
            .map(Cell::Date)
            .unwrap_or_else(|_| text_of(v));
    }
    match type_name(v).as_str() {
        "Decimal" => match v.extract::<Decimal>() {
            Ok(d) => Cell::Decimal(d),
            // Decimal('NaN') reads like a float NaN: missing.
            Err(_) => Cell::Float(f64::NAN),
        },
        "NAType" | "NaTType" => Cell::Null,
        "bool_" | "bool" => Cell::Bool(v.is_truthy().unwrap_or(false)),
        _ => {
            // NumPy and other numeric scalars.
            if v.hasattr("__index__").unwrap_or(false) {
                if let Ok(i) = v.call_method0("__index__").and_then(|i| i.extract::<i64>()) {
                    return Cell::Int(i);
                }
            }
            if v.hasattr("__float__").unwrap_or(false) {
                if let Ok(f) = v.extract::<f64>() {
                    return Cell::Float(f);
                }
            }
            text_of(v)
        }
    }
}

fn as_dict<'a, 'py>(
    v: &'a Bound<'py, PyAny>,
    kind: RecordKind,
    index: usize,
) -> CoreResult<&'a Bound<'py, PyDict>> {
    v.cast::<PyDict>().map_err(|_| not_a_row(kind, index))
}

/// Tell `ignored` about the keys of a dict row shequ does not read. Rows
/// built alike share their key objects, so a row whose keys are the very
/// objects of the row before is not looked at again.
struct Keys<'py> {
    kind: Kind,
    last: Vec<Bound<'py, PyAny>>,
}

impl<'py> Keys<'py> {
    fn new(kind: Kind) -> Self {
        Keys {
            kind,
            last: Vec::new(),
        }
    }

    fn check(&mut self, d: &Bound<'py, PyDict>, ignored: &mut IgnoredColumns) {
        let keys = d.keys();
        let same =
            keys.len() == self.last.len() && keys.iter().zip(&self.last).all(|(k, l)| k.is(l));
        if same {
            return;
        }
        self.last = keys.iter().collect();
        for k in &self.last {
            match k.cast::<PyString>() {
                Ok(s) => ignored.check(self.kind, &s.to_string_lossy()),
                Err(_) => ignored.check(self.kind, &text_of_key(k)),
            }
        }
    }
}

fn text_of_key(k: &Bound<'_, PyAny>) -> String {
    k.str()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default()
}

fn communities_from_records(
    rows: &[Bound<'_, PyAny>],
    ignored: &mut IgnoredColumns,
) -> CoreResult<Vec<Community>> {
    let mut keys = Keys::new(Kind::Communities);
    rows.iter()
        .enumerate()
        .map(|(i, v)| {
            let d = as_dict(v, RecordKind::Community, i)?;
            keys.check(d, ignored);
            Ok(rows::community(&DictRow(d), i)?)
        })
        .collect()
}

/// People from a list of person dicts (one per post held, or one with a
/// `posts` list); an error names the dict.
fn people_from_records(
    rows: &[Bound<'_, PyAny>],
    ignored: &mut IgnoredColumns,
) -> CoreResult<Vec<Person>> {
    let mut out = PeopleBuilder::with_capacity(rows.len());
    let (mut keys, mut post_keys) = (Keys::new(Kind::People), Keys::new(Kind::Posts));
    for (i, v) in rows.iter().enumerate() {
        let person = as_dict(v, RecordKind::Person, i)?;
        keys.check(person, ignored);
        let posts = person.get_item("posts").ok().flatten();
        let posts = posts.as_ref().and_then(|p| p.cast::<PyList>().ok());
        let posts = posts.map(|posts| {
            posts.iter().map(|p| {
                let post = p
                    .cast_into::<PyDict>()
                    .map_err(|_| not_a_row(RecordKind::Person, i))?;
                post_keys.check(&post, ignored);
                Ok::<_, CoreError>(OwnedDictRow(post))
            })
        });
        rows::person_record(&mut out, &DictRow(person), posts, i)?;
    }
    Ok(out.finish())
}

fn adjustments_from_records(
    rows: &[Bound<'_, PyAny>],
    ignored: &mut IgnoredColumns,
) -> CoreResult<Vec<Adjustment>> {
    let mut keys = Keys::new(Kind::Adjustments);
    rows.iter()
        .enumerate()
        .map(|(i, v)| {
            let d = as_dict(v, RecordKind::Adjustment, i)?;
            keys.check(d, ignored);
            Ok(rows::adjustment(&DictRow(d), i)?)
        })
        .collect()
}

// ---------------------------------------------------------------- Arrow

/// A column normalised to one of the few types a cell can be.
enum Col {
    Str(StringArray),
    Int(Int64Array),
    Float(Float64Array),
    Dec(Decimal128Array, u32),
    Bool(BooleanArray),
    Date(Date32Array),
    Null,
}

impl Col {
    fn cell(&self, i: usize) -> Cell<'_> {
        let null = match self {
            Col::Null => true,
            Col::Str(a) => a.is_null(i),
            Col::Int(a) => a.is_null(i),
            Col::Float(a) => a.is_null(i),
            Col::Dec(a, _) => a.is_null(i),
            Col::Bool(a) => a.is_null(i),
            Col::Date(a) => a.is_null(i),
        };
        if null {
            return Cell::Null;
        }
        match self {
            Col::Str(a) => Cell::Str(Cow::Borrowed(a.value(i))),
            Col::Int(a) => Cell::Int(a.value(i)),
            Col::Float(a) => Cell::Float(a.value(i)),
            Col::Dec(a, scale) => {
                let v = a.value(i);
                Decimal::try_from_i128_with_scale(v, *scale)
                    .map(Cell::Decimal)
                    .unwrap_or_else(|_| Cell::Str(Cow::Owned(a.value_as_string(i))))
            }
            Col::Bool(a) => Cell::Bool(a.value(i)),
            // Days since 1970-01-01, which is day 719 163 of the common era.
            Col::Date(a) => a
                .value(i)
                .checked_add(719_163)
                .and_then(chrono::NaiveDate::from_num_days_from_ce_opt)
                .map(Cell::Date)
                .unwrap_or(Cell::Null),
            Col::Null => Cell::Null,
        }
    }
}

/// The columns of one batch that a table kind reads.
struct Batch {
    names: Vec<&'static str>,
    cols: Vec<Col>,
    len: usize,
}

struct ArrowRow<'a> {
    batch: &'a Batch,
    i: usize,
}

impl Row for ArrowRow<'_> {
    fn cell(&self, field: &str) -> Cell<'_> {
        match self.batch.names.iter().position(|n| *n == field) {
            Some(k) => self.batch.cols[k].cell(self.i),
            None => Cell::Missing,
        }
    }
}

/// Why a column cannot be read: a type error, named.
#[derive(Debug)]
pub struct ColumnError(pub String);

fn normalise(name: &str, a: &ArrayRef) -> Result<Col, ColumnError> {
    use DataType as T;
    let opts = CastOptions {
        safe: false,
        ..Default::default()
    };
    let cast = |to: &DataType| {
        cast_with_options(a.as_ref(), to, &opts).map_err(|e| {
            ColumnError(format!(
                "column `{name}` ({}) cannot be read as {to}: {e}",
                a.data_type()
            ))
        })
    };
    let dt = a.data_type();
    Ok(match dt {
        T::Null => Col::Null,
        T::Boolean => Col::Bool(a.as_boolean().clone()),
        T::Int8 | T::Int16 | T::Int32 | T::Int64 | T::UInt8 | T::UInt16 | T::UInt32 | T::UInt64 => {
            Col::Int(cast(&T::Int64)?.as_primitive::<Int64Type>().clone())
        }
        T::Float16 | T::Float32 | T::Float64 => Col::Float(cast(&T::Float64)?.as_primitive::<Float64Type>().clone()),
        T::Decimal32(_, s) | T::Decimal64(_, s) | T::Decimal128(_, s) | T::Decimal256(_, s) => {
            let scale = u32::try_from(*s).map_err(|_| ColumnError(format!("column `{name}` has a negative decimal scale")))?;
            Col::Dec(cast(&T::Decimal128(38, *s))?.as_primitive::<arrow_array::types::Decimal128Type>().clone(), scale)
        }
        T::Date32 | T::Date64 | T::Timestamp(_, _) => Col::Date(cast(&T::Date32)?.as_primitive::<Date32Type>().clone()),
        T::Utf8 => Col::Str(a.as_string::<i32>().clone()),
        T::LargeUtf8 | T::Utf8View | T::Dictionary(_, _) | T::Binary | T::LargeBinary | T::BinaryView => Col::Str(cast(&T::Utf8)?.as_string::<i32>().clone()),
        other => return Err(ColumnError(format!("column `{name}` has Arrow type {other}, which shequ cannot read: give text, numbers, decimals, dates or booleans"))),
    })
}

fn batches(
    data: &[RecordBatch],
    kind: Kind,
    ignored: &mut IgnoredColumns,
) -> Result<Vec<Batch>, ColumnError> {
    let columns = kind.columns();
    data.iter()
        .map(|b| {
            let schema = b.schema();
            for field in schema.fields() {
                ignored.check(kind, field.name());
            }
            let mut names = Vec::new();
            let mut cols = Vec::new();
            for name in columns {
                if let Ok(k) = schema.index_of(name) {
                    names.push(*name);
                    cols.push(normalise(name, b.column(k))?);
                }
            }
            Ok(Batch {
                names,
                cols,
                len: b.num_rows(),
            })
        })
        .collect()
}

/// Call `read` on every row of the batches, with its index in the table;
/// the results in order.
fn each_row<T>(
    batches: &[Batch],
    mut read: impl FnMut(&ArrowRow<'_>, usize) -> Result<T, InputError>,
) -> Result<Vec<T>, InputError> {
    let mut out = Vec::with_capacity(batches.iter().map(|b| b.len).sum());
    for_each_row(batches, |row, index| {
        out.push(read(row, index)?);
        Ok(())
    })?;
    Ok(out)
}

/// Call `read` on every row of the batches, with its index in the table,
/// until the first error.
fn for_each_row(
    batches: &[Batch],
    mut read: impl FnMut(&ArrowRow<'_>, usize) -> Result<(), InputError>,
) -> Result<(), InputError> {
    let mut index = 0;
    for batch in batches {
        for i in 0..batch.len {
            read(&ArrowRow { batch, i }, index)?;
            index += 1;
        }
    }
    Ok(())
}

/// Reading failed: bad data (a core error) or an unreadable column type.
#[derive(Debug)]
pub enum ReadError {
    /// A core input error.
    Core(CoreError),
    /// A column of a type no cell can hold.
    Column(ColumnError),
}

impl From<CoreError> for ReadError {
    fn from(e: CoreError) -> Self {
        ReadError::Core(e)
    }
}
impl From<InputError> for ReadError {
    fn from(e: InputError) -> Self {
        ReadError::Core(CoreError::from(e))
    }
}
impl From<ColumnError> for ReadError {
    fn from(e: ColumnError) -> Self {
        ReadError::Column(e)
    }
}
impl From<ReadError> for PyErr {
    fn from(e: ReadError) -> PyErr {
        match e {
            ReadError::Core(c) => c.into(),
            ReadError::Column(ColumnError(m)) => PyTypeError::new_err(m),
        }
    }
}

/// A table read into rows, or an Arrow table still to read.
pub enum Part<T> {
    /// Read (from a list of dicts, with the interpreter).
    Read(Vec<T>),
    /// Arrow batches, readable without the interpreter.
    Arrow(Vec<RecordBatch>),
}

/// The three tables of a budget, after the part that needs the interpreter
/// is done; `Send`, so the rest runs with the interpreter released.
pub struct Parts {
    communities: Part<Community>,
    people: Part<Person>,
    adjustments: Part<Adjustment>,
    /// Columns shequ does not read, from the tables read so far.
    ignored: IgnoredColumns,
}

impl Parts {
    /// Read the list-of-dicts tables now (they need the interpreter); keep
    /// the Arrow ones for [`Parts::finish`].
    pub fn start(
        communities: Table<'_>,
        people: Table<'_>,
        adjustments: Table<'_>,
    ) -> CoreResult<Parts> {
        let mut ignored = IgnoredColumns::default();
        Ok(Parts {
            communities: match communities {
                Table::Records(r) => Part::Read(communities_from_records(&r, &mut ignored)?),
                Table::Arrow(b) => Part::Arrow(b),
            },
            people: match people {
                Table::Records(r) => Part::Read(people_from_records(&r, &mut ignored)?),
                Table::Arrow(b) => Part::Arrow(b),
            },
            adjustments: match adjustments {
                Table::Records(r) => Part::Read(adjustments_from_records(&r, &mut ignored)?),
                Table::Arrow(b) => Part::Arrow(b),
            },
            ignored,
        })
    }

    /// Read the Arrow tables and group people rows: the core's input.
    pub fn finish(mut self) -> Result<Input, ReadError> {
        let communities = match self.communities {
            Part::Read(v) => v,
            Part::Arrow(b) => each_row(
                &batches(&b, Kind::Communities, &mut self.ignored)?,
                |r, i| rows::community(r, i),
            )?,
        };
        let people = match self.people {
            Part::Read(v) => v,
            Part::Arrow(b) => {
                // Each row goes to the people as it is read.
                let batches = batches(&b, Kind::People, &mut self.ignored)?;
                let mut people = PeopleBuilder::with_capacity(batches.iter().map(|b| b.len).sum());
                for_each_row(&batches, |r, i| people.push(rows::post_row(r, i)?, i))?;
                people.finish()
            }
        };
        let adjustments = match self.adjustments {
            Part::Read(v) => v,
            Part::Arrow(b) => each_row(
                &batches(&b, Kind::Adjustments, &mut self.ignored)?,
                |r, i| rows::adjustment(r, i),
            )?,
        };
        Ok(Input {
            communities,
            people,
            adjustments,
            ignored_columns: self.ignored.into_list(),
        })
    }
}

/// One Python value (an option such as `as_of`) as a cell, for the core's
/// readers.
pub struct OneCell<'a, 'py> {
    pub field: &'static str,
    pub value: &'a Bound<'py, PyAny>,
}

impl Row for OneCell<'_, '_> {
    fn cell(&self, field: &str) -> Cell<'_> {
        if field == self.field {
            py_cell(self.value)
        } else {
            Cell::Missing
        }
    }
}
