//! The bureau's spreadsheet as it is: a city typed cleanly (the JSON
//! boundary's rows, English column names, ISO dates) and the same city as a
//! finance office keeps it — an Excel workbook written here with Chinese
//! headers, a merged title row, thousands separators, full-width digits,
//! dates as date cells, `2015/3/1`, `2019年3月1日` and Excel serial
//! numbers, 是/否 and a row of totals; a GBK CSV and a UTF-8 TSV with a
//! BOM — give exactly the same budget.

use rust_xlsxwriter::{ExcelDateTime, Format, Workbook, XlsxError};
use serde_json::{json, Value};
use shequ::read::TableKind;
use shequ::{BudgetOptions, Policy};
use std::sync::Arc;

type R<T = ()> = Result<T, Box<dyn std::error::Error>>;

/// (id, name, households, rating, grids)
const COMMUNITIES: &[(i64, &str, i64, &str, i64)] = &[
    (101, "胜利社区", 2750, "excellent", 6),
    (102, "光明社区", 1200, "good", 3),
    (103, "新华社区", 900, "good", 2),
    (104, "东风社区", 3100, "good", 7),
    (105, "建设社区", 1850, "ordinary", 4),
    (106, "和平社区", 640, "ordinary", 2),
    (107, "团结社区", 2230, "ordinary", 5),
    (108, "幸福社区", 1575, "ordinary", 4),
    (109, "长春社区", 980, "ordinary", 2),
    (110, "友谊社区", 1410, "ordinary", 3),
];

/// A date: year, month, day.
type Ymd = (u16, u8, u8);

/// (id, community, name, post, start, serving)
const PEOPLE: &[(&str, i64, &str, &str, Ymd, bool)] = &[
    ("P01", 101, "王芳", "director", (2015, 3, 1), false),
    ("P02", 101, "李强", "member", (2019, 3, 1), false),
    ("P03", 102, "张伟", "director", (2018, 7, 15), false),
    ("P04", 102, "刘洋", "deputy_director", (2020, 1, 1), true),
    ("P05", 103, "陈静", "director", (2016, 11, 30), false),
    ("P06", 104, "杨帆", "director", (2012, 5, 8), false),
    ("P07", 105, "赵敏", "member", (2021, 9, 1), false),
    ("P08", 107, "周杰", "director", (2017, 2, 28), false),
    ("P09", 110, "吴昊", "member", (2024, 2, 29), false),
];

/// Chinese words for the posts and ratings, as the bureau writes them.
fn zh_post(post: &str) -> &'static str {
    match post {
        "director" => "居民委员会主任",
        "deputy_director" => "副主任",
        _ => "委员",
    }
}

fn zh_rating(rating: &str) -> &'static str {
    match rating {
        "excellent" => "优秀",
        "good" => "良好",
        _ => "一般",
    }
}

/// The city typed cleanly, as a request of the JSON boundary.
fn clean_request() -> Value {
    json!({
        "policy": "jilin-2011-13",
        "year": 2026,
        "communities": COMMUNITIES.iter().map(|(id, name, h, rating, grids)| json!({
            "id": id, "name": name, "households": h, "rating": rating, "grids": grids
        })).collect::<Vec<_>>(),
        "people": PEOPLE.iter().map(|(id, c, name, post, (y, m, d), serving)| json!({
            "id": id, "community": c, "name": name, "post": post,
            "start": format!("{y:04}-{m:02}-{d:02}"), "serving": serving
        })).collect::<Vec<_>>(),
    })
}

/// Households as people write them: plain, with a thousands separator,
/// in full-width digits.
fn written_households(k: usize, h: i64) -> String {
    match k % 3 {
        0 => h.to_string(),
        1 => {
            let s = h.to_string();
            if s.len() > 3 {
                format!("{},{}", &s[..s.len() - 3], &s[s.len() - 3..])
            } else {
                s
            }
        }
        _ => h
            .to_string()
            .chars()
            .map(|c| char::from_u32(c as u32 - '0' as u32 + 0xff10).unwrap_or(c))
            .collect(),
    }
}

