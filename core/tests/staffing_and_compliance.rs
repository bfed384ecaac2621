//! Issue 3: staffing norms, star grants, income floors, minimum funds,
//! community size, premises, city-wide targets and list caps, with
//! hand-checked numbers for each rule and Decision.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;
use common::*;
use rust_decimal::Decimal;
use shequ::compliance::{ComplianceReport, Finding, Severity};
use shequ::{BudgetOptions, Community, Error, Input, Person, Policy};

fn policy(id: &str) -> Policy {
    Policy::builtin(id).unwrap()
}

fn input(communities: Vec<Community>, people: Vec<Person>) -> Input {
    Input {
        communities,
        people,
        ..Default::default()
    }
}

fn findings<'a>(r: &'a ComplianceReport, check: &str) -> Vec<&'a Finding> {
    r.findings.iter().filter(|f| f.check == check).collect()
}

// ---- Harbin 哈辦發〔2011〕14號 ----

fn harbin_opts() -> BudgetOptions {
    BudgetOptions::year(2012).parameter("deputy_salary_monthly", yuan("2000"))
}

#[test]
fn harbin_1801_households_is_3_posts_at_the_deputy_salary() {
    let b = policy("harbin-2011-14")
        .budget(
            &input(
                vec![Community::new("H1", "", 1801), Community::new("H0", "", 0)],
                vec![],
            ),
            &harbin_opts(),
        )
        .unwrap();
    let item = b
        .items_written()
        .into_iter()
        .find(|i| i.community.is("H1") && &*i.rule == "full_time_workers")
        .unwrap();
    // 3 posts × 2000 × 12 = 72000, city:district 1:1
    assert_eq!(item.amount, yuan("72000.00"));
    assert_eq!(
        item.shares.iter().map(|s| s.amount).collect::<Vec<_>>(),
        [yuan("36000.00"), yuan("36000.00")]
    );
    let shequ::engine::Calc::Norm { posts, .. } = item.calc else {
        panic!()
    };
    assert_eq!(posts, 3);
    // a community of 0 households still gets one worker
    assert_eq!(b.community_total("H0"), yuan("24000.00"));
    assert!(b
        .explain("H1", shequ::Lang::Zh)
        .unwrap()
        .contains("3名(每900戶1名,餘數進位) × 2000元/月 × 12個月"));
}

#[test]
fn harbin_without_the_deputy_salary_is_a_named_error() {
    let err = policy("harbin-2011-14")
        .budget(
            &input(vec![Community::new("H1", "", 1801)], vec![]),
            &BudgetOptions::year(2012),
        )
        .unwrap_err();
    assert_eq!(err.code(), "missing_parameter");
    let Error::MissingParameter { name, rule, clause } = &err else {
        panic!()
    };
    assert_eq!(
        (name.as_str(), rule.as_str(), clause.as_str()),
        ("deputy_salary_monthly", "full_time_workers", "三(三)")
    );
    assert!(err.to_string().contains("`deputy_salary_monthly`"), "{err}");
}

#[test]
fn harbin_star_grants() {
    let cs = vec![
        Community::new("A", "", 1000).with_stars(5),
        Community::new("B", "", 1000).with_stars(4),
        Community::new("C", "", 1000).with_stars(3),
        Community::new("D", "", 1000),
    ];
    let b = policy("harbin-2011-14")
        .budget(&input(cs, vec![]), &harbin_opts())
        .unwrap();
    assert_eq!(b.rule_total("star_grants"), yuan("80000.00"));
    let five = b
        .items_written()
        .into_iter()
        .find(|i| i.community.is("A") && &*i.rule == "star_grants")
        .unwrap();
    assert_eq!(five.amount, yuan("50000.00"));
    assert_eq!(five.shares[0].amount, yuan("25000.00"));
    assert_eq!(five.provenance.source.as_str(), "stated");
    assert!(b
        .items_written()
        .into_iter()
        .all(|i| !(&*i.rule == "star_grants" && (i.community.is("C") || i.community.is("D")))));
}

