//! A mutation fuzzer of the JSON boundary (`ffi::compute_json`,
//! `ffi::compliance_json`, `ffi::explain_json`) and the policy reader
//! (`Policy::from_toml`), on the stable compiler, without coverage: it
//! starts from every request in `tests/vectors/` and every policy in
//! `policies/`, mutates them (JSON-aware: a value replaced by a hostile
//! one, a key repeated, a table sent as columns with sizes that lie; and
//! byte-level: flips, cuts, splices), and checks that each input gives an
//! answer or a typed error — never a panic, and never a slow answer.
//!
//! It runs for `SHEQU_FUZZ_SECONDS` (default 3; `tests/run` gives it about
//! a minute) from seed `SHEQU_FUZZ_SEED` (default: the time). A finding
//! is written to `tests/out/fuzz/` and fails the test with the seed to
//! replay it. `tests/run` runs it in release (the build the front-ends
//! ship); in a debug build integer overflow panics too, so a wrapped number
//! is a finding as well. BENCHMARKS.md has a longer run.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
#![allow(clippy::arithmetic_side_effects)]

use serde_json::{json, Value};
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::PathBuf;
use std::time::{Duration, Instant};

/// xorshift64*: small, fast, reproducible from its seed.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            0
        } else {
            (self.next() % n as u64) as usize
        }
    }
    fn chance(&mut self, one_in: u64) -> bool {
        self.next() % one_in == 0
    }
    fn pick<'a, T>(&mut self, list: &'a [T]) -> &'a T {
        &list[self.below(list.len())]
    }
}

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// Every request of the vectors, as text.
fn request_seeds() -> Vec<String> {
    let dir = root().join("tests/vectors");
    let mut out = Vec::new();
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    files.sort();
    for p in files {
        let v: Value = serde_json::from_str(&std::fs::read_to_string(&p).unwrap()).unwrap();
        match v.get("request_text").and_then(Value::as_str) {
            Some(t) if t.len() < 4096 => out.push(t.to_string()),
            Some(_) => {}
            None => out.push(v["request"].to_string()),
        }
    }
    out
}

/// Every policy file's text.
fn policy_seeds() -> Vec<String> {
    let dir = root().join("policies");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "toml"))
        .collect();
    files.sort();
    files
        .iter()
        .map(|p| std::fs::read_to_string(p).unwrap())
        .collect()
}

/// Values a hostile caller would try.
fn hostile(rng: &mut Rng) -> Value {
    let pick = rng.below(40);
    match pick {
        0 => json!(null),
        1 => json!(true),
        2 => json!(0),
        3 => json!(-1),
        4 => json!(i64::MAX),
        5 => json!(i64::MIN),
        6 => json!(u64::MAX),
        7 => json!(1e300),
        8 => json!(-1e-300),
        9 => json!(0.5),
        10 => json!(2_750.000_000_1),
        11 => json!(""),
        12 => json!("   "),
        13 => json!("79228162514264337593543950335"),
        14 => json!("-79228162514264337593543950335"),
        15 => json!("0.0000000000000000000000000001"),
        16 => json!("1e30"),
        17 => json!("NaN"),
        18 => json!("0001-01-01"),
        19 => json!("9999-12-31"),
        20 => json!("2020-02-30"),
        21 => json!("2026-03-01"),
        22 => json!("+275760-09-13"),
        23 => json!([]),
        24 => json!({}),
        25 => json!([{"post": "director", "start": "2020-01-01"}]),
        26 => json!("director"),
        27 => json!("excellent"),
        28 => json!("C1"),
        29 => json!(["C1", 1, null]),
        30 => json!({"rows": 3, "columns": {"id": ["a"]}}),
        31 => json!({"rows": 1_000_000_000u64, "columns": {}}),
        32 => json!("社区\u{0}零"),
        33 => json!("9223372036854775807"),
        34 => json!(4_294_967_296u64),
        35 => json!(65536),
        36 => json!(255),
        37 => json!(12),
        38 => json!("new_office,new_estate,five_good"),
        _ => json!(rng.next() as i64 % 100_000),
    }
}

