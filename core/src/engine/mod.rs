//! The budget engine: checks the input against the policy, resolves
//! ratings, runs each rule over the communities and their people (each
//! rule kind in a file of its own, [`rules`]), and sums it all up in fen.
//!
//! Every operation on money here and in the rule kinds is checked: an
//! amount too large is the typed `overflow` error, never a panic or a
//! wrapped number (`clippy::arithmetic_side_effects` is denied in this
//! module tree; `core/tests/checked_arithmetic.rs` keeps it so).

#![deny(clippy::arithmetic_side_effects)]

pub mod check;
pub mod checked;
pub(crate) mod ctx;
pub mod ratings;
pub(crate) mod rules;
pub mod service;

pub use rules::adjustment::{adjustment_rule, NoRule};
pub use rules::post_norm::{describe_count, describe_count_zh, norm_count, parameter};
pub use rules::work_funds::units;
pub use rules::{Calc, ProratedPart, Segment};

use crate::budget::{Budget, BudgetOptions, Exclusion, Items, Totals, ADJUSTMENT};
use crate::error::{Error, Result};
use crate::frame::{Frame, NONE};
use crate::money::from_fen_sum;
use crate::notes::Note;
use crate::policy::Policy;
use ctx::{City, Ctx};
use rules::{Out, Ready, Scratch};
use std::sync::Arc;

/// Compute the budget of `frame` under `policy`.
pub(crate) fn run(policy: &Policy, frame: Arc<Frame>, opts: &BudgetOptions) -> Result<Budget> {
    let workers =
        if crate::parallel::two_threads(frame.communities.len().saturating_add(frame.people.len()))
        {
            2
        } else {
            1
        };
    run_with(policy, frame, opts, workers)
}

/// The rules of one budget, made ready, and the city they run over.
struct Run<'a> {
    ctx: &'a Ctx<'a>,
    ready: &'a [Ready<'a>],
    /// Positions in `ready` of the rules that pay people.
    personal: &'a [usize],
    city: &'a City<'a>,
    adjustment_split: &'a [Option<u16>],
    /// Per policy post, whether some rule pays it.
    named_posts: &'a [bool],
    /// Per policy post, whether a paid norm counts it (its holders are
    /// paid through their community's item).
    normed_posts: &'a [bool],
}

/// What a run of communities comes to.
struct Part {
    items: Items,
    exclusions: Vec<Exclusion>,
    not_in_force: Vec<u16>,
}

/// [`run`] with the communities' items computed on `workers` threads (1 or
/// 2); the budget is the same either way, item for item (a test checks).
#[doc(hidden)]
/// [`run`] on one thread (for profiling).
pub fn run_one(policy: &Policy, frame: Arc<Frame>, opts: &BudgetOptions) -> Result<Budget> {
    run_with(policy, frame, opts, 1)
}

pub(crate) fn run_with(
    policy: &Policy,
    frame: Arc<Frame>,
    opts: &BudgetOptions,
    workers: usize,
) -> Result<Budget> {
    let checked = check::check(policy, &frame, opts)?;
    let resolved = ratings::resolve(policy, &frame.communities, &checked, opts)?;
    let mut ctx = Ctx::new(policy.file(), opts)?;
    let ready: Vec<Ready> = (0..policy.rules().len())
        .filter_map(|k| Ready::new(&mut ctx, k))
        .collect();
    let personal: Vec<usize> = (0..ready.len())
        .filter(|&k| ready[k].pays_people())
        .collect();
    let adjustment_split: Vec<Option<u16>> = checked
        .adjustment_rule
        .iter()
        .map(|&r| ctx.rule_split.get(r as usize).copied().flatten())
        .collect();
    let city = City {
        frame: &frame,
        checked: &checked,
        ratings: &resolved.used.rating,
    };
    let named_posts = named_posts_of(policy, false);
    let normed_posts = named_posts_of(policy, true);
    let run = Run {
        ctx: &ctx,
        ready: &ready,
        personal: &personal,
        city: &city,
        adjustment_split: &adjustment_split,
        named_posts: &named_posts,
        normed_posts: &normed_posts,
    };
    let all = 0..frame.communities.len();
    let Part {
        items,
        exclusions,
        mut not_in_force,
    } = if workers > 1 {
        run.in_two(all)?
    } else {
        run.part(all)?
    };
    let mut warnings = frame.notes.clone();
    warnings.extend(frame.ignored_columns.iter().map(|c| c.note()));
    warnings.extend(resolved.warnings);
    warnings.extend(check::skipped_notes(policy, &frame, &checked));
    not_in_force.sort_by_key(|&r| policy.rules().get(r as usize).map(|r| r.id().to_string()));
    warnings.extend(
        not_in_force
            .iter()
            .filter_map(|&r| not_in_force_note(&ctx, r)),
    );
    let totals = totals(&ctx, &frame, &items)?;
    let (payers, splits) = (ctx.payers.clone(), ctx.splits.clone());
    Ok(Budget {
        policy: policy.id().to_string(),
        policy_version: policy.version().to_string(),
        document: policy.document().to_string(),
        year: opts.year,
        as_of: opts.as_of,
        items,
        payers,
        splits,
        totals,
        ratings: resolved.used,
        quota: resolved.quota,
        warnings,
        exclusions,
        source: policy.clone(),
        input: frame,
        options: opts.clone(),
        checked: Arc::new(checked),
    })
}

