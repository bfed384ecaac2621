//! What a cell means: one rule per kind of value (a household count, money,
//! a date, a flag, text), the same for every front-end and every table
//! layout. A rule gives the value or a [`Problem`]; the table reader adds
//! the record and the field.

use super::cell::Cell;
use crate::error::InputErrorCode as Code;
use chrono::NaiveDate;
use rust_decimal::Decimal;
use std::borrow::Cow;
use std::str::FromStr;

/// What is wrong with a cell: a code and a message (lowercase, the value in
/// backticks).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// Stable code.
    pub code: Code,
    /// Message.
    pub message: String,
}

impl Problem {
    pub(crate) fn new(code: Code, message: impl Into<String>) -> Self {
        Problem {
            code,
            message: message.into(),
        }
    }
}

type Read<T> = Result<T, Problem>;

fn unreadable(what: &str, field: &str) -> Problem {
    Problem::new(
        Code::InvalidNumber,
        format!("`{field}` holds {what}, which shequ cannot read"),
    )
}

/// The largest whole number a float (a JS `Number`, a pandas float column)
/// holds exactly: 2^53 − 1. A whole float up to it is read as the integer
/// it is, by every reader (an id `101.0` is the id `101`).
pub const SAFE_INTEGER: f64 = 9_007_199_254_740_991.0;

/// Whether `f` is a whole number a float holds exactly.
pub fn is_safe_integer(f: f64) -> bool {
    f.fract() == 0.0 && f.abs() <= SAFE_INTEGER
}

/// Optional text (numbers are written out).
///
/// # Errors
/// `invalid_number` for a value that is not text.
///
/// ```
/// use shequ::read::{value, Cell};
/// assert_eq!(value::text(Cell::Int(12), "id"), Ok(Some("12".into())));
/// assert_eq!(value::text(Cell::Float(12.0), "id"), Ok(Some("12".into())));
/// assert_eq!(value::text(Cell::Null, "id"), Ok(None));
/// assert!(value::text(Cell::Bool(true), "id").is_err());
/// ```
#[inline]
pub fn text<'a>(cell: Cell<'a>, field: &str) -> Read<Option<Cow<'a, str>>> {
    match cell {
        Cell::Missing | Cell::Null => Ok(None),
        Cell::Str(s) => Ok(Some(s)),
        other => text_of(other, field),
    }
}

#[cold]
#[inline(never)]
fn text_of<'a>(cell: Cell<'a>, field: &str) -> Read<Option<Cow<'a, str>>> {
    Ok(match cell {
        Cell::Missing | Cell::Null => None,
        Cell::Str(s) => Some(s),
        Cell::Int(i) => Some(Cow::Owned(i.to_string())),
        Cell::Decimal(d) => Some(Cow::Owned(d.to_string())),
        Cell::Float(f) if f.is_nan() => None,
        Cell::Float(f) if is_safe_integer(f) => Some(Cow::Owned(format!("{f:.0}"))),
        Cell::Unreadable(what) => return Err(unreadable(&what, field)),
        other => {
            return Err(Problem::new(
                Code::InvalidNumber,
                format!("expected text, got {other:?}"),
            ))
        }
    })
}

/// `` `field` is required ``.
pub fn required(field: &str) -> Problem {
    Problem::new(Code::MissingField, format!("`{field}` is required"))
}

/// A household count: a whole, non-negative number.
///
/// # Errors
/// `missing_field`, `fractional_households`, `negative_households`,
/// `absurd_households`, `invalid_number`.
///
/// ```
/// use shequ::read::{value, Cell};
/// assert_eq!(value::households(Cell::Float(2750.0), "households"), Ok(2750));
/// assert_eq!(value::households(Cell::Str("12.0".into()), "households"), Ok(12));
/// assert_eq!(value::households(Cell::Int(-1), "households").unwrap_err().code.as_str(), "negative_households");
/// ```
pub fn households(cell: Cell<'_>, field: &str) -> Read<i64> {
    let n = match cell {
        Cell::Missing | Cell::Null => return Err(required(field)),
        Cell::Int(i) => i,
        Cell::Float(f) => households_from_f64(f)?,
        Cell::Decimal(d) => whole_households(d)?,
        Cell::Str(s) => whole_households(number(&s)?)?,
        Cell::Unreadable(what) => return Err(unreadable(&what, field)),
        other => {
            return Err(Problem::new(
                Code::InvalidNumber,
                format!("expected a number of households, got {other:?}"),
            ))
        }
    };
    if n < 0 {
        return Err(negative(n));
    }
    Ok(n)
}