/// A date as people write it, by row: `2015/3/1`, `2019年3月1日`,
/// `2019.3.1`, `2019-3-1`.
fn written_date(k: usize, (y, m, d): (u16, u8, u8)) -> String {
    match k % 4 {
        0 => format!("{y}/{m}/{d}"),
        1 => format!("{y}年{m}月{d}日"),
        2 => format!("{y}.{m}.{d}"),
        _ => format!("{y}-{m}-{d}"),
    }
}

/// Days from 1899-12-30 (Excel's serial day 0, from 1 March 1900 on).
fn excel_serial((y, m, d): (u16, u8, u8)) -> f64 {
    let day = |y: i32, m: u32, d: u32| {
        chrono::NaiveDate::from_ymd_opt(y, m, d).map(|x| x.num_days_from_ce())
    };
    use chrono::Datelike;
    match (
        day(i32::from(y), u32::from(m), u32::from(d)),
        day(1899, 12, 30),
    ) {
        (Some(a), Some(b)) => f64::from(a - b),
        _ => f64::NAN,
    }
}

/// The city as the bureau's workbook: a merged title, Chinese headers and
/// values written every way the module docs list, a row of totals, empty
/// rows, and a sheet of notes.
fn bureau_workbook(extra_people: &[(&str, i64, &str, &str, &str)]) -> Result<Vec<u8>, XlsxError> {
    let mut wb = Workbook::new();
    let title = Format::new().set_bold();
    let date = Format::new().set_num_format("yyyy/m/d");
    {
        let s = wb.add_worksheet();
        s.set_name("社区基本情况")?;
        s.merge_range(0, 0, 0, 4, "2026年某市社区基本情况表", &title)?;
        for (k, h) in ["社区编号", "社区名称", "户数", "评级", "网格数"]
            .iter()
            .enumerate()
        {
            s.write_string(1, k as u16, *h)?;
        }
        let mut row = 2;
        for (k, (id, name, h, rating, grids)) in COMMUNITIES.iter().enumerate() {
            s.write_number(row, 0, *id as f64)?;
            s.write_string(row, 1, *name)?;
            if k % 4 == 3 {
                s.write_number(row, 2, *h as f64)?;
            } else {
                s.write_string(row, 2, written_households(k, *h))?;
            }
            s.write_string(row, 3, zh_rating(rating))?;
            s.write_number(row, 4, *grids as f64)?;
            row += 1;
        }
        // Empty rows (formatted, as a sheet copied about has them), then totals.
        s.write_blank(row, 0, &title)?;
        s.write_blank(row + 1, 2, &title)?;
        s.write_string(row + 2, 0, "合计")?;
        s.write_number(
            row + 2,
            2,
            COMMUNITIES.iter().map(|c| c.2).sum::<i64>() as f64,
        )?;
        s.write_blank(row + 4, 3, &title)?;
    }
    {
        let s = wb.add_worksheet();
        s.set_name("人员名单")?;
        s.merge_range(0, 0, 0, 5, "社区工作者名单", &title)?;
        for (k, h) in [
            "人员编号",
            "社区编号",
            "姓名",
            "职务",
            "任职日期",
            "是否在职",
        ]
        .iter()
        .enumerate()
        {
            s.write_string(1, k as u16, *h)?;
        }
        let mut row = 2;
        for (k, (id, c, name, post, start, serving)) in PEOPLE.iter().enumerate() {
            s.write_string(row, 0, *id)?;
            s.write_number(row, 1, *c as f64)?;
            s.write_string(row, 2, *name)?;
            s.write_string(row, 3, zh_post(post))?;
            match k % 3 {
                0 => {
                    let (y, m, d) = *start;
                    s.write_datetime_with_format(row, 4, ExcelDateTime::from_ymd(y, m, d)?, &date)?;
                }
                1 => {
                    s.write_string(row, 4, written_date(k, *start))?;
                }
                _ => {
                    // A date cell whose format was lost: its serial number.
                    s.write_number(row, 4, excel_serial(*start))?;
                }
            }
            s.write_string(row, 5, if *serving { "是" } else { "否" })?;
            row += 1;
        }
        for (id, c, name, post, start) in extra_people {
            s.write_string(row, 0, *id)?;
            s.write_number(row, 1, *c as f64)?;
            s.write_string(row, 2, *name)?;
            s.write_string(row, 3, *post)?;
            s.write_string(row, 4, *start)?;
            s.write_string(row, 5, "否")?;
            row += 1;
        }
    }
    {
        let s = wb.add_worksheet();
        s.set_name("填表说明")?;
        s.write_string(0, 0, "户数以2025年底统计为准")?;
    }
    wb.save_to_buffer()
}

