//! Explanations in Chinese and English: how each item was computed, which
//! clause orders it, and why something was not paid.

use crate::budget::{Budget, Calc, Item, Segment};
use crate::money::fmt_yuan;
use crate::policy::file::UnitBasis;
use crate::policy::values::Source;
use crate::policy::Policy;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use std::fmt::Write;

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

fn post_name<'a>(policy: Option<&'a Policy>, id: &'a str, lang: Lang) -> &'a str {
    policy
        .and_then(|p| p.post(id))
        .map_or(id, |p| lang.pick(&p.zh, &p.en))
}

fn payer_name<'a>(policy: Option<&'a Policy>, id: &'a str, lang: Lang) -> &'a str {
    policy
        .and_then(|p| p.payer(id))
        .map_or(id, |p| lang.pick(&p.zh, &p.en))
}

fn rule_name<'a>(policy: Option<&'a Policy>, id: &'a str, lang: Lang) -> &'a str {
    if id == "adjustment" {
        return lang.pick("核定调整", "adjustment");
    }
    policy.and_then(|p| p.rule(id)).map_or(id, |r| {
        let head = r.head();
        lang.pick(head.zh, head.en)
    })
}

fn source_word(s: Source, lang: Lang) -> &'static str {
    match (s, lang) {
        (Source::Stated, Lang::Zh) => "文件明定",
        (Source::Assumed, Lang::Zh) => "含推定取值",
        (Source::Override, Lang::Zh) => "含假设调整",
        (Source::Input, Lang::Zh) => "调用方提供",
        (Source::Stated, Lang::En) => "stated by the document",
        (Source::Assumed, Lang::En) => "uses assumed values",
        (Source::Override, Lang::En) => "uses overridden values",
        (Source::Input, Lang::En) => "supplied by the caller",
    }
}

fn num(d: Decimal) -> String {
    d.normalize().to_string()
}

fn months_zh(s: &Segment) -> String {
    if s.from_month == s.to_month {
        format!("{}月", s.from_month)
    } else {
        format!("{}–{}月", s.from_month, s.to_month)
    }
}

fn months_en(s: &Segment) -> String {
    const M: [&str; 12] = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    let m = |k: u32| M.get(k.saturating_sub(1) as usize).copied().unwrap_or("?");
    if s.from_month == s.to_month {
        m(s.from_month).to_string()
    } else {
        format!("{}–{}", m(s.from_month), m(s.to_month))
    }
}

