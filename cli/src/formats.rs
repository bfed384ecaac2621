//! File formats: a file's extension picks its reader or writer, here and
//! nowhere else. Input tables are workbooks (`.xlsx`, `.xls`, `.ods`, WPS
//! `.et`), delimited text (`.csv`, `.tsv`: UTF-8, UTF-16 or GBK,
//! comma, tab or semicolon) — both read by the core's one reader of the
//! bureau's files (`shequ::ffi::sheets`, headers in Chinese or English) —
//! or `.json` (a list of row objects). Reports are `.json` (the core's
//! answer as it is), `.csv` or `.tsv` (UTF-8 with a BOM, so Excel shows
//! Chinese) and `.xlsx` (the core's Excel report, `shequ::report::xlsx`);
//! other workbooks are read, not written (exit 2).

use crate::error::CliError;
use serde::de::IgnoredAny;
use std::io::Write as _;
use std::path::{Path, PathBuf};

/// A file format, by extension.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// Comma-separated values.
    Csv,
    /// Tab-separated values.
    Tsv,
    /// JSON.
    Json,
    /// Excel (`.xlsx`, `.xlsm`): read, and written as the core's report (`.xlsx`).
    Xlsx,
    /// Another workbook (`.xls`, `.ods`, WPS `.et`): read only.
    Workbook,
}

impl Format {
    /// The format of a file, by its extension (any case).
    ///
    /// # Errors
    /// A usage error for an extension shequ does not know.
    pub fn of(path: &Path) -> Result<Format, CliError> {
        let ext = path
            .extension()
            .and_then(|e| e.to_str())
            .map(str::to_ascii_lowercase)
            .unwrap_or_default();
        match ext.as_str() {
            "csv" => Ok(Format::Csv),
            "tsv" | "tab" => Ok(Format::Tsv),
            "json" => Ok(Format::Json),
            "xlsx" | "xlsm" => Ok(Format::Xlsx),
            "xls" | "ods" | "et" => Ok(Format::Workbook),
            _ => Err(CliError::usage(
                format!(
                    "{}:不认识的文件类型,请用 .xlsx、.xls、.ods、.csv、.tsv 或 .json 文件",
                    path.display()
                ),
                format!(
                    "{}: unknown file type; use a .xlsx, .xls, .ods, .csv, .tsv or .json file",
                    path.display()
                ),
            )),
        }
    }

    /// The format of an input file, checked before anything is read.
    ///
    /// # Errors
    /// As [`Format::of`].
    pub fn input(path: &Path) -> Result<Format, CliError> {
        Format::of(path)
    }

    /// The format of a report file, checked before anything is computed.
    ///
    /// # Errors
    /// As [`Format::of`]; only `.xlsx` of the workbooks is written (exit 2
    /// for the others).
    pub fn output(path: &Path) -> Result<Format, CliError> {
        match Format::of(path)? {
            Format::Workbook => Err(unsupported(path)),
            Format::Xlsx
                if !path
                    .extension()
                    .and_then(|e| e.to_str())
                    .is_some_and(|e| e.eq_ignore_ascii_case("xlsx")) =>
            {
                Err(unsupported(path))
            }
            f => Ok(f),
        }
    }

    /// The delimiter of a delimited format (`,` or a tab).
    pub fn delimiter(self) -> u8 {
        match self {
            Format::Tsv => b'\t',
            _ => b',',
        }
    }
}

fn unsupported(path: &Path) -> CliError {
    CliError::Unsupported {
        path: path.to_path_buf(),
        ext: path
            .extension()
            .and_then(|e| e.to_str())
            .unwrap_or("xlsx")
            .to_string(),
    }
}

