//! The budget engine: checks the input, resolves ratings, runs each rule of
//! the policy over the communities and their people, splits every item
//! between payers and sums it all up.

mod allowance;
pub mod check;
mod community_rules;
pub use community_rules::units;
pub mod norms;
mod provenance;
pub mod ratings;
pub mod service;
mod totals;

use crate::budget::{Budget, BudgetOptions, Calc, Id, Item, Note, Provenance, Share};
use crate::error::{Error, Result};
use crate::input::Input;
use crate::money::{round_fen, split_into};
use crate::policy::file::Rule;
use crate::policy::Policy;
use chrono::NaiveDate;
use rust_decimal::Decimal;
use std::sync::Arc;

/// What every rule computation reads.
pub(crate) struct Ctx<'a> {
    pub policy: &'a Policy,
    pub opts: &'a BudgetOptions,
    pub year_start: NaiveDate,
    pub months: Vec<NaiveDate>,
    /// Per rule (file order): its provenance and its split in payer order.
    pub rules: Vec<RuleCtx<'a>>,
    /// Each post id of the policy, shared by the items that name it.
    pub post_ids: rustc_hash::FxHashMap<&'a str, Id>,
}

impl Ctx<'_> {
    /// The shared id of a post.
    pub fn post_id(&self, post: &str) -> Id {
        self.post_ids
            .get(post)
            .cloned()
            .unwrap_or_else(|| Id::from(post))
    }
}

pub(crate) struct RuleCtx<'a> {
    pub rule: &'a Rule,
    pub id: Id,
    /// The rule's clause, shared by its notes.
    pub clause: Id,
    pub provenance: Arc<Provenance>,
    pub payers: Vec<Id>,
    pub percents: Vec<Decimal>,
}

impl RuleCtx<'_> {
    /// Round `raw` to the fen and split it between the rule's payers.
    pub fn split(&self, raw: Decimal) -> Result<(Decimal, Vec<Share>)> {
        let amount = round_fen(raw);
        let overflow = || Error::Overflow {
            context: format!("the payer split of rule `{}`", self.rule.id()),
        };
        let mut parts = [Decimal::ZERO; 4];
        let mut many = Vec::new();
        let parts: &mut [Decimal] = match parts.get_mut(..self.percents.len()) {
            Some(p) => p,
            None => {
                many.resize(self.percents.len(), Decimal::ZERO);
                &mut many
            }
        };
        split_into(amount, &self.percents, parts).ok_or_else(overflow)?;
        let shares = self
            .payers
            .iter()
            .zip(&self.percents)
            .zip(parts.iter())
            .map(|((payer, percent), amount)| Share {
                payer: payer.clone(),
                percent: *percent,
                amount: *amount,
            })
            .collect();
        Ok((amount, shares))
    }

    /// A finished item of this rule.
    pub fn item(
        &self,
        community: &Id,
        person: Option<&Id>,
        post: Option<Id>,
        months: Option<u32>,
        raw: Decimal,
        calc: Calc,
    ) -> Result<Item> {
        let (amount, shares) = self.split(raw)?;
        Ok(Item {
            community: Arc::clone(community),
            person: person.cloned(),
            rule: Arc::clone(&self.id),
            post,
            months,
            amount,
            shares,
            calc,
            provenance: Arc::clone(&self.provenance),
        })
    }
}

impl<'a> Ctx<'a> {
    pub(crate) fn new(policy: &'a Policy, opts: &'a BudgetOptions) -> Result<Self> {
        let year_start =
            NaiveDate::from_ymd_opt(opts.year, 1, 1).ok_or_else(|| Error::Overflow {
                context: format!("the year {}", opts.year),
            })?;
        let rules = policy
            .rules()
            .iter()
            .map(|rule| {
                let mut split: Vec<(&String, Decimal)> = rule
                    .split()
                    .map(|s| s.value.iter().map(|(p, n)| (p, n.0)).collect())
                    .unwrap_or_default();
                split.sort_by_key(|(p, _)| policy.payer_rank(p));
                let provenance = provenance::of_rule(policy, rule);
                RuleCtx {
                    rule,
                    id: Id::from(rule.id()),
                    clause: Id::from(provenance.clause.as_str()),
                    provenance: Arc::new(provenance),
                    payers: split.iter().map(|(p, _)| Id::from(p.as_str())).collect(),
                    percents: split.iter().map(|(_, n)| *n).collect(),
                }
            })
            .collect();
        let post_ids = policy
            .file()
            .posts
            .iter()
            .map(|p| (p.id.as_str(), Id::from(p.id.as_str())))
            .collect();
        Ok(Ctx {
            policy,
            opts,
            year_start,
            months: service::months_counted(opts.year, opts.as_of),
            rules,
            post_ids,
        })
    }
}

