//! A realistic city for benchmarks: seedable, any size, shaped the way a
//! civil-affairs bureau's database export looks rather than the way a test
//! would like it.
//!
//! [`samples::synthetic`](crate::samples::synthetic) makes cities whose ids
//! are text in byte order and whose people hold one post each; that hides
//! the integer-id path and the costs of putting people together from rows
//! that come in no order. [`city`] makes instead:
//!
//! - **communities** with integer ids (distinct 6–9 digit numbers in no
//!   order), Chinese names (`胜利东社区`; names repeat across a large city, as
//!   they do), 10–50 Chinese districts (the table is ordered by district, as
//!   an export by district is), 800–6000 households, and ratings at Jilin's
//!   quota exactly: floor(10%·N) `excellent` and floor(30%·N) `good`,
//!   scattered over the table;
//! - **people, one row per post held**, with integer person ids of their
//!   own (10 digits: never a community id) in no order. Each community has
//!   a committee (a `director` and 7–9 others: two `deputy_director`s, two
//!   `assistant`s, the rest `member`s) and residents' groups of 4–6
//!   (16–24 people: a `group_leader` and `group_member`s each). About one
//!   person in twelve holds a second post, given as a second row with the
//!   same id, name, community and serving flag: most often a committee
//!   member who also sits in a residents' group (Jiayuguan's 交叉任职), a
//!   group member who also leads another group (the member post often the
//!   older one, so it can pay more with its years), a committee member with
//!   a second committee post, rarely the director leading a group.
//! - **dates**: starts spread over 2010–2026 (one in seven on the 1st of a
//!   month, one in two hundred on a 29 February), about 4% of posts ended,
//!   four in ten of those during [`YEAR`]; about 20% of people serving (在职).
//!
//! **Row order.** The people table is the committee table followed by the
//! residents'-group table, as two registers exported one after the other:
//! each is in blocks of one community, the blocks of each in its own seeded
//! order (neither the community table's nor the other's). Within a block
//! the committee comes director first; the groups come one after another,
//! leader first. So a person with a committee post and a group post has one
//! row in each half of the table, far apart; nothing is sorted by community
//! or by id.
//!
//! The city is plain column vectors ([`Communities`], [`PostRows`]);
//! [`City::to_frame`] reads them (ids as integers) through the one reader
//! for the Rust paths, and [`policy`] is the bench policy it is shaped for
//! (`core/benches/realistic-city.toml`).
//!
//! Generation is fast (about 3.1 million people rows for 100 000
//! communities, in well under a second in a release build): one splitmix64
//! stream, no hashing, strings built once.
//!
//! ```
//! use shequ::realistic;
//! let city = realistic::city(200, 7);
//! assert_eq!(city.communities.len(), 200);
//! assert_eq!(city.communities.rating.iter().filter(|r| *r == "excellent").count(), 20);
//! assert!(city.people.len() > 200 * 28);
//! let budget = realistic::policy()?
//!     .budget_of(std::sync::Arc::new(city.to_frame()?), &shequ::BudgetOptions::year(realistic::YEAR))?;
//! assert_eq!(budget.totals.by_community.len(), 200);
//! assert!(budget.totals.overall > rust_decimal::Decimal::ZERO);
//! # Ok::<(), shequ::Error>(())
//! ```

use crate::error::InputError;
use crate::frame::Frame;
use crate::read::{self, Cell, Column, Values};
use chrono::{Datelike, NaiveDate};
use std::borrow::Cow;

/// The budget year the city is shaped for: some posts end during it.
pub const YEAR: i32 = 2026;

/// The bench policy the city is shaped for, as TOML
/// (`core/benches/realistic-city.toml`): Jilin's work funds, rating bonus,
/// stipends and uplifts under the rating quota, and Jiayuguan's seniority
/// allowance for non-serving residents'-group members. A composite for
/// benchmarking, not a real document.
pub const POLICY: &str = include_str!("../benches/realistic-city.toml");

/// Where [`POLICY`] comes from, as errors name it.
pub const POLICY_ORIGIN: &str = "core/benches/realistic-city.toml";

