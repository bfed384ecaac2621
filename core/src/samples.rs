//! Bundled sample cities, generated deterministically (a fixed-seed
//! generator in this file, no outside randomness), so every front-end computes
//! the same budget from the same data.
//!
//! - `jiayuguan`: shaped like 嘉政辦發〔2020〕97號 三(四): 31 communities, 135
//!   residents' groups (雄關街道 17 communities / 80 groups, 鋼城街道 14 / 55),
//!   groups of 3–5, committees with serving and non-serving members, some
//!   people holding two posts, a 29 February start, people joining and
//!   leaving mid-year.
//! - `jilin`: 40 communities from 1200 to 6000 households, 4 excellent and
//!   12 good (the 10% / 30% caps), committees of 9 and more.
//!
//! [`synthetic`] makes cities of any size for benchmarks.

use crate::input::{Community, Input, Person, PostHolding};
use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde_json::{json, Value};
use std::collections::BTreeMap;

/// Ids of the bundled samples.
pub const IDS: &[&str] = &["jiayuguan", "jilin", "harbin", "chifeng", "nanping"];

/// A sample city: the policy it is shaped for, the year, the input.
#[derive(Debug, Clone)]
pub struct Sample {
    /// Sample id.
    pub id: &'static str,
    /// The built-in policy it is for.
    pub policy: &'static str,
    /// Budget year.
    pub year: i32,
    /// The city.
    pub input: Input,
    /// Parameters the policy needs (sample values, supplied as a finance
    /// bureau would: not guessed by shequ).
    pub parameters: BTreeMap<String, Decimal>,
}

impl Sample {
    /// Budget options for the sample: its year and parameters.
    pub fn options(&self) -> crate::BudgetOptions {
        let mut o = crate::BudgetOptions::year(self.year);
        o.parameters = self.parameters.clone();
        o
    }
}

/// The bundled sample shaped for a built-in policy.
pub fn for_policy(policy: &str) -> Option<Sample> {
    IDS.iter()
        .filter_map(|id| by_id(id))
        .find(|s| s.policy == policy)
}

