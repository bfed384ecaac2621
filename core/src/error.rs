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
        /// Its label in Chinese, as the policy writes it.
        label: String,
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

impl RecordKind {
    /// The kind in Chinese.
    pub fn zh(self) -> &'static str {
        match self {
            RecordKind::Community => "社区",
            RecordKind::Person => "人员",
            RecordKind::Adjustment => "调整项",
            RecordKind::Parameter => "参数",
            RecordKind::Request => "请求",
        }
    }
}

impl RecordRef {
    /// The record in Chinese: `社区 C003(第 3 条记录)`.
    pub fn zh(&self) -> String {
        let mut s = self.kind.zh().to_string();
        if let Some(id) = &self.id {
            s.push(' ');
            s.push_str(id);
        }
        if let Some(i) = self.index {
            s.push_str(&format!("(第 {} 条记录)", i + 1));
        }
        s
    }
}

/// What an error code means, in Chinese: the first part of every Chinese
/// message (see [`Error::zh`]). Every code of [`ALL_ERROR_CODES`] has one (a
/// test checks); `None` for a code shequ does not know.
///
/// ```
/// assert_eq!(shequ::error::zh_summary("negative_households"), Some("户数为负数"));
/// ```
pub fn zh_summary(code: &str) -> Option<&'static str> {
    Some(match code {
        "missing_field" => "缺少必填字段",
        "empty_id" => "编号为空",
        "duplicate_id" => "编号重复",
        "negative_households" => "户数为负数",
        "absurd_households" => "户数大得不合常理",
        "fractional_households" => "户数不是整数",
        "unknown_rating" => "政策中没有这个评级",
        "missing_rating" => "社区缺少评级(或评分)",
        "unknown_post" => "政策中没有这个职务",
        "unknown_community" => "所在社区不在社区表中",
        "unknown_rule" => "调整项所指的项目不在政策中",
        "start_after_end" => "任职起始日期晚于终止日期",
        "invalid_date" => "日期无法识别(应为 年-月-日)",
        "invalid_number" => "数字无法识别",
        "out_of_range" => "数值超出允许范围",
        "conflicting_rows" => "同一人员的几行记录互相矛盾",
        "no_posts" => "人员没有任何职务",
        "duplicate_field" => "同一字段(列)给了两次",
        "invalid_table" => "表格无法读取(各列长短不一,或某列的类型无法读取)",
        "unknown_parameter" => "政策没有声明这个参数(名称是否拼错?)",
        "policy_syntax" => "政策文件格式有误",
        "policy_split_sum" => "分担比例合计不是百分之百",
        "policy_overlapping_dates" => "分段取值的日期重叠或颠倒",
        "policy_unknown_reference" => "政策文件引用了未定义的职务、出资方、评级或项目",
        "policy_invalid_value" => "政策文件中的取值无效",
        "policy_not_found" => "没有这个内置政策",
        "policy_bad_override" => "要改的取值在政策中不存在",
        "quota_exceeded" => "评级超出限额",
        "missing_parameter" => "缺少政策参数",
        "overflow" => "金额过大,无法精确计算",
        "bad_request" => "请求有误,无法读取",
        _ => return None,
    })
}

/// The Chinese parts of a message written `English; 中文`: each runs from a
/// `; ` followed by a Chinese character to the end of the message, or to the
/// `)` closing the bracket it was written in.
fn chinese_parts(message: &str) -> Vec<&str> {
    let is_han = |c: char| ('\u{4e00}'..='\u{9fff}').contains(&c);
    let mut out = Vec::new();
    let mut depth = 0usize;
    let mut chars = message.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        match c {
            '(' => depth = depth.saturating_add(1),
            ')' => depth = depth.saturating_sub(1),
            ';' if message.get(i..).is_some_and(|t| t.starts_with("; "))
                && message
                    .get(i.saturating_add(2)..)
                    .and_then(|t| t.chars().next())
                    .is_some_and(is_han) =>
            {
                let start = i.saturating_add(2);
                let rest = message.get(start..).unwrap_or("");
                // Inside a bracket: up to the `)` that closes it.
                let mut inner = 0usize;
                // An English bracket after it (` (sheet …`) is not its.
                let mut end = rest
                    .match_indices(" (")
                    .find(|(k, _)| {
                        rest.get(k.saturating_add(2)..)
                            .and_then(|t| t.chars().next())
                            .is_some_and(|c| c.is_ascii_alphabetic())
                    })
                    .map_or(rest.len(), |(k, _)| k);
                for (k, d) in rest.char_indices().take_while(|(k, _)| *k < end) {
                    match d {
                        '(' => inner = inner.saturating_add(1),
                        ')' if inner > 0 => inner = inner.saturating_sub(1),
                        ')' if depth > 0 => {
                            end = k;
                            break;
                        }
                        _ => {}
                    }
                }
                out.push(rest.get(..end).unwrap_or(rest).trim_end());
                // Skip what was taken.
                let stop = start.saturating_add(end);
                while chars.peek().is_some_and(|(k, _)| *k < stop) {
                    chars.next();
                }
            }
            _ => {}
        }
    }
    out
}