/// Every place in a JSON value, as a path of keys and indices.
fn paths(v: &Value, at: &mut Vec<Value>, out: &mut Vec<Vec<Value>>) {
    out.push(at.clone());
    match v {
        Value::Object(m) => {
            for (k, x) in m {
                at.push(Value::String(k.clone()));
                paths(x, at, out);
                at.pop();
            }
        }
        Value::Array(a) => {
            for (i, x) in a.iter().enumerate() {
                at.push(json!(i));
                paths(x, at, out);
                at.pop();
            }
        }
        _ => {}
    }
}

fn at_mut<'a>(v: &'a mut Value, path: &[Value]) -> Option<&'a mut Value> {
    let mut cur = v;
    for step in path {
        cur = match step {
            Value::String(k) => cur.get_mut(k.as_str())?,
            Value::Number(i) => cur.get_mut(i.as_u64()? as usize)?,
            _ => return None,
        };
    }
    Some(cur)
}

const KEYS: &[&str] = &[
    "id",
    "households",
    "rating",
    "name",
    "district",
    "score",
    "stars",
    "grids",
    "flags",
    "office_area",
    "resident_facing_area",
    "service_centre_area",
    "community",
    "post",
    "start",
    "end",
    "serving",
    "income",
    "posts",
    "rule",
    "amount",
    "reason",
    "year",
    "as_of",
    "quota",
    "ratings",
    "max_households",
    "parameters",
    "overrides",
    "explain",
    "people",
    "adjustments",
    "deputy_salary_monthly",
    "last_year_average_urban_wage",
    "work_items",
];

/// A JSON-aware mutation of a request.
fn mutate_json(rng: &mut Rng, v: &mut Value) {
    let mut all = Vec::new();
    paths(v, &mut Vec::new(), &mut all);
    let path = rng.pick(&all).clone();
    let Some(target) = at_mut(v, &path) else {
        return;
    };
    match rng.below(8) {
        0..=3 => *target = hostile(rng),
        4 => {
            // Add a field.
            if let Value::Object(m) = target {
                m.insert(rng.pick(KEYS).to_string(), hostile(rng));
            }
        }
        5 => {
            // Drop a field or an element.
            match target {
                Value::Object(m) if !m.is_empty() => {
                    let k = m
                        .keys()
                        .nth(rng.below(m.len()))
                        .cloned()
                        .unwrap_or_default();
                    m.remove(&k);
                }
                Value::Array(a) if !a.is_empty() => {
                    let i = rng.below(a.len());
                    a.remove(i);
                }
                _ => {}
            }
        }
        6 => {
            // Repeat an element (a duplicate row).
            if let Value::Array(a) = target {
                if let Some(x) = a.get(rng.below(a.len().max(1))).cloned() {
                    for _ in 0..=rng.below(3) {
                        a.push(x.clone());
                    }
                }
            }
        }
        _ => {
            // A list of rows as columns, with a row count that may lie.
            if let Value::Array(rows) = target {
                let mut columns = serde_json::Map::new();
                for row in rows.iter().filter_map(Value::as_object) {
                    for k in row.keys() {
                        columns.entry(k.clone()).or_insert_with(|| {
                            json!(rows
                                .iter()
                                .map(|r| r.get(k).cloned().unwrap_or(Value::Null))
                                .collect::<Vec<_>>())
                        });
                    }
                }
                let n = rows.len() as i64 + [0, 0, 1, -1, 1000][rng.below(5)];
                *target = json!({"rows": n.max(0), "columns": columns});
            }
        }
    }
}

