//! The bureau's spreadsheet as it is: one reader of `.xlsx`, `.xls` and
//! `.ods` workbooks (calamine, from bytes, so it runs in WASM too; behind
//! the default `spreadsheets` feature) and of delimited text (UTF-8 with
//! or without a BOM, UTF-16 with a BOM as Excel's "Unicode text", else
//! GB18030 — the superset of GBK that Chinese Excel writes CSV in —
//! decoded with encoding_rs; comma, tab, semicolon or `|` told from the
//! lines). Every front-end reads files through [`read`]: the Python
//! package, the command line and the web form. Each workbook format is a
//! cargo feature (`xlsx`, `xls`, `ods`; all three are `spreadsheets`, on by
//! default): the WASM package reads `.xlsx` and text only, to keep the
//! `.wasm` small, and says so for the others.
//!
//! A workbook may hold the communities, the people and the adjustments as
//! sheets, each found by its headers and, where they leave a doubt, by its
//! name (`社区`, `人员`/`名单`/`花名册`, `调整`; `communities`, `people`,
//! `adjustments`). In each sheet the header row is the first row with the
//! most headers of one table's columns ([`super::headers`]): title rows
//! above it (a merged title, a unit line) are skipped, as are empty rows
//! and rows of totals (`合计`), and the report says so.
//!
//! Cells keep what the sheet holds (in delimited text, a whole number
//! written plainly, `101` but not `0101`, is a whole number, as a dataframe
//! reads it): text as text (the value rules read
//! `2,750` and `2019/3/1` later, naming the cell if they cannot), a date
//! cell as a date, booleans as booleans, a whole number as a whole number
//! and any other number as the exact decimal it shows: a spreadsheet holds
//! a number as a double, and the shortest decimal that reads back as that
//! double is the number typed (Excel keeps 15 significant digits), so
//! `1500.5` yuan stays exact. An Excel error value (`#N/A`) or a time
//! without a date is kept as its text, for the value rules to refuse in a
//! column that needs a number or a date.

use super::cell::Cell;
use super::column::{Column, Origin, Table};
use super::headers::{plain, Headers};
use super::tables::TableKind;
use super::Tables;
use crate::error::{Error, InputError, InputErrorCode as Code, RecordKind, RecordRef};
use crate::notes::Note;
use rust_decimal::Decimal;
use serde::Serialize;
use std::borrow::Cow;
use std::str::FromStr;

/// What a file is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Format {
    /// An Office Open XML workbook (`.xlsx`, `.xlsm`; WPS writes it too).
    Xlsx,
    /// A binary Excel 97–2003 workbook (`.xls`, WPS `.et`).
    Xls,
    /// An OpenDocument spreadsheet (`.ods`).
    Ods,
    /// Delimited text (`.csv`, `.tsv`, cells pasted from Excel).
    Text,
}

impl Format {
    /// The format of `bytes`, by their first bytes: a zip archive is an
    /// `.xlsx` (or an `.ods`, when it says so), an OLE compound file an
    /// `.xls`, anything else text.
    pub fn of(bytes: &[u8]) -> Format {
        if bytes.starts_with(b"PK\x03\x04") {
            // An OpenDocument file's first entry is its `mimetype`, stored.
            let head = &bytes[..bytes.len().min(200)];
            if head.windows(11).any(|w| w == b"opendocumen") {
                Format::Ods
            } else {
                Format::Xlsx
            }
        } else if bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]) {
            Format::Xls
        } else {
            Format::Text
        }
    }

    /// The format's name, for reports.
    pub fn name(self) -> &'static str {
        match self {
            Format::Xlsx => "xlsx",
            Format::Xls => "xls",
            Format::Ods => "ods",
            Format::Text => "text",
        }
    }
}

/// One sheet's cells, rows as the sheet has them.
#[derive(Debug, Clone)]
pub struct Grid {
    /// The sheet's name (for delimited text, the file's name, or `CSV`).
    pub name: String,
    /// Rows of cells, from the sheet's first used row.
    pub rows: Vec<Vec<Cell<'static>>>,
    /// The sheet row (1-based) of each row.
    pub lines: Vec<u32>,
    /// The sheet column (0-based) of each row's first cell.
    pub first_column: u32,
    /// Delimited text: a row longer than its header is malformed, not a
    /// note beside the table.
    pub text: bool,
}

/// A table found in a sheet.
#[derive(Debug)]
pub struct Found {
    /// Which table it is.
    pub kind: TableKind,
    /// The sheet it was found in.
    pub sheet: String,
    /// The sheet row of its header (1-based).
    pub header_line: u32,
    /// The table: its headers as written, its cells, each row's sheet row
    /// ([`Table::origin`]).
    pub table: Table<'static>,
}

/// What a file holds: its tables and what the reader did to find them.
#[derive(Debug)]
pub struct Workbook {
    /// The file's format.
    pub format: Format,
    /// For text, the encoding it was read in (`UTF-8`, `GB18030`, …).
    pub encoding: Option<&'static str>,
    /// The tables found, in sheet order.
    pub tables: Vec<Found>,
    /// What the reader did: each sheet read and as which table, title rows,
    /// empty rows and rows of totals skipped, sheets not read, the
    /// encoding; each in Chinese and English.
    pub notes: Vec<Note>,
}

impl Workbook {
    /// Take the table of `kind`, if the file holds one.
    pub fn take(&mut self, kind: TableKind) -> Option<Found> {
        let k = self.tables.iter().position(|t| t.kind == kind)?;
        Some(self.tables.remove(k))
    }

    /// The file's tables as the reader's [`Tables`], with its notes.
    pub fn into_tables(mut self) -> Tables<'static> {
        let mut tables = Tables::default();
        for kind in [
            TableKind::Communities,
            TableKind::People,
            TableKind::Adjustments,
        ] {
            if let Some(found) = self.take(kind) {
                *slot(&mut tables, kind) = found.table;
            }
        }
        tables.notes = self.notes;
        tables
    }
}

fn slot<'t, 'a>(tables: &'t mut Tables<'a>, kind: TableKind) -> &'t mut Table<'a> {
    match kind {
        TableKind::Communities => &mut tables.communities,
        TableKind::People | TableKind::Posts => &mut tables.people,
        TableKind::Adjustments => &mut tables.adjustments,
    }
}