#[test]
fn harbin_compliance_counts_the_roster() {
    let people: Vec<Person> = (0..5)
        .map(|i| {
            Person::new(&format!("S{i}"), "H1", "").holding(
                "social_security_assistant",
                d(2010, 1, 1),
                None,
            )
        })
        .chain([Person::new("W1", "H1", "").holding("專職工作者", d(2011, 9, 1), None)])
        .collect();
    let r = policy("harbin-2011-14")
        .compliance(
            &input(vec![Community::new("H1", "", 1801).with_grids(3)], people),
            &harbin_opts(),
        )
        .unwrap();
    let pairs = findings(&r, "social_security_pairs");
    assert_eq!(
        (
            pairs[0].required.as_str(),
            pairs[0].actual.as_str(),
            pairs[0].shortfall
        ),
        ("6", "5", Some(Decimal::ONE))
    );
    let workers = findings(&r, "full_time_workers");
    assert_eq!(
        (workers[0].required.as_str(), workers[0].actual.as_str()),
        ("3", "1")
    );
    let norm = r
        .norms
        .iter()
        .find(|n| &*n.rule == "full_time_workers")
        .unwrap();
    assert_eq!(
        (norm.required, norm.actual, norm.annual_cost),
        (3, Some(1), Some(yuan("72000.00")))
    );
}

// ---- Chifeng 城镇社区建设工作方案 ----

fn chifeng_opts(year: i32) -> BudgetOptions {
    BudgetOptions::year(year).parameter("last_year_average_urban_wage", yuan("60000"))
}

fn worker(id: &str, income: &str) -> Person {
    Person::new(id, "F1", "")
        .holding("worker", d(2005, 1, 1), None)
        .with_income(yuan(income))
}

#[test]
fn chifeng_income_floor_by_year() {
    let p = policy("chifeng-2008");
    let city = || {
        input(
            vec![Community::new("F1", "", 1500)],
            vec![worker("W1", "40000"), worker("W2", "52000")],
        )
    };
    let top_up = |year: i32| {
        let b = p.budget(&city(), &chifeng_opts(year)).unwrap();
        (
            b.items_of_person("W1").map(|i| i.amount).sum::<Decimal>(),
            b.items_of_person("W2").count(),
        )
    };
    // 2009: 85% × 60000 = 51000; 51000 − 40000 = 11000; 52000 is above the floor
    assert_eq!(top_up(2009), (yuan("11000.00"), 0));
    // 2008 (the masked year one): 70% → 42000 − 40000
    assert_eq!(top_up(2008), (yuan("2000.00"), 0));
    // 2010 on: 100% → 20000 and 8000
    assert_eq!(top_up(2010), (yuan("20000.00"), 1));
    assert_eq!(top_up(2015), (yuan("20000.00"), 1));
    let b = p.budget(&city(), &chifeng_opts(2009)).unwrap();
    assert_eq!(b.rule_total("work_funds_minimum"), yuan("10000.00"));
    let story = b.explain("F1", shequ::Lang::En).unwrap();
    assert!(
        story.contains(
            "floor 60,000.00 × 85% = 51,000.00, income 40,000.00, topped up = 11,000.00 yuan"
        ),
        "{story}"
    );
}

#[test]
fn chifeng_needs_the_reference_wage_and_each_income() {
    let p = policy("chifeng-2008");
    let err = p
        .budget(
            &input(
                vec![Community::new("F1", "", 1500)],
                vec![worker("W1", "40000")],
            ),
            &BudgetOptions::year(2009),
        )
        .unwrap_err();
    assert!(
        matches!(&err, Error::MissingParameter { name, .. } if name == "last_year_average_urban_wage"),
        "{err}"
    );
    let no_income = Person::new("W1", "F1", "").holding("worker", d(2005, 1, 1), None);
    let Error::Input(e) = p
        .budget(
            &input(vec![Community::new("F1", "", 1500)], vec![no_income]),
            &chifeng_opts(2009),
        )
        .unwrap_err()
    else {
        panic!()
    };
    assert_eq!(
        (e.code.as_str(), e.field.as_str(), e.record.id.as_deref()),
        ("missing_field", "income", Some("W1"))
    );
}

