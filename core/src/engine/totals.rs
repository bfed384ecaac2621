//! Sums of a budget by payer, rule and community.
//!
//! Every item and share is a whole number of fen (`round_fen` and the payer
//! split give two decimal places), so the sums are kept as whole fen in
//! 128-bit integers: exact, and much cheaper than `Decimal` additions (a
//! city has some six additions per item). A sum past what a `Decimal` holds
//! is an overflow error, as a `Decimal` addition would be.

use crate::budget::{Item, Totals};
use crate::error::{Error, Result};
use crate::input::Input;
use crate::policy::Policy;
use rust_decimal::Decimal;
use std::sync::Arc;

/// The largest magnitude a `Decimal` holds, in its smallest units.
const MAX_FEN: i128 = (1 << 96) - 1;

fn overflow(what: &str) -> Error {
    Error::Overflow {
        context: format!("the total {what}"),
    }
}

/// `amount` in whole fen. An amount finer than the fen (the engine makes
/// none) is an error, never a sum gone wrong.
fn fen(amount: Decimal, what: &str) -> Result<i128> {
    let amount = if amount.scale() > 2 {
        amount.normalize()
    } else {
        amount
    };
    match amount.scale() {
        places @ 0..=2 => Ok(amount.mantissa() * 10i128.pow(2 - places)),
        _ => Err(Error::Overflow {
            context: format!("the total {what}: {amount} is not a whole number of fen"),
        }),
    }
}

fn add(acc: &mut i128, fen: i128, what: &str) -> Result<()> {
    *acc += fen;
    if acc.abs() > MAX_FEN {
        return Err(overflow(what));
    }
    Ok(())
}

fn yuan(fen: i128, what: &str) -> Result<Decimal> {
    Decimal::try_from_i128_with_scale(fen, 2).map_err(|_| overflow(what))
}

/// Positions of ids in a list of sums, found by the id's address first:
/// items share their rule and payer ids, so after the first few lookups no
/// text is compared.
#[derive(Default)]
struct ByAddress(Vec<(*const u8, usize)>);

impl ByAddress {
    fn find(&mut self, id: &Arc<str>, by_text: impl FnOnce(&str) -> usize) -> usize {
        let address = Arc::as_ptr(id).cast::<u8>();
        if let Some((_, k)) = self.0.iter().find(|(a, _)| *a == address) {
            return *k;
        }
        let k = by_text(id);
        self.0.push((address, k));
        k
    }
}

/// Sum `items` by payer (policy order), rule (policy order, adjustments last)
/// and community (input order, every community listed even at zero).
/// `ends[i]` is the end of community `i`'s items: items come community by
/// community.
pub fn sum(policy: &Policy, input: &Input, items: &[Item], ends: &[usize]) -> Result<Totals> {
    let mut payers: Vec<String> = policy.file().payers.iter().map(|p| p.id.clone()).collect();
    // Rules that can owe money (a norm that only counts posts has no split).
    let mut rules: Vec<String> = policy
        .rules()
        .iter()
        .filter(|r| r.split().is_some())
        .map(|r| r.id().to_string())
        .collect();
    let mut by_payer = vec![0i128; payers.len()];
    let mut by_rule = vec![0i128; rules.len()];
    let mut by_community = vec![0i128; input.communities.len()];
    let mut overall = 0i128;
    let (mut rule_at, mut payer_at) = (ByAddress::default(), ByAddress::default());
    let mut community = 0;
    for (k, item) in items.iter().enumerate() {
        while ends.get(community).is_some_and(|end| k >= *end) {
            community += 1;
        }
        let amount = fen(item.amount, "overall")?;
        add(&mut overall, amount, "overall")?;
        let r = rule_at.find(&item.rule, |id| {
            rules.iter().position(|r| r == id).unwrap_or_else(|| {
                rules.push(id.to_string());
                by_rule.push(0);
                rules.len() - 1
            })
        });
        add(&mut by_rule[r], amount, "by rule")?;
        if let Some(acc) = by_community.get_mut(community) {
            add(acc, amount, "by community")?;
        }
        for share in &item.shares {
            let p = payer_at.find(&share.payer, |id| match policy.payer_rank(id) {
                k if k < payers.len() => k,
                _ => payers.iter().position(|p| p == id).unwrap_or_else(|| {
                    payers.push(id.to_string());
                    by_payer.push(0);
                    payers.len() - 1
                }),
            });
            add(&mut by_payer[p], fen(share.amount, "by payer")?, "by payer")?;
        }
    }
    let named =
        |names: Vec<String>, sums: Vec<i128>, what: &str| -> Result<Vec<(String, Decimal)>> {
            names
                .into_iter()
                .zip(sums)
                .map(|(name, fen)| Ok((name, yuan(fen, what)?)))
                .collect()
        };
    Ok(Totals {
        overall: yuan(overall, "overall")?,
        by_payer: named(payers, by_payer, "by payer")?,
        by_rule: named(rules, by_rule, "by rule")?,
        by_community: named(
            input.communities.iter().map(|c| c.id.clone()).collect(),
            by_community,
            "by community",
        )?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fen_are_exact_at_every_scale_and_refuse_a_part_of_a_fen() {
        let d = |m: i64, s: u32| Decimal::new(m, s);
        assert_eq!(fen(d(12, 0), "t"), Ok(1200));
        assert_eq!(fen(d(-125, 1), "t"), Ok(-1250));
        assert_eq!(fen(d(12345, 2), "t"), Ok(12345));
        assert_eq!(fen(d(123450, 3), "t"), Ok(12345));
        assert!(fen(d(12345, 3), "t").is_err());
        assert_eq!(yuan(12345, "t"), Ok(d(12345, 2)));
    }

    #[test]
    fn a_sum_past_what_a_decimal_holds_is_an_overflow() {
        let mut acc = MAX_FEN - 1;
        assert!(add(&mut acc, 1, "t").is_ok());
        assert!(matches!(add(&mut acc, 1, "t"), Err(Error::Overflow { .. })));
        let mut acc = -MAX_FEN;
        assert!(add(&mut acc, -1, "t").is_err());
        assert!(yuan(MAX_FEN, "t").is_ok());
    }
}