fn record_kind(kind: Option<TableKind>) -> RecordKind {
    match kind {
        Some(TableKind::Communities) => RecordKind::Community,
        Some(TableKind::People | TableKind::Posts) => RecordKind::Person,
        Some(TableKind::Adjustments) => RecordKind::Adjustment,
        None => RecordKind::Request,
    }
}

/// A file that cannot be read as tables: `invalid_table`, in English and
/// Chinese, about the file.
fn file_error(expect: Option<TableKind>, en: String, zh: String) -> InputError {
    InputError::new(
        Code::InvalidTable,
        RecordRef {
            kind: record_kind(expect),
            index: None,
            id: None,
        },
        "(file)",
        format!("{en}; {zh}"),
    )
}

/// Read a file's tables: a workbook's sheets, or delimited text. `name` is
/// the file's name, for the report (and the sheet name of text); `expect`
/// the table the caller gives the file as, if it says: a file with one
/// sheet is read as that table whatever its headers, and a workbook must
/// hold it.
///
/// # Errors
/// `invalid_table` for a file that is no spreadsheet or text the reader
/// knows, a workbook it cannot open, a sheet that holds two tables'
/// headers alike, or a workbook without the table expected; the
/// message, in English and Chinese, says what to change.
///
/// ```
/// use shequ::read::{sheet, Headers, TableKind};
/// let csv = "2026年社区基本情况表\n社区编号,社区名称,户数,评级\nC1,胜利社区,\"2,750\",良好\n\n";
/// let mut book = sheet::read(csv.as_bytes(), Some("社区.csv"), &Headers::builtin(), None)?;
/// let found = book.take(TableKind::Communities).unwrap();
/// assert_eq!(found.header_line, 2);
/// assert_eq!(found.table.rows(), 1);
/// assert!(book.notes.iter().any(|n| n.code == "title_rows_skipped"));
/// # Ok::<(), shequ::Error>(())
/// ```
pub fn read(
    bytes: &[u8],
    name: Option<&str>,
    headers: &Headers,
    expect: Option<TableKind>,
) -> Result<Workbook, Error> {
    let format = Format::of(bytes);
    let mut notes = Vec::new();
    let (grids, encoding) = match format {
        Format::Text => {
            let (text, encoding) = decode(bytes).ok_or_else(|| {
                file_error(
                    expect,
                    "the file is not a spreadsheet (.xlsx, .xls, .ods) nor text in UTF-8, UTF-16 or GBK; save it from Excel or WPS as .xlsx or as CSV".into(),
                    "文件既不是电子表格(.xlsx、.xls、.ods),也不是 UTF-8、UTF-16 或 GBK 编码的文本;请在 Excel 或 WPS 中另存为 .xlsx 或 CSV".into(),
                )
            })?;
            if encoding != "UTF-8" {
                notes.push(Note::general(
                    "text_encoding",
                    format!("文件按 {encoding} 编码读取"),
                    format!("the file was read as {encoding} text"),
                ));
            }
            let sheet = name
                .map(|n| n.rsplit(['/', '\\']).next().unwrap_or(n).to_string())
                .unwrap_or_else(|| "CSV".to_string());
            (vec![delimited(&text, sheet)?], Some(encoding))
        }
        _ => (workbook(bytes, format, expect, &mut notes)?, None),
    };
    let mut tables = Vec::new();
    let single = grids.iter().filter(|g| !g.rows.is_empty()).count() == 1;
    for grid in grids {
        let forced = expect.filter(|_| single);
        match find(&grid, headers, forced, if single { 1 } else { 2 })? {
            Some((found, skipped)) => {
                if let Some(other) = tables.iter().find(|t: &&Found| t.kind == found.kind) {
                    let (zh_t, en_t) = found.kind.name();
                    return Err(Error::from(file_error(
                        expect,
                        format!(
                            "sheets `{}` and `{}` both hold a {en_t} table; keep one, or give them as separate files",
                            other.sheet, found.sheet
                        ),
                        format!(
                            "工作表“{}”和“{}”都是{zh_t};请只保留一个,或分成两个文件",
                            other.sheet, found.sheet
                        ),
                    )));
                }
                notes.extend(found_notes(&grid, &found, skipped));
                tables.push(found);
            }
            None if grid.rows.is_empty() => {}
            None => notes.push(Note::general(
                "sheet_not_read",
                format!("工作表“{}”没有可读取的表(表头不是社区表、人员表或调整表的列),未读取", grid.name),
                format!(
                    "sheet `{}` holds no table shequ reads (its headers are not those of communities, people or adjustments) and was not read",
                    grid.name
                ),
            )),
        }
    }
    if tables.is_empty() && expect.is_none() {
        return Err(Error::from(file_error(
            expect,
            format!(
                "no sheet of {} holds a table shequ reads: give the headers of communities (社区编号, 户数, …), people (人员编号, 社区编号, 职务, 任职日期, …) or adjustments as the form shows them",
                name.unwrap_or("the file")
            ),
            format!(
                "{}中没有可读取的表:请使用社区表(社区编号、户数……)、人员表(人员编号、社区编号、职务、任职日期……)或调整表的表头",
                name.unwrap_or("文件")
            ),
        )));
    }
    if let Some(kind) = expect {
        if !tables.iter().any(|t| t.kind == kind) {
            let (zh_t, en_t) = kind.name();
            let sheets: Vec<String> = notes
                .iter()
                .filter(|n| n.code == "sheet_not_read")
                .map(|n| n.en.clone())
                .collect();
            return Err(Error::from(file_error(
                expect,
                format!(
                    "no sheet of {} holds a {en_t} table{}; name the sheet `{en_t}` or give its headers as the form shows them",
                    name.unwrap_or("the file"),
                    if sheets.is_empty() { String::new() } else { format!(" ({})", sheets.join("; ")) }
                ),
                format!("{}中没有{zh_t};请将工作表命名为“{zh_t}”,或使用表单中的表头", name.unwrap_or("文件")),
            )));
        }
    }
    Ok(Workbook {
        format,
        encoding,
        tables,
        notes,
    })
}

/// A file a front-end was given for a table: its bytes and its name.
#[derive(Debug, Clone, Copy)]
pub struct File<'b> {
    /// The bytes.
    pub bytes: &'b [u8],
    /// The file's name, when known (for the report and errors).
    pub name: Option<&'b str>,
}

