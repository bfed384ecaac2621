//! What shequ returns: a [`Budget`] of items, each split between payers and
//! traced to its clause, with totals, the rating and quota outcome, warnings
//! and the "why not" notes.

use crate::policy::values::Source;
use crate::policy::Policy;
use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use std::sync::Arc;

/// An id shared between the items that name it: cloning it copies no text
/// (a city budget names each community and person many times).
pub type Id = Arc<str>;

/// How a budget is asked for.
///
/// ```
/// use shequ::{BudgetOptions, QuotaMode};
/// let o = BudgetOptions::year(2026).quota(QuotaMode::Warn);
/// assert_eq!(o.year, 2026);
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BudgetOptions {
    /// The budget year.
    pub year: i32,
    /// Count monthly items only for months whose first day is on or before
    /// this date (a year-to-date budget); it must fall in `year`. Annual
    /// items are owed for the whole year either way.
    #[serde(default)]
    pub as_of: Option<NaiveDate>,
    /// What to do when given ratings exceed a quota.
    #[serde(default)]
    pub quota: QuotaMode,
    /// Where ratings come from.
    #[serde(default)]
    pub ratings: RatingSource,
    /// Household counts above this are refused as absurd.
    #[serde(default = "default_max_households")]
    pub max_households: i64,
    /// Values the policy needs and the document does not give, by the
    /// parameter ids the policy declares (`deputy_salary_monthly`).
    #[serde(default)]
    pub parameters: std::collections::BTreeMap<String, Decimal>,
}

fn default_max_households() -> i64 {
    BudgetOptions::DEFAULT_MAX_HOUSEHOLDS
}

impl BudgetOptions {
    /// No community in China is near 200 000 households; a count above it is
    /// a data error (a population, or a typo).
    pub const DEFAULT_MAX_HOUSEHOLDS: i64 = 200_000;

    /// A whole-year budget with defaults: quota breaches are errors, ratings
    /// from scores only when no community has a rating.
    pub fn year(year: i32) -> Self {
        BudgetOptions {
            year,
            as_of: None,
            quota: QuotaMode::default(),
            ratings: RatingSource::default(),
            max_households: Self::DEFAULT_MAX_HOUSEHOLDS,
            parameters: Default::default(),
        }
    }
    /// Supply a parameter the policy declares.
    ///
    /// ```
    /// use rust_decimal::Decimal;
    /// let o = shequ::BudgetOptions::year(2026).parameter("deputy_salary_monthly", Decimal::from(2600));
    /// assert_eq!(o.parameters["deputy_salary_monthly"], Decimal::from(2600));
    /// ```
    pub fn parameter(mut self, name: &str, value: Decimal) -> Self {
        self.parameters.insert(name.to_string(), value);
        self
    }
    /// Year to date: count months up to `date`.
    pub fn as_of(mut self, date: NaiveDate) -> Self {
        self.as_of = Some(date);
        self
    }
    /// Quota breaches as errors or warnings.
    pub fn quota(mut self, mode: QuotaMode) -> Self {
        self.quota = mode;
        self
    }
    /// Where ratings come from.
    pub fn ratings(mut self, source: RatingSource) -> Self {
        self.ratings = source;
        self
    }
}

/// What to do when given ratings exceed a quota.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum QuotaMode {
    /// Refuse the budget (`quota_exceeded`).
    #[default]
    Error,
    /// Pay the ratings as given and add a warning.
    Warn,
}

/// Where community ratings come from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum RatingSource {
    /// Scores when no community has a rating and every one has a score;
    /// the given ratings otherwise.
    #[default]
    Auto,
    /// The ratings given.
    Given,
    /// Assign from scores under the quota.
    Scores,
}

/// Where an amount comes from: the policy, the rule, the clause, the
/// document's words and whether the values used are stated or assumed.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Provenance {
    /// Policy id.
    pub policy: String,
    /// Policy version.
    pub version: String,
    /// Document number.
    pub document: String,
    /// Rule id (or `adjustment`).
    pub rule: String,
    /// Rule kind.
    pub kind: String,
    /// Clause.
    pub clause: String,
    /// The document's words.
    pub quote: String,
    /// `stated` when every value used is stated by the document, `assumed`
    /// when any is a Decision, `override` when any was overridden.
    pub source: Source,
    /// Each value the rule uses, with its own source.
    pub values: Vec<ValueUse>,
}

