//! Multi-year plans and scenario sweeps.
//!
//! A [`Plan`] is one budget per year of a span (a three-year rolling plan,
//! 中期财政规划), each with that year's dated policy values: service years
//! advance by themselves (the engine counts them per month, so a
//! Jiayuguan member's +50 comes in the month after each anniversary),
//! posts end where their end dates say, a dated reform takes effect on its
//! date (annual amounts prorated by month in the year it changes). The
//! roster is as given: nobody new is appointed, nobody leaves early.
//!
//! On top of the policy, a plan may assume ([`Assumptions`], data with
//! serde, the same in every front-end):
//!
//! - **households growing** by a percentage a year, for every community or
//!   some ([`HouseholdGrowth`]): the households given are the first
//!   year's; a year from `from` on has them × (1 + p/100)^k, k the years
//!   since `from − 1`, compounded exactly and rounded once to whole
//!   households (half away from zero), so a year's count does not depend
//!   on how many years the plan spans;
//! - **a value growing** by a percentage a year from a year on
//!   ([`ValueGrowth`], Jilin's 定期增长机制 for stipends and work funds):
//!   each year's value is the year before's × (1 + p/100), rounded to the
//!   fen (two decimals unless `decimals` says), as a bureau publishes each
//!   year's standard; it grows from the value in force on 31 December of
//!   the year before `from` and replaces the schedule's rows from `from`
//!   on. The rows are written into the policy as dated rows cited
//!   `assumed`;
//! - **a rule starting on a date** ([`RuleStart`]): one of the policy's,
//!   or a new one given as TOML, every value of it cited `assumed`.
//!
//! Every assumed value is cited `assumed` in provenance (so every item's
//! sentence using one says so), with the assumption's note; grown
//! households are named in each community's story by an
//! `assumed_households` note (see [`Plan::budget`]).
//!
//! A plan keeps the totals of each year by payer, rule and district in
//! whole fen, not the budgets (a country's budget is gigabytes):
//! [`Plan::budget`] computes a year's full budget again, the same to the
//! fen, so any line of any year explains itself.
//!
//! A [`Sweep`] is the plan of a baseline and of each scenario (a set of
//! what-if overrides, dated or not) over the same years and assumptions,
//! with each scenario's difference from the baseline. The budgets of all
//! scenarios and years are computed on the thread pool (all cores; one
//! after the other in WASM).
//!
//! ```
//! use shequ::plan::{Assumptions, Scenario};
//! use shequ::{BudgetOptions, Community, Frame, Input, Policy};
//! use std::sync::Arc;
//! let policy = Policy::builtin("jilin-2011-13")?;
//! let input = Input { communities: vec![Community::new("C1", "社区A", 2750).with_rating("ordinary")], ..Default::default() };
//! let frame = Arc::new(Frame::from_input(&input)?);
//! let grow: Assumptions = serde_json::from_str(r#"{"households": [{"percent": "2"}]}"#).unwrap();
//! let plan = policy.plan(Arc::clone(&frame), &[2026, 2027], &grow, &BudgetOptions::year(2026))?;
//! assert_eq!(plan.total(2026).unwrap().to_string(), "41250.00");  // 2750 households
//! assert_eq!(plan.total(2027).unwrap().to_string(), "42075.00");  // 2805 households (+2%)
//! let reform = [Scenario::new("rate 2000 from July 2027", &[("work_funds.rate", "2000 from 2027-07-01")])];
//! let sweep = policy.sweep(frame, &reform, &[2027], &Assumptions::default(), &BudgetOptions::year(2027))?;
//! // 2750 × 15 × 6/12 + 2750 × 20 × 6/12
//! assert_eq!(sweep.plan("rate 2000 from July 2027").unwrap().total(2027).unwrap().to_string(), "48125.00");
//! # Ok::<(), shequ::Error>(())
//! ```
#![deny(clippy::arithmetic_side_effects)] // money: checked (see core/tests/checked_arithmetic.rs)

use crate::budget::{Budget, BudgetOptions, ADJUSTMENT};
use crate::error::{Error, InputError, InputErrorCode, PolicyError, PolicyErrorCode, RecordRef};
use crate::error::{RecordKind, Result};
use crate::frame::{Frame, NONE};
use crate::money::from_fen_sum;
use crate::notes::Note;
use crate::policy::overrides::schedule_at;
use crate::policy::values::{Num, PolicyDate};
use crate::policy::Policy;
use chrono::NaiveDate;
use rust_decimal::{Decimal, RoundingStrategy};
use serde::ser::SerializeStruct;
use serde::{Deserialize, Serialize, Serializer};
use std::collections::BTreeMap;
use std::sync::Arc;

/// The most years a plan may span.
pub const MAX_YEARS: usize = 100;

