//! Errors of the ingestion library. Every variant that concerns a file names it, so a librarian
//! reading a report or a log line knows which input to look at.

use std::path::PathBuf;

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
    #[error("the index writer stopped unexpectedly")]
    WriterGone,
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