/// The posts the generator emits, highest first (all declared by
/// [`POLICY`]).
pub const POSTS: [&str; 6] = [
    "director",
    "deputy_director",
    "assistant",
    "member",
    "group_leader",
    "group_member",
];

/// [`POLICY`] loaded.
///
/// # Errors
/// Only if the file were broken (a test loads it).
pub fn policy() -> crate::Result<crate::Policy> {
    crate::Policy::from_toml(POLICY, POLICY_ORIGIN)
}

/// The communities table, one entry per community in each column.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Communities {
    /// Community id: distinct 6–9 digit numbers, in no order.
    pub id: Vec<i64>,
    /// Name (`胜利东社区`); not unique in a large city.
    pub name: Vec<String>,
    /// District (`船营区`); the table is ordered by district.
    pub district: Vec<String>,
    /// Households, 800–6000.
    pub households: Vec<i64>,
    /// `excellent`, `good` or `ordinary`: floor(10%·N) and floor(30%·N) of
    /// the first two, at scattered positions.
    pub rating: Vec<String>,
}

impl Communities {
    /// Number of communities.
    pub fn len(&self) -> usize {
        self.id.len()
    }
    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.id.is_empty()
    }
}

/// The people table, one row per post held (several rows with one id are
/// one person holding several posts).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PostRows {
    /// Person id: distinct per person, 10 digits, in no order.
    pub id: Vec<i64>,
    /// The community's id.
    pub community: Vec<i64>,
    /// Chinese name (`王芳`, `欧阳建国`); not unique.
    pub name: Vec<String>,
    /// Post id, one of [`POSTS`].
    pub post: Vec<String>,
    /// First day in the post.
    pub start: Vec<NaiveDate>,
    /// Last day in the post, for the few who left.
    pub end: Vec<Option<NaiveDate>>,
    /// In serving employment (在职); the same on every row of a person.
    pub serving: Vec<bool>,
}

impl PostRows {
    /// Number of rows.
    pub fn len(&self) -> usize {
        self.id.len()
    }
    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.id.is_empty()
    }

    /// One row.
    fn push(&mut self, p: &Who, post: &str, start: NaiveDate, end: Option<NaiveDate>) {
        self.id.push(p.id);
        self.community.push(p.community);
        self.name.push(p.name.clone());
        self.post.push(post.to_string());
        self.start.push(start);
        self.end.push(end);
        self.serving.push(p.serving);
    }

    fn with_capacity(n: usize) -> Self {
        PostRows {
            id: Vec::with_capacity(n),
            community: Vec::with_capacity(n),
            name: Vec::with_capacity(n),
            post: Vec::with_capacity(n),
            start: Vec::with_capacity(n),
            end: Vec::with_capacity(n),
            serving: Vec::with_capacity(n),
        }
    }

    /// Rows `range` of `from` moved to the end of `self` (the strings are
    /// moved, not copied).
    fn take_block(&mut self, from: &mut PostRows, range: std::ops::Range<usize>) {
        for i in range {
            self.id.push(from.id[i]);
            self.community.push(from.community[i]);
            self.name.push(std::mem::take(&mut from.name[i]));
            self.post.push(std::mem::take(&mut from.post[i]));
            self.start.push(from.start[i]);
            self.end.push(from.end[i]);
            self.serving.push(from.serving[i]);
        }
    }
}

/// A generated city: its two tables.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct City {
    /// The communities.
    pub communities: Communities,
    /// The people, one row per post held.
    pub people: PostRows,
}