/// Compute the budget of `input` under `policy`.
pub(crate) fn run(policy: &Policy, input: &Input, opts: &BudgetOptions) -> Result<Budget> {
    run_with(policy, input, opts, workers(input))
}

/// How many threads compute the communities' items: two for a large city on
/// a machine with two cores or more (the communities split in two halves of
/// about as many people), else one (see [`crate::parallel`]).
fn workers(input: &Input) -> usize {
    if crate::parallel::two_threads(input.communities.len() + input.people.len()) {
        2
    } else {
        1
    }
}

/// [`run`] with the communities' items computed on `workers` threads (1 or
/// 2); the budget is the same either way, item for item (a test checks).
pub(crate) fn run_with(
    policy: &Policy,
    input: &Input,
    opts: &BudgetOptions,
    workers: usize,
) -> Result<Budget> {
    let checked = check::check(policy, input, opts)?;
    let resolved = ratings::resolve(policy, &input.communities, opts)?;
    let ctx = Ctx::new(policy, opts)?;
    let city = City {
        ctx: &ctx,
        input,
        checked: &checked,
        ratings: &resolved.ratings,
    };
    let all = 0..input.communities.len();
    let Part {
        items,
        exclusions,
        not_in_force,
        ends,
    } = if workers > 1 {
        city.in_two(all)?
    } else {
        city.part(all)?
    };
    let mut warnings = input.ignored_column_notes();
    warnings.extend(resolved.warnings);
    warnings.extend(not_in_force.into_notes(&ctx));
    let totals = totals::sum(policy, input, &items, &ends)?;
    Ok(Budget {
        policy: policy.id().to_string(),
        policy_version: policy.version().to_string(),
        document: policy.document().to_string(),
        year: opts.year,
        as_of: opts.as_of,
        items,
        totals,
        ratings: resolved.outcomes,
        quota: resolved.quota,
        warnings,
        exclusions,
        policy_ref: Some(policy.clone()),
        community_names: input
            .communities
            .iter()
            .filter(|c| !c.name.is_empty())
            .map(|c| (c.id.clone(), c.name.clone()))
            .collect(),
    })
}

/// What every community's computation reads.
struct City<'c, 'a> {
    ctx: &'c Ctx<'a>,
    input: &'c Input,
    checked: &'c check::Checked<'c>,
    ratings: &'c [Option<String>],
}

/// The items and notes of a run of communities, community by community.
struct Part {
    items: Vec<Item>,
    exclusions: Vec<Note>,
    not_in_force: community_rules::NotInForce,
    /// The end of each community's items in `items`.
    ends: Vec<usize>,
}

impl City<'_, '_> {
    /// The items of communities `range`, in order.
    fn part(&self, range: std::ops::Range<usize>) -> Result<Part> {
        let City {
            ctx,
            input,
            checked,
            ratings,
        } = *self;
        let people: usize = range.clone().map(|ci| checked.people_of[ci].len()).sum();
        let mut part = Part {
            items: Vec::with_capacity(range.len() * 4 + people * 2),
            exclusions: Vec::new(),
            not_in_force: community_rules::NotInForce::default(),
            ends: Vec::with_capacity(range.len()),
        };
        let items = &mut part.items;
        for ci in range {
            let community = &input.communities[ci];
            let rating = ratings[ci].as_deref();
            let cid = Id::from(community.id.as_str());
            let roster = norms::Roster {
                people: &input.people,
                members: &checked.people_of[ci],
                canonical: &checked.canonical_posts,
            };
            for rc in &ctx.rules {
                match rc.rule {
                    Rule::PostNorm(r) => {
                        norms::post_norm_items(ctx, rc, r, community, &cid, &roster, items)?
                    }
                    _ => community_rules::community_items(
                        ctx,
                        rc,
                        community,
                        &cid,
                        rating,
                        items,
                        &mut part.not_in_force,
                    )?,
                }
            }
            for &ai in &checked.adjustments_of[ci] {
                items.push(community_rules::adjustment(
                    ctx,
                    &input.adjustments[ai],
                    &cid,
                )?);
            }
            for &pi in &checked.people_of[ci] {
                let person = &input.people[pi];
                let posts = checked.canonical_posts.of(pi);
                let pid = Id::from(person.id.as_str());
                let who = allowance::Who {
                    cid: &cid,
                    person,
                    pid: &pid,
                    posts,
                    rating,
                };
                for rc in &ctx.rules {
                    match rc.rule {
                        Rule::MonthlyAllowance(rule) => allowance::person_items(
                            ctx,
                            rc,
                            rule,
                            &who,
                            items,
                            &mut part.exclusions,
                        )?,
                        Rule::IncomeFloor(rule) => {
                            items.extend(norms::income_floor_item(ctx, rc, rule, &who, pi)?)
                        }
                        _ => {}
                    }
                }
            }
            part.ends.push(items.len());
        }
        Ok(part)
    }

