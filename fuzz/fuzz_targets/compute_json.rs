//! Any bytes as a request: `ffi::compute_json`, then the compliance report
//! and, for a budget, the explanation of its first community. A panic is a
//! finding (libFuzzer stops and saves the input).
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let answer = shequ::ffi::compute_json(data);
    let _ = shequ::ffi::compliance_json(data);
    if answer.is_ok() {
        if let Ok(text) = std::str::from_utf8(data) {
            if let Ok(v) = serde_json::from_str::<serde_json::Value>(text) {
                let id = v["communities"][0]["id"].as_str().unwrap_or("C1").to_string();
                let _ = shequ::ffi::explain_json(data, &id, "en");
            }
        }
    }
});
