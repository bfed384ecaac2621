//! Norm rules: posts a community is entitled to (paid or only counted), star
//! grants, fixed grants per community, and workers' income floors.

use super::{Ctx, RuleCtx};
use crate::budget::{Calc, Id, Item, Share};
use crate::error::{Error, InputError, InputErrorCode, RecordKind, RecordRef, Result};
use crate::input::{Community, Person};
use crate::money::round_fen;
use crate::policy::describe_count;
use crate::policy::file::{CountBasis, IncomeFloor, NormActual, PayFor, PostNorm, Rounding};
use crate::policy::values::in_force;
use crate::BudgetOptions;
use rust_decimal::{Decimal, RoundingStrategy};
use std::sync::Arc;

/// The number of posts `rule` entitles `community` to.
///
/// ```
/// use shequ::{Community, Policy};
/// use shequ::engine::norms::norm_count;
/// use shequ::policy::file::Rule;
/// let harbin = Policy::builtin("harbin-2011-14")?;
/// let Some(Rule::PostNorm(rule)) = harbin.rule("full_time_workers") else { unreachable!() };
/// assert_eq!(norm_count(rule, &Community::new("C1", "", 1801)), 3);
/// assert_eq!(norm_count(rule, &Community::new("C1", "", 0)), 1); // at least one
/// # Ok::<(), shequ::Error>(())
/// ```
pub fn norm_count(rule: &PostNorm, community: &Community) -> u32 {
    let n = match &rule.count.value {
        CountBasis::PerHouseholds {
            households,
            rounding,
        } => {
            let exact = Decimal::from(community.households) / Decimal::from((*households).max(1));
            let whole = match rounding {
                Rounding::Floor => exact.floor(),
                Rounding::Ceil => exact.ceil(),
                Rounding::Round => {
                    exact.round_dp_with_strategy(0, RoundingStrategy::MidpointAwayFromZero)
                }
            };
            u32::try_from(whole).unwrap_or(u32::MAX)
        }
        CountBasis::PerGrid { per_grid } => community.grids.unwrap_or(0).saturating_mul(*per_grid),
        CountBasis::Fixed { count } => *count,
    };
    n.max(rule.minimum.as_ref().map_or(0, |m| m.value))
}

/// A parameter the caller must supply for `rule`.
pub fn parameter(opts: &BudgetOptions, name: &str, rule: &str, clause: &str) -> Result<Decimal> {
    opts.parameters
        .get(name)
        .copied()
        .ok_or_else(|| Error::MissingParameter {
            name: name.to_string(),
            rule: rule.to_string(),
            clause: clause.to_string(),
        })
}

/// Monthly pay of one norm post on the first day of a month, before any
/// subsidy.
pub(crate) fn monthly_gross(
    ctx: &Ctx,
    rule: &PostNorm,
    first: chrono::NaiveDate,
) -> Result<Option<Decimal>> {
    let Some(pay) = &rule.pay else {
        return Ok(None);
    };
    let clause = pay.clause.as_deref().unwrap_or(&rule.clause);
    Ok(match (&pay.monthly, &pay.monthly_parameter) {
        (Some(rows), _) => in_force(rows, first).map(|row| row.value.0),
        (None, Some(name)) => Some(parameter(ctx.opts, name, &rule.id, clause)?),
        (None, None) => None,
    })
}

/// Monthly pay of one norm post on the first day of a month, and the part
/// of it a subsidy covers.
pub(crate) fn monthly_pay(
    ctx: &Ctx,
    rule: &PostNorm,
    first: chrono::NaiveDate,
) -> Result<Option<(Decimal, Decimal)>> {
    let Some(pay) = &rule.pay else {
        return Ok(None);
    };
    let clause = pay.clause.as_deref().unwrap_or(&rule.clause);
    let Some(monthly) = monthly_gross(ctx, rule, first)? else {
        return Ok(None);
    };
    let subsidy = match &pay.subsidy_parameter {
        Some(name) => parameter(ctx.opts, name, &rule.id, clause)?,
        None => Decimal::ZERO,
    };
    if subsidy.is_sign_negative() || subsidy > monthly || monthly.is_sign_negative() {
        let name = pay
            .subsidy_parameter
            .clone()
            .or(pay.monthly_parameter.clone())
            .unwrap_or_default();
        return Err(Error::Input(InputError::new(
            InputErrorCode::OutOfRange,
            RecordRef {
                kind: RecordKind::Parameter,
                index: None,
                id: Some(name.clone()),
            },
            &name,
            format!("the subsidy {subsidy} must be between 0 and the monthly pay {monthly}"),
        )));
    }
    Ok(Some((monthly, subsidy)))
}

/// The people of one community, to count who holds which post when.
pub(crate) struct Roster<'a> {
    /// All people of the input.
    pub people: &'a [Person],
    /// Positions of this community's people.
    pub members: &'a [usize],
    /// Canonical post ids of each person's holdings.
    pub canonical: &'a super::check::CanonicalPosts<'a>,
}

