//! The engine's input: a city as columns.
//!
//! A [`Frame`] holds the communities, the people (each once, with the posts
//! they hold) and the adjustment lines, read and cross-checked: every id is
//! present and unique, every person's community exists, every person's rows
//! agree. Text that repeats (posts, districts, ratings) is kept once
//! ([`Codes`]); ids keep their type ([`IdColumn`]).
//!
//! People are kept in the order of their communities, and within a
//! community in the order they first appear in the input; a person's posts
//! in the order given. That is the order of the budget's items.
//!
//! A frame comes from tables ([`crate::read::frame`]) or from typed
//! records ([`Frame::from_input`]); both assemble it here, with the same
//! checks.

use crate::error::{InputError, InputErrorCode as Code, RecordKind, RecordRef};
use crate::ids::{Id, IdColumn, IdLookup, Texts};
use crate::input::Input;
use crate::read::ignored::IgnoredColumn;
use chrono::NaiveDate;

use rust_decimal::Decimal;

/// "None" in a column of positions or codes.
pub const NONE: u32 = u32::MAX;

/// The end of a post still held.
pub const OPEN: NaiveDate = NaiveDate::MAX;

/// Repeated text kept once: a code per row into a list of distinct values
/// (in the order first seen), [`NONE`] for no value.
///
/// ```
/// use shequ::frame::{Codes, NONE};
/// let mut c = Codes::default();
/// c.push(Some("director"), 0);
/// c.push(None, 1);
/// c.push(Some("director"), 2);
/// assert_eq!(c.codes, [0, NONE, 0]);
/// assert_eq!(c.get(2), Some("director"));
/// assert_eq!(c.first_row(0), 0);
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Codes {
    /// Per row, the position of its value in `values`.
    pub codes: Vec<u32>,
    /// The distinct values.
    pub values: Vec<String>,
    /// Per value, the first row with it.
    first: Vec<u32>,
    /// The value of the last row, to skip the lookup for runs.
    last: u32,
    index: rustc_hash::FxHashMap<String, u32>,
}

impl Codes {
    /// For about `rows` rows.
    pub fn with_capacity(rows: usize) -> Self {
        Codes {
            codes: Vec::with_capacity(rows),
            last: NONE,
            ..Default::default()
        }
    }

    /// Append a row's value; `row` is the row (or record) it names in
    /// errors.
    pub fn push(&mut self, value: Option<&str>, row: usize) {
        let code = match value {
            None => NONE,
            Some(v) => self.code_of(v, row),
        };
        self.codes.push(code);
    }

    fn code_of(&mut self, v: &str, row: usize) -> u32 {
        if let Some(last) = self.values.get(self.last as usize) {
            if last == v {
                return self.last;
            }
        }
        let code = match self.index.get(v) {
            Some(&k) => k,
            None => {
                let k = u32::try_from(self.values.len()).unwrap_or(NONE);
                self.values.push(v.to_string());
                self.first.push(u32::try_from(row).unwrap_or(NONE));
                self.index.insert(v.to_string(), k);
                k
            }
        };
        self.last = code;
        code
    }

    /// The value of row `i`.
    pub fn get(&self, i: usize) -> Option<&str> {
        let code = *self.codes.get(i)?;
        self.values.get(code as usize).map(String::as_str)
    }

    /// The first row with value `code`.
    pub fn first_row(&self, code: usize) -> usize {
        self.first.get(code).map_or(0, |&r| r as usize)
    }

    /// Whether no row has a value.
    pub fn all_none(&self) -> bool {
        self.values.is_empty()
    }

    fn reorder(&self, order: &[u32]) -> Codes {
        Codes {
            codes: order.iter().map(|&i| self.codes[i as usize]).collect(),
            values: self.values.clone(),
            first: self.first.clone(),
            last: NONE,
            index: self.index.clone(),
        }
    }
}