/// An input table, as the JSON array of row objects a request takes.
#[derive(Debug)]
pub struct Rows {
    /// Where it came from.
    pub path: PathBuf,
    /// Its format.
    pub format: Format,
    /// The rows as a JSON array.
    pub json: String,
    /// How many rows.
    pub count: usize,
    /// Which table it is (`communities`, `people`, `adjustments`), when the
    /// core's reader told it from the file.
    pub table: Option<String>,
    /// The sheet it came from (for a workbook).
    pub sheet: Option<String>,
    /// Each row's line in its file or sheet (1-based), when the reader
    /// knows them.
    pub lines: Vec<u32>,
}

/// What the core's reader said of one input file: each header read, rows
/// skipped, the encoding; Chinese and English.
#[derive(Debug, Default)]
pub struct FileNotes {
    /// `(zh, en)` lines.
    pub lines: Vec<(String, String)>,
}

/// A file read by the core's reader (`shequ::ffi::sheets`): what the
/// answer holds.
#[derive(serde::Deserialize)]
struct FileAnswer {
    tables: std::collections::BTreeMap<String, FileTable>,
    #[serde(default)]
    columns: Vec<Mapped>,
    #[serde(default)]
    notes: Vec<Said>,
}

#[derive(serde::Deserialize)]
struct FileTable {
    sheet: String,
    lines: Vec<u32>,
    rows: Vec<serde_json::Value>,
}

#[derive(serde::Deserialize)]
struct Mapped {
    table: String,
    header: String,
    column: Option<String>,
    #[serde(default)]
    suggestion: Option<String>,
}

#[derive(serde::Deserialize)]
struct Said {
    code: String,
    zh: String,
    en: String,
}

/// Read an input file given as `table` (`communities`, `people`,
/// `adjustments`): JSON as it is; workbooks and delimited text through the
/// core's reader, by the headers of the policy `policy` (the request's
/// `policy` value). A workbook may give more than one table. The notes say
/// how headers were read (only when one was renamed or ignored) and what
/// rows were skipped.
///
/// # Errors
/// The file cannot be read; the core's `invalid_table` for a file that is
/// no table (naming the file); JSON that is not a list of row objects.
pub fn read_file(
    path: &Path,
    table: &str,
    policy: &serde_json::Value,
) -> Result<(Vec<Rows>, FileNotes), CliError> {
    let format = Format::input(path)?;
    if format == Format::Json {
        return Ok((vec![read_rows(path)?], FileNotes::default()));
    }
    let bytes = std::fs::read(path).map_err(|error| CliError::Io {
        path: path.to_path_buf(),
        reading: true,
        error,
    })?;
    let options = serde_json::json!({
        "policy": policy,
        "table": table,
        "name": path.file_name().map(|n| n.to_string_lossy().into_owned()),
    });
    let answer = shequ::ffi::sheets::read_tables_json(&bytes, &options.to_string())
        .map_err(|e| CliError::in_file(e, path))?;
    let answer: FileAnswer = serde_json::from_str(&answer).map_err(|e| CliError::Data {
        code: "internal",
        path: Some(path.to_path_buf()),
        zh: format!("无法读取核心的回答:{e}"),
        en: format!("the core's answer could not be read: {e}"),
    })?;
    let mut notes = FileNotes::default();
    for n in answer.notes.iter().filter(|n| n.code != "sheet_read") {
        notes.lines.push((n.zh.clone(), n.en.clone()));
    }
    let name = path.display();
    for t in ["communities", "people", "adjustments"] {
        let cols: Vec<&Mapped> = answer.columns.iter().filter(|c| c.table == t).collect();
        if cols
            .iter()
            .all(|c| c.column.as_deref() == Some(c.header.as_str()))
        {
            continue;
        }
        let word = |c: &Mapped, zh: bool| match (&c.column, &c.suggestion) {
            (Some(col), _) => format!("{} → {col}", c.header),
            (None, Some(s)) if zh => format!("{} 未读取(是否应为 {s}?)", c.header),
            (None, Some(s)) => format!("{} ignored (did you mean {s}?)", c.header),
            (None, None) if zh => format!("{} 未读取", c.header),
            (None, None) => format!("{} ignored", c.header),
        };
        let list = |zh: bool| cols.iter().map(|c| word(c, zh)).collect::<Vec<_>>();
        notes.lines.push((
            format!("{name} 的列({t}):{}", list(true).join(",")),
            format!("{name}, columns of {t}: {}", list(false).join(", ")),
        ));
    }
    let rows = answer
        .tables
        .into_iter()
        .map(|(t, ft)| Rows {
            path: path.to_path_buf(),
            format,
            count: ft.rows.len(),
            json: serde_json::Value::Array(ft.rows).to_string(),
            table: Some(t),
            sheet: (format != Format::Csv && format != Format::Tsv).then_some(ft.sheet),
            lines: ft.lines,
        })
        .collect();
    Ok((rows, notes))
}

