//! Bad input and bad policy files give typed errors naming the record and
//! field (or the file, line and key); never a panic, never a wrong number.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;
use common::*;
use shequ::error::{InputErrorCode, RecordKind};
use shequ::{BudgetOptions, Community, Error, Input, Person, Policy};

fn input_error(policy: &Policy, input: Input) -> shequ::InputError {
    match policy.budget(&input, &BudgetOptions::year(2026)) {
        Err(Error::Input(e)) => e,
        other => panic!("expected an input error, got {other:?}"),
    }
}

fn c(id: &str, households: i64) -> Community {
    Community::new(id, "", households).with_rating("ordinary")
}

#[test]
fn communities() {
    let e = input_error(
        &jilin(),
        Input {
            communities: vec![c("C1", -1)],
            ..Default::default()
        },
    );
    assert_eq!(
        (
            e.code,
            e.field.as_str(),
            e.record.id.as_deref(),
            e.record.index
        ),
        (
            InputErrorCode::NegativeHouseholds,
            "households",
            Some("C1"),
            Some(0)
        )
    );
    let e = input_error(
        &jilin(),
        Input {
            communities: vec![c("C1", 1), c("C2", 2_000_000)],
            ..Default::default()
        },
    );
    assert_eq!(
        (e.code, e.record.index),
        (InputErrorCode::AbsurdHouseholds, Some(1))
    );
    assert!(
        e.to_string()
            .contains("community `C2` (row 2, index 1), field `households`"),
        "{e}"
    );
    let e = input_error(
        &jilin(),
        Input {
            communities: vec![c("C1", 1), c("C1", 2)],
            ..Default::default()
        },
    );
    assert_eq!(e.code, InputErrorCode::DuplicateId);
    let e = input_error(
        &jilin(),
        Input {
            communities: vec![Community::new("C1", "", 1).with_rating("superb")],
            ..Default::default()
        },
    );
    assert_eq!(
        (e.code, e.field.as_str()),
        (InputErrorCode::UnknownRating, "rating")
    );
    let e = input_error(
        &jilin(),
        Input {
            communities: vec![Community::new("C1", "", 1)],
            ..Default::default()
        },
    );
    assert_eq!(e.code, InputErrorCode::MissingRating);
    let e = input_error(
        &jilin(),
        Input {
            communities: vec![Community::new("", "", 1)],
            ..Default::default()
        },
    );
    assert_eq!(e.code, InputErrorCode::EmptyId);
    // A policy without ratings ignores them.
    assert!(jiayuguan()
        .budget(
            &Input {
                communities: vec![Community::new("C1", "", 1).with_rating("superb")],
                ..Default::default()
            },
            &BudgetOptions::year(2026)
        )
        .is_ok());
}

#[test]
fn people() {
    let base = || vec![c("C1", 100)];
    let e = input_error(
        &jilin(),
        Input {
            communities: base(),
            people: vec![Person::new("P1", "C9", "").holding("member", d(2020, 1, 1), None)],
            ..Default::default()
        },
    );
    assert_eq!(
        (e.code, e.field.as_str(), e.record.kind),
        (
            InputErrorCode::UnknownCommunity,
            "community",
            RecordKind::Person
        )
    );
    let e = input_error(
        &jilin(),
        Input {
            communities: base(),
            people: vec![Person::new("P1", "C1", "").holding("mayor", d(2020, 1, 1), None)],
            ..Default::default()
        },
    );
    assert_eq!(
        (e.code, e.field.as_str()),
        (InputErrorCode::UnknownPost, "post")
    );
    assert!(
        e.message.contains("`mayor`") && e.message.contains("director"),
        "{e}"
    );
    let e = input_error(
        &jilin(),
        Input {
            communities: base(),
            people: vec![Person::new("P1", "C1", "").holding(
                "member",
                d(2020, 5, 1),
                Some(d(2020, 4, 30)),
            )],
            ..Default::default()
        },
    );
    assert_eq!(e.code, InputErrorCode::StartAfterEnd);
    let p = Person::new("P1", "C1", "").holding("member", d(2020, 1, 1), None);
    let e = input_error(
        &jilin(),
        Input {
            communities: base(),
            people: vec![p.clone(), p],
            ..Default::default()
        },
    );
    assert_eq!(
        (e.code, e.record.index),
        (InputErrorCode::DuplicateId, Some(1))
    );
    let e = input_error(
        &jilin(),
        Input {
            communities: base(),
            people: vec![Person::new("P1", "C1", "")],
            ..Default::default()
        },
    );
    assert_eq!(e.code, InputErrorCode::NoPosts);
}

