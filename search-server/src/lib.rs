//! HTTP JSON API and web pages over the scholarly search index.
//!
//! [`app`] builds the router from an [`AppState`]; `main.rs` opens the index, ingests the
//! bundled corpus into an empty data directory and serves it.
//!
//! # Core types
//!
//! - [`AppState`]: what every handler shares, cheap to clone: the index and its reader (which
//!   reloads by itself after every commit), the data directory, the ranking weights, the write
//!   token and the caches of stored documents and completions.
//! - [`AppError`]: the one error type. A user's mistake is a 4xx with a JSON message saying what
//!   to change; anything else is a bare 500 whose cause is logged, never sent.
//! - [`search::SearchRequest`] → [`search::run`] → [`search::SearchResponse`]: a validated
//!   search, its execution, and the hits with snippets and facets.
//! - [`documents::StoredDoc`]: a document as the index stores it, which hits, the document
//!   routes, citations and the document page are all made from.
//!
//! # The way of a request
//!
//! `GET /api/search?q=…` passes the [`Limits`] gate and reaches [`routes::search`], which
//! validates the parameters ([`search::params`]) and runs [`search::run`] on tokio's blocking
//! pool ([`AppState::blocking`]): the query is parsed ([`search::query`]) and planned into
//! tantivy queries ([`search::plan`]), executed with facet counts ([`search::facets`]), the best
//! hits of a relevance sort re-ranked ([`search::proximity`]), and each hit made
//! ([`search::hits`]) from its cached stored document ([`documents::cache`]) with the pages
//! that matched and a `<mark>`ed snippet ([`search::snippets`]). The handler serialises the
//! response; a failure anywhere on the way is an [`AppError`] and becomes its response. The
//! other routes take the same way through their own domain module.
//!
//! # Modules
//!
//! Each module uses only modules below it in this table, so there are no import cycles.
//!
//! | module | what |
//! |---|---|
//! | [`routes`] | the HTTP handlers, one file per area; thin |
//! | [`web`] | the web pages: document page rendering, error pages, embedded static files |
//! | [`search`] | parameters, the query language, query plans, facets, proximity re-ranking, the model's part (hybrid, cross-lingual, other language), snippets, hits, more like this |
//! | [`uploads`] | the `uploads/` folder of the data directory |
//! | [`state`] | [`AppState`] and the write [`Token`] |
//! | [`warm`] | each new index generation's statistics and vectors, built before it is served |
//! | [`oai`] | the OAI-PMH provider: requests, lists, resumption tokens, Dublin Core and ETD-MS records |
//! | [`suggest`] | completions of titles and keywords |
//! | [`documents`] | stored documents by id, the document cache, citation export |
//! | [`limits`] | body sizes and the bounds on concurrent requests and uploads |
//! | [`semantic`] | the sentence-embedding model, query vectors, the documents' vectors, fusion |
//! | [`generation`] | values built once per index generation (completions, BM25 statistics, vectors) |
//! | [`error`] | [`AppError`] |
//! | [`text`] | folding, HTML escaping and URL path segments, shared by the others |

pub mod documents;
pub mod error;
pub mod generation;
pub mod limits;
pub mod oai;
pub mod routes;
pub mod search;
pub mod semantic;
pub mod state;
pub mod suggest;
pub mod text;
pub mod uploads;
pub mod warm;
pub mod web;

use std::time::Duration;

use axum::extract::DefaultBodyLimit;
use axum::http::{header, HeaderValue, StatusCode};
use axum::middleware;
use axum::response::IntoResponse;
use axum::routing::{get, post};
use axum::Router;
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::timeout::TimeoutLayer;
use tower_http::trace::TraceLayer;

use limits::{gate, Gate};

pub use error::AppError;
pub use limits::{Limits, BODY_LIMIT, UPLOAD_LIMIT};
pub use state::{AppState, Token};

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
    ("get", "/oai"),
    ("post", "/oai"),
];

/// Every request but `/health` gets the rebuild advice (503) once the index's files were found
/// damaged, instead of reading them.
async fn refuse_when_damaged(
    axum::extract::State(state): axum::extract::State<AppState>,
    req: axum::extract::Request,
    next: middleware::Next,
) -> axum::response::Response {
    match state.damaged() {
        Some(advice) => AppError::Unavailable(advice.to_string()).into_response(),
        None => next.run(req).await,
    }
}

/// The whole application, with the default [`Limits`].
pub fn app(state: AppState) -> Router {
    app_with_limits(state, Limits::default())
}

/// The whole application.
pub fn app_with_limits(state: AppState, limits: Limits) -> Router {
    let reads = Router::new()
        .route("/api/search", get(routes::search::search))
        .route(
            "/api/documents/{id}",
            get(routes::documents::document).delete(routes::write::delete),
        )
        .route(
            "/api/documents/{id}/pages/{n}",
            get(routes::documents::page),
        )
        .route("/api/documents/{id}/file", get(routes::documents::file))
        .route("/api/documents/{id}/cite", get(routes::documents::cite))
        .route(
            "/api/documents/{id}/similar",
            get(routes::documents::similar),
        )
        .route("/api/suggest", get(routes::search::suggest))
        .route("/api/collections", get(routes::meta::collections))
        .route("/api/openapi.json", get(routes::meta::openapi))
        .route("/oai", get(routes::oai::get).post(routes::oai::post))
        .route("/", get(routes::pages::index))
        .route("/doc/{id}", get(routes::pages::doc_page))
        .route("/static/{name}", get(routes::pages::asset))
        .route("/favicon.ico", get(routes::pages::favicon))
        .layer(DefaultBodyLimit::max(BODY_LIMIT))
        .layer(TimeoutLayer::with_status_code(
            StatusCode::REQUEST_TIMEOUT,
            Duration::from_secs(30),
        ));
    // Uploads of large PDFs over slow links, and their ingestion, take longer than searches.
    let uploads = Router::new()
        .route(
            "/api/collections/{name}/documents",
            post(routes::write::upload),
        )
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
    let limited = reads
        .merge(uploads)
        .layer(middleware::from_fn_with_state(
            Gate::new(
                limits.max_in_flight,
                limits.queue_wait,
                "too many requests at once",
            ),
            gate,
        ))
        .layer(middleware::from_fn_with_state(
            state.clone(),
            refuse_when_damaged,
        ));
    limited
        .route("/health", get(routes::meta::health))
        .fallback(routes::fallback)
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
