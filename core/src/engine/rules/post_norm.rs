//! `post_norm`: the posts a community is entitled to — per N households,
//! per grid, or a fixed number, at least a minimum — optionally paid (for
//! the entitlement, or for the roster on the 1st of each month, with a
//! subsidy paid first by one payer), and compared with the roster in the
//! compliance report (哈办发〔2011〕14号 三(三): 按900户设1个岗位).

use super::shared::{Calc, Out};
use crate::compliance::findings::{Finding, NormRow, Severity};
use crate::engine::ctx::{month_bit, City, Ctx};
use crate::error::{Error, InputError, InputErrorCode, RecordKind, RecordRef, Result};
use crate::frame::NONE;
use crate::lang::{num, post_name, Lang};
use crate::ledger::{ItemRow, NormPart};
use crate::money::round_fen;
use crate::options::BudgetOptions;
use crate::policy::file::{CountBasis, NormActual, PayFor, PolicyFile, PostNorm, Rounding};
use crate::policy::locate::KeyPath;
use crate::policy::validity::{invalid, known, schedule, Checked, Known};
use crate::policy::values::{in_force, Source};
use crate::provenance::{ValueUse, Values};
use rust_decimal::{Decimal, RoundingStrategy};
use std::fmt::Write;

/// The number of posts `rule` entitles a community of `households` and
/// `grids` to.
///
/// ```
/// use shequ::Policy;
/// use shequ::engine::norm_count;
/// use shequ::policy::file::Rule;
/// let harbin = Policy::builtin("harbin-2011-14")?;
/// let Some(Rule::PostNorm(rule)) = harbin.rule("full_time_workers") else { unreachable!() };
/// assert_eq!(norm_count(rule, 1801, None), 3);
/// assert_eq!(norm_count(rule, 0, None), 1); // at least one
/// # Ok::<(), shequ::Error>(())
/// ```
pub fn norm_count(rule: &PostNorm, households: i64, grids: Option<u32>) -> u32 {
    let n = match &rule.count.value {
        CountBasis::PerHouseholds {
            households: per,
            rounding,
        } => {
            // As `work_funds::units`: the quotient cannot overflow.
            let exact = Decimal::from(households)
                .checked_div(Decimal::from((*per).max(1)))
                .unwrap_or_default();
            let whole = match rounding {
                Rounding::Floor => exact.floor(),
                Rounding::Ceil => exact.ceil(),
                Rounding::Round => {
                    exact.round_dp_with_strategy(0, RoundingStrategy::MidpointAwayFromZero)
                }
            };
            u32::try_from(whole).unwrap_or(u32::MAX)
        }
        CountBasis::PerGrid { per_grid } => grids.unwrap_or(0).saturating_mul(*per_grid),
        CountBasis::Fixed { count } => *count,
    };
    n.max(rule.minimum.as_ref().map_or(0, |m| m.value))
}

/// A norm count in words (`1 per 900 households, ceil`).
pub fn describe_count(c: &CountBasis) -> String {
    match c {
        CountBasis::PerHouseholds {
            households,
            rounding,
        } => {
            let r = match rounding {
                Rounding::Floor => "floor",
                Rounding::Ceil => "ceil",
                Rounding::Round => "round",
            };
            format!("1 per {households} households, {r}")
        }
        CountBasis::PerGrid { per_grid } => format!("{per_grid} per grid"),
        CountBasis::Fixed { count } => format!("{count} per community"),
    }
}

/// A norm count in Chinese words (`每900户1名,不足900户的按1名计`).
///
/// ```
/// use shequ::policy::file::{CountBasis, Rounding};
/// use shequ::engine::describe_count_zh;
/// let c = CountBasis::PerHouseholds { households: 900, rounding: Rounding::Ceil };
/// assert_eq!(describe_count_zh(&c), "每900户1名,余数进位");
/// ```
pub fn describe_count_zh(c: &CountBasis) -> String {
    match c {
        CountBasis::PerHouseholds {
            households,
            rounding,
        } => {
            let r = match rounding {
                Rounding::Floor => "余数舍去",
                Rounding::Ceil => "余数进位",
                Rounding::Round => "四舍五入",
            };
            format!("每{households}户1名,{r}")
        }
        CountBasis::PerGrid { per_grid } => format!("每个网格{per_grid}名"),
        CountBasis::Fixed { count } => format!("每个社区{count}名"),
    }
}