#[test]
fn adjustments() {
    let adj = |rule: Option<&str>, reason: &str| shequ::Adjustment {
        community: "C1".into(),
        rule: rule.map(str::to_string),
        amount: yuan("1"),
        reason: reason.into(),
    };
    let e = input_error(
        &jilin(),
        Input {
            communities: vec![c("C1", 1)],
            adjustments: vec![adj(Some("nope"), "x")],
            ..Default::default()
        },
    );
    assert_eq!(e.code, InputErrorCode::UnknownRule);
    let e = input_error(
        &jilin(),
        Input {
            communities: vec![c("C1", 1)],
            adjustments: vec![adj(None, " ")],
            ..Default::default()
        },
    );
    assert_eq!(
        (e.code, e.field.as_str()),
        (InputErrorCode::MissingField, "reason")
    );
    let e = input_error(
        &jiayuguan(),
        Input {
            communities: vec![c("C1", 1)],
            adjustments: vec![adj(None, "x")],
            ..Default::default()
        },
    );
    assert_eq!(
        (e.code, e.field.as_str()),
        (InputErrorCode::MissingField, "rule")
    );
}

#[test]
fn options() {
    let e = jilin()
        .budget(&Input::default(), &BudgetOptions::year(1800))
        .unwrap_err();
    assert_eq!(e.code(), "out_of_range");
}

#[test]
fn policy_files() {
    let text = Policy::builtin("jilin-2011-13").unwrap().text().to_string();
    let cases = [
        ("[policy]\nid = ", "[policy]\nidd = \"x\"\nid = ", "policy_syntax", "idd"),
        ("split = { value = { city = \"50\", district = \"50\" }, source = \"assumed\", quote = \"由各级财政列支\"", "split = { value = { city = \"50\", district = \"40\" }, source = \"assumed\", quote = \"由各级财政列支\"", "policy_split_sum", "rules[0].split.value"),
        ("split = { value = { city = \"50\", district = \"50\" }, source = \"assumed\", quote = \"由各级财政列支\"", "split = { value = { city = \"50\", county = \"50\" }, source = \"assumed\", quote = \"由各级财政列支\"", "policy_unknown_reference", "rules[0].split.value.county"),
        ("households_per_unit = { value = 100", "households_per_unit = { value = 0", "policy_invalid_value", "rules[0].households_per_unit"),
        ("value = \"10000\"", "value = \"-10000\"", "policy_invalid_value", "rules[1].amounts.excellent[0].value"),
        ("source = \"stated\", quote = \"每百户\"", "source = \"claimed\", quote = \"每百户\"", "policy_syntax", "claimed"),
        ("households_per_unit = { value = 100", "households_per_unit = { value = \"100\"", "policy_syntax", ""),
        ("kind = \"work_funds\"", "kind = \"work_fund\"", "policy_syntax", "work_fund"),
    ];
    for (from, to, code, key) in cases {
        let bad = text.replacen(from, to, 1);
        assert_ne!(bad, text, "fixture text changed: {from}");
        let err = Policy::from_toml(&bad, "jilin.toml").unwrap_err();
        assert_eq!(err.code(), code, "{err}");
        let Error::Policy(p) = &err else { panic!() };
        assert_eq!(p.origin, "jilin.toml");
        let line = p.line.expect("a line");
        if !key.is_empty() {
            assert_eq!(p.key.as_deref(), Some(key), "{err}");
        }
        // the line named is the line where the change is, for syntax errors
        // (an unknown key, an unknown word) as for invalid values
        let changed = bad
            .lines()
            .zip(text.lines())
            .position(|(a, b)| a != b)
            .map(|i| i + 1);
        assert_eq!(Some(line), changed, "{err}");
        assert!(
            err.to_string().starts_with("policy jilin.toml, line "),
            "{err}"
        );
    }
    assert_eq!(
        Policy::from_toml("not = [toml", "x.toml")
            .unwrap_err()
            .code(),
        "policy_syntax"
    );
    assert_eq!(
        Policy::builtin("nowhere").unwrap_err().code(),
        "policy_not_found"
    );
}
