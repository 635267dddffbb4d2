//! Write routes for the Science Information Center: upload PDFs or a record file into a
//! collection, delete a document. Enabled only when a token is configured; checked as
//! `Authorization: Bearer <token>` in constant time.

use std::path::{Path as FsPath, PathBuf};

use axum::extract::multipart::MultipartError;
use axum::extract::rejection::PathRejection;
use axum::extract::{Multipart, Path, State};
use axum::http::{header, HeaderMap};
use axum::response::{IntoResponse, Response};
use axum::Json;
use indexer::ingest::{self, AddOptions, ProgressMode, RemoveSpec};
use serde_json::json;
use tokio::io::AsyncWriteExt;

use crate::docs;
use crate::error::AppError;
use crate::state::AppState;

/// Checks the bearer token: 403 when writes are disabled, 401 when missing or wrong.
pub fn authorize(state: &AppState, headers: &HeaderMap) -> Result<(), AppError> {
    let Some(token) = &state.token else {
        return Err(AppError::Forbidden(
            "writes are disabled on this server: start it with SEARCH_SERVER_TOKEN or --token-file to enable them".into(),
        ));
    };
    let presented = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| {
            v.strip_prefix("Bearer ")
                .or_else(|| v.strip_prefix("bearer "))
        })
        .map(str::trim);
    match presented {
        Some(p) if token.verify(p) => Ok(()),
        _ => Err(AppError::Unauthorized),
    }
}

/// Where uploads of `collection` are stored.
pub fn upload_dir(state: &AppState, collection: &str) -> PathBuf {
    state.data_dir.root().join("uploads").join(collection)
}

/// A safe file name from a client-supplied one: the last path component, letters, digits,
/// `.`, `-`, `_` and spaces only, at most 120 characters; `None` when nothing is left.
pub fn safe_file_name(raw: &str) -> Option<String> {
    let base = raw.rsplit(['/', '\\']).next().unwrap_or("");
    let cleaned: String = base
        .chars()
        .filter(|c| !c.is_control())
        .map(|c| {
            if c.is_alphanumeric() || matches!(c, '.' | '-' | '_') {
                c
            } else {
                '_'
            }
        })
        .take(120)
        .collect();
    let cleaned = cleaned.trim_start_matches(['.', '-']).to_string();
    (!cleaned.is_empty() && cleaned.contains(|c: char| c.is_alphanumeric())).then_some(cleaned)
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Pdf,
    Records,
}

fn kind_of(name: &str) -> Option<Kind> {
    let ext = FsPath::new(name)
        .extension()?
        .to_str()?
        .to_ascii_lowercase();
    match ext.as_str() {
        "pdf" => Some(Kind::Pdf),
        "jsonl" | "ndjson" | "csv" => Some(Kind::Records),
        _ => None,
    }
}

fn multipart_err(e: MultipartError) -> AppError {
    if e.status() == axum::http::StatusCode::PAYLOAD_TOO_LARGE {
        AppError::PayloadTooLarge("the upload is larger than the limit of 100 MB".into())
    } else {
        AppError::bad_request(format!("invalid multipart body: {}", e.body_text()))
    }
}