/// The communities, in the order given.
#[derive(Debug, Clone, Default)]
pub struct Communities {
    /// Ids.
    pub id: IdColumn,
    /// Names (empty when not given).
    pub name: Texts,
    /// District or street (街道).
    pub district: Codes,
    /// Households.
    pub households: Vec<i64>,
    /// The rating as given (text; the policy says what it means).
    pub rating: Codes,
    /// Assessment scores, when the column was given.
    pub score: Option<Vec<Option<Decimal>>>,
    /// Star levels (0–5).
    pub stars: Option<Vec<Option<u8>>>,
    /// Grids.
    pub grids: Option<Vec<Option<u32>>>,
    /// Measures (`office_area`, …), each a column.
    pub measures: Vec<(String, Vec<Option<Decimal>>)>,
    /// Flags (`new_estate`, …), when the column was given.
    pub flags: Option<Vec<Vec<String>>>,
    /// Where each community's people start in [`People`] (one more entry
    /// than communities).
    pub people: Vec<u32>,
}

impl Communities {
    /// Number of communities.
    pub fn len(&self) -> usize {
        self.households.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.households.is_empty()
    }

    /// The positions of community `c`'s people.
    pub fn people_of(&self, c: usize) -> std::ops::Range<usize> {
        let a = self.people.get(c).copied().unwrap_or(0) as usize;
        let b = self.people.get(c + 1).copied().unwrap_or(0) as usize;
        a..b.max(a)
    }

    /// A community's measure.
    pub fn measure(&self, c: usize, name: &str) -> Option<Decimal> {
        if name == "grids" {
            return self.grid_count(c).map(Decimal::from);
        }
        self.measures
            .iter()
            .find(|(n, _)| n == name)
            .and_then(|(_, v)| v.get(c).copied().flatten())
    }

    /// A community's grids.
    pub fn grid_count(&self, c: usize) -> Option<u32> {
        self.grids
            .as_ref()
            .and_then(|g| g.get(c).copied().flatten())
    }

    /// A community's stars.
    pub fn star_count(&self, c: usize) -> Option<u8> {
        self.stars
            .as_ref()
            .and_then(|g| g.get(c).copied().flatten())
    }

    /// A community's score.
    pub fn score_of(&self, c: usize) -> Option<Decimal> {
        self.score
            .as_ref()
            .and_then(|g| g.get(c).copied().flatten())
    }

    /// Whether community `c` has a flag.
    pub fn has_flag(&self, c: usize, flag: &str) -> bool {
        self.flags
            .as_ref()
            .and_then(|f| f.get(c))
            .is_some_and(|f| f.iter().any(|x| x == flag))
    }

    /// A community's display name: `name(id)`, or the id alone.
    pub fn display(&self, c: usize) -> String {
        let id = self.id.text(c);
        match self.name.get(c) {
            "" => id.into_owned(),
            name => format!("{name}({id})"),
        }
    }
}

/// The people, each once, grouped by community (see the module docs).
#[derive(Debug, Clone, Default)]
pub struct People {
    /// Ids.
    pub id: IdColumn,
    /// Position of the community.
    pub community: Vec<u32>,
    /// Names (empty when not given).
    pub name: Texts,
    /// In serving employment (在职).
    pub serving: Vec<bool>,
    /// Annual income, when the column was given.
    pub income: Option<Vec<Option<Decimal>>>,
    /// The caller's record (row, or person) each person is named by in
    /// errors: their first.
    pub record: Vec<u32>,
    /// Where each person's posts start in [`Holdings`] (one more entry than
    /// people).
    pub holdings: Vec<u32>,
}

impl People {
    /// Number of people.
    pub fn len(&self) -> usize {
        self.community.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.community.is_empty()
    }

    /// The positions of person `p`'s posts.
    pub fn holdings_of(&self, p: usize) -> std::ops::Range<usize> {
        let a = self.holdings.get(p).copied().unwrap_or(0) as usize;
        let b = self.holdings.get(p + 1).copied().unwrap_or(0) as usize;
        a..b.max(a)
    }

    /// A person's display name: `name(id)`, or the id alone.
    pub fn display(&self, p: usize) -> String {
        let id = self.id.text(p);
        match self.name.get(p) {
            "" => id.into_owned(),
            name => {
                let mut s = String::with_capacity(name.len() + id.len() + 2);
                s.push_str(name);
                s.push('(');
                s.push_str(&id);
                s.push(')');
                s
            }
        }
    }

