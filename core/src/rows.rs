//! Reading loosely typed table rows (JSON objects, Python dicts, dataframe
//! rows, CSV records) into typed input, with errors that name the row and the
//! field. Every front-end goes through here, so a household count or a date is
//! read one way everywhere.

use crate::budget::Note;
use crate::error::{InputError, InputErrorCode as Code, RecordKind, RecordRef};
use crate::input::{households_from_f64, Adjustment, Community, PeopleBuilder, PostRow};
use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use std::borrow::Cow;
use std::str::FromStr;

/// One cell of a row as a front-end holds it.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell<'a> {
    /// The column is absent.
    Missing,
    /// Null / None / NaN-as-missing.
    Null,
    /// Text.
    Str(Cow<'a, str>),
    /// A whole number.
    Int(i64),
    /// A float (dataframes store counts this way).
    Float(f64),
    /// An exact decimal.
    Decimal(Decimal),
    /// True or false.
    Bool(bool),
    /// A calendar date.
    Date(NaiveDate),
}

/// A row whose cells can be looked up by column name.
pub trait Row {
    /// The cell in column `field`.
    fn cell(&self, field: &str) -> Cell<'_>;
}

/// One post of a person given as a person record with a list of post
/// records (`{id, community, …, posts: [{post, start, end}, …]}`): the post
/// fields come from the post, the rest from the person.
pub struct PersonPost<'a, P: Row + ?Sized, Q: Row + ?Sized> {
    /// The person record.
    pub person: &'a P,
    /// One of its post records.
    pub post: &'a Q,
}

impl<P: Row + ?Sized, Q: Row + ?Sized> Row for PersonPost<'_, P, Q> {
    fn cell(&self, field: &str) -> Cell<'_> {
        match field {
            "post" | "start" | "end" => self.post.cell(field),
            _ => self.person.cell(field),
        }
    }
}

/// Reads the cells of one row, naming the row in every error.
pub struct Reader<'r, R: Row + ?Sized> {
    row: &'r R,
    record: RecordRef,
    /// The column the row's id was read from: an error reads it again to
    /// name the row, so a row read without error copies its id once.
    id_field: Option<&'r str>,
}

impl<'r, R: Row + ?Sized> Reader<'r, R> {
    /// A reader of row `index` of a `kind` table; the id is filled in once read.
    pub fn new(row: &'r R, kind: RecordKind, index: usize) -> Self {
        Reader {
            row,
            record: RecordRef {
                kind,
                index: Some(index),
                id: None,
            },
            id_field: None,
        }
    }

    /// The row, named by position and (once read) id.
    fn record(&self) -> RecordRef {
        let mut record = self.record.clone();
        if let Some(field) = self.id_field {
            record.id = self.text(field).ok().flatten();
        }
        record
    }

    fn err(&self, code: Code, field: &str, message: impl Into<String>) -> InputError {
        InputError::new(code, self.record(), field, message)
    }

    /// The row's id (text or a whole number), also used to name the row.
    ///
    /// # Errors
    /// `missing_field` or `empty_id`.
    #[cfg_attr(target_arch = "wasm32", inline)]
    #[cfg_attr(not(target_arch = "wasm32"), inline(always))]
    pub fn id(&mut self, field: &'r str) -> Result<String, InputError> {
        let id = self
            .text(field)?
            .ok_or_else(|| self.err(Code::MissingField, field, format!("`{field}` is required")))?;
        if id.trim().is_empty() {
            return Err(self.err(Code::EmptyId, field, format!("`{field}` is empty")));
        }
        self.id_field = Some(field);
        Ok(id)
    }

    /// Optional text (numbers are written out).
    ///
    /// # Errors
    /// `invalid_number` for a value that is not text.
    // `text`, `required_text` and `id` are always inlined: called, the
    // `String` came back through a temporary on the stack, written in halves
    // and read whole, and the processor waited on every such read (5 of the
    // 48 ms an Arrow table of 290 000 people rows took to read;
    // BENCHMARKS.md, seventh session). Not in the `.wasm`, whose size it
    // would grow by 1.6 KB gzipped.
    #[cfg_attr(target_arch = "wasm32", inline)]
    #[cfg_attr(not(target_arch = "wasm32"), inline(always))]
    pub fn text(&self, field: &str) -> Result<Option<String>, InputError> {
        // Text and absent cells, the most common, here; the rest apart.
        match self.row.cell(field) {
            Cell::Missing | Cell::Null => Ok(None),
            Cell::Str(s) => Ok(Some(s.into_owned())),
            other => self.text_of(field, other),
        }
    }

