//! Files in: the bytes of a spreadsheet or of delimited text handed to the
//! core's reader (`shequ::read::sheet`), as a table argument
//! (`shequ._native.File`) or to `read_tables`, whose tables come back as
//! pyarrow Tables. Which sheet is which table, what each header and cell
//! means: all the core's.

use super::errors::{guard, CoreResult};
use super::PyPolicy;
use arrow_array::{
    ArrayRef, BooleanArray, Date32Array, Decimal128Array, Float64Array, Int64Array, NullArray,
    RecordBatch, StringArray,
};
use arrow_schema::{Field, Schema};
use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList};
use pyo3_arrow::PyTable;
use shequ::read::sheet::{self, Typed};
use shequ::read::{Headers, TableKind};
use std::sync::Arc;

/// A file given as a table: its bytes and its name.
#[pyclass(frozen, module = "shequ._native", name = "File")]
pub struct PyFile {
    pub data: Vec<u8>,
    pub name: Option<String>,
}

#[pymethods]
impl PyFile {
    #[new]
    #[pyo3(signature = (data, name = None))]
    fn new(data: Vec<u8>, name: Option<String>) -> Self {
        PyFile { data, name }
    }

    /// The file's name.
    #[getter]
    fn name(&self) -> Option<&str> {
        self.name.as_deref()
    }

    fn __repr__(&self) -> String {
        format!(
            "<shequ._native.File {} ({} bytes)>",
            self.name.as_deref().unwrap_or("?"),
            self.data.len()
        )
    }
}

fn table_name(kind: TableKind) -> &'static str {
    match kind {
        TableKind::Communities => "communities",
        TableKind::People | TableKind::Posts => "people",
        TableKind::Adjustments => "adjustments",
    }
}

/// A column of cells as one Arrow array (its type the cells' common one).
fn array(cells: Typed) -> Result<ArrayRef, String> {
    Ok(match cells {
        Typed::Null(n) => Arc::new(NullArray::new(n)),
        Typed::Int(v) => Arc::new(Int64Array::from(v)),
        Typed::Float(v) => Arc::new(Float64Array::from(v)),
        Typed::Bool(v) => Arc::new(BooleanArray::from(v)),
        Typed::Text(v) => Arc::new(StringArray::from(v)),
        Typed::Date(v) => Arc::new(Date32Array::from(
            v.iter()
                .map(|d| {
                    d.and_then(|d| {
                        d.signed_duration_since(chrono::NaiveDate::default())
                            .num_days()
                            .try_into()
                            .ok()
                    })
                })
                .collect::<Vec<Option<i32>>>(),
        )),
        Typed::Decimal(v, scale) => {
            let scale_i8 = i8::try_from(scale).map_err(|e| e.to_string())?;
            let values: Vec<Option<i128>> = v
                .iter()
                .map(|d| {
                    d.map(|mut d| {
                        d.rescale(scale);
                        d.mantissa()
                    })
                })
                .collect();
            Arc::new(
                Decimal128Array::from(values)
                    .with_precision_and_scale(38, scale_i8)
                    .map_err(|e| e.to_string())?,
            )
        }
    })
}

/// One table read: its kind, sheet, header row, each row's sheet row, and
/// its cells as Arrow.
type TableRead = (
    &'static str,
    String,
    u32,
    Vec<u32>,
    RecordBatch,
    Arc<Schema>,
);

/// What `read_tables` found, before it becomes Python objects.
struct Read {
    tables: Vec<TableRead>,
    columns: String,
    notes: Vec<shequ::notes::Note>,
    format: &'static str,
    encoding: Option<&'static str>,
}