/// What a plan assumes beyond the policy's own dated values (see the module
/// docs). As JSON:
///
/// ```json
/// {"households": [{"percent": "2", "from": 2027}, {"percent": "5", "communities": ["C7"]}],
///  "growth": [{"path": "stipend.amounts.director", "percent": "5", "from": 2027}],
///  "rules": [{"rule": "work_funds", "from": "2028-01-01"}]}
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Assumptions {
    /// Households growing by a percentage a year.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub households: Vec<HouseholdGrowth>,
    /// Policy values growing by a percentage a year from a year on.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub growth: Vec<ValueGrowth>,
    /// Rules starting on a date (the policy's own, or new ones).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub rules: Vec<RuleStart>,
}

impl Assumptions {
    /// Whether it assumes nothing.
    pub fn is_empty(&self) -> bool {
        self.households.is_empty() && self.growth.is_empty() && self.rules.is_empty()
    }
}

/// Households growing by a percentage a year. A community takes the last
/// entry that names it, else the last entry that names no communities,
/// else does not grow.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HouseholdGrowth {
    /// Percent a year (`"2"` = 2%; negative shrinks), exact: text or a
    /// whole number, never a float.
    pub percent: Num,
    /// The first year with grown households (the years before have the
    /// households given); the plan's second year when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from: Option<i32>,
    /// The communities it applies to (ids, text or whole numbers); every
    /// community when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub communities: Option<Vec<CommunityRef>>,
    /// Why (written in the communities' notes).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// A community id in an assumption: text or a whole number.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(transparent)]
pub struct CommunityRef(pub String);

impl<'de> Deserialize<'de> for CommunityRef {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        struct V;
        impl serde::de::Visitor<'_> for V {
            type Value = CommunityRef;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a community id (text or a whole number)")
            }
            fn visit_str<E: serde::de::Error>(
                self,
                v: &str,
            ) -> std::result::Result<Self::Value, E> {
                Ok(CommunityRef(v.to_string()))
            }
            fn visit_i64<E: serde::de::Error>(self, v: i64) -> std::result::Result<Self::Value, E> {
                Ok(CommunityRef(v.to_string()))
            }
            fn visit_u64<E: serde::de::Error>(self, v: u64) -> std::result::Result<Self::Value, E> {
                Ok(CommunityRef(v.to_string()))
            }
        }
        d.deserialize_any(V)
    }
}

/// A policy value growing by a percentage a year from a year on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ValueGrowth {
    /// The value, named as an override names it (`stipend.amounts.director`,
    /// `work_funds.rate`): a dated schedule.
    pub path: String,
    /// Percent a year.
    pub percent: Num,
    /// The first year at the grown value.
    pub from: i32,
    /// Decimals each year's value is rounded to, half away from zero
    /// (default 2: the fen).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub decimals: Option<u32>,
    /// Why (the rows' note; a default names the growth).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// A rule starting on a date.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RuleStart {
    /// The rule's id.
    pub rule: String,
    /// Its first day in force (its dated rows before it are dropped).
    pub from: PolicyDate,
    /// A new rule: the TOML of its `[[rules]]` table (an inline table or the
    /// table's lines), whose `id` is `rule`. Absent: the policy's own rule
    /// `rule` starts later.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub toml: Option<String>,
    /// Why.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// A scenario of a sweep: a name and what-if overrides (see
/// [`Policy::with_overrides`]; dated ones too).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Scenario {
    /// Its name in the tables (not `baseline`).
    pub name: String,
    /// `(path, value)` overrides.
    #[serde(default)]
    pub overrides: Vec<(String, String)>,
}

impl Scenario {
    /// A scenario of these overrides.
    pub fn new(name: &str, overrides: &[(&str, &str)]) -> Self {
        Scenario {
            name: name.to_string(),
            overrides: overrides
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect(),
        }
    }
}

/// The name of a sweep's baseline.
pub const BASELINE: &str = "baseline";

fn request_error(field: &str, message: String) -> Error {
    Error::Input(InputError::new(
        InputErrorCode::OutOfRange,
        RecordRef::request(),
        field,
        message,
    ))
}

fn assumption_error(policy: &Policy, key: &str, message: String) -> Error {
    Error::Policy(PolicyError {
        code: PolicyErrorCode::PolicyBadOverride,
        origin: policy.origin().to_string(),
        line: None,
        key: Some(key.to_string()),
        message,
    })
}

fn check_years(years: &[i32], options: &BudgetOptions) -> Result<()> {
    if years.is_empty() {
        return Err(request_error(
            "years",
            "a plan needs at least one year".into(),
        ));
    }
    if years.len() > MAX_YEARS {
        return Err(request_error(
            "years",
            format!(
                "a plan spans at most {MAX_YEARS} years, not {}",
                years.len()
            ),
        ));
    }
    if years.windows(2).any(|w| w[0] >= w[1]) {
        return Err(request_error(
            "years",
            "the years of a plan must be in order, each once".into(),
        ));
    }
    if options.as_of.is_some() {
        return Err(request_error(
            "as_of",
            "a plan counts whole years; `as_of` is for one year's budget".into(),
        ));
    }
    for &y in years {
        if NaiveDate::from_ymd_opt(y, 1, 1).is_none() {
            return Err(request_error("years", format!("`{y}` is not a year")));
        }
    }
    Ok(())
}

