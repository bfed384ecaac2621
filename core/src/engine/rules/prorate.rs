//! Annual amounts in a year their schedule changes: priced month by month.
//!
//! Work funds, rating bonuses, star grants and community grants are annual
//! amounts. In a year whose schedule has the same row in force on the 1st
//! of every month (every year of every built-in policy), the year's amount
//! is that row's, as it always was. In a year with a change — a dated
//! reform from 1 July (`work_funds.rate = 2000 from 2027-07-01`), a rule
//! that starts on 1 March, a row that ends in the middle of the year —
//! each month is priced at the row in force on its 1st, as monthly
//! allowances are:
//!
//! ```text
//! amount = Σ over runs of months at one row: annual amount at that row × months / 12
//! ```
//!
//! summed exactly and rounded once to the fen (half away from zero). A
//! month with no row in force adds nothing; a year with no row in force in
//! any month is "not in force", as before. The item's sentence lists each
//! run (`1–6月 … × 6/12 + 7–12月 … × 6/12`).

use super::shared::ProratedPart;
use crate::lang::{num, Lang};
use crate::policy::file::PolicyFile;
use crate::policy::values::{in_force, Dated};
use chrono::NaiveDate;
use rust_decimal::Decimal;
use std::fmt::Write;

/// A run of consecutive months of one year with the same rows in force on
/// their 1sts, one row (or none) per schedule.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Run<'p, const N: usize> {
    /// First month (1–12).
    pub from_month: u32,
    /// Last month (1–12).
    pub to_month: u32,
    /// The row of each schedule in force.
    pub rows: [Option<&'p Dated>; N],
}

fn same(a: Option<&Dated>, b: Option<&Dated>) -> bool {
    match (a, b) {
        (None, None) => true,
        (Some(a), Some(b)) => std::ptr::eq(a, b),
        _ => false,
    }
}

/// The runs of months of the year starting on `year_start` at the rows of
/// `schedules` in force on each month's 1st; `None` when every month has
/// the rows of 1 January (the year is priced as a whole, as always).
pub(crate) fn runs<'p, const N: usize>(
    schedules: [&'p [Dated]; N],
    year_start: NaiveDate,
) -> Option<Vec<Run<'p, N>>> {
    let mut out: Vec<Run<'p, N>> = Vec::new();
    let mut first = year_start;
    for month in 1..=12u32 {
        let rows = schedules.map(|s| in_force(s, first));
        match out.last_mut() {
            Some(last) if last.rows.iter().zip(&rows).all(|(a, b)| same(*a, *b)) => {
                last.to_month = month;
            }
            _ => out.push(Run {
                from_month: month,
                to_month: month,
                rows,
            }),
        }
        first = first
            .checked_add_months(chrono::Months::new(1))
            .unwrap_or(NaiveDate::MAX);
    }
    (out.len() > 1).then_some(out)
}

/// Σ annual × months / 12 of `(annual, months)` parts, exact before the
/// one rounding of the item; `None` on overflow.
pub(crate) fn year_amount(parts: impl IntoIterator<Item = (Decimal, u32)>) -> Option<Decimal> {
    let mut sum = Decimal::ZERO;
    for (annual, months) in parts {
        sum = sum.checked_add(annual.checked_mul(Decimal::from(months))?)?;
    }
    sum.checked_div(Decimal::from(12))
}

/// The runs of one schedule, with the value of each in force (`None` for
/// months without a row); `None` when the year is priced as a whole.
pub(crate) fn value_runs(rows: &[Dated], year_start: NaiveDate) -> Option<Vec<ValueRun>> {
    runs([rows], year_start).map(|runs| {
        runs.iter()
            .map(|r| ValueRun {
                from_month: r.from_month,
                to_month: r.to_month,
                value: r.rows[0].map(|row| row.value.0),
            })
            .collect()
    })
}

/// A run of months at one value of a schedule.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct ValueRun {
    pub from_month: u32,
    pub to_month: u32,
    pub value: Option<Decimal>,
}

impl ValueRun {
    /// Months from `from_month` to `to_month`, both counted (1–12).
    pub fn months(&self) -> u32 {
        months_between(self.from_month, self.to_month)
    }
}

/// Months from `from` to `to` (1–12), both counted; none when `to` is
/// before `from`.
pub fn months_between(from: u32, to: u32) -> u32 {
    to.saturating_add(1).saturating_sub(from)
}

/// The year's amount of a schedule's runs: `None` when no month has a row
/// in force (not in force); `Decimal::MAX` on overflow, which the item
/// then reports as an overflow.
pub(crate) fn runs_amount(runs: &[ValueRun]) -> Option<Decimal> {
    if runs.iter().all(|r| r.value.is_none()) {
        return None;
    }
    Some(
        year_amount(runs.iter().filter_map(|r| r.value.map(|v| (v, r.months()))))
            .unwrap_or(Decimal::MAX),
    )
}

