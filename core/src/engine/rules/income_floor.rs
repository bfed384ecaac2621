//! `income_floor`: a worker's annual income must reach a share of a
//! reference wage (赤峰: 不低于当地上年度城镇职工平均工资的70%/85%/100%);
//! the top-up to the floor is owed to each worker below it.

use super::shared::{Calc, Out};
use crate::engine::ctx::{City, Ctx};
use crate::error::{Error, InputError, InputErrorCode, RecordKind, RecordRef, Result};
use crate::frame::NONE;
use crate::lang::{num, yuan, Lang};
use crate::ledger::{Exclusion, ItemRow, NO_POST};
use crate::money::round_fen;
use crate::policy::file::IncomeFloor;
use crate::policy::locate::KeyPath;
use crate::policy::validity::{known, schedule, Checked, Known};
use crate::policy::values::{in_force, Source};
use crate::provenance::{ValueUse, Values};
use rust_decimal::Decimal;
use std::fmt::Write;

/// The rule made ready for one budget.
pub(crate) struct Ready<'p> {
    rule: &'p IncomeFloor,
    position: u16,
    split: u16,
    /// The posts whose holders are workers, by policy position.
    posts: Vec<u16>,
    /// The floor's share of the reference wage in force on 1 January.
    share: Option<Decimal>,
}

/// Whether an income is above the floor, or the top-up owed.
pub(crate) enum Floor {
    /// Not a worker under the rule, or no share in force.
    NotCovered,
    /// At or above the floor: the income, and the floor's computation.
    Above(Calc),
    /// Below: the top-up.
    Below(Calc, Decimal),
}

impl<'p> Ready<'p> {
    pub(crate) fn new(ctx: &Ctx<'p>, rule: &'p IncomeFloor, position: u16, split: u16) -> Self {
        Ready {
            rule,
            position,
            split,
            posts: rule
                .posts
                .iter()
                .filter_map(|p| ctx.post_position(p))
                .collect(),
            share: in_force(&rule.share, ctx.year_start).map(|r| r.value.0),
        }
    }

    /// Where person `p` stands against the floor.
    pub(crate) fn floor(&self, ctx: &Ctx, city: &City, p: usize) -> Result<Floor> {
        let frame = city.frame;
        let is_worker = frame.people.holdings_of(p).any(|h| {
            self.posts.contains(&city.post_of(h))
                && ctx
                    .months
                    .iter()
                    .any(|first| frame.holdings.held_on(h, *first))
        });
        if !is_worker {
            return Ok(Floor::NotCovered);
        }
        let Some(share) = self.share else {
            return Ok(Floor::NotCovered);
        };
        let r = self.rule;
        let reference = crate::engine::rules::post_norm::parameter(
            ctx.opts,
            &r.reference_parameter,
            &r.id,
            &r.clause,
        )?;
        let Some(income) = frame.people.income_of(p) else {
            let record = frame.people.record.get(p).map_or(p, |&k| k as usize);
            return Err(Error::Input(InputError::new(
                InputErrorCode::MissingField,
                RecordRef::new(RecordKind::Person, record, frame.people.id.text(p).into_owned()),
                "income",
                format!("rule `{}` (clause {}) compares each worker's annual income with a floor; give `income`", r.id, r.clause),
            )));
        };
        if income.is_sign_negative() && !income.is_zero() {
            let record = frame.people.record.get(p).map_or(p, |&k| k as usize);
            return Err(Error::Input(InputError::new(
                InputErrorCode::OutOfRange,
                RecordRef::new(
                    RecordKind::Person,
                    record,
                    frame.people.id.text(p).into_owned(),
                ),
                "income",
                format!("`{income}` is negative: an annual income is 0 or more"),
            )));
        }
        let overflow = || Error::Overflow {
            context: format!("the income floor of rule `{}`", r.id),
        };
        let floor = round_fen(
            reference
                .checked_mul(share)
                .and_then(|x| x.checked_div(Decimal::ONE_HUNDRED))
                .ok_or_else(overflow)?,
        );
        let calc = Calc::IncomeTopUp {
            income,
            reference,
            percent: share,
            floor,
        };
        if income >= floor {
            return Ok(Floor::Above(calc));
        }
        let top_up = floor.checked_sub(income).ok_or_else(overflow)?;
        Ok(Floor::Below(calc, top_up))
    }

