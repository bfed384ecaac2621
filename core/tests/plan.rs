//! Multi-year plans, dated what-ifs and sweeps (issue 19), with hand-checked
//! numbers: a Jiayuguan member whose allowance steps up mid-plan, a Jilin
//! stipend growth schedule, a post ending in the plan's second year, a
//! mid-year reform by date, households growing, a rule that starts later.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;
use common::*;
use shequ::plan::{Assumptions, Scenario};
use shequ::{BudgetOptions, Community, Frame, Input, Lang, Person};
use std::sync::Arc;

fn frame(communities: Vec<Community>, people: Vec<Person>) -> Arc<Frame> {
    let input = Input {
        communities,
        people,
        ..Default::default()
    };
    Arc::new(Frame::from_input(&input).unwrap())
}

fn assume(json: &str) -> Assumptions {
    serde_json::from_str(json).unwrap()
}

fn opts() -> BudgetOptions {
    BudgetOptions::year(2026)
}

#[test]
fn a_jiayuguan_member_steps_up_on_each_anniversary_of_the_plan() {
    // A non-serving group member since 2024-05-10: one full year on
    // 2026-05-01, two from 2026-06-01 (the anniversary 05-10 is reached by
    // the 1st of June), and so on.
    // 2026: 5 × (200 + 50) + 7 × (200 + 100) = 1250 + 2100 = 3350
    // 2027: 5 × 300 + 7 × 350 = 1500 + 2450 = 3950
    // 2028: 5 × 350 + 7 × 400 = 1750 + 2800 = 4550
    let f = frame(
        vec![Community::new("XG01", "新華社區", 1800).in_district("雄關街道")],
        vec![Person::new("P1", "XG01", "李梅").holding("group_member", d(2024, 5, 10), None)],
    );
    let plan = jiayuguan()
        .plan(f, &[2026, 2027, 2028], &Assumptions::default(), &opts())
        .unwrap();
    assert_eq!(plan.total(2026), Some(yuan("3350.00")));
    assert_eq!(plan.total(2027), Some(yuan("3950.00")));
    assert_eq!(plan.total(2028), Some(yuan("4550.00")));
    let rows: Vec<_> = plan.rows().collect();
    assert_eq!(rows.len(), 3);
    assert_eq!(
        (rows[1].year, rows[1].payer, rows[1].rule, rows[1].district),
        (2027, "city", "work_allowance", Some("雄關街道"))
    );
    let changes = plan.changes().unwrap();
    assert_eq!(changes.len(), 2);
    assert!(changes.iter().all(|c| c.change == yuan("600.00")));
    assert_eq!(changes[0].before, yuan("3350.00"));
    // Any year's line explains itself.
    let b = plan.budget(2027).unwrap();
    assert_eq!(b.totals.overall, yuan("3950.00"));
    let zh = b.explain_item(0, Lang::Zh).unwrap();
    assert!(
        zh.contains("1–5月 5個月 × 300元(基數200元 + 滿2年 × 50元)"),
        "{zh}"
    );
    assert!(
        zh.contains("6–12月 7個月 × 350元(基數200元 + 滿3年 × 50元)"),
        "{zh}"
    );
}

fn jilin_director_and_member() -> Arc<Frame> {
    frame(
        vec![Community::new("C1", "胜利社区", 2750).with_rating("ordinary")],
        vec![
            Person::new("P1", "C1", "王芳").holding("director", d(2018, 3, 1), None),
            // A member whose post ends in the plan's second year.
            Person::new("P2", "C1", "张伟").holding("member", d(2019, 1, 1), Some(d(2027, 6, 30))),
        ],
    )
}