/// A parameter the caller must supply for `rule`.
///
/// # Errors
/// `missing_parameter`, naming it, the rule and the clause.
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
fn monthly_pay(
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

/// The rule made ready for one budget.
pub(crate) struct Ready<'p> {
    rule: &'p PostNorm,
    position: u16,
    split: Option<u16>,
    /// The split of a subsidy: its payer alone.
    subsidy_split: Option<u16>,
    post: u16,
    /// The posts of the roster, by policy position, when the norm names
    /// them.
    roster: Option<Vec<u16>>,
    /// Whether the roster is paid (rather than the entitlement).
    pays_roster: bool,
}

/// What a paid norm comes to for one community, month by month.
struct Tally {
    full: Decimal,
    sub: Decimal,
    months: u32,
    post_months: u32,
    posts: u32,
    monthly_rest: Decimal,
    monthly_sub: Decimal,
    mask: u16,
}

impl<'p> Ready<'p> {
    pub(crate) fn new(
        ctx: &mut Ctx<'p>,
        rule: &'p PostNorm,
        position: u16,
        split: Option<u16>,
    ) -> Self {
        let subsidy_split = rule
            .pay
            .as_ref()
            .and_then(|p| p.subsidy_payer.as_deref())
            .map(|payer| ctx.split_of(&[(payer, Decimal::ONE_HUNDRED)]));
        let roster = match &rule.actual {
            Some(NormActual::Roster { posts }) => {
                Some(posts.iter().filter_map(|p| ctx.post_position(p)).collect())
            }
            _ => None,
        };
        let pays_roster = rule
            .pay_for
            .as_ref()
            .is_some_and(|p| p.value == PayFor::Roster)
            && roster.is_some();
        Ready {
            rule,
            position,
            split,
            subsidy_split,
            post: ctx.post_position(&rule.post).unwrap_or(u16::MAX),
            roster,
            pays_roster,
        }
    }

    /// People of community `c` holding a roster post on `day`.
    fn roster_count(&self, city: &City, c: usize, on: chrono::NaiveDate) -> u32 {
        roster_count(city, c, self.roster.as_deref().unwrap_or(&[]), on)
    }

    /// The month-by-month tally of community `c`, `None` when nothing is
    /// owed.
    fn tally(&self, ctx: &Ctx, city: &City, c: usize) -> Result<Option<Tally>> {
        if self.rule.pay.is_none() {
            return Ok(None);
        }
        if self.pays_roster {
            // Nobody on the roster in any month: nothing to pay, no parameter needed.
            let roster = self.roster.as_deref().unwrap_or(&[]);
            let holds = city.frame.communities.people_of(c).any(|p| {
                city.frame
                    .people
                    .holdings_of(p)
                    .any(|h| roster.contains(&city.post_of(h)))
            });
            if !holds {
                return Ok(None);
            }
        }
        let communities = &city.frame.communities;
        let entitled = norm_count(
            self.rule,
            communities.households[c],
            communities.grid_count(c),
        );
        let mut t = Tally {
            full: Decimal::ZERO,
            sub: Decimal::ZERO,
            months: 0,
            post_months: 0,
            posts: 0,
            monthly_rest: Decimal::ZERO,
            monthly_sub: Decimal::ZERO,
            mask: 0,
        };
        for &first in &ctx.months {
            let n = if self.pays_roster {
                self.roster_count(city, c, first)
            } else {
                entitled
            };
            if n == 0 {
                continue;
            }
            let Some((monthly, subsidy)) = monthly_pay(ctx, self.rule, first)? else {
                continue;
            };
            let overflow = || Error::Overflow {
                context: format!("rule `{}`", self.rule.id),
            };
            // At most 12 months, each of at most u32::MAX posts.
            t.months = t.months.saturating_add(1);
            t.mask |= month_bit(first);
            t.post_months = t.post_months.checked_add(n).ok_or_else(overflow)?;
            t.posts = t.posts.max(n);
            let monthly_rest = monthly.checked_sub(subsidy).ok_or_else(overflow)?;
            let rest = monthly_rest
                .checked_mul(Decimal::from(n))
                .ok_or_else(overflow)?;
            t.full = t.full.checked_add(rest).ok_or_else(overflow)?;
            let sub = subsidy.checked_mul(Decimal::from(n)).ok_or_else(overflow)?;
            t.sub = t.sub.checked_add(sub).ok_or_else(overflow)?;
            t.monthly_rest = monthly_rest;
            t.monthly_sub = subsidy;
        }
        Ok((t.post_months > 0).then_some(t))
    }

