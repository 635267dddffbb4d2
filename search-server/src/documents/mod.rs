//! Stored documents: what the index keeps of a work, read back by address or id, the JSON the
//! API shows of it and the PDF it may serve; with the bounded [`cache`] of documents and their
//! folded pages that hits are made from, and [`cite`], the citation export of one document.
//! Nothing here knows about searches or HTTP, so search, the routes and the web pages all
//! build on it.

pub mod cache;
pub mod cite;

use indexer::schema::Fields;
use serde::Serialize;
use tantivy::collector::TopDocs;
use tantivy::query::TermQuery;
use tantivy::schema::{IndexRecordOption, Value};
use tantivy::{DocAddress, Searcher, TantivyDocument, Term};

use crate::error::AppError;
use crate::semantic::Semantic;

/// The stored fields of one document.
#[derive(Debug, Clone, Default)]
pub struct StoredDoc {
    pub id: String,
    pub collection: String,
    /// Path of the source PDF; never sent to clients.
    pub source_path: Option<String>,
    pub file_name: Option<String>,
    pub url: Option<String>,
    pub title: Option<String>,
    pub authors: Vec<String>,
    pub advisor: Option<String>,
    pub institution: Option<String>,
    pub keywords: Vec<String>,
    pub abstract_text: Option<String>,
    /// Page texts; value i is page i + 1.
    pub pages: Vec<String>,
    pub year: Option<i32>,
    pub doc_type: String,
    pub lang: String,
    pub page_count: u64,
    pub content_hash: String,
    pub ingested_at: i64,
    pub needs_ocr: bool,
    /// Pages (from 1) whose text was recognised by OCR, in increasing order.
    pub ocr_pages: Vec<u64>,
}

fn first_str(d: &TantivyDocument, f: tantivy::schema::Field) -> Option<String> {
    d.get_first(f)
        .and_then(|v| v.as_str().map(str::to_string))
        .filter(|s| !s.is_empty())
}

fn all_str(d: &TantivyDocument, f: tantivy::schema::Field) -> Vec<String> {
    d.get_all(f)
        .filter_map(|v| v.as_str().map(str::to_string))
        .collect()
}

impl StoredDoc {
    pub fn from_tantivy(f: &Fields, d: &TantivyDocument) -> StoredDoc {
        let year = d.get_first(f.year).and_then(|v| v.as_i64()).unwrap_or(0);
        StoredDoc {
            id: first_str(d, f.id).unwrap_or_default(),
            collection: first_str(d, f.collection).unwrap_or_default(),
            source_path: first_str(d, f.source_path),
            file_name: first_str(d, f.file_name),
            url: first_str(d, f.url),
            title: first_str(d, f.title.exact),
            authors: all_str(d, f.authors.exact),
            advisor: first_str(d, f.advisor.exact),
            institution: first_str(d, f.institution.exact),
            keywords: all_str(d, f.keywords.exact),
            abstract_text: first_str(d, f.abstract_text.exact),
            pages: all_str(d, f.body),
            year: (year != 0).then_some(year as i32),
            doc_type: first_str(d, f.doc_type).unwrap_or_else(|| "other".into()),
            lang: first_str(d, f.lang).unwrap_or_else(|| "und".into()),
            page_count: d
                .get_first(f.page_count)
                .and_then(|v| v.as_u64())
                .unwrap_or(0),
            content_hash: first_str(d, f.content_hash).unwrap_or_default(),
            ingested_at: d
                .get_first(f.ingested_at)
                .and_then(|v| v.as_datetime())
                .map_or(0, |t| t.into_timestamp_secs()),
            needs_ocr: d.get_first(f.needs_ocr).and_then(|v| v.as_u64()) == Some(1),
            ocr_pages: d.get_all(f.ocr_pages).filter_map(|v| v.as_u64()).collect(),
        }
    }

    /// The title to show: the stored one, else the file name, else the id.
    pub fn display_title(&self) -> String {
        self.title
            .clone()
            .or_else(|| self.file_name.clone())
            .unwrap_or_else(|| self.id.clone())
    }

    /// True when the text of page `n` (from 1) was recognised by OCR.
    pub fn page_is_ocr(&self, n: usize) -> bool {
        self.ocr_pages.binary_search(&(n as u64)).is_ok()
    }

    /// True when no title was found and [`StoredDoc::display_title`] shows the file name (or
    /// the id): readers are told so rather than shown a name as if it were a title.
    pub fn title_is_file_name(&self) -> bool {
        self.title.is_none()
    }

    /// True when the document came from a PDF (catalogue records have no file).
    pub fn has_file(&self) -> bool {
        self.source_path.is_some()
    }

    pub fn file_url(&self) -> Option<String> {
        self.has_file().then(|| {
            format!(
                "/api/documents/{}/file",
                crate::text::path_segment(&self.id)
            )
        })
    }
}

/// Loads the document at `addr`.
pub fn load(searcher: &Searcher, fields: &Fields, addr: DocAddress) -> Result<StoredDoc, AppError> {
    let d: TantivyDocument = searcher.doc(addr)?;
    Ok(StoredDoc::from_tantivy(fields, &d))
}

