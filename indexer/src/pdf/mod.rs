//! Page text from positioned glyphs, on top of lopdf's object model and content-stream parser.
//!
//! lopdf's own `extract_text` ignores text positioning, Form XObjects and most font encodings;
//! this module interprets the content streams itself ([`content`]), decodes fonts and encodings
//! ([`fonts`], [`cmap`], [`encoding`], [`glyphlist`], [`metrics`]), and rebuilds words, lines,
//! columns and paragraphs from glyph positions ([`layout`]), aiming at `pdftotext` quality (and
//! better on Vietnamese: legacy TCVN3/VNI fonts, accents drawn as separate glyphs).
//!
//! Entry points: [`extract_file`] and [`extract_bytes`]. They never panic: malformed input is a
//! typed [`PdfError`] or, when only part of a page is damaged, a warning.

mod cff;
mod cmap;
mod content;
mod encoding;
mod error;
mod fonts;
mod glyphlist;
mod info;
mod layout;
mod legacy;
mod metrics;
mod obj;
pub mod page_image;

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::Path;
use std::time::{Duration, Instant};

use lopdf::{Document, LoadOptions};

pub use encoding::decode_text_string;
pub use error::PdfError;

use crate::doc::Page;
use crate::metadata::{LayoutLine, PdfInfo};

/// Limits and options of one extraction.
#[derive(Debug, Clone)]
pub struct ExtractOptions {
    /// Pages whose lines are returned in [`ExtractedPdf::layout`] (first-page heuristics).
    pub layout_pages: usize,
    /// Extract only the first pages.
    pub max_pages: Option<usize>,
    /// Per-document wall-clock limit; `None` for no limit.
    pub time_limit: Option<Duration>,
    /// Largest decoded size of any single stream.
    pub max_stream_bytes: usize,
}

impl Default for ExtractOptions {
    fn default() -> Self {
        ExtractOptions {
            layout_pages: 3,
            max_pages: None,
            time_limit: Some(Duration::from_secs(60)),
            max_stream_bytes: 256 << 20,
        }
    }
}

/// The result of extracting one PDF.
#[derive(Debug, Clone, Default)]
pub struct ExtractedPdf {
    /// One entry per page, in page order; lines separated by `\n`, blocks by a blank line.
    pub pages: Vec<Page>,
    /// Info dictionary and XMP metadata.
    pub info: PdfInfo,
    /// The lines of the first [`ExtractOptions::layout_pages`] pages with their type size.
    pub layout: Vec<LayoutLine>,
    /// The file was encrypted (and opened with the empty user password).
    pub encrypted: bool,
    /// Problems that cost some text but did not stop extraction.
    pub warnings: Vec<String>,
}

/// Extract the text and metadata of a PDF file. Errors name the file.
pub fn extract_file(path: &Path, opts: &ExtractOptions) -> Result<ExtractedPdf, PdfError> {
    let bytes = std::fs::read(path).map_err(|e| PdfError::Io(e).with_path(path))?;
    extract_bytes(&bytes, opts).map_err(|e| e.with_path(path))
}

/// Extract the text and metadata of a PDF held in memory.
pub fn extract_bytes(bytes: &[u8], opts: &ExtractOptions) -> Result<ExtractedPdf, PdfError> {
    // The outermost guard only: a panic here is a bug to fix, but it must not take the
    // indexer down with it.
    match catch_unwind(AssertUnwindSafe(|| extract_inner(bytes, opts))) {
        Ok(r) => r,
        Err(p) => {
            let msg = p
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| p.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "unknown panic".to_string());
            Err(PdfError::Panic(msg))
        }
    }
}

fn extract_inner(bytes: &[u8], opts: &ExtractOptions) -> Result<ExtractedPdf, PdfError> {
    let started = Instant::now();
    let deadline = opts.time_limit.map(|d| started + d);
    let head = &bytes[..bytes.len().min(1024)];
    if !head.windows(5).any(|w| w == b"%PDF-") {
        return Err(PdfError::NotPdf);
    }
    let load = LoadOptions {
        max_decompressed_size: Some(opts.max_stream_bytes),
        ..LoadOptions::default()
    };
    let doc = Document::load_mem_with_options(bytes, load)?;
    // lopdf decrypts with the empty user password while loading (so owner-password-only files
    // open) and drops `/Encrypt`; a file it could not decrypt keeps `/Encrypt` and no state.
    if doc.trailer.has(b"Encrypt") && !doc.was_encrypted() {
        return Err(PdfError::PasswordRequired);
    }
    let encrypted = doc.was_encrypted();

    let mut out = ExtractedPdf {
        info: info::read_info(&doc),
        encrypted,
        ..Default::default()
    };
    let pages = doc.get_pages();
    if pages.is_empty() {
        return Err(PdfError::NoPages);
    }
    let mut ctx = content::DocContext::new(&doc, opts.max_stream_bytes, deadline);
    let limit = opts.max_pages.unwrap_or(usize::MAX);
    for (page_no, (_, &page_id)) in pages.iter().take(limit).enumerate() {
        let timeout = || PdfError::Timeout {
            limit: opts.time_limit.unwrap_or_default(),
            pages_done: page_no,
        };
        if deadline.is_some_and(|d| Instant::now() >= d) {
            return Err(timeout());
        }
        let glyphs = match ctx.interpret_page(page_id) {
            Ok(g) => g,
            Err(content::Stop::Deadline) => return Err(timeout()),
        };
        let lines = layout::layout(&glyphs);
        drop(glyphs);
        let text = crate::text::normalize(&layout::page_text(&lines));
        if page_no < opts.layout_pages {
            out.layout
                .extend(
                    lines
                        .iter()
                        .filter(|l| !l.text.trim().is_empty())
                        .map(|l| LayoutLine {
                            text: crate::text::normalize(&l.text),
                            marks_apart: l.marks_apart.as_deref().map(crate::text::normalize),
                            font_size: l.font_size,
                            page: page_no,
                            top: l.top,
                            bold: l.bold,
                        }),
                );
        }
        out.pages.push(Page {
            no_text: text.trim().is_empty(),
            ocr: false,
            text,
        });
    }
    out.warnings = ctx.warnings;
    Ok(out)
}
