//! The budgets of the bundled samples as the Rust API computes them (the same
//! call as the `city_budget` example: the sample's options, quota breaches as
//! warnings), printed as JSON for the Node and Chromium tests to compare
//! with what the WASM package and the form show.
//!
//! With request files as arguments it prints, for each, the totals the
//! native JSON boundary computes for it (what the form typed, say).
//!
//! ```text
//! cargo run -p shequ-wasm --example rust_totals > rust-totals.json
//! cargo run -p shequ-wasm --example rust_totals -- request.json …
//! ```
#![allow(missing_docs)]

use serde_json::{json, Map, Value};
use shequ::{samples, Policy, QuotaMode};
use std::process::ExitCode;

fn pairs<T: std::fmt::Display>(list: &[(String, T)]) -> Value {
    Value::Array(
        list.iter()
            .map(|(k, v)| json!([k, v.to_string()]))
            .collect(),
    )
}

fn totals_of(path: &str) -> Result<Value, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("{path}: {e}"))?;
    let answer =
        shequ::ffi::compute_json(&text).map_err(|e| format!("{path}: {} {}", e.code, e.message))?;
    let answer: Value = serde_json::from_str(&answer).map_err(|e| e.to_string())?;
    let budget = &answer["budget"];
    Ok(
        json!({"overall": budget["totals"]["overall"], "by_payer": budget["totals"]["by_payer"], "by_rule": budget["totals"]["by_rule"], "by_community": budget["totals"]["by_community"], "items": budget["items"].as_array().map_or(0, Vec::len)}),
    )
}

fn main() -> ExitCode {
    let files: Vec<String> = std::env::args().skip(1).collect();
    if !files.is_empty() {
        let mut out = Vec::new();
        for f in &files {
            match totals_of(f) {
                Ok(v) => out.push(v),
                Err(e) => {
                    eprintln!("rust_totals: {e}");
                    return ExitCode::FAILURE;
                }
            }
        }
        println!("{}", Value::Array(out));
        return ExitCode::SUCCESS;
    }
    let mut out = Map::new();
    for id in samples::IDS {
        let Some(sample) = samples::by_id(id) else {
            continue;
        };
        let budget = Policy::builtin(sample.policy)
            .and_then(|p| p.budget(&sample.input, &sample.options().quota(QuotaMode::Warn)));
        match budget {
            Ok(b) => {
                let t = &b.totals;
                out.insert(
                    (*id).to_string(),
                    json!({"policy": sample.policy, "overall": t.overall.to_string(), "by_payer": pairs(&t.by_payer), "by_rule": pairs(&t.by_rule), "by_community": pairs(&b.community_totals().map(|(c, a)| (c.to_string(), a)).collect::<Vec<_>>()), "items": b.items.len()}),
                );
            }
            Err(e) => {
                eprintln!("rust_totals: sample `{id}`: {e}");
                return ExitCode::FAILURE;
            }
        }
    }
    println!("{}", Value::Object(out));
    ExitCode::SUCCESS
}
