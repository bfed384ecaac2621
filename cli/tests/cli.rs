//! The `shequ` binary end to end: real files in a temporary directory,
//! the exit code, stdout and stderr.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

const COMMUNITIES: &str = "\
id,name,households,rating
C1,社区A,2750,ordinary
C2,社区B,3000,ordinary
";

const PEOPLE: &str = "\
id,community,name,post,start
P1,C1,王芳,director,2020-03-01
P2,C2,李伟,委员,2019-05-01
";

/// 2750 × 15 + 3000 × 15 + 12 × 1200 + 12 × 1100.
const TOTAL: &str = "113850.00";

struct Dir(tempfile::TempDir);

impl Dir {
    fn new() -> Self {
        let d = Dir(tempfile::tempdir().unwrap());
        d.write("communities.csv", COMMUNITIES);
        d.write("people.csv", PEOPLE);
        d
    }
    fn path(&self, name: &str) -> PathBuf {
        self.0.path().join(name)
    }
    fn write(&self, name: &str, text: &str) -> PathBuf {
        let p = self.path(name);
        std::fs::write(&p, text).unwrap();
        p
    }
    fn read(&self, name: &str) -> String {
        std::fs::read_to_string(self.path(name)).unwrap()
    }
    fn run(&self, args: &[&str]) -> Run {
        let out = Command::new(env!("CARGO_BIN_EXE_shequ"))
            .args(args)
            .current_dir(self.0.path())
            .output()
            .unwrap();
        Run::from(out)
    }
}

#[derive(Debug)]
struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

impl From<Output> for Run {
    fn from(o: Output) -> Self {
        Run {
            code: o.status.code().unwrap_or(-1),
            stdout: String::from_utf8(o.stdout).unwrap(),
            stderr: String::from_utf8(o.stderr).unwrap(),
        }
    }
}

const JILIN: &[&str] = &[
    "budget",
    "--policy",
    "jilin-2011-13",
    "--year",
    "2026",
    "communities.csv",
    "people.csv",
];

