//! Exact money: rounding a finished line item to the fen, and splitting an
//! amount between payers so that the shares always add up to the total.

use rust_decimal::{Decimal, RoundingStrategy};

/// One fen, the smallest unit of money (0.01 yuan).
pub const FEN: Decimal = Decimal::from_parts(1, 0, 0, false, 2);

/// Round a finished amount to the fen, half away from zero (四舍五入).
///
/// Only finished line items are rounded; intermediate products stay exact.
///
/// ```
/// use rust_decimal::Decimal;
/// use shequ::money::round_fen;
/// assert_eq!(round_fen(Decimal::new(12345, 3)), Decimal::new(1235, 2)); // 12.345 → 12.35
/// assert_eq!(round_fen(Decimal::new(-12345, 3)), Decimal::new(-1235, 2)); // -12.345 → -12.35
/// ```
pub fn round_fen(amount: Decimal) -> Decimal {
    let mut r = amount.round_dp_with_strategy(2, RoundingStrategy::MidpointAwayFromZero);
    r.rescale(2);
    r
}

/// Split `total` (already rounded to the fen) between payers by percentage
/// shares that add up to 100, so that the parts add up to `total` exactly.
///
/// Each part is first cut down to the fen (toward zero); the fen left over go
/// one each to the parts with the largest cut-off remainders, earlier payers
/// first on ties (the largest-remainder method). A 0.01 split 50/50 gives
/// 0.01 to the first payer and 0.00 to the second.
///
/// Returns `None` only if an intermediate product overflows.
///
/// ```
/// use rust_decimal::Decimal;
/// use shequ::money::split_by_percent;
/// let parts = split_by_percent(Decimal::new(1, 2), &[Decimal::from(50), Decimal::from(50)]).unwrap();
/// assert_eq!(parts, vec![Decimal::new(1, 2), Decimal::new(0, 2)]);
/// let parts = split_by_percent(Decimal::new(10001, 2), &[Decimal::from(70), Decimal::from(30)]).unwrap();
/// assert_eq!(parts, vec![Decimal::new(7001, 2), Decimal::new(3000, 2)]);
/// ```
pub fn split_by_percent(total: Decimal, percents: &[Decimal]) -> Option<Vec<Decimal>> {
    let negative = total.is_sign_negative();
    let magnitude = total.abs();
    let hundred = Decimal::ONE_HUNDRED;
    let mut parts = Vec::with_capacity(percents.len());
    let mut remainders = Vec::with_capacity(percents.len());
    let mut allocated = Decimal::ZERO;
    for p in percents {
        let exact = magnitude.checked_mul(*p)?.checked_div(hundred)?;
        let mut cut = exact.round_dp_with_strategy(2, RoundingStrategy::ToZero);
        cut.rescale(2);
        remainders.push(exact.checked_sub(cut)?);
        allocated = allocated.checked_add(cut)?;
        parts.push(cut);
    }
    let mut left = magnitude.checked_sub(allocated)?;
    let mut order: Vec<usize> = (0..parts.len()).collect();
    // Stable sort: on equal remainders the earlier payer comes first.
    order.sort_by(|a, b| remainders[*b].cmp(&remainders[*a]));
    let mut i = 0;
    while left > Decimal::ZERO && !order.is_empty() {
        let k = order[i % order.len()];
        parts[k] = parts[k].checked_add(FEN)?;
        left = left.checked_sub(FEN)?;
        i += 1;
    }
    if negative {
        for p in &mut parts {
            *p = -*p;
            p.rescale(2);
        }
    }
    Some(parts)
}

/// Format an amount as a string with exactly two decimals (`"41250.00"`).
pub fn fmt_yuan(amount: Decimal) -> String {
    let mut a = amount;
    a.rescale(2);
    a.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn d(s: &str) -> Decimal {
        s.parse().unwrap_or_default()
    }

    #[test]
    fn rounds_half_away_from_zero() {
        assert_eq!(round_fen(d("0.005")), d("0.01"));
        assert_eq!(round_fen(d("0.0049")), d("0.00"));
        assert_eq!(round_fen(d("-0.005")), d("-0.01"));
        assert_eq!(round_fen(d("41250")).to_string(), "41250.00");
    }

    #[test]
    fn equal_remainders_favour_the_earlier_payer() {
        let third = d("100") / d("3");
        assert_eq!(
            split_by_percent(d("0.02"), &[third, third, third]),
            Some(vec![d("0.01"), d("0.01"), d("0.00")])
        );
    }

    #[test]
    fn one_fen_split_fifty_fifty() {
        let parts = split_by_percent(d("0.01"), &[d("50"), d("50")]);
        assert_eq!(parts, Some(vec![d("0.01"), d("0.00")]));
    }

    #[test]
    fn negative_split_mirrors_positive() {
        let parts = split_by_percent(d("-0.03"), &[d("50"), d("50")]);
        assert_eq!(parts, Some(vec![d("-0.02"), d("-0.01")]));
    }

    #[test]
    fn thirds_give_the_spare_fen_to_the_largest_remainder() {
        let third = d("100") / d("3");
        let parts = split_by_percent(d("100.00"), &[third, third, d("100") - third - third]);
        let parts = parts.unwrap_or_default();
        assert_eq!(parts.iter().copied().sum::<Decimal>(), d("100.00"));
        // 100 − 2 × 33.33… is a hair above a third: that payer gets the fen.
        assert_eq!(parts, vec![d("33.33"), d("33.33"), d("33.34")]);
    }

    proptest! {
        #[test]
        fn split_always_adds_up(fen in -10_000_000_000i64..10_000_000_000i64, a in 0u32..=100) {
            let total = Decimal::new(fen, 2);
            let shares = [Decimal::from(a), Decimal::from(100 - a)];
            let parts = split_by_percent(total, &shares).unwrap_or_default();
            prop_assert_eq!(parts.iter().copied().sum::<Decimal>(), total);
            for (p, s) in parts.iter().zip(shares) {
                // each part is within one fen of its exact share
                let exact = total * s / Decimal::ONE_HUNDRED;
                prop_assert!((*p - exact).abs() < FEN);
            }
        }
    }
}
