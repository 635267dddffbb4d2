//! Errors of the ingestion library. Every variant that concerns a file names it, so a librarian
//! reading a report or a log line knows which input to look at.

use std::path::PathBuf;
use std::sync::Arc;

use crate::index::IndexError;

/// Why an ingestion step failed.
#[derive(Debug, thiserror::Error)]
pub enum IngestError {
    #[error(transparent)]
    Index(#[from] IndexError),
    #[error("index operation failed: {context}")]
    Tantivy {
        context: String,
        #[source]
        source: tantivy::TantivyError,
    },
    #[error("cannot read {path}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("cannot extract text from {path}")]
    Extract {
        path: PathBuf,
        #[source]
        source: Box<dyn std::error::Error + Send + Sync>,
    },
    #[error("extraction of {path} panicked: {message}")]
    Panic { path: PathBuf, message: String },
    #[error("invalid collection name {name:?}: {reason}")]
    Collection { name: String, reason: &'static str },
    #[error("{path}:{line}: {reason}")]
    Record {
        path: PathBuf,
        line: u64,
        reason: String,
    },
    #[error("cannot write report {path}")]
    Report {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("OCR was asked for and cannot run")]
    Ocr(#[source] crate::ocr::OcrError),
    /// Boxed: the model's errors are large, and every ingest result would carry their size.
    #[error(transparent)]
    Vectors(Box<crate::vectors::VectorError>),
    #[error("the index writer stopped unexpectedly")]
    WriterGone,
    #[error("saving the harvest's progress after a commit: {0}")]
    Checkpoint(String),
    #[error(
        "the index folder {path} is read-only: nothing can be added or removed (run the command as the account that owns the data directory, or on a writable copy); searching it still works"
    )]
    ReadOnly {
        path: PathBuf,
        #[source]
        source: Box<dyn std::error::Error + Send + Sync>,
    },
    #[error(
        "the disk holding {path} is full: free some space and run the same command again (documents committed before are kept, and the rerun skips them)"
    )]
    DiskFull {
        path: PathBuf,
        #[source]
        source: Box<dyn std::error::Error + Send + Sync>,
    },
    #[error(
        "another ingestion (an `indexer add`/`remove` or an upload to the server) is writing to {path}; run this one again when it has finished"
    )]
    Busy { path: PathBuf },
    #[error(
        "the index in {path} is damaged ({detail}); searches over it may fail. Rebuild it: move the folder {path} aside, then run `indexer add` again for each collection (the PDFs and record files are the source of truth)"
    )]
    Damaged { path: PathBuf, detail: String },
}

impl From<crate::vectors::VectorError> for IngestError {
    fn from(e: crate::vectors::VectorError) -> Self {
        IngestError::Vectors(Box::new(e))
    }
}

/// What an I/O failure deep inside tantivy means for the person running the command.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Cause {
    ReadOnly,
    DiskFull,
    Busy,
    Damaged,
}

fn io_cause(e: &std::io::Error) -> Option<Cause> {
    use std::io::ErrorKind as K;
    match os_kind(e) {
        K::ReadOnlyFilesystem | K::PermissionDenied => Some(Cause::ReadOnly),
        K::StorageFull | K::QuotaExceeded | K::FileTooLarge => Some(Cause::DiskFull),
        K::InvalidData | K::UnexpectedEof => Some(Cause::Damaged),
        _ => None,
    }
}

/// The kind of the operating-system error behind `e`. tantivy wraps some of them in an
/// `io::Error` of kind `Other` around its own error type, whose `source` does not lead back
/// (the term dictionary's writer, for one); the OS error then only shows in the message, as
/// `(os error N)`.
fn os_kind(e: &std::io::Error) -> std::io::ErrorKind {
    let mut e = e;
    while let Some(inner) = e.get_ref().and_then(|i| i.downcast_ref::<std::io::Error>()) {
        e = inner;
    }
    if e.raw_os_error().is_some() || e.kind() != std::io::ErrorKind::Other {
        return e.kind();
    }
    let text = e.to_string();
    text.rfind("(os error ")
        .and_then(|at| {
            let digits: String = text[at + 10..]
                .chars()
                .take_while(char::is_ascii_digit)
                .collect();
            digits.parse::<i32>().ok()
        })
        .map_or(e.kind(), |code| {
            std::io::Error::from_raw_os_error(code).kind()
        })
}