/// What must be equal: every item and every total.
fn essence(budget: &shequ::Budget) -> R<Value> {
    let v = serde_json::to_value(budget)?;
    Ok(json!({"items": v["items"], "totals": v["totals"]}))
}

fn clean_budget() -> R<shequ::Budget> {
    Ok(shequ::ffi::budget_from_json(&clean_request().to_string()).map_err(|e| e.message)?)
}

fn budget_of_file(bytes: &[u8], name: &str) -> R<shequ::Budget> {
    let policy = Policy::builtin("jilin-2011-13")?;
    let frame = policy.read_file(bytes, Some(name))?;
    Ok(policy.budget_of(Arc::new(frame), &BudgetOptions::year(2026))?)
}

#[test]
fn the_bureau_workbook_gives_the_clean_budget() -> R {
    let clean = clean_budget()?;
    assert!(clean.items.len() > 20);
    let book = bureau_workbook(&[])?;
    let from_excel = budget_of_file(&book, "某市社区.xlsx")?;
    assert_eq!(essence(&from_excel)?, essence(&clean)?);
    // Integer ids stay integers.
    assert_eq!(
        from_excel.community_totals().next().map(|(id, _)| id),
        Some(shequ::Id::Int(101))
    );
    // And the reader said what it did.
    let codes: Vec<&str> = from_excel.warnings.iter().map(|w| w.code).collect();
    for code in [
        "sheet_read",
        "title_rows_skipped",
        "empty_rows_skipped",
        "total_rows_skipped",
        "sheet_not_read",
    ] {
        assert!(codes.contains(&code), "{code} not in {codes:?}");
    }
    let title = from_excel
        .warnings
        .iter()
        .find(|w| w.code == "title_rows_skipped")
        .map(|w| w.zh.clone())
        .unwrap_or_default();
    assert!(
        title.contains("社区基本情况") && title.contains("第 1 行"),
        "{title}"
    );
    assert!(from_excel
        .warnings
        .iter()
        .all(|w| w.code != "unknown_column"));
    // Every header was read as its column.
    let mapped: Vec<(String, Option<String>)> = from_excel
        .input()
        .columns
        .iter()
        .map(|c| (c.header.clone(), c.column.clone()))
        .collect();
    assert!(
        mapped.contains(&("任职日期".into(), Some("start".into()))),
        "{mapped:?}"
    );
    assert!(
        mapped.contains(&("是否在职".into(), Some("serving".into()))),
        "{mapped:?}"
    );
    Ok(())
}

#[test]
fn a_gbk_csv_and_a_utf8_tsv_give_the_clean_budget() -> R {
    let mut communities = String::from("社区编号,社区名称,户数,评级,网格数\r\n");
    for (k, (id, name, h, rating, grids)) in COMMUNITIES.iter().enumerate() {
        let h = written_households(k, *h);
        communities.push_str(&format!(
            "{id},{name},\"{h}\",{},{grids}\r\n",
            zh_rating(rating)
        ));
    }
    let gbk = encoding_rs::GBK.encode(&communities).0.into_owned();
    assert!(std::str::from_utf8(&gbk).is_err());
    let mut people = String::from("\u{feff}人员编号\t社区编号\t姓名\t职务\t任职起\t在职\n");
    for (k, (id, c, name, post, start, serving)) in PEOPLE.iter().enumerate() {
        people.push_str(&format!(
            "{id}\t{c}\t{name}\t{}\t{}\t{}\n",
            zh_post(post),
            written_date(k, *start),
            if *serving { "在职" } else { "不在职" }
        ));
    }
    let policy = Policy::builtin("jilin-2011-13")?;
    let headers = policy.headers();
    let files = [
        Some(shequ::read::sheet::File {
            bytes: &gbk,
            name: Some("社区.csv"),
        }),
        Some(shequ::read::sheet::File {
            bytes: people.as_bytes(),
            name: Some("人员.tsv"),
        }),
        None,
    ];
    let ([c, p, _], notes) = shequ::read::sheet::read_files(files, [false; 3], &headers)?;
    assert!(notes
        .iter()
        .any(|n| n.code == "text_encoding" && n.en.contains("GB18030")));
    let tables = shequ::read::Tables {
        communities: c.unwrap_or_default(),
        people: p.unwrap_or_default(),
        notes,
        ..Default::default()
    };
    let frame = shequ::read::frame_with(&tables, &headers)?;
    assert_eq!(frame.communities.name.get(0), "胜利社区");
    let budget = policy.budget_of(Arc::new(frame), &BudgetOptions::year(2026))?;
    assert_eq!(essence(&budget)?, essence(&clean_budget()?)?);
    Ok(())
}

