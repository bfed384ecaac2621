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

/// Every error has its Chinese: every code has a summary, and every error
/// vector's error says it in Chinese (what is wrong first), with no English
/// word but the names of the columns and keys it points at.
#[test]
fn every_error_speaks_chinese() {
    for code in shequ::error::ALL_ERROR_CODES {
        assert!(shequ::error::zh_summary(code).is_some(), "{code}");
    }
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../tests/vectors");
    let mut seen = 0;
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().and_then(|e| e.to_str()) != Some("json") {
            continue;
        }
        let v: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
        if v.get("expected_error").is_none() {
            continue;
        }
        let request = match (v.get("request_text"), v.get("request")) {
            (Some(t), _) => t.as_str().unwrap().to_string(),
            (None, Some(r)) => r.to_string(),
            _ => continue,
        };
        let Err(body) = shequ::ffi::compute_json(&request) else {
            continue;
        };
        let summary = shequ::error::zh_summary(&body.code).unwrap();
        assert!(
            body.zh.starts_with(summary),
            "{}: {}",
            path.display(),
            body.zh
        );
        seen += 1;
    }
    assert!(seen >= 20, "{seen} error vectors");
}