/// A byte-level mutation of a text, kept valid UTF-8.
fn mutate_text(rng: &mut Rng, text: &str, other: &str) -> String {
    let mut s = text.to_string();
    let cut = |s: &str, at: usize| {
        let mut at = at.min(s.len());
        while !s.is_char_boundary(at) {
            at -= 1;
        }
        at
    };
    match rng.below(6) {
        0 => {
            let at = cut(&s, rng.below(s.len() + 1));
            s.truncate(at);
        }
        1 => {
            // Splice another seed in.
            let at = cut(&s, rng.below(s.len() + 1));
            let from = cut(other, rng.below(other.len() + 1));
            s = format!("{}{}", &s[..at], &other[from..]);
        }
        2 => {
            // Repeat a piece (a key given twice, nesting).
            let a = cut(&s, rng.below(s.len() + 1));
            let b = cut(&s, a + rng.below(64));
            let piece = s[a..b].to_string();
            s.insert_str(a, &piece);
        }
        3 => {
            let tokens = [
                "[",
                "{",
                "\"",
                ",",
                ":",
                "}",
                "]",
                "\\ud800",
                "\\u0000",
                "1e400",
                "-0",
                "18446744073709551616",
                "null",
                "true",
                "\"households\": 1,",
                "= [",
                "= {",
                "\n[[rules]]\n",
                "value = \"79228162514264337593543950335\"",
                "9999-12-31",
                "0000-01-01",
            ];
            let at = cut(&s, rng.below(s.len() + 1));
            let token = rng.pick::<&str>(&tokens);
            s.insert_str(at, token);
        }
        4 => {
            // Flip one ASCII byte to another.
            let bytes: Vec<usize> = s
                .bytes()
                .enumerate()
                .filter(|(_, b)| b.is_ascii())
                .map(|(i, _)| i)
                .collect();
            if !bytes.is_empty() {
                let i = *rng.pick(&bytes);
                let c = (32 + rng.below(95)) as u8 as char;
                s.replace_range(i..i + 1, &c.to_string());
            }
        }
        _ => {
            // Change a number in the text.
            if let Some(i) = s.find(|c: char| c.is_ascii_digit()) {
                let n = [
                    "0",
                    "99999999999999999999",
                    "-1",
                    "4294967295",
                    "65535",
                    "0.001",
                    "1e9",
                ];
                let number = rng.pick::<&str>(&n);
                s.replace_range(i..i + 1, number);
            }
        }
    }
    s
}

/// What one input did, if not an answer or a typed error.
fn run_one(what: &str, input: &str, f: impl FnOnce()) -> Option<String> {
    let start = Instant::now();
    let outcome = catch_unwind(AssertUnwindSafe(f));
    let took = start.elapsed();
    match outcome {
        Err(payload) => {
            let msg = payload
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| payload.downcast_ref::<String>().cloned())
                .unwrap_or_default();
            Some(format!("{what} panicked: {msg}\ninput: {input}"))
        }
        Ok(()) if took > Duration::from_secs(5) => {
            Some(format!("{what} took {took:?}\ninput: {input}"))
        }
        Ok(()) => None,
    }
}

/// The codes a front-end may see.
fn check_code(code: &str) -> Option<String> {
    (!shequ::error::ALL_ERROR_CODES.contains(&code))
        .then(|| format!("code `{code}` is not in ALL_ERROR_CODES"))
}

fn request(input: &str) -> Option<String> {
    let mut found = None;
    let mut first = None;
    if let Some(f) = run_one("compute_json", input, || {
        first = Some(
            shequ::ffi::compute_json(input)
                .map(|_| ())
                .map_err(|e| e.code),
        );
    }) {
        return Some(f);
    }
    if let Some(Err(code)) = &first {
        found = check_code(code);
    }
    if found.is_none() {
        found = run_one("compliance_json", input, || {
            if let Err(e) = shequ::ffi::compliance_json(input) {
                assert!(
                    shequ::error::ALL_ERROR_CODES.contains(&e.code.as_str()),
                    "{}",
                    e.code
                );
            }
        });
    }
    if found.is_none() && matches!(first, Some(Ok(()))) {
        // An answer: explain it too (every sentence, both languages).
        found = run_one("explain", input, || {
            if let Ok(mut v) = serde_json::from_str::<Value>(input) {
                v["explain"] = json!("en");
                let _ = shequ::ffi::compute_json(&v.to_string());
                let id = v["communities"][0]["id"]
                    .as_str()
                    .unwrap_or("C1")
                    .to_string();
                let _ = shequ::ffi::explain_json(&v.to_string(), &id, "zh");
            }
        });
    }
    found
}

