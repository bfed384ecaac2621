//! What a finance bureau gives shequ: its communities, its people (each with
//! the posts they hold) and any adjustment lines.

use crate::error::{InputError, InputErrorCode, RecordKind, RecordRef};
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
/// [`people_from_rows`].
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

/// Group post rows into people, in the order each person first appears.
///
/// # Errors
/// `conflicting_rows` when rows of one person disagree on community or
/// serving flag; `empty_id` for a row without id.
///
/// ```
/// use chrono::NaiveDate;
/// use shequ::input::{people_from_rows, PostRow};
/// let d = NaiveDate::from_ymd_opt(2020, 1, 1).unwrap();
/// let rows = vec![
///     PostRow { id: "P1".into(), community: "C1".into(), post: "group_leader".into(), start: d, ..Default::default() },
///     PostRow { id: "P1".into(), community: "C1".into(), post: "committee_member".into(), start: d, ..Default::default() },
/// ];
/// let people = people_from_rows(rows)?;
/// assert_eq!(people.len(), 1);
/// assert_eq!(people[0].posts.len(), 2);
/// # Ok::<(), shequ::InputError>(())
/// ```
pub fn people_from_rows(rows: Vec<PostRow>) -> Result<Vec<Person>, InputError> {
    let mut people = PeopleBuilder::with_capacity(rows.len());
    for (i, row) in rows.into_iter().enumerate() {
        people.push(row, i)?;
    }
    Ok(people.finish())
}

/// People put together from post rows pushed one at a time, as a reader
/// reads them (no list of every row first): what [`people_from_rows`] does.
///
/// ```
/// use chrono::NaiveDate;
/// use shequ::input::{PeopleBuilder, PostRow};
/// let d = NaiveDate::from_ymd_opt(2020, 1, 1).unwrap();
/// let row = |id: &str, post: &str| PostRow { id: id.into(), community: "C1".into(), post: post.into(), start: d, ..Default::default() };
/// let mut people = PeopleBuilder::with_capacity(3);
/// people.push(row("P2", "group_leader"), 0)?;
/// people.push(row("P1", "group_leader"), 1)?;
/// people.push(row("P2", "committee_member"), 2)?;
/// let people = people.finish();
/// assert_eq!((people[0].id.as_str(), people[0].posts.len()), ("P2", 2));
/// assert_eq!(people[1].id, "P1");
/// # Ok::<(), shequ::InputError>(())
/// ```
#[derive(Debug, Default)]
pub struct PeopleBuilder {
    people: Vec<Person>,
    /// Each person's position, found by id.
    by_id: IdIndex,
}

impl PeopleBuilder {
    /// For about `rows` post rows.
    pub fn with_capacity(rows: usize) -> Self {
        PeopleBuilder {
            people: Vec::with_capacity(rows),
            by_id: IdIndex::with_capacity(rows),
        }
    }

    /// Add one post row; `index` names it in an error (the caller's record).
    ///
    /// # Errors
    /// `empty_id` for a row without id; `conflicting_rows` when it
    /// disagrees with an earlier row of the same person on community,
    /// serving flag or income.
    pub fn push(&mut self, row: PostRow, index: usize) -> Result<(), InputError> {
        let record = || RecordRef::new(RecordKind::Person, index, row.id.clone());
        if row.id.trim().is_empty() {
            return Err(InputError::new(
                InputErrorCode::EmptyId,
                record(),
                "id",
                "the person id is empty",
            ));
        }
        let holding = PostHolding {
            post: row.post,
            start: row.start,
            end: row.end,
        };
        let Some(first) = self.find_or_file(&row.id) else {
            self.people.push(Person {
                id: row.id,
                community: row.community,
                name: row.name,
                serving: row.serving,
                posts: vec![holding],
                income: row.income,
            });
            return Ok(());
        };
        let conflict = |field: &str, message: String| {
            Err(InputError::new(
                InputErrorCode::ConflictingRows,
                record(),
                field,
                message,
            ))
        };
        if first.community != row.community {
            return conflict(
                "community",
                format!(
                    "this row says community `{}` but an earlier row of the same person says `{}`",
                    row.community, first.community
                ),
            );
        }
        if first.serving != row.serving {
            return conflict(
                "serving",
                "rows of the same person disagree on whether they are serving".into(),
            );
        }
        if first.income != row.income {
            return conflict(
                "income",
                "rows of the same person disagree on their income".into(),
            );
        }
        first.posts.push(holding);
        Ok(())
    }

    /// The person with this id so far; `None` for a new one (whose place,
    /// the next, is filed).
    fn find_or_file(&mut self, id: &str) -> Option<&mut Person> {
        let people = &self.people;
        let k = self
            .by_id
            .find_or_file(id, people.len(), &|k| people.get(k).map_or("", |p| &p.id))?;
        self.people.get_mut(k)
    }