#[test]
fn chinese_headers_in_json_rows_read_as_a_spreadsheet_does() -> R {
    // pandas.read_csv of the bureau's file, sent as rows: the same budget.
    let mut request = clean_request();
    let zh = |rows: &Value, names: &[(&str, &str)]| -> Value {
        Value::Array(
            rows.as_array()
                .into_iter()
                .flatten()
                .map(|r| {
                    let mut out = serde_json::Map::new();
                    for (k, v) in r.as_object().into_iter().flatten() {
                        let name = names
                            .iter()
                            .find(|(en, _)| en == k)
                            .map_or(k.as_str(), |(_, z)| z);
                        out.insert(name.to_string(), v.clone());
                    }
                    Value::Object(out)
                })
                .collect(),
        )
    };
    request["communities"] = zh(
        &request["communities"],
        &[
            ("id", "社区编号"),
            ("name", "社区名称"),
            ("households", "户数"),
            ("rating", "评级"),
            ("grids", "网格数"),
        ],
    );
    request["people"] = zh(
        &request["people"],
        &[
            ("id", "人员编号"),
            ("community", "社区编号"),
            ("name", "姓名"),
            ("post", "职务"),
            ("start", "任职日期"),
            ("serving", "在职"),
        ],
    );
    let budget = shequ::ffi::budget_from_json(&request.to_string()).map_err(|e| e.message)?;
    assert_eq!(essence(&budget)?, essence(&clean_budget()?)?);
    Ok(())
}

#[test]
fn one_roster_serves_two_policies_when_unknown_posts_are_skipped() -> R {
    let extra = [("P10", 101, "孙丽", "居民小组长", "2020-01-01")];
    let book = bureau_workbook(&extra)?;
    let policy = Policy::builtin("jilin-2011-13")?;
    let frame = Arc::new(policy.read_file(&book, Some("city.xlsx"))?);
    // By default, refused, listing the posts in Chinese too.
    let err = policy
        .budget_of(Arc::clone(&frame), &BudgetOptions::year(2026))
        .err()
        .map(|e| e.to_string())
        .unwrap_or_default();
    assert!(err.contains("unknown post `居民小组长`"), "{err}");
    assert!(
        err.contains("居民委员会主任") && err.contains("unknown_posts = skip"),
        "{err}"
    );
    // Skipped: the clean budget, and a note naming the row.
    let opts = BudgetOptions::year(2026).unknown_posts(shequ::options::UnknownPosts::Skip);
    let budget = policy.budget_of(frame, &opts)?;
    assert_eq!(essence(&budget)?, essence(&clean_budget()?)?);
    let skipped: Vec<_> = budget
        .warnings
        .iter()
        .filter(|w| w.code == "post_not_in_policy")
        .collect();
    assert_eq!(skipped.len(), 1);
    assert_eq!(skipped[0].person, Some(shequ::Id::from("P10")));
    assert!(skipped[0].zh.contains("居民小组长"), "{}", skipped[0].zh);
    Ok(())
}

