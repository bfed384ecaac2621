//! A budget's items as columns, and the sums and notes beside them: the
//! data a budget is, with no text in it (see [`crate::budget`] for the
//! budget itself, [`crate::explain`] for its words).

#![deny(clippy::arithmetic_side_effects)] // money: checked (see core/tests/checked_arithmetic.rs)

use crate::error::{Error, Result};
use crate::ids::Id;
use crate::money::{from_fen, FenSplit};
use rust_decimal::Decimal;
use serde::Serialize;

/// The rule "position" of an adjustment line's item.
pub const ADJUSTMENT: u16 = u16::MAX;
/// No post.
pub const NO_POST: u16 = u16::MAX;

/// One item on its way into [`Items`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ItemRow {
    /// Position of the community.
    pub community: u32,
    /// Position of the person, or `NONE`.
    pub person: u32,
    /// Position of the rule in the policy, or [`ADJUSTMENT`].
    pub rule: u16,
    /// Position of the post in the policy, or [`NO_POST`].
    pub post: u16,
    /// Months counted: bit `m − 1` for month `m`; 0 for an annual amount.
    pub months: u16,
    /// What else the item's explanation needs: the adjustment's position,
    /// or a norm item's part (see [`NormPart`]).
    pub aux: u32,
    /// Amount in fen.
    pub amount: i64,
}

/// The part of a paid norm an item covers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NormPart {
    /// All of the pay.
    Full = 0,
    /// The part a subsidy covers, paid by its payer alone.
    Subsidy = 1,
    /// The pay after the subsidy.
    Remainder = 2,
}

impl NormPart {
    /// The part an item's `aux` names.
    pub fn of(aux: u32) -> Self {
        match aux {
            1 => NormPart::Subsidy,
            2 => NormPart::Remainder,
            _ => NormPart::Full,
        }
    }

    /// `full`, `subsidy` or `remainder`.
    pub fn as_str(self) -> &'static str {
        match self {
            NormPart::Full => "full",
            NormPart::Subsidy => "subsidy",
            NormPart::Remainder => "remainder",
        }
    }
}

/// A payer split used by a budget's items: the payers (positions in
/// [`Budget::payers`]) and their percentages.
#[derive(Debug, Clone, PartialEq)]
pub struct Split {
    /// Payers, by position in the budget's payer list.
    pub payers: Vec<u16>,
    /// Their percentages, adding up to 100.
    pub percents: Vec<Decimal>,
    fen: Option<FenSplit>,
}

impl Split {
    /// A split of these payers and percentages.
    pub fn new(payers: Vec<u16>, percents: Vec<Decimal>) -> Self {
        let fen = FenSplit::new(&percents);
        Split {
            payers,
            percents,
            fen,
        }
    }

    /// Cut `amount` (fen) into the payers' parts.
    fn cut(&self, amount: i64, parts: &mut [i64]) -> Result<()> {
        match &self.fen {
            Some(f) => {
                f.split(amount, parts);
                Ok(())
            }
            None => {
                let cut = crate::money::split_by_percent(from_fen(amount), &self.percents)
                    .ok_or_else(|| Error::Overflow {
                        context: "a payer split".into(),
                    })?;
                for (p, c) in parts.iter_mut().zip(cut) {
                    *p = crate::money::to_fen(c).ok_or_else(|| Error::Overflow {
                        context: "a payer split".into(),
                    })?;
                }
                Ok(())
            }
        }
    }
}

/// A budget's items as columns, in order: community by community (in
/// input order), each community's own items (rule by rule, then its
/// adjustment lines), then its people's (person by person, rule by rule).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Items {
    /// Position of the community.
    pub community: Vec<u32>,
    /// Position of the person (`NONE` for a community's own item).
    pub person: Vec<u32>,
    /// Position of the rule ([`ADJUSTMENT`] for an adjustment line).
    pub rule: Vec<u16>,
    /// Position of the post paid ([`NO_POST`] when none, or several).
    pub post: Vec<u16>,
    /// Months counted (bit `m − 1` for month `m`; 0 for annual amounts).
    pub months: Vec<u16>,
    /// See [`ItemRow::aux`].
    pub aux: Vec<u32>,
    /// Amount in fen.
    pub amount: Vec<i64>,
    /// Position of the item's split in [`Budget::splits`].
    pub split: Vec<u16>,
    /// Per payer of [`Budget::payers`], each item's share in fen.
    pub shares: Vec<Vec<i64>>,
}

impl Items {
    /// Items for `payers` payers, room for about `n`.
    pub fn with_capacity(payers: usize, n: usize) -> Self {
        Items {
            community: Vec::with_capacity(n),
            person: Vec::with_capacity(n),
            rule: Vec::with_capacity(n),
            post: Vec::with_capacity(n),
            months: Vec::with_capacity(n),
            aux: Vec::with_capacity(n),
            amount: Vec::with_capacity(n),
            split: Vec::with_capacity(n),
            shares: (0..payers).map(|_| Vec::with_capacity(n)).collect(),
        }
    }

    /// Number of items.
    pub fn len(&self) -> usize {
        self.amount.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.amount.is_empty()
    }