/// The parts of an item computed from a schedule's runs, each with the
/// kind's own computation `calc`.
pub(crate) fn parts(runs: &[ValueRun], calc: impl Fn() -> super::Calc) -> Vec<ProratedPart> {
    runs.iter()
        .filter_map(|r| {
            r.value.map(|annual| ProratedPart {
                from_month: r.from_month,
                to_month: r.to_month,
                months: r.months(),
                annual,
                calc: calc(),
            })
        })
        .collect()
}

fn months_label(p: &ProratedPart, lang: Lang) -> String {
    const M: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    let en = |k: u32| M.get(k.saturating_sub(1) as usize).copied().unwrap_or("?");
    match (lang, p.from_month == p.to_month) {
        (Lang::Zh, true) => format!("{}月", p.from_month),
        (Lang::Zh, false) => format!("{}–{}月", p.from_month, p.to_month),
        (Lang::En, true) => en(p.from_month).to_string(),
        (Lang::En, false) => format!("{}–{}", en(p.from_month), en(p.to_month)),
    }
}

/// The computation in words: each run of months, how its annual amount
/// is computed, and its share of the year
/// (`1–6月 2750户 × 1500元/百户(年额41250元)× 6/12 + …`).
#[allow(clippy::too_many_arguments)] // the sentence's parts, as describe() has them
pub(crate) fn describe(
    s: &mut String,
    file: &PolicyFile,
    rule_def: Option<&super::Rule>,
    parts: &[ProratedPart],
    post: Option<&str>,
    who: &str,
    rule: &str,
    lang: Lang,
) {
    let zh = lang == Lang::Zh;
    s.push_str(who);
    s.push(' ');
    s.push_str(rule);
    s.push_str(lang.pick(":按月折算 ", ": by month, "));
    for (i, p) in parts.iter().enumerate() {
        if i > 0 {
            s.push_str(" + ");
        }
        // The kind's own words for this run, without who and rule.
        let body = super::describe(file, rule_def, &p.calc, post, "", "", lang);
        let body = body.trim_start_matches([' ', ':', ':']).trim();
        let months = months_label(p, lang);
        let (annual, m) = (num(p.annual), p.months);
        let _ = match (zh, body.is_empty()) {
            (true, false) => write!(s, "{months} {body}(年额{annual}元)× {m}/12"),
            (true, true) => write!(s, "{months} 年额{annual}元 × {m}/12"),
            (false, false) => write!(s, "{months} {body} ({annual} yuan a year) × {m}/12"),
            (false, true) => write!(s, "{months} {annual} yuan a year × {m}/12"),
        };
    }
    if parts.iter().fold(0u32, |n, p| n.saturating_add(p.months)) < 12 {
        s.push_str(lang.pick(
            ",其余月份无生效金额",
            "; nothing in force in the other months",
        ));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::policy::values::{Num, PolicyDate, Source};

    fn row(from: Option<(i32, u32, u32)>, until: Option<(i32, u32, u32)>, v: i64) -> Dated {
        let date = |d: (i32, u32, u32)| {
            PolicyDate(NaiveDate::from_ymd_opt(d.0, d.1, d.2).unwrap_or_default())
        };
        Dated {
            from: from.map(date),
            until: until.map(date),
            value: Num(Decimal::from(v)),
            source: Source::Stated,
            clause: None,
            quote: None,
            note: None,
        }
    }

    fn start(y: i32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, 1, 1).unwrap_or_default()
    }

    #[test]
    fn a_year_without_a_change_is_priced_whole() {
        let s = [row(Some((2011, 1, 1)), None, 1500)];
        assert!(value_runs(&s, start(2026)).is_none());
        let s = [
            row(Some((2011, 1, 1)), Some((2026, 12, 31)), 1500),
            row(Some((2027, 1, 1)), None, 1600),
        ];
        assert!(value_runs(&s, start(2026)).is_none());
        assert!(value_runs(&s, start(2027)).is_none());
        // No row at all, all year: also whole (not in force).
        assert!(value_runs(&s, start(2010)).is_none());
    }

    #[test]
    fn a_mid_year_change_prices_each_month_at_its_first_day() {
        // From 15 July: July is priced at the old row (in force on 1 July).
        let s = [
            row(Some((2011, 1, 1)), Some((2027, 7, 14)), 1200),
            row(Some((2027, 7, 15)), None, 2400),
        ];
        let runs = value_runs(&s, start(2027)).unwrap_or_default();
        assert_eq!(
            runs,
            [
                ValueRun {
                    from_month: 1,
                    to_month: 7,
                    value: Some(Decimal::from(1200))
                },
                ValueRun {
                    from_month: 8,
                    to_month: 12,
                    value: Some(Decimal::from(2400))
                },
            ]
        );
        // 1200 × 7/12 + 2400 × 5/12 = 700 + 1000
        assert_eq!(runs_amount(&runs), Some(Decimal::from(1700)));
        // A rule starting on 1 March: two months with nothing.
        let s = [row(Some((2028, 3, 1)), None, 1200)];
        let runs = value_runs(&s, start(2028)).unwrap_or_default();
        assert_eq!(runs_amount(&runs), Some(Decimal::from(1000)));
        assert_eq!(parts(&runs, || super::super::Calc::Fixed).len(), 1);
    }
}
