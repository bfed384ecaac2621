//! The Excel budget report: a workbook of five sheets written to bytes —
//! 汇总 (totals by payer, rule and district, with the policy, year and
//! document), 按社区 (one row per community, a column per payer and per
//! rule), 明细 (every item), 合规 (the findings, numbers as numbers) and
//! 未支付说明 (every "why not" note) — in Chinese or English.
//!
//! Money is a number with the format `#,##0.00`; each table's title and
//! heading rows are frozen and repeated on every printed page; pages are
//! A4 landscape, one page wide; columns are as wide as their text (a CJK
//! character counts two). The bytes depend on the budget and the language
//! only (the workbook's dates are the budget year's 1 January): the same
//! request gives the same file from Rust, Python, the command line, the
//! service and the browser.

use super::{Cell, Kind, Report, Table};
use crate::budget::Budget;
use crate::error::{Error, Result};
use crate::lang::{count, Lang};
use rust_decimal::Decimal;
use rust_xlsxwriter::{
    DocProperties, ExcelDateTime, Format, FormatAlign, FormatBorder, Workbook, Worksheet, XlsxError,
};
use unicode_width::UnicodeWidthStr;

/// The money format of every amount.
pub const MONEY_FORMAT: &str = "#,##0.00";

/// Rows a worksheet holds.
const MAX_ROWS: usize = 1_048_576;

fn xlsx_error(e: XlsxError) -> Error {
    Error::BadRequest {
        message: format!("the Excel report cannot be written: {e}"),
    }
}

/// The formats of a workbook.
struct Formats {
    title: Format,
    subtitle: Format,
    section: Format,
    header: Format,
    money: Format,
    money_total: Format,
    text: Format,
    wrap: Format,
    total: Format,
}

impl Formats {
    fn new() -> Self {
        let header = Format::new()
            .set_bold()
            .set_background_color(0x00D9_E1F2)
            .set_border_bottom(FormatBorder::Thin)
            .set_text_wrap()
            .set_align(FormatAlign::Center)
            .set_align(FormatAlign::VerticalCenter);
        Formats {
            title: Format::new().set_bold().set_font_size(14),
            subtitle: Format::new().set_font_color(0x0044_4444),
            section: Format::new().set_bold().set_font_size(12),
            header,
            money: Format::new().set_num_format(MONEY_FORMAT),
            money_total: Format::new()
                .set_num_format(MONEY_FORMAT)
                .set_bold()
                .set_border_top(FormatBorder::Thin),
            text: Format::new().set_align(FormatAlign::Top),
            wrap: Format::new().set_text_wrap().set_align(FormatAlign::Top),
            total: Format::new().set_bold().set_border_top(FormatBorder::Thin),
        }
    }
}

/// A decimal as the number Excel stores (the shortest double that reads
/// back as it: `41250.5`).
fn number(d: Decimal) -> f64 {
    d.normalize().to_string().parse().unwrap_or(0.0)
}

/// The display width of a cell's text, a CJK character counting two.
fn width_of(cell: &Cell) -> usize {
    match cell {
        Cell::Empty => 0,
        Cell::Text(s) => s.width(),
        Cell::Id(id) => id.text().width(),
        Cell::Int(n) => count(usize::try_from(n.unsigned_abs()).unwrap_or(0)).len() + 1,
        Cell::Number(d) => d.normalize().to_string().len(),
        Cell::Money(d) => crate::lang::yuan(*d).len(),
    }
}

/// Set each column's width from its heading and cells: wide enough for
/// the text, long text capped (and wrapped).
fn widths(sheet: &mut Worksheet, table: &Table) -> Result<()> {
    for (k, kind) in table.kinds.iter().enumerate() {
        let header = table.headers.get(k).map_or(0, |h| h.width());
        let cells = table
            .rows
            .iter()
            .filter_map(|r| r.get(k))
            .map(width_of)
            .max()
            .unwrap_or(0);
        let cap = match kind {
            Kind::Long => 80,
            Kind::Label => 40,
            Kind::Id | Kind::Count | Kind::Money => 24,
        };
        let wide = (cells.max(header.min(cap)) + 2).min(cap) as f64;
        let col = u16::try_from(k).map_err(|_| Error::BadRequest {
            message: "the Excel report has too many columns".into(),
        })?;
        sheet
            .set_column_width(col, wide.max(6.0))
            .map_err(xlsx_error)?;
    }
    Ok(())
}

/// A4, landscape, one page wide, rows `0..=last_title` on every page,
/// the page number in the footer.
fn page_setup(sheet: &mut Worksheet, last_title: u32, lang: Lang) -> Result<()> {
    sheet.set_paper_size(9);
    sheet.set_landscape();
    sheet.set_print_fit_to_pages(1, 0);
    sheet.set_repeat_rows(0, last_title).map_err(xlsx_error)?;
    sheet.set_footer(match lang {
        Lang::Zh => "&C第 &P 页,共 &N 页",
        Lang::En => "&CPage &P of &N",
    });
    Ok(())
}