impl Roster<'_> {
    /// People holding any of `posts` on `day`.
    pub fn count(&self, posts: &[String], day: chrono::NaiveDate) -> u32 {
        let n = self
            .members
            .iter()
            .filter(|&&pi| {
                self.canonical
                    .of(pi)
                    .iter()
                    .zip(&self.people[pi].posts)
                    .any(|(post, h)| posts.iter().any(|x| x == post) && h.held_on(day))
            })
            .count();
        u32::try_from(n).unwrap_or(u32::MAX)
    }
}

/// The budget items of a paid norm for one community: the subsidy part (if
/// any) paid by its payer alone, the rest by the rule's split. The posts
/// paid are the entitlement, or the roster on the first day of each month.
pub(crate) fn post_norm_items(
    ctx: &Ctx,
    rc: &RuleCtx,
    rule: &PostNorm,
    c: &Community,
    cid: &Id,
    roster: &Roster,
    items: &mut Vec<Item>,
) -> Result<()> {
    if rule.pay.is_none() {
        return Ok(());
    }
    let roster_posts = match (&rule.pay_for, &rule.actual) {
        (Some(p), Some(NormActual::Roster { posts })) if p.value == PayFor::Roster => Some(posts),
        _ => None,
    };
    if let Some(posts) = roster_posts {
        // Nobody on the roster in any month: nothing to pay, no parameter needed.
        let holds = |pi: &usize| {
            roster
                .canonical
                .of(*pi)
                .iter()
                .any(|post| posts.iter().any(|x| x == post))
        };
        if !roster.members.iter().any(holds) {
            return Ok(());
        }
    }
    let entitled = norm_count(rule, c);
    let mut full = Decimal::ZERO;
    let mut sub = Decimal::ZERO;
    let (mut months, mut post_months, mut posts) = (0u32, 0u32, 0u32);
    let (mut monthly_rest, mut monthly_sub) = (Decimal::ZERO, Decimal::ZERO);
    for &first in &ctx.months {
        let n = roster_posts.map_or(entitled, |p| roster.count(p, first));
        if n == 0 {
            continue;
        }
        let Some((monthly, subsidy)) = monthly_pay(ctx, rule, first)? else {
            continue;
        };
        months += 1;
        post_months += n;
        posts = posts.max(n);
        full += (monthly - subsidy) * Decimal::from(n);
        sub += subsidy * Decimal::from(n);
        monthly_rest = monthly - subsidy;
        monthly_sub = subsidy;
    }
    if post_months == 0 {
        return Ok(());
    }
    let counted = describe_count(&rule.count.value);
    let subsidy_payer = rule.pay.as_ref().and_then(|p| p.subsidy_payer.clone());
    if let (Some(payer), false) = (subsidy_payer, sub.is_zero()) {
        let amount = round_fen(sub);
        items.push(Item {
            community: Arc::clone(cid),
            person: None,
            rule: Arc::clone(&rc.id),
            post: Some(ctx.post_id(&rule.post)),
            months: Some(months),
            amount,
            shares: vec![Share {
                payer: Id::from(payer.as_str()),
                percent: Decimal::ONE_HUNDRED,
                amount,
            }],
            calc: Calc::Norm {
                posts,
                post_months,
                counted: counted.clone(),
                monthly: monthly_sub,
                months,
                part: "subsidy".into(),
            },
            provenance: Arc::clone(&rc.provenance),
        });
    }
    let part = if sub.is_zero() { "full" } else { "remainder" };
    let counted = if roster_posts.is_some() {
        format!("{counted}; paid for the roster")
    } else {
        counted
    };
    let calc = Calc::Norm {
        posts,
        post_months,
        counted,
        monthly: monthly_rest,
        months,
        part: part.into(),
    };
    items.push(rc.item(
        cid,
        None,
        Some(ctx.post_id(&rule.post)),
        Some(months),
        full,
        calc,
    )?);
    Ok(())
}

/// The income top-up of one worker, if they are a worker under the rule and
/// earn less than the floor.
pub(crate) fn income_floor_item(
    ctx: &Ctx,
    rc: &RuleCtx,
    rule: &IncomeFloor,
    who: &super::allowance::Who,
    index: usize,
) -> Result<Option<Item>> {
    let (person, posts) = (who.person, who.posts);
    let is_worker = posts.iter().zip(&person.posts).any(|(post, h)| {
        rule.posts.iter().any(|p| p == post) && ctx.months.iter().any(|first| h.held_on(*first))
    });
    if !is_worker {
        return Ok(None);
    }
    let Some(share) = in_force(&rule.share, ctx.year_start) else {
        return Ok(None);
    };
    let reference = parameter(ctx.opts, &rule.reference_parameter, &rule.id, &rule.clause)?;
    let Some(income) = person.income else {
        return Err(Error::Input(InputError::new(
            InputErrorCode::MissingField,
            RecordRef::new(RecordKind::Person, index, person.id.clone()),
            "income",
            format!("rule `{}` (clause {}) compares each worker's annual income with a floor; give `income`", rule.id, rule.clause),
        )));
    };
    let floor = round_fen(reference * share.value.0 / Decimal::ONE_HUNDRED);
    if income >= floor {
        return Ok(None);
    }
    let calc = Calc::IncomeTopUp {
        income,
        reference,
        percent: share.value.0,
        floor,
    };
    rc.item(who.cid, Some(who.pid), None, None, floor - income, calc)
        .map(Some)
}