    /// A person's income.
    pub fn income_of(&self, p: usize) -> Option<Decimal> {
        self.income
            .as_ref()
            .and_then(|v| v.get(p).copied().flatten())
    }
}

/// The posts held, grouped by person (see [`People::holdings`]).
#[derive(Debug, Clone, Default)]
pub struct Holdings {
    /// The post as given (id or alias; the policy says which post it is).
    pub post: Codes,
    /// First day in the post.
    pub start: Vec<NaiveDate>,
    /// Last day in the post ([`OPEN`] when still held).
    pub end: Vec<NaiveDate>,
    /// The caller's record each post was given in (for errors).
    pub record: Vec<u32>,
}

impl Holdings {
    /// Whether post `h` is held on `day`.
    #[inline]
    pub fn held_on(&self, h: usize, day: NaiveDate) -> bool {
        self.start[h] <= day && day <= self.end[h]
    }

    /// Number of posts held.
    pub fn len(&self) -> usize {
        self.start.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.start.is_empty()
    }
}

/// An adjustment line.
#[derive(Debug, Clone, PartialEq)]
pub struct AdjustmentLine {
    /// Position of the community.
    pub community: u32,
    /// The rule named, if any.
    pub rule: Option<String>,
    /// Amount in yuan.
    pub amount: Decimal,
    /// Why.
    pub reason: String,
    /// The caller's record.
    pub record: u32,
}

/// A city as columns (see the module docs).
#[derive(Debug, Clone, Default)]
pub struct Frame {
    /// Communities.
    pub communities: Communities,
    /// People.
    pub people: People,
    /// Posts held.
    pub holdings: Holdings,
    /// Adjustment lines, in the order given.
    pub adjustments: Vec<AdjustmentLine>,
    /// Columns of the tables that shequ did not read.
    pub ignored_columns: Vec<IgnoredColumn>,
    /// How each header of the tables was read, in order (the column it
    /// stands for, or none): see [`crate::read::frame_with`]. Empty for
    /// typed records.
    pub columns: Vec<crate::read::headers::MappedColumn>,
    /// What the reader of a file did to find the tables (see
    /// [`crate::read::sheet::read`]): given with the budget's warnings.
    pub notes: Vec<crate::notes::Note>,
}

impl Frame {
    /// A frame of typed records: each person's posts are theirs alone (a
    /// second person with the same id is a `duplicate_id`, not more posts).
    ///
    /// # Errors
    /// An [`InputError`] naming the record: empty or repeated ids, a person
    /// in a community not given, a person without posts, a post ending
    /// before it starts, an adjustment without reason.
    ///
    /// ```
    /// use shequ::{Community, Input, Person, frame::Frame};
    /// use chrono::NaiveDate;
    /// let d = NaiveDate::from_ymd_opt(2020, 1, 1).unwrap();
    /// let input = Input {
    ///     communities: vec![Community::new("C1", "社区A", 2750)],
    ///     people: vec![Person::new("P1", "C1", "王芳").holding("director", d, None)],
    ///     ..Default::default()
    /// };
    /// let frame = Frame::from_input(&input)?;
    /// assert_eq!((frame.communities.len(), frame.people.len(), frame.holdings.len()), (1, 1, 1));
    /// # Ok::<(), shequ::InputError>(())
    /// ```
    pub fn from_input(input: &Input) -> Result<Frame, InputError> {
        let mut rows = PostRows::with_capacity(input.people.iter().map(|p| p.posts.len()).sum());
        rows.merge_records = false;
        for (i, p) in input.people.iter().enumerate() {
            if p.posts.is_empty() {
                return Err(InputError::new(
                    Code::NoPosts,
                    RecordRef::new(RecordKind::Person, i, p.id.clone()),
                    "posts",
                    "the person holds no post",
                ));
            }
            for h in &p.posts {
                rows.push(PostRow {
                    record: i,
                    id: IdCell::Text(&p.id),
                    community: IdCell::Text(&p.community),
                    name: &p.name,
                    serving: p.serving,
                    post: &h.post,
                    start: h.start,
                    end: h.end.unwrap_or(OPEN),
                    income: p.income,
                });
            }
        }
        assemble(
            community_rows(&input.communities),
            rows,
            adjustment_rows(&input.adjustments),
            input.ignored_columns.clone(),
        )
    }