fn write_cell(
    sheet: &mut Worksheet,
    row: u32,
    col: u16,
    cell: &Cell,
    kind: Kind,
    f: &Formats,
    total: bool,
) -> Result<()> {
    let text_format = if total {
        &f.total
    } else if kind == Kind::Long {
        &f.wrap
    } else {
        &f.text
    };
    match cell {
        Cell::Empty if total => sheet
            .write_blank(row, col, &f.total)
            .map(|_| ())
            .map_err(xlsx_error),
        Cell::Empty => Ok(()),
        Cell::Text(s) => sheet
            .write_string_with_format(row, col, s, text_format)
            .map(|_| ())
            .map_err(xlsx_error),
        Cell::Id(crate::ids::Id::Int(n)) => sheet
            .write_number_with_format(row, col, *n as f64, text_format)
            .map(|_| ())
            .map_err(xlsx_error),
        Cell::Id(id) => sheet
            .write_string_with_format(row, col, id.text(), text_format)
            .map(|_| ())
            .map_err(xlsx_error),
        Cell::Int(n) => sheet
            .write_number_with_format(row, col, *n as f64, text_format)
            .map(|_| ())
            .map_err(xlsx_error),
        Cell::Number(d) => sheet
            .write_number_with_format(row, col, number(*d), text_format)
            .map(|_| ())
            .map_err(xlsx_error),
        Cell::Money(d) => sheet
            .write_number_with_format(
                row,
                col,
                number(*d),
                if total { &f.money_total } else { &f.money },
            )
            .map(|_| ())
            .map_err(xlsx_error),
    }
}

/// A table on a sheet of its own: the title on row 1, the headings on row
/// 2 (both frozen and printed on every page), the rows under them; the
/// last row in bold when `last_is_total`.
fn table_sheet(
    book: &mut Workbook,
    table: &Table,
    subtitle: &str,
    f: &Formats,
    lang: Lang,
    last_is_total: bool,
) -> Result<()> {
    if table.rows.len() + 3 > MAX_ROWS {
        return Err(Error::BadRequest {
            message: format!(
                "the Excel report's sheet `{}` would have {} rows; a worksheet holds {MAX_ROWS}: write CSV instead",
                table.name,
                table.rows.len() + 3
            ),
        });
    }
    let sheet = book.add_worksheet();
    sheet.set_name(&table.name).map_err(xlsx_error)?;
    let last_col = u16::try_from(table.headers.len().saturating_sub(1)).unwrap_or(0);
    sheet
        .write_string_with_format(0, 0, &table.title, &f.title)
        .map_err(xlsx_error)?;
    sheet
        .write_string_with_format(1, 0, subtitle, &f.subtitle)
        .map_err(xlsx_error)?;
    for (k, h) in table.headers.iter().enumerate() {
        let col = u16::try_from(k).unwrap_or(u16::MAX);
        sheet
            .write_string_with_format(2, col, h, &f.header)
            .map_err(xlsx_error)?;
    }
    let n = table.rows.len();
    for (r, row) in table.rows.iter().enumerate() {
        let at = u32::try_from(r + 3).unwrap_or(u32::MAX);
        let total = last_is_total && r + 1 == n;
        for (k, (cell, kind)) in row.iter().zip(&table.kinds).enumerate() {
            let col = u16::try_from(k).unwrap_or(u16::MAX);
            write_cell(sheet, at, col, cell, *kind, f, total)?;
        }
    }
    sheet.set_freeze_panes(3, 0).map_err(xlsx_error)?;
    if n > 0 {
        let last = u32::try_from(n + 2 - usize::from(last_is_total)).unwrap_or(u32::MAX);
        sheet.autofilter(2, 0, last, last_col).map_err(xlsx_error)?;
    }
    widths(sheet, table)?;
    page_setup(sheet, 2, lang)
}