/// The tables of the files a front-end was given for some of a city's
/// tables, `[communities, people, adjustments]` (`given` says which tables
/// it has otherwise, as rows or columns): each file gives its own table —
/// the sheet of that table, or its only sheet — and a workbook given for
/// the communities also gives the people and the adjustments its other
/// sheets hold, when they are given no other way. The notes of each file
/// read, in order.
///
/// # Errors
/// As [`read`].
///
/// ```
/// use shequ::read::{sheet, Headers};
/// let people = "人员编号,社区编号,职务,任职日期\nP1,C1,主任,2019年3月1日\n";
/// let files = [None, Some(sheet::File { bytes: people.as_bytes(), name: Some("名单.csv") }), None];
/// let (tables, notes) = sheet::read_files(files, [true, false, false], &Headers::builtin())?;
/// assert!(tables[0].is_none() && tables[2].is_none());
/// assert_eq!(tables[1].as_ref().map(|t| t.rows()), Some(1));
/// assert_eq!(notes[0].code, "sheet_read");
/// # Ok::<(), shequ::Error>(())
/// ```
pub fn read_files(
    files: [Option<File<'_>>; 3],
    given: [bool; 3],
    headers: &Headers,
) -> Result<([Option<Table<'static>>; 3], Vec<Note>), Error> {
    const KINDS: [TableKind; 3] = [
        TableKind::Communities,
        TableKind::People,
        TableKind::Adjustments,
    ];
    let mut out: [Option<Table<'static>>; 3] = [None, None, None];
    let mut notes = Vec::new();
    for (k, file) in files.iter().enumerate() {
        let Some(file) = file else {
            continue;
        };
        let mut book = read(file.bytes, file.name, headers, Some(KINDS[k]))?;
        out[k] = book.take(KINDS[k]).map(|f| f.table);
        if k == 0 {
            for j in 1..3 {
                if files[j].is_none() && !given[j] {
                    out[j] = book.take(KINDS[j]).map(|f| f.table);
                }
            }
        }
        // The notes of tables not taken say they were not read.
        for t in &book.tables {
            let (zh_t, en_t) = t.kind.name();
            book.notes.push(Note::general(
                "sheet_not_read",
                format!("工作表“{}”({zh_t})未读取:该表已另行给出", t.sheet),
                format!(
                    "sheet `{}` ({en_t}) was not read: that table is given otherwise",
                    t.sheet
                ),
            ));
        }
        notes.append(&mut book.notes);
    }
    Ok((out, notes))
}

/// The text of `bytes` and its encoding: UTF-8 (a BOM dropped), UTF-16
/// with a BOM, else GB18030 (GBK's superset) if it decodes cleanly;
/// `None` for bytes that are none of these (a binary file).
///
/// ```
/// let (text, enc) = shequ::read::sheet::decode(&[0xC9, 0xE7, 0xC7, 0xF8]).unwrap();
/// assert_eq!((text.as_str(), enc), ("社区", "GB18030"));
/// ```
pub fn decode(bytes: &[u8]) -> Option<(String, &'static str)> {
    if let Some(rest) = bytes.strip_prefix(&[0xEF, 0xBB, 0xBF]) {
        return std::str::from_utf8(rest)
            .ok()
            .map(|t| (t.to_string(), "UTF-8"));
    }
    for (bom, enc, name) in [
        (&[0xFF, 0xFE][..], encoding_rs::UTF_16LE, "UTF-16LE"),
        (&[0xFE, 0xFF][..], encoding_rs::UTF_16BE, "UTF-16BE"),
    ] {
        if let Some(rest) = bytes.strip_prefix(bom) {
            let (text, bad) = enc.decode_without_bom_handling(rest);
            return (!bad).then(|| (text.into_owned(), name));
        }
    }
    if let Ok(t) = std::str::from_utf8(bytes) {
        return (!t.contains('\0')).then(|| (t.to_string(), "UTF-8"));
    }
    let (text, bad) = encoding_rs::GB18030.decode_without_bom_handling(bytes);
    (!bad && !text.contains('\0')).then(|| (text.into_owned(), "GB18030"))
}

/// The delimiter of delimited text: the one of tab, comma, semicolon and
/// `|` that splits the most of its first lines into the same number of
/// cells (tab first when two do as well: cells pasted from Excel).
///
/// ```
/// use shequ::read::sheet::delimiter;
/// assert_eq!(delimiter("编号\t户数\nC1\t2,750\n"), b'\t');
/// assert_eq!(delimiter("id;households\nC1;2750\n"), b';');
/// assert_eq!(delimiter("id,households\nC1,\"2,750\"\n"), b',');
/// ```
pub fn delimiter(text: &str) -> u8 {
    let lines: Vec<&str> = text
        .lines()
        .filter(|l| !l.trim().is_empty())
        .take(30)
        .collect();
    let count = |line: &str, d: char| {
        let mut quoted = false;
        line.chars()
            .filter(|&c| {
                if c == '"' {
                    quoted = !quoted;
                }
                c == d && !quoted
            })
            .count()
    };
    let mut best = (b',', (0usize, 0usize));
    for d in ['\t', ',', ';', '|'] {
        let counts: Vec<usize> = lines.iter().map(|l| count(l, d)).collect();
        let most = counts.iter().copied().max().unwrap_or(0);
        if most == 0 {
            continue;
        }
        let same = counts.iter().filter(|&&c| c == most).count();
        let score = (same, most);
        if score > best.1 {
            best = (d as u8, score);
        }
    }
    best.0
}

/// Delimited text that cannot be read as cells: `bad_request` (as a
/// request that is not JSON is), in English and Chinese.
fn text_error(en: String, zh: String) -> Error {
    Error::BadRequest {
        message: format!("{en}; {zh}"),
    }
}

/// Delimited text as a grid.
fn delimited(text: &str, name: String) -> Result<Grid, Error> {
    let text = text.trim_start_matches('\u{feff}');
    // A quote that opens a cell and never closes would take the rest of
    // the file into that cell: refused, naming the line it opens on.
    let (mut quoted, mut line, mut opened) = (false, 1usize, 0usize);
    for b in text.bytes() {
        match b {
            b'"' => {
                quoted = !quoted;
                if quoted {
                    opened = line;
                }
            }
            b'\n' => line += 1,
            _ => {}
        }
    }
    if quoted {
        return Err(text_error(
            format!("{name}, line {opened}: a quote `\"` opens a cell that never closes; close it or take it out"),
            format!("{name} 第 {opened} 行的引号 `\"` 没有闭合;请补上或删去"),
        ));
    }
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter(text))
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    let mut rows = Vec::new();
    let mut lines = Vec::new();
    let mut record = csv::StringRecord::new();
    let bytes = text.as_bytes();
    let (mut counted, mut line) = (0usize, 1usize);
    loop {
        match reader.read_record(&mut record) {
            Ok(true) => {}
            Ok(false) => break,
            Err(e) => {
                let line = e.position().map(|p| p.line()).unwrap_or(0);
                return Err(text_error(
                    format!("{name}, line {line}: the text cannot be read as cells ({e}); check its quotes"),
                    format!("{name} 第 {line} 行无法按单元格读取({e}),请检查引号"),
                ));
            }
        }
        // The line from the byte offset, counted on from the last record's:
        // the reader's own count skips empty lines.
        let byte = record
            .position()
            .and_then(|p| usize::try_from(p.byte()).ok())
            .unwrap_or(counted)
            .min(bytes.len());
        let mut start = byte;
        while bytes.get(start).is_some_and(|b| matches!(b, b'\r' | b'\n')) {
            start += 1;
        }
        if start > counted {
            line += bytes[counted..start]
                .iter()
                .filter(|&&b| b == b'\n')
                .count();
            counted = start;
        }
        lines.push(u32::try_from(line).unwrap_or(u32::MAX));
        rows.push(
            record
                .iter()
                .map(|v| {
                    let t = v.trim();
                    if t.is_empty() {
                        Cell::Null
                    } else if let Some(i) = crate::ids::parse_int(t) {
                        // A whole number written plainly is one, as a
                        // dataframe reads it (an id `101` stays an
                        // integer); `0101` stays text.
                        Cell::Int(i)
                    } else {
                        Cell::Str(Cow::Owned(v.to_string()))
                    }
                })
                .collect(),
        );
    }
    Ok(Grid {
        name,
        rows,
        lines,
        first_column: 0,
        text: true,
    })
}

fn workbook(
    bytes: &[u8],
    format: Format,
    expect: Option<TableKind>,
    notes: &mut Vec<Note>,
) -> Result<Vec<Grid>, InputError> {
    let cannot = |e: String| {
        file_error(
            expect,
            format!("the {} workbook cannot be opened ({e}); if it is protected by a password, remove it, or save it again as .xlsx", format.name()),
            format!("无法打开该 {} 工作簿({e});如设有密码请先取消,或重新另存为 .xlsx", format.name()),
        )
    };
    let sheets = match format {
        Format::Xls => xls(bytes, cannot)?,
        Format::Ods => ods(bytes, cannot)?,
        _ => xlsx(bytes, cannot, notes)?,
    };
    Ok(sheets
        .into_iter()
        .map(|(name, rows, (row0, col0))| {
            let lines = (0..rows.len())
                .map(|i| {
                    row0.saturating_add(u32::try_from(i).unwrap_or(u32::MAX))
                        .saturating_add(1)
                })
                .collect();
            Grid {
                name,
                rows,
                lines,
                first_column: col0,
                text: false,
            }
        })
        .collect())
}

/// A sheet's name, its rows of cells, and where its first cell is (row,
/// column, 0-based).
type Sheet = (String, Vec<Vec<Cell<'static>>>, (u32, u32));

#[cfg(any(feature = "read-xlsx", feature = "read-xls", feature = "read-ods"))]
fn sheet_of((name, range): (String, calamine::Range<calamine::Data>)) -> Sheet {
    let start = range.start().unwrap_or((0, 0));
    let rows = range
        .rows()
        .map(|r| r.iter().map(excel_cell).collect())
        .collect();
    (name, rows, start)
}

/// Refused: this build does not read `format`.
#[allow(dead_code)]
fn not_built(format: Format, cannot: impl Fn(String) -> InputError) -> InputError {
    cannot(format!(
        "this build of shequ does not read .{} files (only .xlsx, .csv and .tsv in the browser); save the workbook as .xlsx or CSV",
        format.name()
    ))
}

#[cfg(feature = "read-xlsx")]
fn xlsx(
    bytes: &[u8],
    cannot: impl Fn(String) -> InputError,
    notes: &mut Vec<Note>,
) -> Result<Vec<Sheet>, InputError> {
    use calamine::Reader;
    let mut wb =
        calamine::Xlsx::new(std::io::Cursor::new(bytes)).map_err(|e| cannot(e.to_string()))?;
    let hidden: Vec<String> = wb
        .sheets_metadata()
        .iter()
        .filter(|s| s.visible != calamine::SheetVisible::Visible)
        .map(|s| s.name.clone())
        .collect();
    for n in &hidden {
        notes.push(Note::general(
            "sheet_not_read",
            format!("工作表“{n}”是隐藏的,未读取"),
            format!("sheet `{n}` is hidden and was not read"),
        ));
    }
    Ok(wb
        .worksheets()
        .into_iter()
        .filter(|(n, _)| !hidden.contains(n))
        .map(sheet_of)
        .collect())
}

#[cfg(not(feature = "read-xlsx"))]
fn xlsx(
    _bytes: &[u8],
    cannot: impl Fn(String) -> InputError,
    _notes: &mut Vec<Note>,
) -> Result<Vec<Sheet>, InputError> {
    Err(not_built(Format::Xlsx, cannot))
}

#[cfg(feature = "read-xls")]
fn xls(bytes: &[u8], cannot: impl Fn(String) -> InputError) -> Result<Vec<Sheet>, InputError> {
    use calamine::Reader;
    let mut wb =
        calamine::Xls::new(std::io::Cursor::new(bytes)).map_err(|e| cannot(e.to_string()))?;
    Ok(wb.worksheets().into_iter().map(sheet_of).collect())
}

#[cfg(not(feature = "read-xls"))]
fn xls(_bytes: &[u8], cannot: impl Fn(String) -> InputError) -> Result<Vec<Sheet>, InputError> {
    Err(not_built(Format::Xls, cannot))
}

#[cfg(feature = "read-ods")]
fn ods(bytes: &[u8], cannot: impl Fn(String) -> InputError) -> Result<Vec<Sheet>, InputError> {
    use calamine::Reader;
    let mut wb =
        calamine::Ods::new(std::io::Cursor::new(bytes)).map_err(|e| cannot(e.to_string()))?;
    Ok(wb.worksheets().into_iter().map(sheet_of).collect())
}

#[cfg(not(feature = "read-ods"))]
fn ods(_bytes: &[u8], cannot: impl Fn(String) -> InputError) -> Result<Vec<Sheet>, InputError> {
    Err(not_built(Format::Ods, cannot))
}

/// A number a sheet holds, as a cell: a whole number as one, any other as
/// the exact decimal it shows (see the module docs).
///
/// ```
/// use shequ::read::{sheet::number_cell, Cell};
/// use rust_decimal::Decimal;
/// assert_eq!(number_cell(2750.0), Cell::Int(2750));
/// assert_eq!(number_cell(1500.1), Cell::Decimal(Decimal::new(15001, 1)));
/// ```
pub fn number_cell(f: f64) -> Cell<'static> {
    if super::value::is_safe_integer(f) {
        return Cell::Int(f as i64);
    }
    match Decimal::from_str(&f.to_string()) {
        Ok(d) if f.is_finite() => Cell::Decimal(d),
        _ => Cell::Float(f),
    }
}

#[cfg(any(feature = "read-xlsx", feature = "read-xls", feature = "read-ods"))]
fn excel_cell(d: &calamine::Data) -> Cell<'static> {
    use calamine::Data as D;
    match d {
        D::Empty => Cell::Null,
        D::Int(i) => Cell::Int(*i),
        D::Float(f) => number_cell(*f),
        D::String(s) if s.trim().is_empty() => Cell::Null,
        D::String(s) => Cell::Str(Cow::Owned(s.clone())),
        D::Bool(b) => Cell::Bool(*b),
        D::DateTime(dt) if dt.is_datetime() && dt.as_f64() >= 1.0 => {
            let (y, m, day, ..) = dt.to_ymd_hms_milli();
            match chrono::NaiveDate::from_ymd_opt(i32::from(y), u32::from(m), u32::from(day)) {
                Some(date) => Cell::Date(date),
                None => Cell::Str(Cow::Owned(format!("{y}-{m:02}-{day:02}"))),
            }
        }
        D::DateTime(dt) => {
            let (.., h, mi, s, _) = dt.to_ymd_hms_milli();
            Cell::Str(Cow::Owned(format!("{h:02}:{mi:02}:{s:02}")))
        }
        D::DateTimeIso(s) => match super::value::iso_date(s.get(..10).unwrap_or(s)) {
            Some(date) if !s.starts_with("PT") => Cell::Date(date),
            _ => Cell::Str(Cow::Owned(s.clone())),
        },
        D::DurationIso(s) => Cell::Str(Cow::Owned(s.clone())),
        D::Error(e) => Cell::Str(Cow::Owned(e.to_string())),
    }
}

/// Words of each table in sheet names, people's first: `社区工作人员` is a
/// list of people.
const SHEET_WORDS: &[(TableKind, &[&str])] = &[
    (
        TableKind::People,
        &[
            "人员",
            "名单",
            "花名册",
            "成员",
            "职工",
            "people",
            "roster",
            "staff",
            "persons",
        ],
    ),
    (TableKind::Adjustments, &["调整", "adjustment"]),
    (TableKind::Communities, &["社区", "communit"]),
];

/// The table a sheet's name says it holds.
fn named(sheet: &str) -> Option<TableKind> {
    let p = plain(sheet);
    SHEET_WORDS
        .iter()
        .find(|(_, words)| words.iter().any(|w| p.contains(w)))
        .map(|(k, _)| *k)
}

/// The columns each table requires.
fn required(kind: TableKind) -> &'static [&'static str] {
    match kind {
        TableKind::Communities => &["id", "households"],
        TableKind::People | TableKind::Posts => &["id", "community", "post", "start"],
        TableKind::Adjustments => &["community", "amount", "reason"],
    }
}