impl Run<'_> {
    /// The items of communities `range`, in order.
    fn part(&self, range: std::ops::Range<usize>) -> Result<Part> {
        let frame = self.city.frame;
        let people = frame.communities.people_of(range.start).start
            ..frame
                .communities
                .people_of(range.end.saturating_sub(1).max(range.start))
                .end;
        let payers = self.ctx.payers.len();
        let mut items = Items::with_capacity(
            payers,
            range
                .len()
                .saturating_mul(4)
                .saturating_add(people.len().saturating_mul(2)),
        );
        let mut exclusions = Vec::new();
        let mut not_in_force = Vec::new();
        let mut out = Out {
            items: &mut items,
            splits: &self.ctx.splits,
            exclusions: &mut exclusions,
            not_in_force: &mut not_in_force,
        };
        let mut scratch = Scratch::default();
        let order = &self.city.checked.adjustments;
        let first = u32::try_from(range.start).unwrap_or(NONE);
        let mut next = order.partition_point(|&a| frame.adjustments[a as usize].community < first);
        for c in range {
            for rule in self.ready {
                rule.community(self.ctx, self.city, c, &mut out)?;
            }
            while let Some(&a) = order.get(next) {
                if frame.adjustments[a as usize].community as usize != c {
                    break;
                }
                let a = a as usize;
                rules::adjustment::item(
                    frame,
                    a,
                    self.adjustment_split.get(a).copied().flatten(),
                    &mut out,
                )?;
                next = next.saturating_add(1);
            }
            for p in frame.communities.people_of(c) {
                let (items, notes) = (out.items.len(), out.exclusions.len());
                for &k in self.personal {
                    self.ready[k].person(self.ctx, self.city, p, &mut scratch, &mut out)?;
                }
                if out.items.len() == items && out.exclusions.len() == notes {
                    self.nothing_for(p, &mut out);
                }
            }
        }
        Ok(Part {
            items,
            exclusions,
            not_in_force,
        })
    }

    /// The note for person `p`, whom no rule pays and no rule's note is
    /// about: `post_not_paid` when no rule pays or counts any post they
    /// hold (a committee director under Jiayuguan's allowance), else
    /// `nothing_owed` (paid through their community's item, or in no month
    /// or rating a rule pays).
    fn nothing_for(&self, p: usize, out: &mut Out) {
        let frame = self.city.frame;
        let holds = |posts: &[bool]| {
            frame.people.holdings_of(p).any(|h| {
                posts
                    .get(self.city.post_of(h) as usize)
                    .copied()
                    .unwrap_or(false)
            })
        };
        if holds(self.normed_posts) {
            // Paid through the community's item (their story says so).
            return;
        }
        let named = holds(self.named_posts);
        out.exclusions.push(Exclusion {
            code: if named {
                "nothing_owed"
            } else {
                "post_not_paid"
            },
            community: frame.people.community[p],
            person: u32::try_from(p).unwrap_or(NONE),
            rule: rules::NO_RULE,
            posts: [crate::ledger::NO_POST; 2],
        });
    }

    /// [`Run::part`] of `range` on two threads, each half with about as
    /// many people, joined in order. An error is the first half's if both
    /// fail, as one thread going in order would find.
    fn in_two(&self, range: std::ops::Range<usize>) -> Result<Part> {
        let communities = &self.city.frame.communities;
        let weight = |c: usize| communities.people_of(c).len().saturating_add(1);
        let half: usize = range
            .clone()
            .map(weight)
            .fold(0usize, usize::saturating_add)
            / 2;
        let mut seen = 0usize;
        let middle = range
            .clone()
            .find(|&c| {
                seen = seen.saturating_add(weight(c));
                seen >= half
            })
            .map_or(range.end, |c| c.saturating_add(1));
        let (first, second) = crate::parallel::join(
            || self.part(range.start..middle),
            || self.part(middle..range.end),
        );
        let (mut first, mut second) = (first?, second?);
        first.items.append(&mut second.items);
        first.exclusions.append(&mut second.exclusions);
        for r in second.not_in_force {
            if !first.not_in_force.contains(&r) {
                first.not_in_force.push(r);
            }
        }
        Ok(first)
    }
}

