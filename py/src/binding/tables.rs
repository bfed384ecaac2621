//! Tables in: lists of dicts and Arrow tables handed to the core's one
//! reader (`shequ::read`) as its columns — an Arrow array's buffers
//! borrowed as they are, a dict's values as cells. Nothing here says what a
//! cell means: that is the core's, the same as for the JSON boundary.

use super::errors::{not_a_row, not_a_table, CoreError, CoreResult};
use arrow_array::cast::AsArray;
use arrow_array::types::{
    Date32Type, Decimal128Type, Float64Type, Int64Type, TimestampMicrosecondType,
    TimestampMillisecondType, TimestampNanosecondType, TimestampSecondType, UInt64Type,
};
use arrow_array::{Array, ArrayRef, RecordBatch};
use arrow_buffer::NullBuffer;
use arrow_cast::{cast_with_options, CastOptions};
use arrow_schema::{DataType, TimeUnit as ArrowUnit};
use pyo3::exceptions::PyTypeError;
use pyo3::prelude::*;
use pyo3::types::{PyBool, PyDate, PyDict, PyFloat, PyInt, PyList, PyString, PyTuple};
use pyo3_arrow::PyTable;
use rust_decimal::Decimal;
use shequ::error::{InputError, InputErrorCode, RecordKind, RecordRef};
use shequ::read::{self, Bits, Cell, CellRows, Column, Offsets, Strings, TimeUnit, Values};
use shequ::Frame;
use std::borrow::Cow;

