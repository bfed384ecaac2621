//! Counting service: full years between two dates, and the months a post is
//! paid for.

use chrono::{Datelike, NaiveDate};

/// The anniversary of `start` in `year`; a 29 February start has its
/// anniversary on 28 February in a common year.
///
/// ```
/// use chrono::NaiveDate;
/// use shequ::engine::service::anniversary;
/// let d = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap();
/// assert_eq!(anniversary(d(2020, 2, 29), 2021), d(2021, 2, 28));
/// assert_eq!(anniversary(d(2020, 2, 29), 2024), d(2024, 2, 29));
/// ```
pub fn anniversary(start: NaiveDate, year: i32) -> NaiveDate {
    NaiveDate::from_ymd_opt(year, start.month(), start.day())
        .or_else(|| NaiveDate::from_ymd_opt(year, start.month(), 28))
        .unwrap_or(start)
}

/// Full years of service from `start` reached by `on`: the number of
/// anniversaries of `start` that fall on or before `on`.
///
/// ```
/// use chrono::NaiveDate;
/// use shequ::engine::service::full_years;
/// let d = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap();
/// assert_eq!(full_years(d(2020, 3, 15), d(2021, 3, 1)), 0);
/// assert_eq!(full_years(d(2020, 3, 15), d(2021, 4, 1)), 1);
/// assert_eq!(full_years(d(2020, 3, 1), d(2021, 3, 1)), 1); // the anniversary itself counts
/// assert_eq!(full_years(d(2020, 2, 29), d(2021, 3, 1)), 1);
/// ```
pub fn full_years(start: NaiveDate, on: NaiveDate) -> u32 {
    if on < start {
        return 0;
    }
    // Years of `NaiveDate` are within ±2^18: no overflow.
    let mut years = on.year().saturating_sub(start.year());
    if on < anniversary(start, on.year()) {
        years = years.saturating_sub(1);
    }
    u32::try_from(years).unwrap_or(0)
}

/// The first days of the months a budget counts: January to December of
/// `year`, or only those on or before `as_of`.
pub fn months_counted(year: i32, as_of: Option<NaiveDate>) -> Vec<NaiveDate> {
    (1..=12)
        .filter_map(|m| NaiveDate::from_ymd_opt(year, m, 1))
        .filter(|d| as_of.is_none_or(|a| *d <= a))
        .collect()
}

#[cfg(test)]
#[allow(clippy::arithmetic_side_effects)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, dd: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, dd).unwrap_or_default()
    }

    #[test]
    fn leap_day_start_counts_on_28_february() {
        assert_eq!(full_years(d(2020, 2, 29), d(2021, 2, 27)), 0);
        assert_eq!(full_years(d(2020, 2, 29), d(2021, 2, 28)), 1);
        assert_eq!(full_years(d(2020, 2, 29), d(2024, 2, 28)), 3);
        assert_eq!(full_years(d(2020, 2, 29), d(2024, 2, 29)), 4);
    }

    #[test]
    fn before_start_is_zero() {
        assert_eq!(full_years(d(2020, 5, 1), d(2019, 5, 1)), 0);
    }

    #[test]
    fn as_of_cuts_months() {
        assert_eq!(months_counted(2026, None).len(), 12);
        assert_eq!(months_counted(2026, Some(d(2026, 3, 1))).len(), 3);
        assert_eq!(months_counted(2026, Some(d(2026, 2, 28))).len(), 2);
    }
}
