//! What can go wrong on the command line, the exit code it gives and how it
//! is told: `error[code]: message`, then where (file, line, record, field,
//! key), in the chosen language where we have the words.

use crate::text::Lang;
use shequ::ffi::ErrorBody;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

/// Exit code for bad data or a bad policy (the core's typed errors, files
/// that cannot be read or written).
pub const EXIT_DATA: u8 = 1;
/// Exit code for a usage error (what clap uses too).
pub const EXIT_USAGE: u8 = 2;

/// Where an input table came from, to point an error at a file and line.
#[derive(Debug, Clone)]
pub struct Source {
    /// The file.
    pub path: PathBuf,
    /// The 1-based file line of each record, when the format has lines
    /// (CSV, TSV); filled only when an error needs it.
    pub line: Option<usize>,
}

/// An error of the command line.
#[derive(Debug)]
pub enum CliError {
    /// Arguments that do not make sense together (exit 2).
    Usage {
        /// In Chinese.
        zh: String,
        /// In English.
        en: String,
    },
    /// A file format shequ does not read or write yet (exit 2).
    Unsupported {
        /// The file.
        path: PathBuf,
        /// Its extension.
        ext: String,
    },
    /// A file that cannot be read or written (exit 1).
    Io {
        /// The file.
        path: PathBuf,
        /// Reading (true) or writing.
        reading: bool,
        /// The operating system's words.
        error: std::io::Error,
    },
    /// Bad data the command line itself finds (exit 1): a JSON file that is
    /// not a list of rows, a community not in the input.
    Data {
        /// Stable code.
        code: &'static str,
        /// The file at fault, if any.
        path: Option<PathBuf>,
        /// In Chinese.
        zh: String,
        /// In English.
        en: String,
    },
    /// The service cannot bind its address or start (exit 1).
    Serve {
        /// `host:port`.
        addr: String,
        /// The operating system's words.
        error: std::io::Error,
    },
    /// A typed error from the core (exit 1), with the file its record came
    /// from when it is about an input table.
    Core {
        /// The core's error (boxed: it is large and rare).
        body: Box<ErrorBody>,
        /// The file at fault.
        source: Option<Source>,
    },
}

impl CliError {
    /// A usage error in both languages.
    pub fn usage(zh: impl Into<String>, en: impl Into<String>) -> Self {
        CliError::Usage {
            zh: zh.into(),
            en: en.into(),
        }
    }

    /// A core error about no file in particular.
    pub fn core(body: ErrorBody) -> Self {
        CliError::Core {
            body: Box::new(body),
            source: None,
        }
    }

    /// A core error about one file (a CSV that does not parse, a JSON file
    /// that is not a list of rows).
    pub fn in_file(body: ErrorBody, path: &Path) -> Self {
        CliError::Core {
            body: Box::new(body),
            source: Some(Source {
                path: path.to_path_buf(),
                line: None,
            }),
        }
    }

    /// The process exit code.
    pub fn exit_code(&self) -> u8 {
        match self {
            CliError::Usage { .. } | CliError::Unsupported { .. } => EXIT_USAGE,
            CliError::Io { .. }
            | CliError::Data { .. }
            | CliError::Serve { .. }
            | CliError::Core { .. } => EXIT_DATA,
        }
    }

