//! `shequ serve`: an HTTP JSON service over the core's JSON boundary.
//!
//! | endpoint | answer |
//! | --- | --- |
//! | `GET /health` | `{"status": "ok", "version": …}` |
//! | `GET /policies` | `ffi::policies_json` |
//! | `GET /policies/{id}` | `ffi::policy_json(id)` (404 for an unknown id) |
//! | `POST /budget` | `ffi::compute_json(body)` |
//! | `POST /compliance` | `ffi::compliance_json(body)` |
//! | `POST /explain` | the budget request plus `community` (or `person`) and `lang` → `{community, lang, text}` (or `{person, …}`) |
//! | `POST /report.xlsx?lang=zh` | the budget request → the Excel report (`shequ::report::xlsx`), `lang` `zh` (default) or `en` |
//! | `POST /report.csv?lang=zh` | the budget request → the line items as CSV |
//!
//! Errors are `{"error": {code, message, zh, record, field, line, key}}`
//! (`zh`: the message in Chinese): 400
//! for JSON that is not a request (`bad_request`), 413 for a body over
//! `--max-body-bytes` (`body_too_large`) or more rows than `--max-rows`
//! (`too_many_rows`, counted before anything is computed), 422 for input and
//! policy errors (the core's codes), 404 / 405, and 500 (`internal`)
//! only for a bug: a panic in a handler is caught and the server keeps
//! serving. Core calls run on the blocking pool, at most one per core at a
//! time; SIGINT or SIGTERM stops accepting connections and lets the
//! requests in flight finish.

#![allow(clippy::result_large_err)] // an error answer is made once per request, as in `shequ::ffi`

use crate::args::ServeArgs;
use crate::error::CliError;
use crate::text::Lang;
use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::Query;
use axum::extract::{DefaultBodyLimit, Path, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::Router;
use serde::de::{Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde::Deserialize;
use shequ::ffi::ErrorBody;
use std::future::Future;
use std::sync::Arc;
use tokio::sync::Semaphore;
use tower_http::catch_panic::CatchPanicLayer;

pub use crate::args::{DEFAULT_MAX_BODY_BYTES, DEFAULT_MAX_ROWS};

/// The service's limits.
#[derive(Debug, Clone)]
pub struct Config {
    /// Largest request body, in bytes.
    pub max_body_bytes: usize,
    /// Most table rows in one request.
    pub max_rows: usize,
    /// Core calls at once (the rest wait their turn).
    pub workers: usize,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            max_body_bytes: DEFAULT_MAX_BODY_BYTES,
            max_rows: DEFAULT_MAX_ROWS,
            workers: std::thread::available_parallelism().map_or(2, usize::from),
        }
    }
}

/// An error answer: a status and the typed body.
#[derive(Debug)]
pub struct ApiError {
    /// HTTP status.
    pub status: StatusCode,
    /// The error.
    pub body: ErrorBody,
}

fn error_body(code: &str, message: impl Into<String>) -> ErrorBody {
    let zh = match code {
        "body_too_large" => "请求体超过本服务的上限",
        "too_many_rows" => "请求的行数超过本服务的上限",
        "not_found" => "没有这个接口",
        "method_not_allowed" => "此接口不接受这种请求方法",
        "internal" => "服务内部错误(shequ 的缺陷),请报告",
        other => shequ::error::zh_summary(other).unwrap_or("请求有误"),
    };
    ErrorBody {
        code: code.into(),
        message: message.into(),
        zh: zh.to_string(),
        record: None,
        field: None,
        line: None,
        key: None,
    }
}

impl ApiError {
    /// An error of the service's own.
    pub fn new(status: StatusCode, code: &str, message: impl Into<String>) -> Self {
        ApiError {
            status,
            body: error_body(code, message),
        }
    }

    /// A core error, with the status its code calls for.
    pub fn core(body: ErrorBody) -> Self {
        ApiError {
            status: status_of(&body.code),
            body,
        }
    }

    /// `internal` (500): a bug, never bad input.
    pub fn internal(message: impl Into<String>) -> Self {
        ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, "internal", message)
    }
}

/// The status of an error code.
pub fn status_of(code: &str) -> StatusCode {
    match code {
        "bad_request" => StatusCode::BAD_REQUEST,
        "body_too_large" | "too_many_rows" => StatusCode::PAYLOAD_TOO_LARGE,
        "not_found" => StatusCode::NOT_FOUND,
        "method_not_allowed" => StatusCode::METHOD_NOT_ALLOWED,
        "internal" => StatusCode::INTERNAL_SERVER_ERROR,
        // Every other code is the core's: bad input or a bad policy.
        _ => StatusCode::UNPROCESSABLE_ENTITY,
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let text = serde_json::json!({ "error": self.body }).to_string();
        (
            self.status,
            [(header::CONTENT_TYPE, "application/json")],
            text,
        )
            .into_response()
    }
}