    /// A frame of communities, flat people rows (one per post held: rows
    /// of one id are one person) and adjustments.
    ///
    /// # Errors
    /// As [`Frame::from_input`]; rows of one person that disagree on their
    /// community, serving flag or income are `conflicting_rows`.
    ///
    /// ```
    /// use chrono::NaiveDate;
    /// use shequ::{Community, frame::Frame, input::PostRow};
    /// let d = NaiveDate::from_ymd_opt(2020, 1, 1).unwrap();
    /// let row = |id: &str, post: &str| PostRow { id: id.into(), community: "C1".into(), post: post.into(), start: d, ..Default::default() };
    /// let frame = Frame::from_rows(&[Community::new("C1", "", 100)], &[row("P2", "group_leader"), row("P1", "group_leader"), row("P2", "committee_member")], &[])?;
    /// assert_eq!(frame.people.len(), 2);
    /// assert_eq!(frame.people.holdings_of(0).len(), 2); // P2 first: it came first
    /// # Ok::<(), shequ::InputError>(())
    /// ```
    pub fn from_rows(
        communities: &[crate::input::Community],
        people: &[crate::input::PostRow],
        adjustments: &[crate::input::Adjustment],
    ) -> Result<Frame, InputError> {
        let mut rows = PostRows::with_capacity(people.len());
        for (i, r) in people.iter().enumerate() {
            rows.push(PostRow {
                record: i,
                id: IdCell::Text(&r.id),
                community: IdCell::Text(&r.community),
                name: &r.name,
                serving: r.serving,
                post: &r.post,
                start: r.start,
                end: r.end.unwrap_or(OPEN),
                income: r.income,
            });
        }
        assemble(
            community_rows(communities),
            rows,
            adjustment_rows(adjustments),
            Vec::new(),
        )
    }

    /// Bytes the frame's columns use (an estimate, for benchmarks).
    pub fn heap_bytes(&self) -> usize {
        let c = &self.communities;
        let p = &self.people;
        let h = &self.holdings;
        c.id.heap_bytes()
            + c.name.heap_bytes()
            + c.households.capacity() * 8
            + c.people.capacity() * 4
            + p.id.heap_bytes()
            + p.name.heap_bytes()
            + p.community.capacity() * 4
            + p.serving.capacity()
            + p.record.capacity() * 4
            + p.holdings.capacity() * 4
            + h.post.codes.capacity() * 4
            + h.start.capacity() * 4
            + h.end.capacity() * 4
            + h.record.capacity() * 4
    }

    /// The position of the community with id `id` (its text).
    pub fn community_position(&self, id: &str) -> Option<usize> {
        let ids = &self.communities.id;
        (0..ids.len()).find(|&c| ids.text(c) == id)
    }

    /// The position of the person with id `id` (its text).
    pub fn person_position(&self, id: &str) -> Option<usize> {
        let ids = &self.people.id;
        (0..ids.len()).find(|&p| ids.text(p) == id)
    }

    /// The id of community `c`.
    pub fn community_id(&self, c: usize) -> Id {
        self.communities.id.get(c)
    }

    /// The id of person `p`.
    pub fn person_id(&self, p: usize) -> Id {
        self.people.id.get(p)
    }
}

fn community_rows(list: &[crate::input::Community]) -> CommunityRows {
    let mut communities = CommunityRows::with_capacity(list.len());
    for (row, c) in list.iter().enumerate() {
        communities.id.push(IdCell::Text(&c.id));
        communities.name.push(&c.name);
        communities
            .district
            .push((!c.district.is_empty()).then_some(c.district.as_str()), row);
        communities.households.push(c.households);
        communities
            .rating
            .push(c.rating.as_deref().filter(|r| !r.trim().is_empty()), row);
        communities.score.push(c.score);
        communities.stars.push(c.stars);
        communities.grids.push(c.grids);
        for (name, value) in &c.measures {
            communities.measure(name).push_at(row, *value);
        }
        communities.flags.push(c.flags.clone());
    }
    communities
}

