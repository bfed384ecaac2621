//! Sums of a budget by payer, rule and community.

use crate::budget::{Item, Totals};
use crate::error::{Error, Result};
use crate::input::Input;
use crate::policy::Policy;
use rust_decimal::Decimal;

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
    for (k, item) in items.iter().enumerate() {
        while ends.get(community).is_some_and(|end| k >= *end) {
            community += 1;
        }
        add(&mut overall, item.amount, "overall")?;
        match by_rule.iter_mut().find(|(r, _)| **r == *item.rule) {
            Some((_, acc)) => add(acc, item.amount, "by rule")?,
            None => by_rule.push((item.rule.to_string(), item.amount)),
        }
        if let Some((_, acc)) = by_community.get_mut(community) {
            add(acc, item.amount, "by community")?;
        }
        for share in &item.shares {
            let k = policy.payer_rank(&share.payer);
            match by_payer.get_mut(k) {
                Some((_, acc)) => add(acc, share.amount, "by payer")?,
                None => by_payer.push((share.payer.to_string(), share.amount)),
            }
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