    /// The items of community `c`: the subsidy part (if any) paid by its
    /// payer alone, the rest by the rule's split.
    pub(crate) fn community(&self, ctx: &Ctx, city: &City, c: usize, out: &mut Out) -> Result<()> {
        let Some(split) = self.split else {
            return Ok(());
        };
        let Some(t) = self.tally(ctx, city, c)? else {
            return Ok(());
        };
        let overflow = || Error::Overflow {
            context: format!("rule `{}`", self.rule.id),
        };
        let row = |aux: NormPart, amount: i64| ItemRow {
            community: u32::try_from(c).unwrap_or(NONE),
            person: NONE,
            rule: self.position,
            post: self.post,
            months: t.mask,
            aux: aux as u32,
            amount,
        };
        if let (Some(sub_split), false) = (self.subsidy_split, t.sub.is_zero()) {
            let amount = crate::money::to_fen(t.sub).ok_or_else(overflow)?;
            out.push(row(NormPart::Subsidy, amount), sub_split)?;
        }
        let part = if t.sub.is_zero() {
            NormPart::Full
        } else {
            NormPart::Remainder
        };
        let amount = crate::money::to_fen(t.full).ok_or_else(overflow)?;
        out.push(row(part, amount), split)
    }

    /// How community `c`'s item of `part` was computed.
    pub(crate) fn calc(&self, ctx: &Ctx, city: &City, c: usize, part: NormPart) -> Result<Calc> {
        let t = self.tally(ctx, city, c)?;
        let Some(t) = t else {
            return Ok(Calc::Fixed);
        };
        let counted = describe_count(&self.rule.count.value);
        let (counted, monthly) = match part {
            NormPart::Subsidy => (counted, t.monthly_sub),
            _ if self.pays_roster => (format!("{counted}; paid for the roster"), t.monthly_rest),
            _ => (counted, t.monthly_rest),
        };
        Ok(Calc::Norm {
            posts: t.posts,
            post_months: t.post_months,
            counted,
            monthly,
            months: t.months,
            part: part.as_str().into(),
        })
    }

