//! The engine says what it said: every item's sentence, every community's
//! and every person's story and the whole budget as JSON, for the bundled
//! samples and two synthetic cities, byte for byte against
//! `snapshots/explanations.json`.
//!
//! The file was first written by the engine of commit 503363a (the last
//! before the columnar budget) and held the columnar engine to it; it was
//! written again, deliberately, for the Chinese-first words of issue 18
//! (people by name, thousands separators, a traditional policy's sentences
//! in traditional characters, notes for everyone not paid). To write it
//! again after a deliberate change of words, check the changes, then run
//! `SHEQU_WRITE_SNAPSHOT=1 cargo test -p shequ --test snapshot`.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use serde_json::Value;
use shequ::{samples, BudgetOptions, Lang, Policy, QuotaMode};

fn snapshot() -> Value {
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/snapshots/explanations.json"
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

/// What the snapshot holds of a budget (see [`check`]).
fn written(budget: &shequ::Budget, communities: &[String], whole: bool) -> Value {
    let e = budget.explainer();
    let explanations: Vec<Value> = (0..budget.items.len())
        .map(|i| {
            serde_json::json!({
                "zh": e.sentence(i, Lang::Zh).unwrap(),
                "en": e.sentence(i, Lang::En).unwrap(),
            })
        })
        .collect();
    let stories: Vec<Value> = communities
        .iter()
        .map(|c| {
            serde_json::json!({
                "zh": budget.explain(c, Lang::Zh).unwrap(),
                "en": budget.explain(c, Lang::En).unwrap(),
            })
        })
        .collect();
    let people: Vec<Value> = if whole {
        (0..budget.input().people.len())
            .map(|p| {
                serde_json::json!({
                    "zh": e.person(p, Lang::Zh).unwrap(),
                    "en": e.person(p, Lang::En).unwrap(),
                })
            })
            .collect()
    } else {
        Vec::new()
    };
    let mut got = serde_json::to_value(budget).unwrap();
    let mut out = serde_json::Map::new();
    if whole {
        let mut provenances: Vec<Value> = Vec::new();
        for item in got["items"].as_array().unwrap() {
            if !provenances.contains(&item["provenance"]) {
                provenances.push(item["provenance"].clone());
            }
        }
        got = compact(got, &provenances);
        got["provenances"] = Value::Array(provenances);
        out.insert("budget".into(), got);
    } else {
        let mut b = serde_json::Map::new();
        for key in ["totals", "exclusions", "warnings"] {
            b.insert(key.into(), got[key].take());
        }
        out.insert("budget".into(), Value::Object(b));
    }
    out.insert("explanations".into(), Value::Array(explanations));
    out.insert("communities".into(), Value::Array(stories));
    out.insert("people".into(), Value::Array(people));
    Value::Object(out)
}

/// Write the snapshot from what the engine says now (see the module docs).
#[test]
fn write_when_asked() {
    if std::env::var_os("SHEQU_WRITE_SNAPSHOT").is_none() {
        return;
    }
    let mut all = serde_json::Map::new();
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
        all.insert((*id).to_string(), written(&budget, &ids, true));
    }
    for policy_id in ["jilin-2011-13", "jiayuguan-2020-97"] {
        let policy = Policy::builtin(policy_id).unwrap();
        let input = samples::synthetic(policy_id, 40, 7);
        let budget = policy.budget(&input, &BudgetOptions::year(2026)).unwrap();
        all.insert(
            format!("synthetic-{policy_id}"),
            written(&budget, &[], false),
        );
    }
    std::fs::write(
        concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/snapshots/explanations.json"
        ),
        serde_json::to_string(&Value::Object(all)).unwrap(),
    )
    .unwrap();
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
    for (p, w) in want["people"].as_array().into_iter().flatten().enumerate() {
        assert_eq!(
            e.person(p, Lang::Zh).as_deref(),
            w["zh"].as_str(),
            "{name}: person {p} zh"
        );
        assert_eq!(
            e.person(p, Lang::En).as_deref(),
            w["en"].as_str(),
            "{name}: person {p} en"
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
    if std::env::var_os("SHEQU_WRITE_SNAPSHOT").is_some() {
        return;
    }
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
    if std::env::var_os("SHEQU_WRITE_SNAPSHOT").is_some() {
        return;
    }
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