/// One value a rule uses, with its provenance.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ValueUse {
    /// Key path in the policy file (`split`, `amounts.director`).
    pub name: String,
    /// The value as text.
    pub value: String,
    /// Stated, assumed or override.
    pub source: Source,
    /// Clause (the rule's unless the value names another).
    pub clause: String,
    /// Decision note for assumed values.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// How an item's amount was computed.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Calc {
    /// households ÷ unit × rate (with a minimum).
    Households {
        /// Households.
        households: i64,
        /// Households per unit.
        per_unit: u32,
        /// Units counted (exact, after the basis).
        units: Decimal,
        /// Basis: proportional, per full unit, per started unit.
        basis: crate::policy::file::UnitBasis,
        /// Yuan per unit.
        rate: Decimal,
        /// The minimum in force, if any.
        minimum: Option<Decimal>,
        /// Whether the minimum replaced the product.
        minimum_applied: bool,
    },
    /// Monthly amounts, month by month, grouped into runs at one rate.
    Months {
        /// Runs of months at one rate.
        segments: Vec<Segment>,
    },
    /// An annual amount by the community's rating.
    Rating {
        /// The rating.
        rating: String,
    },
    /// A user-supplied adjustment.
    Adjustment {
        /// The reason given.
        reason: String,
    },
    /// Posts by a norm × monthly pay × months.
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
    /// An annual grant by star level.
    Stars {
        /// The stars.
        stars: u8,
    },
    /// A fixed annual amount.
    Fixed,
    /// The top-up of a worker's income to the floor.
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
    pub post: Id,
    /// Base monthly amount of the post.
    pub base: Decimal,
    /// Full years of service counted.
    pub years: u32,
    /// Increment per full year.
    pub increment: Decimal,
    /// Monthly amount paid (base + years × increment).
    pub monthly: Decimal,
}

/// One payer's part of an item.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Share {
    /// Payer id.
    pub payer: Id,
    /// Percentage.
    pub percent: Decimal,
    /// Amount, to the fen; the shares of an item add up to its amount.
    pub amount: Decimal,
}

/// One amount the policy owes: for a community, or a person in it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Item {
    /// Community id.
    pub community: Id,
    /// Person id, for person items.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub person: Option<Id>,
    /// Rule id (`adjustment` for adjustments).
    pub rule: Id,
    /// Post paid, for single-post person items.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub post: Option<Id>,
    /// Months counted, for monthly items.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub months: Option<u32>,
    /// Amount in yuan, rounded to the fen.
    pub amount: Decimal,
    /// Payer shares, adding up to `amount`.
    pub shares: Vec<Share>,
    /// How it was computed.
    pub calc: Calc,
    /// Where it comes from.
    pub provenance: Arc<Provenance>,
}

/// One row of the per-payer view of a budget (see [`Budget::lines`]).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Line<'a> {
    /// Position of the item in [`Budget::items`].
    pub item: usize,
    /// The item.
    pub of: &'a Item,
    /// The payer's share.
    pub share: &'a Share,
}

/// A note on something not paid, or paid differently (the "why not"), or a
/// warning. Its ids are shared with the items (a city has tens of thousands
/// of notes, one per serving person).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Note {
    /// Stable code (`serving_not_eligible`, `lower_post_not_paid`, …).
    pub code: &'static str,
    /// Community id.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub community: Option<Id>,
    /// Person id.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub person: Option<Id>,
    /// Rule id.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rule: Option<Id>,
    /// Clause behind it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub clause: Option<Id>,
    /// In Chinese.
    pub zh: String,
    /// In English.
    pub en: String,
}

/// The rating a community was paid at, and how it got it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RatingOutcome {
    /// Community id.
    pub community: String,
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

/// Sums of a budget.
#[derive(Debug, Clone, PartialEq, Serialize, Default)]
pub struct Totals {
    /// Everything.
    pub overall: Decimal,
    /// By payer, in the policy's payer order.
    pub by_payer: Vec<(String, Decimal)>,
    /// By rule, in the policy's rule order (adjustments last).
    pub by_rule: Vec<(String, Decimal)>,
    /// By community, in input order.
    pub by_community: Vec<(String, Decimal)>,
}

