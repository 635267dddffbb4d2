//! The `uploads/` folder of the data directory, where files sent to the write routes are kept:
//! one folder per collection that must be a plain folder (never a link), client file names made
//! safe, files received under unique temporary names, leftovers of a crash removed at start-up,
//! and which document files were uploaded here (the only ones a delete may remove).

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

use crate::documents::{self, StoredDoc};
use crate::error::AppError;
use crate::state::AppState;

/// Where uploads of `collection` are stored.
pub fn upload_dir(state: &AppState, collection: &str) -> PathBuf {
    uploads_root(state).join(collection)
}

fn uploads_root(state: &AppState) -> PathBuf {
    state.data_dir.root().join("uploads")
}

/// Prefix of the temporary files uploads are received into.
const TMP_PREFIX: &str = ".upload-";

/// A temporary name no other request or process uses: process id and a per-process counter
/// (two uploads of `a.pdf` at once must not write into the same file).
pub fn tmp_name(name: &str) -> String {
    static NEXT: AtomicU64 = AtomicU64::new(0);
    let n = NEXT.fetch_add(1, Ordering::Relaxed);
    format!("{TMP_PREFIX}{}-{n}-{name}", std::process::id())
}

/// Removes what uploads interrupted by a crash left behind (`kill -9` while a file was being
/// received): temporary files of processes that are no longer running. Called at start-up.
pub fn remove_stale_uploads(state: &AppState) -> usize {
    let me = std::process::id();
    let mut removed = 0;
    let dirs = std::fs::read_dir(uploads_root(state))
        .into_iter()
        .flatten()
        .flatten();
    for dir in dirs {
        if !dir.file_type().is_ok_and(|t| t.is_dir()) {
            continue;
        }
        for f in std::fs::read_dir(dir.path())
            .into_iter()
            .flatten()
            .flatten()
        {
            let name = f.file_name().to_string_lossy().into_owned();
            let Some(rest) = name.strip_prefix(TMP_PREFIX) else {
                continue;
            };
            let pid = rest.split('-').next().and_then(|p| p.parse::<u32>().ok());
            let running = pid.is_some_and(|p| p == me || Path::new(&format!("/proc/{p}")).exists());
            if !running && std::fs::remove_file(f.path()).is_ok() {
                removed += 1;
            }
        }
    }
    removed
}

/// Creates `dir` (under the data directory) and checks that neither it nor `uploads/` is a
/// symbolic link: a link planted there would make uploads land, and deletes act, elsewhere.
pub async fn prepare_upload_dir(state: &AppState, dir: &Path) -> Result<(), AppError> {
    tokio::fs::create_dir_all(dir)
        .await
        .map_err(AppError::storage("creating the upload folder"))?;
    for d in [uploads_root(state).as_path(), dir] {
        let meta = tokio::fs::symlink_metadata(d)
            .await
            .map_err(AppError::internal("checking the upload folder"))?;
        if !meta.is_dir() {
            return Err(AppError::internal("checking the upload folder")(format!(
                "{} is not a plain folder (a symbolic link?): uploads refused",
                d.display()
            )));
        }
    }
    Ok(())
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

/// What an uploaded file is ingested as.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Pdf,
    Records,
}

pub fn kind_of(name: &str) -> Option<Kind> {
    let ext = Path::new(name).extension()?.to_str()?.to_ascii_lowercase();
    match ext.as_str() {
        "pdf" => Some(Kind::Pdf),
        "jsonl" | "ndjson" | "csv" => Some(Kind::Records),
        _ => None,
    }
}

/// The document's file when it was uploaded to this server (it lies under `uploads/` of the
/// data directory, itself a plain folder): deleting the document deletes it too. Files
/// ingested from elsewhere belong to their owners and are never touched.
pub fn uploaded_file(state: &AppState, d: &StoredDoc) -> Option<PathBuf> {
    let uploads = uploads_root(state);
    if !std::fs::symlink_metadata(&uploads).ok()?.is_dir() {
        return None;
    }
    let uploads = std::fs::canonicalize(uploads).ok()?;
    let file = documents::source_file(d)?;
    file.starts_with(&uploads).then_some(file)
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