#[test]
fn chifeng_workers_size_and_premises() {
    let p = policy("chifeng-2008");
    let cs = vec![
        // 1001 households need ceil(1001/400) = 3 workers; 2 on the roster
        Community::new("F1", "", 1001)
            .with_flag("new_estate")
            .with_measure("office_area", yuan("150")),
        // 900 households: outside the 1000–2000 standard
        Community::new("F2", "", 900)
            .with_measure("office_area", yuan("220"))
            .with_measure("service_centre_area", yuan("60")),
    ];
    let people = vec![worker("W1", "60000"), worker("W2", "60000")];
    let r = p
        .compliance(&input(cs, people), &chifeng_opts(2009))
        .unwrap();
    let w = findings(&r, "workers_per_400");
    assert_eq!(w.len(), 2, "F2 has nobody on its roster");
    assert_eq!((w[0].required.as_str(), w[0].actual.as_str()), ("3", "2"));
    let size = findings(&r, "community_size");
    assert_eq!(size.len(), 1);
    assert_eq!(
        size[0]
            .community
            .as_ref()
            .map(|c| c.text().into_owned())
            .as_deref(),
        Some("F2")
    );
    assert_eq!(size[0].severity, Severity::Advice);
    // new estate of 1001 households: 20 m² per 100 → 200.2 m²; it has 150
    let prem = findings(&r, "new_estate_premises");
    assert_eq!(prem[0].shortfall, Some(yuan("50.2")));
    // 2009: 60% of 2 communities must have ≥ 200 m² → 2; F2 only
    let share = findings(&r, "premises_200");
    assert_eq!(
        (share[0].required.as_str(), share[0].actual.as_str()),
        ("60% × 2 = 2", "1")
    );
    // 2009: 30% of 2 → 1 service centre of ≥ 50 m²: met
    assert!(findings(&r, "service_centres").is_empty());
    // the retiree rate was not given: missing data, not an error
    assert_eq!(
        findings(&r, "retirees_socialised")[0].severity,
        Severity::MissingData
    );
    // 2008: 26 key communities with a one-stop centre
    let r8 = p
        .compliance(
            &input(vec![Community::new("F1", "", 1500)], vec![]),
            &chifeng_opts(2008),
        )
        .unwrap();
    assert_eq!(findings(&r8, "service_centres")[0].required, "26");
}

// ---- Jilin 吉市发[2011]13号: staffing, size, premises ----

fn jilin_opts() -> BudgetOptions {
    BudgetOptions::year(2026).parameter("provincial_subsidy_per_graduate_monthly", yuan("300"))
}

#[test]
fn jilin_community_size_advice() {
    let cs = vec![
        Community::new("A", "", 1400).with_rating("ordinary"),
        Community::new("B", "", 2600).with_rating("ordinary"),
        Community::new("C", "", 5200).with_rating("ordinary"),
        Community::new("D", "", 4000).with_rating("ordinary"),
    ];
    let r = jilin()
        .compliance(&input(cs, vec![]), &jilin_opts())
        .unwrap();
    let size = findings(&r, "community_size");
    let by = |id: &str| {
        size.iter()
            .find(|f| {
                f.community
                    .as_ref()
                    .map(|c| c.text().into_owned())
                    .as_deref()
                    == Some(id)
            })
            .map(|f| f.en.clone())
    };
    assert!(by("A").unwrap().contains("merge"), "1400 → merge");
    assert!(by("B").is_none(), "2600 is standard");
    assert!(by("C").unwrap().contains("split into two"), "5200 → split");
    assert!(
        by("D").unwrap().contains("outside the standard size"),
        "4000"
    );
    assert!(size
        .iter()
        .all(|f| f.clause == "四(二)" && f.source.as_str() == "stated"));
}

