//! Columns shequ does not read are ignored, never silently: each becomes an
//! `unknown_column` warning naming the table, the column and, when one is
//! close, the column it likely stands for.

use serde_json::{json, Value};

fn warnings(request: &Value) -> Vec<Value> {
    let answer = shequ::ffi::compute_json(&request.to_string())
        .map_err(|e| e.message)
        .and_then(|t| serde_json::from_str::<Value>(&t).map_err(|e| e.to_string()));
    assert!(answer.is_ok(), "{answer:?}");
    answer
        .ok()
        .and_then(|a| a["budget"]["warnings"].as_array().cloned())
        .unwrap_or_default()
}

#[test]
fn each_unknown_column_is_named_once_with_its_likely_meaning() {
    // In the order first seen: a person's posts before the adjustments, as
    // the Python binding reads them.
    let w = warnings(&json!({
        "policy": "jiayuguan-2020-97",
        "year": 2026,
        "communities": [
            {"id": "C1", "households": 1500, "office_aera": "300", "street": "x"},
            {"id": "C2", "households": 900, "office_aera": "200"}
        ],
        "people": [
            {"id": "P1", "community": "C1", "servng": true, "post": "group_member", "start": "2026-01-01"},
            {"id": "P2", "community": "C1", "posts": [{"post": "group_member", "start": "2026-01-01", "serving": true}]}
        ],
        "adjustments": [{"community": "C1", "rule": "work_allowance", "amount": "10", "reason": "r", "note": "n"}]
    }));
    let unknown: Vec<&str> = w
        .iter()
        .filter(|n| n["code"] == "unknown_column")
        .filter_map(|n| n["en"].as_str())
        .collect();
    assert_eq!(
        unknown,
        [
            "column `office_aera` of communities is not one shequ reads and was ignored (did you mean `office_area`?)",
            "column `street` of communities is not one shequ reads and was ignored",
            "column `servng` of people is not one shequ reads and was ignored (did you mean `serving`?)",
            "column `serving` of posts (of a person record) is not one shequ reads and was ignored (did you mean `serving`?)",
            "column `note` of adjustments is not one shequ reads and was ignored",
        ]
    );
    assert!(w.iter().any(|n| n["zh"]
        .as_str()
        .is_some_and(|z| z.contains("社区表的列 `office_aera`"))));
}

#[test]
fn a_request_with_only_known_columns_has_no_such_warning() {
    let w = warnings(&json!({
        "policy": "jilin-2011-13",
        "year": 2026,
        "communities": [{"id": "C1", "name": "A", "households": 2750, "rating": "ordinary", "office_area": "400"}],
        "people": [{"id": "P1", "community": "C1", "name": "王芳", "serving": false, "post": "director", "start": "2020-01-01", "end": null}]
    }));
    assert!(w.iter().all(|n| n["code"] != "unknown_column"), "{w:?}");
}

#[test]
fn the_compliance_report_names_an_unknown_column_too() {
    // A misspelt office area: the report finds the area missing, and says
    // which column it ignored instead of leaving the user to guess why.
    let mut request = json!({
        "policy": "jilin-2011-13",
        "year": 2026,
        "parameters": {"provincial_subsidy_per_graduate_monthly": "0"},
        "communities": [{"id": "C1", "households": 2750, "rating": "ordinary", "flags": "new_office", "office_aera": "400"}],
        "people": [{"id": "P1", "community": "C1", "post": "director", "start": "2020-01-01"}]
    });
    let report = |request: &Value| {
        shequ::ffi::compliance_json(&request.to_string())
            .map_err(|e| e.message)
            .and_then(|t| serde_json::from_str::<Value>(&t).map_err(|e| e.to_string()))
    };
    let misspelt = report(&request);
    assert!(misspelt.is_ok(), "{misspelt:?}");
    let misspelt = misspelt.unwrap_or_default();
    let office_area = |report: &Value| {
        report["findings"]
            .as_array()
            .into_iter()
            .flatten()
            .find(|f| f["check"] == "office_area")
            .map(|f| f["severity"].clone())
    };
    assert_eq!(
        office_area(&misspelt),
        Some(json!("missing_data")),
        "{misspelt}"
    );
    let warnings = misspelt["warnings"].as_array().cloned().unwrap_or_default();
    assert_eq!(warnings.len(), 1, "{misspelt}");
    assert_eq!(warnings[0]["code"], "unknown_column");
    let en = warnings[0]["en"].as_str().unwrap_or_default();
    assert!(
        en.contains("`office_aera`") && en.contains("did you mean `office_area`"),
        "{en}"
    );
    // Spelt right, nothing is ignored and nothing is said.
    request["communities"][0] = json!({"id": "C1", "households": 2750, "rating": "ordinary", "flags": "new_office", "office_area": "400"});
    let right = report(&request).unwrap_or_default();
    assert_eq!(office_area(&right), None, "{right}");
    assert_eq!(right["warnings"], json!([]), "{right}");
}
