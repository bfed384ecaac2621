//! 吉市发[2011]13号 五(三): work funds, stipends, uplifts, bonuses and quotas,
//! with hand-checked numbers.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;
use common::*;
use rust_decimal::Decimal;
use shequ::{Adjustment, BudgetOptions, Community, Input, Lang, Person, QuotaMode, RatingSource};

fn ordinary(id: &str, households: i64) -> Community {
    Community::new(id, id, households).with_rating("ordinary")
}

#[test]
fn work_funds_2750_households_is_41250() {
    let b = budget(&jilin(), vec![ordinary("C1", 2750)], vec![], 2026);
    assert_eq!(b.items.len(), 1);
    let it = b.item(0).unwrap();
    assert_eq!(it.amount, yuan("41250.00"));
    assert_eq!(&*it.shares[0].payer, "city");
    assert_eq!(it.shares[0].amount, yuan("20625.00"));
    assert_eq!(&*it.shares[1].payer, "district");
    assert_eq!(it.shares[1].amount, yuan("20625.00"));
    assert_eq!(it.provenance.clause, "五(三)");
    assert_eq!(
        it.provenance.source.as_str(),
        "assumed",
        "the 50/50 split and the basis are Decisions"
    );
    assert_eq!(b.payer_total("province"), Decimal::ZERO);
    let zh = b.explain_item(0, Lang::Zh).unwrap();
    assert!(zh.contains("2750户 × 1500元/百户 = 41,250.00元"), "{zh}");
    assert!(
        zh.contains("市财政50% 20,625.00元 / 区财政50% 20,625.00元"),
        "{zh}"
    );
    assert!(zh.contains("吉市发[2011]13号 五(三)"), "{zh}");
}

#[test]
fn work_funds_bases_other_than_proportional() {
    let full = jilin()
        .with_overrides(&[("work_funds.basis", "per_full_unit")])
        .unwrap();
    let started = jilin()
        .with_overrides(&[("work_funds.basis", "per_started_unit")])
        .unwrap();
    assert_eq!(
        budget(&full, vec![ordinary("C1", 2750)], vec![], 2026)
            .totals
            .overall,
        yuan("40500.00")
    );
    assert_eq!(
        budget(&started, vec![ordinary("C1", 2750)], vec![], 2026)
            .totals
            .overall,
        yuan("42000.00")
    );
    assert_eq!(
        budget(&started, vec![ordinary("C1", 2700)], vec![], 2026)
            .totals
            .overall,
        yuan("40500.00")
    );
    // Odd households: 2751 × 15 = 41265.00; split exactly.
    let b = budget(&jilin(), vec![ordinary("C1", 2751)], vec![], 2026);
    assert_eq!(b.totals.overall, yuan("41265.00"));
    assert_eq!(b.item(0).unwrap().shares[0].amount, yuan("20632.50"));
    // 1 household: 15.00; 0 households: nothing owed but the community is listed.
    let b = budget(
        &jilin(),
        vec![ordinary("C1", 1), ordinary("C0", 0)],
        vec![],
        2026,
    );
    assert_eq!(b.community_total("C1"), yuan("15.00"));
    assert_eq!(
        b.community_totals().nth(1),
        Some((shequ::Id::from("C0"), yuan("0.00")))
    );
}

#[test]
fn overridden_values_are_marked_in_provenance() {
    let p = jilin()
        .with_overrides(&[("work_funds.rate", "2000")])
        .unwrap();
    let b = budget(&p, vec![ordinary("C1", 2750)], vec![], 2026);
    assert_eq!(b.totals.overall, yuan("55000.00"));
    assert_eq!(b.item(0).unwrap().provenance.source.as_str(), "override");
}

#[test]
fn stipends_director_1200_members_1100() {
    let people = vec![
        Person::new("P1", "C1", "主任").holding("director", d(2015, 1, 1), None),
        Person::new("P2", "C1", "副主任").holding("副主任", d(2015, 1, 1), None),
        Person::new("P3", "C1", "助理").holding("assistant", d(2015, 1, 1), None),
        Person::new("P4", "C1", "委员").holding("member", d(2015, 1, 1), None),
    ];
    let b = budget(&jilin(), vec![ordinary("C1", 0)], people, 2026);
    assert_eq!(person_item(&b, "P1", "stipend").amount, yuan("14400.00"));
    assert_eq!(person_item(&b, "P2", "stipend").amount, yuan("13200.00"));
    assert_eq!(
        person_item(&b, "P2", "stipend").post.as_deref(),
        Some("deputy_director"),
        "alias 副主任 is read"
    );
    assert_eq!(person_item(&b, "P3", "stipend").amount, yuan("13200.00"));
    assert_eq!(person_item(&b, "P4", "stipend").months, Some(12));
    assert_eq!(b.rule_total("stipend"), yuan("54000.00"));
    assert_eq!(
        b.rule_total("uplift_excellent") + b.rule_total("uplift_good"),
        Decimal::ZERO,
        "ordinary: no uplift"
    );
    assert_conserved(&b);
}