    /// The error as printed on stderr (ends with a newline).
    pub fn render(&self, lang: Lang) -> String {
        let zh = lang == Lang::Zh;
        let mut out = String::new();
        let head = if zh { "错误" } else { "error" };
        match self {
            CliError::Usage { zh: z, en } => {
                let _ = writeln!(out, "{head}[usage]{}{}", colon(lang), lang.pick(z, en));
                let _ = writeln!(
                    out,
                    "  {}",
                    lang.pick("用 --help 查看用法", "try --help for usage")
                );
            }
            CliError::Unsupported { path, ext } => {
                let _ = writeln!(
                    out,
                    "{head}[unsupported_format]{}{}",
                    colon(lang),
                    if zh {
                        format!(
                            "{}:暂不支持 .{ext} 文件(Excel 即将支持);请先另存为 CSV(UTF-8)",
                            path.display()
                        )
                    } else {
                        format!("{}: .{ext} files are not supported yet (Excel is coming); save as CSV (UTF-8) for now", path.display())
                    }
                );
            }
            CliError::Io {
                path,
                reading,
                error,
            } => {
                let what = match (reading, zh) {
                    (true, true) => "无法读取",
                    (false, true) => "无法写入",
                    (true, false) => "cannot read",
                    (false, false) => "cannot write",
                };
                let why = if error.kind() == std::io::ErrorKind::InvalidData && zh {
                    "不是 UTF-8 编码的文本(在 Excel 中另存为“CSV UTF-8”)".to_string()
                } else if error.kind() == std::io::ErrorKind::InvalidData {
                    "not UTF-8 text (in Excel, save as \"CSV UTF-8\")".to_string()
                } else if error.kind() == std::io::ErrorKind::NotFound && zh {
                    "文件不存在".to_string()
                } else {
                    error.to_string()
                };
                let code = if *reading {
                    "read_failed"
                } else {
                    "write_failed"
                };
                let _ = writeln!(
                    out,
                    "{head}[{code}]{}{what} {}{}{why}",
                    colon(lang),
                    path.display(),
                    colon(lang)
                );
            }
            CliError::Data {
                code,
                path,
                zh: z,
                en,
            } => {
                let _ = writeln!(out, "{head}[{code}]{}{}", colon(lang), lang.pick(z, en));
                if let Some(p) = path {
                    let _ = writeln!(out, "  --> {}", p.display());
                }
            }
            CliError::Serve { addr, error } => {
                let _ = writeln!(
                    out,
                    "{head}[serve_failed]{}{} {addr}{}{error}",
                    colon(lang),
                    lang.pick("无法在此地址提供服务", "cannot serve on"),
                    colon(lang)
                );
            }
            CliError::Core { body, source } => {
                let summary = if zh { zh_summary(&body.code) } else { None };
                match summary {
                    Some(s) => {
                        let _ = writeln!(out, "{head}[{}]:{s}", body.code);
                    }
                    None => {
                        let _ =
                            writeln!(out, "{head}[{}]{}{}", body.code, colon(lang), body.message);
                    }
                }
                if let Some(place) = place(body, source.as_ref(), lang) {
                    let _ = writeln!(out, "  --> {place}");
                }
                if summary.is_some() {
                    // The core's own words (in English): the exact values at fault.
                    let _ = writeln!(out, "  = {}", body.message);
                }
            }
        }
        out
    }
}

/// `:` in Chinese text, `: ` in English.
fn colon(lang: Lang) -> &'static str {
    lang.pick(":", ": ")
}

/// Where an error points: `people.csv:5, 字段 start(人员 P0001)`.
fn place(body: &ErrorBody, source: Option<&Source>, lang: Lang) -> Option<String> {
    let zh = lang == Lang::Zh;
    let mut parts = Vec::new();
    let mut record_part = None;
    if let Some(s) = source {
        let mut at = s.path.display().to_string();
        if let Some(line) = s.line.or(body.line) {
            if zh {
                let _ = write!(at, " 第 {line} 行");
            } else {
                let _ = write!(at, ":{line}");
            }
        }
        parts.push(at);
    } else if let Some(line) = body.line {
        parts.push(if zh {
            format!("第 {line} 行")
        } else {
            format!("line {line}")
        });
    }
    if let Some(key) = &body.key {
        parts.push(if zh {
            format!("键 {key}")
        } else {
            format!("key `{key}`")
        });
    }
    if let Some(field) = &body.field {
        let parameter = body.code == "missing_parameter";
        parts.push(match (zh, parameter) {
            (true, true) => format!("参数 {field}"),
            (true, false) => format!("字段 {field}"),
            (false, true) => format!("parameter `{field}`"),
            (false, false) => format!("field `{field}`"),
        });
    }
    if let Some(record) = &body.record {
        let kind = serde_json::to_value(record.kind)
            .ok()
            .and_then(|v| v.as_str().map(str::to_owned))
            .unwrap_or_default();
        let kind_word = if zh {
            match kind.as_str() {
                "community" => "社区",
                "person" => "人员",
                "adjustment" => "调整项",
                "parameter" => "参数",
                _ => "请求",
            }
        } else {
            kind.as_str()
        };
        let mut r = kind_word.to_string();
        if let Some(id) = &record.id {
            let _ = write!(r, " {id}");
        }
        if let Some(i) = record.index {
            if zh {
                let _ = write!(r, ",第 {} 条记录", i + 1);
            } else {
                let _ = write!(r, ", record {}", i + 1);
            }
        }
        record_part = Some(if zh {
            format!("({r})")
        } else {
            format!(" ({r})")
        });
    }
    if parts.is_empty() && record_part.is_none() {
        return None;
    }
    let mut out = parts.join(if zh { "," } else { ", " });
    if let Some(r) = record_part {
        let r = if out.is_empty() { r.trim_start() } else { &r };
        out.push_str(r);
    }
    Some(out)
}