/// A JSON answer the core wrote.
fn json(text: String) -> Response {
    (
        StatusCode::OK,
        [(header::CONTENT_TYPE, "application/json; charset=utf-8")],
        text,
    )
        .into_response()
}

/// The service's state: its limits and the turns at the core.
#[derive(Debug, Clone)]
pub struct Service {
    config: Config,
    permits: Arc<Semaphore>,
}

impl Service {
    /// A service with these limits.
    pub fn new(config: Config) -> Self {
        let permits = Arc::new(Semaphore::new(config.workers.max(1)));
        Service { config, permits }
    }

    /// The limits.
    pub fn config(&self) -> &Config {
        &self.config
    }

    /// Run CPU-heavy work on the blocking pool, off the async executor,
    /// when a turn is free. A panic in it becomes `internal` (500).
    ///
    /// # Errors
    /// `internal` when the work panicked or could not run.
    pub async fn blocking<T, F>(&self, work: F) -> Result<T, ApiError>
    where
        T: Send + 'static,
        F: FnOnce() -> T + Send + 'static,
    {
        let turn = self
            .permits
            .clone()
            .acquire_owned()
            .await
            .map_err(|_| ApiError::internal("the service is stopping"))?;
        // The turn goes with the work: a client that hangs up does not free
        // it while the computation still runs.
        tokio::task::spawn_blocking(move || {
            let _turn = turn;
            work()
        })
        .await
        .map_err(|e| {
            if e.is_panic() {
                eprintln!(
                    "shequ serve: a computation panicked: {}",
                    panic_text(e.into_panic().as_ref())
                );
                ApiError::internal(
                    "the computation failed (a bug in shequ); the request was not answered",
                )
            } else {
                ApiError::internal("the computation was cancelled")
            }
        })
    }
}

fn panic_text(payload: &(dyn std::any::Any + Send)) -> String {
    payload
        .downcast_ref::<&str>()
        .map(|s| (*s).to_string())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "(no message)".into())
}

/// The endpoints, without the guards ([`guard`] adds them).
pub fn routes(service: Service) -> Router {
    Router::new()
        .route("/health", get(health))
        .route("/policies", get(policies))
        .route("/policies/{id}", get(policy))
        .route("/budget", post(budget))
        .route("/compliance", post(compliance))
        .route("/explain", post(explain))
        .route("/report.xlsx", post(report_xlsx))
        .route("/report.csv", post(report_csv))
        .with_state(service)
}

/// JSON answers for unknown paths and methods, the body limit, and a 500
/// for a panic in any handler (the connection and the server live on).
pub fn guard(router: Router, config: &Config) -> Router {
    router
        .fallback(not_found)
        .method_not_allowed_fallback(method_not_allowed)
        .layer(DefaultBodyLimit::max(config.max_body_bytes))
        .layer(CatchPanicLayer::custom(
            |payload: Box<dyn std::any::Any + Send>| {
                eprintln!(
                    "shequ serve: a handler panicked: {}",
                    panic_text(payload.as_ref())
                );
                ApiError::internal("the request failed (a bug in shequ)").into_response()
            },
        ))
}

/// The service: [`routes`] with [`guard`].
pub fn router(config: Config) -> Router {
    let guarded = config.clone();
    guard(routes(Service::new(config)), &guarded)
}

async fn health() -> Response {
    json(
        serde_json::json!({
            "status": "ok",
            "version": env!("CARGO_PKG_VERSION"),
            "policies": shequ::Policy::builtin_ids(),
        })
        .to_string(),
    )
}

async fn policies() -> Response {
    json(shequ::ffi::policies_json())
}

async fn policy(State(service): State<Service>, Path(id): Path<String>) -> Response {
    // Only built-in ids: this endpoint does not read policy text.
    if !shequ::Policy::builtin_ids().contains(&id.as_str()) {
        return ApiError::new(
            StatusCode::NOT_FOUND,
            "policy_not_found",
            format!(
                "no built-in policy `{id}`; built-in: {}",
                shequ::Policy::builtin_ids().join(", ")
            ),
        )
        .into_response();
    }
    match service.blocking(move || shequ::ffi::policy_json(&id)).await {
        Ok(Ok(text)) => json(text),
        Ok(Err(body)) => ApiError::core(body).into_response(),
        Err(e) => e.into_response(),
    }
}

