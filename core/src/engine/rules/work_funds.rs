//! `work_funds`: a community's annual work funds, households ÷ unit × rate
//! (proportional, per full unit or per started unit), at least a minimum
//! when the policy sets one (吉市发[2011]13号 五(三): 每百户1500元).

use super::prorate;
use super::shared::{Calc, Out, ProratedPart};
use crate::engine::ctx::{City, Ctx};
use crate::error::{Error, Result};
use crate::frame::NONE;
use crate::lang::{num, Lang};
use crate::ledger::{ItemRow, NO_POST};
use crate::money::fmt_yuan;
use crate::policy::file::{UnitBasis, WorkFunds};
use crate::policy::locate::KeyPath;
use crate::policy::validity::{invalid, schedule, Checked};
use crate::policy::values::in_force;
use crate::provenance::Values;
use rust_decimal::Decimal;
use std::fmt::Write;

/// Units of households under a basis.
///
/// ```
/// use rust_decimal::Decimal;
/// use shequ::policy::file::UnitBasis;
/// use shequ::engine::units;
/// assert_eq!(units(2750, 100, UnitBasis::Proportional), Decimal::new(275, 1));
/// assert_eq!(units(2750, 100, UnitBasis::PerFullUnit), Decimal::from(27));
/// assert_eq!(units(2750, 100, UnitBasis::PerStartedUnit), Decimal::from(28));
/// assert_eq!(units(2700, 100, UnitBasis::PerStartedUnit), Decimal::from(27));
/// ```
pub fn units(households: i64, per_unit: u32, basis: UnitBasis) -> Decimal {
    // A quotient of an i64 by a whole number ≥ 1 is never larger than the
    // i64: it cannot overflow (`checked_div` only fails on overflow or a
    // zero divisor).
    let exact = Decimal::from(households)
        .checked_div(Decimal::from(per_unit.max(1)))
        .unwrap_or_default();
    match basis {
        UnitBasis::Proportional => exact,
        UnitBasis::PerFullUnit => exact.floor(),
        UnitBasis::PerStartedUnit => exact.ceil(),
    }
}

/// The rule made ready for one budget.
pub(crate) struct Ready<'p> {
    rule: &'p WorkFunds,
    position: u16,
    split: u16,
    /// The rate in force on 1 January, if any.
    rate: Option<Decimal>,
    minimum: Option<Decimal>,
    /// In a year the rate or the minimum changes, the runs of months at
    /// one rate and minimum (priced month by month: see
    /// [`prorate`]); `None` in a year priced as a whole.
    months: Option<Vec<Months>>,
}

/// A run of months at one rate and minimum.
struct Months {
    from_month: u32,
    to_month: u32,
    rate: Option<Decimal>,
    minimum: Option<Decimal>,
}

impl<'p> Ready<'p> {
    pub(crate) fn new(ctx: &Ctx<'p>, rule: &'p WorkFunds, position: u16, split: u16) -> Self {
        let minimum = rule.minimum.as_deref().unwrap_or_default();
        let months = prorate::runs([&rule.rate[..], minimum], ctx.year_start).map(|runs| {
            runs.iter()
                .map(|r| Months {
                    from_month: r.from_month,
                    to_month: r.to_month,
                    rate: r.rows[0].map(|row| row.value.0),
                    minimum: r.rows[1].map(|row| row.value.0),
                })
                .collect()
        });
        Ready {
            months,
            rule,
            position,
            split,
            rate: in_force(&rule.rate, ctx.year_start).map(|r| r.value.0),
            minimum: rule
                .minimum
                .as_ref()
                .and_then(|m| in_force(m, ctx.year_start))
                .map(|row| row.value.0),
        }
    }

    /// The item of community `c`.
    pub(crate) fn community(&self, city: &City, c: usize, out: &mut Out) -> Result<()> {
        let Some(raw) = self.raw(city, c)? else {
            out.not_in_force(self.position);
            return Ok(());
        };
        let amount = crate::money::to_fen(raw).ok_or_else(|| overflow(city, c))?;
        out.push(
            ItemRow {
                community: u32::try_from(c).unwrap_or(NONE),
                person: NONE,
                rule: self.position,
                post: NO_POST,
                months: 0,
                aux: 0,
                amount,
            },
            self.split,
        )
    }

    /// The amount owed before rounding.
    fn raw(&self, city: &City, c: usize) -> Result<Option<Decimal>> {
        let h = city.frame.communities.households[c];
        let n = units(
            h,
            self.rule.households_per_unit.value,
            self.rule.basis.value,
        );
        let annual = |rate: Decimal, minimum: Option<Decimal>| {
            let product = n.checked_mul(rate).ok_or_else(|| overflow(city, c))?;
            Ok(match minimum {
                Some(m) if product < m => m,
                _ => product,
            })
        };
        if let Some(months) = &self.months {
            let mut parts = Vec::with_capacity(months.len());
            for m in months {
                if let Some(rate) = m.rate {
                    parts.push((
                        annual(rate, m.minimum)?,
                        super::prorate::months_between(m.from_month, m.to_month),
                    ));
                }
            }
            if parts.is_empty() {
                return Ok(None);
            }
            return prorate::year_amount(parts)
                .map(Some)
                .ok_or_else(|| overflow(city, c));
        }
        let Some(rate) = self.rate else {
            return Ok(None);
        };
        annual(rate, self.minimum).map(Some)
    }