#[test]
fn a_jilin_stipend_grows_five_percent_a_year_and_says_it_is_assumed() {
    // 定期增长机制: the director's 1200 grows 5% a year from 2027, each
    // year's standard rounded to the fen:
    // 2027 1260, 2028 1323, 2029 1389.15, 2030 1458.61 (1458.6075)
    let growth = assume(
        r#"{"growth": [{"path": "stipend.amounts.director", "percent": "5", "from": 2027,
                        "note": "定期增长机制: +5% a year (our assumption)"}]}"#,
    );
    let plan = jilin()
        .plan(
            jilin_director_and_member(),
            &[2026, 2027, 2028, 2029, 2030],
            &growth,
            &opts(),
        )
        .unwrap();
    let director = |y| plan.rule_total(y, "stipend").unwrap();
    // The member: 12 × 1100 in 2026, 6 × 1100 in 2027 (the post ends on
    // 30 June: held on the 1st of January to June), nothing after.
    assert_eq!(director(2026), yuan("14400.00") + yuan("13200.00"));
    assert_eq!(director(2027), yuan("15120.00") + yuan("6600.00"));
    assert_eq!(director(2028), yuan("15876.00"));
    assert_eq!(director(2029), yuan("16669.80"));
    assert_eq!(director(2030), yuan("17503.32"));
    // Work funds do not grow: 2750 × 15 every year.
    for y in 2026..=2030 {
        assert_eq!(plan.rule_total(y, "work_funds"), Some(yuan("41250.00")));
    }
    // 2029's director item: its rate is an assumed row, cited with the note.
    let b = plan.budget(2029).unwrap();
    let item = person_item(&b, "P1", "stipend");
    assert_eq!(item.amount, yuan("16669.80"));
    let row = item
        .provenance
        .values
        .iter()
        .find(|v| v.value.starts_with("1389.15"))
        .unwrap();
    assert_eq!(row.source, shequ::policy::values::Source::Assumed);
    assert!(
        row.note.as_deref().unwrap().contains("定期增长机制"),
        "{row:?}"
    );
    let en = b.explain("C1", Lang::En).unwrap();
    assert!(en.contains("12 months × 1389.15 yuan"), "{en}");
    assert!(en.contains("uses assumed values"), "{en}");
    // The stated row before the growth is kept as it was.
    let b = plan.budget(2026).unwrap();
    assert_eq!(person_item(&b, "P1", "stipend").amount, yuan("14400.00"));
}

#[test]
fn a_post_ending_in_year_two_stops_being_paid() {
    let plan = jilin()
        .plan(
            jilin_director_and_member(),
            &[2026, 2027, 2028],
            &Assumptions::default(),
            &opts(),
        )
        .unwrap();
    let b = plan.budget(2027).unwrap();
    let member = person_item(&b, "P2", "stipend");
    assert_eq!((member.amount, member.months), (yuan("6600.00"), Some(6)));
    let b = plan.budget(2028).unwrap();
    assert!(b.items_of_person("P2").next().is_none());
    // The year-on-year change of the stipend line: −6600 in 2027, −6600 in
    // 2028, each split 50/50.
    let changes = plan.changes().unwrap();
    let stipend: Vec<_> = changes
        .iter()
        .filter(|c| c.rule == "stipend" && c.payer == "city")
        .map(|c| (c.year, c.change))
        .collect();
    assert_eq!(
        stipend,
        [(2027, yuan("-3300.00")), (2028, yuan("-3300.00"))]
    );
}

#[test]
fn a_mid_year_reform_is_priced_month_by_month() {
    // work_funds.rate = 2000 from 2027-07-01 for 2750 households:
    // 2026: 41250; 2027: 2750 × 15 × 6/12 + 2750 × 20 × 6/12 = 20625 +
    // 27500 = 48125; 2028: 55000.
    let reform = jilin()
        .with_overrides(&[("work_funds.rate", "2000 from 2027-07-01")])
        .unwrap();
    let plan = reform
        .plan(
            jilin_director_and_member(),
            &[2026, 2027, 2028],
            &Assumptions::default(),
            &opts(),
        )
        .unwrap();
    let wf = |y| plan.rule_total(y, "work_funds").unwrap();
    assert_eq!(
        (wf(2026), wf(2027), wf(2028)),
        (yuan("41250.00"), yuan("48125.00"), yuan("55000.00"))
    );
    let b = plan.budget(2027).unwrap();
    let i = b
        .items_written()
        .iter()
        .position(|it| it.rule == "work_funds")
        .unwrap();
    let zh = b.explain_item(i, Lang::Zh).unwrap();
    assert!(
        zh.contains("按月折算 1–6月 2750户 × 1500元/百户(年额41250元)× 6/12 + 7–12月 2750户 × 2000元/百户(年额55000元)× 6/12 = 48,125.00元"),
        "{zh}"
    );
    let en = b.explain_item(i, Lang::En).unwrap();
    assert!(
        en.contains("by month, Jan–Jun 2750 households × 1500 yuan per 100 households (41250 yuan a year) × 6/12 + Jul–Dec"),
        "{en}"
    );
    assert!(en.contains("uses overridden values"), "{en}");
    // The same as a sweep against the baseline: +6875 in 2027, +13750 after.
    let sweep = jilin()
        .sweep(
            jilin_director_and_member(),
            &[Scenario::new(
                "reform",
                &[("work_funds.rate", "2000 from 2027-07-01")],
            )],
            &[2026, 2027, 2028],
            &Assumptions::default(),
            &opts(),
        )
        .unwrap();
    assert_eq!(sweep.scenarios(), ["baseline", "reform"]);
    let diff: Vec<_> = sweep
        .diff()
        .unwrap()
        .into_iter()
        .filter(|c| c.rule == "work_funds")
        .map(|c| (c.year, c.payer, c.change))
        .collect();
    assert_eq!(
        diff,
        [
            (2026, "city".to_string(), yuan("0.00")),
            (2026, "district".to_string(), yuan("0.00")),
            (2027, "city".to_string(), yuan("3437.50")),
            (2027, "district".to_string(), yuan("3437.50")),
            (2028, "city".to_string(), yuan("6875.00")),
            (2028, "district".to_string(), yuan("6875.00")),
        ]
    );
}