/// `x` to `decimals`, half away from zero.
fn round(x: Decimal, decimals: u32) -> Decimal {
    x.round_dp_with_strategy(decimals, RoundingStrategy::MidpointAwayFromZero)
}

/// `1 + percent / 100`.
fn factor(percent: Decimal) -> Option<Decimal> {
    percent
        .checked_div(Decimal::ONE_HUNDRED)?
        .checked_add(Decimal::ONE)
}

/// The policy of a plan: `policy` with the assumptions' rule starts and
/// growth written in as dated rows cited `assumed`.
fn with_assumptions(policy: &Policy, years: &[i32], assumptions: &Assumptions) -> Result<Policy> {
    if assumptions.rules.is_empty() && assumptions.growth.is_empty() {
        return Ok(policy.clone());
    }
    let mut pairs: Vec<(String, String)> = Vec::new();
    for start in &assumptions.rules {
        let note = start
            .note
            .clone()
            .unwrap_or_else(|| format!("plan assumption: in force from {}", start.from.0));
        if let Some(toml) = &start.toml {
            pairs.push(("rules".into(), format!("{toml} (assumed: {note})")));
        }
        pairs.push((
            start.rule.clone(),
            format!("from {} (assumed: {note})", start.from.0),
        ));
    }
    // Rules first: a growth may grow a new rule's value.
    let mut current = if pairs.is_empty() {
        policy.clone()
    } else {
        with_pairs(policy, &pairs)?
    };
    let last = years.last().copied().unwrap_or_default();
    for g in &assumptions.growth {
        if g.from > last {
            continue;
        }
        let key = format!("growth {}", g.path);
        let f = factor(g.percent.0).ok_or_else(|| {
            assumption_error(
                policy,
                &key,
                format!("`{}` is not a percentage", g.percent.0),
            )
        })?;
        let decimals = g.decimals.unwrap_or(2).min(12);
        let eve = NaiveDate::from_ymd_opt(g.from.saturating_sub(1), 12, 31)
            .ok_or_else(|| request_error("growth", format!("`{}` is not a year", g.from)))?;
        let rows = schedule_at(
            current.text(),
            current.overrides(),
            current.origin(),
            &g.path,
        )?;
        let mut value = rows
            .iter()
            .find(|r| r.from.is_none_or(|d| d <= eve) && r.until.is_none_or(|d| eve <= d))
            .map(|r| r.value)
            .ok_or_else(|| {
                assumption_error(
                    policy,
                    &key,
                    format!("`{}` has no value in force on {eve} to grow from", g.path),
                )
            })?;
        let note = g.note.clone().unwrap_or_else(|| {
            format!(
                "plan assumption: {} grows {}% a year from {}",
                g.path, g.percent.0, g.from
            )
        });
        let mut grown = Vec::new();
        for y in g.from..=last {
            value = value
                .checked_mul(f)
                .map(|v| round(v, decimals))
                .ok_or_else(|| Error::Overflow {
                    context: format!("the growth of `{}`", g.path),
                })?;
            let until = if y == last {
                String::new()
            } else {
                format!(" until {y}-12-31")
            };
            grown.push((
                g.path.clone(),
                format!(
                    "{} from {y:04}-01-01{until} (assumed: {note})",
                    value.normalize()
                ),
            ));
        }
        current = with_pairs(&current, &grown)?;
    }
    Ok(current)
}

fn with_pairs(policy: &Policy, pairs: &[(String, String)]) -> Result<Policy> {
    let refs: Vec<(&str, &str)> = pairs
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    policy.with_overrides(&refs)
}

/// The households of each community in each year, and each year's frame
/// (the input's own when no household grows that year).
struct Years {
    years: Vec<i32>,
    frames: Vec<Arc<Frame>>,
    /// Per year, whether any household count is assumed.
    grown: Vec<bool>,
    /// The assumption's words per community with one (for the notes).
    why: Vec<Option<String>>,
}

