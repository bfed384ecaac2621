//! The two languages shequ speaks, and the words it writes numbers and
//! labels with in each.

use crate::policy::file::PolicyFile;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

/// The language of an explanation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "snake_case")]
pub enum Lang {
    /// 中文.
    #[default]
    Zh,
    /// English.
    En,
}

impl Lang {
    /// The text in this language, of a Chinese and an English one.
    ///
    /// ```
    /// assert_eq!(shequ::Lang::En.pick("市财政", "city"), "city");
    /// ```
    pub fn pick<'a>(self, zh: &'a str, en: &'a str) -> &'a str {
        match self {
            Lang::Zh => zh,
            Lang::En => en,
        }
    }
}

impl std::str::FromStr for Lang {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s.trim().to_ascii_lowercase().as_str() {
            "zh" | "zh-cn" | "cn" | "中文" => Ok(Lang::Zh),
            "en" | "english" => Ok(Lang::En),
            other => Err(format!("unknown language `{other}`: use zh or en")),
        }
    }
}

/// A number as a sentence writes it: no trailing zeros (`1500`, `0.5`).
pub fn num(d: Decimal) -> String {
    d.normalize().to_string()
}

/// A post's label in `lang`, or the id when the policy has no such post.
pub fn post_name<'a>(file: &'a PolicyFile, id: &'a str, lang: Lang) -> &'a str {
    file.posts
        .iter()
        .find(|p| p.id == id)
        .map_or(id, |p| lang.pick(&p.zh, &p.en))
}

/// A payer's label in `lang`.
pub fn payer_name<'a>(file: &'a PolicyFile, id: &'a str, lang: Lang) -> &'a str {
    file.payers
        .iter()
        .find(|p| p.id == id)
        .map_or(id, |p| lang.pick(&p.zh, &p.en))
}

/// A rule's label in `lang` (`adjustment` for adjustment lines).
pub fn rule_name<'a>(file: &'a PolicyFile, id: &'a str, lang: Lang) -> &'a str {
    if id == "adjustment" {
        return lang.pick("核定调整", "adjustment");
    }
    file.rules.iter().find(|r| r.id() == id).map_or(id, |r| {
        let head = r.head();
        lang.pick(head.zh, head.en)
    })
}

/// A rating's label in `lang`.
pub fn rating_name<'a>(file: &'a PolicyFile, id: &'a str, lang: Lang) -> &'a str {
    file.ratings
        .iter()
        .find(|r| r.id == id)
        .map_or(id, |r| lang.pick(&r.zh, &r.en))
}

/// The Chinese name of an input column (or request field), for messages,
/// headings and reports; `None` for a column shequ does not read.
///
/// ```
/// assert_eq!(shequ::lang::column_zh("households"), Some("户数"));
/// assert_eq!(shequ::lang::column_zh("servng"), None);
/// ```
pub fn column_zh(column: &str) -> Option<&'static str> {
    Some(match column {
        "id" => "编号",
        "name" => "名称",
        "district" => "街道/区",
        "households" => "户数",
        "rating" => "评级",
        "score" => "评分",
        "stars" => "星级",
        "grids" => "网格数",
        "office_area" => "办公用房面积",
        "resident_facing_area" => "服务居民用房面积",
        "service_centre_area" => "服务中心面积",
        "flags" => "标记",
        "community" => "社区编号",
        "serving" => "在职",
        "post" => "职务",
        "posts" => "职务列表",
        "start" => "任职起始日期",
        "end" => "任职终止日期",
        "income" => "年收入",
        "rule" => "项目",
        "amount" => "金额",
        "reason" => "理由",
        "year" => "年度",
        "as_of" => "截止日期",
        "quota" => "评级限额处理",
        "ratings" => "评级来源",
        "policy" => "政策",
        "parameters" => "参数",
        "communities" => "社区表",
        "people" => "人员表",
        "adjustments" => "调整项表",
        _ => return None,
    })
}

/// A column named for a Chinese reader: `户数(households)`, the name
/// shequ reads beside the one the file uses; the column alone when shequ
/// has no name for it.
pub fn column_named(column: &str) -> String {
    match column_zh(column) {
        Some(zh) => format!("{zh}({column})"),
        None => column.to_string(),
    }
}

/// A count with thousands separators (`1,234,567`).
///
/// ```
/// assert_eq!(shequ::lang::count(1234567), "1,234,567");
/// assert_eq!(shequ::lang::count(999), "999");
/// ```
pub fn count(n: usize) -> String {
    group(&n.to_string())
}

