//! The one place ingestion turns a PDF file into a [`Document`].
//!
//! The project's own extractor ([`crate::pdf`]) and metadata inference ([`crate::metadata`]) are
//! being written; until they land this uses lopdf's plain `extract_text` per page and the Info
//! dictionary. Everything else in ingestion depends only on [`load_pdf`], so switching is a
//! change to this file alone.

use std::path::Path;

use lopdf::Object;

use super::IngestError;
use crate::doc::{DocMetadata, Document, Page};
use crate::{lang, text};

/// Which extractor [`load_pdf`] uses, for reports and benchmarks.
pub const EXTRACTOR: &str = "lopdf extract_text (interim)";

/// Extracts the pages and metadata of the PDF at `path`.
///
/// The returned document has pages and metadata only; id, collection, source path and content
/// hash are the caller's business. Pages whose text cannot be extracted are kept empty with
/// `no_text` set, so page numbers stay right.
pub fn load_pdf(path: &Path) -> Result<Document, IngestError> {
    let extract_err = |e: lopdf::Error| IngestError::Extract {
        path: path.to_path_buf(),
        source: Box::new(e),
    };
    let pdf = lopdf::Document::load(path).map_err(extract_err)?;
    if pdf.is_encrypted() {
        // lopdf decrypts files with an empty user password while loading; one still encrypted
        // here needs a password we do not have.
        return Err(IngestError::Extract {
            path: path.to_path_buf(),
            source: "the PDF is encrypted with a password".into(),
        });
    }
    let page_numbers: Vec<u32> = pdf.get_pages().keys().copied().collect();
    if page_numbers.is_empty() {
        return Err(IngestError::Extract {
            path: path.to_path_buf(),
            source: "the PDF has no pages".into(),
        });
    }
    let pages: Vec<Page> = page_numbers
        .iter()
        .map(|&n| {
            let text = pdf
                .extract_text(&[n])
                .map(|t| text::normalize(&t))
                .unwrap_or_default();
            let no_text = text.trim().is_empty();
            Page { text, no_text }
        })
        .collect();
    let mut metadata = info_metadata(&pdf);
    let mut sample = String::new();
    for p in &pages {
        if sample.len() > 8192 {
            break;
        }
        sample.push_str(&p.text);
        sample.push('\n');
    }
    metadata.language = lang::detect(&sample).map(str::to_string);
    if metadata.title.is_none() {
        metadata.title = first_line_title(&pages);
    }
    Ok(Document {
        file_name: path.file_name().map(|n| n.to_string_lossy().into_owned()),
        metadata,
        pages,
        ..Document::default()
    })
}

/// Title, authors, keywords and year from the Info dictionary.
fn info_metadata(pdf: &lopdf::Document) -> DocMetadata {
    let mut m = DocMetadata::default();
    let Some(info) = pdf
        .trailer
        .get(b"Info")
        .ok()
        .and_then(|o| pdf.dereference(o).ok())
        .and_then(|(_, o)| o.as_dict().ok())
    else {
        return m;
    };
    let get = |key: &[u8]| -> Option<String> {
        let obj = info.get(key).ok()?;
        let obj = pdf.dereference(obj).ok()?.1;
        let s = match obj {
            Object::String(..) => lopdf::decode_text_string(obj).ok()?,
            _ => return None,
        };
        let s = text::normalize(&s);
        let s = s.trim();
        (!s.is_empty()).then(|| s.to_string())
    };
    m.title = get(b"Title").filter(|t| !looks_like_file_name(t));
    m.authors = get(b"Author")
        .map(|a| {
            a.split([';', '\n'])
                .map(|s| s.trim().to_string())
                .filter(|s| !s.is_empty())
                .collect()
        })
        .unwrap_or_default();
    m.keywords = get(b"Keywords")
        .map(|k| {
            k.split([';', ','])
                .map(|s| s.trim().to_string())
                .filter(|s| !s.is_empty())
                .collect()
        })
        .unwrap_or_default();
    m.year = get(b"CreationDate").and_then(|d| {
        let d = d.strip_prefix("D:").unwrap_or(&d);
        d.get(..4)?.parse::<i32>().ok().filter(|y| *y > 1900)
    });
    m
}

/// Word and LaTeX often put the file name (`thesis.dvi`, `Microsoft Word - x.doc`) in Title.
fn looks_like_file_name(t: &str) -> bool {
    let lower = t.to_lowercase();
    lower.starts_with("microsoft word")
        || [".dvi", ".doc", ".docx", ".tex", ".pdf"]
            .iter()
            .any(|e| lower.ends_with(e))
}

/// The first non-trivial line of the first page, a crude title until metadata inference lands.
fn first_line_title(pages: &[Page]) -> Option<String> {
    pages
        .first()?
        .text
        .lines()
        .map(str::trim)
        .find(|l| l.chars().filter(|c| c.is_alphabetic()).count() >= 8)
        .map(|l| l.chars().take(200).collect())
}
