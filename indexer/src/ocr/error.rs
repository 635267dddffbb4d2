//! Why OCR of a page (or the OCR set-up) failed. A page error is reported and the page skipped;
//! it never stops the document, let alone the batch.

use std::path::PathBuf;

/// An OCR failure.
#[derive(Debug, thiserror::Error)]
pub enum OcrError {
    /// Tesseract, a requested language or pdftoppm is missing.
    #[error("OCR is not available: {reason}. Install it with `sudo apt-get install -y tesseract-ocr tesseract-ocr-vie tesseract-ocr-eng poppler-utils`")]
    Unavailable { reason: String },
    #[error("cannot run {program}")]
    Spawn {
        program: &'static str,
        #[source]
        source: std::io::Error,
    },
    #[error("{program} did not finish within {seconds} s and was stopped")]
    Timeout { program: &'static str, seconds: u64 },
    #[error("{program} failed ({status}): {stderr}")]
    Failed {
        program: &'static str,
        status: String,
        stderr: String,
    },
    #[error("{program} produced more than {limit} bytes (page too large to recognise)")]
    TooLarge { program: &'static str, limit: usize },
    #[error("unreadable page image: {0}")]
    Image(String),
    #[error("invalid OCR setting: {0}")]
    Setting(String),
    #[error("OCR cache {path}")]
    Cache {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
}