    #[cold]
    #[inline(never)]
    fn text_of(&self, field: &str, cell: Cell<'_>) -> Result<Option<String>, InputError> {
        Ok(match cell {
            Cell::Missing | Cell::Null => None,
            Cell::Str(s) => Some(s.into_owned()),
            Cell::Int(i) => Some(i.to_string()),
            Cell::Decimal(d) => Some(d.to_string()),
            Cell::Float(f) if f.is_nan() => None,
            Cell::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => Some(format!("{f:.0}")),
            other => {
                return Err(self.err(
                    Code::InvalidNumber,
                    field,
                    format!("expected text, got {other:?}"),
                ))
            }
        })
    }

    /// Required text.
    ///
    /// # Errors
    /// `missing_field` when absent.
    #[cfg_attr(target_arch = "wasm32", inline)]
    #[cfg_attr(not(target_arch = "wasm32"), inline(always))]
    pub fn required_text(&self, field: &str) -> Result<String, InputError> {
        match self.text(field)? {
            Some(text) => Ok(text),
            None => Err(self.missing(field)),
        }
    }

    #[cold]
    #[inline(never)]
    fn missing(&self, field: &str) -> InputError {
        self.err(Code::MissingField, field, format!("`{field}` is required"))
    }

    /// A household count: a whole, non-negative number.
    ///
    /// # Errors
    /// `missing_field`, `fractional_households`, `negative_households`,
    /// `invalid_number`.
    pub fn households(&self, field: &str) -> Result<i64, InputError> {
        let n = match self.row.cell(field) {
            Cell::Missing | Cell::Null => {
                return Err(self.err(Code::MissingField, field, format!("`{field}` is required")))
            }
            Cell::Int(i) => i,
            Cell::Float(f) => households_from_f64(f, self.record())?,
            Cell::Decimal(d) => self.whole(d, field)?,
            Cell::Str(s) => {
                let d = Decimal::from_str(s.trim()).map_err(|_| {
                    self.err(Code::InvalidNumber, field, format!("`{s}` is not a number"))
                })?;
                self.whole(d, field)?
            }
            other => {
                return Err(self.err(
                    Code::InvalidNumber,
                    field,
                    format!("expected a number of households, got {other:?}"),
                ))
            }
        };
        if n < 0 {
            return Err(self.err(
                Code::NegativeHouseholds,
                field,
                format!("`{n}` households is negative"),
            ));
        }
        Ok(n)
    }

    fn whole(&self, d: Decimal, field: &str) -> Result<i64, InputError> {
        if !d.fract().is_zero() {
            return Err(self.err(
                Code::FractionalHouseholds,
                field,
                format!("`{d}` is not a whole number of households"),
            ));
        }
        if d.is_sign_negative() && !d.is_zero() {
            return Err(self.err(
                Code::NegativeHouseholds,
                field,
                format!("`{d}` households is negative"),
            ));
        }
        i64::try_from(d).map_err(|_| {
            self.err(
                Code::AbsurdHouseholds,
                field,
                format!("`{d}` households is too many"),
            )
        })
    }

    /// An optional exact decimal (money or a score). Floats are accepted only
    /// when `allow_float` (scores); money must arrive as text, an integer or a
    /// decimal.
    ///
    /// # Errors
    /// `invalid_number`.
    pub fn decimal(&self, field: &str, allow_float: bool) -> Result<Option<Decimal>, InputError> {
        Ok(match self.row.cell(field) {
            Cell::Missing | Cell::Null => None,
            Cell::Int(i) => Some(Decimal::from(i)),
            Cell::Decimal(d) => Some(d),
            Cell::Float(f) if f.is_nan() => None,
            Cell::Float(f) if allow_float => {
                Some(Decimal::from_str(&f.to_string()).map_err(|_| {
                    self.err(
                        Code::InvalidNumber,
                        field,
                        format!("`{f}` is not a usable number"),
                    )
                })?)
            }
            Cell::Float(f) => {
                return Err(self.err(
                    Code::InvalidNumber,
                    field,
                    format!("`{f}` is a float; give money as text or Decimal so it stays exact"),
                ))
            }
            Cell::Str(s) if s.trim().is_empty() => None,
            Cell::Str(s) => Some(Decimal::from_str(s.trim()).map_err(|_| {
                self.err(Code::InvalidNumber, field, format!("`{s}` is not a number"))
            })?),
            other => {
                return Err(self.err(
                    Code::InvalidNumber,
                    field,
                    format!("expected a number, got {other:?}"),
                ))
            }
        })
    }

