//! Monthly allowances by post: stipends, rating uplifts and seniority
//! allowances. A person is paid for each counted month in which they hold a
//! listed post on its first day; the rate for a month is the post's base plus
//! the increment for each full year of service completed by that day; with
//! `combine = highest` only the best-paid post counts.

use super::service::{anniversary, full_years};
use super::{Ctx, RuleCtx};
use crate::budget::{Calc, Id, Item, Note, Segment};
use crate::error::Result;
use crate::input::{Community, Person, PostHolding};
use crate::policy::file::{Combine, Eligibility, MonthlyAllowance, YearsFrom};
use crate::policy::values::in_force;
use chrono::{Datelike, NaiveDate};
use rust_decimal::Decimal;

/// A listed post a person holds, with the post's base schedule.
#[derive(Clone)]
struct Listed<'a> {
    post: &'a str,
    holding: &'a PostHolding,
    base: &'a [crate::policy::values::Dated],
    /// The last rate worked out for this holding, reused while the years,
    /// base and increment stay the same (most months).
    cache: std::cell::Cell<Option<Cached>>,
}

/// A rate worked out for a holding: valid for days in `from..until`.
#[derive(Clone, Copy)]
struct Cached {
    from: NaiveDate,
    until: NaiveDate,
    years: u32,
    base: Decimal,
    increment: Decimal,
    monthly: Decimal,
}

/// One post's rate on one day.
#[derive(Clone, Copy)]
struct Rate<'a> {
    post: &'a str,
    base: Decimal,
    years: u32,
    increment: Decimal,
    monthly: Decimal,
}

/// A person being paid, with their community and the shared ids.
pub struct Who<'a> {
    /// The community.
    pub community: &'a Community,
    /// Its shared id.
    pub cid: &'a Id,
    /// The person.
    pub person: &'a Person,
    /// Their shared id.
    pub pid: &'a Id,
    /// Canonical post id of each holding.
    pub posts: &'a [&'a str],
    /// The community's rating.
    pub rating: Option<&'a str>,
}

/// Items of one monthly-allowance rule for one person.
pub fn person_items(
    ctx: &Ctx,
    rc: &RuleCtx,
    rule: &MonthlyAllowance,
    who: &Who,
    items: &mut Vec<Item>,
    exclusions: &mut Vec<Note>,
) -> Result<()> {
    let Who {
        community,
        person,
        posts,
        rating,
        ..
    } = *who;
    if let Some(only) = &rule.only_ratings {
        if !rating.is_some_and(|r| only.value.iter().any(|x| x == r)) {
            return Ok(());
        }
    }
    if !posts.iter().any(|post| rule.amounts.contains_key(*post)) {
        return Ok(());
    }
    let listed: Vec<Listed> = posts
        .iter()
        .zip(&person.posts)
        .filter_map(|(post, h)| {
            rule.amounts.get(*post).map(|rows| Listed {
                post,
                holding: h,
                base: rows,
                cache: std::cell::Cell::new(None),
            })
        })
        .collect();
    let note = |code: &str, zh: String, en: String| Note {
        code: code.into(),
        community: Some(community.id.clone()),
        person: Some(person.id.clone()),
        rule: Some(rule.id.clone()),
        clause: Some(rule.clause.clone()),
        zh,
        en,
    };
    let name = || {
        if person.name.is_empty() {
            person.id.clone()
        } else {
            format!("{}({})", person.name, person.id)
        }
    };
    if rule.eligible.value == Eligibility::NonServing && person.serving {
        exclusions.push(note(
            "serving_not_eligible",
            format!("{} 为在职人员,不享受{}", name(), rule.zh),
            format!(
                "{} is in serving employment and gets no {}",
                name(),
                rule.en
            ),
        ));
        return Ok(());
    }
    let groups: Vec<Vec<Listed>> = match rule.combine.value {
        Combine::Highest => vec![listed],
        Combine::Each => listed.into_iter().map(|x| vec![x]).collect(),
    };
    for group in groups {
        let mut segments: Vec<Segment> = Vec::new();
        let mut passed_over: Vec<(&str, &str)> = Vec::new();
        let mut total = Decimal::ZERO;
        let mut held: Vec<&str> = Vec::new();
        for &first in &ctx.months {
            held.clear();
            let Some(best) = best_rate(ctx, rule, &group, first, &mut held) else {
                continue;
            };
            total += best.monthly;
            for &other in &held {
                if other != best.post
                    && !passed_over
                        .iter()
                        .any(|(o, b)| *o == other && *b == best.post)
                {
                    passed_over.push((other, best.post));
                }
            }
            push_month(ctx, &mut segments, first.month(), best);
        }
        for (lower, higher) in passed_over {
            let (lz, le) = names(ctx, lower);
            let (hz, he) = names(ctx, higher);
            exclusions.push(note(
                "lower_post_not_paid",
                format!("{} 兼任{lz}和{hz},{}高位取酬,按{hz}计发,{lz}不重复享受", name(), rule.zh),
                format!("{} holds both {le} and {he}: {} is paid for the higher-paid {he} only, not for {le} as well", name(), rule.en),
            ));
        }
        if segments.is_empty() {
            let held_in_year = group.iter().any(|l| overlaps_period(l.holding, ctx));
            if held_in_year {
                exclusions.push(note(
                    "no_month_held",
                    format!("{} 在所计月份的1日均未在岗,本期不计{}", name(), rule.zh),
                    format!(
                        "{} held no listed post on the 1st of any counted month, so no {} is owed",
                        name(),
                        rule.en
                    ),
                ));
            }
            continue;
        }
        let months = segments.iter().map(|s| s.months).sum();
        let single_post = segments
            .iter()
            .all(|s| s.post == segments[0].post)
            .then(|| segments[0].post.clone());
        items.push(rc.item(
            who.cid,
            Some(who.pid),
            single_post.as_ref(),
            Some(months),
            total,
            Calc::Months { segments },
        )?);
    }
    Ok(())
}