/// The first value a message quotes in backticks (the value at fault).
fn quoted(message: &str) -> Option<&str> {
    let start = message.find('`')? + 1;
    let len = message.get(start..)?.find('`')?;
    message.get(start..start + len)
}

impl InputError {
    /// The error in Chinese: what is wrong and the value at fault, then the
    /// record and the field (`户数为负数(值:-5):社区 C003(第 3 条记录),字段 户数(households)`).
    pub fn zh(&self) -> String {
        // A message that carries its own Chinese (`…; 政策中没有职务…`, a
        // sheet's `(…; 工作表“人员”第 4 行)`) is said in that Chinese.
        // What is wrong comes first, always in the same words.
        let own = chinese_parts(&self.message);
        let mut s = zh_summary(self.code.as_str())
            .unwrap_or(self.code.as_str())
            .to_string();
        if !own.is_empty() {
            s.push('(');
            s.push_str(&own.join(";"));
            s.push(')');
        } else if let Some(v) = quoted(&self.message).filter(|v| *v != self.field) {
            s.push_str("(值:");
            s.push_str(v);
            s.push(')');
        }
        s.push(':');
        s.push_str(&self.record.zh());
        if !self.field.is_empty() {
            s.push_str(",字段 ");
            s.push_str(&crate::lang::column_named(&self.field));
        }
        s
    }
}

impl PolicyError {
    /// The error in Chinese: what is wrong, then the file, line and key.
    pub fn zh(&self) -> String {
        let mut s = zh_summary(self.code.as_str())
            .unwrap_or(self.code.as_str())
            .to_string();
        if let Some(v) = quoted(&self.message) {
            s.push('(');
            s.push_str(v);
            s.push(')');
        }
        s.push_str(&format!(":政策文件 {}", self.origin));
        if let Some(l) = self.line {
            s.push_str(&format!(" 第 {l} 行"));
        }
        if let Some(k) = &self.key {
            s.push_str(",键 ");
            s.push_str(k);
        }
        s
    }
}

impl Error {
    /// The error in Chinese, from its parts (the English is
    /// [`std::fmt::Display`]); every code has one.
    ///
    /// ```
    /// let err = shequ::Policy::builtin("atlantis").unwrap_err();
    /// assert!(err.zh().starts_with("没有这个内置政策"), "{}", err.zh());
    /// ```
    pub fn zh(&self) -> String {
        match self {
            Error::Policy(p) if p.code == PolicyErrorCode::PolicyNotFound => {
                format!(
                    "没有这个内置政策:{}",
                    quoted(&p.message).unwrap_or(p.origin.as_str())
                )
            }
            Error::Policy(p) => p.zh(),
            Error::Input(i) => i.zh(),
            Error::QuotaExceeded {
                label,
                count,
                cap,
                total,
                clause,
                ..
            } => format!(
                "评级超出限额:{count} 个社区评为{label},按条款 {clause},{total} 个社区中至多 {cap} 个"
            ),
            Error::MissingParameter { name, clause, .. } => format!(
                "缺少政策参数 {name}:条款 {clause} 要用到它,文件未规定数额,须由使用者提供"
            ),
            Error::Overflow { .. } => "金额过大,无法精确计算".to_string(),
            Error::BadRequest { message } => {
                let mut s = "请求有误,无法读取".to_string();
                // A CSV or JSON text names its line: say it in Chinese.
                let line = message
                    .split("line ")
                    .nth(1)
                    .and_then(|r| r.split(|c: char| !c.is_ascii_digit()).next())
                    .filter(|n| !n.is_empty());
                if message.starts_with("CSV") {
                    s = "CSV 格式有误".to_string();
                }
                if let Some(n) = line {
                    s.push_str(&format!("(第 {n} 行)"));
                } else if let Some(v) = quoted(message) {
                    s.push_str(&format!("({v})"));
                }
                s
            }
        }
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

#[cfg(test)]
mod chinese_part_tests {
    use super::chinese_parts;

    #[test]
    fn a_message_with_its_own_chinese_is_said_in_it() {
        let m = "unknown post `x`; this policy knows a (write one); 政策中没有职务“x”(如不支付,可设 unknown_posts = skip 跳过) (sheet `人员`, row 4; 工作表“人员”第 4 行)";
        assert_eq!(
            chinese_parts(m),
            vec![
                "政策中没有职务“x”(如不支付,可设 unknown_posts = skip 跳过)",
                "工作表“人员”第 4 行"
            ]
        );
        assert!(chinese_parts("`-5` is negative; paid as given").is_empty());
    }
}