    /// An optional date (`YYYY-MM-DD` text or a date cell).
    ///
    /// # Errors
    /// `invalid_date`.
    #[inline]
    pub fn date(&self, field: &str) -> Result<Option<NaiveDate>, InputError> {
        // Absent cells and plain `YYYY-MM-DD` text here; the rest apart.
        match self.row.cell(field) {
            Cell::Missing | Cell::Null => Ok(None),
            Cell::Str(s) => match iso_date(&s) {
                Some(date) => Ok(Some(date)),
                None => self.date_of(field, Cell::Str(s)),
            },
            cell => self.date_of(field, cell),
        }
    }

    fn date_of(&self, field: &str, cell: Cell<'_>) -> Result<Option<NaiveDate>, InputError> {
        Ok(match cell {
            Cell::Missing | Cell::Null => None,
            Cell::Date(d) => Some(d),
            Cell::Float(f) if f.is_nan() => None,
            Cell::Str(s) if s.trim().is_empty() => None,
            Cell::Str(s) => {
                let t = s.trim();
                // Accept a date-time's date part (pandas writes `2020-01-01 00:00:00`).
                let t = t
                    .get(..10)
                    .filter(|_| {
                        t.len() > 10 && (t.as_bytes()[10] == b' ' || t.as_bytes()[10] == b'T')
                    })
                    .unwrap_or(t);
                Some(
                    iso_date(t)
                        .map_or_else(|| NaiveDate::from_str(t), Ok)
                        .map_err(|_| {
                            self.err(
                                Code::InvalidDate,
                                field,
                                format!("`{s}` is not a date (YYYY-MM-DD)"),
                            )
                        })?,
                )
            }
            other => {
                return Err(self.err(
                    Code::InvalidDate,
                    field,
                    format!("expected a date, got {other:?}"),
                ))
            }
        })
    }

    /// A required date.
    ///
    /// # Errors
    /// `missing_field`, `invalid_date`.
    pub fn required_date(&self, field: &str) -> Result<NaiveDate, InputError> {
        self.date(field)?
            .ok_or_else(|| self.err(Code::MissingField, field, format!("`{field}` is required")))
    }

    /// An optional whole number from 0 to `max` (a star level, a count).
    ///
    /// # Errors
    /// `invalid_number`, `out_of_range`.
    pub fn small_count(&self, field: &str, max: u32) -> Result<Option<u32>, InputError> {
        let Some(d) = self.decimal(field, true)? else {
            return Ok(None);
        };
        if !d.fract().is_zero() {
            return Err(self.err(
                Code::InvalidNumber,
                field,
                format!("`{d}` is not a whole number"),
            ));
        }
        match u32::try_from(d) {
            Ok(n) if n <= max => Ok(Some(n)),
            _ => Err(self.err(Code::OutOfRange, field, format!("`{d}` is outside 0–{max}"))),
        }
    }

    /// An optional flag: true/false, 1/0, yes/no, 是/否, 在职/非在职.
    ///
    /// # Errors
    /// `invalid_number` for anything else.
    #[inline]
    pub fn flag(&self, field: &str) -> Result<bool, InputError> {
        match self.row.cell(field) {
            Cell::Missing | Cell::Null => Ok(false),
            Cell::Bool(b) => Ok(b),
            cell => self.flag_of(field, cell),
        }
    }

