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
