//! The web pages' routes: the search page, the embedded static files and the server-rendered
//! document page (`/doc/{id}`), whose failures are answered with HTML error pages rather than
//! JSON.

use axum::extract::rejection::PathRejection;
use axum::extract::{Path, State};
use axum::http::{header, HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};

use crate::error::AppError;
use crate::state::AppState;
use crate::web::assets::{ASSETS, INDEX_HTML};
use crate::web::{error_page, html_response, not_found_page, render_doc};

pub async fn index() -> Response {
    html_response(StatusCode::OK, INDEX_HTML.to_string())
}

pub async fn asset(Path(name): Path<String>) -> Response {
    match ASSETS.iter().find(|(n, _, _)| *n == name) {
        Some((_, ctype, body)) => (
            [
                (header::CONTENT_TYPE, *ctype),
                (header::CACHE_CONTROL, "public, max-age=300"),
            ],
            *body,
        )
            .into_response(),
        None => (StatusCode::NOT_FOUND, "not found").into_response(),
    }
}

pub async fn favicon() -> Response {
    asset(Path("favicon.svg".into())).await
}

pub async fn doc_page(
    State(state): State<AppState>,
    id: Result<Path<String>, PathRejection>,
    headers: HeaderMap,
) -> Response {
    let Ok(Path(id)) = id else {
        return not_found_page();
    };
    let base = super::base_url(&headers);
    let result = state
        .blocking(move |s| super::documents::with_translation(s, &id))
        .await;
    match result {
        Ok((d, translation)) => {
            html_response(StatusCode::OK, render_doc(&d, translation.as_ref(), &base))
        }
        Err(AppError::NotFound(_)) => not_found_page(),
        Err(e) => {
            let status = e.status();
            let _ = e.into_response(); // logs internal errors
            html_response(
                status,
                error_page(
                    "Đã xảy ra lỗi. Vui lòng thử lại sau.",
                    "Something went wrong. Please try again later.",
                ),
            )
        }
    }
}