impl City {
    /// The city's tables as the one reader takes them: integer ids as
    /// `int64` columns (as an export holds them), text and dates as cells.
    pub fn tables(&self) -> read::Tables<'_> {
        let c = &self.communities;
        let p = &self.people;
        fn ints(v: &[i64]) -> Column<'_> {
            Column::Int64(Values::all(v))
        }
        fn texts(v: &[String]) -> Column<'_> {
            Column::Cells(
                v.iter()
                    .map(|t| Cell::Str(Cow::Borrowed(t.as_str())))
                    .collect(),
            )
        }
        let communities = vec![
            ("id".to_string(), ints(&c.id)),
            ("name".to_string(), texts(&c.name)),
            ("district".to_string(), texts(&c.district)),
            ("households".to_string(), ints(&c.households)),
            ("rating".to_string(), texts(&c.rating)),
        ];
        let people = vec![
            ("id".to_string(), ints(&p.id)),
            ("community".to_string(), ints(&p.community)),
            ("name".to_string(), texts(&p.name)),
            (
                "serving".to_string(),
                Column::Cells(p.serving.iter().map(|b| Cell::Bool(*b)).collect()),
            ),
            ("post".to_string(), texts(&p.post)),
            (
                "start".to_string(),
                Column::Cells(p.start.iter().map(|d| Cell::Date(*d)).collect()),
            ),
            (
                "end".to_string(),
                Column::Cells(
                    p.end
                        .iter()
                        .map(|d| d.map_or(Cell::Null, Cell::Date))
                        .collect(),
                ),
            ),
        ];
        read::Tables {
            // The columns are of one length by construction.
            communities: read::Table::of_columns(communities).unwrap_or_default(),
            people: read::Table::of_columns(people).unwrap_or_default(),
            ..Default::default()
        }
    }

    /// The city read into the engine's input, through the one reader.
    ///
    /// # Errors
    /// What the reader refuses; a generated city has no such rows (rows of
    /// one person always agree), so only a city edited by hand can fail.
    pub fn to_frame(&self) -> Result<Frame, InputError> {
        read::frame(&self.tables())
    }
}

/// splitmix64: small, fast, deterministic.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    /// Uniform in `0..n` (`0` when `n` is 0).
    fn below(&mut self, n: usize) -> usize {
        let n64 = u64::try_from(n).unwrap_or(u64::MAX).max(1);
        usize::try_from(self.next() % n64).unwrap_or(0)
    }
    /// Uniform in `lo..=hi`.
    fn range(&mut self, lo: i64, hi: i64) -> i64 {
        let span = u64::try_from(hi - lo + 1).unwrap_or(1).max(1);
        lo + i64::try_from(self.next() % span).unwrap_or(0)
    }
    /// True `per_mille` times in a thousand.
    fn chance(&mut self, per_mille: u64) -> bool {
        self.next() % 1000 < per_mille
    }
    fn pick<'a>(&mut self, from: &[&'a str]) -> &'a str {
        from.get(self.below(from.len()))
            .copied()
            .unwrap_or_default()
    }
    /// A seeded shuffle of `0..n` (Fisher–Yates).
    fn permutation(&mut self, n: usize) -> Vec<usize> {
        let mut p: Vec<usize> = (0..n).collect();
        for i in (1..n).rev() {
            let j = self.below(i + 1);
            p.swap(i, j);
        }
        p
    }
}

/// A seeded bijection of `0..range`, to give the `k`-th community or person
/// a distinct id that shows nothing of `k`: a mix of `bits`-bit integers
/// (xor, odd multiplier, xor-shift: each a bijection), walked until it lands
/// in `0..range` (cycle walking keeps it a bijection of `0..range`).
struct Scramble {
    bits: u32,
    range: u64,
    keys: [u64; 3],
}

impl Scramble {
    fn new(rng: &mut Rng, bits: u32, range: u64) -> Self {
        Scramble {
            bits,
            range,
            keys: [rng.next(), rng.next() | 1, rng.next() | 1],
        }
    }
    fn mix(&self, x: u64) -> u64 {
        let mask = (1u64 << self.bits) - 1;
        let mut x = (x ^ self.keys[0]) & mask;
        x = x.wrapping_mul(self.keys[1]) & mask;
        x ^= x >> (self.bits / 2);
        x = x.wrapping_mul(self.keys[2]) & mask;
        x ^ (x >> (self.bits / 3 + 1))
    }
    fn of(&self, k: usize) -> u64 {
        let mut x = u64::try_from(k).unwrap_or(0) % self.range;
        loop {
            x = self.mix(x);
            if x < self.range {
                return x;
            }
        }
    }
}