/// A Chinese summary of each error code (the core's messages are in
/// English; the exact English follows on the next line).
pub fn zh_summary(code: &str) -> Option<&'static str> {
    Some(match code {
        "missing_field" => "缺少必填字段",
        "empty_id" => "编号为空",
        "duplicate_id" => "编号重复",
        "negative_households" => "户数为负数",
        "absurd_households" => "户数大得不合常理",
        "fractional_households" => "户数不是整数",
        "unknown_rating" => "政策中没有这个评级",
        "missing_rating" => "社区缺少评级(或得分)",
        "unknown_post" => "政策中没有这个岗位",
        "unknown_community" => "人员所在的社区不在社区表中",
        "unknown_rule" => "调整项指向的规则不在政策中",
        "start_after_end" => "任职开始日期晚于结束日期",
        "invalid_date" => "日期无法识别(应为 年-月-日)",
        "invalid_number" => "数字无法识别",
        "out_of_range" => "数值超出允许范围",
        "conflicting_rows" => "同一人员的多行记录互相矛盾",
        "no_posts" => "人员没有任何岗位",
        "duplicate_field" => "同一记录中字段(列)重复",
        "invalid_table" => "表格无法读取(列的长度或类型不对)",
        "unknown_parameter" => "政策没有声明这个参数(名称是否拼错?)",
        "policy_syntax" => "政策文件格式有误",
        "policy_split_sum" => "出资比例合计不是百分之百",
        "policy_overlapping_dates" => "分段取值的日期重叠或颠倒",
        "policy_unknown_reference" => "政策文件引用了未定义的岗位、出资方、评级或规则",
        "policy_invalid_value" => "政策文件中的取值无效",
        "policy_not_found" => "没有这个内置政策",
        "policy_bad_override" => "改写的取值在政策中不存在",
        "quota_exceeded" => "评级超出限额(可用 --quota warn 改为警告)",
        "missing_parameter" => "缺少政策参数(用 --param 名称=数值 提供)",
        "overflow" => "金额过大,无法精确计算",
        "bad_request" => "请求有误,无法读取",
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_core_code_has_chinese_words() {
        for code in shequ::error::ALL_ERROR_CODES {
            assert!(zh_summary(code).is_some(), "{code}");
        }
    }

    #[test]
    fn an_input_error_names_file_line_record_and_field() {
        let e = CliError::Core {
            body: Box::new(ErrorBody {
                code: "negative_households".into(),
                message: "input community `C1` (row 1, index 0), field `households`: bad".into(),
                record: Some(shequ::error::RecordRef::new(
                    shequ::error::RecordKind::Community,
                    0,
                    "C1",
                )),
                field: Some("households".into()),
                line: None,
                key: None,
            }),
            source: Some(Source {
                path: "c.csv".into(),
                line: Some(2),
            }),
        };
        let en = e.render(Lang::En);
        assert!(
            en.starts_with("error[negative_households]: input community"),
            "{en}"
        );
        assert!(
            en.contains("c.csv:2, field `households` (community C1, record 1)"),
            "{en}"
        );
        let zh = e.render(Lang::Zh);
        assert!(
            zh.starts_with("错误[negative_households]:户数为负数"),
            "{zh}"
        );
        assert!(
            zh.contains("c.csv 第 2 行,字段 households(社区 C1,第 1 条记录)"),
            "{zh}"
        );
        assert_eq!(e.exit_code(), EXIT_DATA);
    }
}