    /// The item of person `p`, when their income is below the floor.
    pub(crate) fn person(&self, ctx: &Ctx, city: &City, p: usize, out: &mut Out) -> Result<()> {
        let top_up = match self.floor(ctx, city, p)? {
            Floor::Below(_, top_up) => top_up,
            Floor::Above(_) => {
                out.exclusions.push(Exclusion {
                    code: "income_above_floor",
                    community: city.frame.people.community[p],
                    person: u32::try_from(p).unwrap_or(NONE),
                    rule: self.position,
                    posts: [NO_POST; 2],
                });
                return Ok(());
            }
            Floor::NotCovered => return Ok(()),
        };
        let amount = crate::money::to_fen(top_up).ok_or_else(|| Error::Overflow {
            context: format!("rule `{}`", self.rule.id),
        })?;
        out.push(
            ItemRow {
                community: city.frame.people.community[p],
                person: u32::try_from(p).unwrap_or(NONE),
                rule: self.position,
                post: NO_POST,
                months: 0,
                aux: 0,
                amount,
            },
            self.split,
        )
    }

    /// How person `p`'s item was computed.
    pub(crate) fn calc(&self, ctx: &Ctx, city: &City, p: usize) -> Result<Calc> {
        Ok(match self.floor(ctx, city, p)? {
            Floor::Below(calc, _) => calc,
            _ => Calc::Fixed,
        })
    }
}

impl Ready<'_> {
    /// The words of this kind's "why not" notes: `income_above_floor`,
    /// with the floor and how it is reached.
    pub(crate) fn note_text(
        &self,
        ctx: &Ctx,
        city: &City,
        e: &Exclusion,
        rule: &IncomeFloor,
        kept: &str,
        name: &str,
    ) -> Option<(String, String)> {
        if e.code != "income_above_floor" {
            return None;
        }
        let Ok(Floor::Above(Calc::IncomeTopUp {
            income,
            reference,
            percent,
            floor,
        })) = self.floor(ctx, city, e.person as usize)
        else {
            return None;
        };
        Some((
            format!(
                "{kept} 年收入{}元,不低于{}最低标准{}元(上年平均工资{}元 × {}%),无需补足",
                yuan(income),
                rule.zh,
                yuan(floor),
                yuan(reference),
                num(percent)
            ),
            format!(
                "{name}'s income of {} yuan is not below the floor of {} yuan ({} × {}% of last year's average wage) of {}: no top-up is owed",
                yuan(income),
                yuan(floor),
                yuan(reference),
                num(percent),
                rule.en
            ),
        ))
    }
}

/// The computation in words.
#[allow(clippy::too_many_arguments)]
pub(crate) fn describe(
    s: &mut String,
    who: &str,
    rule: &str,
    lang: Lang,
    income: Decimal,
    reference: Decimal,
    percent: Decimal,
    floor: Decimal,
) {
    let _ = match lang {
        Lang::Zh => write!(
            s,
            "{who} {rule}:最低标准 上年平均工资{}元 × {}% = {}元,年收入{}元,补足差额",
            yuan(reference),
            num(percent),
            yuan(floor),
            yuan(income)
        ),
        Lang::En => write!(
            s,
            "{who} {rule}: floor {} × {}% = {}, income {}, topped up",
            yuan(reference),
            num(percent),
            yuan(floor),
            yuan(income)
        ),
    };
}

/// The rule's values, for provenance.
pub(crate) fn values(v: &mut Values, r: &IncomeFloor) {
    v.schedule("share", &r.share);
    v.list.push(ValueUse {
        name: "reference_parameter".into(),
        value: r.reference_parameter.clone(),
        source: Source::Input,
        clause: v.clause.to_string(),
        note: None,
    });
}

/// The rule's own checks.
pub(crate) fn validate(r: &IncomeFloor, known_ids: &Known, path: &KeyPath) -> Checked {
    for post in &r.posts {
        known(&known_ids.posts, post, "post", &path.key("posts"))?;
    }
    schedule(&r.share, &path.key("share"))?;
    known(
        &known_ids.params,
        &r.reference_parameter,
        "parameter",
        &path.key("reference_parameter"),
    )
}