fn adjustment_rows(list: &[crate::input::Adjustment]) -> Vec<AdjustmentRow> {
    list.iter()
        .enumerate()
        .map(|(i, a)| AdjustmentRow {
            record: i,
            community: Id::Text(a.community.clone()),
            rule: a.rule.clone(),
            amount: a.amount,
            reason: a.reason.clone(),
        })
        .collect()
}

// ------------------------------------------------------------ assembling

/// An id cell on its way into a frame.
#[derive(Debug, Clone, Copy)]
pub(crate) enum IdCell<'a> {
    Int(i64),
    Text(&'a str),
}

/// A column of ids being filled: integers while every id is one, text from
/// the first that is not.
#[derive(Debug, Default)]
pub(crate) struct IdBuilder {
    ints: Vec<i64>,
    texts: Option<Texts>,
}

impl IdBuilder {
    pub(crate) fn with_capacity(n: usize) -> Self {
        IdBuilder {
            ints: Vec::with_capacity(n),
            texts: None,
        }
    }

    pub(crate) fn push(&mut self, id: IdCell<'_>) {
        match (&mut self.texts, id) {
            (None, IdCell::Int(i)) => self.ints.push(i),
            (None, IdCell::Text(t)) => {
                let mut texts =
                    Texts::with_capacity(self.ints.capacity(), self.ints.capacity() * 8);
                for i in &self.ints {
                    texts.push(&i.to_string());
                }
                texts.push(t);
                self.ints = Vec::new();
                self.texts = Some(texts);
            }
            (Some(texts), IdCell::Int(i)) => texts.push(&i.to_string()),
            (Some(texts), IdCell::Text(t)) => texts.push(t),
        }
    }

    /// A column of ids read at once.
    pub(crate) fn of(ids: IdColumn) -> Self {
        match ids {
            IdColumn::Int(ints) => IdBuilder { ints, texts: None },
            IdColumn::Text(t) => IdBuilder {
                ints: Vec::new(),
                texts: Some(t),
            },
        }
    }

    pub(crate) fn finish(self) -> IdColumn {
        match self.texts {
            Some(t) => IdColumn::Text(t),
            None => IdColumn::Int(self.ints),
        }
    }
}

/// A measure column being filled.
#[derive(Debug, Default)]
pub(crate) struct MeasureColumn(Vec<Option<Decimal>>);

impl MeasureColumn {
    pub(crate) fn push_at(&mut self, row: usize, value: Decimal) {
        self.0.resize(row, None);
        self.0.push(Some(value));
    }
}

/// The communities as read, before their people are known.
#[derive(Debug, Default)]
pub(crate) struct CommunityRows {
    pub id: IdBuilder,
    pub name: Texts,
    pub district: Codes,
    pub households: Vec<i64>,
    pub rating: Codes,
    pub score: Vec<Option<Decimal>>,
    pub stars: Vec<Option<u8>>,
    pub grids: Vec<Option<u32>>,
    pub measures: Vec<(String, MeasureColumn)>,
    pub flags: Vec<Vec<String>>,
}

impl CommunityRows {
    pub(crate) fn with_capacity(n: usize) -> Self {
        CommunityRows {
            id: IdBuilder::with_capacity(n),
            name: Texts::with_capacity(n, n * 12),
            district: Codes::with_capacity(n),
            households: Vec::with_capacity(n),
            rating: Codes::with_capacity(n),
            ..Default::default()
        }
    }

    pub(crate) fn measure(&mut self, name: &str) -> &mut MeasureColumn {
        let k = match self.measures.iter().position(|(n, _)| n == name) {
            Some(k) => k,
            None => {
                self.measures
                    .push((name.to_string(), MeasureColumn::default()));
                self.measures.len() - 1
            }
        };
        &mut self.measures[k].1
    }
}

/// One post row on its way into a frame.
pub(crate) struct PostRow<'a> {
    pub record: usize,
    pub id: IdCell<'a>,
    pub community: IdCell<'a>,
    pub name: &'a str,
    pub serving: bool,
    pub post: &'a str,
    pub start: NaiveDate,
    pub end: NaiveDate,
    pub income: Option<Decimal>,
}

