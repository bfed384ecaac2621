//! A policy file written from scratch for an imaginary city is loaded at run
//! time and used with no code change.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;
use common::*;
use rust_decimal::Decimal;
use shequ::{BudgetOptions, Community, Input, Person, Policy};

fn xincheng() -> Policy {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/xincheng-2030-1.toml"
    );
    Policy::from_toml(
        &std::fs::read_to_string(path).unwrap(),
        "xincheng-2030-1.toml",
    )
    .unwrap()
}

#[test]
fn the_imaginary_city_budget() {
    let p = xincheng();
    let communities = vec![
        // 2750 households: 14 started units of 200 × 2500 = 35000
        Community::new("X1", "东区", 2750).with_rating("a"),
        // 1000 households: 5 × 2500 = 12500, below the 30000 minimum
        Community::new("X2", "西区", 1000).with_rating("b"),
        Community::new("X3", "南区", 2401).with_rating("b"),
    ];
    let people = vec![
        // each post paid separately (combine = each): chair 400 + 80 × 2
        // = 560 × 12 = 6720; helper since 2030-07-01: 250 × 6 = 1500
        Person::new("Q1", "X1", "")
            .holding("chair", d(2028, 1, 1), None)
            .holding("helper", d(2030, 7, 1), None),
    ];
    let b = p
        .budget(
            &Input {
                communities,
                people,
                ..Default::default()
            },
            &BudgetOptions::year(2030),
        )
        .unwrap();
    assert_eq!(b.community_total("X2"), yuan("30000.00"));
    let funds = |id: &str| {
        b.items_written()
            .into_iter()
            .find(|i| i.community.is(id) && i.rule == "funds")
            .unwrap()
    };
    assert_eq!(funds("X1").amount, yuan("35000.00"));
    assert_eq!(funds("X1").shares[0].amount, yuan("24500.00"));
    assert_eq!(funds("X1").shares[1].amount, yuan("10500.00"));
    assert_eq!(funds("X3").amount, yuan("32500.00")); // 2401 → 13 started units
    let shequ::engine::Calc::Households {
        minimum_applied, ..
    } = funds("X2").calc
    else {
        panic!()
    };
    assert!(minimum_applied);
    let allowances: Vec<Decimal> = b.items_of_person("Q1").map(|i| i.amount).collect();
    assert_eq!(allowances, [yuan("6720.00"), yuan("1500.00")]);
    // 20% of 3 rounded up: one grade A community
    assert_eq!(b.quota.as_ref().unwrap().caps[0].cap, 1);
    assert_eq!(b.rule_total("bonus"), yuan("8000.00"));
    assert_eq!(
        b.payer_total("city") + b.payer_total("district"),
        b.totals.overall
    );
    assert_eq!(b.payer_total("city"), b.totals.overall * Decimal::new(7, 1));
    // 2031: the second dated row
    let b = p
        .budget(
            &Input {
                communities: vec![Community::new("X1", "", 2750).with_rating("a")],
                ..Default::default()
            },
            &BudgetOptions::year(2031),
        )
        .unwrap();
    assert_eq!(b.rule_total("funds"), yuan("36400.00"));
    // 2029: nothing in force yet, and a warning says so
    let b = p
        .budget(
            &Input {
                communities: vec![Community::new("X1", "", 2750).with_rating("b")],
                ..Default::default()
            },
            &BudgetOptions::year(2029),
        )
        .unwrap();
    assert_eq!(b.totals.overall, yuan("0.00"));
    assert!(b.warnings.iter().any(|w| w.code == "not_in_force"));
}

#[test]
fn a_changed_split_must_still_add_up() {
    let err = xincheng()
        .with_overrides(&[("funds.split.city", "60")])
        .unwrap_err();
    assert_eq!(err.code(), "policy_split_sum");
    let ok = xincheng()
        .with_overrides(&[("funds.split.city", "60"), ("funds.split.district", "40")])
        .unwrap();
    let b = ok
        .budget(
            &Input {
                communities: vec![Community::new("X1", "", 2750).with_rating("b")],
                ..Default::default()
            },
            &BudgetOptions::year(2030),
        )
        .unwrap();
    assert_eq!(b.payer_total("city"), yuan("21000.00"));
}
