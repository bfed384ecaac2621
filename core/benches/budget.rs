//! Speed of whole-city budgets (criterion). Run: `cargo bench -p shequ`.
//!
//! Cities come from `shequ::samples::synthetic`: Jilin-shaped cities have 9
//! committee members per community; Jiayuguan-shaped ones 9 committee and 20
//! group members (so 10000 communities ≈ 290000 people).
//!
//! `realistic/*` is the realistic city of `shequ::realistic::city` (integer
//! ids in no order, about 31 people rows per community, one person in twelve
//! holding two posts; `cargo bench -p shequ -- realistic`) under the bench
//! policy `core/benches/realistic-city.toml`, through `Policy::budget` only:
//! the city is built as an `Input` once, outside the timing.
#![allow(missing_docs, clippy::unwrap_used, clippy::expect_used)]

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion};
use shequ::{samples, BudgetOptions, Policy, QuotaMode};
use std::time::Duration;

fn budgets(c: &mut Criterion) {
    let mut group = c.benchmark_group("budget");
    group
        .sample_size(10)
        .measurement_time(Duration::from_secs(8))
        .warm_up_time(Duration::from_secs(1));
    for (policy_id, sizes) in [
        ("jilin-2011-13", &[1_000usize, 10_000][..]),
        ("jiayuguan-2020-97", &[1_000, 10_000][..]),
    ] {
        let policy = Policy::builtin(policy_id).unwrap();
        for &n in sizes {
            let input = samples::synthetic(policy_id, n, 7);
            let opts = BudgetOptions::year(2026).quota(QuotaMode::Warn);
            group.bench_with_input(BenchmarkId::new(policy_id, n), &input, |b, input| {
                b.iter(|| policy.budget(input, &opts).unwrap())
            });
        }
    }
    let policy = Policy::builtin("jiayuguan-2020-97").unwrap();
    let request = serde_json::json!({"policy": "jiayuguan-2020-97", "year": 2026, "communities": [], "people": []});
    let mut request = request;
    let rows = samples::as_rows(&samples::Sample {
        id: "bench",
        policy: "jiayuguan-2020-97",
        year: 2026,
        input: samples::synthetic("jiayuguan-2020-97", 1_000, 7),
        parameters: Default::default(),
    });
    request["communities"] = rows["communities"].clone();
    request["people"] = rows["people"].clone();
    let text = request.to_string();
    group.bench_function("jiayuguan-2020-97/1000 via JSON", |b| {
        b.iter(|| shequ::ffi::compute_json(&text).unwrap())
    });
    drop(policy);
    group.finish();
}

fn realistic(c: &mut Criterion) {
    let mut group = c.benchmark_group("realistic");
    group
        .sample_size(10)
        .measurement_time(Duration::from_secs(8))
        .warm_up_time(Duration::from_secs(1));
    let policy = shequ::realistic::policy().unwrap();
    let opts = BudgetOptions::year(shequ::realistic::YEAR);
    for n in [1_000usize, 10_000] {
        let input = std::sync::Arc::new(shequ::realistic::city(n, 1).to_frame().unwrap());
        group.bench_with_input(BenchmarkId::new("realistic-city", n), &input, |b, input| {
            b.iter(|| {
                policy
                    .budget_of(std::sync::Arc::clone(input), &opts)
                    .unwrap()
            })
        });
    }
    group.finish();
}

criterion_group!(benches, budgets, realistic);
criterion_main!(benches);
