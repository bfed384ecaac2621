//! Hostile input on the paths the vectors do not take (the vectors run
//! `ffi::compute_json`): the compliance report, explanations and the Rust
//! API. Each case must give its typed error — never a panic.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::result_large_err
)]

use serde_json::{json, Value};
use shequ::{BudgetOptions, Community, Input, Policy};
use std::panic::{catch_unwind, AssertUnwindSafe};

const BIG: &str = "79228162514264337593543950335";

/// The error code of `f`, failing on a panic or on no error.
fn code<T>(what: &str, f: impl FnOnce() -> Result<T, String>) -> String {
    match catch_unwind(AssertUnwindSafe(f)) {
        Err(_) => panic!("{what}: panicked"),
        Ok(Ok(_)) => panic!("{what}: no error"),
        Ok(Err(code)) => code,
    }
}

fn compliance(request: &Value) -> Result<String, String> {
    shequ::ffi::compliance_json(&request.to_string()).map_err(|e| e.code)
}

fn budget(request: &Value) -> Result<String, String> {
    shequ::ffi::compute_json(&request.to_string()).map_err(|e| e.code)
}

/// A one-check policy (a parameter bound with a minimum) for `parameter`.
fn bound_policy() -> String {
    r#"[policy]
id = "bound"
version = "1"
document = "测试〔2026〕2号"
title_zh = "测试"
title_en = "test"
city_zh = "测试市"
city_en = "Test"
source_file = "-"

[[checks]]
kind = "parameter_bound"
id = "items"
zh = "事项"
en = "items"
clause = "一"
quote = "不少于10项"
source = "stated"
parameter = "items"
min = "10"

[[parameters]]
id = "items"
zh = "事项数"
en = "items"
unit = "count"
clause = "一"
quote = "不少于10项"
"#
    .to_string()
}

#[test]
fn a_ratio_in_the_compliance_report_overflows_typed() {
    // 吉市发[2011]13号 五(一): resident-facing area ÷ office area ≥ 80%.
    let request = json!({"policy": "jilin-2011-13", "year": 2026, "quota": "warn",
        "communities": [{"id": "C1", "households": 2750, "rating": "ordinary", "flags": "new_office",
                         "office_area": "0.0000000000000000000000000001", "resident_facing_area": BIG}]});
    assert_eq!(code("ratio", || compliance(&request)), "overflow");
}

#[test]
fn a_parameter_bound_shortfall_past_a_decimal_overflows_typed() {
    let request = json!({"policy": {"toml": bound_policy()}, "year": 2026, "communities": [],
        "parameters": {"items": format!("-{BIG}")}});
    assert_eq!(code("bound", || compliance(&request)), "overflow");
    // Within range it is a finding with its shortfall.
    let ok = json!({"policy": {"toml": bound_policy()}, "year": 2026, "communities": [], "parameters": {"items": "7"}});
    let report: Value =
        serde_json::from_str(&shequ::ffi::compliance_json(&ok.to_string()).unwrap()).unwrap();
    assert_eq!(report["findings"][0]["shortfall"], "3");
}

#[test]
fn huge_norms_overflow_typed_in_the_budget_and_the_report() {
    let request = json!({"policy": "harbin-2011-14", "year": 2026, "max_households": i64::MAX,
        "parameters": {"deputy_salary_monthly": "2600"},
        "communities": [{"id": "H1", "households": i64::MAX}]});
    assert_eq!(code("norm budget", || budget(&request)), "overflow");
    let salary = json!({"policy": "harbin-2011-14", "year": 2026,
        "parameters": {"deputy_salary_monthly": BIG}, "communities": [{"id": "H1", "households": 1801}]});
    assert_eq!(code("norm cost", || compliance(&salary)), "overflow");
}

#[test]
fn a_huge_increment_overflows_typed_in_the_rust_api_too() {
    let policy = Policy::builtin("jiayuguan-2020-97").unwrap();
    let policy = policy
        .with_overrides(&[("work_allowance.increment_per_full_year", BIG)])
        .unwrap();
    let input = Input {
        communities: vec![Community::new("J1", "社区", 1801)],
        people: vec![shequ::Person::new("G1", "J1", "组长").holding(
            "group_leader",
            chrono::NaiveDate::from_ymd_opt(2000, 1, 1).unwrap(),
            None,
        )],
        ..Default::default()
    };
    let got = code("increment", || {
        policy
            .budget(&input, &BudgetOptions::year(2026))
            .map_err(|e| e.code().to_string())
    });
    assert_eq!(got, "overflow");
}

#[test]
fn explanations_of_the_largest_amounts_that_fit_do_not_panic() {
    // Amounts just inside 64 bits of fen: computed, then explained in both
    // languages, item by item and community by community.
    for request in [
        json!({"policy": "jilin-2011-13", "year": 2026, "quota": "warn", "explain": "zh",
               "overrides": [["work_funds.rate", "3354171649765373"]],
               "communities": [{"id": "C1", "households": 2750, "rating": "excellent"}],
               "people": [{"id": "P1", "community": "C1", "post": "director", "start": "2020-03-01"}]}),
        json!({"policy": "jiayuguan-2020-97", "year": 2026, "explain": "en",
               "overrides": [["work_allowance.increment_per_full_year", "1000000000000000"]],
               "communities": [{"id": "J1", "households": 1801}],
               "people": [{"id": "G1", "community": "J1", "post": "group_leader", "start": "1950-01-01"}]}),
        json!({"policy": "harbin-2011-14", "year": 2026, "explain": "zh",
               "parameters": {"deputy_salary_monthly": "100000000000000"},
               "communities": [{"id": "H1", "households": 180000, "stars": 5}]}),
    ] {
        let text = request.to_string();
        let answer = catch_unwind(|| shequ::ffi::compute_json(&text));
        let answer = answer.unwrap_or_else(|_| panic!("panicked: {text}"));
        if let Ok(a) = answer {
            let v: Value = serde_json::from_str(&a).unwrap();
            assert!(!v["explanations"].as_array().unwrap().is_empty(), "{text}");
            let id = request["communities"][0]["id"].as_str().unwrap();
            for lang in ["zh", "en"] {
                let story = catch_unwind(|| shequ::ffi::explain_json(&text, id, lang));
                assert!(story.is_ok_and(|s| s.is_ok()), "{text}");
            }
        }
        let report = catch_unwind(|| shequ::ffi::compliance_json(&text));
        assert!(report.is_ok(), "compliance panicked: {text}");
    }
}

#[test]
fn a_misspelt_parameter_is_refused_with_a_did_you_mean_in_every_api() {
    let harbin = Policy::builtin("harbin-2011-14").unwrap();
    let input = Input {
        communities: vec![Community::new("H1", "社区", 1801)],
        ..Default::default()
    };
    let opts = BudgetOptions::year(2026).parameter("deputy_salary_montly", 2600.into());
    let err = harbin.budget(&input, &opts).unwrap_err();
    assert_eq!(err.code(), "unknown_parameter");
    assert!(
        err.to_string()
            .contains("did you mean `deputy_salary_monthly`"),
        "{err}"
    );
    let err = harbin.compliance(&input, &opts).unwrap_err();
    assert_eq!(err.code(), "unknown_parameter");
    // A request key, too.
    let err = shequ::ffi::compute_json(
        r#"{"policy": "jilin-2011-13", "year": 2026, "paramters": {}, "communities": []}"#,
    )
    .unwrap_err();
    assert_eq!(err.code, "bad_request");
    assert!(
        err.message.contains("did you mean `parameters`"),
        "{}",
        err.message
    );
}