/// `POST /api/collections/{name}/documents`.
pub async fn upload(
    State(state): State<AppState>,
    name: Result<Path<String>, PathRejection>,
    headers: HeaderMap,
    multipart: Result<Multipart, axum::extract::multipart::MultipartRejection>,
) -> Result<Response, AppError> {
    authorize(&state, &headers)?;
    let Path(collection) = name?;
    ingest::ids::validate_collection(&collection)
        .map_err(|e| AppError::bad_request(e.to_string()))?;
    let mut multipart = multipart.map_err(|e| {
        AppError::bad_request(format!(
            "expected a multipart/form-data body with PDF or JSONL files: {}",
            e.body_text()
        ))
    })?;
    let dir = upload_dir(&state, &collection);
    tokio::fs::create_dir_all(&dir)
        .await
        .map_err(AppError::internal("creating the upload folder"))?;
    let mut saved: Vec<PathBuf> = Vec::new();
    while let Some(mut field) = multipart.next_field().await.map_err(multipart_err)? {
        let Some(raw_name) = field.file_name().map(|n| n.to_string()) else {
            continue; // plain form fields carry nothing to ingest
        };
        let name = safe_file_name(&raw_name)
            .ok_or_else(|| AppError::bad_request(format!("unusable file name {raw_name:?}")))?;
        let kind = kind_of(&name).ok_or_else(|| {
            AppError::bad_request(format!(
                "{name:?}: only .pdf files and .jsonl/.csv record files can be added"
            ))
        })?;
        // Written under a temporary name and renamed once complete, so a broken upload never
        // leaves half a file where ingestion would read it.
        let tmp = dir.join(format!(".upload-{}-{name}", std::process::id()));
        let mut file = tokio::fs::File::create(&tmp)
            .await
            .map_err(AppError::internal("creating an upload file"))?;
        let mut first = true;
        let result: Result<(), AppError> = async {
            while let Some(chunk) = field.chunk().await.map_err(multipart_err)? {
                if first && kind == Kind::Pdf && !chunk.starts_with(b"%PDF-") {
                    return Err(AppError::bad_request(format!(
                        "{name:?} is not a PDF (it does not start with %PDF-)"
                    )));
                }
                first = false;
                file.write_all(&chunk)
                    .await
                    .map_err(AppError::internal("writing an upload"))?;
            }
            file.flush()
                .await
                .map_err(AppError::internal("writing an upload"))?;
            Ok(())
        }
        .await;
        drop(file);
        if let Err(e) = result {
            let _ = tokio::fs::remove_file(&tmp).await;
            return Err(e);
        }
        if first {
            let _ = tokio::fs::remove_file(&tmp).await;
            return Err(AppError::bad_request(format!("{name:?} is empty")));
        }
        let dest = dir.join(&name);
        tokio::fs::rename(&tmp, &dest)
            .await
            .map_err(AppError::internal("storing an upload"))?;
        saved.push(dest);
    }
    if saved.is_empty() {
        return Err(AppError::bad_request(
            "no file in the upload: send PDF files or a .jsonl record file as multipart file fields",
        ));
    }
    let _guard = state.write_lock.lock().await;
    let report = state
        .blocking(move |s| {
            let mut opts = AddOptions::new(collection, saved);
            opts.progress = ProgressMode::Hidden;
            let report = ingest::add(&s.data_dir, &opts).map_err(|e| match e {
                ingest::IngestError::Collection { .. } => AppError::bad_request(e.to_string()),
                other => AppError::internal("ingesting an upload")(other),
            })?;
            s.reader.reload()?;
            Ok(report)
        })
        .await?;
    Ok(Json(json!({
        "collection": report.collection,
        "summary": report.summary,
        "documents": report.inputs.iter().map(|e| json!({
            "file": FsPath::new(&e.path).file_name().map(|n| n.to_string_lossy().into_owned()),
            "id": e.id,
            "outcome": e.outcome,
            "reason": e.reason,
            "pages": e.pages,
        })).collect::<Vec<_>>(),
    }))
    .into_response())
}

/// `DELETE /api/documents/{id}`.
pub async fn delete(
    State(state): State<AppState>,
    id: Result<Path<String>, PathRejection>,
    headers: HeaderMap,
) -> Result<Response, AppError> {
    authorize(&state, &headers)?;
    let Path(id) = id?;
    let _guard = state.write_lock.lock().await;
    let removed = state
        .blocking(move |s| {
            let d = docs::get(&s.searcher(), &s.index.fields, &id)?;
            let spec = RemoveSpec {
                paths: Vec::new(),
                ids: vec![d.id.clone()],
            };
            let n = ingest::remove(&s.data_dir, &d.collection, &spec)
                .map_err(AppError::internal("removing a document"))?;
            // An uploaded file goes with its document; files elsewhere belong to their owners.
            if let Some(src) = &d.source_path {
                let uploads = s.data_dir.root().join("uploads");
                if let (Ok(src), Ok(up)) =
                    (std::fs::canonicalize(src), std::fs::canonicalize(&uploads))
                {
                    if src.starts_with(&up) {
                        let _ = std::fs::remove_file(&src);
                    }
                }
            }
            s.reader.reload()?;
            Ok(json!({ "deleted": d.id, "removed": n }))
        })
        .await?;
    Ok(Json(removed).into_response())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_names_are_made_safe() {
        assert_eq!(
            safe_file_name("../../etc/passwd").as_deref(),
            Some("passwd")
        );
        assert_eq!(
            safe_file_name("C:\\x\\Luận văn.pdf").as_deref(),
            Some("Luận_văn.pdf")
        );
        assert_eq!(safe_file_name(".hidden.pdf").as_deref(), Some("hidden.pdf"));
        assert_eq!(safe_file_name("..").as_deref(), None);
        assert_eq!(safe_file_name("").as_deref(), None);
    }
}
