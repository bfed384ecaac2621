//! The shape of a policy file (`policies/*.toml`), as serde types with
//! `deny_unknown_fields`. These types are also the validated model the
//! engine reads: after [`super::validate`] they are known to be consistent.

use super::values::{Cited, Num, PolicyDate, Schedule, Source};
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
    /// The checks of the compliance report.
    #[serde(default)]
    pub checks: Vec<Check>,
    /// Values the document does not give and the caller must supply.
    #[serde(default)]
    pub parameters: Vec<ParameterDef>,
    /// How we read the document where it is silent or ambiguous.
    #[serde(default)]
    pub decisions: Vec<Decision>,
    /// Headers this policy's cities write for the input columns, beside
    /// the built-in Chinese and English labels (see [`HeaderLabels`]).
    #[serde(default, skip_serializing_if = "HeaderLabels::is_empty")]
    pub headers: HeaderLabels,
}

/// One table of [`HeaderLabels`]: its kind, its name in the file, and its
/// headers by column.
pub type HeaderTable<'a> = (
    crate::read::tables::TableKind,
    &'static str,
    &'a BTreeMap<String, Vec<String>>,
);

/// A policy's own headers for the input columns, per table: the column, and
/// the headers that stand for it besides its built-in labels
/// ([`crate::read::headers`]). In TOML:
///
/// ```toml
/// [headers.communities]
/// households = ["居民户数合计"]
/// [headers.people]
/// start = ["聘任时间", "聘用日期"]
/// ```
///
/// Each key must be a column of its table; a header must not be empty,
/// nor stand for another column already (a built-in label of another
/// column, or the policy's own).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HeaderLabels {
    /// Headers of the communities table, by column.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub communities: BTreeMap<String, Vec<String>>,
    /// Headers of the people table, by column.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub people: BTreeMap<String, Vec<String>>,
    /// Headers of the adjustments table, by column.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub adjustments: BTreeMap<String, Vec<String>>,
}

impl HeaderLabels {
    /// Whether the policy adds no header.
    pub fn is_empty(&self) -> bool {
        self.communities.is_empty() && self.people.is_empty() && self.adjustments.is_empty()
    }

    /// The tables, each with its kind and its name in the file.
    pub fn tables(&self) -> [HeaderTable<'_>; 3] {
        use crate::read::tables::TableKind as T;
        [
            (T::Communities, "communities", &self.communities),
            (T::People, "people", &self.people),
            (T::Adjustments, "adjustments", &self.adjustments),
        ]
    }
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
    /// The script of the document's Chinese (`simplified`, `traditional`):
    /// shequ writes its own words in it ([`crate::lang::Script`]). Detected
    /// from the file's Chinese when not given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub script: Option<crate::script::Script>,
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

/// A value the caller supplies at run time (a salary standard, a reference
/// wage, a subsidy, a city-wide count), declared so that a missing one is a
/// named error citing the clause that needs it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ParameterDef {
    /// Name the caller uses (`deputy_salary_monthly`).
    pub id: String,
    /// Chinese description.
    pub zh: String,
    /// English description.
    pub en: String,
    /// Unit (`yuan/month`, `yuan/year`, `count`, `percent`).
    pub unit: String,
    /// Clause that needs it.
    pub clause: String,
    /// The document's words.
    pub quote: String,
}

/// A rule that owes money; `kind` picks the computation.
///
/// Read with `kind` as the table's first key (see `read_tagged!`); the
/// policy reader hands it over first wherever it is written, and serde
/// writes it first.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Rule {
    /// Annual work funds per N households.
    WorkFunds(WorkFunds),
    /// A monthly allowance (stipend, uplift, seniority allowance) by post.
    MonthlyAllowance(MonthlyAllowance),
    /// An annual bonus for a community by its rating.
    RatingBonus(RatingBonus),
    /// Posts a community is entitled to (per N households, per grid, or a
    /// fixed number), optionally paid, and checked against the roster.
    PostNorm(PostNorm),
    /// An annual grant by star level.
    StarGrant(StarGrant),
    /// A fixed annual amount per community.
    CommunityGrant(CommunityGrant),
    /// Workers' annual income floor as a share of a reference wage, and the
    /// top-up owed to those below it.
    IncomeFloor(IncomeFloor),
}