/// Community ids: 100 000 ..= 999 999 999 (6 to 9 digits).
const COMMUNITY_IDS: (i64, u64, u32) = (100_000, 999_900_000, 30);
/// Person ids: 1 000 000 000 ..= 9 999 999 999 (10 digits).
const PERSON_IDS: (i64, u64, u32) = (1_000_000_000, 9_000_000_000, 34);

const DISTRICTS: [&str; 50] = [
    "船营区",
    "昌邑区",
    "龙潭区",
    "丰满区",
    "南关区",
    "宽城区",
    "朝阳区",
    "二道区",
    "绿园区",
    "铁西区",
    "铁东区",
    "和平区",
    "沈河区",
    "大东区",
    "皇姑区",
    "浑南区",
    "于洪区",
    "道里区",
    "南岗区",
    "道外区",
    "香坊区",
    "松北区",
    "平房区",
    "呼兰区",
    "阿城区",
    "红山区",
    "松山区",
    "元宝山区",
    "雄关区",
    "镜铁区",
    "长城区",
    "延平区",
    "建阳区",
    "城关区",
    "七里河区",
    "西固区",
    "安宁区",
    "红古区",
    "新城区",
    "碑林区",
    "莲湖区",
    "雁塔区",
    "未央区",
    "灞桥区",
    "鼓楼区",
    "台江区",
    "仓山区",
    "晋安区",
    "思明区",
    "湖里区",
];

const PLACE: [&str; 40] = [
    "胜利",
    "和平",
    "建设",
    "光明",
    "幸福",
    "新华",
    "解放",
    "团结",
    "民主",
    "朝阳",
    "东风",
    "红旗",
    "长青",
    "文化",
    "友谊",
    "前进",
    "人民",
    "中山",
    "青年",
    "向阳",
    "北山",
    "南湖",
    "东城",
    "西关",
    "站前",
    "繁荣",
    "兴华",
    "育才",
    "春城",
    "松江",
    "临江",
    "德胜",
    "致和",
    "青岛街",
    "延安",
    "龙华",
    "滨江",
    "金山",
    "绿园",
    "翠湖",
];

const PLACE_SUFFIX: [&str; 12] = [
    "", "东", "西", "南", "北", "一", "二", "三", "花园", "新村", "里", "苑",
];

const SURNAMES: [&str; 64] = [
    "王", "李", "张", "刘", "陈", "杨", "赵", "黄", "周", "吴", "徐", "孙", "胡", "朱", "高", "林",
    "何", "郭", "马", "罗", "梁", "宋", "郑", "谢", "韩", "唐", "冯", "于", "董", "萧", "程", "曹",
    "袁", "邓", "许", "傅", "沈", "曾", "彭", "吕", "苏", "卢", "蒋", "蔡", "贾", "丁", "魏", "薛",
    "叶", "阎", "余", "潘", "杜", "戴", "夏", "钟", "汪", "田", "任", "姜", "范", "方", "欧阳",
    "司马",
];

const GIVEN: [&str; 48] = [
    "伟", "芳", "娜", "秀", "英", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "娟",
    "涛", "明", "超", "兰", "霞", "平", "刚", "桂", "华", "玉", "萍", "红", "玲", "芬", "燕", "彬",
    "鹏", "辉", "建", "国", "志", "海", "丹", "宇", "浩", "凯", "淑", "凤", "春", "秋", "德", "文",
];

fn name(rng: &mut Rng) -> String {
    let mut s = String::with_capacity(12);
    s.push_str(rng.pick(&SURNAMES));
    s.push_str(rng.pick(&GIVEN));
    if rng.chance(600) {
        s.push_str(rng.pick(&GIVEN));
    }
    s
}

fn ymd(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap_or_default()
}

/// Days of the common era of `d` (chrono's count), as i64.
fn ce(d: NaiveDate) -> i64 {
    i64::from(d.num_days_from_ce())
}

fn from_ce(days: i64) -> NaiveDate {
    i32::try_from(days)
        .ok()
        .and_then(NaiveDate::from_num_days_from_ce_opt)
        .unwrap_or_default()
}

