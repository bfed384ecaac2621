//! Rules owed to a community as a whole: work funds per households, the
//! rating bonus, and the caller's adjustment lines.

use super::{provenance, Ctx, RuleCtx};
use crate::budget::{Calc, Id, Item, Note};
use crate::error::{Error, Result};
use crate::input::{Adjustment, Community};
use crate::policy::file::{Rule, UnitBasis, WorkFunds};
use crate::policy::values::in_force;
use rust_decimal::Decimal;
use std::collections::BTreeSet;
use std::sync::Arc;

/// Rules whose amount had no row in force on 1 January of the budget year.
#[derive(Default)]
pub struct NotInForce(BTreeSet<String>);

impl NotInForce {
    /// The rules of both.
    pub fn merge(&mut self, other: NotInForce) {
        self.0.extend(other.0);
    }

    /// One warning per rule.
    pub fn into_notes(self, ctx: &Ctx) -> Vec<Note> {
        self.0
            .into_iter()
            .map(|rule| {
                let clause = ctx.policy.rule(&rule).map(|r| r.head().clause.to_string());
                Note {
                    code: "not_in_force",
                    community: None,
                    person: None,
                    zh: format!("规则 {rule} 在 {} 没有生效的金额,未计入", ctx.year_start),
                    en: format!(
                        "rule {rule} has no amount in force on {}; nothing is owed under it",
                        ctx.year_start
                    ),
                    rule: Some(Id::from(rule)),
                    clause: clause.map(Id::from),
                }
            })
            .collect()
    }
}

/// The community-level items of one rule for one community.
pub fn community_items(
    ctx: &Ctx,
    rc: &RuleCtx,
    c: &Community,
    cid: &Id,
    rating: Option<&str>,
    items: &mut Vec<Item>,
    nif: &mut NotInForce,
) -> Result<()> {
    match rc.rule {
        Rule::WorkFunds(r) => {
            if let Some(item) = work_funds(ctx, rc, r, c, cid, nif)? {
                items.push(item);
            }
        }
        Rule::RatingBonus(r) => {
            let Some(rating) = rating else { return Ok(()) };
            let Some(rows) = r.amounts.get(rating) else {
                return Ok(());
            };
            let Some(row) = in_force(rows, ctx.year_start) else {
                nif.0.insert(r.id.clone());
                return Ok(());
            };
            items.push(rc.item(
                cid,
                None,
                None,
                None,
                row.value.0,
                Calc::Rating {
                    rating: rating.to_string(),
                },
            )?);
        }
        Rule::StarGrant(r) => {
            let Some(stars) = c.stars else { return Ok(()) };
            let Some(rows) = r.amounts.get(&stars.to_string()) else {
                return Ok(());
            };
            let Some(row) = in_force(rows, ctx.year_start) else {
                nif.0.insert(r.id.clone());
                return Ok(());
            };
            items.push(rc.item(cid, None, None, None, row.value.0, Calc::Stars { stars })?);
        }
        Rule::CommunityGrant(r) => {
            let Some(row) = in_force(&r.amount, ctx.year_start) else {
                nif.0.insert(r.id.clone());
                return Ok(());
            };
            items.push(rc.item(cid, None, None, None, row.value.0, Calc::Fixed)?);
        }
        Rule::MonthlyAllowance(_) | Rule::IncomeFloor(_) | Rule::PostNorm(_) => {}
    }
    Ok(())
}

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
    let exact = Decimal::from(households) / Decimal::from(per_unit.max(1));
    match basis {
        UnitBasis::Proportional => exact,
        UnitBasis::PerFullUnit => exact.floor(),
        UnitBasis::PerStartedUnit => exact.ceil(),
    }
}

fn work_funds(
    ctx: &Ctx,
    rc: &RuleCtx,
    r: &WorkFunds,
    c: &Community,
    cid: &Id,
    nif: &mut NotInForce,
) -> Result<Option<Item>> {
    let Some(rate) = in_force(&r.rate, ctx.year_start) else {
        nif.0.insert(r.id.clone());
        return Ok(None);
    };
    let per_unit = r.households_per_unit.value;
    let basis = r.basis.value;
    let n = units(c.households, per_unit, basis);
    let product = n.checked_mul(rate.value.0).ok_or_else(|| Error::Overflow {
        context: format!("work funds of community `{}`", c.id),
    })?;
    let minimum = r
        .minimum
        .as_ref()
        .and_then(|m| in_force(m, ctx.year_start))
        .map(|row| row.value.0);
    let minimum_applied = minimum.is_some_and(|m| product < m);
    let raw = if minimum_applied {
        minimum.unwrap_or(product)
    } else {
        product
    };
    let calc = Calc::Households {
        households: c.households,
        per_unit,
        units: n,
        basis,
        rate: rate.value.0,
        minimum,
        minimum_applied,
    };
    rc.item(cid, None, None, None, raw, calc).map(Some)
}

/// An adjustment line, paid under the split of the rule it names (the first
/// work-funds rule by default).
pub fn adjustment(ctx: &Ctx, a: &Adjustment, cid: &Id) -> Result<Item> {
    let rc = ctx
        .rules
        .iter()
        .find(|rc| match &a.rule {
            Some(id) => rc.rule.id() == id,
            None => rc.rule.kind() == "work_funds",
        })
        .ok_or_else(|| Error::BadRequest {
            message: format!(
                "adjustment for `{}` names no rule of this policy",
                a.community
            ),
        })?;
    let mut item = rc.item(
        cid,
        None,
        None,
        None,
        a.amount,
        Calc::Adjustment {
            reason: a.reason.clone(),
        },
    )?;
    item.rule = "adjustment".into();
    item.provenance = Arc::new(provenance::of_adjustment(ctx.policy, rc.rule, &a.reason));
    Ok(item)
}
