//! `shequ serve` with real HTTP requests on 127.0.0.1: the router in
//! process on a port the system picks, and the binary itself.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use axum::routing::get;
use http_body_util::{BodyExt, Full};
use hyper::body::Bytes;
use hyper_util::client::legacy::Client;
use hyper_util::rt::TokioExecutor;
use serde_json::{json, Value};
use shequ_cli::serve::{self, Config, Service};
use std::net::SocketAddr;
use std::time::{Duration, Instant};
use tokio::sync::oneshot;

type HttpClient = Client<hyper_util::client::legacy::connect::HttpConnector, Full<Bytes>>;

fn client() -> HttpClient {
    Client::builder(TokioExecutor::new()).build_http()
}

/// A request and its answer: status, content type and body bytes.
async fn call_bytes(
    c: &HttpClient,
    method: &str,
    url: &str,
    body: impl Into<Bytes>,
) -> (u16, String, Vec<u8>) {
    let req = hyper::Request::builder()
        .method(method)
        .uri(url)
        .header("content-type", "application/json")
        .body(Full::new(body.into()))
        .unwrap();
    let resp = c.request(req).await.unwrap();
    let status = resp.status().as_u16();
    let kind = resp
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_string();
    let bytes = resp.into_body().collect().await.unwrap().to_bytes();
    (status, kind, bytes.to_vec())
}

/// A request and its answer: status and body.
async fn call(c: &HttpClient, method: &str, url: &str, body: impl Into<Bytes>) -> (u16, String) {
    let req = hyper::Request::builder()
        .method(method)
        .uri(url)
        .header("content-type", "application/json")
        .body(Full::new(body.into()))
        .unwrap();
    let resp = c.request(req).await.unwrap();
    let status = resp.status().as_u16();
    let bytes = resp.into_body().collect().await.unwrap().to_bytes();
    (status, String::from_utf8(bytes.to_vec()).unwrap())
}

struct Server {
    base: String,
    stop: Option<oneshot::Sender<()>>,
    task: tokio::task::JoinHandle<std::io::Result<()>>,
}

impl Server {
    /// The service's router, optionally with test-only routes, on
    /// 127.0.0.1:0.
    async fn start(config: Config, extra: Option<axum::Router>) -> Server {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr: SocketAddr = listener.local_addr().unwrap();
        let mut routes = serve::routes(Service::new(config.clone()));
        if let Some(extra) = extra {
            routes = routes.merge(extra);
        }
        let app = serve::guard(routes, &config);
        let (tx, rx) = oneshot::channel::<()>();
        let task = tokio::spawn(async move {
            axum::serve(listener, app)
                .with_graceful_shutdown(async {
                    let _ = rx.await;
                })
                .await
        });
        Server {
            base: format!("http://{addr}"),
            stop: Some(tx),
            task,
        }
    }
    fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }
    async fn stop(mut self) {
        if let Some(tx) = self.stop.take() {
            let _ = tx.send(());
        }
        tokio::time::timeout(Duration::from_secs(10), self.task)
            .await
            .expect("the server stops")
            .unwrap()
            .unwrap();
    }
}

fn jilin_request() -> String {
    let mut sample: Value =
        serde_json::from_str(&shequ::ffi::sample_json("jilin").unwrap()).unwrap();
    sample["quota"] = json!("warn");
    sample.to_string()
}

