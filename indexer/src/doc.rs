//! The document model shared by extraction, metadata inference, ingestion and the index schema.
//!
//! Everything that reaches the index goes through [`Document`]: a PDF becomes one after extraction
//! and metadata inference, a catalogue record becomes one after parsing. Text held in these types
//! is always normalised with [`crate::text::normalize`] (NFC, canonical tone placement), because
//! the stored text is what snippets are cut from and the analyzers' offsets point into it.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

/// What kind of work a document is. Facet values are the lower-case names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum DocType {
    /// A bachelor's thesis or graduation project (khóa luận tốt nghiệp, đồ án).
    Thesis,
    /// A master's thesis (luận văn thạc sĩ).
    Master,
    /// A doctoral dissertation (luận án tiến sĩ).
    Doctoral,
    /// A research report (báo cáo, đề tài nghiên cứu khoa học).
    Report,
    /// A journal or conference article.
    Article,
    /// A book, manual or textbook.
    Book,
    /// Presentation slides.
    Slides,
    /// Anything else.
    #[default]
    Other,
}

impl DocType {
    /// Every variant, in facet display order.
    pub const ALL: [DocType; 8] = [
        DocType::Thesis,
        DocType::Master,
        DocType::Doctoral,
        DocType::Report,
        DocType::Article,
        DocType::Book,
        DocType::Slides,
        DocType::Other,
    ];

    /// The stable lower-case name used in the index, the API and record files.
    pub fn as_str(self) -> &'static str {
        match self {
            DocType::Thesis => "thesis",
            DocType::Master => "master",
            DocType::Doctoral => "doctoral",
            DocType::Report => "report",
            DocType::Article => "article",
            DocType::Book => "book",
            DocType::Slides => "slides",
            DocType::Other => "other",
        }
    }
}

impl fmt::Display for DocType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Error for a doc_type name that is not one of [`DocType::ALL`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown doc_type {0:?}: expected one of thesis, master, doctoral, report, article, book, slides, other")]
pub struct UnknownDocType(pub String);

impl FromStr for DocType {
    type Err = UnknownDocType;

    /// Accepts the canonical names and a few common synonyms librarians use in catalogues.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let lower = s.trim().to_lowercase();
        Ok(match lower.as_str() {
            "thesis" | "bachelor" | "khoa luan" | "khóa luận" | "do an" | "đồ án" => {
                DocType::Thesis
            }
            "master" | "masters" | "master's thesis" | "luan van" | "luận văn" => {
                DocType::Master
            }
            "doctoral" | "phd" | "dissertation" | "luan an" | "luận án" => DocType::Doctoral,
            "report" | "bao cao" | "báo cáo" => DocType::Report,
            "article" | "paper" | "journal" | "bai bao" | "bài báo" => DocType::Article,
            "book" | "manual" | "sach" | "sách" => DocType::Book,
            "slides" | "presentation" => DocType::Slides,
            "other" | "" => DocType::Other,
            _ => return Err(UnknownDocType(s.to_string())),
        })
    }
}

/// Descriptive metadata of a document, whatever its origin (PDF Info/XMP, first-page heuristics,
/// a catalogue record or a librarian's override file).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct DocMetadata {
    pub title: Option<String>,
    pub authors: Vec<String>,
    pub advisor: Option<String>,
    pub institution: Option<String>,
    pub year: Option<i32>,
    pub doc_type: DocType,
    /// ISO 639-1 code (`vi`, `en`, ...) or `None` when undetermined.
    pub language: Option<String>,
    #[serde(rename = "abstract")]
    pub abstract_text: Option<String>,
    pub keywords: Vec<String>,
    pub url: Option<String>,
}

/// One page of extracted text.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Page {
    /// Normalised text of the page, lines separated by `\n`.
    pub text: String,
    /// True when the page has no text layer (a scan): it needs OCR to be searchable. Stays
    /// true after OCR filled `text`.
    pub no_text: bool,
    /// True when `text` was recognised from the page image (OCR) rather than read from the
    /// text layer.
    #[serde(default)]
    pub ocr: bool,
}

/// A document ready to be indexed.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Document {
    /// Stable identifier: a record's own id, or derived from the collection and relative path.
    pub id: String,
    pub collection: String,
    /// Path of the original file as given to the indexer, `None` for catalogue records.
    pub source_path: Option<String>,
    pub file_name: Option<String>,
    pub metadata: DocMetadata,
    /// Body text, one entry per page; catalogue records have a single page (their `text`).
    pub pages: Vec<Page>,
    /// blake3 of the source bytes (PDF) or of the canonical record JSON, lower-case hex.
    pub content_hash: String,
    /// Unix seconds when the document was (re)indexed.
    pub ingested_at: i64,
}

impl Document {
    /// True when no page has any text: the document is findable only by its metadata.
    pub fn needs_ocr(&self) -> bool {
        pages_need_ocr(&self.pages)
    }
}

/// True when there are pages and none has any text: the document needs OCR to be searchable.
/// Text recognised by OCR counts: a scan that went through OCR no longer needs it.
pub fn pages_need_ocr(pages: &[Page]) -> bool {
    !pages.is_empty() && pages.iter().all(page_needs_ocr)
}

/// True when a page has nothing a reader could search: no text (no text layer, or an empty
/// one; a page OCR has read has text) or text that is not words
/// ([`crate::text::not_text::assess`]: a font with a wrong Unicode map).
pub fn page_needs_ocr(page: &Page) -> bool {
    page.text.trim().is_empty() || crate::text::not_text::assess(&page.text).is_some()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn doc_type_names_round_trip() {
        for t in DocType::ALL {
            assert_eq!(t.as_str().parse::<DocType>().unwrap(), t);
        }
        assert_eq!("Luận văn".parse::<DocType>().unwrap(), DocType::Master);
        assert!("poem".parse::<DocType>().is_err());
    }

    #[test]
    fn needs_ocr_only_when_every_page_is_empty() {
        let mut d = Document {
            pages: vec![
                Page {
                    text: String::new(),
                    no_text: true,
                    ocr: false,
                },
                Page {
                    text: "Lời cảm ơn".into(),
                    no_text: false,
                    ocr: false,
                },
            ],
            ..Default::default()
        };
        assert!(!d.needs_ocr());
        d.pages.pop();
        assert!(d.needs_ocr());
    }
}