fn year_frames(base: &Arc<Frame>, years: &[i32], growth: &[HouseholdGrowth]) -> Result<Years> {
    let n = base.communities.len();
    // Each community's entry: the last naming it, else the last naming none.
    let all = growth.iter().rposition(|g| g.communities.is_none());
    let mut entry: Vec<Option<usize>> = vec![all; n];
    if growth.iter().any(|g| g.communities.is_some()) {
        // Positions by id text (the map type the frame's codes use).
        let mut position: rustc_hash::FxHashMap<String, u32> = Default::default();
        for c in 0..n {
            position.insert(
                base.communities.id.text(c).into_owned(),
                u32::try_from(c).unwrap_or(NONE),
            );
        }
        for (k, g) in growth.iter().enumerate() {
            for id in g.communities.iter().flatten() {
                let Some(&c) = position.get(&id.0) else {
                    return Err(Error::Input(InputError::new(
                        InputErrorCode::UnknownCommunity,
                        RecordRef {
                            kind: RecordKind::Request,
                            index: None,
                            id: Some(id.0.clone()),
                        },
                        "households",
                        format!(
                            "household growth names community `{}`, which is not in the input",
                            id.0
                        ),
                    )));
                };
                if let Some(slot) = entry.get_mut(c as usize) {
                    *slot = Some(k);
                }
            }
        }
    }
    let first = years.first().copied().unwrap_or_default();
    let mut out = Years {
        years: years.to_vec(),
        frames: Vec::with_capacity(years.len()),
        grown: Vec::with_capacity(years.len()),
        why: entry
            .iter()
            .map(|e| {
                e.and_then(|k| growth.get(k)).map(|g| {
                    g.note.clone().unwrap_or_else(|| {
                        format!(
                            "{}% a year from {}",
                            g.percent.0,
                            g.from.unwrap_or(first.saturating_add(1))
                        )
                    })
                })
            })
            .collect(),
    };
    for &y in years {
        let mut households: Option<Vec<i64>> = None;
        for (c, e) in entry.iter().enumerate() {
            let Some(g) = e.and_then(|k| growth.get(k)) else {
                continue;
            };
            let from = g.from.unwrap_or(first.saturating_add(1));
            if y < from {
                continue;
            }
            let k = u32::try_from(y.saturating_sub(from).saturating_add(1)).unwrap_or(u32::MAX);
            let overflow = || Error::Overflow {
                context: format!(
                    "the households of community `{}`",
                    base.communities.id.text(c)
                ),
            };
            let f = factor(g.percent.0).ok_or_else(overflow)?;
            let mut grown = Decimal::from(base.communities.households[c]);
            for _ in 0..k {
                grown = grown.checked_mul(f).ok_or_else(overflow)?;
            }
            let h = i64::try_from(round(grown, 0).mantissa()).map_err(|_| overflow())?;
            let list = households.get_or_insert_with(|| base.communities.households.clone());
            list[c] = h;
        }
        match households {
            Some(h) if h != base.communities.households => {
                let mut frame = Frame::clone(base);
                frame.communities.households = h;
                out.frames.push(Arc::new(frame));
                out.grown.push(true);
            }
            _ => {
                out.frames.push(Arc::clone(base));
                out.grown.push(false);
            }
        }
    }
    Ok(out)
}

/// One year's totals by payer, rule and district, in whole fen.
#[derive(Debug, Clone, Default, PartialEq)]
struct YearTotals {
    /// `(payer, rule, district, fen)`: positions in the plan's payers and
    /// rules, the district's code in the frame ([`NONE`] for none).
    cells: Vec<(u16, u16, u32, i128)>,
    warnings: Vec<Note>,
}

/// Sum a budget's shares by payer, rule and district (one pass over the
/// items): cells whose items touch a payer, in payer, rule and district
/// order.
fn year_totals(budget: &Budget, rules: usize) -> YearTotals {
    let frame = budget.input();
    // Sizes of tables that exist (a few rules, districts and payers): the
    // index arithmetic saturates rather than wraps.
    let districts = frame.communities.district.values.len().saturating_add(1);
    let slots = rules.saturating_add(1);
    let payers = budget.payers.len();
    let cell = |r: usize, d: usize, k: usize| {
        r.saturating_mul(districts)
            .saturating_add(d)
            .saturating_mul(payers)
            .saturating_add(k)
    };
    let size = cell(slots.saturating_sub(1), districts.saturating_sub(1), payers);
    let mut sums = vec![0i128; size];
    let mut touched = vec![false; size];
    let items = &budget.items;
    let codes = &frame.communities.district.codes;
    for i in 0..items.len() {
        let r = match items.rule[i] {
            ADJUSTMENT => rules,
            r => (r as usize).min(rules),
        };
        let d = match codes.get(items.community[i] as usize) {
            Some(&NONE) | None => districts.saturating_sub(1),
            Some(&code) => (code as usize).min(districts.saturating_sub(1)),
        };
        let Some(split) = budget.splits.get(items.split[i] as usize) else {
            continue;
        };
        for &k in &split.payers {
            let k = k as usize;
            if let (Some(sum), Some(share)) = (
                sums.get_mut(cell(r, d, k)),
                items.shares.get(k).and_then(|c| c.get(i)),
            ) {
                // An i64 per item: an i128 holds 2^64 of them.
                *sum = sum.saturating_add(i128::from(*share));
                touched[cell(r, d, k)] = true;
            }
        }
    }
    let mut cells = Vec::new();
    for k in 0..payers {
        for r in 0..slots {
            for d in 0..districts {
                let at = cell(r, d, k);
                if touched[at] {
                    let code = if d == districts.saturating_sub(1) {
                        NONE
                    } else {
                        u32::try_from(d).unwrap_or(NONE)
                    };
                    cells.push((
                        u16::try_from(k).unwrap_or(u16::MAX),
                        u16::try_from(r).unwrap_or(u16::MAX),
                        code,
                        sums[at],
                    ));
                }
            }
        }
    }
    YearTotals {
        cells,
        warnings: budget.warnings.clone(),
    }
}

/// A plan: a budget per year, kept as totals (see the module docs).
#[derive(Debug, Clone)]
pub struct Plan {
    policy: Policy,
    options: BudgetOptions,
    years: Vec<i32>,
    frames: Vec<Arc<Frame>>,
    grown: Vec<bool>,
    why: Arc<Vec<Option<String>>>,
    payers: Vec<String>,
    /// Rule ids by position, `adjustment` last.
    rules: Vec<String>,
    totals: Vec<YearTotals>,
}