/// 汇总: the policy, the year and the counts, then totals by payer, by rule
/// and by district.
fn summary_sheet(book: &mut Workbook, report: &Report, f: &Formats) -> Result<()> {
    let w = report.words();
    let lang = w.lang;
    let b = report.budget();
    let file = b.policy().file();
    let sheet = book.add_worksheet();
    sheet
        .set_name(w.w("汇总", "Summary").as_ref())
        .map_err(xlsx_error)?;
    sheet
        .write_string_with_format(0, 0, report.title(), &f.title)
        .map_err(xlsx_error)?;
    sheet
        .write_string_with_format(1, 0, report.subtitle(), &f.subtitle)
        .map_err(xlsx_error)?;
    let people = b.input().people.len();
    let facts: Vec<(std::borrow::Cow<str>, Cell)> = vec![
        (w.w("政策编号", "policy id"), Cell::Text(b.policy.clone())),
        (w.w("文号", "document"), Cell::Text(b.document.clone())),
        (
            w.w("版本", "policy version"),
            Cell::Text(b.policy_version.clone()),
        ),
        (w.w("预算年度", "budget year"), Cell::Int(i64::from(b.year))),
        (
            w.w("截至日期", "as of"),
            match b.as_of {
                Some(d) => Cell::Text(d.to_string()),
                None => Cell::Text(w.w("全年", "the whole year").into_owned()),
            },
        ),
        (
            w.w("社区数", "communities"),
            Cell::Int(i64::try_from(b.totals.by_community.len()).unwrap_or(0)),
        ),
        (
            w.w("人员数", "people"),
            Cell::Int(i64::try_from(people).unwrap_or(0)),
        ),
        (
            w.w("预算项目数", "items"),
            Cell::Int(i64::try_from(b.items.len()).unwrap_or(0)),
        ),
        (
            w.w("未支付说明数", "notes on what is not paid"),
            Cell::Int(i64::try_from(b.exclusions.len()).unwrap_or(0)),
        ),
        (
            w.w("合计(元)", "total (yuan)"),
            Cell::Money(b.totals.overall),
        ),
    ];
    let mut row = 3u32;
    let mut label_width = 0usize;
    let mut value_width = 0usize;
    for (label, value) in &facts {
        sheet
            .write_string_with_format(row, 0, label.as_ref(), &f.text)
            .map_err(xlsx_error)?;
        write_cell(sheet, row, 1, value, Kind::Label, f, false)?;
        label_width = label_width.max(label.width());
        value_width = value_width.max(width_of(value));
        row += 1;
    }
    // A section: its heading, the column headings, the rows, a total.
    let section = |sheet: &mut Worksheet,
                   row: &mut u32,
                   title: &str,
                   headers: &[std::borrow::Cow<str>],
                   kinds: &[Kind],
                   rows: Vec<Vec<Cell>>|
     -> Result<()> {
        *row += 1;
        sheet
            .write_string_with_format(*row, 0, title, &f.section)
            .map_err(xlsx_error)?;
        *row += 1;
        for (k, h) in headers.iter().enumerate() {
            sheet
                .write_string_with_format(
                    *row,
                    u16::try_from(k).unwrap_or(0),
                    h.as_ref(),
                    &f.header,
                )
                .map_err(xlsx_error)?;
        }
        let n = rows.len();
        for (r, cells) in rows.into_iter().enumerate() {
            *row += 1;
            for (k, (cell, kind)) in cells.iter().zip(kinds).enumerate() {
                write_cell(
                    sheet,
                    *row,
                    u16::try_from(k).unwrap_or(0),
                    cell,
                    *kind,
                    f,
                    r + 1 == n,
                )?;
            }
        }
        *row += 1;
        Ok(())
    };
    let total_word = w.w("合计", "total");
    // By payer.
    let mut rows: Vec<Vec<Cell>> = b
        .totals
        .by_payer
        .iter()
        .zip(report.payers())
        .map(|((id, amount), (_, label))| {
            vec![
                Cell::Text(label),
                Cell::Text(id.clone()),
                Cell::Money(*amount),
            ]
        })
        .collect();
    rows.push(vec![
        Cell::Text(total_word.to_string()),
        Cell::Empty,
        Cell::Money(b.totals.overall),
    ]);
    section(
        sheet,
        &mut row,
        &w.w("按出资方合计", "Totals by payer"),
        &[
            w.w("出资方", "payer"),
            w.w("出资方编号", "payer id"),
            w.w("金额(元)", "amount (yuan)"),
        ],
        &[Kind::Label, Kind::Id, Kind::Money],
        rows,
    )?;
    // By rule.
    let mut rows: Vec<Vec<Cell>> = b
        .totals
        .by_rule
        .iter()
        .zip(report.rules())
        .map(|((id, amount), (_, label))| {
            let rule = file.rules.iter().find(|r| r.id() == id);
            let clause = rule
                .map(|r| r.head().clause.to_string())
                .unwrap_or_default();
            let source = rule.map(|r| crate::engine::rules::provenance(file, r).source);
            vec![
                Cell::Text(label),
                Cell::Text(id.clone()),
                if clause.is_empty() {
                    Cell::Empty
                } else {
                    Cell::Text(clause)
                },
                match source {
                    Some(s) => Cell::Text(super::source_word(s, w).into_owned()),
                    None => Cell::Text(
                        super::source_word(crate::policy::values::Source::Input, w).into_owned(),
                    ),
                },
                Cell::Money(*amount),
            ]
        })
        .collect();
    rows.push(vec![
        Cell::Text(total_word.to_string()),
        Cell::Empty,
        Cell::Empty,
        Cell::Empty,
        Cell::Money(b.totals.overall),
    ]);
    section(
        sheet,
        &mut row,
        &w.w("按项目合计", "Totals by rule"),
        &[
            w.w("项目", "rule"),
            w.w("项目编号", "rule id"),
            w.w("条款", "clause"),
            w.w("依据", "source"),
            w.w("金额(元)", "amount (yuan)"),
        ],
        &[Kind::Label, Kind::Id, Kind::Label, Kind::Label, Kind::Money],
        rows,
    )?;
    // By district.
    let districts = report.by_district();
    let mut rows: Vec<Vec<Cell>> = districts
        .iter()
        .map(|(d, n, amount)| {
            vec![
                Cell::Text(d.clone()),
                Cell::Int(i64::try_from(*n).unwrap_or(0)),
                Cell::Money(*amount),
            ]
        })
        .collect();
    rows.push(vec![
        Cell::Text(total_word.to_string()),
        Cell::Int(i64::try_from(b.totals.by_community.len()).unwrap_or(0)),
        Cell::Money(b.totals.overall),
    ]);
    section(
        sheet,
        &mut row,
        &w.w("按街道/区合计", "Totals by district"),
        &[
            w.w("街道/区", "district"),
            w.w("社区数", "communities"),
            w.w("金额(元)", "amount (yuan)"),
        ],
        &[Kind::Label, Kind::Count, Kind::Money],
        rows,
    )?;
    // Widths: the labels of the facts and sections in A, ids and counts
    // in B, the rest as wide as a clause or an amount.
    let mut a = label_width;
    for (_, label) in report.payers().iter().chain(report.rules().iter()) {
        a = a.max(label.width());
    }
    for (d, _, _) in &districts {
        a = a.max(d.width());
    }
    let money = crate::lang::yuan(b.totals.overall).len().max(10);
    let widths = [
        (a + 2).min(40),
        (value_width.max(12) + 2).min(40),
        14,
        14,
        money + 4,
    ];
    for (k, wide) in widths.iter().enumerate() {
        sheet
            .set_column_width(u16::try_from(k).unwrap_or(0), *wide as f64)
            .map_err(xlsx_error)?;
    }
    sheet.set_freeze_panes(2, 0).map_err(xlsx_error)?;
    page_setup(sheet, 1, lang)
}