    /// The norm row of community `c` for the compliance report, and a
    /// finding when the roster is short of the entitlement.
    pub(crate) fn norm_row(
        &self,
        ctx: &Ctx,
        city: &City,
        c: usize,
        reference: chrono::NaiveDate,
    ) -> Result<(NormRow, Option<Finding>)> {
        let communities = &city.frame.communities;
        let households = communities.households[c];
        let required = norm_count(self.rule, households, communities.grid_count(c));
        let actual = match &self.rule.actual {
            None => None,
            Some(NormActual::Measure { measure }) => match measure.as_str() {
                "grids" => communities.grid_count(c),
                m => communities
                    .measure(c, m)
                    .and_then(|v| u32::try_from(v).ok()),
            },
            Some(NormActual::Roster { .. }) => Some(self.roster_count(city, c, reference)),
        };
        let mut annual_cost = None;
        if required > 0 && self.rule.pay.is_some() {
            let mut cost = Decimal::ZERO;
            for &first in &ctx.months {
                if let Some(monthly) = monthly_gross(ctx, self.rule, first)? {
                    cost = monthly
                        .checked_mul(Decimal::from(required))
                        .and_then(|m| m.checked_add(cost))
                        .ok_or_else(|| Error::Overflow {
                            context: format!("the annual cost of rule `{}`", self.rule.id),
                        })?;
                }
            }
            annual_cost = Some(round_fen(cost));
        }
        let finding = actual
            .filter(|a| *a < required)
            .map(|actual| self.finding(ctx.file, city, c, required, actual));
        Ok((
            NormRow {
                community: communities.id.get(c),
                rule: self.rule.id.clone(),
                post: self.rule.post.clone(),
                required,
                actual,
                annual_cost,
            },
            finding,
        ))
    }

    fn finding(
        &self,
        file: &PolicyFile,
        city: &City,
        c: usize,
        required: u32,
        actual: u32,
    ) -> Finding {
        let r = self.rule;
        let post = file.posts.iter().find(|p| p.id == r.post);
        let (pz, pe) = post
            .map(|p| (p.zh.as_str(), p.en.as_str()))
            .unwrap_or((&r.post, &r.post));
        let counted = describe_count(&r.count.value);
        let name = city.frame.communities.display(c);
        let h = city.frame.communities.households[c];
        // A finding is made only for `actual < required`.
        let short = required.saturating_sub(actual);
        Finding {
            community: Some(city.frame.communities.id.get(c)),
            check: r.id.clone(),
            severity: Severity::Shortfall,
            required: required.to_string(),
            actual: actual.to_string(),
            shortfall: Some(Decimal::from(short)),
            clause: r.clause.clone(),
            source: r.count.source,
            zh: format!("{name} {h}户,应配{pz}{required}名,现有{actual}名,缺{short}名"),
            en: format!("{name}: {h} households entitle it to {required} {pe} ({counted}); it has {actual}, {short} short"),
        }
    }
}

/// People of community `c` holding any of `posts` on `on`.
pub(crate) fn roster_count(city: &City, c: usize, posts: &[u16], on: chrono::NaiveDate) -> u32 {
    let frame = city.frame;
    let n = frame
        .communities
        .people_of(c)
        .filter(|&p| {
            frame
                .people
                .holdings_of(p)
                .any(|h| posts.contains(&city.post_of(h)) && frame.holdings.held_on(h, on))
        })
        .count();
    u32::try_from(n).unwrap_or(u32::MAX)
}

/// The computation in words (`专职社区工作者3名(…) × 2600元/月 × 12个月`).
#[allow(clippy::too_many_arguments)]
pub(crate) fn describe(
    s: &mut String,
    file: &PolicyFile,
    count: Option<&CountBasis>,
    who: &str,
    rule: &str,
    post: Option<&str>,
    lang: Lang,
    posts: u32,
    post_months: u32,
    counted: &str,
    monthly: Decimal,
    months: u32,
    part: &str,
) {
    let zh = lang == Lang::Zh;
    let post = post.map(|p| post_name(file, p, lang)).unwrap_or("");
    // The count in Chinese words (the item's `counted` is in English).
    let counted_zh;
    let counted = match (zh, count) {
        (true, Some(c)) => {
            counted_zh = if counted.ends_with("paid for the roster") {
                format!("{};按在岗人员计发", describe_count_zh(c))
            } else {
                describe_count_zh(c)
            };
            counted_zh.as_str()
        }
        _ => counted,
    };
    let part_word = match (part, zh) {
        ("subsidy", true) => "(补助部分)",
        ("remainder", true) => "(扣除补助后)",
        ("subsidy", false) => " (the subsidised part)",
        ("remainder", false) => " (after the subsidy)",
        _ => "",
    };
    let _ = match (zh, posts.checked_mul(months) == Some(post_months)) {
        (true, true) => write!(s, "{who} {rule}:{post}{posts}名({counted}) × {}元/月{part_word} × {months}个月", num(monthly)),
        (true, false) => write!(s, "{who} {rule}:{post}共{post_months}人月({counted}) × {}元/月{part_word}", num(monthly)),
        (false, true) => write!(
            s,
            "{who} {rule}: {posts} {post} post{} ({counted}) × {} yuan a month{part_word} × {months} months",
            if posts == 1 { "" } else { "s" },
            num(monthly)
        ),
        (false, false) => write!(s, "{who} {rule}: {post_months} {post} post-months ({counted}) × {} yuan a month{part_word}", num(monthly)),
    };
}

