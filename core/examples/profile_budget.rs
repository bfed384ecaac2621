//! Times one large synthetic budget (for profiling):
//! `cargo run --release --example profile_budget -- jilin-2011-13 10000 [runs] [json]`.
//!
//! With `json` as the fourth argument it also times the path the WASM form
//! takes, stage by stage: the request as JSON text, parsed, read into
//! typed input, the budget, and the summary serialised.
//!
//! It runs on mimalloc, the allocator of the Python extension: with glibc's
//! malloc the run-to-run cost is dominated by the big item arrays going back
//! to the OS and faulting in again, which hides the engine's own changes.

#[global_allocator]
static ALLOC: mimalloc::MiMalloc = mimalloc::MiMalloc;
use shequ::{ffi, samples, BudgetOptions, Policy, QuotaMode};
use std::time::Instant;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let policy_id = args.next().unwrap_or_else(|| "jilin-2011-13".into());
    let n: usize = args
        .next()
        .map(|s| s.parse())
        .transpose()?
        .unwrap_or(10_000);
    let runs: usize = args.next().map(|s| s.parse()).transpose()?.unwrap_or(5);
    let json = args.next().as_deref() == Some("json");
    let policy = Policy::builtin(&policy_id)?;
    let input = samples::synthetic(&policy_id, n, 7);
    let opts = BudgetOptions::year(2026).quota(QuotaMode::Warn);
    for _ in 0..runs {
        let t = Instant::now();
        let b = policy.budget(&input, &opts)?;
        println!(
            "{policy_id} {n} communities, {} people: {} items in {:?}",
            input.people.len(),
            b.items.len(),
            t.elapsed()
        );
    }
    if json {
        let sample = samples::for_policy(&policy_id).ok_or("no sample for this policy")?;
        let mut request = samples::as_rows(&samples::Sample { input, ..sample });
        request["quota"] = "warn".into();
        let text = request.to_string();
        println!("request: {} MB of JSON", text.len() / 1_000_000);
        for _ in 0..runs {
            let t0 = Instant::now();
            let req: ffi::Request = serde_json::from_str(&text)?;
            let t1 = Instant::now();
            let input = ffi::read_frame(&req).map_err(|e| e.to_string())?;
            let t2 = Instant::now();
            let b = policy
                .budget_of(
                    std::sync::Arc::new(input),
                    &ffi::options(&req).map_err(|e| e.to_string())?,
                )
                .map_err(|e| e.to_string())?;
            let t3 = Instant::now();
            let summary = serde_json::to_string(&b.summary())?;
            let t4 = Instant::now();
            println!(
                "parse {:?}, read {:?}, budget {:?}, summary {:?} ({} KB); total {:?}",
                t1 - t0,
                t2 - t1,
                t3 - t2,
                t4 - t3,
                summary.len() / 1000,
                t4 - t0
            );
        }
    }
    Ok(())
}