#[test]
fn what_cannot_be_read_names_the_sheet_row_and_header() -> R {
    let extra = [("P10", 101, "孙丽", "委员", "2020-02-30")];
    let book = bureau_workbook(&extra)?;
    let policy = Policy::builtin("jilin-2011-13")?;
    let err = policy.read_file(&book, Some("city.xlsx")).err();
    let Some(shequ::Error::Input(err)) = err else {
        return Err("a bad date is refused".into());
    };
    assert_eq!(err.code.as_str(), "invalid_date");
    assert_eq!(err.field, "start");
    // Row 12 of the sheet: a title, the header, nine people, then this one.
    assert!(
        err.message
            .contains("sheet `人员名单`, row 12, column `任职日期`"),
        "{}",
        err.message
    );
    assert!(err.message.contains("2020-02-30"), "{}", err.message);
    Ok(())
}

#[test]
fn a_misspelt_required_header_gets_a_did_you_mean() -> R {
    let csv = "id,housholds\nC1,2750\n";
    let policy = Policy::builtin("jilin-2011-13")?;
    let err = policy.read_file(csv.as_bytes(), Some("c.csv")).err();
    let Some(shequ::Error::Input(err)) = err else {
        return Err("no households column".into());
    };
    assert_eq!(
        (err.code.as_str(), err.field.as_str()),
        ("missing_field", "households")
    );
    assert!(
        err.message.contains("did you mean `housholds`?"),
        "{}",
        err.message
    );
    assert!(err.message.contains("户数"), "{}", err.message);
    // Chinese headers too.
    let csv = "社区编号,户藉户数\nC1,2750\n";
    let err = policy.read_file(csv.as_bytes(), Some("c.csv")).err();
    let message = err.map(|e| e.to_string()).unwrap_or_default();
    assert!(message.contains("did you mean `户藉户数`?"), "{message}");
    Ok(())
}

#[test]
fn a_policy_adds_its_own_headers() -> R {
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../policies/jilin-2011-13.toml"
    ))?;
    let with = format!("{text}\n[headers.communities]\nhouseholds = [\"居民户数合计\"]\n");
    let policy = Policy::from_toml(&with, "mine.toml")?;
    assert_eq!(
        policy
            .headers()
            .column(TableKind::Communities, "居民户数合计"),
        Some("households")
    );
    let csv = "社区编号,居民户数合计,评级\n1,2750,一般\n";
    let frame = policy.read_file(csv.as_bytes(), Some("c.csv"))?;
    assert_eq!(frame.communities.households, [2750]);
    // A header for a column the table lacks, or one that means another
    // column already, is refused with its key.
    for (extra, code, key) in [
        (
            "[headers.people]\nstrat = [\"聘任时间\"]\n",
            "policy_unknown_reference",
            "headers.people.strat",
        ),
        (
            "[headers.people]\nstart = [\"职务\"]\n",
            "policy_invalid_value",
            "headers.people.start[0]",
        ),
        (
            "[headers.people]\nstart = [\" \"]\n",
            "policy_invalid_value",
            "headers.people.start[0]",
        ),
    ] {
        let err = Policy::from_toml(&format!("{text}\n{extra}"), "mine.toml").err();
        let err = err.ok_or("refused")?;
        assert_eq!(err.code(), code, "{extra}");
        assert!(err.to_string().contains(key), "{err}");
    }
    Ok(())
}

#[test]
fn a_file_that_is_no_table_says_what_to_do() {
    let policy = Policy::builtin("jilin-2011-13");
    let Ok(policy) = policy else { return };
    for (bytes, want) in [
        (&b"%PDF-1.4\x00\x01\x02\xff\xfe"[..], "not a spreadsheet"),
        (&b"PK\x03\x04not really a zip"[..], "cannot be opened"),
        ("备注\n这是一个文件".as_bytes(), "holds a table"),
    ] {
        let err = policy.read_file(bytes, Some("x")).err();
        let message = err.as_ref().map(|e| e.to_string()).unwrap_or_default();
        assert_eq!(err.map(|e| e.code()), Some("invalid_table"), "{message}");
        assert!(message.contains(want), "{message}");
    }
}