/// The rule's values, for provenance.
pub(crate) fn values(v: &mut Values, r: &PostNorm) {
    v.cited("count", &r.count, describe_count);
    if let Some(m) = &r.minimum {
        v.cited("minimum", m, |n| n.to_string());
    }
    if let Some(pay) = &r.pay {
        let clause = pay.clause.clone().unwrap_or_else(|| v.clause.to_string());
        if let Some(m) = &pay.monthly {
            v.schedule("pay.monthly", m);
        }
        for (name, p) in [
            ("pay.monthly_parameter", &pay.monthly_parameter),
            ("pay.subsidy_parameter", &pay.subsidy_parameter),
        ] {
            if let Some(p) = p {
                v.list.push(ValueUse {
                    name: name.into(),
                    value: p.clone(),
                    source: Source::Input,
                    clause: clause.clone(),
                    note: pay.note.clone(),
                });
            }
        }
    }
}

/// The rule's own checks.
pub(crate) fn validate(r: &PostNorm, known_ids: &Known, path: &KeyPath) -> Checked {
    known(&known_ids.posts, &r.post, "post", &path.key("post"))?;
    if let CountBasis::PerHouseholds { households: 0, .. } | CountBasis::PerGrid { per_grid: 0 } =
        &r.count.value
    {
        invalid(path.key("count"), "a norm per 0 households or grids")?;
    }
    if let Some(pay) = &r.pay {
        let p = path.key("pay");
        match (&pay.monthly, &pay.monthly_parameter) {
            (Some(m), None) => schedule(m, &p.key("monthly"))?,
            (None, Some(name)) => known(
                &known_ids.params,
                name,
                "parameter",
                &p.key("monthly_parameter"),
            )?,
            _ => invalid(
                p.clone(),
                "give exactly one of `monthly` and `monthly_parameter`",
            )?,
        }
        match (&pay.subsidy_parameter, &pay.subsidy_payer) {
            (None, None) => {}
            (Some(name), Some(payer)) => {
                known(
                    &known_ids.params,
                    name,
                    "parameter",
                    &p.key("subsidy_parameter"),
                )?;
                known(&known_ids.payers, payer, "payer", &p.key("subsidy_payer"))?;
            }
            _ => invalid(
                p.clone(),
                "`subsidy_parameter` and `subsidy_payer` go together",
            )?,
        }
        let roster = matches!(r.actual, Some(NormActual::Roster { .. }));
        if r.pay_for
            .as_ref()
            .is_some_and(|p| p.value == PayFor::Roster)
            && !roster
        {
            invalid(
                path.key("pay_for"),
                "paying the roster needs `actual` to name the roster posts",
            )?;
        }
        if r.split.is_none() {
            invalid(path.key("split"), "a paid norm needs a `split`")?;
        }
    }
    if let Some(NormActual::Roster { posts: roster }) = &r.actual {
        for post in roster {
            known(
                &known_ids.posts,
                post,
                "post",
                &path.key("actual").key("roster").key("posts"),
            )?;
        }
    }
    Ok(())
}
