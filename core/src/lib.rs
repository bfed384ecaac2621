#![doc = include_str!("../../README.md")]
#![forbid(unsafe_code)]
#![deny(missing_docs)]

//! # How data flows
//!
//! A value passes through these files, in this order:
//!
//! 1. `read/` — a front-end's tables ([`read::Table`]: Arrow columns, JSON,
//!    Python dicts) or the bureau's files (`read/sheet.rs`: `.xlsx`, `.xls`,
//!    `.ods`, CSV in UTF-8 or GBK, read into the same tables) are read into
//!    a [`frame::Frame`]: each header by `read/headers.rs` (Chinese and
//!    English labels, a policy's own), each cell by one rule of
//!    `read/value.rs` — or, for columns of one type (Arrow's, or cells that
//!    all hold one kind), a column at a time by `read/fast.rs`, which gives
//!    the same frame; `frame.rs` puts the frame together (ids interned by
//!    `ids.rs`, references, a person's rows). Typed records ([`Input`]) take the same
//!    way in through [`frame::Frame::from_input`].
//! 2. `policy/` — a policy file is read (`reader.rs`), checked
//!    (`validate.rs`, each kind's own checks in its file) and held as a
//!    [`Policy`].
//! 3. `engine/check.rs` — what the policy makes of the input: its posts and
//!    ratings, plausible households and dates, the rule of each
//!    adjustment; `engine/ratings.rs` — the ratings paid at, under the quota.
//! 4. `engine/rules/<kind>.rs` — each rule kind computes its items into
//!    the budget's columns ([`ledger::Items`], whole fen), `engine/mod.rs`
//!    runs them community by community and sums them.
//! 5. `explain.rs` — the words: each item's sentence, provenance and the
//!    "why not" notes, written when asked for from the budget, the policy
//!    and the input; the JSON of a budget.
//! 6. `compliance/` — the report of what a policy requires and the city
//!    lacks, each check kind in its own file.
//! 7. `report/` — the budget as people read it, from a [`Budget`]
//!    directly: the Excel workbook (`report/xlsx.rs`, feature `xlsx`), the
//!    items as CSV and the printout (`report/text.rs`), in Chinese (in the
//!    policy's script, [`lang::Script`]) or English.
//! 8. `ffi/` — the JSON boundary every front-end shares (`ffi/record.rs`
//!    reads a request's rows or columns as cells; `ffi/binary.rs` the
//!    browser's typed columns).

pub mod budget;
pub mod compliance;
pub mod diff;
pub mod engine;
pub mod error;
pub mod explain;
pub mod ffi;
pub mod frame;
pub mod ids;
pub mod input;
pub mod lang;
pub mod ledger;
pub mod money;
pub mod notes;
pub mod options;
pub mod parallel;
pub mod plan;
pub mod policy;
pub mod provenance;
pub mod read;
pub mod realistic;
pub mod report;
pub mod samples;
pub mod script;
pub mod suggest;

pub use budget::{Budget, BudgetOptions, QuotaMode, RatingSource};
pub use error::{Error, InputError, PolicyError, Result};
pub use explain::Item;
pub use frame::Frame;
pub use ids::Id;
pub use input::{Adjustment, Community, Input, Person, PostHolding};
pub use lang::Lang;
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
        self.budget_of(std::sync::Arc::new(Frame::from_input(input)?), options)
    }

    /// The budget of an input already read (see [`read::frame`]); the
    /// budget keeps the frame (shared) to explain itself.
    ///
    /// # Errors
    /// As [`Policy::budget`].
    pub fn budget_of(
        &self,
        frame: std::sync::Arc<Frame>,
        options: &BudgetOptions,
    ) -> Result<Budget> {
        engine::run(self, frame, options)
    }

    /// Read a city from a file as the bureau keeps it: the bytes of an
    /// `.xlsx`, `.xls` or `.ods` workbook holding the communities, the
    /// people and the adjustments as sheets (named in Chinese or English,
    /// or told by their headers), or of one CSV or TSV table (UTF-8, UTF-16
    /// or GBK), with headers in Chinese or English ([`read::headers`] and
    /// this policy's own, [`Policy::headers`]). Title rows, empty rows and
    /// rows of totals are skipped, and the frame's notes say so (they go
    /// with the budget's warnings). See [`read::sheet`].
    ///
    /// # Errors
    /// `invalid_table` for a file that is not a spreadsheet or text shequ
    /// reads, `bad_request` for text that cannot be read as cells (a quote
    /// not closed); then as [`read::frame`], each error naming the sheet,
    /// its row and the header as written.
    ///
    /// ```
    /// use shequ::{BudgetOptions, Policy};
    /// let policy = Policy::builtin("jilin-2011-13")?;
    /// let csv = "社区编号,社区名称,户数,评级\n101,胜利社区,\"2,750\",一般\n";
    /// let frame = policy.read_file(csv.as_bytes(), Some("社区.csv"))?;
    /// let budget = policy.budget_of(std::sync::Arc::new(frame), &BudgetOptions::year(2026))?;
    /// assert_eq!(budget.rule_total("work_funds").to_string(), "41250.00");
    /// assert_eq!(budget.community_totals().next().map(|(id, _)| id), Some(shequ::Id::Int(101)));
    /// # Ok::<(), shequ::Error>(())
    /// ```
    pub fn read_file(&self, bytes: &[u8], name: Option<&str>) -> Result<Frame> {
        let headers = self.headers();
        let tables = read::sheet::read(bytes, name, &headers, None)?.into_tables();
        Ok(read::frame_with(&tables, &headers)?)
    }
}
