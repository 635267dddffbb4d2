//! Typed errors of PDF extraction.
//!
//! Page-level trouble (a broken content stream, an unreadable font) is not an error: it becomes
//! a warning in [`super::ExtractedPdf::warnings`] and extraction goes on. Only what stops the
//! whole document is a [`PdfError`]; [`super::extract_file`] wraps it in [`PdfError::WithPath`]
//! so that logs name the file.

use std::path::PathBuf;
use std::time::Duration;

/// Why a document could not be extracted.
#[derive(Debug, thiserror::Error)]
pub enum PdfError {
    /// The file could not be read.
    #[error("cannot read the file: {0}")]
    Io(#[from] std::io::Error),
    /// No `%PDF-` header anywhere in the first kilobyte.
    #[error("not a PDF file (no %PDF- header)")]
    NotPdf,
    /// lopdf could not parse the file, even with cross-reference reconstruction.
    #[error("malformed PDF: {0}")]
    Malformed(String),
    /// The file is encrypted and the empty user password does not open it.
    #[error("the PDF is encrypted and needs a password")]
    PasswordRequired,
    /// The file is encrypted with a scheme that cannot be decrypted here.
    #[error("unsupported encryption: {0}")]
    UnsupportedEncryption(String),
    /// The per-document time limit ran out.
    #[error("time limit of {limit:?} exceeded after {pages_done} pages")]
    Timeout {
        /// The limit that was configured.
        limit: Duration,
        /// How many pages were finished before the deadline.
        pages_done: usize,
    },
    /// The document has no page tree (or an empty one).
    #[error("the PDF has no pages")]
    NoPages,
    /// A bug in the extractor: a panic caught at the public entry point.
    #[error("internal error while extracting: {0}")]
    Panic(String),
    /// Any of the above, with the file it happened to.
    #[error("{}: {err}", path.display())]
    WithPath {
        /// The file given to [`super::extract_file`].
        path: PathBuf,
        /// What went wrong.
        #[source]
        err: Box<PdfError>,
    },
}

impl PdfError {
    /// Attach the file path, unless one is already attached.
    pub fn with_path(self, path: impl Into<PathBuf>) -> PdfError {
        match self {
            e @ PdfError::WithPath { .. } => e,
            e => PdfError::WithPath {
                path: path.into(),
                err: Box::new(e),
            },
        }
    }

    /// The error without its path wrapper.
    pub fn kind(&self) -> &PdfError {
        match self {
            PdfError::WithPath { err, .. } => err.kind(),
            e => e,
        }
    }
}

impl From<lopdf::Error> for PdfError {
    fn from(e: lopdf::Error) -> Self {
        match e {
            lopdf::Error::InvalidPassword => PdfError::PasswordRequired,
            lopdf::Error::IO(io) => PdfError::Io(io),
            lopdf::Error::Decryption(d) => PdfError::UnsupportedEncryption(d.to_string()),
            other => PdfError::Malformed(other.to_string()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn with_path_names_the_file_once() {
        let e = PdfError::NotPdf
            .with_path("/tmp/a.pdf")
            .with_path("/tmp/b.pdf");
        assert_eq!(
            e.to_string(),
            "/tmp/a.pdf: not a PDF file (no %PDF- header)"
        );
        assert!(matches!(e.kind(), PdfError::NotPdf));
    }
}
