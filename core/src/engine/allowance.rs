//! Monthly allowances by post: stipends, rating uplifts and seniority
//! allowances. A person is paid for each counted month in which they hold a
//! listed post on its first day; the rate for a month is the post's base plus
//! the increment for each full year of service completed by that day; with
//! `combine = highest` only the best-paid post counts.

use super::service::{anniversary, full_years};
use super::{Ctx, RuleCtx};
use crate::budget::{Calc, Id, Item, Note, Segment};
use crate::error::Result;
use crate::input::{Person, PostHolding};
use crate::policy::file::{Combine, Eligibility, MonthlyAllowance, YearsFrom};
use crate::policy::values::{in_force, Dated};
use chrono::{Datelike, NaiveDate};
use rust_decimal::Decimal;
use smallvec::SmallVec;

/// A listed post a person holds, with the post's base schedule.
#[derive(Clone)]
struct Listed<'a> {
    post: &'a str,
    holding: &'a PostHolding,
    base: &'a [Dated],
    /// The last rate worked out for this holding, reused while the years,
    /// base and increment stay the same (most months).
    cache: std::cell::Cell<Option<Cached>>,
}

/// A rate worked out for a holding: valid for days in `from..until` while
/// the same schedule rows are in force (rows compared by address: the same
/// row is the same amount).
#[derive(Clone, Copy)]
struct Cached {
    from: NaiveDate,
    until: NaiveDate,
    base_row: *const Dated,
    increment_row: *const Dated,
    years: u32,
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
    /// The schedule rows the rate comes from (see [`Cached`]).
    rows: (*const Dated, *const Dated),
}

/// A person being paid, with their community and the shared ids.
pub struct Who<'a> {
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
    let listed: SmallVec<[Listed; 4]> = posts
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
    if listed.is_empty() {
        return Ok(());
    }
    let note = |code: &'static str, zh: String, en: String| Note {
        code,
        community: Some(who.cid.clone()),
        person: Some(who.pid.clone()),
        rule: Some(rc.id.clone()),
        clause: Some(rc.clause.clone()),
        zh,
        en,
    };
    // Only a note names the person: formatted when one is written.
    let name = || {
        if person.name.is_empty() {
            person.id.clone()
        } else {
            concat(&[&person.name, "(", &person.id, ")"])
        }
    };
    if rule.eligible.value == Eligibility::NonServing && person.serving {
        let name = name();
        exclusions.push(note(
            "serving_not_eligible",
            concat(&[&name, " 为在职人员,不享受", &rule.zh]),
            concat(&[&name, " is in serving employment and gets no ", &rule.en]),
        ));
        return Ok(());
    }
    // With `highest`, all listed posts compete month by month; with `each`,
    // every post is paid on its own.
    let groups: SmallVec<[&[Listed]; 4]> = match rule.combine.value {
        Combine::Highest => smallvec::smallvec![&listed[..]],
        Combine::Each => listed.chunks(1).collect(),
    };
    for group in groups {
        // Most items have one run; a Vec would reserve four at the first push.
        let mut segments: Vec<Segment> = Vec::with_capacity(1);
        let mut passed_over: Vec<(&str, &str)> = Vec::new();
        match group {
            // One post: nothing to compare, month by month.
            [only] => one_post_months(ctx, rule, only, &mut segments),
            _ => chosen_months(ctx, rule, group, &mut segments, &mut passed_over),
        }
        for (lower, higher) in passed_over {
            let name = name();
            let (lz, le) = names(ctx, lower);
            let (hz, he) = names(ctx, higher);
            exclusions.push(note(
                "lower_post_not_paid",
                format!("{} 兼任{lz}和{hz},{}高位取酬,按{hz}计发,{lz}不重复享受", name, rule.zh),
                format!("{} holds both {le} and {he}: {} is paid for the higher-paid {he} only, not for {le} as well", name, rule.en),
            ));
        }
        if segments.is_empty() {
            let held_in_year = group.iter().any(|l| overlaps_period(l.holding, ctx));
            if held_in_year {
                let name = name();
                exclusions.push(note(
                    "no_month_held",
                    format!("{} 在所计月份的1日均未在岗,本期不计{}", name, rule.zh),
                    format!(
                        "{} held no listed post on the 1st of any counted month, so no {} is owed",
                        name, rule.en
                    ),
                ));
            }
            continue;
        }
        let months = segments.iter().map(|s| s.months).sum();
        let mut total = Decimal::ZERO;
        for s in &segments {
            total = s
                .monthly
                .checked_mul(Decimal::from(s.months))
                .and_then(|x| x.checked_add(total))
                .ok_or_else(|| crate::error::Error::Overflow {
                    context: format!("the months of rule `{}`", rule.id),
                })?;
        }
        let single_post = segments
            .iter()
            .all(|s| s.post == segments[0].post)
            .then(|| segments[0].post.clone());
        items.push(rc.item(
            who.cid,
            Some(who.pid),
            single_post,
            Some(months),
            total,
            Calc::Months { segments },
        )?);
    }
    Ok(())
}

