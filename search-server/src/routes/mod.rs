//! The HTTP handlers, one file per area: [`search`] (searches and completions),
//! [`documents`] (one document, its page texts, PDF, citations and similar documents),
//! [`write`](mod@write) (uploads and deletes, behind the token), [`meta`] (collections, health,
//! the OpenAPI description), [`oai`](mod@oai) (the OAI-PMH provider) and [`pages`] (the web
//! pages). Handlers are thin: they read the
//! request, run the work on tokio's blocking pool
//! ([`AppState::blocking`](crate::state::AppState::blocking)) through the domain modules and
//! shape the response; every failure is an [`AppError`].

pub mod documents;
pub mod meta;
pub mod oai;
pub mod pages;
pub mod search;
pub mod write;

use axum::http::{header, HeaderMap, Method, Uri};
use axum::response::{IntoResponse, Response};

use crate::error::AppError;
use crate::web;

/// The scheme and host the client used, for absolute URLs in citations.
pub fn base_url(headers: &HeaderMap) -> String {
    let host = headers
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .filter(|h| {
            h.chars()
                .all(|c| c.is_ascii_alphanumeric() || ".-:[]".contains(c))
        })
        .unwrap_or("localhost");
    // Behind a TLS-terminating proxy (README, Security) the client used https; the header can
    // only choose between the two schemes.
    let https = headers
        .get("x-forwarded-proto")
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.trim().eq_ignore_ascii_case("https"));
    format!("{}://{host}", if https { "https" } else { "http" })
}

pub fn parse_limit(raw: Option<&str>, default: usize, max: usize) -> Result<usize, AppError> {
    match raw.map(str::trim).filter(|s| !s.is_empty()) {
        None => Ok(default),
        Some(s) => s
            .parse::<usize>()
            .ok()
            .filter(|n| (1..=max).contains(n))
            .ok_or_else(|| {
                AppError::bad_request(format!(
                    "limit must be an integer from 1 to {max}, not {s:?}"
                ))
            }),
    }
}

/// Unknown paths: a JSON 404 under `/api/`, the HTML not-found page elsewhere.
pub async fn fallback(method: Method, uri: Uri) -> Response {
    if uri.path().starts_with("/api/") {
        AppError::not_found(format!("no route {method} {}", uri.path())).into_response()
    } else {
        web::not_found_page()
    }
}
