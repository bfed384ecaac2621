#![doc = include_str!("../../README.md")]
#![forbid(unsafe_code)]
#![deny(missing_docs)]

pub mod budget;
pub mod compliance;
pub mod diff;
pub mod engine;
pub mod error;
pub mod explain;
pub mod ffi;
pub mod input;
pub mod money;
pub mod parallel;
pub mod policy;
pub mod realistic;
pub mod rows;
pub mod samples;

pub use budget::{Budget, BudgetOptions, Item, QuotaMode, RatingSource};
pub use error::{Error, InputError, PolicyError, Result};
pub use explain::Lang;
pub use input::{Adjustment, Community, Input, Person, PostHolding};
pub use policy::Policy;

impl Policy {
    /// Compute the budget `input` is owed under this policy.
    ///
    /// A city of 20 000 people and communities or more is computed in two
    /// halves at once on a machine with two cores or more (rayon's thread
    /// pool; never in WASM). The budget is the same, item for item, and so
    /// is the first error.
    ///
    /// # Errors
    /// An [`InputError`] naming the record and field for bad input;
    /// `quota_exceeded` when given ratings break a quota and the options ask
    /// for an error; `overflow` for amounts too large to compute exactly.
    ///
    /// ```
    /// use shequ::{Policy, Input, Community, BudgetOptions};
    /// let policy = Policy::builtin("jilin-2011-13")?;
    /// let input = Input { communities: vec![Community::new("C1", "社区A", 2750).with_rating("ordinary")], ..Default::default() };
    /// let budget = policy.budget(&input, &BudgetOptions::year(2026))?;
    /// assert_eq!(budget.rule_total("work_funds").to_string(), "41250.00");
    /// assert_eq!(budget.payer_total("city").to_string(), "20625.00");
    /// # Ok::<(), shequ::Error>(())
    /// ```
    pub fn budget(&self, input: &Input, options: &BudgetOptions) -> Result<Budget> {
        engine::run(self, input, options)
    }
}
