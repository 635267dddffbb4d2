//! The index schema, designed once for extraction, ingestion and search.
//!
//! One tantivy document per work (a PDF or a catalogue record). Searchable text comes in
//! variants, each with its own analyzer (see [`crate::analysis`]):
//!
//! | field | `exact` (stored) | `_folded` | `_pairs` | `_stem` |
//! |---|---|---|---|---|
//! | title, abstract, body | ✓ | ✓ | ✓ | English documents only |
//! | authors, advisor, institution, keywords | ✓ | ✓ | | |
//!
//! `body` is multi-valued: value *i* is the text of page *i + 1*, so a hit can say on which page
//! it matched and snippets are cut from one page. Facets (collection, doc_type, lang, year) are
//! fast fields. Only the exact variants are stored: the others are derived from them.
//!
//! Invariant: the schema built by [`build_schema`] is the only one an index may have;
//! [`crate::index::open`] refuses an index whose schema differs, instead of silently searching
//! fields that are not there.

use tantivy::schema::{
    DateOptions, DateTimePrecision, Field, IndexRecordOption, NumericOptions, Schema,
    SchemaBuilder, TextFieldIndexing, TextOptions, FAST, INDEXED, STORED, STRING,
};
use tantivy::{DateTime, TantivyDocument};

use crate::analysis::{EXACT, FOLDED, PAIRS, STEM_EN};
use crate::doc::Document;

/// The fields of one searchable text in its analysed variants.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TextFields {
    /// Diacritics kept; stored.
    pub exact: Field,
    /// Diacritics removed.
    pub folded: Field,
    /// Adjacent folded syllable pairs (long texts only).
    pub pairs: Option<Field>,
    /// English stems, filled for English documents only (long texts only).
    pub stem: Option<Field>,
}

impl TextFields {
    /// Every field of the group.
    pub fn all(&self) -> impl Iterator<Item = Field> + '_ {
        [Some(self.exact), Some(self.folded), self.pairs, self.stem]
            .into_iter()
            .flatten()
    }
}

/// Handles to every field of the schema.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fields {
    /// Unique document id (a record's own id, or derived from collection and path).
    pub id: Field,
    pub collection: Field,
    /// Path of the source PDF as ingested; empty for records.
    pub source_path: Field,
    pub file_name: Field,
    pub url: Field,
    pub title: TextFields,
    pub authors: TextFields,
    pub advisor: TextFields,
    pub institution: TextFields,
    pub keywords: TextFields,
    pub abstract_text: TextFields,
    /// Page texts, one value per page.
    pub body: TextFields,
    /// Publication year, 0 when unknown.
    pub year: Field,
    pub doc_type: Field,
    pub lang: Field,
    pub page_count: Field,
    /// blake3 of the source, hex.
    pub content_hash: Field,
    pub ingested_at: Field,
    /// 1 when no page has a text layer (needs OCR).
    pub needs_ocr: Field,
}

/// Field names, shared by the schema builder and by [`Fields::from_schema`].
mod names {
    pub const ID: &str = "id";
    pub const COLLECTION: &str = "collection";
    pub const SOURCE_PATH: &str = "source_path";
    pub const FILE_NAME: &str = "file_name";
    pub const URL: &str = "url";
    pub const YEAR: &str = "year";
    pub const DOC_TYPE: &str = "doc_type";
    pub const LANG: &str = "lang";
    pub const PAGE_COUNT: &str = "page_count";
    pub const CONTENT_HASH: &str = "content_hash";
    pub const INGESTED_AT: &str = "ingested_at";
    pub const NEEDS_OCR: &str = "needs_ocr";
}

/// Error when an index's schema is not the one this version of the crate builds.
#[derive(Debug, thiserror::Error)]
#[error("the index schema is not the one this version expects (field {field:?} {problem}); rebuild the index with `indexer add`")]
pub struct SchemaMismatch {
    pub field: String,
    pub problem: &'static str,
}

