//! Exact money: rounding a finished line item to the fen, and splitting an
//! amount between payers so that the shares always add up to the total.
//!
//! Every operation here is checked (`clippy::arithmetic_side_effects` is
//! denied): a result that does not fit is `None`, never a panic or a
//! wrapped number.

#![deny(clippy::arithmetic_side_effects)]

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
    let mut parts = vec![Decimal::ZERO; percents.len()];
    split_into(total, percents, &mut parts)?;
    Some(parts)
}

/// [`split_by_percent`] into `parts` (as long as `percents`), without
/// allocating: the engine splits every item of a city this way.
///
/// Amounts and percentages with few decimals (every real split) are split in
/// whole fen with 64-bit integers, exactly; anything larger falls back to
/// `Decimal` arithmetic. Both give the same parts (a property test checks).
pub(crate) fn split_into(
    total: Decimal,
    percents: &[Decimal],
    parts: &mut [Decimal],
) -> Option<()> {
    if parts.len() != percents.len() {
        return None;
    }
    if let [only] = percents {
        if *only == Decimal::ONE_HUNDRED {
            let mut t = total;
            t.rescale(2);
            parts[0] = t;
            return Some(());
        }
    }
    if let Some(()) = split_in_fen(total, percents, parts) {
        return Some(());
    }
    split_decimal(total, percents, parts)
}

/// Splits with more payers than this use the `Decimal` path.
const INLINE_PAYERS: usize = 8;

/// The split in whole fen: part `i` is ⌊fen × nᵢ ÷ D⌋ (the percentages as
/// whole numbers nᵢ over a common denominator D = 100 × 10^scale), then the
/// fen left over by largest remainder. `None` when a number does not fit in
/// 64 bits (then the `Decimal` path does it).
fn split_in_fen(total: Decimal, percents: &[Decimal], parts: &mut [Decimal]) -> Option<()> {
    if total.scale() > 2 || percents.len() > INLINE_PAYERS {
        return None;
    }
    let scale = percents.iter().map(Decimal::scale).max().unwrap_or(0);
    let pow10 = |e: u32| 10u64.checked_pow(e);
    let magnitude = u64::try_from(total.abs().mantissa())
        .ok()?
        .checked_mul(pow10(2u32.checked_sub(total.scale())?)?)?;
    let denominator = 100u64.checked_mul(pow10(scale)?)?;
    let mut cuts = [0u64; INLINE_PAYERS];
    let mut remainders = [0u64; INLINE_PAYERS];
    let mut allocated = 0u64;
    for (i, p) in percents.iter().enumerate() {
        let n = u64::try_from(p.mantissa())
            .ok()?
            .checked_mul(pow10(scale.checked_sub(p.scale())?)?)?;
        let product = magnitude.checked_mul(n)?;
        cuts[i] = product.checked_div(denominator)?;
        remainders[i] = product.checked_rem(denominator)?;
        allocated = allocated.checked_add(cuts[i])?;
    }
    let count = percents.len();
    let mut left = magnitude.checked_sub(allocated)?;
    // Hand out the fen left over: largest remainder first, the earlier payer
    // on ties (a stable order), round and round if ever more than one each.
    // Most splits leave none (and then need no order).
    if left > 0 && count > 0 {
        let mut order = [0usize; INLINE_PAYERS];
        for (i, o) in order.iter_mut().enumerate().take(count) {
            *o = i;
        }
        order[..count].sort_by(|a, b| remainders[*b].cmp(&remainders[*a]));
        // Fewer fen are left than there are parts (each cut is short of
        // its exact share by less than one): one round at most.
        for &k in order.iter().take(count).cycle() {
            if left == 0 {
                break;
            }
            cuts[k] = cuts[k].checked_add(1)?;
            left = left.saturating_sub(1);
        }
    }
    for (part, cut) in parts.iter_mut().zip(&cuts[..count]) {
        let mut p = Decimal::from_i128_with_scale(i128::from(*cut), 2);
        if total.is_sign_negative() {
            p = -p;
            p.rescale(2);
        }
        *part = p;
    }
    Some(())
}