#[test]
fn jilin_committee_size_and_other_norms() {
    let committee: Vec<Person> = [
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
    .iter()
    .enumerate()
    .map(|(i, post)| Person::new(&format!("P{i}"), "C1", "").holding(post, d(2015, 1, 1), None))
    .collect();
    let cs = vec![
        Community::new("C1", "", 3100)
            .with_rating("ordinary")
            .with_grids(10),
        Community::new("C2", "", 2000).with_rating("ordinary"),
    ];
    let r = jilin()
        .compliance(&input(cs, committee), &jilin_opts())
        .unwrap();
    let norm = |c: &str, rule: &str| {
        r.norms
            .iter()
            .find(|n| n.community.is(c) && &*n.rule == rule)
            .unwrap()
            .clone()
    };
    // max(9, ceil(3100/300) = 11) = 11; 9 on the roster
    assert_eq!(
        (
            norm("C1", "committee_size").required,
            norm("C1", "committee_size").actual
        ),
        (11, Some(9))
    );
    // 2000 households: the base committee of 9
    assert_eq!(norm("C2", "committee_size").required, 9);
    // grids: ceil(3100/300) = 11, 10 given
    assert_eq!(
        (norm("C1", "grids").required, norm("C1", "grids").actual),
        (11, Some(10))
    );
    assert_eq!(norm("C2", "grids").actual, None);
    // public-welfare posts: ceil(3100/200) = 16
    assert_eq!(norm("C1", "public_welfare_posts").required, 16);
    // graduates: 5 per community priced at 1100 × 12 = 66000 (no roster needed)
    assert_eq!(
        (
            norm("C2", "graduates").required,
            norm("C2", "graduates").annual_cost
        ),
        (5, Some(yuan("66000.00")))
    );
    let short = findings(&r, "committee_size");
    assert_eq!(
        (short.len(), short[0].shortfall),
        (2, Some(Decimal::from(2))),
        "C1 is 2 short, C2 has nobody"
    );
}

#[test]
fn jilin_graduates_on_the_roster_are_paid_after_the_provincial_subsidy() {
    let grads = vec![
        Person::new("G1", "C1", "").holding("大学毕业生", d(2025, 9, 1), None),
        Person::new("G2", "C1", "").holding("graduate", d(2026, 7, 1), None),
    ];
    let city = || {
        input(
            vec![Community::new("C1", "", 0).with_rating("ordinary")],
            grads.clone(),
        )
    };
    let b = jilin().budget(&city(), &jilin_opts()).unwrap();
    let items: Vec<_> = b
        .items_written()
        .into_iter()
        .filter(|i| &*i.rule == "graduates")
        .collect();
    // G1 12 months + G2 6 months = 18 post-months; province 18 × 300 = 5400;
    // the rest 18 × 800 = 14400, city and district 7200 each
    assert_eq!(items.len(), 2);
    assert_eq!(
        (&*items[0].shares[0].payer, items[0].amount),
        ("province", yuan("5400.00"))
    );
    assert_eq!(items[1].amount, yuan("14400.00"));
    assert_eq!(
        items[1].shares.iter().map(|s| s.amount).collect::<Vec<_>>(),
        [yuan("7200.00"), yuan("7200.00")]
    );
    assert_eq!(b.payer_total("province"), yuan("5400.00"));
    // without the subsidy: a named error citing the clause
    let err = jilin()
        .budget(&city(), &BudgetOptions::year(2026))
        .unwrap_err();
    assert!(
        matches!(&err, Error::MissingParameter { name, clause, .. } if name == "provincial_subsidy_per_graduate_monthly" && clause == "三(二)"),
        "{err}"
    );
    // a subsidy above the pay is refused
    let err = jilin()
        .budget(
            &city(),
            &BudgetOptions::year(2026)
                .parameter("provincial_subsidy_per_graduate_monthly", yuan("1200")),
        )
        .unwrap_err();
    assert_eq!(err.code(), "out_of_range");
    // no graduates: no parameter needed
    assert!(jilin()
        .budget(
            &input(
                vec![Community::new("C1", "", 0).with_rating("ordinary")],
                vec![]
            ),
            &BudgetOptions::year(2026)
        )
        .is_ok());
}

#[test]
fn jilin_premises_of_new_offices() {
    let cs = vec![
        Community::new("A", "", 2600)
            .with_rating("ordinary")
            .with_flag("new_office")
            .with_measure("office_area", yuan("280"))
            .with_measure("resident_facing_area", yuan("210")),
        Community::new("B", "", 2600)
            .with_rating("ordinary")
            .with_flag("new_office")
            .with_measure("office_area", yuan("520"))
            .with_measure("resident_facing_area", yuan("500")),
        Community::new("C", "", 2600)
            .with_rating("ordinary")
            .with_measure("office_area", yuan("100")),
        Community::new("D", "", 2600)
            .with_rating("ordinary")
            .with_flag("new_office"),
    ];
    let r = jilin()
        .compliance(&input(cs, vec![]), &jilin_opts())
        .unwrap();
    let area = findings(&r, "office_area");
    let sev = |id: &str| {
        area.iter()
            .find(|f| {
                f.community
                    .as_ref()
                    .map(|c| c.text().into_owned())
                    .as_deref()
                    == Some(id)
            })
            .map(|f| (f.severity, f.shortfall))
    };
    assert_eq!(
        sev("A"),
        Some((Severity::Shortfall, Some(Decimal::from(20))))
    );
    assert_eq!(sev("B"), Some((Severity::OverLimit, None)));
    assert_eq!(
        sev("C"),
        None,
        "old premises are not held to the new-office norm"
    );
    assert_eq!(sev("D"), Some((Severity::MissingData, None)));
    // A: 210 / 280 = 75% facing residents, 5 points short of 80%
    let facing = findings(&r, "resident_facing_share");
    let a = facing
        .iter()
        .find(|f| {
            f.community
                .as_ref()
                .map(|c| c.text().into_owned())
                .as_deref()
                == Some("A")
        })
        .unwrap();
    assert_eq!(
        (a.actual.as_str(), a.shortfall),
        ("75.0%", Some(yuan("5.0")))
    );
    assert!(
        facing.iter().all(|f| f
            .community
            .as_ref()
            .map(|c| c.text().into_owned())
            .as_deref()
            != Some("B")),
        "500/520 = 96%"
    );
}

// ---- Nanping 南政办函〔2020〕30号 ----

#[test]
fn nanping_list_caps_and_deliberation_halls() {
    let cs: Vec<Community> = (0..10)
        .map(|i| {
            let c = Community::new(&format!("N{i}"), "", 1000);
            if i < 2 {
                c.with_flag("deliberation_hall")
            } else {
                c
            }
        })
        .collect();
    let opts = BudgetOptions::year(2021)
        .parameter("work_items", Decimal::from(58))
        .parameter("ledgers_reports", Decimal::from(16));
    let r = policy("nanping-2020-30")
        .compliance(&input(cs, vec![]), &opts)
        .unwrap();
    assert!(
        findings(&r, "work_items").is_empty(),
        "58 is within the cap"
    );
    let l = findings(&r, "ledgers_reports");
    assert_eq!(
        (l[0].severity, l[0].required.as_str(), l[0].actual.as_str()),
        (Severity::OverLimit, "≤ 15", "16")
    );
    assert_eq!(
        findings(&r, "stamps_certificates")[0].severity,
        Severity::MissingData
    );
    let halls = findings(&r, "deliberation_halls");
    assert_eq!(
        (halls[0].required.as_str(), halls[0].actual.as_str()),
        ("30% × 10 = 3", "2")
    );
    // Nanping owes nothing: an empty, valid budget
    let b = policy("nanping-2020-30")
        .budget(&input(vec![Community::new("N1", "", 1)], vec![]), &opts)
        .unwrap();
    assert_eq!((b.items.len(), b.totals.overall), (0, yuan("0.00")));
}

// ---- every policy on its sample ----

#[test]
fn every_builtin_policy_runs_on_its_sample() {
    for id in Policy::builtin_ids() {
        let sample = shequ::samples::for_policy(id).unwrap_or_else(|| panic!("no sample for {id}"));
        let p = policy(id);
        let b = p
            .budget(&sample.input, &sample.options())
            .unwrap_or_else(|e| panic!("{id}: {e}"));
        assert_conserved(&b);
        let r = p
            .compliance(&sample.input, &sample.options())
            .unwrap_or_else(|e| panic!("{id}: {e}"));
        assert_eq!(r.summary.communities, sample.input.communities.len());
        let json = serde_json::to_string(&r).unwrap();
        assert!(json.contains("\"findings\""));
    }
    let harbin = shequ::samples::harbin();
    assert_eq!(harbin.input.communities.len(), 80);
    assert!(harbin.input.communities.iter().any(|c| c.stars == Some(5)));
    assert_eq!(shequ::samples::chifeng().input.communities.len(), 25);
}
