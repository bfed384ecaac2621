//! The Excel report is the same file from every front-end: the workbook
//! bytes of a few bundled samples' requests, in Chinese and English, have
//! the digests `tests/reports/xlsx-digests.json` holds, which the Python
//! (`py/tests/test_report.py`) and Node (`wasm/tests/report.test.mjs`)
//! tests check their own bytes against. The digest is FNV-1a 64 of the
//! bytes and their length (a fingerprint, not a seal: any difference of a
//! byte shows). Write the file again after a deliberate change of the
//! report with `SHEQU_WRITE_SNAPSHOT=1 cargo test -p shequ --test report`.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use serde_json::Value;

/// The cases: a sample and a language.
const CASES: &[(&str, &str)] = &[
    ("jilin", "zh"),
    ("jilin", "en"),
    ("jiayuguan", "zh"),
    ("harbin", "zh"),
    ("chifeng", "en"),
];

const FILE: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/../tests/reports/xlsx-digests.json"
);

/// The request of a case, as every front-end builds it: the sample's
/// request body (`ffi::sample_json`) with quota breaches as warnings.
fn request(sample: &str) -> String {
    let mut v: Value = serde_json::from_str(&shequ::ffi::sample_json(sample).unwrap()).unwrap();
    v["quota"] = "warn".into();
    v.to_string()
}

/// FNV-1a 64 of the bytes, with their length: `fnv1a64:<hex>:<length>`.
fn digest(bytes: &[u8]) -> String {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in bytes {
        h ^= u64::from(*b);
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    format!("fnv1a64:{h:016x}:{}", bytes.len())
}

#[test]
fn the_workbooks_have_the_recorded_digests() {
    let mut got = serde_json::Map::new();
    for (sample, lang) in CASES {
        let bytes = shequ::ffi::report_xlsx(&request(sample), lang).unwrap();
        assert_eq!(&bytes[..2], b"PK", "a zip file");
        // The same bytes every time.
        assert_eq!(
            bytes,
            shequ::ffi::report_xlsx(&request(sample), lang).unwrap()
        );
        got.insert(format!("{sample}-{lang}"), digest(&bytes).into());
    }
    let got = Value::Object(got);
    if std::env::var_os("SHEQU_WRITE_SNAPSHOT").is_some() {
        std::fs::write(FILE, serde_json::to_string_pretty(&got).unwrap() + "\n").unwrap();
        return;
    }
    let want: Value = serde_json::from_str(&std::fs::read_to_string(FILE).unwrap()).unwrap();
    assert_eq!(
        got, want,
        "the report changed: write the digests again if that was meant"
    );
}

#[test]
fn the_budget_and_the_boundary_write_the_same_workbook() {
    let s = shequ::samples::jilin();
    let policy = shequ::Policy::builtin(s.policy).unwrap();
    let frame =
        shequ::ffi::read_frame(&shequ::ffi::parse_request(&request("jilin")).unwrap()).unwrap();
    let b = policy
        .budget_of(
            std::sync::Arc::new(frame),
            &s.options().quota(shequ::QuotaMode::Warn),
        )
        .unwrap();
    assert_eq!(
        b.to_xlsx(shequ::Lang::Zh).unwrap(),
        shequ::ffi::report_xlsx(&request("jilin"), "zh").unwrap()
    );
}
