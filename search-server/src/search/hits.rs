//! One hit of a result list: the document's summary fields, its score, the pages that matched
//! and the snippet to show (the densest run of query words on the page of the best passage,
//! else on the first matching page, else in the abstract, else the start of the text).

use serde::Serialize;

use super::snippets;
use crate::documents::cache::CachedDoc;

#[derive(Debug, Serialize)]
pub struct Hit {
    pub id: String,
    pub title: String,
    /// No title was found: `title` is the file name (or the id).
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub title_is_file_name: bool,
    pub authors: Vec<String>,
    pub year: Option<i32>,
    pub doc_type: String,
    pub collection: String,
    pub lang: String,
    pub file_name: Option<String>,
    pub score: f32,
    pub snippet: String,
    pub pages: Vec<u32>,
}

/// Most page numbers listed per hit.
const MAX_PAGES: usize = 20;

pub(super) fn make_hit(
    cached: &CachedDoc,
    score: f32,
    best_page: Option<u32>,
    terms: &[String],
) -> Hit {
    let d = &cached.doc;
    let pages = snippets::matching_pages(&cached.folded, terms, MAX_PAGES);
    let page_text = |p: u32| d.pages.get((p as usize).checked_sub(1)?);
    let from_page = best_page
        .and_then(page_text)
        .and_then(|text| snippets::highlight(text, terms))
        .or_else(|| {
            pages
                .first()
                .and_then(|p| page_text(*p))
                .and_then(|text| snippets::highlight(text, terms))
        });
    let snippet = from_page
        .or_else(|| {
            d.abstract_text
                .as_deref()
                .and_then(|a| snippets::highlight(a, terms))
        })
        .unwrap_or_else(|| {
            let text = d
                .abstract_text
                .as_deref()
                .or_else(|| {
                    d.pages
                        .iter()
                        .map(String::as_str)
                        .find(|p| !p.trim().is_empty())
                })
                .unwrap_or("");
            snippets::lead(text, 240)
        });
    Hit {
        id: d.id.clone(),
        title: d.display_title(),
        title_is_file_name: d.title_is_file_name(),
        authors: d.authors.clone(),
        year: d.year,
        doc_type: d.doc_type.clone(),
        collection: d.collection.clone(),
        lang: d.lang.clone(),
        file_name: d.file_name.clone(),
        score,
        snippet,
        pages: if d.has_file() { pages } else { Vec::new() },
    }
}