fn policy(text: &str) -> Option<String> {
    run_one("Policy::from_toml", text, || {
        if let Ok(p) = shequ::Policy::from_toml(text, "fuzz.toml") {
            // A policy that reads: compute with it, and dump it.
            let request = json!({"policy": {"toml": text}, "year": 2026, "quota": "warn",
                "parameters": {}, "communities": [{"id": "C1", "households": 2750, "rating": "ordinary", "stars": 5, "grids": 3}],
                "people": [{"id": "P1", "community": "C1", "post": p.file().posts.first().map(|x| x.id.clone()).unwrap_or_default(), "start": "2015-03-01"}]});
            let _ = shequ::ffi::compute_json(&request.to_string());
            let _ = shequ::ffi::compliance_json(&request.to_string());
            let _ = serde_json::to_string(p.file());
        }
    })
}

#[test]
fn fuzz_the_json_boundary_and_the_policy_reader() {
    let seconds: u64 = std::env::var("SHEQU_FUZZ_SECONDS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(3);
    let seed: u64 = std::env::var("SHEQU_FUZZ_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| {
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(1, |d| d.as_nanos() as u64)
                | 1
        });
    let requests = request_seeds();
    let policies = policy_seeds();
    assert!(requests.len() > 80 && !policies.is_empty());
    let mut rng = Rng(seed);
    let quiet = std::panic::take_hook();
    std::panic::set_hook(Box::new(|_| {}));
    let deadline = Instant::now() + Duration::from_secs(seconds);
    let (mut runs, mut policy_runs) = (0u64, 0u64);
    let mut finding = None;
    // Each seed once as it is, then mutants until the time is up.
    for r in &requests {
        finding = finding.or_else(|| request(r));
        runs += 1;
    }
    for p in &policies {
        finding = finding.or_else(|| policy(p));
        policy_runs += 1;
    }
    while finding.is_none() && Instant::now() < deadline {
        if rng.chance(4) {
            let base = rng.pick(&policies).clone();
            let mut text = base;
            for _ in 0..=rng.below(3) {
                let other = rng.pick(&policies).clone();
                text = mutate_text(&mut rng, &text, &other);
            }
            finding = policy(&text);
            policy_runs += 1;
            continue;
        }
        let base = rng.pick(&requests).clone();
        let text = match serde_json::from_str::<Value>(&base) {
            Ok(mut v) if !rng.chance(5) => {
                for _ in 0..=rng.below(4) {
                    mutate_json(&mut rng, &mut v);
                }
                v.to_string()
            }
            _ => {
                let other = rng.pick(&requests).clone();
                mutate_text(&mut rng, &base, &other)
            }
        };
        finding = request(&text);
        runs += 1;
    }
    std::panic::set_hook(quiet);
    eprintln!("fuzz: seed {seed}, {runs} requests and {policy_runs} policies in {seconds} s");
    if let Some(f) = finding {
        let dir = root().join("tests/out/fuzz");
        let _ = std::fs::create_dir_all(&dir);
        let file = dir.join(format!("finding-{seed}.txt"));
        let _ = std::fs::write(&file, &f);
        panic!(
            "fuzz finding (replay with SHEQU_FUZZ_SEED={seed}; written to {}):\n{f}",
            file.display()
        );
    }
}
