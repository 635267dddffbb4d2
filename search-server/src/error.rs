//! The one error type of the HTTP layer.
//!
//! User mistakes become 4xx with a JSON body `{ "error": "message" }` saying what to change.
//! Everything else is a 500 whose body says only that something went wrong: the cause (paths,
//! tantivy internals) is logged with its whole chain and never sent to the client.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::Json;
use serde_json::json;

/// An error a handler returns.
#[derive(Debug, thiserror::Error)]
pub enum AppError {
    #[error("{0}")]
    BadRequest(String),
    #[error("{0}")]
    NotFound(String),
    #[error("missing or wrong bearer token")]
    Unauthorized,
    #[error("{0}")]
    Forbidden(String),
    #[error("{0}")]
    PayloadTooLarge(String),
    #[error("{0}")]
    Unavailable(String),
    /// The disk holding the data directory is full (507).
    #[error("{0}")]
    InsufficientStorage(String),
    #[error("internal error: {context}")]
    Internal {
        context: String,
        #[source]
        source: Box<dyn std::error::Error + Send + Sync>,
    },
}

impl AppError {
    pub fn bad_request(msg: impl Into<String>) -> AppError {
        AppError::BadRequest(msg.into())
    }

    pub fn not_found(msg: impl Into<String>) -> AppError {
        AppError::NotFound(msg.into())
    }

    /// Wraps an internal failure; `context` is logged, never shown.
    pub fn internal<E>(context: impl Into<String>) -> impl FnOnce(E) -> AppError
    where
        E: Into<Box<dyn std::error::Error + Send + Sync>>,
    {
        let context = context.into();
        move |e| AppError::Internal {
            context,
            source: e.into(),
        }
    }

    /// A failed write to the data directory: a full disk (507) and a read-only data directory
    /// (503) are conditions the operator must fix, said plainly; anything else is internal.
    pub fn storage(context: &'static str) -> impl FnOnce(std::io::Error) -> AppError {
        move |e| {
            use std::io::ErrorKind as K;
            match e.kind() {
                K::StorageFull | K::QuotaExceeded | K::FileTooLarge => AppError::InsufficientStorage(
                    "the server's disk is full: nothing was added; ask the administrator to free space"
                        .into(),
                ),
                K::ReadOnlyFilesystem | K::PermissionDenied => AppError::Unavailable(
                    "the server's data directory is read-only: nothing can be added or removed"
                        .into(),
                ),
                _ => AppError::internal(context)(e),
            }
        }
    }

    pub fn status(&self) -> StatusCode {
        match self {
            AppError::BadRequest(_) => StatusCode::BAD_REQUEST,
            AppError::NotFound(_) => StatusCode::NOT_FOUND,
            AppError::Unauthorized => StatusCode::UNAUTHORIZED,
            AppError::Forbidden(_) => StatusCode::FORBIDDEN,
            AppError::PayloadTooLarge(_) => StatusCode::PAYLOAD_TOO_LARGE,
            AppError::Unavailable(_) => StatusCode::SERVICE_UNAVAILABLE,
            AppError::InsufficientStorage(_) => StatusCode::INSUFFICIENT_STORAGE,
            AppError::Internal { .. } => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }
}

/// `a: b: c` for an error and its sources.
pub fn chain(err: &(dyn std::error::Error + 'static)) -> String {
    let mut out = err.to_string();
    let mut cur = err.source();
    while let Some(e) = cur {
        out.push_str(": ");
        out.push_str(&e.to_string());
        cur = e.source();
    }
    out
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        let status = self.status();
        let message = match &self {
            AppError::Internal { .. } => {
                tracing::error!(error = %chain(&self), "request failed");
                "internal error; the incident was logged".to_string()
            }
            other => other.to_string(),
        };
        let mut resp = (status, Json(json!({ "error": message }))).into_response();
        if status == StatusCode::UNAUTHORIZED {
            resp.headers_mut().insert(
                axum::http::header::WWW_AUTHENTICATE,
                axum::http::HeaderValue::from_static("Bearer"),
            );
        }
        resp
    }
}

impl From<tantivy::TantivyError> for AppError {
    fn from(e: tantivy::TantivyError) -> AppError {
        AppError::internal("index")(e)
    }
}

impl From<axum::extract::rejection::QueryRejection> for AppError {
    fn from(e: axum::extract::rejection::QueryRejection) -> AppError {
        AppError::BadRequest(format!("invalid query string: {}", e.body_text()))
    }
}

impl From<axum::extract::rejection::PathRejection> for AppError {
    fn from(e: axum::extract::rejection::PathRejection) -> AppError {
        AppError::BadRequest(format!("invalid path: {}", e.body_text()))
    }
}
