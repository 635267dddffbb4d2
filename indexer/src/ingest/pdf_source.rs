//! The one place ingestion turns a PDF file into a [`Document`]: the project's extractor
//! ([`crate::pdf`]) for page text, Info/XMP and first-page layout, then metadata inference
//! ([`crate::metadata::infer`]). Everything else in ingestion depends only on [`load_pdf`].

use std::path::Path;

use super::IngestError;
use crate::doc::Document;
use crate::ocr::{Cache, DocOcr, Engine};
use crate::pdf::{self, ExtractOptions, PdfError};

/// OCR for [`load_pdf_with_ocr`]: the engine, and the cache with the PDF's content hash.
#[derive(Debug, Clone, Copy)]
pub struct OcrContext<'a> {
    pub engine: &'a Engine,
    pub cache: Option<&'a Cache>,
    /// blake3 of the PDF's bytes (the cache key).
    pub pdf_hash: Option<&'a str>,
}

/// Which extractor [`load_pdf`] uses, for reports and benchmarks.
pub const EXTRACTOR: &str = "indexer::pdf (positioned glyphs) + metadata::infer";

/// Extracts the pages and metadata of the PDF at `path`.
///
/// The returned document has pages, metadata and file name only; id, collection, source path
/// and content hash are the caller's business. Pages without a text layer are kept (empty,
/// `no_text` set) so page numbers stay right. The extractor's per-document time limit keeps
/// one pathological file from stalling a batch.
pub fn load_pdf(path: &Path) -> Result<Document, IngestError> {
    load_pdf_with_ocr(path, None).map(|(doc, _)| doc)
}

/// [`load_pdf`], then OCR of the pages the engine chooses (before metadata inference, so a
/// scanned thesis gets its title and language from its recognised cover page).
pub fn load_pdf_with_ocr(
    path: &Path,
    ocr: Option<OcrContext<'_>>,
) -> Result<(Document, DocOcr), IngestError> {
    let mut extracted = pdf::extract_file(path, &ExtractOptions::default()).map_err(|e| {
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
    let mut done = DocOcr::default();
    if let Some(o) = ocr {
        done = o
            .engine
            .ocr_pages(path, o.pdf_hash, o.cache, &mut extracted.pages);
    }
    let metadata = crate::metadata::infer(&extracted.info, &extracted.layout, &extracted.pages);
    let doc = Document {
        file_name: path.file_name().map(|n| n.to_string_lossy().into_owned()),
        metadata,
        pages: extracted.pages,
        ..Document::default()
    };
    Ok((doc, done))
}
