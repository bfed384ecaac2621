//! The value types a policy file is written in: exact numbers, dates, cited
//! values (each with its clause and whether the document states it) and
//! dated schedules.

use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::de::{self, Deserializer, Visitor};
use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// An exact number in a policy file, written as a string (`"1500"`,
/// `"0.5"`) or an integer (`1500`). Floats are refused: `0.1` in binary is
/// not 0.1.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(transparent)]
pub struct Num(pub Decimal);

impl<'de> Deserialize<'de> for Num {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl Visitor<'_> for V {
            type Value = Num;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a decimal number written as a string (\"1500\") or an integer")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Num, E> {
                Decimal::from_str_exact(v.trim())
                    .map(Num)
                    .map_err(|_| E::custom(format!("`{v}` is not a decimal number")))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Num, E> {
                Ok(Num(Decimal::from(v)))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Num, E> {
                Ok(Num(Decimal::from(v)))
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<Num, E> {
                Err(E::custom(format!(
                    "`{v}` is a float; write exact numbers as strings, e.g. \"{v}\""
                )))
            }
        }
        d.deserialize_any(V)
    }
}

/// A calendar date in a policy file: a TOML date (`2011-07-01`) or a string
/// (`"2011-07-01"`); the policy reader hands a TOML date over as its text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(transparent)]
pub struct PolicyDate(pub NaiveDate);

impl<'de> Deserialize<'de> for PolicyDate {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        fn parse<E: de::Error>(s: &str) -> Result<PolicyDate, E> {
            NaiveDate::from_str(s.trim())
                .map(PolicyDate)
                .map_err(|_| E::custom(format!("`{s}` is not a date (YYYY-MM-DD)")))
        }
        impl<'de> Visitor<'de> for V {
            type Value = PolicyDate;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a date (YYYY-MM-DD)")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<PolicyDate, E> {
                parse(v)
            }
        }
        d.deserialize_any(V)
    }
}

/// Whether a value is stated by the document or is our reading of it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Source {
    /// The document states this value.
    Stated,
    /// The document is silent or ambiguous; this is a Decision (a default
    /// the user may change).
    Assumed,
    /// Set by the caller at run time (a what-if override).
    Override,
    /// Supplied by the caller as data (an adjustment line, a parameter).
    Input,
}

impl Source {
    /// `stated`, `assumed` or `override`.
    pub fn as_str(self) -> &'static str {
        match self {
            Source::Stated => "stated",
            Source::Assumed => "assumed",
            Source::Override => "override",
            Source::Input => "input",
        }
    }
}

/// A value with its provenance.
///
/// ```toml
/// split = { value = { city = "50", district = "50" }, source = "assumed", note = "DOMAIN Decision" }
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Cited<T> {
    /// The value itself.
    pub value: T,
    /// Stated by the document, or assumed.
    pub source: Source,
    /// The clause, e.g. `五(三)`; defaults to the rule's clause.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub clause: Option<String>,
    /// The document's words, as the source file has them.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub quote: Option<String>,
    /// Why an assumed value was chosen.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// One row of a dated schedule: a value in force from a date (inclusive)
/// until a date (inclusive), either end open.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Dated {
    /// First day in force; open (since ever) when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from: Option<PolicyDate>,
    /// Last day in force; open (for good) when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub until: Option<PolicyDate>,
    /// The amount or ratio.
    pub value: Num,
    /// Stated or assumed.
    pub source: Source,
    /// The clause, e.g. `五(三)`; defaults to the rule's clause.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub clause: Option<String>,
    /// The document's words, as the source file has them.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub quote: Option<String>,
    /// Why an assumed value was chosen.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

impl Dated {
    /// Whether this row is in force on `date`.
    pub fn covers(&self, date: NaiveDate) -> bool {
        self.from.is_none_or(|f| f.0 <= date) && self.until.is_none_or(|u| date <= u.0)
    }
}

/// A value that changes over time: rows in date order, not overlapping. A
/// growth schedule is simply more rows.
///
/// ```toml
/// rate = [
///   { from = 2011-01-01, until = 2015-12-31, value = "1500", source = "stated" },
///   { from = 2016-01-01, value = "1800", source = "assumed", note = "growth mechanism" },
/// ]
/// ```
pub type Schedule = Vec<Dated>;

/// The row of a schedule in force on `date`.
pub fn in_force(schedule: &[Dated], date: NaiveDate) -> Option<&Dated> {
    schedule.iter().find(|row| row.covers(date))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Deserialize)]
    struct T {
        n: Num,
        d: PolicyDate,
        e: PolicyDate,
    }

    #[test]
    fn numbers_and_dates_read_both_ways() {
        let t: T =
            crate::policy::reader::from_str("n = \"0.1\"\nd = 2011-07-01\ne = \"2012-02-29\"")
                .unwrap_or_else(|e| unreachable!("{e}"));
        assert_eq!(t.n.0.to_string(), "0.1");
        assert_eq!(
            t.d.0,
            NaiveDate::from_ymd_opt(2011, 7, 1).unwrap_or_default()
        );
        assert_eq!(
            t.e.0,
            NaiveDate::from_ymd_opt(2012, 2, 29).unwrap_or_default()
        );
    }

    #[test]
    fn floats_are_refused() {
        let err = crate::policy::reader::from_str::<T>("n = 0.1\nd = 2011-07-01\ne = 2011-07-01")
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert!(err.contains("is a float"), "{err}");
    }
}