fn with<'a>(base: &[&'a str], more: &[&'a str]) -> Vec<&'a str> {
    base.iter().chain(more).copied().collect()
}

/// The request the files make, built by hand through the core's boundary.
fn request(extra: &str) -> String {
    format!(
        r#"{{"policy":"jilin-2011-13","year":2026{extra},"communities":{},"people":{}}}"#,
        shequ::ffi::csv_to_json(COMMUNITIES).unwrap(),
        shequ::ffi::csv_to_json(PEOPLE).unwrap()
    )
}

/// Letter runs of two or more in `text` that are not part of an id
/// (letters followed by digits, like `C017` or `XG01`) nor the documents'
/// own words (Harbin's A/B social-security pairs, `AB角`).
fn english_words(text: &str) -> Vec<String> {
    let mut words = Vec::new();
    let chars: Vec<char> = text.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        if chars[i].is_ascii_alphabetic() {
            let start = i;
            while i < chars.len() && chars[i].is_ascii_alphabetic() {
                i += 1;
            }
            let id = i < chars.len() && chars[i].is_ascii_digit();
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

#[test]
fn budget_from_csv_prints_totals_names_and_grouped_money() {
    let d = Dir::new();
    let r = d.run(JILIN);
    assert_eq!(r.code, 0, "{r:?}");
    assert!(r.stderr.is_empty(), "no progress or noise in a pipe: {r:?}");
    let out = &r.stdout;
    assert!(out.starts_with("吉林市 2026年社区经费预算"), "{out}");
    assert!(out.contains("按出资方合计"), "{out}");
    assert!(out.contains("市财政") && out.contains("区财政"), "{out}");
    assert!(out.contains("113,850.00"), "{out}");
    assert!(out.contains("56,925.00"), "half each: {out}");
    assert!(
        out.contains("社区年工作经费") && out.contains("社区人员月补贴"),
        "{out}"
    );
    assert!(
        out.contains("社区A(C1)") && out.contains("王芳(P1)"),
        "{out}"
    );
    assert!(out.contains("居民委员会主任"), "posts by name: {out}");
    assert_eq!(english_words(out), Vec::<String>::new(), "{out}");
}

#[test]
fn columns_are_padded_by_display_width() {
    let d = Dir::new();
    let r = d.run(&with(JILIN, &["--top", "5"]));
    // In the totals by rule the amounts end in the same display column.
    let block: Vec<&str> = r
        .stdout
        .split("按项目合计(元)\n")
        .nth(1)
        .unwrap()
        .lines()
        .take_while(|l| !l.is_empty())
        .collect();
    assert!(block.len() >= 2, "{}", r.stdout);
    let end_of_amount = |l: &str| {
        let cut = l.rfind(".00").unwrap() + 3;
        unicode_width::UnicodeWidthStr::width(&l[..cut])
    };
    let first = end_of_amount(block[0]);
    for l in &block {
        assert_eq!(end_of_amount(l), first, "{block:?}");
    }
}

#[test]
fn budget_in_english() {
    let d = Dir::new();
    let r = d.run(&with(JILIN, &["--lang", "en"]));
    assert_eq!(r.code, 0, "{r:?}");
    assert!(r.stdout.contains("Totals by payer"), "{}", r.stdout);
    assert!(r.stdout.contains("community work funds"), "{}", r.stdout);
    assert!(r.stdout.contains("113,850.00"), "{}", r.stdout);
}

#[test]
fn json_out_is_the_answer_of_compute_json() {
    let d = Dir::new();
    let r = d.run(&with(JILIN, &["-o", "out.json"]));
    assert_eq!(r.code, 0, "{r:?}");
    let written: serde_json::Value = serde_json::from_str(&d.read("out.json")).unwrap();
    let expected: serde_json::Value =
        serde_json::from_str(&shequ::ffi::compute_json(&request("")).unwrap()).unwrap();
    assert_eq!(written, expected);
    assert_eq!(written["budget"]["totals"]["overall"], TOTAL);
}

#[test]
fn csv_out_has_a_bom_and_one_row_per_item_with_a_column_per_payer() {
    let d = Dir::new();
    let r = d.run(&with(JILIN, &["-o", "items.csv"]));
    assert_eq!(r.code, 0, "{r:?}");
    let text = d.read("items.csv");
    assert!(text.starts_with('\u{feff}'), "BOM for Excel");
    let mut rows = csv::Reader::from_reader(text.trim_start_matches('\u{feff}').as_bytes());
    let headers: Vec<String> = rows.headers().unwrap().iter().map(str::to_owned).collect();
    for h in [
        "社区编号",
        "社区名称",
        "人员编号",
        "姓名",
        "项目",
        "职务",
        "月数",
        "金额(元)",
        "市财政",
        "区财政",
        "条款",
        "依据",
    ] {
        assert!(headers.iter().any(|x| x == h), "{h} in {headers:?}");
    }
    let col = |name: &str| headers.iter().position(|h| h == name).unwrap();
    let records: Vec<csv::StringRecord> = rows.records().map(Result::unwrap).collect();
    // 2 work funds + 2 stipends.
    assert_eq!(records.len(), 4);
    let sum = |c: usize| -> rust_decimal::Decimal {
        records
            .iter()
            .map(|r| r[c].parse::<rust_decimal::Decimal>().unwrap_or_default())
            .sum()
    };
    assert_eq!(sum(col("金额(元)")).to_string(), TOTAL);
    assert_eq!(
        sum(col("市财政")) + sum(col("区财政")),
        sum(col("金额(元)"))
    );
    let director = records
        .iter()
        .find(|r| &r[col("人员编号")] == "P1")
        .unwrap();
    assert_eq!(&director[col("姓名")], "王芳");
    assert_eq!(&director[col("职务")], "居民委员会主任");
    assert_eq!(&director[col("月数")], "12");
    assert_eq!(&director[col("金额(元)")], "14400.00");
    assert_eq!(&director[col("条款")], "五(三)");
}

#[test]
fn a_what_if_set_changes_the_total_as_expected() {
    let d = Dir::new();
    let r = d.run(&with(
        JILIN,
        &["--set", "work_funds.rate=2000", "-o", "w.json"],
    ));
    assert_eq!(r.code, 0, "{r:?}");
    let v: serde_json::Value = serde_json::from_str(&d.read("w.json")).unwrap();
    // 5750 households × 5 more yuan each.
    assert_eq!(v["budget"]["totals"]["overall"], "142600.00");
    let r = d.run(&with(JILIN, &["--set", "work_funds.rate=2000"]));
    assert!(r.stdout.contains("142,600.00"), "{}", r.stdout);
    // A path that names nothing is a policy error.
    let r = d.run(&with(JILIN, &["--set", "work_funds.nothing=1"]));
    assert_eq!(r.code, 1, "{r:?}");
    assert!(
        r.stderr.contains("错误[policy_bad_override]"),
        "{}",
        r.stderr
    );
}

#[test]
fn a_bad_row_exits_1_naming_file_line_record_and_field() {
    let d = Dir::new();
    d.write(
        "communities.csv",
        "id,name,households,rating\nC1,社区A,2750,ordinary\nC2,社区B,-5,ordinary\n",
    );
    let r = d.run(&with(JILIN, &["--lang", "en"]));
    assert_eq!(r.code, 1, "{r:?}");
    assert!(r.stdout.is_empty());
    assert!(
        r.stderr
            .starts_with("error[negative_households]: input community `C2`"),
        "{}",
        r.stderr
    );
    assert!(
        r.stderr.contains("communities.csv:3, field `households`"),
        "{}",
        r.stderr
    );
    assert!(!r.stderr.contains("panicked"), "{}", r.stderr);
    let r = d.run(JILIN);
    assert_eq!(r.code, 1);
    assert!(
        r.stderr.starts_with("错误[negative_households]:户数为负数"),
        "{}",
        r.stderr
    );
    assert!(
        r.stderr.contains("communities.csv 第 3 行,字段 households"),
        "{}",
        r.stderr
    );
}

#[test]
fn a_person_error_points_at_the_people_file() {
    let d = Dir::new();
    d.write(
        "people.csv",
        "id,community,name,post,start\nP1,C1,王芳,director,2020-03-01\nP2,C9,李伟,member,2019-05-01\n",
    );
    let r = d.run(&with(JILIN, &["--lang", "en"]));
    assert_eq!(r.code, 1, "{r:?}");
    assert!(
        r.stderr.starts_with("error[unknown_community]"),
        "{}",
        r.stderr
    );
    assert!(r.stderr.contains("people.csv:3"), "{}", r.stderr);
}

#[test]
fn malformed_csv_and_unreadable_files_exit_1_with_the_path() {
    let d = Dir::new();
    d.write("communities.csv", "id,households\nC1,2750,extra\n");
    let r = d.run(JILIN);
    assert_eq!(r.code, 1, "{r:?}");
    assert!(r.stderr.contains("communities.csv"), "{}", r.stderr);
    assert!(r.stderr.contains("第 2 行"), "{}", r.stderr);

    let r = d.run(&[
        "budget",
        "--policy",
        "jilin-2011-13",
        "--year",
        "2026",
        "missing.csv",
    ]);
    assert_eq!(r.code, 1, "{r:?}");
    assert!(r.stderr.contains("missing.csv"), "{}", r.stderr);

    // A file that is no table at all.
    std::fs::write(d.path("binary.csv"), b"\x00\xff\x80\x81").unwrap();
    let r = d.run(&[
        "budget",
        "--policy",
        "jilin-2011-13",
        "--year",
        "2026",
        "binary.csv",
    ]);
    assert_eq!(r.code, 1, "{r:?}");
    assert!(
        r.stderr.contains("binary.csv") && r.stderr.contains("UTF-8"),
        "{}",
        r.stderr
    );

    d.write("rows.json", r#"{"id": "C1"}"#);
    let r = d.run(&[
        "budget",
        "--policy",
        "jilin-2011-13",
        "--year",
        "2026",
        "rows.json",
    ]);
    assert_eq!(r.code, 1, "{r:?}");
    assert!(r.stderr.contains("rows.json"), "{}", r.stderr);
}

/// The bureau's files as they are (issue 17): a GBK CSV with Chinese
/// headers, an Excel workbook holding both tables with a title row, each
/// giving the budget of the clean CSV files; a bad cell is named by its
/// sheet and row.
#[test]
fn gbk_csv_and_excel_workbooks_give_the_budget_of_the_clean_files() {
    let d = Dir::new();
    let total = |r: &Run| {
        assert_eq!(r.code, 0, "{r:?}");
        r.stdout.contains(&TOTAL[..3]) && r.stdout.contains(".00")
    };
    let clean = d.run(&with(JILIN, &["-o", "clean.json"]));
    assert_eq!(clean.code, 0, "{clean:?}");
    let clean: serde_json::Value = serde_json::from_str(&d.read("clean.json")).unwrap();
    let gbk = encoding_rs::GBK
        .encode(
            "社区编号,社区名称,户数,评级\r\nC1,社区A,\"2,750\",一般\r\nC2,社区B,３０００,一般\r\n",
        )
        .0
        .into_owned();
    std::fs::write(d.path("社区.csv"), gbk).unwrap();
    d.write(
        "人员.tsv",
        "人员编号\t社区编号\t姓名\t职务\t任职日期\nP1\tC1\t王芳\t主任\t2020/3/1\nP2\tC2\t李伟\t委员\t2019年5月1日\n",
    );
    let args = [
        "budget",
        "--policy",
        "jilin-2011-13",
        "--year",
        "2026",
        "社区.csv",
        "人员.tsv",
        "-o",
        "zh.json",
    ];
    let r = d.run(&args);
    assert!(total(&r) || r.code == 0, "{r:?}");
    assert!(r.stderr.contains("GB18030"), "{}", r.stderr);
    assert!(r.stderr.contains("户数 → households"), "{}", r.stderr);
    let zh: serde_json::Value = serde_json::from_str(&d.read("zh.json")).unwrap();
    assert_eq!(zh["budget"]["totals"], clean["budget"]["totals"]);

    let mut wb = rust_xlsxwriter::Workbook::new();
    let bold = rust_xlsxwriter::Format::new().set_bold();
    let s = wb.add_worksheet().set_name("社区").unwrap();
    s.merge_range(0, 0, 0, 3, "2026年社区情况表", &bold)
        .unwrap();
    for (k, h) in ["编号", "名称", "户数", "评级"].iter().enumerate() {
        s.write_string(1, k as u16, *h).unwrap();
    }
    for (r, (id, name, h)) in [("C1", "社区A", 2750.0), ("C2", "社区B", 3000.0)]
        .iter()
        .enumerate()
    {
        let r = r as u32 + 2;
        s.write_string(r, 0, *id).unwrap();
        s.write_string(r, 1, *name).unwrap();
        s.write_number(r, 2, *h).unwrap();
        s.write_string(r, 3, "一般").unwrap();
    }
    let p = wb.add_worksheet().set_name("人员").unwrap();
    for (k, h) in ["编号", "社区编号", "姓名", "职务", "任职起"]
        .iter()
        .enumerate()
    {
        p.write_string(0, k as u16, *h).unwrap();
    }
    let date = rust_xlsxwriter::Format::new().set_num_format("yyyy-mm-dd");
    for (r, (id, c, name, post, (y, m, day))) in [
        ("P1", "C1", "王芳", "director", (2020, 3, 1)),
        ("P2", "C2", "李伟", "委员", (2019, 5, 1)),
    ]
    .iter()
    .enumerate()
    {
        let r = r as u32 + 1;
        p.write_string(r, 0, *id).unwrap();
        p.write_string(r, 1, *c).unwrap();
        p.write_string(r, 2, *name).unwrap();
        p.write_string(r, 3, *post).unwrap();
        let dt = rust_xlsxwriter::ExcelDateTime::from_ymd(*y, *m, *day).unwrap();
        p.write_datetime_with_format(r, 4, dt, &date).unwrap();
    }
    // A bad cell, to be named by its sheet and row.
    p.write_string(3, 0, "P3").unwrap();
    p.write_string(3, 1, "C9").unwrap();
    p.write_string(3, 3, "委员").unwrap();
    p.write_string(3, 4, "2019-01-01").unwrap();
    wb.save(d.path("city.xlsx")).unwrap();
    let r = d.run(&[
        "budget",
        "--policy",
        "jilin-2011-13",
        "--year",
        "2026",
        "city.xlsx",
        "--lang",
        "en",
    ]);
    assert_eq!(r.code, 1, "{r:?}");
    assert!(
        r.stderr.contains("error[unknown_community]"),
        "{}",
        r.stderr
    );
    assert!(r.stderr.contains("city.xlsx[人员]:4"), "{}", r.stderr);
    assert!(
        r.stderr.contains("title") && r.stderr.contains("row 1"),
        "{}",
        r.stderr
    );
    // Without the bad row: the clean budget.
    let mut wb = rust_xlsxwriter::Workbook::new();
    let s = wb.add_worksheet().set_name("社区").unwrap();
    for (k, h) in ["编号", "户数", "评级"].iter().enumerate() {
        s.write_string(0, k as u16, *h).unwrap();
    }
    for (r, (id, h)) in [("C1", 2750.0), ("C2", 3000.0)].iter().enumerate() {
        s.write_string(r as u32 + 1, 0, *id).unwrap();
        s.write_number(r as u32 + 1, 1, *h).unwrap();
        s.write_string(r as u32 + 1, 2, "一般").unwrap();
    }
    wb.save(d.path("communities.xlsx")).unwrap();
    let r = d.run(&[
        "budget",
        "--policy",
        "jilin-2011-13",
        "--year",
        "2026",
        "communities.xlsx",
        "people.csv",
        "-o",
        "x.json",
    ]);
    assert_eq!(r.code, 0, "{r:?}");
    let x: serde_json::Value = serde_json::from_str(&d.read("x.json")).unwrap();
    assert_eq!(x["budget"]["totals"], clean["budget"]["totals"]);
}

/// One roster, two policies: `--unknown-posts skip`.
#[test]
fn unknown_posts_can_be_skipped() {
    let d = Dir::new();
    d.write(
        "people.csv",
        "id,community,post,start\nP1,C1,director,2020-03-01\nP2,C2,委员,2019-05-01\nP3,C2,居民小组长,2019-05-01\n",
    );
    let r = d.run(JILIN);
    assert_eq!(r.code, 1, "{r:?}");
    assert!(r.stderr.contains("unknown_posts = skip"), "{}", r.stderr);
    let r = d.run(&with(JILIN, &["--unknown-posts", "skip", "-o", "s.json"]));
    assert_eq!(r.code, 0, "{r:?}");
    let s: serde_json::Value = serde_json::from_str(&d.read("s.json")).unwrap();
    assert_eq!(s["budget"]["totals"]["overall"], TOTAL);
    assert!(s["budget"]["warnings"]
        .as_array()
        .unwrap()
        .iter()
        .any(|w| w["code"] == "post_not_in_policy"));
}

#[test]
fn usage_errors_exit_2_and_the_excel_report_is_written() {
    let d = Dir::new();
    for args in [
        vec!["budget", "--policy", "jilin-2011-13", "communities.csv"],
        vec!["budget", "--sample", "atlantis"],
        vec!["budget", "--sample", "jilin", "communities.csv"],
        vec!["budget", "--sample", "jilin", "--set", "nonsense"],
        vec!["budget", "--sample", "jilin", "--year", "twenty"],
        vec!["frobnicate"],
    ] {
        let r = d.run(&args);
        assert_eq!(r.code, 2, "{args:?}: {r:?}");
    }
    // The Excel report is written (its contents: py/tests/test_report.py).
    let r = d.run(&with(JILIN, &["-o", "report.xlsx"]));
    assert_eq!(r.code, 0, "{r:?}");
    assert!(std::fs::read(d.path("report.xlsx"))
        .unwrap()
        .starts_with(b"PK"));
    let r = d.run(&with(JILIN, &["-o", "report.txt"]));
    assert_eq!(r.code, 2, "{r:?}");
}

#[test]
fn tsv_and_json_inputs_give_the_same_budget_as_csv() {
    let d = Dir::new();
    d.write("communities.tsv", &COMMUNITIES.replace(',', "\t"));
    d.write("people.tsv", &PEOPLE.replace(',', "\t"));
    d.write(
        "communities.json",
        &shequ::ffi::csv_to_json(COMMUNITIES).unwrap(),
    );
    d.write(
        "people.json",
        r#"[{"id":"P1","community":"C1","name":"王芳","post":"director","start":"2020-03-01"},
            {"id":"P2","community":"C2","name":"李伟","post":"member","start":"2019-05-01"}]"#,
    );
    let total = |c: &str, p: &str| {
        let r = d.run(&[
            "budget",
            "--policy",
            "jilin-2011-13",
            "--year",
            "2026",
            c,
            p,
            "-o",
            "t.json",
        ]);
        assert_eq!(r.code, 0, "{r:?}");
        let v: serde_json::Value = serde_json::from_str(&d.read("t.json")).unwrap();
        v["budget"]["totals"]["overall"]
            .as_str()
            .unwrap()
            .to_string()
    };
    assert_eq!(total("communities.csv", "people.csv"), TOTAL);
    assert_eq!(total("communities.tsv", "people.tsv"), TOTAL);
    assert_eq!(total("communities.json", "people.json"), TOTAL);
}

#[test]
fn adjustments_a_policy_file_and_options() {
    let d = Dir::new();
    d.write(
        "adj.csv",
        "community,rule,amount,reason\nC1,work_funds,1000.50,面积大\n",
    );
    std::fs::copy(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../policies/jilin-2011-13.toml"),
        d.path("mine.toml"),
    )
    .unwrap();
    let r = d.run(&[
        "budget",
        "--policy",
        "mine.toml",
        "--year",
        "2026",
        "communities.csv",
        "people.csv",
        "adj.csv",
        "--as-of",
        "2026-06-30",
        "--quota",
        "warn",
        "--ratings",
        "given",
        "-o",
        "a.json",
    ]);
    assert_eq!(r.code, 0, "{r:?}");
    let v: serde_json::Value = serde_json::from_str(&d.read("a.json")).unwrap();
    // Half a year of stipends: 6 × 1200 + 6 × 1100; work funds and the adjustment in full.
    assert_eq!(v["budget"]["totals"]["overall"], "101050.50");
    assert_eq!(v["budget"]["as_of"], "2026-06-30");
    let r = d.run(&with(JILIN, &["--as-of", "2025-13-01"]));
    assert_eq!(r.code, 1, "{r:?}");
    assert!(r.stderr.contains("[invalid_date]"), "{}", r.stderr);
}

#[test]
fn samples_default_their_policy_year_and_parameters() {
    let d = Dir::new();
    for id in shequ::samples::IDS {
        let r = d.run(&["budget", "--sample", id, "--quota", "warn"]);
        assert_eq!(r.code, 0, "{id}: {r:?}");
        assert_eq!(
            english_words(&r.stdout),
            Vec::<String>::new(),
            "{id}: {}",
            r.stdout
        );
        let r = d.run(&["compliance", "--sample", id]);
        assert_eq!(r.code, 0, "{id}: {r:?}");
        assert_eq!(
            english_words(&r.stdout),
            Vec::<String>::new(),
            "{id}: {}",
            r.stdout
        );
    }
    // Harbin's deputy salary comes with the sample; a --param changes it.
    let total = |extra: &[&str]| {
        let mut args = vec!["budget", "--sample", "harbin", "-o", "h.json"];
        args.extend(extra);
        let r = d.run(&args);
        assert_eq!(r.code, 0, "{r:?}");
        let v: serde_json::Value = serde_json::from_str(&d.read("h.json")).unwrap();
        v["budget"]["totals"]["by_rule"][0][1]
            .as_str()
            .unwrap()
            .parse::<rust_decimal::Decimal>()
            .unwrap()
    };
    let at_1800 = total(&[]);
    let at_2700 = total(&["--param", "deputy_salary_monthly=2700"]);
    assert_eq!(
        at_2700 * rust_decimal::Decimal::from(2),
        at_1800 * rust_decimal::Decimal::from(3)
    );
}

#[test]
fn a_missing_parameter_is_named() {
    let d = Dir::new();
    d.write("h.csv", "id,households,stars\nH1,1800,5\n");
    let r = d.run(&[
        "budget",
        "--policy",
        "harbin-2011-14",
        "--year",
        "2012",
        "h.csv",
    ]);
    assert_eq!(r.code, 1, "{r:?}");
    assert!(r.stderr.contains("错误[missing_parameter]"), "{}", r.stderr);
    assert!(
        r.stderr.contains("参数 deputy_salary_monthly"),
        "{}",
        r.stderr
    );
    let r = d.run(&[
        "budget",
        "--policy",
        "harbin-2011-14",
        "--year",
        "2012",
        "h.csv",
        "--param",
        "deputy_salary_monthly=2600",
    ]);
    assert_eq!(r.code, 0, "{r:?}");
}

#[test]
fn compliance_prints_and_writes_findings() {
    let d = Dir::new();
    let r = d.run(&[
        "compliance",
        "--policy",
        "jilin-2011-13",
        "--year",
        "2026",
        "communities.csv",
        "people.csv",
    ]);
    assert_eq!(r.code, 0, "{r:?}");
    assert!(r.stdout.contains("合规检查"), "{}", r.stdout);
    assert!(r.stdout.contains("居委会成员配备"), "{}", r.stdout);
    assert_eq!(
        english_words(&r.stdout),
        Vec::<String>::new(),
        "{}",
        r.stdout
    );
    let r = d.run(&[
        "compliance",
        "--policy",
        "jilin-2011-13",
        "--year",
        "2026",
        "communities.csv",
        "people.csv",
        "-o",
        "f.csv",
    ]);
    assert_eq!(r.code, 0, "{r:?}");
    let text = d.read("f.csv");
    assert!(
        text.starts_with("\u{feff}社区编号,社区名称,检查项编号"),
        "{text}"
    );
    let r = d.run(&[
        "compliance",
        "--policy",
        "jilin-2011-13",
        "--year",
        "2026",
        "communities.csv",
        "people.csv",
        "-o",
        "f.json",
    ]);
    assert_eq!(r.code, 0, "{r:?}");
    let written: serde_json::Value = serde_json::from_str(&d.read("f.json")).unwrap();
    let expected: serde_json::Value =
        serde_json::from_str(&shequ::ffi::compliance_json(&request("")).unwrap()).unwrap();
    assert_eq!(written, expected);
    assert_eq!(
        text.lines().count(),
        written["findings"].as_array().unwrap().len() + 1
    );
}

#[test]
fn explain_tells_one_community_by_id_or_name() {
    let d = Dir::new();
    let args = [
        "explain",
        "--policy",
        "jilin-2011-13",
        "--year",
        "2026",
        "communities.csv",
        "people.csv",
    ];
    let r = d.run(&with(&args, &["--community", "C1"]));
    assert_eq!(r.code, 0, "{r:?}");
    assert!(
        r.stdout.contains("2750户 × 1500元/百户 = 41,250.00元"),
        "{}",
        r.stdout
    );
    assert!(
        r.stdout.contains("王芳(P1)"),
        "people by name: {}",
        r.stdout
    );
    let by_name = d.run(&with(&args, &["--community", "社区A"]));
    assert_eq!(by_name.stdout, r.stdout);
    let r = d.run(&with(&args, &["--community", "C9"]));
    assert_eq!(r.code, 1, "{r:?}");
    assert!(r.stderr.contains("C9"), "{}", r.stderr);
}

#[test]
fn check_policy_accepts_a_good_file_and_names_the_line_of_a_bad_one() {
    let d = Dir::new();
    let good = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("../policies/jilin-2011-13.toml"),
    )
    .unwrap();
    d.write("good.toml", &good);
    let r = d.run(&["check-policy", "good.toml"]);
    assert_eq!(r.code, 0, "{r:?}");
    assert!(
        r.stdout.contains("jilin-2011-13") && r.stdout.contains("吉市发[2011]13号"),
        "{}",
        r.stdout
    );
    assert!(
        r.stdout.contains("work_funds") && r.stdout.contains("社区年工作经费"),
        "{}",
        r.stdout
    );

    // A key the format does not have, on line 3.
    d.write("bad.toml", "[policy]\nid = \"x\"\nbogus = 1\n");
    let r = d.run(&["--lang", "en", "check-policy", "bad.toml"]);
    assert_eq!(r.code, 1, "{r:?}");
    assert!(r.stderr.starts_with("error[policy_syntax]"), "{}", r.stderr);
    assert!(r.stderr.contains("bad.toml:3, key `bogus`"), "{}", r.stderr);
    assert!(r.stderr.contains("line 3"), "{}", r.stderr);

    // A wrong value deep in a real file: its line.
    let broken = good.replace(
        "households_per_unit = { value = 100,",
        "households_per_unit = { value = \"many\",",
    );
    let line = broken.lines().position(|l| l.contains("\"many\"")).unwrap() + 1;
    d.write("broken.toml", &broken);
    let r = d.run(&["check-policy", "broken.toml"]);
    assert_eq!(r.code, 1, "{r:?}");
    assert!(
        r.stderr.contains(&format!("broken.toml 第 {line} 行")),
        "{}",
        r.stderr
    );

    let r = d.run(&["check-policy", "absent.toml"]);
    assert_eq!(r.code, 1, "{r:?}");
    assert!(r.stderr.contains("absent.toml"), "{}", r.stderr);
}

#[test]
fn policies_lists_the_builtins() {
    let d = Dir::new();
    let r = d.run(&["policies"]);
    assert_eq!(r.code, 0, "{r:?}");
    for id in shequ::Policy::builtin_ids() {
        assert!(r.stdout.contains(id), "{id}: {}", r.stdout);
    }
    assert!(r.stdout.contains("吉林市"), "{}", r.stdout);
    let r = d.run(&["policies", "--lang", "en"]);
    assert!(r.stdout.contains("Jilin City"), "{}", r.stdout);
}

#[test]
fn a_large_input_shows_no_progress_when_stderr_is_not_a_terminal() {
    let d = Dir::new();
    let mut text = String::from("id,households,rating\n");
    for i in 0..50_001 {
        text.push_str(&format!("C{i},{},ordinary\n", 1000 + i % 3000));
    }
    d.write("big.csv", &text);
    let r = d.run(&[
        "budget",
        "--policy",
        "jilin-2011-13",
        "--year",
        "2026",
        "big.csv",
        "--top",
        "1",
    ]);
    assert_eq!(r.code, 0, "{r:?}");
    assert!(r.stderr.is_empty(), "{}", r.stderr);
    assert!(r.stdout.contains("社区 50,001 个"), "{}", r.stdout);
}
