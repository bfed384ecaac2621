//! The columnar engine says what the engine before it said: every item's
//! sentence, every community's story and the whole budget as JSON, for the
//! bundled samples and two synthetic cities, byte for byte against
//! `snapshots/before-columnar.json` (written by the engine of commit
//! 503363a, the last before the columnar budget).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use serde_json::Value;
use shequ::{samples, BudgetOptions, Lang, Policy, QuotaMode};

fn snapshot() -> Value {
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/snapshots/before-columnar.json"
    ))
    .unwrap();
    serde_json::from_str(&text).unwrap()
}

/// The budget JSON with each item's provenance replaced by its position in
/// `provenances` (as the snapshot keeps it, once per distinct provenance).
fn compact(mut budget: Value, provenances: &[Value]) -> Value {
    for item in budget["items"].as_array_mut().unwrap() {
        let p = item["provenance"].take();
        let k = provenances
            .iter()
            .position(|x| *x == p)
            .unwrap_or_else(|| panic!("a provenance not in the snapshot: {p}"));
        item["provenance"] = k.into();
    }
    budget
}

fn check(name: &str, budget: &shequ::Budget, want: &Value, communities: &[String]) {
    let e = budget.explainer();
    let items = want["explanations"].as_array().unwrap();
    assert_eq!(budget.items.len(), items.len(), "{name}: items");
    for (i, w) in items.iter().enumerate() {
        assert_eq!(
            e.sentence(i, Lang::Zh).as_deref(),
            w["zh"].as_str(),
            "{name}: item {i} zh"
        );
        assert_eq!(
            e.sentence(i, Lang::En).as_deref(),
            w["en"].as_str(),
            "{name}: item {i} en"
        );
    }
    for (c, w) in communities
        .iter()
        .zip(want["communities"].as_array().into_iter().flatten())
    {
        assert_eq!(
            budget.explain(c, Lang::Zh).as_deref(),
            w["zh"].as_str(),
            "{name}: {c} zh"
        );
        assert_eq!(
            budget.explain(c, Lang::En).as_deref(),
            w["en"].as_str(),
            "{name}: {c} en"
        );
    }
    let mut got = serde_json::to_value(budget).unwrap();
    let old = &want["budget"];
    for key in ["totals", "exclusions", "warnings"] {
        assert_eq!(got[key], old[key], "{name}: {key}");
    }
    if let Some(provenances) = old["provenances"].as_array() {
        got = compact(got, provenances);
        for key in [
            "policy",
            "policy_version",
            "document",
            "year",
            "as_of",
            "ratings",
            "quota",
        ] {
            assert_eq!(got[key], old[key], "{name}: {key}");
        }
        let (g, o) = (
            got["items"].as_array().unwrap(),
            old["items"].as_array().unwrap(),
        );
        for (i, (g, o)) in g.iter().zip(o).enumerate() {
            assert_eq!(g, o, "{name}: item {i}");
        }
    }
}

#[test]
fn samples_say_what_they_said() {
    let snap = snapshot();
    for id in samples::IDS {
        let sample = samples::by_id(id).unwrap();
        let policy = Policy::builtin(sample.policy).unwrap();
        let budget = policy
            .budget(&sample.input, &sample.options().quota(QuotaMode::Warn))
            .unwrap();
        let ids: Vec<String> = sample
            .input
            .communities
            .iter()
            .map(|c| c.id.clone())
            .collect();
        check(id, &budget, &snap[*id], &ids);
    }
}

#[test]
fn synthetic_cities_say_what_they_said() {
    let snap = snapshot();
    for policy_id in ["jilin-2011-13", "jiayuguan-2020-97"] {
        let policy = Policy::builtin(policy_id).unwrap();
        let input = samples::synthetic(policy_id, 40, 7);
        let budget = policy.budget(&input, &BudgetOptions::year(2026)).unwrap();
        check(
            policy_id,
            &budget,
            &snap[format!("synthetic-{policy_id}")],
            &[],
        );
    }
}