    /// How community `c`'s item was computed.
    pub(crate) fn calc(&self, city: &City, c: usize) -> Result<Option<Calc>> {
        let households = city.frame.communities.households[c];
        let per_unit = self.rule.households_per_unit.value;
        let basis = self.rule.basis.value;
        let units = units(households, per_unit, basis);
        let at = |rate: Decimal, minimum: Option<Decimal>| {
            let product = units.checked_mul(rate).ok_or_else(|| overflow(city, c))?;
            let minimum_applied = minimum.is_some_and(|m| product < m);
            let calc = Calc::Households {
                households,
                per_unit,
                units,
                basis,
                rate,
                minimum,
                minimum_applied,
            };
            let annual = match minimum {
                Some(m) if minimum_applied => m,
                _ => product,
            };
            Ok((calc, annual))
        };
        if let Some(months) = &self.months {
            let mut parts = Vec::with_capacity(months.len());
            for m in months {
                let Some(rate) = m.rate else { continue };
                let (calc, annual) = at(rate, m.minimum)?;
                parts.push(ProratedPart {
                    from_month: m.from_month,
                    to_month: m.to_month,
                    months: super::prorate::months_between(m.from_month, m.to_month),
                    annual,
                    calc,
                });
            }
            return Ok((!parts.is_empty()).then_some(Calc::Prorated { parts }));
        }
        let Some(rate) = self.rate else {
            return Ok(None);
        };
        at(rate, self.minimum).map(|(calc, _)| Some(calc))
    }
}

fn overflow(city: &City, c: usize) -> Error {
    Error::Overflow {
        context: format!(
            "work funds of community `{}`",
            city.frame.communities.id.text(c)
        ),
    }
}

/// The computation in words (`2750户 × 1500元/百户`).
#[allow(clippy::too_many_arguments)]
pub(crate) fn describe(
    s: &mut String,
    who: &str,
    rule: &str,
    lang: Lang,
    households: i64,
    per_unit: u32,
    units: Decimal,
    basis: UnitBasis,
    rate: Decimal,
    minimum: Option<Decimal>,
    minimum_applied: bool,
) {
    let zh = lang == Lang::Zh;
    // Only written when the minimum applied: then the product was computed
    // (checked) for the item and is below the minimum.
    let product = units.checked_mul(rate).unwrap_or_default();
    let _ = match (zh, basis) {
        (true, UnitBasis::Proportional) if per_unit == 100 => {
            write!(s, "{who} {rule}:{households}户 × {}元/百户", num(rate))
        }
        (true, UnitBasis::Proportional) => write!(
            s,
            "{who} {rule}:{households}户 × {}元/{per_unit}户",
            num(rate)
        ),
        (true, UnitBasis::PerFullUnit) => write!(
            s,
            "{who} {rule}:{households}户按满{per_unit}户计{}个单位 × {}元",
            num(units),
            num(rate)
        ),
        (true, UnitBasis::PerStartedUnit) => write!(
            s,
            "{who} {rule}:{households}户按每起算{per_unit}户计{}个单位 × {}元",
            num(units),
            num(rate)
        ),
        (false, UnitBasis::Proportional) => write!(
            s,
            "{who} {rule}: {households} households × {} yuan per {per_unit} households",
            num(rate)
        ),
        (false, UnitBasis::PerFullUnit) => write!(
            s,
            "{who} {rule}: {households} households make {} full units of {per_unit} × {} yuan",
            num(units),
            num(rate)
        ),
        (false, UnitBasis::PerStartedUnit) => write!(
            s,
            "{who} {rule}: {households} households make {} started units of {per_unit} × {} yuan",
            num(units),
            num(rate)
        ),
    };
    if minimum_applied {
        let m = minimum.unwrap_or_default();
        let _ = if zh {
            write!(
                s,
                " = {}元,低于最低标准,按{}元",
                fmt_yuan(product),
                fmt_yuan(m)
            )
        } else {
            write!(
                s,
                " = {} yuan, below the minimum, so {} yuan",
                fmt_yuan(product),
                fmt_yuan(m)
            )
        };
    }
}

/// The rule's values, for provenance.
pub(crate) fn values(v: &mut Values, r: &WorkFunds) {
    v.cited("basis", &r.basis, crate::provenance::snake);
    v.cited("households_per_unit", &r.households_per_unit, |n| {
        n.to_string()
    });
    v.schedule("rate", &r.rate);
    if let Some(m) = &r.minimum {
        v.schedule("minimum", m);
    }
}

/// The rule's own checks.
pub(crate) fn validate(r: &WorkFunds, path: &KeyPath) -> Checked {
    if r.households_per_unit.value == 0 {
        return invalid(
            path.key("households_per_unit"),
            "households per unit must be above zero",
        );
    }
    schedule(&r.rate, &path.key("rate"))?;
    if let Some(m) = &r.minimum {
        schedule(m, &path.key("minimum"))?;
    }
    Ok(())
}
