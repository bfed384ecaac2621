//! The budgets of the bundled samples as the Rust API computes them (the same
//! call as the `city_budget` example: the sample's options, quota breaches as
//! warnings), printed as JSON for the Node and Chromium tests to compare
//! with what the WASM package and the form show.
//!
//! ```text
//! cargo run -p shequ-wasm --example rust_totals > tests/out/rust-totals.json
//! ```
#![allow(missing_docs)]

use serde_json::{json, Map, Value};
use shequ::{samples, Policy, QuotaMode};
use std::process::ExitCode;

fn pairs<T: std::fmt::Display>(list: &[(String, T)]) -> Value {
    Value::Array(list.iter().map(|(k, v)| json!([k, v.to_string()])).collect())
}

fn main() -> ExitCode {
    let mut out = Map::new();
    for id in samples::IDS {
        let Some(sample) = samples::by_id(id) else { continue };
        let budget = Policy::builtin(sample.policy).and_then(|p| p.budget(&sample.input, &sample.options().quota(QuotaMode::Warn)));
        match budget {
            Ok(b) => {
                let t = &b.totals;
                out.insert(
                    (*id).to_string(),
                    json!({"policy": sample.policy, "overall": t.overall.to_string(), "by_payer": pairs(&t.by_payer), "by_rule": pairs(&t.by_rule), "by_community": pairs(&t.by_community), "items": b.items.len()}),
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