fn read_text(path: &Path) -> Result<String, CliError> {
    std::fs::read_to_string(path).map_err(|error| CliError::Io {
        path: path.to_path_buf(),
        reading: true,
        error,
    })
}

/// Read an input table.
///
/// # Errors
/// The file cannot be read, is not UTF-8, is malformed CSV (naming the line)
/// or is not a JSON list of row objects.
pub fn read_rows(path: &Path) -> Result<Rows, CliError> {
    let format = Format::input(path)?;
    let text = read_text(path)?;
    let json = match format {
        Format::Csv => shequ::ffi::csv_to_json(&text).map_err(|e| CliError::in_file(e, path))?,
        Format::Tsv => delimited_to_json(&text, b'\t').map_err(|m| CliError::Data {
            code: "bad_request",
            path: Some(path.to_path_buf()),
            zh: format!("TSV 文件格式有误:{m}"),
            en: m,
        })?,
        Format::Json => text,
        Format::Xlsx | Format::Workbook => return Err(unsupported(path)),
    };
    let count = match serde_json::from_str::<Vec<IgnoredAny>>(&json) {
        Ok(rows) => rows.len(),
        Err(e) => {
            return Err(CliError::Data {
                code: "bad_request",
                path: Some(path.to_path_buf()),
                zh: format!(
                    "应为由行对象组成的 JSON 列表(第 {} 行第 {} 列):{e}",
                    e.line(),
                    e.column()
                ),
                en: format!(
                    "not a JSON list of row objects (line {}, column {}): {e}",
                    e.line(),
                    e.column()
                ),
            })
        }
    };
    Ok(Rows {
        path: path.to_path_buf(),
        format,
        json,
        count,
        table: None,
        sheet: None,
        lines: Vec::new(),
    })
}

/// Delimited text (a header row, then records) as a JSON array of objects
/// with text cells, empty cells null: what `ffi::csv_to_json` does for
/// commas, for another delimiter (tabs).
///
/// # Errors
/// The CSV line of a malformed record.
pub fn delimited_to_json(text: &str, delimiter: u8) -> Result<String, String> {
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter)
        .trim(csv::Trim::All)
        .flexible(false)
        .from_reader(text.trim_start_matches('\u{feff}').as_bytes());
    let csv_error = |e: csv::Error| {
        let line = e.position().map(|p| p.line());
        format!(
            "TSV{}: {e}",
            line.map(|l| format!(" line {l}")).unwrap_or_default()
        )
    };
    let headers = reader.headers().map_err(csv_error)?.clone();
    let mut out = Vec::new();
    for record in reader.records() {
        let record = record.map_err(csv_error)?;
        let obj: serde_json::Map<String, serde_json::Value> = headers
            .iter()
            .zip(record.iter())
            .map(|(h, v)| {
                (
                    h.to_string(),
                    if v.is_empty() {
                        serde_json::Value::Null
                    } else {
                        serde_json::Value::String(v.to_string())
                    },
                )
            })
            .collect();
        out.push(serde_json::Value::Object(obj));
    }
    Ok(serde_json::Value::Array(out).to_string())
}