fn negative(n: impl std::fmt::Display) -> Problem {
    Problem::new(
        Code::NegativeHouseholds,
        format!("`{n}` households is negative"),
    )
}

/// A household count given as a float (as dataframes hold them).
///
/// # Errors
/// NaN is `missing_field`; fractions, infinities `fractional_households`;
/// negatives `negative_households`; past `i64` `absurd_households`.
pub fn households_from_f64(value: f64) -> Read<i64> {
    if value.is_nan() {
        return Err(Problem::new(
            Code::MissingField,
            "households is missing (NaN)",
        ));
    }
    if value.fract() != 0.0 || !value.is_finite() {
        return Err(Problem::new(
            Code::FractionalHouseholds,
            format!("`{value}` is not a whole number of households"),
        ));
    }
    if value < 0.0 {
        return Err(negative(value));
    }
    if value >= i64::MAX as f64 {
        return Err(Problem::new(
            Code::AbsurdHouseholds,
            format!("`{value}` households is too many"),
        ));
    }
    Ok(value as i64)
}

fn whole_households(d: Decimal) -> Read<i64> {
    if !d.fract().is_zero() {
        return Err(Problem::new(
            Code::FractionalHouseholds,
            format!("`{d}` is not a whole number of households"),
        ));
    }
    if d.is_sign_negative() && !d.is_zero() {
        return Err(negative(d));
    }
    i64::try_from(d).map_err(|_| {
        Problem::new(
            Code::AbsurdHouseholds,
            format!("`{d}` households is too many"),
        )
    })
}

/// An optional exact decimal (money or a score). Floats are accepted only
/// when `allow_float` (scores, areas); money must arrive as text, an
/// integer or a decimal.
///
/// # Errors
/// `invalid_number`.
///
/// ```
/// use shequ::read::{value, Cell};
/// use rust_decimal::Decimal;
/// assert_eq!(value::decimal(Cell::Str("12.50".into()), "amount", false), Ok(Some(Decimal::new(1250, 2))));
/// assert!(value::decimal(Cell::Float(0.1), "amount", false).is_err());
/// assert_eq!(value::decimal(Cell::Float(91.5), "score", true), Ok(Some(Decimal::new(915, 1))));
/// ```
pub fn decimal(cell: Cell<'_>, field: &str, allow_float: bool) -> Read<Option<Decimal>> {
    Ok(match cell {
        Cell::Missing | Cell::Null => None,
        Cell::Int(i) => Some(Decimal::from(i)),
        Cell::Decimal(d) => Some(d),
        Cell::Float(f) if f.is_nan() => None,
        Cell::Float(f) if allow_float => Some(Decimal::from_str(&f.to_string()).map_err(|_| {
            Problem::new(Code::InvalidNumber, format!("`{f}` is not a usable number"))
        })?),
        Cell::Float(f) => {
            return Err(Problem::new(
                Code::InvalidNumber,
                format!("`{f}` is a float; give money as text or Decimal so it stays exact"),
            ))
        }
        Cell::Str(s) if s.trim().is_empty() => None,
        Cell::Str(s) => Some(number(&s)?),
        Cell::Unreadable(what) => return Err(unreadable(&what, field)),
        other => {
            return Err(Problem::new(
                Code::InvalidNumber,
                format!("expected a number, got {other:?}"),
            ))
        }
    })
}

