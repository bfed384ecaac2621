//! The command line's arguments (clap derive). Usage errors exit 2.

use crate::text::Lang;
use clap::{Args, Parser, Subcommand, ValueEnum};
use std::path::PathBuf;

/// shequ (社区):把社区治理政策变成精确到分的预算 / community-governance
/// policies turned into exact budgets.
#[derive(Debug, Parser)]
#[command(name = "shequ", version, propagate_version = true)]
pub struct Cli {
    /// 输出语言 / output language
    #[arg(long, value_enum, default_value_t = Lang::Zh, global = true)]
    pub lang: Lang,
    /// 子命令 / the command
    #[command(subcommand)]
    pub command: Command,
}

/// The commands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// 计算预算 / compute a budget
    Budget(BudgetArgs),
    /// 合规检查 / the compliance report
    Compliance(ReportArgs),
    /// 逐条说明一个社区或一名人员的预算 / the clause-by-clause story of one community or person
    Explain(ExplainArgs),
    /// 检查政策文件 / validate a policy file
    CheckPolicy(CheckPolicyArgs),
    /// 列出内置政策 / list the built-in policies
    Policies,
    /// 启动 HTTP JSON 服务 / run the HTTP JSON service
    Serve(ServeArgs),
}

/// What a budget, a compliance report or an explanation is computed from.
#[derive(Debug, Clone, Args)]
pub struct InputArgs {
    /// 政策:内置编号或 .toml 文件 / policy: a built-in id or a .toml file
    #[arg(long, value_name = "ID|FILE.toml", required_unless_present = "sample")]
    pub policy: Option<String>,
    /// 预算年份 / budget year
    #[arg(long, required_unless_present = "sample")]
    pub year: Option<i32>,
    /// 用内置样例代替文件 / use a bundled sample instead of files
    #[arg(long, value_name = "NAME", value_parser = clap::builder::PossibleValuesParser::new(shequ::samples::IDS))]
    pub sample: Option<String>,
    /// 社区表、人员表、调整项表(.xlsx .xls .ods .csv .tsv .json;一个工作簿可含全部三张表) / communities, people, adjustments (one workbook may hold all three)
    #[arg(
        value_name = "FILE",
        num_args = 1..=3,
        required_unless_present = "sample",
        conflicts_with = "sample"
    )]
    pub files: Vec<PathBuf>,
    /// 假设调整政策取值 / what-if: change a policy value (work_funds.rate=2000)
    #[arg(long = "set", value_name = "PATH=VALUE", value_parser = key_value)]
    pub set: Vec<(String, String)>,
    /// 政策参数 / a parameter the policy needs (deputy_salary_monthly=2600)
    #[arg(long = "param", value_name = "NAME=VALUE", value_parser = key_value)]
    pub param: Vec<(String, String)>,
    /// 评级超限时报错或警告 / a rating quota breach is an error or a warning
    #[arg(long, value_enum)]
    pub quota: Option<QuotaArg>,
    /// 评级来源 / where ratings come from
    #[arg(long, value_enum)]
    pub ratings: Option<RatingsArg>,
    /// 年内预算截止日期 / year to date: count months up to this date
    #[arg(long, value_name = "YYYY-MM-DD")]
    pub as_of: Option<String>,
    /// 政策中没有的职务:报错或跳过 / posts the policy does not know: refuse, or skip their rows
    #[arg(long, value_enum)]
    pub unknown_posts: Option<UnknownPostsArg>,
}

/// `--unknown-posts`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum UnknownPostsArg {
    /// 报错 / refuse the input
    Error,
    /// 跳过并提示 / skip each row, with a warning
    Skip,
}

impl UnknownPostsArg {
    /// As the request spells it.
    pub fn code(self) -> &'static str {
        match self {
            UnknownPostsArg::Error => "error",
            UnknownPostsArg::Skip => "skip",
        }
    }
}

/// `shequ budget`.
#[derive(Debug, Clone, Args)]
pub struct BudgetArgs {
    /// 输入 / the input
    #[command(flatten)]
    pub input: InputArgs,
    /// 输出文件(.xlsx 预算报表,.csv 明细,.json 完整结果) / write the Excel report (.xlsx), the items (.csv, .tsv) or the answer (.json)
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// 列出前 N 名 / how many communities and items to list
    #[arg(long, value_name = "N", default_value_t = 10)]
    pub top: usize,
}

