//! `rating_bonus`: an annual amount for a community by its rating
//! (吉市发[2011]13号 五(三): 优秀社区每年上浮1万元、良好社区每年上浮5千元).

use super::prorate::{self, ValueRun};
use super::shared::{Calc, Out};
use crate::engine::ctx::{City, Ctx};
use crate::error::{Error, Result};
use crate::frame::NONE;
use crate::lang::{rating_name, Lang};
use crate::ledger::{ItemRow, NO_POST};
use crate::policy::file::{PolicyFile, RatingBonus};
use crate::policy::locate::KeyPath;
use crate::policy::validity::{known, schedule, Checked, Known};
use crate::policy::values::in_force;
use crate::provenance::Values;
use rust_decimal::Decimal;
use std::fmt::Write;

/// The rule made ready for one budget.
pub(crate) struct Ready<'p> {
    position: u16,
    split: u16,
    /// Per policy rating: `None` when the rule names no amount for it,
    /// `Some(None)` when it does but none is in force on 1 January (in a
    /// year its amount changes, in any month).
    amounts: Vec<Option<Option<Decimal>>>,
    /// Per policy rating, in a year its amount changes, the runs of months
    /// at one amount (the year's amount above is prorated: see
    /// [`prorate`]).
    months: Vec<Option<Vec<ValueRun>>>,
    rule: &'p RatingBonus,
}

impl<'p> Ready<'p> {
    pub(crate) fn new(ctx: &Ctx<'p>, rule: &'p RatingBonus, position: u16, split: u16) -> Self {
        let months: Vec<Option<Vec<ValueRun>>> = ctx
            .file
            .ratings
            .iter()
            .map(|r| {
                rule.amounts
                    .get(&r.id)
                    .and_then(|rows| prorate::value_runs(rows, ctx.year_start))
            })
            .collect();
        let amounts = ctx
            .file
            .ratings
            .iter()
            .zip(&months)
            .map(|(r, runs)| {
                rule.amounts.get(&r.id).map(|rows| match runs {
                    Some(runs) => prorate::runs_amount(runs),
                    None => in_force(rows, ctx.year_start).map(|row| row.value.0),
                })
            })
            .collect();
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
        let r = city.rating_of(c);
        let Some(Some(entry)) =
            (r != NONE).then(|| self.amounts.get(r as usize).copied().flatten())
        else {
            // A rating the rule pays nothing for (or none): a note says so.
            out.exclusions.push(crate::ledger::Exclusion {
                code: "rating_not_paid",
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

    /// How community `c`'s item was computed.
    pub(crate) fn calc(&self, ctx: &Ctx, city: &City, c: usize) -> Calc {
        let r = city.rating_of(c);
        let rating = ctx
            .file
            .ratings
            .get(r as usize)
            .map(|l| l.id.clone())
            .unwrap_or_default();
        match self.months.get(r as usize) {
            Some(Some(runs)) => Calc::Prorated {
                parts: prorate::parts(runs, || Calc::Rating {
                    rating: rating.clone(),
                }),
            },
            _ => Calc::Rating { rating },
        }
    }
}

/// The computation in words (`评为良好`).
pub(crate) fn describe(
    s: &mut String,
    file: &PolicyFile,
    who: &str,
    rule: &str,
    rating: &str,
    lang: Lang,
) {
    let label = rating_name(file, rating, lang);
    let _ = match lang {
        Lang::Zh => write!(s, "{who} {rule}:评为{label}"),
        Lang::En => write!(s, "{who} {rule}: rated {label}"),
    };
}

/// The words of this kind's "why not" note (`rating_not_paid`): the
/// community's rating, and the ratings the rule pays.
pub(crate) fn note_text(
    e: &crate::ledger::Exclusion,
    file: &PolicyFile,
    rule: &RatingBonus,
    city: &City,
    kept: &str,
    name: &str,
) -> Option<(String, String)> {
    if e.code != "rating_not_paid" {
        return None;
    }
    let paid = |lang: Lang| {
        file.ratings
            .iter()
            .filter(|r| rule.amounts.contains_key(&r.id))
            .map(|r| lang.pick(&r.zh, &r.en))
            .collect::<Vec<_>>()
    };
    let r = city.rating_of(e.community as usize);
    Some(match file.ratings.get(r as usize) {
        Some(rating) => (
            format!(
                "{kept} 评为{},{}只发给评为{}的社区,不计发",
                rating.zh,
                rule.zh,
                paid(Lang::Zh).join("、")
            ),
            format!(
                "{name} is rated {}: {} is paid only to communities rated {}",
                rating.en,
                rule.en,
                paid(Lang::En).join(" or ")
            ),
        ),
        None => (
            format!("{kept} 未评级,不享受{}", rule.zh),
            format!("{name} has no rating, so no {}", rule.en),
        ),
    })
}

/// The rule's values, for provenance.
pub(crate) fn values(v: &mut Values, r: &RatingBonus) {
    for (rating, rows) in &r.amounts {
        v.schedule(&format!("amounts.{rating}"), rows);
    }
}

/// The rule's own checks.
pub(crate) fn validate(r: &RatingBonus, known_ids: &Known, path: &KeyPath) -> Checked {
    for (rating, s) in &r.amounts {
        known(
            &known_ids.ratings,
            rating,
            "rating",
            &path.key("amounts").key(rating),
        )?;
        schedule(s, &path.key("amounts").key(rating))?;
    }
    Ok(())
}