/// Explain one item in one sentence.
pub fn item(budget: &Budget, item: &Item, lang: Lang) -> String {
    let policy = budget.policy();
    let who = match &item.person {
        Some(p) => format!("{} {p}", budget.community_name(&item.community)),
        None => budget.community_name(&item.community),
    };
    let mut s = String::new();
    let zh = lang == Lang::Zh;
    let rule = rule_name(policy, &item.rule, lang);
    match &item.calc {
        Calc::Households {
            households,
            per_unit,
            units,
            basis,
            rate,
            minimum,
            minimum_applied,
        } => {
            let product = *units * *rate;
            let _ = match (zh, basis) {
                (true, UnitBasis::Proportional) if *per_unit == 100 => write!(s, "{who} {rule}:{households}户 × {}元/百户", num(*rate)),
                (true, UnitBasis::Proportional) => write!(s, "{who} {rule}:{households}户 × {}元/{per_unit}户", num(*rate)),
                (true, UnitBasis::PerFullUnit) => write!(s, "{who} {rule}:{households}户按满{per_unit}户计{}个单位 × {}元", num(*units), num(*rate)),
                (true, UnitBasis::PerStartedUnit) => write!(s, "{who} {rule}:{households}户按每起算{per_unit}户计{}个单位 × {}元", num(*units), num(*rate)),
                (false, UnitBasis::Proportional) => write!(s, "{who} {rule}: {households} households × {} yuan per {per_unit} households", num(*rate)),
                (false, UnitBasis::PerFullUnit) => write!(s, "{who} {rule}: {households} households make {} full units of {per_unit} × {} yuan", num(*units), num(*rate)),
                (false, UnitBasis::PerStartedUnit) => write!(s, "{who} {rule}: {households} households make {} started units of {per_unit} × {} yuan", num(*units), num(*rate)),
            };
            if *minimum_applied {
                let m = minimum.unwrap_or_default();
                let _ = if zh {
                    write!(
                        s,
                        " = {}元,低于最低标准,按{}元",
                        fmt_yuan(product),
                        fmt_yuan(m)
                    )
                } else {
                    write!(
                        s,
                        " = {} yuan, below the minimum, so {} yuan",
                        fmt_yuan(product),
                        fmt_yuan(m)
                    )
                };
            }
        }
        Calc::Months { segments } => {
            let _ = if zh {
                write!(s, "{who} {rule}:")
            } else {
                write!(s, "{who} {rule}: ")
            };
            for (i, seg) in segments.iter().enumerate() {
                if i > 0 {
                    s.push_str(" + ");
                }
                let post = post_name(policy, &seg.post, lang);
                let _ = if zh {
                    write!(
                        s,
                        "{post} {} {}个月 × {}元",
                        months_zh(seg),
                        seg.months,
                        num(seg.monthly)
                    )
                } else {
                    write!(
                        s,
                        "{post} {} {} month{} × {} yuan",
                        months_en(seg),
                        seg.months,
                        if seg.months == 1 { "" } else { "s" },
                        num(seg.monthly)
                    )
                };
                if !seg.increment.is_zero() {
                    let _ = if zh {
                        write!(
                            s,
                            "(基数{}元 + 满{}年 × {}元)",
                            num(seg.base),
                            seg.years,
                            num(seg.increment)
                        )
                    } else {
                        write!(
                            s,
                            " (base {} + {} full year{} × {})",
                            num(seg.base),
                            seg.years,
                            if seg.years == 1 { "" } else { "s" },
                            num(seg.increment)
                        )
                    };
                }
            }
        }
        Calc::Rating { rating } => {
            let label = policy
                .and_then(|p| p.rating(rating))
                .map(|r| if zh { r.zh.as_str() } else { r.en.as_str() })
                .unwrap_or(rating);
            let _ = if zh {
                write!(s, "{who} {rule}:评为{label}")
            } else {
                write!(s, "{who} {rule}: rated {label}")
            };
        }
        Calc::Adjustment { reason } => {
            let _ = if zh {
                write!(s, "{who} {rule}:{reason}")
            } else {
                write!(s, "{who} {rule}: {reason}")
            };
        }
        Calc::Norm {
            posts,
            post_months,
            counted,
            monthly,
            months,
            part,
        } => {
            let post = item
                .post
                .as_deref()
                .map(|p| post_name(policy, p, lang))
                .unwrap_or("");
            let part_word = match (part.as_str(), zh) {
                ("subsidy", true) => "(补助部分)",
                ("remainder", true) => "(扣除补助后)",
                ("subsidy", false) => " (the subsidised part)",
                ("remainder", false) => " (after the subsidy)",
                _ => "",
            };
            let _ = match (zh, *post_months == *posts * *months) {
                (true, true) => write!(s, "{who} {rule}:{post}{posts}名({counted}) × {}元/月{part_word} × {months}个月", num(*monthly)),
                (true, false) => write!(s, "{who} {rule}:{post}共{post_months}人月({counted}) × {}元/月{part_word}", num(*monthly)),
                (false, true) => write!(
                    s,
                    "{who} {rule}: {posts} {post} post{} ({counted}) × {} yuan a month{part_word} × {months} months",
                    if *posts == 1 { "" } else { "s" },
                    num(*monthly)
                ),
                (false, false) => write!(s, "{who} {rule}: {post_months} {post} post-months ({counted}) × {} yuan a month{part_word}", num(*monthly)),
            };
        }
        Calc::Stars { stars } => {
            let _ = if zh {
                write!(s, "{who} {rule}:{stars}星级")
            } else {
                write!(s, "{who} {rule}: {stars}-star")
            };
        }
        Calc::Fixed => {
            let _ = write!(s, "{who} {rule}");
        }
        Calc::IncomeTopUp {
            income,
            reference,
            percent,
            floor,
        } => {
            let _ = if zh {
                write!(
                    s,
                    "{who} {rule}:最低收入 {}元 × {}% = {}元,现收入{}元,补足差额",
                    num(*reference),
                    num(*percent),
                    fmt_yuan(*floor),
                    num(*income)
                )
            } else {
                write!(
                    s,
                    "{who} {rule}: floor {} × {}% = {}, income {}, topped up",
                    num(*reference),
                    num(*percent),
                    fmt_yuan(*floor),
                    num(*income)
                )
            };
        }
    }
    let _ = if zh {
        write!(s, " = {}元,", fmt_yuan(item.amount))
    } else {
        write!(s, " = {} yuan; ", fmt_yuan(item.amount))
    };
    let shares: Vec<String> = item
        .shares
        .iter()
        .map(|sh| {
            let name = payer_name(policy, &sh.payer, lang);
            if zh {
                format!("{name}{}% {}元", num(sh.percent), fmt_yuan(sh.amount))
            } else {
                format!("{name} {}% {}", num(sh.percent), fmt_yuan(sh.amount))
            }
        })
        .collect();
    s.push_str(&shares.join(" / "));
    let p = &item.provenance;
    let _ = if zh {
        write!(
            s,
            ",依据 {} {}({})",
            p.document,
            p.clause,
            source_word(p.source, lang)
        )
    } else {
        write!(
            s,
            "; under {} clause {} ({})",
            p.document,
            p.clause,
            source_word(p.source, lang)
        )
    };
    s
}

