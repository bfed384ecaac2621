//! The shape of a policy file (`policies/*.toml`), as serde types with
//! `deny_unknown_fields`. These types are also the validated model the
//! engine reads: after [`super::validate`] they are known to be consistent.

use super::values::{Cited, Num, PolicyDate, Schedule};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// A whole policy file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PolicyFile {
    /// Which document this is.
    pub policy: Meta,
    /// Who pays (city, district, province, …), in display order.
    #[serde(default)]
    pub payers: Vec<Label>,
    /// The posts the policy pays or counts, highest first.
    #[serde(default)]
    pub posts: Vec<PostDef>,
    /// Community ratings, best first.
    #[serde(default)]
    pub ratings: Vec<Label>,
    /// Caps on the share of communities per rating.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rating_quota: Option<RatingQuota>,
    /// The rules that owe money, in the order lines are listed.
    #[serde(default)]
    pub rules: Vec<Rule>,
    /// How we read the document where it is silent or ambiguous.
    #[serde(default)]
    pub decisions: Vec<Decision>,
}

/// The document: its number, titles, dates and source file.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Meta {
    /// Short id used to pick the policy (`jilin-2011-13`).
    pub id: String,
    /// Version of this encoding of the document.
    pub version: String,
    /// The document number as printed (`吉市发[2011]13号`).
    pub document: String,
    /// Title in Chinese.
    pub title_zh: String,
    /// Title in English.
    pub title_en: String,
    /// City (or region) in Chinese.
    pub city_zh: String,
    /// City (or region) in English.
    pub city_en: String,
    /// The seed file the quotes come from.
    pub source_file: String,
    /// Date the document was issued, when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub issued: Option<PolicyDate>,
    /// First day the policy's amounts apply, when it has one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub effective_from: Option<PolicyDate>,
}

/// An id with Chinese and English names.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Label {
    /// Stable id used in data (`city`, `excellent`).
    pub id: String,
    /// Chinese name.
    pub zh: String,
    /// English name.
    pub en: String,
}

/// A post (职务) the policy knows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PostDef {
    /// Stable id used in data (`director`, `group_leader`).
    pub id: String,
    /// Chinese name.
    pub zh: String,
    /// English name.
    pub en: String,
    /// Other names accepted in input (`组长`, `居民小组长`).
    #[serde(default)]
    pub aliases: Vec<String>,
}

/// Caps on how many communities may hold each rating.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RatingQuota {
    /// Clause ordering the caps.
    pub clause: String,
    /// The document's words.
    pub quote: String,
    /// Per capped rating, the cap as a percentage of communities in scope.
    pub caps: BTreeMap<String, Cited<Num>>,
    /// How a cap that is not a whole number of communities is rounded.
    pub rounding: Cited<Rounding>,
    /// What happens to communities tied across a cap when ratings are
    /// assigned from scores.
    pub ties: Cited<TieRule>,
}

/// Rounding of a count that is not whole.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Rounding {
    /// Down (a cap "within" a share).
    Floor,
    /// Up (no household left out).
    Ceil,
    /// Half away from zero.
    Round,
}

/// Tie rule at a rating cap.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TieRule {
    /// Every community tied across the cap gets the lower grade: a cap is
    /// never exceeded.
    DemoteAll,
}

/// How households turn into units of work funds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum UnitBasis {
    /// households ÷ unit, exactly (2750 → 27.5 hundreds).
    Proportional,
    /// Whole units only (2750 → 27 hundreds).
    PerFullUnit,
    /// Every started unit counts (2750 → 28 hundreds).
    PerStartedUnit,
}

/// Who a monthly allowance is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Eligibility {
    /// Everyone holding a listed post.
    All,
    /// Only people not in serving employment (非在职).
    NonServing,
}

/// What a person holding several listed posts is paid.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Combine {
    /// The highest-paying post only (高位取酬,不重复享受).
    Highest,
    /// Each post separately.
    Each,
}

/// Where full years of service are counted from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum YearsFrom {
    /// The person's start in the post.
    PostStart,
    /// The later of the start and the policy's effective date.
    PolicyEffective,
}

/// Payer shares in percent, by payer id; they must add up to 100.
pub type Split = BTreeMap<String, Num>;

/// A recorded reading of the document (mirrors DOMAIN.md's Decisions).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Decision {
    /// Short id (`work_funds_basis`).
    pub id: String,
    /// Clause the decision reads.
    pub clause: String,
    /// What we decided, and why.
    pub text: String,
}

