//! Scenario comparison: what changes between two budgets (a what-if against
//! a baseline), by payer, by rule and by community.

#![deny(clippy::arithmetic_side_effects)] // money: checked (see core/tests/checked_arithmetic.rs)

use crate::budget::Budget;
use crate::ids::Id;
use rust_decimal::Decimal;
use serde::Serialize;

/// One row of a comparison.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Change {
    /// Payer, rule or community id.
    pub key: Id,
    /// Amount in the baseline.
    pub before: Decimal,
    /// Amount in the scenario.
    pub after: Decimal,
    /// `after − before`.
    pub change: Decimal,
}

/// The difference between a scenario and a baseline budget.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct BudgetDiff {
    /// Overall change.
    pub overall: Change,
    /// By payer.
    pub by_payer: Vec<Change>,
    /// By rule.
    pub by_rule: Vec<Change>,
    /// By community (communities of either budget, baseline order first).
    pub by_community: Vec<Change>,
}

/// `after − before`. A budget's totals are at most 2^96 − 1 fen each (the
/// engine refuses larger ones as `overflow`), so their difference always
/// fits a `Decimal` and never saturates.
fn change(after: Decimal, before: Decimal) -> Decimal {
    after.saturating_sub(before)
}

fn merge(before: &[(String, Decimal)], after: &[(String, Decimal)]) -> Vec<Change> {
    let mut keys: Vec<&String> = before.iter().map(|(k, _)| k).collect();
    for (k, _) in after {
        if !keys.contains(&k) {
            keys.push(k);
        }
    }
    let get = |list: &[(String, Decimal)], k: &str| {
        list.iter()
            .find(|(x, _)| x == k)
            .map(|(_, v)| *v)
            .unwrap_or_default()
    };
    keys.into_iter()
        .map(|k| {
            let (b, a) = (get(before, k), get(after, k));
            Change {
                key: Id::Text(k.clone()),
                before: b,
                after: a,
                change: change(a, b),
            }
        })
        .collect()
}

impl Budget {
    /// Compare this budget (the scenario) with a baseline.
    ///
    /// ```
    /// use shequ::{Policy, Input, Community, BudgetOptions};
    /// let base = Policy::builtin("jilin-2011-13")?;
    /// let what_if = base.with_overrides(&[("work_funds.rate", "2000")])?;
    /// let input = Input { communities: vec![Community::new("C1", "社区A", 2750).with_rating("ordinary")], ..Default::default() };
    /// let opts = BudgetOptions::year(2026);
    /// let diff = what_if.budget(&input, &opts)?.diff(&base.budget(&input, &opts)?);
    /// assert_eq!(diff.overall.change.to_string(), "13750.00");
    /// assert_eq!(diff.by_payer[0].change.to_string(), "6875.00");
    /// # Ok::<(), shequ::Error>(())
    /// ```
    pub fn diff(&self, baseline: &Budget) -> BudgetDiff {
        let (b, a) = (&baseline.totals, &self.totals);
        // Communities can be many: merge them by position where the two
        // inputs list the same ids, by id otherwise.
        let before: Vec<(Id, Decimal)> = baseline.community_totals().collect();
        let mut by_community: Vec<Change> = before
            .iter()
            .map(|(k, v)| Change {
                key: k.clone(),
                before: *v,
                after: Decimal::ZERO,
                change: -*v,
            })
            .collect();
        let mut index: Option<std::collections::HashMap<Id, usize>> = None;
        for (c, (k, v)) in self.community_totals().enumerate() {
            let at = match before.get(c) {
                Some((same, _)) if *same == k => Some(c),
                _ => index
                    .get_or_insert_with(|| {
                        before
                            .iter()
                            .enumerate()
                            .map(|(i, (k, _))| (k.clone(), i))
                            .collect()
                    })
                    .get(&k)
                    .copied(),
            };
            match at {
                Some(i) => {
                    by_community[i].after = v;
                    by_community[i].change = change(v, by_community[i].before);
                }
                None => by_community.push(Change {
                    key: k,
                    before: Decimal::ZERO,
                    after: v,
                    change: v,
                }),
            }
        }
        BudgetDiff {
            overall: Change {
                key: Id::from("overall"),
                before: b.overall,
                after: a.overall,
                change: change(a.overall, b.overall),
            },
            by_payer: merge(&b.by_payer, &a.by_payer),
            by_rule: merge(&b.by_rule, &a.by_rule),
            by_community,
        }
    }
}