#[test]
fn a_rating_bonus_changed_in_the_year_is_prorated_too() {
    // A good community's 5000 a year becomes 6000 from 1 April 2027:
    // 3/12 × 5000 + 9/12 × 6000 = 1250 + 4500 = 5750.
    let p = jilin()
        .with_overrides(&[("rating_bonus.amounts.good", "6000 from 2027-04-01")])
        .unwrap();
    let input = Input {
        communities: vec![Community::new("C1", "社区A", 1000).with_rating("good")],
        ..Default::default()
    };
    let opts = BudgetOptions::year(2027).quota(shequ::QuotaMode::Warn);
    let b = p.budget(&input, &opts).unwrap();
    assert_eq!(b.rule_total("rating_bonus"), yuan("5750.00"));
    let i = b
        .items_written()
        .iter()
        .position(|it| it.rule == "rating_bonus")
        .unwrap();
    let zh = b.explain_item(i, Lang::Zh).unwrap();
    assert!(
        zh.contains("1–3月 评为良好(年额5000元)× 3/12 + 4–12月 评为良好(年额6000元)× 9/12"),
        "{zh}"
    );
    // 2026 and 2028 are whole years at one amount, as before.
    let before = p
        .budget(
            &input,
            &BudgetOptions::year(2026).quota(shequ::QuotaMode::Warn),
        )
        .unwrap();
    assert_eq!(before.rule_total("rating_bonus"), yuan("5000.00"));
    let i = before
        .items_written()
        .iter()
        .position(|it| it.rule == "rating_bonus")
        .unwrap();
    assert!(!before
        .explain_item(i, Lang::Zh)
        .unwrap()
        .contains("按月折算"));
}