    fn flag_of(&self, field: &str, cell: Cell<'_>) -> Result<bool, InputError> {
        Ok(match cell {
            Cell::Missing | Cell::Null => false,
            Cell::Bool(b) => b,
            Cell::Int(0) => false,
            Cell::Int(1) => true,
            Cell::Float(f) if f.is_nan() => false,
            // ASCII case only: every word accepted is ASCII or Chinese.
            Cell::Str(s) => match s.trim().to_ascii_lowercase().as_str() {
                "" | "false" | "no" | "n" | "0" | "否" | "非在职" | "非在職" => false,
                "true" | "yes" | "y" | "1" | "是" | "在职" | "在職" => true,
                other => {
                    return Err(self.err(
                        Code::InvalidNumber,
                        field,
                        format!("`{other}` is not true or false"),
                    ))
                }
            },
            other => {
                return Err(self.err(
                    Code::InvalidNumber,
                    field,
                    format!("expected true or false, got {other:?}"),
                ))
            }
        })
    }
}

/// A plain `YYYY-MM-DD` date read without chrono's general parser (a city
/// has hundreds of thousands of them); `None` for anything else, which
/// chrono then reads or refuses.
fn iso_date(t: &str) -> Option<NaiveDate> {
    let b = t.as_bytes();
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    let num = |r: std::ops::Range<usize>| {
        b[r].iter().try_fold(0u32, |n, c| {
            c.is_ascii_digit().then(|| n * 10 + u32::from(c - b'0'))
        })
    };
    let year = i32::try_from(num(0..4)?).ok()?;
    NaiveDate::from_ymd_opt(year, num(5..7)?, num(8..10)?)
}

/// Read a community row: `id`, `households` required; `name`, `district`,
/// `rating`, `score` optional.
///
/// # Errors
/// An [`InputError`] naming the row and field.
pub fn community<R: Row + ?Sized>(row: &R, index: usize) -> Result<Community, InputError> {
    let mut r = Reader::new(row, RecordKind::Community, index);
    let id = r.id("id")?;
    Ok(Community {
        id,
        name: r.text("name")?.unwrap_or_default(),
        district: r.text("district")?.unwrap_or_default(),
        households: r.households("households")?,
        rating: r.text("rating")?.filter(|s| !s.trim().is_empty()),
        score: r.decimal("score", true)?,
        stars: r.small_count("stars", 5)?.map(|n| n as u8),
        grids: r.small_count("grids", 100_000)?,
        measures: {
            let mut m = std::collections::BTreeMap::new();
            for name in MEASURE_COLUMNS {
                if let Some(v) = r.decimal(name, true)? {
                    if v.is_sign_negative() && !v.is_zero() {
                        return Err(r.err(Code::OutOfRange, name, format!("`{v}` is negative")));
                    }
                    m.insert((*name).to_string(), v);
                }
            }
            m
        },
        flags: r
            .text("flags")?
            .map(|t| {
                t.split([',', ';', '|', ' ', '，', '、'])
                    .filter(|f| !f.is_empty())
                    .map(str::to_string)
                    .collect()
            })
            .unwrap_or_default(),
    })
}

/// Measures a community row may carry (m²), read from columns of these names.
pub const MEASURE_COLUMNS: &[&str] =
    &["office_area", "resident_facing_area", "service_centre_area"];

