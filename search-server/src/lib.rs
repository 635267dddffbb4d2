//! HTTP JSON API and web page over the scholarly search index.
//!
//! [`app`] builds the router from an [`AppState`]; `main.rs` opens the index, ingests the
//! bundled corpus into an empty data directory and serves it. Handlers are thin: searches,
//! document loads and ingestion run on tokio's blocking pool ([`AppState::blocking`]), and
//! every failure goes through [`AppError`].
//!
//! | module | what |
//! |---|---|
//! | [`search`] | the query language, query building, facets, sorting, proximity re-ranking, snippets, hits, more like this |
//! | [`documents`] | stored documents by id, the document cache, citation export |
//! | [`suggest`] | completions |
//! | [`text`] | folding, HTML escaping and URL segments shared by the others |
//! | [`uploads`] | the uploads folder of the data directory |
//! | [`api`], [`write`], [`web`] | the handlers |

pub mod api;
pub mod documents;
pub mod error;
pub mod search;
pub mod state;
pub mod suggest;
pub mod text;
pub mod uploads;
pub mod web;
pub mod write;

use std::sync::Arc;
use std::time::Duration;

use axum::extract::{DefaultBodyLimit, Request, State};
use axum::http::{header, HeaderValue, Method, StatusCode, Uri};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::Router;
use tokio::sync::Semaphore;
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::timeout::TimeoutLayer;
use tower_http::trace::TraceLayer;

pub use error::AppError;
pub use state::{AppState, Token};

/// The OpenAPI 3 description of the API, served at `/api/openapi.json`.
pub const OPENAPI_JSON: &str = include_str!("../static/openapi.json");

/// Body limit of uploads.
pub const UPLOAD_LIMIT: usize = 100 << 20;
/// Body limit of every other request.
pub const BODY_LIMIT: usize = 64 << 10;

/// How much one server process takes on at once. Requests over a bound wait up to
/// `queue_wait` for a slot, then get a 503 with `Retry-After`, so a burst slows answers down
/// instead of exhausting threads, memory or disk.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// Requests being answered at the same time (every route but `/health`, which must answer
    /// even when the server is saturated).
    pub max_in_flight: usize,
    /// Uploads being received or ingested at the same time (each may hold up to
    /// [`UPLOAD_LIMIT`] of disk while it is received); they count in `max_in_flight` too.
    pub max_uploads: usize,
    /// How long a request waits for a slot.
    pub queue_wait: Duration,
}

impl Default for Limits {
    fn default() -> Limits {
        Limits {
            max_in_flight: 128,
            max_uploads: 4,
            queue_wait: Duration::from_secs(10),
        }
    }
}

/// A bounded number of requests at once.
#[derive(Debug)]
struct Gate {
    slots: Arc<Semaphore>,
    wait: Duration,
    what: &'static str,
}

async fn gate(State(gate): State<Arc<Gate>>, req: Request, next: Next) -> Response {
    let permit = match gate.slots.clone().try_acquire_owned() {
        Ok(p) => Some(p),
        Err(_) if gate.wait.is_zero() => None,
        Err(_) => tokio::time::timeout(gate.wait, gate.slots.clone().acquire_owned())
            .await
            .ok()
            .and_then(Result::ok),
    };
    let Some(permit) = permit else {
        let mut resp = AppError::Unavailable(format!(
            "the server is busy ({}); try again in a few seconds",
            gate.what
        ))
        .into_response();
        resp.headers_mut()
            .insert(header::RETRY_AFTER, HeaderValue::from_static("5"));
        return resp;
    };
    let resp = next.run(req).await;
    drop(permit);
    resp
}

impl Gate {
    fn new(max: usize, wait: Duration, what: &'static str) -> Arc<Gate> {
        Arc::new(Gate {
            slots: Arc::new(Semaphore::new(max.max(1))),
            wait,
            what,
        })
    }
}

/// Every route, as `(method, path)` in axum syntax: the OpenAPI test checks each is documented.
pub const ROUTES: &[(&str, &str)] = &[
    ("get", "/api/search"),
    ("get", "/api/documents/{id}"),
    ("delete", "/api/documents/{id}"),
    ("get", "/api/documents/{id}/pages/{n}"),
    ("get", "/api/documents/{id}/file"),
    ("get", "/api/documents/{id}/cite"),
    ("get", "/api/documents/{id}/similar"),
    ("get", "/api/suggest"),
    ("get", "/api/collections"),
    ("post", "/api/collections/{name}/documents"),
    ("get", "/api/openapi.json"),
    ("get", "/health"),
];

async fn fallback(method: Method, uri: Uri) -> Response {
    if uri.path().starts_with("/api/") {
        AppError::not_found(format!("no route {method} {}", uri.path())).into_response()
    } else {
        web::not_found_page()
    }
}

/// The whole application, with the default [`Limits`].
pub fn app(state: AppState) -> Router {
    app_with_limits(state, Limits::default())
}

/// The whole application.
pub fn app_with_limits(state: AppState, limits: Limits) -> Router {
    let reads = Router::new()
        .route("/api/search", get(api::search))
        .route(
            "/api/documents/{id}",
            get(api::document).delete(write::delete),
        )
        .route("/api/documents/{id}/pages/{n}", get(api::page))
        .route("/api/documents/{id}/file", get(api::file))
        .route("/api/documents/{id}/cite", get(api::cite))
        .route("/api/documents/{id}/similar", get(api::similar))
        .route("/api/suggest", get(api::suggest))
        .route("/api/collections", get(api::collections))
        .route("/api/openapi.json", get(api::openapi))
        .route("/", get(web::index))
        .route("/doc/{id}", get(web::doc_page))
        .route("/static/{name}", get(web::asset))
        .route("/favicon.ico", get(web::favicon))
        .layer(DefaultBodyLimit::max(BODY_LIMIT))
        .layer(TimeoutLayer::with_status_code(
            StatusCode::REQUEST_TIMEOUT,
            Duration::from_secs(30),
        ));
    // Uploads of large PDFs over slow links, and their ingestion, take longer than searches.
    let uploads = Router::new()
        .route("/api/collections/{name}/documents", post(write::upload))
        .layer(DefaultBodyLimit::max(UPLOAD_LIMIT))
        .layer(TimeoutLayer::with_status_code(
            StatusCode::REQUEST_TIMEOUT,
            Duration::from_secs(600),
        ))
        .layer(middleware::from_fn_with_state(
            Gate::new(
                limits.max_uploads,
                limits.queue_wait,
                "too many uploads at once",
            ),
            gate,
        ));
    let limited = reads.merge(uploads).layer(middleware::from_fn_with_state(
        Gate::new(
            limits.max_in_flight,
            limits.queue_wait,
            "too many requests at once",
        ),
        gate,
    ));
    limited
        .route("/health", get(api::health))
        .fallback(fallback)
        .method_not_allowed_fallback(|| async {
            (
                StatusCode::METHOD_NOT_ALLOWED,
                axum::Json(serde_json::json!({ "error": "method not allowed on this route" })),
            )
                .into_response()
        })
        .layer(SetResponseHeaderLayer::if_not_present(
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        ))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::REFERRER_POLICY,
            HeaderValue::from_static("same-origin"),
        ))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::X_FRAME_OPTIONS,
            HeaderValue::from_static("SAMEORIGIN"),
        ))
        .layer(TraceLayer::new_for_http())
        .with_state(state)
}