/// The workbook of a report, as bytes.
///
/// # Errors
/// `bad_request` for a report with more rows than a worksheet holds.
pub fn workbook(report: &Report) -> Result<Vec<u8>> {
    let b = report.budget();
    let w = report.words();
    let lang = w.lang;
    let mut book = Workbook::new();
    let created = ExcelDateTime::from_ymd(
        u16::try_from(b.year.clamp(1900, 9999)).unwrap_or(1900),
        1,
        1,
    )
    .map_err(xlsx_error)?;
    let properties = DocProperties::new()
        .set_title(report.title())
        .set_subject(b.document.clone())
        .set_author("shequ")
        .set_comment(format!(
            "shequ {} · {} {}",
            env!("CARGO_PKG_VERSION"),
            b.policy,
            b.policy_version
        ))
        .set_creation_datetime(&created);
    book.set_properties(&properties);
    let f = Formats::new();
    summary_sheet(&mut book, report, &f)?;
    let subtitle = report.subtitle();
    table_sheet(&mut book, &report.by_community(), &subtitle, &f, lang, true)?;
    table_sheet(&mut book, &report.items(), &subtitle, &f, lang, false)?;
    if let Some(t) = report.compliance_table() {
        table_sheet(&mut book, &t, &subtitle, &f, lang, false)?;
    }
    table_sheet(&mut book, &report.not_paid(), &subtitle, &f, lang, false)?;
    book.save_to_buffer().map_err(xlsx_error)
}

impl Budget {
    /// The Excel report of this budget in `lang`, as the bytes of an
    /// `.xlsx` file (see [`crate::report::xlsx`]).
    ///
    /// # Errors
    /// As [`crate::Policy::compliance_of`] for the compliance sheet;
    /// `bad_request` for more rows than a worksheet holds.
    ///
    /// ```
    /// use shequ::{samples, Lang, Policy, QuotaMode};
    /// let s = samples::jilin();
    /// let b = Policy::builtin(s.policy)?.budget(&s.input, &s.options().quota(QuotaMode::Warn))?;
    /// let bytes = b.to_xlsx(Lang::Zh)?;
    /// assert_eq!(&bytes[..2], b"PK"); // a zip file
    /// assert_eq!(bytes, b.to_xlsx(Lang::Zh)?); // the same bytes every time
    /// # Ok::<(), shequ::Error>(())
    /// ```
    pub fn to_xlsx(&self, lang: Lang) -> Result<Vec<u8>> {
        workbook(&Report::new(self, lang)?)
    }
}
