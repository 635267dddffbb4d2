//! HTTP JSON API and web page over the scholarly search index.
//!
//! [`app`] builds the router from an [`AppState`]; `main.rs` opens the index, ingests the
//! bundled corpus into an empty data directory and serves it. Handlers are thin: searches,
//! document loads and ingestion run on tokio's blocking pool ([`AppState::blocking`]), and
//! every failure goes through [`AppError`].
//!
//! | module | what |
//! |---|---|
//! | [`qparse`] | the user query language (hand-written, never fails) |
//! | [`search`] | query building, facets, sorting, hits |
//! | [`snippet`] | matched pages and `<mark>`ed snippets on folded forms |
//! | [`docs`] | stored documents by id |
//! | [`cite`], [`similar`], [`suggest`] | citation export, more like this, completions |
//! | [`api`], [`write`], [`web`] | the handlers |

pub mod api;
pub mod cite;
pub mod docs;
pub mod error;
pub mod qparse;
pub mod search;
pub mod similar;
pub mod snippet;
pub mod state;
pub mod suggest;
pub mod web;
pub mod write;

use std::time::Duration;

use axum::extract::DefaultBodyLimit;
use axum::http::{header, HeaderValue, Method, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::Router;
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

/// The whole application.
pub fn app(state: AppState) -> Router {
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
        .route("/health", get(api::health))
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
        ));
    reads
        .merge(uploads)
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
        .layer(TraceLayer::new_for_http())
        .with_state(state)
}
