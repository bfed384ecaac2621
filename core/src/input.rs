//! What a finance bureau gives shequ: its communities, its people (each with
//! the posts they hold) and any adjustment lines.

use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// A community (社区).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct Community {
    /// Unique id (`C017`).
    pub id: String,
    /// Name (`胜利社区`).
    #[serde(default)]
    pub name: String,
    /// District or street (街道) it belongs to.
    #[serde(default)]
    pub district: String,
    /// Households (实有人口户数): checked to be between 0 and the options'
    /// maximum.
    pub households: i64,
    /// The year's rating id (`excellent`, `good`, `ordinary`), if given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rating: Option<String>,
    /// Assessment score, to assign ratings under the quota instead.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub score: Option<Decimal>,
    /// Star level (和谐社区 stars, 0–5), for star grants.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stars: Option<u8>,
    /// Number of grids (网格), for per-grid norms.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub grids: Option<u32>,
    /// Measures such as `office_area` (m²), for premises checks.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub measures: BTreeMap<String, Decimal>,
    /// Facts such as `new_estate`, `harmonious_standard`, for checks.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub flags: Vec<String>,
}

impl Community {
    /// A community with id, name and households; no rating.
    ///
    /// ```
    /// let c = shequ::Community::new("C1", "胜利社区", 2750).with_rating("good");
    /// assert_eq!(c.rating.as_deref(), Some("good"));
    /// ```
    pub fn new(id: &str, name: &str, households: i64) -> Self {
        Community {
            id: id.into(),
            name: name.into(),
            households,
            ..Default::default()
        }
    }
    /// The same community with a rating.
    pub fn with_rating(mut self, rating: &str) -> Self {
        self.rating = Some(rating.into());
        self
    }
    /// The same community with an assessment score.
    pub fn with_score(mut self, score: Decimal) -> Self {
        self.score = Some(score);
        self
    }
    /// The same community in a district.
    pub fn in_district(mut self, district: &str) -> Self {
        self.district = district.into();
        self
    }
    /// The same community with a star level.
    pub fn with_stars(mut self, stars: u8) -> Self {
        self.stars = Some(stars);
        self
    }
    /// The same community with a number of grids.
    pub fn with_grids(mut self, grids: u32) -> Self {
        self.grids = Some(grids);
        self
    }
    /// The same community with a measure (`office_area`, …).
    pub fn with_measure(mut self, name: &str, value: Decimal) -> Self {
        self.measures.insert(name.into(), value);
        self
    }
    /// The same community with a flag (`new_estate`, …).
    pub fn with_flag(mut self, flag: &str) -> Self {
        self.flags.push(flag.into());
        self
    }
    /// Whether the community has a flag.
    pub fn has_flag(&self, flag: &str) -> bool {
        self.flags.iter().any(|f| f == flag)
    }
}

/// A post held from a start date, until an end date (inclusive) if any.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PostHolding {
    /// Post id or alias as the policy declares it (`director`, `组长`).
    pub post: String,
    /// First day in the post.
    pub start: NaiveDate,
    /// Last day in the post, if they left.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub end: Option<NaiveDate>,
}

impl PostHolding {
    /// Whether the post is held on `day`.
    pub fn held_on(&self, day: NaiveDate) -> bool {
        self.start <= day && self.end.is_none_or(|e| day <= e)
    }
}

/// A person: committee member, residents'-group member, worker.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct Person {
    /// Unique id.
    pub id: String,
    /// Community id.
    pub community: String,
    /// Name, for display.
    #[serde(default)]
    pub name: String,
    /// In serving employment elsewhere (在职).
    #[serde(default)]
    pub serving: bool,
    /// Posts held, each with its own dates.
    pub posts: Vec<PostHolding>,
    /// Annual income in yuan, for income-floor rules.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub income: Option<Decimal>,
}

impl Person {
    /// A non-serving person with no posts yet.
    ///
    /// ```
    /// use chrono::NaiveDate;
    /// let p = shequ::Person::new("P1", "C1", "王芳")
    ///     .holding("group_leader", NaiveDate::from_ymd_opt(2020, 12, 1).unwrap(), None);
    /// assert_eq!(p.posts.len(), 1);
    /// ```
    pub fn new(id: &str, community: &str, name: &str) -> Self {
        Person {
            id: id.into(),
            community: community.into(),
            name: name.into(),
            ..Default::default()
        }
    }
    /// The same person holding one more post.
    pub fn holding(mut self, post: &str, start: NaiveDate, end: Option<NaiveDate>) -> Self {
        self.posts.push(PostHolding {
            post: post.into(),
            start,
            end,
        });
        self
    }
    /// The same person, serving (在职) or not.
    pub fn serving(mut self, serving: bool) -> Self {
        self.serving = serving;
        self
    }
    /// The same person with an annual income.
    pub fn with_income(mut self, income: Decimal) -> Self {
        self.income = Some(income);
        self
    }
}

/// One row of a flat people table: one post held by one person. Several rows
/// with the same person id are one person holding several posts; see
/// [`crate::frame::Frame::from_rows`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct PostRow {
    /// Person id.
    pub id: String,
    /// Community id.
    pub community: String,
    /// Name.
    #[serde(default)]
    pub name: String,
    /// Serving (在职).
    #[serde(default)]
    pub serving: bool,
    /// Post id or alias.
    pub post: String,
    /// Start in the post.
    pub start: NaiveDate,
    /// End of the post, if any.
    #[serde(default)]
    pub end: Option<NaiveDate>,
    /// Annual income (the same on every row of a person).
    #[serde(default)]
    pub income: Option<Decimal>,
}

/// A discretionary adjustment to a community's funds (the document's
/// "综合考虑…因素进行核定"): an amount and a reason, never invented by shequ.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Adjustment {
    /// Community id.
    pub community: String,
    /// The rule it adjusts (its payer split is used); the first work-funds
    /// rule when absent.
    #[serde(default)]
    pub rule: Option<String>,
    /// Amount in yuan, may be negative.
    pub amount: Decimal,
    /// Why.
    pub reason: String,
}

/// Everything about the city that a budget needs.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct Input {
    /// Communities, in the order results are listed.
    pub communities: Vec<Community>,
    /// People.
    #[serde(default)]
    pub people: Vec<Person>,
    /// Adjustment lines.
    #[serde(default)]
    pub adjustments: Vec<Adjustment>,
    /// Columns of the tables this input was read from that shequ does not
    /// read; each becomes an `unknown_column` warning of the budget. Filled
    /// by the table readers of the front-ends (see
    /// [`crate::read::IgnoredColumns`]).
    #[serde(default)]
    pub ignored_columns: Vec<crate::read::ignored::IgnoredColumn>,
}