/// A day in `from..=to`.
fn day_between(rng: &mut Rng, from: NaiveDate, to: NaiveDate) -> NaiveDate {
    from_ce(rng.range(ce(from), ce(to).max(ce(from))))
}

/// A start date: any day of 2010–2026, one in seven moved to the 1st of
/// its month (appointments often are), one in two hundred a 29 February.
fn start_date(rng: &mut Rng) -> NaiveDate {
    if rng.chance(5) {
        return ymd([2012, 2016, 2020, 2024][rng.below(4)], 2, 29);
    }
    let d = day_between(rng, ymd(2010, 1, 1), ymd(YEAR, 12, 31));
    if rng.chance(143) {
        ymd(d.year(), d.month(), 1)
    } else {
        d
    }
}

/// An end for about 4% of posts: four in ten of them in [`YEAR`] (on or
/// after the start), the others between the start and the end of the year
/// before (or in [`YEAR`] when the post started in it).
fn end_date(rng: &mut Rng, start: NaiveDate) -> Option<NaiveDate> {
    if !rng.chance(40) {
        return None;
    }
    let year_start = ymd(YEAR, 1, 1);
    let last_before = ymd(YEAR - 1, 12, 31);
    Some(if rng.chance(400) || start > last_before {
        day_between(rng, start.max(year_start), ymd(YEAR, 12, 31))
    } else {
        day_between(rng, start, last_before)
    })
}

/// A person being generated: what every row of theirs repeats.
struct Who {
    id: i64,
    community: i64,
    name: String,
    serving: bool,
}