fn text_options(analyzer: &str, record: IndexRecordOption, stored: bool) -> TextOptions {
    let opts = TextOptions::default().set_indexing_options(
        TextFieldIndexing::default()
            .set_tokenizer(analyzer)
            .set_index_option(record),
    );
    if stored {
        opts.set_stored()
    } else {
        opts
    }
}

fn add_text(b: &mut SchemaBuilder, name: &str, long: bool) -> TextFields {
    let positions = IndexRecordOption::WithFreqsAndPositions;
    let exact = b.add_text_field(name, text_options(EXACT, positions, true));
    let folded = b.add_text_field(
        &format!("{name}_folded"),
        text_options(FOLDED, positions, false),
    );
    let (pairs, stem) = if long {
        (
            Some(b.add_text_field(
                &format!("{name}_pairs"),
                text_options(PAIRS, IndexRecordOption::WithFreqs, false),
            )),
            Some(b.add_text_field(
                &format!("{name}_stem"),
                text_options(STEM_EN, IndexRecordOption::WithFreqs, false),
            )),
        )
    } else {
        (None, None)
    };
    TextFields {
        exact,
        folded,
        pairs,
        stem,
    }
}

/// Builds the schema and returns it with its field handles.
pub fn build_schema() -> (Schema, Fields) {
    let mut b = Schema::builder();
    let id = b.add_text_field(names::ID, STRING | STORED | FAST);
    let collection = b.add_text_field(names::COLLECTION, STRING | STORED | FAST);
    let source_path = b.add_text_field(names::SOURCE_PATH, STRING | STORED);
    let file_name = b.add_text_field(names::FILE_NAME, STRING | STORED);
    let url = b.add_text_field(names::URL, STORED);
    let title = add_text(&mut b, "title", true);
    let authors = add_text(&mut b, "authors", false);
    let advisor = add_text(&mut b, "advisor", false);
    let institution = add_text(&mut b, "institution", false);
    let keywords = add_text(&mut b, "keywords", false);
    let abstract_text = add_text(&mut b, "abstract", true);
    let body = add_text(&mut b, "body", true);
    let numeric = NumericOptions::default()
        .set_indexed()
        .set_stored()
        .set_fast();
    let year = b.add_i64_field(names::YEAR, numeric.clone());
    let doc_type = b.add_text_field(names::DOC_TYPE, STRING | STORED | FAST);
    let lang = b.add_text_field(names::LANG, STRING | STORED | FAST);
    let page_count = b.add_u64_field(names::PAGE_COUNT, STORED | FAST);
    let content_hash = b.add_text_field(names::CONTENT_HASH, STRING | STORED | FAST);
    let ingested_at = b.add_date_field(
        names::INGESTED_AT,
        DateOptions::from(INDEXED | STORED | FAST).set_precision(DateTimePrecision::Seconds),
    );
    let needs_ocr = b.add_u64_field(names::NEEDS_OCR, INDEXED | STORED | FAST);
    let fields = Fields {
        id,
        collection,
        source_path,
        file_name,
        url,
        title,
        authors,
        advisor,
        institution,
        keywords,
        abstract_text,
        body,
        year,
        doc_type,
        lang,
        page_count,
        content_hash,
        ingested_at,
        needs_ocr,
    };
    (b.build(), fields)
}

impl Fields {
    /// Resolves the handles in an existing index's schema, checking that it is exactly the
    /// schema [`build_schema`] makes.
    pub fn from_schema(schema: &Schema) -> Result<Fields, SchemaMismatch> {
        let (expected, fields) = build_schema();
        for (field, entry) in expected.fields() {
            let name = entry.name();
            match schema.get_field(name) {
                Err(_) => {
                    return Err(SchemaMismatch {
                        field: name.to_string(),
                        problem: "is missing",
                    })
                }
                Ok(f) if f != field || schema.get_field_entry(f) != entry => {
                    return Err(SchemaMismatch {
                        field: name.to_string(),
                        problem: "has other options",
                    })
                }
                Ok(_) => {}
            }
        }
        if schema.num_fields() != expected.num_fields() {
            return Err(SchemaMismatch {
                field: "*".to_string(),
                problem: "count differs",
            });
        }
        Ok(fields)
    }