    /// Append an item, split between the payers of `splits[split]`.
    ///
    /// # Errors
    /// `overflow` when a part cannot be computed.
    pub fn push(&mut self, row: ItemRow, splits: &[Split], split: u16) -> Result<()> {
        let s = splits
            .get(split as usize)
            .ok_or_else(|| Error::BadRequest {
                message: "an item names no split".into(),
            })?;
        let at = self.amount.len();
        for column in &mut self.shares {
            column.push(0);
        }
        match (s.payers.as_slice(), s.fen.as_ref()) {
            // One payer: the whole amount.
            ([payer], _) if s.percents.first() == Some(&rust_decimal::Decimal::ONE_HUNDRED) => {
                if let Some(cell) = self
                    .shares
                    .get_mut(*payer as usize)
                    .and_then(|c| c.get_mut(at))
                {
                    *cell = row.amount;
                }
            }
            _ => {
                let mut parts = [0i64; 8];
                let mut many = Vec::new();
                let parts: &mut [i64] = match parts.get_mut(..s.payers.len()) {
                    Some(p) => p,
                    None => {
                        many.resize(s.payers.len(), 0);
                        &mut many
                    }
                };
                s.cut(row.amount, parts)?;
                for (payer, part) in s.payers.iter().zip(parts.iter()) {
                    if let Some(cell) = self
                        .shares
                        .get_mut(*payer as usize)
                        .and_then(|c| c.get_mut(at))
                    {
                        *cell = *part;
                    }
                }
            }
        }
        self.community.push(row.community);
        self.person.push(row.person);
        self.rule.push(row.rule);
        self.post.push(row.post);
        self.months.push(row.months);
        self.aux.push(row.aux);
        self.amount.push(row.amount);
        self.split.push(split);
        Ok(())
    }

    /// Append all of `other`'s items.
    pub fn append(&mut self, other: &mut Items) {
        self.community.append(&mut other.community);
        self.person.append(&mut other.person);
        self.rule.append(&mut other.rule);
        self.post.append(&mut other.post);
        self.months.append(&mut other.months);
        self.aux.append(&mut other.aux);
        self.amount.append(&mut other.amount);
        self.split.append(&mut other.split);
        for (mine, theirs) in self.shares.iter_mut().zip(other.shares.iter_mut()) {
            mine.append(theirs);
        }
    }

    /// Months counted of item `i`, as a count (`None` for annual amounts).
    pub fn month_count(&self, i: usize) -> Option<u32> {
        match self.months.get(i) {
            Some(0) | None => None,
            Some(m) => Some(m.count_ones()),
        }
    }

    /// Bytes the columns use (for benchmarks).
    #[allow(clippy::arithmetic_side_effects)] // sizes of allocations that exist: no overflow
    pub fn heap_bytes(&self) -> usize {
        self.community.capacity() * 4
            + self.person.capacity() * 4
            + self.rule.capacity() * 2
            + self.post.capacity() * 2
            + self.months.capacity() * 2
            + self.aux.capacity() * 4
            + self.amount.capacity() * 8
            + self.split.capacity() * 2
            + self.shares.iter().map(|s| s.capacity() * 8).sum::<usize>()
    }
}

/// Something not paid, or paid less, and why (written out by
/// [`Budget::exclusion_notes`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Exclusion {
    /// Stable code (`serving_not_eligible`, `lower_post_not_paid`, …).
    pub code: &'static str,
    /// Position of the community.
    pub community: u32,
    /// Position of the person, or `NONE`.
    pub person: u32,
    /// Position of the rule.
    pub rule: u16,
    /// The posts the note is about (the lower and the higher post of
    /// `lower_post_not_paid`), [`NO_POST`] where none.
    pub posts: [u16; 2],
}

/// Sums of a budget.
#[derive(Debug, Clone, PartialEq, Serialize, Default)]
pub struct Totals {
    /// Everything.
    pub overall: Decimal,
    /// By payer, in the policy's payer order.
    pub by_payer: Vec<(String, Decimal)>,
    /// By rule, in the policy's rule order (adjustments last).
    pub by_rule: Vec<(String, Decimal)>,
    /// By community position, in input order (every community, zero or
    /// not; [`Budget::community_totals`] names them).
    pub by_community: Vec<Decimal>,
}

/// The rating each community was paid at, and how it got it.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct RatingsUsed {
    /// Per community, the position of the rating in the policy (`NONE`
    /// for none); empty when the policy does not pay by rating.
    pub rating: Vec<u32>,
    /// Whether ratings were assigned from scores.
    pub from_scores: bool,
    /// Per community, the rating its score reached but a tie took away
    /// (`NONE` for none); empty unless assigned from scores.
    pub demoted_from: Vec<u32>,
}

/// The rating a community was paid at, and how it got it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RatingOutcome {
    /// Community id.
    pub community: Id,
    /// Rating used for pay, if any.
    pub rating: Option<String>,
    /// Rating as given in the input.
    pub given: Option<String>,
    /// Score given, if any.
    pub score: Option<Decimal>,
    /// Grade the score reached but the tie rule took away.
    pub demoted_from: Option<String>,
}

/// Check of the given or assigned ratings against the quota.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct QuotaCheck {
    /// Clause of the quota.
    pub clause: String,
    /// Communities in scope.
    pub communities: usize,
    /// Ratings `given` or `assigned` from scores.
    pub ratings_from: String,
    /// One row per capped rating.
    pub caps: Vec<CapCheck>,
}

/// One capped rating.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CapCheck {
    /// Rating id.
    pub rating: String,
    /// Cap as a percentage.
    pub percent: Decimal,
    /// Cap in communities.
    pub cap: usize,
    /// Communities with the rating.
    pub count: usize,
    /// count ≤ cap.
    pub within: bool,
}

/// One payer's part of an item.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Share {
    /// Payer id.
    pub payer: String,
    /// Percentage.
    pub percent: Decimal,
    /// Amount, to the fen; the shares of an item add up to its amount.
    pub amount: Decimal,
}