#[test]
fn households_grow_by_a_rate_for_all_or_some_communities() {
    // 2% a year from 2027 for all, 10% for C2: C1 2750 → 2805 → 2861
    // (2861.1); C2 1000 → 1100 → 1210. Work funds 15 yuan a household.
    let f = frame(
        vec![
            Community::new("C1", "社区A", 2750).with_rating("ordinary"),
            Community::new("C2", "社区B", 1000).with_rating("ordinary"),
        ],
        Vec::new(),
    );
    let growth = assume(
        r#"{"households": [{"percent": "2"}, {"percent": "10", "communities": ["C2"], "note": "new estates"}]}"#,
    );
    let plan = jilin()
        .plan(f, &[2026, 2027, 2028], &growth, &opts())
        .unwrap();
    assert_eq!(plan.total(2026), Some(yuan("56250.00")));
    assert_eq!(plan.total(2027), Some(yuan("58575.00"))); // (2805 + 1100) × 15
    assert_eq!(plan.total(2028), Some(yuan("61065.00"))); // (2861 + 1210) × 15
    assert_eq!(
        plan.warnings(2027).last().map(|n| n.code),
        Some("assumed_households")
    );
    let b = plan.budget(2028).unwrap();
    let story = b.explain("C2", Lang::En).unwrap();
    assert!(story.contains("1210 households × 1500 yuan"), "{story}");
    assert!(
        story.contains("the 1210 households of 2028 are assumed (a plan assumption): 2026's 1000 grown new estates"),
        "{story}"
    );
    // A community the input does not have is refused.
    let bad = assume(r#"{"households": [{"percent": "2", "communities": ["C9"]}]}"#);
    let f = frame(
        vec![Community::new("C1", "社区A", 2750).with_rating("ordinary")],
        Vec::new(),
    );
    let err = jilin().plan(f, &[2026, 2027], &bad, &opts()).unwrap_err();
    assert_eq!(err.code(), "unknown_community");
}

#[test]
fn a_rule_that_starts_later_pays_from_its_start() {
    // A new grant of 1200 a year from 1 March 2028: nothing in 2027,
    // 10/12 × 1200 = 1000 in 2028, 1200 in 2029. Its values are cited
    // assumed.
    let start = assume(
        r#"{"rules": [{"rule": "tablets", "from": "2028-03-01", "note": "a grant the city considers",
             "toml": "{ kind = \"community_grant\", id = \"tablets\", zh = \"平板补助\", en = \"tablet grant\", clause = \"—\", quote = \"—\", amount = [{ value = \"1200\", source = \"stated\" }], split = { value = { city = \"100\" }, source = \"stated\" } }"}]}"#,
    );
    let f = frame(
        vec![Community::new("C1", "社区A", 2750).with_rating("ordinary")],
        Vec::new(),
    );
    let plan = jilin()
        .plan(f, &[2027, 2028, 2029], &start, &opts())
        .unwrap();
    assert_eq!(plan.rule_total(2027, "tablets"), Some(yuan("0.00")));
    assert_eq!(plan.rule_total(2028, "tablets"), Some(yuan("1000.00")));
    assert_eq!(plan.rule_total(2029, "tablets"), Some(yuan("1200.00")));
    let b = plan.budget(2028).unwrap();
    let i = b
        .items_written()
        .iter()
        .position(|it| it.rule == "tablets")
        .unwrap();
    let item = b.item(i).unwrap();
    assert_eq!(
        item.provenance.source,
        shequ::policy::values::Source::Assumed
    );
    let en = b.explain_item(i, Lang::En).unwrap();
    assert!(
        en.contains("Mar–Dec 1200 yuan a year × 10/12; nothing in force in the other months"),
        "{en}"
    );
    assert!(en.contains("uses assumed values"), "{en}");
    // The policy's own work funds starting in 2029 instead.
    let later = assume(r#"{"rules": [{"rule": "work_funds", "from": "2029-01-01"}]}"#);
    let f = frame(
        vec![Community::new("C1", "社区A", 2750).with_rating("ordinary")],
        Vec::new(),
    );
    let plan = jilin().plan(f, &[2028, 2029], &later, &opts()).unwrap();
    assert_eq!(plan.rule_total(2028, "work_funds"), Some(yuan("0.00")));
    assert_eq!(plan.rule_total(2029, "work_funds"), Some(yuan("41250.00")));
    assert!(plan.warnings(2028).iter().any(|n| n.code == "not_in_force"));
}

#[test]
fn plan_and_sweep_totals_are_each_years_budget_to_the_fen() {
    // The bench policy (with its rating quota) on a realistic city: every
    // (scenario, year) of a sweep equals its own budget, by payer and rule.
    let city = shequ::realistic::city(300, 3);
    let f = Arc::new(city.to_frame().unwrap());
    let policy = shequ::realistic::policy().unwrap();
    let scenarios = [
        Scenario::new("rate", &[("work_funds.rate", "1800 from 2027-07-01")]),
        Scenario::new("stipends", &[("stipend.amounts.director", "1300")]),
    ];
    let growth = assume(
        r#"{"households": [{"percent": "1.5"}], "growth": [{"path": "group_allowance.increment_per_full_year", "percent": "10", "from": 2028}]}"#,
    );
    let years = [2026, 2027, 2028];
    let sweep = policy
        .sweep(Arc::clone(&f), &scenarios, &years, &growth, &opts())
        .unwrap();
    for name in ["baseline", "rate", "stipends"] {
        let plan = sweep.plan(name).unwrap();
        for y in years {
            let b = plan.budget(y).unwrap();
            assert_eq!(plan.total(y), Some(b.totals.overall), "{name} {y}");
            for (p, a) in &b.totals.by_payer {
                assert_eq!(plan.payer_total(y, p), Some(*a), "{name} {y} {p}");
            }
            for (r, a) in &b.totals.by_rule {
                assert_eq!(plan.rule_total(y, r), Some(*a), "{name} {y} {r}");
            }
        }
    }
    // The tidy table adds up, scenario by scenario.
    let sum: rust_decimal::Decimal = sweep
        .rows()
        .filter(|r| r.scenario == "rate" && r.row.year == 2027)
        .map(|r| r.row.amount)
        .sum();
    assert_eq!(Some(sum), sweep.plan("rate").unwrap().total(2027));
    // A scenario's diff: nothing changes for the stipends in 2026 other than
    // the directors' +100 a month.
    let diff = sweep.diff().unwrap();
    assert!(diff
        .iter()
        .filter(|c| c.scenario.as_deref() == Some("stipends") && c.rule != "stipend")
        .all(|c| c.change.is_zero()));
    // The JSON answer names every part.
    let json = serde_json::to_value(&sweep).unwrap();
    assert_eq!(json["scenarios"][0], "baseline");
    assert!(json["totals"][0]["amount"].is_string());
    assert_eq!(json["by_year"].as_array().unwrap().len(), 9);
}

