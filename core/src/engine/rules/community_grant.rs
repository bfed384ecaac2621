//! `community_grant`: a fixed annual amount per community (赤峰: 社区工作经费
//! 每年不低于1万元).

use super::prorate::{self, ValueRun};
use super::shared::{Calc, Out};
use crate::engine::ctx::{City, Ctx};
use crate::error::{Error, Result};
use crate::frame::NONE;
use crate::ledger::{ItemRow, NO_POST};
use crate::policy::file::CommunityGrant;
use crate::policy::locate::KeyPath;
use crate::policy::validity::{schedule, Checked};
use crate::policy::values::in_force;
use crate::provenance::Values;
use rust_decimal::Decimal;

/// The rule made ready for one budget.
pub(crate) struct Ready<'p> {
    position: u16,
    split: u16,
    /// The year's amount (prorated in a year it changes).
    amount: Option<Decimal>,
    /// In a year the amount changes, the runs of months at one amount
    /// (see [`prorate`]).
    months: Option<Vec<ValueRun>>,
    rule: &'p CommunityGrant,
}

impl<'p> Ready<'p> {
    pub(crate) fn new(ctx: &Ctx<'p>, rule: &'p CommunityGrant, position: u16, split: u16) -> Self {
        let months = prorate::value_runs(&rule.amount, ctx.year_start);
        let amount = match &months {
            Some(runs) => prorate::runs_amount(runs),
            None => in_force(&rule.amount, ctx.year_start).map(|r| r.value.0),
        };
        Ready {
            position,
            split,
            amount,
            months,
            rule,
        }
    }

    /// The item of community `c`.
    pub(crate) fn community(&self, _city: &City, c: usize, out: &mut Out) -> Result<()> {
        let Some(amount) = self.amount else {
            out.not_in_force(self.position);
            return Ok(());
        };
        let amount = crate::money::to_fen(amount).ok_or_else(|| Error::Overflow {
            context: format!("rule `{}`", self.rule.id),
        })?;
        out.push(
            ItemRow {
                community: u32::try_from(c).unwrap_or(NONE),
                person: NONE,
                rule: self.position,
                post: NO_POST,
                months: 0,
                aux: 0,
                amount,
            },
            self.split,
        )
    }

    /// How an item was computed: a fixed amount (by month in a year it
    /// changes).
    pub(crate) fn calc(&self) -> Calc {
        match &self.months {
            Some(runs) => Calc::Prorated {
                parts: prorate::parts(runs, || Calc::Fixed),
            },
            None => Calc::Fixed,
        }
    }
}

/// The rule's values, for provenance.
pub(crate) fn values(v: &mut Values, r: &CommunityGrant) {
    v.schedule("amount", &r.amount);
}

/// The rule's own checks.
pub(crate) fn validate(r: &CommunityGrant, path: &KeyPath) -> Checked {
    schedule(&r.amount, &path.key("amount"))
}