/// The body, or a typed error for one too large or unreadable.
fn body_of(body: Result<Bytes, BytesRejection>, config: &Config) -> Result<Bytes, ApiError> {
    body.map_err(|r| {
        if r.status() == StatusCode::PAYLOAD_TOO_LARGE {
            ApiError::new(
                StatusCode::PAYLOAD_TOO_LARGE,
                "body_too_large",
                format!(
                    "the request body is larger than this server takes ({} bytes, --max-body-bytes)",
                    config.max_body_bytes
                ),
            )
        } else {
            ApiError::new(StatusCode::BAD_REQUEST, "bad_request", r.body_text())
        }
    })
}

/// Refuse a request with more rows than the limit, counted without reading
/// the rows. A body that is not JSON passes: the core names its fault.
fn check_rows(body: &[u8], max_rows: usize) -> Result<(), ApiError> {
    let Ok(counts) = serde_json::from_slice::<RowCount>(body) else {
        return Ok(());
    };
    let total = counts.communities + counts.people + counts.adjustments;
    if total <= max_rows {
        return Ok(());
    }
    let (field, _) = [
        ("communities", counts.communities),
        ("people", counts.people),
        ("adjustments", counts.adjustments),
    ]
    .into_iter()
    .max_by_key(|(_, n)| *n)
    .unwrap_or(("communities", 0));
    let mut e = ApiError::new(
        StatusCode::PAYLOAD_TOO_LARGE,
        "too_many_rows",
        format!(
            "the request has {total} rows ({} communities, {} people, {} adjustments); this server takes at most {max_rows} (--max-rows)",
            counts.communities, counts.people, counts.adjustments
        ),
    );
    e.body.field = Some(field.to_string());
    Err(e)
}

/// Run one core call on a request body.
async fn core_call(
    service: Service,
    body: Result<Bytes, BytesRejection>,
    call: fn(&[u8]) -> Result<String, ErrorBody>,
) -> Response {
    let body = match body_of(body, service.config()) {
        Ok(b) => b,
        Err(e) => return e.into_response(),
    };
    let max_rows = service.config().max_rows;
    let answer = service
        .blocking(move || {
            check_rows(&body, max_rows)?;
            call(&body).map_err(ApiError::core)
        })
        .await;
    match answer {
        Ok(Ok(text)) => json(text),
        Ok(Err(e)) | Err(e) => e.into_response(),
    }
}

async fn budget(State(service): State<Service>, body: Result<Bytes, BytesRejection>) -> Response {
    core_call(service, body, shequ::ffi::compute_json).await
}

async fn compliance(
    State(service): State<Service>,
    body: Result<Bytes, BytesRejection>,
) -> Response {
    core_call(service, body, shequ::ffi::compliance_json).await
}

async fn explain(State(service): State<Service>, body: Result<Bytes, BytesRejection>) -> Response {
    let body = match body_of(body, service.config()) {
        Ok(b) => b,
        Err(e) => return e.into_response(),
    };
    let max_rows = service.config().max_rows;
    let answer = service
        .blocking(move || -> Result<String, ApiError> {
            check_rows(&body, max_rows)?;
            let bad = |field: &str, message: String| {
                let mut e = ApiError::new(StatusCode::BAD_REQUEST, "bad_request", message);
                e.body.field = Some(field.to_string());
                e
            };
            let mut request: serde_json::Map<String, serde_json::Value> =
                serde_json::from_slice(&body).map_err(|e| {
                    ApiError::new(StatusCode::BAD_REQUEST, "bad_request", e.to_string())
                })?;
            let id = |v: Option<serde_json::Value>| match v {
                Some(serde_json::Value::String(c)) => Some(c),
                Some(serde_json::Value::Number(n)) => Some(n.to_string()),
                _ => None,
            };
            let community = id(request.remove("community"));
            let person = id(request.remove("person"));
            let lang = match request.remove("lang") {
                None => "zh".to_string(),
                Some(serde_json::Value::String(l)) => l,
                Some(other) => return Err(bad("lang", format!("`{other}` is not zh or en"))),
            };
            let rest = serde_json::Value::Object(request).to_string();
            match (community, person) {
                (Some(community), _) => {
                    let text = shequ::ffi::explain_json(&rest, &community, &lang)
                        .map_err(ApiError::core)?;
                    Ok(
                        serde_json::json!({"community": community, "lang": lang, "text": text})
                            .to_string(),
                    )
                }
                (None, Some(person)) => {
                    let text = shequ::ffi::explain_person_json(&rest, &person, &lang)
                        .map_err(ApiError::core)?;
                    Ok(
                        serde_json::json!({"person": person, "lang": lang, "text": text})
                            .to_string(),
                    )
                }
                (None, None) => Err(bad(
                    "community",
                    "`community` or `person` (the id of one of the request's) is required".into(),
                )),
            }
        })
        .await;
    match answer {
        Ok(Ok(text)) => json(text),
        Ok(Err(e)) | Err(e) => e.into_response(),
    }
}