/// A cell as header text.
fn header_text(c: &Cell<'_>) -> Option<String> {
    match c {
        Cell::Str(s) => Some(s.trim().to_string()).filter(|s| !s.is_empty()),
        Cell::Null | Cell::Missing => None,
        other => super::value::text(other.clone(), "header")
            .ok()
            .flatten()
            .map(|t| t.trim().to_string())
            .filter(|s| !s.is_empty()),
    }
}

/// How well row `r` of `grid` serves as the header of a `kind` table:
/// whether it has every required column, and how many columns it has.
fn header_score(grid: &Grid, r: usize, kind: TableKind, headers: &Headers) -> (bool, usize) {
    let mut columns: Vec<&'static str> = grid.rows[r]
        .iter()
        .filter_map(header_text)
        .filter_map(|h| headers.column(kind, &h))
        .collect();
    columns.sort_unstable();
    columns.dedup();
    let all = required(kind).iter().all(|c| columns.contains(c));
    (all, columns.len())
}

/// How well a row serves as a table's header: it has every required
/// column, the sheet's name agrees, how many columns, the earlier row.
type Score = (bool, bool, usize, std::cmp::Reverse<usize>);

/// The rows of a sheet looked at for its header.
const HEADER_ROWS: usize = 30;

/// The table in `grid`: its kind (the forced one, or the one its headers
/// and name say, with `least` headers of its columns at least) and its
/// header row.
fn find(
    grid: &Grid,
    headers: &Headers,
    forced: Option<TableKind>,
    least: usize,
) -> Result<Option<(Found, Skipped)>, Error> {
    let kinds: Vec<TableKind> = match forced {
        Some(k) => vec![k],
        None => vec![
            TableKind::Communities,
            TableKind::People,
            TableKind::Adjustments,
        ],
    };
    let hint = named(&grid.name);
    let scan = grid.rows.len().min(HEADER_ROWS);
    // (has every required column, the name agrees, columns, earlier row)
    let mut best: Option<(Score, TableKind, usize)> = None;
    for &kind in &kinds {
        for r in 0..scan {
            let (all, n) = header_score(grid, r, kind, headers);
            if n < least && forced.is_none() {
                continue;
            }
            let score = (all, hint == Some(kind), n, std::cmp::Reverse(r));
            if best.as_ref().is_none_or(|(s, _, _)| score > *s) {
                best = Some((score, kind, r));
            }
        }
    }
    let (kind, header_row) = match best {
        Some((s, kind, r)) if s.2 > 0 || forced.is_some() => {
            if s.2 == 0 {
                // No header of the table's: the first row of two cells or more.
                let r = (0..grid.rows.len())
                    .find(|&r| grid.rows[r].iter().filter(|c| !c.is_blank()).count() >= 2)
                    .or_else(|| {
                        (0..grid.rows.len()).find(|&r| grid.rows[r].iter().any(|c| !c.is_blank()))
                    });
                match r {
                    Some(r) => (kind, r),
                    None => return Ok(None),
                }
            } else {
                (kind, r)
            }
        }
        _ => return Ok(None),
    };
    if grid.text {
        let width = grid.rows[header_row].len();
        let long = grid.rows[header_row + 1..]
            .iter()
            .enumerate()
            .find(|(_, r)| r.len() > width && r[width..].iter().any(|c| !c.is_blank()));
        if let Some((i, r)) = long {
            let line = grid.lines.get(header_row + 1 + i).copied().unwrap_or(0);
            let name = &grid.name;
            return Err(text_error(
                format!(
                    "{name}, line {line}: the row has {} cells but the header has {width}; check the delimiters and quotes",
                    r.len()
                ),
                format!("{name} 第 {line} 行有 {} 个单元格,而表头只有 {width} 个;请检查分隔符和引号", r.len()),
            ));
        }
    }
    Ok(Some(build(grid, kind, header_row, headers)))
}