/// The 1-based file line where record `index` (0-based, after the header)
/// of a CSV or TSV file starts; `None` for JSON or when it cannot be told.
pub fn record_line(path: &Path, index: usize) -> Option<usize> {
    let format = Format::of(path).ok()?;
    if !matches!(format, Format::Csv | Format::Tsv) {
        return None;
    }
    let text = std::fs::read_to_string(path).ok()?;
    let text = text.trim_start_matches('\u{feff}');
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(format.delimiter())
        .flexible(true)
        .from_reader(text.as_bytes());
    let mut record = csv::StringRecord::new();
    let mut i = 0usize;
    while let Ok(true) = reader.read_record(&mut record) {
        if i == index {
            // From the byte offset: the reader's own line count is one short
            // after CRLF line ends (the record "starts" at the `\n`).
            let mut start = usize::try_from(record.position()?.byte()).ok()?;
            let bytes = text.as_bytes();
            while bytes.get(start).is_some_and(|b| matches!(b, b'\r' | b'\n')) {
                start += 1;
            }
            return Some(bytes.get(..start)?.iter().filter(|b| **b == b'\n').count() + 1);
        }
        i += 1;
    }
    None
}

/// Write a report file.
///
/// # Errors
/// The file cannot be written.
pub fn write_file(path: &Path, bytes: &[u8]) -> Result<(), CliError> {
    let io = |error| CliError::Io {
        path: path.to_path_buf(),
        reading: false,
        error,
    };
    let mut out = std::io::BufWriter::new(std::fs::File::create(path).map_err(io)?);
    out.write_all(bytes).map_err(io)?;
    out.flush().map_err(io)
}

/// A report table as CSV or TSV (UTF-8 with a byte-order mark).
pub fn delimited(table: &shequ::report::Table, format: Format) -> String {
    table.to_delimited(char::from(format.delimiter()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tsv_reads_like_csv() {
        let csv = "\u{feff}id,households,name\nC1, 2750 ,\nC2,,社区B\n";
        let tsv = "\u{feff}id\thouseholds\tname\nC1\t 2750 \t\nC2\t\t社区B\n";
        assert_eq!(
            delimited_to_json(tsv, b'\t').ok(),
            shequ::ffi::csv_to_json(csv).ok()
        );
    }

    #[test]
    fn the_extension_picks_the_format() {
        assert!(matches!(Format::of(Path::new("a.CSV")), Ok(Format::Csv)));
        assert!(matches!(Format::of(Path::new("a.json")), Ok(Format::Json)));
        assert!(matches!(Format::of(Path::new("a.xlsx")), Ok(Format::Xlsx)));
        assert!(matches!(
            Format::input(Path::new("a.xls")),
            Ok(Format::Workbook)
        ));
        assert!(matches!(
            Format::output(Path::new("a.xlsx")),
            Ok(Format::Xlsx)
        ));
        assert_eq!(
            Format::output(Path::new("a.ods"))
                .map_err(|e| e.exit_code())
                .err(),
            Some(2)
        );
        assert_eq!(
            Format::of(Path::new("a.txt"))
                .map_err(|e| e.exit_code())
                .err(),
            Some(2)
        );
    }
}

#[cfg(test)]
mod line_tests {
    use super::*;

    #[test]
    fn record_lines_count_the_header_and_quoted_newlines() {
        let dir = std::env::temp_dir().join(format!("shequ-lines-{}", std::process::id()));
        let _ = std::fs::create_dir_all(&dir);
        let path = dir.join("c.csv");
        let _ = std::fs::write(&path, "id,name\nC1,a\nC2,\"two\nlines\"\nC3,c\n");
        assert_eq!(record_line(&path, 0), Some(2));
        assert_eq!(record_line(&path, 1), Some(3));
        assert_eq!(record_line(&path, 2), Some(5));
        assert_eq!(record_line(&path, 3), None);
        let _ = std::fs::write(&path, "id,name\r\nC1,a\r\nC2,b\r\n");
        assert_eq!(record_line(&path, 0), Some(2));
        assert_eq!(record_line(&path, 1), Some(3));
        let _ = std::fs::remove_dir_all(&dir);
    }
}
