//! Helpers shared by the integration tests.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use chrono::NaiveDate;
use rust_decimal::Decimal;
use shequ::{Budget, BudgetOptions, Community, Input, Person, Policy};

pub fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

pub fn yuan(s: &str) -> Decimal {
    s.parse().unwrap()
}

pub fn jilin() -> Policy {
    Policy::builtin("jilin-2011-13").unwrap()
}

pub fn jiayuguan() -> Policy {
    Policy::builtin("jiayuguan-2020-97").unwrap()
}

pub fn budget(
    policy: &Policy,
    communities: Vec<Community>,
    people: Vec<Person>,
    year: i32,
) -> Budget {
    let input = Input {
        communities,
        people,
        ..Default::default()
    };
    policy.budget(&input, &BudgetOptions::year(year)).unwrap()
}

/// The one item of `rule` for `person`.
pub fn person_item(b: &Budget, person: &str, rule: &str) -> shequ::Item {
    let found: Vec<_> = b
        .items_written()
        .into_iter()
        .filter(|i| i.person.as_ref().is_some_and(|p| p.is(person)) && i.rule == rule)
        .collect();
    assert_eq!(found.len(), 1, "items of {person} under {rule}: {found:#?}");
    found.into_iter().next().unwrap()
}

/// Every item's shares add up to its amount, and payer totals to the overall.
pub fn assert_conserved(b: &Budget) {
    for it in &b.items_written() {
        let s: Decimal = it.shares.iter().map(|s| s.amount).sum();
        assert_eq!(s, it.amount, "{it:?}");
        assert_eq!(it.amount.scale(), 2);
    }
    let payers: Decimal = b.totals.by_payer.iter().map(|(_, a)| *a).sum();
    assert_eq!(payers, b.totals.overall);
    let communities: Decimal = b.totals.by_community.iter().copied().sum();
    assert_eq!(communities, b.totals.overall);
    let rules: Decimal = b.totals.by_rule.iter().map(|(_, a)| *a).sum();
    assert_eq!(rules, b.totals.overall);
}