/// A computed budget.
#[derive(Debug, Clone, Serialize)]
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
    /// Every amount owed, in input order (community, then its people).
    pub items: Vec<Item>,
    /// Sums.
    pub totals: Totals,
    /// Ratings used, per community in input order (empty when the policy
    /// does not use ratings).
    pub ratings: Vec<RatingOutcome>,
    /// Quota check, when the policy has a quota.
    pub quota: Option<QuotaCheck>,
    /// Warnings: data or policy facts the caller should look at.
    pub warnings: Vec<Note>,
    /// Why someone or something is not paid (or paid less).
    pub exclusions: Vec<Note>,
    #[serde(skip)]
    pub(crate) policy_ref: Option<Policy>,
    /// The names of the communities that have one (for explanations).
    #[serde(skip)]
    pub(crate) community_names: rustc_hash::FxHashMap<String, String>,
}

/// A budget without its items and exclusions (for a front-end that pages
/// through those separately).
#[derive(Debug, Clone, Serialize)]
pub struct BudgetSummary<'a> {
    /// Policy id.
    pub policy: &'a str,
    /// Policy version.
    pub policy_version: &'a str,
    /// Document number.
    pub document: &'a str,
    /// Budget year.
    pub year: i32,
    /// Year-to-date cut-off.
    pub as_of: Option<NaiveDate>,
    /// Sums.
    pub totals: &'a Totals,
    /// Ratings used.
    pub ratings: &'a [RatingOutcome],
    /// Quota check.
    pub quota: Option<&'a QuotaCheck>,
    /// Warnings.
    pub warnings: &'a [Note],
    /// Number of items.
    pub item_count: usize,
    /// Number of exclusions.
    pub exclusion_count: usize,
}

impl Budget {
    /// Everything but the items and exclusions, with their counts.
    pub fn summary(&self) -> BudgetSummary<'_> {
        BudgetSummary {
            policy: &self.policy,
            policy_version: &self.policy_version,
            document: &self.document,
            year: self.year,
            as_of: self.as_of,
            totals: &self.totals,
            ratings: &self.ratings,
            quota: self.quota.as_ref(),
            warnings: &self.warnings,
            item_count: self.items.len(),
            exclusion_count: self.exclusions.len(),
        }
    }

    /// The per-payer rows: one per item and payer.
    pub fn lines(&self) -> impl Iterator<Item = Line<'_>> {
        self.items.iter().enumerate().flat_map(|(i, it)| {
            it.shares.iter().map(move |s| Line {
                item: i,
                of: it,
                share: s,
            })
        })
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
    /// Total of a community.
    pub fn community_total(&self, community: &str) -> Decimal {
        self.totals
            .by_community
            .iter()
            .find(|(c, _)| c == community)
            .map(|(_, a)| *a)
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
    /// Items of one community (its own and its people's).
    pub fn items_of(&self, community: &str) -> impl Iterator<Item = &Item> {
        let c = community.to_string();
        self.items.iter().filter(move |i| *i.community == *c)
    }
    /// Items of one person.
    pub fn items_of_person<'a>(&'a self, person: &'a str) -> impl Iterator<Item = &'a Item> {
        self.items
            .iter()
            .filter(move |i| i.person.as_deref() == Some(person))
    }
    /// The policy this budget was computed under.
    pub fn policy(&self) -> Option<&Policy> {
        self.policy_ref.as_ref()
    }
    /// A community's display name: `name(id)`, or the id alone.
    pub fn community_name(&self, id: &str) -> String {
        match self.community_names.get(id) {
            Some(name) if !name.is_empty() => format!("{name}({id})"),
            _ => id.to_string(),
        }
    }
    /// Explain one item (by position in [`Budget::items`]) in one sentence.
    pub fn explain_item(&self, index: usize, lang: crate::Lang) -> Option<String> {
        self.items
            .get(index)
            .map(|it| crate::explain::item(self, it, lang))
    }
    /// The clause-by-clause story of one community, including what was not
    /// paid and why; `None` for an unknown community.
    ///
    /// ```
    /// use shequ::{Policy, Input, Community, BudgetOptions, Lang};
    /// let policy = Policy::builtin("jilin-2011-13")?;
    /// let input = Input { communities: vec![Community::new("C1", "社区A", 2750).with_rating("ordinary")], ..Default::default() };
    /// let budget = policy.budget(&input, &BudgetOptions::year(2026))?;
    /// let story = budget.explain("C1", Lang::Zh).unwrap_or_default();
    /// assert!(story.contains("2750户 × 1500元/百户 = 41250.00元"), "{story}");
    /// assert!(story.contains("五(三)"));
    /// # Ok::<(), shequ::Error>(())
    /// ```
    pub fn explain(&self, community: &str, lang: crate::Lang) -> Option<String> {
        crate::explain::community(self, community, lang)
    }
}