/// The split in `Decimal` arithmetic (any size the type holds).
fn split_decimal(total: Decimal, percents: &[Decimal], parts: &mut [Decimal]) -> Option<()> {
    let negative = total.is_sign_negative();
    let magnitude = total.abs();
    let hundred = Decimal::ONE_HUNDRED;
    let mut remainders = Vec::with_capacity(percents.len());
    let mut allocated = Decimal::ZERO;
    for (part, p) in parts.iter_mut().zip(percents) {
        let exact = magnitude.checked_mul(*p)?.checked_div(hundred)?;
        let mut cut = exact.round_dp_with_strategy(2, RoundingStrategy::ToZero);
        cut.rescale(2);
        remainders.push(exact.checked_sub(cut)?);
        allocated = allocated.checked_add(cut)?;
        *part = cut;
    }
    let mut left = magnitude.checked_sub(allocated)?;
    let mut order: Vec<usize> = (0..parts.len()).collect();
    // Stable sort: on equal remainders the earlier payer comes first.
    order.sort_by(|a, b| remainders[*b].cmp(&remainders[*a]));
    for &k in order.iter().cycle() {
        if left <= Decimal::ZERO {
            break;
        }
        parts[k] = parts[k].checked_add(FEN)?;
        left = left.checked_sub(FEN)?;
    }
    if negative {
        for p in parts.iter_mut() {
            *p = -*p;
            p.rescale(2);
        }
    }
    Some(())
}

/// An amount in whole fen, after rounding to the fen; `None` past what 64
/// bits hold (some 92 trillion yuan: an item that large is an overflow).
///
/// ```
/// use rust_decimal::Decimal;
/// use shequ::money::to_fen;
/// assert_eq!(to_fen(Decimal::new(412505, 1)), Some(4125050)); // 41250.5 yuan
/// assert_eq!(to_fen(Decimal::new(-12345, 3)), Some(-1235));   // rounded half away from zero
/// assert_eq!(to_fen(Decimal::MAX), None);
/// ```
pub fn to_fen(amount: Decimal) -> Option<i64> {
    let r = round_fen(amount);
    i64::try_from(r.mantissa()).ok()
}

/// Whole fen as yuan with two decimals.
pub fn from_fen(fen: i64) -> Decimal {
    Decimal::from_i128_with_scale(i128::from(fen), 2)
}

/// Whole fen (a sum) as yuan; `None` past what a `Decimal` holds.
pub fn from_fen_sum(fen: i128) -> Option<Decimal> {
    Decimal::try_from_i128_with_scale(fen, 2).ok()
}

/// A payer split made ready to cut amounts in whole fen: the percentages as
/// whole numbers over a common denominator. It cuts as
/// [`split_by_percent`] does (a test checks), with integers only.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FenSplit {
    numerators: Vec<u128>,
    denominator: u128,
}

impl FenSplit {
    /// The split of these percentages (adding up to 100); `None` for
    /// percentages with more than 12 decimals.
    ///
    /// ```
    /// use rust_decimal::Decimal;
    /// use shequ::money::FenSplit;
    /// let s = FenSplit::new(&[Decimal::from(50), Decimal::from(50)]).unwrap();
    /// let mut parts = [0; 2];
    /// s.split(1, &mut parts);
    /// assert_eq!(parts, [1, 0]);
    /// s.split(-3, &mut parts);
    /// assert_eq!(parts, [-2, -1]);
    /// ```
    pub fn new(percents: &[Decimal]) -> Option<Self> {
        let scale = percents.iter().map(Decimal::scale).max().unwrap_or(0);
        if scale > 12 {
            return None;
        }
        let pow10 = |e: u32| 10u128.checked_pow(e);
        let numerators = percents
            .iter()
            .map(|p| {
                let m = u128::try_from(p.mantissa()).ok()?;
                m.checked_mul(pow10(scale.checked_sub(p.scale())?)?)
            })
            .collect::<Option<Vec<u128>>>()?;
        Some(FenSplit {
            numerators,
            denominator: pow10(scale)?.checked_mul(100)?,
        })
    }

    /// Number of parts.
    pub fn len(&self) -> usize {
        self.numerators.len()
    }

    /// Whether the split has no parts.
    pub fn is_empty(&self) -> bool {
        self.numerators.is_empty()
    }

