//! What the server holds and is: the collections of the index, liveness for monitors and load
//! balancers (`/health`, which the concurrency limit never holds up), and the OpenAPI
//! description of the API.

use axum::extract::State;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::json;

use crate::error::AppError;
use crate::state::AppState;
use crate::web::assets::OPENAPI_JSON;

pub async fn collections(State(state): State<AppState>) -> Result<Response, AppError> {
    let list = state
        .blocking(|s| {
            indexer::ingest::collections(&s.index).map_err(AppError::internal("collections"))
        })
        .await?;
    Ok(Json(list).into_response())
}

pub async fn health(State(state): State<AppState>) -> Response {
    Json(json!({
        "status": "ok",
        "documents": indexer::index::live_works(&state.searcher(), &state.index.fields).unwrap_or(0),
        "writes_enabled": state.token.is_some(),
        "version": env!("CARGO_PKG_VERSION"),
    }))
    .into_response()
}

pub async fn openapi() -> Response {
    ([(header::CONTENT_TYPE, "application/json")], OPENAPI_JSON).into_response()
}