/// Per policy post, whether a rule pays it (an allowance, an income floor,
/// a paid norm and its roster); with `paid_norms`, only the posts a paid
/// norm counts. A norm that only counts posts pays nobody.
pub(crate) fn named_posts_of(policy: &Policy, paid_norms: bool) -> Vec<bool> {
    use crate::policy::file::{NormActual, Rule};
    let file = policy.file();
    let mut named = vec![false; file.posts.len()];
    let mut name = |post: &str| {
        if let Some(k) = file.post_position(post) {
            if let Some(slot) = named.get_mut(k) {
                *slot = true;
            }
        }
    };
    for rule in &file.rules {
        match rule {
            Rule::MonthlyAllowance(r) if !paid_norms => r.amounts.keys().for_each(|p| name(p)),
            Rule::IncomeFloor(r) if !paid_norms => r.posts.iter().for_each(|p| name(p)),
            Rule::PostNorm(r) if r.pay.is_some() => {
                name(&r.post);
                if let Some(NormActual::Roster { posts }) = &r.actual {
                    posts.iter().for_each(|p| name(p));
                }
            }
            _ => {}
        }
    }
    named
}

/// The warning for a rule with no amount in force on 1 January.
fn not_in_force_note(ctx: &Ctx, position: u16) -> Option<Note> {
    let rule = ctx.rule(position as usize)?;
    let id = rule.id();
    Some(Note {
        code: "not_in_force",
        community: None,
        person: None,
        zh: crate::lang::Script::of(ctx.file).finish(format!(
            "{}在 {} 没有生效的金额,未计入",
            rule.head().zh,
            ctx.year_start
        )),
        en: format!(
            "rule {id} has no amount in force on {}; nothing is owed under it",
            ctx.year_start
        ),
        rule: Some(id.to_string()),
        clause: Some(rule.head().clause.to_string()),
    })
}

/// The largest magnitude a `Decimal` holds, in its smallest units.
const MAX_FEN: i128 = (1 << 96) - 1;