#[test]
fn a_director_who_is_also_a_member_is_paid_once_as_director() {
    let people = vec![Person::new("P1", "C1", "王芳")
        .holding("member", d(2015, 1, 1), None)
        .holding("director", d(2020, 1, 1), None)];
    let b = budget(&jilin(), vec![ordinary("C1", 0)], people, 2026);
    assert_eq!(person_item(&b, "P1", "stipend").amount, yuan("14400.00"));
    let why: Vec<_> = b
        .exclusion_notes()
        .into_iter()
        .filter(|n| n.code == "lower_post_not_paid")
        .collect();
    assert_eq!(why.len(), 1);
    assert!(
        why[0]
            .en
            .contains("committee director only, not for committee member"),
        "{}",
        why[0].en
    );
}

#[test]
fn uplifts_and_bonuses_by_rating() {
    // 10 communities: caps floor(1) excellent and floor(3) good.
    let mut communities: Vec<Community> = (0..10).map(|i| ordinary(&format!("C{i}"), 0)).collect();
    communities[0].rating = Some("excellent".into());
    communities[1].rating = Some("good".into());
    let people = vec![
        Person::new("E1", "C0", "").holding("director", d(2015, 1, 1), None),
        Person::new("E2", "C0", "").holding("member", d(2015, 1, 1), None),
        Person::new("G1", "C1", "").holding("director", d(2015, 1, 1), None),
        Person::new("G2", "C1", "").holding("assistant", d(2015, 1, 1), None),
        Person::new("O1", "C2", "").holding("director", d(2015, 1, 1), None),
    ];
    let b = budget(&jilin(), communities, people, 2026);
    assert_eq!(
        person_item(&b, "E1", "uplift_excellent").amount,
        yuan("3600.00")
    );
    assert_eq!(
        person_item(&b, "E2", "uplift_excellent").amount,
        yuan("2400.00")
    );
    assert_eq!(person_item(&b, "G1", "uplift_good").amount, yuan("2400.00"));
    assert_eq!(person_item(&b, "G2", "uplift_good").amount, yuan("1800.00"));
    assert!(b.items_of_person("O1").all(|i| &*i.rule == "stipend"));
    assert_eq!(b.rule_total("rating_bonus"), yuan("15000.00"));
    let bonus: Vec<_> = b
        .items_written()
        .into_iter()
        .filter(|i| &*i.rule == "rating_bonus")
        .collect();
    assert_eq!(bonus[0].amount, yuan("10000.00"));
    assert_eq!(bonus[0].provenance.source.as_str(), "stated");
    assert_eq!(bonus[1].amount, yuan("5000.00"));
    assert_conserved(&b);
}

fn thirty_one(excellent: usize, good: usize) -> Vec<Community> {
    (0..31)
        .map(|i| {
            let r = if i < excellent {
                "excellent"
            } else if i < excellent + good {
                "good"
            } else {
                "ordinary"
            };
            Community::new(&format!("C{i:02}"), "", 2000).with_rating(r)
        })
        .collect()
}

#[test]
fn thirty_one_communities_allow_3_excellent_and_9_good() {
    let p = jilin();
    let ok = p
        .budget(
            &Input {
                communities: thirty_one(3, 9),
                ..Default::default()
            },
            &BudgetOptions::year(2026),
        )
        .unwrap();
    let q = ok.quota.as_ref().unwrap();
    assert_eq!(
        (q.caps[0].rating.as_str(), q.caps[0].cap, q.caps[0].count),
        ("excellent", 3, 3)
    );
    assert_eq!(
        (q.caps[1].rating.as_str(), q.caps[1].cap, q.caps[1].count),
        ("good", 9, 9)
    );
    let err = p
        .budget(
            &Input {
                communities: thirty_one(4, 9),
                ..Default::default()
            },
            &BudgetOptions::year(2026),
        )
        .unwrap_err();
    assert_eq!(err.code(), "quota_exceeded");
    assert!(err.to_string().contains("at most 3 of 31"), "{err}");
    let err = p
        .budget(
            &Input {
                communities: thirty_one(3, 10),
                ..Default::default()
            },
            &BudgetOptions::year(2026),
        )
        .unwrap_err();
    assert!(
        matches!(err, shequ::Error::QuotaExceeded { ref rating, cap: 9, .. } if rating == "good")
    );
}

