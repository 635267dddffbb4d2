//! `GET /oai` and `POST /oai`: the OAI-PMH provider ([`crate::oai`]). Harvesters may send the
//! arguments in the query string or as a form body; both are read as name, value pairs in
//! order, so a repeated argument is seen (and refused, as the protocol asks).

use axum::body::Bytes;
use axum::extract::{RawQuery, State};
use axum::http::{header, HeaderMap};
use axum::response::{IntoResponse, Response};

use crate::error::AppError;
use crate::oai::{self, Context};
use crate::routes::base_url;
use crate::state::AppState;

fn pairs(raw: &[u8]) -> Vec<(String, String)> {
    form_urlencoded::parse(raw)
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect()
}

async fn answer(
    state: AppState,
    headers: &HeaderMap,
    args: Vec<(String, String)>,
) -> Result<Response, AppError> {
    let base = base_url(headers);
    let xml = state
        .blocking(move |s| {
            let searcher = s.searcher();
            let ctx = Context {
                searcher: &searcher,
                fields: &s.index.fields,
                repository: &s.oai,
                base: &base,
                now: indexer::ingest::now_secs(),
            };
            oai::respond(&ctx, &args)
        })
        .await?;
    Ok(([(header::CONTENT_TYPE, "text/xml; charset=utf-8")], xml).into_response())
}

/// `GET /oai?verb=...`.
pub async fn get(
    State(state): State<AppState>,
    RawQuery(query): RawQuery,
    headers: HeaderMap,
) -> Result<Response, AppError> {
    let args = pairs(query.as_deref().unwrap_or("").as_bytes());
    answer(state, &headers, args).await
}

/// `POST /oai` with `application/x-www-form-urlencoded` arguments.
pub async fn post(
    State(state): State<AppState>,
    headers: HeaderMap,
    body: Bytes,
) -> Result<Response, AppError> {
    let form = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/x-www-form-urlencoded"));
    if !form {
        return Err(AppError::bad_request(
            "POST /oai takes its arguments as application/x-www-form-urlencoded",
        ));
    }
    answer(state, &headers, pairs(&body)).await
}
