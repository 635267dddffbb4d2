//! `GET /api/search` and `GET /api/suggest`: the parameters are read here, validated by
//! [`SearchRequest::from_params`] (a 400 names the wrong one), and the search or the completion
//! runs on the blocking pool. Notes come in `hl`'s language, else `Accept-Language`'s.

use axum::extract::rejection::QueryRejection;
use axum::extract::{Query, State};
use axum::http::{header, HeaderMap};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::Deserialize;
use serde_json::json;

use super::parse_limit;
use crate::error::AppError;
use crate::search::{self, SearchParams, SearchRequest, UiLang};
use crate::state::AppState;

pub async fn search(
    State(state): State<AppState>,
    headers: HeaderMap,
    params: Result<Query<SearchParams>, QueryRejection>,
) -> Result<Response, AppError> {
    let Query(params) = params?;
    let mut req = SearchRequest::from_params(&params)?;
    if params.hl.as_deref().is_none_or(|h| h.trim().is_empty()) {
        // Without `hl`, the browser's languages choose (Vietnamese when neither is spoken).
        if let Some(lang) = headers
            .get(header::ACCEPT_LANGUAGE)
            .and_then(|v| v.to_str().ok())
            .and_then(UiLang::from_accept_language)
        {
            req.hl = lang;
        }
    }
    let resp = state.blocking(move |s| search::run(s, &req)).await?;
    Ok(Json(resp).into_response())
}

#[derive(Debug, Deserialize)]
pub struct SuggestParams {
    q: Option<String>,
    limit: Option<String>,
}

pub async fn suggest(
    State(state): State<AppState>,
    params: Result<Query<SuggestParams>, QueryRejection>,
) -> Result<Response, AppError> {
    let Query(params) = params?;
    let limit = parse_limit(params.limit.as_deref(), 8, 20)?;
    let q: String = params.q.unwrap_or_default().chars().take(200).collect();
    let q2 = q.clone();
    let list = state
        .blocking(move |s| Ok(s.suggestions()?.complete(&q2, limit)))
        .await?;
    Ok(Json(json!({ "query": q, "suggestions": list })).into_response())
}
