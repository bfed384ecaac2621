//! Errors: one enum for every fallible operation, each variant with a stable
//! snake_case [`Error::code`] that the Python and JavaScript front-ends expose
//! unchanged.
//!
//! Messages are lowercase, name the record and the field, and put user input
//! in backticks.

use serde::Serialize;
use std::fmt;

/// Which kind of input record an [`InputError`] is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum RecordKind {
    /// A community row.
    Community,
    /// A person (or one post-holding row of a person).
    Person,
    /// A user-supplied adjustment line.
    Adjustment,
    /// A caller-supplied parameter.
    Parameter,
    /// The request as a whole (year, options).
    Request,
}

impl fmt::Display for RecordKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            RecordKind::Community => "community",
            RecordKind::Person => "person",
            RecordKind::Adjustment => "adjustment",
            RecordKind::Parameter => "parameter",
            RecordKind::Request => "request",
        })
    }
}

/// The record an input error points at: its kind, its position in the
/// caller's list (0-based) and its id when it has one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RecordRef {
    /// What kind of record.
    pub kind: RecordKind,
    /// Position in the list the caller passed (0-based), when known.
    pub index: Option<usize>,
    /// The record's id, when it has one.
    pub id: Option<String>,
}

impl RecordRef {
    /// A record identified by position and id.
    pub fn new(kind: RecordKind, index: usize, id: impl Into<String>) -> Self {
        RecordRef {
            kind,
            index: Some(index),
            id: Some(id.into()),
        }
    }

    /// The request as a whole (its year, as-of date, options).
    pub fn request() -> Self {
        RecordRef {
            kind: RecordKind::Request,
            index: None,
            id: None,
        }
    }
}

impl fmt::Display for RecordRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.kind)?;
        if let Some(id) = &self.id {
            write!(f, " `{id}`")?;
        }
        if let Some(i) = self.index {
            // Say both: people count rows from 1, dataframes from 0.
            write!(f, " (row {}, index {i})", i + 1)?;
        }
        Ok(())
    }
}

/// Stable codes of input errors.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum InputErrorCode {
    /// A required field is absent or null.
    MissingField,
    /// An id is empty.
    EmptyId,
    /// Two records share an id.
    DuplicateId,
    /// A household count below zero.
    NegativeHouseholds,
    /// A household count above the plausible maximum.
    AbsurdHouseholds,
    /// A household count with a fractional part (or NaN).
    FractionalHouseholds,
    /// A rating the policy does not know.
    UnknownRating,
    /// The policy needs a rating (or scores) and the community has none.
    MissingRating,
    /// A post the policy does not know.
    UnknownPost,
    /// A person in a community that is not in the input.
    UnknownCommunity,
    /// An adjustment naming a rule the policy does not have.
    UnknownRule,
    /// A post held from a date after its end date.
    StartAfterEnd,
    /// A date that cannot be read.
    InvalidDate,
    /// A number that cannot be read (or a float where money is expected).
    InvalidNumber,
    /// A value outside its allowed range (a year, a star count, a score).
    OutOfRange,
    /// Rows of one person that disagree (community, serving flag).
    ConflictingRows,
    /// A person with no post at all.
    NoPosts,
    /// A record or table that gives a field (a column) twice.
    DuplicateField,
    /// A table whose columns do not line up (a declared row count that is
    /// not the data's).
    InvalidTable,
    /// A parameter the policy does not declare (a misspelt name).
    UnknownParameter,
}

impl InputErrorCode {
    /// The stable snake_case code.
    pub fn as_str(self) -> &'static str {
        match self {
            InputErrorCode::MissingField => "missing_field",
            InputErrorCode::EmptyId => "empty_id",
            InputErrorCode::DuplicateId => "duplicate_id",
            InputErrorCode::NegativeHouseholds => "negative_households",
            InputErrorCode::AbsurdHouseholds => "absurd_households",
            InputErrorCode::FractionalHouseholds => "fractional_households",
            InputErrorCode::UnknownRating => "unknown_rating",
            InputErrorCode::MissingRating => "missing_rating",
            InputErrorCode::UnknownPost => "unknown_post",
            InputErrorCode::UnknownCommunity => "unknown_community",
            InputErrorCode::UnknownRule => "unknown_rule",
            InputErrorCode::StartAfterEnd => "start_after_end",
            InputErrorCode::InvalidDate => "invalid_date",
            InputErrorCode::InvalidNumber => "invalid_number",
            InputErrorCode::OutOfRange => "out_of_range",
            InputErrorCode::ConflictingRows => "conflicting_rows",
            InputErrorCode::NoPosts => "no_posts",
            InputErrorCode::DuplicateField => "duplicate_field",
            InputErrorCode::InvalidTable => "invalid_table",
            InputErrorCode::UnknownParameter => "unknown_parameter",
        }
    }
}

/// Bad input: which record, which field, what is wrong.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, thiserror::Error)]
#[error("{record}, field `{field}`: {message}")]
pub struct InputError {
    /// Stable code.
    pub code: InputErrorCode,
    /// The record at fault.
    pub record: RecordRef,
    /// The field at fault.
    pub field: String,
    /// A lowercase message without final period.
    pub message: String,
}

impl InputError {
    /// Build an input error.
    pub fn new(
        code: InputErrorCode,
        record: RecordRef,
        field: &str,
        message: impl Into<String>,
    ) -> Self {
        InputError {
            code,
            record,
            field: field.to_string(),
            message: message.into(),
        }
    }
}