/// An amount of yuan with two decimals and thousands separators, as a
/// printout or a form shows it (`1,234,567.89`, `-41,250.00`).
///
/// ```
/// use rust_decimal::Decimal;
/// assert_eq!(shequ::lang::yuan(Decimal::new(123456789, 2)), "1,234,567.89");
/// assert_eq!(shequ::lang::yuan(Decimal::new(-4125000, 2)), "-41,250.00");
/// assert_eq!(shequ::lang::yuan(Decimal::new(5, 0)), "5.00");
/// ```
pub fn yuan(amount: Decimal) -> String {
    let plain = crate::money::fmt_yuan(amount);
    let (sign, rest) = match plain.strip_prefix('-') {
        Some(r) => ("-", r),
        None => ("", plain.as_str()),
    };
    let (int, frac) = rest.split_once('.').unwrap_or((rest, ""));
    let mut out = String::with_capacity(plain.len() + int.len() / 3);
    out.push_str(sign);
    out.push_str(&group(int));
    if !frac.is_empty() {
        out.push('.');
        out.push_str(frac);
    }
    out
}

fn group(digits: &str) -> String {
    let n = digits.len();
    let mut out = String::with_capacity(n + n / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (n - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

pub use crate::script::Script;

/// Opens a span of data in a sentence being written (see [`Script::keep`]).
const KEEP_OPEN: char = '\u{E000}';
/// Closes it.
const KEEP_CLOSE: char = '\u{E001}';

impl Script {
    /// The script of a policy file: its `script`, or what its Chinese
    /// reads as (a file read by [`crate::Policy`] always has it set).
    pub fn of(file: &PolicyFile) -> Script {
        file.policy.script.unwrap_or_default()
    }

    /// The script `texts` are written in: traditional when more of their
    /// characters are traditional-only forms than simplified-only ones
    /// (among the characters shequ's words use and the common ones of
    /// community governance, [`TRADITIONAL`]).
    ///
    /// ```
    /// use shequ::lang::Script;
    /// assert_eq!(Script::detect(["居民委員會成員", "市財政"]), Script::Traditional);
    /// assert_eq!(Script::detect(["居民委员会成员", "市财政"]), Script::Simplified);
    /// assert_eq!(Script::detect(["区", "區"]), Script::Simplified); // a tie: simplified
    /// ```
    pub fn detect<'a>(texts: impl IntoIterator<Item = &'a str>) -> Script {
        let (mut simplified, mut traditional) = (0usize, 0usize);
        for text in texts {
            for c in text.chars() {
                if TRADITIONAL.binary_search_by_key(&c, |(s, _)| *s).is_ok() {
                    simplified += 1;
                } else if TRADITIONAL_FORMS.binary_search(&c).is_ok() {
                    traditional += 1;
                }
            }
        }
        if traditional > simplified {
            Script::Traditional
        } else {
            Script::Simplified
        }
    }

    /// Data to write into a sentence as it is — a name, an id, a reason
    /// from the input: marked so that [`Script::finish`] leaves it alone.
    /// In simplified text there is nothing to convert, and nothing is
    /// marked.
    pub fn keep(self, data: &str) -> std::borrow::Cow<'_, str> {
        match self {
            Script::Simplified => std::borrow::Cow::Borrowed(data),
            Script::Traditional => {
                let mut s = String::with_capacity(data.len() + 6);
                s.push(KEEP_OPEN);
                s.push_str(data);
                s.push(KEEP_CLOSE);
                std::borrow::Cow::Owned(s)
            }
        }
    }

    /// A sentence written in simplified characters (shequ's words) with
    /// data marked by [`Script::keep`], in this script: the words converted,
    /// the data as it was, the marks gone.
    ///
    /// ```
    /// use shequ::lang::Script;
    /// let t = Script::Traditional;
    /// let s = format!("{} 为在职人员,不享受补贴", t.keep("马强(J0013)"));
    /// assert_eq!(t.finish(s), "马强(J0013) 為在職人員,不享受補貼");
    /// let s = Script::Simplified;
    /// assert_eq!(s.finish(format!("{} 为在职人员", s.keep("马强"))), "马强 为在职人员");
    /// ```
    pub fn finish(self, text: String) -> String {
        let marked = text.contains(KEEP_OPEN);
        if self == Script::Simplified && !marked {
            return text;
        }
        let mut out = String::with_capacity(text.len());
        let mut kept = false;
        for c in text.chars() {
            match c {
                KEEP_OPEN => kept = true,
                KEEP_CLOSE => kept = false,
                c if kept || self == Script::Simplified => out.push(c),
                c => out.push(to_traditional(c)),
            }
        }
        out
    }

    /// Words of shequ's own (a heading, a label; no data), in this script.
    ///
    /// ```
    /// assert_eq!(shequ::lang::Script::Traditional.words("按社区合计"), "按社區合計");
    /// ```
    pub fn words(self, text: &str) -> std::borrow::Cow<'_, str> {
        match self {
            Script::Simplified => std::borrow::Cow::Borrowed(text),
            Script::Traditional => text.chars().map(to_traditional).collect(),
        }
    }
}

/// A character in its traditional form, when [`TRADITIONAL`] has one.
fn to_traditional(c: char) -> char {
    if (c as u32) < 0x3400 {
        return c;
    }
    match TRADITIONAL.binary_search_by_key(&c, |(s, _)| *s) {
        Ok(k) => TRADITIONAL[k].1,
        Err(_) => c,
    }
}

include!("lang_table.rs");
