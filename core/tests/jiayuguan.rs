//! 嘉政辦發〔2020〕97號 三(三): allowances of non-serving committee and
//! residents'-group members, +50 per full year, highest post only, with
//! hand-checked numbers for each Decision.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;
use common::*;
use shequ::{BudgetOptions, Community, Input, Lang, Person};

fn city() -> Vec<Community> {
    vec![Community::new("XG01", "新華社區", 1800).in_district("雄關街道")]
}

#[test]
fn group_leader_raise_counts_from_the_month_of_the_anniversary() {
    // Start 2020-12-01. On 2026-01-01 five full years: 300 + 5 × 50 = 550
    // for Jan–Nov; the sixth anniversary is 2026-12-01, the first day of
    // December: 600 for December. 11 × 550 + 600 = 6650.
    let p = vec![Person::new("P1", "XG01", "王芳").holding("group_leader", d(2020, 12, 1), None)];
    let b = budget(&jiayuguan(), city(), p, 2026);
    let it = person_item(&b, "P1", "work_allowance");
    assert_eq!(it.amount, yuan("6650.00"));
    assert_eq!(it.months, Some(12));
    assert_eq!(it.shares.len(), 1);
    assert_eq!(&*it.shares[0].payer, "city");
    let zh = b.explain_item(0, Lang::Zh).unwrap();
    assert!(
        zh.contains("1–11月 11個月 × 550元(基數300元 + 滿5年 × 50元)"),
        "{zh}"
    );
    assert!(zh.contains("12月 1個月 × 600元"), "{zh}");
}

#[test]
fn anniversary_mid_month_raises_the_next_month() {
    // Start 2021-06-15: on 2026-06-01 four full years (the fifth comes on
    // 06-15), so the raise to 200 + 5 × 50 = 450 counts from July.
    // 6 × 400 + 6 × 450 = 5100.
    let p = vec![Person::new("P1", "XG01", "").holding("group_member", d(2021, 6, 15), None)];
    let b = budget(&jiayuguan(), city(), p, 2026);
    assert_eq!(
        person_item(&b, "P1", "work_allowance").amount,
        yuan("5100.00")
    );
}

#[test]
fn a_29_february_start_has_its_anniversary_on_28_february() {
    // Start 2024-02-29 as a group member. 2025: Jan, Feb at 200; the first
    // anniversary is 2025-02-28, so March to December at 250.
    // 2 × 200 + 10 × 250 = 2900.
    let p = vec![Person::new("P1", "XG01", "").holding("group_member", d(2024, 2, 29), None)];
    let b = budget(&jiayuguan(), city(), p.clone(), 2025);
    assert_eq!(
        person_item(&b, "P1", "work_allowance").amount,
        yuan("2900.00")
    );
    // 2028 (leap): the fourth anniversary is 2028-02-29: Jan–Feb at 3 years
    // (350), Mar–Dec at 4 years (400): 700 + 4000 = 4700.
    let b = budget(&jiayuguan(), city(), p, 2028);
    assert_eq!(
        person_item(&b, "P1", "work_allowance").amount,
        yuan("4700.00")
    );
}

#[test]
fn group_leader_and_committee_member_is_paid_the_higher_only() {
    // Leader since 2022-05-10 (300 + 50/yr), committee member since
    // 2019-01-01 (200 + 50/yr). 2026: leader 450 (Jan–May), 500 (Jun–Dec);
    // member 550 all year (7 full years on 2026-01-01). The member post pays
    // more every month: 12 × 550 = 6600, and the leader post is not paid.
    let p = vec![Person::new("P1", "XG01", "李娜")
        .holding("group_leader", d(2022, 5, 10), None)
        .holding("committee_member", d(2019, 1, 1), None)];
    let b = budget(&jiayuguan(), city(), p, 2026);
    let it = person_item(&b, "P1", "work_allowance");
    assert_eq!(it.amount, yuan("6600.00"));
    assert_eq!(it.post.as_deref(), Some("committee_member"));
    let why: Vec<_> = b
        .exclusion_notes()
        .into_iter()
        .filter(|n| n.person.as_ref().map(|p| p.text().into_owned()).as_deref() == Some("P1"))
        .collect();
    assert_eq!(why.len(), 1);
    assert_eq!(why[0].code, "lower_post_not_paid");
    assert!(why[0].zh.contains("高位取酬"), "{}", why[0].zh);
}

