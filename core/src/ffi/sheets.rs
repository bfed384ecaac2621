//! Files across the JSON boundary: the bytes of a spreadsheet or of
//! delimited text in, its tables out as JSON rows — with the column
//! mapping and the reader's notes — ready to go into a request's
//! `communities`, `people` and `adjustments`. The web form, the JS API and
//! the command line read files through this, so they read them as the
//! Python package does ([`crate::read::sheet`]).

use super::{load_policy, ErrorBody, PolicySpec};
use crate::error::Error;
use crate::read::{sheet, Cell, Headers, MappedColumn, TableKind};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// How to read a file.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReadOptions {
    /// The policy whose own headers to read besides the built-in ones.
    #[serde(default)]
    pub policy: Option<PolicySpec>,
    /// The table the file is given as (`communities`, `people`,
    /// `adjustments`): a file of one sheet is read as that table, and a
    /// workbook must hold it.
    #[serde(default)]
    pub table: Option<TableKind>,
    /// The file's name (for the report, and the sheet name of text).
    #[serde(default)]
    pub name: Option<String>,
    /// Write the cells whose meaning is plain as shequ writes them (dates
    /// `YYYY-MM-DD`, households whole numbers, serving true or false; see
    /// [`sheet::tidy`]), for a form that shows them.
    #[serde(default)]
    pub tidy: bool,
}

/// One table read from a file.
#[derive(Debug, Serialize)]
pub struct TableJson {
    /// The sheet it came from (for text, the file's name).
    pub sheet: String,
    /// The sheet row of its header (1-based).
    pub header_row: u32,
    /// The sheet row of each row (1-based): row `i` of an error is sheet
    /// row `lines[i]`.
    pub lines: Vec<u32>,
    /// The rows, each an object of its cells by column (a header that
    /// stands for a column renamed to it, the others as written; blank
    /// cells left out): whole numbers as numbers, other numbers as decimal
    /// strings, dates as `YYYY-MM-DD`.
    pub rows: Vec<Map<String, Value>>,
}

/// What a file holds, as JSON.
#[derive(Debug, Serialize)]
pub struct FileJson {
    /// `xlsx`, `xls`, `ods` or `text`.
    pub format: sheet::Format,
    /// For text, the encoding it was read in.
    pub encoding: Option<&'static str>,
    /// The tables found, by name.
    pub tables: std::collections::BTreeMap<&'static str, TableJson>,
    /// How each header was read.
    pub columns: Vec<MappedColumn>,
    /// What the reader did (sheets read, rows skipped, the encoding).
    pub notes: Vec<crate::notes::Note>,
}

fn table_name(kind: TableKind) -> &'static str {
    match kind {
        TableKind::Communities => "communities",
        TableKind::People | TableKind::Posts => "people",
        TableKind::Adjustments => "adjustments",
    }
}

/// A cell as the JSON the boundary reads back as the same cell.
fn cell_json(c: Cell<'_>) -> Option<Value> {
    Some(match c {
        Cell::Missing | Cell::Null => return None,
        Cell::Float(f) if f.is_nan() => return None,
        Cell::Int(i) => Value::from(i),
        Cell::Float(f) => serde_json::Number::from_f64(f).map_or(Value::Null, Value::Number),
        Cell::Decimal(d) => Value::String(d.to_string()),
        Cell::Date(d) => Value::String(d.to_string()),
        Cell::Bool(b) => Value::Bool(b),
        Cell::Str(s) | Cell::Unreadable(s) => Value::String(s.into_owned()),
    })
}

/// Read a file ([`sheet::read`]) into its tables as JSON rows.
///
/// # Errors
/// `invalid_table` for a file that cannot be read (in English and
/// Chinese); policy errors of `options.policy`.
pub fn read_file(bytes: &[u8], options: &ReadOptions) -> Result<FileJson, Error> {
    let headers = match &options.policy {
        Some(spec) => load_policy(spec, &[])?.headers(),
        None => Headers::builtin(),
    };
    let book = sheet::read(bytes, options.name.as_deref(), &headers, options.table)?;
    let (format, encoding) = (book.format, book.encoding);
    let found: Vec<(TableKind, String, u32)> = book
        .tables
        .iter()
        .map(|t| (t.kind, t.sheet.clone(), t.header_line))
        .collect();
    let mut tables = book.into_tables();
    let columns = tables.map_headers(&headers);
    if options.tidy {
        for t in [
            &mut tables.communities,
            &mut tables.people,
            &mut tables.adjustments,
        ] {
            *t = sheet::tidy(std::mem::take(t));
        }
    }
    let mut out = std::collections::BTreeMap::new();
    for (kind, sheet, header_row) in found {
        let table = match kind {
            TableKind::Communities => &tables.communities,
            TableKind::People | TableKind::Posts => &tables.people,
            TableKind::Adjustments => &tables.adjustments,
        };
        let rows = (0..table.rows())
            .map(|r| {
                let mut row = Map::new();
                for k in 0.. {
                    let Some((name, column)) = table.column_at(k) else {
                        break;
                    };
                    if let Some(v) = cell_json(column.cell(r)) {
                        row.insert(name.to_string(), v);
                    }
                }
                row
            })
            .collect();
        out.insert(
            table_name(kind),
            TableJson {
                sheet,
                header_row,
                lines: table.origin().map(|o| o.lines.clone()).unwrap_or_default(),
                rows,
            },
        );
    }
    Ok(FileJson {
        format,
        encoding,
        tables: out,
        columns,
        notes: tables.notes,
    })
}

/// [`read_file`] across the JSON boundary: `options` is a [`ReadOptions`]
/// as JSON (`{}` for none), the answer a [`FileJson`].
///
/// # Errors
/// An [`ErrorBody`]: `bad_request` for options that are not JSON of that
/// shape, else as [`read_file`].
///
/// ```
/// let csv = "社区编号,社区名称,户数,评级\nC1,胜利社区,\"2,750\",良好\n";
/// let answer: serde_json::Value = serde_json::from_str(&shequ::ffi::sheets::read_tables_json(csv.as_bytes(), "{}").unwrap())?;
/// assert_eq!(answer["tables"]["communities"]["rows"][0]["households"], "2,750");
/// assert_eq!(answer["columns"][0]["column"], "id");
/// # Ok::<(), serde_json::Error>(())
/// ```
pub fn read_tables_json(bytes: &[u8], options: &str) -> Result<String, ErrorBody> {
    let options: ReadOptions = if options.trim().is_empty() {
        ReadOptions::default()
    } else {
        serde_json::from_str(options).map_err(super::bad_request)?
    };
    let file = read_file(bytes, &options)?;
    serde_json::to_string(&file).map_err(super::bad_request)
}