#[test]
fn plans_refuse_what_they_cannot_compute() {
    let f = frame(
        vec![Community::new("C1", "社区A", 2750).with_rating("ordinary")],
        Vec::new(),
    );
    let p = jilin();
    let none = Assumptions::default();
    let code = |r: shequ::Result<shequ::plan::Plan>| r.err().map(|e| e.code());
    assert_eq!(
        code(p.plan(Arc::clone(&f), &[2027, 2026], &none, &opts())),
        Some("out_of_range")
    );
    assert_eq!(
        code(p.plan(Arc::clone(&f), &[], &none, &opts())),
        Some("out_of_range")
    );
    let ytd = opts().as_of(d(2026, 6, 30));
    assert_eq!(
        code(p.plan(Arc::clone(&f), &[2026], &none, &ytd)),
        Some("out_of_range")
    );
    let bad = assume(r#"{"growth": [{"path": "work_funds.basis", "percent": "5", "from": 2027}]}"#);
    assert_eq!(
        code(p.plan(Arc::clone(&f), &[2026, 2027], &bad, &opts())),
        Some("policy_bad_override")
    );
    let bad = assume(r#"{"growth": [{"path": "work_funds.nope", "percent": "5", "from": 2027}]}"#);
    assert_eq!(
        code(p.plan(Arc::clone(&f), &[2026, 2027], &bad, &opts())),
        Some("policy_bad_override")
    );
    assert!(serde_json::from_str::<Assumptions>(r#"{"households": [{"percent": 2.5}]}"#).is_err());
    let twice = [Scenario::new("baseline", &[])];
    let err = p
        .sweep(f, &twice, &[2026], &none, &opts())
        .err()
        .map(|e| e.code());
    assert_eq!(err, Some("out_of_range"));
}

#[test]
fn the_json_boundary_answers_plans_sweeps_and_one_year_of_either() {
    let request = r#"{"policy": "jilin-2011-13", "years": {"from": 2026, "to": 2028}, "quota": "warn",
      "communities": [{"id": "C1", "households": 2750, "rating": "ordinary", "district": "船营区"}],
      "scenarios": [{"name": "reform", "overrides": {"work_funds.rate": "2000 from 2027-07-01"}}]}"#;
    let sweep: serde_json::Value =
        serde_json::from_str(&shequ::ffi::plan::plan_json(request).unwrap()).unwrap();
    assert_eq!(
        sweep["scenarios"],
        serde_json::json!(["baseline", "reform"])
    );
    assert_eq!(sweep["years"], serde_json::json!([2026, 2027, 2028]));
    let row = &sweep["totals"][0];
    assert_eq!(
        (
            &row["scenario"],
            &row["year"],
            &row["payer"],
            &row["rule"],
            &row["district"],
            &row["amount"]
        ),
        (
            &"baseline".into(),
            &2026.into(),
            &"city".into(),
            &"work_funds".into(),
            &"船营区".into(),
            &"20625.00".into()
        )
    );
    let reform_2027 = sweep["by_year"]
        .as_array()
        .unwrap()
        .iter()
        .find(|y| y["scenario"] == "reform" && y["year"] == 2027)
        .unwrap();
    assert_eq!(reform_2027["overall"], "48125.00");
    // One year of one scenario, in full, explained.
    let one: serde_json::Value = serde_json::from_str(
        &shequ::ffi::plan::plan_budget_json(request, 2027, Some("reform")).unwrap(),
    )
    .unwrap();
    assert_eq!(one["budget"]["totals"]["overall"], "48125.00");
    assert_eq!(one["budget"]["items"][0]["calc"]["type"], "prorated");
    let err = shequ::ffi::plan::plan_budget_json(request, 2027, Some("nope")).unwrap_err();
    assert_eq!(err.code, "bad_request");
    let err = shequ::ffi::plan::plan_budget_json(request, 2031, None).unwrap_err();
    assert_eq!(
        (err.code.as_str(), err.field.as_deref()),
        ("out_of_range", Some("year"))
    );
    let err = shequ::ffi::plan::plan_json(r#"{"policy": "jilin-2011-13", "communities": []}"#)
        .unwrap_err();
    assert_eq!(err.code, "bad_request");
}