/// A number written as text, as people write it: `2750`, `2,750`,
/// `1,234.50`, full-width `２７５０`, with a unit (`元`, `户`, `㎡`) or a
/// `¥` before it. Commas must group the digits by threes (`2,75` is
/// refused: it may be a decimal comma).
///
/// # Errors
/// `invalid_number`, saying how to write it.
///
/// ```
/// use shequ::read::value::number;
/// use rust_decimal::Decimal;
/// assert_eq!(number("2,750"), Ok(Decimal::from(2750)));
/// assert_eq!(number("２７５０"), Ok(Decimal::from(2750)));
/// assert_eq!(number("￥1,500.50元"), Ok(Decimal::new(150050, 2)));
/// assert!(number("2,75").is_err());
/// ```
pub fn number(s: &str) -> Read<Decimal> {
    if let Ok(d) = Decimal::from_str(s.trim()) {
        return Ok(d);
    }
    plain_number(s)
        .and_then(|p| Decimal::from_str(&p).ok())
        .ok_or_else(|| {
            Problem::new(
                Code::InvalidNumber,
                format!(
                    "`{s}` is not a number (write digits, optionally with commas between thousands: `2750` or `2,750`); `{s}` 不是数字"
                ),
            )
        })
}

/// `s` with full-width characters as ASCII, a unit or currency sign and
/// the commas between thousands taken away; `None` when the commas do not
/// group by threes.
fn plain_number(s: &str) -> Option<String> {
    let t: String = s
        .trim()
        .chars()
        .map(|c| match c {
            '\u{ffe5}' | '\u{a5}' => '¥',
            '\u{2212}' => '-',
            c => super::headers::half_width(c),
        })
        .filter(|c| !c.is_whitespace())
        .collect();
    let mut t = t.trim_start_matches('¥');
    for unit in ["元", "户", "㎡", "平方米", "m²"] {
        t = t.strip_suffix(unit).unwrap_or(t);
    }
    if !t.contains(',') {
        return Some(t.to_string());
    }
    let (sign, digits) = match t.strip_prefix('-') {
        Some(rest) => ("-", rest),
        None => ("", t),
    };
    let (whole, fraction) = match digits.split_once('.') {
        Some((w, f)) => (w, Some(f)),
        None => (digits, None),
    };
    let mut groups = whole.split(',');
    let first = groups.next()?;
    let digit_run = |g: &str| !g.is_empty() && g.bytes().all(|b| b.is_ascii_digit());
    if !digit_run(first) || first.len() > 3 {
        return None;
    }
    let mut out = format!("{sign}{first}");
    for g in groups {
        if g.len() != 3 || !digit_run(g) {
            return None;
        }
        out.push_str(g);
    }
    if let Some(f) = fraction {
        out.push('.');
        out.push_str(f);
    }
    Some(out)
}

/// An optional date, as people write one: `2019-03-01`, `2019-3-1`,
/// `2019/3/1`, `2019.3.1`, `2019年3月1日`, `20190301`, a date-time's date
/// part (`2019/3/1 0:00`), a date cell — or a whole number in a date
/// column, which is read by its digits: 8 digits are `YYYYMMDD`; from
/// 10 000 to 2 958 465 it is an Excel serial day (the 1900 date system, as
/// Excel and WPS write a date cell formatted as a number: 43525 is
/// 2019-03-01); any other number is refused, as a year alone (`2019`) is.
/// A fraction of an Excel serial is the time of day, and is dropped.
///
/// # Errors
/// `invalid_date`, saying which forms are read.
///
/// ```
/// use shequ::read::{value, Cell};
/// use chrono::NaiveDate;
/// let d = NaiveDate::from_ymd_opt(2020, 2, 29);
/// assert_eq!(value::date(Cell::Str("2020-02-29".into()), "start"), Ok(d));
/// assert_eq!(value::date(Cell::Str("2020-02-29 00:00:00".into()), "start"), Ok(d));
/// assert_eq!(value::date(Cell::Str("2020/2/29".into()), "start"), Ok(d));
/// assert_eq!(value::date(Cell::Str("2020年2月29日".into()), "start"), Ok(d));
/// assert_eq!(value::date(Cell::Int(43890), "start"), Ok(d));
/// assert!(value::date(Cell::Str("2021-02-29".into()), "start").is_err());
/// assert!(value::date(Cell::Int(2020), "start").is_err());
/// ```
#[inline]
pub fn date(cell: Cell<'_>, field: &str) -> Read<Option<NaiveDate>> {
    match cell {
        Cell::Missing | Cell::Null => Ok(None),
        Cell::Str(s) => match iso_date(&s) {
            Some(date) => Ok(Some(date)),
            None => date_of(Cell::Str(s), field),
        },
        Cell::Date(d) => Ok(Some(d)),
        cell => date_of(cell, field),
    }
}