#[test]
fn quota_breach_as_a_warning_pays_as_given() {
    let b = jilin()
        .budget(
            &Input {
                communities: thirty_one(4, 9),
                ..Default::default()
            },
            &BudgetOptions::year(2026).quota(QuotaMode::Warn),
        )
        .unwrap();
    assert_eq!(b.warnings.len(), 1);
    assert_eq!(b.warnings[0].code, "quota_exceeded");
    assert!(
        b.warnings[0].zh.contains("超过限额3个"),
        "{}",
        b.warnings[0].zh
    );
    assert_eq!(b.rule_total("rating_bonus"), yuan("85000.00")); // 4 × 10000 + 9 × 5000
    assert!(!b.quota.as_ref().unwrap().caps[0].within);
}

#[test]
fn ratings_from_scores_with_a_tie_across_the_cap() {
    // 31 communities, scores 100, 99, 98, 98, 97, …: the 3rd and 4th tie
    // across the excellent cap of 3, so both are demoted to good.
    let scores: Vec<i64> = (0..31)
        .map(|i| if i < 3 { 100 - i } else { 101 - i })
        .collect();
    assert_eq!(&scores[..5], &[100, 99, 98, 98, 97]);
    let communities: Vec<Community> = scores
        .iter()
        .enumerate()
        .map(|(i, s)| Community::new(&format!("C{i:02}"), "", 1000).with_score(Decimal::from(*s)))
        .collect();
    let b = jilin()
        .budget(
            &Input {
                communities,
                ..Default::default()
            },
            &BudgetOptions::year(2026),
        )
        .unwrap();
    let rating = |id: &str| {
        b.rating_outcomes()
            .into_iter()
            .find(|r| r.community.is(id))
            .and_then(|r| r.rating.clone())
            .unwrap()
    };
    assert_eq!(rating("C00"), "excellent");
    assert_eq!(rating("C01"), "excellent");
    assert_eq!(rating("C02"), "good");
    assert_eq!(rating("C03"), "good");
    let q = b.quota.as_ref().unwrap();
    assert_eq!(q.ratings_from, "assigned");
    assert_eq!((q.caps[0].count, q.caps[1].count), (2, 9));
    // the next 9 good: C02..C10; C11 is ordinary
    assert_eq!(rating("C10"), "good");
    assert_eq!(rating("C11"), "ordinary");
    let demoted: Vec<_> = b
        .rating_outcomes()
        .into_iter()
        .filter(|r| r.demoted_from.is_some())
        .map(|r| r.community.to_string())
        .collect();
    assert_eq!(demoted, ["C02", "C03"]);
    assert_eq!(
        b.warnings
            .iter()
            .filter(|w| w.code == "rating_demoted_tie")
            .count(),
        2
    );
    let story = b.explain("C02", Lang::En).unwrap();
    assert!(story.contains("a tie across its cap demoted it"), "{story}");
}

#[test]
fn a_tie_at_the_good_cap_demotes_to_ordinary() {
    // 10 communities: 1 excellent, 3 good; scores 90, 80, 70, 60, 60, 50 …
    let scores = [90, 80, 70, 60, 60, 50, 40, 30, 20, 10];
    let communities: Vec<Community> = scores
        .iter()
        .enumerate()
        .map(|(i, s)| Community::new(&format!("C{i}"), "", 100).with_score(Decimal::from(*s)))
        .collect();
    let b = jilin()
        .budget(
            &Input {
                communities,
                ..Default::default()
            },
            &BudgetOptions::year(2026).ratings(RatingSource::Scores),
        )
        .unwrap();
    let got: Vec<_> = b
        .rating_outcomes()
        .into_iter()
        .map(|r| r.rating.clone().unwrap())
        .collect();
    assert_eq!(
        got,
        [
            "excellent",
            "good",
            "good",
            "ordinary",
            "ordinary",
            "ordinary",
            "ordinary",
            "ordinary",
            "ordinary",
            "ordinary"
        ]
    );
}