/// The address of the live document with `id`.
pub fn find(
    searcher: &Searcher,
    fields: &Fields,
    id: &str,
) -> Result<Option<DocAddress>, AppError> {
    if id.is_empty() || id.len() > 1024 {
        return Ok(None);
    }
    let q = TermQuery::new(
        Term::from_field_text(fields.id, id),
        IndexRecordOption::Basic,
    );
    let top = searcher.search(&q, &TopDocs::with_limit(1).order_by_score())?;
    Ok(top.first().map(|(_, a)| *a))
}

/// Loads the document with `id`, or a 404 that names it.
pub fn get(searcher: &Searcher, fields: &Fields, id: &str) -> Result<StoredDoc, AppError> {
    match find(searcher, fields, id)? {
        Some(addr) => load(searcher, fields, addr),
        None => Err(AppError::not_found(format!("no document with id {id:?}"))),
    }
}

/// A document's translation in the library's other language, as a link names it.
#[derive(Debug, Clone, Serialize)]
pub struct Linked {
    pub id: String,
    pub title: String,
    pub lang: String,
}

/// `d`'s translation in the library's other language (Vietnamese or English), which the
/// model's vectors link (`semantic::translations`); `None` without a model, for a document in
/// another language, or when the library holds no translation of it.
pub fn translation(
    semantic: Option<&Semantic>,
    searcher: &Searcher,
    fields: &Fields,
    d: &StoredDoc,
) -> Result<Option<Linked>, AppError> {
    let Some(semantic) = semantic else {
        return Ok(None);
    };
    let target = match d.lang.as_str() {
        "vi" => "en",
        "en" => "vi",
        _ => return Ok(None),
    };
    let vectors = semantic.vectors(searcher)?;
    let Some(v) = vectors.as_ref().as_ref() else {
        return Ok(None);
    };
    let Some(addr) = find(searcher, fields, &d.id)? else {
        return Ok(None);
    };
    let Some(other) = v.translation(searcher, addr, target) else {
        return Ok(None);
    };
    let other = load(searcher, fields, other)?;
    Ok(Some(Linked {
        id: other.id.clone(),
        title: other.display_title(),
        lang: other.lang.clone(),
    }))
}

/// The full metadata of `GET /api/documents/{id}`.
#[derive(Debug, Serialize)]
pub struct DocumentJson {
    pub id: String,
    pub title: String,
    /// No title was found: `title` is the file name (or the id).
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub title_is_file_name: bool,
    pub authors: Vec<String>,
    pub advisor: Option<String>,
    pub institution: Option<String>,
    pub year: Option<i32>,
    pub doc_type: String,
    pub collection: String,
    pub lang: String,
    pub keywords: Vec<String>,
    #[serde(rename = "abstract")]
    pub abstract_text: Option<String>,
    pub url: Option<String>,
    pub file_name: Option<String>,
    pub file_url: Option<String>,
    pub page_count: u64,
    pub needs_ocr: bool,
    /// Pages (from 1) whose text was recognised by OCR.
    pub ocr_pages: Vec<u64>,
    pub ingested_at: String,
    /// Its translation in the other language, when the library holds one and a model is
    /// imported.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub translation: Option<Linked>,
}

impl From<&StoredDoc> for DocumentJson {
    fn from(d: &StoredDoc) -> DocumentJson {
        DocumentJson {
            id: d.id.clone(),
            title: d.display_title(),
            title_is_file_name: d.title_is_file_name(),
            authors: d.authors.clone(),
            advisor: d.advisor.clone(),
            institution: d.institution.clone(),
            year: d.year,
            doc_type: d.doc_type.clone(),
            collection: d.collection.clone(),
            lang: d.lang.clone(),
            keywords: d.keywords.clone(),
            abstract_text: d.abstract_text.clone(),
            url: d.url.clone(),
            file_name: d.file_name.clone(),
            file_url: d.file_url(),
            page_count: d.page_count,
            needs_ocr: d.needs_ocr,
            ocr_pages: d.ocr_pages.clone(),
            ingested_at: indexer::ingest::scan::rfc3339(d.ingested_at),
            translation: None,
        }
    }
}

/// The PDF of a document, when it can be served: the stored source path must still name a
/// regular file at exactly that place (ingestion stores canonical paths, so a symbolic link
/// swapped in afterwards, at the file or any folder above it, makes the canonical form differ)
/// and the file must still start like a PDF. Ids are looked up in the index and never joined
/// onto a path, so no request can name another file.
pub fn source_file(d: &StoredDoc) -> Option<std::path::PathBuf> {
    use std::io::Read;
    let stored = std::path::Path::new(d.source_path.as_deref()?);
    let canon = std::fs::canonicalize(stored).ok()?;
    if canon != stored || !std::fs::symlink_metadata(&canon).ok()?.is_file() {
        return None;
    }
    let mut head = [0u8; 5];
    std::fs::File::open(&canon)
        .and_then(|mut f| f.read_exact(&mut head))
        .ok()?;
    (&head == b"%PDF-").then_some(canon)
}