/// One row of a plan's totals.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PlanRow<'p> {
    /// Year.
    pub year: i32,
    /// Payer id.
    pub payer: &'p str,
    /// Rule id (`adjustment` for adjustment lines).
    pub rule: &'p str,
    /// District, when the communities name one.
    pub district: Option<&'p str>,
    /// Amount, exact to the fen.
    pub amount: Decimal,
}

/// A change between two amounts of the same payer, rule and district: a
/// year against the year before ([`Plan::changes`]), or a scenario
/// against the baseline ([`Sweep::diff`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RowChange {
    /// The scenario (for a sweep's diff).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub scenario: Option<String>,
    /// Year.
    pub year: i32,
    /// Payer id.
    pub payer: String,
    /// Rule id.
    pub rule: String,
    /// District, when named.
    pub district: Option<String>,
    /// The amount compared with: the year before's, or the baseline's.
    pub before: Decimal,
    /// The amount.
    pub amount: Decimal,
    /// `amount − before`.
    pub change: Decimal,
}

fn fen_to_yuan(fen: i128) -> Result<Decimal> {
    from_fen_sum(fen).ok_or_else(|| Error::Overflow {
        context: "a plan's total".into(),
    })
}

/// A plan's amounts keyed by (year, payer, rule, district), for comparing.
type Keyed = BTreeMap<(i32, usize, usize, u32), i128>;

impl Plan {
    /// The years, in order.
    pub fn years(&self) -> &[i32] {
        &self.years
    }

    /// The policy the plan was computed under (with its assumptions written
    /// in as dated rows).
    pub fn policy(&self) -> &Policy {
        &self.policy
    }

    /// The payers of the totals, in the policy's order.
    pub fn payers(&self) -> &[String] {
        &self.payers
    }

    fn district(&self, code: u32) -> Option<&str> {
        let frame = self.frames.first()?;
        (code != NONE)
            .then(|| frame.communities.district.values.get(code as usize))
            .flatten()
            .map(String::as_str)
    }

    fn year_index(&self, year: i32) -> Option<usize> {
        self.years.iter().position(|&y| y == year)
    }

    /// The totals, one row per year, payer, rule and district (payers in
    /// the policy's order, then rules, then districts as first met).
    pub fn rows(&self) -> impl Iterator<Item = PlanRow<'_>> + '_ {
        self.years
            .iter()
            .zip(&self.totals)
            .flat_map(move |(&year, t)| {
                t.cells.iter().map(move |&(p, r, d, fen)| PlanRow {
                    year,
                    payer: self.payers.get(p as usize).map_or("", String::as_str),
                    rule: self.rules.get(r as usize).map_or("", String::as_str),
                    district: self.district(d),
                    amount: from_fen_sum(fen).unwrap_or_default(),
                })
            })
    }

    fn total_where(&self, year: i32, keep: impl Fn(u16, u16) -> bool) -> Option<Decimal> {
        let t = self.totals.get(self.year_index(year)?)?;
        let fen = t
            .cells
            .iter()
            .filter(|c| keep(c.0, c.1))
            .try_fold(0i128, |n, c| n.checked_add(c.3))?;
        from_fen_sum(fen)
    }

    /// Everything owed in `year` (`None` for a year not in the plan).
    pub fn total(&self, year: i32) -> Option<Decimal> {
        self.total_where(year, |_, _| true)
    }

    /// A payer's total in `year`.
    pub fn payer_total(&self, year: i32, payer: &str) -> Option<Decimal> {
        let k = self.payers.iter().position(|p| p == payer);
        self.total_where(year, |p, _| Some(p as usize) == k)
    }

    /// A rule's total in `year`.
    pub fn rule_total(&self, year: i32, rule: &str) -> Option<Decimal> {
        let k = self.rules.iter().position(|r| r == rule);
        self.total_where(year, |_, r| Some(r as usize) == k)
    }

    /// The warnings of `year`'s budget.
    pub fn warnings(&self, year: i32) -> &[Note] {
        self.year_index(year)
            .and_then(|i| self.totals.get(i))
            .map_or(&[], |t| t.warnings.as_slice())
    }

    fn keyed(&self, payers: &mut Vec<String>, rules: &mut Vec<String>) -> Keyed {
        let mut out = Keyed::new();
        let at = |list: &mut Vec<String>, name: &str| match list.iter().position(|x| x == name) {
            Some(k) => k,
            None => {
                list.push(name.to_string());
                list.len().saturating_sub(1)
            }
        };
        for (&year, t) in self.years.iter().zip(&self.totals) {
            for &(p, r, d, fen) in &t.cells {
                let p = at(
                    payers,
                    self.payers.get(p as usize).map_or("", String::as_str),
                );
                let r = at(rules, self.rules.get(r as usize).map_or("", String::as_str));
                let sum = out.entry((year, p, r, d)).or_default();
                *sum = sum.saturating_add(fen);
            }
        }
        out
    }