    /// [`City::part`] of `range` on two threads, each half with about as
    /// many people, joined in order. An error is the first half's if both
    /// fail, as one thread going in order would find.
    ///
    /// The second half has a context of its own. Every item holds counted
    /// references to its rule, clause, post and payer ids; with one context,
    /// both threads counted the same ids, and each count bounced between
    /// the cores (the busiest instruction of a profile). With two, a
    /// Jiayuguan-shaped city took some 16% less time (BENCHMARKS.md). The
    /// budget is the same: ids are compared by their text.
    fn in_two(&self, range: std::ops::Range<usize>) -> Result<Part> {
        let own_ctx = Ctx::new(self.ctx.policy, self.ctx.opts)?;
        let second_city = City {
            ctx: &own_ctx,
            ..*self
        };
        let people = &self.checked.people_of;
        let half: usize = range.clone().map(|ci| people[ci].len() + 1).sum::<usize>() / 2;
        let mut seen = 0;
        let middle = range
            .clone()
            .find(|&ci| {
                seen += people[ci].len() + 1;
                seen >= half
            })
            .map_or(range.end, |ci| ci + 1);
        let (first, second) = crate::parallel::join(
            || self.part(range.start..middle),
            || second_city.part(middle..range.end),
        );
        let (mut first, mut second) = (first?, second?);
        let offset = first.items.len();
        first.items.append(&mut second.items);
        first.exclusions.append(&mut second.exclusions);
        first.not_in_force.merge(second.not_in_force);
        first
            .ends
            .extend(second.ends.iter().map(|end| end + offset));
        Ok(first)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Two threads give the budget one gives, item for item and note for
    /// note, for the synthetic cities of both shapes.
    #[test]
    fn two_threads_give_the_budget_one_gives() -> Result<()> {
        for id in ["jilin-2011-13", "jiayuguan-2020-97"] {
            let policy = Policy::builtin(id)?;
            let input = crate::samples::synthetic(id, 301, 7);
            let opts = BudgetOptions::year(2026);
            let one = run_with(&policy, &input, &opts, 1)?;
            let two = run_with(&policy, &input, &opts, 2)?;
            assert!(!one.items.is_empty(), "{id}");
            assert_eq!(
                serde_json::to_value(&one).ok(),
                serde_json::to_value(&two).ok(),
                "{id}"
            );
        }
        Ok(())
    }

    #[test]
    fn two_threads_fail_as_one_does() -> Result<()> {
        let policy = Policy::builtin("jiayuguan-2020-97")?;
        let opts = BudgetOptions::year(2026);
        let base = crate::samples::synthetic("jiayuguan-2020-97", 200, 7);
        // An adjustment naming no rule fails when its community is reached:
        // in the second half only, then in both halves.
        let bad = |ci: usize| crate::input::Adjustment {
            community: base.communities[ci].id.clone(),
            rule: Some("no_such_rule".into()),
            amount: Decimal::ONE,
            reason: "test".into(),
        };
        for at in [vec![199], vec![3, 199]] {
            let mut input = base.clone();
            input.adjustments = at.iter().map(|&ci| bad(ci)).collect();
            let one = run_with(&policy, &input, &opts, 1).map(|b| b.items.len());
            let two = run_with(&policy, &input, &opts, 2).map(|b| b.items.len());
            assert!(one.is_err(), "{one:?}");
            assert_eq!(format!("{one:?}"), format!("{two:?}"));
        }
        Ok(())
    }
}