/// The first day of the Excel serial days (day 0 of the 1900 system, as
/// counted from day 61 on, past Excel's 29 February 1900).
fn excel_epoch() -> Option<NaiveDate> {
    NaiveDate::from_ymd_opt(1899, 12, 30)
}

/// The date of a whole number in a date column (see [`date`]).
fn date_of_number(n: i64) -> Option<NaiveDate> {
    match n {
        10_000..=2_958_465 => excel_epoch()?.checked_add_days(chrono::Days::new(n as u64)),
        10_000_000..=99_999_999 => NaiveDate::from_ymd_opt(
            i32::try_from(n / 10_000).ok()?,
            u32::try_from(n / 100 % 100).ok()?,
            u32::try_from(n % 100).ok()?,
        ),
        _ => None,
    }
}

/// A date as people write it (see [`date`]).
fn loose_date(s: &str) -> Option<NaiveDate> {
    let t: String = s.trim().chars().map(super::headers::half_width).collect();
    // The date part of a date-time.
    let t = t.split([' ', 'T']).next().unwrap_or("");
    if !t.is_empty() && t.bytes().all(|b| b.is_ascii_digit()) {
        return date_of_number(t.parse().ok()?);
    }
    let t = t.strip_suffix(['日', '号']).unwrap_or(t);
    let mut parts = t.split(['-', '/', '.', '年', '月']);
    let (y, m, d) = (parts.next()?, parts.next()?, parts.next()?);
    if parts.next().is_some()
        || y.len() != 4
        || !(1..=2).contains(&m.len())
        || !(1..=2).contains(&d.len())
    {
        return None;
    }
    let num = |p: &str| {
        p.bytes()
            .all(|b| b.is_ascii_digit())
            .then(|| p.parse::<u32>().ok())
            .flatten()
    };
    NaiveDate::from_ymd_opt(i32::try_from(num(y)?).ok()?, num(m)?, num(d)?)
}

fn not_a_date(s: impl std::fmt::Display) -> Problem {
    Problem::new(
        Code::InvalidDate,
        format!(
            "`{s}` is not a date (write 2019-03-01, 2019/3/1, 2019.3.1 or 2019年3月1日); `{s}` 不是日期(可写作 2019-03-01、2019/3/1、2019.3.1 或 2019年3月1日)"
        ),
    )
}

fn date_of(cell: Cell<'_>, field: &str) -> Read<Option<NaiveDate>> {
    Ok(match cell {
        Cell::Missing | Cell::Null => None,
        Cell::Date(d) => Some(d),
        Cell::Float(f) if f.is_nan() => None,
        Cell::Str(s) if s.trim().is_empty() => None,
        Cell::Str(s) => {
            let t = s.trim();
            // A date-time's date part (pandas writes `2020-01-01 00:00:00`).
            let iso = t
                .get(..10)
                .filter(|_| t.len() > 10 && (t.as_bytes()[10] == b' ' || t.as_bytes()[10] == b'T'))
                .unwrap_or(t);
            Some(
                iso_date(iso)
                    .or_else(|| NaiveDate::from_str(iso).ok())
                    .or_else(|| loose_date(t))
                    .ok_or_else(|| not_a_date(&s))?,
            )
        }
        Cell::Int(n) => Some(date_of_number(n).ok_or_else(|| serial_refused(n))?),
        Cell::Float(f) if (0.0..1e8).contains(&f) => {
            let whole = f.floor() as i64;
            // A fraction is an Excel serial's time of day; `YYYYMMDD` has none.
            let d = if f.fract() != 0.0 && whole >= 10_000_000 {
                None
            } else {
                date_of_number(whole)
            };
            Some(d.ok_or_else(|| serial_refused(f))?)
        }
        Cell::Decimal(d) if d.fract().is_zero() => {
            let n = i64::try_from(d).unwrap_or(0);
            Some(date_of_number(n).ok_or_else(|| serial_refused(d))?)
        }
        Cell::Unreadable(what) => {
            return Err(Problem::new(
                Code::InvalidDate,
                format!("`{field}` holds {what}, which is not a date shequ can read"),
            ))
        }
        other => {
            return Err(Problem::new(
                Code::InvalidDate,
                format!("expected a date, got {other:?}"),
            ))
        }
    })
}