/// Sum the items by payer (policy order), rule (policy order, adjustments
/// last) and community (input order, every community listed even at zero),
/// in whole fen: exact, and far cheaper than `Decimal` additions.
fn totals(ctx: &Ctx, frame: &Frame, items: &Items) -> Result<Totals> {
    let overflow = |what: &str| Error::Overflow {
        context: format!("the total {what}"),
    };
    let rules = ctx.file.rules.len();
    let mut by_rule = vec![0i128; rules.saturating_add(1)];
    let mut by_community = vec![0i128; frame.communities.len()];
    let mut overall = 0i128;
    // Sums in i128 of items of at most 2^63 fen each: 2^64 items would be
    // needed to overflow, so the checks never fail; past what a Decimal
    // holds is an overflow.
    let add = |acc: &mut i128, amount: i128, what: &str| -> Result<()> {
        *acc = acc.checked_add(amount).ok_or_else(|| overflow(what))?;
        Ok(())
    };
    for i in 0..items.len() {
        let amount = i128::from(items.amount[i]);
        add(&mut overall, amount, "overall")?;
        let r = match items.rule[i] {
            ADJUSTMENT => rules,
            r => (r as usize).min(rules),
        };
        if let Some(acc) = by_rule.get_mut(r) {
            add(acc, amount, "by rule")?;
        }
        if let Some(acc) = by_community.get_mut(items.community[i] as usize) {
            add(acc, amount, "by community")?;
        }
    }
    let yuan = |fen: i128, what: &str| {
        if fen.unsigned_abs() > MAX_FEN.unsigned_abs() {
            return Err(overflow(what));
        }
        from_fen_sum(fen).ok_or_else(|| overflow(what))
    };
    let by_payer = ctx
        .payers
        .iter()
        .zip(&items.shares)
        .map(|(p, column)| {
            Ok((
                p.clone(),
                yuan(
                    column
                        .iter()
                        .try_fold(0i128, |acc, &f| acc.checked_add(i128::from(f)))
                        .ok_or_else(|| overflow("by payer"))?,
                    "by payer",
                )?,
            ))
        })
        .collect::<Result<Vec<_>>>()?;
    let mut rule_totals = Vec::new();
    for (k, rule) in ctx.file.rules.iter().enumerate() {
        if rule.split().is_some() {
            let fen = by_rule.get(k).copied().unwrap_or(0);
            rule_totals.push((rule.id().to_string(), yuan(fen, "by rule")?));
        }
    }
    if items.rule.contains(&ADJUSTMENT) {
        let fen = by_rule.get(rules).copied().unwrap_or(0);
        rule_totals.push(("adjustment".to_string(), yuan(fen, "by rule")?));
    }
    Ok(Totals {
        overall: yuan(overall, "overall")?,
        by_payer,
        by_rule: rule_totals,
        by_community: by_community
            .into_iter()
            .map(|f| yuan(f, "by community"))
            .collect::<Result<Vec<_>>>()?,
    })
}

#[cfg(test)]
#[allow(clippy::arithmetic_side_effects)]
mod tests {
    use super::*;

    /// Two threads give the budget one gives, item for item and note for
    /// note, for the synthetic cities of both shapes.
    #[test]
    fn two_threads_give_the_budget_one_gives() -> Result<()> {
        for id in ["jilin-2011-13", "jiayuguan-2020-97"] {
            let policy = Policy::builtin(id)?;
            let input = Arc::new(Frame::from_input(&crate::samples::synthetic(id, 301, 7))?);
            let opts = BudgetOptions::year(2026);
            let one = run_with(&policy, Arc::clone(&input), &opts, 1)?;
            let two = run_with(&policy, input, &opts, 2)?;
            assert!(!one.items.is_empty(), "{id}");
            assert_eq!(one.items, two.items, "{id}");
            assert_eq!(one.exclusions, two.exclusions, "{id}");
            assert_eq!(one.totals, two.totals, "{id}");
        }
        Ok(())
    }

    #[test]
    fn two_threads_fail_as_one_does() -> Result<()> {
        let policy = Policy::builtin("jiayuguan-2020-97")?;
        let opts = BudgetOptions::year(2026);
        let base = crate::samples::synthetic("jiayuguan-2020-97", 200, 7);
        // A paid norm with a missing parameter fails when its community is
        // reached; an amount past 64 bits of fen fails where it is.
        let bad = |ci: usize| crate::input::Adjustment {
            community: base.communities[ci].id.clone(),
            rule: Some("work_allowance".into()),
            amount: rust_decimal::Decimal::MAX,
            reason: "test".into(),
        };
        for at in [vec![199], vec![3, 199]] {
            let mut input = base.clone();
            input.adjustments = at.iter().map(|&ci| bad(ci)).collect();
            let frame = Arc::new(Frame::from_input(&input)?);
            let one = run_with(&policy, Arc::clone(&frame), &opts, 1).map(|b| b.items.len());
            let two = run_with(&policy, frame, &opts, 2).map(|b| b.items.len());
            assert!(one.is_err(), "{one:?}");
            assert_eq!(format!("{one:?}"), format!("{two:?}"));
        }
        Ok(())
    }
}
