//! How a budget is asked for: the year, a year-to-date cut-off, what to do
//! with a quota breach, where ratings come from, limits on the input, and
//! the parameters the policy declares. Defined once here; every front-end
//! reads its options into these (a Python keyword, a JSON field, a CLI
//! flag) and its words through the `FromStr`s below.

use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

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
    /// Dates in the input (a post's start and end) must fall in these
    /// years: a start in year 1 is a typo, and would pay 2 000 years of
    /// seniority.
    #[serde(default = "default_years")]
    pub date_years: (i32, i32),
    /// What to do with a post the policy does not know: refuse the input
    /// (the default), or skip the rows that hold it, each named in a
    /// `post_not_in_policy` warning — so one roster serves two policies
    /// that pay different posts.
    #[serde(default)]
    pub unknown_posts: UnknownPosts,
}

fn default_years() -> (i32, i32) {
    BudgetOptions::DEFAULT_DATE_YEARS
}

fn default_max_households() -> i64 {
    BudgetOptions::DEFAULT_MAX_HOUSEHOLDS
}

impl BudgetOptions {
    /// No community in China is near 200 000 households; a count above it is
    /// a data error (a population, or a typo).
    pub const DEFAULT_MAX_HOUSEHOLDS: i64 = 200_000;
    /// Years an input date may fall in, by default.
    pub const DEFAULT_DATE_YEARS: (i32, i32) = (1900, 2200);

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
            date_years: Self::DEFAULT_DATE_YEARS,
            unknown_posts: UnknownPosts::default(),
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
    /// Refuse or skip posts the policy does not know.
    ///
    /// ```
    /// use shequ::options::{BudgetOptions, UnknownPosts};
    /// let o = BudgetOptions::year(2026).unknown_posts(UnknownPosts::Skip);
    /// assert_eq!(o.unknown_posts, UnknownPosts::Skip);
    /// ```
    pub fn unknown_posts(mut self, mode: UnknownPosts) -> Self {
        self.unknown_posts = mode;
        self
    }
}

/// What to do with a post the policy does not know.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum UnknownPosts {
    /// Refuse the input (`unknown_post`), listing the posts the policy
    /// knows.
    #[default]
    Error,
    /// Skip each row holding it (the person's other posts still count), and
    /// say so in a `post_not_in_policy` warning per row.
    Skip,
}

impl std::str::FromStr for UnknownPosts {
    type Err = String;
    /// `error` or `skip`.
    ///
    /// ```
    /// use shequ::options::UnknownPosts;
    /// assert_eq!("skip".parse::<UnknownPosts>(), Ok(UnknownPosts::Skip));
    /// ```
    fn from_str(s: &str) -> Result<Self, String> {
        match s.trim() {
            "error" => Ok(UnknownPosts::Error),
            "skip" => Ok(UnknownPosts::Skip),
            other => Err(format!(
                "`unknown_posts` must be `error` or `skip`, got `{other}`"
            )),
        }
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

impl std::str::FromStr for QuotaMode {
    type Err = String;
    /// `error` or `warn`.
    ///
    /// ```
    /// assert_eq!("warn".parse::<shequ::QuotaMode>(), Ok(shequ::QuotaMode::Warn));
    /// assert!("warning".parse::<shequ::QuotaMode>().is_err());
    /// ```
    fn from_str(s: &str) -> Result<Self, String> {
        match s.trim() {
            "error" => Ok(QuotaMode::Error),
            "warn" => Ok(QuotaMode::Warn),
            other => Err(format!("`quota` must be `error` or `warn`, got `{other}`")),
        }
    }
}

impl std::str::FromStr for RatingSource {
    type Err = String;
    /// `auto`, `given` or `scores`.
    fn from_str(s: &str) -> Result<Self, String> {
        match s.trim() {
            "auto" => Ok(RatingSource::Auto),
            "given" => Ok(RatingSource::Given),
            "scores" => Ok(RatingSource::Scores),
            other => Err(format!(
                "`ratings` must be `auto`, `given` or `scores`, got `{other}`"
            )),
        }
    }
}