/// `Deserialize` for an enum tagged by a `kind` key that comes first in its
/// table: the kind is read, then the rest of the table as that variant's
/// struct. serde's derived reading of a tagged enum buffers the whole table
/// first, once per deserializer, which made the policy reader a third of
/// the `.wasm`; the policy reader puts `kind` first instead
/// (`reader.rs`), and serde's serializer writes it first.
macro_rules! read_tagged {
    ($enum:ident, $what:literal, $kinds:ident { $($variant:ident),* $(,)? }) => {
        /// The kinds of the enum, named as written in the file.
        #[derive(Deserialize)]
        #[serde(rename_all = "snake_case")]
        enum $kinds {
            $($variant,)*
        }

        impl<'de> Deserialize<'de> for $enum {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                struct Tagged;
                impl<'de> serde::de::Visitor<'de> for Tagged {
                    type Value = $enum;
                    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                        f.write_str(concat!("a ", $what, " (a table with its `kind` first)"))
                    }
                    fn visit_map<A: serde::de::MapAccess<'de>>(
                        self,
                        mut map: A,
                    ) -> Result<$enum, A::Error> {
                        use serde::de::Error as _;
                        match map.next_key::<std::borrow::Cow<'de, str>>()?.as_deref() {
                            Some("kind") => {}
                            Some(other) => {
                                return Err(A::Error::custom(format!(
                                    concat!("missing field `kind` (the first key of a ", $what, "; found `{}`)"),
                                    other
                                )))
                            }
                            None => return Err(A::Error::missing_field("kind")),
                        }
                        let kind: $kinds = map.next_value()?;
                        let rest = serde::de::value::MapAccessDeserializer::new(map);
                        match kind {
                            $($kinds::$variant => $variant::deserialize(rest).map($enum::$variant),)*
                        }
                    }
                }
                d.deserialize_map(Tagged)
            }
        }
    };
}

read_tagged!(
    Rule,
    "rule",
    RuleKind {
        WorkFunds,
        MonthlyAllowance,
        RatingBonus,
        PostNorm,
        StarGrant,
        CommunityGrant,
        IncomeFloor,
    }
);

read_tagged!(
    Check,
    "check",
    CheckKind {
        CommunitySize,
        MeasureRange,
        MeasureRatio,
        ShareTarget,
        ParameterBound,
    }
);

/// How a norm count is computed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "snake_case")]
pub enum CountBasis {
    /// One per N households, rounded as stated.
    PerHouseholds {
        /// Households per post.
        households: u32,
        /// Rounding of households ÷ N.
        rounding: Rounding,
    },
    /// A number per grid (the community's `grids` input).
    PerGrid {
        /// Posts per grid.
        per_grid: u32,
    },
    /// A fixed number per community.
    Fixed {
        /// The number.
        count: u32,
    },
}

/// Monthly pay of a norm post.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NormPay {
    /// Monthly amount per post, when the document states it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub monthly: Option<Schedule>,
    /// Or a parameter the caller supplies (yuan per post per month).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub monthly_parameter: Option<String>,
    /// Part of the monthly amount paid by one payer first (a subsidy), as a
    /// parameter (yuan per post per month); the rest follows `split`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub subsidy_parameter: Option<String>,
    /// Who pays the subsidy.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub subsidy_payer: Option<String>,
    /// Stated or assumed, with citation.
    pub source: Source,
    /// Clause, when not the rule's.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub clause: Option<String>,
    /// The document's words.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub quote: Option<String>,
    /// Note.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// Whom a paid norm pays.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PayFor {
    /// The posts the community is entitled to, filled or not (a planning
    /// budget: the norm headcount priced by the policy).
    Entitlement,
    /// The people holding a roster post on the first day of each month.
    Roster,
}

/// Where the actual number of a norm comes from, for the compliance report.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "snake_case")]
pub enum NormActual {
    /// People holding any of these posts on the reference date.
    Roster {
        /// Post ids counted.
        posts: Vec<String>,
    },
    /// A community measure (`grids`).
    Measure {
        /// Measure name.
        measure: String,
    },
}