    /// The searchable text groups with the weight the default ranking gives each.
    pub fn text_groups(&self) -> [(&'static str, TextFields); 7] {
        [
            ("title", self.title),
            ("authors", self.authors),
            ("advisor", self.advisor),
            ("institution", self.institution),
            ("keywords", self.keywords),
            ("abstract", self.abstract_text),
            ("body", self.body),
        ]
    }

    /// Converts a [`Document`] into a tantivy document, filling every variant of every text.
    ///
    /// The stemmed variants are filled only when the document's language is English: Vietnamese
    /// syllables are not English words and the stemmer would conflate unrelated ones.
    pub fn to_tantivy(&self, doc: &Document) -> TantivyDocument {
        let mut d = TantivyDocument::default();
        let english = doc.metadata.language.as_deref() == Some("en");
        let add = |d: &mut TantivyDocument, group: &TextFields, text: &str| {
            if text.is_empty() {
                return;
            }
            d.add_text(group.exact, text);
            d.add_text(group.folded, text);
            if let Some(p) = group.pairs {
                d.add_text(p, text);
            }
            if let (true, Some(s)) = (english, group.stem) {
                d.add_text(s, text);
            }
        };
        let m = &doc.metadata;
        d.add_text(self.id, &doc.id);
        d.add_text(self.collection, &doc.collection);
        if let Some(p) = &doc.source_path {
            d.add_text(self.source_path, p);
        }
        if let Some(f) = &doc.file_name {
            d.add_text(self.file_name, f);
        }
        if let Some(u) = &m.url {
            d.add_text(self.url, u);
        }
        add(&mut d, &self.title, m.title.as_deref().unwrap_or(""));
        for a in &m.authors {
            add(&mut d, &self.authors, a);
        }
        add(&mut d, &self.advisor, m.advisor.as_deref().unwrap_or(""));
        add(
            &mut d,
            &self.institution,
            m.institution.as_deref().unwrap_or(""),
        );
        for k in &m.keywords {
            add(&mut d, &self.keywords, k);
        }
        add(
            &mut d,
            &self.abstract_text,
            m.abstract_text.as_deref().unwrap_or(""),
        );
        for page in &doc.pages {
            // Every page keeps its slot, even empty, so value i stays page i + 1.
            d.add_text(self.body.exact, &page.text);
            if !page.text.is_empty() {
                d.add_text(self.body.folded, &page.text);
                if let Some(p) = self.body.pairs {
                    d.add_text(p, &page.text);
                }
                if let (true, Some(s)) = (english, self.body.stem) {
                    d.add_text(s, &page.text);
                }
            }
        }
        d.add_i64(self.year, i64::from(m.year.unwrap_or(0)));
        d.add_text(self.doc_type, m.doc_type.as_str());
        d.add_text(self.lang, m.language.as_deref().unwrap_or("und"));
        d.add_u64(self.page_count, doc.pages.len() as u64);
        d.add_text(self.content_hash, &doc.content_hash);
        d.add_date(
            self.ingested_at,
            DateTime::from_timestamp_secs(doc.ingested_at),
        );
        d.add_u64(self.needs_ocr, u64::from(doc.needs_ocr()));
        d
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn schema_resolves_against_itself() {
        let (schema, fields) = build_schema();
        assert_eq!(Fields::from_schema(&schema).unwrap(), fields);
    }

    #[test]
    fn a_foreign_schema_is_refused() {
        let mut b = Schema::builder();
        b.add_text_field("id", STRING);
        let err = Fields::from_schema(&b.build()).unwrap_err();
        assert!(err.to_string().contains("rebuild the index"), "{err}");
    }
}