#[test]
fn the_higher_post_can_change_during_the_year() {
    // Leader since 2016-03-01 (300 + 9 × 50 = 750 from Mar 2025… in 2026:
    // Jan–Feb 9 years → 750, Mar–Dec 10 years → 800).
    // Deputy director since 2026-04-01 (500, no full year yet).
    // Every month the leader post pays more: 2 × 750 + 10 × 800 = 9500.
    let p = vec![Person::new("P1", "XG01", "")
        .holding("组长", d(2016, 3, 1), None)
        .holding("deputy_director", d(2026, 4, 1), None)];
    let b = budget(&jiayuguan(), city(), p, 2026);
    assert_eq!(
        person_item(&b, "P1", "work_allowance").amount,
        yuan("9500.00")
    );
    // A new leader (300) who becomes deputy director (500) in April: Jan–Mar
    // 300, Apr–Dec 500 → 900 + 4500 = 5400, in two runs of two posts.
    let p = vec![Person::new("P2", "XG01", "")
        .holding("group_leader", d(2025, 12, 20), None)
        .holding("deputy_director", d(2026, 4, 1), None)];
    let b = budget(&jiayuguan(), city(), p, 2026);
    let it = person_item(&b, "P2", "work_allowance");
    assert_eq!(it.amount, yuan("5400.00"));
    assert_eq!(it.post, None, "two posts paid in turn");
    let shequ::engine::Calc::Months { segments } = &it.calc else {
        panic!("{:?}", it.calc)
    };
    assert_eq!(
        segments
            .iter()
            .map(|s| (&*s.post, s.months))
            .collect::<Vec<_>>(),
        [("group_leader", 3), ("deputy_director", 9)]
    );
}

#[test]
fn a_serving_person_gets_nothing_and_is_told_why() {
    let p = vec![Person::new("P1", "XG01", "赵强")
        .holding("group_leader", d(2020, 1, 1), None)
        .serving(true)];
    let b = budget(&jiayuguan(), city(), p, 2026);
    assert_eq!(b.items.len(), 0);
    assert_eq!(b.exclusions.len(), 1);
    assert_eq!(b.exclusions[0].code, "serving_not_eligible");
    assert!(b.exclusion_notes()[0].zh.contains("為在職人員"));
    assert!(b
        .explain("XG01", Lang::En)
        .unwrap()
        .contains("is in serving employment and gets no work allowance"));
}

#[test]
fn the_director_post_has_no_allowance_here() {
    let p = vec![Person::new("P1", "XG01", "").holding("director", d(2021, 1, 1), None)];
    let b = budget(&jiayuguan(), city(), p, 2026);
    assert!(b.items.is_empty());
}

#[test]
fn joining_and_leaving_mid_year() {
    let p = vec![
        Person::new("A", "XG01", "").holding("group_member", d(2026, 6, 15), None),
        Person::new("B", "XG01", "").holding(
            "deputy_director",
            d(2026, 1, 1),
            Some(d(2026, 8, 20)),
        ),
    ];
    let b = budget(&jiayuguan(), city(), p, 2026);
    assert_eq!(
        person_item(&b, "A", "work_allowance").amount,
        yuan("1200.00")
    ); // Jul–Dec × 200
    assert_eq!(
        person_item(&b, "B", "work_allowance").amount,
        yuan("4000.00")
    ); // Jan–Aug × 500
}

#[test]
fn years_may_count_from_the_policy_instead() {
    // Start 2015-01-01; counting from 2020-11-24 gives 5 full years on
    // 2026-01-01 (→ 550 for a group leader) and 6 from December (600).
    let p = jiayuguan()
        .with_overrides(&[("work_allowance.years_counted_from", "policy_effective")])
        .unwrap();
    let people = vec![Person::new("P1", "XG01", "").holding("group_leader", d(2015, 1, 1), None)];
    let b = budget(&p, city(), people.clone(), 2026);
    assert_eq!(
        person_item(&b, "P1", "work_allowance").amount,
        yuan("6650.00")
    );
    let b = budget(&jiayuguan(), city(), people, 2026);
    assert_eq!(
        person_item(&b, "P1", "work_allowance").amount,
        yuan("10200.00")
    ); // 11 years: (300 + 550) × 12
}

#[test]
fn before_the_policy_nothing_is_owed() {
    let p = vec![Person::new("P1", "XG01", "").holding("group_leader", d(2019, 1, 1), None)];
    // 2020: the amounts are in force from 2020-11-24, so only December is paid
    // (300 + 1 full year × 50 = 350).
    let b = budget(&jiayuguan(), city(), p, 2020);
    let it = person_item(&b, "P1", "work_allowance");
    assert_eq!((it.months, it.amount), (Some(1), yuan("350.00")));
}

#[test]
fn the_sample_city() {
    let s = shequ::samples::jiayuguan();
    let b = jiayuguan()
        .budget(&s.input, &BudgetOptions::year(s.year))
        .unwrap();
    assert_conserved(&b);
    assert_eq!(b.totals.by_community.len(), 31);
    let serving = s.input.people.iter().filter(|p| p.serving).count();
    let told = b
        .exclusion_notes()
        .into_iter()
        .filter(|n| n.code == "serving_not_eligible")
        .count();
    // every serving person holding a listed post is told why they get nothing
    let serving_listed = s
        .input
        .people
        .iter()
        .filter(|p| p.serving && p.posts.iter().any(|h| h.post != "director"))
        .count();
    assert_eq!(told, serving_listed);
    assert!(
        serving > serving_listed,
        "the serving directors hold no listed post"
    );
    assert!(b.exclusions.iter().any(|n| n.code == "lower_post_not_paid"));
    let input = Input { ..s.input };
    assert_eq!(
        jiayuguan()
            .budget(&input, &BudgetOptions::year(2026))
            .unwrap()
            .totals,
        b.totals,
        "deterministic"
    );
}
