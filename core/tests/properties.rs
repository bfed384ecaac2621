//! Properties over random cities: splits conserve money to the fen, totals
//! agree with items, budgets grow with households, and nothing panics on
//! arbitrary (even absurd) input.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;
use common::*;
use proptest::prelude::*;
use rust_decimal::Decimal;
use shequ::{Adjustment, BudgetOptions, Community, Input, Person, Policy, QuotaMode};

fn policy_ids() -> impl Strategy<Value = &'static str> {
    prop::sample::select(vec!["jilin-2011-13", "jiayuguan-2020-97"])
}

fn city(policy: &'static str) -> impl Strategy<Value = Input> {
    let posts: Vec<&'static str> = if policy.starts_with("jilin") {
        vec!["director", "deputy_director", "assistant", "member"]
    } else {
        vec![
            "deputy_director",
            "supervision_director",
            "committee_member",
            "group_leader",
            "group_member",
            "director",
        ]
    };
    let community = (
        0i64..8000,
        prop::sample::select(vec!["excellent", "good", "ordinary"]),
    );
    let person = (
        0usize..6,
        prop::sample::select(posts.clone()),
        prop::sample::select(posts),
        0i64..7000,
        0i64..800,
        any::<bool>(),
        any::<bool>(),
    );
    // An adjustment names any rule of the policy (one that pays nothing is
    // refused: see `money_is_conserved`), or none for the work funds.
    let of_policy = Policy::builtin(policy).unwrap();
    let rules = of_policy.rules();
    let rule_ids: Vec<String> = rules.iter().map(|r| r.id().to_string()).collect();
    let has_work_funds = rules.iter().any(|r| r.kind() == "work_funds");
    let adjustment = (
        0usize..6,
        -1_000_000i64..1_000_000,
        prop::option::of(0usize..64),
    );
    (
        prop::collection::vec(community, 1..6),
        prop::collection::vec(person, 0..30),
        prop::collection::vec(adjustment, 0..4),
    )
        .prop_map(move |(cs, ps, adj)| {
            let n = cs.len();
            let communities: Vec<Community> = cs
                .into_iter()
                .enumerate()
                .map(|(i, (h, r))| Community::new(&format!("C{i}"), "", h).with_rating(r))
                .collect();
            let start =
                |days: i64| d(2008, 1, 1) + chrono::Days::new(u64::try_from(days).unwrap_or(0));
            let people = ps
                .into_iter()
                .enumerate()
                .map(|(i, (c, p1, p2, s, len, two, serving))| {
                    let mut p = Person::new(&format!("P{i}"), &format!("C{}", c % n), "")
                        .holding(p1, start(s), None)
                        .serving(serving);
                    if two {
                        p = p.holding(p2, start(s / 2), Some(start(s / 2 + len)));
                    }
                    p
                })
                .collect();
            let adjustments = adj
                .into_iter()
                .map(|(c, fen, rule)| Adjustment {
                    community: format!("C{}", c % n),
                    rule: match rule {
                        None if has_work_funds => None,
                        k => Some(rule_ids[k.unwrap_or(0) % rule_ids.len()].clone()),
                    },
                    amount: Decimal::new(fen, 2),
                    reason: "prop".into(),
                })
                .collect();
            Input {
                communities,
                people,
                adjustments,
                ..Default::default()
            }
        })
}

fn any_city() -> impl Strategy<Value = (&'static str, Input)> {
    policy_ids().prop_flat_map(|p| city(p).prop_map(move |c| (p, c)))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn money_is_conserved((policy, input) in any_city(), year in 2021i32..2030) {
        let policy = Policy::builtin(policy).unwrap();
        let pays_nothing = input.adjustments.iter().filter_map(|a| a.rule.as_deref()).any(|r| policy.rule(r).is_some_and(|r| r.split().is_none()));
        match policy.budget(&input, &BudgetOptions::year(year).quota(QuotaMode::Warn)) {
            Ok(b) => {
                prop_assert!(!pays_nothing, "an adjustment of a rule that pays nothing was accepted");
                assert_conserved(&b);
                prop_assert_eq!(b.totals.by_community.len(), input.communities.len());
            }
            Err(e) => prop_assert!(pays_nothing && e.code() == "unknown_rule", "{e}"),
        }
    }

    #[test]
    fn more_households_never_owe_less(h in 0i64..100_000, extra in 0i64..5_000, basis in prop::sample::select(vec!["proportional", "per_full_unit", "per_started_unit"])) {
        let p = Policy::builtin("jilin-2011-13").unwrap().with_overrides(&[("work_funds.basis", basis)]).unwrap();
        let total = |h| budget(&p, vec![Community::new("C", "", h).with_rating("ordinary")], vec![], 2026).totals.overall;
        prop_assert!(total(h + extra) >= total(h));
    }

    #[test]
    fn a_longer_service_is_never_paid_less(start in 0u64..4000, earlier in 0u64..2000, post in prop::sample::select(vec!["group_leader", "group_member", "committee_member", "deputy_director"])) {
        let later = d(2012, 1, 1) + chrono::Days::new(start);
        let sooner = later - chrono::Days::new(earlier);
        let pay = |s| {
            let b = budget(&jiayuguan(), vec![Community::new("C", "", 1)], vec![Person::new("P", "C", "").holding(post, s, None)], 2026);
            b.totals.overall
        };
        prop_assert!(pay(sooner) >= pay(later));
    }

    #[test]
    fn the_json_boundary_never_panics(households in prop::sample::select(vec![serde_json::json!(-1), serde_json::json!(1.5), serde_json::json!("x"), serde_json::json!(null), serde_json::json!(1e300), serde_json::json!(i64::MAX), serde_json::json!(42)]),
                                      start in prop::sample::select(vec!["2020-02-30", "", "2020-01-01", "nope", "2020-01-01T00:00:00"]),
                                      year in prop::sample::select(vec![serde_json::json!(2026), serde_json::json!(-5), serde_json::json!("2026"), serde_json::json!(99999)])) {
        let req = serde_json::json!({"policy": "jiayuguan-2020-97", "year": year, "communities": [{"id": "C", "households": households}],
                                     "people": [{"id": "P", "community": "C", "post": "group_leader", "start": start}]});
        match shequ::ffi::compute_json(&req.to_string()) {
            Ok(_) => {}
            Err(e) => prop_assert!(shequ::error::ALL_ERROR_CODES.contains(&e.code.as_str()), "{:?}", e),
        }
    }
}