/// The post rows as read, one per post held.
#[derive(Debug)]
pub(crate) struct PostRows {
    pub id: IdBuilder,
    pub community: IdBuilder,
    pub name: Texts,
    pub serving: Vec<bool>,
    pub post: Codes,
    pub start: Vec<NaiveDate>,
    pub end: Vec<NaiveDate>,
    pub income: Option<Vec<Option<Decimal>>>,
    pub record: Vec<u32>,
    /// Rows of one id from different records are one person (tables: a row
    /// per post) or a repeated id (typed records).
    pub merge_records: bool,
}

impl PostRows {
    pub(crate) fn with_capacity(n: usize) -> Self {
        PostRows {
            id: IdBuilder::with_capacity(n),
            community: IdBuilder::with_capacity(n),
            name: Texts::with_capacity(n, n * 9),
            serving: Vec::with_capacity(n),
            post: Codes::with_capacity(n),
            start: Vec::with_capacity(n),
            end: Vec::with_capacity(n),
            income: None,
            record: Vec::with_capacity(n),
            merge_records: true,
        }
    }

    pub(crate) fn push(&mut self, row: PostRow<'_>) {
        let at = self.record.len();
        self.id.push(row.id);
        self.community.push(row.community);
        self.name.push(row.name);
        self.serving.push(row.serving);
        self.post.push(Some(row.post), row.record);
        self.start.push(row.start);
        self.end.push(row.end);
        if let Some(v) = row.income {
            let income = self.income.get_or_insert_with(Vec::new);
            income.resize(at, None);
            income.push(Some(v));
        }
        self.record.push(u32::try_from(row.record).unwrap_or(NONE));
    }

    fn len(&self) -> usize {
        self.record.len()
    }
}

/// An adjustment row on its way into a frame.
pub(crate) struct AdjustmentRow {
    pub record: usize,
    pub community: Id,
    pub rule: Option<String>,
    pub amount: Decimal,
    pub reason: String,
}

fn error(
    code: Code,
    kind: RecordKind,
    record: usize,
    id: String,
    field: &str,
    message: String,
) -> InputError {
    InputError::new(code, RecordRef::new(kind, record, id), field, message)
}

/// Put a frame together: find each id, each person's community and rows,
/// and order the people (see the module docs).
pub(crate) fn assemble(
    communities: CommunityRows,
    rows: PostRows,
    adjustments: Vec<AdjustmentRow>,
    ignored_columns: Vec<IgnoredColumn>,
) -> Result<Frame, InputError> {
    let n = communities.households.len();
    let community_ids = communities.id.finish();
    for c in 0..n {
        if community_ids.text(c).trim().is_empty() {
            return Err(error(
                Code::EmptyId,
                RecordKind::Community,
                c,
                String::new(),
                "id",
                "the community id is empty".into(),
            ));
        }
    }
    if let Some(c) = communities.households.iter().position(|&h| h < 0) {
        let h = communities.households[c];
        return Err(error(
            Code::NegativeHouseholds,
            RecordKind::Community,
            c,
            community_ids.text(c).into_owned(),
            "households",
            format!("`{h}` households is negative"),
        ));
    }
    let (lookup, repeats) = IdLookup::new(&community_ids);
    if let Some(&(later, _)) = repeats.first() {
        let id = community_ids.text(later).into_owned();
        return Err(error(
            Code::DuplicateId,
            RecordKind::Community,
            later,
            id.clone(),
            "id",
            format!("community id `{id}` appears twice"),
        ));
    }
    let people = people_of(rows, &community_ids, &lookup, n)?;
    let adjustments = adjustments
        .into_iter()
        .map(|a| {
            let c = match &a.community {
                Id::Int(i) => lookup.find_int(&community_ids, *i),
                Id::Text(t) => lookup.find_text(&community_ids, t),
            };
            let text = a.community.to_string();
            let Some(c) = c else {
                return Err(error(
                    Code::UnknownCommunity,
                    RecordKind::Adjustment,
                    a.record,
                    text.clone(),
                    "community",
                    format!("community `{text}` is not in the communities given"),
                ));
            };
            if a.reason.trim().is_empty() {
                return Err(error(
                    Code::MissingField,
                    RecordKind::Adjustment,
                    a.record,
                    text,
                    "reason",
                    "an adjustment needs a reason".into(),
                ));
            }
            Ok(AdjustmentLine {
                community: u32::try_from(c).unwrap_or(NONE),
                rule: a.rule,
                amount: a.amount,
                reason: a.reason,
                record: u32::try_from(a.record).unwrap_or(NONE),
            })
        })
        .collect::<Result<Vec<_>, _>>()?;
    let Grouped {
        people,
        holdings,
        starts,
    } = people;
    let pad = |mut v: Vec<Option<Decimal>>| {
        v.resize(n, None);
        v
    };
    let any = |v: &[Option<Decimal>]| v.iter().any(Option::is_some);
    let communities = Communities {
        id: community_ids,
        name: communities.name,
        district: communities.district,
        households: communities.households,
        rating: communities.rating,
        score: any(&communities.score).then_some(communities.score),
        stars: communities
            .stars
            .iter()
            .any(Option::is_some)
            .then_some(communities.stars),
        grids: communities
            .grids
            .iter()
            .any(Option::is_some)
            .then_some(communities.grids),
        measures: communities
            .measures
            .into_iter()
            .map(|(name, MeasureColumn(v))| (name, pad(v)))
            .collect(),
        flags: communities
            .flags
            .iter()
            .any(|f| !f.is_empty())
            .then_some(communities.flags),
        people: starts,
    };
    Ok(Frame {
        communities,
        people,
        holdings,
        adjustments,
        ignored_columns,
        columns: Vec::new(),
        notes: Vec::new(),
    })
}