/// The parts joined: what `format!` gives for plain `{}`s, without its
/// machinery (a city has one such note per serving person).
fn concat(parts: &[&str]) -> String {
    let mut text = String::with_capacity(parts.iter().map(|p| p.len()).sum());
    for part in parts {
        text.push_str(part);
    }
    text
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

/// The months paid when several listed posts are held: each month the
/// best-paid post held on its first day; `passed_over` gets each (lower,
/// higher) pair of posts held together.
fn chosen_months<'a>(
    ctx: &Ctx,
    rule: &MonthlyAllowance,
    group: &[Listed<'a>],
    segments: &mut Vec<Segment>,
    passed_over: &mut Vec<(&'a str, &'a str)>,
) {
    let mut held: Vec<&str> = Vec::new();
    let mut last_rows = (std::ptr::null(), std::ptr::null());
    for &first in &ctx.months {
        held.clear();
        let Some(best) = best_rate(ctx, rule, group, first, &mut held) else {
            continue;
        };
        for &other in &held {
            if other != best.post
                && !passed_over
                    .iter()
                    .any(|(o, b)| *o == other && *b == best.post)
            {
                passed_over.push((other, best.post));
            }
        }
        push_month(ctx, segments, &mut last_rows, first.month(), best);
    }
}

/// The months paid for a single listed post, in runs: what
/// [`chosen_months`] gives for one post (a property test checks), without a
/// choice to make each month. A run is found at once: from a month held,
/// the rate stays the same until the holding ends, its schedule rows change
/// or the next anniversary adds a year, so the months up to the first of
/// those are one run with no lookups of their own.
fn one_post_months(
    ctx: &Ctx,
    rule: &MonthlyAllowance,
    listed: &Listed,
    segments: &mut Vec<Segment>,
) {
    let h = listed.holding;
    let increments = rule.increment_per_full_year.as_deref().unwrap_or(&[]);
    let since = years_since(ctx, rule, h);
    let shared_id = ctx.post_ids.get(listed.post);
    let months = &ctx.months;
    let mut i = 0;
    while let Some(&first) = months.get(i) {
        i += 1;
        if !h.held_on(first) {
            continue;
        }
        let Some(base) = in_force(listed.base, first) else {
            continue;
        };
        let increment_row = in_force(increments, first);
        let increment = increment_row.map(|r| r.value.0).unwrap_or_default();
        // Years of service hold until the next anniversary (exclusive).
        let (years, next_year) = if increment.is_zero() {
            (0, NaiveDate::MAX)
        } else {
            let years = full_years(since, first);
            (years, next_anniversary(since, years))
        };
        // The last day the same rows are in force and the post is held.
        let increment_end = match increment_row {
            Some(row) => row.until.map(|u| u.0),
            // No increment now: until the first row that starts later.
            None => increments
                .iter()
                .filter_map(|row| row.from.map(|f| f.0))
                .filter(|from| *from > first)
                .min()
                .and_then(|from| from.pred_opt()),
        };
        let last_day = [h.end, base.until.map(|u| u.0), increment_end]
            .into_iter()
            .flatten()
            .min()
            .unwrap_or(NaiveDate::MAX);
        let mut last = first;
        while let Some(&next) = months.get(i) {
            if next >= next_year || next > last_day {
                break;
            }
            last = next;
            i += 1;
        }
        let (from_month, to_month) = (first.month(), last.month());
        let run = to_month - from_month + 1;
        let monthly = base.value.0 + increment * Decimal::from(years);
        if let Some(seg) = segments.last_mut() {
            if seg.to_month + 1 == from_month && seg.years == years && seg.monthly == monthly {
                seg.to_month = to_month;
                seg.months += run;
                continue;
            }
        }
        segments.push(Segment {
            from_month,
            to_month,
            months: run,
            post: shared_id.map_or_else(|| ctx.post_id(listed.post), Id::clone),
            base: base.value.0,
            years,
            increment,
            monthly,
        });
    }
}

/// The day service is counted from for a holding.
fn years_since(ctx: &Ctx, rule: &MonthlyAllowance, h: &PostHolding) -> NaiveDate {
    match rule.years_counted_from.as_ref().map(|y| y.value) {
        Some(YearsFrom::PolicyEffective) => ctx
            .policy
            .file()
            .policy
            .effective_from
            .map_or(h.start, |e| h.start.max(e.0)),
        _ => h.start,
    }
}

/// The anniversary on which `years` full years of service from `since`
/// become `years + 1`.
fn next_anniversary(since: NaiveDate, years: u32) -> NaiveDate {
    since
        .year()
        .checked_add(i32::try_from(years).unwrap_or(i32::MAX - 1) + 1)
        .map(|y| anniversary(since, y))
        .unwrap_or(NaiveDate::MAX)
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
        let increment_row = rule
            .increment_per_full_year
            .as_ref()
            .and_then(|rows| in_force(rows, first));
        let increment = increment_row.map(|r| r.value.0).unwrap_or_default();
        let since = years_since(ctx, rule, h);
        let base_amount = base.value.0;
        let increment_row = increment_row.map_or(std::ptr::null(), |r| r as *const Dated);
        let rows = (base as *const Dated, increment_row);
        let (years, monthly) = match listed.cache.get() {
            Some(c)
                if c.from <= first && first < c.until && (c.base_row, c.increment_row) == rows =>
            {
                (c.years, c.monthly)
            }
            _ if increment.is_zero() => (0, base_amount),
            _ => {
                let years = full_years(since, first);
                let monthly = base_amount + increment * Decimal::from(years);
                // The same years hold until the next anniversary.
                let until = next_anniversary(since, years);
                listed.cache.set(Some(Cached {
                    from: first,
                    until,
                    base_row: rows.0,
                    increment_row: rows.1,
                    years,
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
                rows,
            });
        }
    }
    best
}

fn push_month(
    ctx: &Ctx,
    segments: &mut Vec<Segment>,
    rows: &mut (*const Dated, *const Dated),
    month: u32,
    r: Rate,
) {
    let same_rows = std::mem::replace(rows, r.rows) == r.rows;
    if let Some(last) = segments.last_mut() {
        if last.to_month + 1 == month
            && last.years == r.years
            && *last.post == *r.post
            && (same_rows || last.monthly == r.monthly)
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::budget::BudgetOptions;
    use crate::policy::{file::Rule, Policy};
    use proptest::prelude::*;

    /// Jiayuguan's allowance with a growth schedule: the base and the
    /// increment each change on a date, so runs break on them.
    /// Jiayuguan's allowance with schedules that change in the year:
    /// `variant` 0 changes the base and the increment on a date; 1 has no
    /// increment until July 2026 and a deputy director's base that stops at
    /// the end of March 2026 and starts again in June (a gap).
    fn growing_policy(variant: usize) -> Option<Policy> {
        let (_, text) = crate::policy::BUILTIN
            .iter()
            .find(|(id, _)| *id == "jiayuguan-2020-97")?;
        let text = if variant == 0 {
            text.replace(
                r#"amounts.group_leader = [{ from = 2020-11-24, value = "300","#,
                r#"amounts.group_leader = [{ from = 2020-11-24, until = 2026-04-30, value = "300", source = "stated" }, { from = 2026-05-01, value = "300","#,
            )
            .replace(
                r#"increment_per_full_year = [{ from = 2020-11-24, value = "50","#,
                r#"increment_per_full_year = [{ from = 2020-11-24, until = 2026-08-31, value = "50", source = "stated" }, { from = 2026-09-01, value = "60","#,
            )
        } else {
            text.replace(
                r#"amounts.deputy_director = [{ from = 2020-11-24, value = "500","#,
                r#"amounts.deputy_director = [{ from = 2020-11-24, until = 2026-03-31, value = "500", source = "stated" }, { from = 2026-06-01, value = "520","#,
            )
            .replace(
                r#"increment_per_full_year = [{ from = 2020-11-24, value = "50","#,
                r#"increment_per_full_year = [{ from = 2026-07-01, value = "50","#,
            )
        };
        Policy::from_toml(&text, "growing").ok()
    }

    fn day(n: i64) -> NaiveDate {
        NaiveDate::from_ymd_opt(2016, 1, 1).unwrap_or_default() + chrono::Duration::days(n)
    }

    proptest! {
        #[test]
        fn one_post_runs_are_the_chosen_runs_of_one_post(
            start in 0i64..4000,
            length in proptest::option::of(0i64..1500),
            post in 0usize..3,
            year in 2025i32..2028,
            variant in 0usize..2,
        ) {
            let policy = growing_policy(variant);
            prop_assert!(policy.is_some());
            let Some(policy) = policy else { return Ok(()) };
            let opts = BudgetOptions::year(year);
            let ctx = Ctx::new(&policy, &opts);
            prop_assert!(ctx.is_ok());
            let Ok(ctx) = ctx else { return Ok(()) };
            let Some(Rule::MonthlyAllowance(rule)) = policy.rules().first() else {
                return Err(TestCaseError::fail("the first rule is the allowance"));
            };
            let post = ["group_leader", "group_member", "deputy_director"][post];
            let holding = PostHolding {
                post: post.to_string(),
                start: day(start),
                end: length.map(|n| day(start + n)),
            };
            let listed = Listed {
                post,
                holding: &holding,
                base: rule.amounts.get(post).map(Vec::as_slice).unwrap_or_default(),
                cache: std::cell::Cell::new(None),
            };
            let (mut one, mut chosen, mut passed) = (Vec::new(), Vec::new(), Vec::new());
            one_post_months(&ctx, rule, &listed, &mut one);
            chosen_months(&ctx, rule, std::slice::from_ref(&listed), &mut chosen, &mut passed);
            prop_assert_eq!(one, chosen);
        }
    }
}
