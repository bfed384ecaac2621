//! Times one large synthetic budget (for profiling): `cargo run --release --example profile_budget -- jilin-2011-13 10000`.
use shequ::{samples, BudgetOptions, Policy, QuotaMode};
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
    Ok(())
}
