//! The one place ingestion turns a PDF file into a [`Document`]: the project's extractor
//! ([`crate::pdf`]) for page text, Info/XMP and first-page layout, then metadata inference
//! ([`crate::metadata::infer`]). Everything else in ingestion depends only on [`load_pdf`].

use std::path::Path;

use super::IngestError;
use crate::doc::Document;
use crate::pdf::{self, ExtractOptions, PdfError};

/// Which extractor [`load_pdf`] uses, for reports and benchmarks.
pub const EXTRACTOR: &str = "indexer::pdf (positioned glyphs) + metadata::infer";

/// Extracts the pages and metadata of the PDF at `path`.
///
/// The returned document has pages, metadata and file name only; id, collection, source path
/// and content hash are the caller's business. Pages without a text layer are kept (empty,
/// `no_text` set) so page numbers stay right. The extractor's per-document time limit keeps
/// one pathological file from stalling a batch.
pub fn load_pdf(path: &Path) -> Result<Document, IngestError> {
    let extracted = pdf::extract_file(path, &ExtractOptions::default()).map_err(|e| {
        // IngestError names the file already; keep only the cause so reports say it once.
        let source = match e {
            PdfError::WithPath { err, .. } => *err,
            other => other,
        };
        IngestError::Extract {
            path: path.to_path_buf(),
            source: Box::new(source),
        }
    })?;
    for w in &extracted.warnings {
        tracing::debug!(path = %path.display(), "{w}");
    }
    let metadata = crate::metadata::infer(&extracted.info, &extracted.layout, &extracted.pages);
    Ok(Document {
        file_name: path.file_name().map(|n| n.to_string_lossy().into_owned()),
        metadata,
        pages: extracted.pages,
        ..Document::default()
    })
}
