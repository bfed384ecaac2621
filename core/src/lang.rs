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