/// `?lang=zh|en` of a report.
#[derive(Debug, Deserialize, Default)]
pub struct ReportQuery {
    /// `zh` (default) or `en`.
    #[serde(default)]
    pub lang: Option<String>,
}

/// A report of a request's budget, written by `write` in the language the
/// query asks for.
async fn report(
    service: Service,
    query: Result<Query<ReportQuery>, axum::extract::rejection::QueryRejection>,
    body: Result<Bytes, BytesRejection>,
    write: fn(&[u8], &str) -> Result<Vec<u8>, ErrorBody>,
    content_type: &'static str,
    file_name: &'static str,
) -> Response {
    let lang = match query {
        Ok(Query(q)) => q.lang.unwrap_or_else(|| "zh".into()),
        Err(e) => {
            return ApiError::new(StatusCode::BAD_REQUEST, "bad_request", e.body_text())
                .into_response()
        }
    };
    let body = match body_of(body, service.config()) {
        Ok(b) => b,
        Err(e) => return e.into_response(),
    };
    let max_rows = service.config().max_rows;
    let answer = service
        .blocking(move || {
            check_rows(&body, max_rows)?;
            write(&body, &lang).map_err(ApiError::core)
        })
        .await;
    match answer {
        Ok(Ok(bytes)) => (
            StatusCode::OK,
            [
                (header::CONTENT_TYPE, content_type),
                (header::CONTENT_DISPOSITION, file_name),
            ],
            bytes,
        )
            .into_response(),
        Ok(Err(e)) | Err(e) => e.into_response(),
    }
}

async fn report_xlsx(
    State(service): State<Service>,
    query: Result<Query<ReportQuery>, axum::extract::rejection::QueryRejection>,
    body: Result<Bytes, BytesRejection>,
) -> Response {
    report(
        service,
        query,
        body,
        shequ::ffi::report_xlsx,
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "attachment; filename=\"budget.xlsx\"",
    )
    .await
}

async fn report_csv(
    State(service): State<Service>,
    query: Result<Query<ReportQuery>, axum::extract::rejection::QueryRejection>,
    body: Result<Bytes, BytesRejection>,
) -> Response {
    report(
        service,
        query,
        body,
        |body, lang| shequ::ffi::report_csv(body, lang).map(String::into_bytes),
        "text/csv; charset=utf-8",
        "attachment; filename=\"budget.csv\"",
    )
    .await
}

async fn not_found() -> Response {
    ApiError::new(
        StatusCode::NOT_FOUND,
        "not_found",
        "no such endpoint; see GET /health, GET /policies, POST /budget, POST /compliance, POST /explain, POST /report.xlsx, POST /report.csv",
    )
    .into_response()
}

async fn method_not_allowed() -> Response {
    ApiError::new(
        StatusCode::METHOD_NOT_ALLOWED,
        "method_not_allowed",
        "wrong method for this endpoint (requests are POSTed, lists are GET)",
    )
    .into_response()
}

/// Rows per table of a request, counted without reading the rows: a
/// list's length, or `rows` of a table sent as columns.
#[derive(Debug, Default)]
struct RowCount {
    communities: usize,
    people: usize,
    adjustments: usize,
}

impl<'de> Deserialize<'de> for RowCount {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = RowCount;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a request object")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<RowCount, A::Error> {
                let mut c = RowCount::default();
                while let Some(key) = map.next_key::<std::borrow::Cow<'de, str>>()? {
                    match key.as_ref() {
                        "communities" => c.communities = map.next_value::<TableCount>()?.0,
                        "people" => c.people = map.next_value::<TableCount>()?.0,
                        "adjustments" => c.adjustments = map.next_value::<TableCount>()?.0,
                        _ => {
                            map.next_value::<IgnoredAny>()?;
                        }
                    }
                }
                Ok(c)
            }
        }
        d.deserialize_map(V)
    }
}

/// The rows of one table.
struct TableCount(usize);

