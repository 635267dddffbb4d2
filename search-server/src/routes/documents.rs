//! The routes of one document: its metadata, a page's text, its PDF, its citation and the
//! documents like it. Each loads what it needs on the blocking pool and leaves the work to
//! [`documents`] and [`search::similar`](crate::search::similar).

use axum::extract::rejection::{PathRejection, QueryRejection};
use axum::extract::{Path, Query, Request, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde::Deserialize;
use serde_json::json;
use tower::ServiceExt;
use tower_http::services::ServeFile;

use super::{base_url, parse_limit};
use crate::documents::cite::{self, Format};
use crate::documents::{self, DocumentJson};
use crate::error::AppError;
use crate::search::similar;
use crate::state::AppState;

pub async fn document(
    State(state): State<AppState>,
    id: Result<Path<String>, PathRejection>,
) -> Result<Response, AppError> {
    let Path(id) = id?;
    let (d, translation) = state.blocking(move |s| with_translation(s, &id)).await?;
    let json = DocumentJson {
        translation,
        ..DocumentJson::from(&d)
    };
    Ok(Json(json).into_response())
}

/// The document with `id` and its translation (what its metadata and its page show).
pub(super) fn with_translation(
    s: &AppState,
    id: &str,
) -> Result<(documents::StoredDoc, Option<documents::Linked>), AppError> {
    let searcher = s.searcher();
    let d = documents::get(&searcher, &s.index.fields, id)?;
    let translation =
        documents::translation(s.semantic.as_deref(), &searcher, &s.index.fields, &d)?;
    Ok((d, translation))
}

pub async fn page(
    State(state): State<AppState>,
    path: Result<Path<(String, String)>, PathRejection>,
) -> Result<Response, AppError> {
    let Path((id, n)) = path?;
    let n: usize =
        n.parse().ok().filter(|n| *n >= 1).ok_or_else(|| {
            AppError::bad_request(format!("page must be a number from 1, not {n:?}"))
        })?;
    let d = state
        .blocking(move |s| documents::get(&s.searcher(), &s.index.fields, &id))
        .await?;
    let text = d.pages.get(n - 1).ok_or_else(|| {
        AppError::not_found(format!(
            "document {:?} has {} pages, not {n}",
            d.id,
            d.pages.len()
        ))
    })?;
    Ok(Json(json!({
        "id": d.id,
        "page": n,
        "page_count": d.pages.len(),
        "text": text,
        "ocr": d.page_is_ocr(n),
    }))
    .into_response())
}

/// The original PDF, with Range support from tower-http's `ServeFile`; which file may be
/// served is decided by [`documents::source_file`].
pub async fn file(
    State(state): State<AppState>,
    id: Result<Path<String>, PathRejection>,
    req: Request,
) -> Result<Response, AppError> {
    let Path(id) = id?;
    let (path, name) = state
        .blocking(move |s| {
            let d = documents::get(&s.searcher(), &s.index.fields, &id)?;
            let path = documents::source_file(&d)
                .ok_or_else(|| AppError::not_found(format!("document {:?} has no file", d.id)))?;
            Ok((
                path,
                d.file_name.clone().unwrap_or_else(|| "document.pdf".into()),
            ))
        })
        .await?;
    let resp = ServeFile::new_with_mime(&path, &mime::APPLICATION_PDF)
        .oneshot(req)
        .await
        .map_err(AppError::internal("serving file"))?;
    let mut resp = resp.map(axum::body::Body::new);
    let ascii: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || ".-_".contains(c) {
                c
            } else {
                '_'
            }
        })
        .collect();
    if let Ok(v) = HeaderValue::from_str(&format!("inline; filename=\"{ascii}\"")) {
        resp.headers_mut().insert(header::CONTENT_DISPOSITION, v);
    }
    Ok(resp)
}

#[derive(Debug, Deserialize)]
pub struct CiteParams {
    format: Option<String>,
    download: Option<String>,
}

pub async fn cite(
    State(state): State<AppState>,
    id: Result<Path<String>, PathRejection>,
    params: Result<Query<CiteParams>, QueryRejection>,
    headers: HeaderMap,
) -> Result<Response, AppError> {
    let Path(id) = id?;
    let Query(params) = params?;
    let raw = params.format.unwrap_or_else(|| "bibtex".into());
    let format = Format::parse(&raw).ok_or_else(|| {
        AppError::bad_request(format!("format must be bibtex, ris or csl, not {raw:?}"))
    })?;
    let base = base_url(&headers);
    let d = state
        .blocking(move |s| documents::get(&s.searcher(), &s.index.fields, &id))
        .await?;
    let body = match format {
        Format::Bibtex => cite::bibtex(&d, &base),
        Format::Ris => cite::ris(&d, &base),
        Format::Csl => serde_json::to_string_pretty(&cite::csl(&d, &base))
            .map_err(AppError::internal("csl"))?,
    };
    let mut resp = (
        StatusCode::OK,
        [(header::CONTENT_TYPE, format.content_type())],
        body,
    )
        .into_response();
    if params.download.is_some() {
        let disp = format!(
            "attachment; filename=\"{}.{}\"",
            cite::cite_key(&d),
            format.extension()
        );
        if let Ok(v) = HeaderValue::from_str(&disp) {
            resp.headers_mut().insert(header::CONTENT_DISPOSITION, v);
        }
    }
    Ok(resp)
}

#[derive(Debug, Deserialize)]
pub struct LimitParams {
    limit: Option<String>,
}

pub async fn similar(
    State(state): State<AppState>,
    id: Result<Path<String>, PathRejection>,
    params: Result<Query<LimitParams>, QueryRejection>,
) -> Result<Response, AppError> {
    let Path(id) = id?;
    let Query(params) = params?;
    let limit = parse_limit(params.limit.as_deref(), 5, 20)?;
    let hits = state
        .blocking(move |s| similar::similar(s, &id, limit))
        .await?;
    Ok(Json(json!({ "hits": hits })).into_response())
}
