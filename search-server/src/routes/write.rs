//! Write routes for the Science Information Center: upload PDFs or a record file into a
//! collection, delete a document. Enabled only when a token is configured; checked as
//! `Authorization: Bearer <token>` in constant time. Where uploaded files are kept is
//! [`uploads`]' concern.

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

use crate::documents;
use crate::error::AppError;
use crate::state::AppState;
use crate::uploads::{
    self, kind_of, prepare_upload_dir, safe_file_name, tmp_name, upload_dir, Kind,
};

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

/// What an ingestion failure means for the client.
fn ingest_error(e: ingest::IngestError) -> AppError {
    use ingest::IngestError as E;
    match e {
        E::Collection { .. } => AppError::bad_request(e.to_string()),
        E::DiskFull { .. } => AppError::InsufficientStorage(
            "the server's disk is full: the upload was not added; ask the administrator to free space".into(),
        ),
        E::ReadOnly { .. } => AppError::Unavailable(
            "the server's data directory is read-only: nothing can be added or removed".into(),
        ),
        E::Busy { .. } => AppError::Unavailable(
            "another ingestion is writing to the index (an `indexer add` run beside the server); try again when it has finished".into(),
        ),
        other => AppError::internal("ingesting")(other),
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
    prepare_upload_dir(&state, &dir).await?;
    let mut saved: Vec<PathBuf> = Vec::new();
    // Files this request created (not replaced): removed again when ingestion fails, so a
    // refused upload does not keep taking disk space.
    let mut created: Vec<PathBuf> = Vec::new();
    let result: Result<(), AppError> = async {
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
            // Received under a temporary name and renamed once complete, so a broken upload
            // never leaves half a file where ingestion would read it. `create_new` refuses
            // to follow anything already there.
            let tmp = dir.join(tmp_name(&name));
            let mut file = tokio::fs::OpenOptions::new()
                .write(true)
                .create_new(true)
                .open(&tmp)
                .await
                .map_err(AppError::storage("creating an upload file"))?;
            // The signature is checked on the first bytes received, whatever the chunking:
            // a slow link can deliver `%PD` and `F-1.4` in separate chunks.
            const SIGNATURE: &[u8] = b"%PDF-";
            let mut head: Vec<u8> = Vec::with_capacity(SIGNATURE.len());
            let mut empty = true;
            let received: Result<(), AppError> = async {
                while let Some(chunk) = field.chunk().await.map_err(multipart_err)? {
                    if kind == Kind::Pdf && head.len() < SIGNATURE.len() {
                        let take = (SIGNATURE.len() - head.len()).min(chunk.len());
                        head.extend_from_slice(&chunk[..take]);
                        if !SIGNATURE.starts_with(&head) {
                            return Err(AppError::bad_request(format!(
                                "{name:?} is not a PDF (it does not start with %PDF-)"
                            )));
                        }
                    }
                    empty &= chunk.is_empty();
                    file.write_all(&chunk)
                        .await
                        .map_err(AppError::storage("writing an upload"))?;
                }
                file.flush()
                    .await
                    .map_err(AppError::storage("writing an upload"))?;
                if empty {
                    return Err(AppError::bad_request(format!("{name:?} is empty")));
                }
                if kind == Kind::Pdf && head.len() < SIGNATURE.len() {
                    return Err(AppError::bad_request(format!(
                        "{name:?} is not a PDF (it does not start with %PDF-)"
                    )));
                }
                Ok(())
            }
            .await;
            drop(file);
            if let Err(e) = received {
                let _ = tokio::fs::remove_file(&tmp).await;
                return Err(e);
            }
            let dest = dir.join(&name);
            let existed = tokio::fs::symlink_metadata(&dest).await.is_ok();
            if let Err(e) = tokio::fs::rename(&tmp, &dest).await {
                let _ = tokio::fs::remove_file(&tmp).await;
                return Err(AppError::storage("storing an upload")(e));
            }
            if !existed {
                created.push(dest.clone());
            }
            saved.push(dest);
        }
        Ok(())
    }
    .await;
    if let Err(e) = result {
        for f in &created {
            let _ = tokio::fs::remove_file(f).await;
        }
        return Err(e);
    }
    if saved.is_empty() {
        return Err(AppError::bad_request(
            "no file in the upload: send PDF files or a .jsonl record file as multipart file fields",
        ));
    }
    // Held by the blocking task, not by this request: when the request times out (a large
    // scan under OCR can take longer than its 600 s), the ingestion goes on to its end and
    // the next write waits for it instead of opening a second index writer.
    let guard = state.write_lock.clone().lock_owned().await;
    let report = state
        .blocking(move |s| {
            let _guard = guard;
            let mut opts = AddOptions::new(collection, saved);
            opts.progress = ProgressMode::Hidden;
            let report = ingest::add(&s.data_dir, &opts).map_err(ingest_error)?;
            s.reader.reload()?;
            Ok(report)
        })
        .await;
    let report = match report {
        Ok(r) => r,
        Err(e) => {
            for f in &created {
                let _ = tokio::fs::remove_file(f).await;
            }
            return Err(e);
        }
    };
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
    let guard = state.write_lock.clone().lock_owned().await;
    let removed = state
        .blocking(move |s| {
            let _guard = guard;
            let d = documents::get(&s.searcher(), &s.index.fields, &id)?;
            let spec = RemoveSpec {
                paths: Vec::new(),
                ids: vec![d.id.clone()],
            };
            let n = ingest::remove(&s.data_dir, &d.collection, &spec).map_err(ingest_error)?;
            // An uploaded file goes with its document; files elsewhere belong to their owners.
            if let Some(src) = uploads::uploaded_file(s, &d) {
                let _ = std::fs::remove_file(&src);
            }
            s.reader.reload()?;
            Ok(json!({ "deleted": d.id, "removed": n }))
        })
        .await?;
    Ok(Json(removed).into_response())
}