/// Read a people row (one post held by one person): `id`, `community`,
/// `post`, `start` required; `name`, `serving`, `end` optional.
///
/// # Errors
/// An [`InputError`] naming the row and field.
pub fn post_row<R: Row + ?Sized>(row: &R, index: usize) -> Result<PostRow, InputError> {
    let mut r = Reader::new(row, RecordKind::Person, index);
    let id = r.id("id")?;
    Ok(PostRow {
        id,
        community: r.required_text("community")?,
        name: r.text("name")?.unwrap_or_default(),
        serving: r.flag("serving")?,
        post: r.required_text("post")?,
        start: r.required_date("start")?,
        end: r.date("end")?,
        income: r.decimal("income", true)?,
    })
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

/// Add one person record to `people`, as every front-end reads one: with a
/// list of post records (`posts`, each already a row), one post row per post,
/// the person's own fields on each; without, the record is itself one post
/// row (a table with a row per post held).
///
/// # Errors
/// `no_posts` for an empty list; the front-end's own error for a post it
/// could not make a row of; the first bad field of a post row; rows of one
/// person that disagree (see [`PeopleBuilder::push`]). Each names record
/// `index`.
pub fn person_record<P, Q, E>(
    people: &mut PeopleBuilder,
    person: &P,
    posts: Option<impl IntoIterator<Item = Result<Q, E>>>,
    index: usize,
) -> Result<(), E>
where
    P: Row + ?Sized,
    Q: Row,
    E: From<InputError>,
{
    let Some(posts) = posts else {
        return Ok(people.push(post_row(person, index)?, index)?);
    };
    let mut none = true;
    for post in posts {
        let post = post?;
        let row = post_row(
            &PersonPost {
                person,
                post: &post,
            },
            index,
        )?;
        people.push(row, index)?;
        none = false;
    }
    if none {
        return Err(no_posts(person, index).into());
    }
    Ok(())
}

/// The error for a person record whose list of posts is empty, naming the
/// person by the record's `id`.
pub fn no_posts<R: Row + ?Sized>(person: &R, index: usize) -> InputError {
    let r = Reader::new(person, RecordKind::Person, index);
    let record = RecordRef {
        id: r.text("id").ok().flatten(),
        ..r.record()
    };
    InputError::new(Code::NoPosts, record, "posts", "the person holds no post")
}

/// Read an adjustment row: `community`, `amount`, `reason` required; `rule`
/// optional.
///
/// # Errors
/// An [`InputError`] naming the row and field.
pub fn adjustment<R: Row + ?Sized>(row: &R, index: usize) -> Result<Adjustment, InputError> {
    let mut r = Reader::new(row, RecordKind::Adjustment, index);
    let community = r.id("community")?;
    let amount = r
        .decimal("amount", false)?
        .ok_or_else(|| r.err(Code::MissingField, "amount", "`amount` is required"))?;
    Ok(Adjustment {
        community,
        rule: r.text("rule")?,
        amount,
        reason: r.required_text("reason")?,
    })
}

/// Column names each table reads, for documentation and front-end forms.
pub const COMMUNITY_COLUMNS: &[&str] = &[
    "id",
    "name",
    "district",
    "households",
    "rating",
    "score",
    "stars",
    "grids",
    "office_area",
    "resident_facing_area",
    "service_centre_area",
    "flags",
];
/// Columns of the people table (one row per post held).
pub const PEOPLE_COLUMNS: &[&str] = &[
    "id",
    "community",
    "name",
    "serving",
    "post",
    "start",
    "end",
    "income",
];
/// Columns of the adjustments table.
pub const ADJUSTMENT_COLUMNS: &[&str] = &["community", "rule", "amount", "reason"];

/// Fields of a post record inside a person's `posts` list (the person's
/// other fields come from the person record).
pub const POST_COLUMNS: &[&str] = &["post", "start", "end"];

/// The input tables, as named in warnings about their columns.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Table {
    /// The communities table.
    Communities,
    /// The people table (one row per post held, or person records).
    People,
    /// A post record in a person's `posts` list.
    Posts,
    /// The adjustments table.
    Adjustments,
}

impl Table {
    /// The columns shequ reads from this table.
    pub fn columns(self) -> &'static [&'static str] {
        match self {
            Table::Communities => COMMUNITY_COLUMNS,
            Table::People => PEOPLE_COLUMNS,
            Table::Posts => POST_COLUMNS,
            Table::Adjustments => ADJUSTMENT_COLUMNS,
        }
    }

    /// Whether shequ reads `column` from this table (a person record's
    /// `posts` list included).
    pub fn reads(self, column: &str) -> bool {
        self.columns().contains(&column) || (self == Table::People && column == "posts")
    }

    fn name(self) -> (&'static str, &'static str) {
        match self {
            Table::Communities => ("社区表", "communities"),
            Table::People => ("人员表", "people"),
            Table::Posts => ("人员的岗位记录", "posts (of a person record)"),
            Table::Adjustments => ("调整表", "adjustments"),
        }
    }
}

/// A column of an input table that shequ does not read: a misspelling (a
/// misspelt `serving` column would leave everyone counted as not serving) or
/// a column of the user's own. It is ignored, and the budget says so with an
/// `unknown_column` warning.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IgnoredColumn {
    /// The table.
    pub table: Table,
    /// The column as given.
    pub column: String,
    /// The column it most likely stands for, if one is close.
    pub suggestion: Option<String>,
}

