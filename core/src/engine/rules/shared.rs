//! What the rule kinds share: how an item was computed ([`Calc`]), and
//! where a computation puts its items and notes ([`Out`]).

use crate::error::Result;
use crate::ledger::{Exclusion, ItemRow, Items, Split};
use crate::policy::file::UnitBasis;
use rust_decimal::Decimal;
use serde::Serialize;

/// How an item's amount was computed (written when asked for: see
/// [`crate::explain`]).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Calc {
    /// households ÷ unit × rate (with a minimum): `work_funds`.
    Households {
        /// Households.
        households: i64,
        /// Households per unit.
        per_unit: u32,
        /// Units counted (exact, after the basis).
        units: Decimal,
        /// Basis: proportional, per full unit, per started unit.
        basis: UnitBasis,
        /// Yuan per unit.
        rate: Decimal,
        /// The minimum in force, if any.
        minimum: Option<Decimal>,
        /// Whether the minimum replaced the product.
        minimum_applied: bool,
    },
    /// Monthly amounts, month by month, grouped into runs at one rate:
    /// `monthly_allowance`.
    Months {
        /// Runs of months at one rate.
        segments: Vec<Segment>,
    },
    /// An annual amount by the community's rating: `rating_bonus`.
    Rating {
        /// The rating.
        rating: String,
    },
    /// A user-supplied adjustment.
    Adjustment {
        /// The reason given.
        reason: String,
    },
    /// Posts by a norm × monthly pay × months: `post_norm`.
    Norm {
        /// Posts counted (the most in any month).
        posts: u32,
        /// Posts × months paid.
        post_months: u32,
        /// How they were counted, in words of the file (`1 per 900 households, ceil`).
        counted: String,
        /// Monthly pay per post (the part this item covers).
        monthly: Decimal,
        /// Months counted.
        months: u32,
        /// `full`, `subsidy` (paid first by one payer) or `remainder`.
        part: String,
    },
    /// An annual grant by star level: `star_grant`.
    Stars {
        /// The stars.
        stars: u8,
    },
    /// A fixed annual amount: `community_grant`.
    Fixed,
    /// An annual amount in a year its schedule changes, priced month by
    /// month at the row in force on each month's 1st (see
    /// `engine/rules/prorate.rs`): `work_funds`, `rating_bonus`,
    /// `star_grant`, `community_grant`.
    Prorated {
        /// Runs of months at one row; months with none in force are left
        /// out.
        parts: Vec<ProratedPart>,
    },
    /// The top-up of a worker's income to the floor: `income_floor`.
    IncomeTopUp {
        /// The worker's annual income.
        income: Decimal,
        /// The reference wage.
        reference: Decimal,
        /// The floor as a percentage of it.
        percent: Decimal,
        /// The floor.
        floor: Decimal,
    },
}

/// A run of consecutive months paid at one rate for one post.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Segment {
    /// First month (1–12).
    pub from_month: u32,
    /// Last month (1–12).
    pub to_month: u32,
    /// Months in the run.
    pub months: u32,
    /// Post paid.
    pub post: String,
    /// Base monthly amount of the post.
    pub base: Decimal,
    /// Full years of service counted.
    pub years: u32,
    /// Increment per full year.
    pub increment: Decimal,
    /// Monthly amount paid (base + years × increment).
    pub monthly: Decimal,
}

/// A run of months of an annual amount at one row of its schedule.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ProratedPart {
    /// First month (1–12).
    pub from_month: u32,
    /// Last month (1–12).
    pub to_month: u32,
    /// Months in the run.
    pub months: u32,
    /// The annual amount at that row (the run is owed `annual × months /
    /// 12`).
    pub annual: Decimal,
    /// How the annual amount is computed at that row.
    pub calc: Calc,
}

/// Where a rule's computation puts what it finds.
pub(crate) struct Out<'o> {
    pub items: &'o mut Items,
    pub splits: &'o [Split],
    pub exclusions: &'o mut Vec<Exclusion>,
    /// Rules whose amount had no row in force on 1 January (positions).
    pub not_in_force: &'o mut Vec<u16>,
}

impl Out<'_> {
    /// An item, split by `splits[split]`.
    pub(crate) fn push(&mut self, row: ItemRow, split: u16) -> Result<()> {
        self.items.push(row, self.splits, split)
    }

    /// Rule `position` has no amount in force.
    pub(crate) fn not_in_force(&mut self, position: u16) {
        if !self.not_in_force.contains(&position) {
            self.not_in_force.push(position);
        }
    }
}