/// Column `k` of a sheet as its letters (`A`, `AB`).
fn column_letters(mut k: u32) -> String {
    let mut out = Vec::new();
    loop {
        out.push(char::from(b'A' + u8::try_from(k % 26).unwrap_or(0)));
        if k < 26 {
            break;
        }
        k = k / 26 - 1;
    }
    out.iter().rev().collect()
}

/// Words of a row of totals.
fn is_total(c: &Cell<'_>) -> bool {
    matches!(c, Cell::Str(s) if matches!(plain(s).as_str(), "合计" | "总计" | "小计" | "合計" | "總計" | "total" | "totals" | "sum"))
}

/// The table of `kind` in `grid` with its header on row `header_row`.
fn build(grid: &Grid, kind: TableKind, header_row: usize, headers: &Headers) -> (Found, Skipped) {
    let head = &grid.rows[header_row];
    let width = grid.rows[header_row..]
        .iter()
        .map(Vec::len)
        .max()
        .unwrap_or(0);
    // Each column's header; an empty one is named by its letters.
    let mut names: Vec<String> = Vec::with_capacity(width);
    let mut keep: Vec<usize> = Vec::with_capacity(width);
    let data = &grid.rows[header_row + 1..];
    for k in 0..width {
        let letters = column_letters(grid.first_column + u32::try_from(k).unwrap_or(0));
        let name = match head.get(k).and_then(header_text) {
            Some(h) => h,
            None => {
                if data.iter().all(|r| r.get(k).is_none_or(Cell::is_blank)) {
                    continue;
                }
                format!("({letters})")
            }
        };
        // The same header twice: the later one named by its letters too.
        let name = if names.contains(&name) {
            format!("{name} ({letters})")
        } else {
            name
        };
        names.push(name);
        keep.push(k);
    }
    let id = names
        .iter()
        .position(|n| headers.column(kind, n) == Some("id"));
    let mut columns: Vec<Vec<Cell<'static>>> = vec![Vec::new(); keep.len()];
    let mut lines = Vec::new();
    let mut blank = Vec::new();
    let mut totals = Vec::new();
    for (i, row) in data.iter().enumerate() {
        let line = grid.lines.get(header_row + 1 + i).copied().unwrap_or(0);
        let cells: Vec<&Cell<'static>> = keep
            .iter()
            .map(|&k| row.get(k).unwrap_or(&Cell::Null))
            .collect();
        if cells.iter().all(|c| c.is_blank()) {
            blank.push(line);
            continue;
        }
        let id_blank_or_total = id.is_none_or(|k| cells[k].is_blank() || is_total(cells[k]));
        if id_blank_or_total && cells.iter().any(|c| is_total(c)) {
            totals.push(line);
            continue;
        }
        for (col, c) in columns.iter_mut().zip(cells) {
            col.push(c.clone());
        }
        lines.push(line);
    }
    let rows = lines.len();
    let table = Table::new(
        names
            .into_iter()
            .zip(columns)
            .map(|(n, c)| (n, Column::Cells(c)))
            .collect(),
        rows,
    )
    .unwrap_or_default()
    .with_origin(Origin {
        sheet: grid.name.clone(),
        lines,
    });
    let title: Vec<u32> = (0..header_row)
        .filter(|&r| grid.rows[r].iter().any(|c| !c.is_blank()))
        .filter_map(|r| grid.lines.get(r).copied())
        .collect();
    let header_line = grid.lines.get(header_row).copied().unwrap_or(0);
    let found = Found {
        kind,
        sheet: grid.name.clone(),
        header_line,
        table,
    };
    (
        found,
        Skipped {
            title,
            blank,
            totals,
        },
    )
}

