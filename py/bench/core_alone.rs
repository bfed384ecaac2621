//! The Rust core alone on the province-sized synthetic city the Python
//! benchmark uses (`py/bench/bench.py` runs this and compares):
//!
//! ```text
//! cargo run --release -p shequ-py --example core_alone -- [COMMUNITIES] [RUNS]
//! ```
//!
//! Prints one line of JSON: the input size, the total, the seconds of
//! `Policy::budget` in each run (in order) and their best and median. With
//! `--features bench-mimalloc` it uses the Python extension's allocator.
#![allow(clippy::unwrap_used, clippy::expect_used)]

#[cfg(feature = "bench-mimalloc")]
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

use shequ::{samples, BudgetOptions, Policy};
use std::time::Instant;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let communities: usize = args
        .next()
        .map(|a| a.parse())
        .transpose()?
        .unwrap_or(10_000);
    let runs: usize = args.next().map(|a| a.parse()).transpose()?.unwrap_or(5);
    let policy = Policy::builtin("jiayuguan-2020-97")?;
    let input = samples::synthetic("jiayuguan-2020-97", communities, 1);
    let options = BudgetOptions::year(2026);
    let mut times = Vec::with_capacity(runs);
    let mut total = String::new();
    for _ in 0..runs.max(1) {
        let t = Instant::now();
        let budget = policy.budget(&input, &options)?;
        times.push(t.elapsed().as_secs_f64());
        total = budget.totals.overall.to_string();
    }
    let each: Vec<String> = times.iter().map(|t| format!("{t:.6}")).collect();
    times.sort_by(f64::total_cmp);
    let posts: usize = input.people.iter().map(|p| p.posts.len()).sum();
    println!(
        "{{\"communities\": {}, \"people\": {}, \"post_rows\": {posts}, \"total\": \"{total}\", \"best_s\": {:.6}, \"median_s\": {:.6}, \"runs\": {}, \"times_s\": [{}], \"allocator\": \"{}\"}}",
        input.communities.len(),
        input.people.len(),
        times[0],
        times[times.len() / 2],
        times.len(),
        each.join(", "),
        if cfg!(feature = "bench-mimalloc") { "mimalloc" } else { "system" }
    );
    Ok(())
}