/// A rule that owes money; `kind` picks the computation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Rule {
    /// Annual work funds per N households.
    WorkFunds(WorkFunds),
    /// A monthly allowance (stipend, uplift, seniority allowance) by post.
    MonthlyAllowance(MonthlyAllowance),
    /// An annual bonus for a community by its rating.
    RatingBonus(RatingBonus),
}

/// Declares a rule-kind struct with the fields every rule has.
macro_rules! rule_kind {
    ($(#[$doc:meta])* $name:ident { $($(#[$fdoc:meta])* $field:ident : $ty:ty,)* }) => {
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
        #[serde(deny_unknown_fields)]
        pub struct $name {
            /// Stable id of the rule (used in lines and adjustments).
            pub id: String,
            /// Line label in Chinese.
            pub zh: String,
            /// Line label in English.
            pub en: String,
            /// The clause that orders the payment.
            pub clause: String,
            /// The document's words.
            pub quote: String,
            $($(#[$fdoc])* pub $field: $ty,)*
        }
    };
}

rule_kind! {
    /// Annual work funds: households ÷ unit × rate, with an optional minimum.
    WorkFunds {
        /// Proportional, per full unit or per started unit.
        basis: Cited<UnitBasis>,
        /// Households per unit (100).
        households_per_unit: Cited<u32>,
        /// Yuan per unit per year.
        rate: Schedule,
        /// Yuan per community per year at least.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        minimum: Option<Schedule>,
        /// Payer shares.
        split: Cited<Split>,
    }
}

rule_kind! {
    /// A monthly amount by post, with an optional increment per full year of
    /// service, paid for each month a post is held on the 1st.
    MonthlyAllowance {
        /// Base monthly amount per post id.
        amounts: BTreeMap<String, Schedule>,
        /// Added per full year of service.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        increment_per_full_year: Option<Schedule>,
        /// Everyone, or non-serving people only.
        eligible: Cited<Eligibility>,
        /// Highest post only, or each post.
        combine: Cited<Combine>,
        /// Where service years count from (default: the post's start).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        years_counted_from: Option<Cited<YearsFrom>>,
        /// Paid only in communities with one of these ratings.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        only_ratings: Option<Cited<Vec<String>>>,
        /// Payer shares.
        split: Cited<Split>,
    }
}

rule_kind! {
    /// An annual amount per community by its rating.
    RatingBonus {
        /// Yuan per year per rating id.
        amounts: BTreeMap<String, Schedule>,
        /// Payer shares.
        split: Cited<Split>,
    }
}

impl Rule {
    /// The rule's id.
    pub fn id(&self) -> &str {
        match self {
            Rule::WorkFunds(r) => &r.id,
            Rule::MonthlyAllowance(r) => &r.id,
            Rule::RatingBonus(r) => &r.id,
        }
    }
    /// The kind, as written in the file.
    pub fn kind(&self) -> &'static str {
        match self {
            Rule::WorkFunds(_) => "work_funds",
            Rule::MonthlyAllowance(_) => "monthly_allowance",
            Rule::RatingBonus(_) => "rating_bonus",
        }
    }
    /// Clause, quote and the two labels.
    pub fn head(&self) -> RuleHead<'_> {
        macro_rules! head {
            ($r:expr) => {
                RuleHead { id: &$r.id, zh: &$r.zh, en: &$r.en, clause: &$r.clause, quote: &$r.quote }
            };
        }
        match self {
            Rule::WorkFunds(r) => head!(r),
            Rule::MonthlyAllowance(r) => head!(r),
            Rule::RatingBonus(r) => head!(r),
        }
    }
    /// The payer split.
    pub fn split(&self) -> &Cited<Split> {
        match self {
            Rule::WorkFunds(r) => &r.split,
            Rule::MonthlyAllowance(r) => &r.split,
            Rule::RatingBonus(r) => &r.split,
        }
    }
}

/// The fields every rule has.
#[derive(Debug, Clone, Copy)]
pub struct RuleHead<'a> {
    /// Rule id.
    pub id: &'a str,
    /// Chinese label.
    pub zh: &'a str,
    /// English label.
    pub en: &'a str,
    /// Clause.
    pub clause: &'a str,
    /// The document's words.
    pub quote: &'a str,
}