fn read(
    data: &[u8],
    name: Option<&str>,
    headers: &Headers,
    table: Option<TableKind>,
) -> CoreResult<Result<Read, String>> {
    let book = sheet::read(data, name, headers, table)?;
    let (format, encoding) = (book.format.name(), book.encoding);
    let found: Vec<(TableKind, String, u32)> = book
        .tables
        .iter()
        .map(|t| (t.kind, t.sheet.clone(), t.header_line))
        .collect();
    let mut tables = book.into_tables();
    let columns = serde_json::to_string(&tables.map_headers(headers)).unwrap_or_default();
    let mut out = Vec::new();
    for (kind, sheet_name, header_row) in found {
        let t = match kind {
            TableKind::Communities => &tables.communities,
            TableKind::People | TableKind::Posts => &tables.people,
            TableKind::Adjustments => &tables.adjustments,
        };
        let mut fields = Vec::new();
        let mut arrays = Vec::new();
        for k in 0.. {
            let Some((column_name, column)) = t.column_at(k) else {
                break;
            };
            let cells: Vec<_> = (0..t.rows()).map(|r| column.cell(r)).collect();
            let a = match array(sheet::typed(&cells)) {
                Ok(a) => a,
                Err(e) => return Ok(Err(e)),
            };
            fields.push(Field::new(column_name, a.data_type().clone(), true));
            arrays.push(a);
        }
        let schema = Arc::new(Schema::new(fields));
        let batch = match RecordBatch::try_new_with_options(
            schema.clone(),
            arrays,
            &arrow_array::RecordBatchOptions::new().with_row_count(Some(t.rows())),
        ) {
            Ok(b) => b,
            Err(e) => return Ok(Err(e.to_string())),
        };
        let lines = t.origin().map(|o| o.lines.clone()).unwrap_or_default();
        out.push((
            table_name(kind),
            sheet_name,
            header_row,
            lines,
            batch,
            schema,
        ));
    }
    Ok(Ok(Read {
        tables: out,
        columns,
        notes: tables.notes,
        format,
        encoding,
    }))
}

/// Read a file's tables: `{"tables": {name: pyarrow.Table}, "sheets":
/// {name: {sheet, header_row, lines}}, "columns": [...], "notes": [...],
/// "format", "encoding"}`.
#[pyfunction]
#[pyo3(signature = (file, policy = None, table = None))]
pub fn read_tables<'py>(
    py: Python<'py>,
    file: &Bound<'py, PyFile>,
    policy: Option<&Bound<'py, PyPolicy>>,
    table: Option<&str>,
) -> PyResult<Bound<'py, PyDict>> {
    let file = file.get();
    let (data, name) = (&file.data, &file.name);
    let policy = policy.map(|p| p.get());
    let headers = policy.map_or_else(Headers::builtin, |p| p.inner.headers());
    let kind = match table {
        None => None,
        Some(t) => Some(
            serde_json::from_value::<TableKind>(serde_json::Value::String(t.to_string()))
                .ok()
                .filter(|k| *k != TableKind::Posts)
                .ok_or_else(|| {
                    pyo3::exceptions::PyValueError::new_err(format!(
                        "`table` must be 'communities', 'people' or 'adjustments', got {t:?}"
                    ))
                })?,
        ),
    };
    let found = guard(py, || read(data, name.as_deref(), &headers, kind))?
        .map_err(pyo3::exceptions::PyRuntimeError::new_err)?;
    let out = PyDict::new(py);
    let tables = PyDict::new(py);
    let sheets = PyDict::new(py);
    for (key, sheet_name, header_row, lines, batch, schema) in found.tables {
        tables.set_item(
            key,
            PyTable::try_new(vec![batch], schema)?.into_pyarrow(py)?,
        )?;
        let s = PyDict::new(py);
        s.set_item("sheet", sheet_name)?;
        s.set_item("header_row", header_row)?;
        s.set_item("lines", lines)?;
        sheets.set_item(key, s)?;
    }
    out.set_item("tables", tables)?;
    out.set_item("sheets", sheets)?;
    let json = py.import("json")?;
    out.set_item("columns", json.call_method1("loads", (found.columns,))?)?;
    let notes: Vec<_> = found
        .notes
        .iter()
        .map(|n| super::note_dict(py, n))
        .collect::<PyResult<_>>()?;
    out.set_item("notes", PyList::new(py, notes)?)?;
    out.set_item("format", found.format)?;
    out.set_item("encoding", found.encoding)?;
    Ok(out)
}