    /// The year-on-year change: for each year after the first, each payer,
    /// rule and district of it or of the year before.
    ///
    /// # Errors
    /// `overflow` past what a `Decimal` holds.
    pub fn changes(&self) -> Result<Vec<RowChange>> {
        let (mut payers, mut rules) = (Vec::new(), Vec::new());
        let keyed = self.keyed(&mut payers, &mut rules);
        let mut out = Vec::new();
        for w in self.years.windows(2) {
            let (before, year) = (w[0], w[1]);
            // The keys of either year, in order (a map of the same type as
            // `keyed`: one less instantiation in the .wasm than a sort).
            let mut keys = Keyed::new();
            for k in keyed.keys().filter(|k| k.0 == before || k.0 == year) {
                keys.insert((0, k.1, k.2, k.3), 0);
            }
            for &(_, p, r, d) in keys.keys() {
                let b = keyed.get(&(before, p, r, d)).copied().unwrap_or(0);
                let a = keyed.get(&(year, p, r, d)).copied().unwrap_or(0);
                out.push(RowChange {
                    scenario: None,
                    year,
                    payer: payers[p].clone(),
                    rule: rules[r].clone(),
                    district: self.district(d).map(str::to_string),
                    before: fen_to_yuan(b)?,
                    amount: fen_to_yuan(a)?,
                    change: fen_to_yuan(a.saturating_sub(b))?,
                });
            }
        }
        Ok(out)
    }

    /// `year`'s full budget, computed again (the same to the fen as the
    /// plan's totals), so each of its items explains itself. Communities
    /// whose households are assumed get an `assumed_households` note,
    /// which their story ([`Budget::explain`]) tells.
    ///
    /// # Errors
    /// `out_of_range` for a year not in the plan; as [`Policy::budget`].
    pub fn budget(&self, year: i32) -> Result<Budget> {
        let i = self.year_index(year).ok_or_else(|| {
            request_error(
                "year",
                format!("{year} is not a year of the plan ({:?})", self.years),
            )
        })?;
        let mut opts = self.options.clone();
        opts.year = year;
        let frame = Arc::clone(&self.frames[i]);
        let mut budget = self.policy.budget_of(Arc::clone(&frame), &opts)?;
        if self.grown.get(i).copied().unwrap_or(false) {
            let (base, first) = (&self.frames[0], self.years[0]);
            for c in 0..frame.communities.len() {
                let (now, then) = (
                    frame.communities.households[c],
                    base.communities.households[c],
                );
                if now == then {
                    continue;
                }
                let why = self.why.get(c).cloned().flatten().unwrap_or_default();
                budget.warnings.push(Note {
                    code: "assumed_households",
                    community: Some(frame.community_id(c)),
                    person: None,
                    rule: None,
                    clause: None,
                    zh: format!(
                        "{year}年户数{now}户为推定值(规划假设):{first}年的{then}户按{why}推算"
                    ),
                    en: format!(
                        "the {now} households of {year} are assumed (a plan assumption): {first}'s {then} grown {why}"
                    ),
                });
            }
        }
        Ok(budget)
    }
}

fn households_note(year: i32, first: i32) -> Note {
    Note::general(
        "assumed_households",
        format!("{year}年的户数为推定值:由{first}年的户数按规划假设推算"),
        format!("the households of {year} are assumed: {first}'s grown by the plan's assumption"),
    )
}

/// The budgets of a set of plans over the same years and frames, on the
/// thread pool: one task per plan and year.
fn compute(policies: &[Policy], years: &Years, options: &BudgetOptions) -> Result<Vec<Plan>> {
    let tasks: Vec<(usize, usize)> = (0..policies.len())
        .flat_map(|s| (0..years.years.len()).map(move |y| (s, y)))
        .collect();
    let done = crate::parallel::map(
        &tasks,
        |&(s, y)| -> Result<(YearTotals, Vec<String>, Vec<String>)> {
            let policy = &policies[s];
            let mut opts = options.clone();
            opts.year = years.years[y];
            let budget = policy.budget_of(Arc::clone(&years.frames[y]), &opts)?;
            let rules = policy.rules().len();
            let mut t = year_totals(&budget, rules);
            if years.grown[y] {
                t.warnings
                    .push(households_note(years.years[y], years.years[0]));
            }
            let mut names: Vec<String> =
                policy.rules().iter().map(|r| r.id().to_string()).collect();
            names.push("adjustment".into());
            let payers = budget.payers.clone();
            crate::parallel::drop_later(budget);
            Ok((t, payers, names))
        },
    );
    let mut out: Vec<Plan> = policies
        .iter()
        .map(|p| Plan {
            policy: p.clone(),
            options: options.clone(),
            years: years.years.clone(),
            frames: years.frames.clone(),
            grown: years.grown.clone(),
            why: Arc::new(years.why.clone()),
            payers: Vec::new(),
            rules: Vec::new(),
            totals: Vec::with_capacity(years.years.len()),
        })
        .collect();
    for (&(s, _), result) in tasks.iter().zip(done) {
        let (t, payers, rules) = result?;
        let plan = &mut out[s];
        if plan.payers.is_empty() {
            plan.payers = payers;
            plan.rules = rules;
        }
        plan.totals.push(t);
    }
    Ok(out)
}