/// Declares a rule-kind (or check) struct with the fields every rule has.
macro_rules! rule_kind {
    ($(#[$doc:meta])* $name:ident { $($(#[$fdoc:meta])* $field:ident : $ty:ty,)* }) => {
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
        #[serde(deny_unknown_fields)]
        pub struct $name {
            /// Stable id (used in lines, findings and adjustments).
            pub id: String,
            /// Line label in Chinese.
            pub zh: String,
            /// Line label in English.
            pub en: String,
            /// The clause that orders it.
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

rule_kind! {
    /// Posts a community is entitled to. With `pay`, each entitled post is
    /// owed its monthly pay for each counted month (a norm-headcount budget:
    /// the posts priced by the policy, no roster needed); with `actual`, the
    /// compliance report compares the entitlement with the roster.
    PostNorm {
        /// The post counted (for labels).
        post: String,
        /// How the count is computed.
        count: Cited<CountBasis>,
        /// At least this many.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        minimum: Option<Cited<u32>>,
        /// Monthly pay, when the policy pays these posts.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pay: Option<NormPay>,
        /// Pay the entitled posts (a norm budget, the default) or the
        /// people on the roster (`actual` must name the roster posts).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        pay_for: Option<Cited<PayFor>>,
        /// Payer shares of the pay (after any subsidy).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        split: Option<Cited<Split>>,
        /// What the entitlement is compared with.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        actual: Option<NormActual>,
    }
}

rule_kind! {
    /// An annual grant per community by its star level (`stars` input).
    StarGrant {
        /// Yuan per year by star count (`"5"`, `"4"`).
        amounts: BTreeMap<String, Schedule>,
        /// Payer shares.
        split: Cited<Split>,
    }
}

rule_kind! {
    /// A fixed annual amount per community (a minimum of work funds).
    CommunityGrant {
        /// Yuan per community per year.
        amount: Schedule,
        /// Payer shares.
        split: Cited<Split>,
    }
}

rule_kind! {
    /// Workers' annual income at least `share` % of a reference wage (a
    /// parameter); the top-up to the floor is owed to each worker below it.
    IncomeFloor {
        /// Posts whose holders are workers under the rule.
        posts: Vec<String>,
        /// The floor as a percentage of the reference wage, dated.
        share: Schedule,
        /// Parameter holding the reference wage (yuan per year).
        reference_parameter: String,
        /// Payer shares of the top-up.
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
            Rule::PostNorm(r) => &r.id,
            Rule::StarGrant(r) => &r.id,
            Rule::CommunityGrant(r) => &r.id,
            Rule::IncomeFloor(r) => &r.id,
        }
    }
    /// The kind, as written in the file.
    pub fn kind(&self) -> &'static str {
        match self {
            Rule::WorkFunds(_) => "work_funds",
            Rule::MonthlyAllowance(_) => "monthly_allowance",
            Rule::RatingBonus(_) => "rating_bonus",
            Rule::PostNorm(_) => "post_norm",
            Rule::StarGrant(_) => "star_grant",
            Rule::CommunityGrant(_) => "community_grant",
            Rule::IncomeFloor(_) => "income_floor",
        }
    }
    /// Clause, quote and the two labels.
    pub fn head(&self) -> RuleHead<'_> {
        macro_rules! head {
            ($r:expr) => {
                RuleHead {
                    id: &$r.id,
                    zh: &$r.zh,
                    en: &$r.en,
                    clause: &$r.clause,
                    quote: &$r.quote,
                }
            };
        }
        match self {
            Rule::WorkFunds(r) => head!(r),
            Rule::MonthlyAllowance(r) => head!(r),
            Rule::RatingBonus(r) => head!(r),
            Rule::PostNorm(r) => head!(r),
            Rule::StarGrant(r) => head!(r),
            Rule::CommunityGrant(r) => head!(r),
            Rule::IncomeFloor(r) => head!(r),
        }
    }
    /// The payer split (a rule that owes nothing has none).
    pub fn split(&self) -> Option<&Cited<Split>> {
        match self {
            Rule::WorkFunds(r) => Some(&r.split),
            Rule::MonthlyAllowance(r) => Some(&r.split),
            Rule::RatingBonus(r) => Some(&r.split),
            Rule::PostNorm(r) => r.split.as_ref(),
            Rule::StarGrant(r) => Some(&r.split),
            Rule::CommunityGrant(r) => Some(&r.split),
            Rule::IncomeFloor(r) => Some(&r.split),
        }
    }
}

/// The label matching of input text: an id as declared, an alias, the
/// Chinese label, or the English label in any case (`良好`, `Good`,
/// `good`).
fn label_matches(text: &str, id: &str, zh: &str, en: &str, aliases: &[String]) -> bool {
    let t = text.trim();
    t == id
        || t == zh
        || aliases.iter().any(|a| a == t)
        || (!t.is_empty() && t.eq_ignore_ascii_case(en))
        || t.eq_ignore_ascii_case(id)
}

impl PolicyFile {
    /// The position of the post `text` names: its id, an alias, its
    /// Chinese label, or its English label in any case.
    ///
    /// ```
    /// let policy = shequ::Policy::builtin("jiayuguan-2020-97")?;
    /// let file = policy.file();
    /// let leader = file.post_position("group_leader");
    /// assert!(leader.is_some());
    /// assert_eq!(file.post_position("居民小组长"), leader);
    /// assert_eq!(file.post_position("no such post"), None);
    /// # Ok::<(), shequ::Error>(())
    /// ```
    pub fn post_position(&self, text: &str) -> Option<usize> {
        self.posts
            .iter()
            .position(|p| p.id == text || p.aliases.iter().any(|a| a == text))
            .or_else(|| {
                self.posts
                    .iter()
                    .position(|p| label_matches(text, &p.id, &p.zh, &p.en, &p.aliases))
            })
    }

    /// The position of the rating `text` names (id, Chinese or English
    /// label).
    ///
    /// ```
    /// let policy = shequ::Policy::builtin("jilin-2011-13")?;
    /// assert_eq!(policy.file().rating_position("良好"), policy.file().rating_position("good"));
    /// assert_eq!(policy.file().rating_position("Good"), Some(1));
    /// # Ok::<(), shequ::Error>(())
    /// ```
    pub fn rating_position(&self, text: &str) -> Option<usize> {
        self.ratings.iter().position(|r| r.id == text).or_else(|| {
            self.ratings
                .iter()
                .position(|r| label_matches(text, &r.id, &r.zh, &r.en, &[]))
        })
    }

    /// The position of a payer in the file's order (past the end for a
    /// payer the file does not declare).
    pub fn payer_rank(&self, id: &str) -> usize {
        self.payers
            .iter()
            .position(|p| p.id == id)
            .unwrap_or(usize::MAX)
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

/// A check of the compliance report; `kind` picks it.
///
/// Read with `kind` as the table's first key, like [`Rule`].
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Check {
    /// Advice on a community's size in households.
    CommunitySize(CommunitySize),
    /// A community measure (an area) within bounds.
    MeasureRange(MeasureRange),
    /// One community measure as a share of another, at least a percentage.
    MeasureRatio(MeasureRatio),
    /// City-wide: the share (or number) of communities meeting a condition.
    ShareTarget(ShareTarget),
    /// City-wide: a caller-supplied number within bounds (list caps).
    ParameterBound(ParameterBound),
}

/// Declares a check struct: the fields every rule has, plus whether the
/// check is stated or assumed and its note.
macro_rules! check_kind {
    ($(#[$doc:meta])* $name:ident { $($rest:tt)* }) => {
        rule_kind! {
            $(#[$doc])*
            $name {
                /// Stated or assumed (the reading of the check).
                source: Source,
                /// Note (the Decision, for assumed readings).
                #[serde(default, skip_serializing_if = "Option::is_none")]
                note: Option<String>,
                $($rest)*
            }
        }
    };
}

check_kind! {
    /// Size advice: below `merge_below` merge; above `split_above` split;
    /// within `standard_from`–`standard_to` standard; otherwise outside the
    /// standard.
    CommunitySize {
        /// Merge with a neighbour below this many households.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        merge_below: Option<i64>,
        /// Standard size from.
        standard_from: i64,
        /// Standard size to.
        standard_to: i64,
        /// Split above this many.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        split_above: Option<i64>,
    }
}

check_kind! {
    /// A measure within bounds; the lower bound may grow with households.
    MeasureRange {
        /// Measure name (see [`crate::read::MEASURE_COLUMNS`]).
        measure: String,
        /// At least.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        min: Option<Num>,
        /// At most.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        max: Option<Num>,
        /// At least this much per 100 households.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        min_per_100_households: Option<Num>,
        /// Only communities with this flag.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        only_flag: Option<String>,
    }
}

check_kind! {
    /// `numerator` ÷ `denominator` at least `min_percent` %.
    MeasureRatio {
        /// Measure above the line.
        numerator: String,
        /// Measure below the line.
        denominator: String,
        /// At least this percentage.
        min_percent: Num,
        /// Only communities with this flag.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        only_flag: Option<String>,
    }
}

check_kind! {
    /// The share (`percent`) or number (`count`) of communities with a flag,
    /// or with a measure at least a value, must reach a dated target.
    ShareTarget {
        /// Communities with this flag count.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        flag: Option<String>,
        /// Or communities whose measure is at least `at_least`.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        measure: Option<String>,
        /// The threshold of `measure`.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        at_least: Option<Num>,
        /// Target percentage of communities, dated.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        percent: Option<Schedule>,
        /// Or a target number of communities, dated.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        count: Option<Schedule>,
    }
}

check_kind! {
    /// A number the caller supplies (a parameter) within bounds.
    ParameterBound {
        /// The parameter.
        parameter: String,
        /// At least.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        min: Option<Num>,
        /// At most.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        max: Option<Num>,
    }
}

impl Check {
    /// The check's id.
    pub fn id(&self) -> &str {
        match self {
            Check::CommunitySize(c) => &c.id,
            Check::MeasureRange(c) => &c.id,
            Check::MeasureRatio(c) => &c.id,
            Check::ShareTarget(c) => &c.id,
            Check::ParameterBound(c) => &c.id,
        }
    }
}