/// `shequ compliance`.
#[derive(Debug, Clone, Args)]
pub struct ReportArgs {
    /// 输入 / the input
    #[command(flatten)]
    pub input: InputArgs,
    /// 输出文件(.xlsx、.csv 或 .json) / write the Excel report (.xlsx), the findings (.csv) or the report (.json)
    #[arg(short, long, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// 列出前 N 条 / how many findings to list
    #[arg(long, value_name = "N", default_value_t = 10)]
    pub top: usize,
}

/// `shequ explain`.
#[derive(Debug, Clone, Args)]
pub struct ExplainArgs {
    /// 输入 / the input
    #[command(flatten)]
    pub input: InputArgs,
    /// 社区编号(或名称) / the community's id (or name)
    #[arg(
        long,
        value_name = "ID",
        required_unless_present = "person",
        conflicts_with = "person"
    )]
    pub community: Option<String>,
    /// 人员编号(或姓名) / the person's id (or name)
    #[arg(long, value_name = "ID")]
    pub person: Option<String>,
}

/// `shequ check-policy`.
#[derive(Debug, Clone, Args)]
pub struct CheckPolicyArgs {
    /// 政策文件 / the policy file
    #[arg(value_name = "FILE.toml")]
    pub file: PathBuf,
}

/// Default `--max-body-bytes`: 64 MiB, a city of some 300 000 people rows.
pub const DEFAULT_MAX_BODY_BYTES: usize = 64 << 20;
/// Default `--max-rows`: communities, people and adjustments together.
pub const DEFAULT_MAX_ROWS: usize = 1_000_000;

/// `shequ serve`.
#[derive(Debug, Clone, Args)]
pub struct ServeArgs {
    /// 监听地址 / address to bind
    #[arg(long, default_value = "127.0.0.1")]
    pub host: String,
    /// 端口(0 为任选) / port (0: any free port)
    #[arg(long, default_value_t = 8080)]
    pub port: u16,
    /// 请求体上限(字节) / largest request body, in bytes
    #[arg(long, value_name = "N", default_value_t = DEFAULT_MAX_BODY_BYTES)]
    pub max_body_bytes: usize,
    /// 每个请求的行数上限 / most table rows in one request
    #[arg(long, value_name = "N", default_value_t = DEFAULT_MAX_ROWS)]
    pub max_rows: usize,
}

/// `--quota`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum QuotaArg {
    /// 报错 / refuse the budget
    Error,
    /// 警告 / pay as given, with a warning
    Warn,
}

/// `--ratings`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum RatingsArg {
    /// 给定评级 / the ratings given
    Given,
    /// 按得分评定 / assign from scores under the quota
    Scores,
    /// 自动 / scores when no community has a rating
    Auto,
}

impl QuotaArg {
    /// As the request spells it.
    pub fn code(self) -> &'static str {
        match self {
            QuotaArg::Error => "error",
            QuotaArg::Warn => "warn",
        }
    }
}

impl RatingsArg {
    /// As the request spells it.
    pub fn code(self) -> &'static str {
        match self {
            RatingsArg::Given => "given",
            RatingsArg::Scores => "scores",
            RatingsArg::Auto => "auto",
        }
    }
}

/// `KEY=VALUE`.
fn key_value(s: &str) -> Result<(String, String), String> {
    match s.split_once('=') {
        Some((k, v)) if !k.trim().is_empty() => Ok((k.trim().to_string(), v.trim().to_string())),
        _ => Err(format!("`{s}` is not KEY=VALUE")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn the_arguments_are_consistent() {
        Cli::command().debug_assert();
    }

    #[test]
    fn key_value_pairs() {
        assert_eq!(
            key_value("work_funds.rate=2000"),
            Ok(("work_funds.rate".into(), "2000".into()))
        );
        assert!(key_value("nothing").is_err());
        assert!(key_value("=5").is_err());
    }
}