/// A table argument as it arrived.
pub enum Table<'py> {
    /// A list (or tuple) of dicts.
    Records(Vec<Bound<'py, PyAny>>),
    /// An Arrow table, imported zero-copy.
    Arrow(Vec<RecordBatch>),
    /// A file's bytes and name (`shequ._native.File`), read by the core.
    File(Vec<u8>, Option<String>),
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
        if let Ok(file) = obj.cast::<super::sheets::PyFile>() {
            let f = file.get();
            return Ok(Table::File(f.data.clone(), f.name.clone()));
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

fn type_name(v: &Bound<'_, PyAny>) -> String {
    v.get_type()
        .name()
        .map(|n| n.to_string())
        .unwrap_or_default()
}

/// A Python string as Rust text; a string that is not valid Unicode (a lone
/// surrogate) is unreadable, named, never replaced silently.
fn text(s: &Bound<'_, PyString>) -> Cell<'static> {
    match s.extract::<String>() {
        Ok(t) => Cell::Str(Cow::Owned(t)),
        Err(_) => Cell::Unreadable(Cow::Owned(format!(
            "text `{}` that is not valid Unicode (a lone surrogate)",
            s.to_string_lossy()
        ))),
    }
}

fn text_of(v: &Bound<'_, PyAny>) -> Cell<'static> {
    match v.str() {
        Ok(s) => text(&s),
        Err(_) => Cell::Unreadable(Cow::Owned(format!("a {} value", type_name(v)))),
    }
}

/// One Python value as a cell. Only the shape of the value is decided here;
/// what it means (a count, a date, money) is the core reader's business.
pub fn py_cell(v: &Bound<'_, PyAny>) -> Cell<'static> {
    if v.is_none() {
        return Cell::Null;
    }
    if let Ok(b) = v.cast::<PyBool>() {
        return Cell::Bool(b.is_true());
    }
    if let Ok(s) = v.cast::<PyString>() {
        return text(s);
    }
    // A list or a dict where a value is expected is no value (as a nested
    // list or object of a JSON request): never its text.
    if v.cast::<PyList>().is_ok() || v.cast::<PyTuple>().is_ok() {
        return Cell::Unreadable(Cow::Borrowed("a list"));
    }
    if v.cast::<PyDict>().is_ok() {
        return Cell::Unreadable(Cow::Borrowed("an object"));
    }
    if v.is_instance_of::<PyInt>() {
        return v.extract::<i64>().map(Cell::Int).unwrap_or_else(|_| {
            Cell::Unreadable(Cow::Owned(format!("`{}`, a whole number too large", v)))
        });
    }
    if let Ok(f) = v.cast::<PyFloat>() {
        return Cell::Float(f.value());
    }
    if v.is_instance_of::<PyDate>() {
        // `datetime.datetime` and `pandas.Timestamp` are dates too: their date part.
        return v
            .extract::<chrono::NaiveDate>()
            .map(Cell::Date)
            .unwrap_or_else(|_| {
                Cell::Unreadable(Cow::Owned(format!(
                    "a {} the calendar cannot hold",
                    type_name(v)
                )))
            });
    }
    match type_name(v).as_str() {
        "Decimal" => match v.extract::<Decimal>() {
            Ok(d) => Cell::Decimal(d),
            // Decimal('NaN') reads like a float NaN: missing.
            Err(_)
                if v.call_method0("is_nan")
                    .and_then(|n| n.is_truthy())
                    .unwrap_or(false) =>
            {
                Cell::Float(f64::NAN)
            }
            Err(_) => Cell::Unreadable(Cow::Owned(format!("`{v}`, a decimal shequ cannot hold"))),
        },
        "NAType" | "NaTType" => Cell::Null,
        "bool_" | "bool" => Cell::Bool(v.is_truthy().unwrap_or(false)),
        _ => {
            // NumPy and other numeric scalars.
            if v.hasattr("__index__").unwrap_or(false) {
                return match v.call_method0("__index__").and_then(|i| i.extract::<i64>()) {
                    Ok(i) => Cell::Int(i),
                    Err(_) => {
                        Cell::Unreadable(Cow::Owned(format!("`{v}`, a whole number too large")))
                    }
                };
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

fn key_text(k: &Bound<'_, PyAny>) -> String {
    match k.cast::<PyString>() {
        Ok(s) => s.to_string_lossy().into_owned(),
        Err(_) => k
            .str()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default(),
    }
}

fn fields(d: &Bound<'_, PyDict>) -> Vec<(String, Cell<'static>)> {
    d.iter().map(|(k, v)| (key_text(&k), py_cell(&v))).collect()
}

/// The rows of a list of dicts, as cells, through the core's reading of a
/// record (a person dict with a `posts` list is one row per post).
fn records(
    rows: &[Bound<'_, PyAny>],
    kind: RecordKind,
    post_keys: &mut Vec<String>,
) -> CoreResult<read::Table<'static>> {
    let mut out = CellRows::with_capacity(rows.len());
    for (i, v) in rows.iter().enumerate() {
        let d = v.cast::<PyDict>().map_err(|_| not_a_row(kind, i))?;
        let posts = match d.get_item("posts").ok().flatten() {
            Some(p) if kind == RecordKind::Person => match p.cast::<PyList>() {
                Ok(list) => Some(
                    list.iter()
                        .map(|p| {
                            p.cast::<PyDict>()
                                .map(|p| fields(p))
                                .map_err(|_| not_a_row(kind, i))
                        })
                        .collect::<CoreResult<Vec<_>>>()?,
                ),
                Err(_) => None,
            },
            _ => None,
        };
        out.record(kind, i, &fields(d), posts.as_deref(), post_keys)?;
    }
    Ok(out.finish(false))
}

// ---------------------------------------------------------------- Arrow

/// A column of a type shequ cannot read: a typed input error naming it.
fn unreadable_column(kind: RecordKind, name: &str, message: String) -> CoreError {
    CoreError::from(InputError::new(
        InputErrorCode::InvalidTable,
        RecordRef {
            kind,
            index: None,
            id: None,
        },
        name,
        message,
    ))
}

/// Days a named zone's dates are offset from UTC, for the zones of China
/// (UTC+8 all year since 1992); `None` for a zone shequ does not know.
fn zone_offset_seconds(tz: &str) -> Option<i64> {
    match tz {
        "UTC" | "Etc/UTC" | "Z" | "+00:00" | "GMT" => Some(0),
        "Asia/Shanghai" | "Asia/Chongqing" | "Asia/Harbin" | "Asia/Urumqi" | "PRC"
        | "Asia/Hong_Kong" | "Asia/Macau" | "Asia/Taipei" => Some(8 * 3600),
        _ => {
            // A fixed offset, `+08:00`.
            let (sign, rest) = match tz.as_bytes().first() {
                Some(b'+') => (1, &tz[1..]),
                Some(b'-') => (-1, &tz[1..]),
                _ => return None,
            };
            let (h, m) = rest.split_once(':')?;
            Some(sign * (h.parse::<i64>().ok()? * 3600 + m.parse::<i64>().ok()? * 60))
        }
    }
}

/// An Arrow array as one of the few types the core's columns hold (a cast
/// where the array is another width or layout).
fn normalise(kind: RecordKind, name: &str, a: &ArrayRef) -> CoreResult<ArrayRef> {
    use DataType as T;
    let opts = CastOptions {
        safe: false,
        ..Default::default()
    };
    let cast = |to: &DataType| {
        cast_with_options(a.as_ref(), to, &opts).map_err(|e| {
            unreadable_column(
                kind,
                name,
                format!(
                    "column `{name}` ({}) cannot be read as {to}: {e}",
                    a.data_type()
                ),
            )
        })
    };
    Ok(match a.data_type() {
        T::Null | T::Boolean | T::Int64 | T::UInt64 | T::Float64 | T::Utf8 | T::LargeUtf8 | T::Date32 | T::Timestamp(_, _) | T::Decimal128(_, _) => a.clone(),
        T::Int8 | T::Int16 | T::Int32 | T::UInt8 | T::UInt16 | T::UInt32 => cast(&T::Int64)?,
        T::Float16 | T::Float32 => cast(&T::Float64)?,
        T::Decimal32(_, s) | T::Decimal64(_, s) | T::Decimal256(_, s) => cast(&T::Decimal128(38, *s))?,
        T::Date64 => cast(&T::Timestamp(ArrowUnit::Millisecond, None))?,
        T::Utf8View | T::Dictionary(_, _) | T::Binary | T::LargeBinary | T::BinaryView => cast(&T::Utf8)?,
        other => {
            return Err(unreadable_column(
                kind,
                name,
                format!("column `{name}` has Arrow type {other}, which shequ cannot read: give text, numbers, decimals, dates or booleans"),
            ))
        }
    })
}

fn bits(nulls: Option<&NullBuffer>) -> Option<Bits<'_>> {
    nulls.map(|n| Bits::new(n.buffer().as_slice(), n.offset()))
}

/// A normalised array as a core column, its buffers borrowed.
fn column<'a>(kind: RecordKind, name: &str, a: &'a ArrayRef) -> CoreResult<Column<'a>> {
    use DataType as T;
    let valid = bits(a.nulls());
    let values = |v: &'a [i64]| Values {
        values: Cow::Borrowed(v),
        valid: bits(a.nulls()),
    };
    Ok(match a.data_type() {
        T::Null => Column::Null(a.len()),
        T::Boolean => {
            let b = a.as_boolean();
            Column::Bool(
                Bits::new(b.values().values(), b.values().offset()),
                b.len(),
                valid,
            )
        }
        T::Int64 => Column::Int64(values(a.as_primitive::<Int64Type>().values())),
        T::UInt64 => Column::UInt64(Values {
            values: Cow::Borrowed(a.as_primitive::<UInt64Type>().values()),
            valid,
        }),
        T::Float64 => Column::Float64(Values {
            values: Cow::Borrowed(a.as_primitive::<Float64Type>().values()),
            valid,
        }),
        T::Date32 => Column::Date32(Values {
            values: Cow::Borrowed(a.as_primitive::<Date32Type>().values()),
            valid,
        }),
        T::Decimal128(_, s) => {
            let scale = u32::try_from(*s).map_err(|_| {
                unreadable_column(
                    kind,
                    name,
                    format!("column `{name}` has a negative decimal scale"),
                )
            })?;
            Column::Decimal128(
                Values {
                    values: Cow::Borrowed(a.as_primitive::<Decimal128Type>().values()),
                    valid,
                },
                scale,
            )
        }
        T::Timestamp(unit, tz) => {
            let (raw, unit): (&[i64], TimeUnit) = match unit {
                ArrowUnit::Second => (
                    a.as_primitive::<TimestampSecondType>().values(),
                    TimeUnit::Second,
                ),
                ArrowUnit::Millisecond => (
                    a.as_primitive::<TimestampMillisecondType>().values(),
                    TimeUnit::Millisecond,
                ),
                ArrowUnit::Microsecond => (
                    a.as_primitive::<TimestampMicrosecondType>().values(),
                    TimeUnit::Microsecond,
                ),
                ArrowUnit::Nanosecond => (
                    a.as_primitive::<TimestampNanosecondType>().values(),
                    TimeUnit::Nanosecond,
                ),
            };
            match tz.as_deref().map(|z| (z, zone_offset_seconds(z))) {
                None | Some((_, Some(0))) => Column::Timestamp(values(raw), unit),
                // The day in the zone the times were written in.
                Some((_, Some(offset))) => {
                    let shift = offset.saturating_mul(unit.per_day() / 86_400);
                    Column::Timestamp(
                        Values {
                            values: Cow::Owned(raw.iter().map(|t| t.saturating_add(shift)).collect()),
                            valid,
                        },
                        unit,
                    )
                }
                Some((zone, None)) => {
                    return Err(unreadable_column(
                        kind,
                        name,
                        format!("column `{name}` holds times in zone `{zone}`, whose calendar day shequ cannot tell: give dates (date32, or `YYYY-MM-DD` text)"),
                    ))
                }
            }
        }
        T::Utf8 | T::LargeUtf8 => {
            let (data, offsets) = match a.data_type() {
                T::Utf8 => {
                    let s = a.as_string::<i32>();
                    (
                        s.values().as_slice(),
                        Offsets::I32(Cow::Borrowed(s.value_offsets())),
                    )
                }
                _ => {
                    let s = a.as_string::<i64>();
                    (
                        s.values().as_slice(),
                        Offsets::I64(Cow::Borrowed(s.value_offsets())),
                    )
                }
            };
            match std::str::from_utf8(data) {
                Ok(text) => Column::Utf8(Strings {
                    data: Cow::Borrowed(text),
                    offsets,
                    valid,
                }),
                // Text that is not UTF-8: each cell read on its own, the bad
                // ones named.
                Err(_) => Column::Cells(
                    (0..a.len())
                        .map(|i| {
                            if a.is_null(i) {
                                return Cell::Null;
                            }
                            let s = match a.data_type() {
                                T::Utf8 => a.as_string::<i32>().value(i),
                                _ => a.as_string::<i64>().value(i),
                            };
                            Cell::Str(Cow::Borrowed(s))
                        })
                        .collect(),
                ),
            }
        }
        other => {
            return Err(unreadable_column(
                kind,
                name,
                format!("column `{name}` has Arrow type {other}"),
            ))
        }
    })
}

/// The batches of an Arrow table, normalised: one batch, each column one
/// of the core's types, named as given.
fn arrow_columns(
    kind: RecordKind,
    batches: &[RecordBatch],
    headers: &read::Headers,
) -> CoreResult<Vec<(String, ArrayRef)>> {
    let Some(first) = batches.first() else {
        return Ok(Vec::new());
    };
    let schema = first.schema();
    let batch = if batches.len() == 1 {
        first.clone()
    } else {
        arrow_select::concat::concat_batches(&schema, batches).map_err(|e| {
            unreadable_column(
                kind,
                "(table)",
                format!("the table's batches do not line up: {e}"),
            )
        })?
    };
    // A column is read when its header stands for one (`户数` too).
    let reads = |name: &str| {
        let table = match kind {
            RecordKind::Community => read::TableKind::Communities,
            RecordKind::Person => read::TableKind::People,
            _ => read::TableKind::Adjustments,
        };
        table.reads(name) || headers.column(table, name).is_some()
    };
    schema
        .fields()
        .iter()
        .zip(batch.columns())
        .map(|(f, a)| {
            // A column shequ does not read keeps only its name (for the
            // warning that says it was ignored), whatever its type.
            let array = if reads(f.name()) {
                normalise(kind, f.name(), a)?
            } else {
                arrow_array::new_null_array(&DataType::Null, a.len())
            };
            Ok((f.name().clone(), array))
        })
        .collect()
}

fn arrow_table<'a>(
    kind: RecordKind,
    arrays: &'a [(String, ArrayRef)],
) -> CoreResult<read::Table<'a>> {
    let columns = arrays
        .iter()
        .map(|(name, a)| Ok((name.clone(), column(kind, name, a)?)))
        .collect::<CoreResult<Vec<_>>>()?;
    let rows = arrays.first().map_or(0, |(_, a)| a.len());
    read::Table::new(columns, rows).map_err(|p| {
        let (code, field) = match &p {
            read::TableProblem::DuplicateColumn(c) => (InputErrorCode::DuplicateField, c.clone()),
            read::TableProblem::Length { column, .. } => {
                (InputErrorCode::InvalidTable, column.clone())
            }
        };
        CoreError::from(InputError::new(
            code,
            RecordRef {
                kind,
                index: None,
                id: None,
            },
            &field,
            p.to_string(),
        ))
    })
}

fn table<'a>(
    p: Part,
    arrays: &'a [(String, ArrayRef)],
    kind: RecordKind,
    from_file: &mut Option<read::Table<'static>>,
) -> CoreResult<read::Table<'a>> {
    match p {
        Part::Cells(t) => Ok(t),
        Part::Arrow(_) => arrow_table(kind, arrays),
        Part::File(..) | Part::Nothing => Ok(from_file.take().unwrap_or_default()),
    }
}

/// A table read as far as the interpreter is needed.
enum Part {
    /// A list of dicts, its cells owned.
    Cells(read::Table<'static>),
    /// Arrow batches, read without the interpreter.
    Arrow(Vec<RecordBatch>),
    /// A file, read without the interpreter.
    File(Vec<u8>, Option<String>),
    /// Nothing given.
    Nothing,
}

/// The three tables of a budget, after the part that needs the interpreter
/// is done; `Send`, so the rest runs with the interpreter released.
pub struct Parts {
    communities: Part,
    people: Part,
    adjustments: Part,
    post_keys: Vec<String>,
}

impl Parts {
    /// Read the list-of-dicts tables now (they need the interpreter); keep
    /// the Arrow ones for [`Parts::finish`].
    pub fn start(
        communities: Table<'_>,
        people: Table<'_>,
        adjustments: Table<'_>,
    ) -> CoreResult<Parts> {
        let mut post_keys = Vec::new();
        let mut part = |t: Table<'_>, kind| -> CoreResult<Part> {
            Ok(match t {
                Table::Records(r) if r.is_empty() => Part::Nothing,
                Table::Records(r) => Part::Cells(records(&r, kind, &mut post_keys)?),
                Table::Arrow(b) => Part::Arrow(b),
                Table::File(bytes, name) => Part::File(bytes, name),
            })
        };
        let communities = part(communities, RecordKind::Community)?;
        let people = part(people, RecordKind::Person)?;
        let adjustments = part(adjustments, RecordKind::Adjustment)?;
        Ok(Parts {
            communities,
            people,
            adjustments,
            post_keys,
        })
    }

    /// The core's input: every table through the one reader, each header
    /// read by `headers` (the policy's); files read by the core's reader of
    /// spreadsheets (`shequ::read::sheet::read_files`).
    pub fn finish(self, headers: &read::Headers) -> CoreResult<Frame> {
        let arrays = |p: &Part, kind| match p {
            Part::Arrow(b) => arrow_columns(kind, b, headers),
            _ => Ok(Vec::new()),
        };
        let (ca, pa, aa) = (
            arrays(&self.communities, RecordKind::Community)?,
            arrays(&self.people, RecordKind::Person)?,
            arrays(&self.adjustments, RecordKind::Adjustment)?,
        );
        let Parts {
            communities,
            people,
            adjustments,
            post_keys,
        } = self;
        fn file(p: &Part) -> Option<read::sheet::File<'_>> {
            match p {
                Part::File(bytes, name) => Some(read::sheet::File {
                    bytes,
                    name: name.as_deref(),
                }),
                _ => None,
            }
        }
        let given = |p: &Part| matches!(p, Part::Cells(_) | Part::Arrow(_));
        let ([mut fc, mut fp, mut fa], notes) = read::sheet::read_files(
            [file(&communities), file(&people), file(&adjustments)],
            [given(&communities), given(&people), given(&adjustments)],
            headers,
        )?;
        let tables = read::Tables {
            communities: table(communities, &ca, RecordKind::Community, &mut fc)?,
            people: table(people, &pa, RecordKind::Person, &mut fp)?,
            adjustments: table(adjustments, &aa, RecordKind::Adjustment, &mut fa)?,
            post_keys,
            notes,
        };
        Ok(read::frame_with(&tables, headers)?)
    }
}