fn names<'a>(ctx: &'a Ctx, post: &'a str) -> (&'a str, &'a str) {
    ctx.policy
        .post(post)
        .map(|p| (p.zh.as_str(), p.en.as_str()))
        .unwrap_or((post, post))
}

fn overlaps_period(h: &PostHolding, ctx: &Ctx) -> bool {
    let (Some(first), Some(last)) = (ctx.months.first(), ctx.months.last()) else {
        return false;
    };
    let period_end = NaiveDate::from_ymd_opt(last.year(), last.month(), 1)
        .and_then(|d| d.checked_add_months(chrono::Months::new(1)))
        .and_then(|d| d.pred_opt())
        .unwrap_or(*last);
    h.start <= period_end && h.end.is_none_or(|e| e >= *first)
}

/// The best-paid post held on `first`; the listed posts held then are
/// pushed to `held` when there is more than one to choose from.
fn best_rate<'a>(
    ctx: &Ctx,
    rule: &MonthlyAllowance,
    group: &[Listed<'a>],
    first: NaiveDate,
    held: &mut Vec<&'a str>,
) -> Option<Rate<'a>> {
    let mut best: Option<Rate> = None;
    for listed in group {
        let (post, h, base) = (listed.post, listed.holding, listed.base);
        if !h.held_on(first) {
            continue;
        }
        let Some(base) = in_force(base, first) else {
            continue;
        };
        let increment = rule
            .increment_per_full_year
            .as_ref()
            .and_then(|rows| in_force(rows, first))
            .map(|r| r.value.0)
            .unwrap_or_default();
        let since = match rule.years_counted_from.as_ref().map(|y| y.value) {
            Some(YearsFrom::PolicyEffective) => ctx
                .policy
                .file()
                .policy
                .effective_from
                .map_or(h.start, |e| h.start.max(e.0)),
            _ => h.start,
        };
        let base_amount = base.value.0;
        let (years, monthly) = match listed.cache.get() {
            Some(c)
                if c.from <= first
                    && first < c.until
                    && c.base == base_amount
                    && c.increment == increment =>
            {
                (c.years, c.monthly)
            }
            _ if increment.is_zero() => (0, base_amount),
            _ => {
                let years = full_years(since, first);
                let monthly = base_amount + increment * Decimal::from(years);
                // The same years hold until the next anniversary.
                let next = since
                    .year()
                    .checked_add(i32::try_from(years).unwrap_or(i32::MAX - 1) + 1);
                let until = next
                    .map(|y| anniversary(since, y))
                    .unwrap_or(NaiveDate::MAX);
                listed.cache.set(Some(Cached {
                    from: first,
                    until,
                    years,
                    base: base_amount,
                    increment,
                    monthly,
                }));
                (years, monthly)
            }
        };
        if group.len() > 1 {
            held.push(post);
        }
        let better = match &best {
            None => true,
            Some(b) => {
                monthly > b.monthly
                    || (monthly == b.monthly
                        && ctx.policy.post_rank(post) < ctx.policy.post_rank(b.post))
            }
        };
        if better {
            best = Some(Rate {
                post,
                base: base.value.0,
                years,
                increment,
                monthly,
            });
        }
    }
    best
}

fn push_month(ctx: &Ctx, segments: &mut Vec<Segment>, month: u32, r: Rate) {
    if let Some(last) = segments.last_mut() {
        if last.to_month + 1 == month
            && *last.post == *r.post
            && last.monthly == r.monthly
            && last.years == r.years
        {
            last.to_month = month;
            last.months += 1;
            return;
        }
    }
    segments.push(Segment {
        from_month: month,
        to_month: month,
        months: 1,
        post: ctx.post_id(r.post),
        base: r.base,
        years: r.years,
        increment: r.increment,
        monthly: r.monthly,
    });
}
