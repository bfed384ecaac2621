//! What shequ returns: a [`Budget`], its items as columns.
//!
//! Each item is a row of [`Items`]: the community, the person, the rule and
//! post by position, the months counted as a 12-bit mask, and the amount
//! and each payer's share in whole fen. Nothing in an item is text: names,
//! explanations, provenance and the "why not" notes are written when asked
//! for, from the item, the policy and the input (see [`crate::explain`]).
//! A budget refers to that policy and input (shared handles, not copies),
//! so it can explain itself.

#![deny(clippy::arithmetic_side_effects)] // money: checked (see core/tests/checked_arithmetic.rs)

use crate::frame::{Frame, NONE};
use crate::ids::Id;
use crate::money::from_fen;
use crate::notes::Note;
use crate::policy::Policy;
use chrono::NaiveDate;
use rust_decimal::Decimal;
use std::sync::Arc;

pub use crate::engine::rules::{Calc, ProratedPart, Segment};
pub use crate::ledger::{
    CapCheck, Exclusion, ItemRow, Items, NormPart, QuotaCheck, RatingOutcome, RatingsUsed, Share,
    Split, Totals, ADJUSTMENT, NO_POST,
};
pub use crate::options::{BudgetOptions, QuotaMode, RatingSource};

/// A computed budget (see the module docs).
#[derive(Debug, Clone)]
pub struct Budget {
    /// Policy id.
    pub policy: String,
    /// Policy version.
    pub policy_version: String,
    /// Document number.
    pub document: String,
    /// Budget year.
    pub year: i32,
    /// Year-to-date cut-off, if any.
    pub as_of: Option<NaiveDate>,
    /// Every amount owed, as columns.
    pub items: Items,
    /// The payers of the items' shares, in order: the policy's, then any
    /// other a split names.
    pub payers: Vec<String>,
    /// The payer splits the items use.
    pub splits: Vec<Split>,
    /// Sums.
    pub totals: Totals,
    /// Ratings used.
    pub ratings: RatingsUsed,
    /// Quota check, when the policy has a quota.
    pub quota: Option<QuotaCheck>,
    /// Warnings: data or policy facts the caller should look at.
    pub warnings: Vec<Note>,
    /// Why someone or something is not paid (or paid less).
    pub exclusions: Vec<Exclusion>,
    pub(crate) source: Policy,
    pub(crate) input: Arc<Frame>,
    pub(crate) options: BudgetOptions,
    pub(crate) checked: Arc<crate::engine::checked::Checked>,
}

impl Budget {
    /// The policy this budget was computed under.
    pub fn policy(&self) -> &Policy {
        &self.source
    }

    /// The input it was computed from.
    pub fn input(&self) -> &Frame {
        &self.input
    }

    /// The input, shared.
    pub fn input_handle(&self) -> Arc<Frame> {
        Arc::clone(&self.input)
    }

    /// The options it was computed with.
    pub fn options(&self) -> &BudgetOptions {
        &self.options
    }

    /// Total owed by a payer.
    pub fn payer_total(&self, payer: &str) -> Decimal {
        self.totals
            .by_payer
            .iter()
            .find(|(p, _)| p == payer)
            .map(|(_, a)| *a)
            .unwrap_or_default()
    }

    /// Total of a community (by its id's text).
    pub fn community_total(&self, community: &str) -> Decimal {
        self.input
            .community_position(community)
            .and_then(|c| self.totals.by_community.get(c).copied())
            .unwrap_or_default()
    }

    /// Total of a rule.
    pub fn rule_total(&self, rule: &str) -> Decimal {
        self.totals
            .by_rule
            .iter()
            .find(|(r, _)| r == rule)
            .map(|(_, a)| *a)
            .unwrap_or_default()
    }

    /// Each community's id and total, in input order.
    pub fn community_totals(&self) -> impl Iterator<Item = (Id, Decimal)> + '_ {
        self.totals
            .by_community
            .iter()
            .enumerate()
            .map(|(c, amount)| (self.input.community_id(c), *amount))
    }

    /// Each community's total by payer, in whole fen: row `c` of the
    /// result holds community `c`'s share of each payer of
    /// [`Budget::payers`], in that order (one pass over the items' shares).
    ///
    /// ```
    /// use shequ::{Policy, Input, Community, BudgetOptions};
    /// let policy = Policy::builtin("jilin-2011-13")?;
    /// let input = Input { communities: vec![Community::new("C1", "社区A", 2751).with_rating("ordinary")], ..Default::default() };
    /// let budget = policy.budget(&input, &BudgetOptions::year(2026))?;
    /// let by = budget.community_payer_fen();
    /// assert_eq!(&by[0][..2], &[2063250, 2063250]); // 41265.00 yuan, 50/50
    /// # Ok::<(), shequ::Error>(())
    /// ```
    pub fn community_payer_fen(&self) -> Vec<Vec<i128>> {
        let p = self.payers.len();
        let mut out = vec![vec![0i128; p]; self.totals.by_community.len()];
        for (k, column) in self.items.shares.iter().enumerate() {
            for (i, share) in column.iter().enumerate() {
                if let Some(row) = out.get_mut(self.items.community[i] as usize) {
                    // An i64 per item: an i128 holds 2^64 of them.
                    row[k] = row[k].saturating_add(i128::from(*share));
                }
            }
        }
        out
    }

    /// The positions of community `c`'s items (its own and its people's).
    pub fn items_of_position(&self, c: usize) -> impl Iterator<Item = usize> + '_ {
        let c = u32::try_from(c).unwrap_or(NONE);
        // Items come community by community: one run.
        let community = &self.items.community;
        let start = community.partition_point(|&x| x < c);
        (start..community.len()).take_while(move |&i| community[i] == c)
    }

    /// Item `i`'s shares, one per payer of its split.
    pub fn shares_of(&self, i: usize) -> Vec<Share> {
        let Some(split) = self
            .items
            .split
            .get(i)
            .and_then(|s| self.splits.get(*s as usize))
        else {
            return Vec::new();
        };
        split
            .payers
            .iter()
            .zip(&split.percents)
            .map(|(p, percent)| Share {
                payer: self.payers.get(*p as usize).cloned().unwrap_or_default(),
                percent: *percent,
                amount: self
                    .items
                    .shares
                    .get(*p as usize)
                    .and_then(|col| col.get(i))
                    .map_or(Decimal::ZERO, |f| from_fen(*f)),
            })
            .collect()
    }

    /// Bytes the items and notes use (for benchmarks).
    #[allow(clippy::arithmetic_side_effects)] // sizes of allocations that exist: no overflow
    pub fn heap_bytes(&self) -> usize {
        self.items.heap_bytes()
            + self.exclusions.capacity() * std::mem::size_of::<Exclusion>()
            + self.totals.by_community.capacity() * 16
            + self.ratings.rating.capacity() * 4
            + self.ratings.demoted_from.capacity() * 4
    }
}