/// Stable codes of policy-file errors.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum PolicyErrorCode {
    /// Not valid TOML, an unknown key, a missing key or a wrong type.
    PolicySyntax,
    /// A payer split whose shares do not add up to 100%.
    PolicySplitSum,
    /// Dated values whose ranges overlap or run backwards.
    PolicyOverlappingDates,
    /// A reference to a post, payer, rating or rule the file does not define.
    PolicyUnknownReference,
    /// A value out of range (a negative amount, a zero unit, a share above 100%).
    PolicyInvalidValue,
    /// No built-in policy of that id.
    PolicyNotFound,
    /// An override path that names nothing in the policy.
    PolicyBadOverride,
}

impl PolicyErrorCode {
    /// The stable snake_case code.
    pub fn as_str(self) -> &'static str {
        match self {
            PolicyErrorCode::PolicySyntax => "policy_syntax",
            PolicyErrorCode::PolicySplitSum => "policy_split_sum",
            PolicyErrorCode::PolicyOverlappingDates => "policy_overlapping_dates",
            PolicyErrorCode::PolicyUnknownReference => "policy_unknown_reference",
            PolicyErrorCode::PolicyInvalidValue => "policy_invalid_value",
            PolicyErrorCode::PolicyNotFound => "policy_not_found",
            PolicyErrorCode::PolicyBadOverride => "policy_bad_override",
        }
    }
}

/// A policy file that cannot be used: the file, the line and the key.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, thiserror::Error)]
#[error("{origin}{}{}: {message}", line.map(|l| format!(", line {l}")).unwrap_or_default(), key.as_ref().map(|k| format!(", key `{k}`")).unwrap_or_default())]
pub struct PolicyError {
    /// Stable code.
    pub code: PolicyErrorCode,
    /// Where the text came from (a file name, or `<text>`).
    pub origin: String,
    /// 1-based line, when known.
    pub line: Option<usize>,
    /// Dotted key path, when known.
    pub key: Option<String>,
    /// What is wrong.
    pub message: String,
}

/// Every error shequ returns.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// A policy file that cannot be used.
    #[error("policy {0}")]
    Policy(#[from] PolicyError),
    /// Bad input data.
    #[error("input {0}")]
    Input(#[from] InputError),
    /// Given ratings exceed a quota and the caller asked for an error.
    #[error("rating quota exceeded: {count} communities rated `{rating}` but at most {cap} of {total} may be (clause {clause})")]
    QuotaExceeded {
        /// The rating over its cap.
        rating: String,
        /// How many communities have it.
        count: usize,
        /// The cap.
        cap: usize,
        /// Communities in scope.
        total: usize,
        /// Clause of the quota.
        clause: String,
    },
    /// A value the document does not give and the caller must supply.
    #[error("missing parameter `{name}`: the policy needs it for rule `{rule}` (clause {clause}) and does not state it")]
    MissingParameter {
        /// Parameter name.
        name: String,
        /// Rule that needs it.
        rule: String,
        /// Clause of the rule.
        clause: String,
    },
    /// An amount too large to compute exactly.
    #[error("arithmetic overflow computing {context}")]
    Overflow {
        /// What was being computed.
        context: String,
    },
    /// A request (JSON at the front-end boundary) that cannot be read.
    #[error("bad request: {message}")]
    BadRequest {
        /// What is wrong.
        message: String,
    },
}

impl Error {
    /// The stable snake_case code of this error, the same in every front-end.
    ///
    /// ```
    /// let err = shequ::Policy::builtin("atlantis").unwrap_err();
    /// assert_eq!(err.code(), "policy_not_found");
    /// ```
    pub fn code(&self) -> &'static str {
        match self {
            Error::Policy(p) => p.code.as_str(),
            Error::Input(i) => i.code.as_str(),
            Error::QuotaExceeded { .. } => "quota_exceeded",
            Error::MissingParameter { .. } => "missing_parameter",
            Error::Overflow { .. } => "overflow",
            Error::BadRequest { .. } => "bad_request",
        }
    }

    /// True for errors caused by the caller's data (rather than the policy):
    /// the Python binding makes these `ValueError`s.
    pub fn is_input(&self) -> bool {
        matches!(
            self,
            Error::Input(_)
                | Error::QuotaExceeded { .. }
                | Error::MissingParameter { .. }
                | Error::BadRequest { .. }
        )
    }
}

/// Every error code shequ can return; the cross-front-end vectors are tested
/// to cover each of them.
pub const ALL_ERROR_CODES: &[&str] = &[
    "missing_field",
    "empty_id",
    "duplicate_id",
    "negative_households",
    "absurd_households",
    "fractional_households",
    "unknown_rating",
    "missing_rating",
    "unknown_post",
    "unknown_community",
    "unknown_rule",
    "start_after_end",
    "invalid_date",
    "invalid_number",
    "out_of_range",
    "conflicting_rows",
    "no_posts",
    "duplicate_field",
    "invalid_table",
    "unknown_parameter",
    "policy_syntax",
    "policy_split_sum",
    "policy_overlapping_dates",
    "policy_unknown_reference",
    "policy_invalid_value",
    "policy_not_found",
    "policy_bad_override",
    "quota_exceeded",
    "missing_parameter",
    "overflow",
    "bad_request",
];

/// Shorthand for results in this crate.
pub type Result<T, E = Error> = std::result::Result<T, E>;
