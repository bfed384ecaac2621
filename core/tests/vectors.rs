//! Runs every cross-front-end vector in `tests/vectors/` through the JSON
//! boundary (the same one the WASM package uses), and checks the vectors
//! cover every error code.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use serde_json::Value;
use std::collections::BTreeSet;
use std::path::PathBuf;

fn vectors() -> Vec<(String, Value)> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../tests/vectors");
    let mut out: Vec<(String, Value)> = std::fs::read_dir(&dir)
        .unwrap()
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().and_then(|e| e.to_str()) == Some("json"))
        .map(|p| {
            (
                p.display().to_string(),
                serde_json::from_str(&std::fs::read_to_string(&p).unwrap()).unwrap(),
            )
        })
        .collect();
    out.sort_by(|a, b| a.0.cmp(&b.0));
    assert!(out.len() > 10, "vectors found in {}", dir.display());
    out
}

fn map_of(pairs: &Value) -> Vec<(String, String)> {
    pairs
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            (
                p[0].as_str().unwrap().to_string(),
                p[1].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

fn check_expected(id: &str, budget: &Value, exp: &Value) {
    let totals = &budget["totals"];
    if let Some(o) = exp.get("overall") {
        assert_eq!(&totals["overall"], o, "{id}: overall");
    }
    for (key, field) in [
        ("by_payer", "by_payer"),
        ("by_rule", "by_rule"),
        ("by_community", "by_community"),
    ] {
        if let Some(want) = exp.get(key).and_then(Value::as_object) {
            let got = map_of(&totals[field]);
            for (k, v) in want {
                let g = got.iter().find(|(x, _)| x == k).map(|(_, a)| a.as_str());
                assert_eq!(g, v.as_str(), "{id}: {key}.{k}");
            }
        }
    }
    if let Some(items) = exp.get("items").and_then(Value::as_array) {
        for want in items {
            let found: Vec<&Value> = budget["items"]
                .as_array()
                .unwrap()
                .iter()
                .filter(|it| {
                    it["community"] == want["community"]
                        && it.get("person").unwrap_or(&Value::Null) == &want["person"]
                        && it["rule"] == want["rule"]
                })
                .collect();
            assert_eq!(found.len(), 1, "{id}: item {want}");
            assert_eq!(
                found[0].get("months").unwrap_or(&Value::Null),
                &want["months"],
                "{id}: months of {want}"
            );
            assert_eq!(found[0]["amount"], want["amount"], "{id}: amount of {want}");
        }
    }
    for list in ["warnings", "exclusions"] {
        if let Some(codes) = exp.get(list).and_then(Value::as_array) {
            for code in codes {
                assert!(
                    budget[list]
                        .as_array()
                        .unwrap()
                        .iter()
                        .any(|n| &n["code"] == code),
                    "{id}: {list} lacks {code}"
                );
            }
        }
    }
}

/// The request of a vector: `request_text` as it is (a request JSON cannot
/// hold once read, such as a repeated key), or `request` written out.
fn request_text(v: &Value) -> String {
    match v.get("request_text").and_then(Value::as_str) {
        Some(text) => text.to_string(),
        None => v["request"].to_string(),
    }
}

#[test]
fn every_vector_gives_its_expected_answer() {
    for (path, v) in vectors() {
        let id = v["id"].as_str().unwrap();
        assert!(
            path.ends_with(&format!("{id}.json")),
            "{path}: id and file name differ"
        );
        let answer = shequ::ffi::compute_json(&request_text(&v));
        match (v.get("expected"), v.get("expected_error")) {
            (Some(exp), None) => {
                let answer: Value =
                    serde_json::from_str(&answer.unwrap_or_else(|e| panic!("{id}: {e:?}")))
                        .unwrap();
                check_expected(id, &answer["budget"], exp);
            }
            (None, Some(want)) => {
                let err = answer.expect_err(id);
                assert_eq!(
                    err.code,
                    want["code"].as_str().unwrap(),
                    "{id}: {}",
                    err.message
                );
                if let Some(f) = want.get("field") {
                    assert_eq!(err.field.as_deref(), f.as_str(), "{id}: field");
                }
                if let Some(r) = want.get("record_id") {
                    assert_eq!(
                        err.record.as_ref().and_then(|r| r.id.as_deref()),
                        r.as_str(),
                        "{id}: record"
                    );
                }
                assert!(!err.message.is_empty());
            }
            _ => panic!("{id}: needs exactly one of expected / expected_error"),
        }
    }
}

#[test]
fn vectors_cover_every_error_code() {
    let covered: BTreeSet<String> = vectors()
        .iter()
        .filter_map(|(_, v)| v["expected_error"]["code"].as_str().map(str::to_string))
        .collect();
    let missing: Vec<&&str> = shequ::error::ALL_ERROR_CODES
        .iter()
        .filter(|c| !covered.contains(**c))
        .collect();
    assert!(missing.is_empty(), "no vector for {missing:?}");
}

/// `rows` (a list of objects) as the columns form of a table
/// (`shequ::ffi::record::table`); `None` for anything else.
fn as_columns(rows: &Value) -> Option<Value> {
    let rows = rows.as_array()?;
    let mut names: Vec<&String> = Vec::new();
    for row in rows {
        for key in row.as_object()?.keys() {
            if !names.contains(&key) {
                names.push(key);
            }
        }
    }
    let mut columns = serde_json::Map::new();
    let mut missing = serde_json::Map::new();
    for name in names {
        let cells: Vec<Option<&Value>> = rows.iter().map(|r| r.get(name)).collect();
        columns.insert(
            name.clone(),
            cells
                .iter()
                .map(|c| c.cloned().unwrap_or(Value::Null))
                .collect(),
        );
        let absent: Vec<usize> = (0..rows.len()).filter(|r| cells[*r].is_none()).collect();
        if !absent.is_empty() {
            missing.insert(name.clone(), absent.into());
        }
    }
    Some(serde_json::json!({"rows": rows.len(), "columns": columns, "missing": missing}))
}

/// Every vector gives the same answer, to the byte, or the same error when
/// its tables are sent as columns (as the browser package sends them).
#[test]
fn every_vector_answers_alike_with_tables_as_columns() {
    let mut converted = 0;
    for (_, v) in vectors() {
        let id = v["id"].as_str().unwrap();
        let mut request = v["request"].clone();
        let rows = shequ::ffi::compute_json(&request.to_string());
        let mut changed = false;
        for table in ["communities", "people", "adjustments"] {
            if let Some(columns) = request.get(table).and_then(as_columns) {
                request[table] = columns;
                changed = true;
            }
        }
        if !changed {
            continue;
        }
        converted += 1;
        let columns = shequ::ffi::compute_json(&request.to_string());
        match (&columns, &rows) {
            // A malformed request's message names a place in its text.
            (Err(c), Err(r)) if r.code == "bad_request" => assert_eq!(c.code, r.code, "{id}"),
            _ => assert_eq!(columns, rows, "{id}"),
        }
    }
    assert!(converted > 30, "{converted} vectors had tables to convert");
}