/// The sheet rows a table's reading skipped.
#[derive(Debug, Default)]
struct Skipped {
    /// Rows above the header.
    title: Vec<u32>,
    /// Empty rows.
    blank: Vec<u32>,
    /// Rows of totals.
    totals: Vec<u32>,
}

/// Rows as words: `3, 4, 7–9`.
fn row_list(rows: &[u32]) -> String {
    let mut parts: Vec<String> = Vec::new();
    let mut k = 0;
    while k < rows.len() {
        let mut j = k;
        while j + 1 < rows.len() && rows[j + 1] == rows[j] + 1 {
            j += 1;
        }
        parts.push(if j > k {
            format!("{}–{}", rows[k], rows[j])
        } else {
            rows[k].to_string()
        });
        k = j + 1;
    }
    parts.join(", ")
}

/// The notes of a table found: the sheet read as which table, and the rows
/// skipped.
fn found_notes(grid: &Grid, found: &Found, skipped: Skipped) -> Vec<Note> {
    let Skipped {
        title,
        blank,
        totals,
    } = skipped;
    let (zh_t, en_t) = found.kind.name();
    let sheet = &grid.name;
    let rows = found.table.rows();
    let mut notes = vec![Note::general(
        "sheet_read",
        format!(
            "工作表“{sheet}”按{zh_t}读取:表头在第 {} 行,{rows} 行数据",
            found.header_line
        ),
        format!(
            "sheet `{sheet}` was read as the {en_t} table: header on row {}, {rows} rows of data",
            found.header_line
        ),
    )];
    if !title.is_empty() {
        notes.push(Note::general(
            "title_rows_skipped",
            format!(
                "工作表“{sheet}”表头之上的第 {} 行(标题)已跳过",
                row_list(&title)
            ),
            format!(
                "sheet `{sheet}`: row {} above the header (a title) was skipped",
                row_list(&title)
            ),
        ));
    }
    // Empty rows at the end are said in a word; empty rows between data, by
    // their numbers.
    let last = found
        .table
        .origin()
        .and_then(|o| o.lines.last().copied())
        .unwrap_or(0);
    let (inner, trailing): (Vec<u32>, Vec<u32>) = blank.iter().partition(|&&l| l < last);
    if !inner.is_empty() {
        notes.push(Note::general(
            "empty_rows_skipped",
            format!("工作表“{sheet}”的空行(第 {} 行)已跳过", row_list(&inner)),
            format!("sheet `{sheet}`: empty row {} skipped", row_list(&inner)),
        ));
    }
    if !trailing.is_empty() {
        notes.push(Note::general(
            "empty_rows_skipped",
            format!("工作表“{sheet}”末尾的 {} 个空行已跳过", trailing.len()),
            format!(
                "sheet `{sheet}`: {} empty rows at the end skipped",
                trailing.len()
            ),
        ));
    }
    if !totals.is_empty() {
        notes.push(Note::general(
            "total_rows_skipped",
            format!(
                "工作表“{sheet}”第 {} 行是合计行,已跳过(合计由 shequ 计算)",
                row_list(&totals)
            ),
            format!(
                "sheet `{sheet}`: row {} is a row of totals and was skipped (shequ sums for itself)",
                row_list(&totals)
            ),
        ));
    }
    notes
}