impl Policy {
    /// The plan of `frame` over `years` (in order), with `assumptions`; the
    /// options of each year's budget are `options` with that year (its
    /// `as_of` must be unset).
    ///
    /// # Errors
    /// `out_of_range` for years not in order or more than [`MAX_YEARS`];
    /// `policy_bad_override` for an assumption naming no value of the
    /// policy; `unknown_community` for a household growth naming a
    /// community not in the input; as [`Policy::budget`] for each year.
    pub fn plan(
        &self,
        frame: Arc<Frame>,
        years: &[i32],
        assumptions: &Assumptions,
        options: &BudgetOptions,
    ) -> Result<Plan> {
        check_years(years, options)?;
        let policy = with_assumptions(self, years, assumptions)?;
        let frames = year_frames(&frame, years, &assumptions.households)?;
        let mut plans = compute(&[policy], &frames, options)?;
        plans
            .pop()
            .ok_or_else(|| request_error("years", "no plan".into()))
    }

    /// One year's budget of the plan [`Policy::plan`] would compute, as
    /// [`Plan::budget`] gives it, without computing the other years (what
    /// a form showing one year of a plan asks for).
    ///
    /// # Errors
    /// As [`Policy::plan`]; `out_of_range` for a year not in `years`.
    pub fn plan_year(
        &self,
        frame: Arc<Frame>,
        years: &[i32],
        assumptions: &Assumptions,
        options: &BudgetOptions,
        year: i32,
    ) -> Result<Budget> {
        check_years(years, options)?;
        let policy = with_assumptions(self, years, assumptions)?;
        let frames = year_frames(&frame, years, &assumptions.households)?;
        let plan = Plan {
            policy,
            options: options.clone(),
            years: frames.years,
            frames: frames.frames,
            grown: frames.grown,
            why: Arc::new(frames.why),
            payers: Vec::new(),
            rules: Vec::new(),
            totals: Vec::new(),
        };
        plan.budget(year)
    }

    /// The plans of this policy (the baseline) and of each scenario (this
    /// policy with the scenario's overrides), over the same years and
    /// assumptions, computed on all cores.
    ///
    /// # Errors
    /// As [`Policy::plan`]; `policy_bad_override` for a scenario's override,
    /// `out_of_range` for a scenario named `baseline` or two of one name.
    pub fn sweep(
        &self,
        frame: Arc<Frame>,
        scenarios: &[Scenario],
        years: &[i32],
        assumptions: &Assumptions,
        options: &BudgetOptions,
    ) -> Result<Sweep> {
        check_years(years, options)?;
        let mut names = vec![BASELINE.to_string()];
        let mut policies = vec![with_assumptions(self, years, assumptions)?];
        for s in scenarios {
            if names.contains(&s.name) {
                return Err(request_error(
                    "scenarios",
                    format!(
                        "two scenarios are named `{}` (`baseline` is the policy as it is)",
                        s.name
                    ),
                ));
            }
            names.push(s.name.clone());
            let what_if = with_pairs(self, &s.overrides)?;
            policies.push(with_assumptions(&what_if, years, assumptions)?);
        }
        let frames = year_frames(&frame, years, &assumptions.households)?;
        let plans = compute(&policies, &frames, options)?;
        Ok(Sweep { names, plans })
    }
}

/// The plans of a baseline and of scenarios over the same years (see
/// [`Policy::sweep`]).
#[derive(Debug, Clone)]
pub struct Sweep {
    names: Vec<String>,
    plans: Vec<Plan>,
}

/// One row of a sweep's totals.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SweepRow<'p> {
    /// Scenario (`baseline` first).
    pub scenario: &'p str,
    /// The rest of the row.
    #[serde(flatten)]
    pub row: PlanRow<'p>,
}

impl Sweep {
    /// The scenarios' names, `baseline` first.
    pub fn scenarios(&self) -> &[String] {
        &self.names
    }

    /// A scenario's plan (`baseline` for the policy as it is).
    pub fn plan(&self, scenario: &str) -> Option<&Plan> {
        let k = self.names.iter().position(|n| n == scenario)?;
        self.plans.get(k)
    }

    /// The baseline's plan.
    pub fn baseline(&self) -> Option<&Plan> {
        self.plans.first()
    }

    /// Every scenario's totals, one tidy table: scenario, year, payer, rule,
    /// district, amount.
    pub fn rows(&self) -> impl Iterator<Item = SweepRow<'_>> + '_ {
        self.names.iter().zip(&self.plans).flat_map(|(name, plan)| {
            plan.rows().map(move |row| SweepRow {
                scenario: name.as_str(),
                row,
            })
        })
    }

