//! One cell of a table as a front-end holds it, before shequ says what it
//! means.

use chrono::NaiveDate;
use rust_decimal::Decimal;
use std::borrow::Cow;

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
    /// A value the front-end could not hand over as any of the above (a
    /// whole number past `i64`, a JS `BigInt`, text that is not valid
    /// Unicode, a date outside the calendar a front-end holds): the words
    /// say what it was. Every reader refuses it, naming the field.
    Unreadable(Cow<'a, str>),
}

impl Cell<'_> {
    /// Whether the cell holds no value (absent, null, or a float NaN).
    pub fn is_blank(&self) -> bool {
        match self {
            Cell::Missing | Cell::Null => true,
            Cell::Float(f) => f.is_nan(),
            Cell::Str(s) => s.trim().is_empty(),
            _ => false,
        }
    }

    /// The same cell owning its text.
    pub fn into_owned(self) -> Cell<'static> {
        match self {
            Cell::Missing => Cell::Missing,
            Cell::Null => Cell::Null,
            Cell::Str(s) => Cell::Str(Cow::Owned(s.into_owned())),
            Cell::Int(i) => Cell::Int(i),
            Cell::Float(f) => Cell::Float(f),
            Cell::Decimal(d) => Cell::Decimal(d),
            Cell::Bool(b) => Cell::Bool(b),
            Cell::Date(d) => Cell::Date(d),
            Cell::Unreadable(s) => Cell::Unreadable(Cow::Owned(s.into_owned())),
        }
    }
}