/// `table` (its columns renamed, [`Tables::map_headers`]) with the cells
/// of the columns whose meaning is plain written the way shequ writes
/// them: dates (`start`, `end`) as dates, `households` as whole numbers,
/// `serving` as true or false. A cell that does not read stays as it is,
/// for the budget to refuse by its sheet and row. For a form that shows
/// the cells it read (a date field shows `2019-03-01`, not `2019/3/1`).
///
/// ```
/// use shequ::read::{sheet, Cell, CellRows};
/// let mut rows = CellRows::default();
/// rows.start_row(0);
/// rows.field("start", Cell::Str("2019年3月1日".into())).unwrap();
/// rows.field("serving", Cell::Str("否".into())).unwrap();
/// let t = sheet::tidy(rows.finish(false));
/// assert_eq!(t.column("start").map(|c| c.cell(0)), Some(Cell::Date(chrono::NaiveDate::from_ymd_opt(2019, 3, 1).unwrap())));
/// assert_eq!(t.column("serving").map(|c| c.cell(0)), Some(Cell::Bool(false)));
/// ```
pub fn tidy(table: Table<'static>) -> Table<'static> {
    use super::value;
    let rows = table.rows();
    let origin = table.origin().cloned();
    let records: Vec<usize> = (0..rows).map(|r| table.record(r)).collect();
    let columns = table
        .into_columns()
        .into_iter()
        .map(|(name, column)| {
            let cells: Vec<Cell<'static>> = (0..rows)
                .map(|r| {
                    let c = column.cell(r).into_owned();
                    let tidy = match name.as_str() {
                        "start" | "end" => {
                            value::date(c.clone(), &name).ok().flatten().map(Cell::Date)
                        }
                        "households" => value::households(c.clone(), &name).ok().map(Cell::Int),
                        "serving" if !c.is_blank() => {
                            value::flag(c.clone(), &name).ok().map(Cell::Bool)
                        }
                        _ => None,
                    };
                    tidy.unwrap_or(c)
                })
                .collect();
            (name, Column::Cells(cells))
        })
        .collect();
    let mut out = Table::new(columns, rows).unwrap_or_default();
    if records.iter().enumerate().any(|(r, &k)| r != k) {
        out = out.with_records(
            records
                .iter()
                .map(|&k| u32::try_from(k).unwrap_or(u32::MAX))
                .collect(),
        );
    }
    match origin {
        Some(o) => out.with_origin(o),
        None => out,
    }
}

/// A table's columns as one type each, the way a dataframe holds them: the
/// cells' common kind, or text when they mix (each cell written as text:
/// a date as `YYYY-MM-DD`).
#[derive(Debug, Clone, PartialEq)]
pub enum Typed {
    /// Only blanks.
    Null(usize),
    /// Whole numbers.
    Int(Vec<Option<i64>>),
    /// Floats (a sheet's numbers too large for a decimal).
    Float(Vec<Option<f64>>),
    /// Exact decimals (whole numbers among them), at the largest scale.
    Decimal(Vec<Option<Decimal>>, u32),
    /// Dates.
    Date(Vec<Option<chrono::NaiveDate>>),
    /// Booleans.
    Bool(Vec<Option<bool>>),
    /// Text.
    Text(Vec<Option<String>>),
}

/// The cells of a column as one type (see [`Typed`]).
///
/// ```
/// use shequ::read::{sheet::{typed, Typed}, Cell};
/// assert_eq!(typed(&[Cell::Int(1), Cell::Null]), Typed::Int(vec![Some(1), None]));
/// assert_eq!(typed(&[Cell::Int(1), Cell::Str("C2".into())]), Typed::Text(vec![Some("1".into()), Some("C2".into())]));
/// ```
pub fn typed(cells: &[Cell<'_>]) -> Typed {
    #[derive(PartialEq, Clone, Copy)]
    enum K {
        Int,
        Float,
        Decimal,
        Date,
        Bool,
        Text,
    }
    let mut kind: Option<K> = None;
    for c in cells {
        let k = match c {
            Cell::Missing | Cell::Null => continue,
            Cell::Float(f) if f.is_nan() => continue,
            Cell::Int(_) => K::Int,
            Cell::Float(_) => K::Float,
            Cell::Decimal(_) => K::Decimal,
            Cell::Date(_) => K::Date,
            Cell::Bool(_) => K::Bool,
            Cell::Str(_) | Cell::Unreadable(_) => K::Text,
        };
        kind = Some(match (kind, k) {
            (None, k) => k,
            (Some(a), b) if a == b => a,
            (Some(K::Int | K::Decimal), K::Int | K::Decimal) => K::Decimal,
            (Some(K::Int | K::Float), K::Int | K::Float) => K::Float,
            _ => K::Text,
        });
    }
    let text = |c: &Cell<'_>| -> Option<String> {
        match c {
            Cell::Missing | Cell::Null => None,
            Cell::Float(f) if f.is_nan() => None,
            Cell::Str(s) | Cell::Unreadable(s) => Some(s.to_string()),
            Cell::Int(i) => Some(i.to_string()),
            Cell::Float(f) => Some(f.to_string()),
            Cell::Decimal(d) => Some(d.to_string()),
            Cell::Date(d) => Some(d.to_string()),
            Cell::Bool(b) => Some(b.to_string()),
        }
    };
    match kind {
        None => Typed::Null(cells.len()),
        Some(K::Int) => Typed::Int(
            cells
                .iter()
                .map(|c| match c {
                    Cell::Int(i) => Some(*i),
                    _ => None,
                })
                .collect(),
        ),
        Some(K::Float) => Typed::Float(
            cells
                .iter()
                .map(|c| match c {
                    Cell::Int(i) => Some(*i as f64),
                    Cell::Float(f) if !f.is_nan() => Some(*f),
                    _ => None,
                })
                .collect(),
        ),
        Some(K::Decimal) => {
            let values: Vec<Option<Decimal>> = cells
                .iter()
                .map(|c| match c {
                    Cell::Int(i) => Some(Decimal::from(*i)),
                    Cell::Decimal(d) => Some(*d),
                    _ => None,
                })
                .collect();
            let scale = values
                .iter()
                .flatten()
                .map(Decimal::scale)
                .max()
                .unwrap_or(0);
            Typed::Decimal(values, scale)
        }
        Some(K::Date) => Typed::Date(
            cells
                .iter()
                .map(|c| match c {
                    Cell::Date(d) => Some(*d),
                    _ => None,
                })
                .collect(),
        ),
        Some(K::Bool) => Typed::Bool(
            cells
                .iter()
                .map(|c| match c {
                    Cell::Bool(b) => Some(*b),
                    _ => None,
                })
                .collect(),
        ),
        Some(K::Text) => Typed::Text(cells.iter().map(text).collect()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text_book(text: &str, expect: Option<TableKind>) -> Result<Workbook, Error> {
        read(text.as_bytes(), Some("t.csv"), &Headers::builtin(), expect)
    }

    #[test]
    fn text_is_decoded_as_excel_writes_it() {
        let gbk = encoding_rs::GBK.encode("编号,户数\nC1,2750\n").0;
        assert_eq!(decode(&gbk).map(|d| d.1), Some("GB18030"));
        let mut bom = vec![0xEF, 0xBB, 0xBF];
        bom.extend_from_slice("编号".as_bytes());
        assert_eq!(decode(&bom), Some(("编号".to_string(), "UTF-8")));
        let mut utf16 = vec![0xFF, 0xFE];
        for u in "编号\t户数".encode_utf16() {
            utf16.extend_from_slice(&u.to_le_bytes());
        }
        assert_eq!(decode(&utf16).map(|d| d.0), Some("编号\t户数".to_string()));
        assert_eq!(decode(&[0x00, 0xFF, 0x80, 0x81, 0x30]), None);
    }

    #[test]
    fn titles_blank_rows_and_totals_are_skipped_and_said() -> Result<(), Error> {
        let csv = "某市2026年社区情况\n单位:户\n社区编号,名称,户数\nC1,A,10\n,,\nC2,B,\"1,200\"\n合计,,1210\n,,\n,,\n";
        let mut book = text_book(csv, None)?;
        let found = book.take(TableKind::Communities).ok_or_else(|| {
            InputError::new(Code::InvalidTable, RecordRef::request(), "x", "no table")
        })?;
        assert_eq!(found.header_line, 3);
        assert_eq!(found.table.rows(), 2);
        assert_eq!(
            found.table.origin().map(|o| o.lines.clone()),
            Some(vec![4, 6])
        );
        let codes: Vec<&str> = book.notes.iter().map(|n| n.code).collect();
        assert_eq!(
            codes,
            [
                "sheet_read",
                "title_rows_skipped",
                "empty_rows_skipped",
                "empty_rows_skipped",
                "total_rows_skipped"
            ]
        );
        assert!(book.notes[1].en.contains("row 1–2"), "{}", book.notes[1].en);
        Ok(())
    }

    #[test]
    fn a_table_is_found_by_its_headers_and_a_forced_one_whatever_they_are() -> Result<(), Error> {
        let people = "姓名,人员编号,社区编号,职务,任职日期\n王芳,P1,C1,主任,2019/3/1\n";
        let book = text_book(people, None)?;
        assert_eq!(
            book.tables.iter().map(|t| t.kind).collect::<Vec<_>>(),
            [TableKind::People]
        );
        let odd = "a,b\n1,2\n";
        assert_eq!(
            text_book(odd, None)
                .map(|b| b.tables.len())
                .map_err(|e| e.code()),
            Err("invalid_table")
        );
        let forced = text_book(odd, Some(TableKind::Communities))?;
        assert_eq!(
            forced.tables[0].table.names().collect::<Vec<_>>(),
            ["a", "b"]
        );
        Ok(())
    }

    #[test]
    fn malformed_text_is_a_bad_request_naming_the_line() {
        for (text, line) in [
            ("id,households\n\"A1,3000\n", "line 2"),
            ("id,households\nC1,2750,extra\n", "line 2"),
        ] {
            let err = text_book(text, Some(TableKind::Communities)).err();
            let message = err.as_ref().map(ToString::to_string).unwrap_or_default();
            assert_eq!(err.map(|e| e.code()), Some("bad_request"), "{text}");
            assert!(
                message.contains(line) && message.contains("t.csv"),
                "{message}"
            );
        }
    }

    #[test]
    fn columns_are_typed_as_their_cells() {
        use chrono::NaiveDate;
        let d = NaiveDate::from_ymd_opt(2019, 3, 1).unwrap_or_default();
        assert_eq!(
            typed(&[Cell::Date(d), Cell::Null]),
            Typed::Date(vec![Some(d), None])
        );
        assert_eq!(
            typed(&[Cell::Int(1), Cell::Decimal(Decimal::new(15, 1))]),
            Typed::Decimal(vec![Some(Decimal::ONE), Some(Decimal::new(15, 1))], 1)
        );
        assert_eq!(typed(&[Cell::Null]), Typed::Null(1));
        assert_eq!(column_letters(0), "A");
        assert_eq!(column_letters(27), "AB");
        assert_eq!(row_list(&[1, 2, 3, 5, 7, 8]), "1–3, 5, 7–8");
    }
}