/// A sample by id.
///
/// ```
/// let s = shequ::samples::by_id("jiayuguan").unwrap();
/// assert_eq!(s.input.communities.len(), 31);
/// ```
pub fn by_id(id: &str) -> Option<Sample> {
    match id {
        "jiayuguan" => Some(jiayuguan()),
        "jilin" => Some(jilin()),
        "harbin" => Some(harbin()),
        "chifeng" => Some(chifeng()),
        "nanping" => Some(nanping()),
        _ => None,
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
    /// Uniform in `lo..=hi`.
    fn range(&mut self, lo: i64, hi: i64) -> i64 {
        let span = u64::try_from(hi - lo + 1).unwrap_or(1).max(1);
        lo + i64::try_from(self.next() % span).unwrap_or(0)
    }
    fn chance(&mut self, percent: i64) -> bool {
        self.range(0, 99) < percent
    }
    fn date(&mut self, from_year: i32, to_year: i32) -> NaiveDate {
        let y = i32::try_from(self.range(i64::from(from_year), i64::from(to_year)))
            .unwrap_or(from_year);
        let m = u32::try_from(self.range(1, 12)).unwrap_or(1);
        let d = u32::try_from(self.range(1, 28)).unwrap_or(1);
        NaiveDate::from_ymd_opt(y, m, d).unwrap_or_default()
    }
}

fn ymd(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap_or_default()
}

const SURNAMES: [&str; 16] = [
    "王", "李", "张", "刘", "陈", "杨", "赵", "黄", "周", "吴", "徐", "孙", "马", "朱", "胡", "郭",
];
const GIVEN: [&str; 16] = [
    "芳", "伟", "娜", "敏", "静", "强", "磊", "军", "洋", "勇", "艳", "杰", "娟", "涛", "明", "霞",
];

fn name(rng: &mut Rng) -> String {
    let s = SURNAMES[usize::try_from(rng.range(0, 15)).unwrap_or(0)];
    let g = GIVEN[usize::try_from(rng.range(0, 15)).unwrap_or(0)];
    format!("{s}{g}")
}

fn hold(post: &str, start: NaiveDate, end: Option<NaiveDate>) -> PostHolding {
    PostHolding {
        post: post.into(),
        start,
        end,
    }
}

/// The Jiayuguan sample (policy `jiayuguan-2020-97`, year 2026).
pub fn jiayuguan() -> Sample {
    let mut rng = Rng(97);
    let mut input = Input::default();
    let streets = [
        ("雄關街道", "XG", 17usize, 80usize),
        ("鋼城街道", "GC", 14, 55),
    ];
    let mut person_no = 0usize;
    for (street, code, n_comm, n_groups) in streets {
        for k in 0..n_comm {
            // Spread the street's groups as evenly as the numbers allow.
            let groups = n_groups / n_comm + usize::from(k < n_groups % n_comm);
            let cid = format!("{code}{:02}", k + 1);
            let households = rng.range(900, 3600);
            input.communities.push(Community {
                id: cid.clone(),
                name: format!(
                    "{}社區",
                    [
                        "新華", "勝利", "五一", "建設", "朝陽", "和平", "康樂", "團結", "長城",
                        "迎賓"
                    ][k % 10]
                        .to_owned()
                        + &(k / 10 + 1).to_string()
                ),
                district: street.into(),
                households,
                ..Default::default()
            });
            let mut new_person = |rng: &mut Rng, serving: bool, posts: Vec<PostHolding>| {
                person_no += 1;
                input.people.push(Person {
                    id: format!("J{person_no:04}"),
                    community: cid.clone(),
                    name: name(rng),
                    serving,
                    posts,
                    income: None,
                });
            };
            // Committee: the director (the party secretary, serving), a deputy,
            // the supervision-committee director, and members.
            new_person(
                &mut rng,
                true,
                vec![hold("director", ymd(2021, 1, 1), None)],
            );
            let start = rng.date(2015, 2023);
            let serving = rng.chance(30);
            new_person(
                &mut rng,
                serving,
                vec![hold("deputy_director", start, None)],
            );
            let start = rng.date(2016, 2024);
            new_person(
                &mut rng,
                false,
                vec![hold("supervision_director", start, None)],
            );
            for _ in 0..rng.range(2, 3) {
                let start = rng.date(2017, 2025);
                let serving = rng.chance(25);
                new_person(
                    &mut rng,
                    serving,
                    vec![hold("committee_member", start, None)],
                );
            }
            for g in 0..groups {
                let size = rng.range(3, 5);
                for m in 0..size {
                    let post = if m == 0 {
                        "group_leader"
                    } else {
                        "group_member"
                    };
                    let mut start = rng.date(2018, 2025);
                    let mut end = None;
                    let mut posts = Vec::new();
                    match (k + g + usize::try_from(m).unwrap_or(0)) % 23 {
                        // A 29 February start.
                        0 => start = ymd(2024, 2, 29),
                        // Joins mid-year.
                        5 => start = ymd(2026, 6, 15),
                        // Leaves mid-year.
                        9 => end = Some(ymd(2026, 8, 20)),
                        // Also on the committee: the higher post is paid.
                        13 => posts.push(hold("committee_member", rng.date(2019, 2024), None)),
                        _ => {}
                    }
                    posts.insert(0, hold(post, start, end));
                    let serving = rng.chance(20);
                    new_person(&mut rng, serving, posts);
                }
            }
        }
    }
    Sample {
        id: "jiayuguan",
        policy: "jiayuguan-2020-97",
        year: 2026,
        input,
        parameters: BTreeMap::new(),
    }
}

/// The Jilin sample (policy `jilin-2011-13`, year 2026).
pub fn jilin() -> Sample {
    let mut rng = Rng(13);
    let mut input = Input::default();
    let districts = ["船营区", "昌邑区", "龙潭区", "丰满区"];
    let names = [
        "北京路",
        "致和",
        "青岛街",
        "临江门",
        "德胜",
        "文庙",
        "东局子",
        "延安",
        "哈达湾",
        "新地号",
    ];
    let mut person_no = 0usize;
    for k in 0..40usize {
        let households = match k % 8 {
            0 => rng.range(1200, 1499),
            1 | 2 => rng.range(2500, 3000),
            3 => rng.range(5001, 6000),
            _ => rng.range(1500, 4500),
        };
        let rating = match k {
            0..=3 => "excellent",
            4..=15 => "good",
            _ => "ordinary",
        };
        let cid = format!("C{:03}", k + 1);
        let mut community = Community {
            id: cid.clone(),
            name: format!(
                "{}{}社区",
                names[k % 10],
                if k >= 10 {
                    (k / 10 + 1).to_string()
                } else {
                    String::new()
                }
            ),
            district: districts[k % 4].into(),
            households,
            rating: Some(rating.into()),
            grids: u32::try_from((households + 299) / 300 - i64::from(k % 6 == 0)).ok(),
            ..Default::default()
        };
        if k % 4 == 0 {
            // New or rebuilt premises: 300–500 m², ≥ 80% facing residents.
            let area = rng.range(260, 520);
            community = community
                .with_flag("new_office")
                .with_measure("office_area", Decimal::from(area))
                .with_measure(
                    "resident_facing_area",
                    Decimal::from(area * rng.range(70, 95) / 100),
                );
        }
        input.communities.push(community);
        let members = (households + 299) / 300;
        let extra = usize::try_from((members - 9).max(0)).unwrap_or(0);
        let mut posts: Vec<&str> = vec![
            "director",
            "deputy_director",
            "deputy_director",
            "assistant",
            "assistant",
            "member",
            "member",
            "member",
            "member",
        ];
        posts.extend(std::iter::repeat_n("member", extra));
        for (m, post) in posts.into_iter().enumerate() {
            person_no += 1;
            let start = rng.date(2012, 2025);
            let mut holdings = vec![hold(post, start, None)];
            if m == 1 && k % 5 == 0 {
                // A deputy who is also a member: paid once, at the higher post.
                holdings.push(hold("member", rng.date(2012, 2020), None));
            }
            if m == 8 && k % 7 == 0 {
                // A member who left in the year.
                holdings[0].end = Some(ymd(2026, 4, 30));
            }
            input.people.push(Person {
                id: format!("P{person_no:04}"),
                community: cid.clone(),
                name: name(&mut rng),
                serving: m == 0 && k % 3 == 0,
                posts: holdings,
                income: None,
            });
        }
    }
    Sample {
        id: "jilin",
        policy: "jilin-2011-13",
        year: 2026,
        input,
        parameters: BTreeMap::new(),
    }
}

/// The Harbin sample (policy `harbin-2011-14`, year 2012): a district of 80
/// communities with stars, full-time workers, grids and social-security
/// assistants; the deputy salary is a sample input.
pub fn harbin() -> Sample {
    let mut rng = Rng(14);
    let mut input = Input::default();
    let mut person_no = 0usize;
    for k in 0..80usize {
        let households = rng.range(600, 5200);
        let stars = match k % 20 {
            0 | 1 => 5,
            2..=6 => 4,
            _ => u8::try_from(rng.range(0, 3)).unwrap_or(0),
        };
        let grids = u32::try_from((households + 299) / 300).unwrap_or(1);
        let cid = format!("H{:03}", k + 1);
        input.communities.push(Community {
            id: cid.clone(),
            name: format!(
                "{}社区",
                [
                    "中央大街",
                    "红军街",
                    "通江街",
                    "靖宇街",
                    "新阳路",
                    "安静街",
                    "顾乡",
                    "工程街"
                ][k % 8]
                    .to_owned()
                    + &(k / 8 + 1).to_string()
            ),
            district: "道里区".into(),
            households,
            stars: Some(stars),
            grids: Some(grids),
            ..Default::default()
        });
        // Full-time workers: most communities have recruited some, not all.
        let entitled = usize::try_from((households + 899) / 900)
            .unwrap_or(1)
            .max(1);
        let recruited = if k % 3 == 0 {
            entitled
        } else {
            entitled.saturating_sub(1).max(1)
        };
        for _ in 0..recruited {
            person_no += 1;
            let start = rng.date(2011, 2012);
            input.people.push(Person {
                id: format!("H{person_no:05}"),
                community: cid.clone(),
                name: name(&mut rng),
                serving: false,
                posts: vec![hold("full_time_worker", start, None)],
                income: None,
            });
        }
        // Social-security assistants: two per grid, one short in some.
        let assistants = 2 * usize::try_from(grids).unwrap_or(0) - usize::from(k % 5 == 0);
        for _ in 0..assistants {
            person_no += 1;
            let start = rng.date(2009, 2011);
            input.people.push(Person {
                id: format!("H{person_no:05}"),
                community: cid.clone(),
                name: name(&mut rng),
                serving: false,
                posts: vec![hold("social_security_assistant", start, None)],
                income: None,
            });
        }
    }
    let parameters = BTreeMap::from([("deputy_salary_monthly".to_string(), Decimal::from(1800))]);
    Sample {
        id: "harbin",
        policy: "harbin-2011-14",
        year: 2012,
        input,
        parameters,
    }
}

/// The Chifeng sample (policy `chifeng-2008`, year 2009): a town of 25
/// communities with premises, flags and workers' incomes; last year's average
/// urban wage is a sample input.
pub fn chifeng() -> Sample {
    let mut rng = Rng(2008);
    let mut input = Input::default();
    let mut person_no = 0usize;
    for k in 0..25usize {
        let households = rng.range(700, 2600);
        let cid = format!("F{:02}", k + 1);
        let mut c = Community {
            id: cid.clone(),
            name: format!(
                "{}社区",
                [
                    "昭乌达",
                    "新华",
                    "长青",
                    "钢铁街",
                    "三中街",
                    "桥北",
                    "永巨",
                    "哈达"
                ][k % 8]
                    .to_owned()
                    + &(k / 8 + 1).to_string()
            ),
            district: "红山区".into(),
            households,
            ..Default::default()
        };
        if k % 6 != 5 {
            c = c.with_measure("office_area", Decimal::from(rng.range(60, 420)));
        }
        if k % 3 == 0 {
            c = c.with_measure("service_centre_area", Decimal::from(rng.range(30, 120)));
        }
        if k % 5 == 0 {
            c = c.with_flag("new_estate");
        }
        if k % 4 == 0 {
            c = c.with_flag("harmonious_standard");
        }
        if k % 10 < 6 {
            c = c.with_flag("five_good");
        }
        input.communities.push(c);
        let staff = [
            "director",
            "deputy_director",
            "member",
            "member",
            "worker",
            "worker",
        ];
        let n = staff.len() - usize::from(k % 2 == 0);
        for post in staff.iter().take(n) {
            person_no += 1;
            let start = rng.date(2003, 2008);
            let income = Decimal::from(rng.range(12, 26) * 1000);
            input.people.push(Person {
                id: format!("F{person_no:04}"),
                community: cid.clone(),
                name: name(&mut rng),
                serving: false,
                posts: vec![hold(post, start, None)],
                income: Some(income),
            });
        }
    }
    let parameters = BTreeMap::from([
        (
            "last_year_average_urban_wage".to_string(),
            Decimal::from(24_600),
        ),
        (
            "retiree_socialisation_percent".to_string(),
            Decimal::from(93),
        ),
    ]);
    Sample {
        id: "chifeng",
        policy: "chifeng-2008",
        year: 2009,
        input,
        parameters,
    }
}

/// The Nanping sample (policy `nanping-2020-30`, year 2021): 20 communities,
/// some with a deliberation hall, and the city's list counts.
pub fn nanping() -> Sample {
    let mut input = Input::default();
    for k in 0..20usize {
        let mut c = Community::new(
            &format!("N{:02}", k + 1),
            &format!(
                "{}社区",
                ["水南", "水东", "紫云", "梅山", "江南"][k % 5].to_owned()
                    + &(k / 5 + 1).to_string()
            ),
            1200 + 97 * i64::try_from(k).unwrap_or(0),
        )
        .in_district("延平区");
        if k % 4 == 0 {
            c = c.with_flag("deliberation_hall");
        }
        input.communities.push(c);
    }
    let parameters = BTreeMap::from([
        ("work_items".to_string(), Decimal::from(58)),
        ("ledgers_reports".to_string(), Decimal::from(17)),
        ("inspections_appraisals".to_string(), Decimal::from(7)),
        ("stamps_certificates".to_string(), Decimal::from(16)),
    ]);
    Sample {
        id: "nanping",
        policy: "nanping-2020-30",
        year: 2021,
        input,
        parameters,
    }
}

/// A synthetic city of `communities` communities for benchmarks, shaped for
/// the built-in policy `policy` (`jilin-2011-13`: 9 committee members each;
/// `jiayuguan-2020-97`: 9 committee members and 20 group members each).
/// Ratings respect the quota. Deterministic in `seed`.
pub fn synthetic(policy: &str, communities: usize, seed: u64) -> Input {
    let mut rng = Rng(seed);
    let mut input = Input::default();
    let jilin = policy.starts_with("jilin");
    let excellent = communities / 10;
    let good = communities * 3 / 10;
    for k in 0..communities {
        let cid = format!("S{k:06}");
        let rating = if !jilin {
            None
        } else if k < excellent {
            Some("excellent".to_string())
        } else if k < excellent + good {
            Some("good".to_string())
        } else {
            Some("ordinary".to_string())
        };
        input.communities.push(Community {
            id: cid.clone(),
            district: format!("D{}", k % 50),
            households: rng.range(800, 6000),
            rating,
            ..Default::default()
        });
        let committee: &[&str] = if jilin {
            &[
                "director",
                "deputy_director",
                "deputy_director",
                "assistant",
                "assistant",
                "member",
                "member",
                "member",
                "member",
            ]
        } else {
            &[
                "director",
                "deputy_director",
                "deputy_director",
                "supervision_director",
                "committee_member",
                "committee_member",
                "committee_member",
                "committee_member",
                "committee_member",
            ]
        };
        let mut push = |rng: &mut Rng, post: &str, i: usize| {
            let start = rng.date(2012, 2026);
            let serving = rng.chance(20);
            input.people.push(Person {
                id: format!("{cid}-{i:02}"),
                community: cid.clone(),
                name: String::new(),
                serving,
                posts: vec![hold(post, start, None)],
                income: None,
            });
        };
        for (i, post) in committee.iter().enumerate() {
            push(&mut rng, post, i);
        }
        if !jilin {
            for i in 0..20 {
                push(
                    &mut rng,
                    if i % 5 == 0 {
                        "group_leader"
                    } else {
                        "group_member"
                    },
                    committee.len() + i,
                );
            }
        }
    }
    input
}

/// A sample as JSON tables: `{communities: [...], people: [...]}` with one
/// people row per post held.
pub fn as_rows(sample: &Sample) -> Value {
    let communities: Vec<Value> = sample
        .input
        .communities
        .iter()
        .map(|c| {
            let mut row = json!({"id": c.id, "name": c.name, "district": c.district, "households": c.households, "rating": c.rating, "score": c.score.map(|s| s.to_string()), "stars": c.stars, "grids": c.grids, "flags": c.flags.join(",")});
            for (k, v) in &c.measures {
                row[k] = json!(v.to_string());
            }
            row
        })
        .collect();
    let people: Vec<Value> = sample
        .input
        .people
        .iter()
        .flat_map(|p| {
            p.posts.iter().map(move |h| {
                json!({"id": p.id, "community": p.community, "name": p.name, "serving": p.serving, "post": h.post, "start": h.start.to_string(), "end": h.end.map(|e| e.to_string()), "income": p.income.map(|i| i.to_string())})
            })
        })
        .collect();
    let parameters: serde_json::Map<String, Value> = sample
        .parameters
        .iter()
        .map(|(k, v)| (k.clone(), json!(v.to_string())))
        .collect();
    json!({"policy": sample.policy, "year": sample.year, "parameters": parameters, "communities": communities, "people": people})
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn jiayuguan_is_shaped_like_the_document() {
        let s = jiayuguan();
        let c = &s.input.communities;
        assert_eq!(c.len(), 31);
        assert_eq!(c.iter().filter(|c| c.district == "雄關街道").count(), 17);
        assert_eq!(c.iter().filter(|c| c.district == "鋼城街道").count(), 14);
        let leaders = |street: &str| {
            s.input
                .people
                .iter()
                .filter(|p| {
                    p.posts[0].post == "group_leader"
                        && c.iter()
                            .any(|c| c.id == p.community && c.district == street)
                })
                .count()
        };
        assert_eq!(leaders("雄關街道"), 80);
        assert_eq!(leaders("鋼城街道"), 55);
        assert!(s.input.people.iter().any(|p| p.posts.len() == 2));
        assert!(s
            .input
            .people
            .iter()
            .any(|p| p.posts[0].start == ymd(2024, 2, 29)));
    }

    #[test]
    fn samples_are_deterministic() {
        assert_eq!(jiayuguan().input, jiayuguan().input);
        assert_eq!(jilin().input, jilin().input);
        assert_eq!(
            synthetic("jilin-2011-13", 50, 1),
            synthetic("jilin-2011-13", 50, 1)
        );
    }
}