/// The story of one community: its rating, each item, what was not paid and
/// why, and its total. `None` if the community is not in the budget.
pub fn community(budget: &Budget, id: &str, lang: Lang) -> Option<String> {
    let total = budget.totals.by_community.iter().find(|(c, _)| c == id)?.1;
    let zh = lang == Lang::Zh;
    let policy = budget.policy();
    let mut out = String::new();
    let name = budget.community_name(id);
    let _ = if zh {
        writeln!(out, "{name}({})", budget.document)
    } else {
        writeln!(out, "{name} ({})", budget.document)
    };
    if let Some(r) = budget.ratings.iter().find(|r| &*r.community == id) {
        let label = |x: &str| {
            policy
                .and_then(|p| p.rating(x))
                .map(|l| if zh { l.zh.clone() } else { l.en.clone() })
                .unwrap_or_else(|| x.to_string())
        };
        let rating = r.rating.as_deref().map(label).unwrap_or_else(|| {
            if zh {
                "未评级".into()
            } else {
                "unrated".into()
            }
        });
        let _ = match (&r.given, r.score) {
            (Some(_), _) => {
                if zh {
                    writeln!(out, "- 评级:{rating}(给定)")
                } else {
                    writeln!(out, "- rating: {rating} (given)")
                }
            }
            (None, Some(score)) => {
                if zh {
                    writeln!(out, "- 评级:{rating}(按得分{score}分配)")
                } else {
                    writeln!(out, "- rating: {rating} (assigned from score {score})")
                }
            }
            _ => Ok(()),
        };
        if let Some(d) = &r.demoted_from {
            let _ = if zh {
                writeln!(out, "- 得分可达{},因并列超出限额降档", label(d))
            } else {
                writeln!(
                    out,
                    "- the score reached {}, but a tie across its cap demoted it",
                    label(d)
                )
            };
        }
    }
    for it in budget.items_of(id) {
        let _ = writeln!(out, "- {}", item(budget, it, lang));
    }
    for n in budget
        .exclusions
        .iter()
        .chain(&budget.warnings)
        .filter(|n| n.community.as_deref() == Some(id))
    {
        let _ = writeln!(out, "- {}", if zh { &n.zh } else { &n.en });
    }
    let _ = if zh {
        write!(out, "合计 {}元", fmt_yuan(total))
    } else {
        write!(out, "total {} yuan", fmt_yuan(total))
    };
    Some(out)
}
