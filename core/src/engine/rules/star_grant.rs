//! `star_grant`: an annual grant for a community by its star level
//! (哈办发〔2011〕14号 三(五): 五星级和谐社区每年5万元、四星级3万元).

use super::prorate::{self, ValueRun};
use super::shared::{Calc, Out};
use crate::engine::ctx::{City, Ctx};
use crate::error::{Error, Result};
use crate::frame::NONE;
use crate::lang::Lang;
use crate::ledger::{ItemRow, NO_POST};
use crate::policy::file::StarGrant;
use crate::policy::locate::KeyPath;
use crate::policy::validity::{invalid, schedule, Checked};
use crate::policy::values::in_force;
use crate::provenance::Values;
use rust_decimal::Decimal;
use std::fmt::Write;

/// The rule made ready for one budget.
pub(crate) struct Ready<'p> {
    position: u16,
    split: u16,
    /// Per star level 0–5: as for a rating bonus, `None` when no amount is
    /// named, `Some(None)` when none is in force.
    amounts: [Option<Option<Decimal>>; 6],
    /// Per star level, in a year its amount changes, the runs of months
    /// at one amount (see [`prorate`]).
    months: [Option<Vec<ValueRun>>; 6],
    rule: &'p StarGrant,
}

impl<'p> Ready<'p> {
    pub(crate) fn new(ctx: &Ctx<'p>, rule: &'p StarGrant, position: u16, split: u16) -> Self {
        let mut amounts = [None; 6];
        let mut months: [Option<Vec<ValueRun>>; 6] = Default::default();
        for (stars, rows) in &rule.amounts {
            let Some(k) = stars.parse::<usize>().ok().filter(|&k| k < 6) else {
                continue;
            };
            let runs = prorate::value_runs(rows, ctx.year_start);
            amounts[k] = Some(match &runs {
                Some(runs) => prorate::runs_amount(runs),
                None => in_force(rows, ctx.year_start).map(|row| row.value.0),
            });
            months[k] = runs;
        }
        Ready {
            position,
            split,
            amounts,
            months,
            rule,
        }
    }

    /// The item of community `c`.
    pub(crate) fn community(&self, city: &City, c: usize, out: &mut Out) -> Result<()> {
        let stars = city.frame.communities.star_count(c);
        let Some(Some(entry)) = stars.and_then(|n| self.amounts.get(n as usize)) else {
            // No level the rule pays: a note says so.
            out.exclusions.push(crate::ledger::Exclusion {
                code: "stars_not_paid",
                community: u32::try_from(c).unwrap_or(NONE),
                person: NONE,
                rule: self.position,
                posts: [NO_POST; 2],
            });
            return Ok(());
        };
        let Some(amount) = entry else {
            out.not_in_force(self.position);
            return Ok(());
        };
        let amount = crate::money::to_fen(*amount).ok_or_else(|| Error::Overflow {
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

    /// How community `c`'s item was computed.
    pub(crate) fn calc(&self, city: &City, c: usize) -> Calc {
        let stars = city.frame.communities.star_count(c).unwrap_or(0);
        match self.months.get(stars as usize) {
            Some(Some(runs)) => Calc::Prorated {
                parts: prorate::parts(runs, || Calc::Stars { stars }),
            },
            _ => Calc::Stars { stars },
        }
    }
}

/// The computation in words (`5星级`).
pub(crate) fn describe(s: &mut String, who: &str, rule: &str, stars: u8, lang: Lang) {
    let _ = match lang {
        Lang::Zh => write!(s, "{who} {rule}:{stars}星级"),
        Lang::En => write!(s, "{who} {rule}: {stars}-star"),
    };
}

/// The words of this kind's "why not" note (`stars_not_paid`): the
/// community's star level, and the levels the rule pays.
pub(crate) fn note_text(
    e: &crate::ledger::Exclusion,
    rule: &StarGrant,
    city: &City,
    kept: &str,
    name: &str,
) -> Option<(String, String)> {
    if e.code != "stars_not_paid" {
        return None;
    }
    let levels: Vec<&str> = rule.amounts.keys().map(String::as_str).collect();
    Some(
        match city.frame.communities.star_count(e.community as usize) {
            Some(n) => (
                format!(
                    "{kept} 为{n}星级,{}只发给{}星级社区,不计发",
                    rule.zh,
                    levels.join("、")
                ),
                format!(
                    "{name} is {n}-star: {} is paid only to {}-star communities",
                    rule.en,
                    levels.join(" or ")
                ),
            ),
            None => (
                format!("{kept} 未评星级,不享受{}", rule.zh),
                format!("{name} has no star level, so no {}", rule.en),
            ),
        },
    )
}

/// The rule's values, for provenance.
pub(crate) fn values(v: &mut Values, r: &StarGrant) {
    for (stars, rows) in &r.amounts {
        v.schedule(&format!("amounts.{stars}"), rows);
    }
}

/// The rule's own checks.
pub(crate) fn validate(r: &StarGrant, path: &KeyPath) -> Checked {
    for (stars, s) in &r.amounts {
        if !matches!(stars.parse::<u8>(), Ok(0..=5)) {
            invalid(
                path.key("amounts").key(stars),
                format!("`{stars}` is not a star level 0–5"),
            )?;
        }
        schedule(s, &path.key("amounts").key(stars))?;
    }
    Ok(())
}
