//! A bounded load run of `shequ serve` (not a test): start the service in
//! process on 127.0.0.1, fire `--requests` budget requests of a bundled
//! sample from `--concurrency` clients at once, check every answer equals
//! `ffi::compute_json`'s for the same request, and print the latency
//! percentiles and the throughput. Loopback only; it stops after the
//! requests or `--max-seconds`, whichever comes first.
//!
//! ```text
//! cargo run --release -p shequ-cli --example load -- --requests 2000 --concurrency 200
//! cargo run --release -p shequ-cli --example load -- --sample jiayuguan --requests 500 --concurrency 50
//! ```

use http_body_util::{BodyExt, Full};
use hyper::body::Bytes;
use hyper_util::client::legacy::Client;
use hyper_util::rt::TokioExecutor;
use shequ_cli::serve::{self, Config};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

type Error = Box<dyn std::error::Error + Send + Sync>;

struct Args {
    requests: usize,
    concurrency: usize,
    sample: String,
    max_seconds: u64,
}

fn args() -> Result<Args, Error> {
    let mut a = Args {
        requests: 2000,
        concurrency: 200,
        sample: "jilin".into(),
        max_seconds: 300,
    };
    let mut it = std::env::args().skip(1);
    while let Some(flag) = it.next() {
        let mut value = || it.next().ok_or_else(|| format!("{flag} needs a value"));
        match flag.as_str() {
            "--requests" => a.requests = value()?.parse()?,
            "--concurrency" => a.concurrency = value()?.parse()?,
            "--sample" => a.sample = value()?,
            "--max-seconds" => a.max_seconds = value()?.parse()?,
            _ => {
                return Err(format!(
                    "usage: load [--requests N] [--concurrency N] [--sample {}] [--max-seconds S]",
                    shequ::samples::IDS.join("|")
                )
                .into())
            }
        }
    }
    if a.requests == 0 || a.concurrency == 0 {
        return Err("--requests and --concurrency must be at least 1".into());
    }
    Ok(a)
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    if sorted.is_empty() {
        return Duration::ZERO;
    }
    // Nearest rank.
    let rank = ((p / 100.0) * sorted.len() as f64).ceil() as usize;
    sorted[rank.clamp(1, sorted.len()) - 1]
}

fn ms(d: Duration) -> String {
    format!("{:.1}", d.as_secs_f64() * 1000.0)
}

#[derive(Default)]
struct Outcome {
    latencies: Vec<Duration>,
    wrong: usize,
    failed: usize,
}

fn main() -> Result<(), Error> {
    let a = args()?;
    // The sample's request, as a client would send it.
    let mut request: serde_json::Value =
        serde_json::from_str(&shequ::ffi::sample_json(&a.sample).map_err(|e| e.message)?)?;
    request["quota"] = "warn".into();
    let request = Bytes::from(request.to_string());
    let expected = Bytes::from(shequ::ffi::compute_json(&request[..]).map_err(|e| e.message)?);
    let answer: serde_json::Value = serde_json::from_slice(&expected)?;
    let total = answer["budget"]["totals"]["overall"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    let items = answer["budget"]["items"].as_array().map_or(0, Vec::len);

    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    runtime.block_on(async move {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
        let addr = listener.local_addr()?;
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        let server = tokio::spawn(serve::serve(listener, Config::default(), async {
            let _ = stopped.await;
        }));
        let url: hyper::Uri = format!("http://{addr}/budget").parse()?;
        let client: Client<_, Full<Bytes>> = Client::builder(TokioExecutor::new())
            .pool_max_idle_per_host(a.concurrency)
            .build_http();
        println!(
            "shequ serve load run: sample {} ({} items, answer {} bytes, request {} bytes), {} requests, {} at once, server workers {}",
            a.sample,
            items,
            expected.len(),
            request.len(),
            a.requests,
            a.concurrency,
            Config::default().workers
        );
        let next = Arc::new(AtomicUsize::new(0));
        let deadline = Instant::now() + Duration::from_secs(a.max_seconds);
        let started = Instant::now();
        let mut clients = Vec::new();
        for _ in 0..a.concurrency {
            let (client, url, next) = (client.clone(), url.clone(), next.clone());
            let (request, expected) = (request.clone(), expected.clone());
            let requests = a.requests;
            clients.push(tokio::spawn(async move {
                let mut out = Outcome::default();
                while next.fetch_add(1, Ordering::Relaxed) < requests && Instant::now() < deadline {
                    let t0 = Instant::now();
                    let req = hyper::Request::post(url.clone())
                        .header("content-type", "application/json")
                        .body(Full::new(request.clone()));
                    let Ok(req) = req else {
                        out.failed += 1;
                        continue;
                    };
                    match client.request(req).await {
                        Ok(resp) => {
                            let ok = resp.status() == hyper::StatusCode::OK;
                            match resp.into_body().collect().await {
                                Ok(body) => {
                                    out.latencies.push(t0.elapsed());
                                    if !ok || body.to_bytes() != expected {
                                        out.wrong += 1;
                                    }
                                }
                                Err(_) => out.failed += 1,
                            }
                        }
                        Err(_) => out.failed += 1,
                    }
                }
                out
            }));
        }
        let mut all = Outcome::default();
        for c in clients {
            let o = c.await?;
            all.latencies.extend(o.latencies);
            all.wrong += o.wrong;
            all.failed += o.failed;
        }
        let elapsed = started.elapsed();
        let _ = stop.send(());
        server.await??;

        let answered = all.latencies.len();
        all.latencies.sort_unstable();
        println!(
            "{} answered, {} differing from compute_json (total {total}), {} failed",
            answered, all.wrong, all.failed
        );
        println!(
            "latency ms: p50 {}  p90 {}  p99 {}  max {}",
            ms(percentile(&all.latencies, 50.0)),
            ms(percentile(&all.latencies, 90.0)),
            ms(percentile(&all.latencies, 99.0)),
            ms(all.latencies.last().copied().unwrap_or_default()),
        );
        println!(
            "throughput: {:.1} requests/s ({} requests in {:.2} s)",
            answered as f64 / elapsed.as_secs_f64(),
            answered,
            elapsed.as_secs_f64()
        );
        if all.wrong > 0 || all.failed > 0 || answered < a.requests {
            return Err::<(), Error>("not every request was answered with the expected budget".into());
        }
        Ok(())
    })
}