fn serial_refused(n: impl std::fmt::Display) -> Problem {
    Problem::new(
        Code::InvalidDate,
        format!(
            "the number `{n}` is not a date: a number in a date column is read as YYYYMMDD (8 digits) or an Excel serial day (10000 to 2958465); write the date as 2019-03-01; 数字 `{n}` 不是日期:日期列中的数字按 8 位 YYYYMMDD 或 Excel 日期序号(10000 至 2958465)读取,请写作 2019-03-01"
        ),
    )
}

/// A plain `YYYY-MM-DD` date read without chrono's general parser (a city
/// has millions of them); `None` for anything else, which chrono then
/// reads or refuses.
pub(crate) fn iso_date(t: &str) -> Option<NaiveDate> {
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

/// An optional whole number from 0 to `max` (a star level, a count).
///
/// # Errors
/// `invalid_number`, `out_of_range`.
pub fn small_count(cell: Cell<'_>, field: &str, max: u32) -> Read<Option<u32>> {
    let Some(d) = decimal(cell, field, true)? else {
        return Ok(None);
    };
    if !d.fract().is_zero() {
        return Err(Problem::new(
            Code::InvalidNumber,
            format!("`{d}` is not a whole number"),
        ));
    }
    match u32::try_from(d) {
        Ok(n) if n <= max => Ok(Some(n)),
        _ => Err(Problem::new(
            Code::OutOfRange,
            format!("`{d}` is outside 0–{max}"),
        )),
    }
}

/// An optional flag: true/false, 1/0 (also as the floats 1.0/0.0 a
/// dataframe makes of a 1/0 column), yes/no in any case, 是/否,
/// 在职/不在职 (or 非在职), √/×. An absent
/// or empty cell is false; NaN is refused: a float column with gaps is a
/// flag nobody gave, and reading it as false would be a guess.
///
/// # Errors
/// `invalid_number` for anything else.
///
/// ```
/// use shequ::read::{value, Cell};
/// assert_eq!(value::flag(Cell::Float(1.0), "serving"), Ok(true));
/// assert_eq!(value::flag(Cell::Str("在职".into()), "serving"), Ok(true));
/// assert!(value::flag(Cell::Float(f64::NAN), "serving").is_err());
/// ```
#[inline]
pub fn flag(cell: Cell<'_>, field: &str) -> Read<bool> {
    match cell {
        Cell::Missing | Cell::Null => Ok(false),
        Cell::Bool(b) => Ok(b),
        cell => flag_of(cell, field),
    }
}

// The floats 1.0 and 0.0 are compared, not matched: a guard says so plainly.
#[allow(clippy::redundant_guards)]
fn flag_of(cell: Cell<'_>, field: &str) -> Read<bool> {
    Ok(match cell {
        Cell::Missing | Cell::Null => false,
        Cell::Bool(b) => b,
        Cell::Int(0) => false,
        Cell::Int(1) => true,
        Cell::Float(f) if f == 0.0 => false,
        Cell::Float(f) if f == 1.0 => true,
        Cell::Float(f) if f.is_nan() => {
            return Err(Problem::new(
                Code::InvalidNumber,
                format!(
                "`{field}` is NaN: say true or false (a 1/0 column with gaps has NaN in the gaps)"
            ),
            ))
        }
        Cell::Decimal(d) if d.is_zero() => false,
        Cell::Decimal(d) if d == Decimal::ONE => true,
        // ASCII case only: every word accepted is ASCII or Chinese
        // (full-width letters are read as ASCII).
        Cell::Str(s) => {
            let t: String = s.trim().chars().map(super::headers::half_width).collect();
            match t.trim().to_ascii_lowercase().as_str() {
                "" | "false" | "no" | "n" | "0" | "否" | "非在职" | "非在職" | "不在职" | "不在職"
                | "×" | "✗" | "✘" => false,
                "true" | "yes" | "y" | "1" | "是" | "在职" | "在職" | "√" | "✓" | "✔" => {
                    true
                }
                _ => {
                    return Err(Problem::new(
                        Code::InvalidNumber,
                        format!(
                            "`{}` is not true or false (write 是 or 否, 在职 or 不在职, true or false); `{}` 不是“是/否”(可写 是、否、在职、不在职)",
                            s.trim(),
                            s.trim()
                        ),
                    ))
                }
            }
        }
        Cell::Unreadable(what) => return Err(unreadable(&what, field)),
        other => {
            return Err(Problem::new(
                Code::InvalidNumber,
                format!("expected true or false, got {other:?}"),
            ))
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn households_are_checked() {
        let cases = [
            (Cell::Float(2750.0), Ok(2750)),
            (Cell::Float(2750.5), Err("fractional_households")),
            (Cell::Float(f64::NAN), Err("missing_field")),
            (Cell::Float(f64::INFINITY), Err("fractional_households")),
            (Cell::Float(1e300), Err("absurd_households")),
            (Cell::Null, Err("missing_field")),
            (Cell::Int(-1), Err("negative_households")),
            (Cell::Str("12.0".into()), Ok(12)),
            (Cell::Str("abc".into()), Err("invalid_number")),
            (Cell::Bool(true), Err("invalid_number")),
            (
                Cell::Unreadable("a whole number past i64".into()),
                Err("invalid_number"),
            ),
        ];
        for (cell, want) in cases {
            let got = households(cell.clone(), "households").map_err(|e| e.code.as_str());
            assert_eq!(got, want, "{cell:?}");
        }
    }

    #[test]
    fn flags_dates_and_text_read_every_kind_of_cell() {
        let read = |cell: Cell<'static>| {
            (
                flag(cell.clone(), "f").map_err(|e| e.code.as_str()),
                date(cell.clone(), "f").map_err(|e| e.code.as_str()),
                text(cell, "f")
                    .map(|t| t.map(|t| t.into_owned()))
                    .map_err(|e| e.code.as_str()),
            )
        };
        let day = |y, m, d| NaiveDate::from_ymd_opt(y, m, d);
        for (word, flag) in [
            ("TRUE", true),
            (" Yes ", true),
            ("在職", true),
            ("N", false),
            ("非在职", false),
            ("不在职", false),
            ("", false),
        ] {
            assert_eq!(read(Cell::Str(word.into())).0, Ok(flag), "{word}");
        }
        assert_eq!(read(Cell::Str("maybe".into())).0, Err("invalid_number"));
        assert_eq!(read(Cell::Bool(true)).0, Ok(true));
        assert_eq!(read(Cell::Int(1)).0, Ok(true));
        assert_eq!(read(Cell::Float(0.0)).0, Ok(false));
        assert_eq!(read(Cell::Float(1.0)).0, Ok(true));
        assert_eq!(read(Cell::Float(0.5)).0, Err("invalid_number"));
        assert_eq!(read(Cell::Float(f64::NAN)).0, Err("invalid_number"));
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
        assert_eq!(read(Cell::Int(12)).2, Ok(Some("12".into())));
        assert_eq!(read(Cell::Float(12.0)).2, Ok(Some("12".into())));
        assert_eq!(read(Cell::Float(f64::NAN)).2, Ok(None));
        assert_eq!(read(Cell::Bool(true)).2, Err("invalid_number"));
        assert_eq!(read(Cell::Unreadable("x".into())).2, Err("invalid_number"));
        assert_eq!(read(Cell::Unreadable("x".into())).1, Err("invalid_date"));
    }

    #[test]
    fn plain_dates_read_as_chrono_reads_them() {
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
    fn money_refuses_floats() {
        assert_eq!(
            decimal(Cell::Float(0.1), "amount", false).map_err(|e| e.code.as_str()),
            Err("invalid_number")
        );
    }
}