impl IgnoredColumn {
    /// The warning for this column.
    ///
    /// ```
    /// use shequ::rows::{IgnoredColumns, Table};
    /// let mut seen = IgnoredColumns::default();
    /// seen.check(Table::People, "servng");
    /// let notes: Vec<_> = seen.into_list().iter().map(|c| c.note()).collect();
    /// assert_eq!(notes[0].code, "unknown_column");
    /// assert!(notes[0].en.contains("did you mean `serving`"), "{}", notes[0].en);
    /// ```
    pub fn note(&self) -> Note {
        let (zh_table, en_table) = self.table.name();
        let (zh_hint, en_hint) = match &self.suggestion {
            Some(s) => (
                format!("(是否应为 `{s}`?)"),
                format!(" (did you mean `{s}`?)"),
            ),
            None => (String::new(), String::new()),
        };
        Note {
            code: "unknown_column",
            community: None,
            person: None,
            rule: None,
            clause: None,
            zh: format!(
                "{zh_table}的列 `{}` 不是 shequ 读取的列,已忽略{zh_hint}",
                self.column
            ),
            en: format!(
                "column `{}` of {en_table} is not one shequ reads and was ignored{en_hint}",
                self.column
            ),
        }
    }
}

/// Collects the columns a front-end saw that shequ does not read, each once,
/// in the order first seen.
#[derive(Debug, Clone, Default)]
pub struct IgnoredColumns {
    seen: Vec<IgnoredColumn>,
}

impl IgnoredColumns {
    /// Note `column` of `table` if shequ does not read it.
    pub fn check(&mut self, table: Table, column: &str) {
        if table.reads(column)
            || self
                .seen
                .iter()
                .any(|c| c.table == table && c.column == column)
        {
            return;
        }
        self.seen.push(IgnoredColumn {
            table,
            column: column.to_string(),
            suggestion: suggestion(table, column).map(str::to_string),
        });
    }

    /// The columns collected.
    pub fn into_list(self) -> Vec<IgnoredColumn> {
        self.seen
    }
}

/// The column `column` most likely stands for: the same ignoring (ASCII)
/// case, spaces and `-`/`_`, or within two edits of one (a typo); for a post
/// record, a person column (given in the wrong record).
fn suggestion(table: Table, column: &str) -> Option<&'static str> {
    let plain = |s: &str| -> String {
        s.chars()
            .filter(|c| !c.is_whitespace() && *c != '_' && *c != '-')
            .map(|c| c.to_ascii_lowercase())
            .collect()
    };
    let given = plain(column);
    let candidates = match table {
        // A person field in a post record is read from the person instead.
        Table::Posts => PEOPLE_COLUMNS,
        t => t.columns(),
    };
    if let Some(exact) = candidates.iter().find(|c| plain(c) == given) {
        return Some(exact);
    }
    candidates
        .iter()
        .map(|c| (edits(&plain(c), &given), *c))
        .filter(|(d, c)| *d <= 2 && *d * 2 < c.chars().count())
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| c)
}