struct Grouped {
    people: People,
    holdings: Holdings,
    /// Where each community's people start.
    starts: Vec<u32>,
}

/// Group post rows into people, find their communities, and order them by
/// community.
fn people_of(
    mut rows: PostRows,
    community_ids: &IdColumn,
    lookup: &IdLookup,
    communities: usize,
) -> Result<Grouped, InputError> {
    let n = rows.len();
    // The rows' ids and community references, finished.
    let row_ids = std::mem::take(&mut rows.id).finish();
    let refs = std::mem::take(&mut rows.community).finish();
    let record_of = |r: usize| rows.record.get(r).map_or(r, |&k| k as usize);
    let person_error = |r: usize, code: Code, field: &str, message: String| {
        error(
            code,
            RecordKind::Person,
            record_of(r),
            row_ids.text(r).into_owned(),
            field,
            message,
        )
    };
    // Each row's community.
    let mut community_of = Vec::with_capacity(n);
    let mut last: Option<(usize, u32)> = None;
    if let IdColumn::Text(t) = &row_ids {
        if let Some(r) = (0..n).find(|&r| t.get(r).trim().is_empty()) {
            return Err(person_error(
                r,
                Code::EmptyId,
                "id",
                "the person id is empty".into(),
            ));
        }
    }
    for r in 0..n {
        // Rows come grouped by community: the one before's is likely theirs.
        let c = match (&refs, last) {
            (IdColumn::Int(v), Some((prev, c))) if v.get(prev) == v.get(r) => Some(c as usize),
            (IdColumn::Text(t), Some((prev, c))) if t.get(prev) == t.get(r) => Some(c as usize),
            (IdColumn::Int(v), _) => {
                lookup.find_int(community_ids, v.get(r).copied().unwrap_or_default())
            }
            (IdColumn::Text(t), _) => lookup.find_text(community_ids, t.get(r)),
        };
        let Some(c) = c else {
            let reference = refs.text(r);
            return Err(person_error(
                r,
                Code::UnknownCommunity,
                "community",
                format!("community `{reference}` is not in the communities given"),
            ));
        };
        let c = u32::try_from(c).unwrap_or(NONE);
        community_of.push(c);
        last = Some((r, c));
        if rows.end[r] < rows.start[r] {
            return Err(person_error(
                r,
                Code::StartAfterEnd,
                "start",
                format!(
                    "post `{}` starts {} after it ends {}",
                    rows.post.get(r).unwrap_or_default(),
                    rows.start[r],
                    rows.end[r]
                ),
            ));
        }
    }
    // Each row's person: the first row of its id.
    let repeats = crate::ids::repeats(&row_ids);
    let mut person_of: Vec<u32> = (0..n).map(|r| u32::try_from(r).unwrap_or(NONE)).collect();
    for &(later, first) in &repeats {
        let (later, first) = (later as usize, first as usize);
        person_of[later] = person_of[first];
        let (a, b) = (first, later);
        let conflict = |field: &str, message: String| {
            Err(person_error(b, Code::ConflictingRows, field, message))
        };
        if !rows.merge_records && rows.record[a] != rows.record[b] {
            let id = row_ids.text(b).into_owned();
            return Err(person_error(
                b,
                Code::DuplicateId,
                "id",
                format!("person id `{id}` appears twice"),
            ));
        }
        if community_of[a] != community_of[b] {
            return conflict(
                "community",
                format!(
                    "this row says community `{}` but an earlier row of the same person says `{}`",
                    refs.text(b),
                    refs.text(a)
                ),
            );
        }
        if rows.serving[a] != rows.serving[b] {
            return conflict(
                "serving",
                "rows of the same person disagree on whether they are serving".into(),
            );
        }
        let income = |r: usize| {
            rows.income
                .as_ref()
                .and_then(|v| v.get(r).copied().flatten())
        };
        if income(a) != income(b) {
            return conflict(
                "income",
                "rows of the same person disagree on their income".into(),
            );
        }
    }
    // People in first-appearance order, then stably by community.
    let firsts: Vec<u32> = (0..n)
        .filter(|&r| person_of[r] as usize == r)
        .map(|r| u32::try_from(r).unwrap_or(NONE))
        .collect();
    let mut starts = vec![0u32; communities + 1];
    for &r in &firsts {
        starts[community_of[r as usize] as usize + 1] += 1;
    }
    for c in 0..communities {
        starts[c + 1] += starts[c];
    }
    let mut next = starts.clone();
    let mut order = vec![0u32; firsts.len()];
    // Position of each person (by their first row) in the new order.
    let mut position_of_first = vec![NONE; n];
    for &r in &firsts {
        let c = community_of[r as usize] as usize;
        let at = next[c];
        next[c] += 1;
        order[at as usize] = r;
        position_of_first[r as usize] = at;
    }
    // Each person's rows, in row order.
    let mut holding_starts = vec![0u32; firsts.len() + 1];
    for r in 0..n {
        let p = position_of_first[person_of[r] as usize] as usize;
        holding_starts[p + 1] += 1;
    }
    for p in 0..firsts.len() {
        holding_starts[p + 1] += holding_starts[p];
    }
    let mut fill = holding_starts.clone();
    let mut holding_rows = vec![0u32; n];
    for r in 0..n {
        let p = position_of_first[person_of[r] as usize] as usize;
        holding_rows[fill[p] as usize] = u32::try_from(r).unwrap_or(NONE);
        fill[p] += 1;
    }
    let take_ids = |ids: &IdColumn, order: &[u32]| match ids {
        IdColumn::Int(v) => IdColumn::Int(order.iter().map(|&r| v[r as usize]).collect()),
        IdColumn::Text(t) => {
            let mut out = Texts::with_capacity(order.len(), order.len() * 8);
            for &r in order {
                out.push(t.get(r as usize));
            }
            IdColumn::Text(out)
        }
    };
    let mut names = Texts::with_capacity(order.len(), order.len() * 9);
    for &r in &order {
        names.push(rows.name.get(r as usize));
    }
    let people = People {
        id: take_ids(&row_ids, &order),
        community: order.iter().map(|&r| community_of[r as usize]).collect(),
        name: names,
        serving: order.iter().map(|&r| rows.serving[r as usize]).collect(),
        income: rows.income.as_ref().map(|v| {
            order
                .iter()
                .map(|&r| v.get(r as usize).copied().flatten())
                .collect()
        }),
        record: order.iter().map(|&r| rows.record[r as usize]).collect(),
        holdings: holding_starts,
    };
    let holdings = Holdings {
        post: rows.post.reorder(&holding_rows),
        start: holding_rows
            .iter()
            .map(|&r| rows.start[r as usize])
            .collect(),
        end: holding_rows.iter().map(|&r| rows.end[r as usize]).collect(),
        record: holding_rows
            .iter()
            .map(|&r| rows.record[r as usize])
            .collect(),
    };
    Ok(Grouped {
        people,
        holdings,
        starts,
    })
}