/// The cause, and the operating-system error behind it when there is one: that error, not
/// tantivy's wording around it (which for a failed lock suggests another writer), is what the
/// message keeps.
fn tantivy_cause(e: &tantivy::TantivyError) -> Option<(Cause, Option<Arc<std::io::Error>>)> {
    use tantivy::directory::error::{LockError, OpenReadError, OpenWriteError};
    use tantivy::TantivyError as T;
    let io = match e {
        T::IoError(io) => io,
        T::LockFailure(LockError::LockBusy, _) => return Some((Cause::Busy, None)),
        T::LockFailure(LockError::IoError(io), _) => io,
        T::OpenWriteError(OpenWriteError::IoError { io_error, .. }) => io_error,
        T::OpenReadError(OpenReadError::IoError { io_error, .. }) => io_error,
        T::DataCorruption(_) => return Some((Cause::Damaged, None)),
        _ => return None,
    };
    io_cause(io).map(|c| (c, Some(io.clone())))
}

/// Below this much free space, an index write that failed without naming an I/O error is taken
/// to have run out of disk (tantivy's indexing threads report their I/O error only as "the
/// writer was killed").
const LOW_SPACE: u64 = 16 << 20;

impl IngestError {
    /// Turns failures of the index in `index_dir` that a librarian can act on (read-only data
    /// directory, full disk, another writer, damaged files) into errors that say what to do;
    /// other errors are returned unchanged.
    pub fn explain(self, index_dir: &std::path::Path) -> IngestError {
        let found = match &self {
            IngestError::Tantivy { source, .. } => tantivy_cause(source).or_else(|| {
                let low = fs4::available_space(index_dir).is_ok_and(|free| free < LOW_SPACE);
                low.then_some((Cause::DiskFull, None))
            }),
            IngestError::Index(IndexError::Tantivy { source, .. }) => tantivy_cause(source),
            IngestError::Index(IndexError::CreateDir { source, .. }) => {
                io_cause(source).map(|c| (c, None))
            }
            _ => None,
        };
        let Some((cause, io)) = found else {
            return self;
        };
        let path = index_dir.to_path_buf();
        let source: Box<dyn std::error::Error + Send + Sync> = match io {
            Some(io) => Box::new(io),
            None => Box::new(self),
        };
        match cause {
            Cause::Busy => IngestError::Busy { path },
            Cause::ReadOnly => IngestError::ReadOnly { path, source },
            Cause::DiskFull => IngestError::DiskFull { path, source },
            Cause::Damaged => IngestError::Damaged {
                path,
                detail: chain(source.as_ref()),
            },
        }
    }
}

impl IngestError {
    pub(crate) fn io(path: impl Into<PathBuf>) -> impl FnOnce(std::io::Error) -> IngestError {
        let path = path.into();
        move |source| IngestError::Io { path, source }
    }

    pub(crate) fn tantivy(
        context: impl Into<String>,
    ) -> impl FnOnce(tantivy::TantivyError) -> IngestError {
        let context = context.into();
        move |source| IngestError::Tantivy { context, source }
    }
}

/// The message of an error with all its causes, `a: b: c`, as reports show it.
pub fn chain(err: &(dyn std::error::Error + 'static)) -> String {
    let mut out = err.to_string();
    let mut cur = err.source();
    while let Some(e) = cur {
        let s = e.to_string();
        if !out.ends_with(&s) {
            out.push_str(": ");
            out.push_str(&s);
        }
        cur = e.source();
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn os_errors_are_found_behind_wrappers() {
        let full = std::io::Error::from_raw_os_error(28);
        assert_eq!(io_cause(&full), Some(Cause::DiskFull));
        // As tantivy's term dictionary reports it: its own error, shown, in an `Other`.
        let wrapped =
            std::io::Error::other(format!("fst: {}", std::io::Error::from_raw_os_error(27)));
        assert_eq!(io_cause(&wrapped), Some(Cause::DiskFull));
        let ro = std::io::Error::other(std::io::Error::from_raw_os_error(30));
        assert_eq!(io_cause(&ro), Some(Cause::ReadOnly));
        assert_eq!(io_cause(&std::io::Error::other("no number here")), None);
        let e = IngestError::Tantivy {
            context: "committing".into(),
            source: tantivy::TantivyError::IoError(Arc::new(wrapped)),
        }
        .explain(std::path::Path::new("/nonexistent/index"));
        assert!(matches!(e, IngestError::DiskFull { .. }), "{e}");
        assert!(e.to_string().contains("is full"), "{e}");
    }
}