impl<'de> Deserialize<'de> for TableCount {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = TableCount;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a table")
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<TableCount, A::Error> {
                let mut n = 0usize;
                while seq.next_element::<IgnoredAny>()?.is_some() {
                    n += 1;
                }
                Ok(TableCount(n))
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<TableCount, A::Error> {
                let mut n = 0usize;
                while let Some(key) = map.next_key::<std::borrow::Cow<'de, str>>()? {
                    if key == "rows" {
                        n = usize::try_from(map.next_value::<u64>().unwrap_or(0))
                            .unwrap_or(usize::MAX);
                    } else {
                        map.next_value::<IgnoredAny>()?;
                    }
                }
                Ok(TableCount(n))
            }
            fn visit_unit<E>(self) -> Result<TableCount, E> {
                Ok(TableCount(0))
            }
            fn visit_none<E>(self) -> Result<TableCount, E> {
                Ok(TableCount(0))
            }
            fn visit_bool<E>(self, _: bool) -> Result<TableCount, E> {
                Ok(TableCount(0))
            }
            fn visit_i64<E>(self, _: i64) -> Result<TableCount, E> {
                Ok(TableCount(0))
            }
            fn visit_u64<E>(self, _: u64) -> Result<TableCount, E> {
                Ok(TableCount(0))
            }
            fn visit_f64<E>(self, _: f64) -> Result<TableCount, E> {
                Ok(TableCount(0))
            }
            fn visit_str<E>(self, _: &str) -> Result<TableCount, E> {
                Ok(TableCount(0))
            }
        }
        d.deserialize_any(V)
    }
}

/// Serve on `listener` until `shutdown` resolves, then let the requests in
/// flight finish.
///
/// # Errors
/// The listener failed.
pub async fn serve<S>(
    listener: tokio::net::TcpListener,
    config: Config,
    shutdown: S,
) -> std::io::Result<()>
where
    S: Future<Output = ()> + Send + 'static,
{
    axum::serve(listener, router(config))
        .with_graceful_shutdown(shutdown)
        .await
}

/// Resolves on SIGINT (Ctrl-C) or SIGTERM.
pub async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = term => {},
    }
}

/// `shequ serve`: bind, say where, serve until a signal.
///
/// # Errors
/// The address cannot be bound, or the runtime cannot start.
pub fn run_from_args(args: &ServeArgs, lang: Lang) -> Result<(), CliError> {
    let addr = format!("{}:{}", args.host, args.port);
    let fail = |error: std::io::Error| CliError::Serve {
        addr: addr.clone(),
        error,
    };
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .map_err(fail)?;
    let config = Config {
        max_body_bytes: args.max_body_bytes,
        max_rows: args.max_rows,
        ..Config::default()
    };
    runtime.block_on(async {
        let listener = tokio::net::TcpListener::bind((args.host.as_str(), args.port))
            .await
            .map_err(fail)?;
        let local = listener.local_addr().map_err(fail)?;
        let line = match lang {
            Lang::Zh => format!("shequ 服务已启动:http://{local}(Ctrl-C 停止)"),
            Lang::En => format!("shequ serve: listening on http://{local} (Ctrl-C to stop)"),
        };
        {
            use std::io::Write as _;
            let mut out = std::io::stdout().lock();
            let _ = writeln!(out, "{line}");
            let _ = out.flush();
        }
        serve(listener, config, shutdown_signal())
            .await
            .map_err(fail)?;
        eprintln!("{}", lang.pick("shequ 服务已停止", "shequ serve: stopped"));
        Ok(())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_are_counted_in_both_table_forms() {
        let body = br#"{"policy":"x","communities":[{"id":"C1"},{"id":"C2"}],"people":{"rows":5,"columns":{"id":[1,2,3,4,5]}},"year":2026}"#;
        let c = serde_json::from_slice::<RowCount>(body).unwrap_or_default();
        assert_eq!((c.communities, c.people, c.adjustments), (2, 5, 0));
        assert!(check_rows(body, 7).is_ok());
        let e = check_rows(body, 6)
            .err()
            .map(|e| (e.status, e.body.code, e.body.field));
        assert_eq!(
            e,
            Some((
                StatusCode::PAYLOAD_TOO_LARGE,
                "too_many_rows".into(),
                Some("people".into())
            ))
        );
    }

    #[test]
    fn core_codes_are_unprocessable_and_bad_requests_400() {
        assert_eq!(
            status_of("negative_households"),
            StatusCode::UNPROCESSABLE_ENTITY
        );
        assert_eq!(status_of("policy_syntax"), StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(status_of("bad_request"), StatusCode::BAD_REQUEST);
        for code in shequ::error::ALL_ERROR_CODES {
            assert_ne!(status_of(code), StatusCode::INTERNAL_SERVER_ERROR, "{code}");
        }
    }
}