fn error_of(body: &str) -> Value {
    let v: Value = serde_json::from_str(body).unwrap_or_else(|e| panic!("{e}: {body}"));
    v["error"].clone()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_endpoint_answers() {
    let s = Server::start(Config::default(), None).await;
    let c = client();

    let (st, body) = call(&c, "GET", &s.url("/health"), "").await;
    assert_eq!(st, 200, "{body}");
    assert_eq!(
        serde_json::from_str::<Value>(&body).unwrap()["status"],
        "ok"
    );

    let (st, body) = call(&c, "GET", &s.url("/policies"), "").await;
    assert_eq!(st, 200);
    assert_eq!(body, shequ::ffi::policies_json());

    let (st, body) = call(&c, "GET", &s.url("/policies/jilin-2011-13"), "").await;
    assert_eq!(st, 200);
    assert_eq!(body, shequ::ffi::policy_json("jilin-2011-13").unwrap());
    let (st, body) = call(&c, "GET", &s.url("/policies/atlantis"), "").await;
    assert_eq!(st, 404, "{body}");
    assert_eq!(error_of(&body)["code"], "policy_not_found");

    // The answer is the boundary's, byte for byte.
    let request = jilin_request();
    let (st, body) = call(&c, "POST", &s.url("/budget"), request.clone()).await;
    assert_eq!(st, 200);
    assert_eq!(body, shequ::ffi::compute_json(&request).unwrap());

    let (st, body) = call(&c, "POST", &s.url("/compliance"), request.clone()).await;
    assert_eq!(st, 200);
    assert_eq!(body, shequ::ffi::compliance_json(&request).unwrap());

    let mut ask: Value = serde_json::from_str(&request).unwrap();
    ask["community"] = json!("C001");
    ask["lang"] = json!("en");
    let (st, body) = call(&c, "POST", &s.url("/explain"), ask.to_string()).await;
    assert_eq!(st, 200, "{body}");
    let v: Value = serde_json::from_str(&body).unwrap();
    assert_eq!(v["community"], "C001");
    assert_eq!(
        v["text"],
        shequ::ffi::explain_json(&request, "C001", "en").unwrap()
    );

    // The Excel report: the core's bytes for the same request, in zh by
    // default and in en when asked.
    let (st, kind, bytes) = call_bytes(&c, "POST", &s.url("/report.xlsx"), request.clone()).await;
    assert_eq!(st, 200);
    assert_eq!(
        kind,
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    );
    assert!(
        bytes == shequ::ffi::report_xlsx(&request, "zh").unwrap(),
        "the core's bytes"
    );
    let (st, _, bytes) =
        call_bytes(&c, "POST", &s.url("/report.xlsx?lang=en"), request.clone()).await;
    assert_eq!(st, 200);
    assert!(
        bytes == shequ::ffi::report_xlsx(&request, "en").unwrap(),
        "the core's bytes"
    );
    let (st, body) = call(&c, "POST", &s.url("/report.xlsx?lang=fr"), request.clone()).await;
    assert_eq!(st, 400, "{body}");
    assert_eq!(error_of(&body)["code"], "bad_request");
    let (st, body) = call(&c, "POST", &s.url("/report.xlsx"), "{").await;
    assert_eq!(st, 400, "{body}");
    assert!(
        error_of(&body)["zh"]
            .as_str()
            .unwrap()
            .starts_with("请求有误"),
        "{body}"
    );
    let (st, body) = call(&c, "POST", &s.url("/report.csv"), request.clone()).await;
    assert_eq!(st, 200);
    assert_eq!(body, shequ::ffi::report_csv(&request, "zh").unwrap());

    // One person's story.
    let mut ask: Value = serde_json::from_str(&request).unwrap();
    let person = ask["people"][0]["id"].clone();
    ask["person"] = person.clone();
    let (st, body) = call(&c, "POST", &s.url("/explain"), ask.to_string()).await;
    assert_eq!(st, 200, "{body}");
    let v: Value = serde_json::from_str(&body).unwrap();
    assert_eq!(v["person"], person);
    assert_eq!(
        v["text"],
        shequ::ffi::explain_person_json(&request, person.as_str().unwrap(), "zh").unwrap()
    );

    let (st, body) = call(&c, "GET", &s.url("/nowhere"), "").await;
    assert_eq!(st, 404);
    assert_eq!(error_of(&body)["code"], "not_found");
    let (st, body) = call(&c, "GET", &s.url("/budget"), "").await;
    assert_eq!(st, 405);
    assert_eq!(error_of(&body)["code"], "method_not_allowed");
    s.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bad_requests_are_400_and_bad_input_422_with_typed_errors() {
    let s = Server::start(Config::default(), None).await;
    let c = client();

    for body in [
        "{not json",
        "[]",
        r#"{"year": 2026}"#,
        r#"{"policy":"jilin-2011-13","year":2026,"communities":[],"colour":"red"}"#,
    ] {
        let (st, answer) = call(&c, "POST", &s.url("/budget"), body).await;
        assert_eq!(st, 400, "{body}: {answer}");
        assert_eq!(error_of(&answer)["code"], "bad_request", "{answer}");
    }

    let negative =
        r#"{"policy":"jilin-2011-13","year":2026,"communities":[{"id":"C1","households":-5}]}"#;
    let (st, answer) = call(&c, "POST", &s.url("/budget"), negative).await;
    assert_eq!(st, 422, "{answer}");
    let e = error_of(&answer);
    assert_eq!(e["code"], "negative_households");
    assert_eq!(e["field"], "households");
    assert_eq!(
        e["record"],
        json!({"kind": "community", "index": 0, "id": "C1"})
    );
    assert!(e["message"].as_str().unwrap().contains("-5"));
    // The same typed error as the boundary's.
    let expected = shequ::ffi::compute_json(negative).unwrap_err();
    assert_eq!(e, serde_json::to_value(&expected).unwrap());

    // A policy file with a mistake: 422 with its line and key.
    let bad_policy = json!({
        "policy": {"toml": "[policy]\nid = \"x\"\nbogus = 1\n", "origin": "mine.toml"},
        "year": 2026, "communities": []
    });
    let (st, answer) = call(&c, "POST", &s.url("/compliance"), bad_policy.to_string()).await;
    assert_eq!(st, 422, "{answer}");
    let e = error_of(&answer);
    assert_eq!(e["code"], "policy_syntax");
    assert_eq!(e["line"], 3);
    assert_eq!(e["key"], "bogus");

    let unknown = r#"{"policy":"atlantis","year":2026,"communities":[]}"#;
    let (st, answer) = call(&c, "POST", &s.url("/budget"), unknown).await;
    assert_eq!(st, 422, "{answer}");
    assert_eq!(error_of(&answer)["code"], "policy_not_found");

    let missing = r#"{"policy":"harbin-2011-14","year":2012,"communities":[{"id":"H1","households":1800,"stars":5}]}"#;
    let (st, answer) = call(&c, "POST", &s.url("/budget"), missing).await;
    assert_eq!(st, 422, "{answer}");
    assert_eq!(error_of(&answer)["field"], "deputy_salary_monthly");

    // Explain needs a community of the request.
    let request = jilin_request();
    let (st, answer) = call(&c, "POST", &s.url("/explain"), request.clone()).await;
    assert_eq!(st, 400, "{answer}");
    assert_eq!(error_of(&answer)["field"], "community");
    let mut ask: Value = serde_json::from_str(&request).unwrap();
    ask["community"] = json!("C999");
    let (st, answer) = call(&c, "POST", &s.url("/explain"), ask.to_string()).await;
    assert_eq!(st, 400, "{answer}");
    ask["community"] = json!("C001");
    ask["lang"] = json!("fr");
    let (st, answer) = call(&c, "POST", &s.url("/explain"), ask.to_string()).await;
    assert_eq!(st, 400, "{answer}");
    s.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bodies_and_row_counts_over_the_limits_are_413() {
    let config = Config {
        max_body_bytes: 4096,
        max_rows: 3,
        ..Config::default()
    };
    let s = Server::start(config, None).await;
    let c = client();

    let big = format!(
        r#"{{"policy":"jilin-2011-13","year":2026,"communities":[{}]}}"#,
        vec![r#"{"id":"C1","households":2750}"#; 200].join(",")
    );
    assert!(big.len() > 4096);
    let (st, answer) = call(&c, "POST", &s.url("/budget"), big).await;
    assert_eq!(st, 413, "{answer}");
    assert_eq!(error_of(&answer)["code"], "body_too_large");

    let rows = |n: usize, as_columns: bool| {
        let communities = if as_columns {
            json!({"rows": n, "columns": {"id": (0..n).map(|i| format!("C{i}")).collect::<Vec<_>>(), "households": vec![2750; n], "rating": vec!["ordinary"; n]}})
        } else {
            Value::Array((0..n).map(|i| json!({"id": format!("C{i}"), "households": 2750, "rating": "ordinary"})).collect())
        };
        json!({"policy": "jilin-2011-13", "year": 2026, "communities": communities}).to_string()
    };
    for as_columns in [false, true] {
        let (st, answer) = call(&c, "POST", &s.url("/budget"), rows(4, as_columns)).await;
        assert_eq!(st, 413, "{answer}");
        let e = error_of(&answer);
        assert_eq!(e["code"], "too_many_rows");
        assert_eq!(e["field"], "communities");
        let (st, answer) = call(&c, "POST", &s.url("/budget"), rows(3, as_columns)).await;
        assert_eq!(st, 200, "{answer}");
    }
    let mut ask: Value = serde_json::from_str(&rows(4, false)).unwrap();
    ask["community"] = json!("C0");
    let (st, _) = call(&c, "POST", &s.url("/explain"), ask.to_string()).await;
    assert_eq!(st, 413);
    s.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_panic_is_a_500_and_the_server_keeps_serving() {
    let service = Service::new(Config::default());
    let blocking = service.clone();
    let extra = axum::Router::new()
        .route(
            "/boom",
            get(|| async {
                if std::hint::black_box(true) {
                    panic!("boom in a handler");
                }
                "unreachable"
            }),
        )
        .route(
            "/boom-blocking",
            get(move || {
                let s = blocking.clone();
                async move {
                    s.blocking(|| -> String { panic!("boom in a computation") })
                        .await
                }
            }),
        );
    let s = Server::start(Config::default(), Some(extra)).await;
    let c = client();
    for path in ["/boom", "/boom-blocking"] {
        let (st, answer) = call(&c, "GET", &s.url(path), "").await;
        assert_eq!(st, 500, "{path}: {answer}");
        assert_eq!(error_of(&answer)["code"], "internal");
        let (st, _) = call(&c, "GET", &s.url("/health"), "").await;
        assert_eq!(st, 200, "still serving after {path}");
    }
    let request = jilin_request();
    let (st, _) = call(&c, "POST", &s.url("/budget"), request).await;
    assert_eq!(st, 200);
    s.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_budgets_all_equal_the_boundary() {
    let s = Server::start(Config::default(), None).await;
    let c = client();
    let request = jilin_request();
    let expected = shequ::ffi::compute_json(&request).unwrap();
    let mut tasks = Vec::new();
    for _ in 0..16 {
        let (c, url, body) = (c.clone(), s.url("/budget"), request.clone());
        tasks.push(tokio::spawn(
            async move { call(&c, "POST", &url, body).await },
        ));
    }
    for t in tasks {
        let (st, body) = t.await.unwrap();
        assert_eq!(st, 200);
        assert!(body == expected, "every answer equals compute_json's");
    }
    s.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn shutdown_lets_the_request_in_flight_finish() {
    let service = Service::new(Config::default());
    let slow = axum::Router::new().route(
        "/slow",
        get(move || {
            let s = service.clone();
            async move {
                let done = s
                    .blocking(|| {
                        std::thread::sleep(Duration::from_millis(600));
                        "done"
                    })
                    .await
                    .unwrap_or("failed");
                done.to_string()
            }
        }),
    );
    let s = Server::start(Config::default(), Some(slow)).await;
    let base = s.base.clone();
    let c = client();
    let in_flight = {
        let (c, url) = (c.clone(), s.url("/slow"));
        tokio::spawn(async move { call(&c, "GET", &url, "").await })
    };
    tokio::time::sleep(Duration::from_millis(150)).await;
    let started = Instant::now();
    s.stop().await;
    // The server waited for the slow request, which was answered in full.
    assert!(
        started.elapsed() >= Duration::from_millis(300),
        "{:?}",
        started.elapsed()
    );
    let (st, body) = in_flight.await.unwrap();
    assert_eq!((st, body.as_str()), (200, "done"));
    // And no longer accepts connections.
    let refused = tokio::net::TcpStream::connect(base.trim_start_matches("http://")).await;
    assert!(refused.is_err());
}

/// The binary: `shequ serve --port 0` says where it listens, answers, and
/// exits 0 on SIGTERM.
#[cfg(unix)]
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_binary_serves_and_stops_on_sigterm() {
    use std::io::BufRead as _;
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_shequ"))
        .args(["serve", "--port", "0", "--lang", "en"])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let stdout = child.stdout.take().unwrap();
    let line = tokio::task::spawn_blocking(move || {
        let mut line = String::new();
        std::io::BufReader::new(stdout)
            .read_line(&mut line)
            .map(|_| line)
    })
    .await
    .unwrap()
    .unwrap();
    assert!(line.contains("listening on http://127.0.0.1:"), "{line}");
    let url = line
        .split_whitespace()
        .find(|w| w.starts_with("http://"))
        .unwrap()
        .to_string();
    let c = client();
    let (st, _) = call(&c, "GET", &format!("{url}/health"), "").await;
    assert_eq!(st, 200);
    let request = jilin_request();
    let (st, body) = call(&c, "POST", &format!("{url}/budget"), request.clone()).await;
    assert_eq!(st, 200);
    assert_eq!(body, shequ::ffi::compute_json(&request).unwrap());

    let killed = std::process::Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(killed.success());
    let deadline = Instant::now() + Duration::from_secs(10);
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        assert!(Instant::now() < deadline, "the server did not stop");
        tokio::time::sleep(Duration::from_millis(50)).await;
    };
    assert!(status.success(), "{status:?}");
}