#[test]
fn months_counted_on_the_first_day() {
    let people = vec![
        // joins 15 March: paid April to December
        Person::new("A", "C1", "").holding("member", d(2026, 3, 15), None),
        // leaves 30 June: paid January to June
        Person::new("B", "C1", "").holding("member", d(2015, 1, 1), Some(d(2026, 6, 30))),
        // leaves 1 July: still holds the post on 1 July
        Person::new("C", "C1", "").holding("member", d(2015, 1, 1), Some(d(2026, 7, 1))),
        // joins 1 December
        Person::new("D", "C1", "").holding("member", d(2026, 12, 1), None),
        // joins 2 December: nothing this year, and says why
        Person::new("E", "C1", "").holding("member", d(2026, 12, 2), None),
    ];
    let b = budget(&jilin(), vec![ordinary("C1", 0)], people, 2026);
    assert_eq!(person_item(&b, "A", "stipend").months, Some(9));
    assert_eq!(person_item(&b, "A", "stipend").amount, yuan("9900.00"));
    assert_eq!(person_item(&b, "B", "stipend").months, Some(6));
    assert_eq!(person_item(&b, "C", "stipend").months, Some(7));
    assert_eq!(person_item(&b, "D", "stipend").months, Some(1));
    assert_eq!(b.items_of_person("E").count(), 0);
    assert!(b.exclusion_notes().into_iter().any(|n| n
        .person
        .as_ref()
        .map(|p| p.text().into_owned())
        .as_deref()
        == Some("E")
        && n.code == "no_month_held"));
}

#[test]
fn as_of_counts_months_to_date() {
    let input = Input {
        communities: vec![ordinary("C1", 100)],
        people: vec![Person::new("P", "C1", "").holding("director", d(2015, 1, 1), None)],
        ..Default::default()
    };
    let b = jilin()
        .budget(&input, &BudgetOptions::year(2026).as_of(d(2026, 3, 31)))
        .unwrap();
    assert_eq!(person_item(&b, "P", "stipend").amount, yuan("3600.00"));
    assert_eq!(
        b.rule_total("work_funds"),
        yuan("1500.00"),
        "annual items are owed for the year"
    );
    let err = jilin()
        .budget(&input, &BudgetOptions::year(2026).as_of(d(2025, 3, 31)))
        .unwrap_err();
    assert_eq!(err.code(), "out_of_range");
}

#[test]
fn adjustments_are_lines_with_a_reason_under_the_work_funds_split() {
    let input = Input {
        communities: vec![ordinary("C1", 2750)],
        adjustments: vec![
            Adjustment {
                community: "C1".into(),
                rule: None,
                amount: yuan("5000"),
                reason: "管辖面积大".into(),
            },
            Adjustment {
                community: "C1".into(),
                rule: Some("work_funds".into()),
                amount: yuan("-0.03"),
                reason: "rounding test".into(),
            },
        ],
        ..Default::default()
    };
    let b = jilin().budget(&input, &BudgetOptions::year(2026)).unwrap();
    assert_eq!(b.rule_total("adjustment"), yuan("4999.97"));
    assert_eq!(b.totals.overall, yuan("46249.97"));
    let adj: Vec<_> = b
        .items_written()
        .into_iter()
        .filter(|i| &*i.rule == "adjustment")
        .collect();
    assert_eq!(
        adj[0].shares.iter().map(|s| s.amount).collect::<Vec<_>>(),
        [yuan("2500.00"), yuan("2500.00")]
    );
    assert_eq!(
        adj[1].shares.iter().map(|s| s.amount).collect::<Vec<_>>(),
        [yuan("-0.02"), yuan("-0.01")]
    );
    assert_eq!(adj[0].provenance.source.as_str(), "input");
    assert!(b.explain("C1", Lang::Zh).unwrap().contains("管辖面积大"));
    assert_conserved(&b);
}

#[test]
fn the_sample_city_budget_is_conserved_and_complete() {
    let s = shequ::samples::jilin();
    let b = jilin()
        .budget(&s.input, &BudgetOptions::year(s.year))
        .unwrap();
    assert_conserved(&b);
    let ids: Vec<&str> = s.input.communities.iter().map(|c| c.id.as_str()).collect();
    let listed: Vec<String> = b.community_totals().map(|(c, _)| c.to_string()).collect();
    assert_eq!(ids, listed, "every community listed, in input order");
    assert!(b.quota.as_ref().unwrap().caps.iter().all(|c| c.within));
}
