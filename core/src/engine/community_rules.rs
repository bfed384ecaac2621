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

/// Why an adjustment belongs to no rule (see [`adjustment_rule`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NoRule {
    /// The policy has no rule of the id named.
    Unknown,
    /// The rule named only counts posts: it has no payer split.
    PaysNothing,
    /// No rule named, and the policy has no work-funds rule to default to.
    NoWorkFunds,
}

/// The rule an adjustment is paid under: the one it names, else the first
/// work-funds rule. The input check and the budget both ask here.
pub fn adjustment_rule<'p>(
    policy: &'p crate::policy::Policy,
    named: Option<&str>,
) -> std::result::Result<&'p Rule, NoRule> {
    match named {
        Some(id) => {
            let rule = policy.rule(id).ok_or(NoRule::Unknown)?;
            // The adjustment is split between payers as its rule is; a rule
            // that only counts posts has no split, and the amount would
            // belong to no payer.
            rule.split().map(|_| rule).ok_or(NoRule::PaysNothing)
        }
        None => policy
            .rules()
            .iter()
            .find(|r| r.kind() == "work_funds")
            .ok_or(NoRule::NoWorkFunds),
    }
}

/// An adjustment line, paid under the split of its rule (see
/// [`adjustment_rule`]; the input check has refused any without one).
pub fn adjustment(ctx: &Ctx, a: &Adjustment, cid: &Id) -> Result<Item> {
    let rule = adjustment_rule(ctx.policy, a.rule.as_deref()).ok();
    let rc = ctx
        .rules
        .iter()
        .find(|rc| rule.is_some_and(|r| std::ptr::eq(rc.rule, r)))
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::policy::Policy;

    #[test]
    fn an_adjustment_belongs_to_the_rule_it_names_or_the_work_funds() -> Result<()> {
        let jilin = Policy::builtin("jilin-2011-13")?;
        let id = |r: std::result::Result<&Rule, NoRule>| r.map(|r| r.id().to_string());
        assert_eq!(
            id(adjustment_rule(&jilin, Some("stipend"))),
            Ok("stipend".into())
        );
        assert_eq!(id(adjustment_rule(&jilin, None)), Ok("work_funds".into()));
        assert_eq!(
            id(adjustment_rule(&jilin, Some("nope"))),
            Err(NoRule::Unknown)
        );
        // A norm that only counts posts has no payer split.
        assert_eq!(
            id(adjustment_rule(&jilin, Some("committee_size"))),
            Err(NoRule::PaysNothing)
        );
        // Jiayuguan has no work-funds rule to default to.
        let jiayuguan = Policy::builtin("jiayuguan-2020-97")?;
        assert_eq!(
            id(adjustment_rule(&jiayuguan, None)),
            Err(NoRule::NoWorkFunds)
        );
        assert_eq!(
            id(adjustment_rule(&jiayuguan, Some("work_allowance"))),
            Ok("work_allowance".into())
        );
        Ok(())
    }
}
