//! Chinese first: what a reader sees in Chinese has no English word (ids
//! aside) and is in one script — a traditional policy's sentences have no
//! simplified form of shequ's words — for every bundled sample: each
//! item's sentence, each community's and person's story, each note, the
//! printouts and the report's tables.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use shequ::lang::{Script, TRADITIONAL};
use shequ::report::{text, Report};
use shequ::{samples, Lang, Policy, QuotaMode};

/// Letter runs of two or more that are not part of an id (letters then
/// digits, `C017`, `XG01`) nor the documents' own `AB角`.
fn english_words(text: &str) -> Vec<String> {
    let chars: Vec<char> = text.chars().collect();
    let mut words = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        if chars[i].is_ascii_alphabetic() {
            let start = i;
            while i < chars.len() && chars[i].is_ascii_alphabetic() {
                i += 1;
            }
            let id = (i < chars.len() && chars[i].is_ascii_digit())
                || (start > 0 && chars[start - 1].is_ascii_digit());
            let word: String = chars[start..i].iter().collect();
            if i - start >= 2 && !id && word != "AB" {
                words.push(word);
            }
        } else {
            i += 1;
        }
    }
    words
}

/// Simplified forms of shequ's words left in a text.
fn simplified(text: &str) -> Vec<char> {
    text.chars()
        .filter(|c| TRADITIONAL.binary_search_by_key(c, |(s, _)| *s).is_ok())
        .collect()
}

#[test]
fn every_sample_reads_in_chinese_in_its_script() {
    for id in samples::IDS {
        let sample = samples::by_id(id).unwrap();
        let policy = Policy::builtin(sample.policy).unwrap();
        let budget = policy
            .budget(&sample.input, &sample.options().quota(QuotaMode::Warn))
            .unwrap();
        let e = budget.explainer();
        let frame = budget.input();
        let mut texts: Vec<String> = Vec::new();
        texts.extend((0..budget.items.len()).map(|i| e.sentence(i, Lang::Zh).unwrap()));
        texts.extend((0..frame.communities.len()).map(|c| e.community(c, Lang::Zh).unwrap()));
        texts.extend((0..frame.people.len()).map(|p| e.person(p, Lang::Zh).unwrap()));
        texts.extend(budget.exclusion_notes().into_iter().map(|n| n.zh));
        texts.extend(budget.warnings.iter().map(|n| n.zh.clone()));
        let report = Report::new(&budget, Lang::Zh).unwrap();
        texts.push(text::budget(&report, 20));
        texts.push(text::compliance(
            report.compliance().unwrap(),
            &policy,
            Lang::Zh,
            20,
        ));
        for t in [report.by_community(), report.items(), report.not_paid()]
            .into_iter()
            .chain(report.compliance_table())
        {
            texts.push(t.name.clone());
            texts.push(t.title.clone());
            texts.extend(t.headers.iter().cloned());
        }
        // The input's own names, and the policy's labels, are as given.
        let mut data: Vec<String> = Vec::new();
        for c in 0..frame.communities.len() {
            data.push(frame.communities.display(c));
            data.push(frame.communities.name.get(c).to_string());
        }
        for p in 0..frame.people.len() {
            data.push(frame.people.display(p));
        }
        data.sort_by_key(|d| std::cmp::Reverse(d.len()));
        let traditional = Script::of(policy.file()) == Script::Traditional;
        for t in &texts {
            let mut words_only = t.clone();
            for d in &data {
                if !d.is_empty() {
                    words_only = words_only.replace(d.as_str(), " ");
                }
            }
            assert_eq!(
                english_words(&words_only),
                Vec::<String>::new(),
                "{id}: {t}"
            );
            if traditional {
                assert_eq!(simplified(&words_only), Vec::<char>::new(), "{id}: {t}");
            }
        }
    }
}
