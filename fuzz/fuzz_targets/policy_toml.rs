//! Any text as a policy file: `Policy::from_toml`; a policy that reads is
//! then used for a budget and a compliance report of a small city.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(policy) = shequ::Policy::from_toml(text, "fuzz.toml") else {
        return;
    };
    let post = policy.file().posts.first().map(|p| p.id.clone()).unwrap_or_default();
    let request = serde_json::json!({"policy": {"toml": text}, "year": 2026, "quota": "warn",
        "communities": [{"id": "C1", "households": 2750, "rating": "ordinary", "stars": 5, "grids": 3}],
        "people": [{"id": "P1", "community": "C1", "post": post, "start": "2015-03-01"}]})
    .to_string();
    let _ = shequ::ffi::compute_json(&request);
    let _ = shequ::ffi::compliance_json(&request);
});