/// A residents'-group row being generated: who, the post, start and end.
type GroupRow = (Who, &'static str, NaiveDate, Option<NaiveDate>);

/// The people of all communities, before the blocks are put in order.
struct Registers {
    committee: PostRows,
    groups: PostRows,
    /// Each community's rows in each register (`k`: `ends[k]..ends[k + 1]`).
    committee_ends: Vec<usize>,
    group_ends: Vec<usize>,
    next_person: usize,
    person_ids: Scramble,
}

impl Registers {
    fn person(&mut self, rng: &mut Rng, community: i64) -> Who {
        let k = self.next_person;
        self.next_person += 1;
        Who {
            id: PERSON_IDS.0 + i64::try_from(self.person_ids.of(k)).unwrap_or(0),
            community,
            name: name(rng),
            serving: rng.chance(200),
        }
    }

    /// One community's committee and residents' groups.
    fn community(&mut self, rng: &mut Rng, cid: i64) {
        let others = usize::try_from(rng.range(7, 9)).unwrap_or(7);
        let mut committee: Vec<(Who, &str)> = Vec::with_capacity(others + 1);
        committee.push((self.person(rng, cid), "director"));
        for i in 0..others {
            let post = match i {
                0 | 1 => "deputy_director",
                2 | 3 => "assistant",
                _ => "member",
            };
            committee.push((self.person(rng, cid), post));
        }
        let size = usize::try_from(rng.range(16, 24)).unwrap_or(16);
        let n_groups = size / 4;
        // Each group: its leader and members, as (person, post, start, end).
        let mut groups: Vec<Vec<GroupRow>> = (0..n_groups).map(|_| Vec::with_capacity(7)).collect();
        let mut second: Vec<(usize, Who, &str)> = Vec::new();
        for i in 0..size {
            let g = i % n_groups;
            let post = if i < n_groups {
                "group_leader"
            } else {
                "group_member"
            };
            let who = self.person(rng, cid);
            let start = start_date(rng);
            let end = end_date(rng, start);
            // One in twenty also holds a post in another group: a member
            // also leads one (their member post is then often the older,
            // and may pay more with its years), a leader is also a member.
            if n_groups > 1 && rng.chance(50) {
                let other = (g + 1 + rng.below(n_groups - 1)) % n_groups;
                let also = if post == "group_leader" {
                    "group_member"
                } else {
                    "group_leader"
                };
                second.push((other, clone_who(&who), also));
            }
            if let Some(group) = groups.get_mut(g) {
                group.push((who, post, start, end));
            }
        }
        // Committee rows; some members also sit in a residents' group (the
        // row goes to that group's block) or hold a second committee post.
        for (who, post) in &committee {
            let start = start_date(rng);
            let end = end_date(rng, start);
            self.committee.push(who, post, start, end);
            if *post == "director" {
                if rng.chance(20) {
                    second.push((rng.below(n_groups), clone_who(who), "group_leader"));
                }
                continue;
            }
            if rng.chance(150) {
                let also = if rng.chance(500) {
                    "group_leader"
                } else {
                    "group_member"
                };
                second.push((rng.below(n_groups), clone_who(who), also));
            } else if rng.chance(35) {
                let also = if *post == "member" {
                    "assistant"
                } else {
                    "member"
                };
                let start = start_date(rng);
                let end = end_date(rng, start);
                self.committee.push(who, also, start, end);
            }
        }
        for (g, who, post) in second {
            let start = start_date(rng);
            let end = end_date(rng, start);
            if let Some(group) = groups.get_mut(g) {
                group.push((who, post, start, end));
            }
        }
        for group in &mut groups {
            // The leader first, then the members, as a register lists them.
            group.sort_by_key(|(_, post, _, _)| *post != "group_leader");
            for (who, post, start, end) in group.iter() {
                self.groups.push(who, post, *start, *end);
            }
        }
        self.committee_ends.push(self.committee.len());
        self.group_ends.push(self.groups.len());
    }
}

fn clone_who(w: &Who) -> Who {
    Who {
        id: w.id,
        community: w.community,
        name: w.name.clone(),
        serving: w.serving,
    }
}

/// A realistic city of `communities` communities, the same for the same
/// `seed` (see the [module documentation](self) for its shape and row
/// order). 100 000 communities give about 3.1 million people rows.
pub fn city(communities: usize, seed: u64) -> City {
    let n = communities;
    let mut rng = Rng(seed ^ 0x5EED_C17F_0000_0015);
    let community_ids = Scramble::new(&mut rng, COMMUNITY_IDS.2, COMMUNITY_IDS.1);
    let person_ids = Scramble::new(&mut rng, PERSON_IDS.2, PERSON_IDS.1);

    // Districts: 10 to 50 (one per 200 communities), of uneven sizes; the
    // table lists them one after another.
    let n_districts = (n / 200).clamp(10, DISTRICTS.len()).min(n.max(1));
    let weights: Vec<usize> = (0..n_districts).map(|_| 1 + rng.below(4)).collect();
    let weight_sum: usize = weights.iter().sum::<usize>().max(1);
    let mut district_of = Vec::with_capacity(n);
    for (d, w) in weights.iter().enumerate() {
        let share = if d + 1 == n_districts {
            n - district_of.len()
        } else {
            (n * w / weight_sum).min(n - district_of.len())
        };
        district_of.extend(std::iter::repeat_n(d, share));
    }

    // Ratings at the quota exactly, at shuffled positions.
    let excellent = n / 10;
    let good = n * 3 / 10;
    let mut rating = vec![String::new(); n];
    for (rank, &at) in rng.permutation(n).iter().enumerate() {
        rating[at] = if rank < excellent {
            "excellent"
        } else if rank < excellent + good {
            "good"
        } else {
            "ordinary"
        }
        .to_string();
    }

    let mut c = Communities {
        id: Vec::with_capacity(n),
        name: Vec::with_capacity(n),
        district: Vec::with_capacity(n),
        households: Vec::with_capacity(n),
        rating,
    };
    let mut registers = Registers {
        committee: PostRows::with_capacity(n * 11),
        groups: PostRows::with_capacity(n * 23),
        committee_ends: Vec::with_capacity(n),
        group_ends: Vec::with_capacity(n),
        next_person: 0,
        person_ids,
    };
    for (k, &district) in district_of.iter().enumerate() {
        let cid = COMMUNITY_IDS.0 + i64::try_from(community_ids.of(k)).unwrap_or(0);
        c.id.push(cid);
        let mut name = String::with_capacity(18);
        name.push_str(rng.pick(&PLACE));
        name.push_str(rng.pick(&PLACE_SUFFIX));
        name.push_str("社区");
        c.name.push(name);
        c.district.push(
            DISTRICTS
                .get(district)
                .copied()
                .unwrap_or_default()
                .to_string(),
        );
        c.households.push(rng.range(800, 6000));
        registers.community(&mut rng, cid);
    }

    // The two registers, each in blocks of one community in its own seeded
    // order, one after the other.
    let mut people = PostRows::with_capacity(registers.committee.len() + registers.groups.len());
    for (rows, ends) in [
        (&mut registers.committee, &registers.committee_ends),
        (&mut registers.groups, &registers.group_ends),
    ] {
        for k in rng.permutation(n) {
            let from = if k == 0 { 0 } else { ends[k - 1] };
            people.take_block(rows, from..ends[k]);
        }
    }
    City {
        communities: c,
        people,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{BudgetOptions, QuotaMode};
    use std::collections::{BTreeMap, HashMap, HashSet};

    #[test]
    fn the_same_seed_gives_the_same_city() {
        assert_eq!(city(300, 3), city(300, 3));
        assert_ne!(city(300, 3).people.id, city(300, 4).people.id);
        assert!(city(0, 1).people.is_empty());
        assert_eq!(city(1, 1).communities.len(), 1);
    }

    #[test]
    fn communities_are_shaped_as_documented() {
        let n = 3000;
        let c = city(n, 11).communities;
        assert_eq!(c.len(), n);
        let ids: HashSet<i64> = c.id.iter().copied().collect();
        assert_eq!(ids.len(), n, "distinct ids");
        assert!(c.id.iter().all(|id| (100_000..1_000_000_000).contains(id)));
        assert!(c.id.windows(2).any(|w| w[0] > w[1]) && c.id.windows(2).any(|w| w[0] < w[1]));
        assert!(c.households.iter().all(|h| (800..=6000).contains(h)));
        let districts: HashSet<&String> = c.district.iter().collect();
        assert_eq!(districts.len(), 15);
        // Ordered by district: each district in one run.
        let runs = 1 + c.district.windows(2).filter(|w| w[0] != w[1]).count();
        assert_eq!(runs, districts.len());
        assert!(c.name.iter().all(|s| s.ends_with("社区")));
        let count = |r: &str| c.rating.iter().filter(|x| *x == r).count();
        assert_eq!(
            (count("excellent"), count("good"), count("ordinary")),
            (300, 900, 1800)
        );
        // Scattered: not the first rows.
        assert!(c.rating[..300].iter().any(|r| r != "excellent"));
        assert!(c.rating[n - 300..].iter().any(|r| r == "excellent"));
    }

    #[test]
    fn people_are_shaped_as_documented() {
        let n = 2000;
        let city = city(n, 5);
        let p = &city.people;
        let rows = p.len();
        assert!((n * 30..n * 33).contains(&rows), "{rows} rows");
        let community_ids: HashSet<i64> = city.communities.id.iter().copied().collect();
        assert!(p.community.iter().all(|c| community_ids.contains(c)));
        assert!(p
            .id
            .iter()
            .all(|id| (1_000_000_000..10_000_000_000).contains(id)));
        assert!(p.post.iter().all(|post| POSTS.contains(&post.as_str())));
        // Rows of one person agree, and nobody holds three posts.
        let mut by_person: HashMap<i64, Vec<usize>> = HashMap::new();
        for (i, id) in p.id.iter().enumerate() {
            by_person.entry(*id).or_default().push(i);
        }
        let two = by_person.values().filter(|r| r.len() == 2).count();
        assert!(by_person.values().all(|r| r.len() <= 2));
        let share = two as f64 / by_person.len() as f64;
        assert!((0.06..0.12).contains(&share), "{share} hold two posts");
        for r in by_person.values() {
            let (a, b) = (r[0], r[r.len() - 1]);
            assert_eq!(
                (p.community[a], &p.name[a], p.serving[a]),
                (p.community[b], &p.name[b], p.serving[b])
            );
        }
        // Per community: one director, 7–9 other committee members, 16–24
        // group members besides those of the committee.
        let mut committee: BTreeMap<i64, HashSet<i64>> = BTreeMap::new();
        let mut directors: BTreeMap<i64, usize> = BTreeMap::new();
        let mut group: BTreeMap<i64, HashSet<i64>> = BTreeMap::new();
        for i in 0..rows {
            let c = p.community[i];
            if p.post[i].starts_with("group_") {
                group.entry(c).or_default().insert(p.id[i]);
            } else {
                committee.entry(c).or_default().insert(p.id[i]);
            }
            if p.post[i] == "director" {
                *directors.entry(c).or_default() += 1;
            }
        }
        assert_eq!(committee.len(), n);
        assert!(directors.values().all(|d| *d == 1));
        for (c, members) in &committee {
            assert!((8..=10).contains(&members.len()), "{}", members.len());
            let only_group = group[c].difference(members).count();
            assert!((16..=24).contains(&only_group), "{only_group}");
        }
        // Not sorted by community or id, the committee register first.
        assert!(p.community.windows(2).any(|w| w[0] > w[1]));
        assert!(p.id.windows(2).any(|w| w[0] > w[1]));
        let first_group = p.post.iter().position(|x| x.starts_with("group_"));
        assert!(first_group.is_some_and(|i| i > n * 8));
        // Dates.
        assert!(p.start.iter().all(|d| (2010..=YEAR).contains(&d.year())));
        assert!(p.start.iter().any(|d| (d.month(), d.day()) == (2, 29)));
        assert!(p.start.iter().filter(|d| d.day() == 1).count() > rows / 10);
        let ended = p.end.iter().flatten().count();
        assert!(
            (rows / 50..rows * 6 / 100).contains(&ended),
            "{ended} ended"
        );
        assert!(p.end.iter().flatten().any(|e| e.year() == YEAR));
        assert!(p.end.iter().flatten().any(|e| e.year() < YEAR));
        assert!(p
            .start
            .iter()
            .zip(&p.end)
            .all(|(s, e)| e.is_none_or(|e| *s <= e)));
        let serving = by_person.values().filter(|r| p.serving[r[0]]).count();
        let share = serving as f64 / by_person.len() as f64;
        assert!((0.17..0.23).contains(&share), "{share} serving");
    }

    #[test]
    fn the_policy_loads_and_knows_every_post() -> crate::Result<()> {
        let policy = policy()?;
        assert_eq!(policy.id(), "realistic-city-bench");
        for post in POSTS {
            assert!(policy.post(post).is_some(), "{post}");
        }
        Ok(())
    }

    #[test]
    fn a_budget_of_the_city_respects_the_quota_and_pays_every_rule() -> crate::Result<()> {
        let city = city(500, 2);
        let input = city.to_frame()?;
        let people: HashSet<i64> = city.people.id.iter().copied().collect();
        assert_eq!(input.people.len(), people.len());
        assert_eq!(
            input.community_id(0),
            crate::Id::Int(city.communities.id[0])
        );
        let options = BudgetOptions::year(YEAR).quota(QuotaMode::Error);
        let budget = policy()?.budget_of(std::sync::Arc::new(input), &options)?;
        assert!(budget.warnings.is_empty(), "{:?}", budget.warnings);
        for (rule, total) in &budget.totals.by_rule {
            assert!(!total.is_zero(), "{rule}");
        }
        // The invented work-funds rate (15.125 a household) needs rounding:
        // the rule's total is the sum of the items rounded one by one.
        let rate = rust_decimal::Decimal::new(15125, 3);
        let households = &city.communities.households;
        let exact: rust_decimal::Decimal = households
            .iter()
            .map(|h| rate * rust_decimal::Decimal::from(*h))
            .sum();
        let rounded: rust_decimal::Decimal = households
            .iter()
            .map(|h| crate::money::round_fen(rate * rust_decimal::Decimal::from(*h)))
            .sum();
        let work_funds = budget
            .totals
            .by_rule
            .iter()
            .find(|(r, _)| r == "work_funds");
        assert_eq!(work_funds.map(|(_, t)| *t), Some(rounded));
        assert_ne!(rounded, exact);
        assert_eq!(budget.totals.by_community.len(), city.communities.len());
        Ok(())
    }
}