    /// Cut `fen` into `parts` (as many as the split has): each part cut
    /// down to the fen, the fen left over to the largest remainders,
    /// earlier payers first on ties.
    pub fn split(&self, fen: i64, parts: &mut [i64]) {
        let magnitude = u128::from(fen.unsigned_abs());
        let count = self.numerators.len().min(parts.len());
        if let [only] = &self.numerators[..count] {
            if *only == self.denominator {
                parts[0] = fen;
                return;
            }
        }
        let mut remainders = [0u128; INLINE_PAYERS];
        let mut many = Vec::new();
        let remainders: &mut [u128] = match remainders.get_mut(..count) {
            Some(r) => r,
            None => {
                many.resize(count, 0);
                &mut many
            }
        };
        let mut allocated = 0u128;
        let mut cuts = [0u128; INLINE_PAYERS];
        let mut many_cuts = Vec::new();
        let cuts: &mut [u128] = match cuts.get_mut(..count) {
            Some(c) => c,
            None => {
                many_cuts.resize(count, 0);
                &mut many_cuts
            }
        };
        // In 64 bits where the products fit (every real amount): a 128-bit
        // division costs many times a 64-bit one.
        let small = u64::try_from(self.denominator).ok().filter(|_| {
            self.numerators.iter().all(|n| {
                u64::try_from(*n)
                    .ok()
                    .and_then(|n| u64::try_from(magnitude).ok()?.checked_mul(n))
                    .is_some()
            })
        });
        // The denominator is 100 × 10^scale, never zero; a magnitude below
        // 2^63 times a numerator below 10^14 fits 128 bits: the checks on
        // the 128-bit path never fail, and `saturating_*` never saturates.
        let denominator = self.denominator;
        for (i, n) in self.numerators.iter().take(count).enumerate() {
            let (cut, rem) = match small {
                Some(d) => {
                    // Checked just above: both fit.
                    let product = u64::try_from(magnitude.saturating_mul(*n)).unwrap_or(u64::MAX);
                    (
                        u128::from(product.checked_div(d).unwrap_or(0)),
                        u128::from(product.checked_rem(d).unwrap_or(0)),
                    )
                }
                None => {
                    let product = magnitude.saturating_mul(*n);
                    (
                        product.checked_div(denominator).unwrap_or(0),
                        product.checked_rem(denominator).unwrap_or(0),
                    )
                }
            };
            cuts[i] = cut;
            remainders[i] = rem;
            allocated = allocated.saturating_add(cut);
        }
        let mut left = magnitude.saturating_sub(allocated);
        if left > 0 && count > 0 {
            let mut order: Vec<usize> = (0..count).collect();
            order.sort_by(|a, b| remainders[*b].cmp(&remainders[*a]));
            for &k in order.iter().cycle() {
                if left == 0 {
                    break;
                }
                cuts[k] = cuts[k].saturating_add(1);
                left = left.saturating_sub(1);
            }
        }
        for (part, cut) in parts.iter_mut().zip(cuts.iter()) {
            // A cut is at most the magnitude, which came from an i64: its
            // negation fits (the magnitude of i64::MIN is 2^63, whose cut
            // negated is i64::MIN again).
            let signed = i128::try_from(*cut).unwrap_or(i128::MAX);
            let signed = if fen < 0 {
                signed.checked_neg().unwrap_or(i128::MIN)
            } else {
                signed
            };
            *part = i64::try_from(signed).unwrap_or(if fen < 0 { i64::MIN } else { i64::MAX });
        }
    }
}

/// Format an amount as a string with exactly two decimals (`"41250.00"`).
pub fn fmt_yuan(amount: Decimal) -> String {
    let mut a = amount;
    a.rescale(2);
    a.to_string()
}

#[cfg(test)]
#[allow(clippy::arithmetic_side_effects)]
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
        fn fen_splits_cut_as_decimal_splits(
            fen in -10_000_000_000_000i64..10_000_000_000_000i64,
            cuts in proptest::collection::vec(0u32..=10_000, 1..=5),
        ) {
            let mut points = cuts;
            points.sort_unstable();
            let mut percents = Vec::new();
            let mut prev = 0;
            for p in points.iter().chain(std::iter::once(&10_000)) {
                percents.push(Decimal::new(i64::from(p - prev), 2));
                prev = *p;
            }
            let split = FenSplit::new(&percents);
            prop_assert!(split.is_some());
            let split = split.unwrap_or(FenSplit { numerators: vec![], denominator: 1 });
            let mut parts = vec![0i64; percents.len()];
            split.split(fen, &mut parts);
            let want = split_by_percent(from_fen(fen), &percents).unwrap_or_default();
            let got: Vec<Decimal> = parts.iter().map(|p| from_fen(*p)).collect();
            prop_assert_eq!(got, want);
        }

        #[test]
        fn fen_and_decimal_splits_agree(
            fen in -10_000_000_000i64..10_000_000_000i64,
            scale in 0u32..=2,
            cuts in proptest::collection::vec(0u32..=10_000, 1..=5),
        ) {
            // Percentages with two decimals adding up to 100: 10 000 hundredths
            // cut at sorted points.
            let mut points = cuts;
            points.sort_unstable();
            let mut percents = Vec::new();
            let mut prev = 0;
            for p in points.iter().chain(std::iter::once(&10_000)) {
                percents.push(Decimal::new(i64::from(p - prev), 2));
                prev = *p;
            }
            let total = Decimal::new(fen, scale);
            let total = round_fen(total);
            let mut fast = vec![Decimal::ZERO; percents.len()];
            let mut slow = vec![Decimal::ZERO; percents.len()];
            prop_assert_eq!(split_in_fen(total, &percents, &mut fast), Some(()));
            prop_assert_eq!(split_decimal(total, &percents, &mut slow), Some(()));
            prop_assert_eq!(&fast, &slow);
            for (f, s) in fast.iter().zip(&slow) {
                prop_assert_eq!(f.to_string(), s.to_string());
            }
        }

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
