//! The web pages: the search page and the server-rendered document page, whose `<head>`
//! carries the Google Scholar `citation_*` meta tags (crawlers do not run scripts), with the
//! static files embedded in the binary ([`assets`], so the page works offline from any working
//! directory) and the error pages. The handlers that serve them are in `routes::pages`.
//!
//! Every value from a document is escaped with [`escape_html`](crate::text::escape_html); the
//! pages have no inline scripts so the strict [`CSP`] they are served with holds.

pub mod assets;
mod doc_page;

use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};

pub use doc_page::render_doc;

/// The policy every HTML page is served with.
pub const CSP: &str = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; object-src 'none'; frame-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'self'";

/// Every HTML page goes through here, so none is served without the [`CSP`].
pub fn html_response(status: StatusCode, body: String) -> Response {
    let mut resp = (status, body).into_response();
    let h = resp.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/html; charset=utf-8"),
    );
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(CSP),
    );
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    resp
}

/// A failure page that says it in both languages: it loads no script to switch between them.
pub fn error_page(vi: &str, en: &str) -> String {
    format!(
        "<!doctype html><html lang=\"vi\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>{vi}</title><link rel=\"stylesheet\" href=\"/static/style.css\"></head><body><main id=\"main\" class=\"narrow\"><h1>{vi}</h1><p lang=\"en\">{en}</p><p><a href=\"/\">← Trang tìm kiếm / Search page</a></p></main></body></html>"
    )
}

pub fn not_found_page() -> Response {
    html_response(
        StatusCode::NOT_FOUND,
        error_page(
            "Không tìm thấy trang hoặc tài liệu này",
            "This page or document does not exist.",
        ),
    )
}