    /// The people, in the order each first appeared.
    pub fn finish(self) -> Vec<Person> {
        self.people
    }
}

/// Positions in a list of ids, found by id, as the list grows. While the ids
/// come in byte order (as a table exported by id has them) a repeated id can
/// only be the last one, so only the last is compared; the first id out of
/// order files every position in a hash table. The table holds positions
/// only, hashing the ids where the list keeps them: no copy of an id.
#[derive(Debug, Default)]
pub(crate) struct IdIndex {
    /// Every position, once an id came out of order.
    by_id: Option<hashbrown::HashTable<usize>>,
    /// About how many ids there will be (the table's capacity).
    capacity: usize,
}

/// The hash an id is found by.
fn id_hash(id: &str) -> u64 {
    use std::hash::BuildHasher;
    rustc_hash::FxBuildHasher.hash_one(id)
}

impl IdIndex {
    /// For about `capacity` ids.
    pub(crate) fn with_capacity(capacity: usize) -> Self {
        IdIndex {
            by_id: None,
            capacity,
        }
    }

    /// Where `id` is among the `len` ids so far (`id_at(k)` is the id at
    /// `k`); `None` for an id not among them, whose position (`len`) is
    /// then filed. (`id_at` is a `dyn Fn`: one copy of this code for both
    /// callers in the `.wasm`, and no slower.)
    pub(crate) fn find_or_file<'a>(
        &mut self,
        id: &str,
        len: usize,
        id_at: &dyn Fn(usize) -> &'a str,
    ) -> Option<usize> {
        if self.by_id.is_none() {
            let last = len.checked_sub(1)?;
            match id_at(last).cmp(id) {
                std::cmp::Ordering::Equal => return Some(last),
                std::cmp::Ordering::Less => return None,
                std::cmp::Ordering::Greater => {
                    let mut by_id = hashbrown::HashTable::with_capacity(self.capacity.max(len));
                    for k in 0..len {
                        by_id.insert_unique(id_hash(id_at(k)), k, |&j| id_hash(id_at(j)));
                    }
                    self.by_id = Some(by_id);
                }
            }
        }
        let entry =
            self.by_id
                .as_mut()?
                .entry(id_hash(id), |&k| id_at(k) == id, |&k| id_hash(id_at(k)));
        match entry {
            hashbrown::hash_table::Entry::Occupied(found) => Some(*found.get()),
            hashbrown::hash_table::Entry::Vacant(place) => {
                place.insert(len);
                None
            }
        }
    }
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
    /// [`crate::rows::IgnoredColumns`]).
    #[serde(default)]
    pub ignored_columns: Vec<crate::rows::IgnoredColumn>,
}

impl Input {
    /// One `unknown_column` warning per column shequ did not read: the
    /// first warnings of a budget and of a compliance report.
    pub fn ignored_column_notes(&self) -> Vec<crate::budget::Note> {
        self.ignored_columns
            .iter()
            .map(crate::rows::IgnoredColumn::note)
            .collect()
    }
}

/// Read a household count given as a float (as dataframes hold them),
/// refusing NaN, fractions and negatives with the record named.
///
/// ```
/// use shequ::error::{RecordKind, RecordRef};
/// use shequ::input::households_from_f64;
/// let r = RecordRef::new(RecordKind::Community, 0, "C1");
/// assert_eq!(households_from_f64(2750.0, r.clone()), Ok(2750));
/// assert_eq!(households_from_f64(2750.5, r.clone()).unwrap_err().code.as_str(), "fractional_households");
/// assert_eq!(households_from_f64(f64::NAN, r).unwrap_err().code.as_str(), "missing_field");
/// ```
pub fn households_from_f64(value: f64, record: RecordRef) -> Result<i64, InputError> {
    if value.is_nan() {
        return Err(InputError::new(
            InputErrorCode::MissingField,
            record,
            "households",
            "households is missing (NaN)",
        ));
    }
    if value.fract() != 0.0 || !value.is_finite() {
        return Err(InputError::new(
            InputErrorCode::FractionalHouseholds,
            record,
            "households",
            format!("`{value}` is not a whole number of households"),
        ));
    }
    if value < 0.0 {
        return Err(InputError::new(
            InputErrorCode::NegativeHouseholds,
            record,
            "households",
            format!("`{value}` households is negative"),
        ));
    }
    if value > i64::MAX as f64 {
        return Err(InputError::new(
            InputErrorCode::AbsurdHouseholds,
            record,
            "households",
            format!("`{value}` households is too many"),
        ));
    }
    Ok(value as i64)
}