    /// Each scenario against the baseline: for each scenario, year, payer,
    /// rule and district of either, the baseline's amount, the scenario's
    /// and the change.
    ///
    /// # Errors
    /// `overflow` past what a `Decimal` holds.
    pub fn diff(&self) -> Result<Vec<RowChange>> {
        let (mut payers, mut rules) = (Vec::new(), Vec::new());
        let Some(base) = self.plans.first() else {
            return Ok(Vec::new());
        };
        let b = base.keyed(&mut payers, &mut rules);
        let mut out = Vec::new();
        for (name, plan) in self.names.iter().zip(&self.plans).skip(1) {
            let s = plan.keyed(&mut payers, &mut rules);
            let mut keys = Keyed::new();
            for k in b.keys().chain(s.keys()) {
                keys.insert(*k, 0);
            }
            for key in keys.keys() {
                let before = b.get(key).copied().unwrap_or(0);
                let after = s.get(key).copied().unwrap_or(0);
                out.push(RowChange {
                    scenario: Some(name.clone()),
                    year: key.0,
                    payer: payers[key.1].clone(),
                    rule: rules[key.2].clone(),
                    district: base.district(key.3).map(str::to_string),
                    before: fen_to_yuan(before)?,
                    amount: fen_to_yuan(after)?,
                    change: fen_to_yuan(after.saturating_sub(before))?,
                });
            }
        }
        Ok(out)
    }
}

/// A year's totals by payer and rule, for the JSON answer.
fn year_summary(plan: &Plan, year: i32) -> serde_json::Value {
    let by_payer: Vec<(&str, Decimal)> = plan
        .payers
        .iter()
        .filter_map(|p| Some((p.as_str(), plan.payer_total(year, p)?)))
        .collect();
    let mut rules: Vec<&str> = Vec::new();
    if let Some(t) = plan.year_index(year).and_then(|i| plan.totals.get(i)) {
        let mut seen = vec![false; plan.rules.len()];
        for c in &t.cells {
            if let Some(x) = seen.get_mut(c.1 as usize) {
                *x = true;
            }
        }
        rules = plan
            .rules
            .iter()
            .zip(&seen)
            .filter(|(_, &s)| s)
            .map(|(r, _)| r.as_str())
            .collect();
    }
    let by_rule: Vec<(&str, Decimal)> = rules
        .into_iter()
        .filter_map(|r| Some((r, plan.rule_total(year, r)?)))
        .collect();
    serde_json::json!({
        "year": year,
        "overall": plan.total(year),
        "by_payer": by_payer,
        "by_rule": by_rule,
    })
}

fn year_warnings(plan: &Plan, scenario: Option<&str>) -> Vec<serde_json::Value> {
    let mut out = Vec::new();
    for &year in &plan.years {
        for n in plan.warnings(year) {
            let mut v = serde_json::to_value(n).unwrap_or_default();
            if let Some(o) = v.as_object_mut() {
                o.insert("year".into(), year.into());
                if let Some(s) = scenario {
                    o.insert("scenario".into(), s.into());
                }
            }
            out.push(v);
        }
    }
    out
}

/// The JSON of a plan: `{policy, document, years, totals, by_year,
/// changes, warnings}` (money as strings).
impl Serialize for Plan {
    fn serialize<S: Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        let rows: Vec<PlanRow> = self.rows().collect();
        let changes = self.changes().map_err(serde::ser::Error::custom)?;
        let by_year: Vec<serde_json::Value> =
            self.years.iter().map(|&y| year_summary(self, y)).collect();
        let mut st = s.serialize_struct("Plan", 7)?;
        st.serialize_field("policy", self.policy.id())?;
        st.serialize_field("document", self.policy.document())?;
        st.serialize_field("years", &self.years)?;
        st.serialize_field("totals", &rows)?;
        st.serialize_field("by_year", &by_year)?;
        st.serialize_field("changes", &changes)?;
        st.serialize_field("warnings", &year_warnings(self, None))?;
        st.end()
    }
}

/// The JSON of a sweep: `{policy, document, years, scenarios, totals,
/// by_year, diff, warnings}`; its rows carry their `scenario`.
impl Serialize for Sweep {
    fn serialize<S: Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        let rows: Vec<SweepRow> = self.rows().collect();
        let diff = self.diff().map_err(serde::ser::Error::custom)?;
        let mut by_year = Vec::new();
        let mut warnings = Vec::new();
        for (name, plan) in self.names.iter().zip(&self.plans) {
            for &y in &plan.years {
                let mut v = year_summary(plan, y);
                if let Some(o) = v.as_object_mut() {
                    o.insert("scenario".into(), name.as_str().into());
                }
                by_year.push(v);
            }
            warnings.extend(year_warnings(plan, Some(name)));
        }
        let base = self.plans.first();
        let mut st = s.serialize_struct("Sweep", 8)?;
        st.serialize_field("policy", &base.map(|p| p.policy.id()))?;
        st.serialize_field("document", &base.map(|p| p.policy.document()))?;
        st.serialize_field("years", &base.map(|p| p.years.as_slice()))?;
        st.serialize_field("scenarios", &self.names)?;
        st.serialize_field("totals", &rows)?;
        st.serialize_field("by_year", &by_year)?;
        st.serialize_field("diff", &diff)?;
        st.serialize_field("warnings", &warnings)?;
        st.end()
    }
}
