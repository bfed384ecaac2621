//! Sums of a budget by payer, rule and community.

use crate::budget::{Id, Item, Totals};
use crate::error::{Error, Result};
use crate::input::Input;
use crate::policy::Policy;
use rust_decimal::Decimal;
use std::sync::Arc;

fn add(acc: &mut Decimal, x: Decimal, what: &str) -> Result<()> {
    *acc = acc.checked_add(x).ok_or_else(|| Error::Overflow {
        context: format!("the total {what}"),
    })?;
    Ok(())
}

/// Sum `items` by payer (policy order), rule (policy order, adjustments last)
/// and community (input order, every community listed even at zero).
/// `ends[i]` is the end of community `i`'s items: items come community by
/// community.
pub fn sum(policy: &Policy, input: &Input, items: &[Item], ends: &[usize]) -> Result<Totals> {
    let mut by_payer: Vec<(String, Decimal)> = policy
        .file()
        .payers
        .iter()
        .map(|p| (p.id.clone(), Decimal::ZERO))
        .collect();
    // Rules that can owe money (a norm that only counts posts has no split).
    let mut by_rule: Vec<(String, Decimal)> = policy
        .rules()
        .iter()
        .filter(|r| r.split().is_some())
        .map(|r| (r.id().to_string(), Decimal::ZERO))
        .collect();
    let mut by_community: Vec<(String, Decimal)> = input
        .communities
        .iter()
        .map(|c| (c.id.clone(), Decimal::ZERO))
        .collect();
    let mut overall = Decimal::ZERO;
    let mut community = 0;
    // Items share their rule and payer ids: the row of the last id seen is
    // found again by address, not by comparing text (most items in a row
    // have the same rule; the k-th share of each the same payer).
    let mut last_rule: Option<(&Id, usize)> = None;
    let mut last_payer: Vec<Option<(&Id, usize)>> = Vec::new();
    for (k, item) in items.iter().enumerate() {
        while ends.get(community).is_some_and(|end| k >= *end) {
            community += 1;
        }
        add(&mut overall, item.amount, "overall")?;
        let row = match last_rule {
            Some((id, row)) if Arc::ptr_eq(id, &item.rule) => row,
            _ => {
                let row = match by_rule.iter().position(|(r, _)| **r == *item.rule) {
                    Some(row) => row,
                    None => {
                        by_rule.push((item.rule.to_string(), Decimal::ZERO));
                        by_rule.len() - 1
                    }
                };
                last_rule = Some((&item.rule, row));
                row
            }
        };
        add(&mut by_rule[row].1, item.amount, "by rule")?;
        if let Some((_, acc)) = by_community.get_mut(community) {
            add(acc, item.amount, "by community")?;
        }
        if last_payer.len() < item.shares.len() {
            last_payer.resize(item.shares.len(), None);
        }
        for (share, last) in item.shares.iter().zip(last_payer.iter_mut()) {
            let row = match *last {
                Some((id, row)) if Arc::ptr_eq(id, &share.payer) => row,
                _ => {
                    let rank = policy.payer_rank(&share.payer);
                    let known = (rank < by_payer.len()).then_some(rank);
                    let row = match known
                        .or_else(|| by_payer.iter().position(|(p, _)| **p == *share.payer))
                    {
                        Some(row) => row,
                        None => {
                            by_payer.push((share.payer.to_string(), Decimal::ZERO));
                            by_payer.len() - 1
                        }
                    };
                    *last = Some((&share.payer, row));
                    row
                }
            };
            add(&mut by_payer[row].1, share.amount, "by payer")?;
        }
    }
    for (_, v) in by_payer
        .iter_mut()
        .chain(by_rule.iter_mut())
        .chain(by_community.iter_mut())
    {
        v.rescale(2);
    }
    overall.rescale(2);
    Ok(Totals {
        overall,
        by_payer,
        by_rule,
        by_community,
    })
}
