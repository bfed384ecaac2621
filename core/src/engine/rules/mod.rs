//! The rule kinds, one file each, named as the policy file's `kind`: each
//! holds the kind's computation, its explanation sentence, the values its
//! provenance lists and its policy validation. This module dispatches to
//! them with one exhaustive `match` per step.

pub(crate) mod adjustment;
pub(crate) mod community_grant;
pub(crate) mod income_floor;
pub(crate) mod monthly_allowance;
pub(crate) mod post_norm;
pub(crate) mod prorate;
pub(crate) mod rating_bonus;
pub(crate) mod shared;
pub(crate) mod star_grant;
pub(crate) mod work_funds;

pub(crate) use shared::Out;
pub use shared::{Calc, ProratedPart, Segment};

use super::ctx::{City, Ctx};
use crate::error::Result;
use crate::lang::Lang;
use crate::ledger::{Exclusion, Items, NormPart};
use crate::policy::file::{PolicyFile, Rule};
use crate::policy::locate::KeyPath;
use crate::policy::validity::{Checked, Known};
use crate::provenance::Values;

/// A rule made ready for one budget.
pub(crate) enum Ready<'p> {
    WorkFunds(work_funds::Ready<'p>),
    MonthlyAllowance(monthly_allowance::Ready<'p>),
    RatingBonus(rating_bonus::Ready<'p>),
    PostNorm(post_norm::Ready<'p>),
    StarGrant(star_grant::Ready<'p>),
    CommunityGrant(community_grant::Ready<'p>),
    IncomeFloor(income_floor::Ready<'p>),
}

/// What the rules of a person reuse from one person to the next.
#[derive(Default)]
pub(crate) struct Scratch<'p> {
    allowance: monthly_allowance::Scratch<'p>,
}

impl<'p> Ready<'p> {
    /// Rule `position` of the policy, made ready.
    pub(crate) fn new(ctx: &mut Ctx<'p>, position: usize) -> Option<Self> {
        let rule = ctx.rule(position)?;
        let p = u16::try_from(position).unwrap_or(u16::MAX);
        let split = ctx.rule_split.get(position).copied().flatten();
        let s = split.unwrap_or(u16::MAX);
        Some(match rule {
            Rule::WorkFunds(r) => Ready::WorkFunds(work_funds::Ready::new(ctx, r, p, s)),
            Rule::MonthlyAllowance(r) => {
                Ready::MonthlyAllowance(monthly_allowance::Ready::new(ctx, r, p, s))
            }
            Rule::RatingBonus(r) => Ready::RatingBonus(rating_bonus::Ready::new(ctx, r, p, s)),
            Rule::PostNorm(r) => Ready::PostNorm(post_norm::Ready::new(ctx, r, p, split)),
            Rule::StarGrant(r) => Ready::StarGrant(star_grant::Ready::new(ctx, r, p, s)),
            Rule::CommunityGrant(r) => {
                Ready::CommunityGrant(community_grant::Ready::new(ctx, r, p, s))
            }
            Rule::IncomeFloor(r) => Ready::IncomeFloor(income_floor::Ready::new(ctx, r, p, s)),
        })
    }

    /// Whether the rule pays people (rather than communities).
    pub(crate) fn pays_people(&self) -> bool {
        matches!(self, Ready::MonthlyAllowance(_) | Ready::IncomeFloor(_))
    }

    /// The items community `c` is owed as a whole.
    pub(crate) fn community(&self, ctx: &Ctx, city: &City, c: usize, out: &mut Out) -> Result<()> {
        match self {
            Ready::WorkFunds(r) => r.community(city, c, out),
            Ready::RatingBonus(r) => r.community(city, c, out),
            Ready::PostNorm(r) => r.community(ctx, city, c, out),
            Ready::StarGrant(r) => r.community(city, c, out),
            Ready::CommunityGrant(r) => r.community(city, c, out),
            Ready::MonthlyAllowance(_) | Ready::IncomeFloor(_) => Ok(()),
        }
    }

    /// The items person `p` is owed.
    pub(crate) fn person(
        &self,
        ctx: &Ctx,
        city: &City,
        p: usize,
        scratch: &mut Scratch<'p>,
        out: &mut Out,
    ) -> Result<()> {
        match self {
            Ready::MonthlyAllowance(r) => r.person(ctx, city, p, &mut scratch.allowance, out),
            Ready::IncomeFloor(r) => r.person(ctx, city, p, out),
            Ready::WorkFunds(_)
            | Ready::RatingBonus(_)
            | Ready::PostNorm(_)
            | Ready::StarGrant(_)
            | Ready::CommunityGrant(_) => Ok(()),
        }
    }

    /// How item `i` of `items` (one of this rule's) was computed.
    pub(crate) fn calc(&self, ctx: &Ctx, city: &City, items: &Items, i: usize) -> Result<Calc> {
        let c = items.community[i] as usize;
        let p = items.person[i] as usize;
        Ok(match self {
            Ready::WorkFunds(r) => r.calc(city, c)?.unwrap_or(Calc::Fixed),
            Ready::MonthlyAllowance(r) => r.calc(ctx, city, p, items.aux[i])?,
            Ready::RatingBonus(r) => r.calc(ctx, city, c),
            Ready::PostNorm(r) => r.calc(ctx, city, c, NormPart::of(items.aux[i]))?,
            Ready::StarGrant(r) => r.calc(city, c),
            Ready::CommunityGrant(r) => r.calc(),
            Ready::IncomeFloor(r) => r.calc(ctx, city, p)?,
        })
    }
}

/// The sentence of an item's computation, up to its amount: who, the
/// rule, and how (`胜利社区(C1) 社区工作经费:2750户 × 1500元/百户`).
pub(crate) fn describe(
    file: &PolicyFile,
    rule_def: Option<&Rule>,
    calc: &Calc,
    post: Option<&str>,
    who: &str,
    rule: &str,
    lang: Lang,
) -> String {
    let mut s = String::new();
    match calc {
        Calc::Households {
            households,
            per_unit,
            units,
            basis,
            rate,
            minimum,
            minimum_applied,
        } => work_funds::describe(
            &mut s,
            who,
            rule,
            lang,
            *households,
            *per_unit,
            *units,
            *basis,
            *rate,
            *minimum,
            *minimum_applied,
        ),
        Calc::Months { segments } => {
            s.push_str(who);
            s.push(' ');
            s.push_str(rule);
            s.push_str(lang.pick(":", ": "));
            monthly_allowance::describe(&mut s, file, segments, lang);
        }
        Calc::Rating { rating } => rating_bonus::describe(&mut s, file, who, rule, rating, lang),
        Calc::Adjustment { reason } => adjustment::describe(
            &mut s,
            who,
            rule,
            &crate::lang::Script::of(file).keep(reason),
            lang,
        ),
        Calc::Norm {
            posts,
            post_months,
            counted,
            monthly,
            months,
            part,
        } => post_norm::describe(
            &mut s,
            file,
            match rule_def {
                Some(Rule::PostNorm(r)) => Some(&r.count.value),
                _ => None,
            },
            who,
            rule,
            post,
            lang,
            *posts,
            *post_months,
            counted,
            *monthly,
            *months,
            part,
        ),
        Calc::Stars { stars } => star_grant::describe(&mut s, who, rule, *stars, lang),
        Calc::Prorated { parts } => {
            prorate::describe(&mut s, file, rule_def, parts, post, who, rule, lang)
        }
        Calc::Fixed => {
            s.push_str(who);
            s.push(' ');
            s.push_str(rule);
        }
        Calc::IncomeTopUp {
            income,
            reference,
            percent,
            floor,
        } => income_floor::describe(
            &mut s, who, rule, lang, *income, *reference, *percent, *floor,
        ),
    }
    s
}

/// The values a rule uses, each with its source, for its provenance.
pub(crate) fn values(v: &mut Values, rule: &Rule) {
    match rule {
        Rule::WorkFunds(r) => work_funds::values(v, r),
        Rule::MonthlyAllowance(r) => monthly_allowance::values(v, r),
        Rule::RatingBonus(r) => rating_bonus::values(v, r),
        Rule::PostNorm(r) => post_norm::values(v, r),
        Rule::StarGrant(r) => star_grant::values(v, r),
        Rule::CommunityGrant(r) => community_grant::values(v, r),
        Rule::IncomeFloor(r) => income_floor::values(v, r),
    }
}

/// A rule's own checks.
pub(crate) fn validate(rule: &Rule, known: &Known, path: &KeyPath) -> Checked {
    match rule {
        Rule::WorkFunds(r) => work_funds::validate(r, path),
        Rule::MonthlyAllowance(r) => monthly_allowance::validate(r, known, path),
        Rule::RatingBonus(r) => rating_bonus::validate(r, known, path),
        Rule::PostNorm(r) => post_norm::validate(r, known, path),
        Rule::StarGrant(r) => star_grant::validate(r, path),
        Rule::CommunityGrant(r) => community_grant::validate(r, path),
        Rule::IncomeFloor(r) => income_floor::validate(r, known, path),
    }
}

impl Ready<'_> {
    /// The words of a "why not" note `e` of this rule (`rule`), about a
    /// person or community named `name` (`kept`: marked as data for the
    /// Chinese, see [`crate::lang::Script::keep`]): Chinese and English.
    pub(crate) fn note_text(
        &self,
        ctx: &Ctx,
        city: &City,
        e: &Exclusion,
        rule: &Rule,
        kept: &str,
        name: &str,
    ) -> Option<(String, String)> {
        let file = ctx.file;
        match (self, rule) {
            (Ready::MonthlyAllowance(_), Rule::MonthlyAllowance(r)) => {
                monthly_allowance::note_text(e, file, r, kept, name)
            }
            (Ready::IncomeFloor(ready), Rule::IncomeFloor(r)) => {
                ready.note_text(ctx, city, e, r, kept, name)
            }
            (Ready::RatingBonus(_), Rule::RatingBonus(r)) => {
                rating_bonus::note_text(e, file, r, city, kept, name)
            }
            (Ready::StarGrant(_), Rule::StarGrant(r)) => {
                star_grant::note_text(e, r, city, kept, name)
            }
            _ => None,
        }
    }
}

/// The position an [`Exclusion`] about no rule in particular has.
pub(crate) const NO_RULE: u16 = u16::MAX;

/// The words of a note about a person that no rule of the policy is about
/// (`post_not_paid`: every post they hold is one no rule pays or counts).
pub(crate) fn person_note(
    e: &Exclusion,
    file: &PolicyFile,
    city: &City,
    kept: &str,
    name: &str,
) -> Option<(String, String)> {
    let p = e.person as usize;
    let mut zh_posts: Vec<&str> = Vec::new();
    let mut en_posts: Vec<&str> = Vec::new();
    for k in city.frame.people.holdings_of(p) {
        if let Some(d) = file.posts.get(city.post_of(k) as usize) {
            if !zh_posts.contains(&d.zh.as_str()) {
                zh_posts.push(&d.zh);
                en_posts.push(&d.en);
            }
        }
    }
    let (zh, en) = (zh_posts.join("、"), en_posts.join(", "));
    Some(match e.code {
        "post_not_paid" => (
            format!("{kept} 担任{zh},本政策没有为此职务计发的项目,不计发"),
            format!("{name} holds {en}, which no rule of this policy pays: nothing is owed"),
        ),
        "nothing_owed" => (
            format!("{kept} 担任{zh},本期没有应发的项目(不在计发的月份或评级之内)"),
            format!(
                "{name} holds {en}, but not in a month or a rating a rule pays: nothing is owed"
            ),
        ),
        _ => return None,
    })
}

/// The provenance of a rule's items: every value it uses, with its clause
/// and whether it is stated or assumed.
pub(crate) fn provenance(file: &PolicyFile, rule: &Rule) -> crate::provenance::Provenance {
    let head = rule.head();
    let mut v = Values {
        clause: head.clause,
        list: Vec::new(),
    };
    values(&mut v, rule);
    if let Some(sp) = rule.split() {
        v.split(sp);
    }
    let source = crate::provenance::overall(&v.list);
    crate::provenance::Provenance {
        policy: file.policy.id.clone(),
        version: file.policy.version.clone(),
        document: file.policy.document.clone(),
        rule: head.id.to_string(),
        kind: rule.kind().to_string(),
        clause: head.clause.to_string(),
        quote: head.quote.to_string(),
        source,
        values: v.list,
    }
}