/// Levenshtein distance in characters.
fn edits(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut diagonal = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let above = row[j + 1];
            row[j + 1] = if ca == *cb {
                diagonal
            } else {
                1 + diagonal.min(above).min(row[j])
            };
            diagonal = above;
        }
    }
    row[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    struct M(HashMap<&'static str, Cell<'static>>);
    impl Row for M {
        fn cell(&self, f: &str) -> Cell<'_> {
            self.0.get(f).cloned().unwrap_or(Cell::Missing)
        }
    }

    fn row(cells: Vec<(&'static str, Cell<'static>)>) -> M {
        M(cells.into_iter().collect())
    }

    #[test]
    fn households_are_checked_with_row_and_field() {
        let cases = [
            (Cell::Float(2750.0), Ok(2750)),
            (Cell::Float(2750.5), Err("fractional_households")),
            (Cell::Float(f64::NAN), Err("missing_field")),
            (Cell::Null, Err("missing_field")),
            (Cell::Int(-1), Err("negative_households")),
            (Cell::Str("12.0".into()), Ok(12)),
            (Cell::Str("abc".into()), Err("invalid_number")),
            (Cell::Bool(true), Err("invalid_number")),
        ];
        for (cell, want) in cases {
            let r = row(vec![
                ("id", Cell::Str("C9".into())),
                ("households", cell.clone()),
            ]);
            let got = community(&r, 4).map(|c| c.households).map_err(|e| {
                assert_eq!(e.record.id.as_deref(), Some("C9"));
                assert_eq!(e.record.index, Some(4));
                assert_eq!(e.field, "households");
                e.code.as_str()
            });
            assert_eq!(got, want, "{cell:?}");
        }
    }

    /// Every kind of cell a reader meets: the quick paths (text, absent,
    /// `YYYY-MM-DD`, booleans) and the rest give what they always gave.
    #[test]
    fn flags_dates_and_text_read_every_kind_of_cell() {
        let read = |cell: Cell<'static>| {
            let r = row(vec![("f", cell)]);
            let reader = Reader::new(&r, RecordKind::Person, 0);
            (
                reader.flag("f").map_err(|e| e.code.as_str()),
                reader.date("f").map_err(|e| e.code.as_str()),
                reader.text("f").map_err(|e| e.code.as_str()),
            )
        };
        let day = |y, m, d| NaiveDate::from_ymd_opt(y, m, d);
        for (word, flag) in [
            ("TRUE", true),
            (" Yes ", true),
            ("在職", true),
            ("N", false),
            ("非在职", false),
            ("", false),
        ] {
            assert_eq!(read(Cell::Str(word.into())).0, Ok(flag), "{word}");
        }
        assert_eq!(read(Cell::Str("maybe".into())).0, Err("invalid_number"));
        assert_eq!(read(Cell::Bool(true)).0, Ok(true));
        assert_eq!(read(Cell::Int(1)).0, Ok(true));
        assert_eq!(read(Cell::Int(2)).0, Err("invalid_number"));
        assert_eq!(read(Cell::Missing), (Ok(false), Ok(None), Ok(None)));
        assert_eq!(read(Cell::Null), (Ok(false), Ok(None), Ok(None)));
        assert_eq!(read(Cell::Str("2024-02-29".into())).1, Ok(day(2024, 2, 29)));
        assert_eq!(
            read(Cell::Str(" 2024-02-29T08:00 ".into())).1,
            Ok(day(2024, 2, 29))
        );
        assert_eq!(read(Cell::Str("2024-2-9".into())).1, Ok(day(2024, 2, 9)));
        assert_eq!(read(Cell::Str("2023-02-29".into())).1, Err("invalid_date"));
        assert_eq!(read(Cell::Date(NaiveDate::MIN)).1, Ok(Some(NaiveDate::MIN)));
        assert_eq!(read(Cell::Int(12)).2, Ok(Some("12".into())));
        assert_eq!(read(Cell::Float(12.0)).2, Ok(Some("12".into())));
        assert_eq!(read(Cell::Float(f64::NAN)).2, Ok(None));
        assert_eq!(read(Cell::Bool(true)).2, Err("invalid_number"));
    }

    #[test]
    fn dates_accept_text_and_datetime_text() {
        let r = row(vec![
            ("id", Cell::Int(7)),
            ("community", Cell::Str("C1".into())),
            ("post", Cell::Str("组长".into())),
            ("start", Cell::Str("2020-02-29 00:00:00".into())),
            ("serving", Cell::Str("在职".into())),
        ]);
        let p = post_row(&r, 0);
        assert_eq!(
            p.as_ref().map(|p| p.start),
            Ok(NaiveDate::from_ymd_opt(2020, 2, 29).unwrap_or_default())
        );
        assert_eq!(
            p.as_ref().map(|p| (p.id.as_str(), p.serving)),
            Ok(("7", true))
        );
        let bad = row(vec![
            ("id", Cell::Int(7)),
            ("community", Cell::Str("C1".into())),
            ("post", Cell::Str("x".into())),
            ("start", Cell::Str("2020-02-30".into())),
        ]);
        assert_eq!(
            post_row(&bad, 0).map_err(|e| e.code.as_str()),
            Err("invalid_date")
        );
    }

    #[test]
    fn plain_dates_read_as_chrono_reads_them() {
        // The fast path reads plain dates, and gives up (never a different
        // answer) on the rest.
        for t in ["2020-02-29", "2026-12-31", "0999-01-01"] {
            assert_eq!(
                iso_date(t).ok_or(()),
                NaiveDate::from_str(t).map_err(|_| ()),
                "{t}"
            );
        }
        for t in [
            "2021-02-29",
            "2026-13-01",
            "2020-1-01",
            "20200101",
            "2020-01-0a",
            "+2020-01-01",
        ] {
            assert_eq!(iso_date(t), None, "{t}");
        }
    }

    #[test]
    fn unknown_columns_are_kept_once_with_a_likely_meaning() {
        let mut seen = IgnoredColumns::default();
        for (table, column) in [
            (Table::Communities, "office_aera"),
            (Table::Communities, "Households"),
            (Table::Communities, "office_aera"),
            (Table::Communities, "street"),
            (Table::People, "in_service"),
            (Table::People, "servng"),
            (Table::People, "posts"),
            (Table::People, "serving"),
            (Table::Posts, "serving"),
            (Table::Posts, "end"),
            (Table::Adjustments, "amout"),
        ] {
            seen.check(table, column);
        }
        let list = seen.into_list();
        let got: Vec<(Table, String, Option<&str>)> = list
            .iter()
            .map(|c| (c.table, c.column.clone(), c.suggestion.as_deref()))
            .collect();
        assert_eq!(
            got,
            vec![
                (
                    Table::Communities,
                    "office_aera".to_string(),
                    Some("office_area")
                ),
                (Table::Communities, "Households".into(), Some("households")),
                (Table::Communities, "street".into(), None),
                (Table::People, "in_service".into(), None),
                (Table::People, "servng".into(), Some("serving")),
                (Table::Posts, "serving".into(), Some("serving")),
                (Table::Adjustments, "amout".into(), Some("amount")),
            ]
        );
        assert_eq!(edits("kitten", "sitting"), 3);
        assert_eq!(edits("", "abc"), 3);
    }

    #[test]
    fn money_refuses_floats() {
        let r = row(vec![
            ("community", Cell::Str("C1".into())),
            ("amount", Cell::Float(0.1)),
            ("reason", Cell::Str("x".into())),
        ]);
        assert_eq!(
            adjustment(&r, 0).map_err(|e| e.code.as_str()),
            Err("invalid_number")
        );
    }

    #[test]
    fn a_person_record_gives_a_row_per_post_or_is_one() -> Result<(), InputError> {
        let person = row(vec![
            ("id", Cell::Str("P1".into())),
            ("community", Cell::Str("C1".into())),
            ("name", Cell::Str("王芳".into())),
        ]);
        let post = |name: &'static str| {
            Ok::<_, InputError>(row(vec![
                ("post", Cell::Str(name.into())),
                ("start", Cell::Str("2020-01-01".into())),
            ]))
        };
        let mut people = PeopleBuilder::with_capacity(2);
        let posts = [post("director"), post("group_leader")];
        person_record(&mut people, &person, Some(posts), 0)?;
        let people = people.finish();
        assert_eq!(people.len(), 1);
        assert_eq!(people[0].name, "王芳");
        let held: Vec<&str> = people[0].posts.iter().map(|h| h.post.as_str()).collect();
        assert_eq!(held, ["director", "group_leader"]);

        type Posts<const N: usize> = Option<[Result<M, InputError>; N]>;
        let mut people = PeopleBuilder::with_capacity(1);
        let mut read = |posts: Posts<0>, i| {
            person_record(&mut people, &person, posts, i)
                .err()
                .map(|e| (e.code, e.field, e.record.index, e.record.id))
        };
        // Without a list the record is one post row: here without `post`.
        assert_eq!(
            read(None, 3),
            Some((
                Code::MissingField,
                "post".into(),
                Some(3),
                Some("P1".into())
            ))
        );
        // An empty list names the person.
        assert_eq!(
            read(Some([]), 4),
            Some((Code::NoPosts, "posts".into(), Some(4), Some("P1".into())))
        );

        // A post the front-end could not read: its own error, as it is.
        let bad = not_a_row(RecordKind::Person, 5, "an object");
        let mut people = PeopleBuilder::with_capacity(1);
        let posts: Posts<2> = Some([post("director"), Err(bad.clone())]);
        assert_eq!(
            person_record(&mut people, &person, posts, 5).err(),
            Some(bad)
        );
        Ok(())
    }
}
