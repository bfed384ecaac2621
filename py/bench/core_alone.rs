//! The Rust core alone on the city the Python benchmark uses
//! (`py/bench/bench.py` runs this and compares):
//!
//! ```text
//! cargo run --release -p shequ-py --example core_alone -- [COMMUNITIES] [RUNS] [OPTIONS]
//!   --city realistic|synthetic   the city (default realistic: shequ::realistic::city,
//!                                under core/benches/realistic-city.toml); synthetic is
//!                                the older Jiayuguan-shaped city (samples::synthetic)
//!   --seed N                     the city's seed (default 1)
//!   --totals FILE                write the last budget's totals by community to FILE
//!                                (CSV: community,amount), for the caller to compare
//! ```
//!
//! The city is built once (timed apart: `generate_s` for the generator,
//! `input_s` for turning it into an `Input`); then only `Policy::budget`
//! is timed, `RUNS` times, each run after the previous budget is freed.
//! Prints one line of JSON: the input size, the total and the totals by
//! payer, the seconds of each run (in order) and their best and median.
//! With `--features bench-mimalloc` it uses the Python extension's
//! allocator; bench.py builds it once per allocator.
//!
//! Only the public API is used (`Policy::budget`, `Budget.totals`), so the
//! benchmark survives changes of the engine's insides.
#![allow(clippy::unwrap_used, clippy::expect_used)]

#[cfg(feature = "bench-mimalloc")]
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

use shequ::{realistic, samples, BudgetOptions, Policy};
use std::io::Write;
use std::time::Instant;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut positional = Vec::new();
    let (mut city, mut seed, mut totals_file) = ("realistic".to_string(), 1u64, None);
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        match a.as_str() {
            "--city" => city = args.next().ok_or("--city needs a value")?,
            "--seed" => seed = args.next().ok_or("--seed needs a value")?.parse()?,
            "--totals" => totals_file = Some(args.next().ok_or("--totals needs a file")?),
            _ => positional.push(a),
        }
    }
    let communities: usize = positional.first().map_or(Ok(10_000), |a| a.parse())?;
    let runs: usize = positional.get(1).map_or(Ok(5), |a| a.parse())?;

    let t = Instant::now();
    let (policy, input, generate_s, options): (Policy, shequ::Frame, f64, BudgetOptions) =
        match city.as_str() {
            "realistic" => {
                let generated = realistic::city(communities, seed);
                let generate_s = t.elapsed().as_secs_f64();
                let input = generated.to_frame()?;
                (
                    realistic::policy()?,
                    input,
                    generate_s,
                    BudgetOptions::year(realistic::YEAR),
                )
            }
            "synthetic" => {
                let input = shequ::Frame::from_input(&samples::synthetic(
                    "jiayuguan-2020-97",
                    communities,
                    seed,
                ))?;
                let generate_s = t.elapsed().as_secs_f64();
                (
                    Policy::builtin("jiayuguan-2020-97")?,
                    input,
                    generate_s,
                    BudgetOptions::year(2026),
                )
            }
            other => return Err(format!("unknown city `{other}`: realistic or synthetic").into()),
        };
    let input_s = t.elapsed().as_secs_f64() - generate_s;
    let input = std::sync::Arc::new(input);

    let mut times = Vec::with_capacity(runs);
    let mut last = None;
    for _ in 0..runs.max(1) {
        // Free the previous run's budget first: freeing is not computing.
        drop(last.take());
        let t = Instant::now();
        let budget = policy.budget_of(std::sync::Arc::clone(&input), &options)?;
        times.push(t.elapsed().as_secs_f64());
        last = Some(budget);
    }
    let budget = last.ok_or("no run")?;
    if let Some(path) = totals_file {
        let mut out = std::io::BufWriter::new(std::fs::File::create(path)?);
        writeln!(out, "community,amount")?;
        for (community, amount) in budget.community_totals() {
            writeln!(out, "{community},{amount}")?;
        }
        out.flush()?;
    }
    let by_payer: Vec<String> = budget
        .totals
        .by_payer
        .iter()
        .map(|(p, a)| format!("\"{p}\": \"{a}\""))
        .collect();
    let each: Vec<String> = times.iter().map(|t| format!("{t:.6}")).collect();
    times.sort_by(f64::total_cmp);
    let posts = input.holdings.len();
    println!(
        "{{\"city\": \"{city}\", \"communities\": {}, \"people\": {}, \"post_rows\": {posts}, \"total\": \"{}\", \"by_payer\": {{{}}}, \"generate_s\": {generate_s:.6}, \"input_s\": {input_s:.6}, \"best_s\": {:.6}, \"median_s\": {:.6}, \"runs\": {}, \"times_s\": [{}], \"allocator\": \"{}\"}}",
        input.communities.len(),
        input.people.len(),
        budget.totals.overall,
        by_payer.join(", "),
        times[0],
        times[times.len() / 2],
        times.len(),
        each.join(", "),
        if cfg!(feature = "bench-mimalloc") { "mimalloc" } else { "system" }
    );
    Ok(())
}
